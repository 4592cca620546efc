import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ModelCache } from '../helpers/modelCache';
import * as asset from './asset/Asset.resource';
import * as folder from './folder/Folder.resource';
import * as model from './model/Model.resource';
import * as pricing from './pricing/Pricing.resource';
import type { OperationContext } from './types';

type Execute = (this: IExecuteFunctions, op: OperationContext) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Execute>> = {
	asset: {
		generate: asset.generate.execute,
		getStatus: asset.getStatus.execute,
		waitForCompletion: asset.waitForCompletion.execute,
	},
	folder: { create: folder.create.execute, getAll: folder.getAll.execute },
	model: { get: model.get.execute, getAll: model.getAll.execute },
	pricing: { estimate: pricing.estimate.execute },
};

function cancelSignal(ctx: IExecuteFunctions): AbortSignal | undefined {
	return typeof ctx.getExecutionCancelSignal === 'function'
		? ctx.getExecutionCancelSignal()
		: undefined;
}

/**
 * Picks the operation. Operations see all items at once: Generate validates every item before
 * submitting any, and the waiting operations wait for every asset of every item in one loop.
 * Each operation puts pairedItem on its outputs and honours Continue On Fail.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
			{
				itemIndex: 0,
			},
		);
	}
	const abortSignal = cancelSignal(this);
	const op: OperationContext = {
		items: this.getInputData(),
		models: new ModelCache(this, abortSignal),
		abortSignal,
	};
	return [await execute.call(this, op)];
}
