/**
 * n8n's queue-mode helper processes: `n8n worker` (runs executions taken from the Redis queue) and
 * `n8n webhook` (serves production webhooks and the callbacks that resume waiting executions).
 * Same process rules as the main instance (n8n.ts): own process group, output to a file, the
 * whole group signalled on stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { N8nInstall } from './install';
import { freePort, n8nEnv, sleep, startReaper, until } from './n8n';

export type N8nRole = 'worker' | 'webhook';

export interface N8nRoleOptions {
	install: N8nInstall;
	role: N8nRole;
	/** Names the process in reports, e.g. `worker-1`. */
	name: string;
	userFolder: string;
	logFile: string;
	keepLogAs?: string;
	env: Record<string, string>;
	/** Jobs a worker runs at once (`--concurrency`). */
	concurrency?: number;
}

export class N8nRoleProcess {
	/** Webhook: the HTTP port it serves on. Worker: its health-check server's port. */
	readonly port: number;
	readonly baseUrl: string;
	private child: ChildProcess | undefined;
	private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;

	private constructor(
		readonly opts: N8nRoleOptions,
		port: number,
		private readonly brokerPort: number,
	) {
		this.port = port;
		this.baseUrl = `http://127.0.0.1:${port}`;
	}

	get name(): string {
		return this.opts.name;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	isRunning(): boolean {
		return !!this.child && !this.exited;
	}

	/** Starts the process and waits until it reports ready. `port` is chosen when not given. */
	static async start(opts: N8nRoleOptions, port?: number): Promise<N8nRoleProcess> {
		const p = new N8nRoleProcess(opts, port ?? (await freePort()), await freePort());
		try {
			await p.spawnAndWait();
		} catch (error) {
			await p.stop().catch(() => undefined);
			throw error;
		}
		return p;
	}

	private async spawnAndWait(): Promise<void> {
		const { install, role } = this.opts;
		mkdirSync(this.opts.userFolder, { recursive: true });
		mkdirSync(dirname(this.opts.logFile), { recursive: true });
		const env = n8nEnv(
			{ install, userFolder: this.opts.userFolder, logFile: this.opts.logFile, env: this.opts.env },
			this.port,
			this.brokerPort,
		);
		if (role === 'worker') {
			Object.assign(env, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(this.port),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
		}
		const args = [install.n8nBin, role];
		if (role === 'worker') args.push(`--concurrency=${this.opts.concurrency ?? 10}`);
		const fd = openSync(this.opts.logFile, 'a');
		try {
			this.child = spawn(install.node, args, {
				cwd: this.opts.userFolder,
				env,
				detached: true,
				stdio: ['ignore', fd, fd],
			});
		} finally {
			closeSync(fd);
		}
		const child = this.child;
		child.on('exit', (code, signal) => {
			if (this.child === child) this.exited = { code, signal };
		});
		if (child.pid !== undefined) startReaper(child.pid);
		await until(
			`n8n ${this.name} to be ready`,
			async () => {
				if (this.exited) {
					throw new Error(
						`n8n ${this.name} exited (code ${this.exited.code}, signal ${this.exited.signal})`,
					);
				}
				const res = await fetch(`${this.baseUrl}/healthz/readiness`).catch(() => undefined);
				return res?.status === 200;
			},
			{ timeoutMs: 180_000, intervalMs: 300 },
		).catch((error: Error) => {
			throw new Error(`${error.message}\n--- ${this.name} log tail ---\n${this.logTail()}`);
		});
	}

	/** Signals the whole process group (e.g. SIGKILL to simulate a crashed worker). */
	signal(sig: NodeJS.Signals): void {
		const pid = this.child?.pid;
		if (pid === undefined) return;
		try {
			process.kill(-pid, sig);
		} catch {
			// already gone
		}
	}

	/** Waits until the process has exited. */
	async exitedNow(timeoutMs = 20_000): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (this.isRunning() && Date.now() < deadline) await sleep(100);
		return !this.isRunning();
	}

	/** SIGTERM to the group, SIGKILL after 20 s; keeps the log. */
	async stop(): Promise<void> {
		if (this.isRunning()) {
			this.signal('SIGTERM');
			if (!(await this.exitedNow(20_000))) {
				this.signal('SIGKILL');
				await this.exitedNow(5_000);
			}
		}
		if (this.opts.keepLogAs && existsSync(this.opts.logFile)) {
			mkdirSync(dirname(this.opts.keepLogAs), { recursive: true });
			copyFileSync(this.opts.logFile, this.opts.keepLogAs);
		}
	}

	log(): string {
		return existsSync(this.opts.logFile) ? readFileSync(this.opts.logFile, 'utf8') : '';
	}

	logTail(lines = 40): string {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	/** Execution ids this worker has started, in order (from its log: `Worker started execution <id>`). */
	startedExecutions(): string[] {
		return [...this.log().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}

	/** Execution ids this worker has finished (`Worker finished execution <id>`). */
	finishedExecutions(): string[] {
		return [...this.log().matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]);
	}
}
