/**
 * The poll loop's schedule on a fake clock (jest's timers and Date): a simulated Hoox answers each
 * status read from the simulated time, with a per-key rate-limit window like Hoox's. Checks what
 * the schedule promises, in reads and in how late the last asset is seen; no wall time involved.
 */
import { resetBudgets } from '../../../../nodes/shared/api';
import { resetHistory } from '../../../../nodes/Hoox/wait/history';
import { waitForAssets, type WaitResult } from '../../../../nodes/Hoox/wait/poll';
import { LATENESS, READS_PER_ASSET } from '../../../../nodes/Hoox/wait/schedule';
import { createExecuteContext } from '../../../../harness/n8nContext';

const BASE_URL = 'https://hoox.example/api/public/v1';
/** Steps of the fake clock: the lateness measured is exact to this. */
const TICK_MS = 50;

/** A Hoox that knows when each asset is done, and counts reads per key and window. */
class SimulatedHoox {
	readonly doneAt = new Map<string, number>();
	readonly reads: Array<{ id: string; at: number; done: boolean }> = [];
	tooMany = 0;
	private readonly windows = new Map<string, { start: number; count: number }>();
	private next = 0;

	constructor(private readonly limit = 100) {}

	submit(durationsMs: number[]): string[] {
		return durationsMs.map((ms) => {
			const id = `asset${String(this.next++).padStart(19, '0')}`;
			this.doneAt.set(id, Date.now() + ms);
			return id;
		});
	}

	answer(key: string, url: string) {
		const now = Date.now();
		let window = this.windows.get(key);
		if (!window || now - window.start >= 60_000) {
			window = { start: now, count: 0 };
			this.windows.set(key, window);
		}
		window.count++;
		const headers = {
			'x-ratelimit-limit': String(this.limit),
			'x-ratelimit-remaining': String(Math.max(0, this.limit - window.count)),
			'x-ratelimit-reset': String(Math.ceil((window.start + 60_000) / 1000)),
		};
		if (window.count > this.limit) {
			this.tooMany++;
			return { statusCode: 429, headers, body: { error: 'rate_limit_exceeded' } };
		}
		const id = url.split('/asset/status/')[1];
		const done = now >= (this.doneAt.get(id) ?? Infinity);
		this.reads.push({ id, at: now, done });
		return {
			statusCode: 200,
			headers,
			body: { asset_id: id, status: done ? 'completed' : 'generating' },
		};
	}

	/** When the wait first saw this asset done, after it was. */
	seenLate(id: string): number {
		const seen = this.reads.find((r) => r.id === id && r.done);
		return seen ? seen.at - this.doneAt.get(id)! : Infinity;
	}
}

function contextFor(hoox: SimulatedHoox, apiKey: string) {
	const ctx = createExecuteContext({ credentials: { apiKey, baseUrl: BASE_URL } });
	(ctx.helpers as any).httpRequestWithAuthentication = async (_type: string, options: any) =>
		hoox.answer(apiKey, String(options.url));
	return ctx;
}

/** Runs the fake clock until the promise settles. */
async function drive<T>(promise: Promise<T>): Promise<T> {
	let settled = false;
	promise.then(
		() => (settled = true),
		() => (settled = true),
	);
	while (!settled) await jest.advanceTimersByTimeAsync(TICK_MS);
	return await promise;
}

async function wait(hoox: SimulatedHoox, apiKey: string, durationsMs: number[]) {
	const submittedAt = Date.now();
	const ids = hoox.submit(durationsMs);
	const known = Object.fromEntries(ids.map((id) => [id, { asset_id: id, status: 'generating' }]));
	const before = hoox.reads.length;
	const result: WaitResult = await drive(
		waitForAssets(contextFor(hoox, apiKey), ids, {
			timeoutMs: 600_000,
			known,
			submittedAt: () => submittedAt,
			modelOf: () => 'gpt-image-2',
		}),
	);
	expect(result.timedOut).toBe(false);
	const slowest = Math.max(...durationsMs);
	const lastSeen = Math.max(...ids.map((id) => hoox.seenLate(id) + hoox.doneAt.get(id)!));
	return {
		reads: hoox.reads.length - before,
		/** When the wait saw the last asset done, as a share of the slowest generation. */
		ratio: (lastSeen - submittedAt) / slowest,
	};
}

const spread = (n: number, base: number, width: number) =>
	Array.from({ length: n }, (_, i) => base + Math.round(width * ((i * 0.618) % 1)));

beforeEach(() => {
	jest.useFakeTimers({ now: 1_700_000_000_000 });
	resetHistory();
	resetBudgets();
});
afterEach(() => jest.useRealTimers());

const KEY = `hx_live_${'1a'.repeat(32)}`;

describe('poll schedule: learned durations', () => {
	test('later waits for a model sleep until about its generation time: on time, then ≤ 3 reads', async () => {
		const hoox = new SimulatedHoox();
		const cold = await wait(hoox, KEY, [15_000]);
		const warm = [];
		for (let i = 0; i < 3; i++) warm.push(await wait(hoox, KEY, [15_000]));
		for (const run of warm) expect(run.ratio).toBeLessThanOrEqual(1.08);
		expect(warm[0].reads).toBeLessThan(cold.reads);
		// once a wait bracketed the duration ("running" just before "done"), it is known
		expect(warm[2].ratio).toBeLessThanOrEqual(1 + LATENESS + TICK_MS / 15_000);
		expect(warm[2].reads).toBeLessThanOrEqual(READS_PER_ASSET);
	});

	test('a model that got faster: the next wait looks earlier (learns "done by then" a bit shorter)', async () => {
		const hoox = new SimulatedHoox();
		await wait(hoox, KEY, [20_000]);
		await wait(hoox, KEY, [20_000]);
		const faster = await wait(hoox, KEY, [12_000]);
		const settled = await wait(hoox, KEY, [12_000]);
		expect(faster.ratio).toBeGreaterThan(1.1); // the old duration still ruled this one
		expect(settled.ratio).toBeLessThan(faster.ratio);
	});
});

describe('poll schedule: the first completion of a batch', () => {
	test('20 assets of 20–30 s, nothing learned: the last is seen within LATENESS, ≤ 3 reads per asset', async () => {
		const hoox = new SimulatedHoox();
		const run = await wait(hoox, KEY, spread(20, 20_000, 10_000));
		expect(run.ratio).toBeLessThanOrEqual(1 + LATENESS + 0.02);
		expect(run.reads).toBeLessThanOrEqual(READS_PER_ASSET * 20);
	});

	test('cost stays flat as the batch grows (reads per asset)', async () => {
		const perAsset: number[] = [];
		for (const n of [10, 50, 100]) {
			const hoox = new SimulatedHoox(1000);
			await wait(hoox, KEY, Array(n).fill(15_000)); // teaches the model
			const run = await wait(hoox, KEY, Array(n).fill(15_000));
			perAsset.push(run.reads / n);
			expect(run.ratio).toBeLessThanOrEqual(1 + LATENESS + TICK_MS / 15_000);
		}
		expect(Math.max(...perAsset)).toBeLessThanOrEqual(2);
		// flat: a bigger batch costs no more per asset
		expect(perAsset[2]).toBeLessThanOrEqual(perAsset[0]);
	});
});

describe('poll schedule: one rate-limit budget per API key', () => {
	test('three executions sharing a key at 30 requests/min: no 429, all done', async () => {
		const hoox = new SimulatedHoox(30);
		const runs = await Promise.all([0, 1, 2].map(() => wait(hoox, KEY, spread(8, 40_000, 20_000))));
		expect(hoox.tooMany).toBe(0);
		expect(runs).toHaveLength(3);
	});

	test('another key has its own budget', async () => {
		const hoox = new SimulatedHoox(30);
		const other = `hx_live_${'2b'.repeat(32)}`;
		await Promise.all([
			wait(hoox, KEY, spread(10, 30_000, 10_000)),
			wait(hoox, other, spread(10, 30_000, 10_000)),
		]);
		expect(hoox.tooMany).toBe(0);
	});
});
