/**
 * Secrets never reach an error, an item or a log: the API key in any field of a Hoox error body
 * (also `code` and `field`, which n8n stores in the error), a piece of the key without its
 * `hx_live_` prefix, and a password in the Base URL.
 */
import { createServer } from 'node:net';

import { startEmulator, type Emulator } from '../../../../emulator';
import { generateParameters, node } from '../../../support/hooxNode';
import { createExecuteContext } from '../../../../harness/n8nContext';
import { allText, leakedFragments } from '../../../support/secrets';

/** A well-formed key the emulator accepts; fixed, so no random collision can flake. */
const KEY = `hx_live_${'5f3c9a0d7e21b4c8'.repeat(4)}`;
const BODY = KEY.slice('hx_live_'.length);

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

async function runGenerate(baseUrl = emu.baseUrl, continueOnFail = false) {
	const ctx = createExecuteContext({
		credentials: { apiKey: KEY, baseUrl },
		parameters: generateParameters(),
		continueOnFail,
	});
	try {
		const [items] = await node.execute.call(ctx);
		return { ctx, items, error: undefined };
	} catch (error) {
		return { ctx, items: [], error };
	}
}

describe('the key echoed in a Hoox error body', () => {
	const echoes: Array<[string, string]> = [
		['the whole key', KEY],
		['the key without hx_live_', BODY],
		['a prefix of the key', KEY.slice(0, 20)],
		['a suffix of the key', BODY.slice(-12)],
		['the key in capitals', BODY.toUpperCase()],
		['a piece from the middle', BODY.slice(20, 40)],
	];

	it.each(echoes)('%s, in error, code, details[].code/field/message', async (_label, echo) => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 2, // one run that throws, one with Continue On Fail
			status: 400,
			body: {
				error: `Bad key ${echo}`,
				code: echo,
				details: [{ code: echo, field: echo, message: `field ${echo} is wrong` }],
			},
		});
		for (const continueOnFail of [false, true]) {
			const { ctx, items, error } = await runGenerate(emu.baseUrl, continueOnFail);
			expect(continueOnFail ? items[0]?.json.error : error).toBeDefined();
			const left = allText({ error, items, logs: ctx.recorder.logs });
			expect(leakedFragments(left, KEY)).toEqual([]);
			// the error still says what went wrong
			expect(left).toMatch(/Hoox rejected the request/);
		}
	});
});

describe('a password in the Base URL', () => {
	const PASSWORD = 'Pa55-word-of-the-proxy';

	async function closedPort(): Promise<number> {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		await new Promise((resolve) => server.close(resolve));
		return port;
	}

	it('is not printed when Hoox cannot be reached', async () => {
		const port = await closedPort();
		const { ctx, error } = await runGenerate(
			`http://hoox:${PASSWORD}@127.0.0.1:${port}/api/public/v1`,
		);
		expect((error as Error).message).toMatch(
			/^Could not reach Hoox at http:\/\/127\.0\.0\.1:\d+\/api\/public\/v1 \(connection refused\)/,
		);
		const left = allText({ error, logs: ctx.recorder.logs });
		expect(left).not.toContain(PASSWORD);
		expect(left).not.toContain('hoox:');
	}, 30_000);
});
