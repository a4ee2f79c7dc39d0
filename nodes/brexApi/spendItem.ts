import type { IDataObject } from 'n8n-workflow';

import { isKnownCurrency, minorToDecimal, normaliseDecimal } from '../common/money';
import type { NamedRef, SpendItem, SpendRecordKind } from '../common/spendItemTypes';
import { spendTraceId } from '../common/traceId';

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

export class SpendItemError extends Error {
	constructor(
		public readonly recordId: string | null,
		public readonly reason: string,
	) {
		super(`Brex record ${recordId ?? '(without a usable id)'} cannot be used: ${reason}`);
		this.name = 'SpendItemError';
	}
}

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

export const MEMO_MAX_LENGTH = 2000;

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
	return spendItem('expense', id, raw, options, {
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
	return spendItem('cardTransaction', id, raw, options, {
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
	const lineItems = Array.isArray(record.line_items) ? record.line_items : [];
	const firstLineMemo = lineItems.map((line) => text(asObject(line)?.memo)).find((m) => m !== null);
	return spendItem('accountingRecord', id, raw, options, {
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
		customFields: accountingFieldValues(lineItems, isRefund),
		status: text(record.review_status),
		expenseType: text(record.source_type),
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

// ---------------------------------------------------------------------------------------------------------
// Readers. Each takes `fail` so that every error names the record it came from.

type Fail = (reason: string) => never;

function asRecord(raw: unknown): IDataObject {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		throw new SpendItemError(null, 'the record is not a JSON object');
	}
	return raw as IDataObject;
}

function readId(record: IDataObject): string {
	const id = record.id;
	if (id === undefined || id === null) throw new SpendItemError(null, 'it has no id');
	if (typeof id !== 'string')
		throw new SpendItemError(null, `its id is a ${typeof id}, not a string`);
	if (id.trim() === '') throw new SpendItemError(null, 'its id is empty');
	return id;
}

function asObject(value: unknown): IDataObject | null {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: null;
}

function text(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

function traceIdFor(kind: SpendRecordKind, id: string, options: NormaliseOptions): string {
	return spendTraceId(kind, id, options.traceIdLength ?? 20);
}

/** The record as an object, its id, and the `fail` that names it in every error. */
function openRecord(raw: unknown): { record: IDataObject; id: string; fail: Fail } {
	const record = asRecord(raw);
	const id = readId(record);
	const fail = (reason: string): never => {
		throw new SpendItemError(id, reason);
	};
	return { record, id, fail };
}

/** What every record gives; the rest is null (or empty) where a record kind does not carry it. */
type RecordFields = Pick<
	SpendItem,
	'amount' | 'currency' | 'isRefund' | 'accountingDate' | 'merchant' | 'vendorName'
> &
	Partial<
		Pick<
			SpendItem,
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
	fields: RecordFields,
): SpendItem {
	return {
		id,
		recordKind: kind,
		traceId: traceIdFor(kind, id, options),
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
		status: fields.status ?? null,
		paymentStatus: fields.paymentStatus ?? null,
		expenseType: fields.expenseType ?? null,
		raw,
	};
}

function readCurrency(value: unknown, field: string, fail: Fail): string {
	// The Money schema declares currency nullable with default USD.
	if (value === undefined || value === null) return 'USD';
	if (typeof value !== 'string') return fail(`${field}.currency is not a string`);
	const code = value.trim().toUpperCase();
	if (!isKnownCurrency(code))
		return fail(`${field}.currency "${value}" is not a known ISO 4217 currency`);
	return code;
}

interface ReadMoney {
	amount: string;
	currency: string;
	sign: -1 | 1;
}

function signOf(amount: string): -1 | 0 | 1 {
	if (/^-/.test(amount)) return -1;
	return /[1-9]/.test(amount) ? 1 : 0;
}

/**
 * Money of a record: integer minor units (Expenses/Transactions APIs) or a JSON number or decimal string in major
 * units (Accounting API, which always sends the currency).
 */
function readMoney(
	value: unknown,
	field: string,
	units: 'minor' | 'decimal',
	fail: Fail,
): ReadMoney {
	const money = asObject(value);
	if (!money) return fail(`${field} is missing or not an object`);
	if (units === 'decimal' && (money.currency === undefined || money.currency === null)) {
		return fail(`${field}.currency is missing (the Accounting API always sends it)`);
	}
	const currency = readCurrency(money.currency, field, fail);
	const given = money.amount;
	if (given === undefined || given === null) return fail(`${field}.amount is missing`);
	if (typeof given !== 'number' && typeof given !== 'string') {
		return fail(`${field}.amount is a ${typeof given}, not a number`);
	}
	let amount: string | undefined;
	let problem: string | undefined;
	try {
		amount =
			units === 'minor'
				? minorToDecimal(typeof given === 'string' ? given.trim() : given, currency)
				: normaliseDecimal(given, currency);
	} catch (error) {
		problem = (error as Error).message;
	}
	if (amount === undefined) return fail(`${field}.amount: ${problem ?? 'unreadable'}`);
	const sign = signOf(amount);
	if (sign === 0) return fail(`${field} is zero; there is nothing to post`);
	return { amount, currency, sign };
}

/** The purchase-currency amount, only when it differs from the posting currency; sign follows the item. */
function readOriginal(
	value: unknown,
	postingCurrency: string,
	isRefund: boolean,
	units: 'minor' | 'decimal',
	fail: Fail,
): { amount: string; currency: string } | null {
	if (value === undefined || value === null) return null;
	const money = readMoney(value, 'original_amount', units, fail);
	if (money.currency === postingCurrency) return null;
	const magnitude = money.amount.replace(/^-/, '');
	return { amount: isRefund ? `-${magnitude}` : magnitude, currency: money.currency };
}

const TIMESTAMP =
	/^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A date-time (or date) field: null when absent, error when present but unreadable. */
function readTimestamp(value: unknown, field: string, fail: Fail): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string')
		return fail(`${field} is a ${typeof value}, not a date-time string`);
	const match = TIMESTAMP.exec(value.trim());
	if (
		!match ||
		Number.isNaN(Date.parse(match[0].length === 10 ? `${match[0]}T00:00:00Z` : match[0]))
	) {
		return fail(`${field} "${value}" is not an RFC 3339 date-time`);
	}
	if (!isRealDate(match[1])) return fail(`${field} "${value}" is not a real calendar date`);
	return value.trim();
}

/** A YYYY-MM-DD field of the Transactions API. */
function readDate(value: unknown, field: string, fail: Fail): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string') return fail(`${field} is a ${typeof value}, not a date string`);
	const trimmed = value.trim();
	if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || !isRealDate(trimmed)) {
		return fail(`${field} "${value}" is not a YYYY-MM-DD date`);
	}
	return trimmed;
}

function isRealDate(ymd: string): boolean {
	const [year, month, day] = ymd.split('-').map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

function pickAccountingDate(
	posting: [string | null, string],
	purchase: [string | null, string],
	fail: Fail,
): string {
	const chosen = posting[0] ?? purchase[0];
	if (chosen === null) {
		return fail(`it has neither ${posting[1]} nor ${purchase[1]}, so it has no accounting date`);
	}
	return chosen.slice(0, 10);
}

function readMerchant(value: unknown): SpendItem['merchant'] {
	const merchant = asObject(value);
	return {
		name: text(merchant?.raw_descriptor) ?? text(merchant?.name),
		mcc: text(merchant?.mcc),
		country: text(merchant?.country),
	};
}

function idText(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return text(value);
}

function namedRef(expanded: unknown, id: unknown, name?: unknown): NamedRef | null {
	const object = asObject(expanded);
	const refId = idText(object?.id) ?? idText(id);
	const refName = text(object?.name) ?? text(name);
	if (refId === null && refName === null) return null;
	return { id: refId, name: refName };
}

function userRef(
	user: IDataObject | null,
	fallbackId: unknown,
	email: string | null,
): (NamedRef & { email: string | null }) | null {
	const id = idText(user?.id) ?? idText(fallbackId);
	const name = [text(user?.first_name), text(user?.last_name)]
		.filter((part) => part !== null)
		.join(' ');
	if (id === null && name === '' && email === null) return null;
	return { id, name: name === '' ? null : name, email };
}

function memo(value: unknown): string | null {
	const memoText = text(value);
	if (memoText === null) return null;
	return memoText.length > MEMO_MAX_LENGTH
		? memoText.slice(0, MEMO_MAX_LENGTH - 1) + '…'
		: memoText;
}

function receiptUrls(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	const urls: string[] = [];
	for (const receipt of value) {
		const uris = asObject(receipt)?.download_uris;
		if (!Array.isArray(uris)) continue;
		for (const uri of uris) {
			const url = text(uri);
			if (url !== null) urls.push(url);
		}
	}
	return urls;
}

/** Expense custom_fields → key: text. Option strings give their label; money gives "12.50 USD"; lists join. */
function expenseCustomFields(value: unknown, fail: Fail): Record<string, string> {
	const fields: Record<string, string> = {};
	if (value === undefined || value === null) return fields;
	if (!Array.isArray(value)) return fail('custom_fields is not a list');
	for (const entry of value) {
		const field = asObject(entry);
		const key = text(field?.key);
		if (!field || key === null) continue;
		const wrapper = asObject(field.value);
		if (!wrapper) continue;
		const dataType = text(wrapper.data_type);
		const data = wrapper.data;
		const values = (Array.isArray(data) ? data : [data])
			.map((item) => customFieldText(item, dataType))
			.filter((item): item is string => item !== null);
		if (values.length > 0) fields[key] = values.join(', ');
	}
	return fields;
}

function customFieldText(data: unknown, dataType: string | null): string | null {
	if (data === undefined || data === null) return null;
	if (typeof data === 'string') return data;
	if (typeof data === 'number' || typeof data === 'boolean') return String(data);
	const object = asObject(data);
	if (!object) return null;
	if (dataType === 'MONEY' || ('amount' in object && !('option_id' in object))) {
		const currency = text(object.currency) ?? 'USD';
		const minor = object.amount;
		if (isKnownCurrency(currency) && (typeof minor === 'number' || typeof minor === 'string')) {
			let formatted: string | null = null;
			try {
				formatted = `${minorToDecimal(minor, currency)} ${currency}`;
			} catch {
				formatted = null;
			}
			if (formatted !== null) return formatted;
		}
		return null;
	}
	return text(object.option_label) ?? text(object.option_id);
}

/**
 * GL coding of an accounting record: accounting_field_values of its expense-side lines (debits, or credits for a
 * refund), keyed by the
 * ERP field id when Brex knows it (else Brex's), valued by the ERP value id (else Brex's). Different values on
 * several lines are joined, so a split record shows all its codings.
 */
function accountingFieldValues(lineItems: unknown[], isRefund: boolean): Record<string, string> {
	const collected = new Map<string, string[]>();
	// The coded lines are the expense side: debits for spend, credits for a refund (Brex swaps the sides of a
	// refund and keeps amounts positive); the other side is the card liability, which carries no expense coding.
	const balancingSide = isRefund ? 'DEBIT' : 'CREDIT';
	const expenseLines = lineItems
		.map(asObject)
		.filter((line) => line && text(line.type) !== balancingSide);
	for (const line of expenseLines) {
		const values = Array.isArray(line?.accounting_field_values) ? line.accounting_field_values : [];
		for (const entry of values) {
			const fieldValue = asObject(entry);
			const key = text(fieldValue?.remote_field_id) ?? text(fieldValue?.brex_field_id);
			const value =
				text(fieldValue?.remote_field_value_id) ?? text(fieldValue?.brex_field_value_id);
			if (key === null || value === null) continue;
			const list = collected.get(key) ?? [];
			if (!list.includes(value)) list.push(value);
			collected.set(key, list);
		}
	}
	const fields: Record<string, string> = {};
	for (const [key, list] of collected) fields[key] = list.join(', ');
	return fields;
}
