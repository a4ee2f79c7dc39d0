/**
 * Compatibility smoke test in a real n8n of the version scripts/compat.sh points BREX_X3_N8N_HOME at (the oldest
 * supported 2.x, which is also older than n8n-workflow 2.35, and the pinned one): the packed package loads, both
 * templates import, a Brex Trigger (webhook) → Sage X3 "Post spend" workflow registers its webhook with the Brex
 * emulator on activation, one Svix-signed delivery posts exactly one entry in the X3 emulator, and a polling Brex
 * Trigger emits the seeded expenses. The X3 emulator runs as `documented`, as in the other real-n8n suites.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../emulators/x3/server';
import {
	N8nInstance,
	nodeOutput,
	type ExecutionSummary,
	type WorkflowFixture,
} from '../e2e/lib/n8nInstance';
import { n8nHome, PACKAGE_NAME, waitFor } from '../e2e/lib/tools';
import {
	AFTER_TRIGGER_NODE,
	brexTriggerNode,
	packageNodeType,
	stableUuid,
	triggerWorkflow,
} from '../e2e/lib/workflows';
import { MASTER_DATA_TEMPLATE_FILE } from '../e2e/masterData/template';
import {
	RECONCILIATION_TEMPLATE_FILE,
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	fetchLedger,
	launcherPersonality,
	readTemplate,
	templateCredential,
	templateNode,
} from '../e2e/sync/stack';

jest.setTimeout(5 * 60_000);

const SEED = 20261206;
const EXPENSES = 12;
const VENDORS = 4;
const HOOK_WORKFLOW = 'BrexX3CompatHook1';
const POLL_WORKFLOW = 'BrexX3CompatPoll1';
const TEMPLATE_FILES = [
	SYNC_TEMPLATE_FILE,
	RECONCILIATION_TEMPLATE_FILE,
	MASTER_DATA_TEMPLATE_FILE,
];
const TRIGGER = 'Brex Trigger';
const POST_SPEND = SYNC_NODES.postSpend;

const n8nVersion = (
	JSON.parse(
		fs.readFileSync(path.join(n8nHome(), 'node_modules', 'n8n', 'package.json'), 'utf8'),
	) as { version: string }
).version;
const workflowPackage = path.join(n8nHome(), 'node_modules', 'n8n-workflow');
const workflowVersion = (
	JSON.parse(fs.readFileSync(path.join(workflowPackage, 'package.json'), 'utf8')) as {
		version: string;
	}
).version;

let brex: BrexEmulator;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;

function log(message: string): void {
	console.log(`[compat n8n ${n8nVersion}] ${message}`);
}

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

/**
 * Older n8n ignores N8N_INSTANCE_OWNER_MANAGED_BY_ENV (2.3.6 has no such setting): there the owner is set up
 * once through the set-up screen's endpoint, with the account the harness logs in with (test/e2e/lib/n8nInstance.ts).
 */
async function ensureOwner(n: N8nInstance): Promise<void> {
	// Older n8n answers /healthz/readiness before its REST routes are registered.
	await waitFor(async () => (await fetch(`${n.baseUrl}/rest/settings`)).ok, {
		timeoutMs: 180_000,
		intervalMs: 500,
		describe: () => `n8n's REST API on ${n.baseUrl}`,
	});
	const signedIn = await n.login().then(
		() => true,
		() => false,
	);
	if (signedIn) return;
	const response = await fetch(`${n.baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			email: 'e2e-owner@example.com',
			password: 'E2e-Passw0rd!',
			firstName: 'E2E',
			lastName: 'Owner',
		}),
	});
	if (!response.ok) throw new Error(`owner set-up: ${response.status} ${await response.text()}`);
	log('owner set up through /rest/owner/setup (this n8n does not read it from the environment)');
	await n.login();
}

/**
 * Waits for `count` finished executions of a workflow and returns them with their run data, oldest first. The
 * harness's own listing asks for ignoreDataSizeLimit, which n8n 2.3.6's public API refuses as unknown.
 */
async function finishedExecutions(
	n: N8nInstance,
	workflowId: string,
	count: number,
): Promise<ExecutionSummary[]> {
	let latest: ExecutionSummary[] = [];
	return await waitFor(
		async () => {
			const page = await n.api<{ data: ExecutionSummary[] }>(
				'GET',
				`/executions?workflowId=${workflowId}&includeData=true&limit=100`,
			);
			latest = page.data.sort((a, b) => Number(a.id) - Number(b.id));
			const finished = latest.filter((execution) =>
				['success', 'error', 'crashed', 'canceled'].includes(execution.status),
			);
			return finished.length >= count ? finished : undefined;
		},
		{
			timeoutMs: 90_000,
			intervalMs: 500,
			describe: () =>
				`${count} finished executions of ${workflowId} (have ${JSON.stringify(latest.map((e) => e.status))})`,
		},
	);
}

/** Modules this n8n knows: N8N_DISABLED_MODULES naming an unknown one stops older n8n at start-up. */
function disabledModules(): string {
	const modules = path.join(n8nHome(), 'node_modules', 'n8n', 'dist', 'modules');
	return fs.existsSync(path.join(modules, 'mcp-registry')) ? 'mcp-registry' : 'insights';
}

/** Brex Trigger (webhook, enriched) → the sync template's "Post spend" node, unchanged. */
function hookToPostSpend(): WorkflowFixture {
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	const postSpend = templateNode(sync, POST_SPEND);
	const trigger = brexTriggerNode({
		workflowId: HOOK_WORKFLOW,
		credential: templateCredential(sync, 'brexApi'),
		parameters: { mode: 'webhook', events: ['EXPENSE_PAYMENT_UPDATED'], options: { enrich: true } },
	});
	return {
		id: HOOK_WORKFLOW,
		name: 'Compat: Brex webhook → Post spend',
		nodes: [
			trigger,
			{
				id: stableUuid(`${HOOK_WORKFLOW}/postSpend`),
				name: POST_SPEND,
				type: postSpend.type,
				typeVersion: postSpend.typeVersion,
				position: [260, 0],
				parameters: postSpend.parameters,
				credentials: postSpend.credentials,
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: POST_SPEND, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}

beforeAll(async () => {
	log(`n8n-workflow ${workflowVersion} (${n8nHome()})`);
	// Every vendor known to X3, so the trigger's item goes straight to Post spend as in the template's
	// "vendor known" branch once the supplier is found.
	brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: EXPENSES,
		vendorCount: VENDORS,
		knownVendorShare: 1,
		faults: { deliveryRetryScheduleMs: [] },
	});
	// The template's X3 Setup is for the documented publications: the same X3 as every real-n8n suite.
	x3 = await startX3Emulator({
		seed: SEED,
		seedOptions: { seed: SEED, vendorCount: VENDORS, knownVendorShare: 1 },
		...launcherPersonality(),
	});
	n8n = await N8nInstance.create({
		name: `compat-${n8nVersion}`,
		env: { N8N_DISABLED_MODULES: disabledModules() },
	});
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	for (const file of TEMPLATE_FILES) {
		await n8n.cli(['import:workflow', `--input=${file}`]);
	}
	await n8n.importWorkflows([
		hookToPostSpend(),
		triggerWorkflow(
			POLL_WORKFLOW,
			'Compat: Brex polling',
			brexTriggerNode({
				workflowId: POLL_WORKFLOW,
				credential: templateCredential(sync, 'brexApi'),
				parameters: {
					mode: 'polling',
					resource: 'expense',
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					options: { startDate: '2026-01-01T00:00:00.000Z' },
				},
			}),
		),
	]);
	await n8n.start();
	await ensureOwner(n8n);
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await brex?.close();
	await x3?.close();
});

it('loads the four nodes of the package', async () => {
	const ours = (await instance().nodeTypes())
		.map((type) => type.name)
		.filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
	log(`package node types: ${[...new Set(ours)].join(', ')}`);
	// Nodes marked usableAsTool also appear as "<name>Tool" variants for AI agents.
	expect(new Set(ours.filter((name) => !name.endsWith('Tool')))).toEqual(
		new Set(
			['brexTrigger', 'brex', 'sageX3', 'sageX3Trigger'].map((name) => packageNodeType(name)),
		),
	);
});

it('imported the three templates with every node', async () => {
	for (const file of TEMPLATE_FILES) {
		const template = readTemplate(file);
		const imported = await instance().api<{ nodes: Array<{ name: string }> }>(
			'GET',
			`/workflows/${template.id}`,
		);
		expect(imported.nodes.map((node) => node.name).sort()).toEqual(
			template.nodes.map((node) => node.name).sort(),
		);
	}
});

describe('Brex Trigger (webhook) → Post spend', () => {
	const webhookPath = `${stableUuid(`${HOOK_WORKFLOW}/webhook`)}/webhook`;

	it('registers its webhook with Brex on activation', async () => {
		const n = instance();
		// Which way the trigger declares its webhook method on this n8n (native from n8n-workflow 2.35).
		const native =
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- this n8n's own n8n-workflow
			typeof (require(workflowPackage) as Record<string, unknown>).webhookDescriptionFields ===
			'function';
		log(`webhook method: ${native ? 'webhookDescriptionFields (native)' : 'expression fallback'}`);
		await n.activate(HOOK_WORKFLOW);
		await n.waitForWebhook(webhookPath);
		const hookUrl = n.webhookUrl(webhookPath);
		const registered = await waitFor(
			() => {
				const found = [...brex.state.webhooks.values()].filter((hook) => hook.url === hookUrl);
				return found.length > 0 ? found : undefined;
			},
			{ timeoutMs: 30_000, describe: () => `a Brex webhook registration for ${hookUrl}` },
		);
		log(`registered ${hookUrl}: ${registered.length} subscription(s)`);
		expect(registered).toHaveLength(1);
		expect(registered[0]).toMatchObject({
			status: 'ACTIVE',
			event_types: ['EXPENSE_PAYMENT_UPDATED'],
		});
	});

	it('posts exactly one X3 entry for one Svix-signed delivery', async () => {
		const n = instance();
		const hookUrl = n.webhookUrl(webhookPath);
		const expense = [...brex.state.expenses.values()].find(
			(candidate) => candidate.expense_type === 'CARD',
		);
		if (!expense) throw new Error('the seed holds no card expense');
		const entriesBefore = (await fetchLedger(x3.url)).count;
		const response = await fetch(`${brex.url}/__emulator/deliver`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: [expense.id] }),
		});
		expect(response.status).toBe(200);
		const { attempts } = (await response.json()) as {
			attempts: Array<{ url: string; status: number; webhookId: string }>;
		};
		expect(attempts.filter((attempt) => attempt.url === hookUrl).map((a) => a.status)).toEqual([
			200,
		]);

		const executions = await finishedExecutions(n, HOOK_WORKFLOW, 1);
		expect(executions.map((execution) => execution.status)).toEqual(['success']);
		const posted = nodeOutput(executions[0], POST_SPEND);
		const ledger = await fetchLedger(x3.url);
		log(
			`delivery ${attempts[0].webhookId} of ${expense.id} → Post spend ${JSON.stringify(
				posted.map((item) => item.postResult),
			)}; ledger ${entriesBefore} → ${ledger.count} entries`,
		);
		expect(ledger.count).toBe(entriesBefore + 1);
		expect(posted).toHaveLength(1);
		const entry = ledger.entries[ledger.entries.length - 1];
		expect(posted[0].postResult).toMatchObject({
			status: 'posted',
			documentNumber: entry.documentNumber,
			traceId: entry.traceId,
		});
	});
});

it('a polling Brex Trigger emits the seeded expenses', async () => {
	const n = instance();
	await n.activate(POLL_WORKFLOW);
	const executions = await finishedExecutions(n, POLL_WORKFLOW, 1);
	const ids = executions.flatMap((execution) =>
		nodeOutput(execution, TRIGGER).map((item) => String(item.id)),
	);
	log(`polling: ${executions.length} execution(s) emitted ${ids.length} records`);
	expect(executions[0].status).toBe('success');
	expect(new Set(ids)).toEqual(new Set(brex.state.expenses.keys()));
	expect(nodeOutput(executions[0], AFTER_TRIGGER_NODE)).toHaveLength(ids.length);
});
