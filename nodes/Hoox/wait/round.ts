/**
 * The status reads of one wait (poll.ts decides when a round runs and how many assets it reads).
 *
 * A round reads the chosen assets, least recently read first, `concurrency` at a time. Unless
 * every asset must be read, it starts with one read and fans out only while reads find finished
 * assets: an asset still running means the wait cannot end yet, so reading the others would only
 * spend the rate limit. What a failed read means is readErrors.ts.
 */
import { NodeApiError } from 'n8n-workflow';

import {
	getStatus,
	isTerminal,
	mergeRateLimitInfo,
	type AssetStatus,
	type HooxContext,
	type RateLimitInfo,
	type RetryPolicy,
} from '../../shared/api';
import { clamp, MAX_RESET_WAIT_MS } from './pace';
import { classify, failedByPoll, httpCodeOf, messageOf, NOT_A_STATUS } from './readErrors';

/** What one round found. */
export interface Round {
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

export interface ReadSettings {
	ctx: HooxContext;
	/** When the wait ends (epoch ms); a read in flight `graceMs` after it is aborted. */
	deadline: number;
	graceMs: number;
	/** Status requests in flight at once. */
	concurrency: number;
	/** Read every chosen asset, not only until the first running one. */
	pollEveryAsset: boolean;
	itemIndexOf?: (assetId: string) => number | undefined;
	retry?: Partial<RetryPolicy>;
	/** The execution's cancel signal. */
	cancelSignal?: AbortSignal;
	/** Told every status read, with the asset's status before it. */
	onStatus: (id: string, status: AssetStatus, before: AssetStatus | undefined) => void;
}

export class StatusReads {
	/** Last known status of each asset. */
	readonly last = new Map<string, AssetStatus>();
	/** Each asset's last transient read failure (cleared by a good read). */
	readonly errors = new Map<string, string>();
	/** Every request of this wait stops on cancel, on a fatal error, or a little after the deadline. */
	readonly requests = new AbortController();
	/** What the answers said about the rate limit. */
	rateLimit: RateLimitInfo | undefined;
	/** Status requests made (the request door's retries not counted). */
	count = 0;
	/** Round in which each asset was last read (a partial round reads the oldest first). */
	private readonly lastReadRound = new Map<string, number>();

	constructor(private readonly settings: ReadSettings) {}

	/** One round: up to `batchSize` of the `open` assets, read longest ago first. */
	async round(
		open: string[],
		number: number,
		batchSize: number,
		finalRound: boolean,
	): Promise<Round> {
		const chosen = open
			.map((id, order) => ({ id, order, polled: this.lastReadRound.get(id) ?? 0 }))
			.sort((a, b) => a.polled - b.polled || a.order - b.order)
			.slice(0, Math.max(1, Math.min(open.length, batchSize)))
			.map((entry) => entry.id);
		const round: Round = {
			number,
			size: chosen.length,
			pollEveryAsset: this.settings.pollEveryAsset || finalRound,
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
				await this.readOne(chosen[next++], round);
			}
		};
		// One probe first: while the batch is still generating, a round costs one request.
		if (!round.pollEveryAsset && chosen.length > 0) await this.readOne(chosen[next++], round);
		const workers = Math.min(this.settings.concurrency, chosen.length);
		await Promise.all(Array.from({ length: workers }, worker));
		return round;
	}

	private async readOne(id: string, round: Round): Promise<void> {
		const { ctx, deadline, graceMs, retry } = this.settings;
		this.lastReadRound.set(id, round.number);
		this.count++;
		const before = this.last.get(id);
		try {
			const { status, rateLimit } = await getStatus(ctx, id, {
				abortSignal: this.requests.signal,
				itemIndex: this.settings.itemIndexOf?.(id),
				timeout: clamp(deadline + graceMs - Date.now(), 1000, 60_000),
				retry: {
					...retry,
					maxRateLimitWaitMs: clamp(
						deadline - Date.now(),
						0,
						retry?.maxRateLimitWaitMs ?? MAX_RESET_WAIT_MS,
					),
				},
			});
			this.rateLimit = mergeRateLimitInfo(this.rateLimit, rateLimit);
			if (!status) {
				this.errors.set(id, NOT_A_STATUS);
				round.blocked = true;
				return;
			}
			if (before && before.status !== status.status) round.changed = true;
			if (!isTerminal(status)) round.blocked = true;
			this.settings.onStatus(id, status, before);
			this.last.set(id, status);
			this.errors.delete(id);
		} catch (error) {
			this.readFailed(id, before, error, round);
		}
	}

	private readFailed(id: string, before: AssetStatus | undefined, error: unknown, round: Round) {
		if (this.requests.signal.aborted) {
			// cancelled or fatal elsewhere: nothing to add; past the deadline: the failure of a read
			// still retrying is what the timeout error reports
			const pastDeadline =
				Date.now() >= this.settings.deadline && !this.settings.cancelSignal?.aborted;
			if (pastDeadline && error instanceof NodeApiError) this.errors.set(id, messageOf(error));
			return;
		}
		const kind = classify(error);
		if (kind === 'fatal') {
			round.fatal ??= error;
			this.requests.abort();
		} else if (kind === 'final') {
			this.last.set(id, failedByPoll(id, before, error as NodeApiError));
			this.errors.delete(id);
			round.changed = true;
		} else {
			round.blocked = true;
			this.errors.set(id, messageOf(error));
			if (httpCodeOf(error) === 429) round.rateLimited = true;
		}
	}
}
