/**
 * Long parameter values (issue 9): every pattern is matched against bounded text, so a
 * 40,000-character value gives the same clear error as a short wrong one (and the error does not
 * repeat the whole value). Speed itself is not timed here; the cases are the inputs that made the
 * old patterns backtrack quadratically.
 */
import { buildStartBody, titleCase } from '../../../../nodes/Hoox/model';
import { caught, input, NEW_MODEL } from './fixtures';
import { describeModel } from '../../../../nodes/Hoox/model';

const LONG = 40_000;
const future = describeModel(NEW_MODEL);
const slots = { style_image: 'asset:a' };

describe('long values get a short, clear error naming the parameter', () => {
	it.each([
		['digits then a letter', `${'1'.repeat(LONG)}x`],
		['digits only', '1'.repeat(LONG)],
		['a number then spaces', `1${' '.repeat(LONG)}x`],
	])('number setting: %s', (_label, value) => {
		const error = caught(() =>
			buildStartBody(
				future,
				input(future.name, { slots, modelSettings: { motionStrength: value } }),
			),
		);
		expect(error.parameter).toBe('Model Parameters → Motion Strength');
		expect(error.message).toMatch(/^Must be a number, not "1+/);
		expect(error.message).toContain(`(${value.length} characters)`);
		expect(error.message.length).toBeLessThan(200);
	});

	it.each([
		['seconds then spaces', `5${' '.repeat(LONG)}x`],
		['digits', '5'.repeat(LONG)],
	])('duration: %s', (_label, value) => {
		const error = caught(() =>
			buildStartBody(future, input(future.name, { slots, duration: value })),
		);
		expect(error.parameter).toBe('Duration');
		expect(error.message).toMatch(/is not a whole number of seconds/);
		expect(error.message.length).toBeLessThan(200);
	});

	it('generation count of 40,000 digits', () => {
		const error = caught(() =>
			buildStartBody(future, input(future.name, { slots, generationCount: '1'.repeat(LONG) })),
		);
		expect(error.parameter).toBe('Generation Count');
		expect(error.message.length).toBeLessThan(200);
	});

	it('an extra field whose name is 40,000 capitals is named, not echoed whole', () => {
		const name = 'A'.repeat(LONG);
		const error = caught(() =>
			buildStartBody(future, input(future.name, { slots, extraFields: { [name]: 'x' } })),
		);
		expect(error.parameter).toMatch(/^Model Parameters → A+/);
		expect(error.message.length).toBeLessThan(200);
	});
});

describe('the bounded patterns still read ordinary values', () => {
	it.each([
		['HTMLParser', 'HTML Parser'],
		['ABcDEf', 'A Bc D Ef'],
		['imageURLValue', 'Image URL Value'],
	])('titleCase(%s) = %s', (text, expected) => expect(titleCase(text)).toBe(expected));

	it.each([
		['0.5', 0.5],
		[' 1. ', 1],
		['.25', 0.25],
		['1e-1', 0.1],
		['-0', -0],
	])('number setting %j', (value, expected) => {
		const body = buildStartBody(
			future,
			input(future.name, { slots, modelSettings: { motionStrength: value } }),
		);
		expect((body.model_settings as Record<string, unknown>).motionStrength).toBe(expected);
	});

	it.each([
		['9', 9],
		[' 3 seconds ', 3],
		['9s', 9],
	])('duration %j', (value, expected) => {
		const body = buildStartBody(future, input(future.name, { slots, duration: value }));
		expect(body.duration).toBe(expected);
	});
});
