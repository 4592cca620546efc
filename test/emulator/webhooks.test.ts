import { startEmulator, type Emulator } from '../../emulator';
import { DEFAULTS } from '../../emulator/constants';
import { client, closedPort, startReceiver, until, waitTerminal, type Client } from './helpers';

const img = { type: 'image', model: 'z-image-turbo', prompt: 'x' };
const vid = { type: 'video', model: 'veo-3.1', prompt: 'x', aspect_ratio: '16:9', duration: 4 };

describe('emulator: webhooks', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({
			rateLimitPerMinute: 0,
			durations: { image: 5, video: 5 },
			webhookRetryDelaysMs: [5, 10, 20],
			webhookTimeoutMs: 200,
		});
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('POSTs the completed payload (SPEC §6) once per asset to webhook_url, query string intact', async () => {
		const rx = await startReceiver();
		try {
			const hook = `${rx.url}/hooks/hoox?token=s3cr%2Bt&x=1`;
			const r = await api.post('/asset/start', { ...vid, generation_count: 2, webhook_url: hook });
			const [a, b] = r.body.asset_ids;
			await until(() => rx.received.length === 2, 'two webhooks');
			expect(rx.received.map((x) => x.url).sort()).toEqual([
				'/hooks/hoox?token=s3cr%2Bt&x=1',
				'/hooks/hoox?token=s3cr%2Bt&x=1',
			]);
			expect(
				rx.received.every(
					(x) => x.method === 'POST' && x.headers['content-type'] === 'application/json',
				),
			).toBe(true);
			expect(rx.received.every((x) => x.headers.authorization === undefined)).toBe(true);
			const byId = Object.fromEntries(rx.received.map((x) => [x.body.asset_id, x.body]));
			expect(Object.keys(byId).sort()).toEqual([a, b].sort());
			const status = await waitTerminal(api, a);
			expect(byId[a]).toEqual({
				task: 'asset_generation',
				asset_id: a,
				status: 'completed',
				result: {
					asset_url: status.url,
					asset_type: 'video',
					width: 1280,
					height: 720,
					duration_seconds: 4,
				},
			});
			// the delivery log entry is written when the receiver's answer arrives
			const log = await until(
				() => emu.webhookDeliveries().length === 2 && emu.webhookDeliveries(),
				'delivery log',
			);
			expect(log).toHaveLength(2);
			expect(log[0]).toMatchObject({
				url: hook,
				attempt: 1,
				copy: 1,
				status: 200,
				outcome: 'delivered',
			});
			expect(log[0].error).toBeUndefined();
			expect(typeof log[0].time).toBe('string');
		} finally {
			await rx.close();
		}
	});

	it('image payload has no duration_seconds', async () => {
		const rx = await startReceiver();
		try {
			await api.post('/asset/start', { ...img, webhook_url: rx.url });
			await until(() => rx.received.length === 1);
			expect(rx.received[0].body.result).toEqual({
				asset_url: expect.stringMatching(/\.png$/),
				asset_type: 'image',
				width: 1024,
				height: 576,
			});
		} finally {
			await rx.close();
		}
	});

	it('POSTs the failed payload with error and no result', async () => {
		const rx = await startReceiver();
		try {
			const r = await api.post('/asset/start', {
				...img,
				webhook_url: rx.url,
				x_emulator: { outcome: 'failed' },
			});
			await until(() => rx.received.length === 1);
			expect(rx.received[0].body).toEqual({
				task: 'asset_generation',
				asset_id: r.body.asset_ids[0],
				status: 'failed',
				error: { code: 'GENERATION_FAILED', message: expect.any(String) },
			});
		} finally {
			await rx.close();
		}
	});

	it('retries non-2xx answers and stops at the first 2xx', async () => {
		const rx = await startReceiver((_r, n) => (n < 3 ? 503 : 204));
		try {
			await api.post('/asset/start', { ...img, webhook_url: rx.url });
			await until(() => emu.webhookDeliveries().some((d) => d.outcome === 'delivered'), 'delivery');
			expect(emu.webhookDeliveries().map((d) => [d.attempt, d.status, d.outcome])).toEqual([
				[1, 503, 'retrying'],
				[2, 503, 'retrying'],
				[3, 204, 'delivered'],
			]);
			expect(rx.received).toHaveLength(3);
			expect(new Set(rx.received.map((x) => JSON.stringify(x.body))).size).toBe(1);
		} finally {
			await rx.close();
		}
	});

	it('drops the event after 3 retries (4 attempts)', async () => {
		const rx = await startReceiver(() => 500);
		try {
			await api.post('/asset/start', { ...img, webhook_url: rx.url });
			await until(() => emu.webhookDeliveries().some((d) => d.outcome === 'dropped'), 'drop');
			expect(emu.webhookDeliveries().map((d) => [d.attempt, d.status, d.outcome])).toEqual([
				[1, 500, 'retrying'],
				[2, 500, 'retrying'],
				[3, 500, 'retrying'],
				[4, 500, 'dropped'],
			]);
			await new Promise((r) => setTimeout(r, 100));
			expect(rx.received).toHaveLength(4);
		} finally {
			await rx.close();
		}
	});

	it('treats a receiver that does not answer within the timeout as failed, and retries', async () => {
		const rx = await startReceiver((_r, n) => (n === 1 ? 'hang' : 200));
		try {
			await api.post('/asset/start', { ...img, webhook_url: rx.url });
			await until(() => emu.webhookDeliveries().some((d) => d.outcome === 'delivered'), 'delivery');
			const log = emu.webhookDeliveries();
			expect(log[0]).toMatchObject({ attempt: 1, error: 'timeout', outcome: 'retrying' });
			expect(log[0].status).toBeUndefined();
			// answer_ms runs from sending to the answer or the error: here the 200 ms timeout
			expect(log[0].answer_ms).toBeGreaterThanOrEqual(190);
			expect(log[1]).toMatchObject({ attempt: 2, status: 200, outcome: 'delivered' });
			expect(log[1].answer_ms).toBeGreaterThanOrEqual(0);
		} finally {
			await rx.close();
		}
	});

	it('retries an unreachable receiver, then drops it', async () => {
		const port = await closedPort();
		await api.post('/asset/start', { ...img, webhook_url: `http://127.0.0.1:${port}/h` });
		await until(() => emu.webhookDeliveries().length === 4, 'four attempts');
		const log = emu.webhookDeliveries();
		expect(log.map((d) => d.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'dropped']);
		expect(log.every((d) => d.error === 'ECONNREFUSED')).toBe(true);
	});

	it('webhook_twice sends the same event twice', async () => {
		const rx = await startReceiver();
		try {
			await api.post('/asset/start', {
				...img,
				webhook_url: rx.url,
				x_emulator: { webhook_twice: true },
			});
			await until(() => emu.webhookDeliveries().length === 2, 'two logged deliveries');
			expect(rx.received).toHaveLength(2);
			expect(rx.received[0].body).toEqual(rx.received[1].body);
			expect(emu.webhookDeliveries().map((d) => [d.copy, d.attempt, d.outcome])).toEqual([
				[1, 1, 'delivered'],
				[2, 1, 'delivered'],
			]);
		} finally {
			await rx.close();
		}
	});

	it('a fan-out delivers each webhook to every target at once, each attempt logged with its target', async () => {
		const [rx1, rx2] = [await startReceiver(), await startReceiver()];
		const lb = 'http://127.0.0.1:9/lb';
		try {
			emu.setWebhookFanout((url) =>
				url.startsWith(lb)
					? [rx1.url + url.slice(lb.length), rx2.url + url.slice(lb.length)]
					: [url],
			);
			const r = await api.post('/asset/start', { ...img, webhook_url: `${lb}/h?token=t` });
			await until(() => emu.webhookDeliveries().length === 2, 'two logged deliveries');
			expect(rx1.received.map((x) => [x.url, x.body.asset_id])).toEqual([
				['/h?token=t', r.body.asset_ids[0]],
			]);
			expect(rx2.received.map((x) => [x.url, x.body.asset_id])).toEqual([
				['/h?token=t', r.body.asset_ids[0]],
			]);
			expect(
				emu
					.webhookDeliveries()
					.map((d) => [d.url, d.copy, d.outcome])
					.sort(),
			).toEqual(
				[
					[`${rx1.url}/h?token=t`, 1, 'delivered'],
					[`${rx2.url}/h?token=t`, 1, 'delivered'],
				].sort(),
			);
		} finally {
			emu.setWebhookFanout(undefined);
			await rx1.close();
			await rx2.close();
		}
	});

	it('webhook_before_response delivers the (completed) webhook before the 201 is written', async () => {
		let answered = false;
		const seenBeforeAnswer: boolean[] = [];
		const rx = await startReceiver(() => {
			seenBeforeAnswer.push(!answered);
			return 200;
		});
		try {
			const r = await api.post('/asset/start', {
				...vid,
				generation_count: 2,
				webhook_url: rx.url,
				x_emulator: { webhook_before_response: true },
			});
			answered = true;
			expect(r.status).toBe(201);
			expect(seenBeforeAnswer).toEqual([true, true]);
			expect(rx.received.map((x) => x.body.asset_id).sort()).toEqual([...r.body.asset_ids].sort());
			expect(rx.received.every((x) => x.body.status === 'completed')).toBe(true);
			expect((await api.get(`/asset/status/${r.body.asset_ids[0]}`)).body.status).toBe('completed');
		} finally {
			await rx.close();
		}
	});

	it('webhook_before_response with webhook_twice and a failure', async () => {
		const rx = await startReceiver();
		try {
			const r = await api.post('/asset/start', {
				...img,
				webhook_url: rx.url,
				x_emulator: { webhook_before_response: true, webhook_twice: true, outcome: 'failed' },
			});
			expect(r.status).toBe(201);
			expect(rx.received).toHaveLength(2);
			expect(rx.received[0].body.status).toBe('failed');
			expect(emu.balance()).toBe(10000);
		} finally {
			await rx.close();
		}
	});

	it('sends nothing without webhook_url', async () => {
		const r = await api.post('/asset/start', img);
		await waitTerminal(api, r.body.asset_ids[0]);
		expect(emu.webhookDeliveries()).toEqual([]);
	});

	it('defaults to retries after 1 s / 2 s / 4 s and a 10 s timeout', async () => {
		expect(DEFAULTS.webhookRetryDelaysMs).toEqual([1000, 2000, 4000]);
		expect(DEFAULTS.webhookTimeoutMs).toBe(10_000);
		const d = await startEmulator();
		try {
			// Does not wait for the real delays: the first failed attempt is logged as 'retrying'.
			const port = await closedPort();
			await client(d).post('/asset/start', {
				...img,
				webhook_url: `http://127.0.0.1:${port}/`,
				x_emulator: { duration_ms: 0 },
			});
			await until(() => d.webhookDeliveries().length === 1, 'first attempt');
			expect(d.webhookDeliveries()[0]).toMatchObject({ attempt: 1, outcome: 'retrying' });
		} finally {
			await d.close();
		}
	});
});
