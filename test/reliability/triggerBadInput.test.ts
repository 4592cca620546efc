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
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('Hoox Trigger: bad webhook bodies');

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerMinute: 0 });
});
afterAll(async () => {
	await emu.close();
});

function nested(depth: number, leaf: unknown = 'x'): unknown {
	let value: unknown = leaf;
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}

const HUGE = `line one\nHoox Trigger: forged log line\r\n${'x'.repeat(100_000)}`;
const valid = completedPayload('65a0c0ffee00000000000abc');

/** [label, parsed body as n8n hands it over, raw body]. */
function cases(): Array<[string, unknown, Buffer | undefined]> {
	const list: Array<[string, unknown, Buffer | undefined]> = [];
	const add = (label: string, body: unknown, raw?: string | Buffer) =>
		list.push([label, body, raw === undefined ? undefined : Buffer.from(raw)]);
	// not an object
	for (const [label, body] of [
		['string', 'not json'],
		['number', 42],
		['null', null],
		['true', true],
		['array', [valid]],
		['empty object', {}],
	] as Array<[string, unknown]>)
		add(label, body);
	add('raw garbage', {}, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]));
	add('raw invalid JSON', {}, '{"asset_id": "a", ');
	add('raw huge string', {}, JSON.stringify(HUGE));
	add('raw deep array', {}, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
	add('raw deep object', {}, `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);
	add('raw __proto__', {}, '{"__proto__":{"polluted":true},"asset_id":"a1","status":"completed"}');
	// nesting 5,000 levels in each field
	for (const field of ['result', 'status', 'task', 'asset_id', 'error', 'extra'])
		add(`5,000 levels in ${field}`, { ...valid, [field]: nested(5_000) });
	add('20,000 keys', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));
	// task
	for (const task of [HUGE, { a: 1 }, 7, ['asset_generation'], ''])
		add(`task ${typeof task}`, { ...valid, task });
	// asset_id
	for (const assetId of [
		'',
		' ',
		'..',
		'../../etc/passwd',
		'a\nb',
		'x'.repeat(300),
		'%2e%2e',
		'a\u0000b',
		'é',
		5,
		{},
		[],
	])
		add(`asset_id ${JSON.stringify(assetId).slice(0, 20)}`, { ...valid, asset_id: assetId });
	// status
	for (const status of ['generating', '', 'COMPLETED', HUGE, 5, { s: 1 }, null])
		add(`status ${JSON.stringify(status)?.slice(0, 20)}`, { ...valid, status });
	// result / error of wrong types
	for (const result of ['x', [1, 2], null, 5, nested(40)])
		add(`result ${typeof result}`, { ...valid, result });
	for (const error of [HUGE, [1], nested(40)])
		add(`error ${typeof error}`, { ...valid, status: 'failed', error });
	return list;
}

describe('Hoox Trigger: bad webhook bodies', () => {
	it('each gets a clear 2xx/4xx answer: no crash, no 5xx, short one-line echoes', async () => {
		let crashes = 0;
		let fiveHundreds = 0;
		const tried = cases();
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
