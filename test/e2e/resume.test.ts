/**
 * Generate with Wait Mode "Resume on Webhook" inside a real n8n: the execution parks (`waiting`),
 * the emulator's callbacks to `$execution.resumeUrl` resume it once every asset is done, the next
 * node gets one item per asset; the same after n8n restarts while the execution waits; a forged
 * `completed` callback (1.x's resume URL has no token) neither resumes it nor makes n8n fetch the
 * body's URL; and when the wait limit passes first, the workflow continues with the "timed out"
 * items.
 */
import { until, type ExecutionSummary } from '../../harness/n8n';
import { describeN8n, type E2EContext } from './harness/jest';
import { AFTER, generateWorkflow, HOOX } from './harness/workflows';

jest.setTimeout(180_000);

/** Manual → Hoox (Generate, resume mode) → No Op; each pinned input item sets its emulator duration. */
function workflow(
	ctx: E2EContext,
	name: string,
	durationsMs: number[],
	options: Record<string, unknown> = {},
	generationCount = 2,
) {
	return generateWorkflow(ctx, {
		name,
		parameters: {
			prompt: 'A red bicycle leaning on a blue wall',
			modelParameters: { mappingMode: 'defineBelow', value: null },
			generationCount,
			additionalFields: {
				additionalBodyFields: '={{ JSON.stringify({ x_emulator: { duration_ms: $json.ms } }) }}',
			},
			options: { waitMode: 'resume', pollIntervalMin: 0.2, pollIntervalMax: 0.5, ...options },
		},
		pinned: durationsMs.map((ms, i) => ({ i, ms })),
		after: true,
	});
}

async function startParked(
	ctx: E2EContext,
	name: string,
	durationsMs: number[],
	options: Record<string, unknown> = {},
	generationCount = 2,
) {
	const wf = await ctx.n8n.createWorkflow(
		workflow(ctx, name, durationsMs, options, generationCount),
	);
	const started = await ctx.n8n.startManualRun(wf.id);
	expect(started.executionId).toBeDefined();
	// n8n reports `waiting` (in memory) as soon as the node calls putExecutionToWait, before the
	// node's output is saved: wait for both.
	const waiting = await until(
		`execution ${started.executionId} to be parked`,
		async () => {
			const e = await ctx.n8n.execution(started.executionId!);
			if (e.status === 'waiting' && (e.nodes[HOOX]?.length ?? 0) > 0) return e;
			return ['success', 'error', 'crashed', 'canceled'].includes(e.status) ? e : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	return { wf, executionId: started.executionId!, waiting };
}

function submittedUrls(ctx: E2EContext, since: number): string[] {
	return ctx.emulator
		.requests({ method: 'POST', path: '/asset/start' })
		.filter((r) => r.seq > since)
		.map((r) => String((r.body as Record<string, unknown>).webhook_url));
}

const lastSeq = (ctx: E2EContext) => Math.max(0, ...ctx.emulator.requests().map((r) => r.seq));

function assetItems(execution: ExecutionSummary, node = AFTER) {
	return execution.nodes[node] ?? [];
}

describeN8n('resume on webhook', (ctx) => {
	it('parks, and the callbacks resume it once all 4 assets are done (2 items × 2 generations)', async () => {
		const since = lastSeq(ctx);
		const { executionId, waiting } = await startParked(ctx, 'resume: basic', [2000, 3000]);
		expect(waiting.status).toBe('waiting');

		// The resume URL exactly as n8n gives it: 2.x signs it, 1.x does not.
		const urls = submittedUrls(ctx, since);
		expect(urls).toHaveLength(2);
		expect(new Set(urls).size).toBe(1);
		const url = new URL(urls[0]);
		expect(url.pathname).toBe(`/webhook-waiting/${executionId}`);
		if (ctx.major === '2') expect(url.searchParams.get('signature')).toMatch(/^[0-9a-f]{16,}$/);
		else expect(url.search).toBe('');

		// While waiting: the node's output is the timeout output (one item per asset).
		const parkedItems = waiting.nodes[HOOX] ?? [];
		expect(parkedItems).toHaveLength(4);
		expect(parkedItems.every((j) => j.wait_timed_out === true)).toBe(true);

		const done = await ctx.n8n.waitForExecution(executionId, { timeoutMs: 60_000 });
		expect(done.status).toBe('success');
		const out = assetItems(done);
		expect(out).toHaveLength(4);
		expect(
			out.every(
				(j) =>
					j.status === 'completed' && typeof j.url === 'string' && j.wait_timed_out === undefined,
			),
		).toBe(true);
		expect(out.map((j) => j.source_item_index)).toEqual([0, 0, 1, 1]);
		expect(new Set(out.map((j) => j.asset_id)).size).toBe(4);
		expect(done.nodes[HOOX]).toEqual(out);
		// n8n re-pairs the items of a resumed node with its input by position (workflow-execute's
		// addPairedItemLineage runs on every node taken from the stack): webhook()'s pairedItem is
		// replaced, so the input item of an asset is source_item_index, not pairedItem.
		expect(
			(done.outputs[HOOX][0] ?? []).map((i) => (i.pairedItem as { item: number }).item),
		).toEqual([0, 1, 2, 3]);

		// Hoox's side: every callback answered 2xx or refused (409) after the resume, none dropped
		// for a 401/404/5xx; exactly one resumed.
		// (the delivery log records an attempt once it is answered: wait for the last one)
		const deliveries = await until(
			'4 answered deliveries',
			async () => {
				const list = ctx.emulator
					.webhookDeliveries()
					.filter((d) => out.some((j) => j.asset_id === d.asset_id));
				return new Set(list.map((d) => d.asset_id)).size >= 4 ? list : undefined;
			},
			{ timeoutMs: 20_000, intervalMs: 100 },
		);
		expect(deliveries.every((d) => d.status === 200 || d.status === 409)).toBe(true);
		for (const d of deliveries) expect(d.url).toBe(urls[0]);
		const custom = (done.data as any)?.resultData?.metadata as Record<string, string> | undefined;
		expect(Object.keys(custom ?? {})).toEqual(expect.arrayContaining(['hoox_wait', 'hoox_wait_1']));
	});

	it('downloads the file into binary data when the execution resumes', async () => {
		const { executionId, waiting } = await startParked(
			ctx,
			'resume: binary',
			[1500],
			{ downloadBinary: true, binaryProperty: 'image' },
			1,
		);
		expect(waiting.status).toBe('waiting');
		const done = await ctx.n8n.waitForExecution(executionId, { timeoutMs: 60_000 });
		expect(done.status).toBe('success');
		const [item] = done.outputs[AFTER][0];
		const json = item.json as Record<string, unknown>;
		expect(json.status).toBe('completed');
		const binary = (item.binary as Record<string, Record<string, unknown>>)?.image;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: `${json.asset_id}.png` });
		// one item per input item: here n8n's positional pairing is right
		expect((item.pairedItem as { item: number }).item).toBe(0);
	});

	it('a callback without the resume token is refused (2.x) and does not resume', async () => {
		const { executionId, waiting } = await startParked(ctx, 'resume: token', [60_000]);
		expect(waiting.status).toBe('waiting');
		const urls = submittedUrls(ctx, 0);
		const base = `${ctx.n8n.baseUrl}/webhook-waiting/${executionId}`;
		const res = await fetch(base, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ task: 'asset_generation', asset_id: 'x', status: 'completed' }),
		});
		if (ctx.major === '2') {
			expect(res.status).toBe(401);
		} else {
			// 1.x has no token: our webhook() rejects the unknown asset instead
			expect(res.status).toBe(400);
		}
		// a malformed body through the real URL: 400, still waiting
		const signed = urls.find((u) => u.includes(`/webhook-waiting/${executionId}`))!;
		const bad = await fetch(signed, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"hello":1}',
		});
		expect(bad.status).toBe(400);
		expect((await ctx.n8n.execution(executionId)).status).toBe('waiting');
	});

	it("a forged 'completed' callback with a made-up URL neither resumes it nor is fetched", async () => {
		// 1.x's resume URL has no token: anyone who knows an execution id and an asset id can post
		// here. The fake URL is on loopback, which downloads may reach (the Base URL is local), so
		// only "the body is never trusted" keeps n8n from fetching it.
		const since = lastSeq(ctx);
		const { executionId, waiting } = await startParked(
			ctx,
			'resume: forged callback',
			[20_000],
			{ downloadBinary: true, binaryProperty: 'image' },
			1,
		);
		expect(waiting.status).toBe('waiting');
		const [resumeUrl] = submittedUrls(ctx, since);
		const assetId = String((waiting.nodes[HOOX] ?? [])[0]?.asset_id);
		expect(ctx.emulator.getAsset(assetId)?.status).toMatch(/^(pending|generating)$/);
		const fakePath = `/media/forged-${assetId}.png`;
		const res = await fetch(resumeUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				task: 'asset_generation',
				asset_id: assetId,
				status: 'completed',
				result: { asset_url: `${ctx.emulator.origin}${fakePath}`, asset_type: 'image' },
			}),
		});
		// Hoox's status says "not done": asked to deliver again, no resume
		expect(res.status).toBe(503);
		expect(await res.json()).not.toHaveProperty('resumed');
		expect((await ctx.n8n.execution(executionId)).status).toBe('waiting');

		// Hoox's own callback resumes it later, with Hoox's URL and file
		const done = await ctx.n8n.waitForExecution(executionId, { timeoutMs: 60_000 });
		expect(done.status).toBe('success');
		const [item] = done.outputs[AFTER][0];
		expect(item.json).toMatchObject({
			asset_id: assetId,
			status: 'completed',
			url: `${ctx.emulator.origin}/media/${assetId}.png`,
		});
		expect((item.binary as Record<string, Record<string, unknown>>)?.image).toMatchObject({
			mimeType: 'image/png',
		});
		expect(ctx.emulator.requests({ path: fakePath })).toEqual([]);
	});

	it('survives an n8n restart while waiting: the callbacks after the restart resume it', async () => {
		// Long enough for n8n to stop and start again (15–25 s here) before Hoox calls back.
		const { executionId, waiting } = await startParked(ctx, 'resume: restart', [40_000, 40_000]);
		expect(waiting.status).toBe('waiting');
		const t0 = Date.now();
		await ctx.n8n.restart();
		const restartMs = Date.now() - t0;
		expect((await ctx.n8n.execution(executionId)).status).toBe('waiting');
		const done = await ctx.n8n.waitForExecution(executionId, { timeoutMs: 90_000 });
		expect(done.status).toBe('success');
		const out = assetItems(done);
		expect(out).toHaveLength(4);
		expect(out.every((j) => j.status === 'completed')).toBe(true);
		process.stderr.write(
			`resume.test.ts [n8n ${ctx.version}]: restart took ${(restartMs / 1000).toFixed(1)} s\n`,
		);
	});

	it('when the wait limit passes first, the workflow continues with the timed-out items', async () => {
		const { executionId, waiting } = await startParked(ctx, 'resume: wait limit', [600_000], {
			waitTimeout: 3,
		});
		expect(waiting.status).toBe('waiting');
		// n8n's wait tracker looks for due executions once a minute.
		const done = await ctx.n8n.waitForExecution(executionId, { timeoutMs: 100_000 });
		expect(done.status).toBe('success');
		const out = assetItems(done);
		expect(out).toHaveLength(2);
		for (const j of out) {
			expect(j).toMatchObject({
				wait_timed_out: true,
				status: expect.stringMatching(/^(pending|generating)$/),
				source_item_index: 0,
				error: { message: expect.stringContaining('wait limit (3 s) passed') },
			});
		}
		expect(new Set(out.map((j) => j.asset_id)).size).toBe(2);
	});
});
