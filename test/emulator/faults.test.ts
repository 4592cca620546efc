import { request } from 'node:http';
import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { client, waitTerminal, type Client } from './helpers';

const img = { type: 'image', model: 'z-image-turbo', prompt: 'x' };

/** POST with node:http (no client-side retries, fresh connection); resolves the status or the socket error code. */
function rawPost(url: string, body: unknown): Promise<{ status?: number; error?: string }> {
	return new Promise((resolve) => {
		const data = JSON.stringify(body);
		const req = request(url, {
			method: 'POST',
			agent: false,
			headers: {
				authorization: `Bearer ${TEST_API_KEY}`,
				'content-type': 'application/json',
				'content-length': Buffer.byteLength(data),
			},
		});
		req.on('response', (res) => {
			res.resume();
			resolve({ status: res.statusCode });
		});
		req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
		req.end(data);
	});
}

describe('emulator: injected faults', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 5, video: 5 } });
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('status fault: answers `count` times with the status and a default error body, then normally', async () => {
		emu.injectFault({ route: 'GET /asset/models', count: 2, status: 503 });
		const a = await api.get('/asset/models');
		const b = await api.get('/asset/models');
		const c = await api.get('/asset/models');
		expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
		expect(a.body).toEqual({
			error: 'Service unavailable',
			code: 'service_unavailable',
			details: [{ code: 'service_unavailable', message: 'Service unavailable' }],
		});
		expect(emu.requests().map((r) => [r.status, r.fault])).toEqual([
			[503, 'status'],
			[503, 'status'],
			[200, undefined],
		]);
	});

	it('status fault with a custom body and headers', async () => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 429,
			body: { error: 'slow down', code: 'rate_limit_exceeded' },
			headers: { 'X-RateLimit-Reset': '1700000000', 'Retry-After': '1' },
		});
		const r = await api.post('/asset/start', img);
		expect(r.status).toBe(429);
		expect(r.body).toEqual({ error: 'slow down', code: 'rate_limit_exceeded' });
		expect(r.headers.get('x-ratelimit-reset')).toBe('1700000000');
		expect(r.headers.get('retry-after')).toBe('1');
		expect(emu.ledger()).toEqual([]); // nothing was created
		expect(emu.requests()[0].body).toEqual(img); // the body was still read and recorded
	});

	it('status fault with a raw body: sent as-is, text/plain unless headers say otherwise', async () => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 201,
			rawBody: '{"asset_ids": [',
		});
		emu.injectFault({
			route: 'GET /asset/models',
			count: 1,
			status: 502,
			rawBody: '<html>bad gateway</html>',
			headers: { 'content-type': 'text/html' },
		});
		const start = await api.post('/asset/start', img);
		expect(start.status).toBe(201);
		expect(start.body).toBe('{"asset_ids": [');
		expect(start.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		const models = await api.get('/asset/models');
		expect(models.status).toBe(502);
		expect(models.body).toBe('<html>bad gateway</html>');
		expect(models.headers.get('content-type')).toBe('text/html');
		expect(emu.ledger()).toEqual([]);
	});

	it('matches the route by method and path prefix', async () => {
		const start = await api.post('/asset/start', img);
		const id = start.body.asset_ids[0];
		emu.injectFault({ route: 'GET /asset/status', count: 1, status: 500 });
		expect((await api.post('/asset/pricing', { model: 'veo-3.1' })).status).toBe(200); // other route
		expect((await api.get(`/asset/status/${id}`)).status).toBe(500); // prefix match
		expect((await api.get(`/asset/status/${id}`)).status).toBe(200);
		emu.injectFault({ route: 'POST /asset/status', count: 1, status: 500 });
		expect((await api.get(`/asset/status/${id}`)).status).toBe(200); // other method
		emu.injectFault({ route: '/asset/status', count: 1, status: 502 }); // no method = any method
		expect((await api.get(`/asset/status/${id}`)).status).toBe(502);
	});

	it('applies before auth (it emulates the infrastructure)', async () => {
		emu.injectFault({ route: 'GET /asset/models', count: 1, status: 500 });
		expect((await client(emu, null).get('/asset/models')).status).toBe(500);
		expect((await client(emu, null).get('/asset/models')).status).toBe(401);
	});

	it("drop 'before-read': the socket is destroyed, nothing is created or debited", async () => {
		emu.injectFault({ route: 'POST /asset/start', count: 1, drop: 'before-read' });
		const r = await rawPost(`${emu.baseUrl}/asset/start`, img);
		expect(r.status).toBeUndefined();
		expect(r.error).toBeDefined();
		expect(emu.ledger()).toEqual([]);
		expect(emu.balance()).toBe(10000);
		const [rec] = emu.requests();
		expect(rec).toMatchObject({ path: '/asset/start', status: 0, fault: 'drop-before-read' });
		expect(rec.body).toBeUndefined();
		expect((await rawPost(`${emu.baseUrl}/asset/start`, img)).status).toBe(201); // count 1: next one passes
	});

	it("drop 'after-read' on /asset/start: the client gets no answer, but the asset IS created and debited", async () => {
		emu.injectFault({ route: 'POST /asset/start', count: 1, drop: 'after-read' });
		const r = await rawPost(`${emu.baseUrl}/asset/start`, { ...img, generation_count: 2 });
		expect(r.status).toBeUndefined();
		expect(r.error).toBeDefined();
		const [rec] = emu.requests();
		expect(rec).toMatchObject({
			status: 0,
			fault: 'drop-after-read',
			body: { ...img, generation_count: 2 },
		});
		const ledger = emu.ledger();
		expect(ledger).toHaveLength(1);
		expect(ledger[0]).toMatchObject({ kind: 'debit', amount: 0.2 });
		expect(emu.balance()).toBe(9999.8);
		for (const id of ledger[0].asset_ids) {
			expect(emu.getAsset(id)).toBeDefined();
			expect((await waitTerminal(api, id)).status).toBe('completed');
		}
	});

	it('drop after-read on a GET still processes it (and on fetch surfaces as a network error)', async () => {
		emu.injectFault({ route: 'GET /folder/list', count: 1, drop: 'after-read' });
		await expect(
			fetch(`${emu.baseUrl}/folder/list`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } }),
		).rejects.toThrow();
		expect(emu.requests()[0]).toMatchObject({
			path: '/folder/list',
			status: 0,
			fault: 'drop-after-read',
		});
	});

	it('delay fault: the request is answered normally after the delay', async () => {
		emu.injectFault({ route: 'POST /asset/pricing', count: 1, delayMs: 50 });
		const r = await api.post('/asset/pricing', { model: 'veo-3.1' });
		expect(r.status).toBe(200);
		expect(r.body.total_cost).toBe(32);
		expect(emu.requests()[0]).toMatchObject({ status: 200, fault: 'delay' });
	});

	it('faults can target media too', async () => {
		const start = await api.post('/asset/start', img);
		const a = await waitTerminal(api, start.body.asset_ids[0]);
		emu.injectFault({ route: 'GET /media/', count: 1, status: 500 });
		expect((await fetch(a.url)).status).toBe(500);
		expect((await fetch(a.url)).status).toBe(200);
	});

	it('several faults are consumed in order', async () => {
		emu.injectFault({ route: 'GET /asset/models', count: 1, status: 500 });
		emu.injectFault({ route: 'GET /asset/models', count: 1, status: 502 });
		const s = [];
		for (let i = 0; i < 3; i++) s.push((await api.get('/asset/models')).status);
		expect(s).toEqual([500, 502, 200]);
	});

	it('reset() and clearFaults() remove pending faults', async () => {
		emu.injectFault({ route: 'GET /asset/models', count: 5, status: 500 });
		emu.reset();
		expect((await api.get('/asset/models')).status).toBe(200);
		emu.injectFault({ route: 'GET /asset/models', count: 5, status: 500 });
		emu.clearFaults();
		expect((await api.get('/asset/models')).status).toBe(200);
	});

	it('rejects malformed faults', () => {
		expect(() => emu.injectFault({ route: '', count: 1, status: 500 })).toThrow(/route/);
		expect(() => emu.injectFault({ route: 'GET /x', count: 0, status: 500 })).toThrow(/count/);
		expect(() => emu.injectFault({ route: 'GET /x', count: 1, status: 42 })).toThrow(/status/);
		expect(() => emu.injectFault({ route: 'GET /x', count: 1, drop: 'sideways' } as never)).toThrow(
			/drop/,
		);
		expect(() =>
			emu.injectFault({ route: 'GET /x', count: 1, status: 500, delayMs: 3 } as never),
		).toThrow(/exactly one/);
	});
});
