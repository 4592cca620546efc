/** Small, model-agnostic helpers for reading loosely typed values and writing messages. */
import type { IDataObject } from 'n8n-workflow';

export { isObject } from '../../shared/util/loose';

/** '' (after trim), null and undefined mean "not given": the model default applies. */
export function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

export function toInteger(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && value.length <= MAX_MATCHED_TEXT && /^\s*-?\d+\s*$/.test(value))
		return Number(value);
	return undefined;
}

export function toFiniteNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	return undefined;
}

/** First non-null JSON-schema type (`type` may be a string or an array of strings). */
export function schemaType(prop: IDataObject): string | undefined {
	const t = prop.type;
	if (typeof t === 'string') return t;
	if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
	return undefined;
}

/**
 * Longest text any pattern here is matched against: values come from users and the API, and a
 * backtracking regex on a 40,000-character value costs seconds; nothing valid is that long.
 */
export const MAX_MATCHED_TEXT = 100;

/** `5`, `"5"`, `"5s"`, `"5 seconds"` -> 5. Undefined when it is not a number of seconds; may be fractional. */
export function parseSeconds(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.length > MAX_MATCHED_TEXT) return undefined;
	const match = /^(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)?$/i.exec(value.trim());
	return match ? Number(match[1]) : undefined;
}

/** Longest value an error message shows: a huge value is cut, so messages and logs stay readable. */
const MAX_QUOTED = 80;

export function quote(value: unknown): string {
	if (typeof value === 'string') return `"${shorten(value)}"`;
	try {
		return shorten(JSON.stringify(value) ?? String(value));
	} catch {
		// too deep or circular: String() would recurse just the same
		if (Array.isArray(value)) return 'a list nested too deeply to show';
		return typeof value === 'object' ? 'an object nested too deeply to show' : typeof value;
	}
}

/** The text, cut to a readable length (with its full length said) when it is huge. */
export function shorten(text: string): string {
	if (text.length <= MAX_QUOTED) return text;
	return `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)`;
}

export function listWords(values: unknown[], conjunction = 'or'): string {
	const parts = values.map((v) => String(v));
	if (parts.length <= 1) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts[parts.length - 1]}`;
}

/** Generic abbreviations written in capitals in labels (never words taken from model names). */
const UPPER_WORDS = new Set(['id', 'url', 'uri', 'api']);

/** `generateAudio` -> "Generate Audio", `camera_fixed` -> "Camera Fixed", `asset_id` -> "Asset ID". */
export function titleCase(text: string): string {
	return (
		text
			.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
			// a lookahead, not `([A-Z]+)([A-Z][a-z])`: that backtracks quadratically on long capitals
			.replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
			.split(/[\s_\-.]+/)
			.filter((w) => w !== '')
			.map((w) =>
				UPPER_WORDS.has(w.toLowerCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1),
			)
			.join(' ')
	);
}

/** How a value is shown in option lists and "(Default: …)": booleans as On/Off, words capitalised. */
export function displayValue(value: unknown): string {
	if (value === true) return 'On';
	if (value === false) return 'Off';
	if (typeof value === 'string')
		return value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
	return String(value);
}

export function secondsLabel(seconds: number): string {
	return `${seconds} ${seconds === 1 ? 'Second' : 'Seconds'}`;
}

/** True for an absolute http(s) URL with a host. */
export function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string' || value !== value.trim() || /\s/.test(value)) return false;
	if (!/^https?:\/\/[^/?#]/i.test(value)) return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}
