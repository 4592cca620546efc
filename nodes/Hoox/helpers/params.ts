import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { showId } from '../../shared/assetId';
import { ModelInputError, quote, type ReferenceObject } from '../model';

/** Deepest nesting of lists read for asset IDs; deeper values are refused, never recursed into. */
const MAX_ID_NESTING = 10;

/**
 * Asset IDs from one parameter: a comma/space/newline separated text, an array, or nested arrays.
 * Throws a plain Error (the caller names the parameter and item) for nesting deeper than 10.
 */
export function parseAssetIds(value: unknown): string[] {
	const out: string[] = [];
	const visit = (v: unknown, depth: number) => {
		if (v === null || v === undefined) return;
		if (depth > MAX_ID_NESTING) throw new Error(`nested more than ${MAX_ID_NESTING} levels deep`);
		if (Array.isArray(v)) {
			for (const entry of v) visit(entry, depth + 1);
			return;
		}
		if (typeof v === 'object') {
			const record = v as IDataObject;
			const id = record.asset_id ?? record.assetId ?? record.id;
			if (id !== undefined) visit(id, depth + 1);
			else if (Array.isArray(record.asset_ids)) visit(record.asset_ids, depth + 1);
			return;
		}
		const text = String(v).trim();
		if (text.startsWith('[')) {
			const parsed = parseJsonList(text);
			if (parsed !== undefined) return visit(parsed, depth + 1);
		}
		for (const part of text.split(/[\s,;]+/)) if (part) out.push(part);
	};
	visit(value, 0);
	return [...new Set(out)];
}

/** A JSON list written as text, or undefined when the text is not JSON (it is split instead). */
function parseJsonList(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

export interface ReferenceEntry {
	source?: string;
	value?: string;
}

/** The References fixedCollection ({ reference: [{ source, value }] }) as reference objects. */
export function readReferences(value: unknown): ReferenceObject[] {
	if (value === undefined || value === null || value === '') return [];
	const refuse = (message: string) => new ModelInputError('References', message);
	if (typeof value !== 'object' || Array.isArray(value))
		throw refuse('Must be a list of references');
	const entries = (value as IDataObject).reference ?? [];
	if (!Array.isArray(entries)) throw refuse('Must be a list of references');
	const out: ReferenceObject[] = [];
	entries.forEach((entry: unknown, n) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry))
			throw refuse(`reference ${n + 1}: must be a source and a value`);
		const { source, value: given } = entry as ReferenceEntry & { value?: unknown };
		if (
			given !== undefined &&
			given !== null &&
			typeof given !== 'string' &&
			typeof given !== 'number'
		)
			throw refuse(`reference ${n + 1}: the value must be text, not ${quote(given)}`);
		const ref = String(given ?? '').trim();
		if (!ref) return;
		if (source === 'assetId') out.push({ asset_id: ref });
		else if (source === 'avatarId') out.push({ avatar_id: ref });
		else out.push({ url: ref });
	});
	return out;
}

/** Parses a JSON object parameter (string or object); errors name the parameter and the item. */
export function readJsonObject(
	ctx: IExecuteFunctions,
	value: unknown,
	parameter: string,
	itemIndex: number,
): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim() || value.trim() === '{}') return undefined;
		try {
			parsed = jsonParse(value);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`[item ${itemIndex}] ${parameter}: not valid JSON`,
				{
					itemIndex,
					description: `Enter a JSON object, e.g. {"avatar_description": "…"}. Parser said: ${(error as Error).message}`,
				},
			);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] ${parameter}: must be a JSON object`,
			{
				itemIndex,
				description: 'Enter a JSON object such as {"field": "value"}.',
			},
		);
	}
	const problem = shapeProblem(parsed);
	if (problem) {
		throw new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] ${parameter}: ${problem}`, {
			itemIndex,
			description: 'Enter a plain JSON object such as {"field": "value"}.',
		});
	}
	return Object.keys(parsed as IDataObject).length ? (parsed as IDataObject) : undefined;
}

/** Deeper than any Hoox body; a deeper value could not even be serialised safely. */
const MAX_JSON_DEPTH = 20;
/** Keys that would change an object's prototype when merged into a request body. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a parsed JSON value cannot go into a body (too deep, a prototype key), walked without recursion. */
function shapeProblem(value: unknown): string | undefined {
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
		if (!current || typeof current !== 'object') continue;
		if (depth > MAX_JSON_DEPTH) return `nested more than ${MAX_JSON_DEPTH} levels deep`;
		for (const [key, child] of Object.entries(current)) {
			if (PROTOTYPE_KEYS.has(key)) return `"${key}" is not allowed as a field name`;
			stack.push({ value: child, depth: depth + 1 });
		}
	}
	return undefined;
}

/** Seconds (possibly fractional, possibly a string) to milliseconds, or the fallback. */
export function secondsToMs(value: unknown, fallbackSeconds: number): number {
	const seconds = Number(value);
	return Math.round((Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000);
}

/** Longer than any model name: a longer value is a mistake (and would be sent in a path). */
const MAX_MODEL_ID_LENGTH = 200;

/** The Model parameter (resource locator) of one item, trimmed; an error naming the item when empty. */
export function readModelId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }) ?? '';
	const refuse = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] Model: ${message}`, {
			itemIndex,
			description,
		});
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw refuse('must be a model ID (text)', 'Pick a model from the list or enter its ID.');
	}
	const model = String(value).trim();
	if (!model)
		throw refuse('no model chosen', 'Pick a model from the list or enter its ID (e.g. veo-3.1).');
	// the ID goes into a request path: "." and ".." would name another endpoint
	if (model.length > MAX_MODEL_ID_LENGTH || /^\.+$/.test(model)) {
		throw refuse(
			`${showId(model)} is not a model ID`,
			'Pick a model from the list (Model → Get Many shows the current catalogue).',
		);
	}
	return model;
}
