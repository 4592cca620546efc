import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildStartBody, describeModel } from '../../../../nodes/Hoox/model';
import { input, loadModels } from './fixtures';

/** Every source file of the model layer (it was one file, nodes/shared/modelSchema.ts). */
const MODEL_DIR = path.join(__dirname, '..', '..', '..', '..', 'nodes', 'Hoox', 'model');
const MODEL_FILES = fs
	.readdirSync(MODEL_DIR, { recursive: true, encoding: 'utf8' })
	.filter((name) => name.endsWith('.ts'))
	.map((name) => path.join(MODEL_DIR, name));

describe('the catalogue fixture', () => {
	const models = loadModels();

	it('has 39 models and every one can be described', () => {
		expect(models).toHaveLength(39);
		for (const model of models) {
			const s = describeModel(model);
			expect(s.name).toBe(model.name);
			expect(s.hasSchema).toBe(model.input_schema !== undefined);
			expect(s.generationCount).toEqual({ min: 1, max: 4, default: 1 });
			expect(['references', 'slots', 'none']).toContain(s.inputMode);
			// every described model has a valid minimal request (when its required inputs are given)
			const slots = Object.fromEntries(
				s.slots.map((slot) => [slot.name, 'asset:65a0c0ffee00000000000010']),
			);
			const refs = s.references
				? Array.from({ length: s.references.min }, () => 'https://example.org/a.png')
				: undefined;
			const body = buildStartBody(s, input(model.name, { slots, references: refs }));
			expect(body).toMatchObject({ type: model.type, model: model.name, generation_count: 1 });
		}
	});

	it('input modes agree with the schemas', () => {
		const modes = Object.fromEntries(models.map((m) => [m.name, describeModel(m).inputMode]));
		expect(modes['kling-standard']).toBe('references');
		expect(modes['gpt-image-2']).toBe('references');
		expect(modes['kling-pro']).toBe('slots');
		expect(modes['veo-3.1-flf']).toBe('slots');
		expect(modes['upscale-video']).toBe('slots');
		expect(modes['seedance-2.0-ugc']).toBe('none');
		expect(modes['sora-2']).toBe('none');
	});

	it('the shipped code names no model, slot or setting of the catalogue', () => {
		const source = MODEL_FILES.map((file) => fs.readFileSync(file, 'utf8'))
			.join('\n')
			.replace(/\/\*[\s\S]*?\*\//g, '')
			.replace(/\/\/.*$/gm, '');
		expect(MODEL_FILES.length).toBeGreaterThan(5);
		const names = new Set<string>();
		for (const model of models) {
			names.add(model.name);
			for (const s of model.settings ?? []) names.add(s.key);
			const props = (model.input_schema?.properties ?? {}) as Record<string, unknown>;
			for (const [key, value] of Object.entries(props)) {
				const isShared = [
					'prompt',
					'references',
					'aspect_ratio',
					'resolution',
					'duration',
					'generation_count',
					'model_settings',
				].includes(key);
				if (!isShared) names.add(key);
				const settings = (value as { properties?: Record<string, unknown> }).properties;
				if (key === 'model_settings' && settings)
					for (const k of Object.keys(settings)) names.add(k);
			}
		}
		expect(names.size).toBeGreaterThan(45);
		for (const name of names)
			expect({ name, found: source.includes(`'${name}'`) || source.includes(`"${name}"`) }).toEqual(
				{ name, found: false },
			);
	});
});
