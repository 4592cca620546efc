/** The one switch on the wait mode: from "submitted" to the output items. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isTerminal, type AssetStatus } from '../../shared/api';
import { buildAssetItems, failedError, stoppedItems, timedOutError, withAssets } from './items';
import { waitForAssets } from './poll';
import { parkForCallbacks } from './resume/park';
import { logFallBack } from './resume/plan';
import { isToolExecution, type WaitMode, type WaitRun } from './settings';

/** For AI-agent tools: how long before the wait timeout the last poll starts (at most). */
const TOOL_GRACE_MS = 5000;

/** Waits per the run's wait mode, then builds one output item per asset. */
export async function finishWait(
	ctx: IExecuteFunctions,
	run: WaitRun,
): Promise<INodeExecutionData[]> {
	if (run.assets.length === 0) return [];
	// An AI-agent tool answers within the wait timeout, downloads included.
	const budgetEnd = Date.now() + run.settings.timeoutMs;
	const mode = run.settings.waitMode;
	switch (mode) {
		case 'none':
			return await settle(ctx, run, startingStatuses(run), { timedOut: false, budgetEnd });
		case 'poll':
			return await pollThenSettle(ctx, run, budgetEnd);
		case 'resume': {
			const parked = await parkForCallbacks(ctx, run);
			if (parked.kind === 'parked') return parked.items;
			if (parked.kind === 'finished') {
				return await finishWait(ctx, {
					...run,
					assets: parked.assets,
					settings: withMode(run, 'none'),
				});
			}
			logFallBack(ctx, parked.reason);
			return await finishWait(ctx, { ...run, settings: withMode(run, 'poll') });
		}
		default:
			return unknownMode(mode);
	}
}

function unknownMode(mode: never): never {
	throw new Error(`Unknown wait mode ${String(mode)}`);
}

function withMode(run: WaitRun, waitMode: WaitMode) {
	return { ...run.settings, waitMode };
}

function startingStatuses(run: WaitRun): Map<string, AssetStatus> {
	return new Map(
		run.assets.map((a) => [a.assetId, a.status ?? { asset_id: a.assetId, status: 'generating' }]),
	);
}

async function pollThenSettle(
	ctx: IExecuteFunctions,
	run: WaitRun,
	budgetEnd: number,
): Promise<INodeExecutionData[]> {
	const { assets, settings, abortSignal } = run;
	const statuses = startingStatuses(run);
	const byId = new Map(assets.map((a) => [a.assetId, a]));
	// As an AI-agent tool the whole wait, the last poll included, ends by the wait timeout.
	const grace = isToolExecution(ctx) ? Math.min(TOOL_GRACE_MS, settings.timeoutMs / 10) : undefined;
	let timedOut: boolean;
	let readErrors: Record<string, string>;
	try {
		const result = await waitForAssets(
			ctx,
			assets.map((a) => a.assetId),
			{
				timeoutMs: grace === undefined ? settings.timeoutMs : settings.timeoutMs - grace,
				deadlineGraceMs: grace,
				minIntervalMs: settings.minIntervalMs,
				maxIntervalMs: settings.maxIntervalMs,
				abortSignal,
				// Statuses from the submit answer count: the first poll then waits one interval.
				known: Object.fromEntries(statuses),
				itemIndexOf: (id) => byId.get(id)?.itemIndex,
				submittedAt: (id) => byId.get(id)?.submittedAt,
				modelOf: (id) => byId.get(id)?.model,
			},
		);
		for (const status of result.assets) if (status?.asset_id) statuses.set(status.asset_id, status);
		if (abortSignal?.aborted) throw new Error('The execution was cancelled');
		timedOut = result.timedOut;
		readErrors = result.lastPollErrors ?? {};
	} catch (error) {
		const what = 'Waiting for the Hoox assets stopped';
		const nodeError = withAssets(ctx, error, assets[0].itemIndex, assets, statuses, what);
		if (!run.continueOnFail || abortSignal?.aborted) throw nodeError;
		return stoppedItems(assets, statuses, nodeError.message);
	}
	return await settle(ctx, run, statuses, { timedOut, budgetEnd, readErrors });
}

interface WaitOutcome {
	timedOut: boolean;
	budgetEnd: number;
	readErrors?: Record<string, string>;
}

/** After the wait: an error for timed-out or failed assets (unless Continue On Fail), else the items. */
async function settle(
	ctx: IExecuteFunctions,
	run: WaitRun,
	statuses: Map<string, AssetStatus>,
	{ timedOut, budgetEnd, readErrors }: WaitOutcome,
): Promise<INodeExecutionData[]> {
	const { assets, settings, continueOnFail } = run;
	const tool = isToolExecution(ctx);
	const unfinished = assets.some((a) => !isTerminal(statuses.get(a.assetId)));
	if (timedOut && unfinished && !tool && !continueOnFail) {
		throw timedOutError(ctx, assets, statuses, settings.timeoutMs, readErrors);
	}
	if (!continueOnFail && assets.some((a) => statuses.get(a.assetId)?.status === 'failed')) {
		throw failedError(ctx, assets, statuses);
	}
	return await buildAssetItems(ctx, assets, statuses, settings, {
		abortSignal: run.abortSignal,
		continueOnFail,
		timedOut,
		readErrors,
		deadline: tool ? budgetEnd : undefined,
	});
}
