/**
 * Puts the package into an n8n user folder exactly as users get it: `npm pack` of the built repo,
 * then `npm install <tarball> --omit=peer --ignore-scripts` into `<user folder>/.n8n/nodes`, where
 * n8n loads `n8n-nodes-*` directories at start-up (no database record, no npm run by n8n).
 *
 * `--omit=peer` keeps a second n8n-workflow out: the node must resolve n8n's own copy.
 * The tarball is packed and installed once per package content (hash of package.json and dist/)
 * into `.e2e/pack-cache/<hash>/` and then copied into each user folder, so test files and versions
 * share it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { E2E_DIR, REPO_ROOT } from './install';

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
			env: {
				...process.env,
				npm_config_update_notifier: 'false',
				npm_config_fund: 'false',
				npm_config_audit: 'false',
			},
		});
		return stdout;
	} catch (error) {
		const e = error as { stderr?: string; stdout?: string; message: string };
		throw new Error(
			`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`,
		);
	}
}

/** Files that make up the packed package's content: package.json, README/LICENSE and dist/. */
function contentHash(): string {
	const hash = createHash('sha256');
	const add = (rel: string) => {
		hash
			.update(rel)
			.update('\0')
			.update(readFileSync(join(REPO_ROOT, rel)))
			.update('\0');
	};
	const walk = (rel: string) => {
		for (const entry of readdirSync(join(REPO_ROOT, rel), { withFileTypes: true }).sort((a, b) =>
			a.name.localeCompare(b.name),
		)) {
			const child = `${rel}/${entry.name}`;
			if (entry.isDirectory()) walk(child);
			else if (entry.isFile()) add(child);
		}
	};
	for (const f of ['package.json', 'README.md', 'LICENSE', 'LICENSE.md'])
		if (existsSync(join(REPO_ROOT, f))) add(f);
	walk('dist');
	return hash.digest('hex');
}

const PACK_CACHE = join(E2E_DIR, 'pack-cache');

/** Drops cached installs older than an hour (never the one in use). */
function pruneCache(keep: string): void {
	if (!existsSync(PACK_CACHE)) return;
	for (const entry of readdirSync(PACK_CACHE)) {
		const dir = join(PACK_CACHE, entry);
		if (dir === keep) continue;
		try {
			if (Date.now() - statSync(dir).mtimeMs > 3600_000)
				rmSync(dir, { recursive: true, force: true });
		} catch {
			// raced with another process
		}
	}
}

async function packOnce(): Promise<PackedPackage> {
	const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string };
	if (!existsSync(join(REPO_ROOT, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
	}
	// Same content as a previous pack (any process): reuse its install.
	const sha256 = contentHash();
	const cached = join(PACK_CACHE, sha256.slice(0, 20));
	const staging = join(cached, 'nodes');
	const done = join(cached, 'done.json');
	if (existsSync(done)) {
		const { tarball } = JSON.parse(readFileSync(done, 'utf8')) as { tarball: string };
		return { tarball, sha256, staging, name: pkg.name };
	}
	mkdirSync(PACK_CACHE, { recursive: true });
	const work = mkdtempSync(join(PACK_CACHE, 'tmp-'));
	try {
		const out = await npm(['pack', '--json', '--pack-destination', work], REPO_ROOT);
		const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
		const workStaging = join(work, 'nodes');
		mkdirSync(workStaging, { recursive: true });
		writeFileSync(
			join(workStaging, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
		);
		await npm(
			[
				'install',
				join(work, filename),
				'--omit=peer',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
			],
			workStaging,
		);
		if (!existsSync(join(workStaging, 'node_modules', pkg.name, 'package.json'))) {
			throw new Error(`npm install of ${filename} did not produce node_modules/${pkg.name}`);
		}
		writeFileSync(join(work, 'done.json'), JSON.stringify({ tarball: join(cached, filename) }));
		try {
			renameSync(work, cached);
		} catch (error) {
			// Another process finished the same content first: use theirs.
			if (!existsSync(done)) throw error;
			rmSync(work, { recursive: true, force: true });
		}
	} catch (error) {
		rmSync(work, { recursive: true, force: true });
		throw error;
	}
	pruneCache(cached);
	const { tarball } = JSON.parse(readFileSync(done, 'utf8')) as { tarball: string };
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

/** Forgets this process's pack (the next install packs again if dist/ changed). */
export function cleanupPack(): void {
	packed = undefined;
}
