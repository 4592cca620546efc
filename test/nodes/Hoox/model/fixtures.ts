/** The emulator's model catalogue (read fresh for each call) and helpers shared by the model tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	describeModel,
	ModelInputError,
	type GenerateInput,
	type ModelDetail,
	type ModelSpec,
} from '../../../../nodes/Hoox/model';

const MODELS_JSON = path.join(
	__dirname,
	'..',
	'..',
	'..',
	'..',
	'emulator',
	'fixtures',
	'models.json',
);

export function loadModels(): ModelDetail[] {
	return JSON.parse(fs.readFileSync(MODELS_JSON, 'utf8')) as ModelDetail[];
}

export function loadModel(name: string): ModelDetail {
	const model = loadModels().find((m) => m.name === name);
	if (!model) throw new Error(`model ${name} is not in ${MODELS_JSON}`);
	return model;
}
export const spec = (name: string): ModelSpec => describeModel(loadModel(name));

/** A minimal valid input for a model; tests override what they exercise. */
export function input(model: string, extra: Partial<GenerateInput> = {}): GenerateInput {
	return { model, prompt: 'A paper boat drifting down a rain-soaked street', ...extra };
}

export function caught(fn: () => unknown): ModelInputError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ModelInputError);
		return error as ModelInputError;
	}
	throw new Error('expected a ModelInputError, but nothing was thrown');
}

export const REFERENCE_SCHEMA = {
	type: 'object',
	properties: {
		url: { type: 'string', format: 'uri' },
		asset_id: { type: 'string' },
		avatar_id: { type: 'string' },
	},
	oneOf: [{ required: ['url'] }, { required: ['asset_id'] }, { required: ['avatar_id'] }],
};

/** A model Hoox might add tomorrow: a slot name, settings and a field this code has never seen. */
export const NEW_MODEL: ModelDetail = {
	name: 'hoox-future-1',
	label: 'Hoox Future 1',
	type: 'video',
	provider: 'other',
	max_prompt_length: 100,
	settings: [
		{
			key: 'motionStrength',
			type: 'number',
			label: 'motion strength',
			default_value: 0.5,
			affects_cost: false,
		},
		{
			key: 'style_preset',
			type: 'select',
			options: ['cinematic', 'anime'],
			default_value: 'cinematic',
			affects_cost: true,
		},
	],
	input_schema: {
		type: 'object',
		required: ['prompt', 'style_image'],
		properties: {
			prompt: { type: 'string' },
			// no oneOf here: recognised by its url/asset_id/avatar_id properties alone
			style_image: {
				type: 'object',
				description: 'Image whose style is transferred.',
				properties: {
					url: { type: 'string' },
					asset_id: { type: 'string' },
					avatar_id: { type: 'string' },
				},
			},
			mask_video: REFERENCE_SCHEMA,
			aspect_ratio: { type: 'string', enum: ['21:9', '9:21'], default: '21:9' },
			duration: { type: 'integer', enum: [3, 9], default: 3 },
			seed: { type: 'integer', minimum: 0, maximum: 1000, description: 'Random seed.' },
			camera_move: { type: 'string', enum: ['pan', 'tilt'] },
			generation_count: { type: 'integer', minimum: 1, maximum: 2, default: 1 },
			model_settings: {
				type: 'object',
				properties: {
					motionStrength: { type: 'number', minimum: 0, maximum: 1, default: 0.5 },
					loop: { type: 'boolean', default: false },
				},
			},
		},
	},
};
