/**
 * One real n8n server (a provisioned install, see install.ts) on loopback, and the REST calls the
 * editor makes, with the `n8n-auth` cookie.
 *
 * Process rules (they matter, see the e2e recipe notes): n8n runs in its own session/process group
 * (`detached` = setsid), its output goes to a FILE (never a pipe), and stop() kills the whole group
 * (main process and the 2.x task runner).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { N8nInstall } from './install';

export const ENCRYPTION_KEY = 'hoox-e2e-fixed-encryption-key-0001';

export const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Hoox',
	lastName: 'Owner',
	password: 'Hoox-e2e-Passw0rd',
};
export type Owner = typeof DEFAULT_OWNER;

/** 2.x modules n8n does not need here: faster start, no outbound calls. Never `community-packages`. */
const N8N2_DISABLED_MODULES = [
	'insights',
	'external-secrets',
	'oauth-server',
	'mcp',
	'provisioning',
	'breaking-changes',
	'source-control',
	'chat-hub',
	'sso-oidc',
	'sso-saml',
	'log-streaming',
	'ldap',
	'quick-connect',
	'workflow-builder',
	'favorites',
	'instance-registry',
	'otel',
	'token-exchange',
	'instance-version-history',
	'mcp-registry',
	'workflow-reviews',
	'instance-ai',
].join(',');

export const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

export interface N8nStartOptions {
	install: N8nInstall;
	/** N8N_USER_FOLDER; the data lives in `<userFolder>/.n8n`. */
	userFolder: string;
	/** n8n's log file (stdout + stderr). */
	logFile: string;
	/** Where the log is copied when the instance stops (kept for debugging), if set. */
	keepLogAs?: string;
	port?: number;
	brokerPort?: number;
	/** Extra environment for n8n (applied last). */
	env?: Record<string, string>;
	readyTimeoutMs?: number;
	owner?: Owner;
}

export interface RestResult<T = unknown> {
	status: number;
	body: T;
}

export interface CredentialRef {
	id: string;
	name: string;
	type: string;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode?: string;
	/** The workflow-level error message, if any. */
	error?: string;
	/** Per node: the JSON of each output item of its last run (first output). */
	nodes: Record<string, Array<Record<string, unknown>>>;
	/** Per node: all outputs of its last run, full items (json, binary, pairedItem). */
	outputs: Record<string, Array<Array<Record<string, unknown>>>>;
	/** Per node that failed: the error of its last run. */
	errors: Record<
		string,
		{ message: string; description?: string; httpCode?: string; [k: string]: unknown }
	>;
	/** The unflattened run data, for anything else. */
	data?: Record<string, unknown>;
}

export interface WorkflowInput {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	[k: string]: unknown;
}

export interface WorkflowRecord extends WorkflowInput {
	id: string;
	versionId: string;
	active: boolean;
}

export interface DynamicParamsRequest {
	/** Node type, e.g. `n8n-nodes-hoox.hoox`. */
	nodeType: string;
	nodeVersion?: number;
	/** Parameter path, e.g. `parameters.model`. */
	path: string;
	methodName: string;
	currentNodeParameters?: Record<string, unknown>;
	/** `{ hooxApi: { id, name } }` */
	credentials?: Record<string, { id: string; name: string }>;
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns something other than undefined/false. */
export async function until<T>(
	what: string,
	fn: () => Promise<T | undefined | false>,
	{ timeoutMs = 30_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await fn();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const why = lastError ? ` (last error: ${(lastError as Error).message})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
		}
		await sleep(intervalMs);
	}
}

/** A free TCP port on 127.0.0.1 (free now; taken by whoever binds it next). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Whether something listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(true));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
	});
}

let unflattenFn: ((s: string) => unknown) | undefined;
/** n8n's own `flatted` parse (execution data from REST is flatted). */
function unflatten(install: N8nInstall, text: string): unknown {
	if (!unflattenFn) {
		const path = require.resolve('flatted', {
			paths: [join(install.dir, 'node_modules', 'n8n'), install.dir],
		});
		unflattenFn = (require(path) as { parse: (s: string) => unknown }).parse;
	}
	return unflattenFn(text);
}

/** The environment n8n runs with: the caller's minus any n8n/DB settings, plus ours. */
export function n8nEnv(opts: N8nStartOptions, port: number, brokerPort: number): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|JEST_|NODE_ENV$)/.test(
				k,
			)
		)
			continue;
		env[k] = v;
	}
	const { install } = opts;
	const nodeMajor = Number(install.nodeVersion.split('.')[0]);
	Object.assign(env, {
		PATH: `${dirname(install.node)}:${process.env.PATH ?? ''}`,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: opts.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: process.env.HOOX_E2E_N8N_LOG_LEVEL || 'info',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		GENERIC_TIMEZONE: 'UTC',
	});
	if (install.major === '2') env.N8N_DISABLED_MODULES = N8N2_DISABLED_MODULES;
	// 1.x defaults to the isolated-vm expression engine, which has no build for Node 20.
	if (install.major === '1' && nodeMajor < 22) env.N8N_EXPRESSION_ENGINE = 'legacy';
	Object.assign(env, opts.env ?? {});
	return env;
}

/**
 * A tiny detached watcher that kills n8n's process group when this process dies, however it dies
 * (SIGKILL, a killed jest worker; jest's sandboxed `process` never sees 'exit' or signal listeners).
 * It exits by itself once the group is gone.
 */
export function startReaper(pgid: number): void {
	const script =
		'while kill -0 "$1" 2>/dev/null; do kill -0 -"$2" 2>/dev/null || exit 0; sleep 1; done; ' +
		'kill -TERM -"$2" 2>/dev/null || exit 0; sleep 15; kill -KILL -"$2" 2>/dev/null; exit 0';
	spawn('bash', ['-c', script, 'hoox-e2e-reaper', String(process.pid), String(pgid)], {
		detached: true,
		stdio: 'ignore',
	}).unref();
}

/** Instances whose process may still run: killed if this process exits without stopping them. */
const live = new Set<N8nInstance>();
let exitHookInstalled = false;
function trackLive(instance: N8nInstance): void {
	live.add(instance);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	const killAll = () => {
		for (const i of live) i.killSync();
	};
	process.on('exit', killAll);
	// n8n runs in its own session, so a Ctrl-C or a killed test worker would leave it running.
	// Kill it, then let the signal do what it would have done (exit, unless someone else handles it).
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(sig, () => {
			killAll();
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		});
	}
}

export class N8nInstance {
	readonly install: N8nInstall;
	readonly userFolder: string;
	readonly logFile: string;
	readonly port: number;
	readonly brokerPort: number;
	readonly baseUrl: string;
	readonly owner: Owner;
	/** `versionCli` reported by the running server. */
	versionCli = '';
	/** Milliseconds from spawn to REST ready, of the last start. */
	startMs = 0;

	private child: ChildProcess | undefined;
	private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	private cookie = '';
	private readonly opts: N8nStartOptions;

	private constructor(opts: N8nStartOptions, port: number, brokerPort: number) {
		this.opts = opts;
		this.install = opts.install;
		this.userFolder = opts.userFolder;
		this.logFile = opts.logFile;
		this.port = port;
		this.brokerPort = brokerPort;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.owner = opts.owner ?? DEFAULT_OWNER;
	}

	get major(): '1' | '2' {
		return this.install.major;
	}

	/** Process (and process group) id of the running n8n, if any. */
	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** False once the n8n main process has exited. */
	isRunning(): boolean {
		return !!this.child && !this.exited;
	}

	/** Synchronous SIGTERM to the process group, for process 'exit' handlers. */
	killSync(): void {
		const pid = this.child?.pid;
		if (pid === undefined) return;
		try {
			process.kill(-pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}

	/** Starts n8n, waits until REST is up, and sets up (or logs in) the owner. */
	static async start(opts: N8nStartOptions): Promise<N8nInstance> {
		const port = opts.port ?? (await freePort());
		let brokerPort = opts.brokerPort ?? (await freePort());
		while (brokerPort === port) brokerPort = await freePort();
		const instance = new N8nInstance(opts, port, brokerPort);
		try {
			await instance.spawnAndWait();
			await instance.setupOwner();
		} catch (error) {
			await instance.kill();
			instance.keepLog();
			throw error;
		}
		return instance;
	}

	private async spawnAndWait(): Promise<void> {
		if (await portInUse(this.port)) throw new Error(`port ${this.port} is already in use (n8n)`);
		mkdirSync(this.userFolder, { recursive: true });
		mkdirSync(dirname(this.logFile), { recursive: true });
		const fd = openSync(this.logFile, 'a');
		const t0 = Date.now();
		this.exited = undefined;
		try {
			this.child = spawn(this.install.node, [this.install.n8nBin, 'start'], {
				cwd: this.userFolder,
				env: n8nEnv(this.opts, this.port, this.brokerPort),
				detached: true,
				stdio: ['ignore', fd, fd],
			});
		} finally {
			closeSync(fd);
		}
		trackLive(this);
		if (this.child.pid !== undefined) startReaper(this.child.pid);
		const child = this.child;
		child.on('exit', (code, signal) => {
			if (this.child === child) this.exited = { code, signal };
		});
		const timeoutMs = this.opts.readyTimeoutMs ?? 120_000;
		const check = async (path: string) => {
			if (this.exited) {
				throw new Error(
					`n8n exited during start-up (code ${this.exited.code}, signal ${this.exited.signal})`,
				);
			}
			const res = await fetch(this.baseUrl + path).catch(() => undefined);
			return res?.status === 200;
		};
		try {
			// /healthz/readiness is up before the REST routes on 1.x: also wait for /rest/settings.
			await until('n8n /healthz/readiness', () => check('/healthz/readiness'), {
				timeoutMs,
				intervalMs: 300,
			});
			await until('n8n /rest/settings', () => check('/rest/settings'), {
				timeoutMs: 60_000,
				intervalMs: 200,
			});
		} catch (error) {
			throw new Error(
				`${(error as Error).message}\n--- n8n log tail (${this.logFile}) ---\n${this.logTail()}`,
			);
		}
		this.startMs = Date.now() - t0;
	}

	/** Owner setup on a fresh instance; login when the owner already exists. */
	private async setupOwner(): Promise<void> {
		this.cookie = '';
		const setup = await this.request('POST', '/rest/owner/setup', this.owner, {
			auth: false,
			raw: true,
		});
		if (setup.status >= 400 || !this.cookie) await this.login();
		const settings = await this.request<{ data: { versionCli?: string } }>('GET', '/rest/settings');
		this.versionCli = settings.data.versionCli ?? '';
	}

	async login(): Promise<void> {
		await this.request(
			'POST',
			'/rest/login',
			{ emailOrLdapLoginId: this.owner.email, password: this.owner.password },
			{ auth: false },
		);
		if (!this.cookie) throw new Error('login did not set the n8n-auth cookie');
	}

	/** Stops n8n and starts it again on the same user folder, ports and owner. */
	async restart(): Promise<void> {
		await this.kill();
		await this.spawnAndWait();
		await this.login();
	}

	/**
	 * Stops n8n (the whole process group, always), keeps its log, and fails if the log shows that a
	 * community package failed to load.
	 */
	async stop(): Promise<void> {
		await this.kill();
		this.keepLog();
		this.assertLogClean();
	}

	/** Throws if the log contains `Failed to load package`. */
	assertLogClean(): void {
		const log = this.log();
		const line = log.split('\n').find((l) => l.includes('Failed to load package'));
		if (line) throw new Error(`n8n log (${this.logFile}): ${line.trim()}`);
	}

	log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	logTail(lines = 40): string {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	private keepLog(): void {
		if (this.opts.keepLogAs && existsSync(this.logFile)) {
			mkdirSync(dirname(this.opts.keepLogAs), { recursive: true });
			copyFileSync(this.logFile, this.opts.keepLogAs);
		}
	}

	private async kill(): Promise<void> {
		const child = this.child;
		if (!child || child.pid === undefined) return;
		const pgid = child.pid;
		const groupAlive = () => {
			try {
				process.kill(-pgid, 0);
				return true;
			} catch {
				return false;
			}
		};
		const signal = (sig: NodeJS.Signals) => {
			try {
				process.kill(-pgid, sig);
			} catch {
				// already gone
			}
		};
		signal('SIGTERM');
		const deadline = Date.now() + 20_000;
		while (groupAlive() && Date.now() < deadline) await sleep(100);
		if (groupAlive()) {
			signal('SIGKILL');
			while (groupAlive() && Date.now() < deadline + 5_000) await sleep(100);
		}
		this.child = undefined;
		live.delete(this);
	}

	// ---------------------------------------------------------------- REST

	/** A REST call. Throws on HTTP >= 400 unless `raw`. */
	async request<T = any>(
		method: string,
		path: string,
		body?: unknown,
		{
			auth = true,
			raw = false,
			headers = {},
		}: { auth?: boolean; raw?: boolean; headers?: Record<string, string> } = {},
	): Promise<T> {
		const url = path.startsWith('http') ? path : this.baseUrl + path;
		const res = await fetch(url, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(auth && this.cookie ? { cookie: this.cookie } : {}),
				...headers,
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		for (const c of res.headers.getSetCookie?.() ?? []) {
			if (c.startsWith('n8n-auth=')) this.cookie = c.split(';')[0];
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		if (raw) return { status: res.status, body: parsed } as T;
		if (res.status >= 400)
			throw new Error(`${method} ${path} -> ${res.status} ${text.slice(0, 500)}`);
		return parsed as T;
	}

	/** Node type descriptions the server has loaded (`/types/nodes.json`). */
	async nodeTypes(): Promise<
		Array<{ name: string; version: number | number[]; displayName: string; [k: string]: unknown }>
	> {
		return this.request('GET', '/types/nodes.json');
	}

	/** Credential type descriptions the server has loaded (`/types/credentials.json`). */
	async credentialTypes(): Promise<
		Array<{ name: string; displayName: string; supportedNodes?: string[]; [k: string]: unknown }>
	> {
		return this.request('GET', '/types/credentials.json');
	}

	async createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<CredentialRef> {
		const res = await this.request<{ data: { id: string } }>('POST', '/rest/credentials', {
			name,
			type,
			data,
		});
		return { id: String(res.data.id), name, type };
	}

	async listCredentials(): Promise<Array<{ id: string; name: string; type: string }>> {
		const res = await this.request<{ data: Array<{ id: string; name: string; type: string }> }>(
			'GET',
			'/rest/credentials',
		);
		return res.data;
	}

	async updateCredential(ref: CredentialRef, data: Record<string, unknown>): Promise<void> {
		await this.request('PATCH', `/rest/credentials/${ref.id}`, {
			name: ref.name,
			type: ref.type,
			data,
		});
	}

	/**
	 * The editor's "Test" button on a saved credential: the stored data (secrets come back as a
	 * blank placeholder that the server swaps for the stored value), optionally overridden.
	 * Returns `{ status: 'OK' | 'Error', message }`.
	 */
	async testCredential(
		ref: CredentialRef,
		override: Record<string, unknown> = {},
	): Promise<{ status: string; message: string }> {
		const stored = await this.request<{ data: { data: Record<string, unknown> } }>(
			'GET',
			`/rest/credentials/${ref.id}?includeData=true`,
		);
		const res = await this.request<{ data: { status: string; message: string } }>(
			'POST',
			'/rest/credentials/test',
			{
				credentials: {
					id: ref.id,
					name: ref.name,
					type: ref.type,
					data: { ...stored.data.data, ...override },
				},
			},
		);
		return res.data;
	}

	private dynamicBody(req: DynamicParamsRequest, extra: Record<string, unknown> = {}) {
		return {
			nodeTypeAndVersion: { name: req.nodeType, version: req.nodeVersion ?? 1 },
			path: req.path,
			methodName: req.methodName,
			currentNodeParameters: req.currentNodeParameters ?? {},
			...(req.credentials ? { credentials: req.credentials } : {}),
			...extra,
		};
	}

	/** `methods.loadOptions` as the editor calls it: `[{ name, value, description? }]`. */
	async loadOptions(
		req: DynamicParamsRequest,
	): Promise<Array<{ name: string; value: string | number | boolean; description?: string }>> {
		const res = await this.request<{
			data: Array<{ name: string; value: string | number | boolean; description?: string }>;
		}>('POST', '/rest/dynamic-node-parameters/options', this.dynamicBody(req));
		return res.data;
	}

	/** `methods.listSearch` (resource locator "From list"): `{ results, paginationToken? }`. */
	async listSearch(
		req: DynamicParamsRequest & { filter?: string; paginationToken?: unknown },
	): Promise<{
		results: Array<{ name: string; value: string | number; url?: string }>;
		paginationToken?: unknown;
	}> {
		const extra: Record<string, unknown> = {};
		if (req.filter !== undefined) extra.filter = req.filter;
		if (req.paginationToken !== undefined) extra.paginationToken = req.paginationToken;
		const res = await this.request<{
			data: {
				results: Array<{ name: string; value: string | number; url?: string }>;
				paginationToken?: unknown;
			};
		}>(
			'POST',
			'/rest/dynamic-node-parameters/resource-locator-results',
			this.dynamicBody(req, extra),
		);
		return res.data;
	}

	/** `methods.resourceMapping` (resource mapper columns): `{ fields: [...] }`. */
	async resourceMapperFields(
		req: DynamicParamsRequest,
	): Promise<{ fields: Array<Record<string, unknown>>; [k: string]: unknown }> {
		const res = await this.request<{ data: { fields: Array<Record<string, unknown>> } }>(
			'POST',
			'/rest/dynamic-node-parameters/resource-mapper-fields',
			this.dynamicBody(req),
		);
		return res.data;
	}

	/** Creates an inactive workflow (any `id`, `versionId`, `active`, `tags` in the input are dropped). */
	async createWorkflow(wf: WorkflowInput): Promise<WorkflowRecord> {
		const rest = editableFields(wf);
		// 1.x needs `active` on create (NOT NULL column); a new workflow is always inactive.
		const body = { settings: { executionOrder: 'v1' }, pinData: {}, ...rest, active: false };
		const res = await this.request<{ data: WorkflowRecord }>('POST', '/rest/workflows', body);
		return { ...res.data, id: String(res.data.id) };
	}

	async getWorkflow(id: string): Promise<WorkflowRecord> {
		const res = await this.request<{ data: WorkflowRecord }>('GET', `/rest/workflows/${id}`);
		return res.data;
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean }>> {
		const res = await this.request<{ data: Array<{ id: string; name: string; active: boolean }> }>(
			'GET',
			'/rest/workflows',
		);
		return res.data;
	}

	/** Replaces a workflow's nodes/connections/settings (as the editor's save does). */
	async updateWorkflow(id: string, wf: WorkflowInput): Promise<WorkflowRecord> {
		const current = await this.getWorkflow(id);
		const rest = editableFields(wf);
		const res = await this.request<{ data: WorkflowRecord }>('PATCH', `/rest/workflows/${id}`, {
			settings: { executionOrder: 'v1' },
			pinData: {},
			...rest,
			versionId: current.versionId,
		});
		return res.data;
	}

	/**
	 * Runs a workflow as the editor's "Execute workflow" does, from the named trigger (default: the
	 * first Manual Trigger). Returns the execution id, or `waitingForWebhook` for a webhook trigger.
	 */
	async startManualRun(
		workflowId: string,
		triggerName?: string,
	): Promise<{ executionId?: string; waitingForWebhook?: boolean }> {
		const workflowData = await this.getWorkflow(workflowId);
		const trigger =
			triggerName ??
			(workflowData.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name as
				string | undefined);
		if (!trigger)
			throw new Error(`workflow ${workflowId} has no Manual Trigger; pass the trigger's name`);
		const res = await this.request<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{ workflowData, triggerToStartFrom: { name: trigger } },
		);
		return {
			...res.data,
			executionId: res.data.executionId === undefined ? undefined : String(res.data.executionId),
		};
	}

	/** startManualRun + wait until the execution finishes; returns its summary. */
	async runManually(
		workflowId: string,
		{
			trigger,
			timeoutMs = 60_000,
			statuses = FINISHED_STATUSES,
		}: { trigger?: string; timeoutMs?: number; statuses?: string[] } = {},
	): Promise<ExecutionSummary> {
		const started = await this.startManualRun(workflowId, trigger);
		if (!started.executionId)
			throw new Error(
				`manual run of ${workflowId} returned no execution id: ${JSON.stringify(started)}`,
			);
		return this.waitForExecution(started.executionId, { timeoutMs, statuses });
	}

	/** Reads one execution and unflattens its run data. */
	async execution(id: string): Promise<ExecutionSummary> {
		const e = (
			await this.request<{ data: { id: string; status: string; mode: string; data?: unknown } }>(
				'GET',
				`/rest/executions/${id}`,
			)
		).data;
		const summary: ExecutionSummary = {
			id: String(e?.id ?? id),
			status: e?.status ?? 'unknown',
			mode: e?.mode,
			nodes: {},
			outputs: {},
			errors: {},
		};
		if (!e?.data) return summary;
		const data = (typeof e.data === 'string' ? unflatten(this.install, e.data) : e.data) as {
			resultData?: {
				error?: { message?: string };
				runData?: Record<
					string,
					Array<{ error?: any; data?: { main?: Array<Array<Record<string, unknown>> | null> } }>
				>;
			};
		};
		summary.data = data as Record<string, unknown>;
		if (!data?.resultData) return summary;
		summary.error = data.resultData.error?.message;
		for (const [name, runs] of Object.entries(data.resultData.runData ?? {})) {
			const last = runs[runs.length - 1];
			if (!last) continue;
			if (last.error) {
				const { message, description, httpCode, ...more } = last.error as Record<string, unknown>;
				summary.errors[name] = {
					...more,
					message: String(message),
					description: description as string | undefined,
					httpCode: httpCode as string | undefined,
				};
			}
			const main = (last.data?.main ?? []).map((items) => items ?? []);
			summary.outputs[name] = main;
			summary.nodes[name] = (main[0] ?? []).map((item) => item.json as Record<string, unknown>);
		}
		return summary;
	}

	/** Polls an execution until its status is one of `statuses` (default: finished). */
	async waitForExecution(
		id: string,
		{
			timeoutMs = 60_000,
			statuses = FINISHED_STATUSES,
		}: { timeoutMs?: number; statuses?: string[] } = {},
	): Promise<ExecutionSummary> {
		let last: ExecutionSummary | undefined;
		try {
			return await until(
				`execution ${id} to be ${statuses.join('|')}`,
				async () => {
					last = await this.execution(id);
					// A finished status can show before the run data is written: wait for resultData too.
					return statuses.includes(last.status) &&
						(last.data?.resultData || !FINISHED_STATUSES.includes(last.status))
						? last
						: undefined;
				},
				{ timeoutMs, intervalMs: 200 },
			);
		} catch (error) {
			throw new Error(`${(error as Error).message}; last seen status: ${last?.status ?? 'none'}`);
		}
	}

	/** Executions of a workflow, newest first: `[{ id, status, mode, ... }]`. */
	async listExecutions(
		workflowId: string,
	): Promise<Array<{ id: string; status: string; mode: string; [k: string]: unknown }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await this.request<{
			data: { results: Array<{ id: string; status: string; mode: string }> };
		}>('GET', `/rest/executions?filter=${filter}`);
		return res.data.results.map((r) => ({ ...r, id: String(r.id) }));
	}

	/**
	 * Waits for an execution of `workflowId` that is not in `knownIds` to reach one of `statuses`
	 * (for runs started by a webhook or a trigger).
	 */
	async waitForNewExecution(
		workflowId: string,
		knownIds: Iterable<string> = [],
		{
			timeoutMs = 60_000,
			statuses = FINISHED_STATUSES,
		}: { timeoutMs?: number; statuses?: string[] } = {},
	): Promise<ExecutionSummary> {
		const known = new Set(knownIds);
		const fresh = await until(
			`a new execution of workflow ${workflowId}`,
			async () => (await this.listExecutions(workflowId)).find((e) => !known.has(e.id)),
			{ timeoutMs, intervalMs: 250 },
		);
		return this.waitForExecution(fresh.id, { timeoutMs, statuses });
	}

	/**
	 * Activates (2.x: publishes) a workflow and waits until its triggers are live: on 2.x the
	 * publication status must show every trigger activated; for each of `webhookPaths` (the part
	 * after `/webhook/`), the production URL must be registered.
	 */
	async activate(
		workflowId: string,
		{ webhookPaths = [], timeoutMs = 30_000 }: { webhookPaths?: string[]; timeoutMs?: number } = {},
	): Promise<void> {
		const wf = await this.getWorkflow(workflowId);
		await this.request('POST', `/rest/workflows/${workflowId}/activate`, {
			versionId: wf.versionId,
		});
		if (this.major === '2') {
			await until(
				`workflow ${workflowId} to be published with its triggers activated`,
				async () => {
					const res = await this.request<any>(
						'GET',
						`/rest/workflows/${workflowId}/publication-status`,
					);
					const st = res?.data ?? res;
					const triggers: Array<{ status: string; errorMessage?: string | null }> =
						st?.triggers ?? [];
					const failed = triggers.find((t) => t.errorMessage);
					if (failed) throw new Error(`trigger activation failed: ${failed.errorMessage}`);
					return (
						st?.status === 'published' &&
						!st.pendingVersionId &&
						triggers.every((t) => t.status === 'activated')
					);
				},
				{ timeoutMs },
			).catch(async (error) => {
				throw new Error(`${(error as Error).message}\n--- n8n log tail ---\n${this.logTail(20)}`);
			});
		}
		for (const path of webhookPaths) {
			await until(`webhook /webhook/${path} to be registered`, () => this.webhookRegistered(path), {
				timeoutMs,
			});
		}
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.request('POST', `/rest/workflows/${workflowId}/deactivate`, {});
	}

	/**
	 * Whether a production webhook path is live. A GET to a registered POST webhook answers
	 * "not registered for GET requests. Did you mean to make a POST request?"; an unknown path
	 * answers "The requested webhook ... is not registered".
	 */
	async webhookRegistered(path: string, test = false): Promise<boolean> {
		const res = await this.request<RestResult>('GET', this.webhookUrl(path, test), undefined, {
			auth: false,
			raw: true,
		});
		if (res.status !== 404) return true;
		return JSON.stringify(res.body).includes('Did you mean to make');
	}

	/** `http://127.0.0.1:<port>/webhook/<path>` (or `/webhook-test/`). */
	webhookUrl(path: string, test = false): string {
		return `${this.baseUrl}/${test ? 'webhook-test' : 'webhook'}/${path.replace(/^\//, '')}`;
	}

	/** POSTs JSON to a production (or test) webhook; never throws on HTTP status. */
	async postWebhook(
		path: string,
		body: unknown,
		{ test = false, headers = {} }: { test?: boolean; headers?: Record<string, string> } = {},
	): Promise<RestResult> {
		return this.request<RestResult>('POST', this.webhookUrl(path, test), body, {
			auth: false,
			raw: true,
			headers,
		});
	}
}

/** A workflow without the fields n8n owns (`id`, `versionId`, `active`, `tags`, `meta`, `shared`). */
function editableFields(wf: WorkflowInput): Record<string, unknown> {
	const {
		id: _id,
		versionId: _v,
		active: _a,
		tags: _t,
		meta: _m,
		shared: _s,
		...rest
	} = wf as Record<string, unknown>;
	return rest;
}
