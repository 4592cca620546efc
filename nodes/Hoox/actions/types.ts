import type { INodeExecutionData } from 'n8n-workflow';

import type { ModelCache } from '../helpers/modelCache';

/** What every operation gets from the router, besides `this`. */
export interface OperationContext {
	items: INodeExecutionData[];
	/** GET /asset/models/{name}, once per model per execution. */
	models: ModelCache;
	abortSignal?: AbortSignal;
}
