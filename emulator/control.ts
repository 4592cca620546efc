/**
 * `/__control/*` — the test control API, mirroring the Emulator methods for tests that run the
 * emulator in another process. No auth (the server only listens on 127.0.0.1). JSON in, JSON out;
 * 400 `{ error }` for bad input, 404 for unknown control routes. Control calls are not recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TEST_API_KEY } from './constants';
import type { Catalog } from './catalog';
import type { FaultBook } from './faults';
import type { Emulator, Fault, ModelDefinition, RequestFilter } from './types';

/** What the control API drives: the emulator's interface plus two of its stores (no import of server.ts). */
export type ControlTarget = Emulator & {
	readonly catalog: Pick<Catalog, 'remove'>;
	readonly faults: Pick<FaultBook, 'list'>;
};

function send(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	const text = Buffer.concat(chunks).toString('utf8').trim();
	if (!text) return {};
	const v: unknown = JSON.parse(text);
	if (!v || typeof v !== 'object' || Array.isArray(v))
		throw new Error('body must be a JSON object');
	return v as Record<string, unknown>;
}

export async function handleControl(
	emu: ControlTarget,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	const path = url.pathname.replace(/\/+$/, '') || '/';
	const q = url.searchParams;
	let m: RegExpExecArray | null;
	try {
		const body = method === 'POST' || method === 'PUT' ? await readJson(req) : {};
		const route = `${method} ${path}`;
		if (route === 'GET /__control') {
			return send(res, 200, {
				origin: emu.origin,
				baseUrl: emu.baseUrl,
				port: emu.port,
				apiKey: TEST_API_KEY,
				balance: emu.balance(),
			});
		}
		if (route === 'GET /__control/requests') {
			const filter: RequestFilter = {};
			if (q.get('method')) filter.method = q.get('method') as string;
			if (q.get('path')) filter.path = q.get('path') as string;
			if (q.get('path_regex')) filter.path = new RegExp(q.get('path_regex') as string);
			if (q.get('kind')) filter.kind = q.get('kind') as 'api' | 'media';
			return send(res, 200, { requests: emu.requests(filter) });
		}
		if (route === 'GET /__control/webhooks')
			return send(res, 200, { deliveries: emu.webhookDeliveries() });
		if (route === 'POST /__control/reset') {
			emu.reset();
			return send(res, 200, { ok: true });
		}
		if (route === 'POST /__control/models') {
			emu.addModel(body as unknown as ModelDefinition);
			return send(res, 200, { ok: true, name: body.name });
		}
		if (method === 'DELETE' && (m = /^\/__control\/models\/([^/]+)$/.exec(path))) {
			const name = decodeURIComponent(m[1]);
			const existed = emu.catalog.remove(name);
			return send(
				res,
				existed ? 200 : 404,
				existed ? { ok: true } : { error: `no model '${name}'` },
			);
		}
		if (route === 'GET /__control/balance') return send(res, 200, { credits: emu.balance() });
		if (route === 'POST /__control/balance') {
			emu.setBalance(body.credits as number);
			return send(res, 200, { ok: true, credits: emu.balance() });
		}
		if (route === 'GET /__control/ledger') return send(res, 200, { ledger: emu.ledger() });
		if (route === 'GET /__control/faults') return send(res, 200, { faults: emu.faults.list() });
		if (route === 'POST /__control/faults') {
			emu.injectFault(body as unknown as Fault);
			return send(res, 200, { ok: true });
		}
		if (route === 'DELETE /__control/faults') {
			emu.clearFaults();
			return send(res, 200, { ok: true });
		}
		if (route === 'POST /__control/fail-next') {
			const n = body.n ?? 1;
			if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
				throw new Error('n must be an integer ≥ 1');
			emu.failNext(n, body.error as { code: string; message: string } | undefined);
			return send(res, 200, { ok: true });
		}
		if (route === 'POST /__control/durations') {
			emu.setDuration(body as { image?: number; video?: number; model?: string; ms?: number });
			return send(res, 200, { ok: true });
		}
		if (route === 'POST /__control/api-keys') {
			if (typeof body.key !== 'string') throw new Error('key is required');
			emu.addApiKey(body.key);
			return send(res, 200, { ok: true });
		}
		if ((m = /^\/__control\/assets\/([^/]+)$/.exec(path)) && method === 'GET') {
			const a = emu.getAsset(decodeURIComponent(m[1]));
			return send(res, a ? 200 : 404, a ?? { error: 'no such asset' });
		}
		if ((m = /^\/__control\/assets\/([^/]+)\/outcome$/.exec(path)) && method === 'POST') {
			emu.setAssetOutcome(decodeURIComponent(m[1]), body.outcome as 'completed' | 'failed');
			return send(res, 200, { ok: true });
		}
		return send(res, 404, { error: `no control route ${route}` });
	} catch (err) {
		return send(res, 400, { error: err instanceof Error ? err.message : String(err) });
	}
}
