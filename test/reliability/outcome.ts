/**
 * One run of the Hoox node for the reliability matrices, and how its result is judged: a crash
 * is anything thrown that is not one of n8n's node errors (a TypeError, a RangeError…), or any
 * throw at all with Continue On Fail on.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { credentialsFor, node } from '../support/hooxNode';
import {
	createExecuteContext,
	type ContextOptions,
	type TestExecuteFunctions,
} from '../../harness/n8nContext';

export interface Outcome {
	ctx: TestExecuteFunctions;
	items: INodeExecutionData[];
	thrown?: unknown;
}

export async function runNode(
	emu: Emulator,
	options: ContextOptions,
	prepare?: (ctx: TestExecuteFunctions) => void,
): Promise<Outcome> {
	const ctx = createExecuteContext({ credentials: credentialsFor(emu), ...options });
	prepare?.(ctx);
	try {
		const [items] = await node.execute.call(ctx);
		return { ctx, items };
	} catch (thrown) {
		return { ctx, items: [], thrown };
	}
}

export function isNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError;
}

/** What is wrong with an outcome that should be a clear error of `itemIndex` (undefined = fine). */
export function unclearError(
	outcome: Outcome,
	itemIndex: number,
	continueOnFail: boolean,
	parameter: string,
): string | undefined {
	if (continueOnFail) {
		if (outcome.thrown !== undefined)
			return `crash: threw with Continue On Fail: ${text(outcome.thrown)}`;
		const item = outcome.items.find(
			(i) => (i.pairedItem as { item?: number } | undefined)?.item === itemIndex && i.json.error,
		);
		if (!item) return `no error item for item ${itemIndex}`;
		return judgeMessage(
			(item.json.error as { message?: string }).message ?? '',
			itemIndex,
			parameter,
		);
	}
	if (outcome.thrown === undefined) return 'nothing was thrown';
	if (!isNodeError(outcome.thrown)) return `crash: ${text(outcome.thrown)}`;
	if (outcome.thrown.context?.itemIndex !== itemIndex)
		return `error of item ${String(outcome.thrown.context?.itemIndex)}: ${outcome.thrown.message}`;
	return judgeMessage(outcome.thrown.message, itemIndex, parameter);
}

function judgeMessage(message: string, itemIndex: number, parameter: string): string | undefined {
	if (!message.includes(`[item ${itemIndex}]`))
		return `message does not name item ${itemIndex}: ${message}`;
	if (!message.includes(parameter)) return `message does not name ${parameter}: ${message}`;
	if (message.length > 600) return `message is ${message.length} characters long`;
	return undefined;
}

function text(error: unknown): string {
	const e = error as { name?: string; message?: string };
	return `${e?.name ?? typeof error}: ${String(e?.message ?? error).slice(0, 200)}`;
}

/** A value nested `depth` levels deep (objects or arrays), built without recursion. */
export function nested(depth: number, kind: 'object' | 'array', leaf: unknown = 'x'): unknown {
	let value = leaf;
	for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
	return value;
}
