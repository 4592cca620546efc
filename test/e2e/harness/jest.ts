/**
 * Jest glue: one n8n per selected version per test file.
 *
 *   describeN8n('credential', (ctx) => {
 *     it('tests a key', async () => { await ctx.n8n.testCredential(ctx.credential, {}); });
 *   });
 *
 * For each version in HOOX_E2E_N8N (2, 1 or all; default all) this makes a `describe` block whose
 * beforeAll starts the emulator + n8n (package packed and installed, owner set up, a Hoox credential
 * created) and whose afterAll stops them. Blocks run one after the other, so only one n8n runs at a
 * time. Set the file's timeout with `jest.setTimeout(...)` or per test.
 */
import type { Emulator } from '../../../emulator';
import {
	N8N_VERSIONS,
	selectedMajors,
	startStack,
	type CredentialRef,
	type HooxTarget,
	type N8nInstance,
	type N8nMajor,
	type Stack,
	type StackOptions,
} from '../../../harness/n8n';

export const START_TIMEOUT_MS = 240_000;
export const STOP_TIMEOUT_MS = 60_000;

export class E2EContext {
	readonly major: N8nMajor;
	readonly version: string;
	private stack: Stack | undefined;

	constructor(major: N8nMajor) {
		this.major = major;
		this.version = N8N_VERSIONS[major];
	}

	private get s(): Stack {
		if (!this.stack)
			throw new Error(
				`n8n ${this.version} is not running (its beforeAll failed; see the first error)`,
			);
		return this.stack;
	}

	get n8n(): N8nInstance {
		return this.s.n8n;
	}

	get emulator(): Emulator {
		const emulator = this.s.emulator;
		if (!emulator) throw new Error('this stack runs against a real Hoox, not the emulator');
		return emulator;
	}

	get hoox(): HooxTarget {
		return this.s.hoox;
	}

	/** The Hoox credential created at start (type hooxApi, pointing at the emulator). */
	get credential(): CredentialRef {
		const c = this.s.credential;
		if (!c) throw new Error('no credential was created for this stack');
		return c;
	}

	/** `{ hooxApi: { id, name } }` for node JSON and dynamic-parameter calls. */
	get credentials(): Record<string, { id: string; name: string }> {
		return { [this.credential.type]: { id: this.credential.id, name: this.credential.name } };
	}

	async start(opts: Omit<StackOptions, 'major'>): Promise<void> {
		this.stack = await startStack({ ...opts, major: this.major });
	}

	async stop(): Promise<void> {
		const stack = this.stack;
		this.stack = undefined;
		if (stack) await stack.close();
	}
}

export interface DescribeN8nOptions extends Omit<StackOptions, 'major' | 'label'> {
	/** Label for kept logs; default: derived from the title. */
	label?: string;
}

export function describeN8n(
	title: string,
	body: (ctx: E2EContext) => void,
	opts: DescribeN8nOptions = {},
): void {
	const label =
		opts.label ??
		title
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '');
	for (const major of selectedMajors()) {
		const ctx = new E2EContext(major);
		describe(`${title} [n8n ${ctx.version}]`, () => {
			beforeAll(async () => {
				await ctx.start({ credentialName: 'Hoox sandbox', ...opts, label });
			}, START_TIMEOUT_MS);
			afterAll(async () => {
				await ctx.stop();
			}, STOP_TIMEOUT_MS);
			body(ctx);
		});
	}
}
