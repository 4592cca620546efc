/** Waiting for many assets at once, failures, timeouts, faults during polling, cancel, binary output. */
import { startEmulator, type Emulator } from '../../../../emulator';
import {
	FAST_WAIT,
	generateParameters,
	items,
	mapper,
	rl,
	run,
	runError,
	startRequests,
} from '../../../support/hooxNode';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({
		port: 0,
		durations: { image: 30, video: 40 },
		rateLimitPerMinute: 0,
	});
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const statusPolls = () => emu.requests({ method: 'GET', path: '/asset/status' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('10 items × 2 generations: all submitted first, then one polling loop for all 20 assets', async () => {
	const { items: out } = await run(emu, {
		parameters: generateParameters({ generationCount: 2 }),
		items: items(10),
	});
	expect(out).toHaveLength(20);
	expect(out.every((i) => i.json.status === 'completed' && typeof i.json.url === 'string')).toBe(
		true,
	);
	expect(out.map((i) => (i.pairedItem as { item: number }).item)).toEqual([
		0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
	]);
	expect(out.map((i) => i.json.source_item_index)).toEqual(
		out.map((i) => (i.pairedItem as { item: number }).item),
	);

	const starts = startRequests(emu);
	const polls = statusPolls();
	expect(starts).toHaveLength(10);
	// one wait for everything: no status poll before the last submit
	expect(Math.min(...polls.map((p) => p.seq))).toBeGreaterThan(
		Math.max(...starts.map((s) => s.seq)),
	);
	// every asset polled, none polled again once it was seen completed, and the total stays bounded
	const ids = out.map((i) => i.json.asset_id as string);
	const byAsset = new Map<string, typeof polls>();
	for (const p of polls) {
		const id = p.path.split('/').pop() as string;
		byAsset.set(id, [...(byAsset.get(id) ?? []), p]);
	}
	expect([...byAsset.keys()].sort()).toEqual([...ids].sort());
	for (const [id, list] of byAsset) {
		const asset = emu.getAsset(id);
		expect(asset?.status).toBe('completed');
		expect(list.length).toBeLessThanOrEqual(40);
	}
	expect(polls.length).toBeLessThanOrEqual(20 * 40);
});

test('a failed asset: the node waits for all, then fails listing every asset with its status', async () => {
	emu.failNext(1, {
		code: 'GENERATION_FAILED',
		message: 'The provider could not render this prompt',
	});
	const error = await runError(emu, { parameters: generateParameters(), items: items(3) });
	expect(error.message).toBe(
		'[item 0] 1 of 3 Hoox assets failed: The provider could not render this prompt',
	);
	const assets = startRequests(emu).length;
	expect(assets).toBe(3);
	const ids = emu
		.requests({ method: 'GET', path: '/asset/status' })
		.map((p) => p.path.split('/').pop());
	for (const id of new Set(ids)) expect(error.description).toContain(id);
	expect(error.description).toMatch(/\(item 0: failed\)/);
	expect(error.description).toMatch(/\(item 1: completed\).*\(item 2: completed\)/);
});

test('a failed asset with Continue On Fail: an item carrying the Hoox error, the others completed', async () => {
	emu.failNext(1);
	const { items: out } = await run(emu, {
		parameters: generateParameters(),
		items: items(2),
		continueOnFail: true,
	});
	expect(out).toHaveLength(2);
	expect(out[0].json).toMatchObject({
		status: 'failed',
		error: { code: 'GENERATION_FAILED' },
		source_item_index: 0,
	});
	expect(out[0].pairedItem).toEqual({ item: 0 });
	expect(out[1].json).toMatchObject({ status: 'completed', source_item_index: 1 });
});

describe('timeout', () => {
	beforeEach(() => emu.setDuration({ image: 60_000 }));

	test('the error lists every asset ID with its last status', async () => {
		const error = await runError(emu, {
			parameters: generateParameters({ generationCount: 2, options: { waitTimeout: 0.2 } }),
			items: items(2),
		});
		expect(error.message).toMatch(
			/^\[item 0\] Timed out after 0.2 s: 4 of 4 Hoox assets are not finished$/,
		);
		const ids = startRequests(emu).length;
		expect(ids).toBe(2);
		const assetIds = [...new Set(statusPolls().map((p) => p.path.split('/').pop() as string))];
		expect(assetIds).toHaveLength(4);
		for (const id of assetIds) expect(error.description).toContain(`${id} (item`);
		expect(error.description).toMatch(/: generating\)/);
	});

	test('with Continue On Fail: one item per asset, with its ID, status and the timeout error', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({ options: { waitTimeout: 0.2 } }),
			items: items(2),
			continueOnFail: true,
		});
		expect(out).toHaveLength(2);
		for (const [i, item] of out.entries()) {
			expect(item.json).toMatchObject({
				status: 'generating',
				source_item_index: i,
				wait_timed_out: true,
				error: {
					message: expect.stringContaining('wait limit (0.2 s) passed; last status: generating'),
				},
			});
			expect(typeof item.json.asset_id).toBe('string');
		}
	});

	test('as an AI-agent tool: returns the asset IDs and statuses within the budget instead of failing', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({ options: { waitTimeout: 0.2 } }),
			isToolExecution: true,
		});
		expect(out).toHaveLength(1);
		// marked like every timed-out item (polling and resume alike)
		expect(out[0].json).toMatchObject({
			status: 'generating',
			model: 'gpt-image-2',
			wait_timed_out: true,
			error: { message: expect.stringContaining('wait limit (0.2 s) passed') },
		});
	});
});

test('429 and 5xx answers during polling are survived', async () => {
	emu.injectFault({
		route: 'GET /asset/status',
		count: 2,
		status: 429,
		headers: { 'retry-after': '0' },
	});
	emu.injectFault({ route: 'GET /asset/status', count: 2, status: 503 });
	const { items: out } = await run(emu, { parameters: generateParameters(), items: items(2) });
	expect(out.map((i) => i.json.status)).toEqual(['completed', 'completed']);
	const answered = statusPolls().map((p) => p.status);
	expect(answered.filter((s) => s === 429)).toHaveLength(2);
	expect(answered.filter((s) => s === 503)).toHaveLength(2);
	// the transport's real backoff (1 s base, jittered) runs between the four faulty answers
}, 30_000);

test('cancel stops polling and reports the asset IDs', async () => {
	emu.setDuration({ image: 60_000 });
	const controller = new AbortController();
	const pending = runError(emu, {
		parameters: generateParameters({ generationCount: 2, options: { waitTimeout: 600 } }),
		abortSignal: controller.signal,
	});
	while (statusPolls().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
	controller.abort();
	const error = await pending;
	expect(error.message).toMatch(/cancelled/i);
	const ids = [...new Set(statusPolls().map((p) => p.path.split('/').pop() as string))];
	for (const id of ids) expect(`${error.message} ${error.description}`).toContain(id);
	const after = statusPolls().length;
	for (let i = 0; i < 20; i++) await tick();
	expect(statusPolls().length).toBe(after);
});

describe('binary output', () => {
	test('an image, downloaded without the API key', async () => {
		const { items: out, ctx } = await run(emu, {
			parameters: generateParameters({ options: { downloadBinary: true } }),
		});
		const binary = out[0].binary?.data;
		expect(binary).toMatchObject({ mimeType: 'image/png' });
		expect(binary?.fileName).toMatch(/\.png$/);
		expect(Number(binary?.fileSize)).toBeGreaterThan(0);
		expect(
			Buffer.from(binary?.data as string, 'base64')
				.subarray(1, 4)
				.toString(),
		).toBe('PNG');
		const media = emu.requests({ kind: 'media' });
		expect(media).toHaveLength(1);
		expect(media[0].headers.authorization).toBeUndefined();
		expect(
			ctx.recorder.http.filter((h) => h.url.includes('/media/')).every((h) => !h.authenticated),
		).toBe(true);
	});

	test('a video, into a custom binary property, in filesystem binary mode (streamed)', async () => {
		const { items: out, ctx } = await run(emu, {
			parameters: generateParameters({
				type: 'video',
				model: rl('kling-pro'),
				modelParameters: mapper({}),
				options: { downloadBinary: true, binaryProperty: 'video' },
			}),
			binaryMode: 'filesystem',
		});
		const binary = out[0].binary?.video;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', data: 'filesystem-v2' });
		expect(binary?.fileName).toMatch(/\.mp4$/);
		expect(binary?.id).toMatch(/^filesystem-v2:/);
		expect(ctx.recorder.binaryInputs).toEqual(['stream']);
		expect(out[0].json).toMatchObject({ status: 'completed', type: 'video' });
	});

	test('a failed download with Continue On Fail keeps the asset item and says why', async () => {
		emu.injectFault({ route: '/media/', count: 10, status: 404 });
		const { items: out } = await run(emu, {
			parameters: generateParameters({ options: { downloadBinary: true } }),
			continueOnFail: true,
		});
		expect(out[0].json).toMatchObject({
			status: 'completed',
			error: { message: expect.stringMatching(/Download failed/) },
		});
		expect(out[0].binary).toBeUndefined();
	});

	test('a file larger than Max Download Size is not downloaded (the declared size is enough)', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({
				options: { downloadBinary: true, maxDownloadSizeMb: 5 },
				additionalFields: {
					additionalBodyFields: JSON.stringify({ x_emulator: { large_media: true } }),
				},
			}),
			continueOnFail: true,
		});
		expect(out[0].json).toMatchObject({
			status: 'completed',
			error: { message: expect.stringMatching(/more than the 5 MB limit \(Max Download Size\)/) },
		});
		expect(out[0].binary).toBeUndefined();
		// the 200 MB body was never read: one media request, refused on its headers
		expect(emu.requests({ kind: 'media' })).toHaveLength(1);
	});

	test('as an AI-agent tool: a download still running when the wait timeout passes is stopped, the item says so', async () => {
		emu.injectFault({ route: '/media/', count: 1, delayMs: 30_000 });
		const { items: out } = await run(emu, {
			parameters: generateParameters({
				options: { ...FAST_WAIT, downloadBinary: true, waitTimeout: 2 },
			}),
			isToolExecution: true,
		});
		expect(out[0].json).toMatchObject({
			status: 'completed',
			download_skipped: true,
			error: {
				message: expect.stringMatching(/^Download stopped: the wait timeout \(2 s\) was used up/),
			},
		});
		expect(out[0].binary).toBeUndefined();
	});
});

describe('Hoox refusing the status polls (401) after the submit', () => {
	beforeEach(() => emu.injectFault({ route: 'GET /asset/status', count: 50, status: 401 }));

	test('the error still lists the asset IDs that were paid for', async () => {
		const error = await runError(emu, { parameters: generateParameters({ generationCount: 2 }) });
		expect(error.message).toMatch(/Hoox rejected the API key/);
		const [start] = startRequests(emu);
		expect(start.status).toBe(201);
		const ids = [...new Set(statusPolls().map((p) => p.path.split('/').pop() as string))];
		expect(ids.length).toBeGreaterThan(0);
		for (const id of ids) expect(error.description).toContain(id);
	});

	test('with Continue On Fail: one item per asset with its ID and the error', async () => {
		const { items: out } = await run(emu, {
			parameters: generateParameters({ generationCount: 2 }),
			continueOnFail: true,
		});
		expect(out).toHaveLength(2);
		for (const item of out) {
			expect(item.json).toMatchObject({
				asset_id: expect.any(String),
				error: { message: expect.stringMatching(/API key/) },
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});
});
