/** What the browser scenarios expect, read from the emulator's catalogue (emulator/fixtures). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelDefinition } from '../../emulator';
import { REPO_ROOT } from '../../harness/n8n';

export function catalogue(): ModelDefinition[] {
	const raw = JSON.parse(
		readFileSync(join(REPO_ROOT, 'emulator', 'fixtures', 'models.json'), 'utf8'),
	) as ModelDefinition[] | { models: ModelDefinition[] };
	return Array.isArray(raw) ? raw : raw.models;
}

export function catalogueModel(name: string): ModelDefinition {
	const model = catalogue().find((m) => m.name === name);
	if (!model) throw new Error(`${name} is not in the emulator's catalogue`);
	return model;
}

/** Models of `type` the picker's search `needle` should list (name, label, provider, tags). */
export function modelsMatching(type: string, needle: string): ModelDefinition[] {
	const n = needle.toLowerCase();
	return catalogue().filter(
		(m) =>
			m.type === type &&
			[m.name, m.label, m.provider, ...(m.tags ?? [])].some(
				(v) => typeof v === 'string' && v.toLowerCase().includes(n),
			),
	);
}

/** A model that is not in the catalogue, added while the editor is open. */
export const LATE_MODEL: ModelDefinition = {
	...catalogueModel('z-image-turbo'),
	name: 'late-arrival-image',
	label: 'Late Arrival Image',
	provider: 'hooxlab',
	base_cost: 0.7,
};

/** Right and wrong API keys: well-formed, only TEST_API_KEY is accepted (strict emulator). */
export const WRONG_API_KEY = `hx_live_${'0'.repeat(60)}dead`;

/** A trigger's secret token (long enough for the Hoox Trigger). */
export const TRIGGER_TOKEN = '3f9c1e7a5b2d48c6a0e1f7b9d3c5a8e2';
