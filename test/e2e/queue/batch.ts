/**
 * The scheduled-batch shape for production runs in queue mode: Webhook (production URL, answered
 * at once) → Split Out (one item per entry of the body's `items`) → Hoox Generate → No Op.
 * A production webhook is what a queue-mode deployment runs: the webhook process enqueues the
 * execution and a worker runs it. Each item sets its own emulator duration (`ms`).
 */
import { randomUUID } from 'node:crypto';

import { until, type ExecutionSummary } from '../../../harness/n8n';
import type { QueueContext } from '../harness/queueJest';

export const HOOX = 'Hoox';
export const AFTER = 'After';

export interface BatchOptions {
	name: string;
	path: string;
	waitMode: 'poll' | 'resume';
	generationCount: number;
}

export function batchWorkflow(ctx: QueueContext, o: BatchOptions) {
	const node = (name: string, type: string, x: number, extra: Record<string, unknown> = {}) => ({
		id: randomUUID(),
		name,
		type,
		position: [x, 0],
		typeVersion: 1,
		parameters: {},
		...extra,
	});
	return {
		name: o.name,
		nodes: [
			node('Batch', 'n8n-nodes-base.webhook', 0, {
				typeVersion: 2,
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: o.path, responseMode: 'onReceived', options: {} },
			}),
			node('Items', 'n8n-nodes-base.splitOut', 220, {
				parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
			}),
			node(HOOX, 'n8n-nodes-hoox.hoox', 440, {
				credentials: ctx.credentials,
				parameters: {
					resource: 'asset',
					operation: 'generate',
					type: 'image',
					model: { __rl: true, mode: 'id', value: 'gpt-image-2' },
					prompt: '={{ $json.prompt }}',
					modelParameters: { mappingMode: 'defineBelow', value: null },
					generationCount: o.generationCount,
					additionalFields: {
						additionalBodyFields:
							'={{ JSON.stringify({ x_emulator: { duration_ms: $json.ms } }) }}',
					},
					options: { waitMode: o.waitMode, pollIntervalMin: 0.5, pollIntervalMax: 2 },
				},
			}),
			node(AFTER, 'n8n-nodes-base.noOp', 660),
		],
		connections: {
			Batch: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: HOOX, type: 'main', index: 0 }]] },
			[HOOX]: { main: [[{ node: AFTER, type: 'main', index: 0 }]] },
		},
	};
}

/** Creates and activates the workflow; waits until its production URL answers through the proxy. */
export async function deployBatch(ctx: QueueContext, o: BatchOptions): Promise<string> {
	const wf = await ctx.n8n.createWorkflow(batchWorkflow(ctx, o));
	await ctx.n8n.activate(wf.id);
	await until(
		`webhook ${o.path} to be live behind the proxy`,
		async () => {
			// Both webhook processes must know it: probe twice (round robin).
			const probes = await Promise.all(
				[0, 1].map(async () => (await fetch(ctx.s.webhookUrl(o.path))).text()),
			);
			return probes.every((t) => t.includes('Did you mean to make'));
		},
		{ timeoutMs: 30_000, intervalMs: 300 },
	);
	return wf.id;
}

/** POSTs a batch of `count` items (each generating for `ms`) to the production URL. */
export async function postBatch(
	ctx: QueueContext,
	path: string,
	count: number,
	ms: (i: number) => number,
): Promise<void> {
	const items = Array.from({ length: count }, (_, i) => ({
		i,
		ms: ms(i),
		prompt: `Queue-mode batch item ${i}: a lighthouse at dawn`,
	}));
	const res = await fetch(ctx.s.webhookUrl(path), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	if (res.status !== 200) throw new Error(`POST ${path} -> ${res.status} ${await res.text()}`);
}

/** Waits for `n` executions of a workflow and then for each to finish. */
export async function waitForExecutions(
	ctx: QueueContext,
	workflowId: string,
	n: number,
	timeoutMs: number,
	statuses?: string[],
): Promise<ExecutionSummary[]> {
	const list = await until(
		`${n} executions of workflow ${workflowId}`,
		async () => {
			const all = await ctx.n8n.listExecutions(workflowId);
			return all.length >= n ? all : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 500 },
	);
	const out: ExecutionSummary[] = [];
	try {
		for (const e of list) out.push(await ctx.n8n.waitForExecution(e.id, { timeoutMs, statuses }));
	} catch (error) {
		// what Hoox's callbacks got back tells why an execution still waits
		(error as Error).message += `; callback answers: ${deliverySummary(ctx)}`;
		throw error;
	}
	return out;
}

/** "200×180, 503×12 (dropped 3), timeout×4" over every webhook delivery of the emulator. */
export function deliverySummary(ctx: QueueContext): string {
	const counts = new Map<string, number>();
	let dropped = 0;
	for (const d of ctx.emulator.webhookDeliveries()) {
		const key = String(d.status ?? d.error);
		counts.set(key, (counts.get(key) ?? 0) + 1);
		if (d.outcome === 'dropped') dropped++;
	}
	const list = [...counts].map(([k, n]) => `${k}×${n}`).join(', ');
	return `${list || 'none'}${dropped ? ` (dropped ${dropped})` : ''}`;
}

/** The API requests of the emulator since `sinceSeq` (exclusive). */
export function apiRequestsSince(ctx: QueueContext, sinceSeq: number) {
	return ctx.emulator.requests({ kind: 'api' }).filter((r) => r.seq > sinceSeq);
}

export function lastSeq(ctx: QueueContext): number {
	return Math.max(0, ...ctx.emulator.requests().map((r) => r.seq));
}

/** Asset ids debited since the ledger had `sinceEntries` entries. */
export function chargedSince(ctx: QueueContext, sinceEntries: number): string[] {
	return ctx.emulator
		.ledger()
		.slice(sinceEntries)
		.filter((e) => e.kind === 'debit')
		.flatMap((e) => e.asset_ids);
}

/** How many times each execution was started by a worker (1 + the number of resumes). */
export function workerStarts(ctx: QueueContext): Map<string, number> {
	const counts = new Map<string, number>();
	for (const w of ctx.s.workers) {
		for (const id of w.startedExecutions()) counts.set(id, (counts.get(id) ?? 0) + 1);
	}
	return counts;
}
