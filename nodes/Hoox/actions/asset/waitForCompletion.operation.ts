import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { ItemErrors } from '../../helpers/errors';
import { finishWait } from '../../wait/finish';
import { waitOptions } from '../../wait/options';
import { readWaitSettings, type TrackedAsset } from '../../wait/settings';
import type { OperationContext } from '../types';
import { assetIdsField, readAssetIds } from './assetIds';

const show = { resource: ['asset'], operation: ['waitForCompletion'] };

export const description: INodeProperties[] = [assetIdsField(show), waitOptions(show)];

/** Waits for the given assets of every item at once (one polling loop) and returns them final. */
export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const errors = new ItemErrors(this, out);
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
			errors.add(error, i);
		}
	}
	const settings = readWaitSettings(this.getNodeParameter('options', 0, {}) as IDataObject, true);
	const items = await finishWait(this, {
		assets: tracked,
		settings,
		abortSignal: op.abortSignal,
		continueOnFail: this.continueOnFail(),
	});
	out.push(...items);
	return out;
}
