/**
 * Several executions polling on one API key under Hoox's 100 requests a minute (issue 9): before
 * the shared budget, 5 executions × 20 assets earned 21 × 429 and a 60 s stall on a 25 s job.
 * Same scenario on a fake clock (no wall time): no 429, and no asset seen more than one
 * rate-limit window after it was done.
 */
import { resetBudgets } from '../../nodes/shared/api';
import { resetHistory } from '../../nodes/Hoox/wait/history';
import { SimulatedHoox, spread, waitOnSimulatedHoox } from '../support/simulatedHoox';
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('several executions on one API key (100 requests/min)');

const KEY = `hx_live_${'5e'.repeat(32)}`;
const WINDOW_MS = 60_000;

beforeEach(() => {
	jest.useFakeTimers({ now: 1_700_000_000_000 });
	resetHistory();
	resetBudgets();
});
afterEach(() => jest.useRealTimers());

test('5 executions × 20 assets of 25–30 s on one key: no 429, no stall beyond the window', async () => {
	const hoox = new SimulatedHoox(100);
	const executions = 5;
	await Promise.all(
		Array.from({ length: executions }, () =>
			waitOnSimulatedHoox(hoox, KEY, spread(20, 25_000, 5_000)),
		),
	);
	const lateness = [...hoox.doneAt.keys()].map((id) => hoox.seenLate(id));
	const stalls = lateness.filter((ms) => ms > WINDOW_MS).length;
	figures.add({ name: 'executions × assets', value: `${executions} × 20` });
	figures.add({ name: 'status reads', value: hoox.reads.length });
	figures.add({ name: '429 answers', value: hoox.tooMany, target: '0' });
	figures.add({
		name: 'assets seen more than one window (60 s) after done',
		value: stalls,
		target: '0',
	});
	figures.add({
		name: 'latest an asset was seen after done (simulated s)',
		value: (Math.max(...lateness) / 1000).toFixed(1),
	});
	expect(hoox.tooMany).toBe(0);
	expect(stalls).toBe(0);
});
