/**
 * Bad-input matrix, malformed API answers (issue 9): wrong types, missing fields, huge strings,
 * deep nesting and bad JSON in the answers of every endpoint the Hoox node reads. Each run must end
 * as items or as a clear node error of the item — never a crash, never "[object Object]".
 */
import { startEmulator, type Emulator } from '../../emulator';
import { allText } from '../support/secrets';
import { generateParameters, items, rl } from '../support/hooxNode';
import { reliabilityFigures } from './figures';
import { isNodeError, runNode, type Outcome } from './outcome';

const HUGE = 'x'.repeat(200_000);
const DEEP_JSON = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const VALID_ID = '65a1b2c3d4e5f60718293a4b';

type Answer = { label: string; body?: unknown; rawBody?: string };
const COMMON: Answer[] = [
	{ label: 'null', body: null },
	{ label: 'a list', body: [1, 2] },
	{ label: 'a string', body: 'ok' },
	{ label: 'a number', body: 42 },
	{ label: 'an empty object', body: {} },
	{ label: 'bad JSON', rawBody: '{"status": "comp' },
	{ label: 'HTML', rawBody: '<html><body>Gateway</body></html>' },
	{ label: 'empty', rawBody: '' },
	{ label: 'nested 5,000 deep', rawBody: DEEP_JSON(5000) },
	{ label: 'a 200,000-character string', body: { error: HUGE, name: HUGE, status: HUGE } },
];

const MODEL: Answer[] = [
	{ label: 'settings is text', body: { name: 'gpt-image-2', type: 'image', settings: 'x' } },
	{
		label: 'settings of junk',
		body: {
			name: 'gpt-image-2',
			type: 'image',
			settings: [null, 1, { key: {} }, { key: 'q', type: 'select', options: 'x' }],
		},
	},
	{
		label: 'input_schema is a list',
		body: { name: 'gpt-image-2', type: 'image', input_schema: [] },
	},
	{
		label: 'properties is text',
		body: {
			name: 'gpt-image-2',
			type: 'image',
			input_schema: { properties: 'x', required: 'prompt' },
		},
	},
	{
		label: 'property schemas of junk',
		body: {
			name: 'gpt-image-2',
			type: 'image',
			input_schema: {
				properties: {
					prompt: null,
					aspect_ratio: { enum: 'x' },
					duration: { enum: [{}] },
					references: { type: 'array', maxItems: 'x' },
				},
			},
		},
	},
	{
		label: 'max_prompt_length is text',
		body: { name: 'gpt-image-2', type: 'image', max_prompt_length: 'abc' },
	},
	{ label: 'name is an object', body: { name: {}, type: 123 } },
	{
		label: 'a deep input_schema',
		rawBody: `{"name":"gpt-image-2","type":"image","input_schema":${DEEP_JSON(3000)}}`,
	},
];
const STATUS: Answer[] = [
	{ label: 'status is a number', body: { status: 123 } },
	{ label: 'completed, url an object', body: { status: 'completed', url: {} } },
	{ label: 'completed, no url', body: { status: 'completed' } },
	{
		label: 'completed, url javascript:',
		body: { status: 'completed', url: 'javascript:alert(1)' },
	},
	{ label: 'failed, error text', body: { status: 'failed', error: 'x' } },
	{ label: 'failed, error of junk', body: { status: 'failed', error: { message: {}, code: [] } } },
	{ label: 'failed, deep error', rawBody: `{"status":"failed","error":${DEEP_JSON(3000)}}` },
];
const PRICING: Answer[] = [
	{ label: 'total_cost is text', body: { total_cost: 'x' } },
	{ label: 'total_cost negative', body: { total_cost: -5 } },
	{ label: 'total_cost an object', body: { total_cost: { a: 1 } } },
];
const MODELS: Answer[] = [
	{ label: 'models is an object', body: { models: {}, count: 'x' } },
	{ label: 'models of junk', body: { models: [null, 1, 'x', { name: {} }] } },
];

interface Route {
	name: string;
	fault: string;
	status: number;
	answers: Answer[];
	parameters: Record<string, unknown>;
	/** Asset IDs to create first (their status reads get the answer). */
	needsAsset?: boolean;
}

const WAIT = { waitTimeout: 1, pollIntervalMin: 0.05, pollIntervalMax: 0.1 };
const ROUTES: Route[] = [
	{
		name: 'Generate: model',
		fault: 'GET /asset/models/',
		status: 200,
		answers: [...COMMON, ...MODEL],
		parameters: generateParameters({ options: { waitForCompletion: false } }),
	},
	{
		name: 'Model → Get',
		fault: 'GET /asset/models/',
		status: 200,
		answers: [...COMMON, ...MODEL],
		parameters: { resource: 'model', operation: 'get', model: rl('gpt-image-2') },
	},
	{
		name: 'Generate: start',
		fault: 'POST /asset/start',
		status: 201,
		answers: COMMON,
		parameters: generateParameters({ options: { waitForCompletion: false } }),
	},
	{
		name: 'Generate: wait',
		fault: 'GET /asset/status',
		status: 200,
		answers: [...COMMON, ...STATUS],
		parameters: generateParameters({ options: { ...WAIT, downloadBinary: true } }),
	},
	{
		name: 'Get Status',
		fault: 'GET /asset/status',
		status: 200,
		answers: [...COMMON, ...STATUS],
		parameters: { resource: 'asset', operation: 'getStatus', assetIds: VALID_ID },
	},
	{
		name: 'Wait for Completion',
		fault: 'GET /asset/status',
		status: 200,
		answers: [...COMMON, ...STATUS],
		parameters: {
			resource: 'asset',
			operation: 'waitForCompletion',
			assetIds: VALID_ID,
			options: WAIT,
		},
	},
	{
		name: 'Pricing → Estimate',
		fault: 'POST /asset/pricing',
		status: 200,
		answers: [...COMMON, ...PRICING],
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
		name: 'Generate: Max Credits',
		fault: 'POST /asset/pricing',
		status: 200,
		answers: [...COMMON, ...PRICING],
		parameters: generateParameters({ options: { waitForCompletion: false, maxCredits: 100 } }),
	},
	{
		name: 'Model → Get Many',
		fault: 'GET /asset/models',
		status: 200,
		answers: [...COMMON, ...MODELS],
		parameters: { resource: 'model', operation: 'getAll', returnAll: true, filters: {} },
	},
	{
		name: 'Errors: 4xx/5xx bodies',
		fault: 'GET /asset/models/',
		status: 400,
		answers: COMMON,
		parameters: { resource: 'model', operation: 'get', model: rl('gpt-image-2') },
	},
];

const cells = ROUTES.flatMap((route) =>
	route.answers.flatMap((answer) =>
		[false, true].map((continueOnFail) => ({ route, answer, continueOnFail })),
	),
);

/** What is wrong with the outcome of a malformed answer (undefined = items or a clear error). */
function problemOf(outcome: Outcome, continueOnFail: boolean): string | undefined {
	if (outcome.thrown !== undefined) {
		if (!isNodeError(outcome.thrown))
			return `crash: ${String((outcome.thrown as Error)?.message ?? outcome.thrown).slice(0, 200)}`;
		if (continueOnFail) return `crash: threw with Continue On Fail: ${outcome.thrown.message}`;
		if (outcome.thrown.context?.itemIndex !== 0)
			return `error without its item: ${outcome.thrown.message}`;
		if (outcome.thrown.message.length > 600)
			return `message of ${outcome.thrown.message.length} characters`;
	}
	if (outcome.items.some((i) => (i.pairedItem as { item?: number } | undefined)?.item !== 0))
		return 'an item without pairedItem 0';
	const left = allText({ thrown: outcome.thrown, items: outcome.items.map((i) => i.json) });
	if (left.includes('[object Object]')) return 'shows [object Object]';
	return undefined;
}

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

let crashes = 0;
const unclear: string[] = [];
afterAll(() => {
	figures.add({
		name: 'malformed answers tried (routes × answers × Continue On Fail)',
		value: cells.length,
	});
	figures.add({ name: 'crashes (uncaught non-node errors)', value: crashes, target: '0' });
	figures.add({
		name: 'not items or a clear error of the item',
		value: unclear.length,
		target: '0',
	});
});
const figures = reliabilityFigures('bad-input matrix: malformed API answers');

it.each(
	cells.map((c) => [
		`${c.route.name} ← ${c.answer.label}, Continue On Fail ${c.continueOnFail}`,
		c,
	]),
)(
	'%s',
	async (label, cell) => {
		const { route, answer, continueOnFail } = cell as (typeof cells)[number];
		const { label: _l, ...payload } = answer;
		emu.injectFault({ route: route.fault, count: 1000, status: route.status, ...payload });
		const outcome = await runNode(emu, {
			parameters: route.parameters,
			items: items(1),
			continueOnFail,
		});
		emu.clearFaults();
		const problem = problemOf(outcome, continueOnFail);
		if (problem?.startsWith('crash')) crashes++;
		if (problem) unclear.push(`${label}: ${problem}`);
		expect(problem).toBeUndefined();
	},
	30_000,
);
