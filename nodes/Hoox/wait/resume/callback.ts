/**
 * The Hoox node's webhook(): Hoox's callbacks to the resume URL of a parked execution. A callback
 * only wakes the check up: Hoox's status decides, so duplicate, late and lost callbacks do no
 * harm. Nothing here throws (n8n would resume with an empty item). See README.md.
 */
import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { AssetStatus } from '../../../shared/api';
import { parsePayload, readCallbackBody, statusFromWebhook } from '../../../shared/assets';
import { ExpiringSet } from '../../../shared/util/expiringSet';
import { checkAssets, fullStatuses, outputItems, type CheckResult } from './check';
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

/** Budget of one execution's check, re-checks included (Hoox waits 10 s for an answer). */
const CHECK_BUDGET_MS = 6000;
/** A re-check starts only with at least this much of the budget left. */
const MIN_RECHECK_MS = 1000;

/** Executions this process is resuming. */
const claims = new ExpiringSet(15 * 60_000, 10_000);

/** Claims the resume of an execution; false when another callback already did. */
export function claimResume(executionId: string, now = Date.now()): boolean {
	return claims.add(executionId, now);
}

export function releaseResume(executionId: string): void {
	claims.delete(executionId);
}

/** The check running for an execution; callbacks arriving meanwhile join it. */
interface RunningCheck {
	recheck: boolean;
	/** Events of the callbacks of this check (they count even if Hoox's status lags behind). */
	events: Map<string, AssetStatus>;
	/** The answer for the callbacks that joined (200 in every case). */
	outcome: Promise<IDataObject>;
	settle: (body: IDataObject) => void;
}

const running = new Map<string, RunningCheck>();

type Reply = (status: number, body: IDataObject) => IWebhookResponseData;

function replier(ctx: IWebhookFunctions): Reply {
	return (status, body) => {
		const res = ctx.getResponseObject();
		if (!res.headersSent) res.status(status).json(body);
		return { noWebhookResponse: true };
	};
}

/** One callback: the context every step needs. */
interface Callback {
	ctx: IWebhookFunctions;
	reply: Reply;
	executionId: string;
	event: AssetStatus;
	state: WaitState;
}

export async function resumeWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const reply = replier(this);
	const executionId = String(this.getExecutionId?.() ?? '');
	let entry: RunningCheck | undefined;
	let claimed = false;
	try {
		const accepted = acceptCallback(this, reply, executionId);
		if (!('state' in accepted)) return accepted;
		const callback: Callback = { ctx: this, reply, executionId, ...accepted };
		if (executionId && claims.has(executionId))
			return reply(200, { received: true, resumed: true });
		const joined = executionId ? running.get(executionId) : undefined;
		if (joined) {
			joined.events.set(callback.event.asset_id, callback.event);
			joined.recheck = true;
			return reply(200, await joined.outcome);
		}
		entry = startCheck(executionId, callback.event);
		const check = await runCheck(callback, entry);
		// Decided without awaiting since the last check: a callback arriving now starts a new one.
		if (executionId) running.delete(executionId);
		if (!check.finished) return answerUnfinished(callback, entry, check);
		if (executionId && !claimResume(executionId)) {
			entry.settle({ received: true, resumed: true });
			return reply(200, { received: true, resumed: true });
		}
		claimed = !!executionId;
		return await resume(callback, entry, check);
	} catch (error) {
		if (executionId && entry) running.delete(executionId);
		entry?.settle({ received: true, resumed: false });
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
): { event: AssetStatus; state: WaitState } | IWebhookResponseData {
	const parsed = parsePayload(readCallbackBody(ctx));
	if (!parsed.ok) return reply(400, { error: `Not a Hoox asset event: ${parsed.message}` });
	const event = statusFromWebhook(parsed.payload);
	const state = decodeWaitState(webhookCustomData(ctx));
	if (!state) {
		ctx.logger?.warn(
			`Hoox: callback for asset ${event.asset_id}, but execution ${executionId} has no Hoox wait state`,
		);
		return reply(409, { error: 'This execution is not waiting for Hoox assets' });
	}
	if (state.nodeId !== ctx.getNode().id) {
		return reply(409, { error: 'This execution waits in another node' });
	}
	if (!state.assets.some((a) => a.assetId === event.asset_id)) {
		return reply(400, { error: `Asset ${event.asset_id} is not one this execution waits for` });
	}
	return { event, state };
}

function startCheck(executionId: string, event: AssetStatus): RunningCheck {
	let settle: (body: IDataObject) => void = () => {};
	const outcome = new Promise<IDataObject>((resolve) => {
		settle = resolve;
	});
	const entry: RunningCheck = {
		recheck: false,
		events: new Map([[event.asset_id, event]]),
		outcome,
		settle,
	};
	if (executionId) running.set(executionId, entry);
	return entry;
}

/** A check's result, with the completed/failed statuses it read from Hoox. */
type Check = CheckResult & { read: Map<string, AssetStatus> };

/** Checks until done, or until no callback asked for another check, within the budget. */
async function runCheck(callback: Callback, entry: RunningCheck): Promise<Check> {
	const deadline = Date.now() + CHECK_BUDGET_MS;
	const read = new Map<string, AssetStatus>();
	let check: CheckResult;
	for (;;) {
		entry.recheck = false;
		check = await checkAssets(callback.ctx, callback.state, entry.events, read, deadline);
		if (check.finished || !entry.recheck || deadline - Date.now() < MIN_RECHECK_MS) break;
	}
	return { ...check, read };
}

/** Not all done: 200 while some still run; 503 (deliver again) when the check was not conclusive. */
function answerUnfinished(
	{ ctx, reply, executionId, event }: Callback,
	entry: RunningCheck,
	check: CheckResult,
): IWebhookResponseData {
	if (check.unfinished > 0 && !entry.recheck) {
		ctx.logger?.debug(
			`Hoox: execution ${executionId}: asset ${event.asset_id} is ${event.status}; still waiting for ${check.unfinished} or more`,
		);
		const body = { received: true, resumed: false, waiting_for: check.unfinished };
		entry.settle(body);
		return reply(200, body);
	}
	ctx.logger?.warn(
		`Hoox: execution ${executionId}: ` +
			(check.unreadable.length > 0
				? `could not read the status of ${check.unreadable.join(', ')}`
				: 'the check ran out of time') +
			'; asking Hoox to deliver again',
	);
	entry.settle({ received: true, resumed: false });
	return reply(503, {
		error: 'Could not read the status of every asset; deliver again',
		assets: check.unreadable,
	});
}

/** All done: answer Hoox at once, then resume with the items of the polling mode. */
async function resume(
	{ ctx, reply, executionId, state }: Callback,
	entry: RunningCheck,
	check: Check,
): Promise<IWebhookResponseData> {
	entry.settle({ received: true, resumed: true });
	reply(200, { received: true, resumed: true });
	const statuses = await fullStatuses(ctx, state, check.statuses, check.read, entry.events);
	const items = await outputItems(ctx, state, statuses);
	ctx.logger?.info(`Hoox: execution ${executionId} resumes: all ${items.length} asset(s) finished`);
	return { workflowData: [items], noWebhookResponse: true };
}
