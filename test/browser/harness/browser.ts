/**
 * Debian's Chromium driven by playwright-core (no browser of Playwright's own: nothing is
 * downloaded), one fresh profile per run, and what a failed scenario leaves behind: a screenshot
 * and the page's console log under `.e2e/browser/`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, selectors, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { E2E_DIR } from '../../../harness/n8n';

export const ARTIFACTS_DIR = join(E2E_DIR, 'browser');

/** Big enough for n8n's node panel to show labels unabridged. */
export const VIEWPORT = { width: 1440, height: 900 };

/**
 * The Chromium binary: $HOOX_CHROMIUM, else `chromium` on PATH (scripts/provision-browser.sh
 * installs Debian's package).
 */
export function chromiumPath(): string {
	const fromEnv = process.env.HOOX_CHROMIUM;
	if (fromEnv) {
		if (!existsSync(fromEnv)) throw new Error(`HOOX_CHROMIUM=${fromEnv} does not exist`);
		return fromEnv;
	}
	try {
		return execFileSync('bash', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error('chromium is not installed: run bash scripts/provision-browser.sh');
	}
}

/** Flags for a headless run on a closed network, as root, without a GPU. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface BrowserSession {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Console messages and page errors, in order. */
	consoleLines: string[];
	close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
	// n8n's editor marks its elements with data-test-id (not Playwright's default data-testid).
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(join(tmpdir(), 'hoox-browser-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath(),
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const browser = context.browser() as Browser;
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(15_000);
	const consoleLines: string[] = [];
	const stamp = () => new Date().toISOString().slice(11, 23);
	page.on('console', (m) => consoleLines.push(`${stamp()} [${m.type()}] ${m.text()}`));
	page.on('pageerror', (e) => consoleLines.push(`${stamp()} [pageerror] ${e.message}`));
	return {
		browser,
		context,
		page,
		consoleLines,
		async close() {
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

function slug(title: string): string {
	return title
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 80);
}

/** Saves `<scenario>.png` and `<scenario>.console.log`; returns the screenshot path. */
export async function saveFailureArtifacts(
	session: BrowserSession,
	scenario: string,
	error: unknown,
): Promise<string> {
	mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const base = join(ARTIFACTS_DIR, slug(scenario));
	await session.page.screenshot({ path: `${base}.png`, fullPage: false }).catch(() => undefined);
	const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
	writeFileSync(
		`${base}.console.log`,
		[
			`scenario: ${scenario}`,
			`url: ${session.page.url()}`,
			`error: ${message}`,
			'',
			...session.consoleLines,
		].join('\n') + '\n',
	);
	return `${base}.png`;
}
