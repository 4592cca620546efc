/**
 * Injected faults: the next `count` requests matching `route` ('METHOD /path', path prefix-matched
 * against the path relative to the API base URL, e.g. 'POST /asset/start', 'GET /asset/status';
 * '/media/…' for media; method '*' or no method = any) answer a status, are dropped, or are delayed.
 */
import { API_PREFIX } from './constants';
import type { Fault } from './types';

export type FaultKind = 'status' | 'drop-before-read' | 'drop-after-read' | 'delay';

export interface ActiveFault {
	method: string;
	path: string;
	remaining: number;
	fault: Fault;
	kind: FaultKind;
}

export function parseFault(f: unknown): ActiveFault {
	if (!f || typeof f !== 'object') throw new Error('fault must be an object');
	const fault = f as Fault & Record<string, unknown>;
	if (typeof fault.route !== 'string' || !fault.route.trim())
		throw new Error("fault.route is required, e.g. 'POST /asset/start'");
	const parts = fault.route.trim().split(/\s+/);
	const [method, rawPath] = parts.length > 1 ? [parts[0].toUpperCase(), parts[1]] : ['*', parts[0]];
	let path = rawPath.startsWith(API_PREFIX) ? rawPath.slice(API_PREFIX.length) || '/' : rawPath;
	if (!path.startsWith('/')) path = `/${path}`;
	const count = fault.count ?? 1;
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
		throw new Error('fault.count must be an integer ≥ 1');
	const kinds = ['status', 'drop', 'delayMs'].filter((k) => fault[k] !== undefined);
	if (kinds.length !== 1) throw new Error('a fault needs exactly one of status, drop, delayMs');
	let kind: FaultKind;
	if (kinds[0] === 'status') {
		if (typeof fault.status !== 'number' || fault.status < 100 || fault.status > 599)
			throw new Error('fault.status must be an HTTP status');
		kind = 'status';
	} else if (kinds[0] === 'drop') {
		if (fault.drop !== 'before-read' && fault.drop !== 'after-read')
			throw new Error("fault.drop must be 'before-read' or 'after-read'");
		kind = fault.drop === 'before-read' ? 'drop-before-read' : 'drop-after-read';
	} else {
		if (typeof fault.delayMs !== 'number' || fault.delayMs < 0)
			throw new Error('fault.delayMs must be a number ≥ 0');
		kind = 'delay';
	}
	return {
		method,
		path,
		remaining: count,
		fault: JSON.parse(JSON.stringify(fault)) as Fault,
		kind,
	};
}

export class FaultBook {
	private faults: ActiveFault[] = [];

	add(f: unknown): void {
		this.faults.push(parseFault(f));
	}

	/** Consumes one use of the first fault matching this request, if any. */
	take(method: string, path: string): ActiveFault | undefined {
		const i = this.faults.findIndex(
			(f) => (f.method === '*' || f.method === method.toUpperCase()) && path.startsWith(f.path),
		);
		if (i < 0) return undefined;
		const f = this.faults[i];
		f.remaining--;
		if (f.remaining <= 0) this.faults.splice(i, 1);
		return f;
	}

	list(): ActiveFault[] {
		return this.faults.map((f) => ({ ...f }));
	}

	clear(): void {
		this.faults = [];
	}
}

/** Fixed one-minute windows per API key (SPEC §3.3). */
export class RateLimiter {
	private windows = new Map<string, { start: number; count: number }>();

	constructor(public limit: number) {}

	/** Counts one request; returns the X-RateLimit-* headers and whether the limit is exceeded. */
	hit(
		key: string,
		now = Date.now(),
	): { headers: Record<string, string>; exceeded: boolean } | undefined {
		if (!this.limit) return undefined;
		let w = this.windows.get(key);
		if (!w || now - w.start >= 60_000) {
			w = { start: now, count: 0 };
			this.windows.set(key, w);
		}
		w.count++;
		return {
			exceeded: w.count > this.limit,
			headers: {
				'X-RateLimit-Limit': String(this.limit),
				'X-RateLimit-Remaining': String(Math.max(0, this.limit - w.count)),
				'X-RateLimit-Reset': String(Math.ceil((w.start + 60_000) / 1000)),
			},
		};
	}

	reset(): void {
		this.windows.clear();
	}
}
