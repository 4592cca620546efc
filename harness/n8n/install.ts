/**
 * Where the pinned n8n installs live (made by scripts/provision-n8n.sh) and which of them a run
 * uses. Nothing here installs anything: a missing install is an error that says what to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type N8nMajor = '1' | '2';

/** Pinned versions; keep in sync with scripts/provision-n8n.sh. */
export const N8N_VERSIONS: Record<N8nMajor, string> = { '2': '2.41.1', '1': '1.123.81' };

export const REPO_ROOT = resolve(__dirname, '../..');
/** Scratch space in the repo (gitignored): kept logs, the `npm start` user folder. */
export const E2E_DIR = join(REPO_ROOT, '.e2e');

export function cacheRoot(): string {
	return process.env.HOOX_N8N_CACHE || join(homedir(), '.cache', 'n8n-nodes-hoox');
}

export interface N8nInstall {
	major: N8nMajor;
	version: string;
	/** The install directory (has node_modules/n8n). */
	dir: string;
	/** The n8n CLI entry script, run with `node`. */
	n8nBin: string;
	/** The Node binary this n8n runs on. */
	node: string;
	nodeVersion: string;
}

/** The majors this run covers: env HOOX_E2E_N8N = 2 | 1 | all (default all), 2.x first. */
export function selectedMajors(): N8nMajor[] {
	const raw = (process.env.HOOX_E2E_N8N || 'all').trim().toLowerCase();
	if (raw === 'all' || raw === '') return ['2', '1'];
	const out: N8nMajor[] = [];
	for (const part of raw.split(/[ ,]+/)) {
		const major = part.replace(/^v/, '').split('.')[0];
		if (major !== '1' && major !== '2') {
			throw new Error(`HOOX_E2E_N8N=${raw}: expected 2, 1 or all`);
		}
		if (!out.includes(major)) out.push(major);
	}
	return out;
}

/** The provisioned install for a major, or an error telling how to provision it. */
export function resolveInstall(major: N8nMajor): N8nInstall {
	const version = N8N_VERSIONS[major];
	const dir = join(cacheRoot(), `n8n-${version}`);
	const marker = join(dir, '.provisioned');
	if (!existsSync(marker)) {
		throw new Error(
			`n8n ${version} is not provisioned in ${dir}. Run: bash scripts/provision-n8n.sh ${major}` +
				' (or set HOOX_E2E_N8N to the majors you have)',
		);
	}
	const info = JSON.parse(readFileSync(marker, 'utf8')) as { node: string; nodeVersion: string };
	if (!existsSync(info.node)) {
		throw new Error(
			`n8n ${version}: Node binary ${info.node} is gone; delete ${marker} and provision again`,
		);
	}
	return {
		major,
		version,
		dir,
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node: info.node,
		nodeVersion: info.nodeVersion,
	};
}

export function isProvisioned(major: N8nMajor): boolean {
	return existsSync(join(cacheRoot(), `n8n-${N8N_VERSIONS[major]}`, '.provisioned'));
}
