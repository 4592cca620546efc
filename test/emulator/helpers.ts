/** Small HTTP helpers for the emulator contract tests (real HTTP on 127.0.0.1 via fetch). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_API_KEY, type Emulator } from '../../emulator';

export interface Res<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

export function client(emu: Emulator, key: string | null = TEST_API_KEY) {
	async function call<T = any>(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<Res<T>> {
		const h: Record<string, string> = { ...headers };
		if (key !== null) h.authorization = `Bearer ${key}`;
		if (body !== undefined) h['content-type'] = 'application/json';
		const r = await fetch(emu.baseUrl + path, {
			method,
			headers: h,
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await r.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON */
		}
		return { status: r.status, headers: r.headers, body: parsed as T };
	}
	return {
		call,
		get: <T = any>(path: string, headers?: Record<string, string>) =>
			call<T>('GET', path, undefined, headers),
		post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
			call<T>('POST', path, body ?? {}, headers),
	};
}

export type Client = ReturnType<typeof client>;

/** Polls until `fn` returns a truthy value (guarded by a generous deadline; never used to assert timing). */
export async function until<T>(
	fn: () => Promise<T | undefined | false> | T | undefined | false,
	what = 'condition',
	deadlineMs = 10_000,
): Promise<T> {
	const end = Date.now() + deadlineMs;
	for (;;) {
		const v = await fn();
		if (v) return v as T;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/** Polls /asset/status/{id} until completed or failed. */
export async function waitTerminal(api: Client, id: string): Promise<any> {
	return until(async () => {
		const r = await api.get(`/asset/status/${id}`);
		return r.body.status === 'completed' || r.body.status === 'failed' ? r.body : undefined;
	}, `asset ${id} to finish`);
}

export interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: any;
}

/** A webhook receiver on 127.0.0.1; `respond` decides each answer (default 200). */
export async function startReceiver(
	respond: (r: Received, n: number) => number | 'hang' = () => 200,
): Promise<{ url: string; received: Received[]; close: () => Promise<void>; server: Server }> {
	const received: Received[] = [];
	const hanging: ServerResponse[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const r: Received = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: text ? JSON.parse(text) : undefined,
			};
			received.push(r);
			const answer = respond(r, received.length);
			if (answer === 'hang') {
				hanging.push(res);
				return;
			}
			res.writeHead(answer, { 'content-type': 'text/plain' });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		server,
		close: () =>
			new Promise<void>((resolve) => {
				for (const h of hanging) h.destroy();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
	const port = (s.address() as AddressInfo).port;
	await new Promise<void>((resolve) => s.close(() => resolve()));
	return port;
}

export const HEX24 = /^[0-9a-f]{24}$/;
