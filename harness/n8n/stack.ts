/**
 * The whole e2e stack in one call, shared by the e2e tests and `npm start`:
 * emulator (or a real Hoox) + packed package installed into an n8n user folder + n8n started with
 * its owner + optionally a Hoox credential.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, TEST_API_KEY, type Emulator, type EmulatorOptions } from '../../emulator';
import { E2E_DIR, resolveInstall, type N8nMajor } from './install';
import { N8nInstance, type CredentialRef, type Owner } from './n8n';
import { installPackageInto } from './pack';

export const CREDENTIAL_TYPE = 'hooxApi';

export interface HooxTarget {
	baseUrl: string;
	apiKey: string;
}

export interface StackOptions {
	major: N8nMajor;
	/** Names the kept log files: `.e2e/logs/<label>-n8n<version>.log`. */
	label: string;
	/** Persistent user folder (kept on close). Default: a fresh temp folder, removed on close. */
	userFolder?: string;
	/** n8n log file. Default: `<temp dir>/n8n.log`, copied to `.e2e/logs/` on stop. */
	logFile?: string;
	port?: number;
	brokerPort?: number;
	owner?: Owner;
	/** Use this Hoox instead of starting the emulator. */
	hoox?: HooxTarget;
	/** Options for the emulator (ignored with `hoox`). */
	emulator?: EmulatorOptions;
	/** Create a Hoox credential pointing at the target, with this name. */
	credentialName?: string;
	env?: Record<string, string>;
}

export interface Stack {
	n8n: N8nInstance;
	/** The in-process emulator (undefined when a real Hoox is used). */
	emulator?: Emulator;
	hoox: HooxTarget;
	credential?: CredentialRef;
	/** Stops n8n (group kill, log kept, fails on `Failed to load package`) and the emulator. */
	close(): Promise<void>;
}

/** A Hoox credential's data for a target. */
export function credentialData(target: HooxTarget): Record<string, string> {
	return { apiKey: target.apiKey, baseUrl: target.baseUrl };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
	const install = resolveInstall(opts.major);
	const tmp = mkdtempSync(join(tmpdir(), `hoox-e2e-${opts.label}-n8n${opts.major}-`));
	const userFolder = opts.userFolder ?? join(tmp, 'user');
	const logFile = opts.logFile ?? join(tmp, 'n8n.log');
	const keepBase = join(E2E_DIR, 'logs', `${opts.label}-n8n${install.version}`);
	mkdirSync(join(E2E_DIR, 'logs'), { recursive: true });

	let emulator: Emulator | undefined;
	let n8n: N8nInstance | undefined;
	const cleanup = async () => {
		if (emulator) {
			keepEmulatorLog(emulator, keepBase);
			await emulator.close().catch(() => undefined);
			emulator = undefined;
		}
	};
	try {
		const hoox: HooxTarget =
			opts.hoox ??
			(await (async () => {
				emulator = await startEmulator(opts.emulator ?? {});
				return { baseUrl: emulator.baseUrl, apiKey: TEST_API_KEY };
			})());
		const tPack = Date.now();
		await installPackageInto(userFolder);
		const packMs = Date.now() - tPack;
		n8n = await N8nInstance.start({
			install,
			userFolder,
			logFile,
			keepLogAs: `${keepBase}.log`,
			port: opts.port,
			brokerPort: opts.brokerPort,
			owner: opts.owner,
			env: opts.env,
		});
		appendFileSync(
			join(E2E_DIR, 'logs', 'timings.log'),
			`${new Date().toISOString()} ${opts.label} n8n ${install.version}: pack+install ${(packMs / 1000).toFixed(1)} s, ` +
				`start to REST ready ${(n8n.startMs / 1000).toFixed(1)} s\n`,
		);
		const credential = opts.credentialName
			? await n8n.createCredential(opts.credentialName, CREDENTIAL_TYPE, credentialData(hoox))
			: undefined;
		const started = n8n;
		let closed = false;
		return {
			n8n: started,
			emulator,
			hoox,
			credential,
			async close() {
				if (closed) return;
				closed = true;
				try {
					await started.stop();
				} finally {
					await cleanup();
					// tmp holds the user folder and log unless the caller gave its own.
					if (!process.env.HOOX_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
				}
			},
		};
	} catch (error) {
		if (n8n) await (n8n as N8nInstance).stop().catch(() => undefined);
		await cleanup();
		if (!process.env.HOOX_E2E_KEEP) rmSync(tmp, { recursive: true, force: true });
		throw error;
	}
}

/** Keeps the emulator's request log and webhook deliveries next to n8n's log (best effort). */
export function keepEmulatorLog(emulator: Emulator, keepBase: string): void {
	try {
		writeFileSync(
			`${keepBase}.emulator.json`,
			JSON.stringify(
				{ requests: emulator.requests(), webhookDeliveries: emulator.webhookDeliveries() },
				null,
				1,
			),
		);
	} catch {
		// best effort
	}
}
