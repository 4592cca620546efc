import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';
import { modelLocator } from '../../helpers/descriptions';
import { readModelId } from '../../helpers/params';

const show = { resource: ['model'], operation: ['get'] };

export const description: INodeProperties[] = [
	modelLocator(show, 'The model to describe: settings, prompt limit, input schema'),
];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const model = readModelId(this, i);
		const { detail } = await op.models.get(model, i);
		return detail as unknown as IDataObject;
	});
}
