/**
 * n8n-core's Retry On Fail loop around one run of a node (WorkflowExecute.runNode's caller, read
 * in n8n 1.123.81 and 2.41.1), for the hand-written contexts: every try calls execute() again
 * with a NEW context but the SAME execution-stack entry; a try is repeated when it throws, and
 * also — Continue On Fail or not — when the first item of its first output carries `json.error`.
 * Tries: min(5, max(2, maxTries || 3)) with Retry On Fail on, else 1. The pause between tries is
 * left out (it changes nothing the node sees). test/workflow runs the real loop.
 */
import type { IExecuteData, INodeExecutionData } from 'n8n-workflow';

import { node } from './hooxNode';
import { TEST_NODE, type TestExecuteFunctions } from '../../harness/n8nContext';

export interface RetrySettings {
	retryOnFail: boolean;
	maxTries?: number;
}

export interface RetriedRun {
	/** The node's output when a try succeeded (the last one n8n kept). */
	items?: INodeExecutionData[];
	/** The error of the last try when every try threw. */
	error?: any;
	/** execute() calls made. */
	tries: number;
	/** The context of each try (their logs, waits, requests). */
	contexts: TestExecuteFunctions[];
}

export function triesOf(retry: RetrySettings): number {
	return retry.retryOnFail ? Math.min(5, Math.max(2, retry.maxTries || 3)) : 1;
}

const failed = (output: INodeExecutionData[][]) => {
	const error = output?.[0]?.[0]?.json?.error;
	return error !== undefined && error !== null && error !== false;
};

/** Runs the node like n8n does with these retry settings; `contextForTry` builds each try's context. */
export async function runWithRetries(
	retry: RetrySettings,
	contextForTry: () => TestExecuteFunctions,
): Promise<RetriedRun> {
	const maxTries = triesOf(retry);
	const contexts: TestExecuteFunctions[] = [];
	const attempt = async () => {
		const ctx = contextForTry();
		contexts.push(ctx);
		return await node.execute.call(ctx);
	};
	let error: unknown;
	for (let tryIndex = 0; tryIndex < maxTries; tryIndex++) {
		try {
			error = undefined;
			let output = await attempt();
			while (failed(output) && tryIndex !== maxTries - 1) {
				output = await attempt();
				tryIndex++;
			}
			return { items: output[0], tries: contexts.length, contexts };
		} catch (thrown) {
			error = thrown;
		}
	}
	return { error, tries: contexts.length, contexts };
}

/** A stack entry for one run of the node over `items` (what n8n hands every try of the run). */
export function stackEntry(items: INodeExecutionData[]): IExecuteData {
	return {
		node: { ...TEST_NODE, parameters: {} },
		data: { main: [items] },
		source: { main: [{ previousNode: 'Start' }] },
	};
}
