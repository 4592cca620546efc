/**
 * Runs the benchmarks (`npm run bench`) and prints their results as Markdown.
 *
 *   npm run bench                         all defaults (N = 1, 10, 20; 2 s generations)
 *   npm run bench -- --sizes 1,5 --generation-ms 1000 --long-generation-ms 0
 */
import { benchWaiting, DEFAULT_WAITING_OPTIONS, waitingTable } from './waiting';

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
}

function numberOption(name: string, fallback: number): number {
	const value = option(name);
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0`);
	return n;
}

async function main() {
	const sizes = (option('sizes') ?? DEFAULT_WAITING_OPTIONS.sizes.join(','))
		.split(',')
		.map((s) => Number(s.trim()))
		.filter((n) => Number.isInteger(n) && n > 0);
	const options = {
		sizes,
		generationMs: numberOption('generation-ms', DEFAULT_WAITING_OPTIONS.generationMs),
		intervalMs: numberOption('interval-ms', DEFAULT_WAITING_OPTIONS.intervalMs),
		rateLimitPerMinute: numberOption('rate-limit', DEFAULT_WAITING_OPTIONS.rateLimitPerMinute),
		timeoutMs: numberOption('timeout-ms', DEFAULT_WAITING_OPTIONS.timeoutMs),
		log: (line: string) => console.error(line),
	};
	console.error(
		`waiting bench: sizes ${sizes.join(', ')}; generation ${options.generationMs} ms; interval ${options.intervalMs} ms; ` +
			`rate limit ${options.rateLimitPerMinute}/min; node ${process.version}`,
	);
	const results = await benchWaiting(options);
	console.log(
		`## Waiting for N assets (generation ${options.generationMs / 1000} s, first interval ${options.intervalMs / 1000} s, rate limit ${options.rateLimitPerMinute}/min)\n`,
	);
	console.log(waitingTable(results));

	// Long generations: where the rate limit, not the generation time, decides (per-item would
	// take N × the generation time, so it is left out).
	const longMs = numberOption('long-generation-ms', 30_000);
	const longSizes = (option('long-sizes') ?? '20')
		.split(',')
		.map(Number)
		.filter((n) => Number.isInteger(n) && n > 0);
	if (longMs > 0 && longSizes.length > 0) {
		console.error(`long generations: sizes ${longSizes.join(', ')}; generation ${longMs} ms`);
		const long = await benchWaiting({
			...options,
			sizes: longSizes,
			generationMs: longMs,
			variants: ['concurrent', 'every-asset', 'one-by-one'],
		});
		console.log(
			`\n## Long generations (generation ${longMs / 1000} s, first interval ${options.intervalMs / 1000} s, rate limit ${options.rateLimitPerMinute}/min)\n`,
		);
		console.log(waitingTable(long));
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
