import { createServer } from 'node:net';

import { NodeApiError } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../../../emulator';
import {
	hooxRequest,
	hooxRequestWithMeta,
	rateLimitWait,
	readHooxError,
	redactSecrets,
} from '../../../../nodes/shared/api';
import { createExecuteContext, createLoadOptionsContext } from '../../../../harness/n8nContext';

// Short delays keep retries fast; the policy is the same as in production.
const FAST = { baseDelayMs: 20, maxDelayMs: 100, maxRetries: 3 };
const START_BODY = { type: 'image', model: 'z-image-turbo', prompt: 'a lighthouse at dusk' };

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ durations: { image: 50, video: 50 } });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

function context(apiKey = TEST_API_KEY, baseUrl = emulator.baseUrl) {
	return createExecuteContext({ credentials: { apiKey, baseUrl } });
}

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeApiError);
		return error as NodeApiError;
	}
	throw new Error('expected the request to fail');
}

/** Everything an error carries that n8n may store or show. */
function everything(error: NodeApiError): string {
	return JSON.stringify({
		message: error.message,
		description: error.description,
		messages: error.messages,
		context: error.context,
		stack: error.stack,
		httpCode: error.httpCode,
		cause: error.cause,
	});
}

const starts = () => emulator.requests({ method: 'POST', path: '/asset/start' }).length;

describe('successful calls', () => {
	it('sends the Bearer key, parses JSON and reports the rate-limit headers', async () => {
		const response = await hooxRequestWithMeta<{ count: number; models: unknown[] }>(context(), {
			method: 'GET',
			path: '/asset/models',
			qs: { type: 'image' },
		});
		expect(response.statusCode).toBe(200);
		expect(response.body.count).toBe(response.body.models.length);
		expect(response.rateLimit.limit).toBe(100);
		expect(response.rateLimit.remaining).toBeLessThan(100);
		expect(response.rateLimit.resetAt).toBeGreaterThan(Date.now() - 1000);
		const [request] = emulator.requests({ path: '/asset/models' });
		expect(request.query).toMatchObject({ type: 'image' });
		expect(request.status).toBe(200);
	});

	it('works from a load-options context and tolerates a trailing slash in the Base URL', async () => {
		const ctx = createLoadOptionsContext({
			credentials: { apiKey: TEST_API_KEY, baseUrl: `${emulator.baseUrl}/` },
		});
		const body = await hooxRequest<{ name: string }>(ctx, {
			method: 'GET',
			path: '/asset/models/kling-pro',
		});
		expect(body.name).toBe('kling-pro');
	});
});

describe('error messages per status', () => {
	it('401: says the key was rejected, and never shows the key', async () => {
		const badKey = `hx_live_${'0123456789abcdef'.repeat(3)}`; // malformed: too short
		const ctx = context(badKey);
		const error = await failure(
			hooxRequest(ctx, { method: 'GET', path: '/asset/models', itemIndex: 3 }),
		);
		expect(error.message).toBe('Hoox rejected the API key');
		expect(error.description).toMatch(/hx_live_/);
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(3);
		expect(everything(error)).not.toContain(badKey);
		expect(JSON.stringify(ctx.recorder.logs)).not.toContain(badKey);
	});

	it('400: names the field Hoox complained about', async () => {
		const error = await failure(
			hooxRequest(context(), {
				method: 'POST',
				path: '/asset/start',
				body: { ...START_BODY, aspect_ratio: '2:1' },
			}),
		);
		expect(error.httpCode).toBe('400');
		expect(error.message).toMatch(/^Hoox rejected the request: invalid "aspect_ratio"/);
		expect(error.description).toContain('"aspect_ratio"');
	});

	it('402: says credits are missing and how many were needed', async () => {
		emulator.setBalance(0.01);
		const error = await failure(
			hooxRequest(context(), { method: 'POST', path: '/asset/start', body: START_BODY }),
		);
		expect(error.httpCode).toBe('402');
		expect(error.message).toMatch(/^Not enough Hoox credits: this request needs [\d.]+ credits$/);
	});

	it("402: the emulator's answer for a low balance puts the amount needed in the title", async () => {
		emulator.setBalance(0.1);
		const error = await failure(
			hooxRequest(context(), {
				method: 'POST',
				path: '/asset/start',
				body: { ...START_BODY, generation_count: 3 },
			}),
		);
		const [starts402] = emulator.requests({ method: 'POST', path: '/asset/start' });
		expect(starts402.status).toBe(402);
		// 3 × 0.1 credits (z-image-turbo), without floating-point noise such as 0.30000000000000004
		expect(error.message).toBe('Not enough Hoox credits: this request needs 0.3 credits');
		expect(error.description).toMatch(
			/^Insufficient credits: 0\.3\d* credits needed, 0\.1 available/,
		);
	});

	it.each([
		[
			'a field of the nested error',
			{ error: { message: 'Insufficient credits', required_credits: 12 } },
		],
		[
			'a field of a detail',
			{ error: 'Insufficient credits', details: [{ code: 'x', needed: '12' }] },
		],
		["the nested error's text", { error: { message: 'This generation requires 12 credits' } }],
		['text with the balance first', { error: 'You have 3 credits; 12 credits are required' }],
		['text without the word after the amount', { message: 'Insufficient credits (needed: 12)' }],
		[
			'the only amount in the text',
			{ error: 'Insufficient credits', details: [{ message: 'Costs 12 credits' }] },
		],
	])('402: states the amount needed from %s', async (_shape, body) => {
		emulator.injectFault({ route: 'POST /asset/start', count: 1, status: 402, body });
		const error = await failure(
			hooxRequest(context(), { method: 'POST', path: '/asset/start', body: START_BODY }),
		);
		expect(error.message).toBe('Not enough Hoox credits: this request needs 12 credits');
	});

	it('402 stating only the balance: no amount is invented', async () => {
		emulator.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 402,
			body: { error: 'Insufficient credits: 3 credits available' },
		});
		const error = await failure(
			hooxRequest(context(), { method: 'POST', path: '/asset/start', body: START_BODY }),
		);
		expect(error.message).toBe('Not enough Hoox credits');
		expect(error.description).toMatch(/3 credits available/);
	});

	it('403 in the compact body shape with an upper-case code: plan required', async () => {
		emulator.injectFault({
			route: 'GET /asset/models',
			count: 1,
			status: 403,
			body: { error: 'Enterprise plan required', code: 'PLAN_REQUIRED' },
		});
		const error = await failure(hooxRequest(context(), { method: 'GET', path: '/asset/models' }));
		expect(error.message).toBe('Your Hoox plan does not include API access');
	});

	it('403 for another reason keeps what Hoox said', async () => {
		emulator.injectFault({
			route: 'GET /asset/status',
			count: 1,
			status: 403,
			body: {
				error: 'Forbidden',
				details: [{ code: 'forbidden', message: 'Asset belongs to another space' }],
			},
		});
		const error = await failure(
			hooxRequest(context(), { method: 'GET', path: '/asset/status/abc' }),
		);
		expect(error.message).toBe('Hoox refused access: Asset belongs to another space');
	});

	it('404: names the unknown model or asset the caller says the call is about', async () => {
		const model = await failure(
			hooxRequest(context(), {
				method: 'GET',
				path: '/asset/models/no-such-model',
				notFound: { kind: 'model', id: 'no-such-model' },
			}),
		);
		expect(model.message).toBe('Unknown Hoox model "no-such-model"');
		expect(model.description).toMatch(/Pick a model from the list/);
		const id = '000000000000000000000000';
		const asset = await failure(
			hooxRequest(context(), {
				method: 'GET',
				path: `/asset/status/${id}`,
				notFound: { kind: 'asset', id },
			}),
		);
		expect(asset.message).toBe(`Unknown Hoox asset "${id}"`);
		expect(asset.description).toMatch(/Check the asset ID/);
		// without a subject: the generic message (no guessing from the path)
		const other = await failure(
			hooxRequest(context(), { method: 'GET', path: `/asset/status/${id}` }),
		);
		expect(other.message).toMatch(/^Hoox could not find what was asked for/);
	});

	it('404 of an item: the unknown model or asset names the item, like validation errors', async () => {
		const model = await failure(
			hooxRequest(context(), {
				method: 'GET',
				path: '/asset/models/no-such-model',
				itemIndex: 2,
				notFound: { kind: 'model', id: 'no-such-model' },
			}),
		);
		expect(model.message).toBe('[item 2] Unknown Hoox model "no-such-model"');
		expect(model.context.itemIndex).toBe(2);
		const id = '000000000000000000000000';
		const asset = await failure(
			hooxRequest(context(), {
				method: 'GET',
				path: `/asset/status/${id}`,
				itemIndex: 0,
				notFound: { kind: 'asset', id },
			}),
		);
		expect(asset.message).toBe(`[item 0] Unknown Hoox asset "${id}"`);
		expect(asset.context.itemIndex).toBe(0);
	});

	it('429 that never clears: says rate limit, after the retries', async () => {
		emulator.injectFault({
			route: 'GET /asset/models',
			count: 10,
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const error = await failure(
			hooxRequest(context(), { method: 'GET', path: '/asset/models', retry: FAST }),
		);
		expect(error.message).toBe('Hoox rate limit reached (tried 4 times)');
		expect(emulator.requests({ path: '/asset/models' })).toHaveLength(4);
	});

	it('5xx on a read: server error, after the retries', async () => {
		emulator.injectFault({ route: 'GET /asset/status', count: 10, status: 502 });
		const error = await failure(
			hooxRequest(context(), { method: 'GET', path: '/asset/status/x', retry: FAST }),
		);
		expect(error.message).toBe('Hoox had a server error (HTTP 502) (tried 4 times)');
	});

	it('lists the asset ids the call was about', async () => {
		const error = await failure(
			hooxRequest(context(), {
				method: 'GET',
				path: '/asset/status/nope',
				assetIds: ['nope', 'other'],
			}),
		);
		expect(error.description).toContain('Asset IDs: nope, other.');
	});
});

describe('retry policy for reads', () => {
	it.each([
		['429', { status: 429, headers: { 'Retry-After': '0' } }],
		['500', { status: 500 }],
		['503', { status: 503 }],
	])('retries GET after %s and succeeds', async (_label, fault) => {
		emulator.injectFault({ route: 'GET /asset/models', count: 2, ...fault });
		const body = await hooxRequest<{ count: number }>(context(), {
			method: 'GET',
			path: '/asset/models',
			retry: FAST,
		});
		expect(body.count).toBeGreaterThan(0);
		expect(emulator.requests({ path: '/asset/models' })).toHaveLength(3);
	});

	it.each(['before-read', 'after-read'] as const)(
		'retries GET when the connection drops %s',
		async (drop) => {
			emulator.injectFault({ route: 'GET /asset/models', count: 1, drop });
			const body = await hooxRequest<{ count: number }>(context(), {
				method: 'GET',
				path: '/asset/models',
				retry: FAST,
			});
			expect(body.count).toBeGreaterThan(0);
		},
	);

	it('honours X-RateLimit-Reset on a 429', async () => {
		const reset = String(Math.ceil(Date.now() / 1000)); // already due: wait about zero
		emulator.injectFault({
			route: 'GET /asset/models',
			count: 1,
			status: 429,
			headers: { 'X-RateLimit-Reset': reset },
		});
		await hooxRequest(context(), { method: 'GET', path: '/asset/models', retry: FAST });
		expect(emulator.requests({ path: '/asset/models' })).toHaveLength(2);
	});

	it('gives up at once when the rate-limit window resets later than it may wait', async () => {
		const reset = String(Math.ceil(Date.now() / 1000) + 3600);
		emulator.injectFault({
			route: 'GET /asset/models',
			count: 1,
			status: 429,
			headers: { 'X-RateLimit-Reset': reset },
		});
		const error = await failure(
			hooxRequest(context(), { method: 'GET', path: '/asset/models', retry: FAST }),
		);
		expect(error.message).toBe('Hoox rate limit reached');
		expect(emulator.requests({ path: '/asset/models' })).toHaveLength(1);
	});

	it('treats POST /asset/pricing (a dry run) as a read', async () => {
		emulator.injectFault({ route: 'POST /asset/pricing', count: 1, status: 500 });
		const body = await hooxRequest<{ total_cost: number }>(context(), {
			method: 'POST',
			path: '/asset/pricing',
			body: { model: 'z-image-turbo' },
			retry: FAST,
		});
		expect(body.total_cost).toBeGreaterThan(0);
		expect(emulator.requests({ path: '/asset/pricing' })).toHaveLength(2);
	});
});

describe('retry policy for POST /asset/start (no idempotency, debits up front)', () => {
	it('is sent exactly once when Hoox answers 500', async () => {
		emulator.injectFault({ route: 'POST /asset/start', count: 1, status: 500 });
		const error = await failure(
			hooxRequest(context(), {
				method: 'POST',
				path: '/asset/start',
				body: START_BODY,
				retry: FAST,
			}),
		);
		expect(starts()).toBe(1);
		expect(error.message).toBe('Hoox failed while starting the generation (HTTP 500)');
		expect(error.description).toMatch(/not sent again/);
	});

	it('is sent exactly once when the connection drops after the request was read (and Hoox charged it)', async () => {
		const before = emulator.balance();
		emulator.injectFault({ route: 'POST /asset/start', count: 1, drop: 'after-read' });
		const error = await failure(
			hooxRequest(context(), {
				method: 'POST',
				path: '/asset/start',
				body: START_BODY,
				retry: FAST,
			}),
		);
		expect(starts()).toBe(1);
		expect(emulator.balance()).toBeLessThan(before); // the generation exists: a retry would pay twice
		expect(error.message).toMatch(
			/^The generation request to Hoox failed \(connection (reset|closed)\) and may have been received$/,
		);
	});

	it('is not retried after a client timeout', async () => {
		emulator.injectFault({ route: 'POST /asset/start', count: 1, delayMs: 1500 });
		const error = await failure(
			hooxRequest(context(), {
				method: 'POST',
				path: '/asset/start',
				body: START_BODY,
				retry: FAST,
				timeout: 300,
			}),
		);
		expect(error.message).toMatch(/may have been received/);
		expect(starts()).toBe(1);
	});

	it('is retried after a 429 (Hoox refused it before doing anything)', async () => {
		emulator.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const body = await hooxRequest<{ asset_ids: string[] }>(context(), {
			method: 'POST',
			path: '/asset/start',
			body: START_BODY,
			retry: FAST,
		});
		expect(body.asset_ids).toHaveLength(1);
		expect(starts()).toBe(2);
		expect(
			emulator.requests({ method: 'POST', path: '/asset/start' }).map((r) => r.status),
		).toEqual([429, 201]);
	});

	it('is retried when the connection was refused, and lands once Hoox is reachable', async () => {
		const port = await freePort();
		const ctx = context(TEST_API_KEY, `http://127.0.0.1:${port}/api/public/v1`);
		let late: Emulator | undefined;
		const request = hooxRequest<{ asset_ids: string[] }>(ctx, {
			method: 'POST',
			path: '/asset/start',
			body: START_BODY,
			retry: { baseDelayMs: 400, maxDelayMs: 800, maxRetries: 4 },
		});
		// Nothing listens yet: the first attempt is refused; bring Hoox up during the backoff.
		await new Promise((resolve) => setTimeout(resolve, 50));
		late = await startEmulator({ port });
		try {
			const body = await request;
			expect(body.asset_ids).toHaveLength(1);
			expect(late.requests({ method: 'POST', path: '/asset/start' })).toHaveLength(1);
		} finally {
			await late.close();
		}
	});

	it('says Hoox could not be reached when it never comes up', async () => {
		const port = await freePort();
		const error = await failure(
			hooxRequest(context(TEST_API_KEY, `http://127.0.0.1:${port}/api/public/v1`), {
				method: 'POST',
				path: '/asset/start',
				body: START_BODY,
				retry: FAST,
			}),
		);
		expect(error.message).toBe(
			`Could not reach Hoox at http://127.0.0.1:${port}/api/public/v1 (connection refused) (tried 4 times)`,
		);
	});
});

describe('helpers', () => {
	it('reads both Hoox error body shapes, codes lower-cased', () => {
		expect(
			readHooxError({
				error: 'Validation failed',
				details: [{ code: 'INVALID_VALUE', message: 'bad', field: 'duration' }],
			}),
		).toEqual({
			summary: 'Validation failed',
			code: 'invalid_value',
			field: 'duration',
			detail: 'bad',
		});
		expect(readHooxError({ error: 'No credits', code: 'INSUFFICIENT_CREDITS' })).toEqual({
			summary: 'No credits',
			code: 'insufficient_credits',
			field: undefined,
			detail: undefined,
		});
		expect(readHooxError('<html>Bad gateway</html>')).toEqual({
			summary: '<html>Bad gateway</html>',
		});
	});

	it('computes the wait of a 429 from Retry-After (seconds or date) or X-RateLimit-Reset', () => {
		const now = 1_700_000_000_000;
		expect(rateLimitWait({ 'retry-after': '3' }, now)).toBe(3000);
		expect(rateLimitWait({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
		expect(rateLimitWait({ 'x-ratelimit-reset': String(now / 1000 + 7) }, now)).toBe(7000);
		expect(rateLimitWait({}, now)).toBeUndefined();
	});

	it('redacts the key and anything shaped like a Hoox key', () => {
		const key = `hx_live_${'ab'.repeat(32)}`;
		expect(redactSecrets(`key ${key} and hx_live_${'cd'.repeat(32)}`, key)).toBe(
			'key [redacted] and hx_live_[redacted]',
		);
	});
});

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}
