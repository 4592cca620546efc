import { buildPricingBody } from '../../../../nodes/Hoox/model';
import { caught, input, spec } from './fixtures';

describe('buildPricingBody', () => {
	it('veo-3.1: the SPEC example', () => {
		expect(
			buildPricingBody(
				spec('veo-3.1'),
				input('veo-3.1', {
					duration: 8,
					resolution: '1080p',
					generationCount: 2,
					aspectRatio: '16:9',
				}),
			),
		).toEqual({
			model: 'veo-3.1',
			duration: 8,
			resolution: '1080p',
			generation_count: 2,
		});
	});

	it('counts references and slots as image_count, sends settings', () => {
		expect(
			buildPricingBody(
				spec('reve-fast'),
				input('reve-fast', { references: ['asset:a', 'asset:b', 'https://example.org/c.png'] }),
			),
		).toEqual({
			model: 'reve-fast',
			image_count: 3,
			generation_count: 1,
		});
		expect(
			buildPricingBody(
				spec('kling-pro'),
				input('kling-pro', {
					slots: { start_image: 'asset:a', end_image: 'asset:b' },
					modelSettings: { generateAudio: 'false' },
				}),
			),
		).toEqual({
			model: 'kling-pro',
			model_settings: { generateAudio: false },
			image_count: 2,
			generation_count: 1,
		});
	});

	it('needs no prompt nor required inputs, but validates what is given', () => {
		expect(
			buildPricingBody(spec('kling-motion-control'), { model: 'kling-motion-control', prompt: '' }),
		).toEqual({
			model: 'kling-motion-control',
			generation_count: 1,
		});
		const bad = caught(() =>
			buildPricingBody(spec('veo-3.1'), input('veo-3.1', { resolution: '8K' })),
		);
		expect(bad.parameter).toBe('Resolution');
		const order = caught(() =>
			buildPricingBody(spec('kling-pro'), input('kling-pro', { slots: { end_image: 'asset:b' } })),
		);
		expect(order.parameter).toBe('Model Parameters → End Image');
		const setting = caught(() =>
			buildPricingBody(
				spec('gpt-image-2'),
				input('gpt-image-2', { modelSettings: { quality: 'x' } }),
			),
		);
		expect(setting.parameter).toBe('Model Parameters → Quality');
		const count = caught(() =>
			buildPricingBody(spec('gpt-image-2'), input('gpt-image-2', { generationCount: '5' })),
		);
		expect(count.parameter).toBe('Generation Count');
		const long = caught(() =>
			buildPricingBody(spec('kling-pro'), input('kling-pro', { prompt: 'x'.repeat(3000) })),
		);
		expect(long.parameter).toBe('Prompt');
	});
});
