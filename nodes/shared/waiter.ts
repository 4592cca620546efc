/**
 * Waits for many Hoox assets at once: one polling loop for the whole batch (all items, all
 * generations), so 20 assets take about one generation's time. The interval adapts (starts
 * short, backs off while nothing changes, slows down when the rate-limit budget runs low),
 * the wait stops when the execution is cancelled, and a timeout returns the last known status
 * of every asset instead of losing them.
 *
 * How one wait runs
 * - Rounds. Each round polls the assets that are not completed/failed yet, least recently polled
 *   first, at most `concurrency` (default 5) requests in flight, through transport.ts (which
 *   retries 429, 5xx and network errors of a read with backoff). A round starts with one poll
 *   and fans out only while the polls find finished assets; it stops starting new polls once one
 *   shows an asset still running (or failed transiently): the wait cannot end before that asset
 *   is done, so polling the others now would only spend the rate limit (assets of one batch tend
 *   to finish together). So while the batch generates a round costs one request. The next round
 *   starts with the assets polled longest ago, so every asset keeps being polled in turn, and the
 *   round that ends the wait at the deadline polls every unfinished asset.
 *   `pollEveryAsset: true` polls all of them in every round instead.
 * - Interval. The pause after a round starts at `minIntervalMs`, grows ×1.5 after every round in
 *   which no status changed, and drops back to `minIntervalMs` when one did; capped at
 *   `maxIntervalMs`, except when the rate limit asks for longer (next point).
 * - Rate limit. Responses carry X-RateLimit-Remaining/-Reset. A few requests of the window are
 *   left to other calls (5 % of the limit, at least 1). When the usual schedule would spend the
 *   rest before the window resets, the interval is stretched so that the rest lasts until the
 *   reset (a batch of 20 at 100/min polls about every 12 s instead of bursting, then stalling).
 *   When the rest does not cover a full round, only that many assets are polled (those polled
 *   longest ago first); when nothing is left, the next round waits until the window resets (at
 *   most 65 s, never past the deadline).
 * - Errors of one asset's poll, after the transport's retries:
 *   · 401 (the key was revoked or is wrong): rethrown at once, since no poll can succeed. The
 *     error's description lists the assets still generating, so nothing paid for is lost.
 *   · 400, 403, 404, 410 (this asset cannot be read: unknown id, another space): final for that
 *     asset, recorded as `status: 'failed'` with `error: { code, message, http_code }`.
 *   · anything else (429 left over, 5xx streak, network): transient. The asset keeps its last
 *     known status and is polled again next round; the message is in `lastPollErrors`.
 * - Cancel: throws WaitCancelledError (a CancelledError from timing.ts) listing the unfinished
 *   asset ids; in-flight polls are aborted and awaited, so no request starts after it.
 * - Timeout: returns `{ timedOut: true, assets }` with the last known status of every asset. No
 *   pause runs past the deadline: the last pause is cut there and one final round reads the
 *   statuses (unless the rate-limit budget is spent, then the wait ends at once); a poll still in
 *   flight 5 s (`deadlineGraceMs`) after the deadline is aborted.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { readStatus as readStatusAnswer } from './api/answers';
import { isAssetId, showId } from './assetId';
import { CancelledError, pause } from './timing';
import type { HooxContext, RateLimitInfo, RetryPolicy } from './transport';
import { hooxRequestWithMeta } from './transport';

export type AssetState = 'pending' | 'generating' | 'completed' | 'failed';

/** GET /asset/status/{id} (fields Hoox may omit are optional). */
export interface AssetStatus extends IDataObject {
	asset_id: string;
	status: AssetState | string;
}

export interface WaitOptions {
	/** Give up after this long (ms). */
	timeoutMs: number;
	/** First poll interval (ms); default 2500. */
	minIntervalMs?: number;
	/** Longest poll interval (ms); default 15000. */
	maxIntervalMs?: number;
	abortSignal?: AbortSignal;
	/**
	 * Statuses already known (e.g. from a callback), keyed by asset id: not polled again if terminal.
	 * Non-terminal ones are the starting point; when every unfinished asset has a known status
	 * (e.g. `generating` from the submit answer) the first round comes after `minIntervalMs`
	 * instead of at once.
	 */
	known?: Record<string, AssetStatus>;
	/** For errors: which input item each asset belongs to. */
	itemIndexOf?: (assetId: string) => number | undefined;
	/** Status requests in flight at once (default 5). */
	concurrency?: number;
	/** Retry policy of each status request (transport defaults otherwise). */
	retry?: Partial<RetryPolicy>;
	/**
	 * Poll every unfinished asset in every round (default false: a round ends at the first asset
	 * found still running; see the file comment). Costs more requests, keeps every status fresh.
	 */
	pollEveryAsset?: boolean;
	/**
	 * Stop after this many rounds (e.g. 1 with `pollEveryAsset` = read every status once); the
	 * result then has `timedOut: true` if an asset is still unfinished.
	 */
	maxRounds?: number;
	/**
	 * How long after the deadline a poll still in flight is aborted (default 5000 ms). The wait
	 * ends by `timeoutMs` + this at the latest.
	 */
	deadlineGraceMs?: number;
}

export interface WaitResult {
	/**
	 * Last known status of every asset, in the order the ids were given (`status: 'unknown'`
	 * when no poll was answered and none was known).
	 */
	assets: AssetStatus[];
	/** True when the timeout passed before every asset was completed or failed. */
	timedOut: boolean;
	/** Status requests the waiter made (the transport's retries not counted). */
	polls?: number;
	/** Unfinished assets whose last poll failed (transient error), with that error's message. */
	lastPollErrors?: Record<string, string>;
}

/** Status reported for an asset no poll has answered yet (and that was not in `known`). */
export const UNKNOWN_STATUS = 'unknown';

export const DEFAULT_MIN_INTERVAL_MS = 2500;
export const DEFAULT_MAX_INTERVAL_MS = 15_000;
export const DEFAULT_CONCURRENCY = 5;
/** Interval growth per round in which nothing changed. */
export const INTERVAL_GROWTH = 1.5;
/** Longest wait for a rate-limit window to reset (Hoox windows are one minute). */
export const MAX_RESET_WAIT_MS = 65_000;
/** A poll in flight when the deadline passes is aborted this much later. */
const DEADLINE_GRACE_MS = 5000;
/** Added to a reset time, so the next round does not arrive a hair before the window turns. */
const RESET_MARGIN_MS = 250;

export function isTerminal(status: AssetStatus | undefined): boolean {
	return status?.status === 'completed' || status?.status === 'failed';
}

/** Thrown by waitForAssets when the execution is cancelled; lists what was still generating. */
export class WaitCancelledError extends CancelledError {
	/** Assets that were not completed/failed yet (they keep generating at Hoox). */
	readonly assetIds: string[];
	/** Last known status of every asset, in the order the ids were given. */
	readonly assets: AssetStatus[];

	constructor(assetIds: string[], assets: AssetStatus[]) {
		super();
		this.assetIds = assetIds;
		this.assets = assets;
		if (assetIds.length > 0) {
			this.message = `The execution was cancelled while waiting for Hoox assets: ${assetIds.join(', ')}`;
		}
	}
}

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

/** Polls until every asset is completed or failed, the timeout passes, or the execution is cancelled. */
export async function waitForAssets(
	ctx: HooxContext,
	assetIds: string[],
	options: WaitOptions,
): Promise<WaitResult> {
	const minInterval = positive(options.minIntervalMs, DEFAULT_MIN_INTERVAL_MS);
	const maxInterval = Math.max(
		minInterval,
		positive(options.maxIntervalMs, DEFAULT_MAX_INTERVAL_MS),
	);
	const concurrency = Math.max(1, Math.floor(positive(options.concurrency, DEFAULT_CONCURRENCY)));
	const deadline = Date.now() + Math.max(0, Number(options.timeoutMs) || 0);
	const grace =
		typeof options.deadlineGraceMs === 'number' && Number.isFinite(options.deadlineGraceMs)
			? Math.max(0, options.deadlineGraceMs)
			: DEADLINE_GRACE_MS;
	const userSignal = options.abortSignal;
	const ids = [...new Set(assetIds)];

	const last = new Map<string, AssetStatus>();
	for (const id of ids) {
		const known = options.known?.[id];
		if (known && typeof known === 'object') last.set(id, { ...known, asset_id: id });
	}
	const pollErrors = new Map<string, string>();
	/** Round number in which each asset was last polled (for partial rounds: oldest first). */
	const lastPolledRound = new Map<string, number>();
	let polls = 0;

	const unfinished = () => ids.filter((id) => !isTerminal(last.get(id)));
	const snapshot = () =>
		assetIds.map((id) => last.get(id) ?? ({ asset_id: id, status: UNKNOWN_STATUS } as AssetStatus));
	const result = (timedOut: boolean): WaitResult => {
		const out: WaitResult = { assets: snapshot(), timedOut, polls };
		const open = new Set(unfinished());
		const errors = [...pollErrors].filter(([id]) => open.has(id));
		if (errors.length > 0) out.lastPollErrors = Object.fromEntries(errors);
		return out;
	};
	const cancelled = () => new WaitCancelledError(unfinished(), snapshot());

	if (userSignal?.aborted) throw cancelled();
	if (unfinished().length === 0) return result(false);

	// Every request of this wait stops when the execution is cancelled, when a poll hit a fatal
	// error, or a little after the deadline.
	const requests = new AbortController();
	const stopRequests = () => requests.abort();
	userSignal?.addEventListener('abort', stopRequests, { once: true });
	const deadlineSignal = AbortSignal.timeout(Math.max(1, deadline - Date.now() + grace));
	deadlineSignal.addEventListener('abort', stopRequests, { once: true });

	let rateLimit: RateLimitInfo | undefined;
	const mergeRateLimit = (next: RateLimitInfo) => {
		rateLimit = mergeRateLimitInfo(rateLimit, next);
	};

	try {
		let interval = minInterval;
		let delay = unfinished().every((id) => last.has(id)) ? minInterval : 0;
		let batchSize = Number.POSITIVE_INFINITY;
		let waitsForReset = false;
		for (let round = 1; ; round++) {
			let finalRound = false;
			if (delay > 0) {
				const left = deadline - Date.now();
				// No pause runs past the deadline. A normal pause is cut there and one last round
				// reads the final statuses; a rate-limit window that resets after the deadline
				// has no request left for that round, so the wait ends now.
				if (left <= 0 || (waitsForReset && delay >= left)) return result(true);
				finalRound = delay >= left;
				try {
					await pause(Math.min(delay, left), userSignal);
				} catch {
					// pause() only throws when the execution was cancelled
					throw cancelled();
				}
			}

			const open = unfinished();
			const chosen = open
				.map((id, order) => ({ id, order, polled: lastPolledRound.get(id) ?? 0 }))
				.sort((a, b) => a.polled - b.polled || a.order - b.order)
				.slice(0, Math.max(1, Math.min(open.length, batchSize)))
				.map((entry) => entry.id);

			let changed = false;
			let rateLimited = false;
			let fatal: unknown;
			// Ends the round early (see the file comment); the last round reads every asset.
			const pollEveryAsset = options.pollEveryAsset === true || finalRound;
			let blocked = false;

			const pollOne = async (id: string) => {
				lastPolledRound.set(id, round);
				polls++;
				const before = last.get(id);
				try {
					const response = await readAssetStatus(ctx, id, {
						abortSignal: requests.signal,
						itemIndex: options.itemIndexOf?.(id),
						timeout: clamp(deadline + grace - Date.now(), 1000, 60_000),
						retry: {
							...options.retry,
							maxRateLimitWaitMs: clamp(
								deadline - Date.now(),
								0,
								options.retry?.maxRateLimitWaitMs ?? MAX_RESET_WAIT_MS,
							),
						},
					});
					mergeRateLimit(response.rateLimit);
					const status = response.status;
					if (!status) {
						pollErrors.set(
							id,
							'Hoox answered the status request with something that is not an asset status',
						);
						blocked = true;
						return;
					}
					if (before && before.status !== status.status) changed = true;
					if (!isTerminal(status)) blocked = true;
					last.set(id, status);
					pollErrors.delete(id);
				} catch (error) {
					if (requests.signal.aborted) {
						// cancelled or fatal elsewhere: nothing to add; past the deadline: the failure
						// of a read still retrying is what the timeout error reports
						if (deadlineSignal.aborted && !userSignal?.aborted && error instanceof NodeApiError)
							pollErrors.set(id, messageOf(error));
						return;
					}
					const kind = classify(error);
					if (kind === 'fatal') {
						fatal ??= error;
						requests.abort();
					} else if (kind === 'final') {
						last.set(id, failedByPoll(id, before, error as NodeApiError));
						pollErrors.delete(id);
						changed = true;
					} else {
						blocked = true;
						pollErrors.set(id, messageOf(error));
						if (httpCodeOf(error) === 429) rateLimited = true;
					}
				}
			};

			let next = 0;
			const worker = async () => {
				while (next < chosen.length && !requests.signal.aborted && (pollEveryAsset || !blocked)) {
					await pollOne(chosen[next++]);
				}
			};
			// One probe first: while the batch is still generating, a round costs one request;
			// once assets finish, the round fans out to `concurrency` polls in flight.
			if (!pollEveryAsset && chosen.length > 0) await pollOne(chosen[next++]);
			await Promise.all(Array.from({ length: Math.min(concurrency, chosen.length) }, worker));

			if (userSignal?.aborted) throw cancelled();
			if (fatal !== undefined) throw withUnfinished(fatal, unfinished());

			const pending = unfinished().length;
			if (pending === 0) return result(false);
			if (finalRound || Date.now() >= deadline) return result(true);
			if (options.maxRounds !== undefined && round >= options.maxRounds) return result(true);

			if (changed) interval = minInterval;
			const plan = planNextRound({
				intervalMs: interval,
				pending,
				rateLimit,
				rateLimited,
				roundCost: options.pollEveryAsset ? pending : 1,
				maxIntervalMs: maxInterval,
				now: Date.now(),
			});
			ctx.logger?.debug(
				`Hoox waiter: round ${round} polled ${chosen.length}, ${pending} unfinished, next round in ${plan.delayMs} ms` +
					(plan.waitsForReset ? ' (waiting for the rate-limit window)' : ''),
			);
			delay = plan.delayMs;
			batchSize = plan.batchSize;
			waitsForReset = plan.waitsForReset;
			// After waiting for the window, the budget we saw belongs to the old window.
			if (plan.waitsForReset)
				rateLimit = rateLimit?.limit === undefined ? undefined : { limit: rateLimit.limit };
			interval = Math.min(maxInterval, interval * INTERVAL_GROWTH);
		}
	} finally {
		userSignal?.removeEventListener('abort', stopRequests);
		deadlineSignal.removeEventListener('abort', stopRequests);
	}
}

/** Keeps the lowest `remaining` seen in the current window; a later window replaces it. */
export function mergeRateLimitInfo(
	previous: RateLimitInfo | undefined,
	next: RateLimitInfo,
): RateLimitInfo | undefined {
	if (next.remaining === undefined && next.limit === undefined) return previous;
	if (!previous || previous.remaining === undefined) return { ...next };
	if (next.remaining === undefined) return previous;
	const sameWindow =
		previous.resetAt === undefined ||
		next.resetAt === undefined ||
		Math.abs(next.resetAt - previous.resetAt) <= 1000;
	if (!sameWindow) return (next.resetAt ?? 0) > (previous.resetAt ?? 0) ? { ...next } : previous;
	const merged: RateLimitInfo = {
		limit: next.limit ?? previous.limit,
		remaining: Math.min(previous.remaining, next.remaining),
	};
	const resetAt = Math.max(previous.resetAt ?? 0, next.resetAt ?? 0);
	if (resetAt > 0) merged.resetAt = resetAt;
	return merged;
}

export interface StatusReadOptions {
	itemIndex?: number;
	abortSignal?: AbortSignal;
	/** Timeout of the request (ms; transport default otherwise). */
	timeout?: number;
	retry?: Partial<RetryPolicy>;
}

export interface StatusRead {
	/** The asset's status, or undefined when Hoox answered with something that is not a status. */
	status: AssetStatus | undefined;
	rateLimit: RateLimitInfo;
}

/**
 * GET /asset/status/{id}: the one status read of the package (waiter, Get Status, trigger).
 * HTTP errors are thrown as the transport maps them (404 names the asset).
 */
export async function readAssetStatus(
	ctx: HooxContext,
	assetId: string,
	opts: StatusReadOptions = {},
): Promise<StatusRead> {
	if (!isAssetId(assetId)) {
		// checked where IDs come in; here too, because the ID becomes part of the path
		throw new NodeOperationError(ctx.getNode(), `${showId(assetId)} is not an asset ID`, {
			itemIndex: opts.itemIndex,
			description: 'Its status was not requested.',
		});
	}
	const response = await hooxRequestWithMeta<unknown>(ctx, {
		method: 'GET',
		path: `/asset/status/${encodeURIComponent(assetId)}`,
		abortSignal: opts.abortSignal,
		itemIndex: opts.itemIndex,
		assetIds: [assetId],
		notFound: { kind: 'asset', id: assetId },
		...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
		...(opts.retry ? { retry: opts.retry } : {}),
	});
	return { status: readStatus(assetId, response.body), rateLimit: response.rateLimit };
}

function readStatus(id: string, body: unknown): AssetStatus | undefined {
	return readStatusAnswer(id, body, UNKNOWN_STATUS) as AssetStatus | undefined;
}

type ErrorKind = 'fatal' | 'final' | 'transient';

/** What a poll failure means for the wait (see the file comment). */
function classify(error: unknown): ErrorKind {
	if (!(error instanceof NodeApiError)) return 'fatal';
	const code = httpCodeOf(error);
	if (code === 401) return 'fatal';
	if (code === 400 || code === 403 || code === 404 || code === 410) return 'final';
	return 'transient';
}

function httpCodeOf(error: unknown): number | undefined {
	const code = Number((error as NodeApiError)?.httpCode);
	return Number.isFinite(code) && code > 0 ? code : undefined;
}

function messageOf(error: unknown): string {
	const message = (error as Error)?.message;
	return typeof message === 'string' && message ? message : String(error);
}

function failedByPoll(
	id: string,
	before: AssetStatus | undefined,
	error: NodeApiError,
): AssetStatus {
	const httpCode = httpCodeOf(error);
	const hooxCode = error.errorResponse?.hooxCode;
	const code =
		typeof hooxCode === 'string' && hooxCode
			? hooxCode
			: httpCode === 404 || httpCode === 410
				? 'not_found'
				: httpCode === 403
					? 'forbidden'
					: 'status_unavailable';
	return {
		...(before ?? {}),
		asset_id: id,
		status: 'failed',
		error: { code, message: messageOf(error), ...(httpCode ? { http_code: httpCode } : {}) },
	};
}

/** Adds the unfinished asset ids to a fatal error, so the user can find them later. */
function withUnfinished(error: unknown, ids: string[]): unknown {
	if (error instanceof NodeApiError && ids.length > 0) {
		const note = `Assets not finished when the wait stopped (they keep generating; check them later with Get Status): ${ids.join(', ')}.`;
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}

function positive(value: number | undefined, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function clamp(value: number, low: number, high: number): number {
	return Math.min(high, Math.max(low, value));
}
