/**
 * The example workflows of `examples/`, as a user imports them, run end to end through n8n-core
 * against the emulator (the Schedule Trigger left out: they start from their Manual Trigger).
 * The core nodes around the Hoox node are test stand-ins (see coreNodes.ts); e2e runs the same
 * files in a real n8n.
 */
import type { IBinaryData } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { exampleWorkflow, withoutNodes } from './builders';
import { createdAssetIds } from './emulatorLog';
import { runWorkflow } from './harness';
import { startWebhookReceiver, type WebhookReceiver } from './webhookReceiver';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 10, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

test('marketing-images: one image per prompt, each social post built from its own prompt', async () => {
	const workflow = exampleWorkflow('marketing-images.json');
	const result = await runWorkflow(workflow, { emulator: emu, startNode: 'Run now' });

	expect(result.status).toBe('success');
	const campaigns = result.items('Marketing prompts').map((item) => item.json);
	expect(campaigns.map((c) => c.channel)).toEqual(['instagram', 'linkedin', 'x']);

	const starts = result.requests('/asset/start').map((r) => r.body as Record<string, unknown>);
	expect(starts).toEqual(
		campaigns.map((c) => ({
			type: 'image',
			model: 'gpt-image-2',
			prompt: c.prompt,
			aspect_ratio: '1:1',
			generation_count: 1,
			model_settings: { quality: 'medium' },
		})),
	);

	const images = result.items('Generate images');
	const ids = createdAssetIds(emu);
	expect(images.map((i) => i.json.asset_id)).toEqual(ids);
	for (const image of images) {
		expect(image.binary?.data as IBinaryData).toMatchObject({ mimeType: 'image/png' });
	}
	const downloads = result.requests('/media/').filter((r) => r.kind === 'media');
	expect(downloads.map((r) => r.path)).toEqual(ids.map((id) => `/media/${id}.png`));

	const posts = result.items('Compose social post').map((item) => item.json);
	expect(posts).toEqual(
		campaigns.map((c, k) => ({
			channel: c.channel,
			post_text: `${c.headline}\n\n${c.hashtags}`,
			image_url: images[k].json.url,
			asset_id: ids[k],
			credits: images[k].json.cost,
		})),
	);
	expect(posts.every((post) => typeof post.credits === 'number' && post.credits > 0)).toBe(true);
});

test('scheduled-batch (run now): four videos, one failed, summed up in one item', async () => {
	emu.failNext(1); // the first video fails; the node is set to On Error: Continue
	const workflow = withoutNodes(exampleWorkflow('scheduled-batch.json'), ['Every morning']);
	const result = await runWorkflow(workflow, { emulator: emu, startNode: 'Run now' });

	expect(result.status).toBe('success');
	const batch = result.items('Build batch').map((item) => item.json);
	expect(batch).toHaveLength(4);
	const starts = result.requests('/asset/start').map((r) => r.body as Record<string, unknown>);
	expect(starts).toEqual(
		batch.map((b) => ({
			type: 'video',
			model: 'veo-3.1-lite',
			prompt: b.prompt,
			aspect_ratio: '9:16',
			resolution: '720p',
			duration: 4,
			generation_count: 1,
			model_settings: { generateAudio: false },
		})),
	);

	const videos = result.items('Generate videos').map((item) => item.json);
	const [failedId, ...completedIds] = createdAssetIds(emu);
	const [summary, ...more] = result.items('Summary').map((item) => item.json);
	expect(more).toHaveLength(0);
	expect(summary).toMatchObject({
		requested: 4,
		completed: 3,
		video_urls: completedIds.map((id) => `${emu.origin}/media/${id}.mp4`),
		failed: [
			{
				asset_id: failedId,
				status: 'failed',
				error: expect.objectContaining({ code: 'GENERATION_FAILED' }),
			},
		],
	});
	const spent = videos.filter((v) => v.status === 'completed').map((v) => Number(v.cost));
	expect(summary.credits_spent).toBe(Math.round(spent.reduce((a, b) => a + b, 0) * 100) / 100);
	expect(summary.credits_spent).toBeGreaterThan(0);
});

describe('trigger-driven pair: submit without waiting, the Hoox Trigger workflow handles the result', () => {
	const submitting = exampleWorkflow('trigger-driven-submit.json');
	const receiving = exampleWorkflow('trigger-driven-receive.json');
	let receiver: WebhookReceiver;
	beforeEach(async () => {
		receiver = await startWebhookReceiver(receiving, 'Hoox Trigger', { emulator: emu });
	});
	afterEach(async () => receiver.close());

	/** Runs the submitting workflow on an n8n whose address is the receiver's. */
	async function submit() {
		const result = await runWorkflow(submitting, {
			emulator: emu,
			startNode: 'Run now',
			instanceUrl: receiver.origin,
		});
		expect(result.status).toBe('success');
		const [submitted, ...more] = result.items("Generate (don't wait)");
		expect(more).toHaveLength(0);
		expect(['pending', 'generating']).toContain(submitted.json.status);
		const [start] = result.requests('/asset/start');
		expect(start.body).toMatchObject({
			type: 'video',
			model: 'veo-3.1-lite',
			webhook_url: `${receiver.origin}/webhook/5f0c3a9e-8b21-4d6f-a7c4-1e9b2d0f6a31/hoox?token=change-me-to-your-own-long-random-secret`,
		});
		return {
			assetId: String(submitted.json.asset_id),
			prompt: (start.body as { prompt: string }).prompt,
		};
	}

	test('a completed video: one delivery, one execution, the message names its URL', async () => {
		const { assetId, prompt } = await submit();
		const [delivery] = await receiver.handled(1);

		expect(delivery.status).toBe(200);
		expect(delivery.result?.status).toBe('success');
		const url = `${emu.origin}/media/${assetId}.mp4`;
		expect(delivery.result?.items('Handle result').map((item) => item.json)).toEqual([
			{ outcome: 'ready', message: `Your video is ready: ${url}`, asset_id: assetId, url, prompt },
		]);
		// the trigger confirmed the event with Hoox before starting the workflow
		expect(emu.requests({ path: `/asset/status/${assetId}` }).length).toBeGreaterThanOrEqual(1);
		// The emulator logs a delivery once it has read the answer, which can be after the run ends.
		for (let i = 0; i < 100 && emu.webhookDeliveries().length === 0; i++) {
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(emu.webhookDeliveries().map((d) => [d.asset_id, d.status, d.outcome])).toEqual([
			[assetId, 200, 'delivered'],
		]);
	});

	test('a failed video: the message says so, with the asset ID', async () => {
		emu.failNext(1);
		const { assetId } = await submit();
		const [delivery] = await receiver.handled(1);

		const [handled] = delivery.result?.items('Handle result') ?? [];
		expect(handled.json).toMatchObject({ outcome: 'failed', asset_id: assetId });
		expect(handled.json.message).toMatch(new RegExp(`^Generation ${assetId} failed: .+`));
	});
});
