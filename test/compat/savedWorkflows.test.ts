/**
 * Parameter names, defaults and option values are public API: saved workflows must keep loading
 * and keep meaning the same thing.
 *
 * - fixtures/parameters.json is the surface of version 0.1.0 (surface.ts): every parameter of
 *   every operation of Hoox and every version of Hoox Trigger, with its type, default, option
 *   values and resource-locator modes. The current descriptions must match it: same names, same
 *   defaults (saved workflows omit parameters at their default), every option value still there.
 *   A new parameter must be added to it, so its default is guarded from then on.
 * - fixtures/saved-workflow.json (every operation with non-default values) and the workflows of
 *   examples/ are loaded as n8n loads a node (NodeHelpers.getNodeParameters): no value is lost,
 *   every value is one the description offers, and n8n finds no parameter issue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Hoox } from '../../nodes/Hoox/Hoox.node';
import { HooxTrigger } from '../../nodes/HooxTrigger/HooxTrigger.node';
import { surfaceOf, type Surface, type SurfaceEntry } from './surface';

const REPO = join(__dirname, '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const descriptions: Record<string, INodeTypeDescription> = {
	'n8n-nodes-hoox.hoox': new Hoox().description,
	'n8n-nodes-hoox.hooxTrigger': new HooxTrigger().description,
};
const current: Surface = Object.assign({}, ...Object.values(descriptions).map(surfaceOf));
const recorded: Surface = readJson(join(__dirname, 'fixtures', 'parameters.json'));

describe('the parameters of 0.1.0 (fixtures/parameters.json)', () => {
	const contexts = Object.keys(recorded).map((context) => [context]);

	test('cover every operation of both nodes', () => {
		expect(Object.keys(current).sort()).toEqual(Object.keys(recorded).sort());
	});

	test.each(contexts)('%s: same names, types and defaults; every option value kept', (context) => {
		const now = current[context] ?? {};
		for (const [path, saved] of Object.entries(recorded[context])) {
			const entry = now[path];
			expect([path, entry && { type: entry.type, default: entry.default }]).toEqual([
				path,
				{ type: saved.type, default: saved.default },
			]);
			for (const list of ['options', 'modes'] as const)
				if (saved[list])
					expect([path, entry?.[list]]).toEqual([path, expect.arrayContaining(saved[list])]);
		}
	});

	test.each(contexts)('%s: every current parameter is recorded', (context) => {
		const unrecorded = Object.entries(current[context] ?? {}).filter(
			([path]) => !(path in recorded[context]),
		);
		// A new parameter is fine; record it (this JSON) so its default stays what workflows expect.
		expect(Object.fromEntries(unrecorded)).toEqual({});
	});
});

const workflows = [
	join(__dirname, 'fixtures', 'saved-workflow.json'),
	...readdirSync(join(REPO, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file) => join(REPO, 'examples', file)),
];
const savedNodes = workflows.flatMap((file) =>
	(readJson(file).nodes as INode[])
		.filter((node) => node.type in descriptions)
		.map((node) => [`${file.slice(REPO.length + 1)} › ${node.name}`, node] as const),
);

describe('saved workflows load with every value they hold', () => {
	test('the saved workflow has every operation and trigger version', () => {
		const saved = readJson(workflows[0]).nodes as INode[];
		expect(new Set(saved.map(contextOf))).toEqual(new Set(Object.keys(recorded)));
	});

	test.each(savedNodes)('%s', (_label, node) => {
		const description = descriptions[node.type];
		const loaded = load(node);
		expectKept(node.parameters, loaded, '');
		expectOffered(node.parameters, current[contextOf(node)], '');
		const issues = NodeHelpers.getNodeParametersIssues(
			description.properties,
			{ ...node, parameters: loaded },
			description,
		);
		expect(issues?.parameters ?? {}).toEqual({});
	});
});

type SavedNode = Pick<INode, 'type' | 'typeVersion' | 'parameters'>;

/** The node's parameters as n8n loads them: unknown ones dropped, defaults filled in. */
function load(node: SavedNode): INodeParameters {
	const description = descriptions[node.type];
	return NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	) as INodeParameters;
}

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** `hoox@1:asset/generate`, `hooxTrigger@1.1`: the surface context a saved node belongs to. */
function contextOf(node: SavedNode): string {
	const description = descriptions[node.type];
	const { resource, operation } = load(node);
	const at = resource === undefined ? '' : `:${resource}/${operation}`;
	return `${description.name}@${node.typeVersion}${at}`;
}

/** Every value the workflow saved is in what n8n loaded, unchanged. */
function expectKept(saved: unknown, loaded: unknown, path: string): void {
	if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
		expect([path, loaded]).toEqual([path, saved]);
		return;
	}
	expect([path, typeof loaded]).toEqual([path, 'object']);
	for (const [key, value] of Object.entries(saved))
		expectKept(value, (loaded as Record<string, unknown>)[key], `${path}${key}.`);
}

/** Every saved name is a parameter of the node's context, and every value one it offers. */
function expectOffered(
	saved: Record<string, unknown>,
	surface: Record<string, SurfaceEntry>,
	prefix: string,
): void {
	for (const [key, value] of Object.entries(saved)) {
		const path = `${prefix}${key}`;
		const entry = surface[path];
		expect([path, entry !== undefined]).toEqual([path, true]);
		if (entry.type === 'collection') {
			expectOffered(value as Record<string, unknown>, surface, `${path}.`);
		} else if (entry.type === 'fixedCollection') {
			for (const [group, rows] of Object.entries(value as Record<string, unknown>))
				for (const row of [rows].flat() as Array<Record<string, unknown>>)
					expectOffered(row, surface, `${path}.${group}.`);
		} else if (entry.options) {
			for (const one of [value].flat())
				if (!isExpression(one))
					expect([path, one, entry.options.includes(one as string)]).toEqual([path, one, true]);
		} else if (entry.modes) {
			const mode = (value as { mode: string }).mode;
			expect([path, mode, entry.modes.includes(mode)]).toEqual([path, mode, true]);
		}
	}
}
