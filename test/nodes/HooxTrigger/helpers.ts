/** Shared helpers of the Hoox Trigger tests: deliver one webhook request to the node. */
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import { HooxTrigger } from '../../../nodes/HooxTrigger/HooxTrigger.node';
import {
	createWebhookContext,
	type Credentials,
	type TestWebhookFunctions,
} from '../../../harness/n8nContext';

export const TOKEN = 'Zq3vN8rT1xK5mW7pB2cY9hJ4dF6gL0sA';
export const WEBHOOK_URL =
	'http://127.0.0.1:5678/webhook/4b2d0c3e-0000-4000-8000-000000000001/hoox';

/** Credentials that point nowhere: any call to Hoox fails fast (tests that must not call Hoox). */
export const UNREACHABLE: Credentials = {
	apiKey: 'hx_live_' + '0'.repeat(64),
	baseUrl: 'http://127.0.0.1:9/api/public/v1',
};

export const trigger = new HooxTrigger();

export interface Delivery {
	parameters?: Record<string, unknown>;
	body?: unknown;
	query?: IDataObject;
	headers?: Record<string, string>;
	rawBody?: Buffer;
	staticData?: IDataObject;
	workflowId?: string;
	credentials?: Credentials;
	/** The Hoox Trigger Token credential's data, when the node uses one. */
	triggerCredential?: IDataObject;
	binaryMode?: 'default' | 'filesystem';
}

/** Parameters as n8n hands them over (defaults), without enrichment unless asked. */
export function params(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		authentication: 'secretToken',
		secretToken: TOKEN,
		events: ['completed', 'failed'],
		assetType: 'any',
		models: '',
		options: { fetchDetails: false },
		...overrides,
	};
}

const workflowIds = new WeakMap<IDataObject, string>();
function workflowIdOf(staticData: IDataObject): string {
	if (!workflowIds.has(staticData))
		workflowIds.set(staticData, `wf-${Math.random().toString(36).slice(2)}`);
	return workflowIds.get(staticData) as string;
}

export async function deliver(
	delivery: Delivery,
): Promise<{ result: IWebhookResponseData; ctx: TestWebhookFunctions }> {
	const staticData = delivery.staticData ?? {};
	const ctx = createWebhookContext({
		// Deliveries that share static data belong to one workflow; the trigger also remembers
		// deliveries per workflow in process memory.
		workflowId: delivery.workflowId ?? workflowIdOf(staticData),
		parameters: delivery.parameters ?? params(),
		credentials: delivery.credentials ?? UNREACHABLE,
		otherCredentials: delivery.triggerCredential
			? { hooxTriggerApi: delivery.triggerCredential }
			: undefined,
		request: {
			body: delivery.body,
			headers: delivery.headers ?? { 'content-type': 'application/json' },
			query: delivery.query ?? { token: TOKEN },
			rawBody: delivery.rawBody,
		},
		webhookUrl: WEBHOOK_URL,
		staticData,
		binaryMode: delivery.binaryMode,
		node: { name: 'Hoox Trigger', type: 'n8n-nodes-hoox.hooxTrigger' },
	});
	const result = await trigger.webhook.call(ctx);
	return { result, ctx };
}

export function completedPayload(
	assetId = '65a0c0ffee00000000000001',
	type = 'image',
): IDataObject {
	return {
		task: 'asset_generation',
		asset_id: assetId,
		status: 'completed',
		result: {
			asset_url: `https://cdn.example.org/assets/${assetId}.${type === 'video' ? 'mp4' : 'png'}`,
			asset_type: type,
			width: 1024,
			height: 1024,
			...(type === 'video' ? { duration_seconds: 5 } : {}),
		},
	};
}

export function failedPayload(assetId = '65a0c0ffee00000000000002'): IDataObject {
	return {
		task: 'asset_generation',
		asset_id: assetId,
		status: 'failed',
		error: { code: 'GENERATION_FAILED', message: 'The provider could not render this prompt' },
	};
}

/** The single item a delivery started the workflow with (fails the test if there is none). */
export function onlyItem(result: IWebhookResponseData) {
	expect(result.workflowData).toBeDefined();
	expect(result.workflowData).toHaveLength(1);
	expect(result.workflowData![0]).toHaveLength(1);
	return result.workflowData![0][0];
}
