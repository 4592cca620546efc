/**
 * The scheduled batch scaled up, in n8n queue mode (main + 2 workers + 2 webhook processes behind
 * a round-robin proxy, PostgreSQL, Redis): 200 generations polled, 200 generations parked in
 * Resume on Webhook mode, and Resume on Webhook with every callback delivered to BOTH webhook
 * processes at once. Asserted on n8n's executions, the workers' logs and the emulator's request
 * log, webhook deliveries and ledger.
 */
import { until, type ExecutionSummary } from '../../../harness/n8n';
import { describeQueue, type QueueContext } from '../harness/queueJest';
import {
	AFTER,
	apiRequestsSince,
	chargedSince,
	deployBatch,
	lastSeq,
	postBatch,
	waitForExecutions,
	workerStarts,
} from './batch';

jest.setTimeout(300_000);

/** Every output item of `After` across executions: completed, each asset once. */
function expectAllCompleted(executions: ExecutionSummary[], assets: number): string[] {
	for (const e of executions)
		expect({ id: e.id, status: e.status }).toEqual({ id: e.id, status: 'success' });
	const items = executions.flatMap((e) => e.nodes[AFTER] ?? []);
	expect(items).toHaveLength(assets);
	expect(items.filter((j) => j.status !== 'completed' || typeof j.url !== 'string')).toEqual([]);
	const ids = items.map((j) => String(j.asset_id));
	expect(new Set(ids).size).toBe(assets);
	return ids;
}

/** Each execution ran on a worker, never on main; returns the workers used. */
function expectRanOnWorkers(ctx: QueueContext, executions: ExecutionSummary[]): string[] {
	const byWorker = ctx.s.executionWorkers();
	const used = executions.map((e) => byWorker.get(e.id));
	expect(used.filter((w) => w === undefined)).toEqual([]);
	expect(ctx.n8n.log()).not.toMatch(/Worker started execution/);
	return [...new Set(used as string[])].sort();
}

describeQueue(
	'batch of 200 generations',
	(ctx) => {
		it('poll mode: 50 items × 4 in one production execution on a worker, every asset completed, 200 charges', async () => {
			const wf = await deployBatch(ctx, {
				name: 'queue: batch poll',
				path: 'queue-batch-poll',
				waitMode: 'poll',
				generationCount: 4,
			});
			const seq = lastSeq(ctx);
			const ledger = ctx.emulator.ledger().length;
			const t0 = Date.now();
			await postBatch(ctx, 'queue-batch-poll', 50, (i) => 3000 + (i % 10) * 300);
			const executions = await waitForExecutions(ctx, wf, 1, 240_000);
			const wallMs = Date.now() - t0;

			const ids = expectAllCompleted(executions, 200);
			const charged = chargedSince(ctx, ledger);
			expect(charged).toHaveLength(200);
			expect(new Set(charged)).toEqual(new Set(ids));
			const requests = apiRequestsSince(ctx, seq);
			expect(requests.filter((r) => r.path === '/asset/start')).toHaveLength(50);
			const workers = expectRanOnWorkers(ctx, executions);
			ctx.report(
				`poll 50×4: ${ids.length}/200 completed, ${charged.length} charges, wall ${(wallMs / 1000).toFixed(1)} s, ` +
					`${requests.length} API calls (${(requests.length / 200).toFixed(2)} per asset), ran on ${workers.join(', ')}`,
			);
		});

		it('Resume on Webhook: 5 executions × 10 items × 4 park, the callbacks through the proxy resume each once, 200 charges', async () => {
			const wf = await deployBatch(ctx, {
				name: 'queue: batch resume',
				path: 'queue-batch-resume',
				waitMode: 'resume',
				generationCount: 4,
			});
			const seq = lastSeq(ctx);
			const ledger = ctx.emulator.ledger().length;
			const deliveriesBefore = ctx.emulator.webhookDeliveries().length;
			const t0 = Date.now();
			for (let b = 0; b < 5; b++) {
				await postBatch(ctx, 'queue-batch-resume', 10, (i) => 4000 + ((i + b) % 5) * 400);
			}
			const executions = await waitForExecutions(ctx, wf, 5, 240_000);
			const wallMs = Date.now() - t0;

			const ids = expectAllCompleted(executions, 200);
			for (const e of executions) {
				expect(e.nodes[AFTER]).toHaveLength(40);
				// parked: the node ran, then its resumed run gave the items
				expect((e.data as any).resultData.runData.Hoox.length).toBeGreaterThanOrEqual(1);
			}
			const charged = chargedSince(ctx, ledger);
			expect(charged).toHaveLength(200);
			expect(new Set(charged)).toEqual(new Set(ids));
			// started once by a worker and resumed exactly once
			const starts = workerStarts(ctx);
			expect(executions.map((e) => starts.get(e.id))).toEqual(executions.map(() => 2));
			const workers = expectRanOnWorkers(ctx, executions);
			const requests = apiRequestsSince(ctx, seq);
			const deliveries = ctx.emulator.webhookDeliveries().slice(deliveriesBefore);
			const proxied = ctx.s.proxy.log().filter((r) => r.path.startsWith('/webhook-waiting/'));
			const perProcess = [0, 1].map((u) => proxied.filter((r) => r.upstream === u).length);
			ctx.report(
				`resume 5×(10×4): ${ids.length}/200 completed, ${charged.length} charges, resumes per execution ` +
					`${executions.map((e) => (starts.get(e.id) ?? 0) - 1).join('/')}, wall ${(wallMs / 1000).toFixed(1)} s, ` +
					`${requests.length} API calls (${(requests.length / 200).toFixed(2)} per asset), ` +
					`${deliveries.length} callback attempts (${perProcess.join(' + ')} per webhook process), ran on ${workers.join(', ')}`,
			);
		});

		it('Resume on Webhook with every callback delivered to both webhook processes at once: each execution resumes exactly once, every asset once', async () => {
			const wf = await deployBatch(ctx, {
				name: 'queue: resume fan-out',
				path: 'queue-resume-fanout',
				waitMode: 'resume',
				generationCount: 2,
			});
			const { proxy, webhookProcesses } = ctx.s;
			ctx.emulator.setWebhookFanout((url) =>
				url.startsWith(proxy.url)
					? webhookProcesses.map((p) => p.baseUrl + url.slice(proxy.url.length))
					: [url],
			);
			const ledger = ctx.emulator.ledger().length;
			const deliveriesBefore = ctx.emulator.webhookDeliveries().length;
			try {
				// All assets of an execution finish together: their callbacks race on both processes.
				for (let b = 0; b < 6; b++) await postBatch(ctx, 'queue-resume-fanout', 4, () => 3000);
				const executions = await waitForExecutions(ctx, wf, 6, 120_000);
				const ids = expectAllCompleted(executions, 48);
				for (const e of executions) expect(e.nodes[AFTER]).toHaveLength(8);
				expect(chargedSince(ctx, ledger)).toHaveLength(48);
				const starts = workerStarts(ctx);
				const resumes = executions.map((e) => (starts.get(e.id) ?? 0) - 1);
				expect(resumes).toEqual(executions.map(() => 1));

				// an attempt is logged once answered (or timed out): wait for both first attempts of each
				const deliveries = await until(
					'the first attempt at both webhook processes of every callback to be answered',
					async () => {
						const first = ctx.emulator
							.webhookDeliveries()
							.slice(deliveriesBefore)
							.filter((d) => d.attempt === 1);
						return first.length >= 2 * ids.length ? first : undefined;
					},
					{ timeoutMs: 30_000, intervalMs: 250 },
				);
				for (const id of ids) {
					const targets = deliveries
						.filter((d) => d.asset_id === id)
						.map((d) => new URL(d.url).port);
					expect(targets.sort()).toEqual(webhookProcesses.map((p) => String(p.port)).sort());
				}
				const statuses = ctx.emulator
					.webhookDeliveries()
					.slice(deliveriesBefore)
					.map((d) => d.status ?? d.error);
				ctx.report(
					`resume with each callback sent to both webhook processes (6 executions × 8 assets): ` +
						`resumes per execution ${resumes.join('/')}, ${ids.length}/48 assets once each, ` +
						`callback answers ${summarize(statuses)}`,
				);
			} finally {
				ctx.emulator.setWebhookFanout(undefined);
			}
		});
	},
	{ label: 'queue-batch', emulator: { rateLimitPerMinute: 0 } },
);

function summarize(values: Array<string | number | undefined>): string {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
	return [...counts].map(([k, n]) => `${k}×${n}`).join(', ');
}
