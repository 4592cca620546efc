import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import type { ReferenceObject } from '../model';

/** Asset IDs from one parameter: a comma/space/newline separated text, an array, or nested arrays. */
export function parseAssetIds(value: unknown): string[] {
	const out: string[] = [];
	const visit = (v: unknown) => {
		if (v === null || v === undefined) return;
		if (Array.isArray(v)) {
			v.forEach(visit);
			return;
		}
		if (typeof v === 'object') {
			const record = v as IDataObject;
			const id = record.asset_id ?? record.assetId ?? record.id;
			if (id !== undefined) visit(id);
			else if (Array.isArray(record.asset_ids)) visit(record.asset_ids);
			return;
		}
		const text = String(v).trim();
		if (text.startsWith('[')) {
			try {
				visit(JSON.parse(text));
				return;
			} catch {
				// not JSON: split below
			}
		}
		for (const part of text.split(/[\s,;]+/)) if (part) out.push(part);
	};
	visit(value);
	return [...new Set(out)];
}

export interface ReferenceEntry {
	source?: string;
	value?: string;
}

/** The References fixedCollection ({ reference: [{ source, value }] }) as reference objects. */
export function readReferences(value: unknown): ReferenceObject[] {
	const entries = ((value as IDataObject | undefined)?.reference ?? []) as ReferenceEntry[];
	const out: ReferenceObject[] = [];
	for (const entry of entries) {
		const ref = String(entry.value ?? '').trim();
		if (!ref) continue;
		if (entry.source === 'assetId') out.push({ asset_id: ref });
		else if (entry.source === 'avatarId') out.push({ avatar_id: ref });
		else out.push({ url: ref });
	}
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
	return Object.keys(parsed as IDataObject).length ? (parsed as IDataObject) : undefined;
}

/** Seconds (possibly fractional, possibly a string) to milliseconds, or the fallback. */
export function secondsToMs(value: unknown, fallbackSeconds: number): number {
	const seconds = Number(value);
	return Math.round((Number.isFinite(seconds) && seconds > 0 ? seconds : fallbackSeconds) * 1000);
}

/** The Model parameter (resource locator) of one item, trimmed; an error naming the item when empty. */
export function readModelId(ctx: IExecuteFunctions, itemIndex: number): string {
	const model = String(
		ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	if (!model) {
		throw new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] Model: no model chosen`, {
			itemIndex,
			description: 'Pick a model from the list or enter its ID (e.g. veo-3.1).',
		});
	}
	return model;
}
