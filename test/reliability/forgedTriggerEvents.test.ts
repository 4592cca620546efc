/**
 * Forged Hoox Trigger events (issue 9, item 3): whoever knows the trigger URL posts made-up
 * events — unknown assets, assets still generating, failures of assets that succeeded, real
 * completions with an attacker's URL — with Authentication "None", and with a token (missing,
 * wrong, or leaked). Download Output as Binary is on throughout.
 *
 * Figures: confirmed items built from forged content (an item Hoox did not confirm, or whose
 * URL, type or size differ from Hoox's answer) and requests to non-Hoox targets: both 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { deliver, params, TOKEN } from '../nodes/HooxTrigger/helpers';
import { until } from '../nodes/HooxTrigger/triggerServer';
import { reliabilityFigures } from './figures';

const figures = reliabilityFigures('forged Hoox Trigger events');

let emu: Emulator;
let attacker: Server;
let attackerUrl: string;
let attackerHits = 0;
const ids = { completed: '', generating: '', failed: '', video: '' };

beforeAll(async () => {
	emu = await startEmulator({ rateLimitPerMinute: 0, durations: { image: 20, video: 20 } });
	attacker = createServer((_req, res) => {
		attackerHits++;
		res.writeHead(200, { 'content-type': 'text/html' });
		res.end('<script>alert(1)</script>');
	});
	await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', () => resolve()));
	attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
	const start = async (body: IDataObject) => {
		const response = await axios.post(
			`${emu.baseUrl}/asset/start`,
			{ type: 'image', model: 'z-image-turbo', prompt: 'A lighthouse at dusk', ...body },
			{ headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
		);
		return (response.data.asset_ids as string[])[0];
	};
	ids.completed = await start({});
	ids.failed = await start({ x_emulator: { outcome: 'failed' } });
	ids.generating = await start({ x_emulator: { duration_ms: 10 * 60_000 } });
	ids.video = await start({ type: 'video', model: 'grok-imagine-video', duration: 6 });
	for (const id of [ids.completed, ids.failed, ids.video])
		await until(() => ['completed', 'failed'].includes(emu.getAsset(id)?.status ?? ''), 8000, id);
});
afterAll(async () => {
	await new Promise<void>((resolve) => attacker.close(() => resolve()));
	await emu.close();
});

/** Forged bodies: what the attacker claims, and whether Hoox really is in that state. */
function forgedBodies(): Array<{ name: string; body: IDataObject; real: boolean }> {
	const evil = (path: string) => ({
		asset_url: `${attackerUrl}${path}`,
		asset_type: 'image',
		width: 1,
		height: 1,
	});
	const event = (asset_id: string, status: string, extra: IDataObject = {}) => ({
		task: 'asset_generation',
		asset_id,
		status,
		...extra,
	});
	return [
		{
			name: 'unknown asset',
			body: event('65a0c0ffee0000000000beef', 'completed', { result: evil('/a.png') }),
			real: false,
		},
		{
			name: 'metadata URL',
			body: event('65a0c0ffee0000000000bee2', 'completed', {
				result: { asset_url: 'http://169.254.169.254/latest/meta-data/' },
			}),
			real: false,
		},
		{
			name: 'asset still generating',
			body: event(ids.generating, 'completed', { result: evil('/g.png') }),
			real: false,
		},
		{
			name: 'completed for a failed asset',
			body: event(ids.failed, 'completed', { result: evil('/f.png') }),
			real: false,
		},
		{
			name: 'failed for a completed asset',
			body: event(ids.completed, 'failed', { error: { code: 'X', message: 'forged' } }),
			real: false,
		},
		{
			name: 'real completion, attacker URL in result',
			body: event(ids.completed, 'completed', { result: evil('/r.png') }),
			real: true,
		},
		{
			name: 'real completion, attacker URL at top level',
			body: event(ids.completed, 'completed', {
				url: `${attackerUrl}/t.png`,
				asset_url: `${attackerUrl}/t2.png`,
				type: 'video',
			}),
			real: true,
		},
		{
			name: 'real video, stated as image',
			body: event(ids.video, 'completed', { result: evil('/v.mp4') }),
			real: true,
		},
	];
}

const modes: Array<{
	name: string;
	parameters: Record<string, unknown>;
	query: IDataObject;
	passes: boolean;
}> = [
	{
		name: 'no authentication',
		parameters: params({ authentication: 'none', secretToken: undefined }),
		query: {},
		passes: true,
	},
	{ name: 'token, none presented', parameters: params(), query: {}, passes: false },
	{
		name: 'token, wrong one',
		parameters: params(),
		query: { token: `${TOKEN.slice(0, -1)}x` },
		passes: false,
	},
	{
		name: 'token leaked to the attacker',
		parameters: params(),
		query: { token: TOKEN },
		passes: true,
	},
];

describe('forged Hoox Trigger events (Download Output as Binary on)', () => {
	it('start nothing Hoox does not confirm, build items from Hoox only, fetch nothing elsewhere', async () => {
		let tried = 0;
		let fromForgedContent = 0;
		let realReplays = 0;
		const offTarget: string[] = [];
		for (const mode of modes) {
			for (const forged of forgedBodies()) {
				tried++;
				const parameters = { ...mode.parameters, options: { downloadBinary: true } };
				const { result, ctx } = await deliver({
					parameters,
					body: forged.body,
					query: mode.query,
					credentials: { apiKey: TEST_API_KEY, baseUrl: emu.baseUrl },
					staticData: {},
				});
				for (const request of ctx.recorder.http)
					if (!request.url.startsWith(`${emu.origin}/`)) offTarget.push(request.url);
				const items = result.workflowData?.[0] ?? [];
				if (items.length === 0) continue;
				const hoox = emu.getAsset(String(forged.body.asset_id));
				const item = items[0].json;
				const matchesHoox =
					forged.real &&
					mode.passes &&
					hoox?.status === item.status &&
					hoox?.url === item.url &&
					hoox?.type === item.type &&
					hoox?.width === item.width;
				if (!matchesHoox) fromForgedContent++;
				else realReplays++;
				expect(items[0].binary?.data?.mimeType).toMatch(/^(image|video)\//);
			}
		}
		figures.add({ name: 'forged deliveries tried (4 auth modes x 8 bodies)', value: tried });
		figures.add({
			name: 'confirmed items from forged content',
			value: fromForgedContent,
			target: '0',
		});
		figures.add({
			name: 'requests to non-Hoox targets',
			value: offTarget.length + attackerHits,
			target: '0',
		});
		figures.add({ name: 'replays of real events (item and file from Hoox)', value: realReplays });
		expect(fromForgedContent).toBe(0);
		expect(offTarget).toEqual([]);
		expect(attackerHits).toBe(0);
		// the real completions replayed with a passing token/no auth did start, from Hoox's data
		expect(realReplays).toBe(2 * 3);
	});

	it('spend at most 30 status reads a minute without a token; none with a token', async () => {
		emu.reset();
		const body = (i: number) => ({
			task: 'asset_generation',
			asset_id: `65a0c0ffee${String(i).padStart(14, '0')}`,
			status: 'completed',
		});
		const credentials = { apiKey: TEST_API_KEY, baseUrl: emu.baseUrl };
		const answers: number[] = [];
		for (let i = 0; i < 100; i++) {
			const { ctx } = await deliver({
				parameters: params({ authentication: 'none', secretToken: undefined }),
				body: body(i),
				query: {},
				credentials,
				staticData: {},
				workflowId: 'wf-forged-flood',
			});
			answers.push(ctx.recorder.response.status ?? 0);
		}
		const noTokenReads = emu.requests({ kind: 'api', path: '/asset/status' }).length;
		for (let i = 0; i < 100; i++)
			await deliver({
				parameters: params(),
				body: body(i),
				query: {},
				credentials,
				staticData: {},
			});
		const withTokenReads =
			emu.requests({ kind: 'api', path: '/asset/status' }).length - noTokenReads;
		figures.add({
			name: 'status reads for 100 forged deliveries, no token',
			value: noTokenReads,
			target: '<= 30 a minute',
		});
		figures.add({
			name: 'status reads for 100 forged deliveries without the token',
			value: withTokenReads,
			target: '0',
		});
		expect(noTokenReads).toBeLessThanOrEqual(30);
		expect(answers.filter((s) => s === 429)).toHaveLength(100 - noTokenReads);
		expect(withTokenReads).toBe(0);
	});
});
