import type { ModelDefinition } from '../../../emulator';
import { REFERENCE_SCHEMA } from './model/fixtures';

/** A model Hoox "adds tomorrow": a slot name and a setting no code knows about. */
export const RUNTIME_MODEL: ModelDefinition = {
	name: 'acme-morph-1',
	label: 'Acme Morph 1',
	type: 'video',
	provider: 'acme',
	base_cost: 3,
	has_audio: false,
	tags: ['new', 'morph'],
	max_prompt_length: 500,
	capabilities: {
		min_images: 1,
		max_images: 2,
		supported_aspect_ratios: ['1:1', '4:5'],
		default_aspect_ratio: '4:5',
		supported_durations: [3, 7],
		default_duration: 3,
	},
	settings: [
		{
			key: 'morphStyle',
			type: 'select',
			default_value: 'smooth',
			options: ['smooth', 'glitch'],
			affects_cost: false,
		},
	],
	input_schema: {
		type: 'object',
		required: ['prompt', 'style_image'],
		properties: {
			prompt: { type: 'string' },
			style_image: { ...REFERENCE_SCHEMA, description: 'Named image input. Style source.' },
			depth_map: {
				...REFERENCE_SCHEMA,
				description: 'Named image input. Optional depth map; requires style_image.',
			},
			aspect_ratio: { type: 'string', enum: ['1:1', '4:5'], default: '4:5' },
			duration: { type: 'integer', enum: [3, 7], default: 3 },
			generation_count: { type: 'integer', minimum: 1, maximum: 4, default: 1 },
			model_settings: {
				type: 'object',
				properties: {
					morphStyle: { type: 'string', enum: ['smooth', 'glitch'], default: 'smooth' },
				},
			},
		},
	},
};
