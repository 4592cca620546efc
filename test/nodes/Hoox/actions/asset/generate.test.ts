/** Asset → Generate: the body Hoox receives, for each kind of model, and validation before spending. */
import { startEmulator, type Emulator } from '../../../../../emulator';
import {
	generateParameters,
	items,
	mapper,
	refs,
	rl,
	run,
	runError,
	startRequests,
} from '../../../../support/hooxNode';
import { RUNTIME_MODEL } from '../../runtimeModel';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({
		port: 0,
		durations: { image: 10, video: 20 },
		rateLimitPerMinute: 0,
	});
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

/** Runs Generate (without waiting) and returns the one body POST /asset/start received. */
async function bodyFor(overrides: Record<string, unknown>) {
	const parameters = generateParameters({ ...overrides, options: { waitForCompletion: false } });
	await run(emu, { parameters });
	const starts = startRequests(emu);
	expect(starts).toHaveLength(1);
	return starts[0].body;
}

describe('request bodies', () => {
	test('image model with references: url, asset ID and avatar ID, with folder and parent', async () => {
		const body = await bodyFor({
			model: rl('seedream-4.5', 'list'),
			references: refs(
				['url', 'https://example.org/a.png'],
				['assetId', 'asset_1'],
				['avatarId', 'avtr_9'],
			),
			aspectRatio: '1:1',
			resolution: '4K',
			generationCount: 2,
			additionalFields: { folderId: 'fold_1', parentMediaId: 'asset_1' },
		});
		expect(body).toEqual({
			type: 'image',
			model: 'seedream-4.5',
			prompt: 'A red bicycle leaning on a blue wall',
			references: [
				{ url: 'https://example.org/a.png' },
				{ asset_id: 'asset_1' },
				{ avatar_id: 'avtr_9' },
			],
			aspect_ratio: '1:1',
			resolution: '4K',
			generation_count: 2,
			folder_id: 'fold_1',
			parent_media_id: 'asset_1',
		});
	});

	test('kling-pro, text to video: no slots, duration as an integer, audio off', async () => {
		const body = await bodyFor({
			type: 'video',
			model: rl('kling-pro'),
			duration: 10,
			modelParameters: mapper({
				start_image: '',
				end_image: '',
				'model_settings.generateAudio': false,
			}),
		});
		expect(body).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A red bicycle leaning on a blue wall',
			duration: 10,
			generation_count: 1,
			model_settings: { generateAudio: false },
		});
	});

	test('kling-pro with start and end image (URL, and asset ID)', async () => {
		const body = await bodyFor({
			type: 'video',
			model: rl('kling-pro'),
			modelParameters: mapper({
				start_image: 'https://example.org/start.png',
				end_image: 'asset_end',
			}),
		});
		expect(body).toMatchObject({
			start_image: { url: 'https://example.org/start.png' },
			end_image: { asset_id: 'asset_end' },
		});
		expect(body).not.toHaveProperty('references');
	});

	test('kling-motion-control: both required slots and its setting', async () => {
		const body = await bodyFor({
			type: 'video',
			model: rl('kling-motion-control'),
			modelParameters: mapper({
				start_image: 'avatar:avtr_1',
				motion_video: 'https://example.org/dance.mp4',
				'model_settings.keepOriginalSound': false,
			}),
		});
		expect(body).toEqual({
			type: 'video',
			model: 'kling-motion-control',
			prompt: 'A red bicycle leaning on a blue wall',
			start_image: { avatar_id: 'avtr_1' },
			motion_video: { url: 'https://example.org/dance.mp4' },
			generation_count: 1,
			model_settings: { keepOriginalSound: false },
		});
	});

	test('veo-3.1-flf: first and last frame, resolution, duration, parent media', async () => {
		const body = await bodyFor({
			type: 'video',
			model: rl('veo-3.1-flf'),
			prompt: 'Smooth dolly from the first composition to the second',
			modelParameters: mapper({
				first_frame: 'asset:65a0c0ffee00000000000010',
				last_frame: 'https://example.org/end.png',
			}),
			resolution: '1080p',
			duration: 6,
			additionalFields: { parentMediaId: '65a0c0ffee00000000000010' },
		});
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

	test('gpt-image-2: select setting, references, webhook', async () => {
		const body = await bodyFor({
			model: rl('gpt-image-2'),
			references: refs(['url', 'https://example.org/bottle.png'], ['avatarId', 'avtr_123']),
			aspectRatio: '1:1',
			resolution: '2K',
			modelParameters: mapper({ 'model_settings.quality': 'high' }),
			additionalFields: { webhookUrl: 'https://example.org/hooks/hoox' },
		});
		expect(body).toEqual({
			type: 'image',
			model: 'gpt-image-2',
			prompt: 'A red bicycle leaning on a blue wall',
			references: [{ url: 'https://example.org/bottle.png' }, { avatar_id: 'avtr_123' }],
			aspect_ratio: '1:1',
			resolution: '2K',
			generation_count: 1,
			model_settings: { quality: 'high' },
			webhook_url: 'https://example.org/hooks/hoox',
		});
	});

	test('seedance-2.0-ugc: avatar description', async () => {
		const body = await bodyFor({
			type: 'video',
			model: rl('seedance-2.0-ugc'),
			prompt: 'Honestly, this serum changed my mornings',
			modelParameters: mapper({ avatar_description: 'Woman in her 30s, bathroom mirror selfie' }),
		});
		expect(body).toEqual({
			type: 'video',
			model: 'seedance-2.0-ugc',
			prompt: 'Honestly, this serum changed my mornings',
			generation_count: 1,
			avatar_description: 'Woman in her 30s, bathroom mirror selfie',
		});
	});

	test('a model added at run time: exactly the body its schema implies', async () => {
		emu.addModel(RUNTIME_MODEL);
		const body = await bodyFor({
			type: 'video',
			model: rl('acme-morph-1', 'list'),
			prompt: 'Morph the city into a forest',
			modelParameters: mapper({
				style_image: 'https://example.org/style.png',
				depth_map: 'asset_depth',
				'model_settings.morphStyle': 'glitch',
			}),
			aspectRatio: '1:1',
			duration: 7,
		});
		expect(body).toEqual({
			type: 'video',
			model: 'acme-morph-1',
			prompt: 'Morph the city into a forest',
			style_image: { url: 'https://example.org/style.png' },
			depth_map: { asset_id: 'asset_depth' },
			aspect_ratio: '1:1',
			duration: 7,
			generation_count: 1,
			model_settings: { morphStyle: 'glitch' },
		});
		// and it runs to completion
		const { items: out } = await run(emu, {
			parameters: generateParameters({
				type: 'video',
				model: rl('acme-morph-1'),
				modelParameters: mapper({ style_image: 'https://example.org/style.png' }),
			}),
		});
		expect(out[0].json).toMatchObject({
			status: 'completed',
			model: 'acme-morph-1',
			source_item_index: 0,
		});
	});

	test('fields n8n marked as removed (left from another model) are not sent', async () => {
		const body = await bodyFor({
			modelParameters: {
				mappingMode: 'defineBelow',
				value: { start_image: 'https://example.org/old.png', 'model_settings.quality': 'low' },
				schema: [
					{ id: 'start_image', displayName: 'Start Image', removed: true },
					{ id: 'model_settings.quality', displayName: 'Quality' },
				],
			},
		});
		expect(body).toEqual(expect.objectContaining({ model_settings: { quality: 'low' } }));
		expect(body).not.toHaveProperty('start_image');
	});

	test('Additional Body Fields are merged (unknown keys passed on)', async () => {
		const body = await bodyFor({
			additionalFields: { additionalBodyFields: '{"aspect_ratio": "4:3", "future_flag": true}' },
		});
		expect(body).toMatchObject({ aspect_ratio: '4:3', future_flag: true });
	});

	test('Wait for Completion off: asset IDs come back at once, nothing is polled', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({ generationCount: 3, options: { waitForCompletion: false } }),
		});
		expect(out).toHaveLength(3);
		for (const item of out) {
			expect(item.json).toMatchObject({
				status: 'generating',
				model: 'gpt-image-2',
				source_item_index: 0,
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(emu.requests({ method: 'GET', path: '/asset/status' })).toHaveLength(0);
	});

	test('the model is read once per execution, not once per item', async () => {
		const { items: out } = await run(emu, { parameters: generateParameters(), items: items(5) });
		expect(out).toHaveLength(5);
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(emu.requests({ method: 'GET', path: '/asset/models/gpt-image-2' })).toHaveLength(1);
		expect(startRequests(emu)).toHaveLength(5);
	});

	test('per-item parameters (expressions) give per-item bodies', async () => {
		await run(emu, {
			parameters: generateParameters({ options: { waitForCompletion: false } }),
			items: items(2),
			itemParameters: [{ prompt: 'first' }, { prompt: 'second', aspectRatio: '16:9' }],
		});
		expect(startRequests(emu).map((r) => r.body)).toEqual([
			expect.objectContaining({ prompt: 'first' }),
			expect.objectContaining({ prompt: 'second', aspect_ratio: '16:9' }),
		]);
	});
});

describe('validation before spending', () => {
	const long = 'x'.repeat(2501);
	// [name, overrides for item 1 (item 0 stays valid), expected message]
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['wrong aspect ratio', { aspectRatio: '2:1' }, /^\[item 1\] Aspect Ratio: /],
		['wrong resolution', { resolution: '8K' }, /^\[item 1\] Resolution: /],
		[
			'duration not offered',
			{ type: 'video', model: rl('kling-pro'), duration: 7 },
			/^\[item 1\] Duration: /,
		],
		['duration on an image model', { duration: 5 }, /^\[item 1\] Duration: /],
		[
			'too many references',
			{
				model: rl('seedream-4.5'),
				references: refs(
					...Array.from(
						{ length: 5 },
						(_, i) => ['url', `https://e.org/${i}.png`] as [string, string],
					),
				),
			},
			/^\[item 1\] References: /,
		],
		[
			'too few references',
			{ type: 'video', model: rl('kling-standard') },
			/^\[item 1\] References: /,
		],
		[
			'references for a model with named inputs',
			{ type: 'video', model: rl('kling-pro'), references: refs(['url', 'https://e.org/a.png']) },
			/^\[item 1\] References: /,
		],
		[
			'slot order: end image without start image',
			{
				type: 'video',
				model: rl('kling-pro'),
				modelParameters: mapper({ end_image: 'https://e.org/end.png' }),
			},
			/^\[item 1\] Model Parameters → End Image: /,
		],
		[
			'missing required slot',
			{
				type: 'video',
				model: rl('kling-motion-control'),
				modelParameters: mapper({ start_image: 'asset_1' }),
			},
			/^\[item 1\] Model Parameters → Motion Video: /,
		],
		[
			'first/last frame: last frame missing',
			{
				type: 'video',
				model: rl('veo-3.1-flf'),
				modelParameters: mapper({ first_frame: 'asset_1' }),
			},
			/^\[item 1\] Model Parameters → Last Frame: /,
		],
		['generation count 0', { generationCount: 0 }, /^\[item 1\] Generation Count: /],
		['generation count 5', { generationCount: 5 }, /^\[item 1\] Generation Count: /],
		[
			'prompt too long',
			{ type: 'video', model: rl('kling-pro'), prompt: long },
			/^\[item 1\] Prompt: .*2501.*2500/,
		],
		['empty prompt', { prompt: '  ' }, /^\[item 1\] Prompt: /],
		['type does not match the model', { type: 'video' }, /^\[item 1\] Type: /],
		[
			'reference with both url and asset_id (Additional Body Fields)',
			{
				additionalFields: {
					additionalBodyFields:
						'{"references": [{"url": "https://e.org/a.png", "asset_id": "a1"}]}',
				},
			},
			/^\[item 1\] Additional Body Fields: /,
		],
		[
			'Additional Body Fields not JSON',
			{ additionalFields: { additionalBodyFields: '{nope' } },
			/^\[item 1\] Additional Fields → Additional Body Fields \(JSON\): /,
		],
		[
			'select setting outside its options',
			{ modelParameters: mapper({ 'model_settings.quality': 'ultra' }) },
			/^\[item 1\] Model Parameters → Quality: /,
		],
		[
			'boolean setting that is not a boolean',
			{
				type: 'video',
				model: rl('kling-pro'),
				modelParameters: mapper({ 'model_settings.generateAudio': 'maybe' }),
			},
			/^\[item 1\] Model Parameters → Audio: /,
		],
		[
			'slot with two kinds of reference',
			{
				type: 'video',
				model: rl('kling-pro'),
				modelParameters: mapper({
					start_image: '{"url": "https://e.org/a.png", "avatar_id": "av1"}',
				}),
			},
			/^\[item 1\] Model Parameters → Start Image: /,
		],
		[
			'reference URL that is not http(s)',
			{ references: refs(['url', 'ftp://e.org/a.png']) },
			/^\[item 1\] References: /,
		],
		[
			'invalid webhook URL',
			{ additionalFields: { webhookUrl: 'not a url' } },
			/^\[item 1\] Webhook URL: /,
		],
		['no model chosen', { model: rl('', 'list') }, /^\[item 1\] Model: /],
		[
			'unknown model',
			{ model: rl('no-such-model') },
			/^\[item 1\] Unknown Hoox model "no-such-model"$/,
		],
	];

	test.each(cases)('%s', async (_name, bad, expected) => {
		const error = await runError(emu, {
			parameters: generateParameters(),
			items: items(2),
			itemParameters: [undefined, bad],
		});
		expect(error.message).toMatch(expected);
		expect(error.context?.itemIndex ?? error.itemIndex).toBe(1);
		expect(startRequests(emu)).toHaveLength(0);
	});

	test('over budget (Max Credits per Execution): priced first, nothing submitted', async () => {
		const error = await runError(emu, {
			parameters: generateParameters({ generationCount: 2, options: { maxCredits: 1 } }),
			items: items(2),
		});
		// 2 items × 2 × 0.3 credits = 1.2 > 1
		expect(error.message).toMatch(
			/Max Credits per Execution: this run would cost 1.2 credits, above the cap of 1/,
		);
		expect(error.description).toMatch(/Nothing was submitted/);
		expect(emu.requests({ method: 'POST', path: '/asset/pricing' })).toHaveLength(2);
		expect(startRequests(emu)).toHaveLength(0);
	});

	test('Max Credits per Execution: a price without total_cost submits nothing', async () => {
		emu.injectFault({
			route: 'POST /asset/pricing',
			count: 1,
			status: 200,
			body: { currency: 'credits' },
		});
		const error = await runError(emu, {
			parameters: generateParameters({ options: { maxCredits: 100 } }),
			items: items(2),
		});
		expect(error.message).toMatch(
			/^\[item 0\] Options → Max Credits per Execution: Hoox sent no price for this item$/,
		);
		expect(error.description).toMatch(/Nothing was submitted/);
		expect(startRequests(emu)).toHaveLength(0);
	});

	test('Max Credits per Execution with Continue On Fail: a pricing failure makes error items, nothing is submitted', async () => {
		emu.injectFault({
			route: 'POST /asset/pricing',
			count: 1,
			status: 400,
			body: { error: 'bad request' },
		});
		const { items: out } = await run(emu, {
			parameters: generateParameters({ options: { maxCredits: 100 } }),
			items: items(2),
			continueOnFail: true,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of out) expect(item.json.error).toBeDefined();
		expect(JSON.stringify(out[0].json)).toMatch(/nothing was submitted/);
		expect(startRequests(emu)).toHaveLength(0);
	});

	test('a 2xx submit answer without asset_ids is an error of that item, not a vanished item', async () => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 201,
			body: { status: 'generating' },
		});
		const error = await runError(emu, { parameters: generateParameters(), items: items(1) });
		expect(error.message).toBe('[item 0] Hoox accepted the generation but sent no asset IDs');
		expect(error.context?.itemIndex ?? error.itemIndex).toBe(0);

		emu.reset();
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 201,
			body: { status: 'generating' },
		});
		const { items: out } = await run(emu, {
			parameters: generateParameters(),
			items: items(2),
			continueOnFail: true,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(JSON.stringify(out[0].json.error)).toMatch(/no asset IDs/);
		expect(out[1].json.status).toBe('completed');
	});

	test('under budget: submitted', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({ options: { maxCredits: 1 } }),
			items: items(2),
		});
		expect(out).toHaveLength(2);
		expect(startRequests(emu)).toHaveLength(2);
	});

	test('Continue On Fail: invalid items become error items, valid ones are submitted', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters(),
			items: items(3),
			itemParameters: [undefined, { aspectRatio: '2:1' }, undefined],
			continueOnFail: true,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.status).toBe('completed');
		expect(out[1].json.error).toMatchObject({
			message: expect.stringMatching(/^\[item 1\] Aspect Ratio: /),
		});
		expect(out[2].json.status).toBe('completed');
		expect(startRequests(emu)).toHaveLength(2);
	});

	test('a submit refused by Hoox after others were sent lists the assets already paid for', async () => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 402,
			body: { error: 'Insufficient credits', code: 'insufficient_credits' },
		});
		// first submit fails: nothing to list
		const first = await runError(emu, { parameters: generateParameters(), items: items(1) });
		expect(first.message).toMatch(/Not enough Hoox credits/);
		emu.reset();
		emu.setBalance(0.5); // enough for one image (0.3), not two
		const error = await runError(emu, { parameters: generateParameters(), items: items(2) });
		expect(error.message).toMatch(/Not enough Hoox credits/);
		const [submitted] = startRequests(emu).filter((r) => r.status < 300);
		expect(submitted).toBeDefined();
		const ids = emu.requests({ method: 'POST', path: '/asset/start' });
		expect(ids).toHaveLength(2);
		expect(error.description).toMatch(/Already submitted in this run \(not lost\): \w+ \(item 0\)/);
	});
});
