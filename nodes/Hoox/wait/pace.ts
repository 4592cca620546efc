/**
 * How fast the poll loop may go: the next round's pause and size from the paced interval, the
 * unfinished assets and the rate-limit budget (pure functions; see poll.ts for the loop).
 *
 * A few requests of each window are left to other calls (5 % of the limit, at least 1). When
 * the usual schedule would spend the rest before the window resets, the interval is stretched
 * so the rest lasts until the reset; when nothing is left, the next round waits for the reset.
 */
import type { RateLimitInfo } from '../../shared/api';

/** Interval growth per round in which nothing changed. */
export const INTERVAL_GROWTH = 1.5;
/** Longest wait for a rate-limit window to reset (Hoox windows are one minute). */
export const MAX_RESET_WAIT_MS = 65_000;
/** Added to a reset time, so the next round does not arrive a hair before the window turns. */
const RESET_MARGIN_MS = 250;

/** Requests of the current window left to the waiter (the reserve subtracted), if known. */
export function requestBudget(
	rateLimit: RateLimitInfo | undefined,
	now: number,
): number | undefined {
	if (!rateLimit) return undefined;
	const reserve = reserveFor(rateLimit.limit);
	if (rateLimit.resetAt !== undefined && rateLimit.resetAt <= now) {
		return rateLimit.limit === undefined ? undefined : rateLimit.limit - reserve;
	}
	return rateLimit.remaining === undefined ? undefined : rateLimit.remaining - reserve;
}

function reserveFor(limit: number | undefined): number {
	return limit === undefined ? 1 : Math.max(1, Math.ceil(limit * 0.05));
}

export interface RoundPlan {
	/** Pause before the next round (ms, before the deadline cut). */
	delayMs: number;
	/** How many of the unfinished assets the next round polls. */
	batchSize: number;
	/** The pause waits for the rate-limit window to reset. */
	waitsForReset: boolean;
}

/**
 * Decides the next round from the paced interval, the number of unfinished assets and the
 * rate-limit state (pure; exported for tests).
 */
export function planNextRound(input: {
	intervalMs: number;
	pending: number;
	rateLimit?: RateLimitInfo;
	/** A poll of the last round still got 429 after the transport's retries. */
	rateLimited?: boolean;
	/**
	 * Polls a round costs while nothing finishes (default `pending`: every asset each round; a
	 * round that ends at the first running asset costs 1).
	 */
	roundCost?: number;
	maxIntervalMs: number;
	now: number;
}): RoundPlan {
	const { intervalMs, pending, rateLimit, now } = input;
	const untilReset =
		rateLimit?.resetAt !== undefined && rateLimit.resetAt > now
			? Math.min(MAX_RESET_WAIT_MS, rateLimit.resetAt - now + RESET_MARGIN_MS)
			: undefined;
	const budget = requestBudget(rateLimit, now);
	const exhausted = input.rateLimited || (budget !== undefined && budget < 1);
	if (exhausted) {
		const wait = untilReset ?? Math.max(input.maxIntervalMs, intervalMs);
		const fresh =
			rateLimit?.limit === undefined ? pending : rateLimit.limit - reserveFor(rateLimit.limit);
		return {
			delayMs: Math.max(intervalMs, wait),
			batchSize: clamp(fresh, 1, pending),
			waitsForReset: true,
		};
	}
	if (budget === undefined || budget < pending) {
		// Unknown budget: the transport's 429 handling is the safety net. Less than a round left:
		// a partial round spends it, and the round after waits for the reset.
		return {
			delayMs: intervalMs,
			batchSize: budget === undefined ? pending : clamp(budget, 1, pending),
			waitsForReset: false,
		};
	}
	if (untilReset !== undefined) {
		// Would the usual schedule spend the budget before the window resets? Then spread what is
		// left evenly over the rest of the window instead of bursting and then stalling. The
		// polls that will see the other assets finished are set aside first.
		const perRound = clamp(Math.round(input.roundCost ?? pending), 1, pending);
		const spendable = Math.max(perRound, budget - (pending - perRound));
		const rounds = roundsWithin(untilReset, intervalMs, input.maxIntervalMs);
		if (rounds * perRound > spendable) {
			const paced = Math.ceil((untilReset * perRound) / spendable);
			return {
				delayMs: Math.max(intervalMs, Math.min(paced, untilReset)),
				batchSize: pending,
				waitsForReset: false,
			};
		}
	}
	return { delayMs: intervalMs, batchSize: pending, waitsForReset: false };
}

/** How many rounds the usual schedule (×1.5 per round, capped) makes within `windowMs`. */
function roundsWithin(windowMs: number, intervalMs: number, maxIntervalMs: number): number {
	let elapsed = 0;
	let rounds = 0;
	let interval = Math.max(1, intervalMs);
	while (elapsed + interval <= windowMs && rounds < 10_000) {
		elapsed += interval;
		rounds++;
		interval = Math.min(maxIntervalMs, interval * INTERVAL_GROWTH);
	}
	return rounds;
}

export function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
}
