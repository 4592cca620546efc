import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { hooxRequest } from '../../../shared/transport';
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
				options: [
					{ name: 'Image', value: 'image' },
					{ name: 'Video', value: 'video' },
				],
				default: 'image',
				description: 'Only image or only video models',
			},
		],
	},
];

/** GET /asset/models; filtered-on type/provider are hoisted by Hoox, so they are put back in every model. */
export async function listModels(
	ctx: Parameters<typeof hooxRequest>[0],
	filters: IDataObject,
	itemIndex?: number,
	abortSignal?: AbortSignal,
): Promise<IDataObject[]> {
	const qs: IDataObject = {};
	for (const key of ['type', 'provider', 'tag']) {
		const value = filters[key];
		if (typeof value === 'string' && value.trim()) qs[key] = value.trim();
	}
	const response = await hooxRequest(ctx, {
		method: 'GET',
		path: '/asset/models',
		qs,
		itemIndex,
		abortSignal,
	});
	const models = Array.isArray(response.models) ? (response.models as IDataObject[]) : [];
	return models.map((model) => {
		const out: IDataObject = { ...model };
		if (out.type === undefined && response.type !== undefined) out.type = response.type;
		if (out.provider === undefined && response.provider !== undefined)
			out.provider = response.provider;
		return out;
	});
}

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
		const models = await listModels(this, filters, i, op.abortSignal);
		const returnAll = this.getNodeParameter('returnAll', i, true) as boolean;
		if (returnAll) return models;
		return models.slice(0, Math.max(1, Number(this.getNodeParameter('limit', i, 50)) || 50));
	});
}
