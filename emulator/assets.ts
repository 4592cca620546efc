/**
 * Assets and credits: creation (debit up front), the timed lifecycle
 * pending → generating → completed | failed, refunds of failed assets, the ledger,
 * and the webhook sent when an asset reaches its terminal state (SPEC §4.4, §4.5, §6, §7.6).
 */
import { randomBytes } from 'node:crypto';
import { round2 } from './pricing';
import type { StartPlan } from './validation';
import type { AssetRecord, LedgerEntry, WebhookPayload } from './types';
import type { WebhookDispatcher } from './webhooks';

/** Per-request test knobs, sent as `x_emulator` in the `/asset/start` body. */
export interface Knobs {
	/** ms generating before the terminal state (overrides per-model/per-type durations). */
	duration_ms?: number;
	/** ms in 'pending' before 'generating'. */
	pending_ms?: number;
	outcome?: 'completed' | 'failed';
	/** Error of failed assets (default GENERATION_FAILED). */
	error?: { code: string; message: string };
	/** Send every webhook twice (two separate deliveries of the same payload). */
	webhook_twice?: boolean;
	/** Finish the assets at once and deliver their webhooks before the 201 answer is written. */
	webhook_before_response?: boolean;
	/** Serve `largeMediaBytes` for these assets' media. */
	large_media?: boolean;
}

export const KNOB_NAMES = [
	'duration_ms',
	'pending_ms',
	'outcome',
	'error',
	'webhook_twice',
	'webhook_before_response',
	'large_media',
];

export const DEFAULT_FAILURE = {
	code: 'GENERATION_FAILED',
	message: 'The provider could not generate this asset (emulated failure)',
};

export interface AssetStoreOptions {
	initialBalance: number;
	durations: { image: number; video: number; pending: number };
	/** http://127.0.0.1:PORT — media URLs point back at the emulator. */
	origin: () => string;
	webhooks: WebhookDispatcher;
	log?: (line: string) => void;
}

export function newId(): string {
	const b = randomBytes(12);
	b.writeUInt32BE(Math.floor(Date.now() / 1000), 0); // ObjectId-like: time prefix, random tail
	return b.toString('hex');
}

const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));

/** Pixel size from aspect ratio and resolution ('720p' = short side, '2K' = long side for images). */
export function dimensions(
	type: string,
	aspectRatio?: string,
	resolution?: string,
): { width: number; height: number } {
	let a = type === 'video' ? 9 : 1;
	let b = type === 'video' ? 16 : 1;
	const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspectRatio ?? '');
	if (m && Number(m[1]) > 0 && Number(m[2]) > 0) {
		a = Number(m[1]);
		b = Number(m[2]);
	}
	let short: number | undefined;
	let long: number | undefined;
	const p = /^(\d+)p$/i.exec(resolution ?? '');
	const k = /^(\d+)k$/i.exec(resolution ?? '');
	if (p) short = Number(p[1]);
	else if (k && type === 'video') short = Number(k[1]) >= 4 ? 2160 : Number(k[1]) * 540;
	else if (k) long = Number(k[1]) * 1024;
	else if (type === 'video') short = 1080;
	else long = 1024;
	const landscape = a >= b;
	if (short !== undefined) {
		return landscape
			? { width: even((short * a) / b), height: even(short) }
			: { width: even(short), height: even((short * b) / a) };
	}
	const l = long as number;
	return landscape
		? { width: even(l), height: even((l * b) / a) }
		: { width: even((l * a) / b), height: even(l) };
}

export class AssetStore {
	private readonly assets = new Map<string, AssetRecord>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private readonly plannedErrors = new Map<string, { code: string; message: string }>();
	private readonly knobsOf = new Map<string, Knobs>();
	private readonly entries: LedgerEntry[] = [];
	private failQueue: { code: string; message: string }[] = [];
	private credits: number;
	private typeDurations: { image: number; video: number; pending: number };
	private readonly modelDurations = new Map<string, number>();
	/** Bumped by reset(): late work of an older epoch is abandoned. */
	private epoch = 0;

	constructor(private readonly opts: AssetStoreOptions) {
		this.credits = opts.initialBalance;
		this.typeDurations = { ...opts.durations };
	}

	/* ------------------------------------ credits ------------------------------------ */

	balance(): number {
		return this.credits;
	}

	setBalance(credits: number): void {
		if (typeof credits !== 'number' || !Number.isFinite(credits) || credits < 0)
			throw new Error('balance must be a number ≥ 0');
		this.credits = round2(credits);
		this.entries.push({
			kind: 'set',
			amount: this.credits,
			balance: this.credits,
			asset_ids: [],
			time: new Date().toISOString(),
		});
	}

	ledger(): LedgerEntry[] {
		return this.entries.map((e) => ({ ...e, asset_ids: [...e.asset_ids] }));
	}

	/* ------------------------------------ controls ----------------------------------- */

	failNext(n = 1, error?: { code: string; message: string }): void {
		for (let i = 0; i < n; i++) this.failQueue.push(error ?? DEFAULT_FAILURE);
	}

	setDuration(d: { image?: number; video?: number; model?: string; ms?: number }): void {
		const check = (v: unknown): number => {
			if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
				throw new Error('durations must be numbers ≥ 0 (ms)');
			return v;
		};
		if (d.model) {
			const ms = d.ms ?? d.video ?? d.image;
			if (ms === undefined) throw new Error('setDuration({ model }) needs ms');
			this.modelDurations.set(d.model, check(ms));
			return;
		}
		if (d.image !== undefined) this.typeDurations.image = check(d.image);
		if (d.video !== undefined) this.typeDurations.video = check(d.video);
		if (d.ms !== undefined) {
			this.typeDurations.image = check(d.ms);
			this.typeDurations.video = check(d.ms);
		}
	}

	setOutcome(
		assetId: string,
		outcome: 'completed' | 'failed',
		error?: { code: string; message: string },
	): void {
		const a = this.assets.get(assetId);
		if (!a) throw new Error(`unknown asset ${assetId}`);
		if (a.status === 'completed' || a.status === 'failed')
			throw new Error(`asset ${assetId} is already ${a.status}`);
		if (outcome !== 'completed' && outcome !== 'failed')
			throw new Error("outcome must be 'completed' or 'failed'");
		a.planned_outcome = outcome;
		if (outcome === 'failed')
			this.plannedErrors.set(assetId, error ?? this.plannedErrors.get(assetId) ?? DEFAULT_FAILURE);
	}

	/* ------------------------------------- assets ------------------------------------ */

	get(id: string): AssetRecord | undefined {
		const a = this.assets.get(id);
		return a ? (JSON.parse(JSON.stringify(a)) as AssetRecord) : undefined;
	}

	/**
	 * Creates plan.generationCount assets, debits plan.totalCost and schedules their lifecycle.
	 * `beforeResponse` settles once the webhooks of `webhook_before_response` assets have been answered.
	 */
	create(plan: StartPlan, knobs: Knobs): { ids: string[]; beforeResponse: Promise<void> } {
		const now = new Date().toISOString();
		const ids: string[] = [];
		const { width, height } = dimensions(plan.type, plan.aspectRatio, plan.resolution);
		for (let i = 0; i < plan.generationCount; i++) {
			const id = newId();
			const queued = this.failQueue.shift();
			const failed = knobs.outcome === 'failed' || queued !== undefined;
			const record: AssetRecord = {
				asset_id: id,
				status: 'pending',
				type: plan.type,
				model: plan.model.name,
				cost: plan.costPerGeneration,
				refunded: false,
				created_at: now,
				generation_params: JSON.parse(JSON.stringify(plan.generationParams)) as Record<
					string,
					unknown
				>,
				width,
				height,
				large_media: knobs.large_media === true,
				planned_outcome: failed ? 'failed' : 'completed',
			};
			if (knobs.outcome === 'completed' && queued === undefined)
				record.planned_outcome = 'completed';
			if (plan.type === 'video')
				record.duration_seconds = plan.duration ?? plan.rules.duration.default ?? 5;
			if (plan.webhookUrl) record.webhook_url = plan.webhookUrl;
			if (plan.folderId) record.folder_id = plan.folderId;
			if (plan.parentMediaId) record.parent_media_id = plan.parentMediaId;
			if (failed) this.plannedErrors.set(id, queued ?? knobs.error ?? DEFAULT_FAILURE);
			this.assets.set(id, record);
			this.knobsOf.set(id, knobs);
			ids.push(id);
		}
		this.credits = round2(this.credits - plan.totalCost);
		this.entries.push({
			kind: 'debit',
			amount: plan.totalCost,
			balance: this.credits,
			asset_ids: [...ids],
			time: now,
		});

		if (knobs.webhook_before_response) {
			const firsts: Promise<void>[] = [];
			for (const id of ids) firsts.push(...this.finish(id));
			return { ids, beforeResponse: Promise.all(firsts).then(() => undefined) };
		}
		for (const id of ids) this.schedule(id, plan.model.name, plan.type, knobs);
		return { ids, beforeResponse: Promise.resolve() };
	}

	/** Body of `GET /asset/status/{id}`. */
	statusView(id: string): Record<string, unknown> | undefined {
		const a = this.assets.get(id);
		if (!a) return undefined;
		const v: Record<string, unknown> = { asset_id: a.asset_id, status: a.status, type: a.type };
		if (a.status === 'completed') {
			v.url = a.url;
			if (a.thumbnail_url) v.thumbnail_url = a.thumbnail_url;
			v.width = a.width;
			v.height = a.height;
			if (a.duration_seconds !== undefined) v.duration_seconds = a.duration_seconds;
		}
		if (a.status !== 'failed') v.cost = a.cost;
		v.created_at = a.created_at;
		v.generation_params = a.generation_params;
		if (a.status === 'failed') v.error = a.error;
		return v;
	}

	reset(
		initialBalance: number,
		durations: { image: number; video: number; pending: number },
	): void {
		this.epoch++;
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
		this.assets.clear();
		this.plannedErrors.clear();
		this.knobsOf.clear();
		this.entries.length = 0;
		this.failQueue = [];
		this.credits = initialBalance;
		this.typeDurations = { ...durations };
		this.modelDurations.clear();
	}

	close(): void {
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
	}

	/* ------------------------------------ lifecycle ---------------------------------- */

	private schedule(id: string, model: string, type: string, knobs: Knobs): void {
		const generatingMs =
			knobs.duration_ms ??
			this.modelDurations.get(model) ??
			(type === 'video' ? this.typeDurations.video : this.typeDurations.image);
		const pendingMs = knobs.pending_ms ?? this.typeDurations.pending;
		const toTerminal = (): void => {
			this.timers.set(
				id,
				setTimeout(() => {
					this.timers.delete(id);
					this.finish(id);
				}, generatingMs),
			);
		};
		if (pendingMs > 0) {
			this.timers.set(
				id,
				setTimeout(() => {
					const a = this.assets.get(id);
					if (a && a.status === 'pending') a.status = 'generating';
					toTerminal();
				}, pendingMs),
			);
		} else {
			const a = this.assets.get(id);
			if (a) a.status = 'generating';
			toTerminal();
		}
	}

	/** Moves an asset to its terminal state and sends its webhook(s); returns the first-attempt promises. */
	private finish(id: string): Promise<void>[] {
		const a = this.assets.get(id);
		if (!a || a.status === 'completed' || a.status === 'failed') return [];
		const origin = this.opts.origin();
		a.finished_at = new Date().toISOString();
		if (a.planned_outcome === 'failed') {
			a.status = 'failed';
			a.error = this.plannedErrors.get(id) ?? DEFAULT_FAILURE;
			a.refunded = true;
			this.credits = round2(this.credits + a.cost);
			this.entries.push({
				kind: 'refund',
				amount: a.cost,
				balance: this.credits,
				asset_ids: [id],
				time: a.finished_at,
			});
		} else {
			a.status = 'completed';
			a.url = `${origin}/media/${id}.${a.type === 'video' ? 'mp4' : 'png'}`;
			if (a.type === 'video') a.thumbnail_url = `${origin}/media/${id}.thumb.png`;
		}
		this.opts.log?.(`asset ${id} ${a.status}`);
		if (!a.webhook_url) return [];
		const payload: WebhookPayload =
			a.status === 'completed'
				? {
						task: 'asset_generation',
						asset_id: id,
						status: 'completed',
						result: {
							asset_url: a.url as string,
							asset_type: a.type,
							width: a.width,
							height: a.height,
							...(a.duration_seconds !== undefined ? { duration_seconds: a.duration_seconds } : {}),
						},
					}
				: {
						task: 'asset_generation',
						asset_id: id,
						status: 'failed',
						error: a.error as { code: string; message: string },
					};
		const knobs = this.knobsOf.get(id) ?? {};
		const url = a.webhook_url;
		const first = this.opts.webhooks.send(url, payload, 1);
		if (!knobs.webhook_twice) return [first.first];
		// The duplicate goes out once the first copy is settled (delivered or dropped).
		const epoch = this.epoch;
		const second = first.done.then(() =>
			epoch === this.epoch ? this.opts.webhooks.send(url, payload, 2).first : undefined,
		);
		return [first.first, knobs.webhook_before_response ? second : Promise.resolve()];
	}
}
