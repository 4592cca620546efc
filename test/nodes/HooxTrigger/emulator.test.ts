/**
 * The Hoox Trigger with real Hoox deliveries: the emulator generates assets and POSTs its webhooks
 * to a loopback stand-in for n8n that runs the trigger. Enrichment (GET /asset/status), filters
 * that need it, failure paths and binary download.
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../../emulator';
import { toAssetItem } from '../../../nodes/shared/assets';
import { completedPayload, deliver, onlyItem, params, TOKEN } from './helpers';
import { startTriggerServer, until, type TriggerServer } from './triggerServer';

let emu: Emulator;
let server: TriggerServer | undefined;

const credentials = () => ({ apiKey: TEST_API_KEY, baseUrl: emu.baseUrl });

beforeAll(async () => {
	emu = await startEmulator({
		durations: { image: 20, video: 20 },
		webhookRetryDelaysMs: [50, 50, 50],
	});
});
afterAll(async () => {
	await emu.close();
});
afterEach(async () => {
	await server?.close();
	server = undefined;
	emu.reset();
});

async function serve(parameters: Record<string, unknown>, binaryMode?: 'default' | 'filesystem') {
	server = await startTriggerServer(credentials(), parameters, binaryMode);
	return server;
}

/** POST /asset/start with webhook_url; returns the asset ids. */
async function generate(body: IDataObject, webhookUrl?: string): Promise<string[]> {
	const response = await axios.post(
		`${emu.baseUrl}/asset/start`,
		{ ...body, ...(webhookUrl ? { webhook_url: webhookUrl } : {}) },
		{ headers: { Authorization: `Bearer ${TEST_API_KEY}` }, validateStatus: () => true },
	);
	expect(response.status).toBe(201);
	return response.data.asset_ids as string[];
}

const image = { type: 'image', model: 'z-image-turbo', prompt: 'A lighthouse at dusk' };
const video = {
	type: 'video',
	model: 'grok-imagine-video',
	prompt: 'Waves on a rocky shore',
	duration: 6,
};

async function statusOf(id: string): Promise<IDataObject> {
	const response = await axios.get(`${emu.baseUrl}/asset/status/${id}`, {
		headers: { Authorization: `Bearer ${TEST_API_KEY}` },
	});
	return response.data as IDataObject;
}

async function settled(id: string) {
	await until(
		() => ['completed', 'failed'].includes(emu.getAsset(id)?.status ?? ''),
		8000,
		`asset ${id}`,
	);
}

describe('Hoox Trigger + emulator: real deliveries', () => {
	it('starts the workflow once per asset, with the same fields as a status call', async () => {
		const s = await serve(params({ options: {} }));
		const [id] = await generate(image, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 1, 8000, 'the delivery');

		const delivery = s.received[0];
		expect(delivery.status).toBe(200);
		const item = onlyItem(delivery.result);
		const status = await statusOf(id);
		expect(item.json).toEqual({
			...toAssetItem(status as never),
			event: 'completed',
			received_at: expect.any(String),
		});
		expect(item.json).toMatchObject({
			model: 'z-image-turbo',
			prompt: 'A lighthouse at dusk',
			type: 'image',
		});
		expect(item.json.cost).toEqual(expect.any(Number));
		expect(item.json.created_at).toEqual(expect.any(String));
		expect(item.json.warning).toBeUndefined();
		// Hoox was answered 2xx on the first attempt: no retry
		expect(delivery.events[0]).toBe('answered');
		await until(() => emu.webhookDeliveries().length >= 1, 8000, 'the delivery log');
		const attempts = emu.webhookDeliveries().filter((d) => d.asset_id === id);
		expect(attempts).toHaveLength(1);
		expect(attempts[0]).toMatchObject({ attempt: 1, status: 200, outcome: 'delivered' });
		// the status call used the credential, the delivery did not need one
		const statusCalls = delivery.ctx.recorder.http.filter((h) =>
			h.url.includes(`/asset/status/${id}`),
		);
		expect(statusCalls).toHaveLength(1);
		expect(statusCalls[0].authenticated).toBe(true);
	});

	it('collapses a duplicated delivery of the same event', async () => {
		const s = await serve(params());
		const [id] = await generate(
			{ ...image, x_emulator: { webhook_twice: true } },
			`${s.url}?token=${TOKEN}`,
		);
		await until(() => s.received.length >= 2, 8000, 'both copies');
		const started = s.received.filter((r) => r.result.workflowData !== undefined);
		expect(started).toHaveLength(1);
		expect(onlyItem(started[0].result).json.asset_id).toBe(id);
		const duplicate = s.received.find((r) => r.result.workflowData === undefined)!;
		expect(duplicate.status).toBe(200);
		expect(duplicate.ctx.recorder.response.body).toMatchObject({ duplicate: true });
		expect(emu.webhookDeliveries().every((d) => d.outcome === 'delivered')).toBe(true);
	});

	it('refuses a delivery to the URL without token: Hoox gets 401, retries, then drops it; nothing starts', async () => {
		const s = await serve(params());
		const [id] = await generate(image, s.url);
		await until(
			() => emu.webhookDeliveries().some((d) => d.outcome === 'dropped'),
			8000,
			'the drop',
		);
		expect(s.received.every((r) => r.status === 401 && r.result.workflowData === undefined)).toBe(
			true,
		);
		expect(
			emu
				.webhookDeliveries()
				.filter((d) => d.asset_id === id)
				.map((d) => d.status),
		).toEqual([401, 401, 401, 401]);
	});

	it('starts the workflow for a failed generation, with its error', async () => {
		const s = await serve(params({ options: {} }));
		emu.failNext(1, { code: 'GENERATION_FAILED', message: 'Provider rejected the request' });
		const [id] = await generate(video, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 1, 8000, 'the delivery');
		expect(onlyItem(s.received[0].result).json).toMatchObject({
			asset_id: id,
			status: 'failed',
			event: 'failed',
			type: 'video',
			model: 'grok-imagine-video',
			error: { code: 'GENERATION_FAILED', message: 'Provider rejected the request' },
		});
	});
});

describe('Hoox Trigger + emulator: filters that need the status call', () => {
	it('filters on model, even when Fetch Full Asset Details is off', async () => {
		const s = await serve(
			params({ models: 'grok-imagine-video, Z-Image-Turbo', options: { fetchDetails: false } }),
		);
		await generate(image, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 1, 8000, 'the delivery');
		const item = onlyItem(s.received[0].result);
		expect(item.json.model).toBe('z-image-turbo');
		expect(s.received[0].ctx.recorder.http.some((h) => h.url.includes('/asset/status/'))).toBe(
			true,
		);

		s.parameters = params({ models: 'veo-3.1', options: { fetchDetails: false } });
		await generate(image, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 2, 8000, 'the second delivery');
		expect(s.received[1].status).toBe(200);
		expect(s.received[1].result).toEqual({ noWebhookResponse: true });
	});

	it('filters failed events on asset type through the status call', async () => {
		const s = await serve(params({ assetType: 'image', options: { fetchDetails: false } }));
		emu.failNext(2);
		const [videoId] = await generate(video, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 1, 8000, 'the video delivery');
		expect(s.received[0].status).toBe(200);
		expect(s.received[0].result.workflowData).toBeUndefined();
		expect(
			s.received[0].ctx.recorder.http.some((h) => h.url.endsWith(`/asset/status/${videoId}`)),
		).toBe(true);

		const [imageId] = await generate(image, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.length >= 2, 8000, 'the image delivery');
		expect(onlyItem(s.received[1].result).json).toMatchObject({
			asset_id: imageId,
			type: 'image',
			event: 'failed',
		});
	});
});

describe('Hoox Trigger + emulator: events Hoox does not confirm (yet)', () => {
	it("answers 503 when the status read fails, starts nothing, and starts on Hoox's retry", async () => {
		const s = await serve(params({ options: {} }));
		emu.injectFault({ route: 'GET /asset/status', count: 2, status: 500 });
		const [id] = await generate(image, `${s.url}?token=${TOKEN}`);
		await until(() => s.received.some((r) => r.result.workflowData), 8000, 'the retried delivery');
		expect(s.received[0].status).toBe(503);
		expect(s.received[0].result.workflowData).toBeUndefined();
		expect(s.received[0].ctx.recorder.response.body).toMatchObject({ error: 'hoox_unavailable' });
		expect(JSON.stringify(s.received[0].ctx.recorder.logs)).not.toContain(TEST_API_KEY);
		const started = s.received.filter((r) => r.result.workflowData);
		expect(started).toHaveLength(1);
		expect(onlyItem(started[0].result).json).toMatchObject({ asset_id: id, event: 'completed' });
	});

	it('answers 409 while Hoox still reports the asset as generating, and starts nothing', async () => {
		const [id] = await generate({ ...image, x_emulator: { duration_ms: 1_000 } });
		const staticData = {};
		const { result, ctx } = await deliver({
			parameters: params({ options: {} }),
			body: completedPayload(id),
			credentials: credentials(),
			staticData,
		});
		expect(result.workflowData).toBeUndefined();
		expect(ctx.recorder.response).toMatchObject({ status: 409, body: { error: 'unconfirmed' } });
		expect(ctx.recorder.response.body).toMatchObject({
			message: expect.stringMatching(/generating/),
		});
		// the unconfirmed event is not remembered: once Hoox completes it, the event gets through
		await settled(id);
		const again = await deliver({
			parameters: params({ options: {} }),
			body: completedPayload(id),
			credentials: credentials(),
			staticData,
		});
		expect(onlyItem(again.result).json).toMatchObject({ asset_id: id, status: 'completed' });
	});

	it('always confirms with Hoox, even with Fetch Full Asset Details off', async () => {
		const [id] = await generate(image);
		await settled(id);
		const { result, ctx } = await deliver({
			parameters: params(),
			body: completedPayload(id),
			credentials: credentials(),
		});
		const item = onlyItem(result);
		expect(item.json).toMatchObject({ asset_id: id, url: emu.getAsset(id)!.url });
		expect(ctx.recorder.http.map((h) => h.url)).toEqual([`${emu.baseUrl}/asset/status/${id}`]);
	});
});

describe('Hoox Trigger + emulator: binary download', () => {
	it.each(['default', 'filesystem'] as const)(
		'streams a completed image into the binary property (%s mode)',
		async (mode) => {
			const s = await serve(
				params({ options: { downloadBinary: true, binaryPropertyName: 'image' } }),
				mode,
			);
			const [id] = await generate(image, `${s.url}?token=${TOKEN}`);
			await until(() => s.received.length >= 1, 8000, 'the delivery');
			const item = onlyItem(s.received[0].result);
			expect(item.json.warning).toBeUndefined();
			expect(item.binary?.image).toMatchObject({ mimeType: 'image/png', fileName: `${id}.png` });
			expect(Number(item.binary!.image.fileSize)).toBeGreaterThan(0);
			expect(s.received[0].ctx.recorder.binaryInputs).toEqual(['stream']);
			// the media host never sees the API key
			const media = s.received[0].ctx.recorder.http.find((h) => h.url.includes('/media/'))!;
			expect(media.authenticated).toBe(false);
			expect(JSON.stringify(media.headers)).not.toContain(TEST_API_KEY);
			// Hoox was answered before the download started: one attempt, delivered
			expect(s.received[0].events).toEqual(['answered', `download ${emu.getAsset(id)!.url}`]);
			await until(() => emu.webhookDeliveries().length === 1, 8000, 'the delivery log');
			expect(emu.webhookDeliveries()[0]).toMatchObject({
				attempt: 1,
				status: 200,
				outcome: 'delivered',
			});
		},
	);

	it('uses "data" as the default binary property', async () => {
		const [id] = await generate(image);
		await settled(id);
		const asset = emu.getAsset(id)!;
		const body = {
			task: 'asset_generation',
			asset_id: id,
			status: 'completed',
			result: {
				asset_url: asset.url,
				asset_type: 'image',
				width: asset.width,
				height: asset.height,
			},
		};
		const { result } = await deliver({
			parameters: params({ options: { downloadBinary: true } }),
			body,
			credentials: credentials(),
		});
		expect(onlyItem(result).binary?.data?.mimeType).toBe('image/png');
	});

	it('emits the item with a warning when the download fails', async () => {
		const [id] = await generate(image);
		await settled(id);
		emu.injectFault({ route: `/media/${id}`, count: 5, status: 404 });
		const body = {
			task: 'asset_generation',
			asset_id: id,
			status: 'completed',
			result: { asset_url: emu.getAsset(id)!.url, asset_type: 'image', width: 1, height: 1 },
		};
		const { result, ctx } = await deliver({
			parameters: params({ options: { downloadBinary: true } }),
			body,
			credentials: credentials(),
		});
		const item = onlyItem(result);
		expect(item.binary).toBeUndefined();
		expect(item.json.warning).toMatch(/could not be downloaded/);
		expect(ctx.recorder.response.status).toBe(200);
	});

	it('downloads nothing for a failed event', async () => {
		const [id] = await generate({ ...image, x_emulator: { outcome: 'failed' } });
		await settled(id);
		const { result, ctx } = await deliver({
			parameters: params({ options: { downloadBinary: true, fetchDetails: false } }),
			body: { task: 'asset_generation', asset_id: id, status: 'failed' },
			credentials: credentials(),
		});
		const item = onlyItem(result);
		expect(item.binary).toBeUndefined();
		expect(item.json.warning).toBeUndefined();
		expect(ctx.recorder.http.filter((h) => h.url.includes('/media/'))).toHaveLength(0);
	});
});
