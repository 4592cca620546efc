/**
 * Figures of one bench run, read from what the emulator saw (request log, asset records, webhook
 * deliveries) and from n8n's execution data (when the node after the wait started).
 */
import type { Emulator, RecordedRequest, WebhookDelivery } from '../../emulator';
import type { ExecutionSummary } from '../../harness/n8n';

export interface RunFigures {
	assets: number;
	/** First POST /asset/start → start of the node after the wait (its last run), ms. */
	wallMs: number;
	/** Longest created → completed/failed of the run's assets, ms. */
	slowestMs: number;
	/** First POST /asset/start → last completion, ms: no wait can end before (submits included). */
	lastCompletionMs: number;
	/** API requests of the run (submits, status reads, anything else) per asset. */
	callsPerAsset: number;
	/** GET /asset/status requests per asset. */
	readsPerAsset: number;
	/** Requests Hoox answered 429. */
	rateLimited: number;
	/** Completion → first status read that saw it, per asset read after completing (ms). */
	detectionMs: number[];
	/** Hoox's callbacks: ms from sending to n8n's answer (every attempt). */
	callbackAnswerMs: number[];
	/** Callback attempts n8n did not answer 2xx. */
	callbacksRefused: number;
	/** Last completion → start of the node after the wait, ms. */
	nextNodeAfterLastMs: number;
	completed: number;
}

interface RunData {
	startTime?: number;
	executionTime?: number;
}

function runsOf(execution: ExecutionSummary, node: string): RunData[] {
	const data = execution.data as
		{ resultData?: { runData?: Record<string, RunData[]> } } | undefined;
	return data?.resultData?.runData?.[node] ?? [];
}

/** Asset ids the node after the wait received, over all its runs (the hand loop runs it often). */
function assetIdsReceived(execution: ExecutionSummary, node: string): string[] {
	const data = execution.data as
		| {
				resultData?: {
					runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: any }>> } }>>;
				};
		  }
		| undefined;
	const ids = new Set<string>();
	for (const run of data?.resultData?.runData?.[node] ?? []) {
		for (const item of run.data?.main?.[0] ?? []) {
			if (typeof item.json?.asset_id === 'string') ids.add(item.json.asset_id);
		}
	}
	return [...ids];
}

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function runFigures(input: {
	emulator: Emulator;
	execution: ExecutionSummary;
	afterNode: string;
	/** Requests of this run: after this sequence number … */
	sinceSeq: number;
	/** … and with this key (its last 4 characters, as the emulator's log shows it). */
	keyTail: string;
	/** The run's prompt (its submits); other requests of the key are split among `sharing` runs. */
	prompt: string;
	sharing?: number;
}): RunFigures {
	const { emulator, execution, afterNode } = input;
	const ids = assetIdsReceived(execution, afterNode);
	const idSet = new Set(ids);
	const ofKey = emulator
		.requests({ kind: 'api' })
		.filter(
			(r) => r.seq > input.sinceSeq && (r.headers.authorization ?? '').endsWith(input.keyTail),
		);
	const mine = (r: RecordedRequest) =>
		r.path === '/asset/start'
			? (r.body as { prompt?: string } | undefined)?.prompt === input.prompt
			: r.path.startsWith('/asset/status/') && idSet.has(r.path.split('/').pop()!);
	const requests = ofKey.filter(mine);
	const shared = ofKey.filter(
		(r) => r.path !== '/asset/start' && !r.path.startsWith('/asset/status/'),
	).length;
	const records = ids.map((id) => emulator.getAsset(id)).filter((a) => a !== undefined);
	const finished = records.map((a) => ms(a.finished_at)).filter(Number.isFinite);
	const slowestMs = Math.max(...records.map((a) => ms(a.finished_at) - ms(a.created_at)));
	const firstSubmit = Math.min(
		...requests.filter((r) => r.path === '/asset/start').map((r) => ms(r.time)),
	);
	const afterRuns = runsOf(execution, afterNode);
	const afterStart = afterRuns[afterRuns.length - 1]?.startTime ?? NaN;

	const detectionMs: number[] = [];
	for (const asset of records) {
		const done = ms(asset.finished_at);
		const seen = requests.find(
			(r) =>
				r.method === 'GET' &&
				r.status === 200 &&
				r.path === `/asset/status/${asset.asset_id}` &&
				ms(r.time) >= done,
		);
		if (seen) detectionMs.push(ms(seen.time) - done);
	}
	const deliveries: WebhookDelivery[] = emulator
		.webhookDeliveries()
		.filter((d) => idSet.has(d.asset_id));
	return {
		assets: ids.length,
		wallMs: afterStart - firstSubmit,
		slowestMs,
		lastCompletionMs: Math.max(...finished) - firstSubmit,
		callsPerAsset:
			(requests.length + shared / Math.max(1, input.sharing ?? 1)) / Math.max(1, ids.length),
		readsPerAsset:
			requests.filter((r) => r.path.startsWith('/asset/status/')).length / Math.max(1, ids.length),
		rateLimited: requests.filter((r) => r.status === 429).length,
		detectionMs,
		callbackAnswerMs: deliveries.map((d) => d.answer_ms),
		callbacksRefused: deliveries.filter((d) => !(d.status && d.status >= 200 && d.status < 300))
			.length,
		nextNodeAfterLastMs: afterStart - Math.max(...finished),
		completed: records.filter((a) => a.status === 'completed').length,
	};
}
