import {
	buildStartBody,
	describeModel,
	modelParameterFields,
	splitModelParameters,
	type ModelDetail,
} from '../../../../nodes/Hoox/model';
import { caught, input, NEW_MODEL, spec } from './fixtures';

describe('buildStartBody', () => {
	it('kling-standard: one reference, defaults omitted', () => {
		expect(
			buildStartBody(
				spec('kling-standard'),
				input('kling-standard', { references: ['https://example.org/cat.png'] }),
			),
		).toEqual({
			type: 'video',
			model: 'kling-standard',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ url: 'https://example.org/cat.png' }],
			generation_count: 1,
		});
	});

	it('kling-standard: every option set, strings coerced', () => {
		const body = buildStartBody(
			spec('kling-standard'),
			input('kling-standard', {
				type: 'video',
				references: [{ asset_id: '65a0c0ffee00000000000010' }],
				aspectRatio: '1:1',
				duration: '10s',
				generationCount: '3',
				modelSettings: { generateAudio: 'TRUE' },
				parentMediaId: '65a0c0ffee00000000000010',
				folderId: ' 65a0c0ffee00000000000099 ',
				webhookUrl: 'https://example.org/hooks/hoox?secret=1',
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-standard',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ asset_id: '65a0c0ffee00000000000010' }],
			aspect_ratio: '1:1',
			duration: 10,
			generation_count: 3,
			model_settings: { generateAudio: true },
			parent_media_id: '65a0c0ffee00000000000010',
			folder_id: '65a0c0ffee00000000000099',
			webhook_url: 'https://example.org/hooks/hoox?secret=1',
		});
	});

	it('empty values are dropped so the model defaults apply', () => {
		const body = buildStartBody(
			spec('kling-v3-pro'),
			input('kling-v3-pro', {
				type: '',
				references: ['', 'avatar:avtr_1'],
				aspectRatio: '',
				duration: '',
				generationCount: '',
				modelSettings: { generateAudio: '' },
				parentMediaId: '',
				webhookUrl: '  ',
				additionalFields: { resolution: '' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-v3-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ avatar_id: 'avtr_1' }],
			generation_count: 1,
		});
	});

	it('kling-pro: text-to-video without any slot', () => {
		expect(buildStartBody(spec('kling-pro'), input('kling-pro'))).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			generation_count: 1,
		});
	});

	it('kling-pro: start image only', () => {
		const body = buildStartBody(
			spec('kling-pro'),
			input('kling-pro', {
				slots: { start_image: 'https://example.org/start.png', end_image: '' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { url: 'https://example.org/start.png' },
			generation_count: 1,
		});
	});

	it('kling-pro: start and end image as top-level objects', () => {
		const body = buildStartBody(
			spec('kling-pro'),
			input('kling-pro', {
				slots: {
					end_image: 'avatar:avtr_2',
					start_image: { asset_id: '65a0c0ffee00000000000010' },
				},
				aspectRatio: '16:9',
				duration: 5,
				modelSettings: { generateAudio: false },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'kling-pro',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { asset_id: '65a0c0ffee00000000000010' },
			end_image: { avatar_id: 'avtr_2' },
			aspect_ratio: '16:9',
			duration: 5,
			generation_count: 1,
			model_settings: { generateAudio: false },
		});
		expect(Object.keys(body).indexOf('start_image')).toBeLessThan(
			Object.keys(body).indexOf('end_image'),
		);
	});

	it('kling-pro: end image without start image is rejected', () => {
		const error = caught(() =>
			buildStartBody(
				spec('kling-pro'),
				input('kling-pro', { slots: { end_image: 'https://example.org/end.png' } }),
			),
		);
		expect(error.parameter).toBe('Model Parameters → End Image');
		expect(error.message).toBe(
			'End Image also needs Start Image; kling-pro takes its inputs in order (Start Image and End Image)',
		);
	});

	it('kling-motion-control: both required slots', () => {
		const s = spec('kling-motion-control');
		expect(
			buildStartBody(
				s,
				input('kling-motion-control', {
					slots: { start_image: 'asset:img1', motion_video: 'https://example.org/dance.mp4' },
					modelSettings: { keepOriginalSound: 'false' },
				}),
			),
		).toEqual({
			type: 'video',
			model: 'kling-motion-control',
			prompt: 'A paper boat drifting down a rain-soaked street',
			start_image: { asset_id: 'img1' },
			motion_video: { url: 'https://example.org/dance.mp4' },
			generation_count: 1,
			model_settings: { keepOriginalSound: false },
		});
		const missing = caught(() =>
			buildStartBody(s, input('kling-motion-control', { slots: { start_image: 'asset:img1' } })),
		);
		expect(missing.parameter).toBe('Model Parameters → Motion Video');
		expect(missing.message).toBe('Motion Video is required by kling-motion-control');
		const first = caught(() => buildStartBody(s, input('kling-motion-control')));
		expect(first.parameter).toBe('Model Parameters → Start Image');
	});

	it('veo-3.1-flf: the SPEC example body, with duration "6s" and resolution case-folded', () => {
		const body = buildStartBody(
			spec('veo-3.1-flf'),
			input('veo-3.1-flf', {
				type: 'video',
				prompt: 'Smooth dolly from the first composition to the second',
				slots: {
					first_frame: '65a0c0ffee00000000000010',
					last_frame: 'https://example.org/end.png',
				},
				resolution: '1080P',
				duration: '6s',
				parentMediaId: '65a0c0ffee00000000000010',
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'veo-3.1-flf',
			prompt: 'Smooth dolly from the first composition to the second',
			first_frame: { asset_id: '65a0c0ffee00000000000010' },
			last_frame: { url: 'https://example.org/end.png' },
			resolution: '1080p',
			duration: 6,
			generation_count: 1,
			parent_media_id: '65a0c0ffee00000000000010',
		});
	});

	it('gpt-image-2: the SPEC example body, select setting coerced case-insensitively', () => {
		const body = buildStartBody(
			spec('gpt-image-2'),
			input('gpt-image-2', {
				type: 'image',
				prompt: 'Studio product shot of the bottle on wet slate',
				references: [{ url: 'https://example.org/bottle.png' }, 'avatar:avtr_123'],
				aspectRatio: '1:1',
				resolution: '2k',
				modelSettings: { quality: 'HIGH' },
				folderId: '65a0c0ffee00000000000099',
			}),
		);
		expect(body).toEqual({
			type: 'image',
			model: 'gpt-image-2',
			prompt: 'Studio product shot of the bottle on wet slate',
			references: [{ url: 'https://example.org/bottle.png' }, { avatar_id: 'avtr_123' }],
			aspect_ratio: '1:1',
			resolution: '2K',
			generation_count: 1,
			model_settings: { quality: 'high' },
			folder_id: '65a0c0ffee00000000000099',
		});
	});

	it('gpt-image-2: a quality that is not an option is rejected', () => {
		const error = caught(() =>
			buildStartBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { modelSettings: { quality: 'ultra' } }),
			),
		);
		expect(error.parameter).toBe('Model Parameters → Quality');
		expect(error.message).toBe('"ultra" is not an option; choose "low", "medium" or "high"');
	});

	it('seedance-2.0-ugc: avatar_description is sent at the top level', () => {
		const body = buildStartBody(
			spec('seedance-2.0-ugc'),
			input('seedance-2.0-ugc', {
				prompt: 'Honestly, this serum changed my mornings…',
				extraFields: { avatar_description: 'Woman in her 30s, bathroom mirror selfie' },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'seedance-2.0-ugc',
			prompt: 'Honestly, this serum changed my mornings…',
			generation_count: 1,
			avatar_description: 'Woman in her 30s, bathroom mirror selfie',
		});
	});

	it('a skill-only model without schema: checks what is knowable and passes the rest', () => {
		const body = buildStartBody(
			spec('sora-2'),
			input('sora-2', {
				references: ['https://example.org/a.png'],
				slots: { source_video: 'asset:v1' },
				aspectRatio: '16:9',
				resolution: '1080p',
				duration: '10s',
				generationCount: 2,
				modelSettings: { generateAudio: true },
				extraFields: { style: 'noir' },
				webhookUrl: 'https://example.org/hook',
				additionalFields: { seed: 7, end_frame: { url: 'https://example.org/z.png' } },
			}),
		);
		expect(body).toEqual({
			type: 'video',
			model: 'sora-2',
			prompt: 'A paper boat drifting down a rain-soaked street',
			references: [{ url: 'https://example.org/a.png' }],
			source_video: { asset_id: 'v1' },
			end_frame: { url: 'https://example.org/z.png' },
			aspect_ratio: '16:9',
			resolution: '1080p',
			duration: 10,
			generation_count: 2,
			model_settings: { generateAudio: true },
			style: 'noir',
			webhook_url: 'https://example.org/hook',
			seed: 7,
		});
		const badShape = caught(() =>
			buildStartBody(
				spec('sora-2'),
				input('sora-2', { references: [{ url: 'https://e.org/a', asset_id: 'a' }] }),
			),
		);
		expect(badShape.parameter).toBe('References');
		expect(badShape.message).toMatch(/^Item 1: Set exactly one of url, asset_id or avatar_id/);
		const badCount = caught(() =>
			buildStartBody(spec('sora-2'), input('sora-2', { generationCount: 9 })),
		);
		expect(badCount.parameter).toBe('Generation Count');
		expect(
			caught(() => buildStartBody(spec('sora-2'), input('sora-2', { prompt: '' }))).parameter,
		).toBe('Prompt');
	});

	it('a new model: its slot, setting and extra fields flow from the resource mapper to the exact body', () => {
		const s = describeModel(NEW_MODEL);
		const fields = modelParameterFields(s);
		expect(fields.map((f) => [f.id, f.displayName, f.type, f.required])).toEqual([
			['style_image', 'Style Image (URL or Asset ID)', 'string', true],
			['mask_video', 'Mask Video (URL or Asset ID)', 'string', false],
			['seed', 'Seed', 'number', false],
			['camera_move', 'Camera Move', 'options', false],
			['model_settings.motionStrength', 'Motion Strength (Default: 0.5)', 'number', false],
			['model_settings.loop', 'Loop (Default: Off)', 'boolean', false],
			['model_settings.style_preset', 'Style Preset (Default: Cinematic)', 'options', false],
		]);
		const mapped = splitModelParameters(s, {
			style_image: 'https://example.org/style.png',
			mask_video: '',
			seed: '42',
			camera_move: 'PAN',
			'model_settings.motionStrength': '0.8',
			'model_settings.loop': 'true',
			'model_settings.style_preset': '',
		});
		const body = buildStartBody(s, {
			model: 'hoox-future-1',
			prompt: 'neon city',
			aspectRatio: '9:21',
			duration: '9',
			...mapped,
		});
		expect(body).toEqual({
			type: 'video',
			model: 'hoox-future-1',
			prompt: 'neon city',
			style_image: { url: 'https://example.org/style.png' },
			aspect_ratio: '9:21',
			duration: 9,
			generation_count: 1,
			model_settings: { motionStrength: 0.8, loop: true },
			seed: 42,
			camera_move: 'pan',
		});
		// and its rules are enforced generically
		expect(caught(() => buildStartBody(s, { model: 'hoox-future-1', prompt: 'x' })).parameter).toBe(
			'Model Parameters → Style Image',
		);
		const tooStrong = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				modelSettings: { motionStrength: 2 },
			}),
		);
		expect(tooStrong.parameter).toBe('Model Parameters → Motion Strength');
		expect(tooStrong.message).toBe('Must be at most 1, not 2');
		const badSeed = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				extraFields: { seed: 1.5 },
			}),
		);
		expect(badSeed.parameter).toBe('Model Parameters → Seed');
		expect(badSeed.message).toBe('Must be a whole number, not 1.5');
		const third = caught(() =>
			buildStartBody(s, {
				model: 'hoox-future-1',
				prompt: 'x',
				slots: { style_image: 'asset:a' },
				generationCount: 3,
			}),
		);
		expect(third.message).toBe('Must be a whole number from 1 to 2, not 3');
	});

	it('a required extra field must be given', () => {
		const detail: ModelDetail = {
			name: 'needs-voice',
			type: 'video',
			input_schema: {
				type: 'object',
				required: ['prompt', 'voice_id'],
				properties: {
					prompt: { type: 'string' },
					voice_id: { type: 'string', description: 'Voice to use.' },
				},
			},
		};
		const s = describeModel(detail);
		const error = caught(() => buildStartBody(s, { model: 'needs-voice', prompt: 'hi' }));
		expect(error.parameter).toBe('Model Parameters → Voice ID');
		expect(error.message).toBe('Voice ID is required by needs-voice');
		expect(error.description).toBe('Voice to use.');
		expect(
			buildStartBody(s, { model: 'needs-voice', prompt: 'hi', extraFields: { voice_id: 'v1' } }),
		).toMatchObject({ voice_id: 'v1' });
	});
});
