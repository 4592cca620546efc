/**
 * Forged callbacks to a parked execution (issue 9, item 2): Hoox signs nothing and n8n 1.x's
 * resume URL has no token, so anyone who knows an execution id and one of its asset ids can post
 * to it. A callback is only a wake-up call: only Hoox's status may complete or fail an asset or
 * give its URL, a failed status read resumes nothing, and no URL from a body is ever fetched.
 * Runs the node's webhook() against the emulator, on both n8n versions' custom-data rules.
 * Also the bad-input matrix of resume bodies (the Hoox Trigger's list, badBodies.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { resetMemories } from '../../nodes/Hoox/wait/resume/memory';
import { decodeWaitState } from '../../nodes/Hoox/wait/resume/state';
import { credentialsFor, generateParameters, items, node } from '../support/hooxNode';
import {
	createResumeExecuteContext,
	createResumeWebhookContext,
	FakeExecution,
	type Flavor,
} from '../support/waitingN8n';
import { badBodies } from './badBodies';
import { reliabilityFigures } from './figures';
import { hooxSays } from '../support/hooxSays';

// Declared before reliabilityFigures(), so it runs before the table is printed.
afterAll(() => {
	figures.add({ name: 'forged callbacks sent', value: counts.forged });
	figures.add({ name: 'resumes from forged content', value: counts.forgedResumes, target: '0' });
	figures.add({
		name: 'items with a status or URL from a body',
		value: counts.fromBody,
		target: '0',
	});
	figures.add({ name: 'requests to non-Hoox targets', value: trapHits, target: '0' });
});
const figures = reliabilityFigures('forged callbacks (Resume on Webhook)');
afterAll(async () => {
	await new Promise<void>((resolve) => trap.close(() => resolve()));
	await emu.close();
});

let emu: Emulator;
let trap: Server;
let trapUrl: string;
let trapHits = 0;
const counts = { forged: 0, forgedResumes: 0, fromBody: 0 };

beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 60_000 }, rateLimitPerMinute: 0 });
	// A non-Hoox target (loopback, like an internal service): any request to it is a failure.
	trap = createServer((_req, res) => {
		trapHits++;
		res.writeHead(200, { 'content-type': 'image/png' });
		res.end('not an image');
	});
	await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
	trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/internal/secret.png`;
});
beforeEach(() => {
	emu.reset();
	resetMemories();
});

/** Parks a Generate of `n` items (download on), without any stand-in n8n delivering callbacks. */
async function parked(flavor: Flavor, n = 2) {
	const execution = new FakeExecution({ flavor, input: items(n) });
	const ctx = createResumeExecuteContext(
		{
			credentials: credentialsFor(emu),
			parameters: generateParameters({
				options: { waitMode: 'resume', downloadBinary: true, binaryProperty: 'file' },
			}),
			items: items(n),
		},
		execution,
	);
	await node.execute.call(ctx);
	execution.afterExecute();
	expect(execution.status).toBe('waiting');
	return { execution, ids: decodeWaitState(execution.metadata)!.assets.map((a) => a.assetId) };
}

async function post(execution: FakeExecution, body: IDataObject) {
	counts.forged++;
	const ctx = createResumeWebhookContext(execution, {
		credentials: credentialsFor(emu),
		request: { body },
	});
	const result = (await node.webhook!.call(ctx as never)) as {
		workflowData?: INodeExecutionData[][];
	};
	return { result, response: ctx.recorder.response };
}

const forgedCompleted = (assetId: string) => ({
	task: 'asset_generation',
	asset_id: assetId,
	status: 'completed',
	result: { asset_url: trapUrl, asset_type: 'image', width: 1, height: 1 },
});
const forgedFailed = (assetId: string) => ({
	task: 'asset_generation',
	asset_id: assetId,
	status: 'failed',
	error: { code: 'FORGED', message: 'forged failure' },
});

describe.each(['v2', 'v1'] as Flavor[])('forged callbacks, n8n %s rules', (flavor) => {
	test('"completed" and "failed" for assets Hoox still generates: 503, nothing resumes', async () => {
		const { execution, ids } = await parked(flavor);
		for (const body of [
			forgedCompleted(ids[0]),
			forgedFailed(ids[0]),
			forgedCompleted(ids[1]),
			forgedFailed(ids[1]),
		]) {
			const { result, response } = await post(execution, body);
			expect(response.status).toBe(503);
			if (result.workflowData) counts.forgedResumes++;
		}
		expect(execution.resumes).toBe(0);
	});

	test('an asset id this execution does not wait for: 400', async () => {
		const { execution } = await parked(flavor);
		const { result, response } = await post(execution, forgedCompleted('65a0c0ffee0000000000beef'));
		expect(response.status).toBe(400);
		if (result.workflowData) counts.forgedResumes++;
	});

	test('the status read fails: 503 (Hoox delivers again), even with a "completed" body', async () => {
		const { execution, ids } = await parked(flavor);
		emu.injectFault({ route: `GET /asset/status/${ids[0]}`, count: 10, status: 500 });
		const { result, response } = await post(execution, forgedCompleted(ids[0]));
		expect(response.status).toBe(503);
		if (result.workflowData) counts.forgedResumes++;
	});

	test('a forged body for assets Hoox did finish: Hoox’s status and URL are used, the body’s never', async () => {
		const { execution, ids } = await parked(flavor);
		hooxSays(emu, ids[0], 'completed');
		hooxSays(emu, ids[1], 'failed');
		// each body claims the opposite of Hoox's outcome, and a URL of its own
		const first = await post(execution, forgedFailed(ids[0]));
		expect(first.response.body).toEqual({ received: true, resumed: false, waiting_for: 1 });
		const last = await post(execution, forgedCompleted(ids[1]));
		expect(last.response.body).toEqual({ received: true, resumed: true });
		const out = last.result.workflowData![0];
		expect(out.map((i) => i.json.status)).toEqual(['completed', 'failed']);
		expect(out[0].json.url).toBe(`${emu.origin}/media/${ids[0]}.png`);
		expect(out[1].json.error).toMatchObject({ message: 'Hoox says failed' });
		for (const item of out) {
			const text = JSON.stringify(item.json);
			if (text.includes(trapUrl) || text.includes('FORGED')) counts.fromBody++;
		}
		// the download went to Hoox's URL (the emulator's media answers 404 there: the asset is
		// only "completed" in this test's status answer), never to the body's
		expect(emu.requests({ kind: 'media' }).map((r) => r.path)).toEqual([`/media/${ids[0]}.png`]);
	});
});

const badInput = reliabilityFigures('bad-input matrix: resume bodies');

test('bad bodies on the resume URL, both n8n versions: a 4xx (or 503 "deliver again"), no crash, no resume', async () => {
	let tried = 0;
	let crashes = 0;
	let serverErrors = 0;
	let resumes = 0;
	let deliverAgain = 0;
	for (const flavor of ['v2', 'v1'] as Flavor[]) {
		const { execution, ids } = await parked(flavor, 1);
		for (const [label, body, rawBody] of badBodies(forgedCompleted(ids[0]))) {
			tried++;
			const ctx = createResumeWebhookContext(execution, {
				credentials: credentialsFor(emu),
				request: { body, rawBody },
			});
			let result: { workflowData?: INodeExecutionData[][] };
			try {
				result = (await node.webhook!.call(ctx as never)) as typeof result;
			} catch (error) {
				crashes++;
				throw new Error(`${label}: webhook() threw ${(error as Error).message.slice(0, 200)}`);
			}
			const status = ctx.recorder.response.status ?? 200;
			if (status >= 500 && status !== 503) serverErrors++;
			if (result.workflowData) resumes++;
			if (status === 503) deliverAgain++;
			const clear = (status >= 400 && status < 500) || status === 503;
			expect([label, status, clear]).toEqual([label, status, true]);
		}
		expect(execution.resumes).toBe(0);
	}
	badInput.add({ name: 'resume bodies tried (× n8n 1.x and 2.x rules)', value: tried });
	badInput.add({ name: 'crashes (webhook() threw)', value: crashes, target: '0' });
	badInput.add({ name: '500 answers', value: serverErrors, target: '0' });
	badInput.add({ name: 'resumes', value: resumes, target: '0' });
	badInput.add({
		name: '503 "deliver again" (valid enough, Hoox says generating)',
		value: deliverAgain,
	});
	expect(serverErrors).toBe(0);
	expect(resumes).toBe(0);
});
