/** Reference media (URL, asset ID or avatar ID) as users write them, checked and normalised to one object. */
import { parseJson } from './checks';
import { inputError, type Source } from './source';
import type { ReferenceObject } from './spec';
import { isEmpty, isHttpUrl, isObject, listWords, quote } from './values';

export const REFERENCE_KEYS = ['url', 'asset_id', 'avatar_id'] as const;
type ReferenceKey = (typeof REFERENCE_KEYS)[number];

const REFERENCE_HINT =
	'A reference is a URL (https://…), an asset ID (asset:ID or the bare ID), an avatar (avatar:ID), ' +
	'or an object with exactly one of url, asset_id or avatar_id.';

export function isReferenceKey(key: unknown): key is ReferenceKey {
	return (REFERENCE_KEYS as readonly unknown[]).includes(key);
}

export function looksLikeReference(value: unknown): boolean {
	return isObject(value) && REFERENCE_KEYS.some((k) => k in value);
}

function parseJsonReference(text: string, src: Source): ReferenceObject {
	const parsed = parseJson(text, src, `Reference ${quote(text)} is not valid JSON`, REFERENCE_HINT);
	if (!isObject(parsed)) throw inputError(src, 'Reference JSON must be an object', REFERENCE_HINT);
	return checkReference(parsed, src);
}

function checkReferenceText(value: string, src: Source): ReferenceObject {
	const text = value.trim();
	if (text === '') throw inputError(src, 'Reference is empty', REFERENCE_HINT);
	if (text.startsWith('{')) return parseJsonReference(text, src);
	if (/^https?:\/\//i.test(text)) {
		if (!isHttpUrl(text))
			throw inputError(src, `${quote(text)} is not a valid http(s) URL`, REFERENCE_HINT);
		return { url: text };
	}
	const prefixed = /^(avatar|asset)\s*:\s*(.*)$/i.exec(text);
	if (prefixed) {
		const id = prefixed[2].trim();
		const key: ReferenceKey = prefixed[1].toLowerCase() === 'avatar' ? 'avatar_id' : 'asset_id';
		if (id === '' || /\s/.test(id))
			throw inputError(
				src,
				`${quote(text)} has no valid ID after "${prefixed[1]}:"`,
				REFERENCE_HINT,
			);
		return { [key]: id };
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
		throw inputError(src, `${quote(text)} is not an http(s) URL`, REFERENCE_HINT);
	}
	if (/[\s/\\]/.test(text)) {
		throw inputError(src, `${quote(text)} is neither a URL nor an asset ID`, REFERENCE_HINT);
	}
	return { asset_id: text };
}

function checkReferenceObject(value: Record<string, unknown>, src: Source): ReferenceObject {
	const unknown = Object.keys(value).filter((k) => !isReferenceKey(k));
	if (unknown.length > 0) {
		throw inputError(
			src,
			`Reference has unknown key${unknown.length > 1 ? 's' : ''} ${listWords(unknown, 'and')}; use exactly one of url, asset_id or avatar_id`,
			REFERENCE_HINT,
		);
	}
	const set = REFERENCE_KEYS.filter((k) => !isEmpty(value[k]));
	if (set.length !== 1) {
		const found = set.length === 0 ? 'none is set' : `${listWords(set, 'and')} are all set`;
		throw inputError(
			src,
			`Set exactly one of url, asset_id or avatar_id (${found})`,
			REFERENCE_HINT,
		);
	}
	const key = set[0];
	const raw = value[key];
	if (typeof raw !== 'string')
		throw inputError(src, `${key} must be a string, not ${quote(raw)}`, REFERENCE_HINT);
	const text = raw.trim();
	if (key === 'url' && !isHttpUrl(text)) {
		throw inputError(src, `url ${quote(text)} is not an absolute http(s) URL`, REFERENCE_HINT);
	}
	return { [key]: text };
}

export function checkReference(value: unknown, src: Source): ReferenceObject {
	if (typeof value === 'string') return checkReferenceText(value, src);
	if (!isObject(value)) {
		throw inputError(
			src,
			`Reference must be a string or an object, not ${quote(value)}`,
			REFERENCE_HINT,
		);
	}
	return checkReferenceObject(value, src);
}

/**
 * `https://…` -> url, `avatar:ID` -> avatar_id, `asset:ID` or a bare ID -> asset_id, `{…}` -> a
 * JSON object with exactly one of url, asset_id, avatar_id. Errors name `parameter`.
 */
export function parseReference(
	value: ReferenceObject | string,
	parameter: string,
): ReferenceObject {
	return checkReference(value, { parameter });
}
