import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isAssetId, showId } from '../../../shared/assetId';
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
	let ids: string[];
	try {
		ids = parseAssetIds(ctx.getNodeParameter('assetIds', itemIndex, ''));
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] Asset IDs: the value is ${(error as Error).message}`,
			{ itemIndex, description: 'Give a list of asset IDs, or a list of such lists.' },
		);
	}
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
	const bad = ids.find((id) => !isAssetId(id));
	if (bad !== undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] Asset IDs: ${showId(bad)} is not an asset ID`,
			{
				itemIndex,
				description:
					'Hoox asset IDs are made of letters, digits, ".", "_" and "-" (e.g. 662f8c1d3a4b5e6f70123456). Nothing was requested.',
			},
		);
	}
	return ids;
}
