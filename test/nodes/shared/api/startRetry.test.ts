/**
 * POST /asset/start debits up front and has no idempotency key: it is sent again only when the
 * connection provably never carried it (refused, DNS). EHOSTUNREACH / ENETUNREACH and friends can
 * be reported on a connection that already delivered the request, so they are never retried.
 */
import { startEmulator, type Emulator } from '../../../../emulator';
import { createExecuteContext } from '../../../../harness/n8nContext';
import { credentialsFor, generateParameters, node, startRequests } from '../../../support/hooxNode';
import { injectNetworkFault } from '../../../support/networkFaults';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

function generateContext() {
	return createExecuteContext({
		credentials: credentialsFor(emu),
		parameters: generateParameters(),
		continueOnFail: true,
	});
}

const debits = () => emu.ledger().filter((e) => e.kind === 'debit').length;

describe('connection never made: the submit is retried and lands once', () => {
	it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('%s', async (code) => {
		const ctx = generateContext();
		const failed = injectNetworkFault(ctx, {
			route: 'POST /asset/start',
			code,
			when: 'before-send',
		});
		const [out] = await node.execute.call(ctx);
		expect(failed()).toBe(1);
		expect(out).toHaveLength(1);
		expect(out[0].json.error).toBeUndefined();
		expect(out[0].json.status).toBe('completed');
		expect(startRequests(emu)).toHaveLength(1);
		expect(debits()).toBe(1);
	});
});

describe('connection may have carried the request: never sent again', () => {
	it.each(['EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])(
		'%s',
		async (code) => {
			const ctx = generateContext();
			const failed = injectNetworkFault(ctx, {
				route: 'POST /asset/start',
				code,
				when: 'after-send',
				count: 5,
			});
			const [out] = await node.execute.call(ctx);
			expect(failed()).toBe(1);
			expect(startRequests(emu)).toHaveLength(1);
			expect(debits()).toBe(1);
			expect(out).toHaveLength(1);
			const error = out[0].json.error as { message: string; description: string };
			expect(error.message).toMatch(/may have been received/);
			expect(error.description).toMatch(/not sent again/);
			expect(out[0].pairedItem).toEqual({ item: 0 });
		},
	);
});
