/** The editor's dropdowns and per-model fields, read from the emulator over HTTP. */
import { startEmulator, type Emulator } from '../../../emulator';
import { loadContext, node, rl } from '../../support/hooxNode';
import { RUNTIME_MODEL } from './runtimeModel';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const { listSearch, loadOptions, resourceMapping } = node.methods;

async function fields(model: string) {
	return await resourceMapping.getModelParameters.call(loadContext(emu, { model: rl(model) }));
}

describe('listSearch.searchModels', () => {
	test('lists only models of the chosen type, with label, provider, cost and tags', async () => {
		const { results } = await listSearch.searchModels.call(loadContext(emu, { type: 'image' }));
		const values = results.map((r) => r.value);
		expect(values).toEqual(expect.arrayContaining(['gpt-image-2', 'seedream-4.5', 'flux-2-pro']));
		expect(values).not.toContain('veo-3.1');
		const gpt = results.find((r) => r.value === 'gpt-image-2');
		expect(gpt?.description).toBe('openai · 0.3 credits · new');
		// n8n's picker shows only the name: the provider and the cost hint are part of it
		expect(results.find((r) => r.value === 'flux-2-pro')?.name).toBe(
			'Flux 2 Pro · flux · 2 credits',
		);
		expect(gpt?.name).toBe('gpt-image-2 · openai · 0.3 credits');
		// type filter is sent to Hoox, hoisted fields are handled
		expect(emu.requests({ method: 'GET', path: '/asset/models' })[0].query).toEqual({
			type: 'image',
		});
	});

	test('video list, searchable by name, label, provider and tag', async () => {
		const ctx = loadContext(emu, { type: 'video' });
		const byLabel = await listSearch.searchModels.call(ctx, 'kling 2.6');
		expect(byLabel.results.map((r) => r.value)).toEqual(['kling-pro']);
		expect(byLabel.results[0]).toMatchObject({
			name: 'Kling 2.6 Pro · kling · 7.5 credits',
			description: 'kling · 7.5 credits',
		});
		const byTag = await listSearch.searchModels.call(ctx, 'first-last');
		expect(byTag.results.map((r) => r.value)).toEqual(['veo-3.1-flf']);
		const byProvider = await listSearch.searchModels.call(ctx, 'XAI');
		expect(byProvider.results.map((r) => r.value).sort()).toEqual([
			'grok-imagine-video',
			'grok-imagine-video-edit',
		]);
		const none = await listSearch.searchModels.call(ctx, 'no-such-model');
		expect(none.results).toEqual([]);
	});

	test('a model added at run time appears in the list', async () => {
		emu.addModel(RUNTIME_MODEL);
		const { results } = await listSearch.searchModels.call(
			loadContext(emu, { type: 'video' }),
			'morph',
		);
		expect(results).toEqual([
			{
				name: 'Acme Morph 1 · acme · 3 credits',
				value: 'acme-morph-1',
				description: 'acme · 3 credits · new, morph',
			},
		]);
	});
});

describe('loadOptions', () => {
	test('aspect ratios, resolutions and durations of the chosen model, led by Model Default', async () => {
		const ctx = loadContext(emu, { model: rl('veo-3.1-flf', 'list') });
		expect(await loadOptions.getAspectRatios.call(ctx)).toEqual([
			{ name: 'Model Default (9:16)', value: '' },
			{ name: '16:9', value: '16:9' },
			{ name: '9:16', value: '9:16' },
		]);
		expect((await loadOptions.getResolutions.call(ctx)).map((o) => o.value)).toEqual([
			'',
			'720p',
			'1080p',
		]);
		expect(await loadOptions.getDurations.call(ctx)).toEqual([
			{ name: 'Model Default (8 Seconds)', value: '' },
			{ name: '4 Seconds', value: 4 },
			{ name: '6 Seconds', value: 6 },
			{ name: '8 Seconds', value: 8 },
		]);
	});

	test('a field the model does not have, no model yet, and an unknown model explain themselves', async () => {
		expect(
			await loadOptions.getDurations.call(loadContext(emu, { model: rl('gpt-image-2') })),
		).toEqual([{ name: 'Not Available for This Model', value: '' }]);
		const noModel = await loadOptions.getAspectRatios.call(
			loadContext(emu, { model: rl('', 'list') }),
		);
		expect(noModel).toEqual([
			{ name: 'Model Default', value: '', description: 'Choose a model first to see its options' },
		]);
		const unknown = await loadOptions.getAspectRatios.call(
			loadContext(emu, { model: rl('nope-1') }),
		);
		expect(unknown).toHaveLength(1);
		expect(unknown[0].value).toBe('');
		expect(unknown[0].description).toMatch(
			/Could not load the options of "nope-1": Unknown Hoox model "nope-1"/,
		);
	});

	test('folders from /folder/list', async () => {
		const created = await emu_createFolder('Campaign B');
		await emu_createFolder('Archive');
		const options = await loadOptions.getFolders.call(loadContext(emu, {}));
		expect(options.map((o) => o.name)).toEqual(['None', 'Archive', 'Campaign B']);
		expect(options.find((o) => o.name === 'Campaign B')?.value).toBe(created);
	});
});

async function emu_createFolder(name: string): Promise<string> {
	const { run } = await import('../../support/hooxNode');
	const { items } = await run(emu, {
		parameters: { resource: 'folder', operation: 'create', name, additionalFields: {} },
	});
	return items[0].json.id as string;
}

describe('resourceMapping.getModelParameters', () => {
	test('image model with a references list: no slot fields (references go in References)', async () => {
		const result = await fields('seedream-4.5');
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/no extra parameters/);
	});

	test('kling-pro: optional slots in order, then the audio setting', async () => {
		const { fields: f } = await fields('kling-pro');
		expect(f.map((x) => [x.id, x.required, x.type])).toEqual([
			['start_image', false, 'string'],
			['end_image', false, 'string'],
			['model_settings.generateAudio', false, 'boolean'],
		]);
		expect(f[0].displayName).toBe('Start Image (URL or Asset ID)');
		expect(f[2]).toMatchObject({ displayName: 'Audio (Default: On)', defaultValue: true });
	});

	test('kling-motion-control: two required slots', async () => {
		const { fields: f } = await fields('kling-motion-control');
		expect(f.filter((x) => x.required).map((x) => x.id)).toEqual(['start_image', 'motion_video']);
		expect(f.map((x) => x.id)).toContain('model_settings.keepOriginalSound');
	});

	test('veo-3.1-flf: first and last frame, both required', async () => {
		const { fields: f } = await fields('veo-3.1-flf');
		expect(f.slice(0, 2).map((x) => [x.id, x.required])).toEqual([
			['first_frame', true],
			['last_frame', true],
		]);
	});

	test('gpt-image-2: quality as a select with its options and default', async () => {
		const { fields: f } = await fields('gpt-image-2');
		expect(f).toHaveLength(1);
		expect(f[0]).toMatchObject({
			id: 'model_settings.quality',
			type: 'options',
			defaultValue: 'medium',
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'High', value: 'high' },
			],
		});
	});

	test('seedance-2.0-ugc: avatar description', async () => {
		const { fields: f } = await fields('seedance-2.0-ugc');
		expect(f.map((x) => [x.id, x.displayName, x.type])).toEqual([
			['avatar_description', 'Avatar Description', 'string'],
		]);
	});

	test('a model added at run time: its new slot and setting become fields', async () => {
		emu.addModel(RUNTIME_MODEL);
		const { fields: f } = await fields('acme-morph-1');
		expect(f.map((x) => [x.id, x.required, x.type])).toEqual([
			['style_image', true, 'string'],
			['depth_map', false, 'string'],
			['model_settings.morphStyle', false, 'options'],
		]);
		const ctx = loadContext(emu, { model: rl('acme-morph-1') });
		expect((await loadOptions.getDurations.call(ctx)).map((o) => o.value)).toEqual(['', 3, 7]);
	});

	test('no model yet, or Hoox fails: an empty-fields notice, no exception', async () => {
		const none = await resourceMapping.getModelParameters.call(
			loadContext(emu, { model: rl('', 'list') }),
		);
		expect(none).toEqual({
			fields: [],
			emptyFieldsNotice: expect.stringMatching(/Choose a model first/),
		});
		emu.injectFault({ route: 'GET /asset/models/veo-3.1', count: 10, status: 401 });
		const failed = await resourceMapping.getModelParameters.call(
			loadContext(emu, { model: rl('veo-3.1') }),
		);
		expect(failed.fields).toEqual([]);
		expect(failed.emptyFieldsNotice).toMatch(
			/Could not load the parameters of "veo-3.1": Hoox rejected the API key/,
		);
	});
});
