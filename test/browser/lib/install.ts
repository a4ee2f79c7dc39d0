/**
 * The editor's side of installing a community package (n8n 2.41): Settings → Community Nodes → Install, and
 * what the nodes panel lists for a search. Selectors are the editor's data-test-id attributes
 * (SettingsCommunityNodesView, CommunityPackageInstallModal, NodeCreator in n8n-editor-ui/dist).
 */
import type { Page } from 'playwright-core';

import { closeNode, dismissOverlays, ndv, tid } from './editor';

/** Installs `packageName` through the Community Nodes settings page; resolves once its card is listed. */
export async function installFromCommunityNodesPage(
	page: Page,
	baseUrl: string,
	packageName: string,
	timeoutMs = 180_000,
): Promise<string> {
	await page.goto(`${baseUrl}/settings/community-nodes`);
	// The empty page offers "Install a community node"; once something is installed, a header "Install" button.
	await page
		.getByRole('button', { name: /^Install/ })
		.first()
		.click();
	// The test id sits on the input itself in 2.41; on a wrapper in other versions of the design system.
	const input = page
		.locator(`input${tid('package-name-input')}, ${tid('package-name-input')} input`)
		.first();
	await input.fill(packageName);
	await page.locator(tid('user-agreement-checkbox')).click();
	const installed = page.waitForResponse(
		(response) =>
			new URL(response.url()).pathname === '/rest/community-packages' &&
			response.request().method() === 'POST',
		{ timeout: timeoutMs },
	);
	await page.locator(tid('install-community-package-button')).click();
	const response = await installed;
	if (!response.ok()) {
		throw new Error(`the install answered ${response.status()}: ${await response.text()}`);
	}
	const card = page.locator(tid('community-package-card')).filter({ hasText: packageName });
	await card.waitFor({ timeout: 30_000 });
	return (await card.innerText()).replace(/\s+/g, ' ').trim();
}

/**
 * Adds a node from the nodes panel ("+" on the canvas): searches `query`, opens the item named `itemName` and, when
 * the panel then lists actions or trigger events, picks `actionName` (or the first one). Resolves once the new
 * node's panel (NDV) is open; returns the names the search listed.
 */
export async function addFromNodesPanel(
	page: Page,
	query: string,
	itemName: string,
	actionName?: string,
): Promise<string[]> {
	await closeNode(page);
	await dismissOverlays(page);
	const creator = page.locator(tid('node-creator'));
	if (!(await creator.isVisible())) await page.locator(tid('node-creator-plus-button')).click();
	await creator.locator(tid('node-creator-search-bar')).fill(query);
	const item = creator.locator(tid('node-creator-item-name')).getByText(itemName, { exact: true });
	await item.first().waitFor();
	const listed = (await creator.locator(tid('node-creator-item-name')).allInnerTexts()).map(
		(text) => text.trim(),
	);
	await item.first().click();
	const panel = ndv(page);
	const actions = creator.locator(tid('node-creator-action-item'));
	await panel.or(actions.first()).first().waitFor();
	if (!(await panel.isVisible())) {
		if (actionName) {
			await creator.getByText(actionName, { exact: true }).first().click();
		} else {
			// The list re-renders while it slides in (a click then lands on a detached row): the keyboard
			// picks the highlighted first entry, as a user pressing Enter does.
			await page.waitForTimeout(500);
			await page.keyboard.press('Enter');
		}
	}
	await panel.waitFor();
	await panel.locator(tid('node-parameters')).waitFor();
	return listed;
}
