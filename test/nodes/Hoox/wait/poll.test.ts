/**
 * waitForAssets against the emulator over real loopback HTTP. Request counts come from the
 * emulator's own log (emulator.requests) and from a probe around the n8n HTTP helper; no
 * assertion depends on wall time.
 */
import { NodeApiError } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../../../emulator';
import { toAssetItem } from '../../../../nodes/shared/assets';
import {
	getStatus,
	hooxRequest,
	isTerminal,
	mergeRateLimitInfo,
	type AssetStatus,
} from '../../../../nodes/shared/api';
import { CancelledError } from '../../../../nodes/shared/util/timing';
import { planNextRound, requestBudget } from '../../../../nodes/Hoox/wait/pace';
import { waitForAssets, WaitCancelledError } from '../../../../nodes/Hoox/wait/poll';
import { createExecuteContext, type TestExecuteFunctions } from '../../../../harness/n8nContext';

/** Fast transport retries, so the retry paths run in milliseconds. */
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 40 };
/** An asset that stays `generating` for the whole test. */
const FOREVER = 10 * 60_000;

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => {
	emulator.reset();
});

function context(
	options: { abortSignal?: AbortSignal; apiKey?: string } = {},
): TestExecuteFunctions {
	return createExecuteContext({
		credentials: { apiKey: options.apiKey ?? TEST_API_KEY, baseUrl: emulator.baseUrl },
		abortSignal: options.abortSignal,
	});
}

/** Counts requests in flight through the n8n helper the transport uses. */
function probeConcurrency(ctx: TestExecuteFunctions): { max: number } {
	const probe = { max: 0 };
	let inFlight = 0;
	const helpers = ctx.helpers as unknown as Record<
		string,
		(...args: unknown[]) => Promise<unknown>
	>;
	const original = helpers.httpRequestWithAuthentication;
	helpers.httpRequestWithAuthentication = async function (this: unknown, ...args: unknown[]) {
		inFlight++;
		probe.max = Math.max(probe.max, inFlight);
		try {
			return await original.apply(this, args);
		} finally {
			inFlight--;
		}
	};
	return probe;
}

async function submit(
	ctx: TestExecuteFunctions,
	options: {
		count?: number;
		type?: 'image' | 'video';
		durationMs?: number;
		outcome?: 'completed' | 'failed';
	} = {},
): Promise<string[]> {
	const knobs: Record<string, unknown> = {};
	if (options.durationMs !== undefined) knobs.duration_ms = options.durationMs;
	if (options.outcome) knobs.outcome = options.outcome;
	const body = await hooxRequest<{ asset_ids: string[] }>(ctx, {
		method: 'POST',
		path: '/asset/start',
		body: {
			type: options.type ?? 'image',
			model: options.type === 'video' ? 'veo-3.1-lite' : 'z-image-turbo',
			prompt: 'A lighthouse at dusk',
			generation_count: options.count ?? 1,
			...(Object.keys(knobs).length ? { x_emulator: knobs } : {}),
		},
	});
	return body.asset_ids;
}

function statusPolls(id?: string) {
	return emulator.requests({ method: 'GET', path: id ? `/asset/status/${id}` : '/asset/status/' });
}

async function until(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
	const start = Date.now();
	while (!condition()) {
		if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('getStatus', () => {
	test('reads one status with its rate-limit info; an answer that is not a status gives undefined', async () => {
		const ctx = context();
		const [id] = await submit(ctx);
		const read = await getStatus(ctx, id);
		expect(read.status?.asset_id).toBe(id);
		expect(typeof read.status?.status).toBe('string');
		expect(read.rateLimit).toBeDefined();

		emulator.injectFault({
			route: `GET /asset/status/${id}`,
			count: 1,
			status: 200,
			body: ['not', 'a', 'status'],
		});
		expect((await getStatus(ctx, id)).status).toBeUndefined();
	});

	test('a 404 is thrown as a NodeApiError naming the asset', async () => {
		const error = await getStatus(context(), 'missing-asset', { itemIndex: 3 }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('[item 3] Unknown Hoox asset "missing-asset"');
		expect((error as NodeApiError).context.itemIndex).toBe(3);
	});
});

describe('waitForAssets against the emulator', () => {
	test('20 assets (10 items × 2) finish in one wait: one poll per asset per round, at most 5 in flight', async () => {
		const ctx = context();
		const ids: string[] = [];
		const itemOf = new Map<string, number>();
		for (let item = 0; item < 10; item++) {
			for (const id of await submit(ctx, { count: 2, durationMs: 150 })) {
				ids.push(id);
				itemOf.set(id, item);
			}
		}
		const probe = probeConcurrency(ctx);

		// The submit answer said `generating`: the first round waits one interval, and by then
		// (1 s > 150 ms) every asset is done, so a single round of 20 polls is the whole wait.
		const known = Object.fromEntries(ids.map((id) => [id, { asset_id: id, status: 'generating' }]));
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 60_000,
			minIntervalMs: 1000,
			known,
			itemIndexOf: (id) => itemOf.get(id),
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets.map((a) => a.asset_id)).toEqual(ids);
		expect(result.assets.every((a) => a.status === 'completed' && typeof a.url === 'string')).toBe(
			true,
		);
		expect(statusPolls()).toHaveLength(20);
		expect(result.polls).toBe(20);
		for (const id of ids) expect(statusPolls(id)).toHaveLength(1);
		expect(probe.max).toBeGreaterThan(1);
		expect(probe.max).toBeLessThanOrEqual(5);
	});

	test('without known statuses the first round is immediate; finished assets are not polled again', async () => {
		const ctx = context();
		const fast = await submit(ctx, { count: 4, durationMs: 0 });
		const slow = await submit(ctx, { count: 2, durationMs: 400 });

		const result = await waitForAssets(ctx, [...fast, ...slow], {
			timeoutMs: 30_000,
			minIntervalMs: 100,
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets.every((a) => a.status === 'completed')).toBe(true);
		for (const id of fast) expect(statusPolls(id)).toHaveLength(1);
		for (const id of slow) expect(statusPolls(id).length).toBeGreaterThanOrEqual(2);
	});

	test.each([
		[false, 1 + 10],
		[true, 10 + 10],
	])(
		'pollEveryAsset %s: a round ends at the first running asset, and the round at the deadline reads all',
		async (pollEveryAsset, expected) => {
			const ctx = context();
			const ids = await submit(ctx, { count: 4, durationMs: FOREVER });
			ids.push(
				...(await submit(ctx, { count: 4, durationMs: FOREVER })),
				...(await submit(ctx, { count: 2, durationMs: FOREVER })),
			);
			const known = Object.fromEntries(
				ids.map((id) => [id, { asset_id: id, status: 'generating' }]),
			);

			// Round 1 after 200 ms (the statuses are known); the next pause (200 ms) would pass the
			// deadline, so it is cut there and a last round polls every unfinished asset.
			const result = await waitForAssets(ctx, ids, {
				timeoutMs: 300,
				minIntervalMs: 200,
				known,
				pollEveryAsset,
			});

			expect(result.timedOut).toBe(true);
			// round 1: one probe, which says "generating", so no other poll starts (or all 10 with pollEveryAsset)
			expect(statusPolls()).toHaveLength(expected);
			expect(result.polls).toBe(expected);
			for (const id of ids) expect(statusPolls(id).length).toBeGreaterThanOrEqual(1);
			expect(result.assets.every((a) => a.status === 'generating' && a.type === 'image')).toBe(
				true,
			);
		},
	);

	test('rounds take the least recently polled assets first, so every asset is polled in turn', async () => {
		const unlimited = await startEmulator({ rateLimitPerMinute: 0 });
		try {
			const ctx = createExecuteContext({
				credentials: { apiKey: TEST_API_KEY, baseUrl: unlimited.baseUrl },
			});
			const { asset_ids: ids } = await hooxRequest<{ asset_ids: string[] }>(ctx, {
				method: 'POST',
				path: '/asset/start',
				body: {
					type: 'image',
					model: 'z-image-turbo',
					prompt: 'p',
					generation_count: 4,
					x_emulator: { duration_ms: FOREVER },
				},
			});
			const controller = new AbortController();
			const polls = () => unlimited.requests({ method: 'GET', path: '/asset/status/' });
			const waiting = waitForAssets(ctx, ids, {
				timeoutMs: 60_000,
				minIntervalMs: 10,
				maxIntervalMs: 10,
				concurrency: 1,
				abortSignal: controller.signal,
			});
			await until(() => polls().length >= 9, 'nine polls');
			controller.abort();
			await expect(waiting).rejects.toBeInstanceOf(WaitCancelledError);
			// concurrency 1: one poll per round (the asset is still generating), in turn
			const order = polls().map((r) => r.path.split('/').pop());
			expect(order.slice(0, 8)).toEqual([...ids, ...ids]);
		} finally {
			await unlimited.close();
		}
	});

	test('maxRounds 1 with pollEveryAsset reads every status exactly once', async () => {
		const ctx = context();
		const ids = [
			...(await submit(ctx, { count: 3, durationMs: FOREVER })),
			...(await submit(ctx, { count: 1, durationMs: 0 })),
		];
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 60_000,
			maxRounds: 1,
			pollEveryAsset: true,
		});
		expect(result.timedOut).toBe(true);
		expect(result.assets.map((a) => a.status)).toEqual([
			'generating',
			'generating',
			'generating',
			'completed',
		]);
		for (const id of ids) expect(statusPolls(id)).toHaveLength(1);
	});

	test('a failed asset is terminal and carries its error; the others complete', async () => {
		const ctx = context();
		emulator.failNext(1, { code: 'GENERATION_FAILED', message: 'The provider refused' });
		const ids = await submit(ctx, { count: 3, durationMs: 50 });

		const result = await waitForAssets(ctx, ids, { timeoutMs: 30_000, minIntervalMs: 100 });

		expect(result.timedOut).toBe(false);
		const failed = result.assets.filter((a) => a.status === 'failed');
		expect(failed).toHaveLength(1);
		expect(failed[0].error).toEqual({ code: 'GENERATION_FAILED', message: 'The provider refused' });
		expect(result.assets.filter((a) => a.status === 'completed')).toHaveLength(2);
		const item = toAssetItem(failed[0], { sourceItemIndex: 0 });
		expect(item.error).toEqual({ code: 'GENERATION_FAILED', message: 'The provider refused' });
		expect(item.url).toBeUndefined();
	});

	test('timeout returns the last known status of every id (including one never answered)', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 3, durationMs: FOREVER });
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 400,
			minIntervalMs: 100,
			maxIntervalMs: 200,
		});

		expect(result.timedOut).toBe(true);
		expect(result.assets.map((a) => a.asset_id)).toEqual(ids);
		for (const asset of result.assets) {
			expect(asset.status).toBe('generating');
			expect(asset.type).toBe('image');
		}
		expect(statusPolls().length).toBeGreaterThanOrEqual(3);
	});

	test('timeout with every poll failing keeps every id, status unknown, with the poll error', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 2, durationMs: FOREVER });
		emulator.injectFault({ route: 'GET /asset/status', count: 10_000, status: 503 });

		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 300,
			minIntervalMs: 100,
			retry: { ...FAST_RETRY, maxRetries: 1 },
		});

		expect(result.timedOut).toBe(true);
		expect(result.assets).toEqual(ids.map((id) => ({ asset_id: id, status: 'unknown' })));
		expect(Object.keys(result.lastPollErrors ?? {}).sort()).toEqual([...ids].sort());
		expect(result.lastPollErrors?.[ids[0]]).toMatch(/server error/i);
	});

	test('429 and 500 during polling are survived (retried by the transport)', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 4, durationMs: 100 });
		emulator.injectFault({ route: 'GET /asset/status', count: 2, status: 500 });
		emulator.injectFault({
			route: 'GET /asset/status',
			count: 2,
			status: 429,
			headers: { 'Retry-After': '0' },
		});

		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 30_000,
			minIntervalMs: 100,
			retry: FAST_RETRY,
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets.every((a) => a.status === 'completed')).toBe(true);
		const answered = statusPolls().map((r) => r.status);
		expect(answered.filter((s) => s === 500)).toHaveLength(2);
		expect(answered.filter((s) => s === 429)).toHaveLength(2);
	});

	test('a long 5xx streak on one asset (beyond the transport retries) loses nothing', async () => {
		const ctx = context();
		const [flaky] = await submit(ctx, { count: 1, durationMs: 100 });
		const others = await submit(ctx, { count: 3, durationMs: 100 });
		// 6 failures > 1 + maxRetries(2) attempts: the first poll of `flaky` gives up, the next works.
		emulator.injectFault({ route: `GET /asset/status/${flaky}`, count: 6, status: 502 });

		const result = await waitForAssets(ctx, [flaky, ...others], {
			timeoutMs: 30_000,
			minIntervalMs: 50,
			retry: { ...FAST_RETRY, maxRetries: 2 },
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets.map((a) => a.status)).toEqual([
			'completed',
			'completed',
			'completed',
			'completed',
		]);
		expect(statusPolls(flaky).filter((r) => r.status === 502)).toHaveLength(6);
	});

	test('a dropped connection during a poll is survived', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 2, durationMs: 100 });
		emulator.injectFault({ route: 'GET /asset/status', count: 1, drop: 'before-read' });
		emulator.injectFault({ route: 'GET /asset/status', count: 1, drop: 'after-read' });

		const result = await waitForAssets(ctx, ids, {
			timeoutMs: 30_000,
			minIntervalMs: 100,
			retry: FAST_RETRY,
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets.every((a) => a.status === 'completed')).toBe(true);
		expect(statusPolls().filter((r) => r.status === 0)).toHaveLength(2);
	});

	test('cancel stops polling: rejects with the unfinished ids, and no status request follows', async () => {
		const controller = new AbortController();
		const ctx = context({ abortSignal: controller.signal });
		const ids = await submit(ctx, { count: 3, durationMs: FOREVER });

		const waiting = waitForAssets(ctx, ids, {
			timeoutMs: 60_000,
			minIntervalMs: 50,
			abortSignal: controller.signal,
		});
		await until(() => statusPolls().length >= 6, 'two rounds');
		controller.abort();

		const error = await waiting.then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(WaitCancelledError);
		expect(error).toBeInstanceOf(CancelledError);
		expect((error as WaitCancelledError).assetIds).toEqual(ids);
		expect((error as Error).message).toContain(ids[0]);
		const after = statusPolls().length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(statusPolls()).toHaveLength(after);
	});

	test('cancel while a poll is in flight aborts it and still rejects', async () => {
		const controller = new AbortController();
		const ctx = context();
		const ids = await submit(ctx, { count: 2, durationMs: FOREVER });
		emulator.injectFault({ route: 'GET /asset/status', count: 2, delayMs: 5000 });

		const waiting = waitForAssets(ctx, ids, {
			timeoutMs: 60_000,
			minIntervalMs: 50,
			abortSignal: controller.signal,
		});
		await until(() => statusPolls().length >= 1, 'a delayed poll');
		controller.abort();

		await expect(waiting).rejects.toBeInstanceOf(WaitCancelledError);
		const after = statusPolls().length;
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(statusPolls()).toHaveLength(after);
	});

	test('an already aborted signal polls nothing', async () => {
		const controller = new AbortController();
		controller.abort();
		const ctx = context();
		const ids = await submit(ctx, { count: 1, durationMs: FOREVER });
		await expect(
			waitForAssets(ctx, ids, { timeoutMs: 1000, abortSignal: controller.signal }),
		).rejects.toBeInstanceOf(CancelledError);
		expect(statusPolls()).toHaveLength(0);
	});

	test('known terminal statuses are not polled', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 3, durationMs: 50 });
		const known: Record<string, AssetStatus> = {
			[ids[0]]: { asset_id: ids[0], status: 'completed', url: 'http://127.0.0.1:1/media/x.png' },
			[ids[1]]: {
				asset_id: ids[1],
				status: 'failed',
				error: { code: 'X', message: 'from a webhook' },
			},
		};

		const result = await waitForAssets(ctx, ids, { timeoutMs: 30_000, minIntervalMs: 100, known });

		expect(result.assets[0]).toEqual(known[ids[0]]);
		expect(result.assets[1]).toEqual(known[ids[1]]);
		expect(result.assets[2].status).toBe('completed');
		expect(statusPolls(ids[0])).toHaveLength(0);
		expect(statusPolls(ids[1])).toHaveLength(0);
		expect(statusPolls(ids[2]).length).toBeGreaterThanOrEqual(1);
	});

	test('all known terminal: returns at once without a request', async () => {
		const ctx = context();
		const result = await waitForAssets(ctx, ['a', 'b'], {
			timeoutMs: 1000,
			known: { a: { asset_id: 'a', status: 'completed' }, b: { asset_id: 'b', status: 'failed' } },
		});
		expect(result).toMatchObject({ timedOut: false, polls: 0 });
		expect(ctx.recorder.http).toHaveLength(0);
	});

	test('404 is final for that asset only (failed with the error); the others complete', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 2, durationMs: 50 });
		const missing = '000000000000000000000000';

		const result = await waitForAssets(ctx, [ids[0], missing, ids[1]], {
			timeoutMs: 30_000,
			minIntervalMs: 100,
		});

		expect(result.timedOut).toBe(false);
		expect(result.assets[1]).toMatchObject({
			asset_id: missing,
			status: 'failed',
			error: { http_code: 404, message: expect.stringContaining(missing) },
		});
		expect(statusPolls(missing)).toHaveLength(1);
		expect(result.assets[0].status).toBe('completed');
		expect(result.assets[2].status).toBe('completed');
	});

	test('401 is rethrown at once, listing the unfinished assets, and stops the batch', async () => {
		const ctx = context();
		const ids = await submit(ctx, { count: 3, durationMs: FOREVER });
		const itemOf = (id: string) => ids.indexOf(id) + 10;
		const badKey = context({ apiKey: 'hx_live_not-a-valid-key' });

		const error = await waitForAssets(badKey, ids, {
			timeoutMs: 30_000,
			minIntervalMs: 50,
			itemIndexOf: itemOf,
		}).then(
			() => undefined,
			(e: unknown) => e,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		for (const id of ids) expect((error as NodeApiError).description).toContain(id);
		expect((error as NodeApiError).description).not.toContain('hx_live_not');
		expect(statusPolls().length).toBeLessThanOrEqual(3);
	});

	test.each([false, true])(
		'never overspends the rate limit (pollEveryAsset %s): no 429, the budget of the window is respected',
		async (pollEveryAsset) => {
			const limited = await startEmulator({ rateLimitPerMinute: 8 });
			try {
				const ctx = createExecuteContext({
					credentials: { apiKey: TEST_API_KEY, baseUrl: limited.baseUrl },
				});
				const { asset_ids: ids } = await hooxRequest<{ asset_ids: string[] }>(ctx, {
					method: 'POST',
					path: '/asset/start',
					body: {
						type: 'image',
						model: 'z-image-turbo',
						prompt: 'p',
						generation_count: 4,
						x_emulator: { duration_ms: FOREVER },
					},
				});
				// 8 per minute, 1 kept in reserve, 1 used by the submit: 6 polls are left for this window.
				const result = await waitForAssets(ctx, ids, {
					timeoutMs: 1500,
					minIntervalMs: 50,
					pollEveryAsset,
				});

				expect(result.timedOut).toBe(true);
				const polls = limited.requests({ method: 'GET', path: '/asset/status/' });
				expect(polls.every((r) => r.status === 200)).toBe(true);
				expect(polls.length).toBeLessThanOrEqual(6);
				expect(new Set(polls.map((r) => r.path)).size).toBe(4);
				expect(result.assets.every((a) => a.status === 'generating')).toBe(true);
			} finally {
				await limited.close();
			}
		},
	);
});

describe('pacing (pure)', () => {
	const now = 1_000_000;

	test('without rate-limit information: the interval, every unfinished asset', () => {
		expect(planNextRound({ intervalMs: 2500, pending: 40, maxIntervalMs: 15_000, now })).toEqual({
			delayMs: 2500,
			batchSize: 40,
			waitsForReset: false,
		});
	});

	test('enough budget for the usual schedule until the reset: the interval, every unfinished asset', () => {
		// 3.75 + 5.6 + 8.4 s fit in the 30 s left: 3 rounds × 20 = 60 ≤ 80 - 5 (reserve)
		const rateLimit = { limit: 100, remaining: 80, resetAt: now + 30_000 };
		expect(
			planNextRound({ intervalMs: 3750, pending: 20, rateLimit, maxIntervalMs: 15_000, now }),
		).toEqual({
			delayMs: 3750,
			batchSize: 20,
			waitsForReset: false,
		});
	});

	test('the usual schedule would spend the budget before the reset: the rest is spread over the window', () => {
		// 55 requests for 20 assets over 30.25 s: one round every 11 s, instead of 3 quick rounds and a stall
		const rateLimit = { limit: 100, remaining: 60, resetAt: now + 30_000 };
		expect(
			planNextRound({ intervalMs: 3750, pending: 20, rateLimit, maxIntervalMs: 15_000, now }),
		).toEqual({
			delayMs: 11_000,
			batchSize: 20,
			waitsForReset: false,
		});
		// one asset is never slowed down by this
		expect(
			planNextRound({ intervalMs: 2500, pending: 1, rateLimit, maxIntervalMs: 15_000, now })
				.delayMs,
		).toBe(2500);
	});

	test('budget below one round: a partial round of what is left (5 % kept in reserve)', () => {
		const rateLimit = { limit: 100, remaining: 25, resetAt: now + 30_000 };
		expect(
			planNextRound({ intervalMs: 2500, pending: 40, rateLimit, maxIntervalMs: 15_000, now }),
		).toEqual({
			delayMs: 2500,
			batchSize: 20,
			waitsForReset: false,
		});
	});

	test('budget spent: wait until the window resets (beyond maxInterval), then a full-window round', () => {
		const rateLimit = { limit: 100, remaining: 5, resetAt: now + 40_000 };
		const plan = planNextRound({
			intervalMs: 2500,
			pending: 120,
			rateLimit,
			maxIntervalMs: 15_000,
			now,
		});
		expect(plan.waitsForReset).toBe(true);
		expect(plan.delayMs).toBeGreaterThanOrEqual(40_000);
		expect(plan.delayMs).toBeLessThan(41_000);
		expect(plan.batchSize).toBe(95);
	});

	test('a 429 left over after the retries without a reset time: wait maxInterval', () => {
		const plan = planNextRound({
			intervalMs: 2500,
			pending: 3,
			rateLimited: true,
			maxIntervalMs: 15_000,
			now,
		});
		expect(plan).toEqual({ delayMs: 15_000, batchSize: 3, waitsForReset: true });
	});

	test('rounds that end at the first running asset cost less: the pacing counts what they cost', () => {
		// 20 unfinished, rounds of 5: 15 polls set aside for the finishes, 40 to spend over 30 s
		const rateLimit = { limit: 100, remaining: 60, resetAt: now + 30_000 };
		const plan = planNextRound({
			intervalMs: 3750,
			pending: 20,
			roundCost: 5,
			rateLimit,
			maxIntervalMs: 15_000,
			now,
		});
		expect(plan).toEqual({ delayMs: 3750, batchSize: 20, waitsForReset: false });
		const tight = planNextRound({
			intervalMs: 2500,
			pending: 20,
			roundCost: 5,
			rateLimit: { ...rateLimit, remaining: 30 },
			maxIntervalMs: 15_000,
			now,
		});
		// 25 - 15 = 10 to spend, 5 per round: one round every ~15 s
		expect(tight.delayMs).toBe(15_125);
	});

	test('an absurd reset time is capped at 65 s', () => {
		const rateLimit = { limit: 100, remaining: 0, resetAt: now + 3_600_000 };
		expect(
			planNextRound({ intervalMs: 2500, pending: 3, rateLimit, maxIntervalMs: 15_000, now })
				.delayMs,
		).toBe(65_000);
	});

	test('requestBudget: a passed reset means a fresh window', () => {
		expect(requestBudget({ limit: 100, remaining: 0, resetAt: now - 1 }, now)).toBe(95);
		expect(requestBudget({ limit: 100, remaining: 50, resetAt: now + 1 }, now)).toBe(45);
		expect(requestBudget({}, now)).toBeUndefined();
	});

	test('mergeRateLimitInfo keeps the lowest remaining of a window; a newer window replaces it', () => {
		const a = mergeRateLimitInfo(undefined, { limit: 100, remaining: 50, resetAt: now });
		const b = mergeRateLimitInfo(a, { limit: 100, remaining: 55, resetAt: now });
		expect(b?.remaining).toBe(50);
		const c = mergeRateLimitInfo(b, { limit: 100, remaining: 99, resetAt: now + 60_000 });
		expect(c).toEqual({ limit: 100, remaining: 99, resetAt: now + 60_000 });
		expect(mergeRateLimitInfo(c, {})).toBe(c);
	});

	test('isTerminal: only completed and failed', () => {
		expect(isTerminal({ asset_id: 'a', status: 'completed' })).toBe(true);
		expect(isTerminal({ asset_id: 'a', status: 'failed' })).toBe(true);
		for (const status of ['pending', 'generating', 'queued', 'COMPLETED', 'unknown']) {
			expect(isTerminal({ asset_id: 'a', status })).toBe(false);
		}
		expect(isTerminal(undefined)).toBe(false);
	});
});
