// Lints exactly as n8n's community-package scanner does (its own analyzePackage, inline
// eslint-disable comments ignored): once on the source files, once on the unpacked npm tarball.
// Needs a fresh build (npm run lint builds first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let failed = false;

async function check(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) {
		console.log(`lint ${label}: passed${result.message ? ` (${result.message})` : ''}`);
		return;
	}
	failed = true;
	console.log(`lint ${label}: FAILED — ${result.message}`);
	if (result.details) console.log(result.details);
}

await check('source (package.json, nodes/, credentials/)', root, SOURCE_FILE_PATTERNS);

const work = mkdtempSync(join(tmpdir(), 'hoox-lint-'));
try {
	execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
	const unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
	const shipped = execFileSync('tar', ['-tzf', join(work, tarball)]).toString();
	if (/package\/(test|harness|emulator|scripts)\//.test(shipped) || /\.test\.js/.test(shipped)) {
		failed = true;
		console.log('lint tarball: FAILED — test or dev files are in the package');
	}
	await check('npm tarball (**/*.js, package.json)', unpacked, ['**/*.js', 'package.json']);
} finally {
	rmSync(work, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
