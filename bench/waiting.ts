/**
 * Benchmark: waiting for N Hoox assets with the shared waiter (one polling loop for the whole
 * batch) against two naive sequential waits, on the local emulator over loopback HTTP.
 *
 *   concurrent     submit every item, then ONE waitForAssets() for all asset ids (what the node
 *                  does; the submit answers are passed as `known`, as the node passes them)
 *   every-asset    the same with `pollEveryAsset: true` (every unfinished asset in every round)
 *   per-item       for each item: submit, then poll that asset (at once, then every interval)
 *                  until it is done, then the next item (a node that waits inside its item loop)
 *   one-by-one     submit every item, then poll asset 1 until done, then asset 2, … (a sequential
 *                  wait over an already submitted batch; same polling as per-item)
 *
 * Every variant starts from a fresh emulator state (emulator.reset(): new rate-limit window, no
 * assets), uses the same generation duration and the same first interval (2.5 s, the waiter's
 * default), and is bounded by a timeout, so the bench always ends by itself.
 */
import { sleep } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../emulator';
import { hooxRequest, isTerminal, type AssetStatus } from '../nodes/shared/api';
import { waitForAssets } from '../nodes/Hoox/wait/poll';
import { createExecuteContext, type TestExecuteFunctions } from '../harness/n8nContext';

export interface WaitingBenchOptions {
	/** Batch sizes (number of items, one asset each). */
	sizes: number[];
	/** How long the emulator takes to generate an image (ms). */
	generationMs: number;
	/** Poll interval of the naive waits, and minIntervalMs of the waiter (ms). */
	intervalMs: number;
	/** Emulator rate limit (requests per minute per key); Hoox's is 100. */
	rateLimitPerMinute: number;
	/** Upper bound of one variant (ms). */
	timeoutMs: number;
	/** Which waits to run (default all three). */
	variants?: Variant[];
	log?: (line: string) => void;
}

export const DEFAULT_WAITING_OPTIONS: WaitingBenchOptions = {
	sizes: [1, 10, 20],
	generationMs: 2000,
	intervalMs: 2500,
	rateLimitPerMinute: 100,
	timeoutMs: 180_000,
};

export type Variant = 'concurrent' | 'every-asset' | 'per-item' | 'one-by-one';
const VARIANTS: Variant[] = ['concurrent', 'every-asset', 'per-item', 'one-by-one'];

export interface VariantResult {
	variant: Variant;
	size: number;
	/** Wall time from the first submit to the last asset seen completed (ms). */
	wallMs: number;
	statusRequests: number;
	/** Requests the emulator answered with 429. */
	rateLimited: number;
	completed: number;
	timedOut: boolean;
}

const MODEL = { type: 'image', model: 'z-image-turbo' };

async function submitOne(ctx: TestExecuteFunctions, index: number): Promise<string> {
	const answer = await hooxRequest<{ asset_ids: string[] }>(ctx, {
		method: 'POST',
		path: '/asset/start',
		body: { ...MODEL, prompt: `Benchmark item ${index}` },
		itemIndex: index,
	});
	return answer.asset_ids[0];
}

/** The naive wait: poll one asset (at once, then at a fixed interval) until it is done or the deadline. */
async function naiveWait(
	ctx: TestExecuteFunctions,
	id: string,
	intervalMs: number,
	deadline: number,
): Promise<AssetStatus> {
	const poll = async () =>
		await hooxRequest<AssetStatus>(ctx, { method: 'GET', path: `/asset/status/${id}` });
	let status = await poll();
	while (!isTerminal(status) && Date.now() + intervalMs < deadline) {
		await sleep(intervalMs);
		status = await poll();
	}
	return status;
}

async function runVariant(
	emulator: Emulator,
	variant: Variant,
	size: number,
	options: WaitingBenchOptions,
): Promise<VariantResult> {
	emulator.reset();
	const ctx = createExecuteContext({
		credentials: { apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl },
	});
	const started = Date.now();
	const deadline = started + options.timeoutMs;
	let statuses: AssetStatus[] = [];
	let timedOut = false;

	if (variant === 'concurrent' || variant === 'every-asset') {
		const ids: string[] = [];
		for (let i = 0; i < size; i++) ids.push(await submitOne(ctx, i));
		const known = Object.fromEntries(ids.map((id) => [id, { asset_id: id, status: 'generating' }]));
		const result = await waitForAssets(ctx, ids, {
			timeoutMs: options.timeoutMs,
			minIntervalMs: options.intervalMs,
			known,
			pollEveryAsset: variant === 'every-asset',
		});
		statuses = result.assets;
		timedOut = result.timedOut;
	} else if (variant === 'per-item') {
		for (let i = 0; i < size; i++) {
			const id = await submitOne(ctx, i);
			statuses.push(await naiveWait(ctx, id, options.intervalMs, deadline));
		}
	} else {
		const ids: string[] = [];
		for (let i = 0; i < size; i++) ids.push(await submitOne(ctx, i));
		for (const id of ids) statuses.push(await naiveWait(ctx, id, options.intervalMs, deadline));
	}

	const wallMs = Date.now() - started;
	const api = emulator.requests({ kind: 'api' });
	const completed = statuses.filter((s) => s.status === 'completed').length;
	return {
		variant,
		size,
		wallMs,
		statusRequests: api.filter((r) => r.method === 'GET' && r.path.startsWith('/asset/status/'))
			.length,
		rateLimited: api.filter((r) => r.status === 429).length,
		completed,
		timedOut: timedOut || completed < size,
	};
}

export async function benchWaiting(
	partial: Partial<WaitingBenchOptions> = {},
): Promise<VariantResult[]> {
	const options = { ...DEFAULT_WAITING_OPTIONS, ...partial };
	const emulator = await startEmulator({
		durations: { image: options.generationMs, video: options.generationMs },
		rateLimitPerMinute: options.rateLimitPerMinute,
	});
	const results: VariantResult[] = [];
	try {
		for (const size of options.sizes) {
			for (const variant of options.variants ?? VARIANTS) {
				const result = await runVariant(emulator, variant, size, options);
				options.log?.(
					`N=${size} ${variant}: ${(result.wallMs / 1000).toFixed(2)} s, ${result.statusRequests} status requests, ` +
						`${result.rateLimited} × 429, ${result.completed}/${size} completed`,
				);
				results.push(result);
			}
		}
	} finally {
		await emulator.close();
	}
	return results;
}

/** The results as a Markdown table (one row per batch size; columns for the variants that ran). */
export function waitingTable(results: VariantResult[]): string {
	const sizes = [...new Set(results.map((r) => r.size))];
	const ran = VARIANTS.filter((v) => results.some((r) => r.variant === v));
	const others = ran.filter((v) => v !== 'concurrent');
	const seconds = (ms: number) => (ms / 1000).toFixed(2);
	const lines = [
		`| N assets | ${ran.map((v) => `${v}: wall s`).join(' | ')} | ${others.map((v) => `${v} ÷ concurrent`).join(' | ')} | status requests (${ran.join(' / ')}) | 429s | all completed |`,
		`|---:|${ran.map(() => '---:|').join('')}${others.map(() => '---:|').join('')}---|---:|---|`,
	];
	for (const size of sizes) {
		const row = ran.map(
			(v) => results.find((r) => r.size === size && r.variant === v) as VariantResult,
		);
		const concurrent = row[0];
		lines.push(
			`| ${size} | ${row.map((r) => seconds(r.wallMs)).join(' | ')} | ` +
				`${row
					.slice(1)
					.map((r) => `${(r.wallMs / concurrent.wallMs).toFixed(1)}×`)
					.join(' | ')} | ` +
				`${row.map((r) => r.statusRequests).join(' / ')} | ` +
				`${row.reduce((n, r) => n + r.rateLimited, 0)} | ${row.every((r) => !r.timedOut) ? 'yes' : 'NO'} |`,
		);
	}
	return lines.join('\n');
}
