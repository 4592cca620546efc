/**
 * Reading a Hoox webhook body (the Trigger's deliveries and the node's resume callbacks alike).
 * A callback is only a wake-up call: a status read from the API decides, never its URL.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import type { AssetStatus } from '../api';
import { quoteUntrusted, shapeProblem } from '../util/untrusted';
import { isObject } from '../util/loose';
import { readError } from './item';

export const TERMINAL_STATUSES = ['completed', 'failed'] as const;
export type HooxEvent = (typeof TERMINAL_STATUSES)[number];

/** A delivery body that passed validation. */
export interface HooxEventPayload extends IDataObject {
	asset_id: string;
	status: HooxEvent;
}

/** Hoox ids are short (24 hex characters today); anything this long is not one. */
export const MAX_ASSET_ID_LENGTH = 256;
/** What an asset id may contain: it goes into a URL path and into log lines. */
const ASSET_ID_SHAPE = /^[A-Za-z0-9_-]+$/;

export type PayloadCheck = { ok: true; payload: HooxEventPayload } | { ok: false; message: string };

/**
 * Accepts a JSON object with a non-empty string `asset_id`, `status` completed|failed, and — when
 * present — `task: 'asset_generation'`. A string body that holds such a JSON object is accepted
 * too (a proxy may forward the body without a JSON content type).
 */
export function parsePayload(body: unknown): PayloadCheck {
	let value = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return { ok: false, message: 'The body is not JSON' };
		}
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { ok: false, message: 'The body must be a JSON object' };
	}
	const shape = shapeProblem(value);
	if (shape) return { ok: false, message: `The body cannot be read: ${shape}` };
	const data = value as IDataObject;
	if (data.task !== undefined && data.task !== 'asset_generation') {
		return {
			ok: false,
			message: `Unsupported task ${quoteUntrusted(data.task)}: this trigger handles asset_generation`,
		};
	}
	if (typeof data.asset_id !== 'string' || data.asset_id.trim() === '') {
		return { ok: false, message: 'The body has no asset_id' };
	}
	if (data.asset_id.length > MAX_ASSET_ID_LENGTH) {
		return { ok: false, message: `The asset_id is longer than ${MAX_ASSET_ID_LENGTH} characters` };
	}
	if (!ASSET_ID_SHAPE.test(data.asset_id)) {
		return { ok: false, message: 'The asset_id may only contain letters, digits, _ and -' };
	}
	if (!(TERMINAL_STATUSES as readonly unknown[]).includes(data.status)) {
		return {
			ok: false,
			message: `Unknown status ${quoteUntrusted(data.status ?? null, 32)}: expected completed or failed`,
		};
	}
	return { ok: true, payload: data as HooxEventPayload };
}

/**
 * Reads a Hoox webhook payload (`result.asset_url`, `asset_type`, …) as an AssetStatus.
 * Fields the status endpoint uses (`url`, `type`, `cost`, …) are accepted too, at the top level
 * or in `result`, since the asset payload is documented only loosely.
 */
export function statusFromWebhook(payload: IDataObject): AssetStatus {
	const result = isObject(payload.result) ? payload.result : {};
	const pick = (...values: unknown[]) =>
		values.find((value) => value !== undefined && value !== null);
	const status: AssetStatus = {
		asset_id: String(pick(payload.asset_id, result.asset_id) ?? ''),
		status: String(pick(payload.status, result.status) ?? 'unknown'),
	};
	const fields: Array<[string, unknown]> = [
		['type', pick(result.asset_type, result.type, payload.asset_type, payload.type)],
		['url', pick(result.asset_url, result.url, payload.asset_url, payload.url)],
		['thumbnail_url', pick(result.thumbnail_url, payload.thumbnail_url)],
		['width', pick(result.width, payload.width)],
		['height', pick(result.height, payload.height)],
		['duration_seconds', pick(result.duration_seconds, payload.duration_seconds)],
		['cost', pick(result.cost, payload.cost)],
		['created_at', pick(result.created_at, payload.created_at)],
		['generation_params', pick(result.generation_params, payload.generation_params)],
	];
	for (const [key, value] of fields)
		if (value !== undefined) status[key] = value as IDataObject[string];
	const error = readError(pick(payload.error, result.error));
	if (error) status.error = error;
	return status;
}

/**
 * The body of a Hoox callback as n8n received it: the parsed JSON, or — when n8n did not parse it
 * (e.g. sent as text/plain) — the raw text. Read the same way by the Hoox node and the Trigger.
 */
export function readCallbackBody(ctx: IWebhookFunctions): unknown {
	const body = ctx.getBodyData() as unknown;
	const isEmptyObject =
		body === undefined ||
		body === null ||
		(typeof body === 'object' && !Array.isArray(body) && Object.keys(body as object).length === 0);
	if (!isEmptyObject) return body;
	const raw = (ctx.getRequestObject() as { rawBody?: Buffer }).rawBody;
	return raw && raw.length > 0 ? raw.toString('utf8') : body;
}

/** The asset type a callback states (wherever statusFromWebhook finds it), lower case; if any. */
export function callbackAssetType(payload: IDataObject): string | undefined {
	const type = statusFromWebhook(payload).type;
	return typeof type === 'string' && type !== '' ? type.toLowerCase() : undefined;
}

/**
 * A callback's event and the asset's status read from Hoox, as one: the status's fields when it
 * reports the same state; when it lags behind (still generating, or another state), the event is
 * authoritative for its own fields (`lagging: true`).
 */
export function mergeEventWithStatus<T extends { status: string }>(
	event: T,
	status: T,
): { merged: T; lagging: boolean } {
	if (status.status === event.status) return { merged: { ...event, ...status }, lagging: false };
	return { merged: { ...status, ...event }, lagging: true };
}
