/**
 * assetOutput: the output item shape, webhook payload mapping, and the streamed, credential-free
 * download from the emulator's media route (real loopback HTTP, default and filesystem binary mode).
 */
import { readFileSync, statSync } from 'node:fs';

import { NodeOperationError } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../../../emulator';
import {
	callbackAssetType,
	downloadAsset,
	fileInfo,
	mergeEventWithStatus,
	statusFromWebhook,
	toAssetItem,
	type AssetItem,
} from '../../../../nodes/shared/assets';
import { hooxRequest, type AssetStatus } from '../../../../nodes/shared/api';
import { ExpiringSet } from '../../../../nodes/shared/util/expiringSet';
import { CancelledError } from '../../../../nodes/shared/util/timing';
import { waitForAssets } from '../../../../nodes/Hoox/wait/poll';
import {
	createExecuteContext,
	createWebhookContext,
	type TestExecuteFunctions,
} from '../../../../harness/n8nContext';

const LARGE_BYTES = 50 * 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ largeMediaBytes: LARGE_BYTES });
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => emulator.reset());

function context(
	binaryMode: 'default' | 'filesystem' = 'default',
	abortSignal?: AbortSignal,
): TestExecuteFunctions {
	return createExecuteContext({
		credentials: { apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl },
		binaryMode,
		abortSignal,
	});
}

/** Generates one asset on the emulator and waits for it. */
async function generate(
	ctx: TestExecuteFunctions,
	type: 'image' | 'video',
	knobs: Record<string, unknown> = {},
): Promise<AssetStatus> {
	const { asset_ids } = await hooxRequest<{ asset_ids: string[] }>(ctx, {
		method: 'POST',
		path: '/asset/start',
		body: {
			type,
			model: type === 'video' ? 'veo-3.1-lite' : 'z-image-turbo',
			prompt: 'A red kite over the dunes',
			x_emulator: { duration_ms: 0, ...knobs },
		},
	});
	const result = await waitForAssets(ctx, asset_ids, { timeoutMs: 30_000, minIntervalMs: 50 });
	return result.assets[0];
}

function catchError(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(
		() => undefined,
		(error: unknown) => error,
	);
}

describe('toAssetItem', () => {
	const video: AssetStatus = {
		asset_id: '65a0c0ffee00000000000001',
		status: 'completed',
		type: 'video',
		url: 'https://cdn.example.org/assets/65a0c0ffee00000000000001.mp4',
		thumbnail_url: 'https://cdn.example.org/assets/65a0c0ffee00000000000001.jpg',
		width: 1080,
		height: 1920,
		duration_seconds: 5,
		cost: 17,
		created_at: '2026-07-20T09:14:03.000Z',
		generation_params: {
			model: 'kling-v3-pro',
			prompt: 'A paper boat',
			aspect_ratio: '9:16',
			duration: 5,
		},
	};

	test('maps every status field, in a stable order; model and prompt from generation_params', () => {
		const item = toAssetItem(video, { sourceItemIndex: 3 });
		expect(item).toEqual({
			asset_id: '65a0c0ffee00000000000001',
			status: 'completed',
			type: 'video',
			url: video.url,
			thumbnail_url: video.thumbnail_url,
			width: 1080,
			height: 1920,
			duration_seconds: 5,
			cost: 17,
			created_at: '2026-07-20T09:14:03.000Z',
			model: 'kling-v3-pro',
			prompt: 'A paper boat',
			source_item_index: 3,
		});
		expect(Object.keys(item)).toEqual([
			'asset_id',
			'status',
			'type',
			'url',
			'thumbnail_url',
			'width',
			'height',
			'duration_seconds',
			'cost',
			'created_at',
			'model',
			'prompt',
			'source_item_index',
		]);
		expect(item).not.toHaveProperty('generation_params');
	});

	test('what we knew at submit time wins over generation_params', () => {
		expect(toAssetItem(video, { model: 'veo-3.1', prompt: 'Mine' })).toMatchObject({
			model: 'veo-3.1',
			prompt: 'Mine',
		});
	});

	test('fields Hoox did not send stay absent (no undefined keys)', () => {
		const item = toAssetItem({ asset_id: 'a1', status: 'generating', type: 'image' });
		expect(item).toEqual({ asset_id: 'a1', status: 'generating', type: 'image' });
		expect(Object.keys(item)).toEqual(['asset_id', 'status', 'type']);
	});

	test('a failed asset carries its error', () => {
		const item = toAssetItem(
			{
				asset_id: 'a2',
				status: 'failed',
				type: 'video',
				error: { code: 'GENERATION_FAILED', message: 'No' },
			},
			{ sourceItemIndex: 0 },
		);
		expect(item).toEqual({
			asset_id: 'a2',
			status: 'failed',
			type: 'video',
			source_item_index: 0,
			error: { code: 'GENERATION_FAILED', message: 'No' },
		});
	});

	test('a string error becomes { message }', () => {
		expect(toAssetItem({ asset_id: 'a3', status: 'failed', error: 'boom' }).error).toEqual({
			message: 'boom',
		});
	});
});

describe('statusFromWebhook', () => {
	test('success payload: result.asset_url / asset_type / size / duration', () => {
		const status = statusFromWebhook({
			task: 'asset_generation',
			asset_id: '65a0c0ffee00000000000001',
			status: 'completed',
			result: {
				asset_url: 'https://cdn.example.org/assets/65a0c0ffee00000000000001.mp4',
				asset_type: 'video',
				width: 1080,
				height: 1920,
				duration_seconds: 5,
			},
		});
		expect(status).toEqual({
			asset_id: '65a0c0ffee00000000000001',
			status: 'completed',
			type: 'video',
			url: 'https://cdn.example.org/assets/65a0c0ffee00000000000001.mp4',
			width: 1080,
			height: 1920,
			duration_seconds: 5,
		});
		expect(toAssetItem(status, { sourceItemIndex: 1 })).toEqual({
			...status,
			source_item_index: 1,
		});
	});

	test('failure payload: error kept, no result fields', () => {
		const status = statusFromWebhook({
			task: 'asset_generation',
			asset_id: '65a0c0ffee00000000000002',
			status: 'failed',
			error: { code: 'GENERATION_FAILED', message: 'The provider could not render this prompt' },
		});
		expect(status).toEqual({
			asset_id: '65a0c0ffee00000000000002',
			status: 'failed',
			error: { code: 'GENERATION_FAILED', message: 'The provider could not render this prompt' },
		});
	});

	test('tolerates extra and status-endpoint style fields', () => {
		const status = statusFromWebhook({
			asset_id: 'x',
			status: 'completed',
			cost: 4,
			created_at: '2026-01-01T00:00:00.000Z',
			result: {
				url: 'https://cdn.example.org/x.png',
				type: 'image',
				thumbnail_url: 'https://cdn.example.org/x.jpg',
			},
		});
		expect(status).toMatchObject({
			url: 'https://cdn.example.org/x.png',
			type: 'image',
			thumbnail_url: 'https://cdn.example.org/x.jpg',
			cost: 4,
			created_at: '2026-01-01T00:00:00.000Z',
		});
	});
});

describe('fileInfo', () => {
	test('content-type wins (parameters ignored)', () => {
		expect(fileInfo('abc', 'https://h/x', 'image/png; charset=binary')).toEqual({
			fileName: 'abc.png',
			mimeType: 'image/png',
			extension: 'png',
		});
		expect(fileInfo('abc', 'https://h/x.bin', 'video/mp4')).toMatchObject({
			fileName: 'abc.mp4',
			mimeType: 'video/mp4',
		});
		expect(fileInfo('abc', 'https://h/x', 'image/jpeg')).toMatchObject({ fileName: 'abc.jpg' });
	});

	test('generic or missing content-type: from the URL extension (query ignored)', () => {
		expect(fileInfo('abc', 'https://h/a/b.webm?sig=1.png', 'application/octet-stream')).toEqual({
			fileName: 'abc.webm',
			mimeType: 'video/webm',
			extension: 'webm',
		});
		expect(fileInfo('abc', 'https://h/a/b.JPG')).toMatchObject({
			fileName: 'abc.jpg',
			mimeType: 'image/jpeg',
		});
	});

	test('nothing known: .bin, application/octet-stream; unsafe id characters replaced', () => {
		expect(fileInfo('../a b', 'https://h/download')).toEqual({
			fileName: '_a_b.bin',
			mimeType: 'application/octet-stream',
			extension: 'bin',
		});
	});
});

describe('downloadAsset against the emulator media route', () => {
	test.each([
		['image', 'default'],
		['image', 'filesystem'],
		['video', 'default'],
		['video', 'filesystem'],
	] as const)(
		'%s in %s mode: streamed, right name and MIME, no API key sent',
		async (type, mode) => {
			const ctx = context(mode);
			const status = await generate(ctx, type);
			const item = toAssetItem(status, { sourceItemIndex: 0 });
			expect(item.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);

			const binary = await downloadAsset(ctx, item, { itemIndex: 0 });

			const ext = type === 'image' ? 'png' : 'mp4';
			expect(binary.fileName).toBe(`${item.asset_id}.${ext}`);
			expect(binary.mimeType).toBe(type === 'image' ? 'image/png' : 'video/mp4');
			expect(ctx.recorder.binaryInputs).toEqual(['stream']);

			const media = emulator.requests({ kind: 'media' });
			expect(media).toHaveLength(1);
			expect(media[0].status).toBe(200);
			expect(media[0].headers.authorization).toBeUndefined();
			const download = ctx.recorder.http.filter((r) => r.url === item.url);
			expect(download).toHaveLength(1);
			expect(download[0].authenticated).toBe(false);
			expect(Object.keys(download[0].headers).map((h) => h.toLowerCase())).not.toContain(
				'authorization',
			);
			expect(JSON.stringify(download[0])).not.toContain(TEST_API_KEY);

			const bytes =
				mode === 'filesystem'
					? readFileSync(String(binary.id).replace(/^filesystem-v2:/, ''))
					: Buffer.from(binary.data, 'base64');
			expect(bytes.length).toBe(Number(binary.fileSize));
			if (type === 'image') expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
			else expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
		},
	);

	test(`a large video (${LARGE_BYTES / 1024 / 1024} MB) streams to disk in filesystem mode`, async () => {
		const ctx = context('filesystem');
		const status = await generate(ctx, 'video', { large_media: true });

		const binary = await downloadAsset(ctx, toAssetItem(status), { itemIndex: 2 });

		expect(ctx.recorder.binaryInputs).toEqual(['stream']);
		expect(binary.mimeType).toBe('video/mp4');
		expect(Number(binary.fileSize)).toBe(LARGE_BYTES);
		expect(statSync(String(binary.id).replace(/^filesystem-v2:/, '')).size).toBe(LARGE_BYTES);
		expect(emulator.requests({ kind: 'media' })[0].headers.authorization).toBeUndefined();
	}, 60_000);

	test('works from a webhook context too (the trigger)', async () => {
		const status = await generate(context(), 'image');
		const ctx = createWebhookContext({
			credentials: { apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl },
		});
		const binary = await downloadAsset(ctx, toAssetItem(status));
		expect(binary.fileName).toBe(`${status.asset_id}.png`);
		expect(ctx.recorder.binaryInputs).toEqual(['stream']);
		expect(ctx.recorder.http.every((r) => !r.authenticated)).toBe(true);
	});

	test('an asset without a URL: NodeOperationError with the asset id and itemIndex, nothing requested', async () => {
		const ctx = context();
		const item: AssetItem = { asset_id: 'a-generating', status: 'generating', type: 'video' };
		const error = await catchError(downloadAsset(ctx, item, { itemIndex: 4 }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toContain('a-generating');
		expect((error as NodeOperationError).context.itemIndex).toBe(4);
		expect((error as NodeOperationError).description).toContain('generating');
		expect(ctx.recorder.http).toHaveLength(0);
	});

	test('a media 404 (expired link): NodeOperationError with the asset id and itemIndex', async () => {
		const ctx = context();
		const item: AssetItem = {
			asset_id: 'gone',
			status: 'completed',
			type: 'image',
			url: `${emulator.origin}/media/unknown.png`,
		};
		const error = await catchError(downloadAsset(ctx, item, { itemIndex: 1 }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toMatch(/"gone".*HTTP 404/);
		expect((error as NodeOperationError).context.itemIndex).toBe(1);
		expect(ctx.recorder.binaryInputs).toHaveLength(0);
	});

	test('a connection dropped by the media host: NodeOperationError with the asset id', async () => {
		const ctx = context();
		const status = await generate(ctx, 'image');
		emulator.injectFault({ route: 'GET /media', count: 1, drop: 'before-read' });
		const error = await catchError(downloadAsset(ctx, toAssetItem(status), { itemIndex: 0 }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain(status.asset_id);
		expect((error as Error).message).not.toContain(TEST_API_KEY);
	});

	test('a non-http URL is refused without a request', async () => {
		const ctx = context();
		const error = await catchError(
			downloadAsset(
				ctx,
				{ asset_id: 'f', status: 'completed', url: 'file:///etc/passwd' },
				{ itemIndex: 0 },
			),
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(ctx.recorder.http).toHaveLength(0);
	});

	test('a cancelled execution: CancelledError', async () => {
		const controller = new AbortController();
		const ctx = context('default', controller.signal);
		const status = await generate(ctx, 'image');
		controller.abort();
		const error = await catchError(
			downloadAsset(ctx, toAssetItem(status), { abortSignal: controller.signal }),
		);
		expect(error).toBeInstanceOf(CancelledError);
	});
});

describe('one reading of a callback for the Hoox node and the Trigger', () => {
	test('callbackAssetType: wherever the payload states it, lower case', () => {
		expect(callbackAssetType({ result: { asset_type: 'Video' } })).toBe('video');
		expect(callbackAssetType({ asset_type: 'IMAGE' })).toBe('image');
		expect(callbackAssetType({ result: { type: 'video' } })).toBe('video');
		expect(callbackAssetType({ error: {} })).toBeUndefined();
	});

	test('mergeEventWithStatus: the status wins when it agrees, the event when the status lags', () => {
		const event: Record<string, unknown> & { status: string } = {
			asset_id: 'a',
			status: 'completed',
			url: 'https://x/event.png',
		};
		expect(
			mergeEventWithStatus(event, {
				asset_id: 'a',
				status: 'completed',
				url: 'https://x/full.png',
				cost: 2,
			}),
		).toEqual({
			merged: { asset_id: 'a', status: 'completed', url: 'https://x/full.png', cost: 2 },
			lagging: false,
		});
		expect(mergeEventWithStatus(event, { asset_id: 'a', status: 'generating', cost: 2 })).toEqual({
			merged: { asset_id: 'a', status: 'completed', url: 'https://x/event.png', cost: 2 },
			lagging: true,
		});
	});
});

describe('ExpiringSet', () => {
	test('adds once, forgets after the TTL, keeps at most maxKeys', () => {
		const set = new ExpiringSet(1000, 2);
		expect(set.add('a', 0)).toBe(true);
		expect(set.add('a', 500)).toBe(false);
		expect(set.has('a', 1001)).toBe(false);
		expect(set.add('a', 1001)).toBe(true);
		set.add('b', 1002);
		set.add('c', 1003);
		expect(set.has('a', 1003)).toBe(false);
		expect(set.has('c', 1003)).toBe(true);
	});
});
