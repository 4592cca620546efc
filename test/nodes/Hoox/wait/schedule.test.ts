/**
 * The poll loop's schedule (pure, fake clock: every input carries `now`). What it must do: sleep
 * until a model's learned duration, watch closely once the first asset of a batch is done, spread
 * reads when nothing is known, and never spend more than READS_PER_ASSET reads per asset.
 */
import {
	LATENESS,
	LEAD,
	MIN_STEP_MS,
	nextStep,
	READS_PER_ASSET,
	spareReads,
	type ScheduleInput,
} from '../../../../nodes/Hoox/wait/schedule';

const T0 = 1_700_000_000_000;

function input(over: Partial<ScheduleInput> = {}): ScheduleInput {
	return {
		now: T0,
		oldestSubmittedAt: T0,
		firstDoneSeen: false,
		readsSpent: 0,
		assets: 20,
		unfinished: 20,
		minIntervalMs: 2500,
		maxIntervalMs: 15_000,
		previousDelayMs: 2500,
		...over,
	};
}

describe('nextStep: learned durations', () => {
	test('sleeps until just before the learned duration, at most Poll Interval Max at a time', () => {
		const expectedMs = 20_000;
		expect(nextStep(input({ expectedMs }))).toEqual({ delayMs: 15_000, reason: 'expected' });
		const at15 = nextStep(input({ expectedMs, now: T0 + 15_000, readsSpent: 1 }));
		expect(at15.reason).toBe('expected');
		expect(at15.delayMs).toBe(Math.round(expectedMs * (1 - LEAD) - 15_000));
	});

	test('past the learned duration it watches: the next read within LATENESS of the age', () => {
		const step = nextStep(input({ expectedMs: 20_000, now: T0 + 19_800, readsSpent: 2 }));
		expect(step).toEqual({ delayMs: Math.round(19_800 * LATENESS), reason: 'watch' });
	});

	test('a single warm item costs two or three reads: one just before, one just after', () => {
		// 15 s generation learned as 15 s: a read just before (running) and one just after (done)
		const expectedMs = 15_000;
		let now = T0;
		const reads: number[] = [];
		let firstDoneSeen = false;
		while (!firstDoneSeen) {
			const step = nextStep(
				input({ expectedMs, now, readsSpent: reads.length, assets: 1, unfinished: 1 }),
			);
			now += step.delayMs;
			reads.push(now - T0);
			firstDoneSeen = now - T0 >= 15_000;
		}
		expect(reads.length).toBeLessThanOrEqual(READS_PER_ASSET);
		expect(reads[reads.length - 1]).toBeLessThanOrEqual(15_000 * (1 + LATENESS));
	});
});

describe('nextStep: the first completion of the batch', () => {
	test('once an asset of the batch is done, the others are watched closely even without history', () => {
		const now = T0 + 24_000;
		const cold = nextStep(input({ now, readsSpent: 10 }));
		const signalled = nextStep(input({ now, readsSpent: 10, firstDoneSeen: true, unfinished: 12 }));
		expect(signalled).toEqual({ delayMs: Math.round(24_000 * LATENESS), reason: 'watch' });
		expect(cold.reason).toBe('cold');
		expect(signalled.delayMs).toBeLessThan(cold.delayMs);
	});

	test('the watch pause never drops below MIN_STEP_MS nor exceeds Poll Interval Max', () => {
		expect(nextStep(input({ now: T0 + 100, firstDoneSeen: true })).delayMs).toBe(MIN_STEP_MS);
		const old = nextStep(
			input({ now: T0 + 3_600_000, firstDoneSeen: true, maxIntervalMs: 15_000 }),
		);
		expect(old.delayMs).toBe(15_000);
	});
});

describe('nextStep: nothing known, and the cost budget', () => {
	test('cold: the pause grows with the age, faster for a small batch (fewer spare reads)', () => {
		const now = T0 + 10_000;
		const big = nextStep(input({ now, readsSpent: 2, assets: 20, unfinished: 20 }));
		const single = nextStep(input({ now, readsSpent: 2, assets: 2, unfinished: 2 }));
		expect(big.reason).toBe('cold');
		expect(single.reason).toBe('cold');
		expect(big.delayMs).toBeLessThan(single.delayMs);
		// never shorter than Poll Interval Min while nothing is known
		expect(nextStep(input({ now: T0 + 100 })).delayMs).toBe(2500);
	});

	test('the cost stays within READS_PER_ASSET per asset: spare reads spent → each pause ×1.25', () => {
		const spent = READS_PER_ASSET * 4 - 4;
		expect(spareReads({ readsSpent: spent, assets: 4, unfinished: 4 })).toBe(0);
		const step = nextStep(
			input({
				now: T0 + 20_000,
				readsSpent: spent,
				assets: 4,
				unfinished: 4,
				firstDoneSeen: true,
				previousDelayMs: 2000,
			}),
		);
		expect(step).toEqual({ delayMs: 1000, reason: 'thrift' });
		// after a long sleep, the growth starts from the watch pause (2 % of 20 s), not from the sleep
		const afterSleep = nextStep(
			input({
				now: T0 + 20_000,
				readsSpent: spent,
				assets: 4,
				unfinished: 4,
				firstDoneSeen: true,
				previousDelayMs: 15_000,
			}),
		);
		expect(afterSleep).toEqual({ delayMs: 1000, reason: 'thrift' });
	});

	test('cold schedule of a 20-asset batch until 30 s stays within the budget', () => {
		let now = T0 + 2500;
		let reads = 1;
		while (now - T0 < 30_000) {
			const step = nextStep(input({ now, readsSpent: reads }));
			now += step.delayMs;
			reads++;
		}
		// 20 still need their completing read
		expect(reads + 20).toBeLessThanOrEqual(READS_PER_ASSET * 20);
	});
});
