import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	buildPricingBody,
	buildStartBody,
	describeModel,
	enumOptions,
	isHttpUrl,
	ModelInputError,
	modelParameterFields,
	parseReference,
	splitModelParameters,
	titleCase,
	type GenerateInput,
	type ModelDetail,
	type ModelSpec,
} from '../../../nodes/shared/modelSchema';
import { loadModel, loadModels } from './fixtures';

const spec = (name: string): ModelSpec => describeModel(loadModel(name));

/** A minimal valid input for a model; tests override what they exercise. */
function input(model: string, extra: Partial<GenerateInput> = {}): GenerateInput {
	return { model, prompt: 'A paper boat drifting down a rain-soaked street', ...extra };
}

function caught(fn: () => unknown): ModelInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ModelInputError);
		return error as ModelInputError;
	}
	throw new Error('expected a ModelInputError, but nothing was thrown');
}

const REFERENCE_SCHEMA = {
	type: 'object',
	properties: {
		url: { type: 'string', format: 'uri' },
		asset_id: { type: 'string' },
		avatar_id: { type: 'string' },
	},
	oneOf: [{ required: ['url'] }, { required: ['asset_id'] }, { required: ['avatar_id'] }],
};

/** A model Hoox might add tomorrow: a slot name, settings and a field this code has never seen. */
const NEW_MODEL: ModelDetail = {
	name: 'hoox-future-1',
	label: 'Hoox Future 1',
	type: 'video',
	provider: 'other',
	max_prompt_length: 100,
	settings: [
		{
			key: 'motionStrength',
			type: 'number',
			label: 'motion strength',
			default_value: 0.5,
			affects_cost: false,
		},
		{
			key: 'style_preset',
			type: 'select',
			options: ['cinematic', 'anime'],
			default_value: 'cinematic',
			affects_cost: true,
		},
	],
	input_schema: {
		type: 'object',
		required: ['prompt', 'style_image'],
		properties: {
			prompt: { type: 'string' },
			// no oneOf here: recognised by its url/asset_id/avatar_id properties alone
			style_image: {
				type: 'object',
				description: 'Image whose style is transferred.',
				properties: {
					url: { type: 'string' },
					asset_id: { type: 'string' },
					avatar_id: { type: 'string' },
				},
			},
			mask_video: REFERENCE_SCHEMA,
			aspect_ratio: { type: 'string', enum: ['21:9', '9:21'], default: '21:9' },
			duration: { type: 'integer', enum: [3, 9], default: 3 },
			seed: { type: 'integer', minimum: 0, maximum: 1000, description: 'Random seed.' },
			camera_move: { type: 'string', enum: ['pan', 'tilt'] },
			generation_count: { type: 'integer', minimum: 1, maximum: 2, default: 1 },
			model_settings: {
				type: 'object',
				properties: {
					motionStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
					loop: { type: 'boolean', default: false },
				},
			},
		},
	},
};

// ---------------------------------------------------------------------------------------------

describe('the catalogue fixture', () => {
	const models = loadModels();

	it('has 39 models and every one can be described', () => {
		expect(models).toHaveLength(39);
		for (const model of models) {
			const s = describeModel(model);
			expect(s.name).toBe(model.name);
			expect(s.hasSchema).toBe(model.input_schema !== undefined);
			expect(s.generationCount).toEqual({ min: 1, max: 4, default: 1 });
			expect(['references', 'slots', 'none']).toContain(s.inputMode);
			// every described model has a valid minimal request (when its required inputs are given)
			const slots = Object.fromEntries(
				s.slots.map((slot) => [slot.name, 'asset:65a0c0ffee00000000000010']),
			);
			const refs = s.references
				? Array.from({ length: s.references.min }, () => 'https://example.org/a.png')
				: undefined;
			const body = buildStartBody(s, input(model.name, { slots, references: refs }));
			expect(body).toMatchObject({ type: model.type, model: model.name, generation_count: 1 });
		}
	});

	it('input modes agree with the schemas', () => {
		const modes = Object.fromEntries(models.map((m) => [m.name, describeModel(m).inputMode]));
		expect(modes['kling-standard']).toBe('references');
		expect(modes['gpt-image-2']).toBe('references');
		expect(modes['kling-pro']).toBe('slots');
		expect(modes['veo-3.1-flf']).toBe('slots');
		expect(modes['upscale-video']).toBe('slots');
		expect(modes['seedance-2.0-ugc']).toBe('none');
		expect(modes['sora-2']).toBe('none');
	});

	it('the shipped code names no model, slot or setting of the catalogue', () => {
		const source = fs
			.readFileSync(
				path.join(__dirname, '..', '..', '..', 'nodes', 'shared', 'modelSchema.ts'),
				'utf8',
			)
			.replace(/\/\*[\s\S]*?\*\//g, '')
			.replace(/\/\/.*$/gm, '');
		const names = new Set<string>();
		for (const model of models) {
			names.add(model.name);
			for (const s of model.settings ?? []) names.add(s.key);
			const props = (model.input_schema?.properties ?? {}) as Record<string, unknown>;
			for (const [key, value] of Object.entries(props)) {
				const isShared = [
					'prompt',
					'references',
					'aspect_ratio',
					'resolution',
					'duration',
					'generation_count',
					'model_settings',
				].includes(key);
				if (!isShared) names.add(key);
				const settings = (value as { properties?: Record<string, unknown> }).properties;
				if (key === 'model_settings' && settings)
					for (const k of Object.keys(settings)) names.add(k);
			}
		}
		expect(names.size).toBeGreaterThan(45);
		for (const name of names)
			expect({ name, found: source.includes(`'${name}'`) || source.includes(`"${name}"`) }).toEqual(
				{ name, found: false },
			);
	});
});

describe('describeModel', () => {
	it('kling-standard: a references array with exactly one item', () => {
		const s = spec('kling-standard');
		expect(s).toEqual({
			name: 'kling-standard',
			label: 'kling-standard',
			type: 'video',
			inputMode: 'references',
			references: { min: 1, max: 1 },
			slots: [],
			aspectRatios: { values: ['16:9', '9:16', '1:1'], default: '9:16' },
			durations: { values: [5, 10], default: 5 },
			generationCount: { min: 1, max: 4, default: 1 },
			settings: [
				{
					key: 'generateAudio',
					displayName: 'Audio',
					type: 'boolean',
					default: false,
					affectsCost: true,
				},
			],
			extraFields: [],
			maxPromptLength: 2500,
			hasSchema: true,
		});
		expect(s.resolutions).toBeUndefined();
	});

	it('kling-pro: two optional slots in schema order, label from Hoox', () => {
		const s = spec('kling-pro');
		expect(s.label).toBe('Kling 2.6 Pro');
		expect(s.inputMode).toBe('slots');
		expect(s.references).toBeUndefined();
		expect(
			s.slots.map(({ name, displayName, required }) => ({ name, displayName, required })),
		).toEqual([
			{ name: 'start_image', displayName: 'Start Image', required: false },
			{ name: 'end_image', displayName: 'End Image', required: false },
		]);
		expect(s.slots[1].description).toMatch(/requires start_image/);
		expect(s.extraFields).toEqual([]);
	});

	it('kling-motion-control: two required slots, no aspect ratio/resolution/duration', () => {
		const s = spec('kling-motion-control');
		expect(s.slots.map((slot) => [slot.name, slot.required])).toEqual([
			['start_image', true],
			['motion_video', true],
		]);
		expect(s.aspectRatios).toBeUndefined();
		expect(s.resolutions).toBeUndefined();
		expect(s.durations).toBeUndefined();
		expect(s.settings).toEqual([
			{
				key: 'keepOriginalSound',
				displayName: 'Keep Original Sound',
				type: 'boolean',
				default: true,
				affectsCost: false,
			},
		]);
	});

	it('veo-3.1-flf: first/last frame slots with resolutions and durations', () => {
		const s = spec('veo-3.1-flf');
		expect(s.slots.map((slot) => slot.name)).toEqual(['first_frame', 'last_frame']);
		expect(s.slots.every((slot) => slot.required)).toBe(true);
		expect(s.resolutions).toEqual({ values: ['720p', '1080p'], default: '720p' });
		expect(s.durations).toEqual({ values: [4, 6, 8], default: 8 });
		expect(s.maxPromptLength).toBeUndefined();
	});

	it('gpt-image-2: a select setting becomes options with its default', () => {
		const s = spec('gpt-image-2');
		expect(s.type).toBe('image');
		expect(s.references).toEqual({ min: 0, max: 10 });
		expect(s.settings).toEqual([
			{
				key: 'quality',
				displayName: 'Quality',
				type: 'options',
				options: ['low', 'medium', 'high'],
				default: 'medium',
				affectsCost: true,
			},
		]);
		expect(s.resolutions).toEqual({ values: ['1K', '2K', '4K'], default: '1K' });
		expect(s.durations).toBeUndefined();
	});

	it('seedance-1.5: snake_case and camelCase setting keys are Title Cased', () => {
		expect(spec('seedance-1.5').settings.map((x) => x.displayName)).toEqual([
			'Audio',
			'Camera Fixed',
		]);
		const noLabel = describeModel({ ...loadModel('seedance-1.5'), settings: [] });
		expect(noLabel.settings.map((x) => x.displayName)).toEqual(['Generate Audio', 'Camera Fixed']);
	});

	it('seedance-2.0-ugc: avatar_description becomes an extra field', () => {
		const s = spec('seedance-2.0-ugc');
		expect(s.inputMode).toBe('none');
		expect(s.extraFields).toEqual([
			{
				name: 'avatar_description',
				displayName: 'Avatar Description',
				type: 'string',
				required: false,
				description: expect.stringContaining('appearance and actions'),
			},
		]);
		expect(s.settings).toEqual([]);
		expect(s.aspectRatios).toBeUndefined();
	});

	it('a skill-only model without schema: nothing known but its type', () => {
		const s = spec('sora-2');
		expect(s).toEqual({
			name: 'sora-2',
			label: 'sora-2',
			type: 'video',
			inputMode: 'none',
			slots: [],
			generationCount: { min: 1, max: 4, default: 1 },
			settings: [],
			extraFields: [],
			hasSchema: false,
		});
	});

	it('without a schema, capabilities give the reference range and enums', () => {
		const s = describeModel({
			name: 'caps-only',
			type: 'image',
			capabilities: {
				min_images: 0,
				max_images: 3,
				supported_aspect_ratios: ['1:1', '16:9'],
				default_aspect_ratio: '1:1',
				supported_durations: [5, '10s'],
				default_duration: 5,
			},
		});
		expect(s.hasSchema).toBe(false);
		expect(s.inputMode).toBe('references');
		expect(s.references).toEqual({ min: 0, max: 3 });
		expect(s.aspectRatios).toEqual({ values: ['1:1', '16:9'], default: '1:1' });
		expect(s.durations).toEqual({ values: [5, 10], default: 5 });
	});

	it('a references array without minItems/maxItems falls back to capabilities', () => {
		const s = describeModel({
			name: 'fallback',
			type: 'image',
			capabilities: {
				min_images: 1,
				max_images: 2,
				supported_resolutions: ['1K', '2K'],
				default_resolution: '2K',
			},
			input_schema: {
				type: 'object',
				properties: {
					prompt: { type: 'string' },
					references: { type: 'array', items: REFERENCE_SCHEMA },
					resolution: { type: 'string' },
				},
			},
		});
		expect(s.references).toEqual({ min: 1, max: 2 });
		expect(s.resolutions).toEqual({ values: ['1K', '2K'], default: '2K' });
	});

	it('with a schema, capabilities do not add fields the schema does not list', () => {
		const detail = loadModel('kling-standard');
		const s = describeModel({
			...detail,
			capabilities: { ...detail.capabilities, supported_resolutions: ['720p'] },
		});
		expect(s.resolutions).toBeUndefined();
	});

	it('a new model: new slot names, settings and extra fields come from the schema', () => {
		const s = describeModel(NEW_MODEL);
		expect(s.inputMode).toBe('slots');
		expect(s.slots).toEqual([
			{
				name: 'style_image',
				displayName: 'Style Image',
				required: true,
				description: 'Image whose style is transferred.',
			},
			{ name: 'mask_video', displayName: 'Mask Video', required: false },
		]);
		expect(s.extraFields).toEqual([
			{
				name: 'seed',
				displayName: 'Seed',
				type: 'number',
				required: false,
				integer: true,
				minimum: 0,
				maximum: 1000,
				description: 'Random seed.',
			},
			{
				name: 'camera_move',
				displayName: 'Camera Move',
				type: 'options',
				required: false,
				options: ['pan', 'tilt'],
			},
		]);
		expect(s.settings).toEqual([
			{
				key: 'motionStrength',
				displayName: 'Motion Strength',
				type: 'number',
				default: 0.5,
				affectsCost: false,
				minimum: 0,
				maximum: 1,
			},
			{ key: 'loop', displayName: 'Loop', type: 'boolean', default: false, affectsCost: false },
			{
				key: 'style_preset',
				displayName: 'Style Preset',
				type: 'options',
				options: ['cinematic', 'anime'],
				default: 'cinematic',
				affectsCost: true,
			},
		]);
		expect(s.generationCount).toEqual({ min: 1, max: 2, default: 1 });
		expect(s.durations).toEqual({ values: [3, 9], default: 3 });
	});

	it('durations given as a minimum/maximum range become whole seconds', () => {
		const s = describeModel({
			name: 'ranged',
			type: 'video',
			input_schema: {
				type: 'object',
				properties: {
					prompt: { type: 'string' },
					duration: { type: 'integer', minimum: 3, maximum: 6, default: 4 },
				},
			},
		});
		expect(s.durations).toEqual({ values: [3, 4, 5, 6], default: 4 });
	});

	it('a required references array needs at least one item even with minItems 0', () => {
		const s = describeModel({
			name: 'must-ref',
			type: 'image',
			input_schema: {
				type: 'object',
				required: ['prompt', 'references'],
				properties: {
					prompt: { type: 'string' },
					references: { type: 'array', items: REFERENCE_SCHEMA, minItems: 0, maxItems: 3 },
				},
			},
		});
		expect(s.references).toEqual({ min: 1, max: 3 });
		expect(caught(() => buildStartBody(s, input('must-ref'))).message).toBe(
			'must-ref needs 1 to 3 references; none was given',
		);
	});

	it('a references array without any bound is open-ended', () => {
		const s = describeModel({
			name: 'open',
			type: 'image',
			input_schema: {
				type: 'object',
				properties: {
					prompt: { type: 'string' },
					references: { type: 'array', items: REFERENCE_SCHEMA },
				},
			},
		});
		expect(s.references).toEqual({ min: 0, max: Number.MAX_SAFE_INTEGER });
		const refs = Array.from({ length: 30 }, (_, i) => `asset:a${i}`);
		expect(
			(buildStartBody(s, input('open', { references: refs })).references as unknown[]).length,
		).toBe(30);
	});

	it('tolerates odd shapes without throwing', () => {
		const odd = [
			{ name: 'a', input_schema: { properties: 'nope' } },
			{
				name: 'b',
				input_schema: {
					type: 'object',
					required: 'prompt',
					properties: { prompt: {}, weird: 5, list: { type: 'array' } },
				},
			},
			{
				name: 'c',
				settings: [{ key: '' }, { key: 'x', type: 'select' }],
				capabilities: { max_images: 'many' },
			},
			{ name: 'd', label: '  ', type: 'Image', max_prompt_length: 0 },
		] as unknown as ModelDetail[];
		const specs = odd.map(describeModel);
		expect(specs[0]).toMatchObject({
			hasSchema: true,
			inputMode: 'none',
			slots: [],
			extraFields: [],
		});
		expect(specs[1].extraFields).toEqual([]);
		expect(specs[2]).toMatchObject({
			inputMode: 'none',
			settings: [{ key: 'x', displayName: 'X', type: 'string', affectsCost: false }],
		});
		expect(specs[3]).toMatchObject({ label: 'd', type: 'image' });
		expect(specs[3].maxPromptLength).toBeUndefined();
	});

	it('a property with type object but unrelated properties is not a slot', () => {
		const s = describeModel({
			name: 'obj',
			type: 'image',
			input_schema: {
				type: 'object',
				properties: {
					prompt: { type: 'string' },
					crop: { type: 'object', properties: { x: { type: 'number' }, url: { type: 'string' } } },
					face: { type: 'object', properties: { avatar_id: { type: 'string' } } },
				},
			},
		});
		expect(s.slots.map((x) => x.name)).toEqual(['face']);
		expect(s.extraFields).toEqual([]);
	});

	it('a select setting whose schema property has no enum takes its options from settings[]', () => {
		const s = describeModel({
			name: 'sel',
			type: 'image',
			settings: [{ key: 'steps', type: 'select', options: [10, 20], default_value: 20 }],
			input_schema: {
				type: 'object',
				properties: {
					prompt: { type: 'string' },
					model_settings: { type: 'object', properties: { steps: { type: 'integer' } } },
				},
			},
		});
		expect(s.settings).toEqual([
			{
				key: 'steps',
				displayName: 'Steps',
				type: 'options',
				options: [10, 20],
				default: 20,
				affectsCost: false,
				integer: true,
			},
		]);
		expect(
			buildStartBody(s, input('sel', { modelSettings: { steps: '10' } })).model_settings,
		).toEqual({ steps: 10 });
		expect(
			caught(() => buildStartBody(s, input('sel', { modelSettings: { steps: 15 } }))).message,
		).toBe('15 is not an option; choose 10 or 20');
	});

	it('labelled select options keep their labels', () => {
		const s = describeModel({
			name: 'labelled',
			type: 'image',
			settings: [
				{
					key: 'speed',
					type: 'select',
					options: [
						{ value: 'fast', label: 'Turbo' },
						{ value: 'slow', label: 'Careful' },
					],
					default_value: 'slow',
				},
			],
		});
		expect(s.settings[0]).toMatchObject({
			type: 'options',
			options: ['fast', 'slow'],
			optionLabels: ['Turbo', 'Careful'],
		});
		expect(modelParameterFields(s)[0]).toMatchObject({
			displayName: 'Speed (Default: Careful)',
			options: [
				{ name: 'Turbo', value: 'fast' },
				{ name: 'Careful', value: 'slow' },
			],
		});
	});
});

describe('titleCase / isHttpUrl', () => {
	it.each([
		['generateAudio', 'Generate Audio'],
		['camera_fixed', 'Camera Fixed'],
		['keepOriginalSound', 'Keep Original Sound'],
		['avatar_description', 'Avatar Description'],
		['asset_id', 'Asset ID'],
		['audio', 'Audio'],
		['motion strength', 'Motion Strength'],
		['api_url', 'API URL'],
		// only generic abbreviations are capitalised: nothing taken from a model name
		['ugc_style', 'Ugc Style'],
	])('%s -> %s', (text, expected) => expect(titleCase(text)).toBe(expected));

	it.each([
		['https://example.org/a.png', true],
		['http://127.0.0.1:8080/hook?x=1', true],
		['ftp://example.org/a.png', false],
		['example.org/a.png', false],
		['https://', false],
		['https://exa mple.org', false],
		['', false],
	])('isHttpUrl(%s) = %s', (url, ok) => expect(isHttpUrl(url)).toBe(ok));
});

describe('parseReference', () => {
	it.each<[string | object, object]>([
		['https://example.org/a.png', { url: 'https://example.org/a.png' }],
		['  HTTP://example.org/a.png ', { url: 'HTTP://example.org/a.png' }],
		['avatar:avtr_123', { avatar_id: 'avtr_123' }],
		['asset:65a0c0ffee00000000000010', { asset_id: '65a0c0ffee00000000000010' }],
		['65a0c0ffee00000000000010', { asset_id: '65a0c0ffee00000000000010' }],
		['{"avatar_id":"avtr_9"}', { avatar_id: 'avtr_9' }],
		[{ url: 'https://example.org/b.png' }, { url: 'https://example.org/b.png' }],
		[{ asset_id: ' a1 ', url: '' }, { asset_id: 'a1' }],
		[{ avatar_id: 'v', asset_id: null }, { avatar_id: 'v' }],
		['Avatar: avtr_7', { avatar_id: 'avtr_7' }],
		['asset:65a0c0ffee00000000000011 ', { asset_id: '65a0c0ffee00000000000011' }],
		['  {"url":"https://example.org/c.png"} ', { url: 'https://example.org/c.png' }],
	])('%j -> %j', (value, expected) => {
		expect(parseReference(value as string, 'References → item 1')).toEqual(expected);
	});

	it.each<[string, unknown, RegExp]>([
		[
			'two keys',
			{ url: 'https://example.org/a.png', asset_id: 'a1' },
			/exactly one of url, asset_id or avatar_id \(url and asset_id are all set\)/,
		],
		[
			'three keys',
			{ url: 'https://e.org/a', asset_id: 'a', avatar_id: 'v' },
			/url, asset_id and avatar_id are all set/,
		],
		['no key', {}, /none is set/],
		['unknown key', { id: 'x' }, /unknown key id/],
		['relative url', { url: '/a.png' }, /not an absolute http\(s\) URL/],
		['ftp url', 'ftp://example.org/a.png', /not an http\(s\) URL/],
		['host-only text', 'example.org/a.png', /neither a URL nor an asset ID/],
		['empty string', '  ', /empty/],
		['bad json', '{url:', /not valid JSON/],
		['avatar without id', 'avatar:', /no valid ID/],
		['number', 42, /string or an object/],
		['url not a string', { url: 5 }, /url must be a string/],
		['json array', '{"url":"https://e.org/a", "asset_id":"b"}', /url and asset_id are all set/],
		['id with spaces', 'my asset', /neither a URL nor an asset ID/],
	])('rejects %s', (_label, value, message) => {
		const error = caught(() => parseReference(value as string, 'References → item 2'));
		expect(error.parameter).toBe('References → item 2');
		expect(error.message).toMatch(message);
	});
});

describe('buildStartBody', () => {
	it('kling-standard: one reference, defaults omitted', () => {
		expect(
			buildStartBody(
				spec('kling-standard'),
				input('kling-standard', { references: ['https://example.org/cat.png'] }),
			),
		).toEqual({
			type: 'video',
			model: 'kling-standard',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ url: 'https://example.org/cat.png' }],
			generation_count: 1,
		});
	});

	it('kling-standard: every option set, strings coerced', () => {
		const body = buildStartBody(
			spec('kling-standard'),
			input('kling-standard', {
				type: 'video',
				references: [{ asset_id: '65a0c0ffee00000000000010' }],
				aspectRatio: '1:1',
				duration: '10s',
				generationCount: '3',
				modelSettings: { generateAudio: 'TRUE' },
				parentMediaId: '65a0c0ffee00000000000010',
				folderId: ' 65a0c0ffee00000000000099 ',
				webhookUrl: 'https://example.org/hooks/hoox?secret=1',
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-standard',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ asset_id: '65a0c0ffee00000000000010' }],
			aspect_ratio: '1:1',
			duration: 10,
			generation_count: 3,
			model_settings: { generateAudio: true },
			parent_media_id: '65a0c0ffee00000000000010',
			folder_id: '65a0c0ffee00000000000099',
			webhook_url: 'https://example.org/hooks/hoox?secret=1',
		});
	});

	it('empty values are dropped so the model defaults apply', () => {
		const body = buildStartBody(
			spec('kling-v3-pro'),
			input('kling-v3-pro', {
				type: '',
				references: ['', 'avatar:avtr_1'],
				aspectRatio: '',
				duration: '',
				generationCount: '',
				modelSettings: { generateAudio: '' },
				parentMediaId: '',
				webhookUrl: '  ',
				additionalFields: { resolution: '' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-v3-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ avatar_id: 'avtr_1' }],
			generation_count: 1,
		});
	});

	it('kling-pro: text-to-video without any slot', () => {
		expect(buildStartBody(spec('kling-pro'), input('kling-pro'))).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			generation_count: 1,
		});
	});

	it('kling-pro: start image only', () => {
		const body = buildStartBody(
			spec('kling-pro'),
			input('kling-pro', {
				slots: { start_image: 'https://example.org/start.png', end_image: '' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { url: 'https://example.org/start.png' },
			generation_count: 1,
		});
	});

	it('kling-pro: start and end image as top-level objects', () => {
		const body = buildStartBody(
			spec('kling-pro'),
			input('kling-pro', {
				slots: {
					end_image: 'avatar:avtr_2',
					start_image: { asset_id: '65a0c0ffee00000000000010' },
				},
				aspectRatio: '16:9',
				duration: 5,
				modelSettings: { generateAudio: false },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { asset_id: '65a0c0ffee00000000000010' },
			end_image: { avatar_id: 'avtr_2' },
			aspect_ratio: '16:9',
			duration: 5,
			generation_count: 1,
			model_settings: { generateAudio: false },
		});
		expect(Object.keys(body).indexOf('start_image')).toBeLessThan(
			Object.keys(body).indexOf('end_image'),
		);
	});

	it('kling-pro: end image without start image is rejected', () => {
		const error = caught(() =>
			buildStartBody(
				spec('kling-pro'),
				input('kling-pro', { slots: { end_image: 'https://example.org/end.png' } }),
			),
		);
		expect(error.parameter).toBe('Model Parameters → End Image');
		expect(error.message).toBe(
			'End Image also needs Start Image; kling-pro takes its inputs in order (Start Image and End Image)',
		);
	});

	it('kling-motion-control: both required slots', () => {
		const s = spec('kling-motion-control');
		expect(
			buildStartBody(
				s,
				input('kling-motion-control', {
					slots: { start_image: 'asset:img1', motion_video: 'https://example.org/dance.mp4' },
					modelSettings: { keepOriginalSound: 'false' },
				}),
			),
		).toEqual({
			type: 'video',
			model: 'kling-motion-control',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { asset_id: 'img1' },
			motion_video: { url: 'https://example.org/dance.mp4' },
			generation_count: 1,
			model_settings: { keepOriginalSound: false },
		});
		const missing = caught(() =>
			buildStartBody(s, input('kling-motion-control', { slots: { start_image: 'asset:img1' } })),
		);
		expect(missing.parameter).toBe('Model Parameters → Motion Video');
		expect(missing.message).toBe('Motion Video is required by kling-motion-control');
		const first = caught(() => buildStartBody(s, input('kling-motion-control')));
		expect(first.parameter).toBe('Model Parameters → Start Image');
	});

	it('veo-3.1-flf: the SPEC example body, with duration "6s" and resolution case-folded', () => {
		const body = buildStartBody(
			spec('veo-3.1-flf'),
			input('veo-3.1-flf', {
				type: 'video',
				prompt: 'Smooth dolly from the first composition to the second',
				slots: {
					first_frame: '65a0c0ffee00000000000010',
					last_frame: 'https://example.org/end.png',
				},
				resolution: '1080P',
				duration: '6s',
				parentMediaId: '65a0c0ffee00000000000010',
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'veo-3.1-flf',
			prompt: 'Smooth dolly from the first composition to the second',
			first_frame: { asset_id: '65a0c0ffee00000000000010' },
			last_frame: { url: 'https://example.org/end.png' },
			resolution: '1080p',
			duration: 6,
			generation_count: 1,
			parent_media_id: '65a0c0ffee00000000000010',
		});
	});

	it('gpt-image-2: the SPEC example body, select setting coerced case-insensitively', () => {
		const body = buildStartBody(
			spec('gpt-image-2'),
			input('gpt-image-2', {
				type: 'image',
				prompt: 'Studio product shot of the bottle on wet slate',
				references: [{ url: 'https://example.org/bottle.png' }, 'avatar:avtr_123'],
				aspectRatio: '1:1',
				resolution: '2k',
				modelSettings: { quality: 'HIGH' },
				folderId: '65a0c0ffee00000000000099',
			}),
		);
		expect(body).toEqual({
			type: 'image',
			model: 'gpt-image-2',
			prompt: 'Studio product shot of the bottle on wet slate',
			references: [{ url: 'https://example.org/bottle.png' }, { avatar_id: 'avtr_123' }],
			aspect_ratio: '1:1',
			resolution: '2K',
			generation_count: 1,
			model_settings: { quality: 'high' },
			folder_id: '65a0c0ffee00000000000099',
		});
	});

	it('gpt-image-2: a quality that is not an option is rejected', () => {
		const error = caught(() =>
			buildStartBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { modelSettings: { quality: 'ultra' } }),
			),
		);
		expect(error.parameter).toBe('Model Parameters → Quality');
		expect(error.message).toBe('"ultra" is not an option; choose "low", "medium" or "high"');
	});

	it('seedance-2.0-ugc: avatar_description is sent at the top level', () => {
		const body = buildStartBody(
			spec('seedance-2.0-ugc'),
			input('seedance-2.0-ugc', {
				prompt: 'Honestly, this serum changed my mornings…',
				extraFields: { avatar_description: 'Woman in her 30s, bathroom mirror selfie' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'seedance-2.0-ugc',
			prompt: 'Honestly, this serum changed my mornings…',
			generation_count: 1,
			avatar_description: 'Woman in her 30s, bathroom mirror selfie',
		});
	});

	it('a skill-only model without schema: checks what is knowable and passes the rest', () => {
		const body = buildStartBody(
			spec('sora-2'),
			input('sora-2', {
				references: ['https://example.org/a.png'],
				slots: { source_video: 'asset:v1' },
				aspectRatio: '16:9',
				resolution: '1080p',
				duration: '10s',
				generationCount: 2,
				modelSettings: { generateAudio: true },
				extraFields: { style: 'noir' },
				webhookUrl: 'https://example.org/hook',
				additionalFields: { seed: 7, end_frame: { url: 'https://example.org/z.png' } },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'sora-2',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ url: 'https://example.org/a.png' }],
			source_video: { asset_id: 'v1' },
			end_frame: { url: 'https://example.org/z.png' },
			aspect_ratio: '16:9',
			resolution: '1080p',
			duration: 10,
			generation_count: 2,
			model_settings: { generateAudio: true },
			style: 'noir',
			webhook_url: 'https://example.org/hook',
			seed: 7,
		});
		const badShape = caught(() =>
			buildStartBody(
				spec('sora-2'),
				input('sora-2', { references: [{ url: 'https://e.org/a', asset_id: 'a' }] }),
			),
		);
		expect(badShape.parameter).toBe('References');
		expect(badShape.message).toMatch(/^Item 1: Set exactly one of url, asset_id or avatar_id/);
		const badCount = caught(() =>
			buildStartBody(spec('sora-2'), input('sora-2', { generationCount: 9 })),
		);
		expect(badCount.parameter).toBe('Generation Count');
		expect(
			caught(() => buildStartBody(spec('sora-2'), input('sora-2', { prompt: '' }))).parameter,
		).toBe('Prompt');
	});

	it('a new model: its slot, setting and extra fields flow from the resource mapper to the exact body', () => {
		const s = describeModel(NEW_MODEL);
		const fields = modelParameterFields(s);
		expect(fields.map((f) => [f.id, f.displayName, f.type, f.required])).toEqual([
			['style_image', 'Style Image (URL or Asset ID)', 'string', true],
			['mask_video', 'Mask Video (URL or Asset ID)', 'string', false],
			['seed', 'Seed', 'number', false],
			['camera_move', 'Camera Move', 'options', false],
			['model_settings.motionStrength', 'Motion Strength (Default: 0.5)', 'number', false],
			['model_settings.loop', 'Loop (Default: Off)', 'boolean', false],
			['model_settings.style_preset', 'Style Preset (Default: Cinematic)', 'options', false],
		]);
		const mapped = splitModelParameters(s, {
			style_image: 'https://example.org/style.png',
			mask_video: '',
			seed: '42',
			camera_move: 'PAN',
			'model_settings.motionStrength': '0.8',
			'model_settings.loop': 'true',
			'model_settings.style_preset': '',
		});
		const body = buildStartBody(s, {
			model: 'hoox-future-1',
			prompt: 'neon city',
			aspectRatio: '9:21',
			duration: '9',
			...mapped,
		});
		expect(body).toEqual({
			type: 'video',
			model: 'hoox-future-1',
			prompt: 'neon city',
			style_image: { url: 'https://example.org/style.png' },
			aspect_ratio: '9:21',
			duration: 9,
			generation_count: 1,
			model_settings: { motionStrength: 0.8, loop: true },
			seed: 42,
			camera_move: 'pan',
		});
		// and its rules are enforced generically
		expect(caught(() => buildStartBody(s, { model: 'hoox-future-1', prompt: 'x' })).parameter).toBe(
			'Model Parameters → Style Image',
		);
		const tooStrong = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				modelSettings: { motionStrength: 2 },
			}),
		);
		expect(tooStrong.parameter).toBe('Model Parameters → Motion Strength');
		expect(tooStrong.message).toBe('Must be at most 1, not 2');
		const badSeed = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				extraFields: { seed: 1.5 },
			}),
		);
		expect(badSeed.parameter).toBe('Model Parameters → Seed');
		expect(badSeed.message).toBe('Must be a whole number, not 1.5');
		const third = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				generationCount: 3,
			}),
		);
		expect(third.message).toBe('Must be a whole number from 1 to 2, not 3');
	});

	it('a required extra field must be given', () => {
		const detail: ModelDetail = {
			name: 'needs-voice',
			type: 'video',
			input_schema: {
				type: 'object',
				required: ['prompt', 'voice_id'],
				properties: {
					prompt: { type: 'string' },
					voice_id: { type: 'string', description: 'Voice to use.' },
				},
			},
		};
		const s = describeModel(detail);
		const error = caught(() => buildStartBody(s, { model: 'needs-voice', prompt: 'hi' }));
		expect(error.parameter).toBe('Model Parameters → Voice ID');
		expect(error.message).toBe('Voice ID is required by needs-voice');
		expect(error.description).toBe('Voice to use.');
		expect(
			buildStartBody(s, { model: 'needs-voice', prompt: 'hi', extraFields: { voice_id: 'v1' } }),
		).toMatchObject({ voice_id: 'v1' });
	});

	describe('Additional Body Fields', () => {
		it('are merged last: known keys validated, model_settings merged, unknown keys passed on', () => {
			const body = buildStartBody(
				spec('seedance-1.5'),
				input('seedance-1.5', {
					aspectRatio: '16:9',
					modelSettings: { generateAudio: true },
					additionalFields: {
						aspect_ratio: '21:9',
						duration: '12',
						model_settings: { camera_fixed: 'true' },
						references: [{ asset_id: 'a1' }],
						experimental_flag: true,
					},
				}),
			);
			expect(body).toEqual({
				type: 'video',
				model: 'seedance-1.5',
				prompt: 'A paper boat drifting down a rain-soaked street',
				references: [{ asset_id: 'a1' }],
				aspect_ratio: '21:9',
				duration: 12,
				generation_count: 1,
				model_settings: { generateAudio: true, camera_fixed: true },
				experimental_flag: true,
			});
		});

		it('accepts a JSON string for model_settings and references, and slot names for slot models', () => {
			const body = buildStartBody(
				spec('kling-pro'),
				input('kling-pro', {
					additionalFields: {
						start_image: { url: 'https://example.org/s.png' },
						model_settings: '{"generateAudio":"false"}',
					},
				}),
			);
			expect(body).toMatchObject({
				start_image: { url: 'https://example.org/s.png' },
				model_settings: { generateAudio: false },
			});
			const refs = buildStartBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { additionalFields: { references: '[{"avatar_id":"v"}]' } }),
			);
			expect(refs.references).toEqual([{ avatar_id: 'v' }]);
		});

		it.each<[string, string, GenerateInput['additionalFields'], RegExp]>([
			[
				'two keys in one reference',
				'gpt-image-2',
				{
					references: [
						{ url: 'https://example.org/a.png' },
						{ url: 'https://example.org/b.png', asset_id: 'x' },
					],
				},
				/^references → item 2: Set exactly one of url, asset_id or avatar_id \(url and asset_id are all set\)$/,
			],
			[
				'a bad enum',
				'kling-pro',
				{ aspect_ratio: '4:5' },
				/^aspect_ratio: "4:5" is not supported by kling-pro; choose 16:9, 9:16 or 1:1$/,
			],
			[
				'an unknown setting',
				'kling-pro',
				{ model_settings: { turbo: true } },
				/^model_settings → turbo: kling-pro has no setting "turbo"; its settings are generateAudio$/,
			],
			[
				'a bad setting value',
				'kling-pro',
				{ model_settings: { generateAudio: 'maybe' } },
				/^model_settings → generateAudio: Must be true or false, not "maybe"$/,
			],
			[
				'a slot the model lacks',
				'kling-pro',
				{ first_frame: { url: 'https://example.org/a.png' } },
				/^first_frame: kling-pro has no input named "first_frame"; its inputs are Start Image and End Image$/,
			],
			[
				'a bad webhook',
				'kling-pro',
				{ webhook_url: 'hooks.example.org' },
				/^webhook_url: "hooks.example.org" is not an absolute http\(s\) URL$/,
			],
			[
				'another model',
				'kling-pro',
				{ model: 'veo-3.1' },
				/^model: "veo-3.1" does not match the selected model kling-pro$/,
			],
			[
				'a type mismatch',
				'gpt-image-2',
				{ type: 'video' },
				/^type: gpt-image-2 makes images, but Type is "video"$/,
			],
			[
				'a count of 0',
				'kling-pro',
				{ generation_count: 0 },
				/^generation_count: Must be a whole number from 1 to 4, not 0$/,
			],
			[
				'references to a slot model',
				'veo-3.1-flf',
				{ references: ['asset:a', 'asset:b'] },
				/^references: veo-3.1-flf takes no References list/,
			],
			[
				'too many references',
				'kling-standard',
				{ references: ['asset:a', 'asset:b'] },
				/^references: kling-standard needs exactly 1 reference; 2 were given$/,
			],
			[
				'a setting at the top level',
				'kling-pro',
				{ generateAudio: false },
				/^generateAudio: generateAudio is a setting of kling-pro; put it inside model_settings$/,
			],
			[
				'a bad duration',
				'veo-3.1-flf',
				{ duration: '7s' },
				/^duration: 7 seconds is not available for veo-3.1-flf; choose 4, 6 or 8 seconds$/,
			],
			[
				'a prompt too long',
				'kling-pro',
				{ prompt: 'y'.repeat(2600) },
				/^prompt: The prompt is 2600 characters long; kling-pro accepts at most 2500$/,
			],
			[
				'not an object',
				'kling-pro',
				'nope' as unknown as GenerateInput['additionalFields'],
				/^Must be an object, not "nope"$/,
			],
		])('reject %s', (_label, model, additionalFields, message) => {
			const s = spec(model);
			const slots = Object.fromEntries(
				s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']),
			);
			const error = caught(() => buildStartBody(s, input(model, { slots, additionalFields })));
			expect(error.parameter).toBe('Additional Body Fields');
			expect(error.message).toMatch(message);
		});
	});
});

describe('invalid inputs are refused before any credit is spent', () => {
	const long = 'x'.repeat(2501);
	const cases: Array<[string, string, Partial<GenerateInput>, string, string | RegExp]> = [
		[
			'empty prompt',
			'kling-pro',
			{ prompt: '   ' },
			'Prompt',
			'The prompt is empty; describe what to generate',
		],
		[
			'prompt too long',
			'kling-pro',
			{ prompt: long },
			'Prompt',
			'The prompt is 2501 characters long; kling-pro accepts at most 2500',
		],
		[
			'prompt not text',
			'kling-pro',
			{ prompt: { a: 1 } as unknown as string },
			'Prompt',
			'Must be text, not {"a":1}',
		],
		['no model', 'kling-pro', { model: '' }, 'Model', 'Choose a model'],
		[
			'other model',
			'kling-pro',
			{ model: 'kling-standard' },
			'Model',
			'"kling-standard" does not match the selected model kling-pro',
		],
		[
			'type mismatch',
			'kling-pro',
			{ type: 'image' },
			'Type',
			'Kling 2.6 Pro makes videos, but Type is "image"',
		],
		[
			'type mismatch (image model)',
			'gpt-image-2',
			{ type: 'video' },
			'Type',
			'gpt-image-2 makes images, but Type is "video"',
		],
		['no type anywhere', 'no-type', {}, 'Type', 'Choose the type of asset (image or video)'],
		[
			'too few references',
			'kling-standard',
			{ references: [] },
			'References',
			'kling-standard needs exactly 1 reference; none was given',
		],
		[
			'too many references',
			'kling-standard',
			{ references: ['asset:a', 'asset:b'] },
			'References',
			'kling-standard needs exactly 1 reference; 2 were given',
		],
		[
			'11 references',
			'gpt-image-2',
			{ references: Array.from({ length: 11 }, (_, i) => `asset:a${i}`) },
			'References',
			'gpt-image-2 needs at most 10 references; 11 were given',
		],
		[
			'two keys in one reference',
			'gpt-image-2',
			{ references: ['asset:a', { url: 'https://example.org/a.png', avatar_id: 'v' }] },
			'References',
			'Item 2: Set exactly one of url, asset_id or avatar_id (url and avatar_id are all set)',
		],
		[
			'bad reference URL',
			'gpt-image-2',
			{ references: [{ url: 'www.example.org/a.png' }] },
			'References',
			'Item 1: url "www.example.org/a.png" is not an absolute http(s) URL',
		],
		[
			'references to a slot model',
			'kling-pro',
			{ references: ['https://example.org/a.png'] },
			'References',
			'kling-pro takes no References list; set its inputs (Start Image and End Image) under Model Parameters',
		],
		[
			'references to a model without inputs',
			'seedance-2.0-ugc',
			{ references: ['asset:a'] },
			'References',
			'seedance-2.0-ugc does not take reference media',
		],
		[
			'a slot given to a references model',
			'kling-standard',
			{ references: ['asset:a'], slots: { start_image: 'asset:b' } },
			'Model Parameters → Start Image',
			'kling-standard has no input named "start_image"; give reference media under References',
		],
		[
			'an unknown slot',
			'kling-pro',
			{ slots: { first_frame: 'asset:b' } },
			'Model Parameters → First Frame',
			'kling-pro has no input named "first_frame"; its inputs are Start Image and End Image',
		],
		[
			'slot order',
			'kling-pro',
			{ slots: { end_image: 'asset:b' } },
			'Model Parameters → End Image',
			/^End Image also needs Start Image/,
		],
		[
			'missing required slot',
			'veo-3.1-flf',
			{ slots: { first_frame: 'asset:a' } },
			'Model Parameters → Last Frame',
			'Last Frame is required by veo-3.1-flf',
		],
		[
			'two keys in a slot',
			'veo-3.1-flf',
			{ slots: { first_frame: { asset_id: 'a', avatar_id: 'b' }, last_frame: 'asset:c' } },
			'Model Parameters → First Frame',
			'Set exactly one of url, asset_id or avatar_id (asset_id and avatar_id are all set)',
		],
		[
			'wrong aspect ratio',
			'kling-pro',
			{ aspectRatio: '4:3' },
			'Aspect Ratio',
			'"4:3" is not supported by kling-pro; choose 16:9, 9:16 or 1:1',
		],
		[
			'aspect ratio on a model without one',
			'kling-motion-control',
			{ aspectRatio: '16:9' },
			'Aspect Ratio',
			'kling-motion-control has no aspect ratio option; leave it at "Model Default"',
		],
		[
			'wrong resolution',
			'veo-3.1-flf',
			{ resolution: '4K' },
			'Resolution',
			'"4K" is not supported by veo-3.1-flf; choose 720p or 1080p',
		],
		[
			'resolution on a model without one',
			'kling-pro',
			{ resolution: '1080p' },
			'Resolution',
			'kling-pro has no resolution option; leave it at "Model Default"',
		],
		[
			'duration "7" not allowed',
			'kling-pro',
			{ duration: '7' },
			'Duration',
			'7 seconds is not available for kling-pro; choose 5 or 10 seconds',
		],
		[
			'duration 6.5',
			'veo-3.1-flf',
			{ duration: 6.5 },
			'Duration',
			'6.5 is not a whole number of seconds (e.g. 5)',
		],
		[
			'duration text',
			'veo-3.1-flf',
			{ duration: 'long' },
			'Duration',
			'"long" is not a whole number of seconds (e.g. 5)',
		],
		[
			'duration on an image model',
			'gpt-image-2',
			{ duration: 5 },
			'Duration',
			'gpt-image-2 has no duration option; leave it at "Model Default"',
		],
		[
			'generation count 0',
			'kling-pro',
			{ generationCount: 0 },
			'Generation Count',
			'Must be a whole number from 1 to 4, not 0',
		],
		[
			'generation count 5',
			'kling-pro',
			{ generationCount: 5 },
			'Generation Count',
			'Must be a whole number from 1 to 4, not 5',
		],
		[
			'generation count "x"',
			'kling-pro',
			{ generationCount: 'x' },
			'Generation Count',
			'Must be a whole number from 1 to 4, not "x"',
		],
		[
			'generation count 1.5',
			'kling-pro',
			{ generationCount: '1.5' },
			'Generation Count',
			'Must be a whole number from 1 to 4, not "1.5"',
		],
		[
			'unknown setting',
			'kling-pro',
			{ modelSettings: { turbo: true } },
			'Model Parameters → Turbo',
			'kling-pro has no setting "turbo"; its settings are generateAudio',
		],
		[
			'setting on a model without settings',
			'z-image-turbo',
			{ modelSettings: { quality: 'high' } },
			'Model Parameters → Quality',
			'z-image-turbo has no setting "quality"',
		],
		[
			'boolean setting "yes"',
			'kling-pro',
			{ modelSettings: { generateAudio: 'yes' } },
			'Model Parameters → Audio',
			'Must be true or false, not "yes"',
		],
		[
			'select setting wrong',
			'gpt-image-2',
			{ modelSettings: { quality: 'ultra' } },
			'Model Parameters → Quality',
			'"ultra" is not an option; choose "low", "medium" or "high"',
		],
		[
			'unknown extra field',
			'seedance-2.0-ugc',
			{ extraFields: { mood: 'happy' } },
			'Model Parameters → Mood',
			'seedance-2.0-ugc does not accept "mood"',
		],
		[
			'extra field not text',
			'seedance-2.0-ugc',
			{ extraFields: { avatar_description: ['a'] } },
			'Model Parameters → Avatar Description',
			'Must be text, not ["a"]',
		],
		[
			'extra field on another model',
			'kling-pro',
			{ extraFields: { avatar_description: 'x' } },
			'Model Parameters → Avatar Description',
			'kling-pro does not accept "avatar_description"',
		],
		[
			'bad webhook URL',
			'kling-pro',
			{ webhookUrl: 'ftp://example.org/hook' },
			'Webhook URL',
			'"ftp://example.org/hook" is not an absolute http(s) URL',
		],
		[
			'relative webhook URL',
			'kling-pro',
			{ webhookUrl: '/hook' },
			'Webhook URL',
			'"/hook" is not an absolute http(s) URL',
		],
		[
			'parent media id with spaces',
			'kling-pro',
			{ parentMediaId: 'a b' },
			'Parent Media ID',
			'"a b" is not a valid ID',
		],
	];

	it('has 20+ cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

	it.each(cases)('%s (%s)', (_label, model, overrides, parameter, message) => {
		const s = model === 'no-type' ? describeModel({ name: 'no-type' }) : spec(model);
		// required slots are filled unless the case is about slots
		const slots =
			overrides.slots ??
			Object.fromEntries(s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']));
		const error = caught(() => buildStartBody(s, input(s.name, { ...overrides, slots })));
		expect(error.parameter).toBe(parameter);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
	});

	it('the prompt error says the length and the cap', () => {
		const error = caught(() =>
			buildStartBody(spec('seedance-2.0'), input('seedance-2.0', { prompt: 'é'.repeat(3001) })),
		);
		expect(error.message).toContain('3001');
		expect(error.message).toContain('3000');
		expect(error.description).toBe('Shorten it by 1 characters.');
	});
});

describe('buildPricingBody', () => {
	it('veo-3.1: the SPEC example', () => {
		expect(
			buildPricingBody(
				spec('veo-3.1'),
				input('veo-3.1', {
					duration: 8,
					resolution: '1080p',
					generationCount: 2,
					aspectRatio: '16:9',
				}),
			),
		).toEqual({
			model: 'veo-3.1',
			duration: 8,
			resolution: '1080p',
			generation_count: 2,
		});
	});

	it('counts references and slots as image_count, sends settings', () => {
		expect(
			buildPricingBody(
				spec('reve-fast'),
				input('reve-fast', { references: ['asset:a', 'asset:b', 'https://example.org/c.png'] }),
			),
		).toEqual({
			model: 'reve-fast',
			image_count: 3,
			generation_count: 1,
		});
		expect(
			buildPricingBody(
				spec('kling-pro'),
				input('kling-pro', {
					slots: { start_image: 'asset:a', end_image: 'asset:b' },
					modelSettings: { generateAudio: 'false' },
				}),
			),
		).toEqual({
			model: 'kling-pro',
			model_settings: { generateAudio: false },
			image_count: 2,
			generation_count: 1,
		});
	});

	it('needs no prompt nor required inputs, but validates what is given', () => {
		expect(
			buildPricingBody(spec('kling-motion-control'), { model: 'kling-motion-control', prompt: '' }),
		).toEqual({
			model: 'kling-motion-control',
			generation_count: 1,
		});
		const bad = caught(() =>
			buildPricingBody(spec('veo-3.1'), input('veo-3.1', { resolution: '8K' })),
		);
		expect(bad.parameter).toBe('Resolution');
		const order = caught(() =>
			buildPricingBody(spec('kling-pro'), input('kling-pro', { slots: { end_image: 'asset:b' } })),
		);
		expect(order.parameter).toBe('Model Parameters → End Image');
		const setting = caught(() =>
			buildPricingBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { modelSettings: { quality: 'x' } }),
			),
		);
		expect(setting.parameter).toBe('Model Parameters → Quality');
		const count = caught(() =>
			buildPricingBody(spec('gpt-image-2'), input('gpt-image-2', { generationCount: '5' })),
		);
		expect(count.parameter).toBe('Generation Count');
		const long = caught(() =>
			buildPricingBody(spec('kling-pro'), input('kling-pro', { prompt: 'x'.repeat(3000) })),
		);
		expect(long.parameter).toBe('Prompt');
	});
});

describe('enumOptions', () => {
	it('leads with the model default', () => {
		expect(enumOptions(spec('kling-pro'), 'aspectRatios')).toEqual([
			{ name: 'Model Default (9:16)', value: '' },
			{ name: '16:9', value: '16:9' },
			{ name: '9:16', value: '9:16' },
			{ name: '1:1', value: '1:1' },
		]);
		expect(enumOptions(spec('veo-3.1'), 'resolutions')).toEqual([
			{ name: 'Model Default (720p)', value: '' },
			{ name: '720p', value: '720p' },
			{ name: '1080p', value: '1080p' },
			{ name: '4K', value: '4K' },
		]);
	});

	it('labels durations in seconds, with number values', () => {
		expect(enumOptions(spec('veo-3.1-flf'), 'durations')).toEqual([
			{ name: 'Model Default (8 Seconds)', value: '' },
			{ name: '4 Seconds', value: 4 },
			{ name: '6 Seconds', value: 6 },
			{ name: '8 Seconds', value: 8 },
		]);
		const oneSecond = enumOptions(spec('grok-imagine-video'), 'durations');
		expect(oneSecond[1]).toEqual({ name: '1 Second', value: 1 });
	});

	it('says when a model has no such field', () => {
		expect(enumOptions(spec('kling-pro'), 'resolutions')).toEqual([
			{ name: 'Not Available for This Model', value: '' },
		]);
		expect(enumOptions(spec('kling-motion-control'), 'durations')).toEqual([
			{ name: 'Not Available for This Model', value: '' },
		]);
		// without a schema nothing is known: the field stays open
		expect(enumOptions(spec('sora-2'), 'aspectRatios')).toEqual([
			{ name: 'Model Default', value: '' },
		]);
	});

	it('every option value is accepted by buildStartBody', () => {
		let checked = 0;
		for (const model of loadModels()) {
			const s = describeModel(model);
			const slots = Object.fromEntries(
				s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']),
			);
			const references = s.references
				? Array.from({ length: s.references.min }, () => 'asset:a')
				: undefined;
			const base = input(s.name, { slots, references });
			for (const option of enumOptions(s, 'durations')) {
				const body = buildStartBody(s, { ...base, duration: option.value as number });
				expect(body.duration).toBe(option.value === '' ? undefined : option.value);
				checked++;
			}
			for (const option of enumOptions(s, 'aspectRatios'))
				buildStartBody(s, { ...base, aspectRatio: String(option.value) });
			for (const option of enumOptions(s, 'resolutions'))
				buildStartBody(s, { ...base, resolution: String(option.value) });
		}
		expect(checked).toBeGreaterThan(80);
	});
});

describe('modelParameterFields / splitModelParameters', () => {
	const base = { display: true, defaultMatch: false, canBeUsedToMatch: false };

	it('gpt-image-2: a select setting with its default', () => {
		expect(modelParameterFields(spec('gpt-image-2'))).toEqual([
			{
				...base,
				id: 'model_settings.quality',
				displayName: 'Quality (Default: Medium)',
				type: 'options',
				required: false,
				options: [
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
					{ name: 'High', value: 'high' },
				],
				defaultValue: 'medium',
			},
		]);
	});

	it('kling-pro: slots first, then the setting', () => {
		expect(modelParameterFields(spec('kling-pro'))).toEqual([
			{
				...base,
				id: 'start_image',
				displayName: 'Start Image (URL or Asset ID)',
				type: 'string',
				required: false,
			},
			{
				...base,
				id: 'end_image',
				displayName: 'End Image (URL or Asset ID)',
				type: 'string',
				required: false,
			},
			{
				...base,
				id: 'model_settings.generateAudio',
				displayName: 'Audio (Default: On)',
				type: 'boolean',
				required: false,
				defaultValue: true,
			},
		]);
	});

	it('kling-motion-control and seedance-2.0-ugc', () => {
		expect(
			modelParameterFields(spec('kling-motion-control')).map((f) => [f.id, f.required]),
		).toEqual([
			['start_image', true],
			['motion_video', true],
			['model_settings.keepOriginalSound', false],
		]);
		expect(modelParameterFields(spec('seedance-2.0-ugc'))).toEqual([
			{
				...base,
				id: 'avatar_description',
				displayName: 'Avatar Description',
				type: 'string',
				required: false,
			},
		]);
		expect(modelParameterFields(spec('sora-2'))).toEqual([]);
	});

	it('splits ids back, keeping unknown ones so buildStartBody can name them', () => {
		const s = spec('kling-pro');
		const split = splitModelParameters(s, {
			start_image: 'asset:a',
			end_image: '',
			'model_settings.generateAudio': false,
			'model_settings.turbo': true,
			mystery: 1,
		});
		expect(split).toEqual({
			slots: { start_image: 'asset:a', end_image: '' },
			extraFields: { mystery: 1 },
			modelSettings: { generateAudio: false, turbo: true },
		});
		const error = caught(() => buildStartBody(s, input('kling-pro', split)));
		expect(error.parameter).toBe('Model Parameters → Turbo');
		expect(splitModelParameters(s, null)).toEqual({
			slots: {},
			extraFields: {},
			modelSettings: {},
		});
		expect(splitModelParameters(spec('gpt-image-2'), { quality: 'low' }).modelSettings).toEqual({
			quality: 'low',
		});
	});
});
