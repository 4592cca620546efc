/** The streamed download of a generated file into n8n binary data (never with the API key). */
import type {
	IBinaryData,
	IExecuteFunctions,
	IHttpRequestOptions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CancelledError } from '../util/timing';
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

/**
 * Streams the asset's file into n8n binary data: plain httpRequest (no credentials, so the API
 * key never reaches the media host), `encoding: 'stream'`, file name and MIME type from the
 * response or the URL.
 */
export async function downloadAsset(
	ctx: IExecuteFunctions | IWebhookFunctions,
	item: AssetItem,
	options?: { abortSignal?: AbortSignal; itemIndex?: number },
): Promise<IBinaryData> {
	const itemIndex = options?.itemIndex;
	const assetId = String(item.asset_id);
	const url = typeof item.url === 'string' ? item.url.trim() : '';
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex, description });

	if (!url) {
		throw fail(
			`Hoox asset "${assetId}" has no file to download`,
			item.status === 'completed'
				? 'Hoox reported the asset as completed but sent no URL. Try Get Status on it again in a moment.'
				: `The asset is "${item.status}"; only completed assets have a file. Turn off the download, or wait for completion first.`,
		);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw fail(
			`Hoox asset "${assetId}" has an invalid file URL`,
			'The URL Hoox sent cannot be read.',
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw fail(
			`Hoox asset "${assetId}" has a file URL that is not http(s)`,
			`Protocol: ${parsed.protocol}`,
		);
	}
	const where = `${parsed.host}${parsed.pathname}`;

	// Plain httpRequest: n8n adds no credential to it. The media host (a CDN, a presigned URL)
	// must never see the Hoox API key, not even after a redirect.
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: 10 * 60_000,
	};
	if (options?.abortSignal) request.abortSignal = options.abortSignal;

	const cancelledOr = (error: unknown) => {
		if (options?.abortSignal?.aborted) return new CancelledError();
		return error instanceof NodeOperationError
			? error
			: fail(
					`Could not download Hoox asset "${assetId}": ${plainReason(error)}`,
					`${reason(error)}. The file at ${where} could not be fetched. The asset itself is fine: download it again from its URL, or turn the download off.`,
				);
	};

	let response: { body?: unknown; headers?: Record<string, unknown>; statusCode?: number };
	try {
		response = await ctx.helpers.httpRequest(request);
	} catch (error) {
		throw cancelledOr(error);
	}
	const statusCode = Number(response?.statusCode ?? 200);
	const body = response?.body;
	if (statusCode >= 400) {
		discard(body);
		throw fail(
			`Could not download Hoox asset "${assetId}": the media server answered HTTP ${statusCode}`,
			statusCode === 403 || statusCode === 404 || statusCode === 410
				? `The file at ${where} is not available (the link may have expired). Get the asset's status again for a fresh URL.`
				: `The file at ${where} could not be fetched. Try again in a moment.`,
		);
	}
	if (body === undefined || body === null) {
		throw fail(
			`Could not download Hoox asset "${assetId}": the media server sent no file`,
			`URL: ${where}`,
		);
	}

	const { fileName, mimeType } = fileInfo(
		assetId,
		url,
		headerValue(response.headers, 'content-type'),
	);
	const data = (typeof body === 'string' ? Buffer.from(body) : body) as Parameters<
		IExecuteFunctions['helpers']['prepareBinaryData']
	>[0];
	try {
		return await ctx.helpers.prepareBinaryData(data, fileName, mimeType);
	} catch (error) {
		discard(body);
		throw cancelledOr(error);
	}
}

function discard(body: unknown) {
	const stream = body as { destroy?: () => void } | undefined;
	if (stream && typeof stream.destroy === 'function') stream.destroy();
}

/**
 * A short reason for the error message. (n8n replaces a NodeOperationError message that names a
 * network error code by a generic text, so the codes go into the description only.)
 */
function plainReason(error: unknown): string {
	const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
	if (/ECONNRESET|EPIPE|socket hang up|closed/i.test(text)) return 'the connection was closed';
	if (/ETIMEDOUT|ECONNABORTED|ESOCKETTIMEDOUT|timeout/i.test(text)) return 'the download timed out';
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

function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
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
