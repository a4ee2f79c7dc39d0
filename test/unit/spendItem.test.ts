import type { IDataObject } from 'n8n-workflow';

import {
	EXPENSE_EXPAND,
	MEMO_MAX_LENGTH,
	SpendItemError,
	normaliseAccountingRecord,
	normaliseCardTransaction,
	normaliseExpense,
} from '../../nodes/brexApi/spendItem';
import { spendTraceId } from '../../nodes/common/traceId';

/** The fact sheet's expanded expense example (§2.6), shape per the Expenses API spec. */
function expense(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'expense_cl3khzfnr00000k92bdjtmmes',
		memo: 'Client lunch - Q3 kickoff',
		location_id: 'loc_abc',
		location: { id: 'loc_abc', name: 'Paris' },
		address: {
			line1: '1 Rue X',
			city: 'Paris',
			postal_code: '75001',
			country: 'FR',
			timezone: 'Europe/Paris',
		},
		department_id: 'dept_123',
		department: { id: 'dept_123', name: 'Sales' },
		updated_at: '2025-04-24T16:13:49.959Z',
		payment_posted_at: '2025-04-25T08:00:00Z',
		category: 'RESTAURANTS',
		merchant_id: 'mer_456',
		merchant: { raw_descriptor: 'LE BISTRO PARIS', mcc: '5812', country: 'FRA' },
		receipts: [
			{ id: 'rcpt_1', download_uris: ['https://s3.example/receipt.pdf?X-Amz-Signature=abc'] },
			{ id: 'rcpt_2', download_uris: null },
		],
		budget_id: 'bdgt_1',
		budget: { id: 'bdgt_1', name: 'Sales T&E' },
		expense_type: 'CARD',
		original_amount: { amount: 4550, currency: 'EUR' },
		billing_amount: { amount: 4912, currency: 'USD' },
		budget_amount: { amount: 4912, currency: 'USD' },
		purchased_amount: { amount: 4550, currency: 'EUR' },
		usd_equivalent_amount: { amount: 4912, currency: 'USD' },
		purchased_at: '2025-04-23T12:31:00Z',
		status: 'APPROVED',
		payment_status: 'CLEARED',
		user_id: 'cuuser_1',
		user: {
			id: 'cuuser_1',
			first_name: 'Ada',
			last_name: 'L',
			department_id: 'dept_123',
			location_id: 'loc_abc',
		},
		payment: {
			id: 'pay_1',
			paymentInstrument: { type: 'CARD', id: 'ncard_1' },
			statusReason: 'APPROVED',
		},
		custom_fields: [
			{
				key: 'project',
				value: {
					value_type: 'SINGLE_VALUE',
					data_type: 'OPTION_STRING',
					data: { option_id: 'p42', option_label: 'Project 42' },
				},
			},
			{ key: 'billable', value: { value_type: 'SINGLE_VALUE', data_type: 'BOOLEAN', data: true } },
			{ key: 'attendees', value: { value_type: 'SINGLE_VALUE', data_type: 'DECIMAL', data: 3 } },
			{
				key: 'tip',
				value: {
					value_type: 'SINGLE_VALUE',
					data_type: 'MONEY',
					data: { amount: 650, currency: 'EUR' },
				},
			},
			{ key: 'tags', value: { value_type: 'LIST', data_type: 'STRING', data: ['client', 'q3'] } },
			{ key: 'empty', value: { value_type: 'SINGLE_VALUE', data_type: 'STRING', data: null } },
		],
		trip_id: null,
		approved_at: '2025-04-24T10:00:00Z',
		dashboard_url: 'https://dashboard.brex.com/expenses/x',
		...overrides,
	};
}

/** The Transactions API example purchase ([TXX]) with the spec's required fields. */
function cardTransaction(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'pste_ckuwiblvv1tn101l3zvscxis8',
		card_id: 'ncard_ckrz3n9b9013i01h5hgdyz7jh',
		description: "Chili's",
		amount: { amount: 12900, currency: 'USD' },
		initiated_at_date: '2021-10-16',
		posted_at_date: '2021-10-18',
		type: 'PURCHASE',
		merchant: { raw_descriptor: "CHILI'S #123 AUSTIN TX", mcc: '5812', country: 'USA' },
		card_metadata: {},
		expense_id: 'expense_ckuwiblw01tn201l3x0l8x9p1',
		...overrides,
	};
}

/** The Accounting API spec example (AccountingRecordDetailed), with a credit line added. */
function accountingRecord(overrides: IDataObject = {}): IDataObject {
	return {
		id: 'accr_abc123',
		amount: { amount: 100.5, currency: 'USD' },
		original_amount: { amount: 100.5, currency: 'USD' },
		type: 'CARD_EXPENSE_POST',
		review_status: 'READY_FOR_EXPORT',
		source_id: 'exp_xyz789',
		source_type: 'CARD',
		erp_posting_date: '2025-04-24T16:13:49.959513Z',
		posted_at: '2025-04-23T16:13:49.959513Z',
		updated_at: '2025-04-24T16:13:49.959513Z',
		version: 1,
		receipts: [{ id: 'receipt_123', download_uris: ['https://example.com/receipt_123.pdf'] }],
		user: {
			id: 'cuuser_1234',
			first_name: 'John',
			last_name: 'Doe',
			email: 'john.doe@example.com',
			role: 'EMPLOYEE',
			status: 'ACTIVE',
			department_id: 'dept_eng',
			department_name: 'Engineering',
			location_id: 'loc_sf',
			location_name: 'San Francisco',
		},
		vendor: null,
		memo: 'Business lunch with client',
		line_items: [
			{
				id: 'arli_abc123',
				type: 'DEBIT',
				amount: { amount: 100.5, currency: 'USD' },
				memo: 'Office supplies',
				accounting_field_values: [
					{
						brex_field_id: 'ef_123',
						remote_field_id: 'GL',
						brex_field_value_id: 'efo_123',
						remote_field_value_id: '606400',
					},
					{
						brex_field_id: 'ef_456',
						remote_field_id: null,
						brex_field_value_id: 'efo_456',
						remote_field_value_id: null,
					},
				],
			},
			{
				id: 'arli_credit',
				type: 'CREDIT',
				amount: { amount: 100.5, currency: 'USD' },
				accounting_field_values: [
					{
						brex_field_id: 'ef_123',
						remote_field_id: 'GL',
						brex_field_value_id: 'efo_card',
						remote_field_value_id: '467100',
					},
				],
			},
		],
		...overrides,
	};
}

describe('normaliseExpense', () => {
	it('maps the expanded example expense', () => {
		const raw = expense();
		const item = normaliseExpense(raw);
		expect(item).toEqual({
			id: 'expense_cl3khzfnr00000k92bdjtmmes',
			recordKind: 'expense',
			traceId: spendTraceId('expense', 'expense_cl3khzfnr00000k92bdjtmmes', 20),
			recordTraceId: spendTraceId('expense', 'expense_cl3khzfnr00000k92bdjtmmes', 20),
			amount: '49.12',
			currency: 'USD',
			isRefund: false,
			originalAmount: { amount: '45.50', currency: 'EUR' },
			accountingDate: '2025-04-25',
			purchasedAt: '2025-04-23T12:31:00Z',
			postedAt: '2025-04-25T08:00:00Z',
			updatedAt: '2025-04-24T16:13:49.959Z',
			merchant: { name: 'LE BISTRO PARIS', mcc: '5812', country: 'FRA' },
			vendorName: 'LE BISTRO PARIS',
			category: 'RESTAURANTS',
			department: { id: 'dept_123', name: 'Sales' },
			location: { id: 'loc_abc', name: 'Paris' },
			user: { id: 'cuuser_1', name: 'Ada L', email: null },
			budget: { id: 'bdgt_1', name: 'Sales T&E' },
			memo: 'Client lunch - Q3 kickoff',
			receiptUrls: ['https://s3.example/receipt.pdf?X-Amz-Signature=abc'],
			customFields: {
				project: 'Project 42',
				billable: 'true',
				attendees: '3',
				tip: '6.50 EUR',
				tags: 'client, q3',
			},
			customFieldOptionIds: { project: ['p42'] },
			lines: [],
			status: 'APPROVED',
			paymentStatus: 'CLEARED',
			expenseType: 'CARD',
			readiness: { ready: true, reason: null },
			raw,
		});
		expect(item.raw).toBe(raw);
		expect(item.traceId).toHaveLength(20);
	});

	it('honours traceIdLength', () => {
		expect(normaliseExpense(expense(), { traceIdLength: 25 }).traceId).toBe(
			spendTraceId('expense', 'expense_cl3khzfnr00000k92bdjtmmes', 25),
		);
	});

	it('requests exactly the expands the normaliser reads', () => {
		expect(EXPENSE_EXPAND).toEqual([
			'merchant',
			'department',
			'location',
			'user',
			'budget',
			'receipts.download_uris',
		]);
	});

	it.each<[string, IDataObject, Partial<Record<string, unknown>>]>([
		[
			'a refund (negative billing amount) is negative with isRefund, original amount negative too',
			{
				billing_amount: { amount: -4912, currency: 'USD' },
				original_amount: { amount: -4550, currency: 'EUR' },
			},
			{ amount: '-49.12', isRefund: true, originalAmount: { amount: '-45.50', currency: 'EUR' } },
		],
		[
			'JPY has no decimals (never /100)',
			{ billing_amount: { amount: 5000, currency: 'JPY' }, original_amount: null },
			{ amount: '5000', currency: 'JPY', originalAmount: null },
		],
		[
			'KWD has three decimals',
			{
				billing_amount: { amount: 12345, currency: 'KWD' },
				original_amount: { amount: 12345, currency: 'KWD' },
			},
			{ amount: '12.345', currency: 'KWD', originalAmount: null },
		],
		[
			'a missing currency is USD (the Money schema default)',
			{ billing_amount: { amount: 700 }, original_amount: null },
			{ amount: '7.00', currency: 'USD' },
		],
		[
			'without payment_posted_at the accounting date is the purchase date',
			{ payment_posted_at: null },
			{ accountingDate: '2025-04-23', postedAt: null },
		],
		[
			'a timestamp with an offset keeps the date as written',
			{ payment_posted_at: '2025-04-25T23:30:00-07:00' },
			{ accountingDate: '2025-04-25' },
		],
		[
			'unexpanded: only ids, no merchant (vendorName null), still valid',
			{
				merchant: null,
				department: null,
				location: null,
				user: null,
				budget: null,
				receipts: [{ id: 'rcpt_1' }],
			},
			{
				vendorName: null,
				merchant: { name: null, mcc: null, country: null },
				department: { id: 'dept_123', name: null },
				location: { id: 'loc_abc', name: null },
				user: { id: 'cuuser_1', name: null, email: null },
				budget: { id: 'bdgt_1', name: null },
				receiptUrls: [],
			},
		],
		[
			'an unknown department (id Brex did not expand) stays an id without name',
			{ department_id: 'dept_unknown', department: null },
			{ department: { id: 'dept_unknown', name: null } },
		],
		[
			'a Brex vendor name wins over the merchant descriptor',
			{ vendor: { id: 'pdcont_1', name: 'Le Bistro SAS' } },
			{
				vendorName: 'Le Bistro SAS',
				merchant: { name: 'LE BISTRO PARIS', mcc: '5812', country: 'FRA' },
			},
		],
		[
			'a huge memo is cut to MEMO_MAX_LENGTH with an ellipsis',
			{ memo: 'x'.repeat(100_000) },
			{ memo: 'x'.repeat(MEMO_MAX_LENGTH - 1) + '…' },
		],
		['a blank memo is null', { memo: '   ' }, { memo: null }],
		['no custom_fields (load_custom_fields off)', { custom_fields: null }, { customFields: {} }],
		[
			'minor units sent as an integer string',
			{ billing_amount: { amount: '4912', currency: 'usd' } },
			{ amount: '49.12', currency: 'USD' },
		],
	])('%s', (_title, overrides, expected) => {
		expect(normaliseExpense(expense(overrides))).toMatchObject(expected);
	});
});

describe('normaliseCardTransaction', () => {
	it('maps the example purchase', () => {
		const raw = cardTransaction();
		expect(normaliseCardTransaction(raw)).toEqual({
			id: 'pste_ckuwiblvv1tn101l3zvscxis8',
			recordKind: 'cardTransaction',
			// It names its expense (expense_id): the purchase's trace id is the expense's.
			traceId: spendTraceId('expense', 'expense_ckuwiblw01tn201l3x0l8x9p1', 20),
			recordTraceId: spendTraceId('cardTransaction', 'pste_ckuwiblvv1tn101l3zvscxis8', 20),
			amount: '129.00',
			currency: 'USD',
			isRefund: false,
			originalAmount: null,
			accountingDate: '2021-10-18',
			purchasedAt: '2021-10-16',
			postedAt: '2021-10-18',
			updatedAt: null,
			merchant: { name: "CHILI'S #123 AUSTIN TX", mcc: '5812', country: 'USA' },
			vendorName: "CHILI'S #123 AUSTIN TX",
			category: null,
			department: null,
			location: null,
			user: null,
			budget: null,
			memo: "Chili's",
			receiptUrls: [],
			customFields: {},
			customFieldOptionIds: {},
			lines: [],
			status: null,
			paymentStatus: null,
			expenseType: null,
			readiness: { ready: true, reason: null },
			raw,
		});
	});

	it.each<[string, IDataObject, Partial<Record<string, unknown>>]>([
		[
			'a REFUND is negative',
			{ type: 'REFUND', amount: { amount: -12900, currency: 'USD' } },
			{ amount: '-129.00', isRefund: true },
		],
		[
			'a REFUND sent with a positive amount is still money back',
			{ type: 'REFUND', amount: { amount: 12900, currency: 'USD' } },
			{ amount: '-129.00', isRefund: true },
		],
		[
			'a CHARGEBACK is a refund',
			{ type: 'CHARGEBACK', amount: { amount: -500, currency: 'USD' } },
			{ amount: '-5.00', isRefund: true },
		],
		[
			'without a type, the sign decides',
			{ type: null, amount: { amount: -100, currency: 'USD' } },
			{ amount: '-1.00', isRefund: true },
		],
		[
			'without merchant the description is the vendor name',
			{ merchant: null },
			{ vendorName: "Chili's", merchant: { name: "Chili's", mcc: null, country: null } },
		],
		[
			'without posted date the initiated date is the accounting date',
			{ posted_at_date: null },
			{ accountingDate: '2021-10-16', postedAt: null },
		],
		[
			'a BNPL fee is spend',
			{ type: 'BNPL_FEE', amount: { amount: 250, currency: 'USD' } },
			{ amount: '2.50', isRefund: false },
		],
	])('%s', (_title, overrides, expected) => {
		expect(normaliseCardTransaction(cardTransaction(overrides))).toMatchObject(expected);
	});
});

/** The card liability side of the spec example, as the spend item keeps it. */
const LIABILITY_LINE = {
	id: 'arli_credit',
	side: 'balancing',
	amount: '-100.50',
	memo: null,
	codings: [
		{
			brexFieldId: 'ef_123',
			remoteFieldId: 'GL',
			brexValueId: 'efo_card',
			remoteValueId: '467100',
		},
	],
};

describe('normaliseAccountingRecord', () => {
	it('maps the spec example', () => {
		const raw = accountingRecord();
		expect(normaliseAccountingRecord(raw)).toEqual({
			id: 'accr_abc123',
			recordKind: 'accountingRecord',
			// Derived from expense exp_xyz789 (source_id): the purchase's trace id, shared with that expense.
			traceId: spendTraceId('expense', 'exp_xyz789', 20),
			recordTraceId: spendTraceId('accountingRecord', 'accr_abc123', 20),
			amount: '100.50',
			currency: 'USD',
			isRefund: false,
			originalAmount: null,
			accountingDate: '2025-04-24',
			purchasedAt: null,
			postedAt: '2025-04-24T16:13:49.959513Z',
			updatedAt: '2025-04-24T16:13:49.959513Z',
			merchant: { name: null, mcc: null, country: null },
			vendorName: null,
			category: null,
			department: { id: 'dept_eng', name: 'Engineering' },
			location: { id: 'loc_sf', name: 'San Francisco' },
			user: { id: 'cuuser_1234', name: 'John Doe', email: 'john.doe@example.com' },
			budget: null,
			memo: 'Business lunch with client',
			receiptUrls: ['https://example.com/receipt_123.pdf'],
			customFields: { GL: '606400', ef_456: 'efo_456' },
			customFieldOptionIds: {},
			lines: [
				{
					id: 'arli_abc123',
					side: 'expense',
					amount: '100.50',
					memo: 'Office supplies',
					codings: [
						{
							brexFieldId: 'ef_123',
							remoteFieldId: 'GL',
							brexValueId: 'efo_123',
							remoteValueId: '606400',
						},
						{
							brexFieldId: 'ef_456',
							remoteFieldId: null,
							brexValueId: 'efo_456',
							remoteValueId: null,
						},
					],
				},
				LIABILITY_LINE,
			],
			status: 'READY_FOR_EXPORT',
			paymentStatus: null,
			expenseType: 'CARD',
			readiness: { ready: true, reason: null },
			raw,
		});
	});

	it("keeps a refund's credit lines as its expense side (negative), not the card liability", () => {
		const spend = accountingRecord();
		const lines = spend.line_items as IDataObject[];
		// A refund as Brex sends it: the sides swapped, amounts still positive.
		const refund = normaliseAccountingRecord(
			accountingRecord({
				type: 'CARD_EXPENSE_REFUND',
				line_items: [
					{ ...lines[0], type: 'CREDIT' },
					{ ...lines[1], type: 'DEBIT' },
				],
			}),
		);
		expect(refund.lines.map((line) => [line.id, line.side, line.amount])).toEqual([
			['arli_abc123', 'expense', '-100.50'],
			['arli_credit', 'balancing', '100.50'],
		]);
		expect(refund.customFields).toEqual(normaliseAccountingRecord(spend).customFields);
	});

	it('keeps each line of a split record with its own amount and coding; nothing is joined', () => {
		const coded = (id: string, type: string, amount: number, gl: string, dep: string | null) => ({
			id,
			type,
			amount: { amount, currency: 'USD' },
			accounting_field_values: [
				{
					brex_field_id: 'ef_gl',
					remote_field_id: 'GL',
					brex_field_value_id: `efo_${gl}`,
					remote_field_value_id: gl,
				},
				...(dep
					? [
							{
								brex_field_id: 'ef_dep',
								remote_field_id: 'DEP',
								brex_field_value_id: `efo_${dep}`,
								remote_field_value_id: dep,
							},
						]
					: []),
			],
		});
		const item = normaliseAccountingRecord(
			accountingRecord({
				line_items: [
					coded('arli_1', 'DEBIT', 70.35, '606400', 'ENG'),
					coded('arli_2', 'DEBIT', 30.15, '606100', 'ENG'),
					coded('arli_3', 'CREDIT', 100.5, '467100', null),
				],
			}),
		);
		expect(item.lines.map((line) => [line.id, line.side, line.amount])).toEqual([
			['arli_1', 'expense', '70.35'],
			['arli_2', 'expense', '30.15'],
			['arli_3', 'balancing', '-100.50'],
		]);
		expect(item.lines[1].codings[0].remoteValueId).toBe('606100');
		// Only what every expense line shares is a custom field: no "606400, 606100" text.
		expect(item.customFields).toEqual({ DEP: 'ENG' });
	});

	it.each<[string, IDataObject[], RegExp]>([
		[
			'expense lines that do not add up to the record amount',
			[{ id: 'arli_1', type: 'DEBIT', amount: { amount: 90, currency: 'USD' } }],
			/expense lines add up to 90.00, the record amount is 100.50/,
		],
		[
			'lines that do not balance',
			[
				{ id: 'arli_1', type: 'DEBIT', amount: { amount: 100.5, currency: 'USD' } },
				{ id: 'arli_2', type: 'CREDIT', amount: { amount: 99, currency: 'USD' } },
			],
			/do not balance/,
		],
		[
			'a line without id',
			[{ type: 'DEBIT', amount: { amount: 100.5, currency: 'USD' } }],
			/has no id/,
		],
		[
			'a line in another currency',
			[{ id: 'arli_1', type: 'DEBIT', amount: { amount: 100.5, currency: 'EUR' } }],
			/arli_1 is in EUR/,
		],
	])('refuses a record with %s', (_title, lineItems, reason) => {
		expect(() => normaliseAccountingRecord(accountingRecord({ line_items: lineItems }))).toThrow(
			reason,
		);
	});

	it('gives a derived record the trace id of its expense, a BILL record its own', () => {
		const expenseTrace = normaliseExpense(expense({ id: 'exp_xyz789' })).traceId;
		expect(normaliseAccountingRecord(accountingRecord()).traceId).toBe(expenseTrace);
		expect(
			normaliseAccountingRecord(accountingRecord({ source_type: 'REIMBURSEMENT' })).traceId,
		).toBe(expenseTrace);
		const bill = normaliseAccountingRecord(
			accountingRecord({ source_type: 'BILL', source_id: 'bill_1' }),
		);
		expect(bill.traceId).toBe(bill.recordTraceId);
		expect(normaliseCardTransaction(cardTransaction({ expense_id: 'exp_xyz789' })).traceId).toBe(
			expenseTrace,
		);
	});

	it('says whether a record in review is ready for the ledger', () => {
		expect(
			normaliseAccountingRecord(accountingRecord({ review_status: 'REVIEW' })).readiness,
		).toEqual({
			ready: false,
			reason: expect.stringMatching(/review status is REVIEW; posted when READY_FOR_EXPORT/),
		});
	});

	it.each<[string, IDataObject, Partial<Record<string, unknown>>]>([
		[
			'CARD_EXPENSE_REFUND is negative',
			{ type: 'CARD_EXPENSE_REFUND' },
			{ amount: '-100.50', isRefund: true },
		],
		[
			'CARD_EXPENSE_REPAYMENT reverses spend',
			{ type: 'CARD_EXPENSE_REPAYMENT', amount: { amount: 20, currency: 'USD' }, line_items: null },
			{ amount: '-20.00', isRefund: true },
		],
		[
			'an integer amount gets the currency decimals',
			{ amount: { amount: 100, currency: 'USD' }, line_items: null },
			{ amount: '100.00' },
		],
		[
			'float noise is removed, not rounded silently',
			{ amount: { amount: 0.1 + 0.2, currency: 'USD' }, line_items: null },
			{ amount: '0.30' },
		],
		[
			'foreign original amount is kept',
			{ original_amount: { amount: 92.3, currency: 'EUR' } },
			{ originalAmount: { amount: '92.30', currency: 'EUR' } },
		],
		[
			'a bill vendor names the supplier',
			{ type: 'BILL_EXPENSE', source_type: 'BILL', vendor: { id: 'v1', name: 'Acme Corp' } },
			{ vendorName: 'Acme Corp' },
		],
		[
			'without erp_posting_date the posted_at date is used',
			{ erp_posting_date: null },
			{ accountingDate: '2025-04-23' },
		],
		[
			'without record memo the first line memo is used',
			{ memo: null },
			{ memo: 'Office supplies' },
		],
		[
			'without user there is no department or location',
			{ user: null },
			{ user: null, department: null, location: null },
		],
	])('%s', (_title, overrides, expected) => {
		expect(normaliseAccountingRecord(accountingRecord(overrides))).toMatchObject(expected);
	});
});

type Normaliser = (raw: IDataObject) => unknown;
const byKind: Record<string, [Normaliser, (o: IDataObject) => IDataObject]> = {
	expense: [normaliseExpense, expense],
	cardTransaction: [normaliseCardTransaction, cardTransaction],
	accountingRecord: [normaliseAccountingRecord, accountingRecord],
};

describe('malformed records throw SpendItemError with the reason', () => {
	it.each<[string, string, IDataObject, string | null, RegExp]>([
		// [why it is malformed, kind, overrides, expected recordId, expected reason]
		['no id: nothing to trace or dedupe on', 'expense', { id: undefined }, null, /has no id/],
		[
			'numeric id: ids are opaque strings, a number means a broken payload',
			'expense',
			{ id: 12345 },
			null,
			/id is a number/,
		],
		['empty id', 'cardTransaction', { id: '  ' }, null, /id is empty/],
		[
			'no billing amount: nothing to post in company currency',
			'expense',
			{ billing_amount: null },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/no billing_amount/,
		],
		[
			'zero amount: nothing to post',
			'expense',
			{ billing_amount: { amount: 0, currency: 'USD' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/is zero/,
		],
		[
			'unknown currency',
			'expense',
			{ billing_amount: { amount: 100, currency: 'XYZ' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/"XYZ" is not a known ISO 4217/,
		],
		[
			'fractional minor units: Brex sends whole minor units',
			'expense',
			{ billing_amount: { amount: 49.12, currency: 'USD' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/not a whole number of minor units/,
		],
		[
			'amount as an object',
			'expense',
			{ billing_amount: { amount: { value: 1 }, currency: 'USD' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/amount is a object/,
		],
		[
			'no dates at all: no accounting date',
			'expense',
			{ payment_posted_at: null, purchased_at: null },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/neither payment_posted_at nor purchased_at/,
		],
		[
			'unreadable date',
			'expense',
			{ purchased_at: 'yesterday' },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/purchased_at "yesterday" is not an RFC 3339/,
		],
		[
			'impossible calendar date',
			'expense',
			{ payment_posted_at: '2025-02-30T10:00:00Z' },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/not a real calendar date/,
		],
		[
			'bad unknown currency in original amount',
			'expense',
			{ original_amount: { amount: 1, currency: 'EURO' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/original_amount.currency "EURO"/,
		],
		[
			'custom_fields not a list',
			'expense',
			{ custom_fields: { project: 'x' } },
			'expense_cl3khzfnr00000k92bdjtmmes',
			/custom_fields is not a list/,
		],
		[
			'negative PURCHASE: only refunds may be negative',
			'cardTransaction',
			{ amount: { amount: -100, currency: 'USD' } },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/PURCHASE has a negative amount/,
		],
		[
			'COLLECTION is a card bill payment, not spend',
			'cardTransaction',
			{ type: 'COLLECTION', amount: { amount: -63600, currency: 'USD' } },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/type COLLECTION is not card spend/,
		],
		[
			'unknown future type is refused rather than guessed',
			'cardTransaction',
			{ type: 'CRYPTO_CASHBACK' },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/CRYPTO_CASHBACK is not card spend/,
		],
		[
			'missing amount',
			'cardTransaction',
			{ amount: undefined },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/amount is missing or not an object/,
		],
		[
			'posted date not YYYY-MM-DD',
			'cardTransaction',
			{ posted_at_date: '18/10/2021' },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/not a YYYY-MM-DD date/,
		],
		[
			'no dates on a transaction',
			'cardTransaction',
			{ posted_at_date: null, initiated_at_date: null },
			'pste_ckuwiblvv1tn101l3zvscxis8',
			/neither posted_at_date nor initiated_at_date/,
		],
		[
			'accounting amount with more decimals than the currency has',
			'accountingRecord',
			{ amount: { amount: 10.555, currency: 'USD' } },
			'accr_abc123',
			/more than 2 decimals/,
		],
		[
			'accounting amount without currency',
			'accountingRecord',
			{ amount: { amount: 10 } },
			'accr_abc123',
			/currency is missing/,
		],
		[
			'negative CARD_EXPENSE_POST',
			'accountingRecord',
			{ amount: { amount: -5, currency: 'USD' } },
			'accr_abc123',
			/CARD_EXPENSE_POST has a negative amount/,
		],
		[
			'CARD_PAYMENT is a money movement, not spend',
			'accountingRecord',
			{ type: 'CARD_PAYMENT' },
			'accr_abc123',
			/CARD_PAYMENT is not spend/,
		],
		[
			'accounting record without type',
			'accountingRecord',
			{ type: null },
			'accr_abc123',
			/has no type/,
		],
		[
			'accounting amount as text that is not a number',
			'accountingRecord',
			{ amount: { amount: '12,50', currency: 'EUR' } },
			'accr_abc123',
			/not a decimal number/,
		],
	])('%s (%s)', (_why, kind, overrides, recordId, reason) => {
		const [normalise, build] = byKind[kind];
		const raw = build(overrides);
		for (const key of Object.keys(overrides)) if (overrides[key] === undefined) delete raw[key];
		let thrown: unknown;
		try {
			normalise(raw);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(SpendItemError);
		const error = thrown as SpendItemError;
		expect(error.recordId).toBe(recordId);
		expect(error.reason).toMatch(reason);
		expect(error.message).toContain(error.reason);
	});

	it.each([null, [], 'expense_1', 42])('refuses a record that is not an object: %p', (raw) => {
		expect(() => normaliseExpense(raw as unknown as IDataObject)).toThrow(SpendItemError);
	});
});
