/**
 * The `npm start` sandbox, as a library so its start-up path is tested (test/e2e/start.test.ts):
 * the stack from stack.ts, plus a Hoox credential kept up to date by name, plus the example
 * workflows from examples/ imported (created, or updated by name) with the credential injected.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './install';
import type { CredentialRef, N8nInstance, WorkflowInput } from './n8n';
import { startQueueStack, type QueueStack, type QueueStackOptions } from './queueStack';
import {
	CREDENTIAL_TYPE,
	credentialData,
	startStack,
	type HooxTarget,
	type Stack,
	type StackOptions,
} from './stack';

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export const SANDBOX_OWNER = {
	email: 'hoox@example.com',
	firstName: 'Hoox',
	lastName: 'Sandbox',
	password: 'HooxSandbox1',
};

export interface ImportedWorkflow {
	id: string;
	name: string;
	/** File in examples/ it came from. */
	file: string;
	/** 'created' on a fresh user folder, 'updated' when a workflow of that name existed. */
	action: 'created' | 'updated';
	/** True when the file says `"active": true` (e.g. a trigger workflow): it was activated after import. */
	active?: boolean;
}

export interface Sandbox {
	stack: Stack | QueueStack;
	credential: CredentialRef;
	workflows: ImportedWorkflow[];
	close(): Promise<void>;
}

export interface SandboxOptions extends Omit<StackOptions, 'credentialName' | 'owner'> {
	credentialName?: string;
	/** n8n queue mode (queueStack.ts) instead of one n8n process; `userFolder`/`logFile` unused. */
	queue?: Omit<QueueStackOptions, keyof StackOptions>;
}

/** Example workflow files: `examples/*.json` (n8n workflow exports), sorted by name. */
export function exampleFiles(dir = EXAMPLES_DIR): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join(dir, f));
}

/** Reads an example and points every Hoox credential reference at `credential`. */
export function loadExample(file: string, credential: CredentialRef): WorkflowInput {
	const wf = JSON.parse(readFileSync(file, 'utf8')) as WorkflowInput;
	if (!wf.name || !Array.isArray(wf.nodes) || typeof wf.connections !== 'object') {
		throw new Error(`${file} is not an n8n workflow export (needs name, nodes, connections)`);
	}
	for (const node of wf.nodes) {
		const creds = node.credentials as Record<string, unknown> | undefined;
		if (creds && CREDENTIAL_TYPE in creds) {
			creds[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
		}
	}
	return wf;
}

/** Finds the Hoox credential by name and updates its data, or creates it. */
export async function ensureCredential(
	n8n: N8nInstance,
	name: string,
	target: HooxTarget,
): Promise<CredentialRef> {
	const existing = (await n8n.listCredentials()).find(
		(c) => c.name === name && c.type === CREDENTIAL_TYPE,
	);
	if (existing) {
		const ref = { id: String(existing.id), name, type: CREDENTIAL_TYPE };
		await n8n.updateCredential(ref, credentialData(target));
		return ref;
	}
	return n8n.createCredential(name, CREDENTIAL_TYPE, credentialData(target));
}

/**
 * Imports every example: creates it, or updates the workflow that has its name. An example whose
 * file says `"active": true` (a trigger workflow other examples call) is activated once imported,
 * unless it is active already.
 */
export async function importExamples(
	n8n: N8nInstance,
	credential: CredentialRef,
	dir = EXAMPLES_DIR,
): Promise<ImportedWorkflow[]> {
	const existing = await n8n.listWorkflows();
	const out: ImportedWorkflow[] = [];
	for (const file of exampleFiles(dir)) {
		const wf = loadExample(file, credential);
		const same = existing.find((w) => w.name === wf.name);
		let imported: ImportedWorkflow;
		if (same) {
			const updated = await n8n.updateWorkflow(String(same.id), wf);
			imported = { id: String(updated.id ?? same.id), name: wf.name, file, action: 'updated' };
		} else {
			const created = await n8n.createWorkflow(wf);
			imported = { id: created.id, name: wf.name, file, action: 'created' };
		}
		if (wf.active === true) {
			if (!same?.active) await n8n.activate(imported.id);
			imported.active = true;
		}
		out.push(imported);
	}
	return out;
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
	const stack = opts.queue
		? await startQueueStack({ ...opts, ...opts.queue, owner: SANDBOX_OWNER })
		: await startStack({ ...opts, owner: SANDBOX_OWNER });
	try {
		const name = opts.credentialName ?? (opts.hoox ? 'Hoox' : 'Hoox sandbox');
		const credential = await ensureCredential(stack.n8n, name, stack.hoox);
		const workflows = await importExamples(stack.n8n, credential);
		return { stack, credential, workflows, close: () => stack.close() };
	} catch (error) {
		await stack.close().catch(() => undefined);
		throw error;
	}
}
