/**
 * The Hoox node's webhook(): Hoox's callbacks to the resume URL of an execution that Generate
 * parked in Wait Mode "Resume on Webhook" (see actions/asset/resume.ts).
 *
 * n8n calls this only while the execution is `waiting` (it answers 409 itself while the execution
 * runs and once it has finished, 401 on 2.x without the resume token). For each callback:
 *   1. a body that is not a Hoox asset event → 400, the execution keeps waiting;
 *   2. the wait state comes from the execution's custom data; none, another node's, or an asset
 *      this execution does not wait for → 4xx, the execution keeps waiting;
 *   3. the assets are checked with GET /asset/status (batches, stopping at the first batch with an
 *      unfinished asset): Hoox's status decides, not the number of callbacks, so duplicate, late
 *      and lost callbacks do no harm. The asset of the callback counts as finished even if its
 *      status lags behind the callback;
 *   4. not all finished → 200 `{ received: true, resumed: false, waiting_for }`, nothing resumes
 *      (and n8n saves nothing); a status read failed → 503, so Hoox delivers again;
 *   5. all finished → 200 `{ received: true, resumed: true }` at once, then the output items (as
 *      the polling mode makes them; downloads if the option is on) resume the execution. After a
 *      resume n8n runs the next nodes, not this one: failed assets are items with
 *      `status: 'failed'` and `error`, never a node error.
 * Nothing here throws: n8n would turn a thrown error into a resumed execution with an empty item.
 *
 * Two callbacks can see "all finished" at the same moment (generations of one request finish
 * together). n8n 2.x lets only one of them resume; 1.x would resume twice, so the first one
 * claims the execution in this process and the others are only acknowledged.
 */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { downloadAsset, statusFromWebhook, toAssetItem } from '../shared/assetOutput';
import { isTerminal, type AssetStatus } from '../shared/waiter';
import { parsePayload } from '../HooxTrigger/delivery';
import { decodeWaitState, pollOnce, webhookCustomData, type WaitState } from './actions/asset/resume';

/**
 * The node's only webhook: a restart webhook, reached only through `$execution.resumeUrl` of a
 * waiting execution (path '' = no suffix after the execution id). n8n registers nothing for it when
 * a workflow is activated, so the node has no webhookMethods (as n8n's own send-and-wait nodes).
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true },
];

/** Assets checked per status batch (5 requests in flight). */
const BATCH = 10;
/** Hoox waits 10 s for an answer: status reads retry briefly. */
const CALLBACK_RETRY = { maxRetries: 1, baseDelayMs: 300, maxDelayMs: 1000, maxRateLimitWaitMs: 2000 };
/** Bound of one status batch (a request still running 5 s after it is aborted by the waiter). */
const CALLBACK_CHECK_MS = 3000;

/** Executions this process is resuming (execution id → time claimed). */
const claims = new Map<string, number>();
const CLAIM_TTL_MS = 15 * 60_000;
const MAX_CLAIMS = 10_000;

function pruneClaims(now: number): void {
	for (const [key, at] of claims) {
		if (now - at > CLAIM_TTL_MS || claims.size > MAX_CLAIMS) claims.delete(key);
	}
}

/** Claims the resume of an execution; false when another callback already did. */
export function claimResume(executionId: string, now = Date.now()): boolean {
	pruneClaims(now);
	if (claims.has(executionId)) return false;
	claims.set(executionId, now);
	return true;
}

export function releaseResume(executionId: string): void {
	claims.delete(executionId);
}

type Reply = (status: number, body: IDataObject) => IWebhookResponseData;

function replier(ctx: IWebhookFunctions): Reply {
	return (status, body) => {
		const res = ctx.getResponseObject();
		if (!res.headersSent) res.status(status).json(body);
		return { noWebhookResponse: true };
	};
}

export async function resumeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reply = replier(this);
	const executionId = String(this.getExecutionId?.() ?? '');
	let claimed = false;
	try {
		// 1. A Hoox asset event?
		const parsed = parsePayload(this.getBodyData());
		if (!parsed.ok) return reply(400, { error: `Not a Hoox asset event: ${parsed.message}` });
		const event = statusFromWebhook(parsed.payload);

		// 2. The wait state of this execution.
		const state = decodeWaitState(webhookCustomData(this));
		if (!state) {
			this.logger?.warn(`Hoox: callback for asset ${event.asset_id}, but execution ${executionId} has no Hoox wait state`);
			return reply(409, { error: 'This execution is not waiting for Hoox assets' });
		}
		if (state.nodeId !== this.getNode().id) {
			return reply(409, { error: 'This execution waits in another node' });
		}
		if (!state.assets.some((a) => a.assetId === event.asset_id)) {
			return reply(400, { error: `Asset ${event.asset_id} is not one this execution waits for` });
		}

		// 3. Every asset's status, the others first; stop at the first batch with an unfinished one.
		const check = await checkAssets(this, state, event);
		if (check.unreadable.length > 0 && check.unfinished === 0) {
			this.logger?.warn(
				`Hoox: execution ${executionId}: could not read the status of ${check.unreadable.join(', ')}; asking Hoox to deliver again`,
			);
			return reply(503, { error: 'Could not read the status of every asset; deliver again', assets: check.unreadable });
		}
		if (check.unfinished > 0) {
			this.logger?.debug(
				`Hoox: execution ${executionId}: asset ${event.asset_id} is ${event.status}; still waiting for ${check.unfinished} or more`,
			);
			return reply(200, { received: true, resumed: false, waiting_for: check.unfinished });
		}

		// 4. Everything is finished: resume (once).
		if (executionId && !claimResume(executionId)) {
			return reply(200, { received: true, resumed: true });
		}
		claimed = !!executionId;
		reply(200, { received: true, resumed: true });
		const items = await outputItems(this, state, check.statuses);
		this.logger?.info(`Hoox: execution ${executionId} resumes: all ${items.length} asset(s) finished`);
		return { workflowData: [items], noWebhookResponse: true };
	} catch (error) {
		if (claimed) releaseResume(executionId);
		this.logger?.error(`Hoox: callback for execution ${executionId} could not be handled: ${(error as Error)?.message ?? error}`);
		return reply(500, { error: 'The callback could not be handled; deliver again' });
	}
}

interface CheckResult {
	statuses: Map<string, AssetStatus>;
	/** Unfinished assets found (a lower bound: the check stops at the first batch with one). */
	unfinished: number;
	/** Assets whose status could not be read (transient errors). */
	unreadable: string[];
}

async function checkAssets(ctx: IWebhookFunctions, state: WaitState, event: AssetStatus): Promise<CheckResult> {
	const statuses = new Map<string, AssetStatus>();
	const unreadable: string[] = [];
	const itemOf = new Map(state.assets.map((a) => [a.assetId, a.itemIndex]));
	const order = [
		...state.assets.filter((a) => a.assetId !== event.asset_id).map((a) => a.assetId),
		event.asset_id,
	];
	let unfinished = 0;
	for (let start = 0; start < order.length && unfinished === 0; start += BATCH) {
		const batch = order.slice(start, start + BATCH);
		const { statuses: read, errors } = await pollOnce(ctx, batch, {
			itemIndexOf: (id) => itemOf.get(id),
			retry: CALLBACK_RETRY,
			timeoutMs: CALLBACK_CHECK_MS,
		});
		for (const id of batch) {
			let status = read.get(id);
			if (id === event.asset_id && !isTerminal(status)) {
				// Hoox's status lags behind its own callback: the callback's event counts.
				status = { ...(status ?? {}), ...event, asset_id: id };
			}
			if (status && status.status !== 'unknown') statuses.set(id, status);
			if (isTerminal(status)) continue;
			if (errors[id] !== undefined || !status || status.status === 'unknown') unreadable.push(id);
			else unfinished++;
		}
	}
	return { statuses, unfinished, unreadable };
}

/** The items of the polling mode: one per asset, by input item, failed ones with their error. */
async function outputItems(
	ctx: IWebhookFunctions,
	state: WaitState,
	statuses: Map<string, AssetStatus>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (const asset of state.assets) {
		const status = statuses.get(asset.assetId) ?? { asset_id: asset.assetId, status: 'unknown' };
		const json = toAssetItem(status, { sourceItemIndex: asset.itemIndex }) as IDataObject;
		const item: INodeExecutionData = { json, pairedItem: { item: asset.itemIndex } };
		if (state.download && status.status === 'completed') {
			try {
				const binary = await downloadAsset(ctx, json as never, { itemIndex: asset.itemIndex });
				item.binary = { [state.binaryProperty]: binary };
			} catch (error) {
				json.error = { message: `Download failed: ${(error as Error).message}` };
			}
		}
		out.push(item);
	}
	return out;
}
