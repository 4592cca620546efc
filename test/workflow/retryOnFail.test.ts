/**
 * Retry On Fail is n8n's, not ours: n8n-core runs the node again when it throws, and — with
 * Continue On Fail — when its first output item carries `json.error`. Hoox debits on submit and
 * has no idempotency key, so a retry must not submit an item again (issue 9, item 1).
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters } from '../support/hooxNode';
import { HOOX, hooxWorkflow, RETRY, type NodeSettings } from './builders';
import { createdAssetIds, netCreditsSpent, startsByPrompt } from './emulatorLog';
import { runWorkflow, type RunResult } from './harness';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 10, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const ITEMS = [{ prompt: 'first item' }, { prompt: 'second item' }];
const ONE_START_EACH = { 'first item': 1, 'second item': 1 };
const CONTINUE: NodeSettings = { onError: 'continueRegularOutput' };

/** Generate for each item (prompt from the item), gpt-image-2 at 0.3 credits an asset. */
async function generate(options: IDataObject, settings: NodeSettings): Promise<RunResult> {
	const parameters = generateParameters({ prompt: '={{ $json.prompt }}', options });
	return await runWorkflow(hooxWorkflow(parameters, ITEMS, settings), { emulator: emu });
}

interface FailureAfterSubmit {
	name: string;
	/** Sets the emulator up for the failure; returns the Generate options it needs. */
	arrange: () => IDataObject;
	message: RegExp;
}

const failuresAfterSubmit: FailureAfterSubmit[] = [
	{
		name: 'the assets fail',
		arrange: () => {
			emu.failNext(100);
			return {};
		},
		message: /2 of 2 Hoox assets failed/,
	},
	{
		name: 'the wait times out',
		arrange: () => {
			emu.setDuration({ image: 5000 });
			return { waitTimeout: 0.2 };
		},
		message: /Timed out after 0\.2 s/,
	},
	{
		name: 'the download fails',
		arrange: () => {
			emu.injectFault({ route: 'GET /media/', count: 100, status: 500 });
			return { downloadBinary: true };
		},
		message: /Could not download Hoox asset/,
	},
];

/** The workflow stopped on the Hoox node's error, which names every asset that was paid for. */
function expectStoppedWithAssetIds(result: RunResult, message: RegExp) {
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(message);
	const text = `${result.error?.message} ${result.error?.description}`;
	const created = createdAssetIds(emu);
	expect(created).toHaveLength(2);
	for (const id of created) expect(text).toContain(id);
}

/** One output item per input item, paired with it, carrying its paid asset and the error. */
function expectErrorItemsForEveryAsset(result: RunResult) {
	expect(result.status).toBe('success');
	const items = result.items(HOOX);
	expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(items.map((item) => item.json.prompt)).toEqual(['first item', 'second item']);
	for (const item of items) expect(item.json.error).toBeTruthy();
	// every paid asset is in the output: none was left behind by a re-submit
	expect(items.map((item) => item.json.asset_id).sort()).toEqual(createdAssetIds(emu).sort());
}

describe.each(failuresAfterSubmit)('when $name after the submit', ({ arrange, message }) => {
	test('without Retry On Fail: one start per item, the error names the assets', async () => {
		const result = await generate(arrange(), {});
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expectStoppedWithAssetIds(result, message);
		expect(result.runs(HOOX)).toHaveLength(1);
	});

	test('without Retry On Fail, with Continue On Fail: error items for the paid assets', async () => {
		const result = await generate(arrange(), CONTINUE);
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expectErrorItemsForEveryAsset(result);
	});

	it('Retry On Fail (3 tries): still one start per item', async () => {
		const result = await generate(arrange(), RETRY);
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expectStoppedWithAssetIds(result, message);
	});

	it('Retry On Fail (3 tries) and Continue On Fail: still one start per item', async () => {
		const result = await generate(arrange(), { ...RETRY, ...CONTINUE });
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expectErrorItemsForEveryAsset(result);
	});
});

describe("when Hoox refuses the second item's submit", () => {
	// an unknown emulator knob makes Hoox answer 400 to that submit only (nothing is charged)
	const refuseSecond = generateParameters({
		prompt: '={{ $json.prompt }}',
		additionalFields: {
			additionalBodyFields: '={{ JSON.stringify($json.extra) }}',
		},
	});
	const items = [
		{ prompt: 'first item', extra: {} },
		{ prompt: 'second item', extra: { x_emulator: { no_such_knob: true } } },
	];

	test('without Retry On Fail: the error names item 1 and the asset item 0 already paid for', async () => {
		const result = await runWorkflow(hooxWorkflow(refuseSecond, items), { emulator: emu });
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expect(startsByPrompt(result, true)).toEqual({ 'first item': 1 });
		expect(result.status).toBe('error');
		expect(result.error?.context?.itemIndex).toBe(1);
		const [paid] = createdAssetIds(emu);
		expect(result.error?.description).toContain(paid);
	});

	it('Retry On Fail (3 tries): the first item is not submitted again', async () => {
		const result = await runWorkflow(hooxWorkflow(refuseSecond, items, RETRY), { emulator: emu });
		expect(startsByPrompt(result, true)).toEqual({ 'first item': 1 });
		expect(result.status).toBe('error');
	});
});

describe('Max Credits per Execution with Retry On Fail', () => {
	// 2 items × 0.3 credits = 0.6 fit under the cap once; the download failure makes n8n retry
	const failingDownload = () => {
		emu.injectFault({ route: 'GET /media/', count: 100, status: 500 });
		return { downloadBinary: true, maxCredits: 0.7 };
	};

	test('one try spends what was priced, under the cap', async () => {
		const result = await generate(failingDownload(), {});
		expect(result.status).toBe('error');
		expect(result.requests('/asset/pricing')).toHaveLength(2);
		expect(netCreditsSpent(emu)).toBe(0.6);
	});

	it('is a budget for the execution, not for each try', async () => {
		const result = await generate(failingDownload(), RETRY);
		expect(result.status).toBe('error');
		expect(netCreditsSpent(emu)).toBeLessThanOrEqual(0.7);
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
	});

	it('is a budget for the execution with Continue On Fail too', async () => {
		const result = await generate(failingDownload(), { ...RETRY, ...CONTINUE });
		expect(result.status).toBe('success');
		expect(netCreditsSpent(emu)).toBeLessThanOrEqual(0.7);
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
	});
});

describe('what n8n retries, and what it does not', () => {
	test('Continue On Fail, the first item fine and the second failed: n8n does not retry', async () => {
		// n8n looks only at the FIRST output item's json.error; item 1's failure is not retried
		const parameters = generateParameters({
			prompt: '={{ $json.prompt }}',
			additionalFields: {
				additionalBodyFields: '={{ JSON.stringify({ x_emulator: { outcome: $json.outcome } }) }}',
			},
		});
		const items = [
			{ prompt: 'first item', outcome: 'completed' },
			{ prompt: 'second item', outcome: 'failed' },
		];
		const result = await runWorkflow(hooxWorkflow(parameters, items, { ...RETRY, ...CONTINUE }), {
			emulator: emu,
		});
		expect(startsByPrompt(result)).toEqual(ONE_START_EACH);
		expect(result.status).toBe('success');
		const output = result.items(HOOX);
		expect(output.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['completed', { item: 0 }],
			['failed', { item: 1 }],
		]);
		expect(output[1].json.error).toMatchObject({ code: 'GENERATION_FAILED' });
	});

	test('a bad parameter fails before any submit, on every try', async () => {
		const parameters = generateParameters({ prompt: '={{ $json.prompt }}', aspectRatio: '7:3' });
		const result = await runWorkflow(hooxWorkflow(parameters, ITEMS, RETRY), { emulator: emu });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/item 0/);
		expect(result.error?.message).toMatch(/Aspect Ratio/i);
		expect(result.requests('/asset/start')).toHaveLength(0);
		// n8n tried three times: the model was read on every try
		expect(result.requests('/asset/models/gpt-image-2').length).toBeGreaterThanOrEqual(1);
		expect(netCreditsSpent(emu)).toBe(0);
	});
});
