/**
 * Waiting for Hoox assets in a real n8n (`npm run bench:n8n`): the hand-built loop users build
 * today (bench/n8n/hand-loop.workflow.json), the Hoox node's Wait Mode Poll and Resume on Webhook,
 * side by side in one n8n 2.41.1 with the packed package, against the emulator. Prints Markdown
 * tables (stdout; progress on stderr). No assertion: `--quick` is a smoke run that prints the table.
 *
 *   npm run bench:n8n                 3 repetitions of every scenario (~20 minutes)
 *   npm run bench:n8n -- --quick      one short repetition (~2 minutes)
 *   options: --reps N, --only spread|scaling|shared, --json <file> (every run's figures)
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

import { startStack, sleep, type Stack } from '../../harness/n8n';
import { runFigures, type RunFigures } from './metrics';
import { renderTable, type Row } from './table';
import {
	AFTER,
	durations,
	handLoopWorkflow,
	hooxWorkflow,
	promptOf,
	type Variant,
} from './workflows';

interface Scenario {
	title: string;
	/** Items (one asset each), generation time and its spread. */
	sizes: number[];
	baseMs: number;
	spreadMs: number;
	variants: Variant[];
	rateLimitPerMinute: number;
	/** Executions started at once, sharing one API key (default 1). */
	executions?: number;
}

type ScenarioName = 'spread' | 'scaling' | 'shared';

function scenarios(quick: boolean): Record<ScenarioName, Scenario> {
	return quick
		? {
				spread: {
					title: '5 items, generation 4 s + 0–2 s spread, rate limit 100/min',
					sizes: [5],
					baseMs: 4000,
					spreadMs: 2000,
					variants: ['hand loop', 'poll', 'resume'],
					rateLimitPerMinute: 100,
				},
				scaling: {
					title: 'generation 3 s, no spread, rate limit 1000/min',
					sizes: [1, 5],
					baseMs: 3000,
					spreadMs: 0,
					variants: ['hand loop', 'poll'],
					rateLimitPerMinute: 1000,
				},
				shared: {
					title: '2 executions at once on one API key, 3 items each, 4 s + 0–2 s, 100/min',
					sizes: [3],
					baseMs: 4000,
					spreadMs: 2000,
					variants: ['poll'],
					rateLimitPerMinute: 100,
					executions: 2,
				},
			}
		: {
				spread: {
					title: '20 items, generation 20 s + 0–10 s spread, rate limit 100/min (as Hoox)',
					sizes: [20],
					baseMs: 20_000,
					spreadMs: 10_000,
					variants: ['hand loop', 'poll', 'resume'],
					rateLimitPerMinute: 100,
				},
				scaling: {
					// 100 submits alone would spend Hoox's 100/min: the limit is raised here, so the
					// table shows the waiting, not the submit queue.
					title: 'generation 15 s, no spread, rate limit 1000/min',
					sizes: [1, 10, 50, 100],
					baseMs: 15_000,
					spreadMs: 0,
					variants: ['hand loop', 'poll'],
					rateLimitPerMinute: 1000,
				},
				shared: {
					// 40 submits and the waits' reads of 4 executions: the key's 100/min is tight.
					title:
						'4 executions at once on one API key, 10 items each, generation 20 s + 0–10 s spread, rate limit 100/min',
					sizes: [10],
					baseMs: 20_000,
					spreadMs: 10_000,
					variants: ['poll'],
					rateLimitPerMinute: 100,
					executions: 4,
				},
			};
}

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
}

const newKey = () => `hx_live_${randomBytes(32).toString('hex')}`;

/**
 * One run of one variant: `executions` workflows started at once, sharing one new API key (its
 * own rate-limit window); the figures of each execution.
 */
async function runGroup(
	stack: Stack,
	variant: Variant,
	durationsMs: number[],
	label: string,
	executions = 1,
): Promise<RunFigures[]> {
	const emulator = stack.emulator!;
	const key = newKey();
	const credential =
		variant === 'hand loop'
			? await stack.n8n.createCredential(label, 'httpHeaderAuth', {
					name: 'Authorization',
					value: `Bearer ${key}`,
				})
			: await stack.n8n.createCredential(label, 'hooxApi', {
					apiKey: key,
					baseUrl: stack.hoox.baseUrl,
				});
	const names = Array.from({ length: executions }, (_, n) =>
		executions > 1 ? `bench ${label}, execution ${n + 1}` : `bench ${label}`,
	);
	const workflows = [];
	for (const name of names) {
		const wf =
			variant === 'hand loop'
				? handLoopWorkflow(name, stack.hoox.baseUrl, credential, durationsMs)
				: hooxWorkflow(name, variant, credential, durationsMs);
		workflows.push(await stack.n8n.createWorkflow(wf));
	}
	const sinceSeq = Math.max(0, ...emulator.requests().map((r) => r.seq));
	const started = await Promise.all(workflows.map((wf) => stack.n8n.startManualRun(wf.id)));
	const done = await Promise.all(
		started.map((s) => stack.n8n.waitForExecution(s.executionId!, { timeoutMs: 600_000 })),
	);
	for (const execution of done) {
		if (execution.status !== 'success') {
			throw new Error(
				`${label}: execution ${execution.id} ended ${execution.status}: ${execution.error}`,
			);
		}
	}
	// Late callbacks (answers after the resume) belong to this run's figures.
	if (variant === 'resume') await sleep(2000);
	return done.map((execution, n) =>
		runFigures({
			emulator,
			execution,
			afterNode: AFTER,
			sinceSeq,
			keyTail: key.slice(-4),
			prompt: promptOf(names[n]),
			sharing: executions,
		}),
	);
}

async function runScenario(stack: Stack, scenario: Scenario, reps: number): Promise<Row[]> {
	const rows: Row[] = [];
	for (const size of scenario.sizes) {
		const durationsMs = durations(size, scenario.baseMs, scenario.spreadMs);
		stack.emulator!.setRateLimit(scenario.rateLimitPerMinute);
		const runs = new Map<Variant, RunFigures[]>(scenario.variants.map((v) => [v, []]));
		for (let rep = 1; rep <= reps; rep++) {
			for (const variant of scenario.variants) {
				const label = `${variant}, ${size} items, rep ${rep}`;
				const group = await runGroup(stack, variant, durationsMs, label, scenario.executions);
				for (const figures of group) {
					process.stderr.write(
						`${label}: wall ${(figures.wallMs / 1000).toFixed(1)} s / slowest ${(figures.slowestMs / 1000).toFixed(1)} s, ` +
							`${figures.callsPerAsset.toFixed(2)} calls/asset, ${figures.rateLimited} × 429\n`,
					);
				}
				runs.get(variant)!.push(...group);
			}
		}
		for (const variant of scenario.variants) {
			rows.push({ size, variant, runs: runs.get(variant)!, executions: scenario.executions });
		}
	}
	return rows;
}

function header(quick: boolean, reps: number): string {
	const commit = (() => {
		try {
			return execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
		} catch {
			return 'unknown';
		}
	})();
	const cpu = cpus();
	return (
		`n8n bench${quick ? ' (--quick)' : ''}: ${new Date().toISOString()}, commit ${commit}, ` +
		`n8n 2.41.1, ${reps} repetition(s), bench process Node ${process.version}, ` +
		`${cpu.length} × ${cpu[0]?.model ?? 'CPU'}`
	);
}

async function main() {
	const quick = process.argv.includes('--quick');
	const reps = Number(option('reps') ?? (quick ? 1 : 3));
	const only = option('only');
	const all = scenarios(quick);
	const chosen = (Object.keys(all) as Array<keyof typeof all>).filter((k) => !only || k === only);
	const stack = await startStack({
		major: '2',
		label: 'bench',
		emulator: { rateLimitPerMinute: 100 },
	});
	const dump: Record<string, unknown> = { header: header(quick, reps) };
	try {
		console.log(`${dump.header}\n`);
		for (const key of chosen) {
			const scenario = all[key];
			process.stderr.write(`scenario: ${scenario.title}\n`);
			const rows = await runScenario(stack, scenario, reps);
			console.log(`### ${scenario.title}\n`);
			console.log(renderTable(rows, reps));
			console.log('');
			dump[key] = { scenario, rows };
			const file = option('json');
			if (file) writeFileSync(file, JSON.stringify(dump, null, 1));
		}
	} finally {
		await stack.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
