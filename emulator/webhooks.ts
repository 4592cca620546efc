/**
 * Webhook delivery (SPEC §6): one JSON POST per event, answered 2xx within the timeout or retried
 * after each of `retryDelaysMs` (default 1 s, 2 s, 4 s), then dropped. Every attempt is logged.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookDelivery, WebhookFanout, WebhookPayload } from './types';

export interface WebhookOptions {
	retryDelaysMs: number[];
	timeoutMs: number;
	log?: (line: string) => void;
	fanout?: WebhookFanout;
}

interface AttemptResult {
	status?: number;
	error?: string;
}

export class WebhookDispatcher {
	private readonly log: WebhookDelivery[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly inflight = new Set<ClientRequest>();
	/** Bumped by reset()/close(): retry chains of an older epoch stop. */
	private epoch = 0;

	private fanout: WebhookFanout | undefined;

	constructor(private readonly opts: WebhookOptions) {
		this.fanout = opts.fanout;
	}

	setFanout(fanout: WebhookFanout | undefined): void {
		this.fanout = fanout;
	}

	deliveries(): WebhookDelivery[] {
		return this.log.map((d) => ({
			...d,
			payload: JSON.parse(JSON.stringify(d.payload)) as WebhookPayload,
		}));
	}

	/**
	 * Sends `payload` to `url` (or, with a fan-out, to each of its targets at once) with retries.
	 * `first` settles when the first attempts have been answered (or failed); `done` when the event
	 * was delivered or dropped everywhere.
	 */
	send(
		url: string,
		payload: WebhookPayload,
		copy = 1,
	): { first: Promise<void>; done: Promise<void> } {
		const targets = this.fanout?.(url) ?? [url];
		if (targets.length === 1) return this.sendOne(targets[0], payload, copy);
		const sends = targets.map((target) => this.sendOne(target, payload, copy));
		return {
			first: Promise.all(sends.map((s) => s.first)).then(() => undefined),
			done: Promise.all(sends.map((s) => s.done)).then(() => undefined),
		};
	}

	private sendOne(
		url: string,
		payload: WebhookPayload,
		copy: number,
	): { first: Promise<void>; done: Promise<void> } {
		const epoch = this.epoch;
		let markFirst!: () => void;
		const first = new Promise<void>((resolve) => (markFirst = resolve));
		const done = (async () => {
			const maxAttempts = 1 + this.opts.retryDelaysMs.length;
			for (let attempt = 1; attempt <= maxAttempts; attempt++) {
				if (epoch !== this.epoch) break;
				const sentAt = Date.now();
				const time = new Date(sentAt).toISOString();
				const result = await this.post(url, payload);
				if (epoch !== this.epoch) break;
				const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
				const outcome: WebhookDelivery['outcome'] = ok
					? 'delivered'
					: attempt < maxAttempts
						? 'retrying'
						: 'dropped';
				const entry: WebhookDelivery = {
					asset_id: payload.asset_id,
					url,
					payload,
					attempt,
					copy,
					outcome,
					time,
					answer_ms: Date.now() - sentAt,
				};
				if (result.status !== undefined) entry.status = result.status;
				if (result.error !== undefined) entry.error = result.error;
				this.log.push(entry);
				this.opts.log?.(
					`webhook ${payload.asset_id} ${payload.status} attempt ${attempt} -> ${result.status ?? result.error} (${outcome})`,
				);
				if (attempt === 1) markFirst();
				if (ok) break;
				if (attempt < maxAttempts) await this.sleep(this.opts.retryDelaysMs[attempt - 1]);
			}
			markFirst();
		})();
		return { first, done };
	}

	/** Forget pending retries (deliveries already in flight finish unlogged) and clear the log. */
	reset(): void {
		this.epoch++;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.log.length = 0;
	}

	close(): void {
		this.reset();
		for (const r of this.inflight) r.destroy();
		this.inflight.clear();
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(
				() => {
					this.timers.delete(t);
					resolve();
				},
				Math.max(0, ms),
			);
			this.timers.add(t);
		});
	}

	private post(url: string, payload: WebhookPayload): Promise<AttemptResult> {
		return new Promise((resolve) => {
			let settled = false;
			const finish = (r: AttemptResult): void => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				this.inflight.delete(req);
				resolve(r);
			};
			const body = Buffer.from(JSON.stringify(payload));
			const target = new URL(url); // keeps the query string exactly as given
			const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
			const req = send(target, {
				method: 'POST',
				agent: false,
				headers: {
					'content-type': 'application/json',
					'content-length': String(body.length),
					'user-agent': 'hoox-emulator-webhooks/1',
				},
			});
			const timer = setTimeout(() => {
				finish({ error: 'timeout' });
				req.destroy();
			}, this.opts.timeoutMs);
			this.inflight.add(req);
			req.on('response', (res) => {
				res.resume();
				finish({ status: res.statusCode ?? 0 });
			});
			req.on('error', (err: NodeJS.ErrnoException) => finish({ error: err.code ?? err.message }));
			req.end(body);
		});
	}
}
