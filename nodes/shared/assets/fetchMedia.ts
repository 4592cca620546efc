/**
 * The HTTP part of a download, with its limits: through n8n's plain httpRequest (no credential,
 * so the API key never reaches a media host), streamed, redirects followed here — each hop checked
 * against the allowed targets, at most MAX_REDIRECTS — since n8n 1.x ignores `maxRedirects` and
 * neither version lets a node veto a hop; one deadline for the whole transfer that also follows
 * the execution's cancel signal.
 */
import type { IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { pause } from '../util/timing';
import { DownloadRefused, refusedContentType, refusedLength, watchBody } from './downloadGuard';
import { downloadTargets, MAX_REDIRECTS, refusedRedirect, refusedTarget } from './downloadTarget';
import { header } from '../util/loose';

export interface MediaRequest {
	url: string;
	/** Hoox's type of the asset ('image', 'video'): the response must be of that kind. */
	assetType?: unknown;
	maxBytes: number;
	/** The Hoox Base URL: decides whether private targets are allowed and which hosts are Hoox's. */
	baseUrl: string;
	/** For the whole transfer, headers and body. */
	timeoutMs: number;
	abortSignal?: AbortSignal;
}

export interface MediaResponse {
	body: unknown;
	headers: Record<string, unknown> | undefined;
	statusCode: number;
	/** The URL the file came from (after redirects). */
	url: URL;
	/** Why the body was stopped while being read, if it was (size, markup, script). */
	refusal: () => DownloadRefused | undefined;
	/** Stops the deadline; call when the body has been consumed (or given up). */
	finish: () => void;
	/** Whether the deadline (not the execution) ended the transfer. */
	timedOut: () => boolean;
}

const REDIRECTS = [301, 302, 303, 307, 308];

type Response = { body?: unknown; headers?: Record<string, unknown>; statusCode?: number };

/** Fetches the media file; throws DownloadRefused for what the limits refuse before reading. */
export async function fetchMedia(
	ctx: IExecuteFunctions | IWebhookFunctions,
	request: MediaRequest,
): Promise<MediaResponse> {
	const current = new URL(request.url);
	const refused = refusedTarget(current, downloadTargets(request.baseUrl));
	if (refused) throw new DownloadRefused(refused);
	const deadline = startDeadline(request.timeoutMs, request.abortSignal);
	// the deadline stops with a refusal or a failure; on success the caller stops it (finish)
	return await follow(ctx, request, current, deadline).catch(async (error: unknown) => {
		deadline.handle.finish();
		return await Promise.reject(error);
	});
}

/** Requests `start`, following redirects to allowed targets only. */
async function follow(
	ctx: IExecuteFunctions | IWebhookFunctions,
	request: MediaRequest,
	start: URL,
	deadline: ReturnType<typeof startDeadline>,
): Promise<MediaResponse> {
	const targets = downloadTargets(request.baseUrl);
	const mediaHost = start.host;
	let current = start;
	for (let hop = 0; ; hop++) {
		const response = await get(ctx, current, request.timeoutMs, deadline.signal);
		const statusCode = Number(response.statusCode ?? 200);
		if (!REDIRECTS.includes(statusCode)) {
			checkDeclared(response, request);
			const svg = /svg/i.test(header(response.headers, 'content-type') ?? '');
			const refusal = watchBody(response.body, { maxBytes: request.maxBytes, svg });
			const { body, headers } = response;
			return { ...deadline.handle, body, headers, statusCode, url: current, refusal };
		}
		discard(response.body);
		const location = header(response.headers, 'location');
		if (!location)
			throw new DownloadRefused(`the media server answered ${statusCode} without a Location`);
		if (hop >= MAX_REDIRECTS) throw new DownloadRefused(`more than ${MAX_REDIRECTS} redirects`);
		const next = new URL(location, current);
		const refusedHop = refusedRedirect(current, next, mediaHost, targets);
		if (refusedHop) throw new DownloadRefused(`a redirect was refused: ${refusedHop}`);
		current = next;
	}
}

async function get(
	ctx: IExecuteFunctions | IWebhookFunctions,
	url: URL,
	timeoutMs: number,
	signal: AbortSignal,
): Promise<Response> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: url.href,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: timeoutMs,
		abortSignal: signal,
	};
	return ((await ctx.helpers.httpRequest(options)) ?? {}) as Response;
}

/** Content-Length over the cap, or a type that is not the asset's: refused before reading. */
function checkDeclared(response: Response, request: MediaRequest): void {
	if (Number(response.statusCode ?? 200) >= 400) return; // the caller reports HTTP errors
	const reason =
		refusedLength(header(response.headers, 'content-length'), request.maxBytes) ??
		refusedContentType(header(response.headers, 'content-type') ?? '', request.assetType);
	if (reason) {
		discard(response.body);
		throw new DownloadRefused(reason);
	}
}

/** An abort signal that fires after `ms`, or when `parent` does; `finish()` stops its clock. */
function startDeadline(ms: number, parent?: AbortSignal) {
	const controller = new AbortController();
	const clock = new AbortController();
	let timedOut = false;
	const onParentAbort = () => controller.abort();
	if (parent?.aborted) controller.abort();
	else parent?.addEventListener('abort', onParentAbort, { once: true });
	void pause(ms, clock.signal).then(
		() => {
			timedOut = true;
			controller.abort();
		},
		() => undefined, // finished first
	);
	const finish = () => {
		clock.abort();
		parent?.removeEventListener('abort', onParentAbort);
	};
	return { signal: controller.signal, handle: { finish, timedOut: () => timedOut } };
}

export function discard(body: unknown): void {
	const stream = body as { destroy?: () => void } | undefined;
	if (stream && typeof stream.destroy === 'function') stream.destroy();
}
