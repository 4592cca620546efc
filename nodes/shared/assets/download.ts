/**
 * The streamed download of a generated file into n8n binary data (never with the API key), within
 * the download limits (fetchMedia, downloadGuard).
 */
import type { IBinaryData, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hooxCredentials } from '../api/credentials';
import { normalizeBaseUrl } from '../api/request';
import { CancelledError } from '../util/timing';
import { DownloadRefused, maxDownloadBytes } from './downloadGuard';
import { header } from '../util/loose';
import { discard, fetchMedia, type MediaResponse } from './fetchMedia';
import type { AssetItem } from './item';

/** MIME types Hoox media come in, with the file extension we give them. */
const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/avif': 'avif',
	'image/heic': 'heic',
	'image/svg+xml': 'svg',
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'video/x-matroska': 'mkv',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/ogg': 'ogg',
	'audio/aac': 'aac',
};

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	avif: 'image/avif',
	heic: 'image/heic',
	svg: 'image/svg+xml',
	mp4: 'video/mp4',
	m4v: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mkv: 'video/x-matroska',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	aac: 'audio/aac',
};

/** Types that say nothing about the content: the URL's extension is better then. */
const GENERIC_MIME = new Set([
	'application/octet-stream',
	'binary/octet-stream',
	'application/binary',
	'',
]);

/** File name and MIME type of a download, from the Content-Type header, else the URL. */
export function fileInfo(
	assetId: string,
	url: string,
	contentType?: string,
): { fileName: string; mimeType: string; extension: string } {
	const headerMime = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const urlExtension = extensionOfUrl(url);
	let mimeType = headerMime;
	let extension = EXTENSION_BY_MIME[headerMime];
	if (GENERIC_MIME.has(headerMime)) {
		mimeType =
			(urlExtension && MIME_BY_EXTENSION[urlExtension]) || headerMime || 'application/octet-stream';
	}
	if (!extension) extension = urlExtension ?? (mimeType && EXTENSION_BY_MIME[mimeType]) ?? 'bin';
	const safeId = assetId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'asset';
	return { fileName: `${safeId}.${extension}`, mimeType, extension };
}

/** A download has one deadline for headers and body; the Hoox node passes its wait's time left. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export interface DownloadOptions {
	abortSignal?: AbortSignal;
	itemIndex?: number;
	/** Size cap in bytes (the Max Download Size option); default DEFAULT_MAX_DOWNLOAD_MB. */
	maxBytes?: number;
	/** Deadline for the whole transfer. */
	timeoutMs?: number;
}

type Fail = (message: string, description: string) => NodeOperationError;

/**
 * Streams the asset's file into n8n binary data, within the download limits (fetchMedia,
 * downloadGuard): plain httpRequest without credentials, the URL Hoox's status gave, file name
 * and MIME type from the response or the URL.
 */
export async function downloadAsset(
	ctx: IExecuteFunctions | IWebhookFunctions,
	item: AssetItem,
	options: DownloadOptions = {},
): Promise<IBinaryData> {
	const assetId = String(item.asset_id);
	const url = typeof item.url === 'string' ? item.url.trim() : '';
	const fail: Fail = (message, description) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex: options.itemIndex, description });
	const refused = (reason: string) =>
		fail(
			`Hoox asset "${assetId}" was not downloaded: ${reason}`,
			'The download limits refused the file. The asset itself is fine: its URL is in the item.',
		);
	const where = fileLocation(fail, assetId, item, url);

	const credentials = await hooxCredentials(ctx);
	const fetched = await fetchMedia(ctx, {
		url,
		assetType: item.type,
		maxBytes: options.maxBytes ?? maxDownloadBytes(undefined),
		baseUrl: normalizeBaseUrl(credentials?.baseUrl as string | undefined),
		timeoutMs:
			Number.isFinite(options.timeoutMs) && Number(options.timeoutMs) > 0
				? Number(options.timeoutMs)
				: DEFAULT_DOWNLOAD_TIMEOUT_MS,
		abortSignal: options.abortSignal,
	}).then(
		(media) => ({ media, error: undefined }),
		(error: unknown) => ({ media: undefined, error }),
	);
	const media = fetched.media;
	if (!media) {
		if (options.abortSignal?.aborted) throw new CancelledError();
		if (fetched.error instanceof DownloadRefused) throw refused(fetched.error.reason);
		throw transferFailed(fail, assetId, where, fetched.error);
	}
	const stored = await storeMedia(ctx, media, { assetId, where, fail }).then(
		(binary) => ({ binary, error: undefined }),
		(error: unknown) => ({ binary: undefined, error }),
	);
	media.finish();
	if (stored.binary) return stored.binary;
	discard(media.body);
	if (options.abortSignal?.aborted) throw new CancelledError();
	const refusal = media.refusal();
	if (refusal) throw refused(refusal.reason);
	if (media.timedOut()) throw transferFailed(fail, assetId, where, new Error('timeout'));
	throw stored.error instanceof NodeOperationError
		? stored.error
		: transferFailed(fail, assetId, where, stored.error);
}

/** `host/path` of the file for messages; throws when there is no usable URL. */
function fileLocation(fail: Fail, assetId: string, item: AssetItem, url: string): string {
	if (!url) {
		throw fail(
			`Hoox asset "${assetId}" has no file to download`,
			item.status === 'completed'
				? 'Hoox reported the asset as completed but sent no URL. Try Get Status on it again in a moment.'
				: `The asset is "${item.status}"; only completed assets have a file. Turn off the download, or wait for completion first.`,
		);
	}
	try {
		const parsed = new URL(url);
		return `${parsed.host}${parsed.pathname}`;
	} catch {
		throw fail(
			`Hoox asset "${assetId}" has an invalid file URL`,
			'The URL Hoox sent cannot be read.',
		);
	}
}

async function storeMedia(
	ctx: IExecuteFunctions | IWebhookFunctions,
	media: MediaResponse,
	about: { assetId: string; where: string; fail: Fail },
): Promise<IBinaryData> {
	const { assetId, where, fail } = about;
	if (media.statusCode >= 400) {
		throw fail(
			`Could not download Hoox asset "${assetId}": the media server answered HTTP ${media.statusCode}`,
			media.statusCode === 403 || media.statusCode === 404 || media.statusCode === 410
				? `The file at ${where} is not available (the link may have expired). Get the asset's status again for a fresh URL.`
				: `The file at ${where} could not be fetched. Try again in a moment.`,
		);
	}
	if (media.body === undefined || media.body === null) {
		throw fail(
			`Could not download Hoox asset "${assetId}": the media server sent no file`,
			`URL: ${where}`,
		);
	}
	const { fileName, mimeType } = fileInfo(
		assetId,
		media.url.href,
		header(media.headers, 'content-type'),
	);
	const body = media.body;
	const data = (typeof body === 'string' ? Buffer.from(body) : body) as Parameters<
		IExecuteFunctions['helpers']['prepareBinaryData']
	>[0];
	return await ctx.helpers.prepareBinaryData(data, fileName, mimeType);
}

function transferFailed(fail: Fail, assetId: string, where: string, error: unknown) {
	return fail(
		`Could not download Hoox asset "${assetId}": ${plainReason(error)}`,
		`${reason(error)}. The file at ${where} could not be fetched. The asset itself is fine: download it again from its URL, or turn the download off.`,
	);
}

/**
 * A short reason for the error message. (n8n replaces a NodeOperationError message that names a
 * network error code by a generic text, so the codes go into the description only.)
 */
function plainReason(error: unknown): string {
	const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
	if (/ECONNRESET|EPIPE|socket hang up|closed/i.test(text)) return 'the connection was closed';
	if (/ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT|timeout|canceled|aborted/i.test(text))
		return 'the download timed out';
	if (/ECONNREFUSED/i.test(text)) return 'the media server refused the connection';
	if (/ENOTFOUND|EAI_AGAIN/i.test(text)) return 'the media host was not found';
	return 'the transfer failed';
}

function reason(error: unknown): string {
	const err = error as { code?: unknown; message?: unknown } | undefined;
	const code = typeof err?.code === 'string' ? err.code : undefined;
	const message = typeof err?.message === 'string' ? err.message : String(error);
	return code && !message.includes(code) ? `${message} (${code})` : message;
}

function extensionOfUrl(url: string): string | undefined {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		path = url.split(/[?#]/)[0];
	}
	const match = /\.([A-Za-z0-9]{1,5})$/.exec(path);
	return match ? match[1].toLowerCase() : undefined;
}
