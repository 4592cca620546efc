/** One shape for an asset in n8n's output, shared by the Hoox node and the Hoox Trigger. */
import type { IDataObject } from 'n8n-workflow';

import type { AssetStatus } from '../api';
import { isObject } from '../util/loose';

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
	status: AssetStatus,
	context?: { model?: string; prompt?: string; sourceItemIndex?: number },
): AssetItem {
	const params = isObject(status.generation_params) ? status.generation_params : {};
	const item: AssetItem = { asset_id: String(status.asset_id), status: String(status.status) };
	setString(item, 'type', status.type);
	setString(item, 'url', status.url);
	setString(item, 'thumbnail_url', status.thumbnail_url);
	setNumber(item, 'width', status.width);
	setNumber(item, 'height', status.height);
	setNumber(item, 'duration_seconds', status.duration_seconds);
	setNumber(item, 'cost', status.cost);
	setString(item, 'created_at', status.created_at);
	setString(item, 'model', context?.model ?? status.model ?? params.model);
	setString(item, 'prompt', context?.prompt ?? status.prompt ?? params.prompt);
	if (typeof context?.sourceItemIndex === 'number')
		item.source_item_index = context.sourceItemIndex;
	const error = readError(status.error);
	if (error) item.error = error;
	return item;
}

function setString(item: AssetItem, key: keyof AssetItem, value: unknown) {
	if (typeof value === 'string') item[key] = value;
	else if (typeof value === 'number') item[key] = String(value);
}

function setNumber(item: AssetItem, key: keyof AssetItem, value: unknown) {
	if (typeof value === 'number' && Number.isFinite(value)) item[key] = value;
	else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		item[key] = Number(value);
}

export function readError(value: unknown): IDataObject | undefined {
	if (value === undefined || value === null || value === false) return undefined;
	if (isObject(value)) return { ...value };
	return { message: String(value) };
}
