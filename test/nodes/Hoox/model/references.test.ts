import { parseReference } from '../../../../nodes/Hoox/model';
import { caught } from './fixtures';

describe('parseReference', () => {
	it.each<[string | object, object]>([
		['https://example.org/a.png', { url: 'https://example.org/a.png' }],
		['  HTTP://example.org/a.png ', { url: 'HTTP://example.org/a.png' }],
		['avatar:avtr_123', { avatar_id: 'avtr_123' }],
		['asset:65a0c0ffee00000000000010', { asset_id: '65a0c0ffee00000000000010' }],
		['65a0c0ffee00000000000010', { asset_id: '65a0c0ffee00000000000010' }],
		['{"avatar_id":"avtr_9"}', { avatar_id: 'avtr_9' }],
		[{ url: 'https://example.org/b.png' }, { url: 'https://example.org/b.png' }],
		[{ asset_id: ' a1 ', url: '' }, { asset_id: 'a1' }],
		[{ avatar_id: 'v', asset_id: null }, { avatar_id: 'v' }],
		['Avatar: avtr_7', { avatar_id: 'avtr_7' }],
		['asset:65a0c0ffee00000000000011 ', { asset_id: '65a0c0ffee00000000000011' }],
		['  {"url":"https://example.org/c.png"} ', { url: 'https://example.org/c.png' }],
	])('%j -> %j', (value, expected) => {
		expect(parseReference(value as string, 'References → item 1')).toEqual(expected);
	});

	it.each<[string, unknown, RegExp]>([
		[
			'two keys',
			{ url: 'https://example.org/a.png', asset_id: 'a1' },
			/exactly one of url, asset_id or avatar_id \(url and asset_id are all set\)/,
		],
		[
			'three keys',
			{ url: 'https://e.org/a', asset_id: 'a', avatar_id: 'v' },
			/url, asset_id and avatar_id are all set/,
		],
		['no key', {}, /none is set/],
		['unknown key', { id: 'x' }, /unknown key id/],
		['relative url', { url: '/a.png' }, /not an absolute http\(s\) URL/],
		['ftp url', 'ftp://example.org/a.png', /not an http\(s\) URL/],
		['host-only text', 'example.org/a.png', /neither a URL nor an asset ID/],
		['empty string', '  ', /empty/],
		['bad json', '{url:', /not valid JSON/],
		['avatar without id', 'avatar:', /no valid ID/],
		['number', 42, /string or an object/],
		['url not a string', { url: 5 }, /url must be a string/],
		['json array', '{"url":"https://e.org/a", "asset_id":"b"}', /url and asset_id are all set/],
		['id with spaces', 'my asset', /neither a URL nor an asset ID/],
	])('rejects %s', (_label, value, message) => {
		const error = caught(() => parseReference(value as string, 'References → item 2'));
		expect(error.parameter).toBe('References → item 2');
		expect(error.message).toMatch(message);
	});
});
