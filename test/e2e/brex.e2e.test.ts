/**
 * Issue acceptance in a real n8n (the pinned 2.x, see test/e2e/n8n-host): the packed package loads as a
 * community package, the Brex Trigger's polling mode emits every seeded expense exactly once, and its
 * webhook mode registers itself with Brex, runs one execution per signed delivery, ignores a redelivery
 * and refuses a forged one. One n8n and one Brex emulator serve the whole file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { EXPENSE_EXPAND, normaliseExpense } from '../../nodes/brexApi/spendItem';
import {
	startBrexEmulator,
	type BrexEmulator,
	type DeliveryAttempt,
} from '../emulators/brex/server';
import {
	N8nInstance,
	nodeOutput,
	type CredentialFixture,
	type ExecutionSummary,
} from './lib/n8nInstance';
import { PACKAGE_NAME, REPO_ROOT, waitFor } from './lib/tools';
import {
	AFTER_TRIGGER_NODE,
	brexTriggerNode,
	packageNodeType,
	triggerWorkflow,
} from './lib/workflows';

jest.setTimeout(5 * 60_000);

const EXPENSE_COUNT = 120;
const MAX_RECORDS_PER_POLL = 50;
const ADDED_LATER = 3;
const TRIGGER = 'Brex Trigger';

const BREX_CREDENTIAL = { id: 'BrexE2eCred00001', name: 'Brex (emulator)' };
const POLL_WORKFLOW = 'BrexE2ePoll00001';
const HOOK_WORKFLOW = 'BrexE2eHook00001';

let brex: BrexEmulator;
let n8n: N8nInstance | undefined;

function log(message: string): void {
	// The figures each acceptance check saw, for the CI log.
	console.log(`[e2e] ${message}`);
}

/** Ids a polling execution emitted: SpendItems by id, error items by recordId. */
function emittedIds(execution: ExecutionSummary): string[] {
	return nodeOutput(execution, TRIGGER).map((item) => String(item.id ?? item.recordId));
}

/** Executions in `after` that were not in `before`. */
function newExecutions(before: ExecutionSummary[], after: ExecutionSummary[]): ExecutionSummary[] {
	const known = new Set(before.map((execution) => execution.id));
	return after.filter((execution) => !known.has(execution.id));
}

/** Short form of executions for assertions and logs: id, status and the record ids the trigger output. */
function summarise(
	executions: ExecutionSummary[],
): Array<{ id: string; status: string; ids: string[] }> {
	return executions.map((execution) => ({
		id: execution.id,
		status: execution.status,
		ids: emittedIds(execution),
	}));
}

function duplicates(ids: string[]): string[] {
	const seen = new Set<string>();
	return [...new Set(ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false))))];
}

/** What the package's own node/credential files declare, read from the built dist/ the package ships. */
function declaredTypes(): { nodes: string[]; credentials: string[] } {
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const load = (file: string) =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- the built package, loaded the way n8n loads it
		Object.values(require(path.join(REPO_ROOT, file)) as Record<string, unknown>).filter(
			(value): value is new () => unknown => typeof value === 'function',
		);
	const nodes = manifest.n8n.nodes.flatMap((file) =>
		load(file).map((Type) => (new Type() as { description: { name: string } }).description.name),
	);
	const credentials = manifest.n8n.credentials.flatMap((file) =>
		load(file).map((Type) => (new Type() as { name: string }).name),
	);
	return { nodes, credentials };
}

beforeAll(async () => {
	brex = await startBrexEmulator({
		seed: 20261128,
		expenseCount: EXPENSE_COUNT,
		// One attempt per delivery: a refused (401) delivery must not come back on the retry schedule.
		faults: { deliveryRetryScheduleMs: [] },
	});
	const credential: CredentialFixture = {
		...BREX_CREDENTIAL,
		type: 'brexApi',
		data: { accessToken: brex.token, baseUrl: brex.url },
	};
	const credentialRef = { id: credential.id, name: credential.name };

	n8n = await N8nInstance.create({ name: 'brex' });
	await n8n.importCredentials([credential]);
	await n8n.importWorkflows([
		triggerWorkflow(
			POLL_WORKFLOW,
			'E2E Brex polling',
			brexTriggerNode({
				workflowId: POLL_WORKFLOW,
				credential: credentialRef,
				parameters: {
					mode: 'polling',
					resource: 'expense',
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					// The seed spreads purchases over mid-2026, before the default "30 days back".
					options: {
						startDate: '2026-01-01T00:00:00.000Z',
						maxRecordsPerPoll: MAX_RECORDS_PER_POLL,
					},
				},
			}),
		),
		triggerWorkflow(
			HOOK_WORKFLOW,
			'E2E Brex webhook',
			brexTriggerNode({
				workflowId: HOOK_WORKFLOW,
				credential: credentialRef,
				parameters: {
					mode: 'webhook',
					events: ['EXPENSE_PAYMENT_UPDATED'],
					options: { enrich: true },
				},
			}),
		),
	]);
	await n8n.start();
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await brex?.close();
});

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

describe('package loads in n8n as a community package', () => {
	it('lists the Brex Trigger, Brex and Sage X3 nodes and every credential type', async () => {
		const declared = declaredTypes();
		const nodeTypes = new Set((await instance().nodeTypes()).map((type) => type.name));
		const credentialTypes = new Set((await instance().credentialTypes()).map((type) => type.name));
		const ours = [...nodeTypes].filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
		log(`n8n lists ${nodeTypes.size} node types; ours: ${ours.join(', ')}`);
		log(`credential types declared by the package: ${declared.credentials.join(', ')}`);

		for (const name of ['brexTrigger', 'brex', 'sageX3']) {
			expect(nodeTypes).toContain(packageNodeType(name));
		}
		for (const name of declared.nodes) expect(nodeTypes).toContain(packageNodeType(name));
		expect(declared.credentials).toEqual(expect.arrayContaining(['brexApi', 'brexOAuth2Api']));
		for (const name of declared.credentials) expect(credentialTypes).toContain(name);
	});
});

describe('Brex Trigger, polling mode (expenses)', () => {
	let seededIds: string[];

	beforeAll(() => {
		seededIds = [...brex.state.expenses.keys()];
	});

	it('emits every seeded expense exactly once over successive polls', async () => {
		const n = instance();
		// Each activation polls at once; maxRecordsPerPoll makes the backlog span several polls, and the
		// cursor kept between them in n8n must neither skip nor repeat a record.
		// (A scheduled poll may run in between: then fewer activations are needed, never more.)
		let executions: ExecutionSummary[] = [];
		let ids: string[] = [];
		const covered = () => new Set(ids).size >= seededIds.length;
		const expectedPolls = Math.ceil(EXPENSE_COUNT / MAX_RECORDS_PER_POLL);
		for (let activation = 1; activation <= expectedPolls && !covered(); activation++) {
			const before = executions.length;
			if (activation > 1) await n.deactivate(POLL_WORKFLOW);
			await n.activate(POLL_WORKFLOW);
			executions = await waitFor(
				async () => {
					const list = await n.executions(POLL_WORKFLOW);
					ids = list.flatMap(emittedIds);
					return list.length > before || covered() ? list : undefined;
				},
				{
					timeoutMs: 60_000,
					intervalMs: 500,
					describe: () =>
						`a polling execution after activation ${activation} (have ${executions.length})`,
				},
			);
		}
		log(
			`polling: ${executions.length} executions emitted ${ids.length} records ` +
				`(${executions.map((execution) => emittedIds(execution).length).join(' + ')}); ` +
				`emulator holds ${seededIds.length} expenses`,
		);
		expect(summarise(executions).map(({ id, status }) => ({ id, status }))).toEqual(
			executions.map(({ id }) => ({ id, status: 'success' })),
		);
		expect(duplicates(ids)).toEqual([]);
		expect(new Set(ids)).toEqual(new Set(seededIds));
		for (const execution of executions) {
			expect(emittedIds(execution).length).toBeLessThanOrEqual(MAX_RECORDS_PER_POLL);
			// The node after the trigger received the same items.
			expect(
				nodeOutput(execution, AFTER_TRIGGER_NODE).map((item) => item.id ?? item.recordId),
			).toEqual(emittedIds(execution));
		}
		const sample = nodeOutput(executions[0], TRIGGER).find((item) => typeof item.id === 'string');
		expect(sample).toMatchObject({
			recordKind: 'expense',
			traceId: expect.any(String),
			currency: expect.any(String),
		});

		// Expenses created after the backlog: the next scheduled poll (every minute) must emit just these.
		// Checked at the end of the file, so the wait overlaps the webhook tests.
		for (let i = 0; i < ADDED_LATER; i++) brex.addExpense();
	});
});

describe('Brex Trigger, webhook mode (EXPENSE_PAYMENT_UPDATED, enriched)', () => {
	let webhookPath: string;
	let hookUrl: string;
	let cardExpenseIds: string[];

	beforeAll(() => {
		const node = brexTriggerNode({
			workflowId: HOOK_WORKFLOW,
			credential: BREX_CREDENTIAL,
			parameters: {},
		});
		webhookPath = `${node.webhookId}/webhook`;
		hookUrl = instance().webhookUrl(webhookPath);
		cardExpenseIds = [...brex.state.expenses.values()]
			.filter((expense) => expense.expense_type === 'CARD')
			.map((expense) => expense.id);
	});

	async function deliver(expenseId: string): Promise<DeliveryAttempt[]> {
		const response = await fetch(`${brex.url}/__emulator/deliver`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: [expenseId] }),
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { attempts: DeliveryAttempt[] };
		return body.attempts.filter((attempt) => attempt.url === hookUrl);
	}

	/** Executions of the webhook workflow once none is queued or running (each delivery was answered). */
	async function settledHookExecutions(): Promise<ExecutionSummary[]> {
		return await instance().settledExecutions(HOOK_WORKFLOW);
	}

	it('registers its URL with Brex on activation', async () => {
		const n = instance();
		await n.activate(HOOK_WORKFLOW);
		await n.waitForWebhook(webhookPath);
		// n8n 2.x activates through its publication outbox: the URL is served a moment before the node's
		// create() has registered it with Brex.
		const forHook = () =>
			[...brex.state.webhooks.values()].filter((subscription) => subscription.url === hookUrl);
		const registered = await waitFor(() => (forHook().length > 0 ? forHook() : undefined), {
			timeoutMs: 30_000,
			describe: () =>
				`a Brex webhook registration for ${hookUrl} (calls: ${JSON.stringify(brex.stats.byRoute)})`,
		});
		log(
			`webhook: emulator holds ${brex.state.webhooks.size} subscription(s); for ${hookUrl}: ${registered.length}; ` +
				`Brex API calls: ${JSON.stringify(brex.stats.byRoute)}`,
		);
		expect(registered).toHaveLength(1);
		expect(registered[0]).toMatchObject({
			status: 'ACTIVE',
			event_types: ['EXPENSE_PAYMENT_UPDATED'],
		});
	});

	it('runs one execution per signed delivery, outputting the enriched SpendItem', async () => {
		const expenseId = cardExpenseIds[0];
		const before = await settledHookExecutions();
		const attempts = await deliver(expenseId);
		expect(attempts.map((attempt) => attempt.status)).toEqual([200]);

		const started = newExecutions(before, await settledHookExecutions());
		log(
			`webhook: signed delivery ${attempts[0].webhookId} → executions ${JSON.stringify(summarise(started))}`,
		);
		expect(summarise(started)).toEqual([
			{ id: expect.any(String), status: 'success', ids: [expenseId] },
		]);
		const items = nodeOutput(started[0], TRIGGER);

		// Enriched = the expense as the Brex API returns it (with the package's expands), normalised.
		const expected = JSON.parse(
			JSON.stringify(
				normaliseExpense(brex.renderExpense(expenseId, EXPENSE_EXPAND, true) as IDataObject),
			),
		) as Record<string, unknown>;
		expect(items[0]).toMatchObject(expected);
		expect(items[0]).toMatchObject({
			id: expenseId,
			recordKind: 'expense',
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			webhookId: attempts[0].webhookId,
		});
		expect(nodeOutput(started[0], AFTER_TRIGGER_NODE)).toEqual(items);
	});

	it('starts no second execution for a redelivery with the same webhook-id', async () => {
		const expenseId = cardExpenseIds[1];
		const before = await settledHookExecutions();
		brex.setFaults({ duplicateDeliveries: true });
		let attempts: DeliveryAttempt[];
		try {
			attempts = await deliver(expenseId);
		} finally {
			brex.setFaults({ duplicateDeliveries: false });
		}
		expect(attempts).toHaveLength(2);
		expect(attempts[1].webhookId).toBe(attempts[0].webhookId);
		// Both answered 2xx: a sender must not retry a delivery that was handled.
		expect(attempts.map((attempt) => attempt.ok)).toEqual([true, true]);

		const started = newExecutions(before, await settledHookExecutions());
		log(
			`webhook: delivery ${attempts[0].webhookId} sent twice (HTTP ${attempts.map((a) => a.status).join(',')}) ` +
				`→ executions ${JSON.stringify(summarise(started))}`,
		);
		expect(summarise(started)).toEqual([
			{ id: expect.any(String), status: 'success', ids: [expenseId] },
		]);
	});

	it('answers 401 to a forged delivery and starts no execution', async () => {
		const expenseId = cardExpenseIds[2];
		const before = await settledHookExecutions();
		brex.setFaults({ corruptSignatures: true });
		let attempts: DeliveryAttempt[];
		try {
			attempts = await deliver(expenseId);
		} finally {
			brex.setFaults({ corruptSignatures: false });
		}
		// And a delivery signed with a key that is not Brex's at all.
		const body = JSON.stringify({ event_type: 'EXPENSE_PAYMENT_UPDATED', expense_id: expenseId });
		const stranger = await fetch(hookUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'webhook-id': 'msg_forged_e2e',
				'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
				'webhook-signature': `v1,${Buffer.from('not-the-brex-signature-0123456789').toString('base64')}`,
			},
			body,
		});

		const started = newExecutions(before, await settledHookExecutions());
		log(
			`webhook: corrupted signature → HTTP ${attempts.map((attempt) => attempt.status).join(',')}; ` +
				`foreign signature → HTTP ${stranger.status}; executions started: ${started.length}`,
		);
		expect(attempts.map((attempt) => attempt.status)).toEqual([401]);
		expect(stranger.status).toBe(401);
		expect(summarise(started)).toEqual([]);
	});
});

describe('Brex Trigger, polling mode on its schedule', () => {
	it('emits only the expenses created after the backlog, at the next scheduled poll', async () => {
		const n = instance();
		const allIds = [...brex.state.expenses.keys()];
		let ids: string[] = [];
		const executions = await waitFor(
			async () => {
				const list = await n.executions(POLL_WORKFLOW);
				ids = list.flatMap(emittedIds);
				return ids.length >= allIds.length ? list : undefined;
			},
			{
				timeoutMs: 150_000,
				intervalMs: 1000,
				describe: () => `polling to emit ${allIds.length} records in total (have ${ids.length})`,
			},
		);
		const last = executions[executions.length - 1];
		log(
			`polling schedule: execution ${last.id} (${last.mode}) emitted ${emittedIds(last).length} new records; ` +
				`${ids.length} records over ${executions.length} executions`,
		);
		expect(duplicates(ids)).toEqual([]);
		expect(new Set(ids)).toEqual(new Set(allIds));
		expect(emittedIds(last)).toHaveLength(ADDED_LATER);
	});
});
