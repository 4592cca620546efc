/**
 * The n8n 2.x editor as a user drives it, by n8n's own `data-test-id` attributes: sign-in, the
 * nodes panel, the node details view (NDV), option dropdowns, the resource-locator picker, the
 * credential modal and publishing.
 */
import type { Locator, Page } from 'playwright-core';
import type { Owner } from '../../../harness/n8n';

/** Upper bound for one UI step (n8n loads options from the emulator on loopback). */
export const STEP_TIMEOUT_MS = 15_000;

/** Polls an assertion until it passes (or rethrows its last failure after `timeoutMs`). */
export async function eventually<T>(
	check: () => Promise<T> | T,
	timeoutMs = STEP_TIMEOUT_MS,
): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > end) throw error;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

export async function signIn(page: Page, baseUrl: string, owner: Owner): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
	await page.getByTestId('password').locator('input').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL(/\/home\//, { timeout: STEP_TIMEOUT_MS });
}

/** Opens a new, empty workflow. */
export async function newWorkflow(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** The workflow id in the editor's URL (n8n saves a new workflow once it has a node). */
export async function workflowIdFromUrl(page: Page): Promise<string> {
	return eventually(() => {
		const match = /\/workflow\/([A-Za-z0-9]+)(?:[/?]|$)/.exec(page.url());
		if (!match || match[1] === 'new') throw new Error(`no workflow id in ${page.url()}`);
		return match[1];
	});
}

/** Types into the nodes panel's search box and clicks the result named `itemName`. */
export async function searchNodesPanel(page: Page, query: string, itemName: string): Promise<void> {
	await page.getByTestId('node-creator-search-bar').fill(query);
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: new RegExp(`^${escapeRegExp(itemName)}$`) })
		.first()
		.click();
}

/** Clicks an entry of the nodes panel's current list (an action or a trigger event). */
export async function pickNodesPanelItem(page: Page, itemName: string): Promise<void> {
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: new RegExp(`^${escapeRegExp(itemName)}$`) })
		.first()
		.click();
}

export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The open node details view. */
export function ndv(page: Page): Locator {
	return page.getByTestId('ndv');
}

export function parameterInput(page: Page, name: string): Locator {
	return ndv(page).getByTestId(`parameter-input-${name}`);
}

/** The visible entries of the dropdown an options parameter opened. */
export function openDropdownItems(page: Page): Locator {
	return page.locator('.el-select-dropdown__item:visible');
}

/** Opens an options parameter and returns its entries' texts (the dropdown stays open). */
export async function optionTexts(page: Page, name: string): Promise<string[]> {
	await parameterInput(page, name).click();
	const items = openDropdownItems(page);
	await items.first().waitFor({ timeout: STEP_TIMEOUT_MS });
	return (await items.allInnerTexts()).map((t) => t.trim());
}

/** Chooses the entry whose text is exactly `text` in an options parameter. */
export async function chooseOption(page: Page, name: string, text: string): Promise<void> {
	await parameterInput(page, name).click();
	await openDropdownItems(page)
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) })
		.first()
		.click();
	await eventually(async () => {
		const shown = await parameterInput(page, name).locator('input').first().inputValue();
		if (shown !== text) throw new Error(`${name} shows "${shown}", expected "${text}"`);
	});
}

/** Closes an open dropdown by clicking its parameter again. */
export async function closeDropdown(page: Page, name: string): Promise<void> {
	await parameterInput(page, name).click();
	await openDropdownItems(page)
		.first()
		.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS })
		.catch(() => page.keyboard.press('Escape'));
}

/** Opens the Model picker (resource locator, "From list") and types `search` into it. */
export async function searchModelPicker(page: Page, search: string): Promise<Locator> {
	await ndv(page).getByTestId('rlc-input').click();
	const box = page.getByTestId('rlc-search');
	await box.waitFor({ timeout: STEP_TIMEOUT_MS });
	await box.fill(search);
	return page.getByTestId('rlc-item');
}

/** Picks the model whose entry starts with `entryStart` in the open picker. */
export async function pickModel(page: Page, entryStart: string): Promise<void> {
	await page
		.getByTestId('rlc-item')
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(entryStart)}`) })
		.first()
		.click();
}

/** The Model Parameters (resource mapper) field labels, as shown. */
export async function mapperFieldLabels(page: Page): Promise<string[]> {
	const container = ndv(page).getByTestId('mapping-fields-container');
	const labels = container.locator('.parameter-item label');
	// the label row also holds the Fixed/Expression switch: keep its first line
	return (await labels.allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter(Boolean);
}

/** Opens a canvas node's details view by double-clicking it. */
export async function openNode(page: Page, nodeName: string): Promise<void> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	await ndv(page).waitFor({ timeout: STEP_TIMEOUT_MS });
}

export async function closeNdv(page: Page): Promise<void> {
	await ndv(page).getByTestId('ndv-close-button').click();
	await ndv(page).waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

/** n8n 2.x shows "Editing in another tab" after a reload until this tab takes the workflow over. */
export async function takeOverEditing(page: Page): Promise<void> {
	const editHere = page.getByRole('button', { name: 'Edit here' });
	if (await editHere.isVisible().catch(() => false)) await editHere.click();
}
