/**
 * n8n's own Retry On Fail (node settings, 3 tries) around Generate, in a real n8n (issue 9.1):
 * n8n runs the node again after an error, and Hoox charges every /asset/start, so a try must
 * pick up the assets an earlier try paid for instead of submitting again. Two items, each its
 * own prompt; counted from the emulator's log: exactly one start request per item.
 */
import type { RecordedRequest } from '../../emulator';
import { describeN8n, type E2EContext } from './harness/jest';
import { generateWorkflow, HOOX } from './harness/workflows';

jest.setTimeout(120_000);

const PROMPTS = ['retry e2e first item', 'retry e2e second item'];
const FAST = { pollIntervalMin: 0.1, pollIntervalMax: 0.3 };

type Json = Record<string, unknown>;

/** Manual Trigger (pinned items) → Hoox Generate with Retry On Fail (3 tries, 50 ms apart). */
function workflow(ctx: E2EContext, name: string, options: Json, knobs: Json) {
	return generateWorkflow(ctx, {
		name,
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 50 },
		parameters: {
			prompt: '={{ $json.prompt }}',
			additionalFields: { additionalBodyFields: JSON.stringify({ x_emulator: knobs }) },
			options: { ...FAST, ...options },
		},
		pinned: PROMPTS.map((prompt) => ({ prompt })),
	});
}

function startsByPrompt(requests: RecordedRequest[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of requests) {
		const prompt = String((request.body as { prompt?: unknown })?.prompt);
		counts[prompt] = (counts[prompt] ?? 0) + 1;
	}
	return counts;
}

/** n8n ran the node again: tries 2 and 3 logged that they found both items already submitted. */
function retriesLogged(ctx: E2EContext, logBefore: number): number {
	return (
		ctx.n8n
			.log()
			.slice(logBefore)
			.match(/try [23] of this node .* found 2 item/g)?.length ?? 0
	);
}

const cases: Array<{ name: string; options: Json; knobs: Json; message: RegExp }> = [
	{
		name: 'the assets fail',
		options: { waitTimeout: 60 },
		knobs: { outcome: 'failed', duration_ms: 100 },
		message: /failed/,
	},
	{
		name: 'the wait times out',
		options: { waitTimeout: 0.5 },
		knobs: { duration_ms: 30_000 },
		message: /Timed out/,
	},
];

describeN8n('Retry On Fail', (ctx) => {
	it.each(cases)('$name: n8n tries 3 times, Hoox gets one start per item', async (c) => {
		ctx.emulator.reset();
		const logBefore = ctx.n8n.log().length;
		const wf = await ctx.n8n.createWorkflow(workflow(ctx, `Retry: ${c.name}`, c.options, c.knobs));
		const execution = await ctx.n8n.runManually(wf.id, { timeoutMs: 90_000 });
		const starts = ctx.emulator.requests({ method: 'POST', path: '/asset/start' });

		expect(startsByPrompt(starts)).toEqual({ [PROMPTS[0]]: 1, [PROMPTS[1]]: 1 });
		expect(execution.status).toBe('error');
		const error = execution.errors[HOOX];
		expect(error?.message).toMatch(c.message);
		// two assets charged, and the error of the last try names both
		const paid = ctx.emulator
			.ledger()
			.flatMap((entry) => (entry.kind === 'debit' ? entry.asset_ids : []));
		expect(paid).toHaveLength(2);
		// n8n did run the node again: tries 2 and 3 said they found both items already submitted
		const retries = ctx.n8n
			.log()
			.slice(logBefore)
			.match(/try [23] of this node .* found 2 item/g);
		expect(retries).toHaveLength(2);
		for (const id of paid) expect(`${error?.message} ${error?.description}`).toContain(id);
	});

	it('Resume on Webhook: every try re-parks on the paid assets; the callbacks resume with both', async () => {
		ctx.emulator.reset();
		// the park's items carry json.error (not finished yet), so n8n runs the node 3 times
		const logBefore = ctx.n8n.log().length;
		const options = { waitMode: 'resume', waitTimeout: 120 };
		const wf = await ctx.n8n.createWorkflow(
			workflow(ctx, 'Retry: resume', options, { duration_ms: 3000 }),
		);
		const execution = await ctx.n8n.runManually(wf.id, { timeoutMs: 90_000 });
		const starts = ctx.emulator.requests({ method: 'POST', path: '/asset/start' });

		expect(startsByPrompt(starts)).toEqual({ [PROMPTS[0]]: 1, [PROMPTS[1]]: 1 });
		expect(execution.status).toBe('success');
		expect(retriesLogged(ctx, logBefore)).toBe(2);
		const paid = ctx.emulator
			.ledger()
			.flatMap((entry) => (entry.kind === 'debit' ? entry.asset_ids : []));
		// none orphaned: the resumed output carries both paid assets, completed
		const out = execution.nodes[HOOX] ?? [];
		expect(out.map((j) => j.asset_id).sort()).toEqual([...paid].sort());
		expect(out.every((j) => j.status === 'completed')).toBe(true);
	});
});
