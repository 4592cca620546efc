/**
 * Reliability, issue 9 item 1: never charged twice. Every fault on POST /asset/start × n8n's
 * Retry On Fail on/off × Continue On Fail on/off × Wait Mode poll/resume, with the node's
 * execute() run again on the same execution the way n8n-core does (test/support/retryOnFail.ts),
 * against the emulator. Counted from the emulator: the start requests of each item in its request
 * log, and the charges of each item in its ledger. Target: charges per item = 1 (0 where the fault
 * kept Hoox from creating the asset), never 2.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { startEmulator, type Emulator, type Fault } from '../../emulator';
import { credentialsFor, generateParameters, items as inputItems } from '../support/hooxNode';
import { createExecuteContext } from '../../harness/n8nContext';
import { runWithRetries, stackEntry, triesOf, type RetriedRun } from '../support/retryOnFail';
import { createResumeExecuteContext, FakeExecution } from '../support/waitingN8n';
import { reliabilityFigures } from './figures';

const PROMPTS = ['submit-once item A', 'submit-once item B'];

let emu: Emulator;
let closedPort: number;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 40 }, rateLimitPerMinute: 0 });
	closedPort = await freeClosedPort();
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

/** A loopback port nothing listens on: a connection there is refused. */
async function freeClosedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

interface StartFault {
	name: string;
	/** Whether Hoox creates (and charges) the faulted item's asset. */
	charged: boolean;
	/**
	 * Whether the outcome is unknown to the node (no answer, or a 5xx): the item fails, is never
	 * sent again, and without Continue On Fail the items after it are not sent either.
	 */
	uncertain: boolean;
	/** Start requests of the faulted item that reach Hoox (our transport resends 429 itself). */
	starts: number;
	fault?: Fault;
	/** Refused: the first start request goes to a closed port instead. */
	refuse?: boolean;
	/** Timeout: the client gives up on the start request after this many ms. */
	timeoutMs?: number;
}

const START = 'POST /asset/start';
const FAULTS: StartFault[] = [
	{
		name: 'dropped before the charge',
		uncertain: true,
		charged: false,
		starts: 1,
		fault: { route: START, count: 1, drop: 'before-read' },
	},
	{
		name: 'dropped after the charge',
		uncertain: true,
		charged: true,
		starts: 1,
		fault: { route: START, count: 1, drop: 'after-read' },
	},
	{
		name: 'HTTP 500',
		uncertain: true,
		charged: false,
		starts: 1,
		fault: { route: START, count: 1, status: 500 },
	},
	{
		// the emulator reads the body after the delay: the client gave up, nothing is created
		name: 'timeout',
		uncertain: true,
		charged: false,
		starts: 1,
		fault: { route: START, count: 1, delayMs: 600 },
		timeoutMs: 200,
	},
	{
		name: 'HTTP 429',
		uncertain: false,
		charged: true,
		starts: 2,
		fault: { route: START, count: 1, status: 429, headers: { 'retry-after': '0' } },
	},
	{ name: 'connection refused', uncertain: false, charged: true, starts: 1, refuse: true },
];

type WaitMode = 'poll' | 'resume';
interface Cell {
	fault: StartFault;
	retryOnFail: boolean;
	continueOnFail: boolean;
	wait: WaitMode;
}

const cells: Cell[] = FAULTS.flatMap((fault) =>
	[false, true].flatMap((retryOnFail) =>
		[false, true].flatMap((continueOnFail) =>
			(['poll', 'resume'] as WaitMode[]).map((wait) => ({
				fault,
				retryOnFail,
				continueOnFail,
				wait,
			})),
		),
	),
);

/** Two items, each its own prompt; every try ends in an error after the submits. */
function arrange(cell: Cell) {
	if (cell.fault.fault) emu.injectFault(cell.fault.fault);
	const options: Record<string, unknown> = {};
	if (cell.wait === 'resume') {
		// still generating at the park (its items carry json.error) and at the polling fallback
		emu.setDuration({ image: 60_000 });
		Object.assign(options, { waitMode: 'resume', waitTimeout: 0.3 });
	} else {
		emu.failNext(100);
	}
	let refused = false;
	return {
		parameters: generateParameters({ prompt: '={{ $json.prompt }}', options }),
		alterRequest: ({ method, url }: { method: string; url: string }) => {
			if (method !== 'POST' || !url.endsWith('/asset/start')) return undefined;
			if (cell.fault.refuse && !refused) {
				refused = true;
				return { url: url.replace(/\/\/127\.0\.0\.1:\d+/, `//127.0.0.1:${closedPort}`) };
			}
			return cell.fault.timeoutMs ? { timeout: cell.fault.timeoutMs } : undefined;
		},
	};
}

async function runCell(cell: Cell): Promise<RetriedRun> {
	const { parameters, alterRequest } = arrange(cell);
	const input = PROMPTS.map((prompt) => ({ json: { prompt } }));
	const base = {
		credentials: credentialsFor(emu),
		parameters: resolvePrompt(parameters),
		itemParameters: PROMPTS.map((prompt) => ({ prompt })),
		continueOnFail: cell.continueOnFail,
		alterRequest,
	};
	const retry = { retryOnFail: cell.retryOnFail, maxTries: 3 };
	if (cell.wait === 'resume') {
		const execution = new FakeExecution({ flavor: 'v2', input });
		execution.baseUrl = `http://127.0.0.1:${closedPort}`;
		return await runWithRetries(retry, () => {
			const ctx = createResumeExecuteContext({ ...base, items: input }, execution);
			// n8n reads every try's input from the stack entry (a park replaces it)
			(ctx as any).getInputData = () => execution.stackEntry.data.main[0];
			return ctx;
		});
	}
	const entry = stackEntry(input);
	return await runWithRetries(retry, () => createExecuteContext({ ...base, executeData: entry }));
}

/** The hand-written context does not evaluate expressions: the prompt comes per item. */
function resolvePrompt(parameters: Record<string, unknown>) {
	const { prompt: _prompt, ...rest } = parameters;
	return rest;
}

/** Debits in the emulator's ledger, by the prompt of the asset charged. */
function chargesByPrompt(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const entry of emu.ledger()) {
		if (entry.kind !== 'debit') continue;
		for (const id of entry.asset_ids) {
			const prompt = String(emu.getAsset(id)?.generation_params.prompt);
			counts[prompt] = (counts[prompt] ?? 0) + 1;
		}
	}
	return counts;
}

/**
 * Start requests that reached the emulator, by prompt. A request the emulator dropped or gave up
 * on before reading its body has no prompt in the log: it is item A's (the fault hits the first).
 */
function startsByPrompt(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of emu.requests({ method: 'POST', path: '/asset/start' })) {
		const prompt = String((request.body as { prompt?: unknown })?.prompt ?? PROMPTS[0]);
		counts[prompt] = (counts[prompt] ?? 0) + 1;
	}
	return counts;
}

let cellsRun = 0;
let cellsAtTarget = 0;
let maxChargesPerItem = 0;
let retriedTries = 0;
let chargedTwice = 0;

const label = (cell: Cell) =>
	`${cell.fault.name}, Retry On Fail ${cell.retryOnFail ? 'on' : 'off'}, Continue On Fail ${cell.continueOnFail ? 'on' : 'off'}, ${cell.wait}`;

describe('a fault on the first /asset/start', () => {
	test.each(cells.map((cell) => [label(cell), cell] as const))('%s', async (_name, cell) => {
		const run = await runCell(cell);
		// the timed-out start is processed after the client gave up on it
		if (cell.fault.timeoutMs) await new Promise((resolve) => setTimeout(resolve, 700));
		const charges = chargesByPrompt();
		const starts = startsByPrompt();
		cellsRun++;
		const max = Math.max(0, ...Object.values(charges));
		maxChargesPerItem = Math.max(maxChargesPerItem, max);
		if (max > 1) chargedTwice++;
		if (run.tries > 1) retriedTries += run.tries - 1;

		// n8n tried as often as it would: every try of these runs ends in an error
		expect(run.tries).toBe(triesOf(cell));
		expect(charges[PROMPTS[0]] ?? 0).toBe(cell.fault.charged ? 1 : 0);
		// without Continue On Fail the run stops at the failed item: the next is never sent
		const second = cell.fault.uncertain && !cell.continueOnFail ? 0 : 1;
		expect(charges[PROMPTS[1]] ?? 0).toBe(second);
		expect(starts[PROMPTS[0]] ?? 0).toBe(cell.fault.starts);
		expect(starts[PROMPTS[1]] ?? 0).toBe(second);
		cellsAtTarget++;

		// whatever the node ended with names every asset paid for whose id Hoox gave
		const lost = (id: string) =>
			cell.fault.uncertain && emu.getAsset(id)?.generation_params.prompt === PROMPTS[0];
		const paid = emu
			.ledger()
			.flatMap((entry) => (entry.kind === 'debit' ? entry.asset_ids : []))
			.filter((id) => !lost(id));
		const shown = run.error
			? `${run.error.message} ${run.error.description}`
			: JSON.stringify(run.items);
		for (const id of paid) expect(shown).toContain(id);

		// a try that found submitted items says so
		if (run.tries > 1) {
			const logs = run.contexts.slice(1).flatMap((ctx) => ctx.recorder.logs);
			expect(logs.some((log) => /already submitted by an earlier try/.test(log.message))).toBe(
				true,
			);
		}
	});
});

describe('Max Credits per Execution is a budget for the execution, not for each try', () => {
	test('cap 0.3, one 0.3-credit item whose asset fails, 3 tries: 0.3 spent, priced once', async () => {
		emu.failNext(100);
		const entry = stackEntry(inputItems(1));
		const run = await runWithRetries({ retryOnFail: true, maxTries: 3 }, () =>
			createExecuteContext({
				credentials: credentialsFor(emu),
				parameters: generateParameters({ options: { maxCredits: 0.3 } }),
				executeData: entry,
			}),
		);
		expect(run.tries).toBe(3);
		expect(run.error?.message).toMatch(/failed/);
		const debited = emu.ledger().filter((e) => e.kind === 'debit');
		expect(debited.reduce((sum, e) => sum + e.amount, 0)).toBeCloseTo(0.3, 5);
		expect(emu.requests({ method: 'POST', path: '/asset/pricing' })).toHaveLength(1);
		figures.add({ name: 'cap 0.3 × 3 tries: credits charged', value: 0.3, target: '≤ 0.3' });
	});
});

afterAll(() => {
	figures.add({ name: 'cells (6 faults × retry × continue × poll/resume)', value: cellsRun });
	figures.add({ name: 'cells with an item charged twice', value: chargedTwice, target: '0' });
	figures.add({
		name: 'cells meeting every expectation (charges = 1 where Hoox created the asset)',
		value: cellsAtTarget,
		target: `${cells.length} of ${cells.length}`,
	});
	figures.add({
		name: 'charges per item, max over all cells',
		value: maxChargesPerItem,
		target: '1',
	});
	figures.add({ name: "n8n's extra tries (Retry On Fail) over all cells", value: retriedTries });
});

const figures = reliabilityFigures(
	'never charged twice (issue 9.1: /asset/start faults × n8n retries)',
);
