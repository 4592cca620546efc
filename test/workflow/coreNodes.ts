/**
 * Stand-ins for the few n8n-nodes-base nodes the example workflows use (Manual Trigger, Code,
 * Edit Fields (Set), Aggregate, No Op, Sticky Note). n8n-nodes-base itself is not a dependency:
 * it brings dozens of database and cloud clients. Each stand-in does only what the examples ask
 * of it, through n8n-core's own context (parameters and expressions are resolved by n8n, per
 * item, with pairedItem), so the Hoox node around them runs exactly as in n8n. The e2e suite runs
 * the same examples with the real core nodes.
 */
import { runInNewContext } from 'node:vm';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

function describe(
	name: string,
	version: number[],
	io: { inputs: number; outputs: number },
	properties: INodeProperties[] = [],
): INodeTypeDescription {
	return {
		displayName: `${name} (test stand-in)`,
		name,
		group: ['transform'],
		version,
		description: 'Test stand-in for an n8n core node',
		defaults: { name },
		inputs: Array(io.inputs).fill(NodeConnectionTypes.Main),
		outputs: Array(io.outputs).fill(NodeConnectionTypes.Main),
		properties,
	};
}

/** Parameters the stand-ins read (n8n keeps only declared parameters of a node). */
const text = (name: string, extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: name,
	name,
	type: 'string',
	default: '',
	...extra,
});

class ManualTrigger implements INodeType {
	description = describe('manualTrigger', [1], { inputs: 0, outputs: 1 });

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		// like the real one: one empty item when the user clicks "Execute workflow"
		return { manualTriggerFunction: async () => this.emit([[{ json: {} }]]) };
	}
}

class StickyNote implements INodeType {
	description = describe('stickyNote', [1], { inputs: 0, outputs: 0 }, [
		text('content'),
		text('width', { type: 'number', default: 240 }),
		text('height', { type: 'number', default: 160 }),
	]);
}

/** Passes its input on; tests pin items on it to feed a node "directly". */
class NoOp implements INodeType {
	description = describe('noOp', [1], { inputs: 1, outputs: 1 });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Code, "Run Once for All Items": the script sees n8n's own data proxy ($input, $json, $now…). */
class Code implements INodeType {
	description = describe('code', [1, 2], { inputs: 1, outputs: 1 }, [text('jsCode')]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const jsCode = this.getNodeParameter('jsCode', 0) as string;
		const proxy = this.getWorkflowDataProxy(0) as unknown as IDataObject;
		const sandbox = { ...proxy, items: this.getInputData() };
		const result = (await runInNewContext(`(async () => {\n${jsCode}\n})()`, sandbox)) as
			INodeExecutionData[] | undefined;
		if (!Array.isArray(result)) {
			throw new NodeOperationError(this.getNode(), 'The code must return an array of items');
		}
		return [result.map((item) => ({ json: item.json }))];
	}
}

interface Assignment {
	name: string;
	type: string;
}

function convert(value: unknown, type: string, name: string): unknown {
	if (type === 'string') return value === undefined || value === null ? '' : String(value);
	if (type === 'number') return Number(value);
	if (type === 'boolean') return Boolean(value);
	if (type === 'array' && !Array.isArray(value)) throw new Error(`${name} is not an array`);
	return value;
}

/** Edit Fields (Set) 3.4, manual mapping, without "Include Other Input Fields". */
class SetFields implements INodeType {
	description = describe('set', [3.4], { inputs: 1, outputs: 1 }, [
		text('assignments', { type: 'assignmentCollection', default: {} }),
		text('options', { type: 'collection', default: {}, options: [] }),
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const assignments = (this.getNode().parameters.assignments as IDataObject)
			.assignments as unknown as Assignment[];
		return [
			items.map((item, itemIndex) => {
				const json: IDataObject = {};
				assignments.forEach(({ name, type }, k) => {
					const value = this.getNodeParameter(`assignments.assignments[${k}].value`, itemIndex);
					json[name] = convert(value, type, name) as IDataObject[string];
				});
				return { json, binary: item.binary, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

/** Aggregate, "All Item Data (Into a Single List)". */
class Aggregate implements INodeType {
	description = describe('aggregate', [1], { inputs: 1, outputs: 1 }, [
		text('aggregate', { default: 'aggregateIndividualFields' }),
		text('destinationFieldName', { default: 'data' }),
		text('options', { type: 'collection', default: {}, options: [] }),
	]);

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const field = this.getNodeParameter('destinationFieldName', 0) as string;
		return [
			[
				{
					json: { [field]: items.map((item) => item.json) },
					pairedItem: items.map((_, item) => ({ item })),
				},
			],
		];
	}
}

export const coreNodeTypes: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-base.stickyNote': new StickyNote(),
	'n8n-nodes-base.noOp': new NoOp(),
	'n8n-nodes-base.code': new Code(),
	'n8n-nodes-base.set': new SetFields(),
	'n8n-nodes-base.aggregate': new Aggregate(),
};
