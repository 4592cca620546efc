/**
 * The one door to the Hoox API: every Hoox call of the nodes and the credential-using methods
 * goes through hooxRequest(). It adds the credential (via n8n's httpRequestWithAuthentication),
 * retries what is safe to retry, and turns failures into errors a no-code user can act on.
 *
 * Retry policy. Reads (GET, and POST /asset/pricing, which is a dry run) are retried on 429,
 * 5xx and network errors with exponential backoff, honouring the rate-limit headers.
 * POST /asset/start debits credits up front and has no idempotency key, so it is retried only
 * when the request provably did not reach Hoox: a 429 answer, or a connection that was never
 * opened (refused, DNS). A timeout, a reset connection or a 5xx may have started (and charged)
 * a generation, so they are reported, never retried.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { printableUrl, redactSecrets, urlSecret } from './api/secrets';
import { backoffDelay, pause } from './timing';

export { redactSecrets };

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

interface RawResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

/** What one attempt gave: an HTTP answer (any status) or a network failure. */
type Outcome =
	| { kind: 'http'; response: RawResponse }
	| { kind: 'network'; code: string; reachedServer: boolean };

/** Calls Hoox and returns the parsed JSON body; throws NodeApiError on failure. */
export async function hooxRequest<T = IDataObject>(
	ctx: HooxContext,
	request: HooxRequest,
): Promise<T> {
	return (await hooxRequestWithMeta<T>(ctx, request)).body;
}

/** Like hooxRequest, with the status code and rate-limit state (the waiter paces itself on them). */
export async function hooxRequestWithMeta<T = IDataObject>(
	ctx: HooxContext,
	request: HooxRequest,
): Promise<HooxResponse<T>> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = normalizeBaseUrl(credentials.baseUrl as string | undefined);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const policy = { ...DEFAULT_RETRY_POLICY, ...request.retry };
	const isSubmit = isSubmitRequest(request);

	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeout ?? 60_000,
	};
	if (request.qs && Object.keys(request.qs).length > 0) options.qs = request.qs;
	if (request.body !== undefined) options.body = request.body;
	if (request.abortSignal) options.abortSignal = request.abortSignal;

	for (let attempt = 0; ; attempt++) {
		const outcome = await send(ctx, options);
		if (outcome.kind === 'http' && outcome.response.statusCode < 300) {
			return {
				body: parseBody(outcome.response.body) as T,
				statusCode: outcome.response.statusCode,
				rateLimit: readRateLimit(outcome.response.headers),
			};
		}
		const failure = outcome;

		const retryable = isRetryable(failure, isSubmit);
		if (!retryable || attempt >= policy.maxRetries) {
			throw toNodeApiError(ctx, request, failure, {
				baseUrl,
				apiKey,
				attempts: attempt + 1,
				isSubmit,
			});
		}
		const delay = retryDelay(failure, attempt, policy);
		if (delay === undefined) {
			throw toNodeApiError(ctx, request, failure, {
				baseUrl,
				apiKey,
				attempts: attempt + 1,
				isSubmit,
			});
		}
		ctx.logger?.debug(
			`Hoox ${request.method} ${routeOf(request.path)} failed (${describeFailure(failure)}); retry ${attempt + 1} of ${policy.maxRetries} in ${delay} ms`,
		);
		try {
			await pause(delay, request.abortSignal);
		} catch {
			// cancelled while waiting to retry: report the failure that was being retried
			throw toNodeApiError(ctx, request, failure, {
				baseUrl,
				apiKey,
				attempts: attempt + 1,
				isSubmit,
			});
		}
	}
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	let value = (baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	// a loop, not /\/+$/: that pattern backtracks quadratically on a long run of slashes
	while (value.endsWith('/')) value = value.slice(0, -1);
	return value;
}

function isSubmitRequest(request: HooxRequest): boolean {
	return request.method === 'POST' && /^\/asset\/start\/?$/.test(request.path);
}

async function send(ctx: HooxContext, options: IHttpRequestOptions): Promise<Outcome> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			options,
		)) as RawResponse;
		return { kind: 'http', response: normalizeResponse(response) };
	} catch (error) {
		// Some n8n versions still throw on HTTP statuses; read the response from the error.
		const response = responseFromError(error);
		if (response) return { kind: 'http', response };
		const code = networkCode(error);
		return {
			kind: 'network',
			code,
			reachedServer: !NEVER_CONNECTED.has(code),
		};
	}
}

/**
 * Connection errors after which the request provably never reached the server: refused, or no
 * address to connect to. Not EHOSTUNREACH / ENETUNREACH: Linux can report those on a connection
 * that already delivered the request.
 */
const NEVER_CONNECTED = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_NONAME',
	'EAI_FAIL',
]);

function isRetryable(failure: Outcome, isSubmit: boolean): boolean {
	if (failure.kind === 'network')
		return isSubmit ? !failure.reachedServer : failure.code !== 'ABORTED';
	const status = failure.response.statusCode;
	if (status === 429) return true;
	return !isSubmit && status >= 500;
}

function retryDelay(failure: Outcome, attempt: number, policy: RetryPolicy): number | undefined {
	const backoff = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs);
	if (failure.kind !== 'http' || failure.response.statusCode !== 429) return backoff;
	const wait = rateLimitWait(failure.response.headers);
	if (wait === undefined) return backoff;
	if (wait > policy.maxRateLimitWaitMs) return undefined;
	// A little jitter so parallel pollers do not all return in the same millisecond.
	return wait + Math.round(Math.random() * Math.min(250, policy.baseDelayMs));
}

/** How long a 429 asks us to wait: Retry-After (seconds or date), else X-RateLimit-Reset. */
export function rateLimitWait(
	headers: RawResponse['headers'],
	now = Date.now(),
): number | undefined {
	const retryAfter = header(headers, 'retry-after');
	if (retryAfter !== undefined) {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.max(0, date - now);
	}
	const resetAt = readRateLimit(headers, now).resetAt;
	return resetAt === undefined ? undefined : Math.max(0, resetAt - now);
}

export function readRateLimit(headers: RawResponse['headers'], now = Date.now()): RateLimitInfo {
	const num = (name: string) => {
		const value = Number(header(headers, name));
		return header(headers, name) !== undefined && Number.isFinite(value) ? value : undefined;
	};
	const info: RateLimitInfo = {
		limit: num('x-ratelimit-limit'),
		remaining: num('x-ratelimit-remaining'),
	};
	const reset = num('x-ratelimit-reset');
	if (reset !== undefined) {
		// Hoox sends a Unix time in seconds; tolerate milliseconds and "seconds from now".
		if (reset > 1e12) info.resetAt = reset;
		else if (reset > 1e9) info.resetAt = reset * 1000;
		else info.resetAt = now + reset * 1000;
	}
	return info;
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()] ?? findHeader(headers, name);
	if (Array.isArray(value)) return value[0];
	return value === undefined || value === null ? undefined : String(value);
}

function findHeader(headers: RawResponse['headers'], name: string) {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function normalizeResponse(response: RawResponse): RawResponse {
	return {
		body: response?.body,
		headers: response?.headers ?? {},
		statusCode: Number(response?.statusCode ?? 200),
	};
}

function responseFromError(error: any): RawResponse | undefined {
	for (const candidate of [error, error?.cause, error?.cause?.cause, error?.context]) {
		const response = candidate?.response;
		const status = response?.status ?? response?.statusCode;
		if (response && typeof status === 'number') {
			return {
				body: response.data ?? response.body,
				headers: response.headers ?? {},
				statusCode: status,
			};
		}
	}
	return undefined;
}

function networkCode(error: any): string {
	const seen = new Set<unknown>();
	const queue = [error];
	while (queue.length > 0) {
		const current = queue.shift();
		if (!current || typeof current !== 'object' || seen.has(current)) continue;
		seen.add(current);
		if (current.name === 'AbortError' || current.code === 'ERR_CANCELED') return 'ABORTED';
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		queue.push(current.cause, current.error, current.reason, current.errorResponse);
	}
	// bounded: the pattern runs on a message that may echo anything
	const text = String(error?.message ?? error ?? '').slice(0, 500);
	const match = /\b(E[A-Z_]{3,})\b/.exec(text);
	if (match) return match[1];
	if (/timeout/i.test(text)) return 'ETIMEDOUT';
	if (/abort|cancel/i.test(text)) return 'ABORTED';
	return 'UNKNOWN';
}

function parseBody(body: unknown): unknown {
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	if (
		body &&
		typeof body === 'object' &&
		'type' in body &&
		(body as { type: string }).type === 'Buffer'
	) {
		return parseBody(Buffer.from((body as unknown as { data: number[] }).data).toString('utf8'));
	}
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	return body;
}

/** Hoox error bodies come in two shapes: {error, details[{code,message,field}]} and {error, code}. */
export interface HooxErrorInfo {
	summary?: string;
	code?: string;
	field?: string;
	detail?: string;
}

export function readHooxError(body: unknown): HooxErrorInfo {
	const parsed = parseBody(body);
	if (!parsed || typeof parsed !== 'object') {
		return typeof parsed === 'string' && parsed.trim()
			? { summary: parsed.trim().slice(0, 300) }
			: {};
	}
	const data = parsed as IDataObject;
	const details = Array.isArray(data.details) ? (data.details as IDataObject[]) : [];
	const first = details.find((d) => d && typeof d === 'object') ?? {};
	const errorValue = data.error;
	const summary =
		typeof errorValue === 'string'
			? errorValue
			: typeof (errorValue as IDataObject)?.message === 'string'
				? ((errorValue as IDataObject).message as string)
				: typeof data.message === 'string'
					? data.message
					: undefined;
	const code =
		(typeof data.code === 'string' && data.code) ||
		(typeof first.code === 'string' && first.code) ||
		(typeof (errorValue as IDataObject)?.code === 'string' &&
			((errorValue as IDataObject).code as string)) ||
		undefined;
	return {
		summary,
		code: code ? code.toLowerCase().slice(0, 100) : undefined,
		field: typeof first.field === 'string' ? first.field.slice(0, 100) : undefined,
		detail: typeof first.message === 'string' ? first.message : undefined,
	};
}

function routeOf(path: string): string {
	return path.split('?')[0];
}

function describeFailure(failure: Outcome): string {
	return failure.kind === 'http' ? `HTTP ${failure.response.statusCode}` : failure.code;
}

function toNodeApiError(
	ctx: HooxContext,
	request: HooxRequest,
	failure: Outcome,
	info: { baseUrl: string; apiKey: string; attempts: number; isSubmit: boolean },
): NodeApiError {
	const { message, description, httpCode, hoox } = explain(request, failure, info);
	const assets = request.assetIds?.length ? ` Asset IDs: ${request.assetIds.join(', ')}.` : '';
	const password = urlSecret(info.baseUrl);
	const clean = (text: string) => redactSecrets(text, info.apiKey, password);
	// Only sanitized data goes into the error: n8n stores it in the execution, and the raw
	// request error carries the Authorization header.
	const errorResponse: JsonObject = {
		message: clean(message),
		...(hoox.code ? { hooxCode: clean(hoox.code) } : {}),
		...(hoox.field ? { field: clean(hoox.field) } : {}),
		...(httpCode ? { httpCode } : {}),
	};
	return new NodeApiError(ctx.getNode(), errorResponse, {
		message: clean(message),
		description: clean(`${description}${assets}`.trim()),
		httpCode,
		itemIndex: request.itemIndex,
	});
}

function explain(
	request: HooxRequest,
	failure: Outcome,
	info: { baseUrl: string; attempts: number; isSubmit: boolean },
): { message: string; description: string; httpCode?: string; hoox: HooxErrorInfo } {
	const retried = info.attempts > 1 ? ` (tried ${info.attempts} times)` : '';
	if (failure.kind === 'network') {
		const what = NETWORK_WORDS[failure.code] ?? `network error ${failure.code.toLowerCase()}`;
		if (info.isSubmit && failure.reachedServer) {
			return {
				message: `The generation request to Hoox failed (${what}) and may have been received`,
				description:
					'It was not sent again, because a repeated request could start and charge a second generation. ' +
					'Check the assets in your Hoox space before running this item again.',
				hoox: {},
			};
		}
		return {
			message: `Could not reach Hoox at ${printableUrl(info.baseUrl)} (${what})${retried}`,
			description: 'Check the Base URL in the Hoox credential and your network, then try again.',
			hoox: {},
		};
	}

	const status = failure.response.statusCode;
	const hoox = readHooxError(failure.response.body);
	const said = cut(hoox.detail ?? hoox.summary, MAX_SAID);
	const httpCode = String(status);
	const code = hoox.code ?? '';

	if (status === 400) {
		const field = hoox.field ? ` "${hoox.field}"` : '';
		return {
			message: `Hoox rejected the request: invalid${field}${said ? `: ${said}` : ''}`,
			description: hoox.field
				? `Fix the value sent as "${hoox.field}" (see the model's options), then run again.`
				: 'Check the parameters against the model (Model → Get), then run again.',
			httpCode,
			hoox,
		};
	}
	if (status === 401) {
		return {
			message: 'Hoox rejected the API key',
			description:
				'The key is missing, invalid, expired or was regenerated. Paste a current key (it starts with hx_live_) into the Hoox credential.',
			httpCode,
			hoox,
		};
	}
	if (status === 402) {
		const needed = creditsNeeded(failure.response.body);
		return {
			message: `Not enough Hoox credits${needed ? `: this request needs ${needed}` : ''}`,
			description: `${said ? `${said}. ` : ''}Top up the credits of your Hoox space, or lower the generation count, duration or resolution.`,
			httpCode,
			hoox,
		};
	}
	if (status === 403) {
		return code === 'plan_required'
			? {
					message: 'Your Hoox plan does not include API access',
					description:
						'The Hoox API needs the Enterprise plan. Upgrade the plan of the space this key belongs to.',
					httpCode,
					hoox,
				}
			: {
					message: `Hoox refused access${said ? `: ${said}` : ''}`,
					description:
						'The resource may belong to another Hoox space, or the model may need another plan (see Model → Get, "required_plans").',
					httpCode,
					hoox,
				};
	}
	if (status === 404) {
		return {
			message: notFoundMessage(request.notFound, said),
			description: notFoundHint(request.notFound),
			httpCode,
			hoox,
		};
	}
	if (status === 429) {
		return {
			message: `Hoox rate limit reached${retried}`,
			description:
				'Hoox allows about 100 requests per minute per space. Wait a minute, lower the number of items per run, or use webhooks instead of polling.',
			httpCode,
			hoox,
		};
	}
	if (status >= 500) {
		return info.isSubmit
			? {
					message: `Hoox failed while starting the generation (HTTP ${status})`,
					description:
						'It was not sent again, because the generation may have started and been charged. Check the assets in your Hoox space before running this item again.',
					httpCode,
					hoox,
				}
			: {
					message: `Hoox had a server error (HTTP ${status})${retried}`,
					description: `${said ? `${said}. ` : ''}Try again in a moment.`,
					httpCode,
					hoox,
				};
	}
	return {
		message: `Hoox answered HTTP ${status}${said ? `: ${said}` : ''}`,
		description: 'Unexpected answer from Hoox.',
		httpCode,
		hoox,
	};
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection closed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ABORTED: 'cancelled',
};

/** Longest text Hoox said that a message repeats. */
const MAX_SAID = 300;

function cut(text: string | undefined, max: number): string | undefined {
	return text !== undefined && text.length > max ? `${text.slice(0, max)}…` : text;
}

function creditsNeeded(body: unknown): string | undefined {
	const data = parseBody(body);
	if (!data || typeof data !== 'object') return undefined;
	const record = data as IDataObject;
	for (const key of ['required_credits', 'required', 'needed', 'total_cost', 'cost']) {
		const value = record[key];
		if (typeof value === 'number') return `${value} credits`;
	}
	const text = [
		record.error,
		...(Array.isArray(record.details)
			? record.details.map((d) => (d as IDataObject)?.message)
			: []),
	]
		.filter((t) => typeof t === 'string')
		.join(' ')
		.slice(0, 1000); // bounded: the pattern below runs on text from the answer
	const match = /(\d+(?:\.\d+)?)\s*credits?/i.exec(text);
	return match ? `${match[1]} credits` : undefined;
}

function notFoundMessage(subject: HooxRequest['notFound'], said?: string): string {
	if (subject?.kind === 'model') return `Unknown Hoox model "${subject.id}"`;
	if (subject?.kind === 'asset') return `Unknown Hoox asset "${subject.id}"`;
	return `Hoox could not find what was asked for${said ? `: ${said}` : ''}`;
}

function notFoundHint(subject: HooxRequest['notFound']): string {
	if (subject?.kind === 'model')
		return 'Pick a model from the list (Model → Get Many shows the current catalogue).';
	if (subject?.kind === 'asset') return 'Check the asset ID: it must come from this Hoox space.';
	return 'Check the Base URL in the Hoox credential.';
}
