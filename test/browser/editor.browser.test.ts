/**
 * What a user sees in the n8n editor (headless Chromium against a real n8n 2.41 with this package and the
 * Brex and X3 emulators):
 *
 * - the sync template imports through the editor's "Import from File..." unchanged: the workflow the editor
 *   saves has every node of the template, with the same parameters, credentials and connections;
 * - the Sage X3 node's dropdowns list what X3 holds: GL accounts (resource locator), suppliers (resource
 *   locator), dimension types and each type's dimension values (options), compared with the X3 emulator's
 *   own data, and a Sage X3 node added from the nodes panel offers the Sage X3 credential.
 *
 * One n8n and one browser tab for the whole file; the tests run in order on the workflow the first one
 * imports, and move around inside the editor without reloading it (see lib/editor.ts).
 */
import type { Page } from 'playwright-core';

import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../emulators/x3/server';
import { N8nInstance } from '../e2e/lib/n8nInstance';
import { waitFor } from '../e2e/lib/tools';
import {
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	launcherPersonality,
	readTemplate,
	templateCredential,
} from '../e2e/sync/stack';
import { launchChromium, type Browser } from './lib/chromium';
import {
	addNodeWithAction,
	chooseOption,
	closeNode,
	dismissOverlays,
	dropdownOptions,
	importWorkflowFromFile,
	openNode,
	parameterInput,
	resourceLocatorItems,
	selectedCredentialName,
	signIn,
	tid,
	workflowIdFromUrl,
} from './lib/editor';
import {
	workflowDifferences,
	type ComparedWorkflow,
	type NodeTypeDescription,
} from './lib/workflowCompare';

jest.setTimeout(5 * 60_000);

/** The owner test/e2e/lib/n8nInstance.ts creates through N8N_INSTANCE_OWNER_* (its REST login uses it too). */
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Passw0rd!' };
const SEED = 20261206;
const VENDORS = 10;
const KNOWN_VENDOR_SHARE = 0.8;
const FIND_OR_CREATE_SUPPLIER = 'Find or create supplier';

const sync = readTemplate(SYNC_TEMPLATE_FILE);
const x3CredentialName = templateCredential(sync, 'sageX3Api').name;

let brex: BrexEmulator | undefined;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;
let browser: Browser | undefined;
let page: Page;
let importedWorkflowId: string | undefined;

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

function imported(): string {
	if (!importedWorkflowId) throw new Error('the template was not imported (see the first test)');
	return importedWorkflowId;
}

/** "625100 – Travel - transport [inactive]" → "625100"; "Acme Corp (BRX00001)" → "BRX00001". */
const accountCode = (label: string) => label.split(' – ')[0].trim();
const supplierCode = (label: string) => /\(([^()]+)\)(?: \[inactive\])?$/.exec(label)?.[1] ?? label;

const sorted = (values: Iterable<string>) => [...values].sort();

/** Back to the canvas with no panel open, whatever the previous test left behind. */
async function backToCanvas(): Promise<void> {
	await page.keyboard.press('Escape');
	await closeNode(page);
	await dismissOverlays(page);
}

beforeAll(async () => {
	brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: 5,
		vendorCount: VENDORS,
		knownVendorShare: KNOWN_VENDOR_SHARE,
	});
	x3 = await startX3Emulator({
		seed: SEED,
		seedOptions: { seed: SEED, vendorCount: VENDORS, knownVendorShare: KNOWN_VENDOR_SHARE },
		// The X3 the templates are set up for (X3_EMULATOR_PERSONALITY chooses another).
		...launcherPersonality(),
	});
	n8n = await N8nInstance.create({ name: 'browser' });
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	await n8n.start();
	browser = await launchChromium();
	page = browser.page;
	page.setDefaultTimeout(30_000);
	await signIn(page, n8n.baseUrl, OWNER);
}, 5 * 60_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
	await brex?.close();
	await x3?.close();
});

describe('the n8n editor', () => {
	it('imports the sync template from a file (workflow menu) and saves it unchanged', async () => {
		const n = instance();
		await page.goto(`${n.baseUrl}/workflow/new`);
		await page.locator(tid('workflow-menu')).waitFor();
		await dismissOverlays(page);
		await importWorkflowFromFile(page, SYNC_TEMPLATE_FILE, SYNC_NODES.postSpend);
		importedWorkflowId = workflowIdFromUrl(page);
		expect(importedWorkflowId).toBeDefined();

		const saved = await n.rest<{ data: ComparedWorkflow }>('GET', `/rest/workflows/${imported()}`);
		const types = (await n.nodeTypes()) as unknown as NodeTypeDescription[];
		expect(workflowDifferences(sync as unknown as ComparedWorkflow, saved.data, types)).toEqual([]);
	});

	it('lists the GL accounts X3 holds in the Post spend node (Card Liability Account, from list)', async () => {
		imported();
		await backToCanvas();
		const panel = await openNode(page, SYNC_NODES.postSpend);
		const labels = await resourceLocatorItems(panel, 'cardLiabilityAccount');
		const accounts = [...x3.state.accounts.values()];
		expect(sorted(labels.map(accountCode))).toEqual(
			sorted(accounts.map((account) => account.code)),
		);
		for (const account of accounts) {
			const label = labels.find((candidate) => accountCode(candidate) === account.code)!;
			expect(label).toContain(account.description);
			expect(label.endsWith('[inactive]')).toBe(!account.isActive);
		}
	});

	it('lists the dimension types X3 holds in the Post spend node (Default Dimensions)', async () => {
		imported();
		await backToCanvas();
		const panel = await openNode(page, SYNC_NODES.postSpend);
		const defaults = panel.locator(tid('fixed-collection-defaultDimensions'));
		await defaults.locator(tid('fixed-collection-add')).click();
		const labels = await dropdownOptions(parameterInput(defaults, 'type'));
		await page.keyboard.press('Escape');
		expect(sorted(labels.map((label) => label.split(' – ')[0]))).toEqual(
			sorted(x3.state.dimensionTypes.keys()),
		);
	});

	it('lists the suppliers X3 holds in Supplier → Get', async () => {
		imported();
		await backToCanvas();
		const panel = await openNode(page, FIND_OR_CREATE_SUPPLIER);
		await chooseOption(parameterInput(panel, 'operation'), 'Get');
		const labels = await resourceLocatorItems(panel, 'supplier');
		const suppliers = [...x3.state.suppliers.values()];
		expect(suppliers.length).toBeGreaterThan(0);
		expect(sorted(labels.map(supplierCode))).toEqual(
			sorted(suppliers.map((supplier) => supplier.code)),
		);
		for (const supplier of suppliers) {
			expect(labels).toContain(
				`${supplier.name} (${supplier.code})${supplier.isActive ? '' : ' [inactive]'}`,
			);
		}
	});

	it('lists every dimension type, and each type’s values, that X3 holds in Dimension → Validate', async () => {
		imported();
		await backToCanvas();
		const panel = await openNode(page, FIND_OR_CREATE_SUPPLIER);
		await chooseOption(parameterInput(panel, 'resource'), 'Dimension');
		await chooseOption(parameterInput(panel, 'operation'), 'Validate');
		const dimensions = panel.locator(tid('fixed-collection-dimensions'));
		await dimensions.locator(tid('fixed-collection-add')).click();
		const typeLabels = await dropdownOptions(parameterInput(dimensions, 'type'));
		await page.keyboard.press('Escape');
		const types = sorted(x3.state.dimensionTypes.keys());
		expect(sorted(typeLabels.map((label) => label.split(' – ')[0]))).toEqual(types);

		for (const type of types) {
			// The values are loaded again whenever the type changes: wait for that answer, not a stale list.
			const loaded = page.waitForResponse(
				(response) =>
					response.url().includes('/rest/dynamic-node-parameters/options') &&
					(response.request().postData() ?? '').includes('"methodName":"getDimensions"') &&
					(response.request().postData() ?? '').includes(`"type":"${type}"`),
			);
			await chooseOption(parameterInput(dimensions, 'type'), new RegExp(`^${type}( – |$)`));
			expect((await loaded).ok()).toBe(true);
			const valueLabels = await dropdownOptions(parameterInput(dimensions, 'value'));
			await page.keyboard.press('Escape');
			const expected = [...x3.state.dimensions.values()].filter(
				(dimension) => dimension.type === type,
			);
			expect(sorted(valueLabels)).toEqual(
				sorted(expected.map((dimension) => `${dimension.code} – ${dimension.description}`)),
			);
		}
	});

	it('shows the Read API and offers the Sage X3 credential on a Sage X3 node added from the nodes panel, and lists suppliers', async () => {
		imported();
		await backToCanvas();
		const panel = await addNodeWithAction(page, 'Sage X3', 'Get a supplier');
		// n8n preselects the only credential of the node's type.
		let shown = '';
		await waitFor(
			async () => {
				shown = await selectedCredentialName(panel);
				return shown === x3CredentialName;
			},
			{ timeoutMs: 10_000, describe: () => `the credential select to show "${x3CredentialName}"` },
		).catch(() => undefined);
		// The user picks the read API here; it must not be hidden behind the credential choice.
		const readApiShown = await parameterInput(panel, 'readApi').isVisible();
		expect({ readApiShown, credential: shown }).toEqual({
			readApiShown: true,
			credential: x3CredentialName,
		});
		const labels = await resourceLocatorItems(panel, 'supplier');
		expect(sorted(labels.map(supplierCode))).toEqual(sorted(x3.state.suppliers.keys()));
	});
});
