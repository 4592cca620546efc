/** The /__control HTTP API, as used by e2e tests that run the emulator in another process. */
import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { client, startReceiver, until, waitTerminal, type Client } from './helpers';

const img = { type: 'image', model: 'z-image-turbo', prompt: 'x' };

describe('emulator: /__control API', () => {
	let emu: Emulator;
	let api: Client;
	const ctl = async (
		method: string,
		path: string,
		body?: unknown,
	): Promise<{ status: number; body: any }> => {
		const r = await fetch(`${emu.origin}/__control${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: r.status, body: await r.json() };
	};
	beforeAll(async () => {
		emu = await startEmulator({
			rateLimitPerMinute: 0,
			durations: { image: 5, video: 5 },
			webhookRetryDelaysMs: [1, 1, 1],
		});
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => ctl('POST', '/reset'));

	it('GET /__control describes the emulator (no auth needed)', async () => {
		const r = await ctl('GET', '');
		expect(r).toEqual({
			status: 200,
			body: {
				origin: emu.origin,
				baseUrl: emu.baseUrl,
				port: emu.port,
				apiKey: TEST_API_KEY,
				balance: 10000,
			},
		});
	});

	it('GET /__control/requests with method/path/kind filters; control calls are not recorded', async () => {
		await api.get('/asset/models');
		await api.post('/asset/pricing', { model: 'veo-3.1' });
		await fetch(`${emu.origin}/media/sample.png`);
		expect(
			(await ctl('GET', '/requests')).body.requests.map(
				(r: any) => `${r.kind} ${r.method} ${r.path}`,
			),
		).toEqual(['api GET /asset/models', 'api POST /asset/pricing', 'media GET /media/sample.png']);
		expect((await ctl('GET', '/requests?method=POST')).body.requests).toHaveLength(1);
		expect((await ctl('GET', '/requests?path=/asset/')).body.requests).toHaveLength(2);
		expect((await ctl('GET', '/requests?path_regex=^/asset/models$')).body.requests).toHaveLength(
			1,
		);
		expect((await ctl('GET', '/requests?kind=media')).body.requests).toHaveLength(1);
		const all = (await ctl('GET', '/requests')).body.requests;
		expect(all[0].headers.authorization).toBe(`Bearer hx_live_…${TEST_API_KEY.slice(-4)}`);
		expect(JSON.stringify(all)).not.toContain(TEST_API_KEY);
	});

	it('POST /__control/reset clears the request log', async () => {
		await api.get('/asset/models');
		expect((await ctl('POST', '/reset')).body).toEqual({ ok: true });
		expect((await ctl('GET', '/requests')).body.requests).toEqual([]);
	});

	it('POST /__control/models adds, DELETE /__control/models/:name removes', async () => {
		expect(
			(
				await ctl('POST', '/models', {
					name: 'x-1',
					type: 'image',
					provider: 'other',
					base_cost: 3,
				})
			).status,
		).toBe(200);
		expect((await api.get('/asset/models/x-1')).body.base_cost).toBe(3);
		expect((await ctl('DELETE', '/models/veo-3.1')).status).toBe(200);
		expect((await api.get('/asset/models/veo-3.1')).status).toBe(404);
		expect((await ctl('DELETE', '/models/veo-3.1')).status).toBe(404);
		expect((await ctl('POST', '/models', { type: 'image' })).status).toBe(400);
	});

	it('POST/GET /__control/balance and GET /__control/ledger', async () => {
		expect((await ctl('POST', '/balance', { credits: 1 })).body).toEqual({ ok: true, credits: 1 });
		expect((await ctl('GET', '/balance')).body).toEqual({ credits: 1 });
		expect(
			(await api.post('/asset/start', { type: 'video', model: 'veo-3.1', prompt: 'x' })).status,
		).toBe(402);
		expect((await api.post('/asset/start', img)).status).toBe(201);
		expect((await ctl('GET', '/ledger')).body.ledger.map((e: any) => e.kind)).toEqual([
			'set',
			'debit',
		]);
		expect((await ctl('POST', '/balance', { credits: -5 })).status).toBe(400);
	});

	it('POST/GET/DELETE /__control/faults', async () => {
		expect(
			(await ctl('POST', '/faults', { route: 'GET /asset/models', count: 2, status: 500 })).status,
		).toBe(200);
		expect((await ctl('GET', '/faults')).body.faults).toHaveLength(1);
		expect((await api.get('/asset/models')).status).toBe(500);
		expect((await ctl('DELETE', '/faults')).status).toBe(200);
		expect((await api.get('/asset/models')).status).toBe(200);
		expect((await ctl('POST', '/faults', { route: 'GET /x', count: 1 })).status).toBe(400);
		await ctl('POST', '/faults', { route: 'POST /asset/start', count: 1, drop: 'after-read' });
		await expect(api.post('/asset/start', img)).rejects.toThrow();
		expect((await ctl('GET', '/ledger')).body.ledger).toHaveLength(1);
	});

	it('POST /__control/fail-next', async () => {
		expect(
			(await ctl('POST', '/fail-next', { n: 1, error: { code: 'X', message: 'y' } })).status,
		).toBe(200);
		const r = await api.post('/asset/start', { ...img, generation_count: 2 });
		const [a, b] = await Promise.all(r.body.asset_ids.map((id: string) => waitTerminal(api, id)));
		expect([a.status, a.error, b.status]).toEqual([
			'failed',
			{ code: 'X', message: 'y' },
			'completed',
		]);
		expect((await ctl('POST', '/fail-next', { n: 0 })).status).toBe(400);
	});

	it('POST /__control/durations', async () => {
		expect((await ctl('POST', '/durations', { image: 60_000 })).status).toBe(200);
		const slow = await api.post('/asset/start', img);
		expect((await ctl('POST', '/durations', { model: 'grok-imagine-image', ms: 1 })).status).toBe(
			200,
		);
		const fast = await api.post('/asset/start', { ...img, model: 'grok-imagine-image' });
		expect((await waitTerminal(api, fast.body.asset_ids[0])).status).toBe('completed');
		expect((await api.get(`/asset/status/${slow.body.asset_ids[0]}`)).body.status).toBe(
			'generating',
		);
		expect((await ctl('POST', '/durations', { image: 'soon' })).status).toBe(400);
	});

	it('POST /__control/rate-limit', async () => {
		expect((await api.get('/asset/models')).headers.get('x-ratelimit-limit')).toBeNull();
		expect((await ctl('POST', '/rate-limit', { per_minute: 7 })).status).toBe(200);
		expect((await api.get('/asset/models')).headers.get('x-ratelimit-limit')).toBe('7');
		expect((await ctl('POST', '/rate-limit', { per_minute: 'many' })).status).toBe(400);
		expect((await ctl('POST', '/rate-limit', { per_minute: 0 })).status).toBe(200);
		expect((await api.get('/asset/models')).headers.get('x-ratelimit-limit')).toBeNull();
	});

	it('GET /__control/assets/:id and POST /__control/assets/:id/outcome', async () => {
		const r = await api.post('/asset/start', { ...img, x_emulator: { duration_ms: 60_000 } });
		const id = r.body.asset_ids[0];
		expect((await ctl('GET', `/assets/${id}`)).body).toMatchObject({
			asset_id: id,
			status: 'generating',
			planned_outcome: 'completed',
		});
		expect((await ctl('POST', `/assets/${id}/outcome`, { outcome: 'failed' })).status).toBe(200);
		expect((await ctl('GET', `/assets/${id}`)).body.planned_outcome).toBe('failed');
		expect((await ctl('GET', '/assets/nope')).status).toBe(404);
		expect((await ctl('POST', '/assets/nope/outcome', { outcome: 'failed' })).status).toBe(400);
	});

	it('GET /__control/webhooks', async () => {
		const rx = await startReceiver();
		try {
			await api.post('/asset/start', { ...img, webhook_url: rx.url });
			await until(() => rx.received.length === 1);
			await until(async () => (await ctl('GET', '/webhooks')).body.deliveries.length === 1);
			expect((await ctl('GET', '/webhooks')).body.deliveries[0]).toMatchObject({
				attempt: 1,
				status: 200,
				outcome: 'delivered',
				payload: { task: 'asset_generation' },
			});
		} finally {
			await rx.close();
		}
	});

	it('POST /__control/api-keys (for acceptAnyWellFormedKey: false)', async () => {
		const strict = await startEmulator({ acceptAnyWellFormedKey: false });
		try {
			const key = `hx_live_${'12'.repeat(32)}`;
			expect((await client(strict, key).get('/asset/models')).status).toBe(401);
			const r = await fetch(`${strict.origin}/__control/api-keys`, {
				method: 'POST',
				body: JSON.stringify({ key }),
			});
			expect(r.status).toBe(200);
			expect((await client(strict, key).get('/asset/models')).status).toBe(200);
		} finally {
			await strict.close();
		}
	});

	it('answers 404 for unknown control routes and 400 for malformed JSON', async () => {
		expect((await ctl('GET', '/nope')).status).toBe(404);
		const bad = await fetch(`${emu.origin}/__control/balance`, { method: 'POST', body: '{' });
		expect(bad.status).toBe(400);
	});
});
