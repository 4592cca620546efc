/** Learned generation times (module memory of the n8n process; pure, no clock). */
import {
	earliestCompletion,
	learnDuration,
	modelKey,
	resetHistory,
} from '../../../../nodes/Hoox/wait/history';

beforeEach(() => resetHistory());

describe('learned durations', () => {
	const key = modelKey('https://hoox.example/api/public/v1', 'gpt-image-2');

	test('nothing learned → undefined; a bounded observation records the middle of its bounds', () => {
		expect(earliestCompletion(key)).toBeUndefined();
		learnDuration(key, 15_400, 14_600);
		expect(earliestCompletion(key)).toBe(15_000);
	});

	test('"done at the first read" is recorded a little shorter, so the next wait looks earlier', () => {
		learnDuration(key, 20_000);
		expect(earliestCompletion(key)).toBe(18_000);
	});

	test('a "running" read long before the "done" one says little: recorded as "done by then"', () => {
		learnDuration(key, 15_450, 2500);
		expect(earliestCompletion(key)).toBe(15_450 * 0.9);
	});

	test('bracketed durations rule over "done by then" ones', () => {
		learnDuration(key, 12_000);
		expect(earliestCompletion(key)).toBe(10_800);
		learnDuration(key, 15_400, 14_600);
		expect(earliestCompletion(key)).toBe(15_000);
	});

	test('the earliest of the recent generations counts; old ones are forgotten', () => {
		learnDuration(key, 9_000, 9_000 - 1);
		for (let i = 0; i < 16; i++) learnDuration(key, 30_000 + i * 100, 29_900 + i * 100);
		expect(earliestCompletion(key)).toBeGreaterThan(29_000);
	});

	test('models and Hoox instances are kept apart; the key is a hash, not the names', () => {
		const other = modelKey('https://hoox.example/api/public/v1', 'veo-3.1');
		const elsewhere = modelKey('http://127.0.0.1:5680/api/public/v1', 'gpt-image-2');
		learnDuration(key, 15_000, 14_000);
		expect(earliestCompletion(other)).toBeUndefined();
		expect(earliestCompletion(elsewhere)).toBeUndefined();
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(new Set([key, other, elsewhere]).size).toBe(3);
	});

	test('ignores nonsense', () => {
		learnDuration(key, Number.NaN);
		learnDuration(key, -5);
		expect(earliestCompletion(key)).toBeUndefined();
	});
});
