/**
 * The Hoox API credential's test (hooxApiConnectionTest) run with n8n-core's own credential-test
 * context, whose one HTTP helper is the one n8n gives it, against the emulator over loopback.
 * (test/e2e/package.test.ts runs the same test through the editor's endpoint in a real n8n.)
 */
import { createServer } from 'node:net';

import { CredentialTestContext } from 'n8n-core';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../../emulator';
import { hooxApiConnectionTest } from '../../../nodes/shared/credentialTest';

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ acceptAnyWellFormedKey: false });
});
afterAll(async () => emulator.close());
beforeEach(() => emulator.reset());

/** Well-formed but unknown to the emulator. */
const UNKNOWN_KEY = `hx_live_${'0'.repeat(64)}`;

async function testCredential(data: { apiKey: string; baseUrl: string }) {
	const context = new CredentialTestContext() as unknown as ICredentialTestFunctions;
	return await hooxApiConnectionTest.call(context, {
		id: 'c1',
		name: 'Hoox account',
		type: 'hooxApi',
		data,
	});
}

/** A loopback port nothing listens on (free now). */
async function closedPort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

describe('hooxApiConnectionTest', () => {
	it('OK with a good key: one read-only GET /asset/models?type=image with the Bearer key', async () => {
		const result = await testCredential({ apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl });
		expect(result.status).toBe('OK');
		const requests = emulator.requests();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /asset/models']);
		expect(requests[0].query).toEqual({ type: 'image' });
		// the emulator logs keys masked; it accepts only TEST_API_KEY here, so 200 proves the key
		expect(requests[0].headers.authorization).toMatch(/^Bearer hx_live_/);
		expect(requests[0].status).toBe(200);
	});

	it('normalises the Base URL like the nodes do: spaces and trailing slashes around it', async () => {
		const result = await testCredential({
			apiKey: TEST_API_KEY,
			baseUrl: ` ${emulator.baseUrl}// `,
		});
		expect(result.status).toBe('OK');
	});

	it('an unknown key (401): says Hoox rejected the key, without the key', async () => {
		const result = await testCredential({ apiKey: UNKNOWN_KEY, baseUrl: emulator.baseUrl });
		expect(result).toEqual({
			status: 'Error',
			message: 'Hoox rejected the API key: check that it is current and starts with hx_live_',
		});
		expect(emulator.requests().map((r) => r.status)).toEqual([401]);
	});

	it('a Base URL without the Hoox API (404): says to check the Base URL', async () => {
		const result = await testCredential({
			apiKey: TEST_API_KEY,
			baseUrl: `${emulator.origin}/not-the-api`,
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'No Hoox API at this Base URL: check the Base URL',
		});
	});

	it('a space without API access (403): says the API needs the Enterprise plan', async () => {
		emulator.injectFault({ route: 'GET /asset/models', count: 1, status: 403 });
		const result = await testCredential({ apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl });
		expect(result.message).toBe(
			'This Hoox space has no API access: the Hoox API needs the Enterprise plan',
		);
	});

	it('nothing listening at the Base URL: names the URL instead of a bare ECONNREFUSED', async () => {
		const baseUrl = `http://127.0.0.1:${await closedPort()}/api/public/v1`;
		const result = await testCredential({ apiKey: TEST_API_KEY, baseUrl: `${baseUrl}/` });
		expect(result).toEqual({
			status: 'Error',
			message: `Nothing answered at ${baseUrl} (connection refused) — check the Base URL`,
		});
		expect(result.message).not.toContain(TEST_API_KEY);
	});

	it('a Base URL with a password and the key in it: neither appears in the message', async () => {
		const port = await closedPort();
		const result = await testCredential({
			apiKey: TEST_API_KEY,
			baseUrl: `http://user:s3cret-pass-word@127.0.0.1:${port}/${TEST_API_KEY}`,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Nothing answered at http:\/\/127\.0\.0\.1:\d+\//);
		expect(result.message).not.toContain('s3cret-pass-word');
		expect(result.message).not.toContain(TEST_API_KEY.slice('hx_live_'.length, 24));
	});

	it('a server error is tried once (the user is waiting) and reported as the nodes report it', async () => {
		emulator.injectFault({ route: 'GET /asset/models', count: 5, status: 500 });
		const result = await testCredential({ apiKey: TEST_API_KEY, baseUrl: emulator.baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'Hoox had a server error (HTTP 500)' });
		expect(emulator.requests({ method: 'GET', path: '/asset/models' })).toHaveLength(1);
	});
});
