/**
 * What an asset ID may look like before it goes into a request path. Hoox IDs are short and
 * URL-safe; anything else (`..`, `/`, `%2F`, whitespace, a 5,000-character value) would make
 * `/asset/status/{id}` another request, so it is refused, never sent.
 */
const ASSET_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function isAssetId(value: unknown): value is string {
	return typeof value === 'string' && ASSET_ID.test(value) && !/^\.+$/.test(value);
}

/** An ID for a message: cut when huge, so a bad value cannot flood an error or a log. */
export function showId(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
