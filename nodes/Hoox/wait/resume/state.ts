/**
 * The wait state of a parked execution, kept in its custom data (`$execution.customData`): the
 * only place webhook() can read it after the restart (see README.md for n8n's limits).
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/** Custom-data key of the state's header; chunks of asset ids are `hoox_wait_1`, `hoox_wait_2`, … */
export const STATE_KEY = 'hoox_wait';
/** n8n keeps at most this many custom-data keys per execution (n8n-core KV_LIMIT). */
export const CUSTOM_DATA_KEY_LIMIT = 10;
/** n8n cuts values at 512 characters but logs an error for anything above 255: stay at 255. */
export const CUSTOM_DATA_VALUE_LIMIT = 255;
/** v1: ids as they are, grouped by item; v2: Hoox ids packed, items implied by `per`. */
const STATE_VERSION = 1;
const PACKED_VERSION = 2;
/** Hoox's asset ids (24 hex digits), stored as 16 base64url characters in v2. */
const HOOX_ID = /^[0-9a-f]{24}$/;
const PACKED_ID_LENGTH = 16;
/** Asset ids we can store as they are (the separators below never occur in them). */
const STORABLE_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** Length of a Hoox asset id, for the capacity check before submitting. */
export const TYPICAL_ID_LENGTH = 24;

export interface WaitingAsset {
	assetId: string;
	itemIndex: number;
}

/** What webhook() needs after the restart. */
export interface WaitState {
	/** Id of the node that parked (a callback must reach the same node). */
	nodeId: string;
	download: boolean;
	binaryProperty: string;
	/** Every asset of the execution, in output order (by input item). */
	assets: WaitingAsset[];
}

interface StateHeader {
	v: number;
	node: string;
	chunks: number;
	assets: number;
	/** v2: assets per input item (items 0, 1, 2, … in order, the same count each). */
	per?: number;
	download?: boolean;
	binary?: string;
}

/** The custom-data methods (`$execution.customData`). */
export interface CustomDataApi {
	set(key: string, value: string): void;
	setAll(values: Record<string, string>): void;
	getAll(): Record<string, string>;
}

/** Whether a custom-data key belongs to the wait state. */
export function isStateKey(key: string): boolean {
	return key === STATE_KEY || /^hoox_wait_\d+$/.test(key);
}

/**
 * Encodes the state as custom-data entries: a JSON header and chunks of at most 255 characters,
 * using at most `maxKeys` keys. Hoox ids of items 0, 1, 2, … with the same number of assets each
 * (the usual case) are packed, 16 characters each (v2, about 130 assets in 10 keys); anything else
 * is stored as `item:id,id;item:id` (v1, about 80). Undefined when it does not fit or an id cannot
 * be stored as it is.
 */
export function encodeWaitState(
	state: WaitState,
	maxKeys: number,
): Record<string, string> | undefined {
	if (
		state.assets.some(
			(a) => !STORABLE_ID.test(a.assetId) || !Number.isInteger(a.itemIndex) || a.itemIndex < 0,
		)
	) {
		return undefined;
	}
	const per = uniformPerItem(state.assets);
	const packed = per !== undefined && state.assets.every((a) => HOOX_ID.test(a.assetId));
	const chunks = packed ? packedChunks(state.assets) : groupedChunks(state.assets);
	const header: StateHeader = {
		v: packed ? PACKED_VERSION : STATE_VERSION,
		node: state.nodeId,
		chunks: chunks.length,
		assets: state.assets.length,
	};
	if (packed) header.per = per;
	if (state.download) {
		header.download = true;
		header.binary = state.binaryProperty;
	}
	const headerText = JSON.stringify(header);
	if (headerText.length > CUSTOM_DATA_VALUE_LIMIT || chunks.length + 1 > maxKeys) return undefined;
	const out: Record<string, string> = { [STATE_KEY]: headerText };
	chunks.forEach((chunk, index) => {
		out[`${STATE_KEY}_${index + 1}`] = chunk;
	});
	return out;
}

/** Assets per item when the items are 0, 1, 2, … in order with the same count each. */
function uniformPerItem(assets: WaitingAsset[]): number | undefined {
	const per = assets.filter((a) => a.itemIndex === 0).length;
	if (per === 0 || assets.length % per !== 0) return undefined;
	return assets.every((a, k) => a.itemIndex === Math.floor(k / per)) ? per : undefined;
}

function packedChunks(assets: WaitingAsset[]): string[] {
	const perChunk = Math.floor(CUSTOM_DATA_VALUE_LIMIT / PACKED_ID_LENGTH);
	const chunks: string[] = [];
	for (let k = 0; k < assets.length; k += perChunk) {
		chunks.push(
			assets
				.slice(k, k + perChunk)
				.map((a) => Buffer.from(a.assetId, 'hex').toString('base64url'))
				.join(''),
		);
	}
	return chunks;
}

function groupedChunks(assets: WaitingAsset[]): string[] {
	const chunks: string[] = [];
	let current = '';
	let currentItem = -1;
	for (const asset of assets) {
		const continues = asset.itemIndex === currentItem && current !== '';
		const piece = continues
			? `,${asset.assetId}`
			: `${current ? ';' : ''}${asset.itemIndex}:${asset.assetId}`;
		if (current.length + piece.length <= CUSTOM_DATA_VALUE_LIMIT) {
			current += piece;
		} else {
			chunks.push(current);
			current = `${asset.itemIndex}:${asset.assetId}`;
		}
		currentItem = asset.itemIndex;
	}
	if (current) chunks.push(current);
	return chunks;
}

/** Reads the state back from all custom data; undefined when there is none or it is damaged. */
export function decodeWaitState(all: Record<string, unknown> | undefined): WaitState | undefined {
	const header = readHeader(all?.[STATE_KEY]);
	if (!header) return undefined;
	const chunks: string[] = [];
	for (let index = 1; index <= header.chunks; index++) {
		const chunk = all?.[`${STATE_KEY}_${index}`];
		if (typeof chunk !== 'string' || !chunk) return undefined;
		chunks.push(chunk);
	}
	const assets = header.v === PACKED_VERSION ? unpack(chunks, header.per) : ungroup(chunks);
	if (!assets || assets.length !== header.assets || assets.length === 0) return undefined;
	return {
		nodeId: header.node,
		download: header.download === true,
		binaryProperty: typeof header.binary === 'string' && header.binary ? header.binary : 'data',
		assets,
	};
}

function readHeader(text: unknown): StateHeader | undefined {
	if (typeof text !== 'string') return undefined;
	let header: StateHeader;
	try {
		header = JSON.parse(text) as StateHeader;
	} catch {
		return undefined;
	}
	const known = header?.v === STATE_VERSION || header?.v === PACKED_VERSION;
	if (!known || typeof header.node !== 'string' || !Number.isInteger(header.chunks))
		return undefined;
	return header;
}

function unpack(chunks: string[], per: number | undefined): WaitingAsset[] | undefined {
	if (!Number.isInteger(per) || (per as number) < 1) return undefined;
	const assets: WaitingAsset[] = [];
	for (const chunk of chunks) {
		if (chunk.length % PACKED_ID_LENGTH !== 0 || !/^[A-Za-z0-9_-]+$/.test(chunk)) return undefined;
		for (let at = 0; at < chunk.length; at += PACKED_ID_LENGTH) {
			const assetId = Buffer.from(chunk.slice(at, at + PACKED_ID_LENGTH), 'base64url').toString(
				'hex',
			);
			assets.push({ assetId, itemIndex: Math.floor(assets.length / (per as number)) });
		}
	}
	return assets;
}

function ungroup(chunks: string[]): WaitingAsset[] | undefined {
	const assets: WaitingAsset[] = [];
	for (const chunk of chunks) {
		for (const group of chunk.split(';')) {
			const match = /^(\d+):(.+)$/.exec(group);
			if (!match) return undefined;
			for (const assetId of match[2].split(',')) {
				if (!STORABLE_ID.test(assetId)) return undefined;
				assets.push({ assetId, itemIndex: Number(match[1]) });
			}
		}
	}
	return assets;
}

/** Keys free for the state: the limit minus the user's own keys (ours are overwritten). */
export function freeStateKeys(all: Record<string, unknown>): number {
	return CUSTOM_DATA_KEY_LIMIT - Object.keys(all).filter((key) => !isStateKey(key)).length;
}

function isCustomDataApi(value: unknown): value is CustomDataApi {
	const v = value as CustomDataApi | undefined;
	return (
		!!v &&
		typeof v.set === 'function' &&
		typeof v.setAll === 'function' &&
		typeof v.getAll === 'function'
	);
}

/**
 * The execution's custom data in execute(): `this.customData` (n8n 2.x) or
 * `$execution.customData` of the data proxy (n8n 1.x). Undefined when neither exists.
 */
export function executeCustomData(ctx: IExecuteFunctions): CustomDataApi | undefined {
	try {
		const direct = (ctx as { customData?: unknown }).customData;
		if (isCustomDataApi(direct)) return direct;
	} catch {
		// 2.x throws when the execution has no run data (not the case in a normal run)
	}
	try {
		const proxied = (
			ctx.getWorkflowDataProxy?.(0) as { $execution?: { customData?: unknown } } | undefined
		)?.$execution?.customData;
		if (isCustomDataApi(proxied)) return proxied;
	} catch {
		// no data proxy in this context
	}
	return undefined;
}

/** All custom data of the execution, in webhook(): `this.customData` (2.x) or an expression (1.x). */
export function webhookCustomData(ctx: IWebhookFunctions): Record<string, unknown> | undefined {
	try {
		const direct = (ctx as { customData?: unknown }).customData;
		if (isCustomDataApi(direct)) return direct.getAll();
	} catch {
		// fall through to the expression
	}
	try {
		// JSON text, so the value survives any expression engine (legacy or VM) unchanged.
		const text = ctx.evaluateExpression('{{ JSON.stringify($execution.customData.getAll()) }}', 0);
		if (typeof text === 'string' && text) return JSON.parse(text) as Record<string, unknown>;
		if (text && typeof text === 'object') return text as Record<string, unknown>;
	} catch {
		// no custom data here
	}
	return undefined;
}

/** Writes the state and reads it back (n8n silently drops keys over its limit). */
export function saveWaitState(
	custom: CustomDataApi,
	state: WaitState,
): { saved: true } | { saved: false; reason: string } {
	let existing: Record<string, unknown>;
	try {
		existing = custom.getAll() ?? {};
	} catch (error) {
		return {
			saved: false,
			reason: `the execution's custom data cannot be read (${(error as Error).message})`,
		};
	}
	const free = freeStateKeys(existing);
	const entries = encodeWaitState(state, free);
	if (!entries) {
		const badId = state.assets.find((a) => !STORABLE_ID.test(a.assetId));
		return {
			saved: false,
			reason: badId
				? `asset id "${badId.assetId}" cannot be stored`
				: `${state.assets.length} asset ids do not fit in the ${free} custom-data keys left to this execution`,
		};
	}
	try {
		custom.setAll(entries);
		const back = custom.getAll() ?? {};
		for (const [key, value] of Object.entries(entries)) {
			if (back[key] !== value)
				return { saved: false, reason: `custom-data key "${key}" was not kept` };
		}
	} catch (error) {
		return {
			saved: false,
			reason: `custom data could not be written (${(error as Error).message})`,
		};
	}
	return { saved: true };
}

/** How many assets the state can hold at most (for messages and docs): 24-character ids, one item. */
export function maxWaitingAssets(freeKeys = CUSTOM_DATA_KEY_LIMIT): number {
	let low = 0;
	let high = 2000;
	while (low < high) {
		const mid = Math.ceil((low + high) / 2);
		const assets = Array.from({ length: mid }, (_, n) => ({
			assetId: String(n).padStart(TYPICAL_ID_LENGTH, '0'),
			itemIndex: n,
		}));
		if (
			encodeWaitState(
				{
					nodeId: '00000000-0000-0000-0000-000000000000',
					download: false,
					binaryProperty: 'data',
					assets,
				},
				freeKeys,
			)
		) {
			low = mid;
		} else {
			high = mid - 1;
		}
	}
	return low;
}
