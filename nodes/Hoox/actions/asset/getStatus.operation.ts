import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toAssetItem } from '../../../shared/assetOutput';
import { hooxRequest } from '../../../shared/transport';
import type { AssetStatus } from '../../../shared/waiter';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';
import { assetIdsField, readAssetIds } from './assetIds';

const show = { resource: ['asset'], operation: ['getStatus'] };

export const description: INodeProperties[] = [assetIdsField(show)];

export async function execute(this: IExecuteFunctions, op: OperationContext): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const out: IDataObject[] = [];
		for (const id of readAssetIds(this, i)) {
			const status = await hooxRequest<AssetStatus>(this, {
				method: 'GET',
				path: `/asset/status/${encodeURIComponent(id)}`,
				itemIndex: i,
				assetIds: [id],
				abortSignal: op.abortSignal,
			});
			out.push(toAssetItem(status, { sourceItemIndex: i }) as IDataObject);
		}
		return out;
	});
}
