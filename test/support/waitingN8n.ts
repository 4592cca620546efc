/**
 * A stand-in for n8n's waiting executions, for the Hoox node's Wait Mode "Resume on Webhook":
 *
 * - `FakeExecution`: one execution's custom data (with n8n-core's rules: 10 keys, key characters,
 *   values cut at 512 characters, keys over the limit silently dropped, invalid keys throw in
 *   manual mode), its execution-stack entry (what n8n passes on when the wait limit passes) and
 *   its status (running → waiting → success).
 * - `createResumeExecuteContext` / `createResumeWebhookContext`: the fake contexts of n8nContext.ts
 *   plus custom data the way n8n 2.x (`this.customData`) or 1.x (`$execution.customData` through
 *   the data proxy / expressions) exposes it, and `getExecuteData()`.
 * - `startWaitingN8n`: a loopback HTTP server that answers Hoox's callbacks like n8n's
 *   `/webhook-waiting/<executionId>` route: 401 without the resume token (2.x style), 409 while the
 *   execution runs or once it finished, 404 for an unknown execution, else it runs the node's
 *   webhook() and writes its answer; a returned workflowData resumes the execution.
 *
 * The real n8n versions are covered by test/e2e/resume.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	IDataObject,
	IExecuteData,
	INodeExecutionData,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	createExecuteContext,
	createWebhookContext,
	type ContextOptions,
	type Credentials,
	type TestExecuteFunctions,
	type TestWebhookFunctions,
} from '../../harness/n8nContext';

/** How the context exposes custom data: like n8n 2.x, like 1.x, or not at all. */
export type Flavor = 'v2' | 'v1' | 'none';

const KV_LIMIT = 10;

export class FakeExecution {
	readonly id: string;
	readonly token: string;
	readonly flavor: Flavor;
	status: 'running' | 'waiting' | 'success' = 'running';
	metadata: Record<string, string> = {};
	/** The node's parameters, as n8n hands them to webhook() on resume. */
	parameters?: Record<string, unknown>;
	/** The node's execution-stack entry (its data is what follows if the wait limit passes). */
	readonly stackEntry: IExecuteData;
	waitTill?: Date;
	/** The items webhook() resumed the execution with (set once). */
	output?: INodeExecutionData[];
	/** How many webhook() calls returned workflowData (must stay ≤ 1). */
	resumes = 0;
	/** Every callback n8n received, with its answer. */
	readonly calls: Array<{ assetId?: string; status: number; body: unknown; resumed: boolean }> = [];
	readonly mode: string;
	private resolveResumed!: (items: INodeExecutionData[]) => void;
	readonly resumed: Promise<INodeExecutionData[]>;
	baseUrl = 'http://127.0.0.1:5678';
	signed = true;

	constructor(opts: { flavor?: Flavor; mode?: string; input?: INodeExecutionData[] } = {}) {
		this.id = `${Date.now() % 1e9}${randomBytes(3).readUIntBE(0, 3)}`;
		this.token = randomBytes(32).toString('hex');
		this.flavor = opts.flavor ?? 'v2';
		this.mode = opts.mode ?? 'manual';
		this.stackEntry = {
			node: {
				id: 'n',
				name: 'Hoox',
				type: 'n8n-nodes-hoox.hoox',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			data: { main: [opts.input ?? [{ json: {} }]] },
			source: { main: [{ previousNode: 'Manual' }] },
		};
		this.resumed = new Promise((resolve) => {
			this.resolveResumed = resolve;
		});
	}

	get resumeUrl(): string {
		const base = `${this.baseUrl}/webhook-waiting/${this.id}`;
		return this.signed ? `${base}?signature=${this.token}` : base;
	}

	/** n8n-core's custom data, bound to this execution. */
	get customData() {
		const meta = this.metadata;
		const set = (key: string, value: unknown) => {
			if (!(key in meta) && Object.keys(meta).length >= KV_LIMIT) return;
			if (key.replace(/[\p{L}\p{N}\p{M}_]/gu, '').length !== 0) {
				const error = new Error(
					`Custom data key can only contain letters, numbers, and underscores (key "${key}")`,
				);
				if (this.mode === 'manual') throw error;
				return;
			}
			if (typeof value !== 'string' && typeof value !== 'number') {
				if (this.mode === 'manual')
					throw new Error(`Custom data value of "${key}" must be a string or number`);
				return;
			}
			meta[key.slice(0, 50)] = String(value).slice(0, 512);
		};
		return {
			set,
			setAll: (values: Record<string, string>) => {
				for (const [k, v] of Object.entries(values)) set(k, v);
			},
			get: (key: string) => meta[key],
			getAll: () => ({ ...meta }),
		};
	}

	/** What n8n does after execute() returned: parked if it asked to wait. */
	afterExecute(): void {
		if (this.waitTill && this.status === 'running') this.status = 'waiting';
	}

	/** What follows when the wait limit passes (n8n runs the node disabled: its stack data). */
	timeoutOutput(): INodeExecutionData[] {
		return (this.stackEntry.data.main[0] ?? []) as INodeExecutionData[];
	}

	markResumed(items: INodeExecutionData[]): void {
		this.status = 'success';
		this.output = items;
		this.resolveResumed(items);
	}
}

function withCustomData<T extends object>(
	ctx: T,
	execution: FakeExecution,
	kind: 'execute' | 'webhook',
): T {
	if (execution.flavor === 'v2') {
		Object.defineProperty(ctx, 'customData', {
			get: () => execution.customData,
			configurable: true,
		});
	} else if (execution.flavor === 'v1' && kind === 'execute') {
		(ctx as any).getWorkflowDataProxy = () => ({
			$execution: {
				id: execution.id,
				resumeUrl: execution.resumeUrl,
				customData: execution.customData,
			},
		});
	}
	const evaluate = (ctx as any).evaluateExpression as
		((e: string, i?: number) => unknown) | undefined;
	(ctx as any).evaluateExpression = (expression: string, itemIndex?: number) => {
		const text = expression.replace(/^=/, '').trim();
		if (/^\{\{\s*\$execution\.resumeUrl\s*\}\}$/.test(text)) return execution.resumeUrl;
		if (/^\{\{\s*\$execution\.id\s*\}\}$/.test(text)) return execution.id;
		if (/^\{\{\s*JSON\.stringify\(\$execution\.customData\.getAll\(\)\)\s*\}\}$/.test(text)) {
			if (execution.flavor === 'none')
				throw new Error("Cannot read properties of undefined (reading 'getAll')");
			return JSON.stringify(execution.customData.getAll());
		}
		if (evaluate) return evaluate(expression, itemIndex);
		throw new Error(`Test context cannot evaluate ${expression}`);
	};
	return ctx;
}

export function createResumeExecuteContext(
	options: ContextOptions,
	execution: FakeExecution,
): TestExecuteFunctions {
	const ctx = createExecuteContext({
		resumeUrl: execution.resumeUrl,
		executionId: execution.id,
		mode: execution.mode,
		...options,
	});
	const record = ctx.putExecutionToWait.bind(ctx);
	(ctx as any).putExecutionToWait = async (waitTill: Date) => {
		await record(waitTill);
		execution.waitTill = waitTill;
	};
	(ctx as any).getExecuteData = () => execution.stackEntry;
	return withCustomData(ctx, execution, 'execute');
}

export function createResumeWebhookContext(
	execution: FakeExecution,
	options: ContextOptions & { node?: ContextOptions['node'] },
): TestWebhookFunctions {
	const ctx = createWebhookContext({ executionId: execution.id, mode: execution.mode, ...options });
	return withCustomData(ctx, execution, 'webhook');
}

export interface WaitingN8n {
	baseUrl: string;
	/** Registers an execution (its resume URL then points at this server). */
	add(execution: FakeExecution): FakeExecution;
	close(): Promise<void>;
}

type WebhookFn = (this: TestWebhookFunctions) => Promise<IWebhookResponseData>;

/** The `/webhook-waiting/<id>` route of n8n, calling `webhook` of the node under test. */
export async function startWaitingN8n(opts: {
	webhook: WebhookFn;
	credentials: Credentials;
	node?: ContextOptions['node'];
}): Promise<WaitingN8n> {
	const executions = new Map<string, FakeExecution>();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			void (async () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const send = (status: number, body: unknown) => {
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body ?? {}));
				};
				const match = /^\/webhook-waiting\/([^/]+)\/?$/.exec(url.pathname);
				const execution = match ? executions.get(match[1]) : undefined;
				const raw = Buffer.concat(chunks);
				let body: unknown = raw.toString('utf8');
				try {
					body = JSON.parse(body as string);
				} catch {
					// not JSON: the node sees the text
				}
				const assetId =
					body && typeof body === 'object'
						? String((body as IDataObject).asset_id ?? '')
						: undefined;
				const record = (status: number, answer: unknown, resumed = false) => {
					execution?.calls.push({ assetId, status, body: answer, resumed });
					send(status, answer);
				};
				if (!execution) return send(404, { message: 'The execution does not exist.' });
				if (execution.signed && url.searchParams.get('signature') !== execution.token) {
					return record(401, { error: 'Invalid token' });
				}
				if (execution.status === 'running')
					return record(409, { message: `The execution "${execution.id}" is running already.` });
				if (execution.status === 'success') {
					return record(409, { message: `The execution "${execution.id} has finished already.` });
				}
				const query = Object.fromEntries(url.searchParams.entries());
				const ctx = createResumeWebhookContext(execution, {
					credentials: opts.credentials,
					node: opts.node,
					parameters: execution.parameters,
					request: {
						body,
						query,
						headers: Object.fromEntries(
							Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
						),
						rawBody: raw,
					},
				});
				let result: IWebhookResponseData;
				try {
					result = await opts.webhook.call(ctx);
				} catch (error) {
					return record(500, { message: `webhook() threw: ${(error as Error).message}` });
				}
				const answer = ctx.recorder.response;
				const resumed = !!result.workflowData;
				if (resumed) {
					execution.resumes++;
					if (execution.status === 'waiting') execution.markResumed(result.workflowData![0]);
				}
				if (result.noWebhookResponse && answer.ended)
					return record(answer.status ?? 200, answer.body, resumed);
				return record(200, { message: 'Workflow was started' }, resumed);
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		baseUrl,
		add(execution) {
			execution.baseUrl = baseUrl;
			executions.set(execution.id, execution);
			return execution;
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
