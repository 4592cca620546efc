/**
 * Queue mode when things go wrong:
 * - Hoox Trigger with every delivery sent to BOTH webhook processes at once, 100 distinct events:
 *   how many executions each event starts (the node has no store shared by the processes that
 *   could make this exactly once), and the idempotent downstream step the README recommends (an
 *   insert keyed on asset id + status, `ON CONFLICT DO NOTHING`) doing its work once per event;
 * - a worker SIGKILLed while executions are parked in Resume on Webhook mode: they resume on the
 *   other worker, nothing lost, nothing charged twice;
 * - a worker SIGKILLed while a poll-mode execution waits: what n8n does with it (not run again,
 *   marked crashed), nothing charged twice, and the charged asset ids are in the killed worker's log.
 */
import { randomUUID } from 'node:crypto';

import { TEST_API_KEY } from '../../../emulator';
import { until } from '../../../harness/n8n';
import { describeQueue, type QueueContext } from '../harness/queueJest';
import {
	AFTER,
	chargedSince,
	deployBatch,
	postBatch,
	waitForExecutions,
	workerStarts,
} from './batch';
import { triggerNode } from '../harness/workflows';

jest.setTimeout(300_000);

const TOKEN = 'queue-trigger-secret-7c1e5a9b3d2f4e6a';
const WEBHOOK_ID = 'c3a1e9d2-5b7f-4a6c-8e0d-2f4b6a8c0e1d';
const EVENTS = 100;

function triggerWorkflow(ctx: QueueContext, pgCredential: { id: string; name: string }) {
	const query =
		'WITH run AS (INSERT INTO hoox_runs(event_key, execution_id) ' +
		"VALUES ($1::text || ':' || $2::text, $3::text) RETURNING 1) " +
		"INSERT INTO hoox_events(event_key, execution_id) SELECT $1::text || ':' || $2::text, $3::text " +
		'ON CONFLICT DO NOTHING';
	return {
		name: 'queue: trigger with idempotent downstream',
		nodes: [
			triggerNode(ctx, 'Hoox Trigger', WEBHOOK_ID, TOKEN),
			{
				id: randomUUID(),
				name: 'Record once',
				type: 'n8n-nodes-base.postgres',
				typeVersion: 2.5,
				position: [220, 0],
				credentials: { postgres: pgCredential },
				parameters: {
					operation: 'executeQuery',
					query,
					options: {
						queryReplacement: '={{ $json.asset_id }},{{ $json.status }},{{ $execution.id }}',
					},
				},
			},
		],
		connections: { 'Hoox Trigger': { main: [[{ node: 'Record once', type: 'main', index: 0 }]] } },
	};
}

async function submitWithWebhook(
	ctx: QueueContext,
	webhookUrl: string,
	ms: number,
): Promise<string> {
	const res = await fetch(`${ctx.emulator.baseUrl}/asset/start`, {
		method: 'POST',
		headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			type: 'image',
			model: 'gpt-image-2',
			prompt: 'queue trigger',
			generation_count: 1,
			webhook_url: webhookUrl,
			x_emulator: { duration_ms: ms },
		}),
	});
	const json = (await res.json()) as { asset_ids: string[] };
	if (res.status >= 300) throw new Error(`POST /asset/start -> ${res.status}`);
	return json.asset_ids[0];
}

describeQueue(
	'failures',
	(ctx) => {
		it(`Hoox Trigger, each of ${EVENTS} events delivered to both webhook processes at once: executions per event, and the idempotent downstream records each event once`, async () => {
			const { postgres, proxy, webhookProcesses } = ctx.s;
			postgres.query('CREATE DATABASE downstream', 'postgres');
			postgres.query(
				'CREATE TABLE hoox_events (event_key text PRIMARY KEY, execution_id text NOT NULL); ' +
					'CREATE TABLE hoox_runs (event_key text NOT NULL, execution_id text NOT NULL)',
				'downstream',
			);
			const pg = await ctx.n8n.createCredential('Downstream DB', 'postgres', {
				host: '127.0.0.1',
				port: postgres.port,
				database: 'downstream',
				user: postgres.user,
				password: 'unused-trust-auth',
				ssl: 'disable',
			});
			const wf = await ctx.n8n.createWorkflow(triggerWorkflow(ctx, pg));
			await ctx.n8n.activate(wf.id);
			const path = `${WEBHOOK_ID}/hoox`;
			await until(
				'the trigger to be live on both webhook processes',
				async () => {
					const answers = await Promise.all(
						webhookProcesses.map(async (p) => (await fetch(`${p.baseUrl}/webhook/${path}`)).text()),
					);
					return answers.every((t) => t.includes('Did you mean to make'));
				},
				{ timeoutMs: 30_000 },
			);
			ctx.emulator.setWebhookFanout((url) =>
				url.startsWith(proxy.url)
					? webhookProcesses.map((p) => p.baseUrl + url.slice(proxy.url.length))
					: [url],
			);
			try {
				const url = `${ctx.s.webhookUrl(path)}?token=${TOKEN}`;
				const ids: string[] = [];
				for (let i = 0; i < EVENTS; i++)
					ids.push(await submitWithWebhook(ctx, url, 500 + (i % 20) * 50));
				const done = () =>
					Number(postgres.query('SELECT count(*) FROM hoox_events', 'downstream')[0]);
				await until(`${EVENTS} events recorded downstream`, async () => done() >= EVENTS, {
					timeoutMs: 120_000,
					intervalMs: 500,
				});
				// let every delivery be answered and every started execution finish
				await until(
					'every delivery answered',
					async () =>
						ctx.emulator
							.webhookDeliveries()
							.filter((d) => ids.includes(d.asset_id) && d.outcome !== 'retrying').length >=
						2 * EVENTS,
					{ timeoutMs: 60_000, intervalMs: 500 },
				);
				await until(
					'no execution of the trigger workflow still running',
					async () =>
						Number(
							postgres.query(
								`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${wf.id}' AND status IN ('new','running')`,
							)[0],
						) === 0,
					{ timeoutMs: 60_000, intervalMs: 500 },
				);

				const events = postgres.query('SELECT event_key FROM hoox_events ORDER BY 1', 'downstream');
				expect(events).toEqual(ids.map((id) => `${id}:completed`).sort());
				const runs = postgres.query(
					'SELECT event_key, count(*) FROM hoox_runs GROUP BY 1 ORDER BY 1',
					'downstream',
				);
				const perEvent = runs.map((r) => Number(r.split('|')[1]));
				const executions = Number(
					postgres.query(
						`SELECT count(*) FROM execution_entity WHERE "workflowId" = '${wf.id}'`,
					)[0],
				);
				const totalRuns = perEvent.reduce((a, b) => a + b, 0);
				expect(perEvent).toHaveLength(EVENTS);
				expect(perEvent.every((n) => n >= 1 && n <= 2)).toBe(true);
				expect(executions).toBe(totalRuns);
				const twice = perEvent.filter((n) => n === 2).length;
				ctx.report(
					`trigger, each event delivered to both webhook processes at once: ${EVENTS} events → ${executions} executions ` +
						`(${twice} events ran twice, ${((twice / EVENTS) * 100).toFixed(0)} %); downstream records: ${events.length} (once per event)`,
				);
			} finally {
				ctx.emulator.setWebhookFanout(undefined);
			}
		});

		it('a worker SIGKILLed while executions are parked: they resume on the other worker, every asset once, nothing charged twice', async () => {
			const wf = await deployBatch(ctx, {
				name: 'queue: parked while a worker dies',
				path: 'queue-kill-parked',
				waitMode: 'resume',
				generationCount: 2,
			});
			const ledger = ctx.emulator.ledger().length;
			for (let b = 0; b < 3; b++) await postBatch(ctx, 'queue-kill-parked', 4, () => 12_000);
			const parked = await waitForExecutions(ctx, wf, 3, 60_000, ['waiting']);
			const byWorker = ctx.s.executionWorkers();
			const victim = ctx.s.workers.find((w) => w.name === byWorker.get(parked[0].id))!;
			const survivors = ctx.s.workers.filter((w) => w !== victim);
			victim.signal('SIGKILL');
			expect(await victim.exitedNow()).toBe(true);

			const done = await waitForExecutions(ctx, wf, 3, 120_000);
			for (const e of done) {
				expect(e.status).toBe('success');
				const items = e.nodes[AFTER] ?? [];
				expect(items).toHaveLength(8);
				expect(items.every((j) => j.status === 'completed')).toBe(true);
			}
			const ids = done.flatMap((e) => (e.nodes[AFTER] ?? []).map((j) => String(j.asset_id)));
			expect(new Set(ids).size).toBe(24);
			const charged = chargedSince(ctx, ledger);
			expect(new Set(charged)).toEqual(new Set(ids));
			expect(charged).toHaveLength(24);
			const resumedOn = done.map((e) =>
				survivors.filter((w) => w.startedExecutions().includes(e.id)).map((w) => w.name),
			);
			expect(resumedOn.every((names) => names.length === 1)).toBe(true);
			const starts = workerStarts(ctx);
			expect(done.map((e) => starts.get(e.id))).toEqual(done.map(() => 2));
			ctx.report(
				`worker ${victim.name} SIGKILLed with 3 executions parked: 3/3 resumed on ${[...new Set(resumedOn.flat())].join(', ')}, ` +
					`24/24 assets, ${charged.length} charges`,
			);
		});

		it('a worker SIGKILLed while a poll-mode execution waits: n8n does not run it again, nothing is charged twice, the charged asset ids are in its log', async () => {
			if (ctx.s.workers.filter((w) => w.isRunning()).length < 2) await ctx.s.startWorker();
			const wf = await deployBatch(ctx, {
				name: 'queue: polling while a worker dies',
				path: 'queue-kill-poll',
				waitMode: 'poll',
				generationCount: 2,
			});
			const ledger = ctx.emulator.ledger().length;
			await postBatch(ctx, 'queue-kill-poll', 2, () => 60_000);
			const [running] = await waitForExecutions(ctx, wf, 1, 30_000, ['running']);
			const charged = await until('4 assets charged', async () => {
				const ids = chargedSince(ctx, ledger);
				return ids.length >= 4 ? ids : undefined;
			});
			const victim = await until('the worker running it', async () =>
				ctx.s.workers.find((w) => w.isRunning() && w.startedExecutions().includes(running.id)),
			);
			const logBeforeKill = victim.log();
			victim.signal('SIGKILL');
			expect(await victim.exitedNow()).toBe(true);

			// n8n: the job's lock expires, a live worker finds it stalled and fails it (never re-runs
			// it: maxStalledCount 0), and main's queue recovery marks the execution crashed.
			const after = await ctx.n8n.waitForExecution(running.id, {
				timeoutMs: 120_000,
				statuses: ['crashed', 'error', 'success', 'canceled'],
			});
			expect(chargedSince(ctx, ledger)).toEqual(charged);
			const startsAfter = ctx.s.workers
				.filter((w) => w !== victim)
				.filter((w) => w.startedExecutions().includes(running.id));
			expect(startsAfter).toEqual([]);
			for (const id of charged) expect(logBeforeKill).toContain(id);
			ctx.report(
				`worker ${victim.name} SIGKILLed while a poll-mode execution waited: execution ${after.status}, ` +
					`not re-run, ${charged.length} charges (none twice), all ${charged.length} asset ids in the killed worker's log`,
			);
		});
	},
	{
		label: 'queue-failures',
		emulator: { rateLimitPerMinute: 0 },
		env: {
			// A killed worker's job is found stalled within seconds instead of minutes.
			QUEUE_WORKER_LOCK_DURATION: '8000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '4000',
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25',
		},
	},
);
