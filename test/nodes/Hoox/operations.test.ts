/** Get Status, Wait for Completion, Model, Pricing and Folder operations. */
import { startEmulator, type Emulator } from '../../../emulator';
import { FAST_WAIT, generateParameters, items, rl, run, runError } from '../../support/hooxNode';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({
		port: 0,
		durations: { image: 20, video: 30 },
		rateLimitPerMinute: 0,
	});
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

/** Submits n images without waiting and returns their IDs. */
async function submit(n: number, count = 1): Promise<string[]> {
	const { items: out } = await run(emu, {
		parameters: generateParameters({
			generationCount: count,
			options: { waitForCompletion: false },
		}),
		items: items(n),
	});
	return out.map((i) => i.json.asset_id as string);
}

describe('Asset → Get Status', () => {
	test('one or many IDs per item: comma list or array', async () => {
		const ids = await submit(3);
		const { items: out } = await run(emu, {
			parameters: { resource: 'asset', operation: 'getStatus' },
			items: items(2),
			itemParameters: [{ assetIds: `${ids[0]}, ${ids[1]}` }, { assetIds: [ids[2]] }],
		});
		expect(out.map((i) => i.json.asset_id)).toEqual(ids);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({
			type: 'image',
			model: 'gpt-image-2',
			source_item_index: 0,
		});
		expect(emu.requests({ method: 'GET', path: '/asset/status' })).toHaveLength(3);
	});

	test('unknown ID: error naming the asset; with Continue On Fail an error item', async () => {
		const error = await runError(emu, {
			parameters: { resource: 'asset', operation: 'getStatus', assetIds: 'nope123' },
		});
		expect(error.message).toBe('[item 0] Unknown Hoox asset "nope123"');
		expect(error.context.itemIndex).toBe(0);
		const { items: out } = await run(emu, {
			parameters: { resource: 'asset', operation: 'getStatus' },
			items: items(2),
			itemParameters: [{ assetIds: 'nope123' }, { assetIds: '' }],
			continueOnFail: true,
		});
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json.error).toMatchObject({
			message: expect.stringMatching(/Unknown Hoox asset/),
			http_code: 404,
		});
		expect(out[1].json.error).toMatchObject({
			message: '[item 1] Asset IDs: no asset ID given',
			description: expect.any(String),
		});
	});
});

describe('Asset → Wait for Completion', () => {
	test('IDs of several items in, final assets out, paired to their item', async () => {
		const ids = await submit(2, 2);
		const { items: out } = await run(emu, {
			parameters: { resource: 'asset', operation: 'waitForCompletion', options: { ...FAST_WAIT } },
			items: items(2),
			itemParameters: [{ assetIds: ids.slice(0, 2) }, { assetIds: ids.slice(2).join(',') }],
		});
		expect(out.map((i) => i.json.status)).toEqual([
			'completed',
			'completed',
			'completed',
			'completed',
		]);
		expect(out.map((i) => i.json.asset_id)).toEqual(ids);
		expect(out.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
		]);
	});

	test('with binary download', async () => {
		const ids = await submit(1);
		const { items: out } = await run(emu, {
			parameters: {
				resource: 'asset',
				operation: 'waitForCompletion',
				assetIds: ids[0],
				options: { ...FAST_WAIT, downloadBinary: true },
			},
		});
		expect(out[0].binary?.data?.mimeType).toBe('image/png');
	});

	test('an ID given by two items is polled once and comes out once per item, paired with it', async () => {
		emu.setDuration({ image: 0 });
		const ids = await submit(2);
		const { items: out } = await run(emu, {
			parameters: { resource: 'asset', operation: 'waitForCompletion', options: { ...FAST_WAIT } },
			items: items(3),
			itemParameters: [
				{ assetIds: ids[0] },
				{ assetIds: `${ids[0]}, ${ids[1]}` },
				{ assetIds: ids[0] },
			],
		});
		expect(out.map((i) => i.json.asset_id)).toEqual([ids[0], ids[0], ids[1], ids[0]]);
		expect(out.map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(out.map((i) => i.json.source_item_index)).toEqual([0, 1, 1, 2]);
		expect(out.every((i) => i.json.status === 'completed')).toBe(true);
		const polled = emu.requests({ method: 'GET', path: '/asset/status' }).map((r) => r.path);
		// both finished before the wait: one round, one poll per asset ID
		expect(polled.filter((p) => p.endsWith(ids[0]))).toHaveLength(1);
		expect(polled.filter((p) => p.endsWith(ids[1]))).toHaveLength(1);
	});

	test('an asset that cannot be read is not called a refunded generation', async () => {
		const error = await runError(emu, {
			parameters: {
				resource: 'asset',
				operation: 'waitForCompletion',
				assetIds: 'nope123',
				options: { ...FAST_WAIT },
			},
		});
		expect(error.message).toMatch(/^\[item 0\] 1 of 1 Hoox assets could not be read/);
		expect(error.description).not.toMatch(/refunded/);
		expect(error.description).toMatch(/nope123 could not be read \(not found\)/);
	});

	test('timeout lists the IDs', async () => {
		emu.setDuration({ image: 60_000 });
		const ids = await submit(1);
		const error = await runError(emu, {
			parameters: {
				resource: 'asset',
				operation: 'waitForCompletion',
				assetIds: ids[0],
				options: { ...FAST_WAIT, waitTimeout: 0.1 },
			},
		});
		expect(error.message).toMatch(/Timed out/);
		expect(error.description).toContain(`${ids[0]} (item 0: generating)`);
	});
});

describe('Model', () => {
	test('Get Many with type and provider filters puts the hoisted fields back in every model', async () => {
		const { items: out } = await run(emu, {
			parameters: {
				resource: 'model',
				operation: 'getAll',
				returnAll: true,
				filters: { type: 'video', provider: 'google' },
			},
		});
		expect(out.length).toBeGreaterThan(2);
		for (const item of out) expect(item.json).toMatchObject({ type: 'video', provider: 'google' });
		expect(out.map((i) => i.json.name)).toContain('veo-3.1-flf');
		expect(emu.requests({ path: '/asset/models' })[0].query).toEqual({
			type: 'video',
			provider: 'google',
		});
	});

	test('Get Many by tag, with a limit', async () => {
		const { items: out } = await run(emu, {
			parameters: {
				resource: 'model',
				operation: 'getAll',
				returnAll: false,
				limit: 1,
				filters: { tag: 'motion-control' },
			},
		});
		expect(out).toHaveLength(1);
		expect(out[0].json.tags).toContain('motion-control');
		expect(out[0].json.type).toBe('video');
	});

	test('Get returns the full model', async () => {
		const { items: out } = await run(emu, {
			parameters: { resource: 'model', operation: 'get', model: rl('gpt-image-2', 'list') },
		});
		expect(out[0].json).toMatchObject({
			name: 'gpt-image-2',
			type: 'image',
			input_schema: expect.any(Object),
		});
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Pricing → Estimate', () => {
	test('validates like Generate: a duration the model does not offer names the parameter and the item', async () => {
		const error = await runError(emu, {
			parameters: {
				resource: 'pricing',
				operation: 'estimate',
				type: 'video',
				model: rl('veo-3.1'),
				duration: 7.5,
				generationCount: 1,
			},
		});
		expect(error.message).toMatch(/^\[item 0\] Duration: /);
		expect(error.context.itemIndex).toBe(0);
		expect(emu.requests({ method: 'POST', path: '/asset/pricing' })).toHaveLength(0);
	});

	test('Image Count is priced', async () => {
		await run(emu, {
			parameters: {
				resource: 'pricing',
				operation: 'estimate',
				type: 'image',
				model: rl('gpt-image-2'),
				generationCount: 1,
				additionalFields: { imageCount: 2 },
			},
		});
		expect(emu.requests({ method: 'POST', path: '/asset/pricing' })[0].body).toMatchObject({
			model: 'gpt-image-2',
			image_count: 2,
		});
	});

	test('dry run with duration, resolution, count, settings', async () => {
		const { items: out } = await run(emu, {
			parameters: {
				resource: 'pricing',
				operation: 'estimate',
				type: 'video',
				model: rl('veo-3.1'),
				resolution: '1080p',
				duration: 8,
				generationCount: 2,
				additionalFields: { modelSettings: '{"generateAudio": false}' },
			},
		});
		expect(out[0].json).toMatchObject({
			model: 'veo-3.1',
			currency: 'credits',
			generation_count: 2,
		});
		expect(emu.requests({ method: 'POST', path: '/asset/pricing' })[0].body).toEqual({
			model: 'veo-3.1',
			resolution: '1080p',
			duration: 8,
			generation_count: 2,
			model_settings: { generateAudio: false },
		});
		expect(emu.requests({ method: 'POST', path: '/asset/start' })).toHaveLength(0);
	});
});

describe('Folder', () => {
	test('Create, then Get Many', async () => {
		const { items: created } = await run(emu, {
			parameters: {
				resource: 'folder',
				operation: 'create',
				name: 'Spring',
				additionalFields: { type: 'assets' },
			},
		});
		expect(created[0].json).toMatchObject({ name: 'Spring', type: 'assets' });
		await run(emu, {
			parameters: {
				resource: 'folder',
				operation: 'create',
				name: 'Sub',
				additionalFields: { parentFolderId: created[0].json.id },
			},
		});
		const { items: listed } = await run(emu, {
			parameters: { resource: 'folder', operation: 'getAll', folderType: 'assets' },
		});
		expect(listed.map((i) => i.json.name).sort()).toEqual(['Spring', 'Sub']);
		expect(listed.find((i) => i.json.name === 'Sub')?.json.parent_folder_id).toBe(
			created[0].json.id,
		);
	});

	test('Create without a name', async () => {
		const error = await runError(emu, {
			parameters: { resource: 'folder', operation: 'create', name: ' ', additionalFields: {} },
		});
		expect(error.message).toBe('[item 0] Name: the folder needs a name');
	});
});

test('a Hoox error on one item with Continue On Fail keeps the other items (pairedItem intact)', async () => {
	const { items: out } = await run(emu, {
		parameters: { resource: 'model', operation: 'get' },
		items: items(3),
		itemParameters: [{ model: rl('veo-3.1') }, { model: rl('nope-9') }, { model: rl('kling-pro') }],
		continueOnFail: true,
	});
	expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(out[0].json.name).toBe('veo-3.1');
	expect(out[1].json.error).toMatchObject({
		message: '[item 1] Unknown Hoox model "nope-9"',
	});
	expect(out[2].json.name).toBe('kling-pro');
});
