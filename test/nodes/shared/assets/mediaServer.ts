/**
 * A hostile media host on loopback for the download tests: files of the wrong type, lying or
 * missing sizes, endless bodies, redirect chains, a stall. Counts what it was asked and sent.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MediaServer {
	origin: string;
	requests: string[];
	/** Bytes written by the endless routes before the client hung up. */
	bytesSent: number;
	close(): Promise<void>;
}

const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex',
);

export async function startMediaServer(): Promise<MediaServer> {
	const state: MediaServer = {
		origin: '',
		requests: [],
		bytesSent: 0,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
	const send = (res: ServerResponse, type: string, body: string | Buffer) => {
		res.writeHead(200, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
		res.end(body);
	};
	const endless = (res: ServerResponse, headers: Record<string, string>) => {
		res.writeHead(200, headers);
		const chunk = Buffer.alloc(256 * 1024, 1);
		const write = () => {
			while (!res.destroyed && state.bytesSent < 64 * 1024 * 1024) {
				state.bytesSent += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', write);
			}
			res.end();
		};
		write();
	};
	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		state.requests.push(path);
		const redirect = /^\/redirect\/(\d+)$/.exec(path);
		if (redirect) {
			const left = Number(redirect[1]);
			res.writeHead(302, { location: left > 0 ? `/redirect/${left - 1}` : '/ok.png' });
			return void res.end();
		}
		if (path.startsWith('/to/')) {
			res.writeHead(302, { location: decodeURIComponent(path.slice(4)) });
			return void res.end();
		}
		switch (path) {
			case '/ok.png':
				return send(res, 'image/png', PNG);
			case '/octet.png':
				return send(res, 'application/octet-stream', PNG);
			case '/html.png':
				return send(res, 'text/html; charset=utf-8', '<html><body>login</body></html>');
			case '/disguised.png':
				return send(res, 'image/png', '  <!doctype html><script>alert(1)</script>');
			case '/script.svg':
				return send(
					res,
					'image/svg+xml',
					'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
				);
			case '/handler.svg':
				return send(
					res,
					'image/svg+xml',
					'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
				);
			case '/clean.svg':
				return send(
					res,
					'image/svg+xml',
					'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
				);
			case '/big-declared.mp4':
				res.writeHead(200, {
					'content-type': 'video/mp4',
					'content-length': String(500 * 1024 * 1024),
				});
				return void res.write(Buffer.alloc(1024));
			case '/endless.mp4':
				return endless(res, { 'content-type': 'video/mp4' });
			case '/stall.png':
				res.writeHead(200, { 'content-type': 'image/png' });
				return void res.write(PNG.subarray(0, 8));
			default:
				res.writeHead(404, { 'content-type': 'text/plain' });
				res.end('not found');
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return state;
}
