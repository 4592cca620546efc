/** The n8n bench's Markdown table: one row per batch size and variant, ranges over the repetitions. */
import { percentile, type RunFigures } from './metrics';
import type { Variant } from './workflows';

export interface Row {
	size: number;
	variant: Variant;
	/** One entry per execution of every repetition. */
	runs: RunFigures[];
	/** Executions at once on one API key (1: alone). */
	executions?: number;
}

const VARIANT_NAMES: Record<Variant, string> = {
	'hand loop': 'hand loop (Wait 10 s)',
	poll: 'Hoox, Wait Mode Poll',
	resume: 'Hoox, Resume on Webhook',
};

/** "a–b" over the repetitions (one value when they agree at this precision); "—" when none. */
function range(values: number[], digits: number, unit = ''): string {
	const finite = values.filter(Number.isFinite);
	if (finite.length === 0) return '—';
	const low = Math.min(...finite).toFixed(digits);
	const high = Math.max(...finite).toFixed(digits);
	return `${low === high ? low : `${low}–${high}`}${unit}`;
}

const seconds = (values: number[]) =>
	range(
		values.map((v) => v / 1000),
		2,
		' s',
	);

export function renderTable(rows: Row[], reps: number): string {
	const lines = [
		`| items | variant | wall / slowest generation | wall / last completion | API calls per asset | status reads per asset | 429s (all runs) | detection p95 | callback answer p95 | next node after last completion | completed |`,
		'|---:|---|---|---|---|---|---:|---|---|---|---|',
	];
	for (const { size, variant, runs, executions = 1 } of rows) {
		const resume = variant === 'resume';
		lines.push(
			[
				size,
				executions > 1
					? `${VARIANT_NAMES[variant]}, ${executions} executions on one key`
					: VARIANT_NAMES[variant],
				range(
					runs.map((r) => r.wallMs / r.slowestMs),
					2,
				),
				range(
					runs.map((r) => r.wallMs / r.lastCompletionMs),
					2,
				),
				range(
					runs.map((r) => r.callsPerAsset),
					2,
				),
				range(
					runs.map((r) => r.readsPerAsset),
					2,
				),
				runs.reduce((n, r) => n + r.rateLimited, 0),
				seconds(runs.map((r) => percentile(r.detectionMs, 95))),
				resume ? seconds(runs.map((r) => percentile(r.callbackAnswerMs, 95))) : '—',
				seconds(runs.map((r) => r.nextNodeAfterLastMs)),
				`${runs.reduce((n, r) => n + r.completed, 0)}/${runs.reduce((n, r) => n + r.assets, 0)}`,
			].join(' | '),
		);
	}
	return (
		lines.map((line) => (line.startsWith('|') ? line : `| ${line} |`)).join('\n') +
		`\n\n(${reps} repetition(s); ranges are min–max over them. Wall: first submit → start of the node ` +
		'after the wait. Last completion: first submit → the last asset done, the earliest the workflow ' +
		'could go on (the submit queue included). API calls: submits, status reads and the model schema ' +
		'Generate reads to check its parameters. Detection: completion → first status read that saw it.)'
	);
}
