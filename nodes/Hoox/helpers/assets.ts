import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { downloadAsset, toAssetItem } from '../../shared/assetOutput';
import { isTerminal, waitForAssets, type AssetStatus } from '../../shared/waiter';
import { secondsToMs } from './params';

/** An asset this execution is responsible for (submitted, or given by id). */
export interface TrackedAsset {
	assetId: string;
	itemIndex: number;
	model?: string;
	prompt?: string;
	/** Last known status (from the submit answer or a status call). */
	status?: AssetStatus;
}

/**
 * How to get from "submitted" to "final". 'none' returns the assets as they are now; 'poll' waits
 * in the node with one polling loop for every asset of every item; 'resume' parks the execution
 * until Hoox calls back (actions/asset/resume.ts decides whether it can; otherwise it polls).
 */
export type WaitMode = 'none' | 'poll' | 'resume';

export interface WaitSettings {
	waitMode: WaitMode;
	timeoutMs: number;
	minIntervalMs: number;
	maxIntervalMs: number;
	download: boolean;
	binaryProperty: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 900;
export const DEFAULT_MIN_INTERVAL_SECONDS = 2.5;
export const DEFAULT_MAX_INTERVAL_SECONDS = 15;

/** Reads the shared "Options" collection of Generate and Wait for Completion. */
export function readWaitSettings(options: IDataObject, waitByDefault: boolean): WaitSettings {
	const wait = options.waitForCompletion === undefined ? waitByDefault : options.waitForCompletion !== false;
	const minIntervalMs = secondsToMs(options.pollIntervalMin, DEFAULT_MIN_INTERVAL_SECONDS);
	const maxIntervalMs = Math.max(minIntervalMs, secondsToMs(options.pollIntervalMax, DEFAULT_MAX_INTERVAL_SECONDS));
	const requestedMode = typeof options.waitMode === 'string' ? (options.waitMode as WaitMode) : 'poll';
	return {
		waitMode: wait ? requestedMode : 'none',
		timeoutMs: secondsToMs(options.waitTimeout, DEFAULT_TIMEOUT_SECONDS),
		minIntervalMs,
		maxIntervalMs,
		download: options.downloadBinary === true,
		binaryProperty: String(options.binaryProperty || 'data').trim() || 'data',
	};
}

export function describeAssets(assets: TrackedAsset[], statuses: Map<string, AssetStatus>): string {
	return assets
		.map((a) => `${a.assetId} (item ${a.itemIndex}: ${statuses.get(a.assetId)?.status ?? a.status?.status ?? 'unknown'})`)
		.join(', ');
}

function formatSeconds(ms: number): string {
	return String(Math.round(ms / 100) / 10);
}

function itemContext(a: TrackedAsset) {
	return { model: a.model, prompt: a.prompt, sourceItemIndex: a.itemIndex };
}

function isToolExecution(ctx: IExecuteFunctions): boolean {
	try {
		return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution() === true;
	} catch {
		return false;
	}
}

/** Waits (per the wait mode), then builds one output item per asset, with binaries when asked. */
export async function finishAssets(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	settings: WaitSettings,
	abortSignal: AbortSignal | undefined,
	continueOnFail: boolean,
): Promise<INodeExecutionData[]> {
	if (assets.length === 0) return [];
	const statuses = new Map<string, AssetStatus>();
	for (const asset of assets) {
		statuses.set(asset.assetId, asset.status ?? { asset_id: asset.assetId, status: 'generating' });
	}
	let timedOut = false;

	switch (settings.waitMode) {
		case 'none':
			break;
		case 'poll':
		case 'resume': {
			try {
				const result = await pollAll(ctx, assets, statuses, settings, abortSignal);
				timedOut = result.timedOut;
			} catch (error) {
				const nodeError = withAssets(ctx, error, assets[0].itemIndex, assets, statuses, 'Waiting for the Hoox assets stopped');
				if (!continueOnFail || abortSignal?.aborted) throw nodeError;
				const message = nodeError.message;
				return assets.map((a) => ({
					json: {
						...(toAssetItem(statuses.get(a.assetId) as AssetStatus, itemContext(a)) as IDataObject),
						error: { message },
					},
					pairedItem: { item: a.itemIndex },
				}));
			}
			break;
		}
	}

	const out: INodeExecutionData[] = [];
	const failed = assets.filter((a) => statuses.get(a.assetId)?.status === 'failed');
	const unfinished = assets.filter((a) => !isTerminal(statuses.get(a.assetId)));
	const tool = isToolExecution(ctx);

	if (timedOut && unfinished.length > 0 && !tool && !continueOnFail) {
		const seconds = formatSeconds(settings.timeoutMs);
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${unfinished[0].itemIndex}] Timed out after ${seconds} s: ${unfinished.length} of ${assets.length} Hoox assets are not finished`,
			{
				itemIndex: unfinished[0].itemIndex,
				description:
					`Assets (id, item, last status): ${describeAssets(assets, statuses)}. They were paid for and keep generating: ` +
					'collect them later with Asset → Wait for Completion or Get Status, or raise Options → Wait Timeout (Seconds).',
			},
		);
	}
	if (failed.length > 0 && !continueOnFail) {
		const first = statuses.get(failed[0].assetId);
		const reason = (first?.error as IDataObject | undefined)?.message;
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${failed[0].itemIndex}] ${failed.length} of ${assets.length} Hoox assets failed${reason ? `: ${reason}` : ''}`,
			{
				itemIndex: failed[0].itemIndex,
				description:
					`Assets (id, item, status): ${describeAssets(assets, statuses)}. Failed generations are refunded by Hoox. ` +
					'Turn on Settings → On Error → Continue to get the finished assets and the failed ones as items.',
			},
		);
	}

	for (const asset of assets) {
		const status = statuses.get(asset.assetId) as AssetStatus;
		const json = toAssetItem(status, itemContext(asset)) as IDataObject;
		const item: INodeExecutionData = { json, pairedItem: { item: asset.itemIndex } };
		if (timedOut && !isTerminal(status) && !tool) {
			json.error = {
				message: `Timed out after ${formatSeconds(settings.timeoutMs)} s; last status: ${status.status}`,
			};
		}
		if (settings.download && status.status === 'completed') {
			try {
				const binary = await downloadAsset(ctx, json as never, { abortSignal, itemIndex: asset.itemIndex });
				item.binary = { [settings.binaryProperty]: binary };
			} catch (error) {
				if (!continueOnFail) {
					throw withAssets(ctx, error, asset.itemIndex, assets, statuses, 'Downloading the output failed');
				}
				json.error = { message: `Download failed: ${(error as Error).message}` };
			}
		}
		out.push(item);
	}
	return out;
}

async function pollAll(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	statuses: Map<string, AssetStatus>,
	settings: WaitSettings,
	abortSignal: AbortSignal | undefined,
): Promise<{ timedOut: boolean }> {
	const byId = new Map(assets.map((a) => [a.assetId, a.itemIndex]));
	// Statuses from the submit answer ("generating") count too: the first poll then waits one
	// interval instead of asking at once about assets that were created a moment ago.
	const known: Record<string, AssetStatus> = Object.fromEntries(statuses);
	try {
		const result = await waitForAssets(
			ctx,
			assets.map((a) => a.assetId),
			{
				timeoutMs: settings.timeoutMs,
				minIntervalMs: settings.minIntervalMs,
				maxIntervalMs: settings.maxIntervalMs,
				abortSignal,
				known,
				itemIndexOf: (id) => byId.get(id),
			},
		);
		for (const status of result.assets) if (status?.asset_id) statuses.set(status.asset_id, status);
		if (abortSignal?.aborted) throw new Error('The execution was cancelled');
		return { timedOut: result.timedOut };
	} catch (error) {
		throw withAssets(ctx, error, assets[0].itemIndex, assets, statuses, 'Waiting for the Hoox assets stopped');
	}
}

/** Any error after a submit lists every asset id, so nothing paid for is lost. */
export function withAssets(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	assets: TrackedAsset[],
	statuses: Map<string, AssetStatus>,
	what: string,
): NodeOperationError | NodeApiError {
	const list = `Assets (id, item, last status): ${describeAssets(assets, statuses)}.`;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!assets.every((a) => String(error.description ?? '').includes(a.assetId))) {
			error.description = error.description ? `${error.description} ${list}` : list;
		}
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] ${what}: ${message}`, {
		itemIndex,
		description: list,
	});
}
