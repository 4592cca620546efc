/** One check per kind of value: each returns the value normalised or throws naming its source. */
import type { IDataObject } from 'n8n-workflow';

import { inputError, type Source } from './source';
import type { EnumSpec, ModelSpec } from './spec';
import { isHttpUrl, isObject, listWords, MAX_MATCHED_TEXT, parseSeconds, quote } from './values';

/** The shape of a setting or an extra field, as far as checking a value needs it. */
export interface Typed {
	type: 'boolean' | 'options' | 'number' | 'string';
	options?: Array<string | number>;
	integer?: boolean;
	minimum?: number;
	maximum?: number;
}

function coerceBoolean(value: unknown, src: Source): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	throw inputError(src, `Must be true or false, not ${quote(value)}`);
}

/** A decimal number as text; `\d+(\.\d*)?` (not `\d+\.?\d*`) so digits split one way only. */
function isNumberText(text: string): boolean {
	return text.length <= MAX_MATCHED_TEXT && /^\s*-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?\s*$/i.test(text);
}

function coerceNumber(field: Typed, value: unknown, src: Source): number {
	let n: number | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) n = value;
	else if (typeof value === 'string' && isNumberText(value)) n = Number(value);
	if (n === undefined) throw inputError(src, `Must be a number, not ${quote(value)}`);
	if (field.integer && !Number.isInteger(n))
		throw inputError(src, `Must be a whole number, not ${n}`);
	if (field.minimum !== undefined && n < field.minimum) {
		throw inputError(src, `Must be at least ${field.minimum}, not ${n}`);
	}
	if (field.maximum !== undefined && n > field.maximum) {
		throw inputError(src, `Must be at most ${field.maximum}, not ${n}`);
	}
	return n;
}

function coerceOption(field: Typed, value: unknown, src: Source): string | number {
	const options = field.options ?? [];
	if (typeof value === 'string' || typeof value === 'number') {
		const exact = options.find((o) => o === value);
		if (exact !== undefined) return exact;
		const text = String(value).trim().toLowerCase();
		const loose = options.find((o) => String(o).toLowerCase() === text);
		if (loose !== undefined) return loose;
	}
	throw inputError(
		src,
		`${quote(value)} is not an option; choose ${listWords(options.map((o) => quote(o)))}`,
	);
}

/** Coerces a value to a setting/extra field's type ("true" -> true, "2.5" -> 2.5, option case-insensitively). */
export function coerceTyped(field: Typed, value: unknown, src: Source): string | number | boolean {
	switch (field.type) {
		case 'boolean':
			return coerceBoolean(value, src);
		case 'number':
			return coerceNumber(field, value, src);
		case 'options':
			return coerceOption(field, value, src);
		default: {
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			throw inputError(src, `Must be text, not ${quote(value)}`);
		}
	}
}

export function matchEnum(
	enumSpec: EnumSpec<string> | undefined,
	value: unknown,
	src: Source,
	spec: ModelSpec,
	what: string,
): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw inputError(src, `Must be text, not ${quote(value)}`);
	}
	const text = String(value).trim();
	if (!enumSpec) {
		if (!spec.hasSchema) return text;
		throw inputError(
			src,
			`${spec.name} has no ${what} option; leave it at "Model Default"`,
			`Only the fields listed in the model's input_schema are accepted.`,
		);
	}
	if (enumSpec.values.length === 0) return text;
	const exact = enumSpec.values.find((v) => v === text);
	if (exact !== undefined) return exact;
	const loose = enumSpec.values.find((v) => v.toLowerCase() === text.toLowerCase());
	if (loose !== undefined) return loose;
	throw inputError(
		src,
		`${quote(text)} is not supported by ${spec.name}; choose ${listWords(enumSpec.values)}`,
	);
}

export function checkDuration(spec: ModelSpec, value: unknown, src: Source): number {
	const seconds = parseSeconds(value);
	if (seconds === undefined || !Number.isInteger(seconds)) {
		throw inputError(src, `${quote(value)} is not a whole number of seconds (e.g. 5)`);
	}
	if (!spec.durations) {
		if (!spec.hasSchema) return seconds;
		throw inputError(src, `${spec.name} has no duration option; leave it at "Model Default"`);
	}
	const values = spec.durations.values;
	if (values.length > 0 && !values.includes(seconds)) {
		throw inputError(
			src,
			`${seconds} seconds is not available for ${spec.name}; choose ${listWords(values)} seconds`,
		);
	}
	return seconds;
}

export function checkGenerationCount(spec: ModelSpec, value: unknown, src: Source): number {
	const { min, max } = spec.generationCount;
	let n: number | undefined;
	if (typeof value === 'number') n = value;
	else if (
		typeof value === 'string' &&
		value.length <= MAX_MATCHED_TEXT &&
		/^\s*-?\d+(\.\d+)?\s*$/.test(value)
	)
		n = Number(value);
	if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
		throw inputError(src, `Must be a whole number from ${min} to ${max}, not ${quote(value)}`);
	}
	return n;
}

/** Far longer than any Hoox ID: a longer value is a mistake, not an ID. */
const MAX_ID_LENGTH = 200;

export function checkId(value: unknown, src: Source): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') throw inputError(src, `Must be an ID (text), not ${quote(value)}`);
	const text = value.trim();
	if (text.length > MAX_ID_LENGTH || /\s/.test(text))
		throw inputError(src, `${quote(text)} is not a valid ID`);
	return text;
}

export function checkWebhookUrl(value: unknown, src: Source): string {
	const url = typeof value === 'string' ? value.trim() : value;
	if (!isHttpUrl(url)) {
		throw inputError(
			src,
			`${quote(url)} is not an absolute http(s) URL`,
			'Hoox calls this URL when the generation completes, e.g. https://example.org/webhook.',
		);
	}
	return url;
}

/** JSON text, or an error with `invalid` as its message. */
export function parseJson(
	text: string,
	src: Source,
	invalid: string,
	description?: string,
): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw inputError(src, invalid, description);
	}
}

/** A list given as an array, one item, or a JSON array string. */
export function asList(value: unknown, src: Source): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		const parsed = parseJson(value, src, 'Is not a valid JSON array');
		if (!Array.isArray(parsed)) throw inputError(src, 'Must be a JSON array');
		return parsed;
	}
	return [value];
}

export function asObject(value: unknown, src: Source): IDataObject {
	if (isObject(value)) return value;
	if (typeof value === 'string' && value.trim().startsWith('{')) {
		const parsed = parseJson(value, src, 'Is not valid JSON');
		if (isObject(parsed)) return parsed;
	}
	throw inputError(src, `Must be an object, not ${quote(value)}`);
}
