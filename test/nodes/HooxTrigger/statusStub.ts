/**
 * A loopback stand-in for Hoox's GET /asset/status that answers only for the assets a test made
 * known: the trigger confirms every event with Hoox, so tests of its webhook() rules (filters,
 * duplicates, output shape) need a Hoox that confirms their events. Forged-event tests use the
 * real emulator instead (test/reliability/forgedTriggerEvents.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import { statusFromWebhook } from '../../../nodes/shared/assets';
import type { Credentials } from '../../../harness/n8nContext';

export interface StatusStub {
	credentials: Credentials;
	/** Makes Hoox report the asset as the event describes it (status-endpoint field names). */
	know(event: IDataObject): void;
	/** Makes Hoox report this status body for the asset. */
	set(assetId: string, status: IDataObject): void;
	/** Status reads received, by asset id. */
	reads: string[];
	/** The next `count` reads answer this HTTP status. */
	failNext(count: number, httpStatus: number): void;
	reset(): void;
	close(): Promise<void>;
}

export async function startStatusStub(): Promise<StatusStub> {
	const known = new Map<string, IDataObject>();
	const reads: string[] = [];
	let failures: { count: number; status: number } = { count: 0, status: 500 };
	const server: Server = createServer((req, res) => {
		const match = /\/api\/public\/v1\/asset\/status\/([^/?]+)/.exec(req.url ?? '');
		const id = match ? decodeURIComponent(match[1]) : '';
		reads.push(id);
		const answer = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (failures.count > 0) {
			failures.count--;
			return answer(failures.status, { error: 'Stub failure', code: 'internal', details: [] });
		}
		const status = known.get(id);
		if (!match || !status)
			return answer(404, { error: 'Not found', code: 'not_found', details: [] });
		answer(200, status);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.address() as AddressInfo).port;
	return {
		credentials: {
			apiKey: 'hx_live_' + 'a'.repeat(64),
			baseUrl: `http://127.0.0.1:${port}/api/public/v1`,
		},
		know: (event) => {
			const status = statusFromWebhook(event);
			known.set(status.asset_id, { ...status });
		},
		set: (assetId, status) => void known.set(assetId, status),
		reads,
		failNext: (count, httpStatus) => void (failures = { count, status: httpStatus }),
		reset: () => {
			known.clear();
			reads.length = 0;
			failures = { count: 0, status: 500 };
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
