import { MIN_TOKEN_LENGTH, tokenWeakness } from '../../../nodes/HooxTrigger/tokenStrength';
import { TOKEN } from './helpers';

describe('tokenWeakness', () => {
	it.each([
		['', /empty/],
		['x', /1 characters, fewer than 16/],
		[' '.repeat(MIN_TOKEN_LENGTH), /spaces/],
		['Zq3vN8rT\t1xK5mW7pB', /spaces or control/],
		['a'.repeat(MIN_TOKEN_LENGTH), /only 1 different/],
		['abcabcabcabcabcabc', /only 3 different/],
		['passwordpassword', /repeats/],
		['x'.repeat(600), /longer than 512/],
	])('refuses %j', (token, reason) => {
		expect(tokenWeakness(token)).toMatch(reason);
		expect(tokenWeakness(token) ?? '').not.toContain(token.length > 1 ? token : '\u0000');
	});

	it('refuses what is not a string', () => {
		for (const value of [undefined, null, 42, {}]) expect(tokenWeakness(value)).toBe('it is empty');
	});

	it('accepts random tokens of 16+ characters, hex or mixed', () => {
		const hex = '0123456789abcdef';
		let seed = 12345; // a fixed pseudo-random sequence: the same 2,000 tokens on every run
		const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let i = 0; i < 2000; i++) {
			const token = Array.from({ length: 16 }, () => hex[Math.floor(next() * 16)]).join('');
			if (new Set(token).size >= 6 && !/^(.+)\1+$/.test(token))
				expect(tokenWeakness(token)).toBeUndefined();
		}
		expect(tokenWeakness(TOKEN)).toBeUndefined();
		expect(tokenWeakness('3f9c1e7a5b2d48c6a0e1f7b9d3c5a8e2')).toBeUndefined();
	});
});
