/**
 * Load on the Hoox Trigger (issue 9): 1,000 deliveries over HTTP — 900 distinct completion events
 * plus 100 duplicates (10 %), shuffled, 20 at a time — each confirmed with the emulator's status
 * endpoint. Executions started must equal the distinct events. The answer time's p99 is printed,
 * not asserted (no timed assertions; benchmarks live in bench/).
 */
import axios from 'axios';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { params, TOKEN } from '../nodes/HooxTrigger/helpers';
import { startTriggerServer, until, type TriggerServer } from '../nodes/HooxTrigger/triggerServer';
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('Hoox Trigger under load');

const DISTINCT = 900;
const DUPLICATES = 100;
const CONCURRENCY = 20;

let emu: Emulator;
let server: TriggerServer;

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 0, video: 0 } });
	emu.setBalance(1e9);
	server = await startTriggerServer({ apiKey: TEST_API_KEY, baseUrl: emu.baseUrl }, params());
});
afterAll(async () => {
	await server.close();
	await emu.close();
}, 30_000);

async function createAssets(count: number): Promise<string[]> {
	const ids: string[] = [];
	await inParallel(Array.from({ length: count }), CONCURRENCY, async () => {
		const response = await axios.post(
			`${emu.baseUrl}/asset/start`,
			{ type: 'image', model: 'z-image-turbo', prompt: 'A lighthouse at dusk' },
			{ headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
		);
		ids.push(...(response.data.asset_ids as string[]));
	});
	return ids;
}

async function inParallel<T>(list: T[], width: number, run: (value: T) => Promise<void>) {
	let next = 0;
	const worker = async () => {
		while (next < list.length) await run(list[next++]);
	};
	await Promise.all(Array.from({ length: width }, worker));
}

/** A fixed shuffle (the same order on every run). */
function shuffled<T>(list: T[]): T[] {
	let seed = 7;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

describe('Hoox Trigger under load', () => {
	it('1,000 deliveries with 10 % duplicates start one execution per distinct event', async () => {
		const ids = await createAssets(DISTINCT);
		await until(
			() => ids.every((id) => emu.getAsset(id)?.status === 'completed'),
			20_000,
			'all assets completed',
		);
		const deliveries = shuffled([...ids, ...ids.slice(0, DUPLICATES)]);
		const times: number[] = [];
		const statuses: number[] = [];
		await inParallel(deliveries, CONCURRENCY, async (id) => {
			const started = performance.now();
			const response = await axios.post(
				`${server.url}?token=${TOKEN}`,
				{ task: 'asset_generation', asset_id: id, status: 'completed' },
				{ validateStatus: () => true },
			);
			times.push(performance.now() - started);
			statuses.push(response.status);
		});
		await until(
			() => server.received.length === deliveries.length,
			20_000,
			'every delivery handled',
		);

		const executions = server.received.filter((r) => r.result.workflowData !== undefined).length;
		const startedIds = new Set(
			server.received
				.filter((r) => r.result.workflowData)
				.map((r) => r.result.workflowData![0][0].json.asset_id),
		);
		times.sort((a, b) => a - b);
		const p99 = times[Math.ceil(times.length * 0.99) - 1];
		figures.add({ name: 'deliveries (distinct + 10 % duplicates)', value: deliveries.length });
		figures.add({ name: 'distinct events', value: DISTINCT });
		figures.add({ name: 'executions started', value: executions, target: '= distinct events' });
		figures.add({
			name: 'answers other than 200',
			value: statuses.filter((s) => s !== 200).length,
			target: '0',
		});
		figures.add({ name: 'answer time p99 (ms, printed only)', value: Math.round(p99) });
		expect(executions).toBe(DISTINCT);
		expect(startedIds.size).toBe(DISTINCT);
		expect(statuses.every((s) => s === 200)).toBe(true);
	}, 120_000);
});
