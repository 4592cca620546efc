/**
 * Public types of the Hoox API emulator. Other code (unit tests, e2e tests, scripts)
 * imports these from `emulator/index.ts`; keep the names stable.
 */

/** A model exactly as `GET /asset/models/{name}` returns it (see fixtures/models.json). */
export interface ModelDefinition {
	name: string;
	type: string; // 'image' | 'video'
	provider: string;
	label?: string;
	base_cost?: number;
	has_audio?: boolean;
	tags?: string[];
	max_resolution?: string;
	required_plans?: string[];
	capabilities?: ModelCapabilities;
	settings?: ModelSetting[];
	max_prompt_length?: number;
	restricted_countries?: string[];
	input_schema?: ModelInputSchema;
	[extra: string]: unknown;
}

export interface ModelCapabilities {
	max_images?: number;
	min_images?: number;
	supported_aspect_ratios?: string[];
	default_aspect_ratio?: string;
	supported_resolutions?: string[];
	default_resolution?: string;
	supported_durations?: number[];
	default_duration?: number;
	[extra: string]: unknown;
}

export interface ModelSetting {
	key: string;
	type: string; // 'boolean' | 'select' | 'number' | 'string'
	label?: string;
	default_value?: unknown;
	affects_cost?: boolean;
	options?: unknown[];
	[extra: string]: unknown;
}

export interface JsonSchemaProperty {
	type?: string;
	enum?: unknown[];
	default?: unknown;
	minimum?: number;
	maximum?: number;
	minItems?: number;
	maxItems?: number;
	description?: string;
	format?: string;
	items?: JsonSchemaProperty;
	properties?: Record<string, JsonSchemaProperty>;
	required?: string[];
	oneOf?: unknown[];
	[extra: string]: unknown;
}

export interface ModelInputSchema {
	type: 'object' | string;
	required?: string[];
	properties: Record<string, JsonSchemaProperty>;
	[extra: string]: unknown;
}

/** One HTTP request the emulator answered (API routes and media routes; not /__control). */
export interface RecordedRequest {
	/** Increasing sequence number. */
	seq: number;
	/** 'api' for /api/public/v1/*, 'media' for /media/*. */
	kind: 'api' | 'media';
	method: string;
	/** For 'api': path relative to the base URL, e.g. '/asset/start'. For 'media': '/media/<file>'. */
	path: string;
	query: Record<string, string>;
	/** Lower-cased header names. `authorization` is redacted to 'Bearer hx_live_…<last4>'. */
	headers: Record<string, string>;
	/** Parsed JSON body (as sent, including `x_emulator`), the raw text if not JSON, or undefined. */
	body: unknown;
	/** HTTP status answered; 0 when the connection was dropped by a fault. */
	status: number;
	/** The fault applied to this request, if any. */
	fault?: 'status' | 'drop-before-read' | 'drop-after-read' | 'delay';
	/** ISO time the request arrived. */
	time: string;
}

export interface WebhookDelivery {
	asset_id: string;
	url: string;
	payload: WebhookPayload;
	/** 1 for the first try, 2..n for retries. */
	attempt: number;
	/** Which copy of the event this is (2 with the `webhook_twice` knob). */
	copy: number;
	/** HTTP status the receiver answered, if it answered. */
	status?: number;
	/** 'timeout', 'ECONNREFUSED', … when it did not answer. */
	error?: string;
	/** 'delivered' (2xx), 'retrying' (another attempt is scheduled) or 'dropped' (no retries left). */
	outcome: 'delivered' | 'retrying' | 'dropped';
	/** ISO time the attempt was sent. */
	time: string;
	/** ms from sending the attempt to its answer (or to the error). */
	answer_ms: number;
}

export type WebhookPayload =
	| {
			task: 'asset_generation';
			asset_id: string;
			status: 'completed';
			result: {
				asset_url: string;
				asset_type: string;
				width: number;
				height: number;
				duration_seconds?: number;
			};
	  }
	| {
			task: 'asset_generation';
			asset_id: string;
			status: 'failed';
			error: { code: string; message: string };
	  };

export type AssetStatus = 'pending' | 'generating' | 'completed' | 'failed';

/** The emulator's full record of one asset (a superset of what `/asset/status` returns). */
export interface AssetRecord {
	asset_id: string;
	status: AssetStatus;
	type: string;
	model: string;
	/** Credits debited for this asset (kept after a refund; see `refunded`). */
	cost: number;
	refunded: boolean;
	created_at: string;
	generation_params: Record<string, unknown>;
	url?: string;
	thumbnail_url?: string;
	width: number;
	height: number;
	duration_seconds?: number;
	error?: { code: string; message: string };
	webhook_url?: string;
	folder_id?: string;
	parent_media_id?: string;
	/** Serve `largeMediaBytes` for this asset's media (knob `large_media`). */
	large_media: boolean;
	/** Outcome decided so far (knob, failNext or setAssetOutcome); 'completed' by default. */
	planned_outcome: 'completed' | 'failed';
	/** ISO time the asset reached completed/failed. */
	finished_at?: string;
}

export interface LedgerEntry {
	kind: 'debit' | 'refund' | 'set';
	/** Positive number of credits moved (for 'set': the new balance). */
	amount: number;
	balance: number;
	asset_ids: string[];
	time: string;
}

export interface EmulatorOptions {
	/** 0 (default) = random free port. */
	port?: number;
	/** Default: fixtures/models.json. */
	models?: ModelDefinition[];
	/** Credits, default 10000. */
	initialBalance?: number;
	/** Requests per key per minute window, default 100; 0 disables. */
	rateLimitPerMinute?: number;
	/** ms an asset spends generating before its terminal state (defaults image 300, video 800);
	 * `pending`: ms spent in 'pending' before 'generating' (default 0). */
	durations?: { image?: number; video?: number; pending?: number };
	/** Default true: any key matching ^hx_live_[0-9a-f]{64}$ is valid; when false only
	 * TEST_API_KEY, `apiKeys` and keys added with addApiKey(). */
	acceptAnyWellFormedKey?: boolean;
	/** Extra keys accepted when acceptAnyWellFormedKey is false. */
	apiKeys?: string[];
	/** Delays before retries 1..n, default [1000, 2000, 4000]. */
	webhookRetryDelaysMs?: number[];
	/** Default 10000. */
	webhookTimeoutMs?: number;
	/**
	 * Where each webhook goes: the URL Hoox was given → the URLs to deliver to, all at once (e.g. one
	 * per n8n webhook process behind a load balancer). Default: the given URL only.
	 */
	webhookFanout?: WebhookFanout;
	/** Size of the "large" media variant, default 200 MB; streamed, never buffered. */
	largeMediaBytes?: number;
	/** Request logging (one line per request; never contains the API key). */
	log?: (line: string) => void;
}

export type Fault =
	| {
			route: string;
			count: number;
			status: number;
			body?: unknown;
			/** Sent as-is instead of `body` (text/plain unless `headers` say otherwise): bad JSON, HTML. */
			rawBody?: string;
			headers?: Record<string, string>;
	  }
	| { route: string; count: number; drop: 'before-read' | 'after-read' }
	| { route: string; count: number; delayMs: number };

export interface RequestFilter {
	method?: string;
	/** A string matches as a prefix of `path`; a RegExp is tested against it. */
	path?: string | RegExp;
	kind?: 'api' | 'media';
}

export type WebhookFanout = (url: string) => string[];

export interface Emulator {
	/** http://127.0.0.1:PORT */
	readonly origin: string;
	/** origin + '/api/public/v1' */
	readonly baseUrl: string;
	readonly port: number;
	requests(filter?: RequestFilter): RecordedRequest[];
	webhookDeliveries(): WebhookDelivery[];
	/** Sets (or, with undefined, removes) the webhook fan-out (see EmulatorOptions.webhookFanout). */
	setWebhookFanout(fanout: WebhookFanout | undefined): void;
	/** Clears logs, assets, folders, faults, rate-limit windows; restores catalogue, balance, durations, rate limit. */
	reset(): void;
	addModel(model: ModelDefinition): void;
	removeModel(name: string): void;
	setBalance(credits: number): void;
	balance(): number;
	/** Debits, refunds and balance changes since the last reset. */
	ledger(): LedgerEntry[];
	injectFault(f: Fault): void;
	clearFaults(): void;
	/** The next n created assets (default 1) fail, with the given error (default GENERATION_FAILED). */
	failNext(n?: number, error?: { code: string; message: string }): void;
	/** Decide the outcome of an asset that is not terminal yet (throws otherwise). */
	setAssetOutcome(assetId: string, outcome: 'completed' | 'failed'): void;
	/** Per type ({ image: 50 }), or per model ({ model: 'veo-3.1', ms: 50 } — `video`/`image` also accepted as the value). */
	setDuration(ms: { image?: number; video?: number; model?: string; ms?: number }): void;
	/** Requests per key per minute from now on (0 disables); the current windows are kept. */
	setRateLimit(perMinute: number): void;
	getAsset(id: string): AssetRecord | undefined;
	/** Accept this key too (only matters when acceptAnyWellFormedKey is false). */
	addApiKey(key: string): void;
	close(): Promise<void>;
}
