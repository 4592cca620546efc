/**
 * Generate with Options → Wait Mode "Resume on Webhook": the wait state in custom data, parking,
 * the timeout output, and which of Hoox's callbacks resumes the execution. The emulator delivers
 * real callbacks to a stand-in of n8n's /webhook-waiting route (test/support/waitingN8n.ts), which
 * runs the node's webhook(); real n8n versions: test/e2e/resume.test.ts.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../../../emulator';
import { waitModeOption } from '../../../../nodes/Hoox/wait/options';
import {
	claimResume,
	releaseResume,
	resumeWebhooks,
} from '../../../../nodes/Hoox/wait/resume/callback';
import { isLocalHost, planResume } from '../../../../nodes/Hoox/wait/resume/plan';
import {
	decodeWaitState,
	encodeWaitState,
	freeStateKeys,
	maxWaitingAssets,
	saveWaitState,
	STATE_KEY,
	type WaitState,
} from '../../../../nodes/Hoox/wait/resume/state';
import {
	credentialsFor,
	generateParameters,
	items,
	node,
	startRequests,
} from '../../../support/hooxNode';
import {
	createResumeExecuteContext,
	createResumeWebhookContext,
	FakeExecution,
	startWaitingN8n,
	type Flavor,
	type WaitingN8n,
} from '../../../support/waitingN8n';
import { hooxSays } from '../../../support/hooxSays';

let emu: Emulator;
let n8n: WaitingN8n;

beforeAll(async () => {
	emu = await startEmulator({
		port: 0,
		durations: { image: 30, video: 40 },
		rateLimitPerMinute: 0,
		webhookRetryDelaysMs: [100, 200, 400],
	});
	n8n = await startWaitingN8n({ webhook: node.webhook as never, credentials: credentialsFor(emu) });
});
afterAll(async () => {
	await n8n.close();
	await emu.close();
});
beforeEach(() => emu.reset());

const RESUME = { waitMode: 'resume' };

function resumeParameters(overrides: Record<string, unknown> = {}) {
	const options = { ...RESUME, ...((overrides.options as object) ?? {}) };
	return generateParameters({ ...overrides, options });
}

interface ParkOptions {
	parameters?: Record<string, unknown>;
	input?: INodeExecutionData[];
	itemParameters?: Array<Record<string, unknown> | undefined>;
	flavor?: Flavor;
	signed?: boolean;
	isToolExecution?: boolean;
	continueOnFail?: boolean;
	metadata?: Record<string, string>;
}

/** Runs Generate in a fresh fake execution registered with the stand-in n8n. */
async function runResume(opts: ParkOptions = {}) {
	const execution = n8n.add(
		new FakeExecution({ flavor: opts.flavor ?? 'v2', input: opts.input ?? items(1) }),
	);
	if (opts.signed === false) execution.signed = false;
	if (opts.metadata) Object.assign(execution.metadata, opts.metadata);
	execution.parameters = opts.parameters ?? resumeParameters();
	const ctx = createResumeExecuteContext(
		{
			credentials: credentialsFor(emu),
			parameters: opts.parameters ?? resumeParameters(),
			itemParameters: opts.itemParameters,
			items: opts.input ?? items(1),
			isToolExecution: opts.isToolExecution,
			continueOnFail: opts.continueOnFail,
		},
		execution,
	);
	const out = (await node.execute.call(ctx))[0];
	execution.afterExecute();
	return { execution, ctx, out };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
			}),
		]);
	} finally {
		clearTimeout(timer);
	}
}

const assetIdsOf = (list: INodeExecutionData[]) => list.map((i) => i.json.asset_id as string);
const paired = (list: INodeExecutionData[]) =>
	list.map((i) => (i.pairedItem as { item: number }).item);
const submittedWebhookUrls = () =>
	startRequests(emu).map((r) => (r.body as IDataObject).webhook_url);

/** Waits until the emulator settled every delivery (delivered or dropped) it started. */
async function deliveriesSettled(count: number, emulator: Emulator = emu) {
	await within(
		(async () => {
			for (;;) {
				const done = emulator.webhookDeliveries().filter((d) => d.outcome !== 'retrying');
				if (done.length >= count) return;
				await new Promise((r) => setTimeout(r, 20));
			}
		})(),
		10_000,
		`${count} settled webhook deliveries`,
	);
}

// ------------------------------------------------------------------ description

describe('description', () => {
	test('a restart webhook with an empty path, and the Wait Mode option on Generate only', () => {
		expect(resumeWebhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		]);
		expect(node.description.webhooks).toBe(resumeWebhooks);
		const optionsOf = (operation: string) =>
			node.description.properties.find(
				(p) =>
					p.name === 'options' &&
					(p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
			);
		const generate = optionsOf('generate')?.options as Array<{ name: string }>;
		expect(generate.map((o) => o.name)).toContain('waitMode');
		const wait = optionsOf('waitForCompletion')?.options as Array<{ name: string }>;
		expect(wait.map((o) => o.name)).not.toContain('waitMode');
		expect(waitModeOption.default).toBe('poll');
	});

	test('the documented capacity is what the encoding holds', () => {
		const max = maxWaitingAssets();
		expect(max).toBeGreaterThanOrEqual(80);
		expect(waitModeOption.description).toContain(`about ${Math.floor(max / 10) * 10} asset IDs`);
	});
});

// ------------------------------------------------------------------ state encoding

describe('wait state in custom data', () => {
	const id = (n: number) => `65a0c0ffee${String(n).padStart(14, '0')}`;
	const state = (count: number, perItem = 2): WaitState => ({
		nodeId: '9f1c1a52-5d5e-4d0b-9f4c-0d7d3c1f0001',
		download: true,
		binaryProperty: 'file',
		assets: Array.from({ length: count }, (_, n) => ({
			assetId: id(n),
			itemIndex: Math.floor(n / perItem),
		})),
	});

	test('round trip, chunked over keys of at most 255 characters', () => {
		const s = state(40, 3);
		const entries = encodeWaitState(s, 10)!;
		expect(Object.keys(entries)).toEqual([
			STATE_KEY,
			...Array.from({ length: Object.keys(entries).length - 1 }, (_, n) => `${STATE_KEY}_${n + 1}`),
		]);
		expect(Object.keys(entries).length).toBeGreaterThan(3);
		for (const value of Object.values(entries)) expect(value.length).toBeLessThanOrEqual(255);
		expect(entries[`${STATE_KEY}_1`]).toMatch(
			/^0:65a0c0ffee\d{14},65a0c0ffee\d{14},65a0c0ffee\d{14};1:/,
		);
		expect(decodeWaitState(entries)).toEqual(s);
	});

	test('one asset, no download', () => {
		const s: WaitState = {
			nodeId: 'n1',
			download: false,
			binaryProperty: 'data',
			assets: [{ assetId: 'a_1-b.c', itemIndex: 7 }],
		};
		const entries = encodeWaitState(s, 10)!;
		expect(entries[`${STATE_KEY}_1`]).toBe('7:a_1-b.c');
		expect(JSON.parse(entries[STATE_KEY])).toEqual({ v: 1, node: 'n1', chunks: 1, assets: 1 });
		expect(decodeWaitState(entries)).toEqual(s);
	});

	test('does not fit: too many assets for the free keys, or ids that cannot be stored', () => {
		expect(encodeWaitState(state(maxWaitingAssets(), 1), 10)).toBeDefined();
		expect(encodeWaitState(state(maxWaitingAssets() + 10, 1), 10)).toBeUndefined();
		expect(encodeWaitState(state(9), 2)).toBeDefined();
		expect(encodeWaitState(state(30), 2)).toBeUndefined();
		expect(encodeWaitState(state(1), 1)).toBeUndefined();
		for (const bad of ['a,b', 'a;b', 'a:b', '', 'x'.repeat(101), 'ü']) {
			expect(
				encodeWaitState({ ...state(1), assets: [{ assetId: bad, itemIndex: 0 }] }, 10),
			).toBeUndefined();
		}
	});

	test('damaged or foreign data reads as no state', () => {
		const entries = encodeWaitState(state(20), 10)!;
		expect(decodeWaitState(undefined)).toBeUndefined();
		expect(decodeWaitState({})).toBeUndefined();
		expect(decodeWaitState({ ...entries, [STATE_KEY]: 'not json' })).toBeUndefined();
		expect(
			decodeWaitState({
				...entries,
				[STATE_KEY]: JSON.stringify({ v: 2, node: 'x', chunks: 1, assets: 1 }),
			}),
		).toBeUndefined();
		const missing = { ...entries };
		delete missing[`${STATE_KEY}_2`];
		expect(decodeWaitState(missing)).toBeUndefined();
		// a chunk cut at 512 characters (n8n's limit) or a count that does not match
		expect(
			decodeWaitState({ ...entries, [`${STATE_KEY}_1`]: entries[`${STATE_KEY}_1`].slice(0, 40) }),
		).toBeUndefined();
		// stale chunks of an earlier, bigger state are ignored
		const small = encodeWaitState(state(2), 10)!;
		expect(decodeWaitState({ ...entries, ...small })?.assets).toHaveLength(2);
	});

	test('free keys: the user’s own keys count, ours are reused', () => {
		expect(freeStateKeys({})).toBe(10);
		expect(
			freeStateKeys({ customer: '1', order: '2', [STATE_KEY]: '{}', [`${STATE_KEY}_3`]: 'x' }),
		).toBe(8);
	});

	test('saveWaitState reads back what n8n kept (it drops keys over its limit silently)', () => {
		const execution = new FakeExecution();
		for (let n = 0; n < 8; n++) execution.metadata[`user_${n}`] = 'x';
		expect(saveWaitState(execution.customData, state(9))).toEqual({ saved: true });
		expect(decodeWaitState(execution.metadata)).toEqual(state(9));
		const full = new FakeExecution();
		for (let n = 0; n < 8; n++) full.metadata[`user_${n}`] = 'x';
		const result = saveWaitState(full.customData, state(30));
		expect(result).toMatchObject({
			saved: false,
			reason: expect.stringContaining('30 asset ids do not fit in the 2 custom-data keys'),
		});
		// a custom-data object that loses a key
		const lossy = { set: () => undefined, setAll: () => undefined, getAll: () => ({}) };
		expect(saveWaitState(lossy, state(1))).toMatchObject({
			saved: false,
			reason: expect.stringContaining('was not kept'),
		});
	});
});

// ------------------------------------------------------------------ execute(): submit and park

describe('execute() parks the execution', () => {
	beforeEach(() => emu.setDuration({ image: 60_000 }));

	test('each submit carries the resume URL exactly as n8n gave it (2.x: with ?signature=)', async () => {
		const { execution } = await runResume({ input: items(3) });
		expect(execution.resumeUrl).toMatch(
			/^http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/\d+\?signature=[0-9a-f]{64}$/,
		);
		expect(submittedWebhookUrls()).toEqual([
			execution.resumeUrl,
			execution.resumeUrl,
			execution.resumeUrl,
		]);
	});

	test('1.x resume URL (no signature) is used as given too', async () => {
		const { execution } = await runResume({ signed: false, flavor: 'v1' });
		expect(execution.resumeUrl).not.toContain('?');
		expect(submittedWebhookUrls()).toEqual([execution.resumeUrl]);
	});

	test('parks until the wait limit; the state lists every asset with its item; timeout output is ready', async () => {
		const before = Date.now();
		const { execution, ctx, out } = await runResume({
			parameters: resumeParameters({ generationCount: 2, options: { waitTimeout: 600 } }),
			input: items(3),
		});
		expect(ctx.recorder.waits).toHaveLength(1);
		const waitTill = ctx.recorder.waits[0].getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 600_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 600_000);
		expect(execution.status).toBe('waiting');

		const state = decodeWaitState(execution.metadata)!;
		expect(state.nodeId).toBe(ctx.getNode().id);
		expect(state.assets.map((a) => a.itemIndex)).toEqual([0, 0, 1, 1, 2, 2]);
		const ids = state.assets.map((a) => a.assetId);
		expect(new Set(ids).size).toBe(6);

		// What execute() returns and what n8n passes on if the wait limit passes: the same items.
		expect(assetIdsOf(out)).toEqual(ids);
		expect(paired(out)).toEqual([0, 0, 1, 1, 2, 2]);
		expect(execution.timeoutOutput()).toEqual(out);
		for (const item of out) {
			expect(item.json).toMatchObject({
				wait_timed_out: true,
				status: expect.stringMatching(/^(pending|generating)$/),
				model: 'gpt-image-2',
				source_item_index: (item.pairedItem as { item: number }).item,
				error: { message: expect.stringContaining('wait limit (600 s) passed; last status: ') },
			});
		}
		// one status round before parking, ending at the first asset still generating
		expect(emu.requests({ method: 'GET', path: '/asset/status' })).toHaveLength(1);
		expect(
			ctx.recorder.logs.some(
				(l) => l.level === 'info' && l.message.includes(`waits for 6 of 6 asset(s)`),
			),
		).toBe(true);
	});

	test('the timeout output keeps finished assets as they are (only the unfinished carry an error)', async () => {
		emu.setDuration({ image: 60_000 });
		const { out } = await runResume({
			input: items(2),
			itemParameters: [
				{
					additionalFields: {
						additionalBodyFields: JSON.stringify({ x_emulator: { duration_ms: 0 } }),
					},
				},
			],
		});
		expect(out.map((i) => i.json.status)).toEqual([
			'completed',
			expect.stringMatching(/pending|generating/),
		]);
		expect(out[0].json.error).toBeUndefined();
		expect(out[0].json.url).toEqual(expect.any(String));
		expect(out[1].json.error).toBeDefined();
		expect(out.every((i) => i.json.wait_timed_out === true)).toBe(true);
	});

	test('everything finished before parking: no park, no state, the same output as polling', async () => {
		emu.setDuration({ image: 0 });
		const { execution, ctx, out } = await runResume({
			parameters: resumeParameters({ generationCount: 2 }),
			input: items(2),
		});
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(execution.status).toBe('running');
		expect(execution.metadata).toEqual({});
		expect(out.map((i) => i.json.status)).toEqual([
			'completed',
			'completed',
			'completed',
			'completed',
		]);
		expect(out[0].json.wait_timed_out).toBeUndefined();
		expect(paired(out)).toEqual([0, 0, 1, 1]);
	});

	test('callbacks that n8n refused with 409 while the node ran: the status round finds the assets done', async () => {
		const { execution, ctx, out } = await runResume({
			parameters: resumeParameters({
				additionalFields: {
					additionalBodyFields: JSON.stringify({ x_emulator: { webhook_before_response: true } }),
				},
			}),
			input: items(2),
		});
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(out.map((i) => i.json.status)).toEqual(['completed', 'completed']);
		expect(execution.calls.filter((c) => c.status === 409).length).toBeGreaterThanOrEqual(2);
	});

	test('a failed asset found before parking fails the node like polling does', async () => {
		emu.setDuration({ image: 0 });
		emu.failNext(1);
		await expect(runResume({ input: items(2) })).rejects.toThrow(
			'[item 0] 1 of 2 Hoox assets failed',
		);
	});

	test('as an AI-agent tool it never parks: no resume URL sent, it polls', async () => {
		emu.setDuration({ image: 50 });
		const { ctx, out, execution } = await runResume({ isToolExecution: true, input: items(2) });
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(submittedWebhookUrls()).toEqual([undefined, undefined]);
		expect(execution.metadata).toEqual({});
		expect(out.map((i) => i.json.status)).toEqual(['completed', 'completed']);
	});

	test('Wait for Completion off: no resume URL, the IDs at once', async () => {
		const { ctx, out } = await runResume({
			parameters: resumeParameters({ options: { waitForCompletion: false } }),
		});
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(submittedWebhookUrls()).toEqual([undefined]);
		expect(out[0].json.status).toMatch(/pending|generating/);
	});

	test('a Webhook URL of the user cannot be combined with the mode: nothing is submitted', async () => {
		for (const fields of [
			{ webhookUrl: 'http://127.0.0.1:1/hook' },
			{ additionalBodyFields: JSON.stringify({ webhook_url: 'http://127.0.0.1:1/hook' }) },
		]) {
			await expect(
				runResume({ parameters: resumeParameters({ additionalFields: fields }), input: items(2) }),
			).rejects.toThrow(
				'[item 0] Additional Fields → Webhook URL cannot be combined with Options → Wait Mode "Resume on Webhook"',
			);
		}
		expect(startRequests(emu)).toHaveLength(0);
	});

	test('Continue On Fail with an invalid item: the others poll (a resume would lose the error item)', async () => {
		emu.setDuration({ image: 50 });
		const { ctx, out } = await runResume({
			input: items(2),
			itemParameters: [undefined, { additionalFields: { webhookUrl: 'http://127.0.0.1:1/hook' } }],
			continueOnFail: true,
		});
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(out).toHaveLength(2);
		expect(out[0].json.status).toBe('completed');
		expect(out[1].json.error).toMatchObject({
			message: expect.stringMatching(/cannot be combined/),
		});
		expect(
			ctx.recorder.logs.some((l) =>
				/falls back to polling for this run: 1 item\(s\) failed before submitting/.test(l.message),
			),
		).toBe(true);
		// decided before submitting: the valid item was sent without the resume URL
		expect(submittedWebhookUrls()).toEqual([undefined]);
	});

	test('parking fails (putExecutionToWait throws): the error lists every submitted asset', async () => {
		const execution = n8n.add(new FakeExecution({ input: items(2) }));
		const ctx = createResumeExecuteContext(
			{ credentials: credentialsFor(emu), parameters: resumeParameters(), items: items(2) },
			execution,
		);
		(ctx as any).putExecutionToWait = async () => {
			throw new Error('database is gone');
		};
		const error = await node.execute.call(ctx).then(
			() => undefined,
			(e: unknown) => e as { message: string; description?: string },
		);
		const ids = startRequests(emu).length;
		expect(ids).toBe(2);
		expect(error?.message).toContain(
			'Parking the execution to wait for the Hoox assets failed: database is gone',
		);
		for (const id of decodeWaitState(execution.metadata)!.assets.map((a) => a.assetId)) {
			expect(error?.description).toContain(id);
		}
	});

	test('too many assets for the free custom data: polls this run, without sending the resume URL', async () => {
		emu.setDuration({ image: 50 });
		const metadata = Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`user_${n}`, 'x']));
		// 2 keys left: one chunk of 15 packed ids, and the header
		const { ctx, out, execution } = await runResume({
			parameters: resumeParameters({ generationCount: 4 }),
			input: items(4),
			metadata,
		});
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(out).toHaveLength(16);
		expect(out.every((i) => i.json.status === 'completed')).toBe(true);
		expect(submittedWebhookUrls()).toEqual([undefined, undefined, undefined, undefined]);
		expect(Object.keys(execution.metadata).filter((k) => k.startsWith('hoox'))).toEqual([]);
		expect(
			ctx.recorder.logs.some(
				(l) =>
					l.level === 'info' &&
					/falls back to polling.*would not fit in the execution's custom data/.test(l.message),
			),
		).toBe(true);
	});

	test('n8n without custom data for nodes: polls, and says so', async () => {
		emu.setDuration({ image: 50 });
		const { ctx, out } = await runResume({ flavor: 'none' });
		expect(ctx.recorder.waits).toHaveLength(0);
		expect(submittedWebhookUrls()).toEqual([undefined]);
		expect(out[0].json.status).toBe('completed');
		expect(
			ctx.recorder.logs.some((l) => /no access to the execution's custom data/.test(l.message)),
		).toBe(true);
	});
});

describe('a resume URL Hoox cannot reach', () => {
	test.each([
		['localhost', true],
		['app.localhost', true],
		['n8n.local', true],
		['127.0.0.1', true],
		['10.1.2.3', true],
		['172.16.0.1', true],
		['172.32.0.1', false],
		['192.168.1.20', true],
		['169.254.1.1', true],
		['[::1]', true],
		['fd12:3456::1', true],
		['n8n.example.com', false],
		['203.0.113.7', false],
	])('%s is local: %s', (host, local) => {
		expect(isLocalHost(host)).toBe(local);
	});

	const settings = {
		waitMode: 'resume',
		timeoutMs: 60_000,
		minIntervalMs: 10,
		maxIntervalMs: 30,
		download: false,
		binaryProperty: 'data',
	} as never;

	test('n8n on localhost with the real Hoox: polls, and the log says to set WEBHOOK_URL', async () => {
		const execution = new FakeExecution();
		const ctx = createResumeExecuteContext(
			{
				credentials: { apiKey: 'hx_live_x', baseUrl: 'https://app.hoox.video/api/public/v1' },
				resumeUrl: 'http://localhost:5678/webhook-waiting/7?signature=abc',
			},
			execution,
		);
		(ctx as any).evaluateExpression = () => 'http://localhost:5678/webhook-waiting/7?signature=abc';
		expect(await planResume(ctx, settings)).toBeUndefined();
		const line = ctx.recorder.logs.find((l) => l.message.includes('falls back to polling'))!;
		expect(line.message).toContain(
			"Hoox cannot reach this execution's resume URL (http://localhost:5678/webhook-waiting/7)",
		);
		expect(line.message).toContain('WEBHOOK_URL');
		expect(line.message).not.toContain('signature');
	});

	test('a local Hoox (the emulator) can reach a local n8n', async () => {
		const execution = n8n.add(new FakeExecution());
		const ctx = createResumeExecuteContext({ credentials: credentialsFor(emu) }, execution);
		expect((await planResume(ctx, settings))?.resumeUrl).toBe(execution.resumeUrl);
	});
});

// ------------------------------------------------------------------ webhook(): which callback resumes

/** Per-item emulator knobs through Additional Body Fields. */
function knobs(...perItem: Array<Record<string, unknown>>) {
	return perItem.map((k) => ({
		additionalFields: { additionalBodyFields: JSON.stringify({ x_emulator: k }) },
	}));
}

describe('Hoox callbacks resume the execution', () => {
	test.each(['v2', 'v1'] as Flavor[])(
		'[%s] 3 items × 2 generations: earlier callbacks are acknowledged, the one that sees all done resumes',
		async (flavor) => {
			const { execution } = await runResume({
				flavor,
				signed: flavor === 'v2',
				parameters: resumeParameters({ generationCount: 2 }),
				input: items(3),
				// item 0 finishes first, item 2 last; the two generations of an item finish together
				itemParameters: knobs({ duration_ms: 400 }, { duration_ms: 800 }, { duration_ms: 1200 }),
			});
			expect(execution.status).toBe('waiting');
			const ids = decodeWaitState(execution.metadata)!.assets.map((a) => a.assetId);

			const output = await within(execution.resumed, 10_000, 'the resume');
			await deliveriesSettled(6);
			expect(execution.resumes).toBe(1);
			expect(assetIdsOf(output)).toEqual(ids);
			expect(paired(output)).toEqual([0, 0, 1, 1, 2, 2]);
			expect(
				output.every((i) => i.json.status === 'completed' && typeof i.json.url === 'string'),
			).toBe(true);
			expect(output[0].json).toMatchObject({
				type: 'image',
				model: 'gpt-image-2',
				prompt: 'A red bicycle leaning on a blue wall',
				source_item_index: 0,
			});
			expect(
				output.some((i) => i.json.wait_timed_out !== undefined || i.json.error !== undefined),
			).toBe(false);

			// Callbacks of items 0 and 1: acknowledged, still waiting. Item 2's two callbacks arrive
			// together: exactly one resumes, the other is acknowledged.
			const byAsset = (id: string) =>
				execution.calls.filter((c) => c.assetId === id && c.status === 200);
			for (const id of ids.slice(0, 4)) {
				expect(byAsset(id).map((c) => c.body)).toEqual([
					{ received: true, resumed: false, waiting_for: expect.any(Number) },
				]);
			}
			const last = [...byAsset(ids[4]), ...byAsset(ids[5])];
			expect(last).toHaveLength(2);
			expect(last.filter((c) => c.resumed)).toHaveLength(1);
			expect(last.map((c) => c.body)).toEqual([
				{ received: true, resumed: true },
				{ received: true, resumed: true },
			]);
			// Hoox saw every delivery answered 2xx (none retried after the park)
			expect(emu.webhookDeliveries().filter((d) => d.outcome === 'delivered')).toHaveLength(6);
		},
	);

	test('the output equals the polling mode’s (same fields per asset)', async () => {
		const resumed = await runResume({
			input: items(2),
			itemParameters: knobs({ duration_ms: 300 }, { duration_ms: 300 }),
		});
		const output = await within(resumed.execution.resumed, 10_000, 'the resume');
		emu.setDuration({ image: 50 });
		const polled = (
			await node.execute.call(
				createResumeExecuteContext(
					{ credentials: credentialsFor(emu), parameters: generateParameters(), items: items(2) },
					new FakeExecution(),
				),
			)
		)[0];
		expect(output.map((i) => Object.keys(i.json).sort())).toEqual(
			polled.map((i) => Object.keys(i.json).sort()),
		);
		const strip = (json: IDataObject) => {
			const { asset_id, url, created_at, ...rest } = json;
			return rest;
		};
		expect(output.map((i) => strip(i.json))).toEqual(polled.map((i) => strip(i.json)));
	});

	test('a failed asset: the execution resumes with it as an item (status failed, Hoox error)', async () => {
		const { execution } = await runResume({
			input: items(2),
			itemParameters: knobs(
				{
					duration_ms: 300,
					outcome: 'failed',
					error: { code: 'CONTENT_POLICY', message: 'Rejected by the provider' },
				},
				{ duration_ms: 600 },
			),
		});
		const output = await within(execution.resumed, 10_000, 'the resume');
		expect(output.map((i) => i.json.status)).toEqual(['failed', 'completed']);
		expect(output[0].json.error).toEqual({
			code: 'CONTENT_POLICY',
			message: 'Rejected by the provider',
		});
		expect(paired(output)).toEqual([0, 1]);
	});

	test('a failed callback alone does not resume while another asset generates', async () => {
		const { execution } = await runResume({
			input: items(2),
			itemParameters: knobs({ duration_ms: 200, outcome: 'failed' }, { duration_ms: 60_000 }),
		});
		await deliveriesSettled(1);
		expect(execution.status).toBe('waiting');
		expect(execution.calls.filter((c) => c.status === 200).map((c) => c.body)).toEqual([
			{ received: true, resumed: false, waiting_for: 1 },
		]);
	});

	test('duplicate deliveries (Hoox retries) do no harm', async () => {
		const { execution } = await runResume({
			parameters: resumeParameters({ generationCount: 2 }),
			input: items(2),
			itemParameters: knobs(
				{ duration_ms: 300, webhook_twice: true },
				{ duration_ms: 700, webhook_twice: true },
			),
		});
		const output = await within(execution.resumed, 10_000, 'the resume');
		await deliveriesSettled(8);
		expect(output).toHaveLength(4);
		expect(execution.resumes).toBe(1);
		// the copies that came after the resume got n8n's 409 (the execution finished)
		expect(
			execution.calls
				.filter((c) => c.status === 409)
				.every((c) => /finished already/.test(JSON.stringify(c.body))),
		).toBe(true);
	});

	test('callbacks refused with 409 before the park are delivered again and still count', async () => {
		const { execution } = await runResume({
			input: items(2),
			// item 0 finishes before its submit is even answered (its callbacks meet a running execution)
			itemParameters: knobs({ webhook_before_response: true }, { duration_ms: 600 }),
		});
		expect(execution.status).toBe('waiting');
		const output = await within(execution.resumed, 10_000, 'the resume');
		expect(output.map((i) => i.json.status)).toEqual(['completed', 'completed']);
		const first = emu.webhookDeliveries().filter((d) => d.asset_id === output[0].json.asset_id);
		expect(first[0].status).toBe(409);
	});

	test('downloads the files into binary data when the option is on', async () => {
		const { execution } = await runResume({
			parameters: resumeParameters({ options: { downloadBinary: true, binaryProperty: 'image' } }),
			itemParameters: knobs({ duration_ms: 300 }),
		});
		expect(decodeWaitState(execution.metadata)).toMatchObject({
			download: true,
			binaryProperty: 'image',
		});
		const output = await within(execution.resumed, 10_000, 'the resume');
		expect(output[0].binary?.image).toMatchObject({
			mimeType: 'image/png',
			fileName: `${output[0].json.asset_id}.png`,
		});
	});

	test('applies Max Download Size to the files downloaded on resume', async () => {
		const { execution } = await runResume({
			parameters: resumeParameters({ options: { downloadBinary: true, maxDownloadSizeMb: 5 } }),
			itemParameters: knobs({ duration_ms: 300, large_media: true }),
		});
		const output = await within(execution.resumed, 10_000, 'the resume');
		expect(output[0].binary).toBeUndefined();
		expect(output[0].json.error).toMatchObject({
			message: expect.stringMatching(/more than the 5 MB limit \(Max Download Size\)/),
		});
	});

	test('a status read that fails: 503, so Hoox delivers again, and a later delivery resumes', async () => {
		// (Two callbacks that arrive together need no status read at all: their events count.)
		const { execution } = await runResume({
			input: items(2),
			itemParameters: knobs({ duration_ms: 200 }, { duration_ms: 1500 }),
		});
		emu.injectFault({ route: 'GET /asset/status', count: 40, status: 503 });
		await within(
			(async () => {
				while (!execution.calls.some((c) => c.status === 503))
					await new Promise((r) => setTimeout(r, 20));
			})(),
			10_000,
			'a 503 answer',
		);
		emu.clearFaults();
		const output = await within(execution.resumed, 10_000, 'the resume');
		expect(output).toHaveLength(2);
		expect(execution.calls.find((c) => c.status === 503)?.body).toMatchObject({
			error: expect.stringContaining('deliver again'),
		});
	});
});

describe('many assets finishing together, at the default rate limit (100 requests/min)', () => {
	let limited: Emulator;
	let limitedN8n: WaitingN8n;
	beforeAll(async () => {
		limited = await startEmulator({ port: 0, durations: { image: 1500 } });
		limitedN8n = await startWaitingN8n({
			webhook: node.webhook as never,
			credentials: credentialsFor(limited),
		});
	});
	afterAll(async () => {
		await limitedN8n.close();
		await limited.close();
	});

	test.each([
		[10, 4],
		[30, 1],
	])(
		'%i items × %i generations: resumes exactly once, one check at a time, far below the limit',
		async (count, generations) => {
			limited.reset();
			const assets = count * generations;
			const execution = limitedN8n.add(new FakeExecution({ input: items(count) }));
			const ctx = createResumeExecuteContext(
				{
					credentials: credentialsFor(limited),
					parameters: resumeParameters({ generationCount: generations }),
					items: items(count),
				},
				execution,
			);
			await node.execute.call(ctx);
			execution.afterExecute();
			expect(execution.status).toBe('waiting');

			const output = await within(execution.resumed, 20_000, 'the resume');
			await deliveriesSettled(assets, limited);
			expect(execution.resumes).toBe(1);
			expect(output).toHaveLength(assets);
			expect(
				output.every(
					(i) =>
						i.json.status === 'completed' &&
						typeof i.json.url === 'string' &&
						i.json.model === 'gpt-image-2',
				),
			).toBe(true);

			// Every callback answered 2xx or by n8n after the resume; none asked Hoox to deliver again.
			expect(execution.calls.filter((c) => c.status >= 500)).toEqual([]);
			// No request was refused, and the status reads stay far below the 100 of the window: at
			// most one probe per callback while others still run, and each asset read once in full.
			// (Before one check per execution: 6,440 status requests for 40 assets, 6,351 of them 429s.)
			expect(limited.requests({ kind: 'api' }).filter((r) => r.status === 429)).toEqual([]);
			expect(limited.requests({ method: 'GET', path: '/asset/status' }).length).toBeLessThanOrEqual(
				2 * assets,
			);
		},
		30_000,
	);
});

describe('callbacks that must not resume', () => {
	async function parked() {
		emu.setDuration({ image: 60_000 });
		const run = await runResume({ input: items(2) });
		return { ...run, ids: decodeWaitState(run.execution.metadata)!.assets.map((a) => a.assetId) };
	}

	async function call(execution: FakeExecution, body: unknown, query: IDataObject = {}) {
		const ctx = createResumeWebhookContext(execution, {
			credentials: credentialsFor(emu),
			request: { body, query },
		});
		const result = await node.webhook!.call(ctx as never);
		return { result, response: ctx.recorder.response };
	}

	test.each([
		['not JSON', 'hello'],
		['an array', [1, 2]],
		['no asset_id', { task: 'asset_generation', status: 'completed' }],
		[
			'an unknown status',
			{ task: 'asset_generation', asset_id: '65a0c0ffee0000000000000a', status: 'exploded' },
		],
		[
			'another task',
			{ task: 'video_export', asset_id: '65a0c0ffee0000000000000a', status: 'completed' },
		],
	])('%s → 400', async (_, body) => {
		const { execution } = await parked();
		const { result, response } = await call(execution, body);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(400);
		expect(response.body).toMatchObject({
			error: expect.stringMatching(/^Not a Hoox asset event/),
		});
	});

	test('a callback sent as text/plain is read from the raw body, as the Trigger reads it', async () => {
		const { execution, ids } = await parked();
		hooxSays(emu, ids[0], 'completed');
		const text = JSON.stringify({
			task: 'asset_generation',
			asset_id: ids[0],
			status: 'completed',
		});
		const ctx = createResumeWebhookContext(execution, {
			credentials: credentialsFor(emu),
			request: { body: {}, rawBody: Buffer.from(text) },
		});
		await node.webhook!.call(ctx as never);
		expect(ctx.recorder.response).toMatchObject({
			status: 200,
			body: { received: true, resumed: false, waiting_for: 1 },
		});
	});

	test('an asset this execution does not wait for → 400', async () => {
		const { execution } = await parked();
		const { result, response } = await call(execution, {
			task: 'asset_generation',
			asset_id: '65a0c0ffee0000000000ffff',
			status: 'completed',
		});
		expect(result.workflowData).toBeUndefined();
		expect(response).toMatchObject({
			status: 400,
			body: { error: expect.stringContaining('not one this execution waits for') },
		});
	});

	test('no wait state (custom data gone) → 409, and another node’s state → 409', async () => {
		const { execution, ids } = await parked();
		const event = { task: 'asset_generation', asset_id: ids[0], status: 'completed' };
		const saved = { ...execution.metadata };
		execution.metadata = {};
		expect((await call(execution, event)).response).toMatchObject({ status: 409 });
		execution.metadata = {
			...saved,
			[STATE_KEY]: saved[STATE_KEY].replace(/"node":"[^"]+"/, '"node":"other"'),
		};
		expect((await call(execution, event)).response).toMatchObject({
			status: 409,
			body: { error: 'This execution waits in another node' },
		});
	});

	test('a callback whose asset Hoox still reports as generating: 503 (deliver again), nothing counts', async () => {
		const { execution, ids } = await parked();
		const first = await call(execution, {
			task: 'asset_generation',
			asset_id: ids[0],
			status: 'completed',
			result: { asset_url: 'http://127.0.0.1:1/a.png', asset_type: 'image' },
		});
		expect(first.response.status).toBe(503);
		expect(first.result).toEqual({ noWebhookResponse: true });
		hooxSays(emu, ids[1], 'completed');
		const other = await call(execution, {
			task: 'asset_generation',
			asset_id: ids[1],
			status: 'completed',
			result: { asset_url: 'http://127.0.0.1:1/b.png', asset_type: 'image' },
		});
		// asset 0 did not count: still waiting for it
		expect(other.response.body).toEqual({ received: true, resumed: false, waiting_for: 1 });
		// Hoox's status catches up; its next delivery resumes with Hoox's URL, not the callback's
		hooxSays(emu, ids[0], 'completed');
		const again = await call(execution, {
			task: 'asset_generation',
			asset_id: ids[0],
			status: 'completed',
			result: { asset_url: 'http://127.0.0.1:1/a.png', asset_type: 'image' },
		});
		expect(again.response.body).toEqual({ received: true, resumed: true });
		const items = (again.result as { workflowData: INodeExecutionData[][] }).workflowData[0];
		expect(items.map((i) => i.json.url)).toEqual([
			`${emu.origin}/media/${ids[0]}.png`,
			`${emu.origin}/media/${ids[1]}.png`,
		]);
	});

	test('the resume is claimed once per execution', () => {
		expect(claimResume('exec-claim-1')).toBe(true);
		expect(claimResume('exec-claim-1')).toBe(false);
		expect(claimResume('exec-claim-2')).toBe(true);
		releaseResume('exec-claim-1');
		expect(claimResume('exec-claim-1')).toBe(true);
		expect(claimResume('exec-claim-1', Date.now() + 16 * 60_000)).toBe(true);
	});
});
