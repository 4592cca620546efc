/**
 * How long a model took in earlier waits of this n8n process: the poll loop sleeps until about
 * when the first asset of a batch can be done instead of probing blindly. Kept in module memory
 * (it survives the execution, not an n8n restart: workflow static data is saved only for active
 * workflows' production runs, so it would not help manual runs). Keyed by a hash of the base URL
 * and the model name; holds durations only.
 */
import { createHash } from 'node:crypto';

import { hooxCredentials, normalizeBaseUrl, type HooxContext } from '../../shared/api';

/** Durations kept per model (the most recent). */
const SAMPLES_PER_MODEL = 16;
const MAX_MODELS = 500;
/** A completion first seen without a "still running" read before it says only "done by now". */
const UNBOUNDED_SHRINK = 0.9;
/** A "running" read this close before the "done" one brackets the duration (a share of it). */
const TIGHT_BRACKET = 0.1;

interface Sample {
	ms: number;
	/** Bracketed by a "running" and a "done" read (else only "done by then", shrunk). */
	tight: boolean;
}

const durations = new Map<string, Sample[]>();

export function modelKey(baseUrl: string, model: string): string {
	return createHash('sha256').update(`${baseUrl}\n${model}`, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Records one generation: `runningAtMs` is the asset's age at its last read that found it still
 * running (if any), `doneAtMs` its age at the read that found it done. When the two are close, the
 * duration is between them; otherwise all that is known is "done by then", recorded a little
 * shorter so that the next wait looks earlier and brackets the real duration.
 */
export function learnDuration(key: string, doneAtMs: number, runningAtMs?: number): void {
	if (!Number.isFinite(doneAtMs) || doneAtMs <= 0) return;
	const tight =
		runningAtMs !== undefined &&
		runningAtMs < doneAtMs &&
		doneAtMs - runningAtMs <= doneAtMs * TIGHT_BRACKET;
	const estimate = tight ? (runningAtMs + doneAtMs) / 2 : doneAtMs * UNBOUNDED_SHRINK;
	let list = durations.get(key);
	if (!list) {
		if (durations.size >= MAX_MODELS) durations.delete(durations.keys().next().value as string);
		list = [];
		durations.set(key, list);
	}
	// A generation done sooner than a bracketed one shows that one is out of date.
	if (!tight) list = list.filter((sample) => !sample.tight || sample.ms <= doneAtMs);
	list.push({ ms: estimate, tight });
	if (list.length > SAMPLES_PER_MODEL) list.splice(0, list.length - SAMPLES_PER_MODEL);
	durations.set(key, list);
}

/**
 * The shortest recent generation of this model (ms), or undefined when none was seen. Bracketed
 * samples, when there are any, rule: a "done by then" only says the duration was shorter.
 */
export function earliestCompletion(key: string): number | undefined {
	const list = durations.get(key) ?? [];
	const tight = list.filter((sample) => sample.tight);
	const ruling = tight.length > 0 ? tight : list;
	return ruling.length > 0 ? Math.min(...ruling.map((sample) => sample.ms)) : undefined;
}

/** The learned earliest completion of each model (ms), for this context's Hoox. */
export async function learnedDurations(
	ctx: HooxContext,
	models: Array<string | undefined>,
): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	let baseUrl: string;
	try {
		const credentials = await hooxCredentials(ctx);
		baseUrl = normalizeBaseUrl(credentials.baseUrl as string | undefined);
	} catch {
		return out;
	}
	for (const model of new Set(models)) {
		const learned = model === undefined ? undefined : earliestCompletion(modelKey(baseUrl, model));
		if (model !== undefined && learned !== undefined) out.set(model, learned);
	}
	return out;
}

/** Forgets everything (tests). */
export function resetHistory(): void {
	durations.clear();
}
