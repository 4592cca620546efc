/**
 * When the poll loop reads next (pure; poll.ts runs the loop, pace.ts fits it to the rate limit).
 *
 * The goal is to see the last asset done within a few percent of its generation time, for about
 * three status reads per asset. What is known decides:
 * - history: how long this model took before (history.ts). Until about then nothing can be done,
 *   so the loop sleeps (at most Poll Interval Max at a time);
 * - the first completion of this batch, or the expected time reached: assets are finishing, so the
 *   loop watches, reading again after LATENESS × the oldest asset's age (late by at most that);
 * - nothing known (a model never seen): the pause grows with the age (at least Poll Interval Min),
 *   spreading the reads the cost budget has left until the oldest asset is COLD_HORIZON × older.
 * The cost budget: READS_PER_ASSET reads per asset in all; once the reads beyond one per unfinished
 * asset are spent, each pause is 1.25 × the one before (1.5 × while nothing is known).
 */

/** Lateness allowed when watching, as a share of the age of the oldest unfinished asset. */
export const LATENESS = 0.02;
/** How early before the expected completion the first read comes (a share of it). */
export const LEAD = 0.01;
/** Status reads per asset the schedule aims at (submit + 3 reads = 4 API calls). */
export const READS_PER_ASSET = 3;
/** Shortest pause between rounds. */
export const MIN_STEP_MS = 200;
/** Without history, spread the spare reads until the oldest asset is this many times older. */
const COLD_HORIZON = 24;
/** Largest growth of the pause without history (×1.5, the old backoff). */
const COLD_MAX_GROWTH = 0.5;
/** Growth of the pause per round once the cost budget is spent: watching, and before. */
const THRIFT_WATCH_GROWTH = 1.25;
const THRIFT_GROWTH = 1.5;

export interface ScheduleInput {
	now: number;
	/** Submit time of the oldest unfinished asset. */
	oldestSubmittedAt: number;
	/** Shortest earlier generation of the model(s), if any (ms). */
	expectedMs?: number;
	/** An asset of this wait was found completed or failed. */
	firstDoneSeen: boolean;
	/** Status reads this wait made so far. */
	readsSpent: number;
	assets: number;
	unfinished: number;
	/** Poll Interval Min: the floor of the pause while nothing is known. */
	minIntervalMs: number;
	maxIntervalMs: number;
	/** The pause before the last round (a spent cost budget grows it ×1.5). */
	previousDelayMs: number;
}

export type ScheduleReason = 'expected' | 'watch' | 'cold' | 'thrift';

export interface ScheduleStep {
	delayMs: number;
	reason: ScheduleReason;
}

/** Reads left beyond the one each unfinished asset still needs. */
export function spareReads(input: Pick<ScheduleInput, 'readsSpent' | 'assets' | 'unfinished'>) {
	return READS_PER_ASSET * input.assets - input.readsSpent - input.unfinished;
}

export function nextStep(input: ScheduleInput): ScheduleStep {
	const age = Math.max(0, input.now - input.oldestSubmittedAt);
	const cap = (ms: number) => Math.round(clamp(ms, MIN_STEP_MS, input.maxIntervalMs));
	const spare = spareReads(input);
	const watch = cap(LATENESS * age);
	const firstRead =
		input.expectedMs === undefined ? undefined : input.expectedMs * (1 - LEAD) - MIN_STEP_MS;
	const watching = input.firstDoneSeen || (firstRead !== undefined && age >= firstRead);
	if (spare <= 0) {
		// Watching: grows from the watch pause, not from a long sleep before it.
		const grown = watching
			? Math.min(input.previousDelayMs, 2 * watch) * THRIFT_WATCH_GROWTH
			: input.previousDelayMs * THRIFT_GROWTH;
		return { delayMs: Math.max(watch, cap(grown)), reason: 'thrift' };
	}
	if (watching) return { delayMs: watch, reason: 'watch' };
	if (firstRead !== undefined) {
		return { delayMs: cap(firstRead + MIN_STEP_MS - age), reason: 'expected' };
	}
	const growth = clamp(Math.exp(Math.log(COLD_HORIZON) / spare) - 1, LATENESS, COLD_MAX_GROWTH);
	return { delayMs: cap(Math.max(growth * age, input.minIntervalMs)), reason: 'cold' };
}

function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
}
