/**
 * The Hoox Trigger inside a real n8n: an active workflow (fixed webhookId, Secret Token) receives
 * the emulator's webhook deliveries on its production URL:
 * - a completed generation starts one execution whose item has the same fields as a Get Status;
 * - a failed generation's delivery gives an item with status failed and Hoox's error;
 * - a wrong token is answered 403 (no token: 401, malformed body: 400) and starts nothing;
 * - the same event delivered twice starts one execution;
 * - the example pair (trigger-driven-submit → trigger-driven-receive), imported the way `npm start`
 *   imports it, works end to end;
 * - forged events (a leaked token, an asset still generating, an unknown asset, an attacker's URL)
 *   are answered 409 and start nothing; a replayed real event gets Hoox's URL and file only;
 * - version 1.1 reads the token from a Hoox Trigger Token credential;
 * - once deactivated, the URL is gone.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { TEST_API_KEY } from '../../emulator';
import { importExamples, until, type ExecutionSummary } from '../../harness/n8n';
import { describeN8n, type E2EContext } from './harness/jest';
import { triggerNode } from './harness/workflows';

jest.setTimeout(90_000);

const WEBHOOK_ID = '0e5d7c1a-3b4f-4e8a-9c2d-6f7a8b9c0d1e';
const PATH = `${WEBHOOK_ID}/hoox`;
const TOKEN = 'e2e-trigger-secret-3f9c1e7a5b2d48c6';
const TRIGGER = 'Hoox Trigger';
const AFTER = 'After';

type Json = Record<string, unknown>;

function triggerWorkflow(ctx: E2EContext) {
	return {
		name: 'trigger: asset events',
		nodes: [
			triggerNode(ctx, TRIGGER, WEBHOOK_ID, TOKEN),
			{
				id: randomUUID(),
				name: AFTER,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: AFTER, type: 'main', index: 0 }]] } },
	};
}

/** Submits a generation straight to the emulator, as any Hoox client would. Returns its asset ids. */
async function submit(ctx: E2EContext, body: Json): Promise<string[]> {
	const res = await fetch(`${ctx.emulator.baseUrl}/asset/start`, {
		method: 'POST',
		headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'image', model: 'gpt-image-2', generation_count: 1, ...body }),
	});
	const json = (await res.json()) as Json;
	if (res.status >= 300)
		throw new Error(`POST /asset/start -> ${res.status} ${JSON.stringify(json)}`);
	return (json.asset_ids as string[]).map(String);
}

const deliveriesOf = (ctx: E2EContext, assetId: string) =>
	ctx.emulator.webhookDeliveries().filter((d) => d.asset_id === assetId);

async function executionIds(ctx: E2EContext, workflowId: string): Promise<string[]> {
	return (await ctx.n8n.listExecutions(workflowId)).map((e) => e.id);
}

function expectSuccess(execution: ExecutionSummary): void {
	if (execution.status !== 'success') {
		throw new Error(
			`execution ${execution.id} ended ${execution.status}: ${JSON.stringify({ error: execution.error, errors: execution.errors })}`,
		);
	}
}

describeN8n(
	'hoox trigger',
	(ctx) => {
		let workflowId = '';
		let url = '';
		let firstAssetId = '';

		beforeAll(async () => {
			const wf = await ctx.n8n.createWorkflow(triggerWorkflow(ctx));
			workflowId = wf.id;
			await ctx.n8n.activate(workflowId, { webhookPaths: [PATH] });
			url = ctx.n8n.webhookUrl(PATH);
		});

		it('is live on /webhook/<webhookId>/hoox once activated, and the log names the URL without the token', async () => {
			expect(url).toBe(`${ctx.n8n.baseUrl}/webhook/${WEBHOOK_ID}/hoox`);
			expect(await ctx.n8n.webhookRegistered(PATH)).toBe(true);
			await until('the trigger to log its URL', async () =>
				ctx.n8n.log().includes(`${url}?token=<your token>`),
			);
			expect(ctx.n8n.log()).not.toContain(TOKEN);
		});

		it("a completed generation's delivery starts one execution with the asset item (same fields as Get Status)", async () => {
			const known = await executionIds(ctx, workflowId);
			const [assetId] = await submit(ctx, {
				prompt: 'A glass whale in a forest',
				webhook_url: `${url}?token=${TOKEN}`,
			});
			firstAssetId = assetId;

			const execution = await ctx.n8n.waitForNewExecution(workflowId, known, { timeoutMs: 30_000 });
			expectSuccess(execution);
			expect(execution.mode).toBe('webhook');
			const [item] = execution.outputs[AFTER][0];
			const json = item.json as Json;
			expect(json).toMatchObject({
				asset_id: assetId,
				status: 'completed',
				event: 'completed',
				type: 'image',
				model: 'gpt-image-2',
				prompt: 'A glass whale in a forest',
				url: `${ctx.emulator.origin}/media/${assetId}.png`,
				width: expect.any(Number),
				height: expect.any(Number),
				cost: expect.any(Number),
				created_at: expect.any(String),
				received_at: expect.any(String),
			});
			expect(json.warning).toBeUndefined();
			expect((item.binary as Record<string, Json>).data).toMatchObject({
				mimeType: 'image/png',
				fileName: `${assetId}.png`,
			});

			// Hoox's side: one delivery, to the URL it was given, answered 200.
			const deliveries = deliveriesOf(ctx, assetId);
			expect(deliveries).toEqual([
				expect.objectContaining({
					url: `${url}?token=${TOKEN}`,
					attempt: 1,
					copy: 1,
					status: 200,
					outcome: 'delivered',
				}),
			]);
			// one status call for the details, one media download without the key
			const calls = ctx.emulator.requests().filter((r) => r.path.includes(assetId));
			expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(
				expect.arrayContaining([`GET /asset/status/${assetId}`, `GET /media/${assetId}.png`]),
			);
			expect(
				calls.filter((c) => c.kind === 'media').every((c) => c.headers.authorization === undefined),
			).toBe(true);

			// The same fields as the Hoox node's Get Status of that asset.
			const status = await ctx.n8n.createWorkflow({
				name: 'trigger: get status',
				nodes: [
					{
						id: randomUUID(),
						name: 'Manual',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: randomUUID(),
						name: 'Hoox',
						type: 'n8n-nodes-hoox.hoox',
						typeVersion: 1,
						position: [220, 0],
						credentials: ctx.credentials,
						parameters: { resource: 'asset', operation: 'getStatus', assetIds: assetId },
					},
				],
				connections: { Manual: { main: [[{ node: 'Hoox', type: 'main', index: 0 }]] } },
			});
			const statusRun = await ctx.n8n.runManually(status.id);
			expectSuccess(statusRun);
			const { source_item_index: _index, ...fromStatus } = statusRun.nodes.Hoox[0];
			const { event: _event, received_at: _received, ...fromTrigger } = json;
			expect(fromTrigger).toEqual(fromStatus);
		});

		it("a failed generation's delivery starts an execution with status failed and Hoox's error", async () => {
			const known = await executionIds(ctx, workflowId);
			const [assetId] = await submit(ctx, {
				prompt: 'this one fails',
				webhook_url: `${url}?token=${TOKEN}`,
				x_emulator: {
					outcome: 'failed',
					error: { code: 'CONTENT_POLICY', message: 'The prompt was refused' },
				},
			});
			const execution = await ctx.n8n.waitForNewExecution(workflowId, known, { timeoutMs: 30_000 });
			expectSuccess(execution);
			const [item] = execution.outputs[AFTER][0];
			expect(item.json).toMatchObject({
				asset_id: assetId,
				status: 'failed',
				event: 'failed',
				model: 'gpt-image-2',
				error: { code: 'CONTENT_POLICY', message: 'The prompt was refused' },
			});
			expect((item.json as Json).url).toBeUndefined();
			expect(item.binary).toBeUndefined();
		});

		it('a delivery with a wrong token is answered 403 (no token: 401, malformed body: 400) and starts no execution', async () => {
			const known = await executionIds(ctx, workflowId);
			const [assetId] = await submit(ctx, {
				prompt: 'wrong token',
				webhook_url: `${url}?token=not-the-secret-token-at-all`,
			});
			// Hoox retries non-2xx deliveries, then drops the event.
			const deliveries = await until('the emulator to drop the event', async () => {
				const all = deliveriesOf(ctx, assetId);
				return all.some((d) => d.outcome === 'dropped') ? all : undefined;
			});
			expect(deliveries.length).toBeGreaterThanOrEqual(2);
			expect(deliveries.every((d) => d.status === 403)).toBe(true);

			const noToken = await ctx.n8n.postWebhook(PATH, {
				task: 'asset_generation',
				asset_id: assetId,
				status: 'completed',
			});
			expect(noToken.status).toBe(401);
			const headerWrong = await ctx.n8n.postWebhook(
				PATH,
				{ task: 'asset_generation', asset_id: assetId, status: 'completed' },
				{ headers: { 'x-hoox-token': 'nope-nope-nope-nope' } },
			);
			expect(headerWrong.status).toBe(403);
			const malformed = await ctx.n8n.postWebhook(`${PATH}?token=${TOKEN}`, { hello: 'world' });
			expect(malformed.status).toBe(400);
			// the refusals were answered before any workflow start: nothing can appear later
			expect(await executionIds(ctx, workflowId)).toEqual(known);
			// and the secret never shows up in the answers
			expect(JSON.stringify([noToken.body, headerWrong.body, malformed.body])).not.toContain(TOKEN);
		});

		it('the same event delivered again after its execution finished is answered 200 and starts nothing', async () => {
			expect(firstAssetId).not.toBe('');
			const [first] = deliveriesOf(ctx, firstAssetId);
			const known = await executionIds(ctx, workflowId);
			const again = await ctx.n8n.postWebhook(`${PATH}?token=${TOKEN}`, first.payload);
			expect(again.status).toBe(200);
			expect(again.body).toMatchObject({ duplicate: true });
			expect(await executionIds(ctx, workflowId)).toEqual(known);
		});

		/*
		 * n8n saves a production webhook's static data only when the execution it started has
		 * finished, so the trigger also remembers deliveries in process memory: a copy sent right
		 * after the first answer (the emulator's `webhook_twice`, or a proxy resend) is collapsed.
		 */
		it('the same event delivered twice back to back (proxy resend) starts one execution', async () => {
			const known = await executionIds(ctx, workflowId);
			const [assetId] = await submit(ctx, {
				prompt: 'delivered twice',
				webhook_url: `${url}?token=${TOKEN}`,
				x_emulator: { webhook_twice: true },
			});
			const execution = await ctx.n8n.waitForNewExecution(workflowId, known, { timeoutMs: 30_000 });
			expectSuccess(execution);
			expect(execution.nodes[AFTER][0]).toMatchObject({ asset_id: assetId, status: 'completed' });
			const deliveries = await until('both copies to be answered', async () => {
				const all = deliveriesOf(ctx, assetId).filter((d) => d.outcome === 'delivered');
				return all.length >= 2 ? all : undefined;
			});
			expect(deliveries.map((d) => [d.copy, d.status])).toEqual([
				[1, 200],
				[2, 200],
			]);
			// the second copy was answered "duplicate" without starting anything
			const now = await executionIds(ctx, workflowId);
			expect(now.filter((id) => !known.includes(id))).toEqual([execution.id]);
		});

		describe('forged events', () => {
			let attacker: Server;
			let attackerUrl = '';
			let attackerHits = 0;
			beforeAll(async () => {
				attacker = createServer((_req, res) => {
					attackerHits++;
					res.writeHead(200, { 'content-type': 'text/html' });
					res.end('<script>alert(1)</script>');
				});
				await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', () => resolve()));
				attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
			});
			afterAll(async () => {
				await new Promise<void>((resolve) => attacker.close(() => resolve()));
			});

			const forged = (assetId: string, status = 'completed') => ({
				task: 'asset_generation',
				asset_id: assetId,
				status,
				result: { asset_url: `${attackerUrl}/x.png`, asset_type: 'image' },
			});

			it('events Hoox does not confirm are answered 409 and start nothing, even with the token', async () => {
				const known = await executionIds(ctx, workflowId);
				const [generating] = await submit(ctx, {
					prompt: 'still generating',
					x_emulator: { duration_ms: 10 * 60_000 },
				});
				for (const body of [
					forged(generating),
					forged('65a0c0ffee0000000000beef'),
					forged(firstAssetId, 'failed'),
				]) {
					const answer = await ctx.n8n.postWebhook(`${PATH}?token=${TOKEN}`, body);
					expect([body.asset_id, answer.status]).toEqual([body.asset_id, 409]);
					expect(answer.body).toMatchObject({ error: 'unconfirmed' });
				}
				expect(await executionIds(ctx, workflowId)).toEqual(known);
				expect(attackerHits).toBe(0);
			});

			it("a replayed real event starts with Hoox's URL and file, never the body's", async () => {
				const known = await executionIds(ctx, workflowId);
				const [assetId] = await submit(ctx, { prompt: 'replayed' });
				await until('the asset to complete', async () =>
					ctx.emulator.getAsset(assetId)?.status === 'completed' ? true : undefined,
				);
				const answer = await ctx.n8n.postWebhook(`${PATH}?token=${TOKEN}`, forged(assetId));
				expect(answer.status).toBe(200);
				const execution = await ctx.n8n.waitForNewExecution(workflowId, known, {
					timeoutMs: 30_000,
				});
				expectSuccess(execution);
				const [item] = execution.outputs[AFTER][0];
				expect(item.json).toMatchObject({
					asset_id: assetId,
					url: `${ctx.emulator.origin}/media/${assetId}.png`,
				});
				expect((item.binary as Record<string, Json>).data).toMatchObject({ mimeType: 'image/png' });
				expect(attackerHits).toBe(0);
			});
		});

		it('version 1.1 takes the token from a Hoox Trigger Token credential', async () => {
			const credentialToken = 'e2e-credential-token-7a5b2d48c6a0e1f7';
			const credential = await ctx.n8n.createCredential('Hoox Trigger Token', 'hooxTriggerApi', {
				token: credentialToken,
			});
			const webhookId = randomUUID();
			const path = `${webhookId}/hoox`;
			const base = triggerWorkflow(ctx);
			const [trigger, after] = base.nodes;
			const {
				authentication: _a,
				secretToken: _s,
				...parameters
			} = trigger.parameters as Record<string, unknown>;
			const wf = await ctx.n8n.createWorkflow({
				...base,
				name: 'trigger: token credential',
				nodes: [
					{
						...trigger,
						id: randomUUID(),
						typeVersion: 1.1,
						webhookId,
						parameters,
						credentials: {
							...ctx.credentials,
							hooxTriggerApi: { id: credential.id, name: credential.name },
						},
					},
					{ ...after, id: randomUUID() },
				],
			});
			await ctx.n8n.activate(wf.id, { webhookPaths: [path] });
			try {
				const known = await executionIds(ctx, wf.id);
				const [assetId] = await submit(ctx, {
					prompt: 'credential token',
					webhook_url: `${ctx.n8n.webhookUrl(path)}?token=${credentialToken}`,
				});
				const execution = await ctx.n8n.waitForNewExecution(wf.id, known, { timeoutMs: 30_000 });
				expectSuccess(execution);
				expect(execution.nodes[AFTER][0]).toMatchObject({ asset_id: assetId, status: 'completed' });
				const event = { task: 'asset_generation', asset_id: assetId, status: 'completed' };
				expect((await ctx.n8n.postWebhook(path, event)).status).toBe(401);
				expect((await ctx.n8n.postWebhook(`${path}?token=${TOKEN}`, event)).status).toBe(403);
				expect(ctx.n8n.log()).not.toContain(credentialToken);
			} finally {
				await ctx.n8n.deactivate(wf.id);
			}
		});

		it('examples: trigger-driven-submit → Hoox → trigger-driven-receive (imported as npm start does)', async () => {
			const imported = await importExamples(ctx.n8n, ctx.credential);
			const receive = imported.find((w) => w.file.endsWith('trigger-driven-receive.json'));
			const submitWf = imported.find((w) => w.file.endsWith('trigger-driven-submit.json'));
			expect(receive?.active).toBe(true);
			expect(submitWf?.active).toBeUndefined();
			// only the receiving workflow is active
			const active = (await ctx.n8n.listWorkflows())
				.filter((w) => w.active)
				.map((w) => w.id)
				.sort();
			expect(active).toEqual([workflowId, receive!.id].sort());

			const known = await executionIds(ctx, receive!.id);
			const run = await ctx.n8n.runManually(submitWf!.id);
			expectSuccess(run);
			const [submitted] = run.nodes["Generate (don't wait)"];
			expect(submitted.status).toMatch(/^(pending|generating)$/);

			const received = await ctx.n8n.waitForNewExecution(receive!.id, known, { timeoutMs: 30_000 });
			expectSuccess(received);
			const [handled] = received.nodes['Handle result'];
			expect(handled).toMatchObject({
				outcome: 'ready',
				asset_id: submitted.asset_id,
				url: `${ctx.emulator.origin}/media/${submitted.asset_id}.mp4`,
				message: `Your video is ready: ${ctx.emulator.origin}/media/${submitted.asset_id}.mp4`,
			});
			expect(deliveriesOf(ctx, String(submitted.asset_id))).toEqual([
				expect.objectContaining({ status: 200, outcome: 'delivered' }),
			]);
		});

		it('once deactivated, the URL is gone and a delivery starts nothing', async () => {
			await ctx.n8n.deactivate(workflowId);
			await until(
				'the webhook to be unregistered',
				async () => !(await ctx.n8n.webhookRegistered(PATH)),
			);
			const known = await executionIds(ctx, workflowId);
			const res = await ctx.n8n.postWebhook(`${PATH}?token=${TOKEN}`, {
				task: 'asset_generation',
				asset_id: 'a'.repeat(24),
				status: 'completed',
			});
			expect(res.status).toBe(404);
			expect(await executionIds(ctx, workflowId)).toEqual(known);
		});
	},
	{
		emulator: {
			durations: { image: 100, video: 200 },
			webhookRetryDelaysMs: [100, 200],
			rateLimitPerMinute: 0,
		},
	},
);
