import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { buildPricingBody, type GenerateInput } from '../../model';
import { price } from '../../../shared/api';
import {
	DURATION,
	generationCountField,
	modelEnumField,
	modelLocator,
	RESOLUTION,
	typeField,
} from '../../helpers/descriptions';
import { readJsonObject, readModelId } from '../../helpers/params';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';

const show = { resource: ['pricing'], operation: ['estimate'] };

export const description: INodeProperties[] = [
	typeField(show, 'Image or video; the model list shows models of this type (not sent to Hoox)'),
	modelLocator(show, 'The model to price'),
	modelEnumField(show, RESOLUTION),
	modelEnumField(show, DURATION),
	generationCountField(show, 'How many variations to price (1–4)'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Image Count',
				name: 'imageCount',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Number of reference images, for models priced per input image',
			},
			{
				displayName: 'Model Settings (JSON)',
				name: 'modelSettings',
				type: 'json',
				default: '{}',
				description: 'Model settings to price with, e.g. {"generateAudio": false}',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const model = readModelId(this, i);
		const { spec } = await op.models.get(model, i);
		const duration = this.getNodeParameter('duration', i, '') as string | number;
		const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const input: GenerateInput = {
			model,
			prompt: '',
			resolution: (this.getNodeParameter('resolution', i, '') as string) || undefined,
			duration:
				duration === '' || duration === null || duration === undefined ? undefined : duration,
			generationCount: Number(this.getNodeParameter('generationCount', i, 1)) || 1,
			modelSettings: readJsonObject(
				this,
				additional.modelSettings,
				'Additional Fields → Model Settings (JSON)',
				i,
			),
			imageCount: Number(additional.imageCount) > 0 ? Number(additional.imageCount) : undefined,
		};
		// The same body and validation as Generate's Max Credits check (ModelInputError → item error).
		const body = buildPricingBody(spec, input);
		return await price(this, body, { itemIndex: i, abortSignal: op.abortSignal });
	});
}
