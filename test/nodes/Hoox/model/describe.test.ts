import {
	buildStartBody,
	describeModel,
	modelParameterFields,
	type ModelDetail,
} from '../../../../nodes/Hoox/model';
import { caught, input, loadModel, NEW_MODEL, REFERENCE_SCHEMA, spec } from './fixtures';

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
