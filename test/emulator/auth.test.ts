import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { client } from './helpers';

const OTHER_KEY = `hx_live_${'ab'.repeat(32)}`;

describe('emulator: authentication', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	// (every row has 3 cells: jest passes `done` to callbacks with more parameters than cells)
	const routes: [string, string, unknown][] = [
		['GET', '/asset/models', undefined],
		['GET', '/asset/models/veo-3.1', undefined],
		['POST', '/asset/pricing', { model: 'veo-3.1' }],
		['POST', '/asset/start', { type: 'image', model: 'z-image-turbo', prompt: 'x' }],
		['GET', '/asset/status/000000000000000000000000', undefined],
		['POST', '/folder/create', { name: 'a' }],
		['GET', '/folder/list', undefined],
		['GET', '/no/such/route', undefined],
	];

	it.each(routes)('%s %s without a key → 401 invalid_api_key', async (method, path, body) => {
		const r = await client(emu, null).call(method, path, body);
		expect(r.status).toBe(401);
		expect(r.body.code).toBe('invalid_api_key');
		expect(r.body.details[0].code).toBe('invalid_api_key');
		expect(typeof r.body.error).toBe('string');
	});

	it.each([
		['too short', 'hx_live_abc'],
		['upper-case hex', `hx_live_${'AB'.repeat(32)}`],
		['wrong prefix', `hx_test_${'ab'.repeat(32)}`],
		['65 hex chars', `hx_live_${'a'.repeat(65)}`],
	])('malformed key (%s) → 401', async (_label, key) => {
		const r = await client(emu, key).get('/asset/models');
		expect(r.status).toBe(401);
		expect(r.body.code).toBe('invalid_api_key');
	});

	it('rejects a non-Bearer scheme', async () => {
		const r = await client(emu, null).get('/asset/models', {
			authorization: `Token ${TEST_API_KEY}`,
		});
		expect(r.status).toBe(401);
	});

	it('checks auth before validation (invalid body with no key is 401, not 400)', async () => {
		const r = await client(emu, null).post('/asset/start', { model: 'nope' });
		expect(r.status).toBe(401);
		const bad = await client(emu, 'hx_live_x').call('POST', '/asset/start', '{not json');
		expect(bad.status).toBe(401);
	});

	it('accepts any well-formed key by default', async () => {
		expect((await client(emu, OTHER_KEY).get('/asset/models')).status).toBe(200);
		expect((await client(emu).get('/asset/models')).status).toBe(200);
	});

	it('with acceptAnyWellFormedKey=false only accepts the test key and added keys', async () => {
		const strict = await startEmulator({
			acceptAnyWellFormedKey: false,
			apiKeys: [`hx_live_${'cd'.repeat(32)}`],
		});
		try {
			expect((await client(strict).get('/asset/models')).status).toBe(200);
			expect((await client(strict, `hx_live_${'cd'.repeat(32)}`).get('/asset/models')).status).toBe(
				200,
			);
			const denied = await client(strict, OTHER_KEY).get('/asset/models');
			expect(denied.status).toBe(401);
			expect(denied.body.code).toBe('invalid_api_key');
			strict.addApiKey(OTHER_KEY);
			expect((await client(strict, OTHER_KEY).get('/asset/models')).status).toBe(200);
		} finally {
			await strict.close();
		}
	});
});

describe('emulator: the API key never appears in the request log', () => {
	let emu: Emulator;
	const lines: string[] = [];
	beforeAll(async () => {
		emu = await startEmulator({ durations: { image: 10, video: 10 }, log: (l) => lines.push(l) });
	});
	afterAll(() => emu.close());

	it('redacts the authorization header to Bearer hx_live_…<last4> and scrubs keys anywhere else', async () => {
		const api = client(emu);
		await api.get('/asset/models?echo=' + TEST_API_KEY);
		await api.post('/asset/start', {
			type: 'image',
			model: 'z-image-turbo',
			prompt: `my key is ${TEST_API_KEY}`,
		});
		await client(emu, OTHER_KEY).get('/asset/models/veo-3.1', { 'x-api-key': OTHER_KEY });
		await client(emu, `${TEST_API_KEY}0`).get('/asset/models'); // malformed (65 hex) → 401, still redacted
		const log = emu.requests();
		expect(log).toHaveLength(4);
		expect(log[0].headers.authorization).toBe(`Bearer hx_live_…${TEST_API_KEY.slice(-4)}`);
		expect(log[2].headers.authorization).toBe(`Bearer hx_live_…${OTHER_KEY.slice(-4)}`);
		const everything =
			JSON.stringify(log) + JSON.stringify(emu.webhookDeliveries()) + lines.join('\n');
		expect(everything).not.toContain(TEST_API_KEY);
		expect(everything).not.toContain(TEST_API_KEY.slice(8, 40));
		expect(everything).not.toContain(OTHER_KEY);
		expect(lines.length).toBeGreaterThan(0);
	});

	it('records method, path, query, parsed body, status and time', async () => {
		emu.reset();
		const api = client(emu);
		await api.post('/asset/pricing?x=1', { model: 'veo-3.1' });
		const [r] = emu.requests({ method: 'POST', path: '/asset/pricing' });
		expect(r).toMatchObject({
			kind: 'api',
			method: 'POST',
			path: '/asset/pricing',
			query: { x: '1' },
			body: { model: 'veo-3.1' },
			status: 200,
		});
		expect(r.headers['content-type']).toBe('application/json');
		expect(new Date(r.time).toString()).not.toBe('Invalid Date');
		expect(emu.requests({ path: /^\/asset\/models/ })).toHaveLength(0);
		expect(emu.requests({ method: 'get' })).toHaveLength(0);
	});
});

describe('emulator: rate limit', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 3 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('sends X-RateLimit-* headers on every API response and answers 429 when exceeded', async () => {
		const api = client(emu);
		const a = await api.get('/asset/models');
		const b = await api.get('/asset/models/nope'); // a 404 still carries the headers
		const c = await api.post('/asset/pricing', {}); // so does a 400
		const d = await api.get('/asset/models');
		expect([a.status, b.status, c.status, d.status]).toEqual([200, 404, 400, 429]);
		expect([a, b, c, d].map((r) => r.headers.get('x-ratelimit-limit'))).toEqual([
			'3',
			'3',
			'3',
			'3',
		]);
		expect([a, b, c, d].map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual([
			'2',
			'1',
			'0',
			'0',
		]);
		const reset = Number(a.headers.get('x-ratelimit-reset'));
		expect(Number.isInteger(reset)).toBe(true);
		expect(reset).toBeGreaterThan(Date.now() / 1000);
		expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
		expect(d.body.code).toBe('rate_limit_exceeded');
		expect(d.body.details[0].code).toBe('rate_limit_exceeded');
	});

	it('counts per key', async () => {
		for (let i = 0; i < 3; i++) await client(emu).get('/asset/models');
		expect((await client(emu).get('/asset/models')).status).toBe(429);
		const other = await client(emu, OTHER_KEY).get('/asset/models');
		expect(other.status).toBe(200);
		expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
	});

	it('a 429 does not create assets', async () => {
		for (let i = 0; i < 3; i++) await client(emu).get('/asset/models');
		const r = await client(emu).post('/asset/start', {
			type: 'image',
			model: 'z-image-turbo',
			prompt: 'x',
		});
		expect(r.status).toBe(429);
		expect(emu.ledger()).toEqual([]);
	});

	it('setRateLimit() changes the limit of the current windows; reset() restores the configured one', async () => {
		for (let i = 0; i < 3; i++) await client(emu).get('/asset/models');
		emu.setRateLimit(5);
		const raised = await client(emu).get('/asset/models');
		expect(raised.status).toBe(200);
		expect(raised.headers.get('x-ratelimit-limit')).toBe('5');
		expect(raised.headers.get('x-ratelimit-remaining')).toBe('1');
		emu.setRateLimit(0);
		const off = await client(emu).get('/asset/models');
		expect(off.status).toBe(200);
		expect(off.headers.get('x-ratelimit-limit')).toBeNull();
		expect(() => emu.setRateLimit(-1)).toThrow('rate limit');
		emu.reset();
		const back = await client(emu).get('/asset/models');
		expect(back.headers.get('x-ratelimit-limit')).toBe('3');
	});

	it('rateLimitPerMinute: 0 disables limiting (and the headers)', async () => {
		const free = await startEmulator({ rateLimitPerMinute: 0 });
		try {
			for (let i = 0; i < 5; i++) {
				const r = await client(free).get('/asset/models');
				expect(r.status).toBe(200);
				expect(r.headers.get('x-ratelimit-limit')).toBeNull();
			}
		} finally {
			await free.close();
		}
	});
});
