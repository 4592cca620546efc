/**
 * `npm start` exactly as a user runs it: through npm, so npm's configuration (this repo's .npmrc,
 * ignore-scripts=true among it) reaches scripts/start.sh and the provisioning as npm_config_*
 * variables — the environment that broke a cold start (issue 8). Free ports and a temp data dir;
 * n8n 2.x only (what `npm start` runs by default).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, portInUse, REPO_ROOT, SANDBOX_OWNER, selectedMajors } from '../../harness/n8n';

jest.setTimeout(300_000);

const READY = /Press Ctrl-C to stop\./;
const runs = selectedMajors().includes('2') ? describe : describe.skip;

/** Resolves with the output so far once `pattern` shows up; rejects if the process exits first. */
function waitForOutput(child: ChildProcess, out: { text: string }, pattern: RegExp): Promise<void> {
	return new Promise((resolve, reject) => {
		const check = () => pattern.test(out.text) && (cleanup(), resolve());
		const onExit = (code: number | null) => {
			cleanup();
			reject(new Error(`npm start exited (${code}) before ${pattern}:\n${out.text.slice(-3000)}`));
		};
		const cleanup = () => {
			child.stdout?.off('data', check);
			child.off('exit', onExit);
		};
		child.stdout?.on('data', check);
		child.on('exit', onExit);
		check();
	});
}

runs('npm start (through npm, as a user runs it)', () => {
	let child: ChildProcess | undefined;
	const out = { text: '' };
	let dataDir: string;
	let n8nPort: number;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'hoox-npm-start-'));
		n8nPort = await freePort();
		child = spawn('npm', ['start'], {
			cwd: REPO_ROOT,
			detached: true, // own process group: the stop below reaches npm, bash, tsx and n8n
			env: {
				...process.env,
				HOOX_N8N_PORT: String(n8nPort),
				HOOX_EMULATOR_PORT: String(await freePort()),
				HOOX_START_DIR: dataDir,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout!.on('data', (c: Buffer) => (out.text += c.toString()));
		child.stderr!.on('data', (c: Buffer) => (out.text += c.toString()));
		await waitForOutput(child, out, READY);
	}, 300_000);

	afterAll(async () => {
		if (child?.pid && child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child!.once('exit', r));
			process.kill(-child.pid, 'SIGINT');
			await exited;
		}
		rmSync(dataDir, { recursive: true, force: true });
	}, 60_000);

	it('runs through npm, which exports its configuration (.npmrc ignore-scripts) to the scripts', () => {
		// start.sh prints nothing about it; the provisioning step it ran was inherited this env.
		expect(out.text).toMatch(/> bash scripts\/start\.sh/);
		expect(out.text).toMatch(
			/\[provision-n8n [^\]]+\] (n8n 2\.\d+\.\d+ ready|.*already provisioned)/,
		);
	});

	it('prints n8n ready with the owner, the sandbox credential and the example workflows', () => {
		expect(out.text).toContain(`Open      http://localhost:${n8nPort}`);
		expect(out.text).toContain(`Log in    ${SANDBOX_OWNER.email}`);
		expect(out.text).toMatch(/Credential "Hoox sandbox" \(type Hoox API\)/);
		expect(out.text).toMatch(/Example workflows:\n(\s+- .+\n)+/);
	});

	it('serves the n8n editor and lets the printed owner sign in', async () => {
		const editor = await fetch(`http://127.0.0.1:${n8nPort}/`);
		expect(editor.status).toBe(200);
		const login = await fetch(`http://127.0.0.1:${n8nPort}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				emailOrLdapLoginId: SANDBOX_OWNER.email,
				password: SANDBOX_OWNER.password,
			}),
		});
		expect(login.status).toBe(200);
	});

	it('stops n8n and the emulator on Ctrl-C (SIGINT to the whole process group)', async () => {
		const exited = new Promise((r) => child!.once('exit', r));
		process.kill(-child!.pid!, 'SIGINT');
		await exited;
		await until(async () => !(await portInUse(n8nPort)), 30_000);
		expect(out.text).toContain('Stopping n8n and the Hoox emulator');
		expect(await portInUse(n8nPort)).toBe(false);
	});
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
}
