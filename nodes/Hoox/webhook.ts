/**
 * The Hoox node's webhook(): Hoox's callbacks to the resume URL of an execution that Generate
 * parked in Wait Mode "Resume on Webhook" (see actions/asset/resume.ts).
 *
 * n8n calls this only while the execution is `waiting` (it answers 409 itself while the execution
 * runs and once it has finished, 401 on 2.x without the resume token). For each callback:
 *   1. a body that is not a Hoox asset event → 400, the execution keeps waiting;
 *   2. the wait state comes from the execution's custom data; none, another node's, or an asset
 *      this execution does not wait for → 4xx, the execution keeps waiting;
 *   3. one check per execution at a time (in this process): a callback arriving while one runs adds
 *      its event, asks for one more check and answers 200 with the outcome; the running check
 *      then runs once more. A check is one round of the waiter (GET /asset/status, newest asset
 *      first, ending at the first asset still running: about one request while anything runs);
 *      the callbacks' events count as known. Hoox's status decides, not the number of callbacks,
 *      so duplicate, late and lost callbacks do no harm; an event counts even if Hoox's status
 *      lags behind it. The whole check, re-checks included, ends within CHECK_BUDGET_MS, well
 *      inside the 10 s Hoox waits for an answer;
 *   4. not all finished → 200 `{ received: true, resumed: false, waiting_for }`, nothing resumes
 *      (and n8n saves nothing); a status read failed (or callbacks kept the check busy past its
 *      budget) → 503 for the callback that ran the check only, so Hoox delivers it again;
 *   5. all finished → 200 `{ received: true, resumed: true }` at once, then the output items (as
 *      the polling mode makes them; downloads if the option is on) resume the execution. After a
 *      resume n8n runs the next nodes, not this one: failed assets are items with
 *      `status: 'failed'` and `error`, never a node error.
 * Nothing here throws: n8n would turn a thrown error into a resumed execution with an empty item.
 *
 * The callback that sees "all finished" claims the execution in this process (n8n 2.x lets only
 * one resume, 1.x would resume twice); later ones are only acknowledged. In queue mode the
 * callbacks spread over several webhook processes: 2.x's guard is in the database and holds, the
 * claim here is per process (1.x can resume twice there; see README "Running on n8n queue mode"). After the decision, the
 * assets known only from a callback are read in full once, so the items are those of polling.
 */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { maxDownloadBytes } from '../shared/assets/downloadGuard';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mergeEventWithStatus, readCallbackBody, statusFromWebhook } from '../shared/assetOutput';
import { ExpiringSet } from '../shared/expiringSet';
import {
	isTerminal,
	UNKNOWN_STATUS,
	WaitCancelledError,
	waitForAssets,
	type AssetStatus,
} from '../shared/waiter';
import { parsePayload } from '../HooxTrigger/delivery';
import { decodeWaitState, webhookCustomData, type WaitState } from './actions/asset/resume';
import { buildAssetItems } from './helpers/assets';

/**
 * The node's only webhook: a restart webhook, reached only through `$execution.resumeUrl` of a
 * waiting execution (path '' = no suffix after the execution id). n8n registers nothing for it when
 * a workflow is activated, so the node has no webhookMethods (as n8n's own send-and-wait nodes).
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		path: '',
		restartWebhook: true,
	},
];

/**
 * Budget of one execution's check, re-checks included. Hoox waits 10 s for an answer; a status
 * request in flight when the budget ends is aborted, so the answer leaves well within that.
 */
const CHECK_BUDGET_MS = 6000;
/** A re-check starts only with at least this much of the budget left. */
const MIN_RECHECK_MS = 1000;
/** Status reads of a check retry briefly (the budget above bounds them anyway). */
const CALLBACK_RETRY = {
	maxRetries: 1,
	baseDelayMs: 300,
	maxDelayMs: 1000,
	maxRateLimitWaitMs: 2000,
};
/** Bound of the full status read after the decision to resume (Hoox has been answered by then). */
const RESUME_READ_MS = 30_000;

/** Executions this process is resuming. */
const claims = new ExpiringSet(15 * 60_000, 10_000);

/** Claims the resume of an execution; false when another callback already did. */
export function claimResume(executionId: string, now = Date.now()): boolean {
	return claims.add(executionId, now);
}

export function releaseResume(executionId: string): void {
	claims.delete(executionId);
}

/**
 * The check running for an execution. Callbacks that arrive meanwhile add their event, ask for
 * one more check, and answer with the outcome of the running one.
 */
interface RunningCheck {
	recheck: boolean;
	/** Events of the callbacks of this check (they count even if Hoox's status lags behind). */
	events: Map<string, AssetStatus>;
	/** The answer for the callbacks that joined (200 in every case). */
	outcome: Promise<IDataObject>;
}

const running = new Map<string, RunningCheck>();

/**
 * What this process has learnt about an execution's assets, kept between callbacks: a status read
 * as completed/failed never changes, so a check cut short by its time budget (many assets, a busy
 * machine, the callbacks spread over several webhook processes in queue mode) is not lost: the
 * next delivery goes on from there instead of reading everything again and running out of time.
 */
interface Learnt {
	/** Completed/failed statuses read from Hoox (never a callback's word: only a read counts later). */
	read: Map<string, AssetStatus>;
	at: number;
}
const learnt = new Map<string, Learnt>();
const LEARNT_TTL_MS = 15 * 60_000;
const LEARNT_MAX_EXECUTIONS = 1000;

function learntFor(executionId: string, now = Date.now()): Learnt {
	for (const [id, entry] of learnt) {
		if (now - entry.at <= LEARNT_TTL_MS && learnt.size <= LEARNT_MAX_EXECUTIONS) break;
		learnt.delete(id); // Map order = oldest first
	}
	let entry = learnt.get(executionId);
	if (!entry) {
		entry = { read: new Map(), at: now };
		if (executionId) learnt.set(executionId, entry);
	}
	entry.at = now;
	return entry;
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
	let settle: ((body: IDataObject) => void) | undefined;
	try {
		// 1. A Hoox asset event?
		const parsed = parsePayload(readCallbackBody(this));
		if (!parsed.ok) return reply(400, { error: `Not a Hoox asset event: ${parsed.message}` });
		const event = statusFromWebhook(parsed.payload);

		// 2. The wait state of this execution.
		const state = decodeWaitState(webhookCustomData(this));
		if (!state) {
			this.logger?.warn(
				`Hoox: callback for asset ${event.asset_id}, but execution ${executionId} has no Hoox wait state`,
			);
			return reply(409, { error: 'This execution is not waiting for Hoox assets' });
		}
		if (state.nodeId !== this.getNode().id) {
			return reply(409, { error: 'This execution waits in another node' });
		}
		if (!state.assets.some((a) => a.assetId === event.asset_id)) {
			return reply(400, { error: `Asset ${event.asset_id} is not one this execution waits for` });
		}
		if (executionId && claims.has(executionId))
			return reply(200, { received: true, resumed: true });

		// 3. One check per execution at a time: a callback arriving during it joins it.
		const joined = executionId ? running.get(executionId) : undefined;
		if (joined) {
			joined.events.set(event.asset_id, event);
			joined.recheck = true;
			return reply(200, await joined.outcome);
		}
		const memory = learntFor(executionId);
		const entry: RunningCheck = {
			recheck: false,
			events: new Map([[event.asset_id, event]]),
			outcome: new Promise<IDataObject>((resolve) => {
				settle = resolve;
			}),
		};
		if (executionId) running.set(executionId, entry);

		const deadline = Date.now() + CHECK_BUDGET_MS;
		// `read` is shared with the memory: what this check reads is kept for the next callback.
		const read = memory.read;
		let check: CheckResult;
		for (;;) {
			entry.recheck = false;
			check = await checkAssets(this, state, entry.events, read, deadline);
			if (check.finished || !entry.recheck || deadline - Date.now() < MIN_RECHECK_MS) break;
		}
		// Decided without awaiting since the last check: a callback arriving from now on starts a new check.
		if (executionId) running.delete(executionId);

		if (!check.finished) {
			if (check.unfinished > 0 && !entry.recheck) {
				this.logger?.debug(
					`Hoox: execution ${executionId}: asset ${event.asset_id} is ${event.status}; still waiting for ${check.unfinished} or more`,
				);
				const body = { received: true, resumed: false, waiting_for: check.unfinished };
				settle?.(body);
				return reply(200, body);
			}
			// Not conclusive (a status read failed, or callbacks kept arriving until the budget ran
			// out): this callback only asks Hoox to deliver again; the ones that joined get 200.
			this.logger?.warn(
				`Hoox: execution ${executionId}: ` +
					(check.unreadable.length > 0
						? `could not read the status of ${check.unreadable.join(', ')}`
						: 'the check ran out of time') +
					'; asking Hoox to deliver again',
			);
			settle?.({ received: true, resumed: false });
			return reply(503, {
				error: 'Could not read the status of every asset; deliver again',
				assets: check.unreadable,
			});
		}

		// 4. Everything is finished: resume (once).
		if (executionId && !claimResume(executionId)) {
			settle?.({ received: true, resumed: true });
			return reply(200, { received: true, resumed: true });
		}
		claimed = !!executionId;
		learnt.delete(executionId);
		settle?.({ received: true, resumed: true });
		reply(200, { received: true, resumed: true });
		const statuses = await fullStatuses(this, state, check.statuses, read, entry.events);
		const items = await outputItems(this, state, statuses);
		this.logger?.info(
			`Hoox: execution ${executionId} resumes: all ${items.length} asset(s) finished`,
		);
		return { workflowData: [items], noWebhookResponse: true };
	} catch (error) {
		if (executionId && settle) running.delete(executionId);
		settle?.({ received: true, resumed: false });
		if (claimed) releaseResume(executionId);
		this.logger?.error(
			`Hoox: callback for execution ${executionId} could not be handled: ${(error as Error)?.message ?? error}`,
		);
		return reply(500, { error: 'The callback could not be handled; deliver again' });
	}
}

interface CheckResult {
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
async function checkAssets(
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
async function fullStatuses(
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
async function outputItems(
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
