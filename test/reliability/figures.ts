/**
 * The reliability suite's figures (issue 9): each reliability test file records what it measured
 * and prints one table as its closing lines, so `npm test`'s log carries the numbers the README's
 * "Reliability" section quotes. Figures are reported, never timed: targets are counts.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
	name: string;
	value: number | string;
	/** The bold target of the issue, e.g. '= 1 in every cell' or '0'. */
	target?: string;
}

const REPORT = join(__dirname, '..', '..', '.tmp', 'reliability-figures.jsonl');

/** Figures of one test file; printed (and appended to .tmp/reliability-figures.jsonl) after all its tests. */
export function reliabilityFigures(title: string): { add(figure: Figure): void } {
	const rows: Figure[] = [];
	afterAll(() => {
		if (rows.length === 0) return;
		const width = Math.max(...rows.map((r) => r.name.length));
		const lines = rows.map(
			(r) =>
				`  ${r.name.padEnd(width)}  ${String(r.value)}${r.target ? `   (target ${r.target})` : ''}`,
		);
		process.stdout.write(`\n== reliability: ${title}\n${lines.join('\n')}\n`);
		mkdirSync(join(REPORT, '..'), { recursive: true });
		appendFileSync(REPORT, `${JSON.stringify({ title, rows })}\n`);
	});
	return { add: (figure) => void rows.push(figure) };
}
