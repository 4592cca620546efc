/**
 * The public surface of a node description as saved workflows see it: in each context (a node
 * version and, for Hoox, a resource/operation) every parameter path with its type,
 * default, static option values and resource-locator modes. Saved workflows omit parameters at
 * their default, so a changed default changes what they do; a renamed or removed name or option
 * value loses what they hold.
 */
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

export interface SurfaceEntry {
	type: string;
	default: unknown;
	/** Static option values (options, multiOptions), when the list is not loaded at run time. */
	options?: Array<string | number | boolean>;
	/** Resource-locator modes. */
	modes?: string[];
}

/** Context → parameter path (`options.waitMode`, `references.reference.image`) → entry. */
export type Surface = Record<string, Record<string, SurfaceEntry>>;

interface Context {
	label: string;
	resource?: string;
	operation?: string;
	version: number;
}

/** Every context of a node: each version, and in it each resource/operation pair if it has any. */
function contextsOf(description: INodeTypeDescription): Context[] {
	const props = description.properties;
	const out: Context[] = [];
	for (const version of [description.version].flat()) {
		const resource = props.find((p) => p.name === 'resource' && shows(p, { version }));
		if (!resource) {
			out.push({ label: `${version}`, version });
			continue;
		}
		for (const r of resource.options as INodePropertyOptions[]) {
			const at = { resource: r.value as string, version };
			const operation = props.find((p) => p.name === 'operation' && shows(p, at));
			for (const o of (operation?.options ?? []) as INodePropertyOptions[])
				out.push({
					...at,
					operation: o.value as string,
					label: `${version}:${r.value}/${o.value}`,
				});
		}
	}
	return out;
}

/** Whether the property's resource, operation and version conditions admit the context. */
function shows(p: INodeProperties, context: Omit<Context, 'label'>): boolean {
	const show = p.displayOptions?.show ?? {};
	for (const key of ['resource', 'operation'] as const) {
		const allowed = show[key];
		if (allowed && !allowed.includes(context[key] as string)) return false;
	}
	const versions = show['@version'];
	if (!versions) return true;
	return versions.some((v) =>
		typeof v === 'number'
			? v === context.version
			: typeof v === 'object' && v !== null && '_cnd' in v
				? versionMatches((v as { _cnd: Record<string, number> })._cnd, context.version)
				: false,
	);
}

function versionMatches(condition: Record<string, number>, version: number): boolean {
	return Object.entries(condition).every(([op, bound]) => {
		if (op === 'gte') return version >= bound;
		if (op === 'lte') return version <= bound;
		if (op === 'gt') return version > bound;
		if (op === 'lt') return version < bound;
		if (op === 'eq') return version === bound;
		throw new Error(`surface.ts does not know the version condition "${op}"`);
	});
}

function entryOf(p: INodeProperties): SurfaceEntry {
	const entry: SurfaceEntry = { type: p.type, default: p.default };
	if ((p.type === 'options' || p.type === 'multiOptions') && !p.typeOptions?.loadOptionsMethod)
		entry.options = (p.options as INodePropertyOptions[]).map((o) => o.value);
	if (p.type === 'resourceLocator') entry.modes = (p.modes ?? []).map((m) => m.name);
	return entry;
}

function record(out: Record<string, SurfaceEntry>, path: string, p: INodeProperties): void {
	if (p.type === 'notice') return; // no value is saved
	if (out[path]) throw new Error(`two parameters named ${path} in one context`);
	out[path] = entryOf(p);
	if (p.type === 'collection')
		for (const option of p.options as INodeProperties[])
			record(out, `${path}.${option.name}`, option);
	if (p.type === 'fixedCollection')
		for (const group of p.options as INodePropertyCollection[])
			for (const field of group.values) record(out, `${path}.${group.name}.${field.name}`, field);
}

/** The surface of one node description, keyed `<node name>@<version>[:<resource>/<operation>]`. */
export function surfaceOf(description: INodeTypeDescription): Surface {
	const surface: Surface = {};
	for (const context of contextsOf(description)) {
		const entries: Record<string, SurfaceEntry> = {};
		for (const p of description.properties) if (shows(p, context)) record(entries, p.name, p);
		surface[`${description.name}@${context.label}`] = entries;
	}
	return surface;
}
