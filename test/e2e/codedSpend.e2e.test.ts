/**
 * Issue 14 in a real n8n: a workflow a user builds from the nodes, without the template's filters (Brex Trigger
 * listening to EXPENSE_PAYMENT_UPDATED and ACCOUNTING_RECORD_READY_FOR_EXPORT → Sage X3 Post Spend with Brex
 * Coding), receives expenses and the accounting records derived from them in both orders, each event delivered
 * twice and shuffled, some purchases announced by both records at once. Passing means: the X3 ledger holds each
 * purchase once; a split record booked first is there line by line with the accounts and dimensions Brex gave,
 * balanced, its sums per account equal to Brex's; records in review (and their uncleared expenses) are skipped
 * with their reason.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import {
	EXPENSE_EXPAND,
	normaliseAccountingRecord,
	normaliseExpense,
} from '../../nodes/brexApi/spendItem';
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { lineItemTraceId } from '../../nodes/common/traceId';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import type { EmulatedAccountingRecord } from '../emulators/brex/types';
import type { WebhookEvent } from '../emulators/brex/webhooks';
import { CHART } from '../emulators/seed';
import { startX3Emulator, type X3Emulator } from '../emulators/x3/server';
import { N8nInstance, nodeOutput, type WorkflowNodeFixture } from './lib/n8nInstance';
import { waitFor } from './lib/tools';
import { packageNodeType, stableUuid } from './lib/workflows';
import {
	emulatorCredentials,
	emulatorEndpoints,
	templateCredential,
	readTemplate,
	SYNC_TEMPLATE_FILE,
} from './sync/stack';
import { settleSync } from './sync/drive';

jest.setTimeout(10 * 60_000);

const SEED = 20261207;
const WORKFLOW = 'CodedSpendE2e001';
const POST = 'Post Spend';

let brex: BrexEmulator;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;

function log(message: string): void {
	console.log(`[coded e2e] ${message}`);
}

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

function workflow() {
	const template = readTemplate(SYNC_TEMPLATE_FILE);
	const brexRef = templateCredential(template, 'brexApi');
	const x3Ref = templateCredential(template, 'sageX3Api');
	// onError goes into the imported JSON as n8n stores it.
	const nodes: Array<WorkflowNodeFixture & { onError?: string }> = [
		{
			id: stableUuid(`${WORKFLOW}/trigger`),
			name: 'Brex Trigger',
			type: packageNodeType('brexTrigger'),
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: 'accessToken',
				mode: 'webhook',
				events: ['EXPENSE_PAYMENT_UPDATED', 'ACCOUNTING_RECORD_READY_FOR_EXPORT'],
				options: { enrich: true },
			},
			credentials: { brexApi: brexRef },
			webhookId: stableUuid(`${WORKFLOW}/webhook`),
		},
		{
			id: stableUuid(`${WORKFLOW}/post`),
			name: POST,
			type: packageNodeType('sageX3'),
			typeVersion: 1,
			position: [300, 0],
			onError: 'continueErrorOutput',
			parameters: {
				readApi: 'soap',
				resource: 'journalEntry',
				operation: 'postSpend',
				entryType: 'BRX',
				site: 'FR011',
				cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
				grouping: 'entrySet',
				mappingRules: '[]',
				defaultExpenseAccount: CHART.defaultExpenseAccount,
				brexCoding: {
					glAccountField: 'GL_ACCOUNT',
					dimensionFields: 'DEPARTMENT=DEP, COST_CENTER=CCT',
				},
			},
			credentials: { sageX3Api: x3Ref },
		},
	];
	return {
		id: WORKFLOW,
		name: 'E2E coded spend (built from the nodes)',
		nodes,
		connections: { 'Brex Trigger': { main: [[{ node: POST, type: 'main', index: 0 }]] } },
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
	};
}

beforeAll(async () => {
	brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: 300,
		faults: { deliveryRetryScheduleMs: [2_000, 5_000, 10_000] },
	});
	x3 = await startX3Emulator({ seed: SEED, poolSize: 4 });
	n8n = await N8nInstance.create({ name: 'coded', env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '4' } });
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	await n8n.importWorkflows([workflow()]);
	await n8n.start();
	await n8n.activate(WORKFLOW);
	const webhookPath = `${stableUuid(`${WORKFLOW}/webhook`)}/webhook`;
	await n8n.waitForWebhook(webhookPath);
	// n8n serves the URL a moment before the trigger's create() has registered it with Brex.
	const hookUrl = n8n.webhookUrl(webhookPath);
	await waitFor(
		() =>
			[...brex.state.webhooks.values()].some(
				(subscription) => subscription.url === hookUrl && subscription.status === 'ACTIVE',
			) || undefined,
		{ timeoutMs: 30_000, describe: () => `a Brex webhook registration for ${hookUrl}` },
	);
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await brex?.close();
	await x3?.close();
});

/** A fixed mixed order: by a hash of the position and the seed. */
function shuffled<T>(items: T[], seed: number): T[] {
	const keyed = items.map((item, index) => ({
		item,
		key: createHash('sha256').update(`${seed}/${index}`).digest('hex'),
	}));
	return keyed.sort((a, b) => (a.key < b.key ? -1 : 1)).map(({ item }) => item);
}

/** Each event twice, the batch shuffled, delivered with signatures to the workflow's webhook. */
async function deliverTwiceShuffled(events: WebhookEvent[], seed: number): Promise<void> {
	const batch = shuffled([...events, ...events], seed);
	const attempts = await brex.deliverEvents(batch);
	log(
		`delivered ${batch.length} events: ${attempts.filter((a) => a.status === 200).length} answered 200`,
	);
	// Every event reached the workflow at once (no retry needed), so the ledger shows what Post Spend decided.
	expect(attempts).toHaveLength(batch.length);
	expect(attempts.filter((attempt) => attempt.status !== 200)).toEqual([]);
}

function expenseEvents(records: EmulatedAccountingRecord[]): WebhookEvent[] {
	return brex.buildEvents({
		eventType: 'EXPENSE_PAYMENT_UPDATED',
		ids: records.map((r) => r.source_id),
	});
}

function recordEvents(records: EmulatedAccountingRecord[]): WebhookEvent[] {
	return records.flatMap((record) =>
		brex.buildEvents({ eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT', ids: [record.id] }),
	);
}

function recordItem(record: EmulatedAccountingRecord): SpendItem {
	return normaliseAccountingRecord(brex.renderAccountingRecord(record.id) as IDataObject);
}

function expenseItem(record: EmulatedAccountingRecord): SpendItem {
	return normaliseExpense(
		brex.renderExpense(record.source_id, EXPENSE_EXPAND, true) as IDataObject,
	);
}

/** Ledger lines whose line trace starts with the trace id. */
function traced(traceId: string) {
	return x3
		.ledger()
		.entries.flatMap((entry) =>
			entry.lines
				.filter((line) => line.lineTrace.startsWith(traceId))
				.map((line) => ({ entry, line })),
		);
}

function minor(amount: string): bigint {
	const [whole, fraction = ''] = amount.replace('-', '').split('.');
	const value = BigInt(whole + fraction.padEnd(2, '0'));
	return amount.startsWith('-') ? -value : value;
}

describe('a workflow built from the nodes: Brex Trigger (both events) → Post Spend', () => {
	it('books each purchase once, split records line by line as Brex coded them; records in review are skipped', async () => {
		const n = instance();
		const all = [...brex.state.accountingRecords.values()].filter(
			(record) => record.source_type === 'CARD',
		);
		const ready = all.filter((record) => record.review_status === 'READY_FOR_EXPORT');
		const split = ready.filter((record) => record.split).slice(0, 6);
		const refunds = ready.filter((record) => record.type === 'CARD_EXPENSE_REFUND').slice(0, 2);
		const plain = ready
			.filter((record) => !record.split && record.type === 'CARD_EXPENSE_POST')
			.slice(0, 4);
		const inReview = all.filter((record) => record.review_status === 'REVIEW').slice(0, 2);
		expect(split.length).toBeGreaterThanOrEqual(4);
		expect(new Set(split.map((record) => record.expenseLines)).size).toBeGreaterThan(1);
		expect(refunds.length).toBeGreaterThan(0);
		expect(inReview.length).toBeGreaterThan(0);

		// Records first for the first half (their expenses come later), expenses first for the second, and some
		// purchases announced by both at once.
		const recordsFirst = [...split.slice(0, 4), refunds[0], ...plain.slice(0, 2)];
		const expensesFirst = [...split.slice(4), ...refunds.slice(1), plain[2]];
		const together = plain.slice(3);
		await deliverTwiceShuffled(
			[
				...recordEvents(recordsFirst),
				...expenseEvents(expensesFirst),
				...recordEvents(inReview),
				...expenseEvents(inReview),
				...recordEvents(together),
				...expenseEvents(together),
			],
			7,
		);
		await settleSync(n, WORKFLOW, { quietMs: 5_000 });
		await deliverTwiceShuffled(
			[...expenseEvents(recordsFirst), ...recordEvents(expensesFirst)],
			11,
		);
		const executions = await settleSync(n, WORKFLOW, { quietMs: 5_000 });
		log(`${executions.length} executions: ${executions.map((e) => e.status).join(', ')}`);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);

		const ledger = x3.ledger();
		log(`ledger: ${ledger.count} entries, ${ledger.lineCount} lines`);
		for (const entry of ledger.entries) expect(entry.totals.debit).toBe(entry.totals.credit);

		// Every ready purchase once: one entry holds its trace id, and nothing else does.
		const purchases = [...recordsFirst, ...expensesFirst, ...together];
		for (const record of purchases) {
			const documents = new Set(
				traced(recordItem(record).traceId).map(({ entry }) => entry.documentNumber),
			);
			expect({ record: record.id, documents: documents.size }).toEqual({
				record: record.id,
				documents: 1,
			});
		}

		// Records booked first: line by line, accounts and dimensions as Brex coded them, sums per account equal.
		for (const record of recordsFirst) {
			const item = recordItem(record);
			const brexByAccount = new Map<string, bigint>();
			const x3ByAccount = new Map<string, bigint>();
			for (const line of item.lines.filter((candidate) => candidate.side === 'expense')) {
				const code = (field: string) =>
					line.codings.find((c) => c.remoteFieldId === field)?.remoteValueId;
				const account = code('GL_ACCOUNT')!;
				brexByAccount.set(account, (brexByAccount.get(account) ?? 0n) + minor(line.amount));
				const lines = traced(lineItemTraceId(line.id));
				expect(lines).toHaveLength(1);
				const x3Line = lines[0].line;
				expect(x3Line.dimensions).toEqual({ DEP: code('DEPARTMENT'), CCT: code('COST_CENTER') });
				const signed = x3Line.debit !== null ? minor(x3Line.debit) : -minor(x3Line.credit ?? '0');
				x3ByAccount.set(x3Line.account, (x3ByAccount.get(x3Line.account) ?? 0n) + signed);
			}
			expect(x3ByAccount).toEqual(brexByAccount);
		}

		// Expenses booked first: their records were reported already posted, with the document number.
		const outputs = executions.length > 0 ? await n.executions(WORKFLOW) : [];
		const results = outputs
			.flatMap((execution) => nodeOutput(execution, POST))
			.map((json) => json.postResult as IDataObject);
		for (const record of expensesFirst) {
			const [holder] = traced(expenseItem(record).traceId);
			const reported = results.filter(
				(result) =>
					result.traceId === recordItem(record).traceId && result.status === 'already_posted',
			);
			expect(reported.length).toBeGreaterThan(0);
			for (const result of reported)
				expect(result.documentNumber).toBe(holder.entry.documentNumber);
		}

		// In review: neither the record nor its (not yet approved) expense reached X3, both skipped with the reason.
		for (const record of inReview) {
			expect(traced(recordItem(record).traceId)).toEqual([]);
			const skipped = results.filter((result) => result.traceId === recordItem(record).traceId);
			expect(skipped.length).toBeGreaterThan(0);
			for (const result of skipped) {
				expect(result.status).toBe('skipped');
				expect(String(result.reason)).toMatch(/^Not ready for the ledger: /);
			}
		}
	});
});
