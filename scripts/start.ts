/**
 * `npm start`: a local n8n with this package installed, ready to click through.
 *
 * - Hoox backend: the emulator on 127.0.0.1:5680 (default), or a real Hoox when both HOOX_API_KEY
 *   and HOOX_BASE_URL are set.
 * - n8n 2.41.1 (or `--n8n=1` for 1.123.81) on http://localhost:5678, data kept in
 *   .e2e/start/n8n-<version>/ (`--fresh` wipes it), log in .e2e/start/n8n-<version>.log.
 * - The owner account, a Hoox credential and the example workflows from examples/ are set up
 *   through n8n's REST API after start.
 * - Ctrl-C stops n8n and the emulator.
 *
 * scripts/start.sh installs dependencies and builds first; this script also builds when dist/ is
 * missing and provisions n8n when it is not installed yet.
 *
 * - `--queue`: n8n queue mode instead (throwaway PostgreSQL + Redis, main + 2 workers + 2 webhook
 *   processes behind a round-robin proxy on HOOX_WEBHOOK_PORT, default 5681); data is not kept.
 *
 * Env: HOOX_API_KEY + HOOX_BASE_URL (real Hoox), HOOX_N8N_PORT (5678), HOOX_EMULATOR_PORT (5680),
 * HOOX_WEBHOOK_PORT (5681, --queue only), HOOX_N8N_CACHE (where n8n is installed), HOOX_START_DIR
 * (sandbox data, default .e2e/start).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
	E2E_DIR,
	N8N_VERSIONS,
	REPO_ROOT,
	freePort,
	isProvisioned,
	portInUse,
	startSandbox,
	type HooxTarget,
	type N8nMajor,
	type Sandbox,
} from '../harness/n8n';
import { TEST_API_KEY } from '../emulator';

// HOOX_START_DIR: where the sandbox keeps its data (the e2e check of `npm start` uses a temp dir).
const START_DIR = process.env.HOOX_START_DIR || join(E2E_DIR, 'start');
const PID_FILE = join(START_DIR, 'n8n.pid');

function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

function parseArgs(argv: string[]): { major: N8nMajor; fresh: boolean; queue: boolean } {
	let major: N8nMajor = '2';
	let fresh = false;
	let queue = false;
	for (const arg of argv) {
		if (arg === '--fresh') fresh = true;
		else if (arg === '--queue') queue = true;
		else if (/^--n8n=[12]$/.test(arg)) major = arg.slice(-1) as N8nMajor;
		else if (arg === '--help' || arg === '-h') {
			say('usage: npm start -- [--n8n=2|1] [--fresh] [--queue]');
			say('  --n8n=1   run n8n 1.123.81 instead of 2.41.1');
			say(
				'  --fresh   wipe the sandbox n8n data (owner, credentials, workflows, executions) first',
			);
			say('  --queue   n8n queue mode: PostgreSQL + Redis, main + 2 workers + 2 webhook processes');
			say('env: HOOX_API_KEY + HOOX_BASE_URL use a real Hoox instead of the emulator;');
			say('     HOOX_N8N_PORT (default 5678), HOOX_EMULATOR_PORT (default 5680)');
			process.exit(0);
		} else {
			throw new Error(`unknown argument ${arg} (see --help)`);
		}
	}
	return { major, fresh, queue };
}

function run(cmd: string, args: string[]): void {
	const res = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
	if (res.status !== 0)
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
}

/** Stops an n8n left running by a previous `npm start` that was killed hard. */
function stopStaleN8n(): void {
	if (!existsSync(PID_FILE)) return;
	const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
	rmSync(PID_FILE, { force: true });
	if (!Number.isInteger(pid) || pid <= 1) return;
	let cmdline = '';
	try {
		cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
	} catch {
		return; // not running
	}
	if (!cmdline.includes('n8n')) return;
	say(`Stopping n8n left over from a previous start (pid ${pid})`);
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		// gone
	}
	spawnSync('sleep', ['3']);
}

function hooxTarget(): HooxTarget | undefined {
	const apiKey = process.env.HOOX_API_KEY;
	const baseUrl = process.env.HOOX_BASE_URL;
	if (apiKey && baseUrl) return { apiKey, baseUrl };
	if (apiKey || baseUrl)
		throw new Error(
			'set both HOOX_API_KEY and HOOX_BASE_URL to use a real Hoox (or neither for the emulator)',
		);
	return undefined;
}

async function main(): Promise<void> {
	const { major, fresh, queue } = parseArgs(process.argv.slice(2));
	const version = N8N_VERSIONS[major];
	const n8nPort = Number(process.env.HOOX_N8N_PORT || 5678);
	const emulatorPort = Number(process.env.HOOX_EMULATOR_PORT || 5680);
	const hoox = hooxTarget();

	if (!existsSync(join(REPO_ROOT, 'dist'))) {
		say('dist/ is missing: building');
		run('npm', ['run', 'build']);
	}
	if (!isProvisioned(major)) {
		say(`n8n ${version} is not installed yet: provisioning (one-time, several minutes)`);
		run('bash', [join(REPO_ROOT, 'scripts', 'provision-n8n.sh'), major]);
	}

	mkdirSync(START_DIR, { recursive: true });
	stopStaleN8n();
	const userFolder = join(START_DIR, `n8n-${version}`);
	if (fresh) {
		say(`--fresh: wiping ${relative(REPO_ROOT, userFolder)}`);
		rmSync(userFolder, { recursive: true, force: true });
	}
	if (await portInUse(n8nPort))
		throw new Error(
			`port ${n8nPort} is in use: is another n8n running? (HOOX_N8N_PORT picks another)`,
		);
	if (!hoox && (await portInUse(emulatorPort))) {
		throw new Error(
			`port ${emulatorPort} is in use: is another emulator running? (HOOX_EMULATOR_PORT picks another)`,
		);
	}
	// n8n 2.x's task runner broker: its default port if free, else any free one.
	const brokerPort = (await portInUse(5679)) || n8nPort === 5679 ? await freePort() : 5679;
	const logFile = join(START_DIR, `n8n-${version}.log`);
	const emulatorLog = join(START_DIR, 'emulator.log');
	if (!hoox) writeFileSync(emulatorLog, '');

	say(
		`Starting n8n ${version} with n8n-nodes-hoox (first start on a fresh folder takes ~20-30 s) ...`,
	);
	const t0 = Date.now();
	let sandbox: Sandbox | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the Hoox emulator ...');
		try {
			await sandbox?.close();
		} catch (error) {
			say(`(stop: ${(error as Error).message})`);
			code = code || 1;
		}
		rmSync(PID_FILE, { force: true });
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	sandbox = await startSandbox({
		major,
		label: 'start',
		userFolder,
		logFile,
		port: n8nPort,
		brokerPort,
		hoox,
		queue: queue ? { webhookPort: Number(process.env.HOOX_WEBHOOK_PORT || 5681) } : undefined,
		emulator: hoox
			? undefined
			: {
					port: emulatorPort,
					log: (line: string) => writeFileSync(emulatorLog, `${line}\n`, { flag: 'a' }),
				},
	});
	const { stack, credential, workflows } = sandbox;
	if (stack.n8n.pid) writeFileSync(PID_FILE, String(stack.n8n.pid));

	const editor = `http://localhost:${n8nPort}`;
	const rel = (p: string) => relative(REPO_ROOT, p);
	say('');
	say(`n8n ${stack.n8n.versionCli} is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	say('');
	say(`  Open      ${editor}`);
	say(`  Log in    ${stack.n8n.owner.email}  /  ${stack.n8n.owner.password}`);
	if (hoox) {
		say(
			`  Hoox      ${hoox.baseUrl} (real Hoox, key from HOOX_API_KEY: generations cost real credits)`,
		);
	} else {
		say(`  Hoox      emulator at ${stack.hoox.baseUrl}`);
		say(
			`            test API key ${TEST_API_KEY.slice(0, 12)}… (any key hx_live_ + 64 hex digits works)`,
		);
		say(`            emulator log: ${rel(emulatorLog)}`);
	}
	say(`  Credential "${credential.name}" (type Hoox API) points there`);
	if (workflows.length) {
		say('  Example workflows:');
		for (const wf of workflows) say(`    - ${wf.name}: ${editor}/workflow/${wf.id}`);
	} else {
		say('  Example workflows: none yet (examples/*.json)');
	}
	if ('workers' in stack) {
		say(
			`  Queue     main + ${stack.workers.length} workers + ${stack.webhookProcesses.length} webhook processes`,
		);
		say(
			`            webhooks and resume URLs: ${stack.proxy.url} (round robin over the webhook processes)`,
		);
		say(
			`            PostgreSQL 127.0.0.1:${stack.postgres.port}, Redis 127.0.0.1:${stack.redis.port}`,
		);
		say('            logs: .e2e/logs/start-*.log when stopped; data is thrown away on stop');
	} else {
		say(`  n8n log   ${rel(logFile)}`);
		say(`  Data      ${rel(userFolder)} (kept between starts; --fresh wipes it)`);
	}
	say('');
	say('Press Ctrl-C to stop.');

	// Exit if n8n dies on its own.
	const watch = setInterval(() => {
		if (!stack.n8n.isRunning() && !stopping) {
			clearInterval(watch);
			say(`\nn8n exited unexpectedly; last log lines:\n${stack.n8n.logTail(30)}`);
			void stop(1);
		}
	}, 2000);
}

main().catch((error) => {
	process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
	process.exit(1);
});
