import { sleep } from 'n8n-workflow';

/** Thrown when the execution was cancelled while we were waiting. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'CancelledError';
	}
}

// n8n 1.x's sleep() ignores an abort signal, so long waits are cut into slices and the
// signal is checked between them: a cancel is noticed within one slice on every n8n version.
const SLICE_MS = 500;

/** Waits `ms` milliseconds, or throws CancelledError as soon as `signal` is aborted. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	let left = Math.max(0, Math.round(ms));
	if (signal?.aborted) throw new CancelledError();
	while (left > 0) {
		const slice = Math.min(left, SLICE_MS);
		try {
			await sleep(slice, signal);
		} catch {
			// sleep() rejects with the abort reason when the signal fires mid-slice
		}
		if (signal?.aborted) throw new CancelledError();
		left -= slice;
	}
}

/** Exponential backoff with full jitter: a random delay in [base/2, min(cap, base * 2^attempt)]. */
export function backoffDelay(
	attempt: number,
	baseMs: number,
	capMs: number,
	random = Math.random,
): number {
	const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
	const floor = Math.min(ceiling, baseMs / 2);
	return Math.round(floor + random() * (ceiling - floor));
}
