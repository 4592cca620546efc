/**
 * A loopback stand-in for n8n's webhook server, for one workflow that starts with a Hoox Trigger:
 * a POST to /webhook/<webhookId>/<path> runs the trigger's webhook() in n8n-core's WebhookContext
 * and, when it returns items, the rest of the workflow through WorkflowExecute.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookContext } from 'n8n-core';
import type { INode, IWebhookData, IWebhookDescription, IWebhookResponseData } from 'n8n-workflow';

import { prepareExecution, runWorkflow, type RunOptions, type RunResult } from './harness';
import type { WorkflowJson } from './harness';

export interface Delivery {
	path: string;
	status: number;
	body: unknown;
	/** The execution the delivery started, if it started one. */
	result?: RunResult;
}

export interface WebhookReceiver {
	/** http://127.0.0.1:PORT — give it to the sending workflow as its n8n address. */
	origin: string;
	deliveries: Delivery[];
	/** Resolves when `count` deliveries have been handled (executions included). */
	handled(count: number): Promise<Delivery[]>;
	close(): Promise<void>;
}

/** The express-like request and response n8n hands to a webhook, over node:http. */
function expressLike(req: IncomingMessage, raw: Buffer, res: ServerResponse) {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	let body: unknown = {};
	try {
		body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
	} catch {
		body = raw.toString('utf8');
	}
	const request = {
		method: req.method,
		headers: req.headers,
		query: Object.fromEntries(url.searchParams),
		params: {},
		body,
		rawBody: raw,
	};
	const response = {
		status(code: number) {
			res.statusCode = code;
			return response;
		},
		setHeader(name: string, value: string) {
			res.setHeader(name, value);
			return response;
		},
		json(payload: unknown) {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(payload));
			return response;
		},
		send(payload: unknown) {
			res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
			return response;
		},
		end(payload?: string) {
			res.end(payload);
			return response;
		},
	};
	return { request, response, path: url.pathname };
}

async function handle(
	json: WorkflowJson,
	trigger: INode,
	webhooks: IWebhookDescription[],
	options: RunOptions,
	req: IncomingMessage,
	raw: Buffer,
	res: ServerResponse,
): Promise<Delivery> {
	const { request, response, path } = expressLike(req, raw, res);
	const description = webhooks.find(
		(webhook) => path === `/webhook/${trigger.webhookId}/${webhook.path}`,
	);
	if (!description || req.method !== description.httpMethod) {
		res.statusCode = 404;
		res.end();
		return { path, status: 404, body: undefined };
	}
	const prepared = await prepareExecution(json, { ...options, mode: 'webhook' });
	Object.assign(prepared.additionalData, { httpRequest: request, httpResponse: response });
	const webhookData = {
		httpMethod: description.httpMethod,
		node: trigger.name,
		path: description.path,
		webhookDescription: description,
		workflowId: prepared.workflow.id,
		workflowExecuteAdditionalData: prepared.additionalData,
		webhookId: trigger.webhookId,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		prepared.workflow,
		trigger,
		prepared.additionalData,
		'webhook',
		webhookData,
		[],
		null,
	);
	const nodeType = prepared.workflow.nodeTypes.getByNameAndVersion(
		trigger.type,
		trigger.typeVersion,
	);
	const answer = (await nodeType.webhook!.call(context)) as IWebhookResponseData;
	// responseMode "onReceived": n8n answers 200 unless the node answered already
	if (!res.writableEnded) response.status(200).json({ message: 'Workflow was started' });
	const delivery: Delivery = { path, status: res.statusCode, body: request.body };
	if (answer.workflowData?.[0]?.length) {
		delivery.result = await runWorkflow(
			json,
			{ ...options, mode: 'webhook', startNode: trigger.name, startItems: answer.workflowData[0] },
			prepared,
		);
	}
	return delivery;
}

/** Serves `json`'s Hoox Trigger on a free loopback port. */
export async function startWebhookReceiver(
	json: WorkflowJson,
	triggerName: string,
	options: RunOptions,
): Promise<WebhookReceiver> {
	const trigger = json.nodes.find((node) => node.name === triggerName);
	if (!trigger?.webhookId)
		throw new Error(`${triggerName} is not a webhook trigger of the workflow`);
	const { workflow } = await prepareExecution(json, options);
	const webhooks = workflow.nodeTypes.getByNameAndVersion(trigger.type).description.webhooks ?? [];
	const deliveries: Delivery[] = [];
	const waiting: Array<() => void> = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			handle(json, trigger, webhooks, options, req, Buffer.concat(chunks), res)
				.catch((error: unknown) => {
					if (!res.writableEnded) res.writeHead(500).end(String(error));
					return { path: req.url ?? '', status: 500, body: String(error) };
				})
				.then((delivery) => {
					deliveries.push(delivery);
					waiting.splice(0).forEach((wake) => wake());
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		deliveries,
		async handled(count) {
			while (deliveries.length < count) await new Promise<void>((wake) => waiting.push(wake));
			return deliveries.slice(0, count);
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
