/**
 * Keeping secrets out of what n8n stores and shows. Hoox, a proxy or a gateway may echo the API
 * key, or a piece of it, in any field of an error; a Base URL may carry `user:password@`.
 */

/** Shortest piece of a secret that is redacted: 8 characters, as in the leak matrix. */
const MIN_FRAGMENT = 8;
/** Longest text redacted (and kept): error texts beyond this are cut before being scanned. */
const MAX_TEXT = 2000;
const KEY_PREFIX = 'hx_live_';

/**
 * The text with every secret removed: each secret whole and every run of 8 or more characters
 * taken from it (case-insensitive; a Hoox key's public `hx_live_` prefix alone is no secret),
 * and anything shaped like a Hoox key. Cut to 2,000 characters first.
 */
export function redactSecrets(text: string, ...secrets: Array<string | undefined>): string {
	let out = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
	for (const secret of secrets) {
		if (secret && secret.length >= MIN_FRAGMENT) out = out.split(secret).join('[redacted]');
		const body = secret?.startsWith(KEY_PREFIX) ? secret.slice(KEY_PREFIX.length) : secret;
		if (body && body.length >= MIN_FRAGMENT) out = redactFragments(out, body);
	}
	return out.replace(/hx_live_[0-9a-zA-Z]{8,}/g, 'hx_live_[redacted]');
}

/** Replaces each run of the text made of `secret`'s 8-character windows by "[redacted]". */
function redactFragments(text: string, secret: string): string {
	const windows = new Set<string>();
	const lower = secret.toLowerCase();
	for (let i = 0; i + MIN_FRAGMENT <= lower.length; i++)
		windows.add(lower.slice(i, i + MIN_FRAGMENT));
	const hay = text.toLowerCase();
	const hidden = new Uint8Array(text.length);
	let found = false;
	for (let i = 0; i + MIN_FRAGMENT <= hay.length; i++) {
		if (!windows.has(hay.slice(i, i + MIN_FRAGMENT))) continue;
		hidden.fill(1, i, i + MIN_FRAGMENT);
		found = true;
	}
	if (!found) return text;
	let out = '';
	for (let i = 0; i < text.length; i++) {
		if (!hidden[i]) out += text[i];
		else if (i === 0 || !hidden[i - 1]) out += '[redacted]';
	}
	return out;
}

/** Where a URL's userinfo is: between "://" and the last "@" of the authority. */
function userinfoOf(url: string): { start: number; end: number } | undefined {
	const scheme = url.indexOf('://');
	if (scheme < 0) return undefined;
	const start = scheme + 3;
	let authorityEnd = url.length;
	for (const stop of ['/', '?', '#']) {
		const at = url.indexOf(stop, start);
		if (at >= 0 && at < authorityEnd) authorityEnd = at;
	}
	const end = url.lastIndexOf('@', authorityEnd - 1);
	return end >= start ? { start, end } : undefined;
}

/** The URL without `user:password@`, for messages and logs. */
export function printableUrl(url: string): string {
	const userinfo = userinfoOf(url);
	return userinfo ? url.slice(0, userinfo.start) + url.slice(userinfo.end + 1) : url;
}

/** The password (else the user) of a URL's userinfo, to redact wherever it might be echoed. */
export function urlSecret(url: string): string | undefined {
	const userinfo = userinfoOf(url);
	if (!userinfo) return undefined;
	const text = url.slice(userinfo.start, userinfo.end);
	const colon = text.indexOf(':');
	return decodeSafely(colon >= 0 ? text.slice(colon + 1) : text) || undefined;
}

function decodeSafely(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
