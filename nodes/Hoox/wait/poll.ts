/**
 * Waits for many Hoox assets at once: one polling loop for every asset of every item.
 *
 * - A round polls the unfinished assets, least recently polled first, `concurrency` at a time.
 *   It starts with one poll and fans out only while polls find finished assets: an asset still
 *   running means the wait cannot end yet, so polling the others would only spend the rate limit.
 *   `pollEveryAsset` polls all of them every round; the round at the deadline always does.
 * - The pause after a round comes from what is known (schedule.ts): how long the model took in
 *   earlier waits of this process (history.ts), whether an asset of the batch is done already, the
 *   reads spent; then it stretches to fit the rate-limit budget of the API key, which every
 *   execution of this process shares (pace.ts, shared/api/budget.ts).
 * - A poll error: 401 stops the wait (no poll can succeed); 400/403/404/410 fail that asset;
 *   anything else is transient (kept, polled again, listed in `lastPollErrors`).
 * - Cancel throws WaitCancelledError; a timeout returns the last known status of every asset.
 *   No pause runs past the deadline; a poll in flight `deadlineGraceMs` after it is aborted.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	budgetKey,
	CREDENTIAL_TYPE,
	currentBudget,
	getStatus,
	isTerminal,
	mergeRateLimitInfo,
	normalizeBaseUrl,
	UNKNOWN_STATUS,
	type AssetStatus,
	type HooxContext,
	type RateLimitInfo,
	type RetryPolicy,
} from '../../shared/api';
import { CancelledError, pause } from '../../shared/util/timing';
import { earliestCompletion, learnDuration, modelKey } from './history';
import { clamp, MAX_RESET_WAIT_MS, planNextRound } from './pace';
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

/** What one round found. */
interface Round {
	number: number;
	/** Assets chosen for this round. */
	size: number;
	pollEveryAsset: boolean;
	changed: boolean;
	rateLimited: boolean;
	/** An asset is still running (or its poll failed transiently): the round may stop. */
	blocked: boolean;
	fatal?: unknown;
}

class PollLoop {
	private readonly minInterval: number;
	private readonly maxInterval: number;
	private readonly concurrency: number;
	private readonly deadline: number;
	private readonly grace: number;
	private readonly ids: string[];
	private readonly last = new Map<string, AssetStatus>();
	private readonly pollErrors = new Map<string, string>();
	/** Round in which each asset was last polled (a partial round polls the oldest first). */
	private readonly lastPolledRound = new Map<string, number>();
	/** Every request of this wait stops on cancel, on a fatal error, or a little after the deadline. */
	private readonly requests = new AbortController();
	private rateLimit: RateLimitInfo | undefined;
	private polls = 0;
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
		this.concurrency = Math.max(1, Math.floor(positive(options.concurrency, DEFAULT_CONCURRENCY)));
		this.deadline = Date.now() + Math.max(0, Number(options.timeoutMs) || 0);
		this.grace =
			typeof options.deadlineGraceMs === 'number' && Number.isFinite(options.deadlineGraceMs)
				? Math.max(0, options.deadlineGraceMs)
				: DEADLINE_GRACE_MS;
		this.ids = [...new Set(assetIds)];
		for (const id of this.ids) {
			const known = options.known?.[id];
			if (known && typeof known === 'object') this.last.set(id, { ...known, asset_id: id });
		}
		this.firstDoneSeen = this.ids.some((id) => isTerminal(this.last.get(id)));
	}

	async run(): Promise<WaitResult> {
		const userSignal = this.options.abortSignal;
		if (userSignal?.aborted) throw this.cancelled();
		if (this.unfinished().length === 0) return this.result(false);
		const stopRequests = () => this.requests.abort();
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
			const credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
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
		let delay = this.unfinished().every((id) => this.last.has(id)) ? this.firstDelay() : 0;
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
			const round = await this.poll(number, batchSize, finalRound);
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
			if (plan.waitsForReset)
				this.rateLimit =
					this.rateLimit?.limit === undefined ? undefined : { limit: this.rateLimit.limit };
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
			readsSpent: this.polls,
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
		return (this.budgetId && currentBudget(this.budgetId)) || this.rateLimit;
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

	/** One round: up to `batchSize` assets, polled longest ago first. */
	private async poll(number: number, batchSize: number, finalRound: boolean): Promise<Round> {
		const open = this.unfinished();
		const chosen = open
			.map((id, order) => ({ id, order, polled: this.lastPolledRound.get(id) ?? 0 }))
			.sort((a, b) => a.polled - b.polled || a.order - b.order)
			.slice(0, Math.max(1, Math.min(open.length, batchSize)))
			.map((entry) => entry.id);
		const round: Round = {
			number,
			size: chosen.length,
			pollEveryAsset: this.options.pollEveryAsset === true || finalRound,
			changed: false,
			rateLimited: false,
			blocked: false,
		};
		let next = 0;
		const worker = async () => {
			while (
				next < chosen.length &&
				!this.requests.signal.aborted &&
				(round.pollEveryAsset || !round.blocked)
			) {
				await this.pollOne(chosen[next++], round);
			}
		};
		// One probe first: while the batch is still generating, a round costs one request.
		if (!round.pollEveryAsset && chosen.length > 0) await this.pollOne(chosen[next++], round);
		await Promise.all(Array.from({ length: Math.min(this.concurrency, chosen.length) }, worker));
		return round;
	}

	private async pollOne(id: string, round: Round): Promise<void> {
		this.lastPolledRound.set(id, round.number);
		this.polls++;
		const before = this.last.get(id);
		try {
			const { status, rateLimit } = await getStatus(this.ctx, id, {
				abortSignal: this.requests.signal,
				itemIndex: this.options.itemIndexOf?.(id),
				timeout: clamp(this.deadline + this.grace - Date.now(), 1000, 60_000),
				retry: {
					...this.options.retry,
					maxRateLimitWaitMs: clamp(
						this.deadline - Date.now(),
						0,
						this.options.retry?.maxRateLimitWaitMs ?? MAX_RESET_WAIT_MS,
					),
				},
			});
			this.rateLimit = mergeRateLimitInfo(this.rateLimit, rateLimit);
			if (!status) {
				this.pollErrors.set(id, NOT_A_STATUS);
				round.blocked = true;
				return;
			}
			if (before && before.status !== status.status) round.changed = true;
			if (!isTerminal(status)) round.blocked = true;
			this.observe(id, status, before);
			this.last.set(id, status);
			this.pollErrors.delete(id);
		} catch (error) {
			this.pollFailed(id, before, error, round);
		}
	}

	private pollFailed(id: string, before: AssetStatus | undefined, error: unknown, round: Round) {
		if (this.requests.signal.aborted) {
			// cancelled or fatal elsewhere: nothing to add; past the deadline: the failure of a read
			// still retrying is what the timeout error reports
			const pastDeadline = Date.now() >= this.deadline && !this.options.abortSignal?.aborted;
			if (pastDeadline && error instanceof NodeApiError) this.pollErrors.set(id, messageOf(error));
			return;
		}
		const kind = classify(error);
		if (kind === 'fatal') {
			round.fatal ??= error;
			this.requests.abort();
		} else if (kind === 'final') {
			this.last.set(id, failedByPoll(id, before, error as NodeApiError));
			this.pollErrors.delete(id);
			round.changed = true;
		} else {
			round.blocked = true;
			this.pollErrors.set(id, messageOf(error));
			if (httpCodeOf(error) === 429) round.rateLimited = true;
		}
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
		return this.ids.filter((id) => !isTerminal(this.last.get(id)));
	}

	private snapshot(): AssetStatus[] {
		return this.assetIds.map(
			(id) => this.last.get(id) ?? ({ asset_id: id, status: UNKNOWN_STATUS } as AssetStatus),
		);
	}

	private result(timedOut: boolean): WaitResult {
		const out: WaitResult = { assets: this.snapshot(), timedOut, polls: this.polls };
		const open = new Set(this.unfinished());
		const errors = [...this.pollErrors].filter(([id]) => open.has(id));
		if (errors.length > 0) out.lastPollErrors = Object.fromEntries(errors);
		return out;
	}

	private cancelled(): WaitCancelledError {
		return new WaitCancelledError(this.unfinished(), this.snapshot());
	}
}

const NOT_A_STATUS = 'Hoox answered the status request with something that is not an asset status';

type ErrorKind = 'fatal' | 'final' | 'transient';

/** What a poll failure means for the wait. */
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
	const failure: IDataObject = {
		code,
		message: messageOf(error),
		...(httpCode ? { http_code: httpCode } : {}),
	};
	return { ...(before ?? {}), asset_id: id, status: 'failed', error: failure };
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
