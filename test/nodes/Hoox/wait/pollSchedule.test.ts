/**
 * The poll loop's schedule on a fake clock (jest's timers and Date): a simulated Hoox answers each
 * status read from the simulated time, with a per-key rate-limit window like Hoox's. Checks what
 * the schedule promises, in reads and in how late the last asset is seen; no wall time involved.
 */
import { resetBudgets } from '../../../../nodes/shared/api';
import { resetHistory } from '../../../../nodes/Hoox/wait/history';
import { LATENESS, READS_PER_ASSET } from '../../../../nodes/Hoox/wait/schedule';
import {
	SimulatedHoox,
	spread,
	TICK_MS,
	waitOnSimulatedHoox,
} from '../../../support/simulatedHoox';

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
		const cold = await waitOnSimulatedHoox(hoox, KEY, [15_000]);
		const warm = [];
		for (let i = 0; i < 3; i++) warm.push(await waitOnSimulatedHoox(hoox, KEY, [15_000]));
		for (const run of warm) expect(run.ratio).toBeLessThanOrEqual(1.08);
		expect(warm[0].reads).toBeLessThan(cold.reads);
		// once a wait bracketed the duration ("running" just before "done"), it is known
		expect(warm[2].ratio).toBeLessThanOrEqual(1 + LATENESS + TICK_MS / 15_000);
		expect(warm[2].reads).toBeLessThanOrEqual(READS_PER_ASSET);
	});

	test('a model that got faster: the next wait looks earlier (learns "done by then" a bit shorter)', async () => {
		const hoox = new SimulatedHoox();
		await waitOnSimulatedHoox(hoox, KEY, [20_000]);
		await waitOnSimulatedHoox(hoox, KEY, [20_000]);
		const faster = await waitOnSimulatedHoox(hoox, KEY, [12_000]);
		const settled = await waitOnSimulatedHoox(hoox, KEY, [12_000]);
		expect(faster.ratio).toBeGreaterThan(1.1); // the old duration still ruled this one
		expect(settled.ratio).toBeLessThan(faster.ratio);
	});
});

describe('poll schedule: the first completion of a batch', () => {
	test('20 assets of 20–30 s, nothing learned: the last is seen within LATENESS, ≤ 3 reads per asset', async () => {
		const hoox = new SimulatedHoox();
		const run = await waitOnSimulatedHoox(hoox, KEY, spread(20, 20_000, 10_000));
		expect(run.ratio).toBeLessThanOrEqual(1 + LATENESS + 0.02);
		expect(run.reads).toBeLessThanOrEqual(READS_PER_ASSET * 20);
	});

	test('cost stays flat as the batch grows (reads per asset)', async () => {
		const perAsset: number[] = [];
		for (const n of [10, 50, 100]) {
			const hoox = new SimulatedHoox(1000);
			await waitOnSimulatedHoox(hoox, KEY, Array(n).fill(15_000)); // teaches the model
			const run = await waitOnSimulatedHoox(hoox, KEY, Array(n).fill(15_000));
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
		const runs = await Promise.all(
			[0, 1, 2].map(() => waitOnSimulatedHoox(hoox, KEY, spread(8, 40_000, 20_000))),
		);
		expect(hoox.tooMany).toBe(0);
		expect(runs).toHaveLength(3);
	});

	test('another key has its own budget', async () => {
		const hoox = new SimulatedHoox(30);
		const other = `hx_live_${'2b'.repeat(32)}`;
		await Promise.all([
			waitOnSimulatedHoox(hoox, KEY, spread(10, 30_000, 10_000)),
			waitOnSimulatedHoox(hoox, other, spread(10, 30_000, 10_000)),
		]);
		expect(hoox.tooMany).toBe(0);
	});
});
