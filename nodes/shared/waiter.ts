/**
 * Waits for many Hoox assets at once: one polling loop for the whole batch (all items, all
 * generations), so 20 assets take about one generation's time. The interval adapts (starts
 * short, backs off while nothing changes, slows down when the rate-limit budget runs low),
 * the wait stops when the execution is cancelled, and a timeout returns the last known status
 * of every asset instead of losing them.
 */
import type { IDataObject } from 'n8n-workflow';

import type { HooxContext } from './transport';

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
	/** Statuses already known (e.g. from a callback), keyed by asset id: not polled again if terminal. */
	known?: Record<string, AssetStatus>;
	/** For errors: which input item each asset belongs to. */
	itemIndexOf?: (assetId: string) => number | undefined;
}

export interface WaitResult {
	/** Last known status of every asset, in the order the ids were given. */
	assets: AssetStatus[];
	/** True when the timeout passed before every asset was completed or failed. */
	timedOut: boolean;
}

export function isTerminal(status: AssetStatus | undefined): boolean {
	return status?.status === 'completed' || status?.status === 'failed';
}

/** Polls until every asset is completed or failed, the timeout passes, or the execution is cancelled. */
export async function waitForAssets(
	_ctx: HooxContext,
	_assetIds: string[],
	_options: WaitOptions,
): Promise<WaitResult> {
	throw new Error('not implemented');
}
