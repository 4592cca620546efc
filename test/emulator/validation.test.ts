/**
 * POST /asset/start validation, SPEC §7.3 — every rule, in order: status, code and details[].field.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { client, type Client } from './helpers';

const URL_REF = { url: 'https://example.org/a.png' };
const LONG = (n: number) => 'p'.repeat(n);

type Case = [
	label: string,
	body: Record<string, unknown>,
	status: number,
	code: string,
	field: string,
];

const veo = { type: 'video', model: 'veo-3.1', prompt: 'a fox' };
const kling = { type: 'video', model: 'kling-standard', prompt: 'a fox', references: [URL_REF] };
const klingPro = { type: 'video', model: 'kling-pro', prompt: 'a fox' };
const flf = {
	type: 'video',
	model: 'veo-3.1-flf',
	prompt: 'a fox',
	first_frame: URL_REF,
	last_frame: { asset_id: 'abc' },
};
const gpt = { type: 'image', model: 'gpt-image-2', prompt: 'a fox' };

const CASES: Case[] = [
	// 1. type / model / prompt present
	['type missing', { model: 'veo-3.1', prompt: 'x' }, 400, 'INVALID_VALUE', 'type'],
	['model missing', { type: 'video', prompt: 'x' }, 400, 'INVALID_VALUE', 'model'],
	['prompt missing', { type: 'video', model: 'veo-3.1' }, 400, 'INVALID_VALUE', 'prompt'],
	['prompt empty', { ...veo, prompt: '   ' }, 400, 'INVALID_VALUE', 'prompt'],
	['prompt not a string', { ...veo, prompt: 42 }, 400, 'INVALID_VALUE', 'prompt'],
	['type checked before model', { prompt: 'x' }, 400, 'INVALID_VALUE', 'type'],
	// 2. model exists
	['unknown model', { type: 'video', model: 'nope', prompt: 'x' }, 404, 'not_found', 'model'],
	[
		'unknown model wins over a bad prompt length',
		{ type: 'video', model: 'nope', prompt: LONG(99999) },
		404,
		'not_found',
		'model',
	],
	// 3. type equals model type
	['type mismatch', { ...veo, type: 'image' }, 400, 'INVALID_VALUE', 'type'],
	['type audio', { ...veo, type: 'audio' }, 400, 'INVALID_VALUE', 'type'],
	// 4. prompt length
	[
		'prompt too long (kling 2500)',
		{ ...kling, prompt: LONG(2501) },
		400,
		'INVALID_VALUE',
		'prompt',
	],
	[
		'prompt too long wins over references',
		{ ...kling, prompt: LONG(2501), references: [] },
		400,
		'INVALID_VALUE',
		'prompt',
	],
	// 5. references count / slots
	['references below minItems', { ...kling, references: [] }, 400, 'INVALID_VALUE', 'references'],
	[
		'references required (missing)',
		{ type: 'video', model: 'kling-standard', prompt: 'x' },
		400,
		'INVALID_VALUE',
		'references',
	],
	[
		'references above maxItems',
		{ ...veo, references: [URL_REF, URL_REF] },
		400,
		'INVALID_VALUE',
		'references',
	],
	['references not an array', { ...veo, references: URL_REF }, 400, 'INVALID_VALUE', 'references'],
	[
		'named slot on a references model',
		{ ...veo, start_image: URL_REF },
		400,
		'INVALID_VALUE',
		'start_image',
	],
	[
		'references on a slot model',
		{ ...klingPro, references: [URL_REF] },
		400,
		'INVALID_VALUE',
		'references',
	],
	[
		'unknown slot on a slot model',
		{ ...klingPro, first_frame: URL_REF },
		400,
		'INVALID_VALUE',
		'first_frame',
	],
	[
		'required slot missing (last_frame)',
		{ ...flf, last_frame: undefined },
		400,
		'INVALID_VALUE',
		'last_frame',
	],
	[
		'required slot missing (source_video)',
		{ type: 'video', model: 'kling-o3-edit-pro', prompt: 'x' },
		400,
		'INVALID_VALUE',
		'source_video',
	],
	[
		'both motion slots required',
		{ type: 'video', model: 'kling-motion-control', prompt: 'x', start_image: URL_REF },
		400,
		'INVALID_VALUE',
		'motion_video',
	],
	[
		'end_image requires start_image',
		{ ...klingPro, end_image: URL_REF },
		400,
		'INVALID_VALUE',
		'start_image',
	],
	[
		'slot on a model without inputs',
		{ type: 'video', model: 'seedance-2.0-ugc', prompt: 'x', source_video: URL_REF },
		400,
		'INVALID_VALUE',
		'source_video',
	],
	[
		'references on a model without inputs',
		{ type: 'video', model: 'seedance-2.0-ugc', prompt: 'x', references: [URL_REF] },
		400,
		'INVALID_VALUE',
		'references',
	],
	// 6. reference objects: exactly one of url | asset_id | avatar_id
	[
		'reference with two sources',
		{ ...kling, references: [{ url: URL_REF.url, asset_id: 'a' }] },
		400,
		'INVALID_VALUE',
		'references[0]',
	],
	[
		'reference with no source',
		{ ...gpt, references: [URL_REF, {}] },
		400,
		'INVALID_VALUE',
		'references[1]',
	],
	[
		'reference not an object',
		{ ...gpt, references: [URL_REF, 'https://e.org/x.png'] },
		400,
		'INVALID_VALUE',
		'references[1]',
	],
	[
		'reference url relative',
		{ ...gpt, references: [{ url: '/x.png' }] },
		400,
		'INVALID_VALUE',
		'references[0]',
	],
	[
		'reference url ftp',
		{ ...gpt, references: [{ url: 'ftp://e.org/x.png' }] },
		400,
		'INVALID_VALUE',
		'references[0]',
	],
	[
		'reference asset_id empty',
		{ ...gpt, references: [{ asset_id: '' }] },
		400,
		'INVALID_VALUE',
		'references[0]',
	],
	[
		'slot with two sources',
		{ ...klingPro, start_image: { asset_id: 'a', avatar_id: 'b' } },
		400,
		'INVALID_VALUE',
		'start_image',
	],
	[
		'slot url invalid',
		{ ...flf, last_frame: { url: 'not a url' } },
		400,
		'INVALID_VALUE',
		'last_frame',
	],
	// 7. aspect_ratio / resolution / duration
	[
		'aspect_ratio not in enum',
		{ ...veo, aspect_ratio: '1:1' },
		400,
		'INVALID_VALUE',
		'aspect_ratio',
	],
	['resolution not in enum', { ...veo, resolution: '4k' }, 400, 'INVALID_VALUE', 'resolution'],
	['duration not in enum', { ...veo, duration: 5 }, 400, 'INVALID_VALUE', 'duration'],
	['duration as a string', { ...veo, duration: '8' }, 400, 'INVALID_VALUE', 'duration'],
	['duration not an integer', { ...veo, duration: 6.5 }, 400, 'INVALID_VALUE', 'duration'],
	[
		'aspect_ratio on a model without it',
		{
			type: 'video',
			model: 'kling-motion-control',
			prompt: 'x',
			start_image: URL_REF,
			motion_video: URL_REF,
			aspect_ratio: '9:16',
		},
		400,
		'INVALID_VALUE',
		'aspect_ratio',
	],
	[
		'resolution on a model without it',
		{ ...kling, resolution: '720p' },
		400,
		'INVALID_VALUE',
		'resolution',
	],
	['duration on an image model', { ...gpt, duration: 5 }, 400, 'INVALID_VALUE', 'duration'],
	[
		'enum checked before generation_count',
		{ ...veo, aspect_ratio: '1:1', generation_count: 9 },
		400,
		'INVALID_VALUE',
		'aspect_ratio',
	],
	// 8. generation_count
	['generation_count 0', { ...veo, generation_count: 0 }, 400, 'INVALID_VALUE', 'generation_count'],
	['generation_count 5', { ...veo, generation_count: 5 }, 400, 'INVALID_VALUE', 'generation_count'],
	[
		'generation_count 1.5',
		{ ...veo, generation_count: 1.5 },
		400,
		'INVALID_VALUE',
		'generation_count',
	],
	[
		'generation_count string',
		{ ...veo, generation_count: '2' },
		400,
		'INVALID_VALUE',
		'generation_count',
	],
	// 9. model_settings
	[
		'model_settings not an object',
		{ ...veo, model_settings: [true] },
		400,
		'INVALID_VALUE',
		'model_settings',
	],
	[
		'unknown setting',
		{ ...veo, model_settings: { camera_fixed: true } },
		400,
		'INVALID_VALUE',
		'model_settings.camera_fixed',
	],
	[
		'boolean setting typed',
		{ ...veo, model_settings: { generateAudio: 'false' } },
		400,
		'INVALID_VALUE',
		'model_settings.generateAudio',
	],
	[
		'enum setting typed',
		{ ...gpt, model_settings: { quality: 'ultra' } },
		400,
		'INVALID_VALUE',
		'model_settings.quality',
	],
	[
		'setting on a model without settings',
		{
			type: 'video',
			model: 'gemini-omni-video',
			prompt: 'x',
			model_settings: { generateAudio: true },
		},
		400,
		'INVALID_VALUE',
		'model_settings.generateAudio',
	],
	[
		'settings checked before webhook_url',
		{ ...gpt, model_settings: { quality: 1 }, webhook_url: 'nope' },
		400,
		'INVALID_VALUE',
		'model_settings.quality',
	],
	// 10. avatar_description
	[
		'avatar_description on a model without it',
		{ ...veo, avatar_description: 'a woman' },
		400,
		'INVALID_VALUE',
		'avatar_description',
	],
	[
		'avatar_description not a string',
		{ type: 'video', model: 'seedance-2.0-ugc', prompt: 'x', avatar_description: 3 },
		400,
		'INVALID_VALUE',
		'avatar_description',
	],
	// 11. webhook_url
	[
		'webhook_url relative',
		{ ...veo, webhook_url: '/hook' },
		400,
		'INVALID_WEBHOOK_URL',
		'webhook_url',
	],
	[
		'webhook_url not http',
		{ ...veo, webhook_url: 'mailto:a@b.c' },
		400,
		'INVALID_WEBHOOK_URL',
		'webhook_url',
	],
	[
		'webhook_url not a string',
		{ ...veo, webhook_url: 12 },
		400,
		'INVALID_WEBHOOK_URL',
		'webhook_url',
	],
	// knobs
	[
		'unknown x_emulator knob',
		{ ...veo, x_emulator: { speed: 1 } },
		400,
		'INVALID_VALUE',
		'x_emulator.speed',
	],
	[
		'bad x_emulator outcome',
		{ ...veo, x_emulator: { outcome: 'maybe' } },
		400,
		'INVALID_VALUE',
		'x_emulator.outcome',
	],
];

const VALID: [string, Record<string, unknown>][] = [
	['text-to-video with defaults', veo],
	[
		'all options',
		{
			...veo,
			references: [{ avatar_id: 'av1' }],
			aspect_ratio: '16:9',
			resolution: '1080p',
			duration: 6,
			generation_count: 4,
			model_settings: { generateAudio: false },
			webhook_url: 'https://example.org/hook?token=a&b=c',
			folder_id: 'f1',
			parent_media_id: 'p1',
		},
	],
	['exactly one reference', kling],
	['kling-pro without slots', klingPro],
	['kling-pro with start_image only', { ...klingPro, start_image: URL_REF }],
	[
		'kling-pro with both slots',
		{ ...klingPro, start_image: URL_REF, end_image: { asset_id: 'x' } },
	],
	['both frames', flf],
	[
		'motion control',
		{
			type: 'video',
			model: 'kling-v3-motion-pro',
			prompt: 'x',
			start_image: URL_REF,
			motion_video: { asset_id: 'v' },
			model_settings: { keepOriginalSound: false },
		},
	],
	[
		'select setting',
		{
			...gpt,
			resolution: '2K',
			model_settings: { quality: 'high' },
			references: Array(10).fill(URL_REF),
		},
	],
	[
		'UGC avatar_description',
		{
			type: 'video',
			model: 'seedance-2.0-ugc',
			prompt: 'x',
			avatar_description: 'a woman in her 30s',
		},
	],
	['prompt at max length', { ...kling, prompt: LONG(2500) }],
	[
		'null optional fields are ignored',
		{ ...veo, references: null, webhook_url: null, model_settings: null },
	],
	['unknown extra fields are ignored', { ...veo, something_else: 1 }],
	// lenient models (no input_schema): prompt + generation_count + typical fields
	['lenient: bare', { type: 'video', model: 'sora-2', prompt: 'x' }],
	[
		'lenient: typical fields',
		{
			type: 'video',
			model: 'sora-2-pro',
			prompt: 'x',
			aspect_ratio: '16:9',
			resolution: '1080p',
			duration: 12,
			generation_count: 2,
			model_settings: { generateAudio: true },
			references: [URL_REF],
		},
	],
	[
		'lenient: named slots',
		{ type: 'video', model: 'kling-o3-pro', prompt: 'x', start_image: URL_REF, end_image: URL_REF },
	],
	[
		'lenient image',
		{ type: 'image', model: 'nano-banana-pro', prompt: 'x', references: [URL_REF, URL_REF] },
	],
];

const LENIENT_INVALID: Case[] = [
	[
		'lenient: generation_count still checked',
		{ type: 'video', model: 'sora-2', prompt: 'x', generation_count: 7 },
		400,
		'INVALID_VALUE',
		'generation_count',
	],
	[
		'lenient: refs and slots not combined',
		{ type: 'video', model: 'sora-2', prompt: 'x', references: [URL_REF], start_image: URL_REF },
		400,
		'INVALID_VALUE',
		'references',
	],
	[
		'lenient: reference objects still checked',
		{ type: 'image', model: 'reve', prompt: 'x', references: [{ url: 'x' }] },
		400,
		'INVALID_VALUE',
		'references[0]',
	],
	[
		'lenient: references bounded (no capabilities: 0–10)',
		{ type: 'image', model: 'flux-2-max', prompt: 'x', references: Array(11).fill(URL_REF) },
		400,
		'INVALID_VALUE',
		'references',
	],
	[
		'lenient: duration must be an integer',
		{ type: 'video', model: 'sora-2', prompt: 'x', duration: 'long' },
		400,
		'INVALID_VALUE',
		'duration',
	],
	[
		'lenient: setting values are primitives',
		{ type: 'video', model: 'sora-2', prompt: 'x', model_settings: { a: { b: 1 } } },
		400,
		'INVALID_VALUE',
		'model_settings.a',
	],
	[
		'lenient: webhook_url still checked',
		{ type: 'video', model: 'sora-2', prompt: 'x', webhook_url: 'x' },
		400,
		'INVALID_WEBHOOK_URL',
		'webhook_url',
	],
];

describe('emulator: POST /asset/start validation', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 5, video: 5 } });
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it.each([...CASES, ...LENIENT_INVALID])(
		'%s → %i %s on %s',
		async (_label, body, status, code, field) => {
			const r = await api.post('/asset/start', body);
			expect(r.status).toBe(status);
			expect(r.body.code).toBe(code);
			expect(r.body.details).toHaveLength(1);
			expect(r.body.details[0]).toMatchObject({ code, field });
			expect(typeof r.body.details[0].message).toBe('string');
			expect(typeof r.body.error).toBe('string');
			// nothing is created or debited
			expect(emu.ledger()).toEqual([]);
			expect(emu.balance()).toBe(10000);
		},
	);

	it.each(VALID)('accepts: %s', async (_label, body) => {
		const r = await api.post('/asset/start', body);
		expect(r.body).toMatchObject({ status: 'generating' });
		expect(r.status).toBe(201);
	});

	it('rejects a body that is not JSON', async () => {
		const r = await api.call('POST', '/asset/start', '{"type": "video",');
		expect(r.status).toBe(400);
		expect(r.body.details[0].field).toBe('body');
	});

	it('rejects a JSON body that is not an object', async () => {
		const r = await api.post('/asset/start', [veo]);
		expect(r.status).toBe(400);
		expect(r.body.details[0].field).toBe('body');
	});

	it('strips x_emulator before validation (it is not an unknown field nor part of generation_params)', async () => {
		const r = await api.post('/asset/start', { ...veo, x_emulator: { duration_ms: 1 } });
		expect(r.status).toBe(201);
		expect(emu.getAsset(r.body.asset_ids[0])!.generation_params).not.toHaveProperty('x_emulator');
	});
});

describe('emulator: 402 insufficient credits (last rule)', () => {
	let emu: Emulator;
	let api: Client;
	beforeAll(async () => {
		emu = await startEmulator({
			rateLimitPerMinute: 0,
			initialBalance: 50,
			durations: { image: 5, video: 5 },
		});
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	it('answers 402 INSUFFICIENT_CREDITS saying needed vs available, and creates nothing', async () => {
		const r = await api.post('/asset/start', { ...veo, generation_count: 2 });
		expect(r.status).toBe(402);
		expect(r.body.code).toBe('INSUFFICIENT_CREDITS');
		expect(r.body.details[0].code).toBe('INSUFFICIENT_CREDITS');
		expect(r.body.details[0].message).toMatch(/64\b.*needed.*\b50\b.*available/);
		expect(emu.balance()).toBe(50);
		expect(emu.ledger()).toEqual([]);
	});

	it('is checked after every validation rule', async () => {
		const r = await api.post('/asset/start', { ...veo, generation_count: 4, webhook_url: 'bad' });
		expect(r.status).toBe(400);
		expect(r.body.details[0].field).toBe('webhook_url');
	});

	it('succeeds when the balance covers exactly the total cost', async () => {
		emu.setBalance(32);
		const r = await api.post('/asset/start', veo);
		expect(r.status).toBe(201);
		expect(emu.balance()).toBe(0);
		expect((await api.post('/asset/start', { ...gpt })).status).toBe(402);
	});
});
