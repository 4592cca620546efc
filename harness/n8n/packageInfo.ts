/**
 * What the package under test declares (package.json `n8n`) and the type names n8n should register
 * for it, read from the built files in dist/ the way n8n's loader does (class name = file name
 * before the first dot; type = `<package name>.<description.name>`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from './install';

export interface DeclaredType {
	/** Path from package.json, e.g. dist/nodes/Hoox/Hoox.node.js */
	file: string;
	/** Whether the built file exists. */
	built: boolean;
	/** Registered name: `n8n-nodes-hoox.hoox` for nodes, `hooxApi` for credentials (null if not built). */
	typeName: string | null;
	/** Nodes: `description.usableAsTool` (n8n then also registers `<typeName>Tool`). */
	usableAsTool?: boolean;
	/** Nodes: the credential types the node declares; credentials: the display name. */
	credentialNames?: string[];
	displayName?: string;
}

export interface PackageInfo {
	name: string;
	version: string;
	nodes: DeclaredType[];
	credentials: DeclaredType[];
}

function classOf(file: string): string {
	return basename(file).split('.')[0];
}

function loadClass(file: string): Record<string, unknown> {
	// The built file is CommonJS; its n8n-workflow import resolves to the devDependency.
	const mod = require(join(REPO_ROOT, file)) as Record<string, new () => Record<string, unknown>>;
	const Cls = mod[classOf(file)];
	if (typeof Cls !== 'function') throw new Error(`${file} does not export class ${classOf(file)}`);
	return new Cls();
}

export function readPackageInfo(): PackageInfo {
	const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const nodes = (pkg.n8n?.nodes ?? []).map((file): DeclaredType => {
		const built = existsSync(join(REPO_ROOT, file));
		if (!built) return { file, built, typeName: null };
		const description = loadClass(file).description as {
			name: string;
			usableAsTool?: unknown;
			credentials?: Array<{ name: string }>;
		};
		return {
			file,
			built,
			typeName: `${pkg.name}.${description.name}`,
			usableAsTool: !!description.usableAsTool,
			credentialNames: (description.credentials ?? []).map((c) => c.name),
		};
	});
	const credentials = (pkg.n8n?.credentials ?? []).map((file): DeclaredType => {
		const built = existsSync(join(REPO_ROOT, file));
		if (!built) return { file, built, typeName: null };
		const credential = loadClass(file);
		return {
			file,
			built,
			typeName: String(credential.name),
			displayName: String(credential.displayName),
		};
	});
	return { name: pkg.name, version: pkg.version, nodes, credentials };
}

/** Whether a built file exists in dist/ (e.g. `dist/nodes/Hoox/Hoox.node.js`). */
export function isBuilt(file: string): boolean {
	return existsSync(join(REPO_ROOT, file));
}
