/**
 * The Brex action node against the local Brex emulator: every Brex call is real HTTP (the same axios-based
 * client n8n uses), n8n's execution context is the unit-test stand-in.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { Brex } from '../../nodes/Brex/Brex.node';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { normaliseExpense } from '../../nodes/brexApi/spendItem';
import { type BrexEmulator, startBrexEmulator } from '../emulators/brex/server';
import { type HarnessOptions, createHarness, recordingSleep } from '../support/brexClientHarness';

const node = new Brex();
let emulator: BrexEmulator;
let waits: number[];

beforeAll(async () => {
	emulator = await startBrexEmulator({ seed: 7, expenseCount: 150 });
});
afterAll(async () => {
	await emulator.close();
});
beforeEach(() => {
	const recorder = recordingSleep();
	waits = recorder.waits;
	setSleepForTests(recorder.sleep);
	emulator.resetFaults();
});
afterEach(() => setSleepForTests());

async function run(
	parameters: IDataObject,
	options: Partial<HarnessOptions> = {},
): Promise<INodeExecutionData[]> {
	const harness = createHarness({
		credentials: { accessToken: emulator.token, baseUrl: emulator.url },
		parameters,
		...options,
	});
	const [output] = await node.execute.call(harness.ctx);
	return output;
}

async function fail(parameters: IDataObject, token?: string): Promise<NodeApiError> {
	const harness = createHarness({
		credentials: { accessToken: token ?? emulator.token, baseUrl: emulator.url },
		parameters,
	});
	try {
		await node.execute.call(harness.ctx);
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('expected the node to fail');
}

describe('Brex node against the emulator', () => {
	it('lists every expense of the seeded window across pages, matching what the API renders', async () => {
		const output = await run({
			resource: 'expense',
			operation: 'getAll',
			dateField: 'purchased',
			startDate: '2026-07-01',
			endDate: '2026-09-30',
			returnAll: true,
			options: { onInvalidRecord: 'output', includeRaw: false },
		});
		const inWindow = [...emulator.state.expenses.values()].filter(
			(e) =>
				e.purchased_at !== null &&
				e.purchased_at >= '2026-07-01' &&
				e.purchased_at <= '2026-09-30T23:59:59.999Z',
		);
		expect(output).toHaveLength(inWindow.length);
		expect(inWindow.length).toBeGreaterThan(100); // more than one page of 100
		const valid = output.filter((o) => !o.error);
		for (const item of valid) {
			const expected = normaliseExpense(
				emulator.renderExpense(String(item.json.id), undefined, true) as IDataObject,
			);
			expect(item.json.amount).toBe(expected.amount);
			expect(item.json.currency).toBe(expected.currency);
			expect(item.json.accountingDate).toBe(expected.accountingDate);
		}
		for (const invalid of output.filter((o) => o.error)) {
			// The only seeded expenses the ledger cannot use are those Brex has not billed yet.
			expect(String(invalid.json.reason)).toMatch(/no billing_amount|is zero/);
		}
		expect(valid.some((o) => o.json.isRefund === true)).toBe(true);
		expect(valid.some((o) => o.json.currency === 'EUR')).toBe(true);
	});

	it('gets one expense with its expanded department and merchant', async () => {
		const expense = [...emulator.state.expenses.values()].find(
			(e) => e.billing_amount && e.billing_amount.amount > 0 && e.department_id && e.merchant,
		)!;
		const [item] = await run({ resource: 'expense', operation: 'get', expenseId: expense.id });
		expect(item.json).toMatchObject({
			id: expense.id,
			recordKind: 'expense',
			merchant: { name: expense.merchant!.raw_descriptor },
			department: { id: expense.department_id },
		});
		expect((item.json.department as IDataObject).name).toEqual(expect.any(String));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('finds a card transaction by id by paging from its posting date', async () => {
		const transactions = [...emulator.state.cardTransactions.values()];
		const target = transactions[Math.floor(transactions.length / 2)];
		const [item] = await run({
			resource: 'cardTransaction',
			operation: 'get',
			transactionId: target.id,
			postedAfter: target.posted_at_date,
		});
		expect(item.json).toMatchObject({
			id: target.id,
			postedAt: target.posted_at_date,
			recordKind: 'cardTransaction',
		});
	});

	it('retries through injected 429s (honouring Retry-After) and 5xx', async () => {
		emulator.setFaults({ rateLimitBurst: 2, retryAfterSeconds: 2, status5xx: 1 });
		const output = await run({
			resource: 'cardTransaction',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
		});
		expect(output).toHaveLength(5);
		expect(waits.slice(0, 2)).toEqual([2000, 2000]);
		expect(waits).toHaveLength(3);
	});

	it('reports an export result once, then treats the repeat as already exported', async () => {
		const [first] = await run({
			resource: 'accountingRecord',
			operation: 'getAll',
			reviewStatus: 'READY_FOR_EXPORT',
			returnAll: false,
			limit: 1,
		});
		const recordId = String(first.json.id);
		expect(first.json.status).toBe('READY_FOR_EXPORT');
		const parameters = {
			resource: 'accountingRecord',
			operation: 'reportExportResult',
			recordId,
			outcome: 'success',
			referenceId: 'JE-0001',
		};
		const [reported] = await run(parameters);
		expect(reported.json).toMatchObject({
			reported: true,
			alreadyExported: false,
			updatedAccountingRecordIds: [recordId],
		});
		expect(emulator.state.accountingRecords.get(recordId)!.review_status).toBe('EXPORTED');
		const keys = emulator.stats.idempotencyKeys.filter((entry) =>
			entry.route.includes('export-results'),
		);
		expect(keys.length).toBeGreaterThanOrEqual(1);

		const [again] = await run(parameters);
		expect(again.json).toMatchObject({
			reported: false,
			alreadyExported: true,
			referenceId: 'JE-0001',
		});
	});

	it('explains an expired token (403) and a revoked one (401)', async () => {
		const expiredToken = 'bxt_expired_for_test';
		const revokedToken = 'bxt_revoked_for_test';
		await emulator.close();
		emulator = await startBrexEmulator({
			seed: 7,
			expenseCount: 20,
			tokens: [emulator.token, expiredToken, revokedToken],
		});
		emulator.expireTokens([expiredToken]);
		emulator.revokeToken(revokedToken);
		const expired = await fail(
			{ resource: 'expense', operation: 'get', expenseId: 'x' },
			expiredToken,
		);
		expect(expired.httpCode).toBe('403');
		expect(expired.description).toContain('expired after a period without use');
		expect(JSON.stringify(expired)).not.toContain(expiredToken);
		const revoked = await fail(
			{ resource: 'expense', operation: 'get', expenseId: 'x' },
			revokedToken,
		);
		expect(revoked.httpCode).toBe('401');
		expect(revoked.description).toContain('Developer → Settings');
	});
});
