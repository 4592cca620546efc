/** Cheap guards for what n8n's lint and UX guidelines expect from the node description. */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import codex from '../../../nodes/Hoox/Hoox.node.json';
import pkg from '../../../package.json';
import { node } from '../../support/hooxNode';

const { description } = node;
const properties = description.properties;

function walk(
	props: INodeProperties[],
	visit: (p: INodeProperties, path: string) => void,
	path = '',
) {
	for (const p of props) {
		visit(p, `${path}${p.name}`);
		if (p.type === 'collection' && Array.isArray(p.options))
			walk(p.options as INodeProperties[], visit, `${path}${p.name}.`);
		if (p.type === 'fixedCollection' && Array.isArray(p.options)) {
			for (const group of p.options as INodePropertyCollection[])
				walk(group.values, visit, `${path}${p.name}.${group.name}.`);
		}
	}
}

test('identity, tool use, connections, credentials, icons, subtitle', () => {
	expect(description).toMatchObject({
		name: 'hoox',
		displayName: 'Hoox',
		version: 1,
		group: ['transform'],
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'hooxApi', required: true, testedBy: 'hooxApiConnectionTest' }],
		icon: { light: 'file:../../icons/hoox.svg', dark: 'file:../../icons/hoox.dark.svg' },
	});
	expect(description.subtitle).toMatch(/operation/);
	expect(description.subtitle).toMatch(/model/);
	expect(pkg.n8n.nodes).toContain('dist/nodes/Hoox/Hoox.node.js');
});

test('codex: documented categories, not AI, docs links', () => {
	expect(codex.node).toBe('n8n-nodes-hoox.hoox');
	expect(codex.categories).not.toContain('AI');
	expect(codex.categories).toEqual(expect.arrayContaining(['Marketing & Content']));
	expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\/docs\.hoox\.video\//);
});

test('every operation has an action; operation lists are sorted; every resource has operations', () => {
	const resources = (properties.find((p) => p.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	const names = resources.map((r) => r.name);
	expect(names).toEqual([...names].sort());
	for (const resource of resources) {
		const operation = properties.find(
			(p) =>
				p.name === 'operation' &&
				p.displayOptions?.show?.resource?.includes(resource.value as string),
		);
		expect(operation).toBeDefined();
		const ops = operation?.options as INodePropertyOptions[];
		expect(ops.map((o) => o.name)).toEqual(ops.map((o) => o.name).sort());
		for (const op of ops) expect(op.action).toEqual(expect.any(String));
	}
});

test('every property has a default; booleans say "Whether"; dynamic options say "Name or ID"; collections sorted', () => {
	walk(properties, (p, path) => {
		expect([path, p.default !== undefined]).toEqual([path, true]);
		if (p.type === 'boolean')
			expect([path, p.description]).toEqual([path, expect.stringMatching(/^Whether /)]);
		if (p.typeOptions?.loadOptionsMethod) {
			expect([path, p.displayName]).toEqual([path, expect.stringMatching(/ Name or ID$/)]);
			expect(p.description).toMatch(/^Choose from the list, or specify an ID using an <a href/);
		}
		if (p.type === 'collection') {
			const names = (p.options as INodeProperties[]).map((o) => o.displayName);
			expect([path, names]).toEqual([path, [...names].sort((a, b) => a.localeCompare(b))]);
		}
	});
});

test('displayOptions only refer to parameters that exist', () => {
	const names = new Set(properties.map((p) => p.name));
	for (const p of properties) {
		for (const key of Object.keys(p.displayOptions?.show ?? {}))
			expect([p.name, names.has(key)]).toEqual([p.name, true]);
	}
});

test('methods referenced by the description exist', () => {
	const methods = node.methods as unknown as Record<string, Record<string, unknown>>;
	walk(properties, (p) => {
		if (p.typeOptions?.loadOptionsMethod)
			expect(methods.loadOptions[p.typeOptions.loadOptionsMethod]).toBeInstanceOf(Function);
		const mapperMethod = p.typeOptions?.resourceMapper?.resourceMapperMethod;
		if (mapperMethod) expect(methods.resourceMapping[mapperMethod]).toBeInstanceOf(Function);
		for (const mode of p.modes ?? []) {
			const search = mode.typeOptions?.searchListMethod;
			if (search) expect(methods.listSearch[search]).toBeInstanceOf(Function);
		}
	});
});

test('Model Parameters is a resource mapper driven by the model', () => {
	const mapper = properties.find((p) => p.name === 'modelParameters');
	expect(mapper?.typeOptions).toMatchObject({
		loadOptionsDependsOn: ['model.value'],
		resourceMapper: {
			resourceMapperMethod: 'getModelParameters',
			mode: 'add', // n8n marks required fields only in this mode
			fieldWords: { singular: 'parameter', plural: 'parameters' },
			addAllFields: true,
			supportAutoMap: false,
		},
	});
});

test('Duration is hidden for images, so a video duration is not kept after switching Type', () => {
	const durations = properties.filter((p) => p.name === 'duration');
	expect(durations.length).toBeGreaterThan(0);
	for (const duration of durations) {
		expect(duration.displayOptions?.hide).toEqual({ type: ['image'] });
	}
});
