/**
 * The rate-limit budget shared by every execution using one API key in this n8n process (pure,
 * fake clock: every call carries `now`).
 */
import {
	acquire,
	budgetKey,
	currentBudget,
	release,
	reserveFor,
	resetBudgets,
} from '../../../../nodes/shared/api/budget';

const T0 = 1_700_000_000_000;
const BASE = 'https://hoox.example/api/public/v1';
const KEY = `hx_live_${'ab'.repeat(32)}`;

beforeEach(() => resetBudgets());

describe('shared rate-limit budget', () => {
	const key = budgetKey(BASE, KEY);

	test('is named by a hash: the API key appears nowhere', () => {
		expect(key).toMatch(/^[0-9a-f]{32}$/);
		expect(key).not.toContain('ab'.repeat(4));
		expect(budgetKey(BASE, `${KEY.slice(0, -1)}c`)).not.toBe(key);
	});

	test('before Hoox said anything, requests go (the 429 handling is the safety net)', () => {
		expect(currentBudget(key, T0)).toBeUndefined();
		expect(acquire(key, true, T0)).toEqual({ granted: true });
	});

	test('two executions on one key draw from one budget; requests in flight count', () => {
		const resetAt = T0 + 30_000;
		expect(acquire(key, true, T0)).toEqual({ granted: true });
		release(key, { limit: 100, remaining: 10, resetAt });
		// execution A and B both poll: every acquire takes one, in flight until answered
		const granted: string[] = [];
		for (let i = 0; i < 20; i++) {
			const who = i % 2 ? 'A' : 'B';
			if (acquire(key, true, T0 + i).granted) granted.push(who);
		}
		// 10 left, 5 kept in reserve for calls that cannot wait
		expect(granted).toHaveLength(10 - reserveFor(100));
		expect(granted.filter((w) => w === 'A').length).toBeGreaterThan(0);
		expect(granted.filter((w) => w === 'B').length).toBeGreaterThan(0);
		expect(currentBudget(key, T0 + 20)?.remaining).toBe(reserveFor(100));
		// a call that does not keep the reserve may use it
		expect(acquire(key, false, T0 + 21)).toEqual({ granted: true });
	});

	test('when the window is spent, the wait ends just after its reset, then the window is full', () => {
		const resetAt = T0 + 12_000;
		acquire(key, true, T0);
		release(key, { limit: 100, remaining: 0, resetAt });
		const refused = acquire(key, true, T0 + 2000);
		expect(refused.granted).toBe(false);
		if (!refused.granted) {
			expect(refused.waitMs).toBeGreaterThanOrEqual(10_000);
			expect(refused.waitMs).toBeLessThan(11_000);
		}
		expect(acquire(key, true, resetAt + 1)).toEqual({ granted: true });
		expect(currentBudget(key, resetAt + 1)?.remaining).toBe(99);
	});

	test('answers of one window keep its lowest remaining; a later window replaces it', () => {
		const resetAt = T0 + 40_000;
		for (const remaining of [50, 40, 45]) {
			acquire(key, true, T0);
			release(key, { limit: 100, remaining, resetAt });
		}
		expect(currentBudget(key, T0)?.remaining).toBe(40);
		acquire(key, true, resetAt + 100);
		release(key, { limit: 100, remaining: 98, resetAt: resetAt + 60_000 });
		expect(currentBudget(key, resetAt + 200)?.remaining).toBe(98);
	});

	test('a failed request (no headers) gives its slot back', () => {
		acquire(key, true, T0);
		release(key, { limit: 100, remaining: 7, resetAt: T0 + 60_000 });
		acquire(key, true, T0);
		expect(currentBudget(key, T0)?.remaining).toBe(6);
		release(key, undefined);
		expect(currentBudget(key, T0)?.remaining).toBe(7);
	});
});
