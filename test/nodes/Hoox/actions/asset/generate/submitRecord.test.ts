/**
 * The record of submitted items (issue 9.1): one per run of the node, found again by every
 * Retry On Fail try of that run and by no other run. The fault matrix is in
 * test/reliability/submitOnce.test.ts; n8n-core's own loop in test/workflow/retryOnFail.test.ts.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../../../../../emulator';
import {
	mayHaveCharged,
	submitRecordFor,
} from '../../../../../../nodes/Hoox/actions/asset/generate/submitRecord';
import {
	credentialsFor,
	generateParameters,
	items,
	startRequests,
} from '../../../../../support/hooxNode';
import { createExecuteContext } from '../../../../../../harness/n8nContext';
import { runWithRetries, stackEntry } from '../../../../../support/retryOnFail';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 10, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const node = {
	id: 'n',
	name: 'Hoox',
	type: 'x',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

describe('submitRecordFor', () => {
	test('the tries of one run share a record; another run of the node gets its own', () => {
		const entry = stackEntry(items(1));
		const first = submitRecordFor(createExecuteContext({ executeData: entry }));
		first.add({ itemIndex: 0, assets: [{ assetId: 'a1', itemIndex: 0 }], cost: 0.3 });
		const retry = submitRecordFor(createExecuteContext({ executeData: entry }));
		expect(retry).toBe(first);
		expect(retry.tries).toBe(2);
		expect(retry.has(0)).toBe(true);
		expect(retry.spent()).toBe(0.3);

		const laterRun = submitRecordFor(createExecuteContext({ executeData: stackEntry(items(1)) }));
		expect(laterRun).not.toBe(first);
		expect(laterRun.size).toBe(0);
	});
});

describe('mayHaveCharged', () => {
	const apiError = (httpCode: string) => new NodeApiError(node, { message: 'x' }, { httpCode });
	test.each([
		['an HTTP 400 answer (Hoox refused it)', false, apiError('400')],
		['an HTTP 402 answer', false, apiError('402')],
		['an HTTP 500 answer', true, apiError('500')],
		['a network error', true, new NodeApiError(node, { message: 'socket hang up' })],
		['a 201 without asset ids', true, new NodeOperationError(node, 'no asset IDs')],
		['anything else', true, new Error('boom')],
	])('%s → may have charged: %s', (_name, expected, error) => {
		expect(mayHaveCharged(error)).toBe(expected);
	});
});

describe('Generate with the record', () => {
	const run = (entry = stackEntry(items(1)), retryOnFail = true) =>
		runWithRetries({ retryOnFail, maxTries: 3 }, () =>
			createExecuteContext({
				credentials: credentialsFor(emu),
				parameters: generateParameters(),
				executeData: entry,
			}),
		);

	test('an item Hoox refused (HTTP 400, nothing charged) is sent again by the retry', async () => {
		emu.injectFault({ route: 'POST /asset/start', count: 1, status: 400 });
		const result = await run();
		expect(result.tries).toBe(2);
		expect(result.items?.[0].json.status).toBe('completed');
		expect(startRequests(emu)).toHaveLength(2);
		expect(emu.ledger().filter((e) => e.kind === 'debit')).toHaveLength(1);
	});

	test('a later run of the node in the same execution (a loop) submits its items', async () => {
		await run(stackEntry(items(1)), false);
		await run(stackEntry(items(1)), false);
		expect(startRequests(emu)).toHaveLength(2);
	});

	test('a retry that finds submitted items says so in the log, with their asset ids', async () => {
		emu.failNext(100);
		const result = await run();
		expect(result.tries).toBe(3);
		const [paid] = emu.ledger().filter((e) => e.kind === 'debit')[0].asset_ids;
		const logs = result.contexts[1].recorder.logs.filter((l) => l.level === 'info');
		expect(logs.map((l) => l.message).join('\n')).toMatch(
			new RegExp(
				`try 2 of this node .* found 1 item\\(s\\) already submitted .*${paid} \\(item 0\\)`,
			),
		);
		expect(`${result.error.message} ${result.error.description}`).toContain(paid);
	});
});
