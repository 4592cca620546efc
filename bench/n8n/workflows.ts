/**
 * The three ways of waiting the n8n bench compares, as workflows for one run: the hand-built loop
 * (hand-loop.workflow.json, as users build it today) and the Hoox node's Generate with Wait Mode
 * Poll or Resume on Webhook. Each run gets its input items pinned on the Manual trigger: one image
 * per item, its generation time set with the emulator's `x_emulator.duration_ms` knob.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CredentialRef, WorkflowInput } from '../../harness/n8n';

export type Variant = 'hand loop' | 'poll' | 'resume';

/** The node every variant ends in: its start is when the workflow goes on. */
export const AFTER = 'After';
export const HOOX = 'Hoox';
export const MODEL = 'gpt-image-2';
const PROMPT = 'A red bicycle leaning on a blue wall';
/** The URL prefix the committed hand loop uses (Hoox's); the bench points it at the emulator. */
const HOOX_BASE_URL = 'https://app.hoox.video/api/public/v1';

/** Generation time of each item: `baseMs` plus an even, deterministic spread over 0..spreadMs. */
export function durations(items: number, baseMs: number, spreadMs: number): number[] {
	// Golden-ratio steps: the same well-mixed spread for every variant and repetition.
	return Array.from(
		{ length: items },
		(_, i) => baseMs + Math.round(spreadMs * ((i * 0.618_033_988_75) % 1)),
	);
}

/** The prompt of a run: `tag` tells its submits apart in the emulator's log. */
export const promptOf = (tag: string) => `${PROMPT} (${tag})`;

function inputItems(durationsMs: number[], tag: string) {
	return durationsMs.map((ms, i) => ({
		json: { i, model: MODEL, prompt: promptOf(tag), x_emulator: { duration_ms: ms } },
	}));
}

const manual = () => ({
	id: randomUUID(),
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
});

const after = () => ({
	id: randomUUID(),
	name: AFTER,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [440, 0] as [number, number],
	parameters: {},
});

/** The committed hand loop, pointed at `baseUrl` with a header-auth credential. */
export function handLoopWorkflow(
	name: string,
	baseUrl: string,
	headerAuth: CredentialRef,
	durationsMs: number[],
): WorkflowInput {
	const text = readFileSync(join(__dirname, 'hand-loop.workflow.json'), 'utf8');
	const wf = JSON.parse(text.split(HOOX_BASE_URL).join(baseUrl)) as WorkflowInput & {
		nodes: Array<{ credentials?: Record<string, unknown> }>;
	};
	for (const node of wf.nodes) {
		if (node.credentials?.httpHeaderAuth) node.credentials = { httpHeaderAuth: headerAuth };
	}
	return { ...wf, name, pinData: { Manual: inputItems(durationsMs, name) } };
}

/** Manual → Hoox Generate (Wait Mode Poll or Resume on Webhook, default intervals) → After. */
export function hooxWorkflow(
	name: string,
	mode: 'poll' | 'resume',
	hoox: CredentialRef,
	durationsMs: number[],
): WorkflowInput {
	return {
		name,
		nodes: [
			manual(),
			{
				id: randomUUID(),
				name: HOOX,
				type: 'n8n-nodes-hoox.hoox',
				typeVersion: 1,
				position: [220, 0],
				credentials: { hooxApi: hoox },
				parameters: {
					resource: 'asset',
					operation: 'generate',
					type: 'image',
					model: { __rl: true, mode: 'id', value: MODEL },
					prompt: '={{ $json.prompt }}',
					modelParameters: { mappingMode: 'defineBelow', value: null },
					generationCount: 1,
					additionalFields: {
						additionalBodyFields: '={{ JSON.stringify({ x_emulator: $json.x_emulator }) }}',
					},
					options: { waitMode: mode },
				},
			},
			after(),
		],
		connections: {
			Manual: { main: [[{ node: HOOX, type: 'main', index: 0 }]] },
			[HOOX]: { main: [[{ node: AFTER, type: 'main', index: 0 }]] },
		},
		pinData: { Manual: inputItems(durationsMs, name) },
	} as WorkflowInput;
}
