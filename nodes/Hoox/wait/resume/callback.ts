/**
 * The Hoox node's webhook(): Hoox's callbacks to the resume URL of a parked execution.
 *
 * A callback is only a wake-up call: Hoox signs nothing (and n8n 1.x's resume URL has no token),
 * so its body may be forged. Only a status read from the API completes or fails an asset or gives
 * its URL; the body gives nothing but which asset to read. Per callback:
 *   1. not a Hoox asset event, no wait state, another node's, or an asset this execution does not
 *      wait for → 4xx, the execution keeps waiting;
 *   2. read that one asset (once per process: duplicates and concurrent copies share the read);
 *      the read fails, or Hoox does not report the asset finished → 503, so Hoox delivers again,
 *      and nothing changes;
 *   3. an execution this process did not park (n8n restarted, or queue mode, where a worker parks
 *      and the callbacks spread over several webhook processes): this process cannot count on
 *      seeing every callback, so each callback checks the assets not known finished here and
 *      stops at the first one still open (the probe);
 *   4. every asset read completed or failed → 200 at once, then resume with the items built from
 *      those reads (downloads from the URL Hoox's status gave); else 200 `waiting_for`.
 * Nothing here throws: n8n would turn a thrown error into a resumed execution with an empty item.
 * See README.md for the read counts (duplicates, restarts).
 */
import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { isTerminal, type AssetStatus } from '../../../shared/api';
import { parsePayload, readCallbackBody } from '../../../shared/assets';
import { ExpiringSet } from '../../../shared/util/expiringSet';
import { outputItems, readStatuses } from './check';
import { forgetExecution, memoryOf, type ExecutionMemory, type StatusOutcome } from './memory';
import { decodeWaitState, webhookCustomData, type WaitState } from './state';

/**
 * The node's only webhook: a restart webhook, reached only through `$execution.resumeUrl` of a
 * waiting execution (path '' = no suffix), so the node has no webhookMethods.
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

/** Executions this process is resuming. */
const claims = new ExpiringSet(15 * 60_000, 10_000);

/** Claims the resume of an execution; false when another callback already did. */
export function claimResume(executionId: string, now = Date.now()): boolean {
	return claims.add(executionId, now);
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

/** One accepted callback: the context every step needs. */
interface Callback {
	ctx: IWebhookFunctions;
	reply: Reply;
	executionId: string;
	assetId: string;
	state: WaitState;
	memory: ExecutionMemory;
}

export async function resumeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reply = replier(this);
	const executionId = String(this.getExecutionId?.() ?? '');
	let claimed = false;
	try {
		const accepted = acceptCallback(this, reply, executionId);
		if (!('state' in accepted)) return accepted;
		if (executionId && claims.has(executionId))
			return reply(200, { received: true, resumed: true });
		const callback: Callback = {
			ctx: this,
			reply,
			executionId,
			...accepted,
			memory: memoryOf(executionId),
		};
		const refusal = await confirm(callback);
		if (refusal) return refusal;
		const open = await stillOpen(callback);
		if (open.length > 0) {
			return reply(200, { received: true, resumed: false, waiting_for: open.length });
		}
		if (executionId && !claimResume(executionId))
			return reply(200, { received: true, resumed: true });
		claimed = !!executionId;
		return await resume(callback);
	} catch (error) {
		if (claimed) releaseResume(executionId);
		this.logger?.error(
			`Hoox: callback for execution ${executionId} could not be handled: ${(error as Error)?.message ?? error}`,
		);
		return reply(500, { error: 'The callback could not be handled; deliver again' });
	}
}

/** A Hoox asset event for an asset this execution (and node) waits for; else the refusal. */
function acceptCallback(
	ctx: IWebhookFunctions,
	reply: Reply,
	executionId: string,
): { assetId: string; state: WaitState } | IWebhookResponseData {
	const parsed = parsePayload(readCallbackBody(ctx));
	if (!parsed.ok) return reply(400, { error: `Not a Hoox asset event: ${parsed.message}` });
	const assetId = parsed.payload.asset_id;
	const state = decodeWaitState(webhookCustomData(ctx));
	if (!state) {
		ctx.logger?.warn(
			`Hoox: callback for asset ${assetId}, but execution ${executionId} has no Hoox wait state`,
		);
		return reply(409, { error: 'This execution is not waiting for Hoox assets' });
	}
	if (state.nodeId !== ctx.getNode().id) {
		return reply(409, { error: 'This execution waits in another node' });
	}
	if (!state.assets.some((a) => a.assetId === assetId)) {
		return reply(400, { error: `Asset ${assetId} is not one this execution waits for` });
	}
	return { assetId, state };
}

/**
 * Reads what this callback announces (and, once per process, every asset not known yet): the
 * 503 that asks Hoox to deliver again when Hoox's status does not confirm it; undefined when it does.
 */
async function confirm(callback: Callback): Promise<IWebhookResponseData | undefined> {
	const { ctx, reply, executionId, assetId, memory } = callback;
	if (!memory.finished.has(assetId)) {
		const own = await readOnce(callback, assetId);
		if (!own.ok || !isTerminal(own.status)) {
			if (own.ok) memory.announced.add(assetId);
			const why = own.ok
				? `Hoox reports asset ${assetId} as ${String(own.status.status)}`
				: `the status of asset ${assetId} could not be read (${own.reason})`;
			ctx.logger?.debug(`Hoox: execution ${executionId}: ${why}; asking Hoox to deliver again`);
			return reply(503, { error: `Not confirmed by Hoox's status yet; deliver again` });
		}
	}
	if (!memory.tracked && !(await probe(callback))) {
		return reply(503, { error: 'Could not read the status of every asset; deliver again' });
	}
	// Assets whose callback came before Hoox's status showed them done (rare): read again.
	const lagging = [...memory.announced].filter((id) => !memory.finished.has(id));
	await Promise.all(lagging.map((id) => readOnce(callback, id)));
	return undefined;
}

/**
 * The assets not read completed or failed yet. Reads in flight for other assets (callbacks that
 * arrived together with this one) are awaited first, so that every one of them sees the outcome.
 */
async function stillOpen({ state, memory }: Callback): Promise<string[]> {
	const open = () => state.assets.map((a) => a.assetId).filter((id) => !memory.finished.has(id));
	const inFlight = open()
		.map((id) => memory.reading.get(id))
		.filter((read) => read !== undefined);
	if (inFlight.length > 0) await Promise.all(inFlight);
	return open();
}

/** One status read per asset at a time: a duplicate callback waits for the read in flight. */
async function readOnce(callback: Callback, assetId: string): Promise<StatusOutcome> {
	const { memory } = callback;
	const inFlight = memory.reading.get(assetId);
	if (inFlight) return await inFlight;
	const read = (async (): Promise<StatusOutcome> => {
		memory.checkedAt.set(assetId, Date.now());
		const outcome = (await readStatuses(callback.ctx, callback.state, [assetId])).get(assetId)!;
		if (outcome.ok && isTerminal(outcome.status)) memory.finished.set(assetId, outcome.status);
		return outcome;
	})();
	memory.reading.set(assetId, read);
	try {
		return await read;
	} finally {
		memory.reading.delete(assetId);
	}
}

/** Assets a probe reads at once. */
const PROBE_BATCH = 4;

/**
 * An execution this process did not park: reads the assets not known finished here, least
 * recently checked first, a few at a time, and stops once one is still open (this callback cannot
 * resume then). The callback of the last asset to finish finds every one finished. Each asset is
 * read finished at most once; each callback spends at most one batch on assets still open.
 * False when a read failed (the callback answers 503 and Hoox delivers again).
 */
async function probe(callback: Callback): Promise<boolean> {
	const { memory, state } = callback;
	const unknown = state.assets
		.map((a) => a.assetId)
		.filter((id) => !memory.finished.has(id))
		.sort((a, b) => (memory.checkedAt.get(a) ?? 0) - (memory.checkedAt.get(b) ?? 0));
	for (let start = 0; start < unknown.length; start += PROBE_BATCH) {
		const batch = unknown.slice(start, start + PROBE_BATCH);
		const outcomes = await Promise.all(batch.map((id) => readOnce(callback, id)));
		if (outcomes.some((o) => !o.ok)) return false;
		if (outcomes.some((o) => o.ok && !isTerminal(o.status))) return true;
	}
	return true;
}

/** All done: answer Hoox at once, then resume with the items of the polling mode. */
async function resume({
	ctx,
	reply,
	executionId,
	state,
	memory,
}: Callback): Promise<IWebhookResponseData> {
	reply(200, { received: true, resumed: true });
	forgetExecution(executionId);
	const statuses = new Map<string, AssetStatus>(memory.finished);
	const items = await outputItems(ctx, state, statuses);
	ctx.logger?.info(`Hoox: execution ${executionId} resumes: all ${items.length} asset(s) finished`);
	return { workflowData: [items], noWebhookResponse: true };
}
