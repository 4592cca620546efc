/**
 * A simulated Hoox for the poll loop on a fake clock (jest's timers and Date, set up by the test
 * file): it answers each status read from the simulated time, with a per-key rate-limit window
 * like Hoox's, and records every read. Used by the schedule tests and the reliability suite.
 */
import { waitForAssets, type WaitResult } from '../../nodes/Hoox/wait/poll';
import { createExecuteContext } from '../../harness/n8nContext';

const BASE_URL = 'https://hoox.example/api/public/v1';
/** Steps of the fake clock: the lateness measured is exact to this. */
export const TICK_MS = 50;

/** A Hoox that knows when each asset is done, and counts reads per key and window. */
export class SimulatedHoox {
	readonly doneAt = new Map<string, number>();
	readonly reads: Array<{ id: string; at: number; done: boolean }> = [];
	tooMany = 0;
	private readonly windows = new Map<string, { start: number; count: number }>();
	private next = 0;

	constructor(private readonly limit = 100) {}

	submit(durationsMs: number[]): string[] {
		return durationsMs.map((ms) => {
			const id = `asset${String(this.next++).padStart(19, '0')}`;
			this.doneAt.set(id, Date.now() + ms);
			return id;
		});
	}

	answer(key: string, url: string) {
		const now = Date.now();
		let window = this.windows.get(key);
		if (!window || now - window.start >= 60_000) {
			window = { start: now, count: 0 };
			this.windows.set(key, window);
		}
		window.count++;
		const headers = {
			'x-ratelimit-limit': String(this.limit),
			'x-ratelimit-remaining': String(Math.max(0, this.limit - window.count)),
			'x-ratelimit-reset': String(Math.ceil((window.start + 60_000) / 1000)),
		};
		if (window.count > this.limit) {
			this.tooMany++;
			return { statusCode: 429, headers, body: { error: 'rate_limit_exceeded' } };
		}
		const id = url.split('/asset/status/')[1];
		const done = now >= (this.doneAt.get(id) ?? Infinity);
		this.reads.push({ id, at: now, done });
		return {
			statusCode: 200,
			headers,
			body: { asset_id: id, status: done ? 'completed' : 'generating' },
		};
	}

	/** When the wait first saw this asset done, after it was. */
	seenLate(id: string): number {
		const seen = this.reads.find((r) => r.id === id && r.done);
		return seen ? seen.at - this.doneAt.get(id)! : Infinity;
	}
}

function contextFor(hoox: SimulatedHoox, apiKey: string) {
	const ctx = createExecuteContext({ credentials: { apiKey, baseUrl: BASE_URL } });
	(ctx.helpers as any).httpRequestWithAuthentication = async (_type: string, options: any) =>
		hoox.answer(apiKey, String(options.url));
	return ctx;
}

/** Runs the fake clock until the promise settles. */
async function drive<T>(promise: Promise<T>): Promise<T> {
	let settled = false;
	promise.then(
		() => (settled = true),
		() => (settled = true),
	);
	while (!settled) await jest.advanceTimersByTimeAsync(TICK_MS);
	return await promise;
}

/** One execution's poll-mode wait for `durationsMs` assets, submitted now, driven on the fake clock. */
export async function waitOnSimulatedHoox(
	hoox: SimulatedHoox,
	apiKey: string,
	durationsMs: number[],
) {
	const submittedAt = Date.now();
	const ids = hoox.submit(durationsMs);
	const known = Object.fromEntries(ids.map((id) => [id, { asset_id: id, status: 'generating' }]));
	const before = hoox.reads.length;
	const result: WaitResult = await drive(
		waitForAssets(contextFor(hoox, apiKey), ids, {
			timeoutMs: 600_000,
			known,
			submittedAt: () => submittedAt,
			modelOf: () => 'gpt-image-2',
		}),
	);
	expect(result.timedOut).toBe(false);
	const slowest = Math.max(...durationsMs);
	const lastSeen = Math.max(...ids.map((id) => hoox.seenLate(id) + hoox.doneAt.get(id)!));
	return {
		reads: hoox.reads.length - before,
		/** When the wait saw the last asset done, as a share of the slowest generation. */
		ratio: (lastSeen - submittedAt) / slowest,
	};
}

/** `n` durations from `base` to `base + width`, spread the same way every run. */
export const spread = (n: number, base: number, width: number) =>
	Array.from({ length: n }, (_, i) => base + Math.round(width * ((i * 0.618) % 1)));
