/**
 * Hoox answers checked for shape before anything is built on them: an ID goes into a path and
 * into the items, a message into errors. A malformed answer never becomes "null" or
 * "[object Object]".
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isAssetId } from '../assetId';
import type { HooxContext } from './types';
import { isObject } from '../util/loose';

/** The asset IDs of a /asset/start answer; a malformed answer is an error of the item. */
export function startedAssetIds(ctx: HooxContext, answer: unknown, itemIndex?: number): string[] {
	const list = isObject(answer) ? answer.asset_ids : undefined;
	const entries = Array.isArray(list) ? list : [];
	const valid = [...new Set(entries.filter(isAssetId))];
	const invalid = entries.length - entries.filter(isAssetId).length;
	if (Array.isArray(list) && valid.length > 0 && invalid === 0) return valid;
	const what =
		entries.length === 0
			? 'sent no asset IDs'
			: `sent ${count(invalid, 'entry', 'entries')} in asset_ids that ${invalid === 1 ? 'is' : 'are'} not an asset ID`;
	const prefix = itemIndex === undefined ? '' : `[item ${itemIndex}] `;
	const error = new NodeOperationError(
		ctx.getNode(),
		`${prefix}Hoox accepted the generation but ${what}`,
		{
			itemIndex,
			description:
				'The generation may have started and may be charged. ' +
				(valid.length > 0
					? `Valid asset IDs in the answer: ${valid.join(', ')}. `
					: 'The answer has no valid asset ID to follow. ') +
				'Check the assets in your Hoox space before running this item again.',
		},
	);
	error.context.assetIds = valid;
	throw error;
}

/** A status answer as the nodes read it: `status` text, `error` {message?, code?} of text only. */
export function readStatus(id: string, body: unknown, unknown: string): IDataObject | undefined {
	if (!isObject(body)) return undefined;
	const status = typeof body.status === 'string' && body.status ? body.status : unknown;
	const out: IDataObject = { ...body, asset_id: id, status };
	if (body.error !== undefined) out.error = readAssetError(body.error);
	return out;
}

function readAssetError(error: unknown): IDataObject {
	if (typeof error === 'string') return { message: error };
	if (!isObject(error)) return {};
	const out: IDataObject = {};
	if (typeof error.message === 'string') out.message = error.message;
	if (typeof error.code === 'string') out.code = error.code;
	return out;
}

function count(n: number, one: string, many: string): string {
	return `${n} ${n === 1 ? one : many}`;
}
