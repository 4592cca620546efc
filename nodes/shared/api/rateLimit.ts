import type { RateLimitInfo, ResponseHeaders } from './types';
import { header } from '../util/loose';

/** How long a 429 asks us to wait: Retry-After (seconds or date), else X-RateLimit-Reset. */
export function rateLimitWait(headers: ResponseHeaders, now = Date.now()): number | undefined {
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

/** The X-RateLimit-* headers of a response. */
export function readRateLimit(headers: ResponseHeaders, now = Date.now()): RateLimitInfo {
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

/** Keeps the lowest `remaining` seen in the current window; a later window replaces it. */
export function mergeRateLimitInfo(
	previous: RateLimitInfo | undefined,
	next: RateLimitInfo,
): RateLimitInfo | undefined {
	if (next.remaining === undefined && next.limit === undefined) return previous;
	if (!previous || previous.remaining === undefined) return { ...next };
	if (next.remaining === undefined) return previous;
	const sameWindow =
		previous.resetAt === undefined ||
		next.resetAt === undefined ||
		Math.abs(next.resetAt - previous.resetAt) <= 1000;
	if (!sameWindow) return (next.resetAt ?? 0) > (previous.resetAt ?? 0) ? { ...next } : previous;
	const merged: RateLimitInfo = {
		limit: next.limit ?? previous.limit,
		remaining: Math.min(previous.remaining, next.remaining),
	};
	const resetAt = Math.max(previous.resetAt ?? 0, next.resetAt ?? 0);
	if (resetAt > 0) merged.resetAt = resetAt;
	return merged;
}
