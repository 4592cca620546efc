/**
 * Trigger-token leak matrix (issue 9): every answer path of the Hoox Trigger — token kept as a
 * parameter (version 1) or in a Hoox Trigger Token credential (1.1) × what a delivery presents
 * (nothing, a near miss, the token in the URL or the header) × bodies that are refused, malformed,
 * unconfirmed, confirmed, or whose status read fails — must leave no 8-character piece of the
 * token or the API key in the answer, the log, the items or the static data, and send no piece of
 * the token to Hoox. (The API key's own matrix over the Hoox node is keyLeak.test.ts.)
 */
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { deliver, params, TOKEN } from '../nodes/HooxTrigger/helpers';
import { until } from '../nodes/HooxTrigger/triggerServer';
import { allText, leakedFragments } from '../support/secrets';
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('trigger-token leak matrix');

let emu: Emulator;
const ids = { completed: '', generating: '', unreadable: '' };

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 20 } });
	const start = async (knobs: IDataObject = {}) => {
		const response = await axios.post(
			`${emu.baseUrl}/asset/start`,
			{ type: 'image', model: 'z-image-turbo', prompt: 'A lighthouse at dusk', x_emulator: knobs },
			{ headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
		);
		return (response.data.asset_ids as string[])[0];
	};
	ids.completed = await start();
	ids.unreadable = await start();
	ids.generating = await start({ duration_ms: 10 * 60_000 });
	for (const id of [ids.completed, ids.unreadable])
		await until(() => emu.getAsset(id)?.status === 'completed', 8000, id);
});
afterAll(async () => {
	await emu.close();
});

const event = (assetId: string, status = 'completed') => ({
	task: 'asset_generation',
	asset_id: assetId,
	status,
});

const storages: Array<
	[string, { parameters: Record<string, unknown>; triggerCredential?: IDataObject }]
> = [
	['parameter (v1)', { parameters: params({ options: { downloadBinary: true } }) }],
	[
		'credential (v1.1)',
		{
			parameters: params({
				authentication: 'tokenCredential',
				secretToken: undefined,
				options: { downloadBinary: true },
			}),
			triggerCredential: { token: TOKEN },
		},
	],
];

const presented: Array<[string, { query: IDataObject; headers?: Record<string, string> }]> = [
	['nothing', { query: {} }],
	['one character off', { query: { token: `${TOKEN.slice(0, -1)}x` } }],
	['its first half', { query: { token: TOKEN.slice(0, 16) } }],
	['the token, in the URL', { query: { token: TOKEN } }],
	[
		'the token, in the header',
		{ query: {}, headers: { 'content-type': 'application/json', 'x-hoox-token': TOKEN } },
	],
];

const bodies: Array<[string, () => unknown]> = [
	['confirmed completion', () => event(ids.completed)],
	['asset still generating', () => event(ids.generating)],
	['unknown asset', () => event('65a0c0ffee0000000000beef')],
	['status read fails', () => event(ids.unreadable)],
	['malformed', () => ({ hello: 1, token: TOKEN })],
	// a sender holding the token echoes it where the 400 answer and the log quote the body
	['token as the task', () => ({ ...event(ids.completed), task: TOKEN })],
	['token as the status', () => ({ ...event(ids.completed), status: `x${TOKEN}` })],
];

test('no piece of the trigger token or the API key in any answer, log, item or request', async () => {
	let tried = 0;
	let started = 0;
	const leaks: string[] = [];
	for (const [storage, setup] of storages) {
		for (const [offer, request] of presented) {
			for (const [bodyName, body] of bodies) {
				tried++;
				if (bodyName === 'status read fails')
					emu.injectFault({ route: `GET /asset/status/${ids.unreadable}`, count: 10, status: 500 });
				const { result, ctx } = await deliver({
					...setup,
					...request,
					body: body(),
					credentials: { apiKey: TEST_API_KEY, baseUrl: emu.baseUrl },
					staticData: {},
				});
				emu.clearFaults();
				if (result.workflowData) started++;
				const left = allText([
					ctx.recorder.response,
					ctx.recorder.logs,
					ctx.recorder.staticData,
					result.workflowData?.map((items) => items.map((i) => i.json)),
				]);
				const sent = allText(ctx.recorder.http.map((r) => r.url));
				const found = [
					...leakedFragments(left, TOKEN),
					...leakedFragments(left, TEST_API_KEY),
					...leakedFragments(sent, TOKEN),
				];
				if (found.length > 0) leaks.push(`${storage} × ${offer} × ${bodyName}: ${found[0]}`);
			}
		}
	}
	figures.add({ name: 'trigger paths tried (storage × token presented × body)', value: tried });
	figures.add({ name: 'of them started the workflow (right token, confirmed)', value: started });
	figures.add({
		name: 'paths where a token or key piece showed',
		value: leaks.length,
		target: '0',
	});
	expect(leaks).toEqual([]);
	expect(started).toBe(2 * 2);
});
