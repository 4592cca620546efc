import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { downloadAsset, toAssetItem } from '../../shared/assetOutput';
import { maxDownloadBytes } from '../../shared/assets/downloadGuard';
import { isTerminal, UNKNOWN_STATUS, waitForAssets, type AssetStatus } from '../../shared/waiter';
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
	/** Size cap of each download (Max Download Size). */
	maxDownloadBytes: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 900;
export const DEFAULT_MIN_INTERVAL_SECONDS = 2.5;
export const DEFAULT_MAX_INTERVAL_SECONDS = 15;

/** Reads the shared "Options" collection of Generate and Wait for Completion. */
export function readWaitSettings(options: IDataObject, waitByDefault: boolean): WaitSettings {
	const wait =
		options.waitForCompletion === undefined ? waitByDefault : options.waitForCompletion !== false;
	const minIntervalMs = secondsToMs(options.pollIntervalMin, DEFAULT_MIN_INTERVAL_SECONDS);
	const maxIntervalMs = Math.max(
		minIntervalMs,
		secondsToMs(options.pollIntervalMax, DEFAULT_MAX_INTERVAL_SECONDS),
	);
	const requestedMode =
		typeof options.waitMode === 'string' ? (options.waitMode as WaitMode) : 'poll';
	return {
		waitMode: wait ? requestedMode : 'none',
		timeoutMs: secondsToMs(options.waitTimeout, DEFAULT_TIMEOUT_SECONDS),
		minIntervalMs,
		maxIntervalMs,
		download: options.downloadBinary === true,
		binaryProperty: String(options.binaryProperty || 'data').trim() || 'data',
		maxDownloadBytes: maxDownloadBytes(options.maxDownloadSizeMb),
	};
}

export function describeAssets(assets: TrackedAsset[], statuses: Map<string, AssetStatus>): string {
	return assets
		.map(
			(a) =>
				`${a.assetId} (item ${a.itemIndex}: ${statuses.get(a.assetId)?.status ?? a.status?.status ?? 'unknown'})`,
		)
		.join(', ');
}

/** Milliseconds as seconds with one decimal, for messages ("0.2", "900"). */
export function formatSeconds(ms: number): string {
	return String(Math.round(ms / 100) / 10);
}

function itemContext(a: TrackedAsset) {
	return { model: a.model, prompt: a.prompt, sourceItemIndex: a.itemIndex };
}

/** Whether the node runs as an AI-agent tool (it then answers within the wait timeout). */
export function isToolExecution(ctx: IExecuteFunctions): boolean {
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
	// An AI-agent tool answers within the wait timeout, downloads included.
	const budgetEnd = Date.now() + settings.timeoutMs;
	const statuses = new Map<string, AssetStatus>();
	for (const asset of assets) {
		statuses.set(asset.assetId, asset.status ?? { asset_id: asset.assetId, status: 'generating' });
	}
	let timedOut = false;
	/** Why the last status read of an unfinished asset failed (by asset id). */
	let readErrors: Record<string, string> = {};

	switch (settings.waitMode) {
		case 'none':
			break;
		case 'poll': {
			try {
				const result = await pollAll(ctx, assets, statuses, settings, abortSignal);
				timedOut = result.timedOut;
				readErrors = result.readErrors;
			} catch (error) {
				const nodeError = withAssets(
					ctx,
					error,
					assets[0].itemIndex,
					assets,
					statuses,
					'Waiting for the Hoox assets stopped',
				);
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
					`Assets (id, item, last status): ${describeAssets(assets, statuses)}. ${readFailures(unfinished, readErrors)}They were paid for and keep generating: ` +
					'collect them later with Asset → Wait for Completion or Get Status, or raise Options → Wait Timeout (Seconds).',
			},
		);
	}
	if (failed.length > 0 && !continueOnFail) {
		const first = statuses.get(failed[0].assetId);
		const reason = (first?.error as IDataObject | undefined)?.message;
		const unreadable = failed.filter((a) => isUnreadable(statuses.get(a.assetId)));
		const generations = failed.length - unreadable.length;
		const notes: string[] = [];
		if (generations > 0) notes.push('Failed generations are refunded by Hoox.');
		if (unreadable.length > 0) {
			notes.push(
				`${unreadable.map((a) => a.assetId).join(', ')} could not be read (${unreadableReasons(unreadable, statuses)}): ` +
					'check the asset IDs and that the credential belongs to the Hoox space that created them.',
			);
		}
		const what = generations === 0 ? 'could not be read' : 'failed';
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${failed[0].itemIndex}] ${failed.length} of ${assets.length} Hoox assets ${what}${reason ? `: ${reason}` : ''}`,
			{
				itemIndex: failed[0].itemIndex,
				description:
					`Assets (id, item, status): ${describeAssets(assets, statuses)}. ${notes.join(' ')} ` +
					'Turn on Settings → On Error → Continue to get the finished assets and the failed ones as items.',
			},
		);
	}

	return await buildAssetItems(ctx, assets, statuses, settings, {
		abortSignal,
		continueOnFail,
		timedOut,
		readErrors,
		deadline: tool ? budgetEnd : undefined,
	});
}

/** Error codes the waiter gives an asset whose status cannot be read (no generation failed). */
const UNREADABLE_CODES: Record<string, string> = {
	not_found: 'not found',
	forbidden: 'forbidden',
	status_unavailable: 'status unavailable',
};

/** A "failed" status that comes from a status read Hoox refused (403/404/…), not from a generation. */
export function isUnreadable(status: AssetStatus | undefined): boolean {
	const error = status?.error as IDataObject | undefined;
	if (!error || typeof error !== 'object') return false;
	return (
		typeof error.http_code === 'number' ||
		(typeof error.code === 'string' && error.code in UNREADABLE_CODES)
	);
}

function unreadableReasons(assets: TrackedAsset[], statuses: Map<string, AssetStatus>): string {
	const reasons = new Set(
		assets.map((a) => {
			const error = statuses.get(a.assetId)?.error as IDataObject | undefined;
			const code = String(error?.code ?? '');
			return (
				UNREADABLE_CODES[code] ??
				(error?.http_code ? `HTTP ${error.http_code}` : code || 'unreadable')
			);
		}),
	);
	return [...reasons].join(', ');
}

/** The item of an asset when the wait ended before every asset was done (polling and resume alike). */
export function timedOutItem(
	asset: TrackedAsset,
	status: AssetStatus,
	timeoutMs: number,
	readError?: string,
): INodeExecutionData {
	const json = toAssetItem(status, itemContext(asset)) as IDataObject;
	markTimedOut(json, status, timeoutMs, readError);
	return { json, pairedItem: { item: asset.itemIndex } };
}

/** Marks an asset item of a wait that timed out: `wait_timed_out: true`, an error when unfinished. */
export function markTimedOut(
	json: IDataObject,
	status: AssetStatus,
	timeoutMs: number,
	readError?: string,
): IDataObject {
	json.wait_timed_out = true;
	if (!isTerminal(status)) {
		// when the reads failed, "last status" is only the last one known: say what failed
		const last = readError
			? `its status reads failed (${readError}); last status known: ${status.status}`
			: `last status: ${status.status}`;
		json.error = {
			...((json.error as IDataObject | undefined) ?? {}),
			message:
				`Hoox had not reported this asset as finished when the wait limit (${formatSeconds(timeoutMs)} s) passed; ${last}. ` +
				'It keeps generating: collect it later with Asset → Wait for Completion or Get Status.',
		};
	}
	return json;
}

export interface BuildItemsOptions {
	abortSignal?: AbortSignal;
	/** A failed download becomes an error on its item (true) or is thrown (false). */
	continueOnFail: boolean;
	/** The wait ended at its timeout: every item is marked (see markTimedOut). */
	timedOut?: boolean;
	/** Why the last status read of an asset failed, by asset id (named on its timed-out item). */
	readErrors?: Record<string, string>;
	/**
	 * Epoch ms after which no download starts (the item says so instead), and a download still
	 * running then is stopped. For AI-agent tools, which must answer within the wait timeout.
	 */
	deadline?: number;
}

/**
 * One output item per asset (in the given order): the asset item with model, prompt and source
 * item index, paired with its input item, the binary downloaded when asked.
 */
export async function buildAssetItems(
	ctx: IExecuteFunctions | IWebhookFunctions,
	assets: TrackedAsset[],
	statuses: Map<string, AssetStatus>,
	settings: Pick<WaitSettings, 'download' | 'binaryProperty' | 'timeoutMs'> &
		Partial<Pick<WaitSettings, 'maxDownloadBytes'>>,
	options: BuildItemsOptions,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (const asset of assets) {
		const status = statuses.get(asset.assetId) ??
			asset.status ?? { asset_id: asset.assetId, status: UNKNOWN_STATUS };
		const item = options.timedOut
			? timedOutItem(asset, status, settings.timeoutMs, options.readErrors?.[asset.assetId])
			: {
					json: toAssetItem(status, itemContext(asset)) as IDataObject,
					pairedItem: { item: asset.itemIndex },
				};
		const json = item.json;
		if (settings.download && status.status === 'completed') {
			const left = options.deadline === undefined ? undefined : options.deadline - Date.now();
			if (left !== undefined && left <= 0) {
				json.download_skipped = true;
				json.error = {
					message: `Download skipped: the wait timeout (${formatSeconds(settings.timeoutMs)} s) was used up. The file is at the asset's URL.`,
				};
			} else {
				const bounded = boundedSignal(options.abortSignal, left);
				try {
					const binary = await downloadAsset(ctx, json as never, {
						abortSignal: bounded.signal,
						itemIndex: asset.itemIndex,
						maxBytes: settings.maxDownloadBytes,
						// never longer than the wait timeout (nor than the time left of it, when bounded)
						timeoutMs: left ?? settings.timeoutMs,
					});
					item.binary = { [settings.binaryProperty]: binary };
				} catch (error) {
					const outOfTime = bounded.expired() && !options.abortSignal?.aborted;
					if (outOfTime) {
						json.download_skipped = true;
						json.error = {
							message: `Download stopped: the wait timeout (${formatSeconds(settings.timeoutMs)} s) was used up. The file is at the asset's URL.`,
						};
					} else {
						if (!options.continueOnFail || options.abortSignal?.aborted) {
							throw withAssets(
								ctx,
								error,
								asset.itemIndex,
								assets,
								statuses,
								'Downloading the output failed',
							);
						}
						json.error = { message: `Download failed: ${(error as Error).message}` };
					}
				} finally {
					bounded.dispose();
				}
			}
		}
		out.push(item);
	}
	return out;
}

/** The execution's signal, also aborted after `timeoutMs` when given. */
function boundedSignal(
	signal: AbortSignal | undefined,
	timeoutMs: number | undefined,
): { signal: AbortSignal | undefined; expired: () => boolean; dispose: () => void } {
	if (timeoutMs === undefined) return { signal, expired: () => false, dispose: () => {} };
	const controller = new AbortController();
	const timer = AbortSignal.timeout(Math.max(1, timeoutMs));
	const abort = () => controller.abort();
	timer.addEventListener('abort', abort, { once: true });
	signal?.addEventListener('abort', abort, { once: true });
	if (signal?.aborted) controller.abort();
	return {
		signal: controller.signal,
		expired: () => timer.aborted,
		dispose: () => {
			timer.removeEventListener('abort', abort);
			signal?.removeEventListener('abort', abort);
		},
	};
}

async function pollAll(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	statuses: Map<string, AssetStatus>,
	settings: WaitSettings,
	abortSignal: AbortSignal | undefined,
): Promise<{ timedOut: boolean; readErrors: Record<string, string> }> {
	const byId = new Map(assets.map((a) => [a.assetId, a.itemIndex]));
	// Statuses from the submit answer ("generating") count too: the first poll then waits one
	// interval instead of asking at once about assets that were created a moment ago.
	const known: Record<string, AssetStatus> = Object.fromEntries(statuses);
	// As an AI-agent tool the whole wait, the last poll included, ends by the wait timeout: the
	// polls stop a little before it, and the grace for a poll in flight fills the rest.
	const grace = isToolExecution(ctx) ? Math.min(TOOL_GRACE_MS, settings.timeoutMs / 10) : undefined;
	// Errors are wrapped with the asset list once, by the caller.
	const result = await waitForAssets(
		ctx,
		assets.map((a) => a.assetId),
		{
			timeoutMs: grace === undefined ? settings.timeoutMs : settings.timeoutMs - grace,
			deadlineGraceMs: grace,
			minIntervalMs: settings.minIntervalMs,
			maxIntervalMs: settings.maxIntervalMs,
			abortSignal,
			known,
			itemIndexOf: (id) => byId.get(id),
		},
	);
	for (const status of result.assets) if (status?.asset_id) statuses.set(status.asset_id, status);
	if (abortSignal?.aborted) throw new Error('The execution was cancelled');
	return { timedOut: result.timedOut, readErrors: result.lastPollErrors ?? {} };
}

/** "Status reads failed: id: why; …. " for the unfinished assets whose last read failed ('' if none). */
function readFailures(assets: TrackedAsset[], readErrors: Record<string, string>): string {
	const failures = assets
		.filter((a) => readErrors[a.assetId])
		.map((a) => `${a.assetId}: ${readErrors[a.assetId]}`);
	return failures.length ? `Status reads failed (${failures.join('; ')}). ` : '';
}

/** For AI-agent tools: how long before the wait timeout the last poll starts (at most). */
const TOOL_GRACE_MS = 5000;

/** Any error after a submit lists every asset id, so nothing paid for is lost. */
export function withAssets(
	ctx: IExecuteFunctions | IWebhookFunctions,
	error: unknown,
	itemIndex: number,
	assets: TrackedAsset[],
	statuses: Map<string, AssetStatus>,
	what: string,
): NodeOperationError | NodeApiError {
	const list = `Assets (id, item, last status): ${describeAssets(assets, statuses)}.`;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.description = error.description ? `${error.description} ${list}` : list;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] ${what}: ${message}`, {
		itemIndex,
		description: list,
	});
}
