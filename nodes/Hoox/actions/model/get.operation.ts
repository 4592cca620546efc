import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';
import { modelLocator } from '../../helpers/descriptions';

const show = { resource: ['model'], operation: ['get'] };

export const description: INodeProperties[] = [
	modelLocator(show, 'The model to describe: settings, prompt limit, input schema'),
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
		const { detail } = await op.models.get(model, i);
		return detail as unknown as IDataObject;
	});
}
