import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_API_KEY } from '../../emulator';

const ROOT = join(__dirname, '../..');

describe('emulator: standalone CLI', () => {
	let child: ChildProcess | undefined;
	afterEach(() => {
		if (child && child.exitCode === null) child.kill('SIGKILL');
	});

	it('prints the base URL and the sample key, serves the API, and exits cleanly on SIGTERM', async () => {
		child = spawn(
			process.execPath,
			[
				join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
				join(ROOT, 'emulator/cli.ts'),
				'--port',
				'0',
				'--quiet',
			],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		const banner = await new Promise<string>((resolve, reject) => {
			child!.stdout!.on('data', (c: Buffer) => {
				out += c.toString();
				if (/Control:/.test(out)) resolve(out);
			});
			child!.on('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
		});
		const baseUrl = /Base URL:\s+(\S+)/.exec(banner)![1];
		const key = /API key:\s+(\S+)/.exec(banner)![1];
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/public\/v1$/);
		expect(key).toBe(TEST_API_KEY);
		const r = await fetch(`${baseUrl}/asset/models?type=image`, {
			headers: { authorization: `Bearer ${key}` },
		});
		expect(r.status).toBe(200);
		expect(((await r.json()) as { type: string }).type).toBe('image');
		const exited = new Promise<number | null>((resolve) =>
			child!.on('exit', (code) => resolve(code)),
		);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}, 30_000);
});
