/**
 * Bad input to the Hoox Trigger's webhook (issue 9, item 5): bodies of every wrong shape, depth
 * and size, with the right token, parsed by n8n or left raw. Each must get a clear answer (2xx
 * when ignored, 4xx when refused) — never an exception (n8n's 500), never a 5xx from us — and
 * what it echoes into the answer and the log stays short and on one line.
 *
 * Figures: bodies tried; crashes and 5xx answers (target 0).
 */
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { completedPayload, deliver, params } from '../nodes/HooxTrigger/helpers';
import { badBodies, HUGE, nested } from './badBodies';
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('Hoox Trigger: bad webhook bodies');

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerMinute: 0 });
});
afterAll(async () => {
	await emu.close();
});

const valid = completedPayload('65a0c0ffee00000000000abc');

describe('Hoox Trigger: bad webhook bodies', () => {
	it('each gets a clear 2xx/4xx answer: no crash, no 5xx, short one-line echoes', async () => {
		let crashes = 0;
		let fiveHundreds = 0;
		const tried = badBodies(valid);
		for (const [label, body, rawBody] of tried) {
			let outcome: Awaited<ReturnType<typeof deliver>>;
			try {
				outcome = await deliver({
					parameters: params(),
					body,
					rawBody,
					credentials: { apiKey: TEST_API_KEY, baseUrl: emu.baseUrl },
					staticData: {},
				});
			} catch (error) {
				crashes++;
				throw new Error(`${label}: webhook() threw ${(error as Error).message.slice(0, 200)}`);
			}
			const { response, logs } = outcome.ctx.recorder;
			if ((response.status ?? 200) >= 500) fiveHundreds++;
			expect([label, response.status]).toEqual([label, expect.any(Number)]);
			expect([label, response.status! < 500]).toEqual([label, true]);
			const message = String((response.body as IDataObject | undefined)?.message ?? '');
			expect([label, message.length <= 300]).toEqual([label, true]);
			for (const log of logs) {
				expect([label, /[\r\n]/.test(log.message)]).toEqual([label, false]);
				expect([label, log.message.length <= 600]).toEqual([label, true]);
			}
			expect(({} as IDataObject).polluted).toBeUndefined();
		}
		figures.add({ name: 'webhook bodies tried', value: tried.length });
		figures.add({ name: 'crashes (webhook() threw)', value: crashes, target: '0' });
		figures.add({ name: '5xx answers', value: fiveHundreds, target: '0' });
	});

	it('refuses the 5,000-level body with 400 (it used to throw a RangeError)', async () => {
		const { ctx } = await deliver({
			parameters: params(),
			body: { ...valid, status: nested(5_000) },
		});
		expect(ctx.recorder.response).toMatchObject({
			status: 400,
			body: { error: 'invalid_payload' },
		});
	});

	it('does not echo a huge task: the answer and the log quote at most 64 characters, on one line', async () => {
		const { ctx } = await deliver({ parameters: params(), body: { ...valid, task: HUGE } });
		expect(ctx.recorder.response.status).toBe(400);
		const text = JSON.stringify(ctx.recorder.response.body) + JSON.stringify(ctx.recorder.logs);
		expect(text).not.toContain('x'.repeat(65));
		expect(ctx.recorder.logs.map((l) => l.message).join('\n')).not.toMatch(
			/\nHoox Trigger: forged/,
		);
	});
});
