import {
	downloadTargets,
	isPrivateHost,
	refusedRedirect,
	refusedTarget,
} from '../../../../nodes/shared/assets/downloadTarget';

const hoox = downloadTargets('https://app.hoox.video/api/public/v1');
const local = downloadTargets('http://127.0.0.1:5680/api/public/v1');

describe('isPrivateHost', () => {
	it.each([
		'localhost',
		'foo.localhost',
		'metadata.google.internal',
		'printer.local',
		'intranet',
		'127.0.0.1',
		'127.1.2.3',
		'10.0.0.1',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'169.254.169.254',
		'100.64.0.1',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'[::1]',
		'[::]',
		'[fe80::1]',
		'[fd00::1]',
		'[fc00::]',
		'[::ffff:127.0.0.1]',
		'[::ffff:7f00:1]',
		'[::ffff:a9fe:a9fe]',
		'[64:ff9b::a00:1]',
		'[ff02::1]',
	])('%s is private', (host) => expect(isPrivateHost(host)).toBe(true));

	it.each([
		'app.hoox.video',
		'cdn.example.org',
		'8.8.8.8',
		'172.32.0.1',
		'[2606:4700::1111]',
		'[::ffff:808:808]',
	])('%s is public', (host) => expect(isPrivateHost(host)).toBe(false));

	it('sees through the spellings the URL parser normalises', () => {
		for (const url of [
			'http://2130706433/',
			'http://0x7f.1/',
			'http://0177.0.0.1/',
			'http://127.000.000.001/',
			'http://[0:0:0:0:0:0:0:1]/',
		])
			expect([url, isPrivateHost(new URL(url).hostname)]).toEqual([url, true]);
	});
});

describe('refusedTarget', () => {
	it('refuses private targets unless the Base URL is local', () => {
		const target = new URL('http://127.0.0.1:9000/media/a.png');
		expect(refusedTarget(target, hoox)).toMatch(/private, loopback or link-local/);
		expect(refusedTarget(target, local)).toBeUndefined();
		expect(refusedTarget(new URL('http://169.254.169.254/latest/'), hoox)).toMatch(/link-local/);
	});

	it('refuses other protocols and credentials in the URL', () => {
		expect(refusedTarget(new URL('file:///etc/passwd'), local)).toMatch(/not http/);
		expect(refusedTarget(new URL('https://u:p@cdn.example.org/a.png'), hoox)).toMatch(/user name/);
		expect(refusedTarget(new URL('https://cdn.example.org/a.png'), hoox)).toBeUndefined();
	});
});

describe('refusedRedirect', () => {
	const from = new URL('https://cdn.example.org/a.png');
	it('follows redirects on the media host and to Hoox’s domain only', () => {
		expect(
			refusedRedirect(from, new URL('https://cdn.example.org/b.png'), 'cdn.example.org', hoox),
		).toBeUndefined();
		expect(
			refusedRedirect(from, new URL('https://media.hoox.video/b.png'), 'cdn.example.org', hoox),
		).toBeUndefined();
		expect(
			refusedRedirect(from, new URL('https://evil.example.com/b.png'), 'cdn.example.org', hoox),
		).toMatch(/another host/);
		expect(
			refusedRedirect(from, new URL('https://hoox.video.evil.com/b.png'), 'cdn.example.org', hoox),
		).toMatch(/another host/);
		expect(
			refusedRedirect(from, new URL('http://cdn.example.org/b.png'), 'cdn.example.org', hoox),
		).toMatch(/plain http/);
		expect(
			refusedRedirect(from, new URL('https://127.0.0.1/b.png'), 'cdn.example.org', hoox),
		).toMatch(/private/);
	});

	it('treats another port as another host, and the local Base URL host as Hoox', () => {
		const media = new URL('http://127.0.0.1:7000/media/a.png');
		const hop = (to: string) => refusedRedirect(media, new URL(to), '127.0.0.1:7000', local);
		expect(hop('http://127.0.0.1:7000/b.png')).toBeUndefined();
		expect(hop('http://127.0.0.1:5680/media/b.png')).toBeUndefined();
		expect(hop('http://127.0.0.1:9999/b.png')).toMatch(/another host \(127.0.0.1:9999\)/);
	});
});
