/**
 * Standalone emulator: `npm run emulator -- --port 5680` (or `npx tsx emulator/cli.ts --port 5680`).
 *
 * Flags: --port N (default 5680; 0 = random), --balance N, --rate-limit N (0 = off),
 *        --image-ms N, --video-ms N, --strict-keys (only the test key and --key values),
 *        --key hx_live_… (repeatable), --webhook-retry-ms 1000,2000,4000, --large-bytes N, --quiet
 */
import { TEST_API_KEY } from './constants';
import { startEmulator } from './server';
import type { EmulatorOptions } from './types';

function parseArgs(argv: string[]): { opts: EmulatorOptions; quiet: boolean } {
	const opts: EmulatorOptions = { port: 5680, durations: {} };
	const keys: string[] = [];
	let quiet = false;
	const num = (flag: string, v: string | undefined): number => {
		const n = Number(v);
		if (v === undefined || !Number.isFinite(n) || n < 0)
			throw new Error(`${flag} needs a number ≥ 0`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = (): string | undefined => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				opts.port = num(flag, value());
				break;
			case '--balance':
				opts.initialBalance = num(flag, value());
				break;
			case '--rate-limit':
				opts.rateLimitPerMinute = num(flag, value());
				break;
			case '--image-ms':
				opts.durations!.image = num(flag, value());
				break;
			case '--video-ms':
				opts.durations!.video = num(flag, value());
				break;
			case '--large-bytes':
				opts.largeMediaBytes = num(flag, value());
				break;
			case '--webhook-retry-ms':
				opts.webhookRetryDelaysMs = (value() ?? '')
					.split(',')
					.filter(Boolean)
					.map((v) => num(flag, v));
				break;
			case '--strict-keys':
				opts.acceptAnyWellFormedKey = false;
				break;
			case '--key':
				keys.push(value() ?? '');
				break;
			case '--quiet':
				quiet = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(
					'usage: tsx emulator/cli.ts [--port 5680] [--balance N] [--rate-limit N] [--image-ms N] [--video-ms N]\n' +
						'       [--strict-keys] [--key hx_live_…] [--webhook-retry-ms 1000,2000,4000] [--large-bytes N] [--quiet]\n',
				);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown flag ${flag} (try --help)`);
		}
	}
	if (keys.length) opts.apiKeys = keys;
	return { opts, quiet };
}

async function main(): Promise<void> {
	const { opts, quiet } = parseArgs(process.argv.slice(2));
	if (!quiet) opts.log = (line) => process.stdout.write(`[hoox-emulator] ${line}\n`);
	const emu = await startEmulator(opts);
	process.stdout.write(
		`Hoox API emulator listening on ${emu.origin}\n` +
			`  Base URL: ${emu.baseUrl}\n` +
			`  API key:  ${TEST_API_KEY}\n` +
			`  Control:  ${emu.origin}/__control\n`,
	);
	const stop = (): void => {
		emu.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
	process.stderr.write(`hoox-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
	process.exit(1);
});
