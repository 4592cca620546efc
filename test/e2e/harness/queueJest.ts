/**
 * Jest glue for the queue-mode tier (jest project `queue`, files in test/e2e/queue/): one queue
 * stack (queueStack.ts) per selected n8n version per test file.
 *
 * Versions: env HOOX_E2E_QUEUE_N8N (2, 1 or all; default 2). Figures the tests measure go to the
 * test output and to `.e2e/logs/queue-figures.log`.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator';
import {
	E2E_DIR,
	N8N_VERSIONS,
	startQueueStack,
	type N8nInstance,
	type N8nMajor,
	type QueueStack,
	type QueueStackOptions,
} from '../../../harness/n8n';

export const QUEUE_START_TIMEOUT_MS = 300_000;

/** Majors for the queue tier: HOOX_E2E_QUEUE_N8N = 2 | 1 | all (default 2). */
export function queueMajors(): N8nMajor[] {
	const raw = (process.env.HOOX_E2E_QUEUE_N8N || '2').trim().toLowerCase();
	if (raw === 'all') return ['2', '1'];
	if (raw === '1' || raw === '2') return [raw];
	throw new Error(`HOOX_E2E_QUEUE_N8N=${raw}: expected 2, 1 or all`);
}

export class QueueContext {
	stack: QueueStack | undefined;
	constructor(readonly major: N8nMajor) {}

	get version(): string {
		return N8N_VERSIONS[this.major];
	}

	get s(): QueueStack {
		if (!this.stack) throw new Error(`queue stack for n8n ${this.version} is not running`);
		return this.stack;
	}

	get n8n(): N8nInstance {
		return this.s.n8n;
	}

	get emulator(): Emulator {
		const e = this.s.emulator;
		if (!e) throw new Error('this stack runs against a real Hoox, not the emulator');
		return e;
	}

	get credentials(): Record<string, { id: string; name: string }> {
		const c = this.s.credential;
		if (!c) throw new Error('no credential was created for this stack');
		return { [c.type]: { id: c.id, name: c.name } };
	}

	/** Prints a measured figure and appends it to .e2e/logs/queue-figures.log. */
	report(line: string): void {
		const text = `[queue n8n ${this.version}] ${line}`;
		mkdirSync(join(E2E_DIR, 'logs'), { recursive: true });
		appendFileSync(
			join(E2E_DIR, 'logs', 'queue-figures.log'),
			`${new Date().toISOString()} ${text}\n`,
		);
		process.stdout.write(`${text}\n`);
	}
}

export function describeQueue(
	title: string,
	body: (ctx: QueueContext) => void,
	opts: Omit<QueueStackOptions, 'major' | 'label'> & { label: string },
): void {
	for (const major of queueMajors()) {
		const ctx = new QueueContext(major);
		describe(`${title} [queue mode, n8n ${ctx.version}]`, () => {
			beforeAll(async () => {
				ctx.stack = await startQueueStack({ credentialName: 'Hoox sandbox', ...opts, major });
			}, QUEUE_START_TIMEOUT_MS);
			afterAll(async () => {
				const stack = ctx.stack;
				ctx.stack = undefined;
				await stack?.close();
			}, 120_000);
			body(ctx);
		});
	}
}
