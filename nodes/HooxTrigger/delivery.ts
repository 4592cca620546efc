/**
 * What the Hoox Trigger decides about one webhook delivery, before any HTTP call: is the caller
 * allowed (secret token), is the body a Hoox asset event, is it one of the events the user wants,
 * and has it been seen already (Hoox retries; duplicates are collapsed with bounded state).
 *
 * Pure functions (no n8n context), so the node's webhook() stays short and each rule is testable.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import type { HooxEventPayload } from '../shared/assets';
import { ExpiringSet } from '../shared/util/expiringSet';

/** Query parameter and header that carry the secret token. */
export const TOKEN_QUERY_PARAMETER = 'token';
export const TOKEN_HEADER = 'x-hoox-token';

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** Compares the presented token with the configured one in constant time (hashes first, so the
 * lengths are equal and the length of the secret does not leak either). */
export function checkToken(expected: string, presented: string | undefined): TokenCheck {
	if (presented === undefined || presented === '') {
		return {
			ok: false,
			status: 401,
			message: `Missing token: add ?${TOKEN_QUERY_PARAMETER}=<Secret Token> to the webhook URL given to Hoox`,
		};
	}
	const a = createHash('sha256').update(expected, 'utf8').digest();
	const b = createHash('sha256').update(presented, 'utf8').digest();
	if (!timingSafeEqual(a, b)) return { ok: false, status: 403, message: 'Invalid token' };
	return { ok: true };
}

/** The token a delivery presents: `?token=` in the URL, else the `X-Hoox-Token` header. */
export function presentedToken(query: IDataObject, headers: IDataObject): string | undefined {
	const fromQuery = firstString(query?.[TOKEN_QUERY_PARAMETER]);
	if (fromQuery !== undefined && fromQuery !== '') return fromQuery;
	const headerKey = Object.keys(headers ?? {}).find((key) => key.toLowerCase() === TOKEN_HEADER);
	return headerKey === undefined ? undefined : firstString(headers[headerKey]);
}

function firstString(value: unknown): string | undefined {
	if (Array.isArray(value)) return firstString(value[0]);
	return typeof value === 'string' ? value : undefined;
}

/** "veo-3.1, Kling-V3-Pro ," → ['veo-3.1', 'kling-v3-pro'] (models compare case-insensitively). */
export function parseModelList(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	return value
		.split(/[,\n]/)
		.map((part) => part.trim().toLowerCase())
		.filter((part) => part !== '');
}

// ---------------------------------------------------------------------------------------------
// Duplicate deliveries

/** How many delivery keys are remembered, and for how long. */
export const DEDUPE_MAX_ENTRIES = 500;
export const DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;

/** Key under which the trigger keeps its state in getWorkflowStaticData('node'). */
export const SEEN_KEY = 'seenDeliveries';

export function deliveryKey(payload: HooxEventPayload): string {
	return `${payload.asset_id}:${payload.status}`;
}

/** Key → time first seen (ms since epoch). */
export type SeenDeliveries = Record<string, number>;

/**
 * Records a delivery key. Returns whether it was already known, and the new state (pruned to the
 * newest `max` keys not older than `ttlMs`). The state object is replaced, never mutated, so n8n
 * notices the change and persists it.
 */
export function rememberDelivery(
	state: unknown,
	key: string,
	now: number,
	limits: { max?: number; ttlMs?: number } = {},
): { duplicate: boolean; state: SeenDeliveries } {
	const max = limits.max ?? DEDUPE_MAX_ENTRIES;
	const ttlMs = limits.ttlMs ?? DEDUPE_TTL_MS;
	const entries: Array<[string, number]> = [];
	if (state && typeof state === 'object' && !Array.isArray(state)) {
		for (const [k, v] of Object.entries(state as IDataObject)) {
			if (typeof v === 'number' && Number.isFinite(v) && now - v <= ttlMs) entries.push([k, v]);
		}
	}
	const duplicate = entries.some(([k]) => k === key);
	if (!duplicate) entries.push([key, now]);
	entries.sort((x, y) => x[1] - y[1]);
	const kept = entries.slice(Math.max(0, entries.length - max));
	return { duplicate, state: Object.fromEntries(kept) };
}

/**
 * Deliveries seen by this n8n process, per trigger node. n8n saves a webhook's static data only
 * once the execution it started has finished, so a copy arriving meanwhile would not find the
 * first one there; this memory closes that gap (within one n8n instance).
 */
const seenInProcess = new ExpiringSet(DEDUPE_TTL_MS, 20 * DEDUPE_MAX_ENTRIES);

/** Records a delivery key for one trigger node in process memory; returns whether it was known. */
export function rememberInProcess(nodeKey: string, key: string, now: number): boolean {
	return !seenInProcess.add(`${nodeKey}\n${key}`, now);
}

/** Forgets a delivery key that turned out not to be a confirmed event (Hoox may send it again). */
export function forgetInProcess(nodeKey: string, key: string): void {
	seenInProcess.delete(`${nodeKey}\n${key}`);
}

/** Whether the node's static data already records this delivery key. */
export function isRemembered(state: unknown, key: string): boolean {
	return (
		!!state &&
		typeof state === 'object' &&
		typeof (state as Record<string, unknown>)[key] === 'number'
	);
}
