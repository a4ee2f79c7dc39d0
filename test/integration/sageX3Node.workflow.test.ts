/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute), with the real transports against the X3
 * emulator: Find or Create then Post Spend, idempotent replays, and failed items on the error output.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { spendTraceId } from '../../nodes/common/traceId';
import { startX3Emulator } from '../emulators/x3/server';
import type { X3Emulator } from '../emulators/x3/server';
import { CHART, DEPARTMENTS, LOCATIONS, seedVendors } from '../emulators/seed';
import {
	chain,
	runWorkflow,
	sageX3Node,
	spendSourceNode,
	x3Credentials,
} from '../support/n8nCoreHarness';

let emulator: X3Emulator;
let credentials: Record<string, ICredentialDataDecryptedObject>;

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
});

const RULES = [
	...Object.entries(CHART.expenseAccounts).map(([category, account]) => ({
		name: category,
		when: { category },
		account,
		dimensions: {
			DEP: {
				from: 'department.name',
				lookup: Object.fromEntries(DEPARTMENTS.map((d) => [d.name, d.x3Code])),
			},
			CCT: {
				from: 'location.name',
				lookup: Object.fromEntries(LOCATIONS.map((l) => [l.name, l.x3Code])),
			},
		},
	})),
];

function spendItems(count: number, vendorOffset = 0): SpendItem[] {
	const vendors = seedVendors();
	return Array.from({ length: count }, (_, n) => {
		const vendor = vendors[(n + vendorOffset) % vendors.length];
		const department = DEPARTMENTS[n % DEPARTMENTS.length];
		const location = LOCATIONS[n % LOCATIONS.length];
		const id = `expense_it_${vendorOffset}_${n}`;
		const amount = n % 5 === 4 ? `-${n + 1}.25` : `${(n + 1) * 3}.10`;
		return {
			id,
			recordKind: 'expense',
			traceId: spendTraceId('expense', id),
			recordTraceId: spendTraceId('expense', id),
			amount,
			currency: n % 3 === 0 ? 'EUR' : 'USD',
			isRefund: amount.startsWith('-'),
			originalAmount: null,
			accountingDate: `2026-11-0${1 + (n % 2)}`,
			purchasedAt: null,
			postedAt: null,
			updatedAt: null,
			merchant: { name: vendor.name.toUpperCase(), mcc: vendor.mcc, country: vendor.country },
			vendorName: vendor.name,
			category: vendor.category,
			department: { id: department.id, name: department.name },
			location: { id: location.id, name: location.name },
			user: null,
			budget: null,
			memo: `Test ${n}`,
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
	});
}

function sageNode(name: string, parameters: INodeParameters, position: [number, number]): INode {
	return sageX3Node(name, parameters, position, { onError: 'continueErrorOutput' });
}

/** Spend Source -> Find or Create supplier -> Post Spend; returns each X3 node's outputs [success, error]. */
async function runSync(
	items: SpendItem[],
	postParameters: IDataObject = {},
	common: IDataObject = {},
) {
	const nodes: INode[] = [
		spendSourceNode(items as unknown as IDataObject[]),
		sageNode(
			'Find Supplier',
			{
				...common,
				resource: 'supplier',
				operation: 'findOrCreate',
				vendorNameSource: 'spendItem',
				notFoundPolicy: 'create',
				category: 'SUPUS',
				options: { codePrefix: 'NEW' },
			},
			[200, 0],
		),
		sageNode(
			'Post Spend',
			{
				...common,
				resource: 'journalEntry',
				operation: 'postSpend',
				entryType: 'ODT',
				site: 'FR011',
				cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
				grouping: 'entrySet',
				mappingRules: JSON.stringify(RULES),
				defaultExpenseAccount: CHART.defaultExpenseAccount,
				defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
				...postParameters,
			},
			[400, 0],
		),
	];
	const result = await runWorkflow(
		nodes,
		chain('Spend Source', 'Find Supplier', 'Post Spend'),
		credentials,
	);
	return {
		run: result.run,
		supplier: result.output('Find Supplier'),
		post: result.output('Post Spend'),
	};
}

const statusOf = (item: INodeExecutionData) => (item.json.postResult as IDataObject).status;

describe('Sage X3 node in an n8n execution against the X3 emulator', () => {
	it('finds or creates suppliers, posts balanced entry sets, and a replay posts nothing new', async () => {
		const items = spendItems(12, 30);
		// Entry sets need item trace ids found on lines: Check X3 Setup proves that through REST on the emulator,
		// not through SOAP (its SOAP query returns header columns only).
		const first = await runSync(items, { readApi: 'rest' });
		expect(first.supplier.error).toEqual([]);
		expect(first.post.error).toEqual([]);
		expect(first.post.success.map(statusOf)).toEqual(Array(12).fill('posted'));
		const created = first.supplier.success.filter(
			(item) => (item.json.supplier as IDataObject).matchedBy === 'created',
		);
		const distinctCreated = new Set(
			created.map((item) => (item.json.supplier as IDataObject).code),
		);
		expect(distinctCreated.size).toBeGreaterThan(0);
		for (const item of first.post.success) {
			const result = item.json.postResult as IDataObject;
			expect(result.documentNumber).toEqual(expect.any(String));
			expect(result.businessPartner).toBe((item.json.supplier as IDataObject).code);
		}
		// 2 dates x 2 currencies = 4 entry sets: one save each, plus one per created supplier.
		const documents = new Set(
			first.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		);
		expect(documents.size).toBe(4);
		expect(emulator.stats.calls.soap.save).toBe(4 + distinctCreated.size);

		emulator.resetStats();
		const second = await runSync(items, { readApi: 'rest' });
		expect(second.post.success.map(statusOf)).toEqual(Array(12).fill('already_posted'));
		expect(emulator.stats.calls.soap.save ?? 0).toBe(0);
		expect(
			second.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		).toEqual(
			first.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		);
		expect(
			second.supplier.success.every(
				(item) => (item.json.supplier as IDataObject).matchedBy !== 'created',
			),
		).toBe(true);
	});

	it('routes the items of a refused set to the error output and posts the others', async () => {
		const items = spendItems(6);
		// An account X3 does not have fails only the EUR set that uses it.
		const rules = [
			{ when: { currency: 'EUR' }, account: '999999', dimensions: { DEP: 'OPS' } },
			...RULES,
		];
		const result = await runSync(items, { mappingRules: JSON.stringify(rules), readApi: 'rest' });
		const failedIds = result.post.error.map((item) => item.json.id).sort();
		const eurIds = items
			.filter((item) => item.currency === 'EUR')
			.map((item) => item.id)
			.sort();
		expect(failedIds).toEqual(eurIds);
		for (const item of result.post.error) {
			// n8n merged the input record (spend item + supplier) back into the error item.
			expect(item.json).toMatchObject({ recordKind: 'expense', supplier: expect.any(Object) });
			expect(item.json.error).toEqual(expect.stringContaining('999999'));
			const postResult = (item.json.details as IDataObject).postResult as IDataObject;
			expect(postResult).toMatchObject({
				status: 'failed',
				traceId: item.json.traceId,
				account: '999999',
			});
		}
		expect(result.post.success.map(statusOf)).toEqual(
			Array(items.length - eurIds.length).fill('posted'),
		);

		const replay = await runSync(items, { readApi: 'rest' });
		const statuses = new Map(replay.post.success.map((item) => [item.json.id, statusOf(item)]));
		for (const item of items) {
			expect(statuses.get(item.id)).toBe(item.currency === 'EUR' ? 'posted' : 'already_posted');
		}
	});

	it('with GraphQL reads, checks the trace ids of all entry sets once before and once after the saves, and searches each vendor at most once', async () => {
		const items = spendItems(10);
		// Two entry sets posted first: on an empty X3 Post Spend posts one entry, proves the GraphQL lookup with it
		// (Check X3 Setup) before posting the other, and keeps the verdict, so the run measured below pays no check.
		await runSync(spendItems(2, 40), {}, { readApi: 'graphql' });
		emulator.resetStats();
		const result = await runSync(items, {}, { readApi: 'graphql' });
		expect(result.post.success.map(statusOf)).toEqual(Array(10).fill('posted'));
		const calls = emulator.stats.calls;
		const sets = new Set(items.map((item) => `${item.accountingDate}|${item.currency}`)).size;
		expect(sets).toBeGreaterThan(1);
		const vendors = new Set(items.map((item) => item.vendorName)).size;
		// The sets' 10 trace ids fit one check (≤ 40 ids): one GraphQL document before the saves (already
		// posted?) and one after them (did a concurrent run post an item first?), whatever the number of sets.
		expect(calls.graphql['x3Finance.journalEntryLine.query']).toBe(2);
		expect(calls.graphql['x3MasterData.supplier.query']).toBeLessThanOrEqual(vendors);
		expect(emulator.stats.http.requests).toBe(
			2 + sets + calls.graphql['x3MasterData.supplier.query'],
		);
		expect(emulator.stats.calls.soap.save).toBe(sets);
	});
});
