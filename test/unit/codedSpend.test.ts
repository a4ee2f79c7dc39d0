/**
 * Spend as Brex coded it (issue 14), the pure parts: an accounting record's lines mapped one by one (coding from
 * the Brex Coding setting, rules as the fallback, unlinked values refused), the draft of a coded record (one line
 * per line item, balanced per record, refunds reversed), readiness, and the purchase key.
 */
import type { IDataObject } from 'n8n-workflow';

import { normaliseAccountingRecord, normaliseExpense } from '../../nodes/brexApi/spendItem';
import { spendReadiness } from '../../nodes/common/spendReadiness';
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { lineItemTraceId, purchaseTraceId, spendTraceId } from '../../nodes/common/traceId';
import {
	BrexCodingError,
	mapCodedRecord,
	parseDimensionFields,
} from '../../nodes/ledger/codedLines';
import type { BrexCoding } from '../../nodes/ledger/codedLines';
import { checkBalance, planJournalEntries } from '../../nodes/ledger/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/ledger/journalDraft';
import { parseMappingRules } from '../../nodes/ledger/mapping';
import { postEntries } from '../../nodes/SageX3/helpers/postEntries';
import {
	codedLineTraces,
	readinessFor,
	samePurchaseOutcome,
} from '../../nodes/SageX3/helpers/spendPosting';
import type { PostedJournalEntry } from '../../nodes/ledger/journalTypes';
import { reconcile } from '../../nodes/ledger/reconcile';
import { seededGateway } from '../support/sageX3NodeHarness';

const CODING: BrexCoding = {
	glAccountField: 'GL_ACCOUNT',
	dimensionFields: { DEPARTMENT: 'DEP', COST_CENTER: 'CCT' },
};
const CONTEXT = { dimensionTypes: ['DEP', 'CCT'] };
const LIABILITY = { liabilityAccount: '467100', liabilityDimensions: {} };
const RULES = parseMappingRules([
	{
		name: 'Meals',
		when: { category: 'RESTAURANTS' },
		account: '625700',
		dimensions: { DEP: 'OPS' },
	},
]);
const DEFAULTS = { expenseAccount: '628000', lineDescription: '{{memo}}' };

type Line = {
	id: string;
	type: 'DEBIT' | 'CREDIT';
	amount: number;
	codes?: Record<string, string | null>;
};

function coded(line: Line): IDataObject {
	return {
		id: line.id,
		type: line.type,
		amount: { amount: line.amount, currency: 'EUR' },
		memo: `memo ${line.id}`,
		accounting_field_values: Object.entries(line.codes ?? {}).map(([field, code]) => ({
			brex_field_id: `ef_${field.toLowerCase()}`,
			remote_field_id: field,
			brex_field_value_id: `efo_${code ?? 'unlinked'}`,
			remote_field_value_id: code,
		})),
	};
}

function record(lines: Line[], overrides: IDataObject = {}): SpendItem {
	const refund = String(overrides.type ?? '').includes('REFUND');
	const total = lines
		.filter((line) => line.type === (refund ? 'CREDIT' : 'DEBIT'))
		.reduce((sum, line) => sum + Math.round(line.amount * 100), 0);
	return normaliseAccountingRecord({
		id: 'accr_split',
		type: 'CARD_EXPENSE_POST',
		review_status: 'READY_FOR_EXPORT',
		source_id: 'expense_split',
		source_type: 'CARD',
		amount: { amount: (refund ? -total : total) / 100, currency: 'EUR' },
		erp_posting_date: '2026-11-03T10:00:00Z',
		line_items: lines.map(coded),
		...overrides,
	});
}

const SPLIT: Line[] = [
	{
		id: 'arli_1',
		type: 'DEBIT',
		amount: 70,
		codes: { GL_ACCOUNT: '606400', DEPARTMENT: 'ENG', COST_CENTER: 'CC-SF' },
	},
	{ id: 'arli_2', type: 'DEBIT', amount: 20.5, codes: { GL_ACCOUNT: '651000', DEPARTMENT: 'SAL' } },
	{ id: 'arli_3', type: 'DEBIT', amount: 10, codes: { GL_ACCOUNT: '606400', DEPARTMENT: 'ENG' } },
	{ id: 'arli_4', type: 'CREDIT', amount: 100.5 },
];

const OPTIONS: DraftOptions = { mode: 'entrySet', traceFieldLength: 20 };

function posting(item: SpendItem, itemIndex = 0): PostingItem {
	const mapping = mapCodedRecord(item, CODING, RULES, DEFAULTS, CONTEXT, LIABILITY, 20);
	if (mapping.status !== 'mapped') throw new Error(mapping.reason);
	return {
		itemIndex,
		traceId: item.traceId,
		accountingDate: item.accountingDate,
		currency: item.currency,
		amount: item.amount,
		isRefund: item.isRefund,
		site: 'FR011',
		entryType: 'BRX',
		liabilityAccount: '467100',
		account: mapping.lines[0].account,
		dimensions: mapping.lines[0].dimensions,
		lines: mapping.lines,
		...(mapping.balancingLines.length > 0 ? { balancingLines: mapping.balancingLines } : {}),
	};
}

describe('coded records: line by line', () => {
	it('books a split record one line per expense line item, with the codes Brex gave, balanced on the card liability', () => {
		const item = record(SPLIT);
		const [entry] = planJournalEntries([posting(item)], OPTIONS);
		expect(
			entry.draft.lines.map((l) => [
				l.account,
				l.debit ?? null,
				l.credit ?? null,
				l.dimensions,
				l.lineTraceId,
			]),
		).toEqual([
			['606400', '70.00', null, { DEP: 'ENG', CCT: 'CC-SF' }, lineItemTraceId('arli_1')],
			['651000', '20.50', null, { DEP: 'SAL' }, lineItemTraceId('arli_2')],
			['606400', '10.00', null, { DEP: 'ENG' }, lineItemTraceId('arli_3')],
			// The purchase's trace id on the balancing line: what the expense of the same purchase is checked by.
			['467100', null, '100.50', {}, item.traceId],
		]);
		expect(checkBalance(entry.draft).balanced).toBe(true);
	});

	it('reverses a refund: credits on the coded accounts, a debit on the card liability', () => {
		const item = record(
			[
				{
					id: 'arli_r1',
					type: 'CREDIT',
					amount: 30,
					codes: { GL_ACCOUNT: '625700', DEPARTMENT: 'ENG' },
				},
				{ id: 'arli_r2', type: 'CREDIT', amount: 12.25, codes: { GL_ACCOUNT: '606400' } },
				{ id: 'arli_r3', type: 'DEBIT', amount: 42.25 },
			],
			{ type: 'CARD_EXPENSE_REFUND' },
		);
		const [entry] = planJournalEntries([posting(item)], OPTIONS);
		expect(entry.draft.lines.map((l) => [l.account, l.debit ?? null, l.credit ?? null])).toEqual([
			['625700', null, '30.00'],
			['606400', null, '12.25'],
			['467100', '42.25', null],
		]);
	});

	it('keeps each record balanced on its own in an entry set shared with a simple item', () => {
		const simple: PostingItem = {
			itemIndex: 1,
			traceId: spendTraceId('expense', 'expense_other'),
			accountingDate: '2026-11-03',
			currency: 'EUR',
			amount: '5.00',
			site: 'FR011',
			entryType: 'BRX',
			liabilityAccount: '467100',
			account: '628000',
			dimensions: {},
		};
		const [entry] = planJournalEntries([posting(record(SPLIT)), simple], OPTIONS);
		const credits = entry.draft.lines.filter((l) => l.account === '467100').map((l) => l.credit);
		expect(credits.sort()).toEqual(['100.50', '5.00']);
		expect(entry.draft.lines).toHaveLength(6);
	});

	it("uses Brex's own balancing coding when it gives one (e.g. a payable instead of the card)", () => {
		const lines: Line[] = [
			SPLIT[0],
			{ id: 'arli_c', type: 'CREDIT', amount: 70, codes: { GL_ACCOUNT: '401000' } },
		];
		const [entry] = planJournalEntries([posting(record(lines))], OPTIONS);
		expect(entry.draft.lines.map((l) => [l.account, l.credit ?? null])).toEqual([
			['606400', null],
			['401000', '70.00'],
		]);
	});

	it("maps a line without coding by the mapping rules (the fallback), and partly coded lines keep the rule's other dimensions", () => {
		const item = record(
			[
				{ id: 'arli_a', type: 'DEBIT', amount: 8, codes: { COST_CENTER: 'CC-NY' } },
				{ id: 'arli_b', type: 'DEBIT', amount: 2 },
			],
			{},
		);
		item.category = 'RESTAURANTS';
		const mapping = mapCodedRecord(item, CODING, RULES, DEFAULTS, CONTEXT, LIABILITY, 20);
		expect(mapping).toMatchObject({ status: 'mapped', ruleName: 'Meals' });
		if (mapping.status !== 'mapped') return;
		expect(mapping.lines.map((l) => [l.account, l.dimensions, l.description])).toEqual([
			['625700', { DEP: 'OPS', CCT: 'CC-NY' }, 'memo arli_a'],
			['625700', { DEP: 'OPS' }, 'memo arli_b'],
		]);
		// Without a rule, the default expense account.
		const unruled = mapCodedRecord(item, CODING, [], DEFAULTS, CONTEXT, LIABILITY, 20);
		expect(unruled.status === 'mapped' && unruled.lines[1].account).toBe('628000');
	});

	it('refuses a record whose coded value has no X3 code, naming the line and the field', () => {
		const item = record([
			SPLIT[0],
			{ id: 'arli_x', type: 'DEBIT', amount: 30.5, codes: { GL_ACCOUNT: null } },
			{ id: 'arli_y', type: 'CREDIT', amount: 100.5 },
		]);
		expect(mapCodedRecord(item, CODING, RULES, DEFAULTS, CONTEXT, LIABILITY, 20)).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(
				/^line arli_x: Brex value efo_unlinked of field GL_ACCOUNT has no X3 code \(its remote_field_value_id is empty\)/,
			),
		});
	});

	it('fails a line neither Brex nor a rule gives an account to, naming the line', () => {
		const item = record([{ id: 'arli_n', type: 'DEBIT', amount: 1 }]);
		expect(mapCodedRecord(item, CODING, [], {}, CONTEXT, LIABILITY, 20)).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/^line arli_n: No GL account/),
		});
	});

	it('refuses a record with more lines than an entry may hold instead of splitting it', () => {
		expect(() =>
			planJournalEntries([posting(record(SPLIT))], { ...OPTIONS, maxLinesPerEntry: 3 }),
		).toThrow(/has 4 lines, more than Max Lines per Entry \(3\)/);
	});

	it('parses the dimension fields setting and refuses unknown types', () => {
		expect(parseDimensionFields('DEPARTMENT=DEP; COST_CENTER = CCT', ['DEP', 'CCT'])).toEqual({
			DEPARTMENT: 'DEP',
			COST_CENTER: 'CCT',
		});
		expect(() => parseDimensionFields('DEPARTMENT=XYZ', ['DEP'])).toThrow(BrexCodingError);
		expect(() => parseDimensionFields('DEPARTMENT', ['DEP'])).toThrow(/BREX_FIELD=DIMENSION_TYPE/);
	});
});

describe('ready for the ledger', () => {
	it.each<[string, Partial<SpendItem>, boolean]>([
		[
			'a record ready for export',
			{ recordKind: 'accountingRecord', status: 'READY_FOR_EXPORT' },
			true,
		],
		['a record in review', { recordKind: 'accountingRecord', status: 'REVIEW' }, false],
		['a record being prepared', { recordKind: 'accountingRecord', status: 'PREPARE' }, false],
		['an exported record', { recordKind: 'accountingRecord', status: 'EXPORTED' }, false],
		[
			'a cleared approved expense',
			{ recordKind: 'expense', status: 'APPROVED', paymentStatus: 'CLEARED' },
			true,
		],
		[
			'a pending expense',
			{ recordKind: 'expense', status: 'APPROVED', paymentStatus: 'PENDING' },
			false,
		],
		[
			'a submitted expense',
			{ recordKind: 'expense', status: 'SUBMITTED', paymentStatus: 'CLEARED' },
			false,
		],
		[
			'an expense Brex gave no payment status',
			{ recordKind: 'expense', status: 'SETTLED', paymentStatus: null },
			false,
		],
		['a card transaction', { recordKind: 'cardTransaction', status: null }, true],
	])('%s', (_title, item, ready) => {
		const verdict = spendReadiness(item as SpendItem);
		expect(verdict.ready).toBe(ready);
		expect(verdict.reason === null).toBe(ready);
	});

	it("says why, and takes the node's lists or posts regardless", () => {
		const pending = {
			recordKind: 'expense',
			status: 'SUBMITTED',
			paymentStatus: 'PENDING',
		} as SpendItem;
		expect(spendReadiness(pending).reason).toBe(
			'Not ready for the ledger: expense status is SUBMITTED (posted when APPROVED, SETTLED) and payment status is PENDING (posted when CLEARED)',
		);
		expect(
			readinessFor(pending, {
				expenseStatuses: 'submitted',
				expensePaymentStatuses: 'PENDING, CLEARED',
			}).ready,
		).toBe(true);
		expect(readinessFor(pending, {}).ready).toBe(false);
		expect(readinessFor(pending, { postRegardlessOfReadiness: true }).ready).toBe(true);
	});
});

describe('one entry per purchase', () => {
	it('gives an expense, its card transaction and its accounting record one trace id; a record naming no expense keeps its own', () => {
		const key = spendTraceId('expense', 'expense_split');
		expect(purchaseTraceId('expense', 'expense_split', 'expense_split')).toBe(key);
		expect(purchaseTraceId('cardTransaction', 'pste_1', 'expense_split')).toBe(key);
		expect(record(SPLIT).traceId).toBe(key);
		expect(record(SPLIT).recordTraceId).toBe(spendTraceId('accountingRecord', 'accr_split'));
		expect(purchaseTraceId('cardTransaction', 'pste_1', null)).toBe(
			spendTraceId('cardTransaction', 'pste_1'),
		);
		expect(record(SPLIT, { source_type: 'BILL', source_id: 'bill_1' }).traceId).toBe(
			spendTraceId('accountingRecord', 'accr_split'),
		);
		const expense = normaliseExpense({
			id: 'expense_split',
			billing_amount: { amount: 10050, currency: 'EUR' },
			purchased_at: '2026-11-01T10:00:00Z',
		});
		expect(expense.traceId).toBe(key);
	});

	it('reports a later record of a purchase as booked by the first, noting a different amount', () => {
		const first = {
			itemIndex: 0,
			status: 'posted' as const,
			amount: '100.50',
			recordId: 'expense_split',
		};
		expect(samePurchaseOutcome(first, { amount: '100.50', recordId: 'accr_split' })).toEqual({
			status: 'already_posted',
			reason: 'Booked by item 0 (expense_split), the same purchase',
		});
		expect(samePurchaseOutcome(first, { amount: '90.00', recordId: 'accr_split' }).reason).toMatch(
			/the amounts differ \(90.00 here, 100.50 booked\): the first record booked stands/,
		);
		expect(
			samePurchaseOutcome(
				{ ...first, status: 'failed', reason: 'X3 said no' },
				{ amount: '1', recordId: 'x' },
			),
		).toEqual({
			status: 'failed',
			reason: 'Not posted: item 0 (expense_split), the same purchase, was failed: X3 said no',
		});
	});

	it('finds an item X3 holds under one of its aliases (an entry an earlier version wrote) and posts nothing', async () => {
		const gateway = seededGateway();
		const item = posting(record(SPLIT));
		const legacy = spendTraceId('accountingRecord', 'accr_split');
		const [old] = planJournalEntries([{ ...item, traceId: legacy, lines: undefined }], OPTIONS);
		const saved = await gateway.saveJournalEntry(old.draft);
		const { outcomes } = await postEntries(
			gateway,
			planJournalEntries([{ ...item, aliasTraceIds: [legacy] }], OPTIONS),
			OPTIONS,
			1,
		);
		expect(outcomes.get(0)).toMatchObject({
			status: 'already_posted',
			documentNumber: saved.documentNumber,
		});
		expect(gateway.callCount('saveJournalEntry')).toBe(1);
	});
});

describe('reconciling a coded record', () => {
	it("counts its line items' lines for the purchase, so a record booked line by line matches", () => {
		const item = record(SPLIT);
		const [plan] = planJournalEntries([posting(item)], OPTIONS);
		const entry: PostedJournalEntry = {
			documentNumber: 'BRX0001',
			entryType: 'BRX',
			traceId: plan.traceId,
			accountingDate: item.accountingDate,
			currency: 'EUR',
			lineTraceIds: plan.draft.lines.map((line) => line.lineTraceId ?? '').filter(Boolean),
			lines: plan.draft.lines.map((line) => ({
				account: line.account,
				debit: line.debit ?? null,
				credit: line.credit ?? null,
				dimensions: line.dimensions,
				businessPartner: null,
				description: null,
				lineTraceId: line.lineTraceId ?? null,
			})),
		};
		const brexItem = { id: item.id, traceId: item.traceId, amount: item.amount, currency: 'EUR' };
		const coded = reconcile([{ ...brexItem, ...codedLineTraces(item, 20) }], [entry], {
			liabilityAccount: '467100',
		});
		expect(coded.counts).toMatchObject({ matched: 1, unknown_to_brex: 0, missing_in_x3: 0 });
		// Without its line traces the lines look unknown and the purchase unbooked.
		const blind = reconcile([brexItem], [entry], { liabilityAccount: '467100' });
		expect(blind.counts).toMatchObject({ matched: 0, unknown_to_brex: 3 });
	});
});
