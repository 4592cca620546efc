/**
 * Jest glue for the browser tier: one `npm start` stack (n8n 2.41.1 with the packed package, the
 * emulator, the sandbox credential and example workflows: startSandbox) and one Chromium for the
 * whole file; scenarios run in order and share them. A failing scenario leaves a screenshot and the
 * page's console log in `.e2e/browser/`. With HOOX_SCREENSHOTS=1, `shoot()` also writes the
 * README's pictures into docs/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { Emulator, EmulatorOptions, RecordedRequest } from '../../../emulator';
import {
	freePort,
	REPO_ROOT,
	startSandbox,
	type N8nInstance,
	type Sandbox,
} from '../../../harness/n8n';
import { launchBrowser, saveFailureArtifacts, type BrowserSession } from './browser';

export const DOCS_DIR = join(REPO_ROOT, 'docs');

export class EditorContext {
	sandbox: Sandbox | undefined;
	session: BrowserSession | undefined;
	/** Set by a scenario for the ones after it (the workflow it built, ...). */
	readonly shared: Record<string, string> = {};

	private get s(): Sandbox {
		if (!this.sandbox) throw new Error('the stack did not start (see the first error)');
		return this.sandbox;
	}

	get n8n(): N8nInstance {
		return this.s.stack.n8n;
	}

	get emulator(): Emulator {
		const emulator = this.s.stack.emulator;
		if (!emulator) throw new Error('no emulator in this stack');
		return emulator;
	}

	get baseUrl(): string {
		return this.n8n.baseUrl;
	}

	get page() {
		if (!this.session) throw new Error('the browser did not start (see the first error)');
		return this.session.page;
	}

	/** The emulator's request-log position: pass it to `requestsSince`. */
	mark(): number {
		const all = this.emulator.requests();
		return all.length ? all[all.length - 1].seq : 0;
	}

	/** API requests the emulator answered after `mark`, optionally `METHOD /path` prefix-filtered. */
	requestsSince(mark: number, route?: string): RecordedRequest[] {
		const [method, path] = route ? route.split(' ') : [undefined, undefined];
		return this.emulator
			.requests({ kind: 'api' })
			.filter((r) => r.seq > mark)
			.filter((r) => !method || r.method === method)
			.filter((r) => !path || r.path.startsWith(path));
	}

	/** With HOOX_SCREENSHOTS=1: saves `docs/<name>.png` of `target` (default: the viewport). */
	async shoot(name: string, target?: Locator): Promise<void> {
		if (process.env.HOOX_SCREENSHOTS !== '1') return;
		mkdirSync(DOCS_DIR, { recursive: true });
		const path = join(DOCS_DIR, `${name}.png`);
		// n8n's toasts ("Node executed successfully") would cover part of the picture
		for (const close of await this.page.locator('.el-notification__closeBtn:visible').all()) {
			await close.click().catch(() => undefined);
		}
		await this.page
			.locator('.el-notification:visible')
			.first()
			.waitFor({ state: 'hidden', timeout: 5_000 })
			.catch(() => undefined);
		if (target) await target.screenshot({ path, animations: 'disabled' });
		else await this.page.screenshot({ path, animations: 'disabled' });
	}
}

export interface EditorSuiteOptions {
	emulator?: EmulatorOptions;
}

/**
 * `describe` block with the shared stack and browser; `scenario` = `it` that saves artifacts on
 * failure. Scenarios depend on the ones before them (they build one workflow step by step).
 */
export function describeEditor(
	title: string,
	body: (ctx: EditorContext, scenario: (name: string, fn: () => Promise<void>) => void) => void,
	opts: EditorSuiteOptions = {},
): void {
	const ctx = new EditorContext();
	describe(`${title} [n8n 2.41.1, Chromium]`, () => {
		beforeAll(async () => {
			ctx.sandbox = await startSandbox({
				major: '2',
				label: 'browser',
				port: await freePort(),
				brokerPort: await freePort(),
				emulator: opts.emulator,
			});
			ctx.session = await launchBrowser();
		}, 240_000);

		afterAll(async () => {
			await ctx.session?.close();
			await ctx.sandbox?.close();
		}, 60_000);

		const scenario = (name: string, fn: () => Promise<void>) =>
			it(name, async () => {
				try {
					await fn();
				} catch (error) {
					if (ctx.session) {
						const shot = await saveFailureArtifacts(ctx.session, name, error);
						if (error instanceof Error) error.message += `\n(screenshot: ${shot})`;
					}
					throw error;
				}
			});
		body(ctx, scenario);
	});
}
