/**
 * Shared set-up of the Sage X3 node operation tests (test/integration/sageX3Node.<resource>.test.ts): the X3
 * emulator's lifecycle, runs of the node in a real n8n execution (n8n-core's WorkflowExecute), spend items and
 * parameters for Post Spend and Create, and views of the emulator's state to compare with.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { spendTraceId } from '../../nodes/common/traceId';
import { CHART, DEPARTMENTS } from '../emulators/seed';
import { startX3Emulator } from '../emulators/x3/server';
import type { X3Emulator } from '../emulators/x3/server';
import type { EmuJournalEntry, EmuSupplier } from '../emulators/x3/state';
import type { NodeOutputs, TestCredentials } from './n8nCoreHarness';
import { chain, runWorkflow, sageX3Node, spendSourceNode, x3Credentials } from './n8nCoreHarness';

export let emulator: X3Emulator;
export let credentials: TestCredentials;

/**
 * One X3 emulator per test file, reset (state and call counts) before each test. `emulator` and `credentials`
 * are live bindings: read them inside tests, not at module load.
 */
export function useX3Emulator(): void {
	beforeAll(async () => {
		emulator = await startX3Emulator();
		credentials = x3Credentials(emulator);
	});

	afterAll(async () => {
		await emulator.close();
	});

	beforeEach(() => {
		emulator.reset();
		emulator.resetStats();
		setupCheckRan = false;
	});
}

/**
 * Set by a test whose workflow runs Post Spend: its Check X3 Setup reads the journal publication through SOAP
 * (getDescription, query, read) before the first write, whatever the read API.
 */
let setupCheckRan = false;

export function markSetupCheckRan(): void {
	setupCheckRan = true;
}

const SETUP_CHECK_SOAP_READS = ['getDescription', 'query', 'read'];

export type ReadApi = 'soap' | 'graphql' | 'rest';

export const READ_APIS: ReadApi[] = ['soap', 'graphql', 'rest'];

/** Node parameters selecting a read API (GraphQL with the on-premises connected app). */
export function readApiParameters(readApi: ReadApi): INodeParameters {
	return { readApi };
}

/** No read went through another API than `readApi` (writes are always SOAP `save`). */
export function expectNoReadsBesides(readApi: ReadApi) {
	const calls = emulator.stats.calls;
	const otherReads = {
		soap:
			readApi === 'soap'
				? []
				: Object.keys(calls.soap).filter(
						(op) => op !== 'save' && !(setupCheckRan && SETUP_CHECK_SOAP_READS.includes(op)),
					),
		graphql: readApi === 'graphql' ? [] : Object.keys(calls.graphql),
		rest: readApi === 'rest' ? [] : Object.keys(calls.rest),
	};
	expect(otherReads).toEqual({ soap: [], graphql: [], rest: [] });
}

export const X3_NODE = 'Sage X3';

/** Spend Source (emitting `inputs`) -> one Sage X3 node; returns that node's outputs, failed or not. */
export async function runX3(
	parameters: INodeParameters,
	inputs: IDataObject[] = [{}],
	extra: Partial<INode> = {},
): Promise<NodeOutputs> {
	const result = await runWorkflow(
		[spendSourceNode(inputs), sageX3Node(X3_NODE, parameters, [200, 0], extra)],
		chain('Spend Source', X3_NODE),
		credentials,
	);
	const outputs = result.outputs[X3_NODE];
	if (!outputs) throw new Error(`${X3_NODE} did not run`);
	return outputs;
}

/** The success items of a run that must not fail. */
export async function x3Items(
	parameters: INodeParameters,
	inputs?: IDataObject[],
): Promise<IDataObject[]> {
	const outputs = await runX3(parameters, inputs);
	if (outputs.nodeError) throw outputs.nodeError;
	expect(outputs.error).toEqual([]);
	return outputs.success.map((item) => item.json);
}

/** The node error of a run that must fail as a whole (no continue on fail). */
export async function x3Failure(
	parameters: INodeParameters,
	inputs?: IDataObject[],
): Promise<Error> {
	const outputs = await runX3(parameters, inputs);
	if (!outputs.nodeError) {
		throw new Error(`Expected ${X3_NODE} to fail, got ${JSON.stringify(outputs.success)}`);
	}
	return outputs.nodeError;
}

/** Lower case without accents: how an X3 user expects a name search to compare. */
export function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The supplier as the node's X3Supplier shape, from the emulator's record. The emulator seeds short names as the
 * first 10 characters ("CYBERDYNE "); X3 keeps no trailing blanks in char fields and the readers trim.
 */
export function supplierView(supplier: EmuSupplier) {
	return {
		code: supplier.code,
		name: supplier.name,
		shortName: supplier.shortName.trimEnd(),
		category: supplier.category,
		country: supplier.country,
		currency: supplier.currency,
		isActive: supplier.isActive,
	};
}

export function emulatorSupplier(code: string): EmuSupplier {
	const supplier = emulator.state.suppliers.get(code);
	if (!supplier) throw new Error(`The emulator has no supplier ${code}`);
	return supplier;
}

export const sortedCodes = (items: IDataObject[]) => items.map((item) => String(item.code)).sort();

/** Amount text in minor units (2-decimal currencies), independent of the product's money module. */
export function cents(amount: string | null): bigint {
	if (amount === null) return 0n;
	const [units, fraction = ''] = amount.split('.');
	return BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export function ledgerEntry(documentNumber: unknown): EmuJournalEntry {
	const entry = emulator.state.journalEntries.find((e) => e.documentNumber === documentNumber);
	if (!entry) throw new Error(`The emulator ledger has no entry ${String(documentNumber)}`);
	return entry;
}

export function expectBalanced(entry: EmuJournalEntry) {
	const debit = entry.lines.reduce((sum, line) => sum + cents(line.debit), 0n);
	const credit = entry.lines.reduce((sum, line) => sum + cents(line.credit), 0n);
	expect(debit).toBe(credit);
	expect(debit).toBeGreaterThan(0n);
}

export function spendItem(
	id: string,
	fields: {
		amount: string;
		currency: 'EUR' | 'USD';
		date: string;
		vendor: string;
		department?: string;
	},
): SpendItem {
	const department = DEPARTMENTS.find((d) => d.name === (fields.department ?? 'Engineering'))!;
	return {
		id,
		recordKind: 'expense',
		traceId: spendTraceId('expense', id),
		recordTraceId: spendTraceId('expense', id),
		amount: fields.amount,
		currency: fields.currency,
		isRefund: fields.amount.startsWith('-'),
		originalAmount: null,
		accountingDate: fields.date,
		purchasedAt: null,
		postedAt: null,
		updatedAt: null,
		merchant: { name: fields.vendor.toUpperCase(), mcc: '4511', country: 'USA' },
		vendorName: fields.vendor,
		category: 'TRAVEL',
		department: { id: department.id, name: department.name },
		location: null,
		user: null,
		budget: null,
		memo: `Trip ${id}`,
		receiptUrls: [],
		customFields: {},
		customFieldOptionIds: {},
		lines: [],
		status: 'APPROVED',
		// Cleared: ready for the ledger (Post Spend skips an expense whose payment has not cleared).
		paymentStatus: 'CLEARED',
		expenseType: 'CARD',
		readiness: { ready: true, reason: null },
		raw: { id },
	};
}

/** Two EUR items on one date and one USD item: two entry sets, or three entries when posted per item. */
export const SPEND: SpendItem[] = [
	spendItem('exp_op_1', {
		amount: '120.50',
		currency: 'EUR',
		date: '2026-11-03',
		vendor: 'Acme Corp',
	}),
	spendItem('exp_op_2', {
		amount: '35.20',
		currency: 'EUR',
		date: '2026-11-03',
		vendor: 'Globex Corp',
		department: 'Sales',
	}),
	spendItem('exp_op_3', {
		amount: '99.99',
		currency: 'USD',
		date: '2026-11-04',
		vendor: 'Hooli Corp',
		department: 'Finance',
	}),
];

export const TRAVEL_ACCOUNT = CHART.expenseAccounts.TRAVEL;

export function postSpendParameters(grouping: 'perItem' | 'entrySet'): INodeParameters {
	return {
		resource: 'journalEntry',
		operation: 'postSpend',
		entryType: 'BRX',
		site: 'FR011',
		cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
		grouping,
		mappingRules: JSON.stringify([
			{
				name: 'Travel',
				when: { category: 'TRAVEL' },
				account: TRAVEL_ACCOUNT,
				dimensions: {
					DEP: {
						from: 'department.name',
						lookup: Object.fromEntries(DEPARTMENTS.map((d) => [d.name, d.x3Code])),
					},
				},
			},
		]),
		defaultExpenseAccount: CHART.defaultExpenseAccount,
		defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
	};
}

/** A manual journal entry (Journal Entry Create) with lines given as JSON. */
export function createParameters(lines: IDataObject[]): INodeParameters {
	return {
		resource: 'journalEntry',
		operation: 'create',
		entryType: 'ODT',
		site: 'FR011',
		accountingDate: '2026-11-05',
		currency: 'EUR',
		linesInput: 'json',
		linesJson: JSON.stringify(lines),
		additionalFields: { reference: 'REF-42', description: 'Manual entry' },
	};
}

export const BALANCED_LINES = [
	{ account: TRAVEL_ACCOUNT, debit: '120.50', dimensions: { DEP: 'ENG' } },
	{ account: CHART.cardLiabilityAccount, credit: '120.50' },
];

/** Posts SPEND (duplicate check through the read API in `api`) and returns each item's postResult, in order. */
export async function postSpend(
	grouping: 'perItem' | 'entrySet',
	api: INodeParameters = {},
): Promise<IDataObject[]> {
	const items = await x3Items(
		{ ...api, ...postSpendParameters(grouping) },
		SPEND as unknown as IDataObject[],
	);
	setupCheckRan = true;
	return items.map((item) => item.postResult as IDataObject);
}

/** Runs Post Spend (error output on) and returns its postResults and its error items. */
export async function postSpendOutcome(
	items: SpendItem[],
	parameters: INodeParameters,
): Promise<{ results: IDataObject[]; errors: IDataObject[] }> {
	const outputs = await runX3(parameters, items as unknown as IDataObject[], {
		onError: 'continueErrorOutput',
	});
	if (outputs.nodeError) throw outputs.nodeError;
	return {
		results: outputs.success.map((item) => item.json.postResult as IDataObject),
		errors: outputs.error.map((item) => item.json),
	};
}
