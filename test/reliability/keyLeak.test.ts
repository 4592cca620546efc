/**
 * API-key leak matrix (issue 9): every error path of the Hoox node — HTTP statuses × error-body
 * shapes × where Hoox (or a proxy) could echo the key, and network errors whose raw error carries
 * the Authorization header and a Base URL with a password — must leave no piece of the key
 * (no 8-character fragment) and no piece of the password in the thrown error (all its fields),
 * the output items or the log.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters, items, rl } from '../support/hooxNode';
import { injectNetworkFault } from '../support/networkFaults';
import { allText, leakedFragments } from '../support/secrets';
import { reliabilityFigures } from './figures';
import { runNode, type Outcome } from './outcome';

/** Well-formed (the emulator accepts it) and fixed, so no random collision can flake. */
const KEY = `hx_live_${'9d04be71c3a85f26'.repeat(4)}`;
const KEY_BODY = KEY.slice('hx_live_'.length);
const PASSWORD = 'proxy-Pa55word-4f1d9e';
const VALID_ID = '65a1b2c3d4e5f60718293a4b';

const ECHOES = [
	KEY,
	KEY_BODY,
	KEY.slice(0, 20),
	KEY_BODY.slice(-12),
	KEY_BODY.toUpperCase(),
	`Authorization: Bearer ${KEY}`,
	`${KEY_BODY.slice(0, 16)}…${KEY_BODY.slice(30, 46)}`,
];
const SHAPES: Array<[string, (e: string) => { body?: unknown; rawBody?: string }]> = [
	['{error}', (e) => ({ body: { error: `Invalid token ${e}` } })],
	['{code}', (e) => ({ body: { error: 'Rejected', code: e } })],
	[
		'{details[code, field, message]}',
		(e) => ({ body: { error: 'Invalid', details: [{ code: e, field: e, message: `bad ${e}` }] } }),
	],
	['{error{message, code}}', (e) => ({ body: { error: { message: e, code: e } } })],
	['{message}', (e) => ({ body: { message: e } })],
	['text', (e) => ({ rawBody: `key=${e}` })],
	['HTML', (e) => ({ rawBody: `<html><body><pre>${e}</pre></body></html>` })],
	[
		'credits text',
		(e) => ({
			body: { error: `Needs 5 credits (key ${e})`, details: [{ message: `5 credits for ${e}` }] },
		}),
	],
];

interface Route {
	name: string;
	fault: string;
	statuses: number[];
	parameters: Record<string, unknown>;
}
const NO_WAIT = { waitForCompletion: false };
const ROUTES: Route[] = [
	{
		name: 'Generate: submit',
		fault: 'POST /asset/start',
		statuses: [400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503],
		parameters: generateParameters({ options: NO_WAIT }),
	},
	{
		name: 'Generate: model',
		fault: 'GET /asset/models/',
		statuses: [400, 401, 403, 404, 409, 422, 429],
		parameters: generateParameters({ options: NO_WAIT }),
	},
	{
		name: 'Generate: Max Credits pricing',
		fault: 'POST /asset/pricing',
		statuses: [400, 401, 402, 403, 422],
		parameters: generateParameters({ options: { ...NO_WAIT, maxCredits: 100 } }),
	},
	{
		name: 'Get Status',
		fault: 'GET /asset/status',
		statuses: [400, 401, 403, 404, 409, 422, 429],
		parameters: { resource: 'asset', operation: 'getStatus', assetIds: VALID_ID },
	},
	{
		name: 'Pricing → Estimate',
		fault: 'POST /asset/pricing',
		statuses: [400, 401, 402, 403, 404, 422],
		parameters: {
			resource: 'pricing',
			operation: 'estimate',
			model: rl('gpt-image-2'),
			duration: '',
			resolution: '',
			generationCount: 1,
			additionalFields: {},
		},
	},
	{
		name: 'Model → Get Many',
		fault: 'GET /asset/models',
		statuses: [400, 401, 403, 404],
		parameters: { resource: 'model', operation: 'getAll', returnAll: true, filters: {} },
	},
];

const httpCells = ROUTES.flatMap((route) =>
	route.statuses.flatMap((status, s) =>
		SHAPES.map(([shape, make], k) => ({
			route,
			status,
			shape,
			// every echo meets every shape across the statuses; Continue On Fail alternates
			echo: ECHOES[(s + k) % ECHOES.length],
			payload: make(ECHOES[(s + k) % ECHOES.length]),
			continueOnFail: (s + k) % 2 === 1,
		})),
	),
);

/** Network errors after which a submit is not sent again (each is reported at once). */
const NETWORK_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EPIPE',
	'ECONNABORTED',
];
const networkCells = NETWORK_CODES.flatMap((code) =>
	[false, true].map((continueOnFail) => ({ code, continueOnFail })),
);

function leaksIn(outcome: Outcome): string[] {
	const left = allText({
		thrown: outcome.thrown,
		items: outcome.items,
		logs: outcome.ctx.recorder.logs,
	});
	return [...leakedFragments(left, KEY), ...leakedFragments(left, PASSWORD)];
}

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

let leakingCells = 0;
let waitCells = 0;
let networkRuns = 0;
let fragments = 0;
afterAll(() => {
	figures.add({ name: 'wait timeouts after failing status reads', value: waitCells });
	figures.add({
		name: 'error paths tried (HTTP status × body shape × echo)',
		value: httpCells.length,
	});
	figures.add({
		name: 'network error paths tried (code × Continue On Fail, + refused with a password)',
		value: networkCells.length + networkRuns,
	});
	figures.add({ name: 'cells where the key or password showed', value: leakingCells, target: '0' });
	figures.add({
		name: 'key/password fragments (≥ 8 characters) found',
		value: fragments,
		target: '0',
	});
});
const figures = reliabilityFigures('API-key leak matrix');

function record(outcome: Outcome): string[] {
	const found = leaksIn(outcome);
	if (found.length > 0) leakingCells++;
	fragments += found.length;
	return found;
}

describe('HTTP errors whose body echoes the key', () => {
	it.each(httpCells.map((c) => [`${c.route.name} ← ${c.status} ${c.shape}`, c]))(
		'%s',
		async (_l, cell) => {
			const { route, status, payload, continueOnFail } = cell as (typeof httpCells)[number];
			emu.injectFault({
				route: route.fault,
				count: 100,
				status,
				headers: { 'retry-after': '0' },
				...payload,
			});
			const outcome = await runNode(emu, {
				credentials: { apiKey: KEY, baseUrl: emu.baseUrl },
				parameters: route.parameters,
				items: items(1),
				continueOnFail,
			});
			// the run did fail (the matrix is about error paths)
			expect(outcome.thrown ?? outcome.items[0]?.json.error).toBeDefined();
			expect(record(outcome)).toEqual([]);
		},
	);
});

describe('network errors whose raw error carries the Authorization header', () => {
	it.each(networkCells.map((c) => [`${c.code}, Continue On Fail ${c.continueOnFail}`, c]))(
		'%s',
		async (_l, cell) => {
			const { code, continueOnFail } = cell as (typeof networkCells)[number];
			const outcome = await runNode(
				emu,
				{
					credentials: { apiKey: KEY, baseUrl: emu.baseUrl },
					parameters: generateParameters({ options: NO_WAIT }),
					items: items(1),
					continueOnFail,
				},
				(ctx) => injectNetworkFault(ctx, { route: 'POST /asset/start', code, when: 'after-send' }),
			);
			const error = (outcome.thrown ?? outcome.items[0]?.json.error) as { message?: string };
			expect(error?.message).toMatch(/may have been received/);
			expect(record(outcome)).toEqual([]);
		},
	);

	it('Hoox unreachable through a Base URL with a password (real refused connection)', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		const outcome = await runNode(emu, {
			credentials: {
				apiKey: KEY,
				baseUrl: `http://hoox:${PASSWORD}@127.0.0.1:${port}/api/public/v1`,
			},
			parameters: { resource: 'model', operation: 'getAll', returnAll: true, filters: {} },
			items: items(1),
		});
		networkRuns++;
		expect((outcome.thrown as Error)?.message).toMatch(/^Could not reach Hoox at http:\/\/127/);
		expect(record(outcome)).toEqual([]);
	}, 60_000);
});

describe('a wait that times out while every status read fails with the key in the answer', () => {
	it.each([false, true])(
		'Continue On Fail %s',
		async (continueOnFail) => {
			emu.injectFault({
				route: 'GET /asset/status',
				count: 10_000,
				status: 503,
				body: { error: `upstream said ${KEY}`, code: KEY_BODY, details: [{ field: KEY }] },
			});
			const outcome = await runNode(emu, {
				credentials: { apiKey: KEY, baseUrl: emu.baseUrl },
				parameters: generateParameters({ options: { waitTimeout: 1 } }),
				items: items(1),
				continueOnFail,
			});
			waitCells++;
			const text = allText({ thrown: outcome.thrown, items: outcome.items });
			expect(text).toMatch(/status reads failed/i);
			expect(record(outcome)).toEqual([]);
		},
		30_000,
	);
});
