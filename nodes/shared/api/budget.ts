/**
 * One rate-limit budget per API key in this n8n process: every request to Hoox (every node, every
 * execution) passes the gate here, so several executions sharing a key do not each spend "their"
 * 100 requests a minute and run into 429s. Keyed by a hash of base URL + key, never the key.
 *
 * The budget of a key is what Hoox said last (X-RateLimit-*, the lowest `remaining` of the window)
 * minus the requests in flight. A status read keeps a reserve (5 % of the limit) for calls that
 * cannot wait (a submit, a credential test); when nothing is left, the gate waits for the window
 * to reset instead of sending a request that Hoox would refuse.
 */
import { createHash } from 'node:crypto';

import { mergeRateLimitInfo } from './rateLimit';
import type { RateLimitInfo } from './types';

interface KeyBudget {
	info?: RateLimitInfo;
	inFlight: number;
}

/** Keys remembered at most (oldest forgotten first); one n8n rarely uses more than a few. */
const MAX_KEYS = 500;
/** Added to a reset time: Hoox's window turns on whole seconds. */
const RESET_MARGIN_MS = 250;

const budgets = new Map<string, KeyBudget>();

/** The budget's name for a key: a hash, so the key itself is never kept. */
export function budgetKey(baseUrl: string, apiKey: string): string {
	return createHash('sha256').update(`${baseUrl}\n${apiKey}`, 'utf8').digest('hex').slice(0, 32);
}

function entry(key: string): KeyBudget {
	let found = budgets.get(key);
	if (!found) {
		if (budgets.size >= MAX_KEYS) budgets.delete(budgets.keys().next().value as string);
		found = { inFlight: 0 };
		budgets.set(key, found);
	}
	return found;
}

/** Requests of a window kept back from status reads, for calls that cannot wait. */
export function reserveFor(limit: number | undefined): number {
	return limit === undefined ? 1 : Math.max(1, Math.ceil(limit * 0.05));
}

/**
 * What is left of the key's window now, requests in flight subtracted (`remaining`), or undefined
 * when Hoox sent no rate-limit headers yet. A window whose reset time passed counts as full.
 */
export function currentBudget(key: string, now = Date.now()): RateLimitInfo | undefined {
	const found = budgets.get(key);
	const info = found?.info;
	if (!found || !info) return undefined;
	const fresh = info.resetAt !== undefined && info.resetAt <= now;
	const base = fresh ? info.limit : info.remaining;
	const out: RateLimitInfo = { ...info };
	if (fresh) delete out.resetAt;
	if (base !== undefined) out.remaining = Math.max(0, base - found.inFlight);
	return out;
}

/**
 * Takes one request of the key's budget, or says how long to wait for the window to reset.
 * `keepReserve`: status reads leave the reserve to others.
 */
export function acquire(
	key: string,
	keepReserve: boolean,
	now = Date.now(),
): { granted: true } | { granted: false; waitMs: number } {
	const budget = currentBudget(key, now);
	const reserve = keepReserve ? reserveFor(budget?.limit) : 0;
	if (budget?.remaining === undefined || budget.remaining - reserve >= 1) {
		entry(key).inFlight++;
		return { granted: true };
	}
	const resetAt = budget.resetAt ?? now + 60_000;
	return { granted: false, waitMs: Math.max(0, resetAt - now) + RESET_MARGIN_MS };
}

/** Takes one request whatever the budget says (the wait for the window would be too long). */
export function take(key: string): void {
	entry(key).inFlight++;
}

/** A request that acquired the budget was answered (with these headers) or failed. */
export function release(key: string, info: RateLimitInfo | undefined): void {
	const found = entry(key);
	found.inFlight = Math.max(0, found.inFlight - 1);
	if (!info || (info.limit === undefined && info.remaining === undefined)) return;
	// Without a reset time windows cannot be told apart: the latest answer wins.
	found.info =
		info.resetAt === undefined ? { ...info } : (mergeRateLimitInfo(found.info, info) ?? found.info);
}

/** Forgets every budget (tests). */
export function resetBudgets(): void {
	budgets.clear();
}
