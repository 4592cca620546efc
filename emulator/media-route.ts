/**
 * `GET|HEAD /media/<file>` — the emulator's CDN. No auth (requests are still recorded, so tests can
 * assert that clients did NOT send their API key here).
 *
 *   /media/<assetId>.png        completed image asset
 *   /media/<assetId>.mp4        completed video asset
 *   /media/<assetId>.thumb.png  thumbnail of a completed video asset
 *   /media/sample.png|.mp4      always available (handy as reference URLs)
 *   ?size=large                 the large variant (EmulatorOptions.largeMediaBytes), streamed
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { AssetStore } from './assets';
import { notFound } from './errors';
import { largeMp4, largePng, makeMp4, makePng } from './media';

interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

const NAME = /^\/media\/([A-Za-z0-9_-]+)(\.thumb)?\.(png|mp4)$/;

export async function serveMedia(
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	store: AssetStore,
	largeMediaBytes: number,
): Promise<Reply | undefined> {
	const method = (req.method ?? 'GET').toUpperCase();
	if (method !== 'GET' && method !== 'HEAD') {
		return {
			status: 405,
			body: { error: 'Method not allowed', code: 'method_not_allowed', details: [] },
			headers: { Allow: 'GET, HEAD' },
		};
	}
	const m = NAME.exec(url.pathname);
	const missing = { status: 404, body: notFound(`No media at ${url.pathname}`).body };
	if (!m) return missing;
	const [, id, thumb, ext] = m;
	if (thumb && ext !== 'png') return missing;

	let width: number;
	let height: number;
	let seconds = 5;
	let large = url.searchParams.get('size') === 'large';
	if (id === 'sample') {
		[width, height] = ext === 'png' ? [1024, 1024] : [1080, 1920];
	} else {
		const a = store.get(id);
		if (!a || a.status !== 'completed') return missing;
		const wanted = thumb ? 'video' : ext === 'mp4' ? 'video' : 'image';
		if (a.type !== wanted) return missing;
		({ width, height } = a);
		seconds = a.duration_seconds ?? 5;
		if (a.large_media && !thumb) large = true;
	}

	let stream: Readable;
	let length: number;
	if (ext === 'png') {
		if (large) ({ stream, length } = largePng(width, height, largeMediaBytes));
		else {
			const png = makePng(width, height);
			[stream, length] = [Readable.from([png]), png.length];
		}
	} else if (large) {
		({ stream, length } = largeMp4(width, height, seconds, largeMediaBytes));
	} else {
		const mp4 = makeMp4(width, height, seconds);
		[stream, length] = [Readable.from([mp4]), mp4.length];
	}
	res.writeHead(200, {
		'content-type': ext === 'png' ? 'image/png' : 'video/mp4',
		'content-length': String(length),
		'cache-control': 'public, max-age=3600',
		'accept-ranges': 'none',
	});
	if (method === 'HEAD') {
		stream.destroy();
		res.end();
		return undefined;
	}
	pipeline(stream, res, () => undefined);
	return undefined;
}
