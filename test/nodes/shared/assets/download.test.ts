/**
 * Download limits (issue 9, item 4) through the test context's real HTTP: size cap on the declared
 * length and on the streamed bytes, media type of the asset's kind, no markup or script, bounded
 * redirects to known hosts only, private targets only with a local Base URL, one deadline, cancel.
 */
import type { IDataObject } from 'n8n-workflow';

import { downloadAsset } from '../../../../nodes/shared/assets';
import { CancelledError } from '../../../../nodes/shared/util/timing';
import { createExecuteContext } from '../../../../harness/n8nContext';
import { startMediaServer, type MediaServer } from './mediaServer';

let media: MediaServer;
let other: MediaServer;
beforeAll(async () => {
	media = await startMediaServer();
	other = await startMediaServer();
});
afterAll(async () => {
	await media.close();
	await other.close();
});
beforeEach(() => {
	media.requests.length = 0;
	other.requests.length = 0;
	media.bytesSent = 0;
});

const LOCAL_BASE = 'http://127.0.0.1:5999/api/public/v1';

function context(baseUrl = LOCAL_BASE, binaryMode?: 'default' | 'filesystem') {
	return createExecuteContext({
		credentials: { apiKey: 'hx_live_' + 'b'.repeat(64), baseUrl },
		binaryMode,
	});
}

async function download(
	path: string,
	type = 'image',
	options: {
		maxBytes?: number;
		timeoutMs?: number;
		abortSignal?: AbortSignal;
		baseUrl?: string;
		binaryMode?: 'default' | 'filesystem';
	} = {},
) {
	const ctx = context(options.baseUrl, options.binaryMode);
	const item: IDataObject = {
		asset_id: 'a1',
		status: 'completed',
		type,
		url: path.startsWith('http') ? path : `${media.origin}${path}`,
	};
	const result = await downloadAsset(ctx, item as never, { itemIndex: 0, ...options }).then(
		(binary) => ({ binary, error: undefined }),
		(error: Error & { description?: string }) => ({ binary: undefined, error }),
	);
	return {
		...result,
		ctx,
		text: `${result.error?.message ?? ''} ${result.error?.description ?? ''}`,
	};
}

describe('downloadAsset: what it accepts', () => {
	it.each([
		['/ok.png', 'image', 'image/png'],
		['/octet.png', 'image', 'image/png'],
		['/clean.svg', 'image', 'image/svg+xml'],
		['/redirect/3', 'image', 'image/png'],
	])('%s (%s)', async (path, type, mimeType) => {
		const { binary, error } = await download(path, type);
		expect(error).toBeUndefined();
		expect(binary?.mimeType).toBe(mimeType);
	});
});

describe('downloadAsset: what it refuses', () => {
	it('a declared size over the cap, before reading the body', async () => {
		const { error, text } = await download('/big-declared.mp4', 'video');
		expect(error).toBeDefined();
		expect(text).toMatch(/500 MB, more than the 100 MB limit \(Max Download Size\)/);
	});

	it.each(['default', 'filesystem'] as const)(
		'a streamed body past the cap (%s binary mode)',
		async (binaryMode) => {
			const { error, text } = await download('/endless.mp4', 'video', {
				maxBytes: 2 * 1024 * 1024,
				binaryMode,
			});
			expect(error).toBeDefined();
			expect(text).toMatch(/larger than the 2 MB limit/);
			// the transfer was stopped soon after the cap, not read to the end
			expect(media.bytesSent).toBeLessThan(32 * 1024 * 1024);
		},
	);

	it.each([
		['/html.png', 'image', /text\/html, not image\/\*/],
		['/disguised.png', 'image', /web page or markup/],
		['/script.svg', 'image', /SVG file contains script/],
		['/handler.svg', 'image', /SVG file contains script/],
		['/ok.png', 'video', /image\/png, not video\/\*/],
	])('%s for a %s asset', async (path, type, reason) => {
		const { error, text } = await download(path, type);
		expect(error).toBeDefined();
		expect(text).toMatch(reason);
	});

	it('more than 5 redirects', async () => {
		const { text } = await download('/redirect/6');
		expect(text).toMatch(/more than 5 redirects/);
	});

	it('a redirect to another host (another port on loopback)', async () => {
		const { text } = await download(`/to/${encodeURIComponent(`${other.origin}/ok.png`)}`);
		expect(text).toMatch(/redirect was refused: it leads to another host/);
		expect(other.requests).toEqual([]);
	});

	it('a private target when the Base URL is public: no request at all', async () => {
		const { ctx, text } = await download('/ok.png', 'image', {
			baseUrl: 'https://app.hoox.video/api/public/v1',
		});
		expect(text).toMatch(/127\.0\.0\.1 is a private, loopback or link-local address/);
		expect(ctx.recorder.http).toEqual([]);
		expect(media.requests).toEqual([]);
	});

	it('a transfer longer than the deadline', async () => {
		const { text } = await download('/stall.png', 'image', { timeoutMs: 1_000 });
		expect(text).toMatch(/timed out|took longer/);
	});

	it('stops when the execution is cancelled', async () => {
		const controller = new AbortController();
		const pending = download('/stall.png', 'image', { abortSignal: controller.signal });
		await new Promise((resolve) => setTimeout(resolve, 300));
		controller.abort();
		const { error } = await pending;
		expect(error).toBeInstanceOf(CancelledError);
	});
});

describe("downloadAsset with n8n 1.x's way of reading a stream (a bare 'data' listener, added late)", () => {
	// n8n 1.x's streamToBuffer only listens to 'data'/'end': the body must flow when it does
	function readLikeN8n1(ctx: ReturnType<typeof context>) {
		(ctx.helpers as { prepareBinaryData: unknown }).prepareBinaryData = async (
			data: NodeJS.ReadableStream,
			fileName?: string,
			mimeType?: string,
		) => {
			await new Promise((resolve) => setImmediate(resolve));
			const buffer = await new Promise<Buffer>((resolve, reject) => {
				const chunks: Buffer[] = [];
				data.on('data', (chunk: Buffer) => chunks.push(chunk));
				data.on('end', () => resolve(Buffer.concat(chunks)));
				data.once('error', reject);
			});
			return {
				data: buffer.toString('base64'),
				fileName,
				mimeType,
				fileSize: String(buffer.length),
			};
		};
		return ctx;
	}

	it('reads the whole file, and stops one past the cap', async () => {
		const item = (path: string, type: string) =>
			({ asset_id: 'a1', status: 'completed', type, url: `${media.origin}${path}` }) as never;
		const ok = await downloadAsset(readLikeN8n1(context()), item('/ok.png', 'image'));
		expect(Number(ok.fileSize)).toBe(66); // the whole 1×1 PNG
		await expect(
			downloadAsset(readLikeN8n1(context()), item('/endless.mp4', 'video'), {
				maxBytes: 1024 * 1024,
			}),
		).rejects.toThrow(/larger than the 1 MB limit/);
	});
});
