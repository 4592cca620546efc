import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getStatus } from '../../../shared/api';
import { toAssetItem } from '../../../shared/assets';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';
import { assetIdsField, readAssetIds } from './assetIds';

const show = { resource: ['asset'], operation: ['getStatus'] };

export const description: INodeProperties[] = [assetIdsField(show)];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const out: IDataObject[] = [];
		for (const id of readAssetIds(this, i)) {
			const { status } = await getStatus(this, id, {
				itemIndex: i,
				abortSignal: op.abortSignal,
			});
			if (!status) {
				throw new NodeOperationError(
					this.getNode(),
					`[item ${i}] Hoox answered the status request for asset "${id}" with something that is not an asset status`,
					{
						itemIndex: i,
						description:
							'Try again in a moment; if it persists, check the Base URL in the Hoox credential.',
					},
				);
			}
			out.push(toAssetItem(status, { sourceItemIndex: i }) as IDataObject);
		}
		return out;
	});
}
