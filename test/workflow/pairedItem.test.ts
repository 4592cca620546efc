/**
 * Continue On Fail and pairedItem as n8n applies them: several items, several generations per
 * item, errors before and after the submit, and a downstream node that reaches back to the input
 * item with `$('Input items').item` (n8n follows pairedItem to resolve it).
 */
import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters } from '../support/hooxNode';
import { HOOX, hooxWorkflow, INPUT, thenSet, type NodeSettings } from './builders';
import { createdAssetIds, startsByPrompt } from './emulatorLog';
import { runWorkflow } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 10, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const LABEL = 'Label';
const CONTINUE: NodeSettings = { onError: 'continueRegularOutput' };

/** Generate with prompt, generation count, aspect ratio and emulated outcome taken per item. */
const perItemGenerate = generateParameters({
	prompt: '={{ $json.prompt }}',
	generationCount: '={{ $json.count }}',
	aspectRatio: '={{ $json.aspect }}',
	additionalFields: {
		additionalBodyFields: '={{ JSON.stringify({ x_emulator: { outcome: $json.outcome } }) }}',
	},
});

/** Hoox, then a Set node that labels each output with fields of the input item it came from. */
function labelledWorkflow(items: Array<Record<string, unknown>>, settings: NodeSettings = {}) {
	return thenSet(hooxWorkflow(perItemGenerate, items as never, settings), HOOX, LABEL, {
		tag: `={{ $('${INPUT}').item.json.tag }}`,
		asset_id: '={{ $json.asset_id }}',
		status: '={{ $json.status }}',
	});
}

const item = (tag: string, count: number, extra: Record<string, unknown> = {}) => ({
	tag,
	prompt: `prompt ${tag}`,
	count,
	aspect: '1:1',
	outcome: 'completed',
	...extra,
});

test('generation counts per item: each asset is paired with the item that asked for it', async () => {
	const items = [item('a', 1), item('b', 3), item('c', 2)];
	const result = await runWorkflow(labelledWorkflow(items), { emulator: emu });

	expect(result.status).toBe('success');
	const starts = result.requests('/asset/start');
	expect(starts.map((r) => (r.body as Record<string, unknown>).generation_count)).toEqual([
		1, 3, 2,
	]);
	expect(startsByPrompt(result)).toEqual({ 'prompt a': 1, 'prompt b': 1, 'prompt c': 1 });

	const output = result.items(HOOX);
	expect(output.map((o) => o.pairedItem)).toEqual(
		[0, 1, 1, 1, 2, 2].map((index) => ({ item: index })),
	);
	expect(output.map((o) => o.json.prompt)).toEqual(
		['a', 'b', 'b', 'b', 'c', 'c'].map((tag) => `prompt ${tag}`),
	);
	expect(output.map((o) => o.json.asset_id).sort()).toEqual(createdAssetIds(emu).sort());

	// n8n resolves $('Input items').item through the Hoox node's pairedItem
	const labels = result.items(LABEL).map((o) => [o.json.tag, o.json.asset_id, o.json.status]);
	expect(labels).toEqual(
		output.map((o, k) => [items[k < 1 ? 0 : k < 4 ? 1 : 2].tag, o.json.asset_id, 'completed']),
	);
});

test('Continue On Fail: a bad item, a failed generation and a refused submit stay with their items', async () => {
	emu.injectFault({ route: 'POST /asset/start', count: 1, status: 503 });
	const items = [
		item('refused', 1), // the first submit meets the 503
		item('ok', 2),
		item('bad', 1, { aspect: '7:3' }), // refused before any submit
		item('failed', 2, { outcome: 'failed' }),
	];
	const result = await runWorkflow(labelledWorkflow(items, CONTINUE), { emulator: emu });

	expect(result.status).toBe('success');
	// one submit per valid item, none for the invalid one; only the 503 was not charged
	expect(startsByPrompt(result)).toEqual({
		'prompt refused': 1,
		'prompt ok': 1,
		'prompt failed': 1,
	});
	expect(startsByPrompt(result, true)).toEqual({ 'prompt ok': 1, 'prompt failed': 1 });

	const output = result.items(HOOX);
	const summary = output.map((o) => [
		(o.pairedItem as { item: number }).item,
		o.json.status ?? 'error item',
		typeof o.json.error,
	]);
	expect(summary).toEqual([
		[0, 'error item', 'object'],
		[1, 'completed', 'undefined'],
		[1, 'completed', 'undefined'],
		[2, 'error item', 'object'],
		[3, 'failed', 'object'],
		[3, 'failed', 'object'],
	]);
	const errorOf = (k: number) => JSON.stringify(output[k].json.error);
	expect(errorOf(0)).toMatch(/503/);
	expect(errorOf(3)).toMatch(/item 2/);
	expect(errorOf(3)).toMatch(/Aspect Ratio/i);
	expect(output[4].json.error).toMatchObject({ code: 'GENERATION_FAILED' });

	// every output, error items included, reaches back to its own input item
	expect(result.items(LABEL).map((o) => o.json.tag)).toEqual([
		'refused',
		'ok',
		'ok',
		'bad',
		'failed',
		'failed',
	]);
});

test('without Continue On Fail, the bad item stops the run before anything is spent', async () => {
	const items = [item('ok', 2), item('bad', 1, { aspect: '7:3' })];
	const result = await runWorkflow(labelledWorkflow(items), { emulator: emu });

	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(/item 1/);
	expect(result.requests('/asset/start')).toHaveLength(0);
	expect(result.runs(LABEL)).toHaveLength(0);
});
