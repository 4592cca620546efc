/**
 * webhook(): authentication, validation, filters, duplicate collapse, and what is answered to Hoox
 * in each case — for events Hoox confirms (a status stub reports each asset as its event says;
 * what happens when Hoox does not confirm is in confirm.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { DEDUPE_MAX_ENTRIES, SEEN_KEY } from '../../../nodes/HooxTrigger/delivery';
import {
	completedPayload,
	deliver as deliverTo,
	failedPayload,
	onlyItem,
	params,
	TOKEN,
	type Delivery,
} from './helpers';
import { startStatusStub, type StatusStub } from './statusStub';

let hoox: StatusStub;
beforeAll(async () => {
	hoox = await startStatusStub();
});
afterAll(async () => {
	await hoox.close();
});

/** Delivers an event that Hoox confirms (Hoox reports the asset as the event describes it). */
function deliver(delivery: Delivery) {
	const body = delivery.body as IDataObject | undefined;
	if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.asset_id === 'string')
		hoox.know(body);
	return deliverTo({ credentials: hoox.credentials, ...delivery });
}

describe('Hoox Trigger webhook: authentication', () => {
	it('answers 401 and starts nothing when no token is given', async () => {
		const { result, ctx } = await deliver({ body: completedPayload(), query: {} });
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(ctx.recorder.response.status).toBe(401);
		expect(ctx.recorder.response.body).toMatchObject({ error: 'unauthorized' });
		expect(ctx.recorder.http).toHaveLength(0);
	});

	it('answers 403 and starts nothing for a wrong token (query or header)', async () => {
		for (const delivery of [
			{ query: { token: TOKEN.slice(0, -1) + 'x' } },
			{ query: {}, headers: { 'X-Hoox-Token': 'not-the-token' } },
		]) {
			const { result, ctx } = await deliver({ body: completedPayload(), ...delivery });
			expect(result.workflowData).toBeUndefined();
			expect(ctx.recorder.response.status).toBe(403);
			expect(ctx.recorder.response.body).toMatchObject({ error: 'forbidden' });
		}
	});

	it('never echoes the expected token in answers or logs', async () => {
		const { ctx } = await deliver({ body: completedPayload(), query: { token: 'wrong' } });
		expect(JSON.stringify(ctx.recorder.response.body)).not.toContain(TOKEN);
		expect(JSON.stringify(ctx.recorder.logs)).not.toContain(TOKEN);
	});

	it('checks the token before the body (an unauthenticated caller learns nothing)', async () => {
		const { ctx } = await deliver({ body: 'garbage', query: {} });
		expect(ctx.recorder.response.status).toBe(401);
	});

	it('starts the workflow with the right token in the query', async () => {
		const { result, ctx } = await deliver({ body: completedPayload(), query: { token: TOKEN } });
		const item = onlyItem(result);
		expect(item.json).toMatchObject({
			asset_id: '65a0c0ffee00000000000001',
			status: 'completed',
			event: 'completed',
		});
		expect(ctx.recorder.response.status).toBe(200);
		expect(result.noWebhookResponse).toBe(true);
	});

	it('starts the workflow with the right token in the X-Hoox-Token header', async () => {
		const { result } = await deliver({
			body: completedPayload(),
			query: {},
			headers: { 'content-type': 'application/json', 'X-Hoox-Token': TOKEN },
		});
		expect(onlyItem(result).json.event).toBe('completed');
	});

	it('accepts any delivery with Authentication "None"', async () => {
		const { result } = await deliver({
			parameters: params({ authentication: 'none', secretToken: undefined }),
			body: completedPayload(),
			query: {},
		});
		expect(onlyItem(result).json.asset_id).toBe('65a0c0ffee00000000000001');
	});

	it('refuses every delivery (500, logged) when the token parameter is empty', async () => {
		const { result, ctx } = await deliver({
			parameters: params({ secretToken: '' }),
			body: completedPayload(),
			query: { token: '' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(ctx.recorder.response.status).toBe(500);
		expect(ctx.recorder.logs.some((l) => l.level === 'error')).toBe(true);
	});
});

describe('Hoox Trigger webhook: malformed bodies', () => {
	it.each([
		['a string body', 'this is not json'],
		['a JSON array', [completedPayload()]],
		['no asset_id', { task: 'asset_generation', status: 'completed' }],
		['an unknown status', { task: 'asset_generation', asset_id: 'a1', status: 'generating' }],
		['another task', { task: 'avatar_create', asset_id: 'a1', status: 'completed' }],
	])('answers 400 and starts nothing for %s', async (_label, body) => {
		const { result, ctx } = await deliver({ body });
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(ctx.recorder.response.status).toBe(400);
		expect(ctx.recorder.response.body).toMatchObject({
			error: 'invalid_payload',
			message: expect.any(String),
		});
		expect(ctx.recorder.logs.some((l) => l.level === 'warn')).toBe(true);
	});

	it('reads a JSON event that n8n did not parse (raw body, e.g. text/plain)', async () => {
		hoox.know(completedPayload('raw1'));
		const raw = Buffer.from(JSON.stringify(completedPayload('raw1')));
		const { result } = await deliver({
			body: {},
			rawBody: raw,
			headers: { 'content-type': 'text/plain' },
		});
		expect(onlyItem(result).json.asset_id).toBe('raw1');
	});

	it('answers 400 for an empty body', async () => {
		const { ctx } = await deliver({ body: {}, rawBody: Buffer.alloc(0) });
		expect(ctx.recorder.response.status).toBe(400);
	});
});

describe('Hoox Trigger webhook: filters', () => {
	it('ignores events not selected (200, nothing started)', async () => {
		const { result, ctx } = await deliver({
			parameters: params({ events: ['completed'] }),
			body: failedPayload(),
		});
		expect(result.workflowData).toBeUndefined();
		expect(ctx.recorder.response.status).toBe(200);
		expect(ctx.recorder.response.body).toMatchObject({ received: true, ignored: 'event' });

		const failedOnly = await deliver({
			parameters: params({ events: ['failed'] }),
			body: failedPayload(),
		});
		expect(onlyItem(failedOnly.result).json).toMatchObject({ event: 'failed', status: 'failed' });
	});

	it('treats an empty Events selection as all events', async () => {
		const { result } = await deliver({ parameters: params({ events: [] }), body: failedPayload() });
		expect(onlyItem(result).json.event).toBe('failed');
	});

	it('ignores assets of another type when the payload states it, without calling Hoox', async () => {
		const { result, ctx } = await deliver({
			parameters: params({ assetType: 'video' }),
			body: completedPayload('i1', 'image'),
		});
		expect(result.workflowData).toBeUndefined();
		expect(ctx.recorder.response).toMatchObject({
			status: 200,
			body: { received: true, ignored: 'asset_type' },
		});
		expect(ctx.recorder.http).toHaveLength(0);

		const video = await deliver({
			parameters: params({ assetType: 'video' }),
			body: completedPayload('v1', 'video'),
		});
		expect(onlyItem(video.result).json.asset_id).toBe('v1');
		// the event that passes the filter is confirmed with Hoox (one status read)
		expect(video.ctx.recorder.http.map((h) => h.url)).toEqual([
			`${hoox.credentials.baseUrl}/asset/status/v1`,
		]);
	});

	it('does not record filtered-out events as seen', async () => {
		const staticData: IDataObject = {};
		await deliver({
			parameters: params({ events: ['completed'] }),
			body: failedPayload('f1'),
			staticData,
		});
		expect(staticData[SEEN_KEY]).toBeUndefined();
	});
});

describe('Hoox Trigger webhook: output item', () => {
	it('has the asset-item shape plus event and received_at, and no token', async () => {
		const { result } = await deliver({ body: completedPayload('c1', 'video') });
		const { json, binary } = onlyItem(result);
		expect(json).toMatchObject({
			asset_id: 'c1',
			status: 'completed',
			event: 'completed',
			type: 'video',
			url: 'https://cdn.example.org/assets/c1.mp4',
			width: 1024,
			height: 1024,
			duration_seconds: 5,
		});
		expect(new Date(json.received_at as string).toISOString()).toBe(json.received_at);
		expect(json.warning).toBeUndefined();
		expect(binary).toBeUndefined();
		expect(JSON.stringify(json)).not.toContain(TOKEN);
		// the webhook-only field names are not leaked into the item
		expect(json).not.toHaveProperty('result');
		expect(json).not.toHaveProperty('task');
	});

	it('carries the error of a failed event', async () => {
		const { result } = await deliver({ body: failedPayload('f2') });
		expect(onlyItem(result).json).toMatchObject({
			asset_id: 'f2',
			status: 'failed',
			event: 'failed',
			error: { code: 'GENERATION_FAILED', message: expect.any(String) },
		});
	});

	it('answers 200 {received: true} through the response object before returning', async () => {
		const { ctx } = await deliver({ body: completedPayload('c2') });
		expect(ctx.recorder.response).toMatchObject({
			status: 200,
			body: { received: true },
			ended: true,
		});
	});
});

describe('Hoox Trigger webhook: duplicate deliveries', () => {
	it('starts the workflow once for the same asset and status', async () => {
		const staticData: IDataObject = {};
		const first = await deliver({ body: completedPayload('d1'), staticData });
		expect(onlyItem(first.result).json.asset_id).toBe('d1');

		const second = await deliver({ body: completedPayload('d1'), staticData });
		expect(second.result.workflowData).toBeUndefined();
		expect(second.result.noWebhookResponse).toBe(true);
		expect(second.ctx.recorder.response).toMatchObject({
			status: 200,
			body: { received: true, duplicate: true },
		});
	});

	it('collapses a copy that arrives before n8n saved the static data of the first one', async () => {
		// n8n saves a webhook's static data only after the execution it started has finished:
		// the copy sees the old (here: empty) static data of the same workflow.
		const workflowId = 'wf-copy-in-flight';
		const first = await deliver({ body: completedPayload('d9'), staticData: {}, workflowId });
		expect(onlyItem(first.result).json.asset_id).toBe('d9');
		const copy = await deliver({ body: completedPayload('d9'), staticData: {}, workflowId });
		expect(copy.result.workflowData).toBeUndefined();
		expect(copy.ctx.recorder.response).toMatchObject({
			status: 200,
			body: { received: true, duplicate: true },
		});
		// another workflow's trigger still gets the event
		const elsewhere = await deliver({
			body: completedPayload('d9'),
			staticData: {},
			workflowId: 'wf-other',
		});
		expect(onlyItem(elsewhere.result).json.asset_id).toBe('d9');
	});

	it('treats another status or another asset as a new event', async () => {
		const staticData: IDataObject = {};
		await deliver({ body: completedPayload('d2'), staticData });
		const otherStatus = await deliver({ body: { ...failedPayload('d2') }, staticData });
		expect(onlyItem(otherStatus.result).json.event).toBe('failed');
		const otherAsset = await deliver({ body: completedPayload('d3'), staticData });
		expect(onlyItem(otherAsset.result).json.asset_id).toBe('d3');
	});

	it('keeps the state bounded in the node static data', async () => {
		const staticData: IDataObject = {};
		const seen: Record<string, number> = {};
		for (let i = 0; i < DEDUPE_MAX_ENTRIES; i++) seen[`old${i}:completed`] = Date.now() - 1000 + i;
		staticData[SEEN_KEY] = seen;
		await deliver({ body: completedPayload('new1'), staticData });
		const state = staticData[SEEN_KEY] as Record<string, number>;
		expect(Object.keys(state)).toHaveLength(DEDUPE_MAX_ENTRIES);
		expect(state['new1:completed']).toEqual(expect.any(Number));
		expect(state['old0:completed']).toBeUndefined();
		// the evicted key is accepted again
		const again = await deliver({ body: completedPayload('old0'), staticData });
		expect(onlyItem(again.result).json.asset_id).toBe('old0');
	});
});
