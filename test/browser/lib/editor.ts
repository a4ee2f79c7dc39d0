/**
 * Driving the n8n 2.41 editor with playwright-core: sign-in, the canvas, the node panel (NDV), parameter
 * dropdowns, resource-locator lists, the node creator and the workflow menu's import. Selectors are the
 * editor's own data-test-id attributes (see n8n-editor-ui/dist), waited for explicitly.
 *
 * The editor gives a workflow's write access to one browser tab at a time and keeps it for 2 minutes after
 * a tab goes away without saying so (a reload). Callers therefore load a workflow page once and move
 * around inside the app (tabs, panels) instead of reloading it.
 */
import type { Locator, Page } from 'playwright-core';

/** CSS selector of an element by its data-test-id. */
export function tid(id: string): string {
	return `[data-test-id="${id}"]`;
}

export function canvasNode(page: Page | Locator, name: string): Locator {
	return page.locator(`${tid('canvas-node')}[data-node-name="${name}"]`);
}

export function ndv(page: Page): Locator {
	return page.locator(tid('ndv'));
}

/** Signs in on /signin and waits until the app has left the sign-in page. */
export async function signIn(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator(`${tid('emailOrLdapLoginId')} input`).fill(owner.email);
	await page.locator(`${tid('password')} input`).fill(owner.password);
	await page.locator(tid('form-submit-button')).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	// The app is ready once its main sidebar is there.
	await page.locator(tid('main-sidebar-settings')).waitFor();
}

/**
 * Closes what the editor lays over the canvas on its own: the "Production Checklist" popover and toasts,
 * and takes write access back when the editor says the workflow is being edited in another tab.
 */
export async function dismissOverlays(page: Page): Promise<void> {
	const checklist = page.locator(tid('suggested-actions-close'));
	if (await checklist.isVisible()) await checklist.click();
	const editHere = page.getByRole('button', { name: 'Edit here', exact: true });
	if (await editHere.isVisible()) await editHere.click();
	for (const close of await page
		.locator('.el-notification .el-notification__closeBtn:visible')
		.all()) {
		await close.click().catch(() => undefined);
	}
}

/** Opens a workflow by URL (a page load: see the note at the top) and waits for its nodes. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.locator(tid('canvas-node')).first().waitFor();
	await dismissOverlays(page);
}

/** The workflow id in the editor's URL (/workflow/<id>), once the workflow has one. */
export function workflowIdFromUrl(page: Page): string | undefined {
	const match = /\/workflow\/([^/?#]+)/.exec(new URL(page.url()).pathname);
	return match && match[1] !== 'new' ? match[1] : undefined;
}

/** Fits the whole workflow into the canvas and waits for the viewport animation to end. */
export async function zoomToFit(page: Page): Promise<void> {
	await page.locator(tid('zoom-to-fit')).first().click();
	await waitForStableBox(page.locator('.vue-flow__viewport').first());
}

/** Waits until an element's position and size stop changing (animations, lazy layout). */
export async function waitForStableBox(locator: Locator, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let previous = '';
	let stableFrames = 0;
	while (Date.now() < deadline) {
		const box = await locator.evaluate((element) => {
			const rect = element.getBoundingClientRect();
			return `${rect.x},${rect.y},${rect.width},${rect.height}`;
		});
		stableFrames = box === previous ? stableFrames + 1 : 0;
		if (stableFrames >= 3) return;
		previous = box;
		await locator.page().waitForTimeout(100);
	}
}

/** Opens a node's panel (NDV) by double-clicking it on the canvas (or in an execution preview). */
export async function openNode(
	page: Page,
	name: string,
	scope: Locator | Page = page,
): Promise<Locator> {
	await canvasNode(scope, name).dblclick();
	const panel = ndv(page);
	await panel.waitFor();
	await panel.locator(tid('node-parameters')).waitFor();
	return panel;
}

export async function closeNode(page: Page): Promise<void> {
	const panel = ndv(page);
	if (!(await panel.isVisible())) return;
	await panel.locator(tid('ndv-close-button')).click();
	await panel.waitFor({ state: 'hidden' });
}

/** The visible option labels of the open parameter dropdown (the first line of each option). */
export async function openDropdownOptions(page: Page): Promise<string[]> {
	const options = page.locator(`${tid('parameter-input-item')}:visible .option-headline`);
	await options.first().waitFor({ timeout: 20_000 });
	return (await options.allInnerTexts()).map((text) => text.trim());
}

/**
 * Opens the dropdown of an `options` parameter in the open node panel and returns its option labels; fails
 * with what the field shows (for example "Error fetching options from Sage X3") when it lists nothing.
 */
export async function dropdownOptions(parameter: Locator): Promise<string[]> {
	const input = parameter.locator('input').first();
	await input.click();
	try {
		return await openDropdownOptions(parameter.page());
	} catch (error) {
		const shown = (await input.getAttribute('placeholder')) ?? (await input.inputValue());
		throw new Error(
			`the dropdown lists nothing; the field shows "${shown}" (${(error as Error).message.split('\n')[0]})`,
		);
	}
}

/** Picks the option whose label is `label` (or starts with it when a RegExp is given). */
export async function chooseOption(parameter: Locator, label: string | RegExp): Promise<void> {
	const page = parameter.page();
	await parameter.locator('input').first().click();
	const pattern = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
	await page
		.locator(`${tid('parameter-input-item')}:visible`)
		.filter({ has: page.locator('.option-headline', { hasText: pattern }) })
		.first()
		.click();
	await page
		.locator(`${tid('parameter-input-item')}:visible`)
		.first()
		.waitFor({ state: 'hidden' });
}

/** The `options` parameter `name` of the open node panel (within `scope`, e.g. a fixed collection). */
export function parameterInput(scope: Locator, name: string): Locator {
	return scope.locator(tid(`parameter-input-${name}`)).first();
}

/**
 * Opens a resource locator's "From list" mode (switching to it when another mode is chosen) and returns the
 * labels of every item it lists; fails with the list's error message when it shows one instead.
 */
export async function resourceLocatorItems(
	panel: Locator,
	parameterName: string,
): Promise<string[]> {
	const page = panel.page();
	const locator = panel.locator(tid(`resource-locator-${parameterName}`));
	await locator.waitFor();
	const modeInput = locator.locator(`${tid('rlc-mode-selector')} input`);
	if ((await modeInput.inputValue()) !== 'From list') {
		await locator.locator(tid('rlc-mode-selector')).click();
		await page.locator(`${tid('mode-list')}:visible`).click();
	}
	await locator.locator(tid('rlc-input')).click();
	// The list, or the error the list search answered with.
	const items = page.locator(`${tid('rlc-item')}:visible`);
	const error = page.locator(`${tid('rlc-error-container')}:visible`);
	await items.first().or(error.first()).waitFor();
	if (await error.first().isVisible()) {
		const message = (await error.first().innerText()).replace(/\s+/g, ' ').trim();
		await page.keyboard.press('Escape');
		throw new Error(`the ${parameterName} list shows an error instead of items: ${message}`);
	}
	const labels = (await items.allInnerTexts()).map((text) => text.trim());
	await page.keyboard.press('Escape');
	return labels;
}

/** The name shown in the node panel's credential select (empty when the panel offers none). */
export async function selectedCredentialName(panel: Locator): Promise<string> {
	const select = panel.locator(`${tid('node-credentials-select')} input`);
	if ((await select.count()) === 0) return '';
	return (await select.first().inputValue()).trim();
}

/**
 * Adds a node from the nodes panel: searches for `nodeName`, opens it and picks the action `actionName`.
 * The editor then opens the new node's panel.
 */
export async function addNodeWithAction(
	page: Page,
	nodeName: string,
	actionName: string,
): Promise<Locator> {
	await closeNode(page);
	await page.locator(tid('node-creator-plus-button')).click();
	const creator = page.locator(tid('node-creator'));
	await creator.locator(tid('node-creator-search-bar')).fill(nodeName);
	await creator.locator(tid('node-creator-item-name')).getByText(nodeName, { exact: true }).click();
	await creator.getByText(actionName, { exact: true }).click();
	const panel = ndv(page);
	await panel.waitFor();
	await panel.locator(tid('node-parameters')).waitFor();
	return panel;
}

/**
 * "Import from File..." of the workflow menu (Import → From file) with `file`. Resolves once the editor
 * has saved the imported nodes (the save request answered 2xx).
 */
export async function importWorkflowFromFile(
	page: Page,
	file: string,
	oneNodeName: string,
): Promise<void> {
	const saved = page.waitForResponse(
		(response) =>
			/\/rest\/workflows(\/[^/?]+)?(\?.*)?$/.test(new URL(response.url()).pathname) &&
			['POST', 'PATCH'].includes(response.request().method()) &&
			(response.request().postData() ?? '').includes(JSON.stringify(oneNodeName)),
		{ timeout: 60_000 },
	);
	await page.locator(tid('workflow-menu')).click();
	await page.locator(`${tid('workflow-menu-item-import')}:visible`).hover();
	const [chooser] = await Promise.all([
		page.waitForEvent('filechooser'),
		page.locator(`${tid('workflow-menu-item-import-from-file')}:visible`).click(),
	]);
	await chooser.setFiles(file);
	await canvasNode(page, oneNodeName).waitFor();
	// Autosave stores the import; Ctrl+S asks for it at once in case autosave is off.
	await page.keyboard.press('ControlOrMeta+s');
	const response = await saved;
	if (!response.ok()) {
		throw new Error(
			`saving the imported workflow answered ${response.status()}: ${await response.text()}`,
		);
	}
	await page.waitForURL(
		(url) => /\/workflow\/(?!new)[^/?]+$/.test(url.pathname) && !url.search.includes('new=true'),
	);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
