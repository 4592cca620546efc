/** Status reads for the callbacks of a parked execution, and the output items once all are done. */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { UNKNOWN_STATUS, type AssetStatus } from '../../../shared/api';
import { maxDownloadBytes } from '../../../shared/assets/downloadGuard';
import { buildAssetItems } from '../items';
import { WaitCancelledError, waitForAssets } from '../poll';
import type { StatusOutcome } from './memory';
import type { WaitState } from './state';

/** Status reads of a callback retry briefly: Hoox waits 10 s for the answer. */
const CALLBACK_RETRY = {
	maxRetries: 1,
	baseDelayMs: 300,
	maxDelayMs: 1000,
	maxRateLimitWaitMs: 2000,
};
/** Bound of one callback's reads (a request in flight then is aborted). */
const READ_BUDGET_MS = 6000;

/**
 * Reads these assets once each (five at a time): Hoox's status, or why it could not be read. A
 * 400/403/404/410 is Hoox's answer too (the asset comes out failed, as when polling).
 */
export async function readStatuses(
	ctx: IWebhookFunctions,
	state: WaitState,
	ids: string[],
): Promise<Map<string, StatusOutcome>> {
	const out = new Map<string, StatusOutcome>();
	if (ids.length === 0) return out;
	const itemOf = new Map(state.assets.map((a) => [a.assetId, a.itemIndex]));
	let assets: AssetStatus[];
	let errors: Record<string, string> = {};
	try {
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: READ_BUDGET_MS,
			maxRounds: 1,
			pollEveryAsset: true,
			itemIndexOf: (id) => itemOf.get(id),
			retry: CALLBACK_RETRY,
			abortSignal: AbortSignal.timeout(READ_BUDGET_MS),
		});
		assets = result.assets;
		errors = result.lastPollErrors ?? {};
	} catch (error) {
		if (!(error instanceof WaitCancelledError)) {
			const reason = (error as Error)?.message ?? String(error);
			for (const id of ids) out.set(id, { ok: false, reason });
			return out;
		}
		assets = error.assets;
	}
	for (const status of assets) {
		const id = status.asset_id;
		if (errors[id] !== undefined) out.set(id, { ok: false, reason: errors[id] });
		else if (status.status === UNKNOWN_STATUS) out.set(id, { ok: false, reason: 'no answer' });
		else out.set(id, { ok: true, status });
	}
	return out;
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
		{
			download: state.download,
			binaryProperty: state.binaryProperty,
			timeoutMs: 0,
			// the node's options are readable here: the same size cap as the polling mode
			maxDownloadBytes: maxDownloadBytes(
				(ctx.getNodeParameter('options', {}) as IDataObject)?.maxDownloadSizeMb,
			),
		},
		{ continueOnFail: true },
	);
}
