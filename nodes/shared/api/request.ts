/**
 * The one door to the Hoox API: adds the credential (n8n's httpRequestWithAuthentication),
 * retries what is safe to retry, and maps failures to clear errors (errors.ts).
 *
 * Reads (GET, and POST /asset/pricing, a dry run) are retried on 429, 5xx and network errors.
 * POST /asset/start debits up front and has no idempotency key: it is retried only when the
 * request provably never reached Hoox (a 429, or a connection never opened).
 *
 * Every attempt first takes a request of the key's rate-limit budget, shared by every execution
 * of this process (budget.ts): when the window is spent it waits for the reset instead of
 * earning a 429 (longer than the policy's maxRateLimitWaitMs: it sends and lets Hoox decide).
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { backoffDelay, pause } from '../util/timing';
import { parseBody } from './body';
import { acquire, budgetKey, release, take } from './budget';
import { hooxCredentials } from './credentials';
import { toNodeApiError } from './errors';
import { rateLimitWait, readRateLimit } from './rateLimit';
import {
	CREDENTIAL_TYPE,
	DEFAULT_BASE_URL,
	DEFAULT_RETRY_POLICY,
	type HooxContext,
	type HooxRequest,
	type HooxResponse,
	type Outcome,
	type RawResponse,
	type RetryPolicy,
} from './types';

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
	const credentials = await hooxCredentials(ctx);
	const baseUrl = normalizeBaseUrl(credentials.baseUrl as string | undefined);
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const policy = { ...DEFAULT_RETRY_POLICY, ...request.retry };
	const isSubmit = isSubmitRequest(request);
	const options = httpOptions(baseUrl, request);
	const budget = budgetKey(baseUrl, apiKey);

	for (let attempt = 0; ; attempt++) {
		await waitForBudget(budget, request, policy);
		const outcome = await send(ctx, options);
		release(budget, outcome.kind === 'http' ? readRateLimit(outcome.response.headers) : undefined);
		if (outcome.kind === 'http' && outcome.response.statusCode < 300) {
			return {
				body: parseBody(outcome.response.body) as T,
				statusCode: outcome.response.statusCode,
				rateLimit: readRateLimit(outcome.response.headers),
			};
		}
		const delay =
			isRetryable(outcome, isSubmit) && attempt < policy.maxRetries
				? retryDelay(outcome, attempt, policy)
				: undefined;
		if (delay === undefined) {
			throw toNodeApiError(ctx, request, outcome, {
				baseUrl,
				apiKey,
				attempts: attempt + 1,
				isSubmit,
			});
		}
		ctx.logger?.debug(
			`Hoox ${request.method} ${routeOf(request.path)} failed (${describeFailure(outcome)}); retry ${attempt + 1} of ${policy.maxRetries} in ${delay} ms`,
		);
		try {
			await pause(delay, request.abortSignal);
		} catch {
			// cancelled while waiting to retry: report the failure that was being retried
			throw toNodeApiError(ctx, request, outcome, {
				baseUrl,
				apiKey,
				attempts: attempt + 1,
				isSubmit,
			});
		}
	}
}

/** Takes a request of the key's budget; reads leave the reserve to calls that cannot wait. */
async function waitForBudget(key: string, request: HooxRequest, policy: RetryPolicy) {
	for (;;) {
		const slot = acquire(key, request.method === 'GET');
		if (slot.granted) return;
		if (slot.waitMs > policy.maxRateLimitWaitMs) return take(key);
		await pause(slot.waitMs, request.abortSignal);
	}
}

export function normalizeBaseUrl(baseUrl: string | undefined): string {
	let value = (baseUrl ?? '').trim() || DEFAULT_BASE_URL;
	// a loop, not /\/+$/: that pattern backtracks quadratically on a long run of slashes
	while (value.endsWith('/')) value = value.slice(0, -1);
	return value;
}

function httpOptions(baseUrl: string, request: HooxRequest): IHttpRequestOptions {
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
	return options;
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

/** The pause before the next attempt; undefined when a rate-limit reset is too far away. */
function retryDelay(failure: Outcome, attempt: number, policy: RetryPolicy): number | undefined {
	const backoff = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs);
	if (failure.kind !== 'http' || failure.response.statusCode !== 429) return backoff;
	const wait = rateLimitWait(failure.response.headers);
	if (wait === undefined) return backoff;
	if (wait > policy.maxRateLimitWaitMs) return undefined;
	// A little jitter so parallel pollers do not all return in the same millisecond.
	return wait + Math.round(Math.random() * Math.min(250, policy.baseDelayMs));
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

function routeOf(path: string): string {
	return path.split('?')[0];
}

function describeFailure(failure: Outcome): string {
	return failure.kind === 'http' ? `HTTP ${failure.response.statusCode}` : failure.code;
}
