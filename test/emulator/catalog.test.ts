import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator, type ModelDefinition } from '../../emulator';
import { client } from './helpers';

const FIXTURE: ModelDefinition[] = JSON.parse(
	readFileSync(join(__dirname, '../../emulator/fixtures/models.json'), 'utf8'),
);
const DETAIL_ONLY = ['settings', 'input_schema', 'max_prompt_length', 'restricted_countries'];

describe('emulator: GET /asset/models', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('lists every fixture model as a summary, with type and provider per item and a count', async () => {
		const r = await client(emu).get('/asset/models');
		expect(r.status).toBe(200);
		expect(r.body.count).toBe(FIXTURE.length);
		expect(r.body.models).toHaveLength(FIXTURE.length);
		expect(r.body.type).toBeUndefined();
		expect(r.body.provider).toBeUndefined();
		for (const item of r.body.models) {
			expect(typeof item.type).toBe('string');
			expect(typeof item.provider).toBe('string');
			for (const k of DETAIL_ONLY) expect(item).not.toHaveProperty(k);
		}
		const veo = r.body.models.find((m: any) => m.name === 'veo-3.1');
		const fixtureVeo = FIXTURE.find((m) => m.name === 'veo-3.1')!;
		const { settings, input_schema, max_prompt_length, restricted_countries, ...summary } =
			fixtureVeo;
		(void settings, void input_schema, void max_prompt_length, void restricted_countries);
		expect(veo).toEqual(summary);
	});

	it('filters by type and hoists it to the root (removed from items)', async () => {
		const r = await client(emu).get('/asset/models?type=image');
		expect(r.body.type).toBe('image');
		expect(r.body.provider).toBeUndefined();
		expect(r.body.count).toBe(FIXTURE.filter((m) => m.type === 'image').length);
		for (const m of r.body.models) {
			expect(m).not.toHaveProperty('type');
			expect(typeof m.provider).toBe('string');
		}
	});

	it('filters by type and provider and hoists both', async () => {
		const r = await client(emu).get('/asset/models?type=video&provider=google');
		expect(Object.keys(r.body).sort()).toEqual(['count', 'models', 'provider', 'type']);
		expect(r.body).toMatchObject({ type: 'video', provider: 'google' });
		const expected = FIXTURE.filter((m) => m.type === 'video' && m.provider === 'google').map(
			(m) => m.name,
		);
		expect(r.body.models.map((m: any) => m.name)).toEqual(expected);
		for (const m of r.body.models) {
			expect(m).not.toHaveProperty('type');
			expect(m).not.toHaveProperty('provider');
		}
	});

	it('filters by tag without hoisting anything', async () => {
		const r = await client(emu).get('/asset/models?tag=motion-control');
		const expected = FIXTURE.filter((m) => m.tags?.includes('motion-control')).map((m) => m.name);
		expect(expected.length).toBeGreaterThan(1);
		expect(r.body.models.map((m: any) => m.name)).toEqual(expected);
		expect(r.body.count).toBe(expected.length);
		expect(r.body.tag).toBeUndefined();
		for (const m of r.body.models) expect(m.type).toBe('video');
	});

	it('returns an empty list for a filter nobody matches', async () => {
		const r = await client(emu).get('/asset/models?provider=nobody');
		expect(r.status).toBe(200);
		expect(r.body).toEqual({ provider: 'nobody', models: [], count: 0 });
	});
});

describe('emulator: GET /asset/models/{name}', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0 });
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('returns the full object, identical to the fixture', async () => {
		for (const name of ['veo-3.1', 'kling-pro', 'gpt-image-2', 'sora-2']) {
			const r = await client(emu).get(`/asset/models/${name}`);
			expect(r.status).toBe(200);
			expect(r.body).toEqual(FIXTURE.find((m) => m.name === name));
			expect(typeof r.body.type).toBe('string');
			expect(typeof r.body.provider).toBe('string');
		}
	});

	it('404 not_found for an unknown model', async () => {
		const r = await client(emu).get('/asset/models/no-such-model');
		expect(r.status).toBe(404);
		expect(r.body.code).toBe('not_found');
		expect(r.body.details[0].code).toBe('not_found');
	});

	it('addModel / removeModel change the catalogue until reset()', async () => {
		emu.addModel({ name: 'test-img', type: 'image', provider: 'other', base_cost: 2 });
		emu.removeModel('veo-3.1');
		expect((await client(emu).get('/asset/models/test-img')).body).toEqual({
			name: 'test-img',
			type: 'image',
			provider: 'other',
			base_cost: 2,
		});
		expect((await client(emu).get('/asset/models/veo-3.1')).status).toBe(404);
		const list = await client(emu).get('/asset/models?provider=other');
		expect(list.body.models.map((m: any) => m.name)).toEqual(['test-img']);
		emu.reset();
		expect((await client(emu).get('/asset/models/test-img')).status).toBe(404);
		expect((await client(emu).get('/asset/models/veo-3.1')).status).toBe(200);
	});

	it('accepts a custom catalogue via options', async () => {
		const small = await startEmulator({ models: [{ name: 'only', type: 'video', provider: 'x' }] });
		try {
			const r = await client(small).get('/asset/models');
			expect(r.body).toEqual({
				models: [{ name: 'only', type: 'video', provider: 'x' }],
				count: 1,
			});
		} finally {
			await small.close();
		}
	});
});

describe('emulator: unknown routes', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator();
	});
	afterAll(() => emu.close());

	it('answers 404 JSON for unknown API routes and unknown paths', async () => {
		const r = await client(emu).get('/asset/list');
		expect(r.status).toBe(404);
		expect(r.body.code).toBe('not_found');
		const outside = await fetch(`${emu.origin}/elsewhere`);
		expect(outside.status).toBe(404);
		expect(outside.headers.get('content-type')).toMatch(/application\/json/);
		expect(((await outside.json()) as { code: string }).code).toBe('not_found');
	});

	it('answers 405 for a known route with the wrong method', async () => {
		const r = await client(emu).get('/asset/start');
		expect(r.status).toBe(405);
		expect(r.headers.get('allow')).toBe('POST');
	});
});
