/**
 * The n8n editor as a no-code builder uses it, in a real Chromium against n8n 2.41.1 with the
 * packed package and the emulator (the `npm start` stack). Each scenario checks what is on screen
 * and what reached the emulator; they run in order and build on each other.
 */
import axios from 'axios';
import { TEST_API_KEY } from '../../emulator';
import {
	chooseOption,
	openDropdownItems,
	closeDropdown,
	closeNdv,
	eventually,
	mapperFieldLabels,
	ndv,
	newWorkflow,
	openNode,
	optionTexts,
	parameterInput,
	pickModel,
	pickNodesPanelItem,
	searchModelPicker,
	searchNodesPanel,
	signIn,
	takeOverEditing,
	workflowIdFromUrl,
	STEP_TIMEOUT_MS,
} from './harness/editor';
import { describeEditor } from './harness/suite';
import {
	catalogueModel,
	LATE_MODEL,
	modelsMatching,
	TRIGGER_TOKEN,
	WRONG_API_KEY,
} from './fixtures';

jest.setTimeout(90_000);

const CREDENTIAL_NAME = 'Hoox account';
const HOOX_NODE = 'Generate an asset';
const VIDEO_MODEL = catalogueModel('veo-3.1-flf');
const IMAGE_MODEL = catalogueModel('gpt-image-2');

/** The Generate node's saved parameters, read back through n8n's REST API. */
async function savedHooxParameters(
	ctx: { n8n: { getWorkflow(id: string): Promise<{ nodes: Array<Record<string, unknown>> }> } },
	workflowId: string,
): Promise<Record<string, unknown>> {
	const wf = await ctx.n8n.getWorkflow(workflowId);
	const node = wf.nodes.find((n) => n.name === HOOX_NODE);
	if (!node) throw new Error(`no "${HOOX_NODE}" node saved in workflow ${workflowId}`);
	return node.parameters as Record<string, unknown>;
}

function modelValue(parameters: Record<string, unknown>): unknown {
	return (parameters.model as { value?: unknown } | undefined)?.value;
}

describeEditor(
	'the n8n editor',
	(ctx, scenario) => {
		scenario('signs in and creates a Hoox API credential in the credential modal', async () => {
			const page = ctx.page;
			await signIn(page, ctx.baseUrl, ctx.n8n.owner);
			await page.goto(`${ctx.baseUrl}/home/credentials/create`);
			const picker = page.getByTestId('selectCredential-modal');
			await picker.getByTestId('new-credential-type-select').click();
			await page.keyboard.type('Hoox');
			await page
				.getByTestId('new-credential-type-select-option')
				.filter({ hasText: 'Hoox API' })
				.click();
			await picker.getByTestId('new-credential-type-button').click();

			const modal = page.getByTestId('editCredential-modal');
			const fill = (name: string, value: string) =>
				modal.getByTestId(`parameter-input-${name}`).locator('input').fill(value);
			let mark = ctx.mark();
			await fill('apiKey', WRONG_API_KEY);
			await fill('baseUrl', ctx.emulator.baseUrl);
			await modal.getByTestId('credential-save-button').click();
			// n8n 2.x shows "Couldn't connect with these settings"; the node's message is one click away
			await modal.getByText('More details').click({ timeout: STEP_TIMEOUT_MS });
			await page
				.getByText('Hoox rejected the API key')
				.first()
				.waitFor({ timeout: STEP_TIMEOUT_MS });
			const refused = ctx.requestsSince(mark, 'GET /asset/models');
			expect(refused.length).toBeGreaterThan(0); // n8n may test a credential more than once
			expect(new Set(refused.map((r) => r.status))).toEqual(new Set([401]));
			expect(refused[0].headers.authorization).toBe('Bearer hx_live_…dead');

			mark = ctx.mark();
			await fill('apiKey', TEST_API_KEY);
			await modal.getByTestId('credential-save-button').click();
			await modal
				.getByTestId('credentials-config-container-test-success')
				.waitFor({ timeout: STEP_TIMEOUT_MS });
			const accepted = ctx.requestsSince(mark, 'GET /asset/models');
			expect(accepted.length).toBeGreaterThan(0);
			expect(new Set(accepted.map((r) => r.status))).toEqual(new Set([200]));
			const saved = (await ctx.n8n.listCredentials()).filter((c) => c.name === CREDENTIAL_NAME);
			expect(saved.map((c) => c.type)).toEqual(['hooxApi']);
			await modal.locator('.el-dialog__close').first().click();
		});

		scenario(
			'adds the Hoox node from the nodes panel: search "Hoox" → Generate an asset',
			async () => {
				const page = ctx.page;
				const mark = ctx.mark();
				await newWorkflow(page, ctx.baseUrl);
				await page.getByTestId('canvas-plus-button').click();
				await searchNodesPanel(page, 'manual', 'Manual Trigger');
				await page.getByTestId('canvas-handle-plus').click();
				await searchNodesPanel(page, 'Hoox', 'Hoox');
				await pickNodesPanelItem(page, HOOX_NODE);
				await ndv(page).waitFor({ timeout: STEP_TIMEOUT_MS });
				expect(await parameterInput(page, 'resource').locator('input').inputValue()).toBe('Asset');
				expect(await parameterInput(page, 'operation').locator('input').inputValue()).toBe(
					'Generate',
				);
				await ndv(page).getByTestId('node-credentials-select').click();
				await page
					.locator('[data-test-id^="node-credentials-select-item-"]')
					.filter({ hasText: CREDENTIAL_NAME })
					.click();
				ctx.shared.workflowId = await workflowIdFromUrl(page);
				expect(ctx.requestsSince(mark, 'POST /asset/start')).toEqual([]);
			},
		);

		scenario(
			'the Model picker searches the catalogue: "veo" lists the Veo models with provider and cost',
			async () => {
				const page = ctx.page;
				await chooseOption(page, 'type', 'Video');
				const mark = ctx.mark();
				const items = await searchModelPicker(page, 'veo');
				const expected = modelsMatching('video', 'veo');
				await eventually(async () => expect(await items.count()).toBe(expected.length));
				const texts = await items.allInnerTexts();
				for (const model of expected) {
					const entry = texts.find((t) => t.startsWith(model.label ?? model.name));
					expect(entry).toBeDefined();
					expect(entry).toContain(model.provider);
					if (typeof model.base_cost === 'number')
						expect(entry).toContain(`${model.base_cost} credits`);
				}
				await ctx.shoot('model-picker', ndv(page));
				const listed = ctx.requestsSince(mark, 'GET /asset/models');
				expect(listed.length).toBeGreaterThan(0);
				expect(listed.every((r) => r.query.type === 'video' && r.status === 200)).toBe(true);
			},
		);

		scenario(
			'a video model with named inputs shows its slots, required ones marked, and its own values',
			async () => {
				const page = ctx.page;
				const mark = ctx.mark();
				await pickModel(page, VIDEO_MODEL.name);
				await eventually(async () =>
					expect(await mapperFieldLabels(page)).toEqual([
						'First Frame (URL or Asset ID)',
						'Last Frame (URL or Asset ID)',
						'Audio (Default: On)',
					]),
				);
				const mapper = ndv(page).getByTestId('mapping-fields-container');
				// required slots cannot be removed (n8n shows its "mandatory" mark instead of a bin)
				expect(await mapper.getByTestId('remove-field-button-first_frame').count()).toBe(0);
				expect(await mapper.getByTestId('remove-field-button-last_frame').count()).toBe(0);
				expect(await mapper.locator('[data-test-id^="remove-field-button-"]').count()).toBe(1);

				const caps = VIDEO_MODEL.capabilities ?? {};
				const ratios = await optionTexts(page, 'aspectRatio');
				await closeDropdown(page, 'aspectRatio');
				expect(ratios.slice(1)).toEqual(caps.supported_aspect_ratios);
				expect(ratios[0]).toBe(`Model Default (${caps.default_aspect_ratio})`);
				const durations = await optionTexts(page, 'duration');
				await closeDropdown(page, 'duration');
				expect(durations.slice(1)).toEqual(
					(caps.supported_durations ?? []).map((d) => `${d} Seconds`),
				);

				await parameterInput(page, 'prompt')
					.locator('textarea')
					.fill('A paper boat drifting down a rain-soaked street');
				await parameterInput(page, 'first_frame')
					.locator('input')
					.fill('https://example.com/first.png');
				await parameterInput(page, 'last_frame')
					.locator('input')
					.fill('https://example.com/last.png');
				await chooseOption(page, 'aspectRatio', '16:9');
				await chooseOption(page, 'duration', '6 Seconds');
				await ctx.shoot('node-video-model', ndv(page));
				expect(
					ctx.requestsSince(mark, `GET /asset/models/${VIDEO_MODEL.name}`).length,
				).toBeGreaterThan(0);
				expect(ctx.requestsSince(mark, 'POST /asset/start')).toEqual([]);
			},
		);

		scenario(
			'switching to an image model changes the fields and leaves nothing of the video model saved',
			async () => {
				const page = ctx.page;
				const mark = ctx.mark();
				await chooseOption(page, 'type', 'Image');
				await searchModelPicker(page, 'gpt');
				await pickModel(page, IMAGE_MODEL.label ?? IMAGE_MODEL.name);
				await eventually(async () =>
					expect(await mapperFieldLabels(page)).toEqual(['Quality (Default: Medium)']),
				);
				expect(await parameterInput(page, 'duration').count()).toBe(0);
				const ratios = await optionTexts(page, 'aspectRatio');
				await closeDropdown(page, 'aspectRatio');
				expect(ratios.slice(1)).toEqual(IMAGE_MODEL.capabilities?.supported_aspect_ratios);

				await page.keyboard.press('Control+s');
				const saved = await eventually(async () => {
					const params = await savedHooxParameters(ctx, ctx.shared.workflowId);
					expect(modelValue(params)).toBe(IMAGE_MODEL.name);
					return params;
				});
				const text = JSON.stringify(saved);
				for (const leftover of [
					VIDEO_MODEL.name,
					'first_frame',
					'last_frame',
					'generateAudio',
					'first.png',
				]) {
					expect(text).not.toContain(leftover);
				}
				expect(saved.duration ?? '').toBe('');
				expect(
					ctx.requestsSince(mark, `GET /asset/models/${IMAGE_MODEL.name}`).length,
				).toBeGreaterThan(0);
				expect(ctx.requestsSince(mark, 'POST /asset/start')).toEqual([]);
			},
		);

		scenario(
			'executing the node lists the item in the output panel and previews the image',
			async () => {
				const page = ctx.page;
				await ndv(page).getByTestId('collection-parameter-add').last().click();
				await page
					.getByTestId('collection-parameter-option')
					.filter({ hasText: 'Download Output as Binary' })
					.click();
				await parameterInput(page, 'downloadBinary').locator('.el-switch').click();
				const mark = ctx.mark();
				await ndv(page).getByTestId('node-execute-button').click();
				const output = ndv(page).getByTestId('output-panel');
				await output.getByTestId('node-run-status-success').waitFor({ timeout: 30_000 });
				expect((await output.getByTestId('ndv-items-count').innerText()).trim()).toBe('1 item');

				const starts = ctx.requestsSince(mark, 'POST /asset/start');
				expect(starts).toHaveLength(1);
				const body = starts[0].body as Record<string, unknown>;
				expect(body.model).toBe(IMAGE_MODEL.name);
				expect(JSON.stringify(body)).not.toMatch(/first_frame|last_frame|duration|generateAudio/);
				const media = ctx.emulator.requests({ kind: 'media' }).filter((r) => r.seq > mark);
				expect(media.map((r) => r.status)).toContain(200);

				await output.getByTestId('radio-button-binary').click();
				await output.getByTestId('ndv-view-binary-data').first().click();
				const preview = output.locator('img[src*="/rest/binary-data"]');
				await preview.waitFor({ timeout: STEP_TIMEOUT_MS });
				await eventually(async () =>
					expect(
						await preview.evaluate(
							(img) => (img as unknown as { naturalWidth: number }).naturalWidth,
						),
					).toBeGreaterThan(0),
				);
				await ctx.shoot('output-image', ndv(page));
			},
		);

		scenario('reopened after a page reload: parameters intact, no parameter issues', async () => {
			const page = ctx.page;
			await closeNdv(page);
			const mark = ctx.mark();
			await page.reload();
			await takeOverEditing(page);
			const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${HOOX_NODE}"]`);
			await node.waitFor({ timeout: STEP_TIMEOUT_MS });
			expect(await node.getByTestId('node-issues').count()).toBe(0);
			await openNode(page, HOOX_NODE);
			expect(await parameterInput(page, 'type').locator('input').inputValue()).toBe('Image');
			await eventually(async () =>
				expect(await ndv(page).getByTestId('rlc-input').inputValue()).toContain(
					IMAGE_MODEL.label ?? IMAGE_MODEL.name,
				),
			);
			expect(await parameterInput(page, 'prompt').locator('textarea').inputValue()).toContain(
				'paper boat',
			);
			await eventually(async () =>
				expect(await mapperFieldLabels(page)).toEqual(['Quality (Default: Medium)']),
			);
			expect(
				await ndv(page).locator('.parameter-issues, [data-test-id="parameter-issues"]').count(),
			).toBe(0);
			expect(await node.getByTestId('node-issues').count()).toBe(0);
			expect(ctx.requestsSince(mark, 'POST /asset/start')).toEqual([]);
		});

		scenario('a model added to Hoox while the editor is open shows up in the picker', async () => {
			const page = ctx.page;
			ctx.emulator.addModel(LATE_MODEL);
			const mark = ctx.mark();
			const items = await searchModelPicker(page, 'late arrival');
			// n8n keeps the chosen model (gpt-image-2) on top of the search's answer
			const chosen = `${IMAGE_MODEL.label ?? IMAGE_MODEL.name} · `;
			await eventually(async () =>
				expect((await items.allInnerTexts()).filter((t) => !t.startsWith(chosen))).toEqual([
					`${LATE_MODEL.label} · ${LATE_MODEL.provider} · ${LATE_MODEL.base_cost} credits`,
				]),
			);
			const listed = ctx.requestsSince(mark, 'GET /asset/models');
			expect(listed.some((r) => r.query.type === 'image' && r.status === 200)).toBe(true);
			await page.keyboard.press('Escape');
		});

		scenario(
			'Hoox Trigger: the panel shows the production URL and the token notice; publishing activates it',
			async () => {
				const page = ctx.page;
				await newWorkflow(page, ctx.baseUrl);
				await page.getByTestId('canvas-plus-button').click();
				await searchNodesPanel(page, 'Hoox', 'Hoox');
				await pickNodesPanelItem(page, 'On completed');
				const panel = ndv(page);
				await panel
					.getByText('Hoox does not sign its webhooks')
					.waitFor({ timeout: STEP_TIMEOUT_MS });
				await panel.getByText('Webhook URLs').click();
				await panel.getByTestId('radio-button-production').click();
				const url = (await panel.locator('.webhook-url').innerText()).trim();
				expect(url).toMatch(
					new RegExp(`^${ctx.baseUrl.replace(/[.]/g, '\\.')}/webhook/[0-9a-f-]{36}/hoox$`),
				);
				// Version 1.1 defaults to a token credential; the token in the URL is the quicker setup here.
				await parameterInput(page, 'authentication').click();
				await openDropdownItems(page).filter({ hasText: 'Secret Token in URL' }).first().click();
				await parameterInput(page, 'secretToken').locator('input').fill(TRIGGER_TOKEN);
				await ctx.shoot('trigger-panel', panel);
				await closeNdv(page);
				const workflowId = await workflowIdFromUrl(page);

				const mark = ctx.mark();
				await page.getByTestId('workflow-open-publish-modal-button').click();
				await page.getByTestId('workflow-publish-button').click();
				await page
					.getByTestId('workflow-active-version-indicator')
					.waitFor({ timeout: STEP_TIMEOUT_MS });
				const gotIt = page.getByRole('button', { name: 'Got it' });
				if (await gotIt.isVisible().catch(() => false)) await gotIt.click();
				expect(ctx.requestsSince(mark)).toEqual([]); // Hoox has no webhook registration API

				// A generation with this URL as its webhook: the emulator's delivery starts an execution.
				const res = await axios.post(
					`${ctx.emulator.baseUrl}/asset/start`,
					{
						type: 'image',
						model: IMAGE_MODEL.name,
						prompt: 'a lighthouse',
						webhook_url: `${url}?token=${TRIGGER_TOKEN}`,
					},
					{ headers: { Authorization: `Bearer ${TEST_API_KEY}` } },
				);
				const assetId = (res.data as { asset_ids?: string[] }).asset_ids?.[0];
				expect(assetId).toBeDefined();
				await eventually(() => {
					const delivered = ctx.emulator.webhookDeliveries().filter((d) => d.asset_id === assetId);
					expect(delivered.map((d) => d.status)).toEqual([200]);
				}, 30_000);
				await eventually(async () => {
					const runs = await ctx.n8n.listExecutions(workflowId);
					expect(runs.map((r) => r.status)).toEqual(['success']);
				}, 30_000);
			},
		);
	},
	{ emulator: { acceptAnyWellFormedKey: false, durations: { image: 200, video: 400 } } },
);
