import type { IDataObject } from 'n8n-workflow';

import { currencyDecimals, decimalToMinor, formatMinor } from '../common/money';
import type { SpendItem, SpendLine, SpendRecordKind } from '../common/spendItemTypes';
import { spendReadiness } from '../common/spendReadiness';
import { purchaseTraceId, spendTraceId } from '../common/traceId';
import {
	MEMO_MAX_LENGTH,
	SpendItemError,
	accountingLines,
	asObject,
	expenseCustomFieldOptionIds,
	expenseCustomFields,
	memo,
	namedRef,
	openRecord,
	pickAccountingDate,
	readDate,
	readMerchant,
	readMoney,
	readOriginal,
	readTimestamp,
	receiptUrls,
	text,
	userRef,
} from './recordFields';

// The normalisers' errors and memo limit are defined beside the field readers; exported from here as before.
export { MEMO_MAX_LENGTH, SpendItemError };

/**
 * Normalisers from the three Brex record shapes to the one SpendItem the Sage X3 side consumes
 * (Brex fact sheet §9, test/fixtures/reference/brex-api.md). Rules, in short:
 * - Amounts: Expenses/Transactions send integer minor units (converted with the currency's ISO 4217
 *   decimals, never /100); the Accounting API sends decimal major units. A missing Money currency is USD
 *   (the Money schema's declared default); an unknown code is an error.
 * - Sign: positive = spend, negative = refund. Zero is never posted and is an error.
 * - accountingDate: the posting date, else the purchase date, as the calendar date written in the
 *   timestamp (Brex writes UTC). A record with neither is an error.
 * - vendorName: Brex vendor name when the record has a vendor, else the merchant descriptor, else null.
 *   A record without merchant is still valid (vendorName null): the X3 side picks its fallback supplier.
 * - department/location/user/budget: the expanded object when present, else just the id with a null name
 *   (an unexpanded or unknown department is not an error: mapping rules can key on the id).
 * - memo: kept verbatim up to MEMO_MAX_LENGTH characters, then cut with an ellipsis.
 * Malformed records throw SpendItemError with the record id (when readable) and the reason.
 */
export interface NormaliseOptions {
	/** Width of the X3 field that carries the trace id (default 20, BPRVCR). */
	traceIdLength?: number;
}

/** The expand[] values the package requests for expenses: enough for GL coding, no more (payloads get big). */
export const EXPENSE_EXPAND: string[] = [
	'merchant',
	'department',
	'location',
	'user',
	'budget',
	'receipts.download_uris',
];

/** Card transaction types that are merchant spend (amount must be positive). */
export const CARD_SPEND_TYPES = ['PURCHASE', 'BNPL_FEE'];

/** Card transaction types that give spend back (amount negative; a positive one is negated). */
export const CARD_REFUND_TYPES = ['REFUND', 'CHARGEBACK'];

/** Accounting record types that recognise spend. */
export const ACCOUNTING_SPEND_TYPES = [
	'CARD_EXPENSE_POST',
	'REIMBURSEMENT_EXPENSE_POST',
	'BILL_EXPENSE',
];

/** Accounting record types that reverse spend: merchant refunds and employee repayments. */
export const ACCOUNTING_REFUND_TYPES = [
	'CARD_EXPENSE_REFUND',
	'CARD_EXPENSE_REPAYMENT',
	'REIMBURSEMENT_EXPENSE_REPAYMENT',
];

/**
 * The expand[] values the package requests for card transactions: expense_id links a transaction to its expense,
 * so both carry the purchase's trace id (one entry per purchase); Brex fills it only when asked.
 */
export const CARD_TRANSACTION_EXPAND: string[] = ['expense_id'];

/** A /v1/expenses record (with or without expand[]). */
export function normaliseExpense(raw: IDataObject, options: NormaliseOptions = {}): SpendItem {
	const { record, id, fail } = openRecord(raw);

	const billing = record.billing_amount;
	if (billing === undefined || billing === null) {
		fail(
			'it has no billing_amount (the amount in the company currency), so there is nothing to post yet',
		);
	}
	const money = readMoney(billing, 'billing_amount', 'minor', fail);
	const isRefund = money.sign < 0;
	const original = readOriginal(record.original_amount, money.currency, isRefund, 'minor', fail);

	const purchasedAt = readTimestamp(record.purchased_at, 'purchased_at', fail);
	const postedAt = readTimestamp(record.payment_posted_at, 'payment_posted_at', fail);
	const updatedAt = readTimestamp(record.updated_at, 'updated_at', fail);
	const accountingDate = pickAccountingDate(
		[postedAt, 'payment_posted_at'],
		[purchasedAt, 'purchased_at'],
		fail,
	);

	const merchant = readMerchant(record.merchant);
	const vendor = asObject(record.vendor);
	const user = asObject(record.user);
	return spendItem('expense', id, raw, options, id, {
		amount: money.amount,
		currency: money.currency,
		isRefund,
		originalAmount: original,
		accountingDate,
		purchasedAt,
		postedAt,
		updatedAt,
		merchant,
		vendorName: text(vendor?.name) ?? text(vendor?.company_name) ?? merchant.name,
		category: text(record.category),
		department: namedRef(record.department, record.department_id),
		location: namedRef(record.location, record.location_id),
		user: userRef(user, record.user_id, null),
		budget: namedRef(record.budget, record.budget_id),
		memo: memo(record.memo),
		receiptUrls: receiptUrls(record.receipts),
		customFields: expenseCustomFields(record.custom_fields, fail),
		customFieldOptionIds: expenseCustomFieldOptionIds(record.custom_fields),
		status: text(record.status),
		paymentStatus: text(record.payment_status),
		expenseType: text(record.expense_type),
	});
}

/** A /v2/transactions/card/primary record. */
export function normaliseCardTransaction(
	raw: IDataObject,
	options: NormaliseOptions = {},
): SpendItem {
	const { record, id, fail } = openRecord(raw);

	const type = record.type === undefined || record.type === null ? null : text(record.type);
	if (record.type !== undefined && record.type !== null && type === null)
		fail('its type is not a string');
	const money = readMoney(record.amount, 'amount', 'minor', fail);
	let isRefund: boolean;
	let amount = money.amount;
	if (type === null) {
		isRefund = money.sign < 0;
	} else if (CARD_SPEND_TYPES.includes(type)) {
		if (money.sign < 0)
			fail(`a ${type} has a negative amount (${money.amount}); only refunds may be negative`);
		isRefund = false;
	} else if (CARD_REFUND_TYPES.includes(type)) {
		isRefund = true;
		if (money.sign > 0) amount = `-${money.amount}`;
	} else {
		return fail(
			`transaction type ${type} is not card spend (spend: ${CARD_SPEND_TYPES.join(', ')}; refunds: ` +
				`${CARD_REFUND_TYPES.join(', ')}); card payments and rewards credits are posted another way`,
		);
	}

	const postedAt = readDate(record.posted_at_date, 'posted_at_date', fail);
	const purchasedAt = readDate(record.initiated_at_date, 'initiated_at_date', fail);
	const accountingDate = pickAccountingDate(
		[postedAt, 'posted_at_date'],
		[purchasedAt, 'initiated_at_date'],
		fail,
	);
	const description = text(record.description);
	const merchant = readMerchant(record.merchant);
	if (merchant.name === null) merchant.name = description;
	// The expense it belongs to (only when read with expand[]=expense_id): then it shares the expense's trace id.
	return spendItem('cardTransaction', id, raw, options, text(record.expense_id), {
		amount,
		currency: money.currency,
		isRefund,
		accountingDate,
		purchasedAt,
		postedAt,
		merchant,
		vendorName: merchant.name,
		memo: memo(record.description),
	});
}

/** A /v3/accounting/records record (Accounting API, amounts in decimal major units). */
export function normaliseAccountingRecord(
	raw: IDataObject,
	options: NormaliseOptions = {},
): SpendItem {
	const { record, id, fail } = openRecord(raw);

	const type = text(record.type);
	if (type === null) fail('it has no type');
	const recordType = type as string;
	const isSpend = ACCOUNTING_SPEND_TYPES.includes(recordType);
	const isRefund = ACCOUNTING_REFUND_TYPES.includes(recordType);
	if (!isSpend && !isRefund) {
		fail(
			`accounting record type ${recordType} is not spend (spend: ${ACCOUNTING_SPEND_TYPES.join(', ')}; ` +
				`refunds: ${ACCOUNTING_REFUND_TYPES.join(', ')}); payments and money movements are posted another way`,
		);
	}
	const money = readMoney(record.amount, 'amount', 'decimal', fail);
	if (isSpend && money.sign < 0) {
		fail(
			`a ${recordType} has a negative amount (${money.amount}); only refund types may be negative`,
		);
	}
	const amount = isRefund && money.sign > 0 ? `-${money.amount}` : money.amount;
	const original = readOriginal(record.original_amount, money.currency, isRefund, 'decimal', fail);

	const erpPostingDate = readTimestamp(record.erp_posting_date, 'erp_posting_date', fail);
	const postedAt = readTimestamp(record.posted_at, 'posted_at', fail);
	const updatedAt = readTimestamp(record.updated_at, 'updated_at', fail);
	const accountingDate = pickAccountingDate(
		[erpPostingDate, 'erp_posting_date'],
		[postedAt, 'posted_at'],
		fail,
	);

	const user = asObject(record.user);
	const vendor = asObject(record.vendor);
	const merchant = readMerchant(record.merchant);
	const { lines, sharedCodings } = accountingLines(
		record.line_items,
		money.currency,
		isRefund,
		fail,
	);
	checkLinesBalance(lines, amount, money.currency, fail);
	const firstLineMemo = lines.map((line) => line.memo).find((m) => m !== null);
	const sourceType = text(record.source_type);
	// CARD and REIMBURSEMENT records come from an expense (source_id): they share its purchase trace id.
	const expenseId =
		sourceType === 'CARD' || sourceType === 'REIMBURSEMENT' ? text(record.source_id) : null;
	return spendItem('accountingRecord', id, raw, options, expenseId, {
		amount,
		currency: money.currency,
		isRefund,
		originalAmount: original,
		accountingDate,
		postedAt: erpPostingDate ?? postedAt,
		updatedAt,
		merchant,
		vendorName: text(vendor?.name) ?? merchant.name,
		department: user ? namedRef(null, user.department_id, user.department_name) : null,
		location: user ? namedRef(null, user.location_id, user.location_name) : null,
		user: userRef(user, null, text(user?.email)),
		memo: memo(record.memo) ?? memo(firstLineMemo),
		receiptUrls: receiptUrls(record.receipts),
		customFields: sharedCodings,
		lines,
		status: text(record.review_status),
		expenseType: sourceType,
	});
}

/**
 * Routing fields of a record that could not be normalised: its kind and its statuses (review status for
 * accounting records), read leniently from the raw record (null when absent or not text). With them a
 * workflow tells a record that should have been posted (malformed: a failure to fix and replay) from one
 * that is not ready for the ledger anyway.
 */
export function unusableRecordFields(kind: SpendRecordKind, raw: unknown): IDataObject {
	const record = asObject(raw);
	return {
		recordKind: kind,
		status: text(kind === 'accountingRecord' ? record?.review_status : record?.status),
		paymentStatus: kind === 'expense' ? text(record?.payment_status) : null,
	};
}

/**
 * A record's lines balance (debits = credits) and its expense side adds up to the record amount; a record that
 * does not cannot be booked as coded. Records without lines (single-entry exports) are checked nowhere here.
 */
function checkLinesBalance(
	lines: SpendLine[],
	amount: string,
	currency: string,
	fail: (reason: string) => never,
): void {
	if (lines.length === 0) return;
	const minor = (value: string) => decimalToMinor(value, currency);
	const expense = lines.filter((line) => line.side === 'expense');
	const expenseSum = expense.reduce((sum, line) => sum + minor(line.amount), 0n);
	if (expense.length === 0) fail('its line items have no expense side (no debit of spend)');
	if (expenseSum !== minor(amount)) {
		fail(
			`its expense lines add up to ${formatMinor(expenseSum, currencyDecimals(currency))}, the record amount is ${amount}`,
		);
	}
	const balancing = lines.filter((line) => line.side === 'balancing');
	const balancingSum = balancing.reduce((sum, line) => sum + minor(line.amount), 0n);
	if (balancing.length > 0 && balancingSum !== -expenseSum) {
		fail('its line items do not balance (debits differ from credits)');
	}
}

/** What every record gives; the rest is null (or empty) where a record kind does not carry it. */
type RecordFields = Pick<
	SpendItem,
	'amount' | 'currency' | 'isRefund' | 'accountingDate' | 'merchant' | 'vendorName'
> &
	Partial<
		Pick<
			SpendItem,
			| 'lines'
			| 'originalAmount'
			| 'purchasedAt'
			| 'postedAt'
			| 'updatedAt'
			| 'category'
			| 'department'
			| 'location'
			| 'user'
			| 'budget'
			| 'memo'
			| 'receiptUrls'
			| 'customFields'
			| 'customFieldOptionIds'
			| 'status'
			| 'paymentStatus'
			| 'expenseType'
		>
	>;

/** The SpendItem of one record, its keys always in the contract's order (spendItemTypes.ts). */
function spendItem(
	kind: SpendRecordKind,
	id: string,
	raw: IDataObject,
	options: NormaliseOptions,
	expenseId: string | null,
	fields: RecordFields,
): SpendItem {
	const traceIdLength = options.traceIdLength ?? 20;
	const status = fields.status ?? null;
	const paymentStatus = fields.paymentStatus ?? null;
	return {
		id,
		recordKind: kind,
		traceId: purchaseTraceId(kind, id, expenseId, traceIdLength),
		recordTraceId: spendTraceId(kind, id, traceIdLength),
		amount: fields.amount,
		currency: fields.currency,
		isRefund: fields.isRefund,
		originalAmount: fields.originalAmount ?? null,
		accountingDate: fields.accountingDate,
		purchasedAt: fields.purchasedAt ?? null,
		postedAt: fields.postedAt ?? null,
		updatedAt: fields.updatedAt ?? null,
		merchant: fields.merchant,
		vendorName: fields.vendorName,
		category: fields.category ?? null,
		department: fields.department ?? null,
		location: fields.location ?? null,
		user: fields.user ?? null,
		budget: fields.budget ?? null,
		memo: fields.memo ?? null,
		receiptUrls: fields.receiptUrls ?? [],
		customFields: fields.customFields ?? {},
		customFieldOptionIds: fields.customFieldOptionIds ?? {},
		lines: fields.lines ?? [],
		status,
		paymentStatus,
		expenseType: fields.expenseType ?? null,
		readiness: spendReadiness({ recordKind: kind, status, paymentStatus }),
		raw,
	};
}
