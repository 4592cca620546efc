/**
 * n8n in queue mode, all on loopback: PostgreSQL + Redis (services.ts), the main instance
 * (EXECUTIONS_MODE=queue, editor + REST, no production webhooks), `workers` × `n8n worker`,
 * `webhooks` × `n8n webhook` behind one round-robin proxy (proxy.ts) that is n8n's WEBHOOK_URL,
 * and the emulator as Hoox. Every n8n process gets its own user folder with the packed package
 * installed, and the same encryption key. Shared by the queue e2e tests and `npm start -- --queue`.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { E2E_DIR, resolveInstall, type N8nInstall } from './install';
import { freePort, N8nInstance } from './n8n';
import { N8nRoleProcess, type N8nRole } from './n8nRole';
import { installPackageInto } from './pack';
import { startRoundRobinProxy, type RoundRobinProxy } from './proxy';
import { startPostgres, startRedis, type Postgres, type Redis } from './services';
import {
	CREDENTIAL_TYPE,
	credentialData,
	keepEmulatorLog,
	type HooxTarget,
	type Stack,
	type StackOptions,
} from './stack';

export interface QueueStackOptions extends Omit<StackOptions, 'userFolder' | 'logFile'> {
	/** `n8n worker` processes (default 2). */
	workers?: number;
	/** `n8n webhook` processes behind the proxy (default 2). */
	webhooks?: number;
	/** Port of the proxy in front of the webhook processes (default: a free one). */
	webhookPort?: number;
}

export interface QueueStack extends Stack {
	workers: N8nRoleProcess[];
	webhookProcesses: N8nRoleProcess[];
	proxy: RoundRobinProxy;
	postgres: Postgres;
	redis: Redis;
	/** Production webhook URL through the proxy: `<proxy>/webhook/<path>`. */
	webhookUrl(path: string): string;
	/** Starts one more worker (e.g. after one was killed); it joins `workers`. */
	startWorker(): Promise<N8nRoleProcess>;
	/** Which worker started each execution (from the workers' logs): execution id → worker name. */
	executionWorkers(): Map<string, string>;
}

/** The environment every n8n process of the stack shares. */
function sharedEnv(
	install: N8nInstall,
	pg: Postgres,
	redis: Redis,
	proxy: RoundRobinProxy,
): Record<string, string> {
	const env: Record<string, string> = {
		...pg.n8nEnv,
		...redis.n8nEnv,
		EXECUTIONS_MODE: 'queue',
		// Manual runs go to the workers too (2.x default from v3 on; 1.x supports the flag too).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
	};
	// Resume URLs and trigger URLs point at the load balancer, not at one process
	// (2.x reads N8N_WEBHOOK_URL and deprecates WEBHOOK_URL; 1.x reads WEBHOOK_URL only).
	env[install.major === '2' ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL'] = `${proxy.url}/`;
	// 2.x: binary data in the shared database (its queue-mode default, said explicitly);
	// 1.x has no database mode (filesystem is per machine, S3 is an enterprise feature).
	if (install.major === '2') env.N8N_DEFAULT_BINARY_DATA_MODE = 'database';
	return env;
}

interface Started {
	tmp: string;
	emulator?: Emulator;
	postgres?: Postgres;
	redis?: Redis;
	proxy?: RoundRobinProxy;
	main?: N8nInstance;
	roles: N8nRoleProcess[];
}

async function stopAll(s: Started, keepBase: string): Promise<void> {
	await Promise.allSettled(s.roles.map((r) => r.stop()));
	await s.main?.stop().catch(() => undefined);
	await s.proxy?.close().catch(() => undefined);
	await Promise.allSettled([s.postgres?.stop(), s.redis?.stop()]);
	if (s.emulator) {
		keepEmulatorLog(s.emulator, keepBase);
		await s.emulator.close().catch(() => undefined);
	}
	if (!process.env.HOOX_E2E_KEEP) rmSync(s.tmp, { recursive: true, force: true });
}

async function startRole(
	s: Started,
	install: N8nInstall,
	role: N8nRole,
	index: number,
	env: Record<string, string>,
	keepBase: string,
	port?: number,
): Promise<N8nRoleProcess> {
	const name = `${role}-${index}`;
	const userFolder = join(s.tmp, name);
	await installPackageInto(userFolder);
	const p = await N8nRoleProcess.start(
		{
			install,
			role,
			name,
			userFolder,
			logFile: join(s.tmp, `${name}.log`),
			keepLogAs: `${keepBase}-${name}.log`,
			env,
		},
		port,
	);
	s.roles.push(p);
	return p;
}

export async function startQueueStack(opts: QueueStackOptions): Promise<QueueStack> {
	const install = resolveInstall(opts.major);
	const keepBase = join(E2E_DIR, 'logs', `${opts.label}-n8n${install.version}`);
	mkdirSync(join(E2E_DIR, 'logs'), { recursive: true });
	const s: Started = {
		tmp: mkdtempSync(join(tmpdir(), `hoox-queue-${opts.label}-n8n${opts.major}-`)),
		roles: [],
	};
	const t0 = Date.now();
	try {
		const hoox: HooxTarget = opts.hoox ?? (await emulatorTarget(s, opts));
		[s.postgres, s.redis] = await Promise.all([startPostgres(s.tmp), startRedis(s.tmp)]);
		const webhookPorts = await distinctFreePorts(opts.webhooks ?? 2);
		s.proxy = await startRoundRobinProxy(
			webhookPorts.map((p) => `http://127.0.0.1:${p}`),
			opts.webhookPort,
		);
		const env = { ...sharedEnv(install, s.postgres, s.redis, s.proxy), ...(opts.env ?? {}) };
		const mainFolder = join(s.tmp, 'main');
		await installPackageInto(mainFolder);
		s.main = await N8nInstance.start({
			install,
			userFolder: mainFolder,
			logFile: join(s.tmp, 'main.log'),
			keepLogAs: `${keepBase}-main.log`,
			port: opts.port,
			brokerPort: opts.brokerPort,
			owner: opts.owner,
			env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		// Workers and webhook processes after main: main runs the database migrations.
		const workers = Array.from({ length: opts.workers ?? 2 }, (_, i) =>
			startRole(s, install, 'worker', i + 1, env, keepBase),
		);
		const webhooks = webhookPorts.map((port, i) =>
			startRole(s, install, 'webhook', i + 1, env, keepBase, port),
		);
		const [workerList, webhookList] = await Promise.all([
			Promise.all(workers),
			Promise.all(webhooks),
		]);
		appendFileSync(
			join(E2E_DIR, 'logs', 'timings.log'),
			`${new Date().toISOString()} ${opts.label} queue stack n8n ${install.version}: ` +
				`${workerList.length} workers + ${webhookList.length} webhook processes ready in ` +
				`${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
		);
		const credential = opts.credentialName
			? await s.main.createCredential(opts.credentialName, CREDENTIAL_TYPE, credentialData(hoox))
			: undefined;
		return queueStack(s, hoox, credential, workerList, webhookList, keepBase, (i) =>
			startRole(s, install, 'worker', i, env, keepBase),
		);
	} catch (error) {
		await stopAll(s, keepBase);
		throw error;
	}
}

function queueStack(
	s: Started,
	hoox: HooxTarget,
	credential: Stack['credential'],
	workers: N8nRoleProcess[],
	webhookProcesses: N8nRoleProcess[],
	keepBase: string,
	startMore: (index: number) => Promise<N8nRoleProcess>,
): QueueStack {
	let closed = false;
	const proxy = s.proxy!;
	return {
		n8n: s.main!,
		emulator: s.emulator,
		hoox,
		credential,
		workers,
		webhookProcesses,
		proxy,
		postgres: s.postgres!,
		redis: s.redis!,
		async startWorker() {
			const worker = await startMore(workers.length + 1);
			workers.push(worker);
			return worker;
		},
		webhookUrl: (path) => `${proxy.url}/webhook/${path.replace(/^\//, '')}`,
		executionWorkers() {
			const map = new Map<string, string>();
			for (const w of workers) for (const id of w.startedExecutions()) map.set(id, w.name);
			return map;
		},
		async close() {
			if (closed) return;
			closed = true;
			// One broken file drops the whole package while n8n starts normally: check every process.
			const broken = [s.main!, ...workers, ...webhookProcesses]
				.map((p) =>
					p
						.log()
						.split('\n')
						.find((l) => l.includes('Failed to load package')),
				)
				.filter((line): line is string => !!line);
			await stopAll(s, keepBase);
			if (broken.length) throw new Error(`n8n: ${broken[0].trim()}`);
		},
	};
}

async function emulatorTarget(s: Started, opts: QueueStackOptions): Promise<HooxTarget> {
	s.emulator = await startEmulator(opts.emulator ?? {});
	return { baseUrl: s.emulator.baseUrl, apiKey: TEST_API_KEY };
}

async function distinctFreePorts(n: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < n) ports.add(await freePort());
	return [...ports];
}
