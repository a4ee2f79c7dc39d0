/**
 * Readers of Brex record fields for the spend-item normalisers (spendItem.ts): ids, money in minor or decimal
 * units, timestamps and dates, merchant, people and custom fields. Each takes `fail`, so every error names the
 * record it came from; none guesses a value it cannot read.
 */
import type { IDataObject } from 'n8n-workflow';

import { isKnownCurrency, minorToDecimal, normaliseDecimal } from '../common/money';
import type { NamedRef, SpendItem, SpendLine, SpendLineCoding } from '../common/spendItemTypes';

export class SpendItemError extends Error {
	constructor(
		public readonly recordId: string | null,
		public readonly reason: string,
	) {
		super(`Brex record ${recordId ?? '(without a usable id)'} cannot be used: ${reason}`);
		this.name = 'SpendItemError';
	}
}

export const MEMO_MAX_LENGTH = 2000;

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

export function asObject(value: unknown): IDataObject | null {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as IDataObject)
		: null;
}

export function text(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** The record as an object, its id, and the `fail` that names it in every error. */
export function openRecord(raw: unknown): { record: IDataObject; id: string; fail: Fail } {
	const record = asRecord(raw);
	const id = readId(record);
	const fail = (reason: string): never => {
		throw new SpendItemError(id, reason);
	};
	return { record, id, fail };
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
export function readMoney(
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
export function readOriginal(
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
export function readTimestamp(value: unknown, field: string, fail: Fail): string | null {
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
export function readDate(value: unknown, field: string, fail: Fail): string | null {
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

export function pickAccountingDate(
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

export function readMerchant(value: unknown): SpendItem['merchant'] {
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

export function namedRef(expanded: unknown, id: unknown, name?: unknown): NamedRef | null {
	const object = asObject(expanded);
	const refId = idText(object?.id) ?? idText(id);
	const refName = text(object?.name) ?? text(name);
	if (refId === null && refName === null) return null;
	return { id: refId, name: refName };
}

export function userRef(
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

export function memo(value: unknown): string | null {
	const memoText = text(value);
	if (memoText === null) return null;
	return memoText.length > MEMO_MAX_LENGTH
		? memoText.slice(0, MEMO_MAX_LENGTH - 1) + '…'
		: memoText;
}

export function receiptUrls(value: unknown): string[] {
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
export function expenseCustomFields(value: unknown, fail: Fail): Record<string, string> {
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

/**
 * Expense custom_fields → key: the option ids of its OPTION_STRING value (one per option of a list). Brex states no
 * link between an option id and the Fields API; for an option Brex filled from a field value we synced, the option
 * id is taken to be that value's remote_id / value_id, i.e. the X3 code (inferred: brex-api.md §5.6, expenses.json
 * OptionString). A field whose value has no option id is absent here while present in customFields.
 */
export function expenseCustomFieldOptionIds(value: unknown): Record<string, string[]> {
	const optionIds: Record<string, string[]> = {};
	if (!Array.isArray(value)) return optionIds;
	for (const entry of value) {
		const field = asObject(entry);
		const key = text(field?.key);
		const wrapper = asObject(field?.value);
		if (key === null || !wrapper || text(wrapper.data_type) !== 'OPTION_STRING') continue;
		const data = wrapper.data;
		const ids = (Array.isArray(data) ? data : [data])
			.map((option) => text(asObject(option)?.option_id))
			.filter((id): id is string => id !== null);
		if (ids.length > 0) optionIds[key] = ids;
	}
	return optionIds;
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

function readCoding(value: unknown): SpendLineCoding | null {
	const entry = asObject(value);
	if (!entry) return null;
	const coding: SpendLineCoding = {
		brexFieldId: idText(entry.brex_field_id),
		remoteFieldId: idText(entry.remote_field_id),
		brexValueId: idText(entry.brex_field_value_id),
		remoteValueId: idText(entry.remote_field_value_id),
	};
	return coding.brexFieldId === null && coding.remoteFieldId === null ? null : coding;
}

/**
 * Line items of an accounting record, each with its own signed amount and codings, and the codings every expense
 * line shares (field -> ERP value id, else Brex value id). Which side is the expense: debits for spend, credits for
 * a refund (Brex swaps the sides of a refund and keeps line amounts positive); the other side is the card
 * liability or payable. Zero lines carry nothing to book and are left out.
 */
export function accountingLines(
	value: unknown,
	currency: string,
	isRefund: boolean,
	fail: Fail,
): { lines: SpendLine[]; sharedCodings: Record<string, string> } {
	if (value === undefined || value === null) return { lines: [], sharedCodings: {} };
	if (!Array.isArray(value)) return fail('line_items is not a list');
	const expenseType = isRefund ? 'CREDIT' : 'DEBIT';
	const lines: SpendLine[] = [];
	value.forEach((raw, index) => {
		const where = `line_items[${index}]`;
		const line = asObject(raw);
		if (!line) return fail(`${where} is not an object`);
		const id = idText(line.id);
		if (id === null) return fail(`${where} has no id`);
		const type = text(line.type);
		if (type !== 'DEBIT' && type !== 'CREDIT') {
			return fail(`line item ${id} has type ${type ?? '(none)'}; DEBIT or CREDIT expected`);
		}
		const given = asObject(line.amount)?.amount;
		if (given === 0 || (typeof given === 'string' && /^[+-]?0*(\.0*)?$/.test(given.trim()))) return;
		const money = readMoney(line.amount, `line item ${id} amount`, 'decimal', fail);
		if (money.currency !== currency) {
			return fail(`line item ${id} is in ${money.currency}, the record in ${currency}`);
		}
		const magnitude = money.amount.replace(/^-/, '');
		const codings = Array.isArray(line.accounting_field_values)
			? line.accounting_field_values.map(readCoding).filter((c): c is SpendLineCoding => c !== null)
			: [];
		lines.push({
			id,
			side: type === expenseType ? 'expense' : 'balancing',
			amount: type === 'DEBIT' ? magnitude : `-${magnitude}`,
			memo: memo(line.memo),
			codings,
		});
	});
	return { lines, sharedCodings: sharedCodings(lines.filter((line) => line.side === 'expense')) };
}

/** Codings with one value on every expense line: usable by mapping rules (customFields.<field>) like an expense's. */
function sharedCodings(lines: SpendLine[]): Record<string, string> {
	const shared: Record<string, string> = {};
	if (lines.length === 0) return shared;
	const valueOf = (line: SpendLine, field: string): string | null => {
		const coding = line.codings.find(
			(candidate) => (candidate.remoteFieldId ?? candidate.brexFieldId) === field,
		);
		return coding ? (coding.remoteValueId ?? coding.brexValueId) : null;
	};
	for (const coding of lines[0].codings) {
		const field = coding.remoteFieldId ?? coding.brexFieldId;
		if (field === null) continue;
		const value = valueOf(lines[0], field);
		if (value !== null && lines.every((line) => valueOf(line, field) === value))
			shared[field] = value;
	}
	return shared;
}
