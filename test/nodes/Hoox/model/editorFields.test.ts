import {
	buildStartBody,
	describeModel,
	enumOptions,
	modelParameterFields,
	splitModelParameters,
} from '../../../../nodes/Hoox/model';
import { caught, input, loadModels, spec } from './fixtures';

describe('enumOptions', () => {
	it('leads with the model default', () => {
		expect(enumOptions(spec('kling-pro'), 'aspectRatios')).toEqual([
			{ name: 'Model Default (9:16)', value: '' },
			{ name: '16:9', value: '16:9' },
			{ name: '9:16', value: '9:16' },
			{ name: '1:1', value: '1:1' },
		]);
		expect(enumOptions(spec('veo-3.1'), 'resolutions')).toEqual([
			{ name: 'Model Default (720p)', value: '' },
			{ name: '720p', value: '720p' },
			{ name: '1080p', value: '1080p' },
			{ name: '4K', value: '4K' },
		]);
	});

	it('labels durations in seconds, with number values', () => {
		expect(enumOptions(spec('veo-3.1-flf'), 'durations')).toEqual([
			{ name: 'Model Default (8 Seconds)', value: '' },
			{ name: '4 Seconds', value: 4 },
			{ name: '6 Seconds', value: 6 },
			{ name: '8 Seconds', value: 8 },
		]);
		const oneSecond = enumOptions(spec('grok-imagine-video'), 'durations');
		expect(oneSecond[1]).toEqual({ name: '1 Second', value: 1 });
	});

	it('says when a model has no such field', () => {
		expect(enumOptions(spec('kling-pro'), 'resolutions')).toEqual([
			{ name: 'Not Available for This Model', value: '' },
		]);
		expect(enumOptions(spec('kling-motion-control'), 'durations')).toEqual([
			{ name: 'Not Available for This Model', value: '' },
		]);
		// without a schema nothing is known: the field stays open
		expect(enumOptions(spec('sora-2'), 'aspectRatios')).toEqual([
			{ name: 'Model Default', value: '' },
		]);
	});

	it('every option value is accepted by buildStartBody', () => {
		let checked = 0;
		for (const model of loadModels()) {
			const s = describeModel(model);
			const slots = Object.fromEntries(
				s.slots.filter((x) => x.required).map((x) => [x.name, 'asset:a']),
			);
			const references = s.references
				? Array.from({ length: s.references.min }, () => 'asset:a')
				: undefined;
			const base = input(s.name, { slots, references });
			for (const option of enumOptions(s, 'durations')) {
				const body = buildStartBody(s, { ...base, duration: option.value as number });
				expect(body.duration).toBe(option.value === '' ? undefined : option.value);
				checked++;
			}
			for (const option of enumOptions(s, 'aspectRatios'))
				buildStartBody(s, { ...base, aspectRatio: String(option.value) });
			for (const option of enumOptions(s, 'resolutions'))
				buildStartBody(s, { ...base, resolution: String(option.value) });
		}
		expect(checked).toBeGreaterThan(80);
	});
});

describe('modelParameterFields / splitModelParameters', () => {
	const base = { display: true, defaultMatch: false, canBeUsedToMatch: false };

	it('gpt-image-2: a select setting with its default', () => {
		expect(modelParameterFields(spec('gpt-image-2'))).toEqual([
			{
				...base,
				id: 'model_settings.quality',
				displayName: 'Quality (Default: Medium)',
				type: 'options',
				required: false,
				options: [
					{ name: 'Low', value: 'low' },
					{ name: 'Medium', value: 'medium' },
					{ name: 'High', value: 'high' },
				],
				defaultValue: 'medium',
			},
		]);
	});

	it('kling-pro: slots first, then the setting', () => {
		expect(modelParameterFields(spec('kling-pro'))).toEqual([
			{
				...base,
				id: 'start_image',
				displayName: 'Start Image (URL or Asset ID)',
				type: 'string',
				required: false,
			},
			{
				...base,
				id: 'end_image',
				displayName: 'End Image (URL or Asset ID)',
				type: 'string',
				required: false,
			},
			{
				...base,
				id: 'model_settings.generateAudio',
				displayName: 'Audio (Default: On)',
				type: 'boolean',
				required: false,
				defaultValue: true,
			},
		]);
	});

	it('kling-motion-control and seedance-2.0-ugc', () => {
		expect(
			modelParameterFields(spec('kling-motion-control')).map((f) => [f.id, f.required]),
		).toEqual([
			['start_image', true],
			['motion_video', true],
			['model_settings.keepOriginalSound', false],
		]);
		expect(modelParameterFields(spec('seedance-2.0-ugc'))).toEqual([
			{
				...base,
				id: 'avatar_description',
				displayName: 'Avatar Description',
				type: 'string',
				required: false,
			},
		]);
		expect(modelParameterFields(spec('sora-2'))).toEqual([]);
	});

	it('splits ids back, keeping unknown ones so buildStartBody can name them', () => {
		const s = spec('kling-pro');
		const split = splitModelParameters(s, {
			start_image: 'asset:a',
			end_image: '',
			'model_settings.generateAudio': false,
			'model_settings.turbo': true,
			mystery: 1,
		});
		expect(split).toEqual({
			slots: { start_image: 'asset:a', end_image: '' },
			extraFields: { mystery: 1 },
			modelSettings: { generateAudio: false, turbo: true },
		});
		const error = caught(() => buildStartBody(s, input('kling-pro', split)));
		expect(error.parameter).toBe('Model Parameters → Turbo');
		expect(splitModelParameters(s, null)).toEqual({
			slots: {},
			extraFields: {},
			modelSettings: {},
		});
		expect(splitModelParameters(spec('gpt-image-2'), { quality: 'low' }).modelSettings).toEqual({
			quality: 'low',
		});
	});
});
