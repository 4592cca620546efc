/**
 * A stand-in for n8n's webhook endpoint: a loopback HTTP server that hands every POST to the
 * Hoox Trigger's webhook() (through the shared test context) and answers what the node wrote to
 * the response object — or n8n's default answer when it wrote nothing. The emulator can then
 * deliver its real webhooks to the trigger.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';

import {
	createWebhookContext,
	type Credentials,
	type TestWebhookFunctions,
} from '../../../harness/n8nContext';
import { trigger, WEBHOOK_URL } from './helpers';

export interface Received {
	query: IDataObject;
	body: unknown;
	status: number;
	result: IWebhookResponseData;
	ctx: TestWebhookFunctions;
	/** 'answered' and 'download <url>' in the order they happened. */
	events: string[];
}

export interface TriggerServer {
	/** http://127.0.0.1:PORT/webhook/hoox */
	url: string;
	received: Received[];
	/** Static data shared by every delivery, as n8n keeps it for an active workflow. */
	staticData: IDataObject;
	parameters: Record<string, unknown>;
	close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export async function startTriggerServer(
	credentials: Credentials,
	parameters: Record<string, unknown>,
	binaryMode?: 'default' | 'filesystem',
): Promise<TriggerServer> {
	const received: Received[] = [];
	const state: TriggerServer = {
		url: '',
		received,
		staticData: {},
		parameters,
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	const server: Server = createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const rawBody = await readBody(req);
			const text = rawBody.toString('utf8');
			let body: unknown = {};
			if (/json/.test(String(req.headers['content-type'] ?? ''))) {
				try {
					body = JSON.parse(text);
				} catch {
					body = text;
				}
			}
			const query = Object.fromEntries(url.searchParams.entries());
			const ctx = createWebhookContext({
				parameters: state.parameters,
				credentials,
				request: { body, headers: req.headers as Record<string, string>, query, rawBody },
				webhookUrl: WEBHOOK_URL,
				staticData: state.staticData,
				binaryMode,
				node: { name: 'Hoox Trigger', type: 'n8n-nodes-hoox.hooxTrigger' },
			});
			const events: string[] = [];
			// As in n8n, getResponseObject() is the live response: what the node writes goes out now.
			const recorded = ctx.getResponseObject();
			let status = 200;
			const live = {
				status(code: number) {
					status = code;
					recorded.status(code);
					return live;
				},
				setHeader(name: string, value: string) {
					recorded.setHeader(name, value);
					res.setHeader(name, value);
					return live;
				},
				json(payload: unknown) {
					recorded.json(payload);
					events.push('answered');
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(payload));
					return live;
				},
			};
			(ctx as unknown as { getResponseObject: () => unknown }).getResponseObject = () => live;
			const helpers = ctx.helpers as unknown as {
				httpRequest: (o: { url: string }) => Promise<unknown>;
			};
			const httpRequest = helpers.httpRequest.bind(helpers);
			helpers.httpRequest = async (options) => {
				events.push(`download ${options.url}`);
				return await httpRequest(options);
			};
			const result = await trigger.webhook.call(ctx);
			if (!res.writableEnded) {
				// n8n's own answer when the node wrote none (onReceived)
				events.push('answered');
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: 'Workflow was started' }));
			}
			received.push({ query, body, status, result, ctx, events });
		} catch (error) {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: String(error) }));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/hoox`;
	return state;
}

/** Waits (polling, no timed assertion) until `predicate` holds; fails after `limitMs`. */
export async function until(
	predicate: () => boolean,
	limitMs = 8000,
	what = 'condition',
): Promise<void> {
	const start = Date.now();
	while (!predicate()) {
		if (Date.now() - start > limitMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
