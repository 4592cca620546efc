import * as fs from 'node:fs';

import { buildStartBody, type GenerateInput } from '../../../../nodes/Hoox/model';
import { caught, input, spec } from './fixtures';

describe('buildStartBody', () => {
	describe('Additional Body Fields', () => {
		it('are merged last: known keys validated, model_settings merged, unknown keys passed on', () => {
			const body = buildStartBody(
				spec('seedance-1.5'),
				input('seedance-1.5', {
					aspectRatio: '16:9',
					modelSettings: { generateAudio: true },
					additionalFields: {
						aspect_ratio: '21:9',
						duration: '12',
						model_settings: { camera_fixed: 'true' },
						references: [{ asset_id: 'a1' }],
						experimental_flag: true,
					},
				}),
			);
			expect(body).toEqual({
				type: 'video',
				model: 'seedance-1.5',
				prompt: 'A paper boat drifting down a rain-soaked street',
				references: [{ asset_id: 'a1' }],
				aspect_ratio: '21:9',
				duration: 12,
				generation_count: 1,
				model_settings: { generateAudio: true, camera_fixed: true },
				experimental_flag: true,
			});
		});

		it('accepts a JSON string for model_settings and references, and slot names for slot models', () => {
			const body = buildStartBody(
				spec('kling-pro'),
				input('kling-pro', {
					additionalFields: {
						start_image: { url: 'https://example.org/s.png' },
						model_settings: '{"generateAudio":"false"}',
					},
				}),
			);
			expect(body).toMatchObject({
				start_image: { url: 'https://example.org/s.png' },
				model_settings: { generateAudio: false },
			});
			const refs = buildStartBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { additionalFields: { references: '[{"avatar_id":"v"}]' } }),
			);
			expect(refs.references).toEqual([{ avatar_id: 'v' }]);
		});

		it.each<[string, string, GenerateInput['additionalFields'], RegExp]>([
			[
				'two keys in one reference',
				'gpt-image-2',
				{
					references: [
						{ url: 'https://example.org/a.png' },
						{ url: 'https://example.org/b.png', asset_id: 'x' },
					],
				},
				/^references → item 2: Set exactly one of url, asset_id or avatar_id \(url and asset_id are all set\)$/,
			],
			[
				'a bad enum',
				'kling-pro',
				{ aspect_ratio: '4:5' },
				/^aspect_ratio: "4:5" is not supported by kling-pro; choose 16:9, 9:16 or 1:1$/,
			],
			[
				'an unknown setting',
				'kling-pro',
				{ model_settings: { turbo: true } },
				/^model_settings → turbo: kling-pro has no setting "turbo"; its settings are generateAudio$/,
			],
			[
				'a bad setting value',
				'kling-pro',
				{ model_settings: { generateAudio: 'maybe' } },
				/^model_settings → generateAudio: Must be true or false, not "maybe"$/,
			],
			[
				'a slot the model lacks',
				'kling-pro',
				{ first_frame: { url: 'https://example.org/a.png' } },
				/^first_frame: kling-pro has no input named "first_frame"; its inputs are Start Image and End Image$/,
			],
			[
				'a bad webhook',
				'kling-pro',
				{ webhook_url: 'hooks.example.org' },
				/^webhook_url: "hooks.example.org" is not an absolute http\(s\) URL$/,
			],
			[
				'another model',
				'kling-pro',
				{ model: 'veo-3.1' },
				/^model: "veo-3.1" does not match the selected model kling-pro$/,
			],
			[
				'a type mismatch',
				'gpt-image-2',
				{ type: 'video' },
				/^type: gpt-image-2 makes images, but Type is "video"$/,
			],
			[
				'a count of 0',
				'kling-pro',
				{ generation_count: 0 },
				/^generation_count: Must be a whole number from 1 to 4, not 0$/,
			],
			[
				'references to a slot model',
				'veo-3.1-flf',
				{ references: ['asset:a', 'asset:b'] },
				/^references: veo-3.1-flf takes no References list/,
			],
			[
				'too many references',
				'kling-standard',
				{ references: ['asset:a', 'asset:b'] },
				/^references: kling-standard needs exactly 1 reference; 2 were given$/,
			],
			[
				'a setting at the top level',
				'kling-pro',
				{ generateAudio: false },
				/^generateAudio: generateAudio is a setting of kling-pro; put it inside model_settings$/,
			],
			[
				'a bad duration',
				'veo-3.1-flf',
				{ duration: '7s' },
				/^duration: 7 seconds is not available for veo-3.1-flf; choose 4, 6 or 8 seconds$/,
			],
			[
				'a prompt too long',
				'kling-pro',
				{ prompt: 'y'.repeat(2600) },
				/^prompt: The prompt is 2600 characters long; kling-pro accepts at most 2500$/,
			],
			[
				'not an object',
				'kling-pro',
				'nope' as unknown as GenerateInput['additionalFields'],
				/^Must be an object, not "nope"$/,
			],
		])('reject %s', (_label, model, additionalFields, message) => {
			const s = spec(model);
			const slots = Object.fromEntries(
				s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']),
			);
			const error = caught(() => buildStartBody(s, input(model, { slots, additionalFields })));
			expect(error.parameter).toBe('Additional Body Fields');
			expect(error.message).toMatch(message);
		});
	});
});
