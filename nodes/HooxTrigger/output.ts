/**
 * The item a confirmed event starts the workflow with: built from Hoox's status answer only (the
 * delivery's body is never a source of fields, URLs or files), filtered by the Asset Type and
 * Models parameters, with the file downloaded from the URL Hoox's answer gave when asked.
 * Runs after Hoox has been answered, so it never throws: problems become a `warning` field.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { AssetStatus } from '../shared/api';
import {
	downloadAsset,
	toAssetItem,
	type AssetItem,
	type HooxEventPayload,
} from '../shared/assets';
import { maxDownloadBytes } from '../shared/assets/downloadGuard';
import { parseModelList } from './delivery';

/** The output item, or undefined when a filter drops the event. */
export async function confirmedOutput(
	ctx: IWebhookFunctions,
	payload: HooxEventPayload,
	status: AssetStatus,
	receivedAt: Date,
): Promise<INodeExecutionData | undefined> {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	// Always the full item: the status read that confirmed the event gave every field anyway.
	const item = toAssetItem(status);
	if (filteredOut(ctx, item)) return undefined;
	const output: INodeExecutionData = {
		json: { ...item, event: payload.status, received_at: receivedAt.toISOString() },
	};
	if (options.downloadBinary === true && item.status === 'completed') {
		const warning = await attachDownload(ctx, output, item, options);
		if (warning) output.json.warning = warning;
	}
	return output;
}

function filteredOut(ctx: IWebhookFunctions, item: AssetItem): boolean {
	const wantedType = ctx.getNodeParameter('assetType', 'any') as string;
	const type = typeof item.type === 'string' ? item.type.toLowerCase() : undefined;
	if (wantedType !== 'any' && type !== wantedType) {
		ctx.logger.debug(`Hoox Trigger: asset ${item.asset_id} ignored (Asset Type filter)`);
		return true;
	}
	const models = parseModelList(ctx.getNodeParameter('models', ''));
	const model = typeof item.model === 'string' ? item.model.toLowerCase() : undefined;
	if (models.length > 0 && (model === undefined || !models.includes(model))) {
		ctx.logger.debug(`Hoox Trigger: asset ${item.asset_id} ignored (Models filter)`);
		return true;
	}
	return false;
}

async function attachDownload(
	ctx: IWebhookFunctions,
	output: INodeExecutionData,
	item: AssetItem,
	options: IDataObject,
): Promise<string | undefined> {
	const property =
		typeof options.binaryPropertyName === 'string' && options.binaryPropertyName.trim() !== ''
			? options.binaryPropertyName.trim()
			: 'data';
	if (typeof item.url !== 'string' || item.url === '') {
		return 'The file was not downloaded: Hoox gave no URL for this asset';
	}
	try {
		output.binary = {
			[property]: await downloadAsset(ctx, item, {
				itemIndex: 0,
				maxBytes: maxDownloadBytes(options.maxDownloadSizeMb),
			}),
		};
		return undefined;
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		ctx.logger.warn(`Hoox Trigger: could not download asset ${item.asset_id}: ${message}`);
		return `The file could not be downloaded: ${message}`;
	}
}
