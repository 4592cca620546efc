/**
 * When the status reads fail until the wait limit, the timeout error says what failed (HTTP 500,
 * a network error, an answer that is not a status) instead of "last status: generating" alone.
 */
import { startEmulator, type Emulator } from '../../../../emulator';
import { credentialsFor, generateParameters, node, run, runError } from '../../../support/hooxNode';
import { injectNetworkFault } from '../../../support/networkFaults';
import { createExecuteContext } from '../../../../harness/n8nContext';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const SHORT_WAIT = { waitTimeout: 1.5 };

describe('every status read fails until the wait limit', () => {
	it('HTTP 500: the thrown error says the reads failed and how', async () => {
		emu.injectFault({ route: 'GET /asset/status', count: 10_000, status: 500 });
		const error = await runError(emu, { parameters: generateParameters({ options: SHORT_WAIT }) });
		const text = `${error.message} ${error.description}`;
		expect(error.message).toMatch(/^\[item 0\] Timed out after 1\.5 s/);
		expect(text).toMatch(/status (read|request)s? failed/i);
		expect(text).toMatch(/HTTP 500/);
		expect(text).toMatch(/[0-9a-f]{24}/); // the asset id is still there
	}, 30_000);

	it('HTTP 500 with Continue On Fail: the item error says so', async () => {
		emu.injectFault({ route: 'GET /asset/status', count: 10_000, status: 500 });
		const { items } = await run(emu, {
			parameters: generateParameters({ options: SHORT_WAIT }),
			continueOnFail: true,
		});
		const error = items[0].json.error as { message: string };
		expect(items[0].json.wait_timed_out).toBe(true);
		expect(error.message).toMatch(/status (read|request)s? failed/i);
		expect(error.message).toMatch(/HTTP 500/);
	}, 30_000);

	it('a network error: named in the error', async () => {
		const ctx = createExecuteContext({
			credentials: credentialsFor(emu),
			parameters: generateParameters({ options: SHORT_WAIT }),
		});
		injectNetworkFault(ctx, {
			route: 'GET /asset/status',
			code: 'ECONNRESET',
			when: 'before-send',
			count: 10_000,
		});
		const error = await node.execute.call(ctx).then(
			() => undefined,
			(e: unknown) => e as { message: string; description: string },
		);
		expect(error).toBeDefined();
		expect(`${error?.message} ${error?.description}`).toMatch(/connection reset/);
	}, 30_000);

	it('answers that are not a status: said so', async () => {
		emu.injectFault({ route: 'GET /asset/status', count: 10_000, status: 200, body: ['x'] });
		const error = await runError(emu, { parameters: generateParameters({ options: SHORT_WAIT }) });
		expect(`${error.message} ${error.description}`).toMatch(/not an asset status/);
	}, 30_000);
});
