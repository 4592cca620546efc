/**
 * A delivery is only a wake-up call: Hoox signs nothing, so anyone who knows the trigger URL can
 * post a `completed` event. Before a workflow starts, the trigger asks Hoox (GET /asset/status)
 * whether the asset really is in the state the event claims; the output item and the file to
 * download come from that answer only, never from the delivery's body.
 */
import type { IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { getStatus, type AssetStatus } from '../shared/api';
import { quoteUntrusted } from '../shared/util/untrusted';

export type Confirmation =
	/** Hoox reports the asset in the state the event claims. */
	| { kind: 'confirmed'; status: AssetStatus }
	/** Hoox knows no such asset, or reports another state (forged, or its status lags behind). */
	| { kind: 'unconfirmed'; reason: string }
	/** The status read failed: nobody can tell yet. */
	| { kind: 'unavailable'; reason: string };

/** Hoox waits for the answer to a delivery: the read that decides it must be short. */
const CONFIRM_TIMEOUT_MS = 5_000;
const CONFIRM_RETRY = { maxRetries: 1, baseDelayMs: 250, maxDelayMs: 500, maxRateLimitWaitMs: 0 };

export async function confirmEvent(
	ctx: IWebhookFunctions,
	assetId: string,
	claimed: string,
): Promise<Confirmation> {
	try {
		const { status } = await getStatus(ctx, assetId, {
			timeout: CONFIRM_TIMEOUT_MS,
			retry: CONFIRM_RETRY,
		});
		if (!status) return { kind: 'unavailable', reason: 'Hoox answered with no asset status' };
		if (status.status === claimed) return { kind: 'confirmed', status };
		return {
			kind: 'unconfirmed',
			reason: `Hoox reports asset ${assetId} as ${quoteUntrusted(status.status, 32)}, not ${claimed}`,
		};
	} catch (error) {
		const code = error instanceof NodeApiError ? Number(error.httpCode) : undefined;
		if (code === 404) return { kind: 'unconfirmed', reason: `Hoox knows no asset ${assetId}` };
		return {
			kind: 'unavailable',
			reason: `the status read failed${code ? ` (HTTP ${code})` : ''}`,
		};
	}
}

// ---------------------------------------------------------------------------------------------
// Status reads a trigger without a token may spend

/**
 * Without a token, every forged delivery would cost one request of the space's 100/min budget.
 * Such a trigger may read at most this many statuses a minute (within one n8n process); beyond,
 * deliveries are answered 429 and Hoox retries them.
 */
export const UNAUTHENTICATED_READS_PER_MINUTE = 30;
const WINDOW_MS = 60_000;
const MAX_TRACKED_NODES = 1_000;

const readsByNode = new Map<string, number[]>();

/** Takes one status read from the node's budget; false when the minute's budget is spent. */
export function takeStatusRead(
	nodeKey: string,
	now = Date.now(),
	perMinute = UNAUTHENTICATED_READS_PER_MINUTE,
): boolean {
	const recent = (readsByNode.get(nodeKey) ?? []).filter((at) => now - at < WINDOW_MS);
	if (recent.length >= perMinute) {
		readsByNode.set(nodeKey, recent);
		return false;
	}
	recent.push(now);
	readsByNode.delete(nodeKey);
	readsByNode.set(nodeKey, recent);
	if (readsByNode.size > MAX_TRACKED_NODES) {
		readsByNode.delete(readsByNode.keys().next().value as string);
	}
	return true;
}
