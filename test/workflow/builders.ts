/** Small workflows around one Hoox node, as n8n saves them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import type { WorkflowJson } from './harness';

export const HOOX = 'Hoox';
export const INPUT = 'Input items';
export const TRIGGER = 'Run now';

/** Node settings (the node's Settings tab in the editor). */
export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	onError?: INode['onError'];
	alwaysOutputData?: boolean;
}

/** Short enough to keep the tier fast; n8n's loop treats 0 as "not set" (1000 ms). */
export const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } as const;

let nodeCounter = 0;

function node(name: string, type: string, parameters: IDataObject, extra: Partial<INode> = {}) {
	nodeCounter += 1;
	return {
		id: `00000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion: 1,
		position: [nodeCounter * 220, 0],
		parameters,
		...extra,
	} as INode;
}

const main = (to: string) => ({ main: [[{ node: to, type: 'main' as const, index: 0 }]] });

/**
 * Run now (Manual Trigger) → Input items (pinned: `items`) → Hoox (`parameters`, `settings`).
 * Pinned data is how n8n feeds a node fixed items; the Hoox node sees them as its input.
 */
export function hooxWorkflow(
	parameters: Record<string, unknown>,
	items: IDataObject[] = [{}],
	settings: NodeSettings = {},
): WorkflowJson {
	const hoox = node(HOOX, 'n8n-nodes-hoox.hoox', parameters as IDataObject, {
		credentials: { hooxApi: { id: 'hoox-credential', name: 'Hoox test' } },
		...settings,
	});
	return {
		nodes: [
			node(TRIGGER, 'n8n-nodes-base.manualTrigger', {}),
			node(INPUT, 'n8n-nodes-base.noOp', {}),
			hoox,
		],
		connections: { [TRIGGER]: main(INPUT), [INPUT]: main(HOOX) },
		settings: { executionOrder: 'v1' },
		pinData: { [INPUT]: items.map((json) => ({ json })) as INodeExecutionData[] },
	};
}

/**
 * `workflow` with an Edit Fields (Set) node after `after`, assigning `fields` (name → value or
 * expression, as strings) to each item, like the examples' Set nodes.
 */
export function thenSet(
	workflow: WorkflowJson,
	after: string,
	name: string,
	fields: Record<string, string>,
): WorkflowJson {
	const assignments = Object.entries(fields).map(([field, value], k) => ({
		id: `assignment-${k}`,
		name: field,
		value,
		type: 'string',
	}));
	const set = node(name, 'n8n-nodes-base.set', { assignments: { assignments }, options: {} });
	set.typeVersion = 3.4;
	return {
		...workflow,
		nodes: [...workflow.nodes, set],
		connections: { ...workflow.connections, [after]: main(name) },
	};
}

/** An example workflow of `examples/`, as a user imports it. */
export function exampleWorkflow(file: string): WorkflowJson {
	const path = join(__dirname, '..', '..', 'examples', file);
	return JSON.parse(readFileSync(path, 'utf8')) as WorkflowJson;
}

/** The workflow without some nodes (and their connections), e.g. a Schedule Trigger. */
export function withoutNodes(workflow: WorkflowJson, names: string[]): WorkflowJson {
	const drop = new Set(names);
	const connections = Object.fromEntries(
		Object.entries(workflow.connections).filter(([from]) => !drop.has(from)),
	);
	return { ...workflow, nodes: workflow.nodes.filter((n) => !drop.has(n.name)), connections };
}
