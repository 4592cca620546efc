/**
 * A small round-robin HTTP proxy on loopback: what a load balancer in front of n8n's webhook
 * processes does. Each request goes to the next upstream in turn, streamed both ways; the proxy
 * records which upstream answered what.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
	method: string;
	path: string;
	/** Index of the upstream the request went to. */
	upstream: number;
	status?: number;
	error?: string;
}

export interface RoundRobinProxy {
	url: string;
	port: number;
	upstreams: string[];
	log(): ProxiedRequest[];
	close(): Promise<void>;
}

export async function startRoundRobinProxy(
	upstreams: string[],
	port = 0,
): Promise<RoundRobinProxy> {
	if (!upstreams.length) throw new Error('the proxy needs at least one upstream');
	const entries: ProxiedRequest[] = [];
	let next = 0;
	const forward = (req: IncomingMessage, res: ServerResponse) => {
		const upstream = next;
		next = (next + 1) % upstreams.length;
		const entry: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', upstream };
		entries.push(entry);
		const target = new URL(req.url ?? '/', upstreams[upstream]);
		const out = request(
			target,
			{ method: req.method, headers: { ...req.headers, host: target.host }, agent: false },
			(upstreamRes) => {
				entry.status = upstreamRes.statusCode;
				res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
				upstreamRes.pipe(res);
			},
		);
		out.on('error', (error: NodeJS.ErrnoException) => {
			entry.error = error.code ?? error.message;
			entry.status = 502;
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: `upstream ${upstream}: ${entry.error}` }));
		});
		req.pipe(out);
	};
	const server = createServer(forward);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const bound = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${bound}`,
		port: bound,
		upstreams,
		log: () => entries.map((e) => ({ ...e })),
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
