/** Every Hoox endpoint the nodes use, typed in and out. Nothing else builds a Hoox path. */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isAssetId, showId } from '../assetId';
import { readStatus as readStatusAnswer } from './answers';
import { hooxRequest, hooxRequestWithMeta } from './request';
import type { CallOptions, HooxContext, HooxRequest, RateLimitInfo, RetryPolicy } from './types';

export type AssetState = 'pending' | 'generating' | 'completed' | 'failed';

/** GET /asset/status/{id} (fields Hoox may omit are optional). */
export interface AssetStatus extends IDataObject {
	asset_id: string;
	status: AssetState | string;
}

/** Status reported for an asset no status read has answered yet. */
export const UNKNOWN_STATUS = 'unknown';

export function isTerminal(status: AssetStatus | undefined): boolean {
	return status?.status === 'completed' || status?.status === 'failed';
}

export interface ModelFilters {
	type?: unknown;
	provider?: unknown;
	tag?: unknown;
}

/** GET /asset/models; type/provider filtered on are hoisted by Hoox, so they are put back in every model. */
export async function listModels(
	ctx: HooxContext,
	filters: ModelFilters = {},
	opts: CallOptions & Pick<HooxRequest, 'timeout' | 'retry'> = {},
): Promise<IDataObject[]> {
	const qs: IDataObject = {};
	for (const key of ['type', 'provider', 'tag'] as const) {
		const value = filters[key];
		if (typeof value === 'string' && value.trim()) qs[key] = value.trim();
	}
	const response = await hooxRequest(ctx, { method: 'GET', path: '/asset/models', qs, ...opts });
	const models = Array.isArray(response.models) ? (response.models as IDataObject[]) : [];
	return models.map((model) => {
		const out: IDataObject = { ...model };
		if (out.type === undefined && response.type !== undefined) out.type = response.type;
		if (out.provider === undefined && response.provider !== undefined)
			out.provider = response.provider;
		return out;
	});
}

/** GET /asset/models/{name}: the model's settings and input schema (a 404 names the model). */
export async function getModel<T extends object = IDataObject>(
	ctx: HooxContext,
	name: string,
	opts: CallOptions = {},
): Promise<T> {
	return await hooxRequest<T>(ctx, {
		method: 'GET',
		path: `/asset/models/${encodeURIComponent(name)}`,
		notFound: { kind: 'model', id: name },
		...opts,
	});
}

/** POST /asset/pricing answer; `total_cost` is what the credit cap reads. */
export interface PriceAnswer extends IDataObject {
	total_cost?: number | string;
}

/** POST /asset/pricing: a dry run, charges nothing (so it is retried like a read). */
export async function price(
	ctx: HooxContext,
	body: IDataObject,
	opts: CallOptions = {},
): Promise<PriceAnswer> {
	return await hooxRequest<PriceAnswer>(ctx, {
		method: 'POST',
		path: '/asset/pricing',
		body,
		...opts,
	});
}

/** POST /asset/start answer. */
export interface StartAnswer extends IDataObject {
	asset_ids?: unknown[];
	status?: string;
	cost_per_generation?: number;
}

/** POST /asset/start: debits credits up front, never retried once it may have reached Hoox. */
export async function startGeneration(
	ctx: HooxContext,
	body: IDataObject,
	opts: CallOptions = {},
): Promise<StartAnswer> {
	return await hooxRequest<StartAnswer>(ctx, {
		method: 'POST',
		path: '/asset/start',
		body,
		...opts,
	});
}

export interface StatusReadOptions extends CallOptions {
	/** Timeout of the request (ms; the request door's default otherwise). */
	timeout?: number;
	retry?: Partial<RetryPolicy>;
}

export interface StatusRead {
	/** The asset's status, or undefined when Hoox answered with something that is not a status. */
	status: AssetStatus | undefined;
	rateLimit: RateLimitInfo;
}

/** GET /asset/status/{id}: the one status read of the package (a 404 names the asset). */
export async function getStatus(
	ctx: HooxContext,
	assetId: string,
	opts: StatusReadOptions = {},
): Promise<StatusRead> {
	if (!isAssetId(assetId)) {
		// checked where IDs come in; here too, because the ID becomes part of the path
		throw new NodeOperationError(ctx.getNode(), `${showId(assetId)} is not an asset ID`, {
			itemIndex: opts.itemIndex,
			description: 'Its status was not requested.',
		});
	}
	const response = await hooxRequestWithMeta<unknown>(ctx, {
		method: 'GET',
		path: `/asset/status/${encodeURIComponent(assetId)}`,
		abortSignal: opts.abortSignal,
		itemIndex: opts.itemIndex,
		assetIds: [assetId],
		notFound: { kind: 'asset', id: assetId },
		...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
		...(opts.retry ? { retry: opts.retry } : {}),
	});
	return { status: readStatus(assetId, response.body), rateLimit: response.rateLimit };
}

function readStatus(id: string, body: unknown): AssetStatus | undefined {
	return readStatusAnswer(id, body, UNKNOWN_STATUS) as AssetStatus | undefined;
}

/** GET /folder/list (`type` '' = every folder). */
export async function listFolders(
	ctx: HooxContext,
	type: string,
	opts: CallOptions = {},
): Promise<IDataObject[]> {
	const response = await hooxRequest(ctx, {
		method: 'GET',
		path: '/folder/list',
		qs: type ? { type } : {},
		...opts,
	});
	return Array.isArray(response.folders) ? (response.folders as IDataObject[]) : [];
}

export interface NewFolder extends IDataObject {
	name: string;
	type?: string;
	parent_folder_id?: string;
}

/** POST /folder/create. */
export async function createFolder(
	ctx: HooxContext,
	folder: NewFolder,
	opts: CallOptions = {},
): Promise<IDataObject> {
	return await hooxRequest(ctx, { method: 'POST', path: '/folder/create', body: folder, ...opts });
}
