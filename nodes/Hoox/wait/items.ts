/** The output of a wait: one item per asset (timed out, failed, downloaded), and its errors. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isTerminal, UNKNOWN_STATUS, type AssetStatus } from '../../shared/api';
import { downloadAsset, toAssetItem } from '../../shared/assets';
import { formatSeconds, type TrackedAsset, type WaitSettings } from './settings';

type Statuses = Map<string, AssetStatus>;
/** Why the last status read of an unfinished asset failed, by asset id. */
type ReadErrors = Record<string, string>;

export function describeAssets(assets: TrackedAsset[], statuses: Statuses): string {
	return assets
		.map(
			(a) =>
				`${a.assetId} (item ${a.itemIndex}: ${statuses.get(a.assetId)?.status ?? a.status?.status ?? 'unknown'})`,
		)
		.join(', ');
}

/** The asset item of one asset, paired with its input item. */
export function assetItem(asset: TrackedAsset, status: AssetStatus): INodeExecutionData {
	const json = toAssetItem(status, {
		model: asset.model,
		prompt: asset.prompt,
		sourceItemIndex: asset.itemIndex,
	}) as IDataObject;
	return { json, pairedItem: { item: asset.itemIndex } };
}

/** The item of an asset when the wait ended before every asset was done (polling and resume alike). */
export function timedOutItem(
	asset: TrackedAsset,
	status: AssetStatus,
	timeoutMs: number,
	readError?: string,
): INodeExecutionData {
	const item = assetItem(asset, status);
	markTimedOut(item.json, status, timeoutMs, readError);
	return item;
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

/** The items of a wait that stopped with an error (Continue On Fail): last status + the error. */
export function stoppedItems(
	assets: TrackedAsset[],
	statuses: Statuses,
	message: string,
): INodeExecutionData[] {
	return assets.map((a) => {
		const item = assetItem(a, statuses.get(a.assetId) as AssetStatus);
		item.json.error = { message };
		return item;
	});
}

/** The error when the wait timed out with assets unfinished (no Continue On Fail, not a tool). */
export function timedOutError(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	statuses: Statuses,
	timeoutMs: number,
	readErrors: ReadErrors = {},
): NodeOperationError {
	const unfinished = assets.filter((a) => !isTerminal(statuses.get(a.assetId)));
	return new NodeOperationError(
		ctx.getNode(),
		`[item ${unfinished[0].itemIndex}] Timed out after ${formatSeconds(timeoutMs)} s: ${unfinished.length} of ${assets.length} Hoox assets are not finished`,
		{
			itemIndex: unfinished[0].itemIndex,
			description:
				`Assets (id, item, last status): ${describeAssets(assets, statuses)}. ${readFailures(unfinished, readErrors)}They were paid for and keep generating: ` +
				'collect them later with Asset → Wait for Completion or Get Status, or raise Options → Wait Timeout (Seconds).',
		},
	);
}

/** "Status reads failed (id: why; …). " for the unfinished assets whose last read failed ('' if none). */
function readFailures(assets: TrackedAsset[], readErrors: ReadErrors): string {
	const failures = assets
		.filter((a) => readErrors[a.assetId])
		.map((a) => `${a.assetId}: ${readErrors[a.assetId]}`);
	return failures.length ? `Status reads failed (${failures.join('; ')}). ` : '';
}

/** The error when assets failed or could not be read (no Continue On Fail). */
export function failedError(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	statuses: Statuses,
): NodeOperationError {
	const failed = assets.filter((a) => statuses.get(a.assetId)?.status === 'failed');
	const reason = (statuses.get(failed[0].assetId)?.error as IDataObject | undefined)?.message;
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
	return new NodeOperationError(
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

function unreadableReasons(assets: TrackedAsset[], statuses: Statuses): string {
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

export interface BuildItemsOptions {
	abortSignal?: AbortSignal;
	/** A failed download becomes an error on its item (true) or is thrown (false). */
	continueOnFail: boolean;
	/** The wait ended at its timeout: every item is marked (see markTimedOut). */
	timedOut?: boolean;
	/** Why the last status read of an asset failed, by asset id (named on its timed-out item). */
	readErrors?: ReadErrors;
	/** Epoch ms after which no download starts or runs on (AI-agent tools answer in time). */
	deadline?: number;
}

type OutputSettings = Pick<WaitSettings, 'download' | 'binaryProperty' | 'timeoutMs'> &
	Partial<Pick<WaitSettings, 'maxDownloadBytes'>>;

/** One output item per asset (in the given order), the binary downloaded when asked. */
export async function buildAssetItems(
	ctx: IExecuteFunctions | IWebhookFunctions,
	assets: TrackedAsset[],
	statuses: Statuses,
	settings: OutputSettings,
	options: BuildItemsOptions,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (const asset of assets) {
		const status = statuses.get(asset.assetId) ??
			asset.status ?? { asset_id: asset.assetId, status: UNKNOWN_STATUS };
		const item = options.timedOut
			? timedOutItem(asset, status, settings.timeoutMs, options.readErrors?.[asset.assetId])
			: assetItem(asset, status);
		if (settings.download && status.status === 'completed') {
			const failure = await downloadInto(ctx, item, asset.itemIndex, settings, options);
			if (failure !== undefined) {
				const what = 'Downloading the output failed';
				throw withAssets(ctx, failure.error, asset.itemIndex, assets, statuses, what);
			}
		}
		out.push(item);
	}
	return out;
}

/**
 * Downloads an item's file into its binary; what cannot be downloaded in time is noted on the
 * item. Returns the failure the caller must throw (no Continue On Fail, or cancelled).
 */
async function downloadInto(
	ctx: IExecuteFunctions | IWebhookFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	settings: OutputSettings,
	options: BuildItemsOptions,
): Promise<{ error: unknown } | undefined> {
	const json = item.json;
	const left = options.deadline === undefined ? undefined : options.deadline - Date.now();
	const skipped = (what: string) => {
		json.download_skipped = true;
		json.error = {
			message: `Download ${what}: the wait timeout (${formatSeconds(settings.timeoutMs)} s) was used up. The file is at the asset's URL.`,
		};
	};
	if (left !== undefined && left <= 0) {
		skipped('skipped');
		return undefined;
	}
	const bounded = boundedSignal(options.abortSignal, left);
	try {
		const binary = await downloadAsset(ctx, json as never, {
			abortSignal: bounded.signal,
			itemIndex,
			maxBytes: settings.maxDownloadBytes,
			// never longer than the wait timeout (nor than the time left of it, when bounded)
			timeoutMs: left ?? settings.timeoutMs,
		});
		item.binary = { [settings.binaryProperty]: binary };
	} catch (error) {
		if (bounded.expired() && !options.abortSignal?.aborted) skipped('stopped');
		else if (!options.continueOnFail || options.abortSignal?.aborted) return { error };
		else json.error = { message: `Download failed: ${(error as Error).message}` };
	} finally {
		bounded.dispose();
	}
	return undefined;
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

/** Any error after a submit lists every asset id, so nothing paid for is lost. */
export function withAssets(
	ctx: IExecuteFunctions | IWebhookFunctions,
	error: unknown,
	itemIndex: number,
	assets: TrackedAsset[],
	statuses: Statuses,
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
