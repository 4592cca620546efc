import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { finishAssets, readWaitSettings, type TrackedAsset } from '../../helpers/assets';
import { errorItem, toItemError } from '../../helpers/errors';
import type { OperationContext } from '../types';
import { assetIdsField, readAssetIds } from './assetIds';
import { waitOptions } from './waitOptions';

const show = { resource: ['asset'], operation: ['waitForCompletion'] };

export const description: INodeProperties[] = [
	assetIdsField(show),
	waitOptions(show, false, false),
];

/** Waits for the given assets of every item at once (one polling loop) and returns them final. */
export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const out: INodeExecutionData[] = [];
	const tracked: TrackedAsset[] = [];
	// One output item per (asset, input item) pair: an id given by two items is polled once and
	// comes out twice, each paired with its own item.
	const seen = new Set<string>();
	for (let i = 0; i < op.items.length; i++) {
		try {
			for (const assetId of readAssetIds(this, i)) {
				const pair = `${i}\u0000${assetId}`;
				if (seen.has(pair)) continue;
				seen.add(pair);
				tracked.push({ assetId, itemIndex: i });
			}
		} catch (error) {
			const nodeError = toItemError(this, error, i);
			if (!continueOnFail) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}
	const settings = readWaitSettings(this.getNodeParameter('options', 0, {}) as IDataObject, true);
	out.push(...(await finishAssets(this, tracked, settings, op.abortSignal, continueOnFail)));
	return out;
}
