import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { listModels } from '../../../shared/api';
import { ASSET_TYPES } from '../../helpers/descriptions';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';

const show = { resource: ['model'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'string',
				default: '',
				placeholder: 'e.g. google',
				description: 'Only models of this provider (google, kling, bytedance, openai, …)',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				placeholder: 'e.g. motion-control',
				description:
					'Only models with this tag (new, motion-control, video-edit, extend, first-last-frames, …)',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: ASSET_TYPES,
				default: 'image',
				description: 'Only image or only video models',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const models = await listModels(this, filters, { itemIndex: i, abortSignal: op.abortSignal });
		const returnAll = this.getNodeParameter('returnAll', i, true) as boolean;
		if (returnAll) return models;
		return models.slice(0, Math.max(1, Number(this.getNodeParameter('limit', i, 50)) || 50));
	});
}
