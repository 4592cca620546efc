/**
 * Resume on Webhook reads each asset once: a callback reads only its own asset, this process
 * remembers what it read for the parked execution (resume/memory.ts), and for an execution it did
 * not park (n8n restarted, queue mode) each callback probes the assets not known finished. Request counts come from
 * the emulator's log; callbacks run through the stand-in n8n (test/support/waitingN8n.ts).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../../../../emulator';
import { learnDuration, modelKey, resetHistory } from '../../../../../nodes/Hoox/wait/history';
import { resetMemories } from '../../../../../nodes/Hoox/wait/resume/memory';
import { decodeWaitState } from '../../../../../nodes/Hoox/wait/resume/state';
import { credentialsFor, generateParameters, items, node } from '../../../../support/hooxNode';
import {
	createResumeExecuteContext,
	createResumeWebhookContext,
	FakeExecution,
	startWaitingN8n,
	type WaitingN8n,
} from '../../../../support/waitingN8n';

let emu: Emulator;
let n8n: WaitingN8n;

beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 60_000 }, rateLimitPerMinute: 0 });
	n8n = await startWaitingN8n({ webhook: node.webhook as never, credentials: credentialsFor(emu) });
});
afterAll(async () => {
	await n8n.close();
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	resetHistory();
	resetMemories();
	// gpt-image-2 is known to take about a minute here: nothing can be done before parking
	learnDuration(modelKey(emu.baseUrl, 'gpt-image-2'), 60_000, 59_000);
});

function knobs(...perItem: Array<Record<string, unknown>>) {
	return perItem.map((k) => ({
		additionalFields: { additionalBodyFields: JSON.stringify({ x_emulator: k }) },
	}));
}

async function park(input: INodeExecutionData[], perItem: Array<Record<string, unknown>>) {
	const execution = n8n.add(new FakeExecution({ input }));
	const ctx = createResumeExecuteContext(
		{
			credentials: credentialsFor(emu),
			parameters: generateParameters({ options: { waitMode: 'resume' } }),
			itemParameters: knobs(...perItem),
			items: input,
		},
		execution,
	);
	await node.execute.call(ctx);
	execution.afterExecute();
	const ids = decodeWaitState(execution.metadata)!.assets.map((a) => a.assetId);
	return { execution, ids };
}

async function resumed(execution: FakeExecution): Promise<INodeExecutionData[]> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			execution.resumed,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error('no resume')), 10_000);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

const readsOf = (id: string) => emu.requests({ method: 'GET', path: `/asset/status/${id}` });

describe('Resume on Webhook: one status read per asset', () => {
	test('a known model parks without reading; each callback reads its own asset once', async () => {
		const { execution, ids } = await park(items(4), [
			{ duration_ms: 300 },
			{ duration_ms: 500 },
			{ duration_ms: 200 },
			{ duration_ms: 400 },
		]);
		expect(execution.status).toBe('waiting');
		const output = await resumed(execution);
		expect(output.map((i) => i.json.status)).toEqual(Array(4).fill('completed'));
		expect(execution.resumes).toBe(1);
		// submit + one read per asset: 2 API calls per asset (the model's schema is cached per process)
		for (const id of ids) expect(readsOf(id)).toHaveLength(1);
		const calls = emu.requests({ kind: 'api' }).filter((r) => !r.path.startsWith('/asset/models'));
		expect(calls).toHaveLength(8);
	});

	test('callbacks delivered twice (copies at once and later) cost no extra read', async () => {
		const { execution, ids } = await park(items(3), [
			{ duration_ms: 200, webhook_twice: true },
			{ duration_ms: 200, webhook_twice: true },
			{ duration_ms: 400, webhook_twice: true },
		]);
		await resumed(execution);
		expect(execution.resumes).toBe(1);
		for (const id of ids) expect(readsOf(id)).toHaveLength(1);
	});

	test('two copies of one callback at the same moment share one read', async () => {
		const { execution, ids } = await park(items(2), [{}, {}]);
		emu.injectFault({
			route: `GET /asset/status/${ids[0]}`,
			count: 1,
			status: 200,
			body: { asset_id: ids[0], status: 'completed', url: `${emu.origin}/media/${ids[0]}.png` },
		});
		const call = () => {
			const ctx = createResumeWebhookContext(execution, {
				credentials: credentialsFor(emu),
				request: { body: { task: 'asset_generation', asset_id: ids[0], status: 'completed' } },
			});
			return node.webhook!.call(ctx as never).then(() => ctx.recorder.response);
		};
		const answers = await Promise.all([call(), call()]);
		expect(answers.map((a) => a.body)).toEqual([
			{ received: true, resumed: false, waiting_for: 1 },
			{ received: true, resumed: false, waiting_for: 1 },
		]);
		expect(readsOf(ids[0])).toHaveLength(1);
		expect(readsOf(ids[1])).toHaveLength(0);
	});

	test('after a restart (memory lost) each callback probes the assets not known finished, and the last one resumes', async () => {
		const { execution, ids } = await park(items(4), [
			{ duration_ms: 150 },
			{ duration_ms: 150 },
			{ duration_ms: 1200 },
			{ duration_ms: 1400 },
		]);
		resetMemories(); // what an n8n restart does to this process's memory
		const output = await resumed(execution);
		expect(output.map((i) => i.json.status)).toEqual(Array(4).fill('completed'));
		expect(execution.resumes).toBe(1);
		const reads = ids.map((id) => readsOf(id).length);
		// each asset is read finished once (remembered); an asset still open is probed at most once
		// per callback, and the callback stops there
		expect(reads.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * ids.length);
		expect(Math.max(...reads)).toBeLessThanOrEqual(1 + emu.webhookDeliveries().length);
	});
});
