/**
 * Expressions in Generate's parameters, resolved by n8n for each item: the model by ID, the
 * prompt, other fields and a slot model's named inputs (Model Parameters) differ per item, and the
 * body Hoox receives for each item is built from that item's values.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters, rl } from '../support/hooxNode';
import { HOOX, hooxWorkflow } from './builders';
import { startsByPrompt } from './emulatorLog';
import { runWorkflow } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 10, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const startBodies = (result: Awaited<ReturnType<typeof runWorkflow>>) =>
	result.requests('/asset/start').map((request) => request.body as Record<string, unknown>);

test('model by ID, prompt, aspect ratio and generation count come from each item', async () => {
	const parameters = generateParameters({
		model: rl('={{ $json.model }}'),
		prompt: '={{ $json.subject }}, {{ $json.style }}',
		aspectRatio: '={{ $json.aspect }}',
		generationCount: '={{ $json.variants }}',
	});
	const items = [
		{ model: 'gpt-image-2', subject: 'a fox', style: 'watercolour', aspect: '4:3', variants: 1 },
		{ model: 'seedream-4.5', subject: 'an owl', style: 'ink', aspect: '16:9', variants: 2 },
	];
	const result = await runWorkflow(hooxWorkflow(parameters, items), { emulator: emu });

	expect(result.status).toBe('success');
	expect(startBodies(result)).toEqual([
		{
			type: 'image',
			model: 'gpt-image-2',
			prompt: 'a fox, watercolour',
			aspect_ratio: '4:3',
			generation_count: 1,
		},
		{
			type: 'image',
			model: 'seedream-4.5',
			prompt: 'an owl, ink',
			aspect_ratio: '16:9',
			generation_count: 2,
		},
	]);
	// each model's definition is read from Hoox (once), not assumed
	const modelReads = result.requests('/asset/models/').map((request) => request.path);
	expect([...new Set(modelReads)].sort()).toEqual([
		'/asset/models/gpt-image-2',
		'/asset/models/seedream-4.5',
	]);
	expect(result.items(HOOX).map((item) => [item.json.model, item.json.prompt])).toEqual([
		['gpt-image-2', 'a fox, watercolour'],
		['seedream-4.5', 'an owl, ink'],
		['seedream-4.5', 'an owl, ink'],
	]);
});

test("a slot model's named inputs come from each item (Model Parameters expressions)", async () => {
	const parameters = generateParameters({
		type: 'video',
		model: rl('veo-3.1-flf'),
		prompt: '={{ $json.prompt }}',
		modelParameters: {
			mappingMode: 'defineBelow',
			value: { first_frame: '={{ $json.first }}', last_frame: '={{ $json.last }}' },
			matchingColumns: [],
			schema: ['first_frame', 'last_frame'].map((id) => ({
				id,
				displayName: id,
				required: true,
				defaultMatch: false,
				display: true,
				type: 'string',
				canBeUsedToMatch: false,
			})),
		},
	});
	const items = [
		{
			prompt: 'dawn to dusk',
			first: 'asset:65a0c0ffee00000000000010',
			last: 'https://x.test/1.png',
		},
		{ prompt: 'winter to spring', first: 'https://x.test/2.png', last: 'avatar:avtr_2' },
	];
	const result = await runWorkflow(hooxWorkflow(parameters, items), { emulator: emu });

	expect(result.status).toBe('success');
	expect(startBodies(result)).toEqual([
		expect.objectContaining({
			model: 'veo-3.1-flf',
			prompt: 'dawn to dusk',
			first_frame: { asset_id: '65a0c0ffee00000000000010' },
			last_frame: { url: 'https://x.test/1.png' },
		}),
		expect.objectContaining({
			model: 'veo-3.1-flf',
			prompt: 'winter to spring',
			first_frame: { url: 'https://x.test/2.png' },
			last_frame: { avatar_id: 'avtr_2' },
		}),
	]);
	expect(result.items(HOOX).map((item) => item.json.status)).toEqual(['completed', 'completed']);
});

test('a model ID from an item that Hoox does not know: that item fails alone, before spending', async () => {
	const parameters = generateParameters({
		model: rl('={{ $json.model }}'),
		prompt: '={{ $json.prompt }}',
	});
	const items = [
		{ model: 'gpt-image-2', prompt: 'known model' },
		{ model: 'no-such-model', prompt: 'unknown model' },
	];
	const result = await runWorkflow(
		hooxWorkflow(parameters, items, { onError: 'continueRegularOutput' }),
		{ emulator: emu },
	);

	expect(result.status).toBe('success');
	expect(startsByPrompt(result)).toEqual({ 'known model': 1 });
	const [done, failed] = result.items(HOOX);
	expect(done.json).toMatchObject({ status: 'completed', model: 'gpt-image-2' });
	expect(failed.pairedItem).toEqual({ item: 1 });
	expect(failed.json.error).toMatchObject({
		message: '[item 1] Unknown Hoox model "no-such-model"',
	});
});

test('without Continue On Fail, the unknown model stops the run with the item it came from', async () => {
	const parameters = generateParameters({ model: rl('={{ $json.model }}') });
	const items = [{ model: 'gpt-image-2' }, { model: 'no-such-model' }];
	const result = await runWorkflow(hooxWorkflow(parameters, items), { emulator: emu });

	expect(result.status).toBe('error');
	expect(result.error?.message).toBe('[item 1] Unknown Hoox model "no-such-model"');
	expect(result.error?.context?.itemIndex).toBe(1);
	expect(result.requests('/asset/start')).toHaveLength(0);
});
