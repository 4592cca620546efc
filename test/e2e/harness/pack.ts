/**
 * Puts the package into an n8n user folder exactly as users get it: `npm pack` of the built repo,
 * then `npm install <tarball> --omit=peer --ignore-scripts` into `<user folder>/.n8n/nodes`, where
 * n8n loads `n8n-nodes-*` directories at start-up (no database record, no npm run by n8n).
 *
 * `--omit=peer` keeps a second n8n-workflow out: the node must resolve n8n's own copy.
 * The tarball is packed and installed once per process (into a temp staging folder) and then
 * copied into each user folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './install';

const run = promisify(execFile);

export interface PackedPackage {
	tarball: string;
	sha256: string;
	/** A `nodes` folder with node_modules/<package> installed, to copy from. */
	staging: string;
	name: string;
}

let packed: Promise<PackedPackage> | undefined;

async function npm(args: string[], cwd: string): Promise<string> {
	try {
		const { stdout } = await run('npm', args, {
			cwd,
			maxBuffer: 16 * 1024 * 1024,
			env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
		});
		return stdout;
	} catch (error) {
		const e = error as { stderr?: string; stdout?: string; message: string };
		throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
	}
}

async function packOnce(): Promise<PackedPackage> {
	const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string };
	if (!existsSync(join(REPO_ROOT, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
	}
	const work = mkdtempSync(join(tmpdir(), 'hoox-e2e-pack-'));
	const out = await npm(['pack', '--json', '--pack-destination', work], REPO_ROOT);
	const jsonStart = out.indexOf('[');
	const [{ filename }] = JSON.parse(out.slice(jsonStart)) as Array<{ filename: string }>;
	const tarball = join(work, filename);
	const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
	const staging = join(work, 'nodes');
	mkdirSync(staging, { recursive: true });
	writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	await npm(
		['install', tarball, '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
		staging,
	);
	if (!existsSync(join(staging, 'node_modules', pkg.name, 'package.json'))) {
		throw new Error(`npm install of ${tarball} did not produce node_modules/${pkg.name}`);
	}
	return { tarball, sha256, staging, name: pkg.name };
}

/** Packs and stages the package (once per process). */
export function packPackage(): Promise<PackedPackage> {
	packed ??= packOnce();
	return packed;
}

/**
 * Installs the packed package into `<userFolder>/.n8n/nodes`, replacing a previous install of it
 * (other community packages in that folder are left alone).
 */
export async function installPackageInto(userFolder: string): Promise<PackedPackage> {
	const p = await packPackage();
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	if (!existsSync(join(nodesDir, 'package.json'))) {
		cpSync(join(p.staging, 'package.json'), join(nodesDir, 'package.json'));
	}
	const target = join(nodesDir, 'node_modules', p.name);
	rmSync(target, { recursive: true, force: true });
	cpSync(join(p.staging, 'node_modules', p.name), target, { recursive: true });
	return p;
}

/** Removes the per-process staging folder (the tarball and its install). */
export function cleanupPack(): void {
	if (!packed) return;
	const pending = packed;
	packed = undefined;
	pending.then(
		(p) => rmSync(join(p.staging, '..'), { recursive: true, force: true }),
		() => undefined,
	);
}
