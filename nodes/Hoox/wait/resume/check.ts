/** One check of a parked execution's assets, and the full statuses once all are done. */
import type { INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isTerminal, UNKNOWN_STATUS, type AssetStatus } from '../../../shared/api';
import { mergeEventWithStatus } from '../../../shared/assets';
import { buildAssetItems } from '../items';
import { WaitCancelledError, waitForAssets } from '../poll';
import type { WaitState } from './state';

/** Status reads of a check retry briefly (the check's budget bounds them anyway). */
const CALLBACK_RETRY = {
	maxRetries: 1,
	baseDelayMs: 300,
	maxDelayMs: 1000,
	maxRateLimitWaitMs: 2000,
};
/** Bound of the full status read after the decision to resume (Hoox has been answered by then). */
const RESUME_READ_MS = 30_000;

export interface CheckResult {
	/** Every asset is completed or failed. */
	finished: boolean;
	/** Last known status of every asset (read, from a callback, or `unknown`). */
	statuses: Map<string, AssetStatus>;
	/** Unfinished assets found (a lower bound: the round stops at the first one). */
	unfinished: number;
	/** Assets whose status could not be read (transient errors, or the budget ran out). */
	unreadable: string[];
}

/**
 * One waiter round over the assets, newest first (the likeliest to still run): the callbacks'
 * events and the completed/failed statuses read by earlier rounds of this check count as known, and
 * the round stops at the first asset still running, so while anything runs a check costs about
 * one request. `read` collects the completed/failed statuses read from Hoox.
 */
export async function checkAssets(
	ctx: IWebhookFunctions,
	state: WaitState,
	events: Map<string, AssetStatus>,
	read: Map<string, AssetStatus>,
	deadline: number,
): Promise<CheckResult> {
	const ids = state.assets.map((a) => a.assetId).reverse();
	const itemOf = new Map(state.assets.map((a) => [a.assetId, a.itemIndex]));
	const known: Record<string, AssetStatus> = {};
	for (const [id, status] of events) known[id] = status;
	for (const [id, status] of read) known[id] = status;
	const left = Math.max(1, deadline - Date.now());
	let assets: AssetStatus[];
	let errors: Record<string, string> = {};
	let cutShort = false;
	try {
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: left,
			maxRounds: 1,
			pollEveryAsset: false,
			known,
			itemIndexOf: (id) => itemOf.get(id),
			retry: CALLBACK_RETRY,
			abortSignal: AbortSignal.timeout(left),
		});
		assets = result.assets;
		errors = result.lastPollErrors ?? {};
	} catch (error) {
		if (!(error instanceof WaitCancelledError)) {
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error);
		}
		assets = error.assets;
		cutShort = true;
	}
	const statuses = new Map<string, AssetStatus>();
	const unreadable: string[] = [];
	let unfinished = 0;
	for (const status of assets) {
		const id = status.asset_id;
		statuses.set(id, status);
		if (isTerminal(status)) {
			if (!isTerminal(known[id])) read.set(id, status);
			continue;
		}
		if (errors[id] !== undefined || (cutShort && status.status === UNKNOWN_STATUS))
			unreadable.push(id);
		else if (status.status !== UNKNOWN_STATUS) unfinished++;
	}
	const finished = assets.every((s) => isTerminal(s));
	return { finished, statuses, unfinished, unreadable };
}

/**
 * The statuses for the output: the ones known only from a callback are read in full once (the
 * callback carries fewer fields); a status that lags behind its callback keeps the callback's.
 */
export async function fullStatuses(
	ctx: IWebhookFunctions,
	state: WaitState,
	checked: Map<string, AssetStatus>,
	read: Map<string, AssetStatus>,
	events: Map<string, AssetStatus>,
): Promise<Map<string, AssetStatus>> {
	const statuses = new Map(checked);
	for (const [id, status] of read) statuses.set(id, status);
	const missing = state.assets.map((a) => a.assetId).filter((id) => !read.has(id));
	if (missing.length === 0) return statuses;
	const itemOf = new Map(state.assets.map((a) => [a.assetId, a.itemIndex]));
	try {
		const result = await waitForAssets(ctx, missing, {
			timeoutMs: RESUME_READ_MS,
			maxRounds: 1,
			pollEveryAsset: true,
			itemIndexOf: (id) => itemOf.get(id),
		});
		for (const status of result.assets) {
			const id = status.asset_id;
			const event = events.get(id) ?? checked.get(id);
			if (event && status.status !== UNKNOWN_STATUS)
				statuses.set(id, mergeEventWithStatus(event, status).merged);
			else if (event) statuses.set(id, event);
			else statuses.set(id, status);
		}
	} catch (error) {
		ctx.logger?.warn(
			`Hoox: the full status of ${missing.join(', ')} could not be read; the callbacks' fields are used: ${(error as Error)?.message ?? error}`,
		);
	}
	return statuses;
}

/** The items of the polling mode (the one builder): one per asset, by input item, failed ones with their error. */
export async function outputItems(
	ctx: IWebhookFunctions,
	state: WaitState,
	statuses: Map<string, AssetStatus>,
): Promise<INodeExecutionData[]> {
	// A download that fails becomes the item's error: after a resume nothing may throw.
	return await buildAssetItems(
		ctx,
		state.assets,
		statuses,
		{ download: state.download, binaryProperty: state.binaryProperty, timeoutMs: 0 },
		{ continueOnFail: true },
	);
}
