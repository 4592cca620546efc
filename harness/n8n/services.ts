/**
 * Throwaway PostgreSQL and Redis servers for n8n queue mode: the distribution's server binaries
 * (installed by `scripts/provision-n8n.sh queue`), each on a free loopback port with its own data
 * directory, in its own process group, stopped by PID. Nothing is shared with the packages' own
 * services (default ports, /var/lib).
 *
 * PostgreSQL refuses to run as root: as root it runs as the `postgres` user the package creates.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, sleep, startReaper, until } from './n8n';

const PROVISION_HINT = 'run: bash scripts/provision-n8n.sh queue';

/** A server started by this process: stopped by signalling its PID (its whole process group). */
export class ServiceProcess {
	private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;

	constructor(
		readonly name: string,
		private readonly child: ChildProcess,
		readonly logFile: string,
	) {
		child.on('exit', (code, signal) => (this.exited = { code, signal }));
		if (child.pid !== undefined) startReaper(child.pid);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	isRunning(): boolean {
		return !this.exited;
	}

	logTail(lines = 20): string {
		if (!existsSync(this.logFile)) return '';
		return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
	}

	/** `stopSignal` first, SIGKILL if the process is still there after `graceMs`. */
	async stop(stopSignal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
		const pid = this.child.pid;
		if (pid === undefined || this.exited) return;
		const signal = (sig: NodeJS.Signals) => {
			try {
				process.kill(-pid, sig);
			} catch {
				// already gone
			}
		};
		signal(stopSignal);
		const deadline = Date.now() + graceMs;
		while (!this.exited && Date.now() < deadline) await sleep(100);
		if (!this.exited) signal('SIGKILL');
		while (!this.exited) await sleep(50);
	}
}

function spawnService(
	name: string,
	bin: string,
	args: string[],
	logFile: string,
	opts: { uid?: number; gid?: number; cwd: string },
): ServiceProcess {
	const fd = openSync(logFile, 'a');
	try {
		const child = spawn(bin, args, {
			cwd: opts.cwd,
			uid: opts.uid,
			gid: opts.gid,
			detached: true,
			stdio: ['ignore', fd, fd],
		});
		return new ServiceProcess(name, child, logFile);
	} finally {
		closeSync(fd);
	}
}

/** The newest PostgreSQL server install's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root)
		? readdirSync(root)
				.filter((d) => existsSync(join(root, d, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!majors.length) throw new Error(`no PostgreSQL server in ${root}: ${PROVISION_HINT}`);
	return join(root, majors[0], 'bin');
}

export function redisServerBin(): string {
	for (const bin of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
		if (existsSync(bin)) return bin;
	}
	throw new Error(`no redis-server: ${PROVISION_HINT}`);
}

/** uid/gid to run PostgreSQL as: ourselves, or the `postgres` user when we are root. */
function postgresIdentity(): { uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

export interface Postgres {
	process: ServiceProcess;
	port: number;
	database: string;
	user: string;
	/** The environment n8n needs to use this database. */
	n8nEnv: Record<string, string>;
	/** Runs SQL with psql in `database` (default: n8n's); returns psql's unaligned output rows. */
	query(sql: string, database?: string): string[];
	stop(): Promise<void>;
}

/**
 * initdb + postgres in `<dir>/pg` on 127.0.0.1:<free port> (no Unix socket; trust auth on
 * loopback: a throwaway test cluster), durability off for speed, and a database for n8n.
 */
export async function startPostgres(dir: string): Promise<Postgres> {
	const bin = postgresBinDir();
	const who = postgresIdentity();
	const data = join(dir, 'pg');
	const user = 'n8n';
	const database = 'n8n';
	mkdirSync(data, { recursive: true });
	chmodSync(dir, 0o755); // the postgres user must reach its data dir inside our temp dir
	if (who.uid !== undefined) chownSync(data, who.uid, who.gid!);
	execFileSync(
		join(bin, 'initdb'),
		['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
		{ cwd: data, ...who, stdio: ['ignore', 'ignore', 'pipe'] },
	);
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: '',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '200',
	};
	const args = ['-D', data, '-p', String(port)];
	for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
	const proc = spawnService('postgres', join(bin, 'postgres'), args, join(dir, 'postgres.log'), {
		cwd: data,
		...who,
	});
	const psql = (sql: string, db = 'postgres') =>
		execFileSync(
			join(bin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				'-qAt',
				'-v',
				'ON_ERROR_STOP=1',
			].concat(['-c', sql]),
			{ stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
		);
	try {
		await until(
			`PostgreSQL on port ${port}`,
			async () => {
				if (!proc.isRunning()) throw new Error(`postgres exited:\n${proc.logTail()}`);
				return psql('select 1').trim() === '1';
			},
			{ timeoutMs: 30_000, intervalMs: 200 },
		);
		psql(`CREATE DATABASE ${database}`);
	} catch (error) {
		await proc.stop('SIGINT');
		throw error;
	}
	return {
		process: proc,
		port,
		database,
		user,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		},
		query: (sql, db = database) =>
			psql(sql, db)
				.split('\n')
				.filter((l) => l !== ''),
		// SIGINT = PostgreSQL's "fast" shutdown (SIGTERM would wait for n8n's pools to disconnect)
		stop: () => proc.stop('SIGINT'),
	};
}

/** Whether a Redis server on 127.0.0.1:port answers PING. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

export interface Redis {
	process: ServiceProcess;
	port: number;
	n8nEnv: Record<string, string>;
	stop(): Promise<void>;
}

/** redis-server on 127.0.0.1:<free port>, no persistence, working dir `<dir>/redis`. */
export async function startRedis(dir: string): Promise<Redis> {
	const bin = redisServerBin();
	const data = join(dir, 'redis');
	mkdirSync(data, { recursive: true });
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	args.push('--dir', data, '--daemonize', 'no', '--protected-mode', 'no');
	const proc = spawnService('redis', bin, args, join(dir, 'redis.log'), { cwd: data });
	try {
		await until(
			`Redis on port ${port}`,
			async () => {
				if (!proc.isRunning()) throw new Error(`redis-server exited:\n${proc.logTail()}`);
				return redisPing(port);
			},
			{ timeoutMs: 20_000, intervalMs: 100 },
		);
	} catch (error) {
		await proc.stop();
		throw error;
	}
	return {
		process: proc,
		port,
		n8nEnv: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		stop: () => proc.stop(),
	};
}
