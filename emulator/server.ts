/**
 * The emulator's HTTP server: routing of the public API (/api/public/v1/*), the media "CDN"
 * (/media/*) and the test control API (/__control/*), plus auth, rate limiting, faults and the
 * request log. Listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssetStore, KNOB_NAMES, type Knobs } from './assets';
import { Catalog, loadFixtureModels } from './catalog';
import { API_PREFIX, DEFAULTS, KEY_PATTERN, TEST_API_KEY } from './constants';
import { handleControl } from './control';
import { ApiError, apiError, defaultFaultBody, invalid, notFound } from './errors';
import { FaultBook, RateLimiter, type ActiveFault } from './faults';
import { FolderStore } from './folders';
import { serveMedia } from './media-route';
import type {
	AssetRecord,
	Emulator,
	EmulatorOptions,
	Fault,
	LedgerEntry,
	ModelDefinition,
	RecordedRequest,
	RequestFilter,
	WebhookDelivery,
	WebhookFanout,
} from './types';
import { isPlainObject, priceRequest, validateStart } from './validation';
import { WebhookDispatcher } from './webhooks';

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

/* ------------------------------------ redaction ------------------------------------------ */

const KEYISH = /hx_live_[0-9A-Za-z]+/g;

function redactToken(token: string): string {
	const last4 = token.length > 8 ? token.slice(-4) : '';
	return token.startsWith('hx_live_') ? `hx_live_…${last4}` : `…${last4}`;
}

/** Replaces anything that looks like an API key by 'hx_live_…<last4>' (deeply). */
export function redactDeep(v: unknown): unknown {
	if (typeof v === 'string') return v.replace(KEYISH, (m) => redactToken(m));
	if (Array.isArray(v)) return v.map(redactDeep);
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, val] of Object.entries(v)) out[k] = redactDeep(val);
		return out;
	}
	return v;
}

function redactHeaders(h: IncomingMessage['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, raw] of Object.entries(h)) {
		if (raw === undefined) continue;
		const v = Array.isArray(raw) ? raw.join(', ') : raw;
		if (k === 'authorization') {
			const m = /^(\S+)\s+(.*)$/.exec(v);
			out[k] = m ? `${m[1]} ${redactToken(m[2].trim())}` : redactToken(v);
		} else {
			out[k] = redactDeep(v) as string;
		}
	}
	return out;
}

/* ------------------------------------ helpers -------------------------------------------- */

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > limit) {
				reject(apiError(413, 'payload_too_large', `Request body exceeds ${limit} bytes`));
				req.resume();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
		req.on('aborted', () => reject(new Error('aborted')));
	});
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

function sendRaw(
	res: ServerResponse,
	status: number,
	text: string,
	headers: Record<string, string> = {},
): void {
	res.writeHead(status, {
		'content-type': 'text/plain; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

const sleep = (ms: number, timers: Set<NodeJS.Timeout>): Promise<void> =>
	new Promise((resolve) => {
		const t = setTimeout(() => {
			timers.delete(t);
			resolve();
		}, ms);
		timers.add(t);
	});

interface Resolved {
	initialBalance: number;
	rateLimitPerMinute: number;
	durations: { image: number; video: number; pending: number };
	acceptAnyWellFormedKey: boolean;
	largeMediaBytes: number;
}

/* ------------------------------------ the emulator --------------------------------------- */

export class HooxEmulator implements Emulator {
	readonly catalog: Catalog;
	readonly store: AssetStore;
	readonly webhooks: WebhookDispatcher;
	readonly faults = new FaultBook();
	readonly folders = new FolderStore();
	readonly limiter: RateLimiter;
	readonly settings: Resolved;
	private readonly server: Server;
	private readonly log: RecordedRequest[] = [];
	private readonly keys = new Set<string>([TEST_API_KEY]);
	private readonly delayTimers = new Set<NodeJS.Timeout>();
	private seq = 0;
	private listeningPort = 0;

	constructor(private readonly opts: EmulatorOptions = {}) {
		this.settings = {
			initialBalance: opts.initialBalance ?? DEFAULTS.initialBalance,
			rateLimitPerMinute: opts.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute,
			durations: {
				image: opts.durations?.image ?? DEFAULTS.imageMs,
				video: opts.durations?.video ?? DEFAULTS.videoMs,
				pending: opts.durations?.pending ?? DEFAULTS.pendingMs,
			},
			acceptAnyWellFormedKey: opts.acceptAnyWellFormedKey ?? true,
			largeMediaBytes: opts.largeMediaBytes ?? DEFAULTS.largeMediaBytes,
		};
		for (const k of opts.apiKeys ?? []) this.keys.add(k);
		this.catalog = new Catalog(opts.models ?? loadFixtureModels());
		this.limiter = new RateLimiter(this.settings.rateLimitPerMinute);
		this.webhooks = new WebhookDispatcher({
			retryDelaysMs: opts.webhookRetryDelaysMs ?? [...DEFAULTS.webhookRetryDelaysMs],
			timeoutMs: opts.webhookTimeoutMs ?? DEFAULTS.webhookTimeoutMs,
			log: opts.log,
			fanout: opts.webhookFanout,
		});
		this.store = new AssetStore({
			initialBalance: this.settings.initialBalance,
			durations: this.settings.durations,
			origin: () => this.origin,
			webhooks: this.webhooks,
			log: opts.log,
		});
		this.server = createServer((req, res) => {
			this.dispatch(req, res).catch((err: unknown) => {
				if (!res.headersSent && !res.destroyed) sendJson(res, 500, defaultFaultBody(500));
				this.opts.log?.(`internal error: ${err instanceof Error ? err.message : String(err)}`);
			});
		});
	}

	listen(port: number): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.listeningPort = (this.server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	/* ------------------------------- Emulator interface -------------------------------- */

	get port(): number {
		return this.listeningPort;
	}
	get origin(): string {
		return `http://127.0.0.1:${this.listeningPort}`;
	}
	get baseUrl(): string {
		return this.origin + API_PREFIX;
	}

	requests(filter: RequestFilter = {}): RecordedRequest[] {
		return this.log
			.filter((r) => !filter.method || r.method === filter.method.toUpperCase())
			.filter((r) => !filter.kind || r.kind === filter.kind)
			.filter((r) => {
				if (filter.path === undefined) return true;
				return typeof filter.path === 'string'
					? r.path.startsWith(filter.path)
					: filter.path.test(r.path);
			})
			.map((r) => JSON.parse(JSON.stringify(r)) as RecordedRequest);
	}

	webhookDeliveries(): WebhookDelivery[] {
		return this.webhooks.deliveries();
	}

	setWebhookFanout(fanout: WebhookFanout | undefined): void {
		this.webhooks.setFanout(fanout);
	}

	reset(): void {
		this.log.length = 0;
		this.catalog.reset();
		this.faults.clear();
		this.folders.reset();
		this.limiter.reset();
		this.limiter.limit = this.settings.rateLimitPerMinute;
		this.webhooks.reset();
		this.store.reset(this.settings.initialBalance, this.settings.durations);
	}

	addModel(model: ModelDefinition): void {
		this.catalog.add(model);
	}
	removeModel(name: string): void {
		this.catalog.remove(name);
	}
	setBalance(credits: number): void {
		this.store.setBalance(credits);
	}
	balance(): number {
		return this.store.balance();
	}
	ledger(): LedgerEntry[] {
		return this.store.ledger();
	}
	injectFault(f: Fault): void {
		this.faults.add(f);
	}
	clearFaults(): void {
		this.faults.clear();
	}
	failNext(n = 1, error?: { code: string; message: string }): void {
		this.store.failNext(n, error);
	}
	setAssetOutcome(assetId: string, outcome: 'completed' | 'failed'): void {
		this.store.setOutcome(assetId, outcome);
	}
	setDuration(ms: { image?: number; video?: number; model?: string; ms?: number }): void {
		this.store.setDuration(ms);
	}
	setRateLimit(perMinute: number): void {
		if (!Number.isInteger(perMinute) || perMinute < 0)
			throw new Error('the rate limit must be an integer ≥ 0');
		this.limiter.limit = perMinute;
	}
	getAsset(id: string): AssetRecord | undefined {
		return this.store.get(id);
	}
	addApiKey(key: string): void {
		this.keys.add(key);
	}

	async close(): Promise<void> {
		this.webhooks.close();
		this.store.close();
		for (const t of this.delayTimers) clearTimeout(t);
		this.delayTimers.clear();
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	/* ------------------------------------ dispatch ------------------------------------- */

	private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.origin);
		const path = url.pathname;
		if (path === '/__control' || path.startsWith('/__control/')) {
			await handleControl(this, req, res, url);
			return;
		}
		if (path.startsWith('/media/')) {
			await this.handleRecorded(req, res, url, 'media', path, () =>
				serveMedia(req, res, url, this.store, this.settings.largeMediaBytes),
			);
			return;
		}
		if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
			const rel = path.slice(API_PREFIX.length) || '/';
			await this.handleRecorded(req, res, url, 'api', rel, (body) =>
				this.handleApi(req, rel, url, body),
			);
			return;
		}
		sendJson(res, 404, notFound(`No route for ${req.method} ${path}`).body);
	}

	/**
	 * Common pipeline of recorded routes: log entry, faults, body reading, then `handler`
	 * (which returns a JSON reply, or undefined when it already streamed its own answer).
	 */
	private async handleRecorded(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		kind: 'api' | 'media',
		path: string,
		handler: (body: {
			raw: string;
			json?: unknown;
			error?: ApiError;
		}) => Promise<Reply | undefined>,
	): Promise<void> {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const rec: RecordedRequest = {
			seq: ++this.seq,
			kind,
			method,
			path,
			query: redactDeep(Object.fromEntries(url.searchParams)) as Record<string, string>,
			headers: redactHeaders(req.headers),
			body: undefined,
			status: 0,
			time: new Date(started).toISOString(),
		};
		this.log.push(rec);
		const done = (status: number): void => {
			rec.status = status;
			this.opts.log?.(
				`${method} ${kind === 'api' ? API_PREFIX + path : path} -> ${status || 'dropped'} (${Date.now() - started} ms)`,
			);
		};

		const fault: ActiveFault | undefined = this.faults.take(method, path);
		if (fault) rec.fault = fault.kind;
		if (fault?.kind === 'drop-before-read') {
			req.socket.destroy();
			done(0);
			return;
		}
		if (fault?.kind === 'delay')
			await sleep((fault.fault as { delayMs: number }).delayMs, this.delayTimers);

		let raw: Buffer;
		try {
			raw = await readBody(req, DEFAULTS.maxBodyBytes);
		} catch (err) {
			if (err instanceof ApiError && !res.destroyed) {
				sendJson(res, err.status, err.body);
				done(err.status);
			} else done(0);
			return;
		}
		const body: { raw: string; json?: unknown; error?: ApiError } = { raw: raw.toString('utf8') };
		if (body.raw.length) {
			try {
				body.json = JSON.parse(body.raw);
				rec.body = redactDeep(body.json);
			} catch {
				rec.body = redactDeep(body.raw);
				body.error = invalid('body', 'Request body is not valid JSON');
			}
		}

		if (fault?.kind === 'status') {
			const f = fault.fault as Extract<Fault, { status: number }>;
			if (typeof f.rawBody === 'string') sendRaw(res, f.status, f.rawBody, f.headers);
			else sendJson(res, f.status, f.body ?? defaultFaultBody(f.status), f.headers);
			done(f.status);
			return;
		}

		let reply: Reply | undefined;
		try {
			reply = await handler(body);
		} catch (err) {
			if (err instanceof ApiError)
				reply = { status: err.status, body: err.body, headers: err.headers };
			else {
				this.opts.log?.(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
				reply = { status: 500, body: defaultFaultBody(500) };
			}
		}
		if (fault?.kind === 'drop-after-read') {
			// The request was processed (for /asset/start: assets created and debited); the answer is lost.
			req.socket.destroy();
			done(0);
			return;
		}
		if (reply === undefined) {
			done(res.statusCode);
			return;
		}
		if (res.destroyed) {
			done(0);
			return;
		}
		sendJson(res, reply.status, reply.body, reply.headers);
		done(reply.status);
	}

	/* -------------------------------------- API ---------------------------------------- */

	private checkAuth(req: IncomingMessage): string {
		const header = req.headers.authorization;
		const m = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header.trim()) : null;
		const key = m?.[1];
		const ok =
			!!key &&
			KEY_PATTERN.test(key) &&
			(this.settings.acceptAnyWellFormedKey || this.keys.has(key));
		if (!ok) {
			throw apiError(
				401,
				'invalid_api_key',
				header ? 'Invalid API key' : 'Missing API key (Authorization: Bearer hx_live_…)',
				undefined,
				'Invalid API key',
			);
		}
		return key as string;
	}

	private async handleApi(
		req: IncomingMessage,
		rel: string,
		url: URL,
		body: { raw: string; json?: unknown; error?: ApiError },
	): Promise<Reply> {
		const key = this.checkAuth(req);
		const rate = this.limiter.hit(key);
		const rateHeaders = rate?.headers ?? {};
		if (rate?.exceeded) {
			const e = apiError(
				429,
				'rate_limit_exceeded',
				`Rate limit of ${this.limiter.limit} requests per minute exceeded`,
			);
			return { status: 429, body: e.body, headers: rateHeaders };
		}
		try {
			const reply = await this.route((req.method ?? 'GET').toUpperCase(), rel, url, body);
			return { ...reply, headers: { ...rateHeaders, ...(reply.headers ?? {}) } };
		} catch (err) {
			if (err instanceof ApiError)
				return { status: err.status, body: err.body, headers: { ...rateHeaders, ...err.headers } };
			throw err;
		}
	}

	private async route(
		method: string,
		rel: string,
		url: URL,
		body: { json?: unknown; error?: ApiError },
	): Promise<Reply> {
		const q = url.searchParams;
		const json = (): unknown => {
			if (body.error) throw body.error;
			return body.json;
		};
		const expect = (allowed: string): void => {
			if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) {
				throw new ApiError(
					405,
					{
						error: 'Method not allowed',
						code: 'method_not_allowed',
						details: [{ code: 'method_not_allowed', message: `Use ${allowed} ${rel}` }],
					},
					{ Allow: allowed },
				);
			}
		};
		let m: RegExpExecArray | null;
		if (rel === '/asset/models' || rel === '/asset/models/') {
			expect('GET');
			return {
				status: 200,
				body: this.catalog.list({
					type: q.get('type') || undefined,
					provider: q.get('provider') || undefined,
					tag: q.get('tag') || undefined,
				}),
			};
		}
		if ((m = /^\/asset\/models\/([^/]+)\/?$/.exec(rel))) {
			expect('GET');
			const name = decodeURIComponent(m[1]);
			const model = this.catalog.detail(name);
			if (!model) throw notFound(`Model '${name}' not found`, 'name');
			return { status: 200, body: model };
		}
		if (rel === '/asset/pricing') {
			expect('POST');
			return { status: 200, body: priceRequest(json(), this.catalog) };
		}
		if (rel === '/asset/start') {
			expect('POST');
			return this.start(json());
		}
		if ((m = /^\/asset\/status\/([^/]+)\/?$/.exec(rel))) {
			expect('GET');
			const id = decodeURIComponent(m[1]);
			const view = this.store.statusView(id);
			if (!view) throw notFound(`Asset '${id}' not found`, 'assetId');
			return { status: 200, body: view };
		}
		if (rel === '/folder/create') {
			expect('POST');
			return { status: 200, body: this.folders.create(json()) };
		}
		if (rel === '/folder/list') {
			expect('GET');
			return { status: 200, body: this.folders.list(q.get('type')) };
		}
		throw notFound(`No route for ${method} ${API_PREFIX}${rel}`);
	}

	private async start(input: unknown): Promise<Reply> {
		if (!isPlainObject(input)) throw invalid('body', 'Request body must be a JSON object');
		const { x_emulator: rawKnobs, ...body } = input;
		const knobs = parseKnobs(rawKnobs);
		const plan = validateStart(body, this.catalog);
		const available = this.store.balance();
		if (available < plan.totalCost) {
			throw apiError(
				402,
				'INSUFFICIENT_CREDITS',
				`Insufficient credits: ${plan.totalCost} credits needed, ${available} available`,
				undefined,
				'Insufficient credits',
			);
		}
		const { ids, beforeResponse } = this.store.create(plan, knobs);
		await beforeResponse;
		return {
			status: 201,
			body: {
				asset_ids: ids,
				status: 'generating',
				count: ids.length,
				cost_per_generation: plan.costPerGeneration,
				total_cost: plan.totalCost,
			},
		};
	}
}

function parseKnobs(raw: unknown): Knobs {
	if (raw === undefined || raw === null) return {};
	if (!isPlainObject(raw)) throw invalid('x_emulator', 'x_emulator must be an object');
	for (const k of Object.keys(raw)) {
		if (!KNOB_NAMES.includes(k))
			throw invalid(
				`x_emulator.${k}`,
				`Unknown emulator knob '${k}' (known: ${KNOB_NAMES.join(', ')})`,
			);
	}
	const k = raw as Knobs & Record<string, unknown>;
	for (const n of ['duration_ms', 'pending_ms'] as const) {
		if (k[n] !== undefined && (typeof k[n] !== 'number' || (k[n] as number) < 0))
			throw invalid(`x_emulator.${n}`, `${n} must be a number ≥ 0`);
	}
	if (k.outcome !== undefined && k.outcome !== 'completed' && k.outcome !== 'failed') {
		throw invalid('x_emulator.outcome', "outcome must be 'completed' or 'failed'");
	}
	if (
		k.error !== undefined &&
		(!isPlainObject(k.error) ||
			typeof k.error.code !== 'string' ||
			typeof k.error.message !== 'string')
	) {
		throw invalid('x_emulator.error', 'error must be { code: string, message: string }');
	}
	for (const n of ['webhook_twice', 'webhook_before_response', 'large_media'] as const) {
		if (k[n] !== undefined && typeof k[n] !== 'boolean')
			throw invalid(`x_emulator.${n}`, `${n} must be a boolean`);
	}
	return k;
}

/** Starts an emulator on 127.0.0.1 (port 0 = a free port). */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const emu = new HooxEmulator(opts);
	await emu.listen(opts.port ?? 0);
	return emu;
}
