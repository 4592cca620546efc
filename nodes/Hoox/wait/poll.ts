/**
 * Waits for many Hoox assets at once: one polling loop for every asset of every item.
 *
 * - A round reads the unfinished assets (round.ts): one probe, fanning out only while reads find
 *   finished assets. `pollEveryAsset` reads all of them every round; the round at the deadline
 *   always does.
 * - The pause after a round comes from what is known (schedule.ts): how long the model took in
 *   earlier waits of this process (history.ts), whether an asset of the batch is done already, the
 *   reads spent; then it stretches to fit the rate-limit budget of the API key, which every
 *   execution of this process shares (pace.ts, shared/api/budget.ts).
 * - A read error (readErrors.ts): 401 stops the wait; 400/403/404/410 fail that asset; anything
 *   else is transient (kept, polled again, listed in `lastPollErrors`).
 * - Cancel throws WaitCancelledError; a timeout returns the last known status of every asset.
 *   No pause runs past the deadline; a poll in flight `deadlineGraceMs` after it is aborted.
 */
import {
	budgetKey,
	hooxCredentials,
	currentBudget,
	isTerminal,
	normalizeBaseUrl,
	UNKNOWN_STATUS,
	type AssetStatus,
	type HooxContext,
	type RateLimitInfo,
	type RetryPolicy,
} from '../../shared/api';
import { CancelledError, pause } from '../../shared/util/timing';
import { earliestCompletion, learnDuration, modelKey } from './history';
import { planNextRound } from './pace';
import { withUnfinished } from './readErrors';
import { StatusReads } from './round';
import { nextStep } from './schedule';

export interface WaitOptions {
	/** Give up after this long (ms). */
	timeoutMs: number;
	/** First poll interval (ms); default 2500. */
	minIntervalMs?: number;
	/** Longest poll interval (ms); default 15000. */
	maxIntervalMs?: number;
	abortSignal?: AbortSignal;
	/**
	 * Statuses already known (e.g. from a callback or the submit answer): terminal ones are not
	 * polled again; when every unfinished asset has one, the first round waits `minIntervalMs`.
	 */
	known?: Record<string, AssetStatus>;
	/** For errors: which input item each asset belongs to. */
	itemIndexOf?: (assetId: string) => number | undefined;
	/** Status requests in flight at once (default 5). */
	concurrency?: number;
	/** Retry policy of each status request. */
	retry?: Partial<RetryPolicy>;
	/** Poll every unfinished asset in every round (default false: stop at the first running one). */
	pollEveryAsset?: boolean;
	/** Stop after this many rounds (`timedOut: true` if an asset is still unfinished). */
	maxRounds?: number;
	/** How long after the deadline a poll in flight is aborted (default 5000 ms). */
	deadlineGraceMs?: number;
	/** When each asset was submitted (epoch ms; default: when the wait started). */
	submittedAt?: (assetId: string) => number | undefined;
	/** Each asset's model: its learned generation time guides the schedule, and this wait teaches it. */
	modelOf?: (assetId: string) => string | undefined;
}

export interface WaitResult {
	/** Last known status of every asset, in the order given (`unknown` when never read). */
	assets: AssetStatus[];
	/** True when the timeout passed before every asset was completed or failed. */
	timedOut: boolean;
	/** Status requests the waiter made (the request door's retries not counted). */
	polls?: number;
	/** Unfinished assets whose last poll failed (transient error), with that error's message. */
	lastPollErrors?: Record<string, string>;
}

export const DEFAULT_MIN_INTERVAL_MS = 2500;
export const DEFAULT_MAX_INTERVAL_MS = 15_000;
export const DEFAULT_CONCURRENCY = 5;
const DEADLINE_GRACE_MS = 5000;

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

/** Polls until every asset is completed or failed, the timeout passes, or the execution is cancelled. */
export async function waitForAssets(
	ctx: HooxContext,
	assetIds: string[],
	options: WaitOptions,
): Promise<WaitResult> {
	return await new PollLoop(ctx, assetIds, options).run();
}

class PollLoop {
	private readonly minInterval: number;
	private readonly maxInterval: number;
	private readonly deadline: number;
	private readonly grace: number;
	private readonly ids: string[];
	private readonly reads: StatusReads;
	private readonly startedAt = Date.now();
	/** When each asset was last read still running (for the learned duration). */
	private readonly runningAt = new Map<string, number>();
	/** An asset of this wait was seen completed or failed: the others are close. */
	private firstDoneSeen = false;
	/** The shared rate-limit budget of this API key (a hash; undefined without credentials). */
	private budgetId: string | undefined;
	/** Each asset's key in the learned durations. */
	private readonly modelKeys = new Map<string, string>();

	constructor(
		private readonly ctx: HooxContext,
		private readonly assetIds: string[],
		private readonly options: WaitOptions,
	) {
		this.minInterval = positive(options.minIntervalMs, DEFAULT_MIN_INTERVAL_MS);
		this.maxInterval = Math.max(
			this.minInterval,
			positive(options.maxIntervalMs, DEFAULT_MAX_INTERVAL_MS),
		);
		this.deadline = Date.now() + Math.max(0, Number(options.timeoutMs) || 0);
		this.grace =
			typeof options.deadlineGraceMs === 'number' && Number.isFinite(options.deadlineGraceMs)
				? Math.max(0, options.deadlineGraceMs)
				: DEADLINE_GRACE_MS;
		this.reads = new StatusReads({
			ctx,
			deadline: this.deadline,
			graceMs: this.grace,
			concurrency: Math.max(1, Math.floor(positive(options.concurrency, DEFAULT_CONCURRENCY))),
			pollEveryAsset: options.pollEveryAsset === true,
			itemIndexOf: options.itemIndexOf,
			retry: options.retry,
			cancelSignal: options.abortSignal,
			onStatus: (id, status, before) => this.observe(id, status, before),
		});
		this.ids = [...new Set(assetIds)];
		for (const id of this.ids) {
			const known = options.known?.[id];
			if (known && typeof known === 'object') this.reads.last.set(id, { ...known, asset_id: id });
		}
		this.firstDoneSeen = this.ids.some((id) => isTerminal(this.reads.last.get(id)));
	}

	async run(): Promise<WaitResult> {
		const userSignal = this.options.abortSignal;
		if (userSignal?.aborted) throw this.cancelled();
		if (this.unfinished().length === 0) return this.result(false);
		const stopRequests = () => this.reads.requests.abort();
		userSignal?.addEventListener('abort', stopRequests, { once: true });
		const deadlineSignal = AbortSignal.timeout(
			Math.max(1, this.deadline - Date.now() + this.grace),
		);
		deadlineSignal.addEventListener('abort', stopRequests, { once: true });
		try {
			await this.identify();
			return await this.rounds();
		} finally {
			userSignal?.removeEventListener('abort', stopRequests);
			deadlineSignal.removeEventListener('abort', stopRequests);
		}
	}

	/** The budget's and the learned durations' keys (hashes) from the credential. */
	private async identify(): Promise<void> {
		try {
			const credentials = await hooxCredentials(this.ctx);
			const baseUrl = normalizeBaseUrl(credentials.baseUrl as string | undefined);
			const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
			this.budgetId = budgetKey(baseUrl, apiKey);
			for (const id of this.ids) {
				const model = this.options.modelOf?.(id);
				if (model) this.modelKeys.set(id, modelKey(baseUrl, model));
			}
		} catch {
			// no credential: the first request says so
		}
	}

	private async rounds(): Promise<WaitResult> {
		let delay = this.unfinished().every((id) => this.reads.last.has(id)) ? this.firstDelay() : 0;
		let batchSize = Number.POSITIVE_INFINITY;
		let waitsForReset = false;
		for (let number = 1; ; number++) {
			let finalRound = false;
			if (delay > 0) {
				const left = this.deadline - Date.now();
				// A normal pause is cut at the deadline and one last round reads the final statuses;
				// a rate-limit window that resets after the deadline leaves no request for it.
				if (left <= 0 || (waitsForReset && delay >= left)) return this.result(true);
				finalRound = delay >= left;
				await this.pause(Math.min(delay, left));
			}
			const round = await this.reads.round(this.unfinished(), number, batchSize, finalRound);
			if (this.options.abortSignal?.aborted) throw this.cancelled();
			if (round.fatal !== undefined) throw withUnfinished(round.fatal, this.unfinished());

			const pending = this.unfinished().length;
			if (pending === 0) return this.result(false);
			if (finalRound || Date.now() >= this.deadline) return this.result(true);
			if (this.options.maxRounds !== undefined && number >= this.options.maxRounds)
				return this.result(true);

			const step = this.step(delay);
			const plan = planNextRound({
				intervalMs: step.delayMs,
				pending,
				rateLimit: this.budget(),
				rateLimited: round.rateLimited,
				roundCost: this.options.pollEveryAsset ? pending : 1,
				maxIntervalMs: Math.max(this.maxInterval, step.delayMs),
				now: Date.now(),
			});
			this.ctx.logger?.debug(
				`Hoox waiter: round ${number} polled ${round.size}, ${pending} unfinished, next round in ${plan.delayMs} ms (${step.reason})` +
					(plan.waitsForReset ? ' (waiting for the rate-limit window)' : ''),
			);
			({ delayMs: delay, batchSize, waitsForReset } = plan);
			// After waiting for the window, the budget we saw belongs to the old window.
			if (plan.waitsForReset) {
				const limit = this.reads.rateLimit?.limit;
				this.reads.rateLimit = limit === undefined ? undefined : { limit };
			}
		}
	}

	/** The first pause when every status is known: until about the learned duration, if any. */
	private firstDelay(): number {
		return this.expectedMs(this.unfinished()) === undefined
			? this.minInterval
			: this.step(0).delayMs;
	}

	private step(previousDelayMs: number) {
		const open = this.unfinished();
		return nextStep({
			now: Date.now(),
			oldestSubmittedAt: Math.min(...open.map((id) => this.submittedAt(id))),
			expectedMs: this.expectedMs(open),
			firstDoneSeen: this.firstDoneSeen,
			readsSpent: this.reads.count,
			assets: this.ids.length,
			unfinished: open.length,
			minIntervalMs: this.minInterval,
			maxIntervalMs: this.maxInterval,
			previousDelayMs,
		});
	}

	private submittedAt(id: string): number {
		return this.options.submittedAt?.(id) ?? this.startedAt;
	}

	/** The shortest learned generation time of the models still generating. */
	private expectedMs(open: string[]): number | undefined {
		const learned = open
			.map((id) => this.modelKeys.get(id))
			.map((key) => (key === undefined ? undefined : earliestCompletion(key)))
			.filter((ms): ms is number => ms !== undefined);
		return learned.length > 0 ? Math.min(...learned) : undefined;
	}

	/** What Hoox allows now: the key's budget shared by every execution, else this wait's view. */
	private budget(): RateLimitInfo | undefined {
		return (this.budgetId && currentBudget(this.budgetId)) || this.reads.rateLimit;
	}

	/** Teaches the learned durations: this asset took between its last "running" read and now. */
	private observe(id: string, status: AssetStatus, before: AssetStatus | undefined): void {
		const now = Date.now();
		if (!isTerminal(status)) {
			this.runningAt.set(id, now);
			return;
		}
		this.firstDoneSeen = true;
		const key = this.modelKeys.get(id);
		const submitted = this.options.submittedAt?.(id);
		if (status.status !== 'completed' || isTerminal(before) || !key || submitted === undefined)
			return;
		const running = this.runningAt.get(id);
		learnDuration(key, now - submitted, running === undefined ? undefined : running - submitted);
	}

	private async pause(ms: number): Promise<void> {
		try {
			await pause(ms, this.options.abortSignal);
		} catch {
			// pause() only throws when the execution was cancelled
			throw this.cancelled();
		}
	}

	private unfinished(): string[] {
		return this.ids.filter((id) => !isTerminal(this.reads.last.get(id)));
	}

	private snapshot(): AssetStatus[] {
		return this.assetIds.map(
			(id) => this.reads.last.get(id) ?? ({ asset_id: id, status: UNKNOWN_STATUS } as AssetStatus),
		);
	}

	private result(timedOut: boolean): WaitResult {
		const out: WaitResult = { assets: this.snapshot(), timedOut, polls: this.reads.count };
		const open = new Set(this.unfinished());
		const errors = [...this.reads.errors].filter(([id]) => open.has(id));
		if (errors.length > 0) out.lastPollErrors = Object.fromEntries(errors);
		return out;
	}

	private cancelled(): WaitCancelledError {
		return new WaitCancelledError(this.unfinished(), this.snapshot());
	}
}

function positive(value: number | undefined, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
