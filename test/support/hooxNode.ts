/** Runs the Hoox node's execute() and methods against an emulator through the test contexts. */
import type { INodeExecutionData } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { TEST_API_KEY } from '../../emulator';
import { Hoox } from '../../nodes/Hoox/Hoox.node';
import {
	createExecuteContext,
	createLoadOptionsContext,
	type ContextOptions,
	type TestExecuteFunctions,
	type TestLoadOptionsFunctions,
} from '../../harness/n8nContext';

export const node = new Hoox();

export function credentialsFor(emu: Emulator) {
	return { apiKey: TEST_API_KEY, baseUrl: emu.baseUrl };
}

/** A resource-locator value as n8n stores it. */
export function rl(value: string, mode: 'list' | 'id' = 'id') {
	return { __rl: true, mode, value };
}

/** Fast polling for tests (seconds). */
export const FAST_WAIT = { pollIntervalMin: 0.01, pollIntervalMax: 0.03, waitTimeout: 20 };

/** Parameters of Asset → Generate with test defaults; `overrides` are merged on top. */
export function generateParameters(
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	const base: Record<string, unknown> = {
		resource: 'asset',
		operation: 'generate',
		type: 'image',
		model: rl('gpt-image-2'),
		prompt: 'A red bicycle leaning on a blue wall',
		references: {},
		modelParameters: { mappingMode: 'defineBelow', value: null },
		aspectRatio: '',
		resolution: '',
		duration: '',
		generationCount: 1,
		additionalFields: {},
		options: { ...FAST_WAIT },
	};
	const merged = { ...base, ...overrides };
	if (overrides.options) merged.options = { ...FAST_WAIT, ...(overrides.options as object) };
	return merged;
}

export function mapper(value: Record<string, unknown> | null) {
	return { mappingMode: 'defineBelow', value };
}

export function refs(...entries: Array<[string, string]>) {
	return { reference: entries.map(([source, value]) => ({ source, value })) };
}

export interface RunResult {
	items: INodeExecutionData[];
	ctx: TestExecuteFunctions;
}

export async function run(emu: Emulator, options: ContextOptions): Promise<RunResult> {
	const ctx = createExecuteContext({ credentials: credentialsFor(emu), ...options });
	const out = await node.execute.call(ctx);
	return { items: out[0], ctx };
}

/** Runs and returns the error thrown (fails the test if nothing is thrown). */
export async function runError(emu: Emulator, options: ContextOptions): Promise<any> {
	try {
		await run(emu, options);
	} catch (error) {
		return error;
	}
	throw new Error('expected the node to throw');
}

export function loadContext(
	emu: Emulator,
	parameters: Record<string, unknown>,
): TestLoadOptionsFunctions {
	return createLoadOptionsContext({ credentials: credentialsFor(emu), parameters });
}

export function items(n: number): INodeExecutionData[] {
	return Array.from({ length: n }, (_, i) => ({ json: { i } }));
}

export function startRequests(emu: Emulator) {
	return emu.requests({ method: 'POST', path: '/asset/start' });
}
