/**
 * Generate → Options → Wait Mode "Resume on Webhook": submit with this execution's resume URL as
 * Hoox's `webhook_url`, park the execution with putExecutionToWait, and let Hoox's callbacks wake
 * it up (nodes/Hoox/webhook.ts) once every asset of every item is completed or failed.
 *
 * What n8n does around a waiting node (read in n8n 1.123.81 and 2.41.1, checked end to end in
 * test/e2e/resume.test.ts):
 * - The resume URL is `$execution.resumeUrl`: `<base>/webhook-waiting/<executionId>` on 1.x, the
 *   same plus `?signature=<resumeToken>` on 2.x (a call without it gets 401). Used exactly as given.
 * - A callback that arrives while the execution still runs gets 409 (Hoox retries after 1, 2, 4 s
 *   and then drops the event): hence one status round before parking, and a check of every asset
 *   on every callback instead of counting callbacks.
 * - webhook() gets no input items and the node's pre-wait output is gone by then, so the wait state
 *   (asset ids, their input item, the download option) is kept in the execution's custom data
 *   (`$execution.customData`, saved with the execution, shown in the executions list): at most 10
 *   keys per execution (shared with the user's own), values cut at 512 characters (n8n logs an
 *   error above 255, so we stay at 255) — room for about 80 assets. More than that: this run polls.
 * - When the wait limit passes, n8n continues WITHOUT running the node again: it passes on the data
 *   of the node's execution-stack entry (normally its input items). We put the "timed out" items
 *   there (one per asset, last known status, `wait_timed_out: true`), so that is what follows.
 *   After a resume by webhook, the node's output is whatever webhook() returned.
 * - Either way n8n re-pairs the node's output items with its input items BY POSITION (it rewrites
 *   `pairedItem` of every node it takes from the execution stack): right when each input item
 *   made one asset; with a generation count above 1, `source_item_index` is the reliable link.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	isTerminal,
	normalizeBaseUrl,
	type AssetStatus,
	type RetryPolicy,
} from '../../../shared/api';
import { waitForAssets } from '../../../shared/waiter';
import {
	finishAssets,
	isToolExecution,
	timedOutItem,
	withAssets,
	type TrackedAsset,
	type WaitSettings,
} from '../../helpers/assets';

/** The Wait Mode value of this mode (Options → Wait Mode). */
export const RESUME_WAIT_MODE = 'resume';

/** Custom-data key of the state's header; chunks of asset ids are `hoox_wait_1`, `hoox_wait_2`, … */
export const STATE_KEY = 'hoox_wait';
/** n8n keeps at most this many custom-data keys per execution (n8n-core KV_LIMIT). */
export const CUSTOM_DATA_KEY_LIMIT = 10;
/** n8n cuts values at 512 characters but logs an error for anything above 255: stay at 255. */
export const CUSTOM_DATA_VALUE_LIMIT = 255;
const STATE_VERSION = 1;
/** Asset ids we can store as they are (the separators below never occur in them). */
const STORABLE_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** Length of a Hoox asset id, for the capacity check before submitting. */
const TYPICAL_ID_LENGTH = 24;

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
	download?: boolean;
	binary?: string;
}

/** The custom-data methods (`$execution.customData`). */
export interface CustomDataApi {
	set(key: string, value: string): void;
	setAll(values: Record<string, string>): void;
	getAll(): Record<string, string>;
}

// ------------------------------------------------------------------ state encoding

/** Whether a custom-data key belongs to the wait state. */
export function isStateKey(key: string): boolean {
	return key === STATE_KEY || /^hoox_wait_\d+$/.test(key);
}

/**
 * Encodes the state as custom-data entries: a JSON header and chunks `item:id,id;item:id` of at
 * most 255 characters each, using at most `maxKeys` keys. Undefined when it does not fit or an id
 * cannot be stored as it is.
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
	const chunks: string[] = [];
	let current = '';
	let currentItem = -1;
	for (const asset of state.assets) {
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

	const header: StateHeader = {
		v: STATE_VERSION,
		node: state.nodeId,
		chunks: chunks.length,
		assets: state.assets.length,
	};
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

/** Reads the state back from all custom data; undefined when there is none or it is damaged. */
export function decodeWaitState(all: Record<string, unknown> | undefined): WaitState | undefined {
	const headerText = all?.[STATE_KEY];
	if (typeof headerText !== 'string') return undefined;
	let header: StateHeader;
	try {
		header = JSON.parse(headerText) as StateHeader;
	} catch {
		return undefined;
	}
	if (
		header?.v !== STATE_VERSION ||
		typeof header.node !== 'string' ||
		!Number.isInteger(header.chunks)
	)
		return undefined;
	const assets: WaitingAsset[] = [];
	for (let index = 1; index <= header.chunks; index++) {
		const chunk = all?.[`${STATE_KEY}_${index}`];
		if (typeof chunk !== 'string' || !chunk) return undefined;
		for (const group of chunk.split(';')) {
			const match = /^(\d+):(.+)$/.exec(group);
			if (!match) return undefined;
			for (const assetId of match[2].split(',')) {
				if (!STORABLE_ID.test(assetId)) return undefined;
				assets.push({ assetId, itemIndex: Number(match[1]) });
			}
		}
	}
	if (assets.length !== header.assets || assets.length === 0) return undefined;
	return {
		nodeId: header.node,
		download: header.download === true,
		binaryProperty: typeof header.binary === 'string' && header.binary ? header.binary : 'data',
		assets,
	};
}

/** Keys free for the state: the limit minus the user's own keys (ours are overwritten). */
export function freeStateKeys(all: Record<string, unknown>): number {
	return CUSTOM_DATA_KEY_LIMIT - Object.keys(all).filter((key) => !isStateKey(key)).length;
}

// ------------------------------------------------------------------ custom data access

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

// ------------------------------------------------------------------ execute() side

/**
 * Whether this run of Generate waits by webhook: the mode is chosen, the node waits for completion,
 * and it does not run as an AI-agent tool (a tool call must answer, so it polls within its budget).
 */
export function usesResumeMode(
	ctx: IExecuteFunctions,
	settings: Pick<WaitSettings, 'waitMode'>,
): boolean {
	if (settings.waitMode !== RESUME_WAIT_MODE) return false;
	if (isToolExecution(ctx)) {
		ctx.logger?.debug(
			'Hoox: Wait Mode "Resume on Webhook" is not used as an AI-agent tool; polling instead',
		);
		return false;
	}
	return true;
}

/** `$execution.resumeUrl`, exactly as n8n gives it (2.x: with its `?signature=`). */
export function resumeUrlOf(ctx: IExecuteFunctions, itemIndex = 0): string {
	const url = ctx.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex);
	if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] Options → Wait Mode: n8n gave no resume URL for this execution`,
			{
				itemIndex,
				description: 'Resume on Webhook needs a resume URL from n8n. Set Wait Mode to "Poll" here.',
			},
		);
	}
	return url;
}

/**
 * Generate's side of the mode before anything is submitted: puts the resume URL into each item's
 * /asset/start body (`apply`), and drops back to polling for the whole run, before any submit,
 * when the asset ids could not be kept in the execution's custom data.
 */
export class ResumePlan {
	/** False once the plan fell back to polling. */
	active = true;
	readonly resumeUrl: string;
	private readonly ctx: IExecuteFunctions;
	private readonly settings: WaitSettings;
	private readonly bodies: IDataObject[] = [];
	private readonly plannedItems: number[] = [];

	constructor(ctx: IExecuteFunctions, settings: WaitSettings, resumeUrl: string) {
		this.ctx = ctx;
		this.settings = settings;
		this.resumeUrl = resumeUrl;
	}

	/**
	 * One item's body: sets `webhook_url` to the resume URL. A webhook URL the user set (Additional
	 * Fields or the JSON body fields) cannot be combined with this mode: Hoox calls one URL per asset.
	 */
	apply(body: IDataObject, itemIndex: number): void {
		const given = body.webhook_url;
		if (
			given !== undefined &&
			given !== null &&
			String(given).trim() !== '' &&
			given !== this.resumeUrl
		) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`[item ${itemIndex}] Additional Fields → Webhook URL cannot be combined with Options → Wait Mode "Resume on Webhook"`,
				{
					itemIndex,
					description:
						"In this mode Hoox calls this execution's resume URL when each asset is done, and Hoox takes one webhook URL per asset. " +
						'Remove the Webhook URL (also from Additional Body Fields), or set Wait Mode to "Poll".',
				},
			);
		}
		if (!this.active) return;
		const count = Math.max(1, Math.floor(Number(body.generation_count ?? 1)) || 1);
		const items = [...this.plannedItems, ...Array.from({ length: count }, () => itemIndex)];
		if (!fitsInCustomData(this.ctx, items, this.settings)) {
			this.fallBack(
				`about ${items.length} assets would not fit in the execution's custom data (the limit is about ${maxWaitingAssets()} per execution, fewer when the workflow sets custom data itself)`,
			);
			return;
		}
		this.plannedItems.push(...items.slice(this.plannedItems.length));
		body.webhook_url = this.resumeUrl;
		this.bodies.push(body);
	}

	/** Drops back to polling for the whole run (before any submit), and says so in the log. */
	fallBack(reason: string): void {
		if (!this.active) return;
		this.active = false;
		for (const body of this.bodies) delete body.webhook_url;
		this.ctx.logger?.info(
			`Hoox: Wait Mode "Resume on Webhook" falls back to polling for this run: ${reason}`,
		);
	}
}

/**
 * The plan for this run of Generate, or undefined when it polls (Wait Mode "Poll", Wait for
 * Completion off, or an AI-agent tool call).
 */
export async function planResume(
	ctx: IExecuteFunctions,
	settings: WaitSettings,
): Promise<ResumePlan | undefined> {
	if (!usesResumeMode(ctx, settings)) return undefined;
	const fallBack = (reason: string) => {
		ctx.logger?.info(
			`Hoox: Wait Mode "Resume on Webhook" falls back to polling for this run: ${reason}`,
		);
		return undefined;
	};
	if (!executeCustomData(ctx)) {
		return fallBack(
			"this n8n gives nodes no access to the execution's custom data, where the wait state is kept",
		);
	}
	const resumeUrl = resumeUrlOf(ctx);
	const hooxHost = await hooxHostname(ctx);
	if (isLocalHost(hostnameOf(resumeUrl)) && hooxHost !== undefined && !isLocalHost(hooxHost)) {
		return fallBack(
			`Hoox cannot reach this execution's resume URL (${stripQuery(resumeUrl)}): ` +
				"set n8n's WEBHOOK_URL to an address reachable from the internet",
		);
	}
	return new ResumePlan(ctx, settings, resumeUrl);
}

function hostnameOf(url: string): string {
	try {
		return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
	} catch {
		return '';
	}
}

function stripQuery(url: string): string {
	return url.split('?')[0];
}

async function hooxHostname(ctx: IExecuteFunctions): Promise<string | undefined> {
	try {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		return hostnameOf(normalizeBaseUrl(credentials.baseUrl as string | undefined));
	} catch {
		return undefined;
	}
}

/**
 * Loopback, private, link-local and `.local` hosts: not reachable from Hoox's servers (n8n's
 * resume URL is `http://localhost:5678/…` unless WEBHOOK_URL is set). When the Hoox base URL is
 * such a host too (a local Hoox or the emulator), the resume URL is fine.
 */
export function isLocalHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === '' || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local'))
		return true;
	if (host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host))
		return true;
	const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host.replace(/^::ffff:/, ''));
	if (!v4) return false;
	const [a, b] = [Number(v4[1]), Number(v4[2])];
	return (
		a === 127 ||
		a === 10 ||
		a === 0 ||
		(a === 192 && b === 168) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 169 && b === 254)
	);
}

/**
 * Generate's wait in the mode it settled before submitting: 'resume' parks (finishByResume),
 * 'poll' and 'none' are finishAssets'. `otherItems`: error items already in the output (Continue
 * On Fail).
 */
export async function finishGenerate(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	settings: WaitSettings,
	abortSignal: AbortSignal | undefined,
	continueOnFail: boolean,
	otherItems = 0,
): Promise<INodeExecutionData[]> {
	if (settings.waitMode === RESUME_WAIT_MODE) {
		return await finishByResume(ctx, assets, settings, abortSignal, continueOnFail, otherItems);
	}
	return await finishAssets(ctx, assets, settings, abortSignal, continueOnFail);
}

/** Whether assets of these input items (24-character ids, as Hoox's) fit in the custom data. */
function fitsInCustomData(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	settings: WaitSettings,
): boolean {
	let existing: Record<string, unknown> = {};
	try {
		existing = executeCustomData(ctx)?.getAll() ?? {};
	} catch {
		return false;
	}
	const assets = itemIndexes.map((itemIndex, n) => ({
		assetId: String(n).padStart(TYPICAL_ID_LENGTH, '0'),
		itemIndex,
	}));
	const state = {
		nodeId: ctx.getNode().id,
		download: settings.download,
		binaryProperty: settings.binaryProperty,
		assets,
	};
	return encodeWaitState(state, freeStateKeys(existing)) !== undefined;
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

/**
 * One status round for these assets, no pause, bounded in time: every one read once, or with
 * `pollEveryAsset: false` in order until the first one still running (one request while they run).
 */
export async function pollOnce(
	ctx: IExecuteFunctions | IWebhookFunctions,
	assetIds: string[],
	options: {
		abortSignal?: AbortSignal;
		itemIndexOf?: (assetId: string) => number | undefined;
		retry?: Partial<RetryPolicy>;
		/** Upper bound for the round, rate-limit waits included (default 15 s). */
		timeoutMs?: number;
		/** Default true. */
		pollEveryAsset?: boolean;
	} = {},
): Promise<{ statuses: Map<string, AssetStatus>; errors: Record<string, string> }> {
	const statuses = new Map<string, AssetStatus>();
	if (assetIds.length === 0) return { statuses, errors: {} };
	const result = await waitForAssets(ctx, assetIds, {
		timeoutMs: options.timeoutMs ?? 15_000,
		maxRounds: 1,
		pollEveryAsset: options.pollEveryAsset ?? true,
		abortSignal: options.abortSignal,
		itemIndexOf: options.itemIndexOf,
		retry: options.retry,
	});
	for (const status of result.assets) if (status?.asset_id) statuses.set(status.asset_id, status);
	return { statuses, errors: result.lastPollErrors ?? {} };
}

/**
 * Generate's wait in "Resume on Webhook" mode, after every item was submitted with the resume URL:
 * one status round; everything done → the same output as polling, no parking; otherwise save the
 * state, park until the wait limit, and return the "timed out" items.
 *
 * Generate decided before submitting that this run parks (validation errors, capacity and
 * reachability were checked then). What can still only be known now makes it poll (and say so in
 * the log): an item whose submit failed (Continue On Fail; its error item would be lost by the
 * resume), or custom data that does not keep the state.
 */
export async function finishByResume(
	ctx: IExecuteFunctions,
	assets: TrackedAsset[],
	settings: WaitSettings,
	abortSignal: AbortSignal | undefined,
	continueOnFail: boolean,
	otherItems = 0,
): Promise<INodeExecutionData[]> {
	if (assets.length === 0) return [];
	const poll = (reason: string) => {
		ctx.logger?.info(
			`Hoox: Wait Mode "Resume on Webhook" falls back to polling for this run: ${reason}`,
		);
		return finishAssets(
			ctx,
			assets,
			{ ...settings, waitMode: 'poll' },
			abortSignal,
			continueOnFail,
		);
	};
	if (otherItems > 0) {
		return await poll(
			`${otherItems} item(s) could not be submitted, and a resumed execution would lose their error items`,
		);
	}

	// 1. One status round: fast images, and callbacks n8n answered with 409 because we were running.
	// In submit order, ending at the first asset still running (then we park anyway): one request
	// while the batch generates.
	const itemOf = new Map(assets.map((a) => [a.assetId, a.itemIndex]));
	let polled: Awaited<ReturnType<typeof pollOnce>>;
	try {
		polled = await pollOnce(
			ctx,
			assets.filter((a) => !isTerminal(a.status)).map((a) => a.assetId),
			{ abortSignal, itemIndexOf: (id) => itemOf.get(id), pollEveryAsset: false },
		);
	} catch (error) {
		const statuses = new Map(assets.map((a) => [a.assetId, a.status as AssetStatus]));
		throw withAssets(
			ctx,
			error,
			assets[0].itemIndex,
			assets,
			statuses,
			'Checking the Hoox assets before waiting failed',
		);
	}
	const current: TrackedAsset[] = assets.map((a) => {
		const status = polled.statuses.get(a.assetId);
		return status && status.status !== 'unknown' ? { ...a, status } : a;
	});
	if (current.every((a) => isTerminal(a.status))) {
		ctx.logger?.debug(
			`Hoox: all ${current.length} asset(s) finished before the execution was parked`,
		);
		return await finishAssets(
			ctx,
			current,
			{ ...settings, waitMode: 'none' },
			abortSignal,
			continueOnFail,
		);
	}

	// 2. The state webhook() reads after the restart.
	const custom = executeCustomData(ctx);
	if (!custom)
		return await poll("this n8n version gives nodes no access to the execution's custom data");
	const saved = saveWaitState(custom, {
		nodeId: ctx.getNode().id,
		download: settings.download,
		binaryProperty: settings.binaryProperty,
		assets: current.map((a) => ({ assetId: a.assetId, itemIndex: a.itemIndex })),
	});
	if (!saved.saved) return await poll(saved.reason);

	let timedOut: INodeExecutionData[];
	const waitTill = new Date(Date.now() + settings.timeoutMs);
	try {
		// 3. What follows if the wait limit passes: n8n passes on the stack entry's data unchanged.
		timedOut = current.map((a) =>
			timedOutItem(
				a,
				(a.status ?? { asset_id: a.assetId, status: 'unknown' }) as AssetStatus,
				settings.timeoutMs,
			),
		);
		const entry = typeof ctx.getExecuteData === 'function' ? ctx.getExecuteData() : undefined;
		if (entry && typeof entry === 'object') {
			entry.data = {
				...(entry.data ?? {}),
				main: [timedOut.map((item) => JSON.parse(JSON.stringify(item)) as INodeExecutionData)],
			};
		}
		await ctx.putExecutionToWait(waitTill);
	} catch (error) {
		const statuses = new Map(current.map((a) => [a.assetId, a.status as AssetStatus]));
		throw withAssets(
			ctx,
			error,
			current[0].itemIndex,
			current,
			statuses,
			'Parking the execution to wait for the Hoox assets failed',
		);
	}
	const open = current.filter((a) => !isTerminal(a.status)).length;
	ctx.logger?.info(
		`Hoox: execution ${ctx.getExecutionId()} waits for ${open} of ${current.length} asset(s) until ${waitTill.toISOString()}; ` +
			`Hoox's callbacks resume it. Assets: ${current.map((a) => a.assetId).join(', ')}`,
	);
	return timedOut;
}

// ------------------------------------------------------------------ description

/** Options → Wait Mode (Generate only). */
export const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description:
				'The node checks the status of the assets until all are done; the execution runs the whole time',
		},
		{
			name: 'Resume on Webhook (Frees the Worker While Waiting)',
			value: RESUME_WAIT_MODE,
			description:
				"Hoox calls this execution's resume URL when each asset is done; the execution waits without running and resumes when all are done",
		},
	],
	default: 'poll',
	description:
		"How to wait when Wait for Completion is on. Resume on Webhook needs an n8n that Hoox can reach from the internet (set WEBHOOK_URL; with a local address the node polls instead); it can't be combined with a Webhook URL of your own, keeps up to about 80 asset IDs per execution (in the execution's custom data) and polls instead when there are more or when the node runs as an AI-agent tool. If the Wait Timeout passes first, the workflow continues with one item per asset carrying its last status and wait_timed_out: true; failed assets come out as items with status failed. After a resume n8n pairs the output items with the input items by position, which is right only when each input item made one asset: with a Generation Count above 1, source_item_index names an asset's input item. (Asset → Wait for Completion always polls: Hoox calls the webhook URL given when an asset was submitted, which can't be changed afterwards.)",
};
