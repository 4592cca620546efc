/**
 * What a downloaded file may be: at most the size cap (checked on Content-Length before reading,
 * and on the bytes as they stream, since a header can lie or be missing), and media of the
 * asset's type — image/* for images, video/* for videos — never a page or a script (HTML, an SVG
 * with script). Watching the stream needs no stream module: a 'data' listener added at the moment
 * its consumer starts listening sees every chunk the consumer reads (in flowing and in paused
 * mode), and destroy(error) stops the transfer.
 */

export const DEFAULT_MAX_DOWNLOAD_MB = 100;
export const MAX_DOWNLOAD_MB_LIMIT = 4096;

/** The size cap in bytes from the node option (MB); the default when unset or invalid. */
export function maxDownloadBytes(optionMb: unknown): number {
	const mb = Number(optionMb);
	const valid = Number.isFinite(mb) && mb > 0 ? Math.min(mb, MAX_DOWNLOAD_MB_LIMIT) : undefined;
	return Math.round((valid ?? DEFAULT_MAX_DOWNLOAD_MB) * 1024 * 1024);
}

/** Types that say nothing about the content: the URL's extension and the bytes decide then. */
const GENERIC_TYPES = new Set([
	'',
	'application/octet-stream',
	'binary/octet-stream',
	'application/binary',
]);

/**
 * Why a response with this Content-Type cannot be the asset's file, or undefined. `assetType` is
 * Hoox's type of the asset ('image', 'video'; anything else allows both).
 */
export function refusedContentType(contentType: string, assetType: unknown): string | undefined {
	const mime = contentType.split(';')[0].trim().toLowerCase();
	if (GENERIC_TYPES.has(mime)) return undefined;
	const family = mime.split('/')[0];
	const wanted = assetType === 'image' || assetType === 'video' ? [assetType] : ['image', 'video'];
	if (!wanted.includes(family))
		return `the server sent ${mime.slice(0, 80)}, not ${wanted.map((w) => `${w}/*`).join(' or ')}`;
	return undefined;
}

export function sizeText(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** Why a declared Content-Length is refused, or undefined. */
export function refusedLength(
	contentLength: string | undefined,
	maxBytes: number,
): string | undefined {
	if (contentLength === undefined || !/^\d+$/.test(contentLength.trim())) return undefined;
	const length = Number(contentLength);
	return length > maxBytes
		? `the file is ${sizeText(length)}, more than the ${sizeText(maxBytes)} limit (Max Download Size)`
		: undefined;
}

interface Watchable {
	on?: (event: string, listener: (...args: unknown[]) => void) => unknown;
	destroy?: (error?: Error) => unknown;
}

/** Thrown into the stream when a limit is crossed; the download turns it into a clear error. */
export class DownloadRefused extends Error {
	constructor(readonly reason: string) {
		super(reason);
		this.name = 'DownloadRefused';
	}
}

// Markup where media are expected, and script in an SVG.
const SCRIPT_IN_SVG = /<script|<foreignobject|<iframe|\bon[a-z]+\s*=|javascript:/i;

/**
 * Watches a response body as its consumer reads it: stops it past `maxBytes`, when the first
 * bytes are markup (an HTML page served as media), or, for an SVG, at any script.
 * Returns a function telling why it was stopped, if it was.
 */
export function watchBody(
	body: unknown,
	limits: { maxBytes: number; svg: boolean },
): () => DownloadRefused | undefined {
	const stream = body as Watchable;
	let refused: DownloadRefused | undefined;
	if (typeof stream?.on !== 'function' || typeof stream.destroy !== 'function')
		return () => refused;
	let bytes = 0;
	let tail = '';
	const stop = (reason: string) => {
		if (refused) return;
		refused = new DownloadRefused(reason);
		stream.destroy?.(refused);
	};
	const watch = (chunk: unknown) => {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
		if (bytes === 0 && !limits.svg && /^\s*</.test(buffer.subarray(0, 64).toString('latin1')))
			stop('the server sent a web page or markup, not a media file');
		bytes += buffer.length;
		if (bytes > limits.maxBytes)
			stop(`the file is larger than the ${sizeText(limits.maxBytes)} limit (Max Download Size)`);
		if (limits.svg) {
			const text = tail + buffer.toString('latin1');
			if (SCRIPT_IN_SVG.test(text)) stop('the SVG file contains script');
			tail = text.slice(-32);
		}
	};
	// Not before: a 'data' listener starts the flow, and chunks nobody else hears would be lost.
	let watching = false;
	stream.on('newListener', (event: unknown) => {
		if (watching || (event !== 'data' && event !== 'readable')) return;
		watching = true;
		stream.on?.('data', watch as (...args: unknown[]) => void);
	});
	return () => refused;
}
