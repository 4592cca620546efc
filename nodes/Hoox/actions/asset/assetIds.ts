import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseAssetIds } from '../../helpers/params';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

export function assetIdsField(show: Show): INodeProperties {
	return {
		displayName: 'Asset IDs',
		name: 'assetIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 662f8c1d3a4b5e6f70123456, 662f8c1d3a4b5e6f70123457',
		description:
			'One or more asset IDs: a comma-separated list, or an expression that returns an array of IDs',
		displayOptions: { show },
	};
}

export function readAssetIds(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const ids = parseAssetIds(ctx.getNodeParameter('assetIds', itemIndex, ''));
	if (ids.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] Asset IDs: no asset ID given`,
			{
				itemIndex,
				description:
					'Enter one or more asset IDs, separated by commas, or map the asset_id field of a previous Hoox node.',
			},
		);
	}
	return ids;
}
