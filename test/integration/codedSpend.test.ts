/**
 * Spend as Brex coded it (issue 14), through a real n8n execution of Post Spend against both emulators: accounting
 * records with 1-4 coded expense lines and refunds posted line by line, each purchase booked once whichever record
 * (expense or its derived accounting record) comes first, in the same input or a later run, in both grouping modes
 * and through every read API; records in review are skipped with their reason.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	EXPENSE_EXPAND,
	normaliseAccountingRecord,
	normaliseExpense,
} from '../../nodes/brexApi/spendItem';
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { lineItemTraceId } from '../../nodes/common/traceId';
import type { BrexEmulator } from '../emulators/brex/server';
import { startBrexEmulator } from '../emulators/brex/server';
import type { EmulatedAccountingRecord } from '../emulators/brex/types';
import { CHART } from '../emulators/seed';
import {
	READ_APIS,
	emulator,
	expectBalanced,
	ledgerEntry,
	postSpendOutcome,
	postSpendParameters,
	readApiParameters,
	useX3Emulator,
} from '../support/sageX3NodeOperations';
import { BREX_CODING } from '../support/codedPosting';

// Each test posts several runs through a real n8n execution: more than jest's 5 s on a busy machine.
jest.setTimeout(30_000);

useX3Emulator();

let brex: BrexEmulator;
beforeAll(async () => {
	brex = await startBrexEmulator({ seed: 11, expenseCount: 300 });
});
afterAll(async () => {
	await brex.close();
});

function parameters(
	grouping: 'perItem' | 'entrySet',
	extra: INodeParameters = {},
): INodeParameters {
	return { ...postSpendParameters(grouping), brexCoding: BREX_CODING, ...extra };
}

function recordItem(record: EmulatedAccountingRecord): SpendItem {
	return normaliseAccountingRecord(brex.renderAccountingRecord(record.id) as IDataObject);
}

function expenseItem(record: EmulatedAccountingRecord): SpendItem {
	return normaliseExpense(
		brex.renderExpense(record.source_id, EXPENSE_EXPAND, true) as IDataObject,
	);
}

/** Ready records: three split ones (2, 3 and 4 lines), a refund, a plain one; and one in review. */
function pickRecords() {
	const records = [...brex.state.accountingRecords.values()].filter(
		(record) => record.source_type === 'CARD',
	);
	const ready = records.filter((record) => record.review_status === 'READY_FOR_EXPORT');
	const split = [2, 3, 4].map(
		(count) => ready.find((record) => record.split && record.expenseLines === count)!,
	);
	const refund = ready.find((record) => record.type === 'CARD_EXPENSE_REFUND')!;
	const plain = ready.find((record) => !record.split && record.type === 'CARD_EXPENSE_POST')!;
	const inReview = records.find((record) => record.review_status === 'REVIEW')!;
	for (const record of [...split, refund, plain, inReview]) expect(record).toBeDefined();
	return { posted: [...split, refund, plain], inReview };
}

function postAll(items: SpendItem[], params: INodeParameters) {
	return postSpendOutcome(items, params);
}

/** Ledger lines carrying a trace id (at the start of the line trace field). */
function linesTraced(traceId: string) {
	return emulator
		.ledger()
		.entries.flatMap((entry) =>
			entry.lines
				.map((line) => ({ entry, line }))
				.filter(({ line }) => line.lineTrace.startsWith(traceId)),
		);
}

/** The record's expense lines as Brex coded them: account -> signed minor units. */
function brexSumsByAccount(item: SpendItem): Map<string, bigint> {
	const sums = new Map<string, bigint>();
	for (const line of item.lines.filter((candidate) => candidate.side === 'expense')) {
		const account = line.codings.find((c) => c.remoteFieldId === 'GL_ACCOUNT')!.remoteValueId!;
		sums.set(account, (sums.get(account) ?? 0n) + BigInt(line.amount.replace('.', '')));
	}
	return sums;
}

function expectBookedAsCoded(item: SpendItem, documentNumber: unknown) {
	const entry = ledgerEntry(documentNumber);
	expectBalanced(entry);
	const expense = item.lines.filter((line) => line.side === 'expense');
	const booked = new Map<string, bigint>();
	for (const line of expense) {
		const [found] = linesTraced(lineItemTraceId(line.id));
		expect(found?.entry.documentNumber).toBe(documentNumber);
		const { line: x3Line } = found;
		const dep = line.codings.find((c) => c.remoteFieldId === 'DEPARTMENT')!.remoteValueId;
		const cct = line.codings.find((c) => c.remoteFieldId === 'COST_CENTER')!.remoteValueId;
		expect(x3Line.dimensions).toMatchObject({ DEP: dep, CCT: cct });
		const signed = BigInt((x3Line.debit ?? `-${x3Line.credit}`).replace('.', ''));
		booked.set(x3Line.account, (booked.get(x3Line.account) ?? 0n) + signed);
	}
	expect(booked).toEqual(brexSumsByAccount(item));
	// The purchase's trace id is on exactly one line of the whole ledger: its balancing line on the card liability.
	const [balancing, ...more] = linesTraced(item.traceId);
	expect(more).toEqual([]);
	expect(balancing.line.account).toBe(CHART.cardLiabilityAccount);
}

describe('Post Spend books Brex-coded accounting records line by line, each purchase once', () => {
	describe.each(READ_APIS)('read API %s', (readApi) => {
		it.each(['entrySet', 'perItem'] as const)(
			'%s: records first, then their expenses and the records again (duplicated, shuffled), then a replay',
			async (grouping) => {
				const params = parameters(grouping, readApiParameters(readApi));
				const { posted, inReview } = pickRecords();
				const records = posted.map(recordItem);
				const review = recordItem(inReview);

				const first = await postAll([...records, review], params);
				expect(first.errors).toEqual([]);
				expect(first.results.map((result) => result.status)).toEqual([
					...records.map(() => 'posted'),
					'skipped',
				]);
				expect(first.results[records.length].reason).toMatch(
					/review status is REVIEW; posted when READY_FOR_EXPORT/,
				);
				records.forEach((record, index) =>
					expectBookedAsCoded(record, first.results[index].documentNumber),
				);

				// The expenses these records came from, the records again, a repeat in the same input: all found.
				const expenses = posted.map(expenseItem);
				const again = [
					expenses[2],
					records[0],
					expenses[0],
					expenses[4],
					records[3],
					expenses[1],
					expenses[3],
					expenses[2],
				];
				const second = await postAll(again, params);
				expect(second.errors).toEqual([]);
				const documentOf = new Map(
					records.map((record, index) => [record.traceId, first.results[index].documentNumber]),
				);
				second.results.forEach((result, index) => {
					expect(result.status).toBe('already_posted');
					expect(result.documentNumber).toBe(documentOf.get(again[index].traceId));
				});
				const entries = emulator.ledger().count;
				records.forEach((record) => expect(linesTraced(record.traceId)).toHaveLength(1));
				await postAll([...records, ...expenses], params);
				expect(emulator.ledger().count).toBe(entries);
			},
		);
	});

	it.each(['entrySet', 'perItem'] as const)(
		'%s: an expense first books the purchase; its accounting record is already posted, in the same input or later',
		async (grouping) => {
			const params = parameters(grouping);
			const { posted } = pickRecords();
			const expenses = posted.map(expenseItem);
			const records = posted.map(recordItem);
			// Same input: expense before its record.
			const mixed = await postAll([expenses[0], records[0], records[1], expenses[1]], params);
			expect(mixed.results.map((r) => r.status)).toEqual([
				'posted',
				'already_posted',
				'posted',
				'already_posted',
			]);
			expect(mixed.results[1].documentNumber).toBe(mixed.results[0].documentNumber);
			expect(mixed.results[1].reason).toMatch(/Booked by item 0 \(expense_.*\), the same purchase/);
			expect(mixed.results[3].documentNumber).toBe(mixed.results[2].documentNumber);
			// Later run: the remaining records after their expenses.
			const rest = await postAll(expenses.slice(2), params);
			expect(rest.results.every((r) => r.status === 'posted')).toBe(true);
			const later = await postAll(records.slice(2), params);
			later.results.forEach((result, index) => {
				expect(result.status).toBe('already_posted');
				expect(result.documentNumber).toBe(rest.results[index].documentNumber);
			});
			// Each purchase in one entry only (an expense's entry carries its trace on both its lines).
			for (const record of records) {
				const documents = new Set(
					linesTraced(record.traceId).map(({ entry }) => entry.documentNumber),
				);
				expect(documents.size).toBe(1);
			}
		},
	);

	it('sends a record with a Brex value not linked to X3 to the error output with the line and field', async () => {
		const { posted } = pickRecords();
		const raw = brex.renderAccountingRecord(posted[0].id) as IDataObject;
		const lines = raw.line_items as IDataObject[];
		const codings = lines[1].accounting_field_values as IDataObject[];
		codings[0] = { ...codings[0], remote_field_value_id: null };
		const item = normaliseAccountingRecord(raw);
		const outcome = await postAll([item, recordItem(posted[4])], parameters('entrySet'));
		expect(outcome.results.map((r) => r.status)).toEqual(['posted']);
		expect(outcome.errors).toHaveLength(1);
		expect((outcome.errors[0].details as IDataObject).postResult).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(
				new RegExp(
					`line ${String(lines[1].id)}: Brex value efo_gl_\\d+ of field GL_ACCOUNT has no X3 code`,
				),
			),
		});
		expect(linesTraced(item.traceId)).toEqual([]);
	});

	it("refuses a coded account X3 does not have, with X3's reason, and posts the other records", async () => {
		const { posted } = pickRecords();
		const raw = brex.renderAccountingRecord(posted[1].id) as IDataObject;
		const codings = (raw.line_items as IDataObject[])[0].accounting_field_values as IDataObject[];
		codings[0] = { ...codings[0], remote_field_value_id: '999999' };
		const outcome = await postAll(
			[normaliseAccountingRecord(raw), recordItem(posted[4])],
			parameters('perItem'),
		);
		expect(outcome.results.map((r) => r.status)).toEqual(['posted']);
		expect(outcome.errors[0].error).toMatch(/Account 999999 : Record does not exist/);
	});
});
