import { startEmulator, type Emulator } from '../../emulator';
import { client, type Client } from './helpers';

describe('emulator: POST /asset/pricing', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 10, video: 10 } });
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	const price = async (body: unknown) => (await api.post('/asset/pricing', body)).body;

	it('costs base_cost at the model defaults, in credits, without normalized', async () => {
		const r = await api.post('/asset/pricing', { model: 'veo-3.1' });
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			model: 'veo-3.1',
			cost_per_generation: 32,
			total_cost: 32,
			currency: 'credits',
			generation_count: 1,
		});
		expect((await price({ model: 'seedance-2.0' })).cost_per_generation).toBe(34.05);
		// explicitly passing the defaults changes nothing
		expect(
			await price({
				model: 'veo-3.1',
				duration: 8,
				resolution: '720p',
				model_settings: { generateAudio: true },
			}),
		).toEqual(await price({ model: 'veo-3.1' }));
	});

	it('is linear in duration relative to the default duration', async () => {
		expect((await price({ model: 'veo-3.1', duration: 4 })).cost_per_generation).toBe(16);
		expect((await price({ model: 'kling-v3-pro', duration: 10 })).cost_per_generation).toBe(34);
	});

	it('multiplies by 1.5 per resolution step above the default', async () => {
		expect((await price({ model: 'veo-3.1', resolution: '1080p' })).cost_per_generation).toBe(48);
		expect((await price({ model: 'veo-3.1', resolution: '4K' })).cost_per_generation).toBe(72);
	});

	it('multiplies by 1.25 when an affects_cost setting differs from its default, not otherwise', async () => {
		expect(
			(await price({ model: 'veo-3.1', model_settings: { generateAudio: false } }))
				.cost_per_generation,
		).toBe(40);
		expect(
			(await price({ model: 'gpt-image-2', model_settings: { quality: 'high' } }))
				.cost_per_generation,
		).toBe(0.38);
		// seedance-2.0: generateAudio does not affect cost
		expect(
			(await price({ model: 'seedance-2.0', model_settings: { generateAudio: false } }))
				.cost_per_generation,
		).toBe(34.05);
	});

	it('total_cost = cost_per_generation × generation_count (rounded to 2 decimals)', async () => {
		const r = await price({
			model: 'veo-3.1',
			duration: 8,
			resolution: '1080p',
			generation_count: 2,
		});
		expect(r).toMatchObject({ cost_per_generation: 48, total_cost: 96, generation_count: 2 });
		const s = await price({ model: 'seedance-2.0', generation_count: 3 });
		expect(s.total_cost).toBe(102.15);
	});

	it('prices per reference image for per-reference models (image_count)', async () => {
		expect((await price({ model: 'reve-fast' })).cost_per_generation).toBe(0.4);
		expect((await price({ model: 'reve-fast', image_count: 3 })).cost_per_generation).toBe(1.2);
		expect((await price({ model: 'veo-3.1', image_count: 3 })).cost_per_generation).toBe(32); // ignored elsewhere
	});

	it('uses a default base cost for models without base_cost', async () => {
		expect(await price({ model: 'sora-2' })).toMatchObject({
			cost_per_generation: 1,
			total_cost: 1,
		});
	});

	it('snaps an unsupported duration to the nearest allowed one and reports it in normalized', async () => {
		expect(await price({ model: 'veo-3.1', duration: 7 })).toMatchObject({
			cost_per_generation: 24,
			normalized: { duration: 6 },
		});
		expect(
			(await price({ model: 'kling-v3-pro', duration: 16, generation_count: 2 })).normalized,
		).toEqual({ duration: 15 });
		expect((await price({ model: 'veo-3.1', duration: 100 })).normalized).toEqual({ duration: 8 });
		expect((await price({ model: 'veo-3.1', duration: '6s' })).normalized).toEqual({ duration: 6 });
		expect(await price({ model: 'veo-3.1', duration: 6 })).not.toHaveProperty('normalized');
	});

	it('does not debit credits', async () => {
		await price({ model: 'veo-3.1', generation_count: 4 });
		expect(emu.balance()).toBe(10000);
		expect(emu.ledger()).toEqual([]);
	});

	it.each([
		[{}, 400, 'model'],
		[{ model: 'nope' }, 404, 'model'],
		[{ model: 'veo-3.1', generation_count: 5 }, 400, 'generation_count'],
		[{ model: 'veo-3.1', generation_count: 0 }, 400, 'generation_count'],
		[{ model: 'veo-3.1', resolution: '8K' }, 400, 'resolution'],
		[{ model: 'veo-3.1', duration: 'long' }, 400, 'duration'],
		[{ model: 'kling-motion-control', duration: 5 }, 400, 'duration'],
		[
			{ model: 'veo-3.1', model_settings: { generateAudio: 'yes' } },
			400,
			'model_settings.generateAudio',
		],
		[{ model: 'veo-3.1', model_settings: { nope: true } }, 400, 'model_settings.nope'],
		[{ model: 'reve-fast', image_count: -1 }, 400, 'image_count'],
	])('rejects %j → %i on %s', async (body, status, field) => {
		const r = await api.post('/asset/pricing', body);
		expect(r.status).toBe(status);
		expect(r.body.details[0].field).toBe(field);
		expect(r.body.code).toBe(status === 404 ? 'not_found' : 'INVALID_VALUE');
	});

	it('agrees with /asset/start for the same parameters', async () => {
		const cases = [
			{
				type: 'video',
				model: 'veo-3.1',
				prompt: 'x',
				duration: 4,
				resolution: '4K',
				model_settings: { generateAudio: false },
				generation_count: 3,
			},
			{
				type: 'video',
				model: 'seedance-1.5',
				prompt: 'x',
				duration: 12,
				resolution: '1080p',
				model_settings: { generateAudio: true, camera_fixed: true },
			},
			{
				type: 'image',
				model: 'gpt-image-2',
				prompt: 'x',
				resolution: '4K',
				model_settings: { quality: 'low' },
				generation_count: 2,
			},
			{
				type: 'image',
				model: 'reve-fast',
				prompt: 'x',
				references: [{ url: 'https://e.org/1.png' }, { asset_id: 'a' }],
			},
			{ type: 'video', model: 'sora-2', prompt: 'x', duration: 10 },
		];
		for (const c of cases) {
			const p = await price({ ...c, image_count: c.references?.length });
			const s = await api.post('/asset/start', c);
			expect(s.status).toBe(201);
			expect({ cpg: s.body.cost_per_generation, total: s.body.total_cost }).toEqual({
				cpg: p.cost_per_generation,
				total: p.total_cost,
			});
		}
	});
});
