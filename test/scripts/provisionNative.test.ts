/**
 * Regression test for the cold-machine failure of issue 8: under `npm test` / `npm start` npm
 * exports this repo's `.npmrc` (ignore-scripts=true) as npm_config_ignore_scripts, which turned
 * the provisioning's native rebuild into a no-op. The rebuild step must run a package's install
 * script whatever npm configuration it inherits.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(60_000);

const SCRIPT = resolve(__dirname, '../../scripts/provision-n8n.sh');

/** A project with one local dependency whose install script leaves a marker file. */
function makeProject(root: string): { project: string; marker: string } {
	const pkg = join(root, 'native-marker');
	mkdirSync(pkg);
	writeFileSync(
		join(pkg, 'package.json'),
		JSON.stringify({
			name: 'native-marker',
			version: '1.0.0',
			scripts: { install: `node -e "require('fs').writeFileSync('built.marker', 'ok')"` },
		}),
	);
	const project = join(root, 'project');
	mkdirSync(project);
	writeFileSync(
		join(project, 'package.json'),
		JSON.stringify({
			name: 'provision-fixture',
			version: '1.0.0',
			private: true,
			dependencies: { 'native-marker': 'file:../native-marker' },
		}),
	);
	// Installed like the n8n tree: install scripts off.
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--silent'], {
		cwd: project,
	});
	return { project, marker: join(pkg, 'built.marker') };
}

function rebuild(project: string, env: NodeJS.ProcessEnv): void {
	execFileSync('bash', [SCRIPT, 'rebuild-native', 'native-marker'], { cwd: project, env });
}

describe('provision-n8n.sh rebuild-native', () => {
	let root: string;
	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'hoox-provision-'));
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('runs the install script when npm_config_ignore_scripts=true is inherited (npm test / npm start)', () => {
		const { project, marker } = makeProject(root);
		expect(existsSync(marker)).toBe(false);
		rebuild(project, { ...process.env, npm_config_ignore_scripts: 'true' });
		expect(existsSync(marker)).toBe(true);
	});

	it('runs the install script from a plain shell (no npm configuration in the environment)', () => {
		const { project, marker } = makeProject(root);
		const env = Object.fromEntries(
			Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)),
		);
		rebuild(project, env);
		expect(existsSync(marker)).toBe(true);
	});
});
