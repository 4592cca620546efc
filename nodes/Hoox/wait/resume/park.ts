/**
 * Generate's wait in "Resume on Webhook" mode, after every item was submitted with the resume
 * URL: one status round; all done → finished; otherwise save the state and park until the wait
 * limit, returning the "timed out" items n8n passes on if no callback resumes the execution.
 * What can only be known now (a failed submit, custom data that does not keep the state) makes
 * the run poll instead.
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { isTerminal, type AssetStatus, type RetryPolicy } from '../../../shared/api';
import { timedOutItem, withAssets } from '../items';
import { waitForAssets } from '../poll';
import type { TrackedAsset, WaitRun } from '../settings';
import { learnedDurations } from '../history';
import { rememberParked } from './memory';
import { executeCustomData, saveWaitState } from './state';

/**
 * Hoox retries a callback after 1, 2 and 4 s: a callback n8n refused (409) while this node ran is
 * lost only if its asset finished more than ~7 s before the park. An asset submitted more recently,
 * and younger than its model's learned generation time, needs no read before parking.
 */
export const CALLBACK_RETRY_SPAN_MS = 6000;
/** Read before parking an asset this close to its learned generation time (a share of it). */
const NEAR_DONE = 0.9;

export type ParkOutcome =
	| { kind: 'parked'; items: INodeExecutionData[] }
	| { kind: 'finished'; assets: TrackedAsset[] }
	| { kind: 'poll'; reason: string };

export async function parkForCallbacks(ctx: IExecuteFunctions, run: WaitRun): Promise<ParkOutcome> {
	if (run.otherItems) {
		return {
			kind: 'poll',
			reason: `${run.otherItems} item(s) could not be submitted, and a resumed execution would lose their error items`,
		};
	}
	const current = await checkBeforeParking(ctx, run);
	if (current.every((a) => isTerminal(a.status))) {
		ctx.logger?.debug(
			`Hoox: all ${current.length} asset(s) finished before the execution was parked`,
		);
		return { kind: 'finished', assets: current };
	}
	const custom = executeCustomData(ctx);
	if (!custom) {
		return {
			kind: 'poll',
			reason: "this n8n version gives nodes no access to the execution's custom data",
		};
	}
	const saved = saveWaitState(custom, {
		nodeId: ctx.getNode().id,
		download: run.settings.download,
		binaryProperty: run.settings.binaryProperty,
		assets: current.map((a) => ({ assetId: a.assetId, itemIndex: a.itemIndex })),
	});
	if (!saved.saved) return { kind: 'poll', reason: saved.reason };
	return { kind: 'parked', items: await park(ctx, run, current) };
}

/**
 * One status round for the assets that may be done already (fast images; callbacks n8n refused
 * with 409 while we ran), in submit order, ending at the first one still running. Skipped for an
 * asset submitted less than CALLBACK_RETRY_SPAN_MS ago whose model takes longer than its age (what
 * this process learned): its callback will come. So a known model parks without any read.
 */
async function checkBeforeParking(ctx: IExecuteFunctions, run: WaitRun): Promise<TrackedAsset[]> {
	const { assets } = run;
	const itemOf = new Map(assets.map((a) => [a.assetId, a.itemIndex]));
	const learned = await learnedDurations(
		ctx,
		assets.map((a) => a.model),
	);
	const now = Date.now();
	const mayBeDone = (a: TrackedAsset) => {
		if (a.submittedAt === undefined || now - a.submittedAt > CALLBACK_RETRY_SPAN_MS) return true;
		const expected = a.model === undefined ? undefined : learned.get(a.model);
		return expected === undefined || now - a.submittedAt >= expected * NEAR_DONE;
	};
	const stale = assets.filter((a) => !isTerminal(a.status) && mayBeDone(a));
	let polled: Awaited<ReturnType<typeof pollOnce>>;
	try {
		polled = await pollOnce(
			ctx,
			stale.map((a) => a.assetId),
			{ abortSignal: run.abortSignal, itemIndexOf: (id) => itemOf.get(id), pollEveryAsset: false },
		);
	} catch (error) {
		throw withAssets(
			ctx,
			error,
			assets[0].itemIndex,
			assets,
			statusesOf(assets),
			'Checking the Hoox assets before waiting failed',
		);
	}
	return assets.map((a) => {
		const status = polled.statuses.get(a.assetId);
		return status && status.status !== 'unknown' ? { ...a, status } : a;
	});
}

/** Parks the execution; what follows if the wait limit passes is the stack entry's data. */
async function park(
	ctx: IExecuteFunctions,
	run: WaitRun,
	current: TrackedAsset[],
): Promise<INodeExecutionData[]> {
	const { timeoutMs } = run.settings;
	const waitTill = new Date(Date.now() + timeoutMs);
	let timedOut: INodeExecutionData[];
	try {
		timedOut = current.map((a) =>
			timedOutItem(a, a.status ?? { asset_id: a.assetId, status: 'unknown' }, timeoutMs),
		);
		const entry = typeof ctx.getExecuteData === 'function' ? ctx.getExecuteData() : undefined;
		if (entry && typeof entry === 'object') {
			entry.data = {
				...(entry.data ?? {}),
				main: [timedOut.map((item) => JSON.parse(JSON.stringify(item)) as INodeExecutionData)],
			};
		}
		await ctx.putExecutionToWait(waitTill);
		// This process parked it: a callback reads only its own asset (resume/memory.ts).
		rememberParked(
			ctx.getExecutionId(),
			current.map((a) => a.status ?? { asset_id: a.assetId, status: 'unknown' }),
		);
	} catch (error) {
		throw withAssets(
			ctx,
			error,
			current[0].itemIndex,
			current,
			statusesOf(current),
			'Parking the execution to wait for the Hoox assets failed',
		);
	}
	const open = current.filter((a) => !isTerminal(a.status)).length;
	ctx.logger?.info(
		`Hoox: execution ${ctx.getExecutionId()} waits for ${open} of ${current.length} asset(s) until ${waitTill.toISOString()}; ` +
			`Hoox's callbacks resume it. Assets: ${current.map((a) => a.assetId).join(', ')}`,
	);
	return timedOut;
}

function statusesOf(assets: TrackedAsset[]): Map<string, AssetStatus> {
	return new Map(assets.map((a) => [a.assetId, a.status as AssetStatus]));
}

/**
 * One status round for these assets, no pause, bounded in time: every one read once, or with
 * `pollEveryAsset: false` in order until the first one still running.
 */
export async function pollOnce(
	ctx: IExecuteFunctions | IWebhookFunctions,
	assetIds: string[],
	options: {
		abortSignal?: AbortSignal;
		itemIndexOf?: (assetId: string) => number | undefined;
		retry?: Partial<RetryPolicy>;
		/** Upper bound for the round, rate-limit waits included (default 15 s). */
		timeoutMs?: number;
		/** Default true. */
		pollEveryAsset?: boolean;
	} = {},
): Promise<{ statuses: Map<string, AssetStatus>; errors: Record<string, string> }> {
	const statuses = new Map<string, AssetStatus>();
	if (assetIds.length === 0) return { statuses, errors: {} };
	const result = await waitForAssets(ctx, assetIds, {
		timeoutMs: options.timeoutMs ?? 15_000,
		maxRounds: 1,
		pollEveryAsset: options.pollEveryAsset ?? true,
		abortSignal: options.abortSignal,
		itemIndexOf: options.itemIndexOf,
		retry: options.retry,
	});
	for (const status of result.assets) if (status?.asset_id) statuses.set(status.asset_id, status);
	return { statuses, errors: result.lastPollErrors ?? {} };
}
