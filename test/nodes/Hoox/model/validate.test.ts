import { buildStartBody, describeModel, type GenerateInput } from '../../../../nodes/Hoox/model';
import { caught, input, spec } from './fixtures';

describe('invalid inputs are refused before any credit is spent', () => {
	const long = 'x'.repeat(2501);
	const cases: Array<[string, string, Partial<GenerateInput>, string, string | RegExp]> = [
		[
			'empty prompt',
			'kling-pro',
			{ prompt: '   ' },
			'Prompt',
			'The prompt is empty; describe what to generate',
		],
		[
			'prompt too long',
			'kling-pro',
			{ prompt: long },
			'Prompt',
			'The prompt is 2501 characters long; kling-pro accepts at most 2500',
		],
		[
			'prompt not text',
			'kling-pro',
			{ prompt: { a: 1 } as unknown as string },
			'Prompt',
			'Must be text, not {"a":1}',
		],
		['no model', 'kling-pro', { model: '' }, 'Model', 'Choose a model'],
		[
			'other model',
			'kling-pro',
			{ model: 'kling-standard' },
			'Model',
			'"kling-standard" does not match the selected model kling-pro',
		],
		[
			'type mismatch',
			'kling-pro',
			{ type: 'image' },
			'Type',
			'Kling 2.6 Pro makes videos, but Type is "image"',
		],
		[
			'type mismatch (image model)',
			'gpt-image-2',
			{ type: 'video' },
			'Type',
			'gpt-image-2 makes images, but Type is "video"',
		],
		['no type anywhere', 'no-type', {}, 'Type', 'Choose the type of asset (image or video)'],
		[
			'too few references',
			'kling-standard',
			{ references: [] },
			'References',
			'kling-standard needs exactly 1 reference; none was given',
		],
		[
			'too many references',
			'kling-standard',
			{ references: ['asset:a', 'asset:b'] },
			'References',
			'kling-standard needs exactly 1 reference; 2 were given',
		],
		[
			'11 references',
			'gpt-image-2',
			{ references: Array.from({ length: 11 }, (_, i) => `asset:a${i}`) },
			'References',
			'gpt-image-2 needs at most 10 references; 11 were given',
		],
		[
			'two keys in one reference',
			'gpt-image-2',
			{ references: ['asset:a', { url: 'https://example.org/a.png', avatar_id: 'v' }] },
			'References',
			'Item 2: Set exactly one of url, asset_id or avatar_id (url and avatar_id are all set)',
		],
		[
			'bad reference URL',
			'gpt-image-2',
			{ references: [{ url: 'www.example.org/a.png' }] },
			'References',
			'Item 1: url "www.example.org/a.png" is not an absolute http(s) URL',
		],
		[
			'references to a slot model',
			'kling-pro',
			{ references: ['https://example.org/a.png'] },
			'References',
			'kling-pro takes no References list; set its inputs (Start Image and End Image) under Model Parameters',
		],
		[
			'references to a model without inputs',
			'seedance-2.0-ugc',
			{ references: ['asset:a'] },
			'References',
			'seedance-2.0-ugc does not take reference media',
		],
		[
			'a slot given to a references model',
			'kling-standard',
			{ references: ['asset:a'], slots: { start_image: 'asset:b' } },
			'Model Parameters → Start Image',
			'kling-standard has no input named "start_image"; give reference media under References',
		],
		[
			'an unknown slot',
			'kling-pro',
			{ slots: { first_frame: 'asset:b' } },
			'Model Parameters → First Frame',
			'kling-pro has no input named "first_frame"; its inputs are Start Image and End Image',
		],
		[
			'slot order',
			'kling-pro',
			{ slots: { end_image: 'asset:b' } },
			'Model Parameters → End Image',
			/^End Image also needs Start Image/,
		],
		[
			'missing required slot',
			'veo-3.1-flf',
			{ slots: { first_frame: 'asset:a' } },
			'Model Parameters → Last Frame',
			'Last Frame is required by veo-3.1-flf',
		],
		[
			'two keys in a slot',
			'veo-3.1-flf',
			{ slots: { first_frame: { asset_id: 'a', avatar_id: 'b' }, last_frame: 'asset:c' } },
			'Model Parameters → First Frame',
			'Set exactly one of url, asset_id or avatar_id (asset_id and avatar_id are all set)',
		],
		[
			'wrong aspect ratio',
			'kling-pro',
			{ aspectRatio: '4:3' },
			'Aspect Ratio',
			'"4:3" is not supported by kling-pro; choose 16:9, 9:16 or 1:1',
		],
		[
			'aspect ratio on a model without one',
			'kling-motion-control',
			{ aspectRatio: '16:9' },
			'Aspect Ratio',
			'kling-motion-control has no aspect ratio option; leave it at "Model Default"',
		],
		[
			'wrong resolution',
			'veo-3.1-flf',
			{ resolution: '4K' },
			'Resolution',
			'"4K" is not supported by veo-3.1-flf; choose 720p or 1080p',
		],
		[
			'resolution on a model without one',
			'kling-pro',
			{ resolution: '1080p' },
			'Resolution',
			'kling-pro has no resolution option; leave it at "Model Default"',
		],
		[
			'duration "7" not allowed',
			'kling-pro',
			{ duration: '7' },
			'Duration',
			'7 seconds is not available for kling-pro; choose 5 or 10 seconds',
		],
		[
			'duration 6.5',
			'veo-3.1-flf',
			{ duration: 6.5 },
			'Duration',
			'6.5 is not a whole number of seconds (e.g. 5)',
		],
		[
			'duration text',
			'veo-3.1-flf',
			{ duration: 'long' },
			'Duration',
			'"long" is not a whole number of seconds (e.g. 5)',
		],
		[
			'duration on an image model',
			'gpt-image-2',
			{ duration: 5 },
			'Duration',
			'gpt-image-2 has no duration option; leave it at "Model Default"',
		],
		[
			'generation count 0',
			'kling-pro',
			{ generationCount: 0 },
			'Generation Count',
			'Must be a whole number from 1 to 4, not 0',
		],
		[
			'generation count 5',
			'kling-pro',
			{ generationCount: 5 },
			'Generation Count',
			'Must be a whole number from 1 to 4, not 5',
		],
		[
			'generation count "x"',
			'kling-pro',
			{ generationCount: 'x' },
			'Generation Count',
			'Must be a whole number from 1 to 4, not "x"',
		],
		[
			'generation count 1.5',
			'kling-pro',
			{ generationCount: '1.5' },
			'Generation Count',
			'Must be a whole number from 1 to 4, not "1.5"',
		],
		[
			'unknown setting',
			'kling-pro',
			{ modelSettings: { turbo: true } },
			'Model Parameters → Turbo',
			'kling-pro has no setting "turbo"; its settings are generateAudio',
		],
		[
			'setting on a model without settings',
			'z-image-turbo',
			{ modelSettings: { quality: 'high' } },
			'Model Parameters → Quality',
			'z-image-turbo has no setting "quality"',
		],
		[
			'boolean setting "yes"',
			'kling-pro',
			{ modelSettings: { generateAudio: 'yes' } },
			'Model Parameters → Audio',
			'Must be true or false, not "yes"',
		],
		[
			'select setting wrong',
			'gpt-image-2',
			{ modelSettings: { quality: 'ultra' } },
			'Model Parameters → Quality',
			'"ultra" is not an option; choose "low", "medium" or "high"',
		],
		[
			'unknown extra field',
			'seedance-2.0-ugc',
			{ extraFields: { mood: 'happy' } },
			'Model Parameters → Mood',
			'seedance-2.0-ugc does not accept "mood"',
		],
		[
			'extra field not text',
			'seedance-2.0-ugc',
			{ extraFields: { avatar_description: ['a'] } },
			'Model Parameters → Avatar Description',
			'Must be text, not ["a"]',
		],
		[
			'extra field on another model',
			'kling-pro',
			{ extraFields: { avatar_description: 'x' } },
			'Model Parameters → Avatar Description',
			'kling-pro does not accept "avatar_description"',
		],
		[
			'bad webhook URL',
			'kling-pro',
			{ webhookUrl: 'ftp://example.org/hook' },
			'Webhook URL',
			'"ftp://example.org/hook" is not an absolute http(s) URL',
		],
		[
			'relative webhook URL',
			'kling-pro',
			{ webhookUrl: '/hook' },
			'Webhook URL',
			'"/hook" is not an absolute http(s) URL',
		],
		[
			'parent media id with spaces',
			'kling-pro',
			{ parentMediaId: 'a b' },
			'Parent Media ID',
			'"a b" is not a valid ID',
		],
	];

	it('has 20+ cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

	it.each(cases)('%s (%s)', (_label, model, overrides, parameter, message) => {
		const s = model === 'no-type' ? describeModel({ name: 'no-type' }) : spec(model);
		// required slots are filled unless the case is about slots
		const slots =
			overrides.slots ??
			Object.fromEntries(s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']));
		const error = caught(() => buildStartBody(s, input(s.name, { ...overrides, slots })));
		expect(error.parameter).toBe(parameter);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
	});

	it('the prompt error says the length and the cap', () => {
		const error = caught(() =>
			buildStartBody(spec('seedance-2.0'), input('seedance-2.0', { prompt: 'é'.repeat(3001) })),
		);
		expect(error.message).toContain('3001');
		expect(error.message).toContain('3000');
		expect(error.description).toBe('Shorten it by 1 characters.');
	});
});
