/**
 * One shape for an asset in n8n's output, shared by the Hoox node and the Hoox Trigger, and the
 * streamed download of the generated file into n8n binary data (never with the API key).
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { AssetStatus } from './waiter';

/** The item every Hoox output carries (fields Hoox did not send are left out). */
export interface AssetItem extends IDataObject {
	asset_id: string;
	status: string;
	type?: string;
	url?: string;
	thumbnail_url?: string;
	width?: number;
	height?: number;
	duration_seconds?: number;
	cost?: number;
	model?: string;
	prompt?: string;
	created_at?: string;
	/** Index of the input item that asked for this asset. */
	source_item_index?: number;
	error?: IDataObject;
}

/** Builds the output item from GET /asset/status (plus what we knew at submit time). */
export function toAssetItem(
	_status: AssetStatus,
	_context?: { model?: string; prompt?: string; sourceItemIndex?: number },
): AssetItem {
	throw new Error('not implemented');
}

/** Reads a Hoox webhook payload (`result.asset_url`, `asset_type`, …) as an AssetStatus. */
export function statusFromWebhook(_payload: IDataObject): AssetStatus {
	throw new Error('not implemented');
}

/**
 * Streams the asset's file into n8n binary data: plain httpRequest (no credentials, so the API
 * key never reaches the media host), `encoding: 'stream'`, file name and MIME type from the
 * response or the URL.
 */
export async function downloadAsset(
	_ctx: IExecuteFunctions | IWebhookFunctions,
	_item: AssetItem,
	_options?: { abortSignal?: AbortSignal; itemIndex?: number },
): Promise<IBinaryData> {
	throw new Error('not implemented');
}
