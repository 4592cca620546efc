import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hooxRequest } from '../../../shared/transport';
import { DURATION, modelEnumField, modelLocator, RESOLUTION, typeField } from '../../helpers/descriptions';
import { readJsonObject } from '../../helpers/params';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';

const show = { resource: ['pricing'], operation: ['estimate'] };

export const description: INodeProperties[] = [
	typeField(show, 'Image or video; the model list shows models of this type (not sent to Hoox)'),
	modelLocator(show, 'The model to price'),
	modelEnumField(show, RESOLUTION),
	modelEnumField(show, DURATION),
	{
		displayName: 'Generation Count',
		name: 'generationCount',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 4 },
		default: 1,
		description: 'How many variations to price (1–4)',
		displayOptions: { show },
	},
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

export async function execute(this: IExecuteFunctions, op: OperationContext): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const model = String(this.getNodeParameter('model', i, '', { extractValue: true }) ?? '').trim();
		if (!model) {
			throw new NodeOperationError(this.getNode(), `[item ${i}] Model: no model chosen`, {
				itemIndex: i,
				description: 'Pick a model from the list or enter its ID (e.g. veo-3.1).',
			});
		}
		const body: IDataObject = { model };
		const resolution = this.getNodeParameter('resolution', i, '') as string;
		if (resolution) body.resolution = resolution;
		const duration = this.getNodeParameter('duration', i, '') as string | number;
		if (duration !== '' && duration !== null && duration !== undefined) {
			const seconds = Number(duration);
			if (!Number.isInteger(seconds)) {
				throw new NodeOperationError(this.getNode(), `[item ${i}] Duration: "${duration}" is not a whole number of seconds`, {
					itemIndex: i,
				});
			}
			body.duration = seconds;
		}
		body.generation_count = Number(this.getNodeParameter('generationCount', i, 1)) || 1;
		const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		if (Number(additional.imageCount) > 0) body.image_count = Number(additional.imageCount);
		const settings = readJsonObject(this, additional.modelSettings, 'Additional Fields → Model Settings (JSON)', i);
		if (settings) body.model_settings = settings;
		return await hooxRequest(this, { method: 'POST', path: '/asset/pricing', body, itemIndex: i, abortSignal: op.abortSignal });
	});
}
