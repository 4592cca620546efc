/**
 * The workflow most e2e files run: Manual Trigger (pinned items) → Hoox Generate (an image model of
 * the emulator) → optionally a No Op that receives the items.
 */
import { randomUUID } from 'node:crypto';

type Json = Record<string, unknown>;
/** What the builders need of a test context: the Hoox API credential to attach. */
type WithCredentials = { credentials: unknown };

export const HOOX = 'Hoox';
export const AFTER = 'After';

export interface GenerateWorkflow {
	name: string;
	/** Generate's parameters besides resource, operation, type and model. */
	parameters: Json;
	/** Node settings (e.g. retryOnFail, maxTries). */
	settings?: Json;
	pinned: Json[];
	/** Add the No Op "After" behind the Hoox node. */
	after?: boolean;
}

export function generateWorkflow(ctx: WithCredentials, spec: GenerateWorkflow) {
	const node = (name: string, type: string, x: number, extra: Json = {}) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion: 1,
		position: [x, 0],
		parameters: {},
		...extra,
	});
	const hoox = node(HOOX, 'n8n-nodes-hoox.hoox', 220, {
		credentials: ctx.credentials,
		...spec.settings,
		parameters: {
			resource: 'asset',
			operation: 'generate',
			type: 'image',
			model: { __rl: true, mode: 'id', value: 'gpt-image-2' },
			...spec.parameters,
		},
	});
	const connections: Json = { Manual: { main: [[{ node: HOOX, type: 'main', index: 0 }]] } };
	if (spec.after) connections[HOOX] = { main: [[{ node: AFTER, type: 'main', index: 0 }]] };
	return {
		name: spec.name,
		nodes: [
			node('Manual', 'n8n-nodes-base.manualTrigger', 0),
			hoox,
			...(spec.after ? [node(AFTER, 'n8n-nodes-base.noOp', 440)] : []),
		],
		connections,
		pinData: { Manual: spec.pinned.map((json) => ({ json })) },
	};
}

/** A Hoox Trigger (version 1, token as a parameter) for every event, downloading the file. */
export function triggerNode(ctx: WithCredentials, name: string, webhookId: string, token: string) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-hoox.hooxTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		credentials: ctx.credentials,
		parameters: {
			authentication: 'secretToken',
			secretToken: token,
			events: ['completed', 'failed'],
			assetType: 'any',
			models: '',
			options: { downloadBinary: true },
		},
	};
}
