import { printableUrl, redactSecrets, urlSecret } from '../../../../nodes/shared/api/secrets';
import { leakedFragments } from '../../../support/secrets';

const KEY = `hx_live_${'0a1b2c3d4e5f6789'.repeat(4)}`;
const BODY = KEY.slice(8);

describe('redactSecrets', () => {
	it.each([
		['the whole key', KEY],
		['the key without its prefix', BODY],
		['a prefix', KEY.slice(0, 20)],
		['a suffix', BODY.slice(-9)],
		['the middle in capitals', BODY.slice(10, 30).toUpperCase()],
		['two pieces', `${BODY.slice(0, 8)} and ${BODY.slice(40, 52)}`],
	])('removes %s', (_label, echo) => {
		const out = redactSecrets(`Hoox said: token ${echo} is invalid`, KEY);
		expect(leakedFragments(out, KEY)).toEqual([]);
		expect(out).toMatch(/^Hoox said: token .*\[redacted\].* is invalid$/);
	});

	it('keeps text that shares fewer than 8 characters with the key', () => {
		expect(redactSecrets('asset 0a1b2c3 failed', KEY)).toBe('asset 0a1b2c3 failed');
	});

	it('removes any key-shaped text and cuts a huge text', () => {
		expect(redactSecrets(`other hx_live_${'f'.repeat(64)}`)).toBe('other hx_live_[redacted]');
		expect(redactSecrets('x'.repeat(100_000), KEY).length).toBeLessThanOrEqual(2001);
	});

	it('removes a password too', () => {
		expect(redactSecrets('proxy said p4ssw0rd-of-proxy', KEY, 'p4ssw0rd-of-proxy')).toBe(
			'proxy said [redacted]',
		);
	});
});

describe('printableUrl / urlSecret', () => {
	it.each([
		['http://user:pa55word@127.0.0.1:8080/api', 'http://127.0.0.1:8080/api', 'pa55word'],
		['https://user:p@ss@host.example/v1?x=1', 'https://host.example/v1?x=1', 'p@ss'],
		['https://token@host.example', 'https://host.example', 'token'],
		['https://host.example/a@b', 'https://host.example/a@b', undefined],
		['not a url', 'not a url', undefined],
	])('%s', (url, printable, secret) => {
		expect(printableUrl(url)).toBe(printable);
		expect(urlSecret(url)).toBe(secret);
	});
});
