import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'hooxApi';
export const DEFAULT_BASE_URL = 'https://app.hoox.video/api/public/v1';

export type HooxContext =
	IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Longest wait for a rate-limit window to reset before giving up. */
	maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRateLimitWaitMs: 65_000,
};

export interface HooxRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/asset/status/abc`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** The input item this call is for; errors carry it. */
	itemIndex?: number;
	/** Assets this call concerns, listed in errors so nothing paid for is lost. */
	assetIds?: string[];
	abortSignal?: AbortSignal;
	/** Per-request timeout in ms (default 60 s). */
	timeout?: number;
	retry?: Partial<RetryPolicy>;
	/** What a 404 means: the model or asset this call is about (for the error message). */
	notFound?: { kind: 'model' | 'asset'; id: string };
}

export interface RateLimitInfo {
	limit?: number;
	remaining?: number;
	/** Unix time in ms when the window resets. */
	resetAt?: number;
}

export interface HooxResponse<T> {
	body: T;
	statusCode: number;
	rateLimit: RateLimitInfo;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface RawResponse {
	body: unknown;
	headers: ResponseHeaders;
	statusCode: number;
}

/** What one attempt gave: an HTTP answer (any status) or a network failure. */
export type Outcome =
	| { kind: 'http'; response: RawResponse }
	| { kind: 'network'; code: string; reachedServer: boolean };

/** What every endpoint function takes besides its own arguments. */
export interface CallOptions {
	itemIndex?: number;
	abortSignal?: AbortSignal;
}
