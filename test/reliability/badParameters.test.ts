/**
 * Bad-input matrix, parameter values (issue 9): wrong types, huge strings, deep nesting and
 * prototype keys in every parameter of Generate, Get Status, Wait for Completion, Model → Get and
 * Pricing → Estimate. Each must be a clear error of its item naming the parameter — never a crash,
 * never a credit spent (validation runs before any submit).
 */
import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters, items, mapper, refs, rl } from '../support/hooxNode';
import { reliabilityFigures } from './figures';
import { nested, runNode, unclearError } from './outcome';

const HUGE = 'x'.repeat(100_000);
const HUGE_NUMBER = `${'1'.repeat(40_000)}x`;
const DEEP_OBJECT = nested(5000, 'object');
const DEEP_ARRAY = nested(5000, 'array');
const DEEP_JSON = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
const PROTO = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}');
const WRONG_TYPES: unknown[] = [{}, [], { a: 1 }, [1, 2], true, DEEP_OBJECT, DEEP_ARRAY];

interface Case {
	operation: string;
	/** The item given the bad value: item 1 of 2 for Generate (item 0 is fine), else the only item. */
	badItem: number;
	parameter: string;
	value: unknown;
	/** Parameters of the bad item (item 1); item 0 keeps the defaults. */
	params: Record<string, unknown>;
}

const GENERATE = generateParameters({ options: { waitForCompletion: false } });
const cases: Case[] = [];
const add = (
	operation: string,
	parameter: string,
	values: unknown[],
	set: (v: unknown) => Record<string, unknown>,
) => {
	const badItem = operation === 'generate' ? 1 : 0;
	for (const value of values)
		cases.push({ operation, parameter, badItem, value, params: set(value) });
};

add('generate', 'Prompt', [...WRONG_TYPES, null, '   '], (v) => ({ prompt: v }));
add('generate', 'Prompt', [HUGE], (v) => ({ prompt: v, model: rl('kling-pro'), type: 'video' }));
add('generate', 'Model', [...WRONG_TYPES, HUGE, '..', '.', null], (v) => ({
	model: rl(v as string),
}));
add('generate', 'Type', [...WRONG_TYPES, HUGE, 'audio'], (v) => ({ type: v }));
add('generate', 'Aspect Ratio', [...WRONG_TYPES, HUGE, '1:1\n[error] forged log line'], (v) => ({
	aspectRatio: v,
}));
add('generate', 'Resolution', [...WRONG_TYPES, HUGE], (v) => ({ resolution: v }));
add(
	'generate',
	'Generation Count',
	[...WRONG_TYPES, HUGE_NUMBER, '1e309', -1, 1e309, Number.NaN],
	(v) => ({ generationCount: v }),
);
add(
	'generate',
	'References',
	[
		HUGE,
		{ reference: DEEP_ARRAY },
		{ reference: [{ source: 'url', value: HUGE }] },
		{ reference: [{ source: 'url', value: 'javascript:alert(1)' }] },
		{ reference: [{ source: 'assetId', value: { a: 1 } }] },
		{ reference: 'x' },
	],
	(v) => ({ references: v }),
);
add('generate', 'Model Parameters → Quality', [...WRONG_TYPES, HUGE, HUGE_NUMBER], (v) => ({
	modelParameters: mapper({ 'model_settings.quality': v }),
}));
add(
	'generate',
	'Model Parameters',
	[DEEP_OBJECT, PROTO, { [HUGE]: 1 }, { [`${'A'.repeat(40_000)}`]: 'x' }],
	(v) => ({ modelParameters: mapper(v as Record<string, unknown>) }),
);
add(
	'generate',
	'Additional Body Fields',
	[
		DEEP_JSON,
		`{"a": ${HUGE_NUMBER}}`,
		'{"prompt": ',
		'[1,2]',
		`{"model_settings": ${DEEP_JSON}}`,
		DEEP_OBJECT,
		PROTO,
	],
	(v) => ({ additionalFields: { additionalBodyFields: v } }),
);
add('generate', 'Folder', [...WRONG_TYPES, HUGE, 'a b'], (v) => ({
	additionalFields: { folderId: v },
}));
add('generate', 'Parent Media ID', [...WRONG_TYPES, HUGE, 'a b'], (v) => ({
	additionalFields: { parentMediaId: v },
}));
add('generate', 'Webhook URL', [...WRONG_TYPES, HUGE, 'javascript:alert(1)', 'http://'], (v) => ({
	additionalFields: { webhookUrl: v },
}));
add(
	'getStatus',
	'Asset IDs',
	[{}, [{}], DEEP_ARRAY, HUGE, '..', `${'['.repeat(5000)}${']'.repeat(5000)}`, null, ''],
	(v) => ({ assetIds: v }),
);
add('waitForCompletion', 'Asset IDs', [{}, DEEP_ARRAY, HUGE, '/', '%2F'], (v) => ({ assetIds: v }));
add('modelGet', 'Model', [...WRONG_TYPES, HUGE, '..'], (v) => ({ model: rl(v as string) }));
add('estimate', 'Model', [{}, HUGE, '..'], (v) => ({ model: rl(v as string) }));
add('estimate', 'Duration', [...WRONG_TYPES, HUGE, HUGE_NUMBER], (v) => ({
	model: rl('kling-pro'),
	duration: v,
}));
add('estimate', 'Model Settings', [DEEP_JSON, '{"generateAudio": ', DEEP_OBJECT, PROTO], (v) => ({
	model: rl('kling-pro'),
	additionalFields: { modelSettings: v },
}));

/** A short name for a test value (never the value itself: some are 100,000 characters long). */
function shown(value: unknown): string {
	if (value === DEEP_OBJECT || value === DEEP_ARRAY)
		return `nested 5000 deep (${Array.isArray(value) ? 'lists' : 'objects'})`;
	if (value === PROTO) return 'prototype keys';
	if (typeof value === 'string')
		return value.length > 40 ? `text of ${value.length} characters` : JSON.stringify(value);
	let json: string;
	try {
		json = JSON.stringify(value) ?? String(value);
	} catch {
		return 'a deeply nested value';
	}
	return json.length > 60 ? 'a large value' : json;
}

const BASE: Record<string, Record<string, unknown>> = {
	generate: GENERATE,
	getStatus: { resource: 'asset', operation: 'getStatus' },
	waitForCompletion: {
		resource: 'asset',
		operation: 'waitForCompletion',
		assetIds: '',
		options: { waitTimeout: 1 },
	},
	modelGet: { resource: 'model', operation: 'get', model: rl('gpt-image-2') },
	estimate: {
		resource: 'pricing',
		operation: 'estimate',
		model: rl('gpt-image-2'),
		duration: '',
		generationCount: 1,
		resolution: '',
		additionalFields: {},
	},
};

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const failures: string[] = [];
let crashes = 0;
// registered before reliabilityFigures' own afterAll, which prints the rows
afterAll(() => {
	figures.add({
		name: 'parameter values tried (× Continue On Fail off/on)',
		value: cases.length * 2,
	});
	figures.add({ name: 'crashes (uncaught non-node errors)', value: crashes, target: '0' });
	figures.add({
		name: 'not a clear item error naming parameter and item',
		value: failures.length,
		target: '0',
	});
});
const figures = reliabilityFigures('bad-input matrix: parameter values');

describe.each([false, true])('Continue On Fail %s', (continueOnFail) => {
	it.each(cases.map((c) => [`${c.operation} ${c.parameter} = ${shown(c.value)}`, c]))(
		'%s',
		async (label, c) => {
			const { operation, parameter, params, badItem } = c as Case;
			const outcome = await runNode(emu, {
				parameters: BASE[operation],
				items: items(badItem + 1),
				itemParameters: badItem === 1 ? [undefined, params] : [params],
				continueOnFail,
			});
			const problem = unclearError(outcome, badItem, continueOnFail, parameter);
			if (problem?.startsWith('crash')) crashes++;
			if (problem) failures.push(`${label}: ${problem}`);
			expect(problem).toBeUndefined();
			// validation comes before any credit is spent
			if (!continueOnFail)
				expect(emu.requests({ method: 'POST', path: '/asset/start' })).toHaveLength(0);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		},
	);
});
