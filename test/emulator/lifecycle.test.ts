import { startEmulator, type Emulator } from '../../emulator';
import { client, HEX24, until, waitTerminal, type Client } from './helpers';

const veo = { type: 'video', model: 'veo-3.1', prompt: 'a fox in the snow' };
const img = {
	type: 'image',
	model: 'gpt-image-2',
	prompt: 'a bottle',
	aspect_ratio: '16:9',
	resolution: '2K',
};

describe('emulator: /asset/start and the asset lifecycle', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 20, video: 30 } });
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('answers 201 with one 24-hex id per generation and debits the total up front', async () => {
		const r = await api.post('/asset/start', { ...veo, generation_count: 3 });
		expect(r.status).toBe(201);
		expect(Object.keys(r.body).sort()).toEqual([
			'asset_ids',
			'cost_per_generation',
			'count',
			'status',
			'total_cost',
		]);
		expect(r.body).toMatchObject({
			status: 'generating',
			count: 3,
			cost_per_generation: 32,
			total_cost: 96,
		});
		expect(r.body.asset_ids).toHaveLength(3);
		for (const id of r.body.asset_ids) expect(id).toMatch(HEX24);
		expect(new Set(r.body.asset_ids).size).toBe(3);
		expect(emu.balance()).toBe(10000 - 96);
		expect(emu.ledger()).toEqual([
			expect.objectContaining({
				kind: 'debit',
				amount: 96,
				balance: 9904,
				asset_ids: r.body.asset_ids,
			}),
		]);
	});

	it('a video goes generating → completed with url, thumbnail, size, duration, cost and generation_params', async () => {
		const r = await api.post('/asset/start', {
			...veo,
			aspect_ratio: '16:9',
			resolution: '1080p',
			duration: 6,
		});
		const id = r.body.asset_ids[0];
		const first = await api.get(`/asset/status/${id}`);
		expect(first.status).toBe(200);
		expect(['pending', 'generating', 'completed']).toContain(first.body.status);
		const done = await waitTerminal(api, id);
		expect(done).toEqual({
			asset_id: id,
			status: 'completed',
			type: 'video',
			url: `${emu.origin}/media/${id}.mp4`,
			thumbnail_url: `${emu.origin}/media/${id}.thumb.png`,
			width: 1920,
			height: 1080,
			duration_seconds: 6,
			cost: 36, // 32 × 6/8 × 1.5 (one resolution step)
			created_at: expect.any(String),
			generation_params: {
				model: 'veo-3.1',
				prompt: 'a fox in the snow',
				aspect_ratio: '16:9',
				resolution: '1080p',
				duration: 6,
				generation_count: 1,
				model_settings: { generateAudio: true },
			},
		});
		expect(new Date(done.created_at).toISOString()).toBe(done.created_at);
	});

	it('records the effective defaults in generation_params', async () => {
		const r = await api.post('/asset/start', {
			type: 'video',
			model: 'kling-pro',
			prompt: 'x',
			start_image: { asset_id: 'a1' },
		});
		const done = await waitTerminal(api, r.body.asset_ids[0]);
		expect(done.generation_params).toEqual({
			model: 'kling-pro',
			prompt: 'x',
			aspect_ratio: '9:16',
			duration: 5,
			generation_count: 1,
			model_settings: { generateAudio: true },
			start_image: { asset_id: 'a1' },
		});
		expect(done).toMatchObject({ width: 1080, height: 1920, duration_seconds: 5 });
	});

	it('an image completes with a png url, no thumbnail and no duration', async () => {
		const r = await api.post('/asset/start', img);
		const done = await waitTerminal(api, r.body.asset_ids[0]);
		expect(done.status).toBe('completed');
		expect(done.type).toBe('image');
		expect(done.url).toBe(`${emu.origin}/media/${r.body.asset_ids[0]}.png`);
		expect(done).not.toHaveProperty('thumbnail_url');
		expect(done).not.toHaveProperty('duration_seconds');
		expect(done).toMatchObject({ width: 2048, height: 1152 });
	});

	it('a running asset shows no url/error yet', async () => {
		const r = await api.post('/asset/start', { ...veo, x_emulator: { duration_ms: 60_000 } });
		const s = await api.get(`/asset/status/${r.body.asset_ids[0]}`);
		expect(s.body.status).toBe('generating');
		expect(s.body).not.toHaveProperty('url');
		expect(s.body).not.toHaveProperty('error');
		expect(s.body).toMatchObject({
			type: 'video',
			cost: 32,
			generation_params: expect.objectContaining({ model: 'veo-3.1' }),
		});
	});

	it('can show pending before generating (knob pending_ms)', async () => {
		const r = await api.post('/asset/start', { ...veo, x_emulator: { pending_ms: 60_000 } });
		expect(r.body.status).toBe('generating');
		expect((await api.get(`/asset/status/${r.body.asset_ids[0]}`)).body.status).toBe('pending');
	});

	it('a failed asset carries error {code,message} and its cost is refunded', async () => {
		const r = await api.post('/asset/start', {
			...veo,
			generation_count: 2,
			x_emulator: { outcome: 'failed' },
		});
		const [a, b] = r.body.asset_ids;
		const fa = await waitTerminal(api, a);
		await waitTerminal(api, b);
		expect(fa).toEqual({
			asset_id: a,
			status: 'failed',
			type: 'video',
			created_at: expect.any(String),
			generation_params: expect.objectContaining({ model: 'veo-3.1' }),
			error: { code: 'GENERATION_FAILED', message: expect.any(String) },
		});
		expect(emu.balance()).toBe(10000);
		const ledger = emu.ledger();
		expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
			['debit', 64],
			['refund', 32],
			['refund', 32],
		]);
		expect(ledger[2].balance).toBe(10000);
		expect(emu.getAsset(a)).toMatchObject({ status: 'failed', refunded: true, cost: 32 });
	});

	it('knob error sets the failure code/message', async () => {
		const r = await api.post('/asset/start', {
			...img,
			x_emulator: { outcome: 'failed', error: { code: 'CONTENT_POLICY', message: 'nope' } },
		});
		expect((await waitTerminal(api, r.body.asset_ids[0])).error).toEqual({
			code: 'CONTENT_POLICY',
			message: 'nope',
		});
	});

	it('failNext(n) makes exactly the next n created assets fail', async () => {
		emu.failNext(2, { code: 'PROVIDER_DOWN', message: 'down' });
		const r = await api.post('/asset/start', { ...img, generation_count: 3 });
		const results = await Promise.all(r.body.asset_ids.map((id: string) => waitTerminal(api, id)));
		expect(results.map((s) => s.status)).toEqual(['failed', 'failed', 'completed']);
		expect(results[0].error).toEqual({ code: 'PROVIDER_DOWN', message: 'down' });
		const next = await api.post('/asset/start', img);
		expect((await waitTerminal(api, next.body.asset_ids[0])).status).toBe('completed');
		// 2K is one step above 1K: 0.3 × 1.5 = 0.45 each; 3 debited, 2 refunded, then 1 more
		expect(emu.balance()).toBeCloseTo(10000 - 2 * 0.45, 2);
	});

	it('setAssetOutcome decides a running asset; throws for unknown or finished assets', async () => {
		const r = await api.post('/asset/start', {
			...veo,
			generation_count: 2,
			x_emulator: { duration_ms: 1500 },
		}); // ample time to call setAssetOutcome first
		const [a, b] = r.body.asset_ids;
		emu.setAssetOutcome(a, 'failed');
		expect((await waitTerminal(api, a)).status).toBe('failed');
		expect((await waitTerminal(api, b)).status).toBe('completed');
		expect(() => emu.setAssetOutcome(b, 'failed')).toThrow(/already completed/);
		expect(() => emu.setAssetOutcome('000000000000000000000000', 'failed')).toThrow(
			/unknown asset/,
		);
		expect(emu.balance()).toBe(10000 - 32);
	});

	it('setAssetOutcome can also rescue an asset planned to fail', async () => {
		const r = await api.post('/asset/start', {
			...img,
			x_emulator: { outcome: 'failed', duration_ms: 1500 },
		}); // ample time to call setAssetOutcome first
		emu.setAssetOutcome(r.body.asset_ids[0], 'completed');
		expect((await waitTerminal(api, r.body.asset_ids[0])).status).toBe('completed');
	});

	it('setDuration per type and per model', async () => {
		emu.setDuration({ video: 60_000 });
		emu.setDuration({ model: 'veo-3.1-lite', ms: 1 });
		const slow = await api.post('/asset/start', veo);
		const fast = await api.post('/asset/start', { ...veo, model: 'veo-3.1-lite' });
		expect((await waitTerminal(api, fast.body.asset_ids[0])).status).toBe('completed');
		expect((await api.get(`/asset/status/${slow.body.asset_ids[0]}`)).body.status).toBe(
			'generating',
		);
		emu.reset(); // restores durations
		const again = await api.post('/asset/start', veo);
		expect((await waitTerminal(api, again.body.asset_ids[0])).status).toBe('completed');
	});

	it('GET /asset/status/{unknown} → 404 not_found', async () => {
		const r = await api.get('/asset/status/ffffffffffffffffffffffff');
		expect(r.status).toBe(404);
		expect(r.body.code).toBe('not_found');
	});

	it('getAsset exposes the full record', async () => {
		const r = await api.post('/asset/start', {
			...veo,
			webhook_url: 'http://127.0.0.1:9/h',
			folder_id: 'f',
			parent_media_id: 'p',
			x_emulator: { duration_ms: 60_000 },
		});
		const rec = emu.getAsset(r.body.asset_ids[0]);
		expect(rec).toMatchObject({
			asset_id: r.body.asset_ids[0],
			status: 'generating',
			model: 'veo-3.1',
			cost: 32,
			refunded: false,
			webhook_url: 'http://127.0.0.1:9/h',
			folder_id: 'f',
			parent_media_id: 'p',
			planned_outcome: 'completed',
		});
		expect(emu.getAsset('nope')).toBeUndefined();
	});

	it('setBalance / balance and reset() restoring the initial balance', async () => {
		emu.setBalance(5.5);
		expect(emu.balance()).toBe(5.5);
		expect(emu.ledger()).toEqual([
			expect.objectContaining({ kind: 'set', amount: 5.5, balance: 5.5 }),
		]);
		emu.reset();
		expect(emu.balance()).toBe(10000);
		expect(emu.ledger()).toEqual([]);
	});

	it('reset() forgets assets', async () => {
		const r = await api.post('/asset/start', img);
		emu.reset();
		expect((await api.get(`/asset/status/${r.body.asset_ids[0]}`)).status).toBe(404);
	});

	it('polling never sees a status outside the documented lifecycle', async () => {
		const r = await api.post('/asset/start', {
			...veo,
			x_emulator: { pending_ms: 20, duration_ms: 20 },
		});
		const seen = new Set<string>();
		await until(async () => {
			const s = (await api.get(`/asset/status/${r.body.asset_ids[0]}`)).body.status;
			seen.add(s);
			return s === 'completed';
		});
		for (const s of seen) expect(['pending', 'generating', 'completed']).toContain(s);
	});
});
