/**
 * The install paths a self-hoster takes, in a real n8n 2.41 with an empty nodes folder, checked in the editor:
 *
 * 1. Settings → Community Nodes → Install, from a registry: the packed package is published to a local verdaccio
 *    (127.0.0.1, no uplink) and installed through the editor's install dialog; its card lists the three nodes, and
 *    a workflow built from the nodes panel (Brex Trigger, Brex, Sage X3) saves with the three node types.
 *    n8n 2.41.1 passes its registry to npm as --registry on every call (npm's own config is not read), and takes
 *    a registry other than https://registry.npmjs.org from N8N_COMMUNITY_PACKAGES_REGISTRY only with the licence
 *    feature feat:communityNodes:customRegistry (community-packages.service.js, getNpmRegistry). The test turns
 *    that feature on through n8n's own test switch (E2E_TESTS=true, PATCH /rest/e2e/feature), the way n8n's
 *    Playwright suite does; the install itself runs n8n's unchanged code (npm pack, extract, npm install).
 * 2. Offline, from the .tgz: the README's recipe (extract the tarball into <user folder>/.n8n/nodes/node_modules)
 *    with every registry unreachable (npm_config_registry and N8N's registry pointed at 127.0.0.1:9, outbound
 *    HTTP(S) through a dead proxy); after the start the same workflow is built from the nodes panel and saves.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import { N8nInstance } from '../e2e/lib/n8nInstance';
import { packRepo } from '../e2e/lib/package';
import { PACKAGE_NAME, runSync } from '../e2e/lib/tools';
import { launchChromium, type Browser } from './lib/chromium';
import { closeNode, ndv, signIn, tid } from './lib/editor';
import { addFromNodesPanel, installFromCommunityNodesPage } from './lib/install';
import { startLocalRegistry, type LocalRegistry } from './lib/verdaccio';

jest.setTimeout(6 * 60_000);

/** The owner test/e2e/lib/n8nInstance.ts creates through N8N_INSTANCE_OWNER_* (its REST login uses it too). */
const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Passw0rd!' };
/** Display names of the package's nodes (the Community Nodes card lists them). */
const NODE_NAMES = ['Brex Trigger', 'Brex', 'Sage X3', 'Sage X3 Trigger'];
const UNREACHABLE = 'http://127.0.0.1:9';

let browser: Browser | undefined;
let page: Page;

function log(message: string): void {
	console.log(`[install] ${message}`);
}

/** A fresh n8n whose nodes folder is empty (N8nInstance.create installs the package: undone here). */
async function bareN8n(name: string, env: Record<string, string>): Promise<N8nInstance> {
	const n8n = await N8nInstance.create({ name, env });
	fs.rmSync(path.join(n8n.userFolder, '.n8n', 'nodes'), { recursive: true, force: true });
	return n8n;
}

/**
 * Builds a new workflow in the editor from the nodes panel: Brex Trigger (the only item a search for "Brex"
 * lists on an empty canvas, where the panel offers triggers), then Brex and Sage X3 ("Get a supplier"); saves it and
 * returns the node types n8n stored.
 */
async function buildFromNodesPanel(n8n: N8nInstance): Promise<string[]> {
	await page.goto(`${n8n.baseUrl}/workflow/new`);
	await page.locator(tid('node-creator-plus-button')).waitFor();
	log(`triggers panel, "Brex": ${(await addFromNodesPanel(page, 'Brex', 'Brex')).join(', ')}`);
	log(`nodes panel, "Brex": ${(await addFromNodesPanel(page, 'Brex', 'Brex')).join(', ')}`);
	log(
		`nodes panel, "Sage X3": ${(await addFromNodesPanel(page, 'Sage X3', 'Sage X3', 'Get a supplier')).join(', ')}`,
	);
	// A Sage X3 node in use: its panel shows the operation's parameters.
	const panel = ndv(page);
	await panel.locator(tid('node-parameters')).waitFor();
	expect(await panel.locator('[data-test-id^="parameter-input-"]').count()).toBeGreaterThan(0);
	await closeNode(page);
	const saved = page.waitForResponse(
		(response) =>
			/\/rest\/workflows(\/[^/?]+)?$/.test(new URL(response.url()).pathname) &&
			['POST', 'PATCH'].includes(response.request().method()),
		{ timeout: 30_000 },
	);
	await page.keyboard.press('ControlOrMeta+s');
	const response = await saved;
	const body = (await response.json()) as { data: { nodes: Array<{ type: string }> } };
	return body.data.nodes.map((node) => node.type).sort();
}

/** The node types the test builds a workflow from (the Sage X3 Trigger loads too, see PACKAGE_TYPES). */
const OUR_TYPES = ['brex', 'brexTrigger', 'sageX3'].map((name) => `${PACKAGE_NAME}.${name}`).sort();
/** Every node type of the package, as its package.json lists them. */
const PACKAGE_TYPES = [...OUR_TYPES, `${PACKAGE_NAME}.sageX3Trigger`].sort();

beforeAll(async () => {
	browser = await launchChromium();
	page = browser.page;
	page.setDefaultTimeout(30_000);
});

afterAll(async () => {
	await browser?.close();
});

describe('Settings → Community Nodes → Install, from a local npm registry', () => {
	let registry: LocalRegistry | undefined;
	let n8n: N8nInstance | undefined;
	let version = '';

	beforeAll(async () => {
		const root = fs.mkdtempSync(
			path.join(process.env.BREX_X3_E2E_WORK_DIR ?? os.tmpdir(), 'registry-'),
		);
		registry = await startLocalRegistry(root);
		const packed = packRepo(root);
		registry.publish(packed.tarball);
		version = packed.version;
		expect(await registry.versions(PACKAGE_NAME)).toEqual([version]);
		n8n = await bareN8n('install-ui', {
			N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
			// n8n's test switch: /rest/e2e/feature licenses the custom-registry feature (see the top of the file).
			E2E_TESTS: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		});
		await n8n.start();
		const response = await fetch(`${n8n.baseUrl}/rest/e2e/feature`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ feature: 'feat:communityNodes:customRegistry', enabled: true }),
		});
		if (!response.ok) throw new Error(`PATCH /rest/e2e/feature answered ${response.status}`);
		await signIn(page, n8n.baseUrl, OWNER);
	}, 5 * 60_000);

	afterAll(async () => {
		await n8n?.dispose();
		await registry?.close();
	});

	it('installs the packed package from the registry through the install dialog', async () => {
		const n = instanceOf(n8n);
		expect(
			fs.existsSync(path.join(n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME)),
		).toBe(false);
		const started = Date.now();
		const card = await installFromCommunityNodesPage(page, n.baseUrl, PACKAGE_NAME);
		log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s; card: ${card}`);
		expect(card).toContain(PACKAGE_NAME);
		expect(card).toContain(`v${version}`);
		for (const name of NODE_NAMES) expect(card).toContain(name);
		const installed = await n.rest<{
			data: Array<{
				packageName: string;
				installedVersion: string;
				installedNodes: Array<{ name: string }>;
			}>;
		}>('GET', '/rest/community-packages');
		expect(installed.data.map((p) => [p.packageName, p.installedVersion])).toEqual([
			[PACKAGE_NAME, version],
		]);
		// n8n's installer put it where the README says, from the tarball the registry served.
		const manifest = JSON.parse(
			fs.readFileSync(
				path.join(n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json'),
				'utf8',
			),
		) as { version: string };
		expect(manifest.version).toBe(version);
	});

	it('offers Brex Trigger, Brex and Sage X3 in the nodes panel; a workflow built from them saves, Sage X3 opens with its parameters', async () => {
		expect(await buildFromNodesPanel(instanceOf(n8n))).toEqual(OUR_TYPES);
	});
});

describe('offline: the .tgz extracted into the nodes folder, no registry reachable', () => {
	let n8n: N8nInstance | undefined;

	beforeAll(async () => {
		const offline = {
			npm_config_registry: UNREACHABLE,
			N8N_COMMUNITY_PACKAGES_REGISTRY: UNREACHABLE,
			HTTP_PROXY: UNREACHABLE,
			HTTPS_PROXY: UNREACHABLE,
			http_proxy: UNREACHABLE,
			https_proxy: UNREACHABLE,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
		};
		n8n = await bareN8n('install-offline', offline);
		// README "Offline hosts": mkdir -p …/node_modules/<name> && tar -xzf <tgz> -C … --strip-components=1
		const dest = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		fs.mkdirSync(dest, { recursive: true });
		runSync('tar', ['-xzf', n8n.packed.tarball, '-C', dest, '--strip-components=1'], dest);
		await n8n.start();
		await signIn(page, n8n.baseUrl, OWNER);
	}, 5 * 60_000);

	afterAll(async () => {
		await n8n?.dispose();
	});

	it('offers Brex Trigger, Brex and Sage X3 in the nodes panel; a workflow built from them saves', async () => {
		const n = instanceOf(n8n);
		expect(await buildFromNodesPanel(n)).toEqual(OUR_TYPES);
		const ours = (await n.nodeTypes())
			.map((type) => type.name)
			.filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
		// Nodes marked usableAsTool also load as "<name>Tool" variants.
		expect([...new Set(ours.filter((name) => !name.endsWith('Tool')))].sort()).toEqual(
			PACKAGE_TYPES,
		);
		// The registry was unreachable for n8n: no reinstall, nothing logged as fetched.
		expect(n.logs()).not.toMatch(/Failed to load community package|Error loading package/i);
	});
});

function instanceOf(n8n: N8nInstance | undefined): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}
