import { isHttpUrl, titleCase } from '../../../../nodes/Hoox/model';

describe('titleCase / isHttpUrl', () => {
	it.each([
		['generateAudio', 'Generate Audio'],
		['camera_fixed', 'Camera Fixed'],
		['keepOriginalSound', 'Keep Original Sound'],
		['avatar_description', 'Avatar Description'],
		['asset_id', 'Asset ID'],
		['audio', 'Audio'],
		['motion strength', 'Motion Strength'],
		['api_url', 'API URL'],
		// only generic abbreviations are capitalised: nothing taken from a model name
		['ugc_style', 'Ugc Style'],
	])('%s -> %s', (text, expected) => expect(titleCase(text)).toBe(expected));

	it.each([
		['https://example.org/a.png', true],
		['http://127.0.0.1:8080/hook?x=1', true],
		['ftp://example.org/a.png', false],
		['example.org/a.png', false],
		['https://', false],
		['https://exa mple.org', false],
		['', false],
	])('isHttpUrl(%s) = %s', (url, ok) => expect(isHttpUrl(url)).toBe(ok));
});
