/**
 * `npm run screenshots` (after scripts/screenshots.sh has installed and built everything): the README's
 * pictures, taken from a real n8n editor in headless Chromium.
 *
 * Starts the sandbox (scripts/sandbox.ts: Brex and X3 emulators, n8n with this package, credentials pointing
 * at the emulators, the sync template published, every expense announced by webhook) on free ports in a
 * temporary folder, waits until the sync has handled every expense, then signs in and photographs:
 *
 *   docs/images/sync-workflow.png       the sync template on the canvas, fitted to the view
 *   docs/images/brex-trigger.png        the Brex Trigger's parameters
 *   docs/images/post-spend-mapping.png  the Sage X3 "Post spend" node with its mapping rules
 *   docs/images/sync-execution.png      an execution of the sync that posted spend, in the executions list
 *   docs/images/execution-audit.png     the same execution: the audit node's output
 *   docs/images/master-data-workflow.png the master-data template (X3 master data → Brex fields) on the canvas
 *
 * and stops everything it started.
 *
 *   BREX_X3_SCREENSHOTS_DIR (docs/images)  where the PNGs go
 *   BREX_X3_SCREENSHOTS_EXPENSES (30)      expenses Brex announces
 *   BREX_X3_SCREENSHOTS_SCALE (2)          device pixel ratio of the PNGs (viewport 1440x900)
 *   BREX_X3_SCREENSHOTS_KEEP=1             keep the temporary folder (n8n and sandbox logs)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { nodeOutput, type ExecutionSummary } from '../test/e2e/lib/n8nInstance';
import { REPO_ROOT, waitFor } from '../test/e2e/lib/tools';
import { MASTER_DATA_TEMPLATE_FILE } from '../test/e2e/masterData/template';
import { SYNC_NODES, SYNC_TEMPLATE_FILE, readTemplate } from '../test/e2e/sync/stack';
import { launchChromium, type Browser } from '../test/browser/lib/chromium';
import {
	closeNode,
	dismissOverlays,
	ndv,
	openNode,
	openWorkflow,
	signIn,
	tid,
	waitForStableBox,
	zoomToFit,
} from '../test/browser/lib/editor';
import { SandboxProcess } from '../test/browser/lib/sandboxProcess';

const env = process.env;
const OUTPUT_DIR = path.resolve(
	REPO_ROOT,
	env.BREX_X3_SCREENSHOTS_DIR ?? path.join('docs', 'images'),
);
const EXPENSES = Number(env.BREX_X3_SCREENSHOTS_EXPENSES ?? 30);
const SCALE = Number(env.BREX_X3_SCREENSHOTS_SCALE ?? 2);
const AUDIT_NODE = 'Audit: record decision';
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

function say(message: string): void {
	process.stdout.write(`[screenshots] ${message}\n`);
}

/** Waits until the sync has finished one execution per announced expense. */
async function waitForSync(sandbox: SandboxProcess, workflowId: string): Promise<void> {
	let statuses: Array<{ id: string; status: string }> = [];
	await waitFor(
		async () => {
			statuses = await sandbox.executionStatuses(workflowId);
			return statuses.filter((execution) => FINISHED.includes(execution.status)).length >= EXPENSES;
		},
		{
			timeoutMs: 5 * 60_000,
			intervalMs: 1_000,
			describe: () => `${EXPENSES} finished executions of the sync (have ${statuses.length})`,
		},
	);
}

/** The newest successful executions whose audit row says "posted", newest first. */
async function postedExecutions(sandbox: SandboxProcess, workflowId: string): Promise<string[]> {
	const newest = (await sandbox.executionStatuses(workflowId))
		.filter((execution) => execution.status === 'success')
		.slice(0, 15);
	const posted: string[] = [];
	for (const { id } of newest) {
		const execution = await sandbox.api<ExecutionSummary>(
			'GET',
			`/executions/${id}?includeData=true`,
		);
		if (nodeOutput(execution, AUDIT_NODE).some((row) => row.decision === 'posted')) posted.push(id);
	}
	if (posted.length === 0) throw new Error('no recent execution of the sync posted spend');
	return posted;
}

async function shoot(browser: Browser, name: string): Promise<void> {
	const file = path.join(OUTPUT_DIR, name);
	await browser.page.screenshot({ path: file });
	say(`wrote ${path.relative(REPO_ROOT, file)}`);
}

async function takeScreenshots(sandbox: SandboxProcess, browser: Browser): Promise<void> {
	const { page } = browser;
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	await signIn(page, sandbox.baseUrl, sandbox.owner);
	fs.mkdirSync(OUTPUT_DIR, { recursive: true });

	// 1. The template on the canvas (one page load; everything after moves inside the editor).
	await openWorkflow(page, sandbox.baseUrl, sync.id);
	await zoomToFit(page);
	await dismissOverlays(page);
	await shoot(browser, 'sync-workflow.png');

	// 2. The Brex Trigger's parameters.
	await openNode(page, SYNC_NODES.webhookTrigger);
	await waitForStableBox(ndv(page));
	await shoot(browser, 'brex-trigger.png');
	await closeNode(page);

	// 3. Post spend, scrolled to its grouping and mapping rules.
	const postSpend = await openNode(page, SYNC_NODES.postSpend);
	const rules = postSpend.locator(tid('parameter-input-mappingRules'));
	await rules.locator('.cm-content').first().waitFor();
	await postSpend.locator(tid('parameter-input-grouping')).evaluate((element) =>
		(element.closest('[data-test-id="parameter-item"]') ?? element).scrollIntoView({
			block: 'start',
		}),
	);
	await waitForStableBox(rules);
	await shoot(browser, 'post-spend-mapping.png');
	await closeNode(page);

	// 4. An execution that posted spend, with the audit node's output.
	const candidates = await postedExecutions(sandbox, sync.id);
	await page.locator(tid('radio-button-executions')).click();
	await page.locator(tid('executions-sidebar')).waitFor();
	await page
		.locator(tid(`execution-details-${candidates[0]}`))
		.or(page.locator(tid('execution-list-empty')))
		.first()
		.waitFor();
	let chosen: string | undefined;
	for (const id of candidates) {
		if ((await page.locator(tid(`execution-details-${id}`)).count()) > 0) {
			chosen = id;
			break;
		}
	}
	if (!chosen)
		throw new Error(`none of the executions ${candidates.join(', ')} is in the executions list`);
	await page.locator(tid(`execution-details-${chosen}`)).click();
	const preview = page.locator(tid('execution-preview-host'));
	await preview.locator(tid('canvas-node')).first().waitFor();
	await page.locator(tid(`execution-preview-details-${chosen}`)).waitFor();
	await dismissOverlays(page);
	await waitForStableBox(preview.locator('.vue-flow__viewport').first());
	await shoot(browser, 'sync-execution.png');
	const audit = await openNode(page, AUDIT_NODE, preview);
	await audit.locator(`${tid('output-panel')} ${tid('radio-button-json')}`).click();
	await audit
		.locator(`${tid('output-panel')} .json-data`)
		.first()
		.waitFor();
	await waitForStableBox(audit);
	await shoot(browser, 'execution-audit.png');
	say(`execution ${chosen} shown`);

	// 5. The master-data template on the canvas (imported by the sandbox, unpublished).
	await openWorkflow(page, sandbox.baseUrl, readTemplate(MASTER_DATA_TEMPLATE_FILE).id);
	await zoomToFit(page);
	await dismissOverlays(page);
	await shoot(browser, 'master-data-workflow.png');
}

async function main(): Promise<number> {
	const sandbox = new SandboxProcess({ expenses: EXPENSES, vendors: 12, seed: 42 });
	let browser: Browser | undefined;
	let failed = false;
	const stop = async () => {
		await browser?.close();
		await sandbox.stop();
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			say(`${signal}: stopping the sandbox`);
			void stop().then(() => process.exit(130));
		});
	}
	try {
		say(`starting the sandbox (${EXPENSES} expenses) in ${sandbox.folder}; about a minute`);
		await sandbox.start();
		const sync = readTemplate(SYNC_TEMPLATE_FILE);
		await waitForSync(sandbox, sync.id);
		say(`the sync handled all ${EXPENSES} expenses; taking the screenshots`);
		browser = await launchChromium({
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: SCALE,
		});
		await takeScreenshots(sandbox, browser);
	} catch (error) {
		failed = true;
		process.stderr.write(`[screenshots] ERROR: ${(error as Error).stack ?? String(error)}\n`);
		if (browser) {
			const shot = path.join(sandbox.folder, 'failure.png');
			await browser.page.screenshot({ path: shot }).catch(() => undefined);
			process.stderr.write(`[screenshots] the page at the failure: ${shot}\n`);
		}
	} finally {
		await stop();
	}
	if (failed || env.BREX_X3_SCREENSHOTS_KEEP === '1') {
		say(`sandbox output and n8n log kept in ${sandbox.folder}`);
	} else {
		fs.rmSync(sandbox.folder, { recursive: true, force: true });
	}
	return failed ? 1 : 0;
}

void main().then((code) => process.exit(code));
