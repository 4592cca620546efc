/**
 * The Hoox node inside a real n8n, driven through the REST API the editor uses:
 * - the editor's dynamic parameter calls (model search, per-model dropdowns, Model Parameters
 *   fields) for several catalogue models and for a model added to the emulator at run time;
 * - manual runs (Manual Trigger with pinned items → Hoox): Generate + wait for images and videos
 *   with several items and 2 generations each (one output item per asset, binary data), Get
 *   Status, Model → Get Many, Pricing → Estimate, a bad API key, and inputs that are refused
 *   before anything is submitted;
 * - the example workflows of examples/ that start from a Manual Trigger.
 * Every check looks at n8n's result AND at what the emulator received.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { ModelDefinition, RecordedRequest } from '../../emulator';
import { exampleFiles, loadExample, type ExecutionSummary } from '../../harness/n8n';
import { describeN8n, type E2EContext } from './harness/jest';

jest.setTimeout(90_000);

const NODE_TYPE = 'n8n-nodes-hoox.hoox';
const HOOX = 'Hoox';
const AFTER = 'After';
/** Fast polling: the emulator finishes images in 150 ms and videos in 300 ms here. */
const FAST = { pollIntervalMin: 0.1, pollIntervalMax: 0.3, waitTimeout: 60 };

type Json = Record<string, unknown>;
type Field = Record<string, unknown> & {
	id: string;
	displayName: string;
	required?: boolean;
	type?: string;
};

const rl = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

/** A model Hoox "adds tomorrow": a new slot name (pose_video), a new setting (motionStyle), new enums. */
const LAB_MODEL: ModelDefinition = {
	name: 'e2e-lab-motion',
	label: 'E2E Lab Motion',
	type: 'video',
	provider: 'hoox-lab',
	base_cost: 2,
	tags: ['new', 'e2e-lab'],
	max_prompt_length: 400,
	capabilities: {
		max_images: 2,
		min_images: 1,
		supported_aspect_ratios: ['21:9', '1:1'],
		default_aspect_ratio: '21:9',
		supported_resolutions: ['540p', '1080p'],
		default_resolution: '540p',
		supported_durations: [3, 7],
		default_duration: 3,
	},
	settings: [
		{
			key: 'motionStyle',
			type: 'select',
			label: 'motion style',
			default_value: 'calm',
			options: ['calm', 'wild', 'robotic'],
			affects_cost: false,
		},
	],
	input_schema: {
		type: 'object',
		required: ['prompt', 'pose_video'],
		properties: {
			prompt: { type: 'string' },
			pose_video: {
				type: 'object',
				description: 'Named video input. The dance whose poses are copied.',
				properties: {
					url: { type: 'string', format: 'uri' },
					asset_id: { type: 'string' },
					avatar_id: { type: 'string' },
				},
				oneOf: [{ required: ['url'] }, { required: ['asset_id'] }, { required: ['avatar_id'] }],
			},
			aspect_ratio: { type: 'string', enum: ['21:9', '1:1'], default: '21:9' },
			resolution: { type: 'string', enum: ['540p', '1080p'], default: '540p' },
			duration: { type: 'integer', enum: [3, 7], default: 3 },
			generation_count: { type: 'integer', minimum: 1, maximum: 4, default: 1 },
			model_settings: {
				type: 'object',
				properties: {
					motionStyle: { type: 'string', enum: ['calm', 'wild', 'robotic'], default: 'calm' },
				},
			},
		},
	},
};

// ------------------------------------------------------------------------------------ helpers

const lastSeq = (ctx: E2EContext) => Math.max(0, ...ctx.emulator.requests().map((r) => r.seq));

function since(
	ctx: E2EContext,
	seq: number,
	filter: { method?: string; path?: string | RegExp; kind?: 'api' | 'media' } = {},
): RecordedRequest[] {
	return ctx.emulator.requests(filter).filter((r) => r.seq > seq);
}

function editorParams(model: string, type: 'image' | 'video', extra: Json = {}): Json {
	return { resource: 'asset', operation: 'generate', type, model: rl(model), ...extra };
}

async function fields(
	ctx: E2EContext,
	model: string,
	type: 'image' | 'video',
): Promise<{ fields: Field[]; emptyFieldsNotice?: unknown }> {
	const res = await ctx.n8n.resourceMapperFields({
		nodeType: NODE_TYPE,
		path: 'parameters.modelParameters',
		methodName: 'getModelParameters',
		currentNodeParameters: editorParams(model, type),
		credentials: ctx.credentials,
	});
	return res as { fields: Field[]; emptyFieldsNotice?: unknown };
}

async function options(
	ctx: E2EContext,
	method: 'getAspectRatios' | 'getDurations' | 'getResolutions',
	model: string,
	type: 'image' | 'video',
) {
	const path = {
		getAspectRatios: 'aspectRatio',
		getDurations: 'duration',
		getResolutions: 'resolution',
	}[method];
	return ctx.n8n.loadOptions({
		nodeType: NODE_TYPE,
		path: `parameters.${path}`,
		methodName: method,
		currentNodeParameters: editorParams(model, type),
		credentials: ctx.credentials,
	});
}

/** The Model Parameters value as the editor saves it: the values plus the fields it loaded as schema. */
async function mapper(ctx: E2EContext, model: string, type: 'image' | 'video', value: Json) {
	const { fields: schema } = await fields(ctx, model, type);
	return { mappingMode: 'defineBelow', value, matchingColumns: [], schema };
}

/** Manual Trigger (pinned items) → Hoox (→ No Op "After"). */
function workflow(
	ctx: E2EContext,
	name: string,
	hoox: Json,
	items: Json[] = [{}],
	credentials = ctx.credentials,
) {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: HOOX,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials,
				parameters: hoox,
			},
			{
				id: randomUUID(),
				name: AFTER,
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 0],
				parameters: {},
			},
		],
		connections: {
			Manual: { main: [[{ node: HOOX, type: 'main', index: 0 }]] },
			[HOOX]: { main: [[{ node: AFTER, type: 'main', index: 0 }]] },
		},
		pinData: { Manual: items.map((json) => ({ json })) },
	};
}

async function run(
	ctx: E2EContext,
	name: string,
	hoox: Json,
	items?: Json[],
	credentials?: Record<string, { id: string; name: string }>,
): Promise<ExecutionSummary> {
	const wf = await ctx.n8n.createWorkflow(workflow(ctx, name, hoox, items, credentials));
	return ctx.n8n.runManually(wf.id, { timeoutMs: 60_000 });
}

function expectSuccess(execution: ExecutionSummary): void {
	if (execution.status !== 'success') {
		throw new Error(
			`execution ${execution.id} ended ${execution.status}: ${JSON.stringify({ error: execution.error, errors: execution.errors })}`,
		);
	}
}

const ASSET_ID = /^[0-9a-f]{24}$/;

// -------------------------------------------------------------------------------------- tests

describeN8n(
	'hoox node',
	(ctx) => {
		describe('editor: dynamic parameters through n8n REST', () => {
			it('model search: filtered by the Type and a search string (label, provider, tag)', async () => {
				const seq = lastSeq(ctx);
				const search = (type: string, filter?: string) =>
					ctx.n8n.listSearch({
						nodeType: NODE_TYPE,
						path: 'parameters.model',
						methodName: 'searchModels',
						currentNodeParameters: {
							resource: 'asset',
							operation: 'generate',
							type,
							model: rl(''),
						},
						credentials: ctx.credentials,
						filter,
					});

				const kling = await search('video', 'kling');
				const names = kling.results.map((r) => r.value);
				expect(names).toEqual(
					expect.arrayContaining(['kling-pro', 'kling-motion-control', 'kling-standard']),
				);
				expect(names.every((n) => String(n).startsWith('kling'))).toBe(true);
				const pro = kling.results.find((r) => r.value === 'kling-pro') as Json | undefined;
				expect(pro).toMatchObject({
					name: 'Kling 2.6 Pro · kling · 7.5 credits',
					description: expect.stringContaining('kling'),
				});
				expect(String(pro?.description)).toContain('7.5 credits');

				const openai = await search('image', 'openai');
				expect(openai.results.map((r) => r.value)).toEqual(['gpt-image-2']);

				const byTag = await search('video', 'motion-control');
				expect(byTag.results.map((r) => r.value).sort()).toEqual(
					[
						'kling-2.6-motion-pro',
						'kling-motion-control',
						'kling-v3-motion-pro',
						'kling-v3-motion-standard',
					].sort(),
				);

				const allImages = await search('image');
				expect(allImages.results.length).toBeGreaterThanOrEqual(10);
				expect(allImages.results.map((r) => r.value)).not.toContain('kling-pro');

				// Hoox was asked with the type filter each time, with the credential's key.
				const calls = since(ctx, seq, { method: 'GET', path: '/asset/models' }).filter(
					(r) => r.path === '/asset/models',
				);
				expect(calls.map((c) => c.query.type)).toEqual(['video', 'image', 'video', 'image']);
				expect(
					calls.every((c) => c.status === 200 && /^Bearer hx_live_…/.test(c.headers.authorization)),
				).toBe(true);
			});

			it('an image model with references (gpt-image-2): its enums and its select setting', async () => {
				const seq = lastSeq(ctx);
				expect(await options(ctx, 'getAspectRatios', 'gpt-image-2', 'image')).toEqual([
					{ name: 'Model Default (9:16)', value: '' },
					{ name: '16:9', value: '16:9' },
					{ name: '9:16', value: '9:16' },
					{ name: '1:1', value: '1:1' },
					{ name: '4:3', value: '4:3' },
					{ name: '3:4', value: '3:4' },
				]);
				expect(
					(await options(ctx, 'getResolutions', 'gpt-image-2', 'image')).map((o) => o.value),
				).toEqual(['', '1K', '2K', '4K']);
				expect(await options(ctx, 'getDurations', 'gpt-image-2', 'image')).toEqual([
					{ name: 'Not Available for This Model', value: '' },
				]);

				const { fields: f } = await fields(ctx, 'gpt-image-2', 'image');
				// references are a node parameter of their own: the mapper has only the setting
				expect(f.map((x) => x.id)).toEqual(['model_settings.quality']);
				expect(f[0]).toMatchObject({
					displayName: 'Quality (Default: Medium)',
					type: 'options',
					required: false,
					defaultValue: 'medium',
					options: [
						{ name: 'Low', value: 'low' },
						{ name: 'Medium', value: 'medium' },
						{ name: 'High', value: 'high' },
					],
				});
				const reads = since(ctx, seq, { method: 'GET', path: '/asset/models/gpt-image-2' });
				expect(reads.length).toBe(4);
			});

			it('an image model without settings (seedream-4.5): no fields, a notice', async () => {
				const res = await fields(ctx, 'seedream-4.5', 'image');
				expect(res.fields).toEqual([]);
				expect(String(res.emptyFieldsNotice)).toContain('no extra parameters');
				expect((await options(ctx, 'getResolutions', 'seedream-4.5', 'image'))[0]).toEqual({
					name: 'Model Default (2K)',
					value: '',
				});
			});

			it('kling-pro: two optional named slots, durations as numbers, an audio setting', async () => {
				const { fields: f } = await fields(ctx, 'kling-pro', 'video');
				expect(f.map((x) => [x.id, x.required])).toEqual([
					['start_image', false],
					['end_image', false],
					['model_settings.generateAudio', false],
				]);
				expect(f[0].displayName).toBe('Start Image (URL or Asset ID)');
				expect(f[2]).toMatchObject({
					type: 'boolean',
					defaultValue: true,
					displayName: 'Audio (Default: On)',
				});
				expect(await options(ctx, 'getDurations', 'kling-pro', 'video')).toEqual([
					{ name: 'Model Default (5 Seconds)', value: '' },
					{ name: '5 Seconds', value: 5 },
					{ name: '10 Seconds', value: 10 },
				]);
				expect(await options(ctx, 'getResolutions', 'kling-pro', 'video')).toEqual([
					{ name: 'Not Available for This Model', value: '' },
				]);
			});

			it('kling-motion-control: two required slots', async () => {
				const { fields: f } = await fields(ctx, 'kling-motion-control', 'video');
				expect(f.map((x) => [x.id, x.required])).toEqual([
					['start_image', true],
					['motion_video', true],
					['model_settings.keepOriginalSound', false],
				]);
				expect(f[1].displayName).toBe('Motion Video (URL or Asset ID)');
				expect(await options(ctx, 'getAspectRatios', 'kling-motion-control', 'video')).toEqual([
					{ name: 'Not Available for This Model', value: '' },
				]);
			});

			it('a model added to Hoox at run time: found, with its new slot, setting and enums', async () => {
				ctx.emulator.addModel(LAB_MODEL);
				const found = await ctx.n8n.listSearch({
					nodeType: NODE_TYPE,
					path: 'parameters.model',
					methodName: 'searchModels',
					currentNodeParameters: {
						resource: 'asset',
						operation: 'generate',
						type: 'video',
						model: rl(''),
					},
					credentials: ctx.credentials,
					filter: 'hoox-lab',
				});
				expect(found.results).toEqual([
					{
						name: 'E2E Lab Motion · hoox-lab · 2 credits',
						value: 'e2e-lab-motion',
						description: 'hoox-lab · 2 credits · new, e2e-lab',
					},
				]);

				const { fields: f } = await fields(ctx, LAB_MODEL.name, 'video');
				expect(f.map((x) => [x.id, x.required, x.type])).toEqual([
					['pose_video', true, 'string'],
					['model_settings.motionStyle', false, 'options'],
				]);
				expect(f[0].displayName).toBe('Pose Video (URL or Asset ID)');
				expect(f[1]).toMatchObject({
					displayName: 'Motion Style (Default: Calm)',
					defaultValue: 'calm',
				});
				expect((f[1].options as Json[]).map((o) => o.value)).toEqual(['calm', 'wild', 'robotic']);
				expect(
					(await options(ctx, 'getAspectRatios', LAB_MODEL.name, 'video')).map((o) => o.value),
				).toEqual(['', '21:9', '1:1']);
				expect(
					(await options(ctx, 'getResolutions', LAB_MODEL.name, 'video')).map((o) => o.value),
				).toEqual(['', '540p', '1080p']);
				expect(await options(ctx, 'getDurations', LAB_MODEL.name, 'video')).toEqual([
					{ name: 'Model Default (3 Seconds)', value: '' },
					{ name: '3 Seconds', value: 3 },
					{ name: '7 Seconds', value: 7 },
				]);
			});
		});

		describe('manual runs', () => {
			let imageAssets: Json[] = [];

			it('Generate + wait, image: 3 items × 2 generations → 6 items, binary data, exact start bodies', async () => {
				const seq = lastSeq(ctx);
				const prompts = ['A lighthouse at dawn', 'A lighthouse at noon', 'A lighthouse at night'];
				const execution = await run(
					ctx,
					'node: image generate',
					{
						resource: 'asset',
						operation: 'generate',
						type: 'image',
						model: rl('gpt-image-2'),
						prompt: '={{ $json.prompt }}',
						references: {
							reference: [
								{ source: 'url', value: 'https://example.org/brand/palette.png' },
								{ source: 'assetId', value: '={{ $json.ref }}' },
							],
						},
						modelParameters: await mapper(ctx, 'gpt-image-2', 'image', {
							'model_settings.quality': 'high',
						}),
						aspectRatio: '1:1',
						resolution: '2K',
						duration: '',
						generationCount: 2,
						additionalFields: {},
						options: { ...FAST, downloadBinary: true },
					},
					prompts.map((prompt, i) => ({ prompt, ref: `66aa00000000000000000${i}${i}${i}` })),
				);
				expectSuccess(execution);

				// Hoox received exactly one start per item, with exactly these bodies.
				const starts = since(ctx, seq, { method: 'POST', path: '/asset/start' });
				expect(starts.map((s) => s.body)).toEqual(
					prompts.map((prompt, i) => ({
						type: 'image',
						model: 'gpt-image-2',
						prompt,
						references: [
							{ url: 'https://example.org/brand/palette.png' },
							{ asset_id: `66aa00000000000000000${i}${i}${i}` },
						],
						aspect_ratio: '1:1',
						resolution: '2K',
						generation_count: 2,
						model_settings: { quality: 'high' },
					})),
				);
				expect(starts.every((s) => s.status === 201 || s.status === 200)).toBe(true);

				// One output item per asset, in item order, paired with its input item.
				const items = execution.outputs[HOOX][0];
				expect(items).toHaveLength(6);
				const json = items.map((i) => i.json as Json);
				expect(json.map((j) => j.source_item_index)).toEqual([0, 0, 1, 1, 2, 2]);
				expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([
					0, 0, 1, 1, 2, 2,
				]);
				expect(new Set(json.map((j) => j.asset_id)).size).toBe(6);
				for (const [k, j] of json.entries()) {
					expect(j).toMatchObject({
						asset_id: expect.stringMatching(ASSET_ID),
						status: 'completed',
						type: 'image',
						model: 'gpt-image-2',
						prompt: prompts[Math.floor(k / 2)],
						url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{24}\.png$/),
						width: 2048,
						height: 2048,
						cost: expect.any(Number),
						created_at: expect.any(String),
					});
					expect(j.error).toBeUndefined();
					// binary data: in the run data, with the file's metadata
					const binary = (items[k].binary as Record<string, Json> | undefined)?.data;
					expect(binary).toMatchObject({
						mimeType: 'image/png',
						fileName: `${j.asset_id}.png`,
						fileExtension: 'png',
					});
				}
				// The next node got the same items.
				expect(execution.nodes[AFTER]).toEqual(json);

				// Every asset was polled until completed and each file was downloaded once, without the API key.
				const polled = new Set(
					since(ctx, seq, { method: 'GET', path: '/asset/status/' }).map((r) =>
						r.path.split('/').pop(),
					),
				);
				for (const j of json) expect(polled.has(String(j.asset_id))).toBe(true);
				const media = since(ctx, seq, { kind: 'media' });
				expect(media.map((m) => m.path).sort()).toEqual(
					json.map((j) => `/media/${j.asset_id}.png`).sort(),
				);
				expect(media.every((m) => m.headers.authorization === undefined)).toBe(true);
				imageAssets = json;
			});

			it('Generate + wait, video with named slots (kling-pro): 3 items × 2 → 6 videos, exact bodies', async () => {
				const modelParameters = await mapper(ctx, 'kling-pro', 'video', {
					start_image: '={{ $json.start }}',
					end_image: '={{ $json.end }}',
					'model_settings.generateAudio': false,
				});
				const seq = lastSeq(ctx);
				const inputs = [
					{
						prompt: 'The bottle spins slowly on wet slate',
						start: 'https://example.org/bottle.png',
						end: '',
					},
					{
						prompt: 'The bottle tips over',
						start: 'asset:66bb00000000000000000001',
						end: 'https://example.org/bottle-down.png',
					},
					{ prompt: 'The avatar picks up the bottle', start: 'avatar:av_42', end: '' },
				];
				const execution = await run(
					ctx,
					'node: video generate',
					{
						resource: 'asset',
						operation: 'generate',
						type: 'video',
						model: rl('kling-pro', 'id'),
						prompt: '={{ $json.prompt }}',
						references: {},
						modelParameters,
						aspectRatio: '16:9',
						resolution: '',
						duration: 10,
						generationCount: 2,
						additionalFields: {},
						options: FAST,
					},
					inputs,
				);
				expectSuccess(execution);

				const starts = since(ctx, seq, { method: 'POST', path: '/asset/start' });
				expect(starts.map((s) => s.body)).toEqual([
					{
						type: 'video',
						model: 'kling-pro',
						prompt: inputs[0].prompt,
						start_image: { url: 'https://example.org/bottle.png' },
						aspect_ratio: '16:9',
						duration: 10,
						generation_count: 2,
						model_settings: { generateAudio: false },
					},
					{
						type: 'video',
						model: 'kling-pro',
						prompt: inputs[1].prompt,
						start_image: { asset_id: '66bb00000000000000000001' },
						end_image: { url: 'https://example.org/bottle-down.png' },
						aspect_ratio: '16:9',
						duration: 10,
						generation_count: 2,
						model_settings: { generateAudio: false },
					},
					{
						type: 'video',
						model: 'kling-pro',
						prompt: inputs[2].prompt,
						start_image: { avatar_id: 'av_42' },
						aspect_ratio: '16:9',
						duration: 10,
						generation_count: 2,
						model_settings: { generateAudio: false },
					},
				]);

				const out = execution.nodes[HOOX];
				expect(out).toHaveLength(6);
				expect(out.map((j) => j.source_item_index)).toEqual([0, 0, 1, 1, 2, 2]);
				for (const j of out) {
					expect(j).toMatchObject({
						status: 'completed',
						type: 'video',
						model: 'kling-pro',
						duration_seconds: 10,
						url: expect.stringMatching(/\/media\/[0-9a-f]{24}\.mp4$/),
						thumbnail_url: expect.stringMatching(/\/media\/[0-9a-f]{24}\.thumb\.png$/),
					});
				}
				// the model's schema was read once for the whole execution, not once per item
				expect(since(ctx, seq, { method: 'GET', path: '/asset/models/kling-pro' })).toHaveLength(1);
			});

			it('Generate + wait with the model added at run time: its new slot and setting reach Hoox', async () => {
				ctx.emulator.addModel(LAB_MODEL);
				const seq = lastSeq(ctx);
				const execution = await run(ctx, 'node: run-time model', {
					resource: 'asset',
					operation: 'generate',
					type: 'video',
					model: rl(LAB_MODEL.name),
					prompt: 'A robot copies the dance',
					modelParameters: await mapper(ctx, LAB_MODEL.name, 'video', {
						pose_video: 'https://example.org/dance.mp4',
						'model_settings.motionStyle': 'robotic',
					}),
					aspectRatio: '21:9',
					resolution: '1080p',
					duration: 7,
					generationCount: 1,
					options: FAST,
				});
				expectSuccess(execution);
				expect(
					since(ctx, seq, { method: 'POST', path: '/asset/start' }).map((s) => s.body),
				).toEqual([
					{
						type: 'video',
						model: LAB_MODEL.name,
						prompt: 'A robot copies the dance',
						pose_video: { url: 'https://example.org/dance.mp4' },
						aspect_ratio: '21:9',
						resolution: '1080p',
						duration: 7,
						generation_count: 1,
						model_settings: { motionStyle: 'robotic' },
					},
				]);
				expect(execution.nodes[HOOX]).toEqual([
					expect.objectContaining({
						status: 'completed',
						model: LAB_MODEL.name,
						duration_seconds: 7,
						source_item_index: 0,
					}),
				]);
			});

			it('Get Status: one item per asset ID, the same fields as Generate gave', async () => {
				expect(imageAssets.length).toBe(6);
				const seq = lastSeq(ctx);
				const ids = imageAssets.slice(0, 3).map((j) => j.asset_id);
				const execution = await run(ctx, 'node: get status', {
					resource: 'asset',
					operation: 'getStatus',
					assetIds: ids.join(', '),
				});
				expectSuccess(execution);
				const out = execution.nodes[HOOX];
				expect(out.map((j) => j.asset_id)).toEqual(ids);
				for (const [k, j] of out.entries()) {
					expect(j).toEqual({ ...imageAssets[k], source_item_index: 0 });
				}
				expect(
					since(ctx, seq, { method: 'GET', path: '/asset/status/' }).map((r) => r.path),
				).toEqual(ids.map((id) => `/asset/status/${id}`));
			});

			it('Model → Get Many: filtered by type and tag, the hoisted type put back on every item', async () => {
				const seq = lastSeq(ctx);
				const execution = await run(ctx, 'node: models', {
					resource: 'model',
					operation: 'getAll',
					returnAll: true,
					filters: { type: 'video', tag: 'motion-control' },
				});
				expectSuccess(execution);
				const out = execution.nodes[HOOX];
				expect(out.map((m) => m.name).sort()).toEqual(
					[
						'kling-2.6-motion-pro',
						'kling-motion-control',
						'kling-v3-motion-pro',
						'kling-v3-motion-standard',
					].sort(),
				);
				expect(
					out.every((m) => m.type === 'video' && (m.tags as string[]).includes('motion-control')),
				).toBe(true);
				const [call] = since(ctx, seq, { method: 'GET', path: '/asset/models' });
				expect(call.query).toEqual({ type: 'video', tag: 'motion-control' });
			});

			it('Pricing → Estimate: the dry run Hoox prices, nothing started', async () => {
				const seq = lastSeq(ctx);
				const execution = await run(ctx, 'node: pricing', {
					resource: 'pricing',
					operation: 'estimate',
					type: 'video',
					model: rl('kling-pro'),
					resolution: '',
					duration: 10,
					generationCount: 2,
					additionalFields: { modelSettings: '{"generateAudio": false}' },
				});
				expectSuccess(execution);
				const [price] = execution.nodes[HOOX];
				// 7.5 base × 10 s / 5 s default × 1.25 (audio off differs from its default, and affects cost)
				expect(price).toMatchObject({ cost_per_generation: 18.75, total_cost: 37.5 });
				const calls = since(ctx, seq, { kind: 'api' });
				// the model is read first: Estimate validates the input like Generate does
				expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
					'GET /asset/models/kling-pro',
					'POST /asset/pricing',
				]);
				expect(calls[1].body).toEqual({
					model: 'kling-pro',
					duration: 10,
					generation_count: 2,
					model_settings: { generateAudio: false },
				});
			});

			it('a bad API key: the run fails with "Hoox rejected the API key", the key is not in the error', async () => {
				const badKey = `hx_live_${'e'.repeat(63)}`; // malformed (63 hex digits): the emulator answers 401
				const bad = await ctx.n8n.createCredential('Hoox bad key', 'hooxApi', {
					apiKey: badKey,
					baseUrl: ctx.emulator.baseUrl,
				});
				const seq = lastSeq(ctx);
				const execution = await run(
					ctx,
					'node: bad key',
					{
						resource: 'asset',
						operation: 'generate',
						type: 'image',
						model: rl('gpt-image-2'),
						prompt: 'x',
						options: FAST,
					},
					[{}],
					{ hooxApi: { id: bad.id, name: bad.name } },
				);
				expect(execution.status).toBe('error');
				const error = execution.errors[HOOX];
				expect(error.message).toBe('Hoox rejected the API key');
				expect(JSON.stringify(execution.errors)).not.toContain(badKey);
				expect(JSON.stringify(execution.errors)).not.toContain('e'.repeat(20));
				const calls = since(ctx, seq, { kind: 'api' });
				expect(calls.length).toBeGreaterThanOrEqual(1);
				expect(calls.every((c) => c.status === 401)).toBe(true);
				expect(calls.some((c) => c.path === '/asset/start')).toBe(false);
			});

			it('an invalid item (End Image without Start Image): fails before any POST /asset/start, naming parameter and item', async () => {
				const seq = lastSeq(ctx);
				const execution = await run(
					ctx,
					'node: invalid slots',
					{
						resource: 'asset',
						operation: 'generate',
						type: 'video',
						model: rl('kling-pro'),
						prompt: '={{ $json.prompt }}',
						modelParameters: await mapper(ctx, 'kling-pro', 'video', {
							start_image: '={{ $json.start }}',
							end_image: '={{ $json.end }}',
						}),
						generationCount: 1,
						options: FAST,
					},
					[
						{ prompt: 'fine', start: 'https://example.org/a.png', end: '' },
						{
							prompt: 'fine too',
							start: 'https://example.org/b.png',
							end: 'https://example.org/c.png',
						},
						{ prompt: 'no start', start: '', end: 'https://example.org/d.png' },
					],
				);
				expect(execution.status).toBe('error');
				const error = execution.errors[HOOX];
				expect(error.message).toMatch(/^\[item 2\] Model Parameters → End Image: /);
				expect(error.message).toContain('Start Image');
				expect(since(ctx, seq, { method: 'POST', path: '/asset/start' })).toEqual([]);
			});

			it('a prompt over the model cap: fails before any POST /asset/start, naming parameter and item', async () => {
				const seq = lastSeq(ctx);
				const execution = await run(
					ctx,
					'node: prompt too long',
					{
						resource: 'asset',
						operation: 'generate',
						type: 'video',
						model: rl('kling-pro'),
						prompt: '={{ $json.prompt }}',
						options: FAST,
					},
					[{ prompt: 'short' }, { prompt: 'x'.repeat(2501) }],
				);
				expect(execution.status).toBe('error');
				expect(execution.errors[HOOX].message).toMatch(/^\[item 1\] Prompt: .*2500/);
				expect(since(ctx, seq, { method: 'POST', path: '/asset/start' })).toEqual([]);
			});
		});

		describe('example workflows (examples/*.json)', () => {
			const files = exampleFiles();
			const manual = files.filter((f) =>
				(JSON.parse(readFileSync(f, 'utf8')) as { nodes: Json[] }).nodes.some(
					(n) => n.type === 'n8n-nodes-base.manualTrigger',
				),
			);
			it('there are examples that start from a Manual Trigger', () => {
				expect(manual.length).toBeGreaterThan(0);
			});
			/** What each example must produce, beyond "success and every Hoox node has output". */
			const checks: Record<
				string,
				{ before?: () => void; check: (e: ExecutionSummary, starts: RecordedRequest[]) => void }
			> = {
				'marketing-images.json': {
					check: (e, starts) => {
						expect(starts).toHaveLength(3);
						const images = e.outputs['Generate images'][0];
						expect(
							images.every(
								(i) => (i.binary as Record<string, Json>)?.data?.mimeType === 'image/png',
							),
						).toBe(true);
						const posts = e.nodes['Compose social post'];
						expect(posts).toHaveLength(3);
						expect(posts.map((p) => p.channel)).toEqual(['instagram', 'linkedin', 'x']);
						for (const [k, p] of posts.entries()) {
							expect(p.image_url).toBe((images[k].json as Json).url);
							expect(p.post_text).toMatch(/^.+\n\n#/);
						}
					},
				},
				'scheduled-batch.json': {
					// one generation of the batch fails: the batch goes on and the summary reports it
					before: () => ctx.emulator.failNext(1),
					check: (e, starts) => {
						expect(starts).toHaveLength(4);
						const [summary] = e.nodes.Summary;
						expect(summary).toMatchObject({ requested: 4, completed: 3 });
						expect(summary.video_urls).toHaveLength(3);
						expect((summary.video_urls as string[]).every((u) => u.endsWith('.mp4'))).toBe(true);
						expect(summary.failed).toEqual([
							{
								asset_id: expect.stringMatching(ASSET_ID),
								status: 'failed',
								error: expect.objectContaining({ code: 'GENERATION_FAILED' }),
							},
						]);
						expect(summary.credits_spent).toBeGreaterThan(0);
					},
				},
				'trigger-driven-submit.json': {
					check: (e, starts) => {
						// submitted with the trigger's production URL (+ token) as webhook, not waited for
						expect(starts).toHaveLength(1);
						const body = starts[0].body as Json;
						expect(body.webhook_url).toBe(
							`${ctx.n8n.baseUrl}/webhook/5f0c3a9e-8b21-4d6f-a7c4-1e9b2d0f6a31/hoox?token=change-me-to-your-own-long-random-secret`,
						);
						const [item] = e.nodes["Generate (don't wait)"];
						expect(item.status).toMatch(/^(pending|generating)$/);
					},
				},
			};
			for (const file of manual) {
				const label = String(file.split('/').pop());
				it(`${label} runs to success`, async () => {
					const seq = lastSeq(ctx);
					const wf = await ctx.n8n.createWorkflow(loadExample(file, ctx.credential));
					checks[label]?.before?.();
					const execution = await ctx.n8n.runManually(wf.id, { timeoutMs: 60_000 });
					expectSuccess(execution);
					const full = await ctx.n8n.getWorkflow(wf.id);
					for (const node of full.nodes.filter((n) =>
						String(n.type).startsWith('n8n-nodes-hoox.'),
					)) {
						expect(execution.nodes[node.name as string]?.length ?? 0).toBeGreaterThan(0);
					}
					const starts = since(ctx, seq, { method: 'POST', path: '/asset/start' });
					expect(starts.length).toBeGreaterThan(0);
					checks[label]?.check(execution, starts);
				});
			}
		});
	},
	{ emulator: { durations: { image: 150, video: 300 }, rateLimitPerMinute: 0 } },
);
