/**
 * Mutations of the emulator's data that keep derived records consistent: adding and updating expenses
 * (with their card transaction and accounting record), updating accounting records, minting ids and
 * strictly increasing `updated_at` stamps (so incremental syncs by updated_at always see changes).
 */
import {
	brexCategoryOf,
	convertMinor,
	cuidLike,
	deriveAccountingRecord,
	deriveCardTransaction,
	fastPrng,
	isAccountingRecordEligible,
	isCardTransactionEligible,
} from './data';
import type {
	BrexEmulatorState,
	EmulatedAccountingRecord,
	EmulatedCardTransaction,
	EmulatedExpense,
	Money,
} from './types';

const DATE_FIELDS = [
	'updated_at',
	'payment_posted_at',
	'purchased_at',
	'exported_at',
	'approved_at',
	'submitted_at',
	'completion_date',
] as const;

export type ExpensePatch = Partial<Omit<EmulatedExpense, 'id'>>;
export type AccountingRecordPatch = Partial<
	Pick<
		EmulatedAccountingRecord,
		'review_status' | 'coded' | 'split' | 'type' | 'erp_posting_date' | 'posted_at' | 'lineCodings'
	>
>;

function normaliseDate(value: unknown, field: string): string | null {
	if (value === null || value === undefined) return null;
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (Number.isNaN(ms)) throw new Error(`${field} is not a date-time: ${String(value)}`);
	return new Date(ms).toISOString();
}

export class BrexStore {
	private lastStampMs = 0;
	private mintRandom: () => number;
	/** Derived records by source expense id, so mutations stay O(1) with 50,000 expenses. */
	private txnByExpense = new Map<string, string>();
	private recordByExpense = new Map<string, string>();
	private indexedSizes = [-1, -1];

	constructor(
		readonly state: BrexEmulatorState,
		private readonly now: () => number,
	) {
		this.mintRandom = fastPrng(state.seed ^ 0x51ed);
		this.resync();
	}

	/** After (re)seeding: continue stamps after the newest stored one, mint fresh ids, re-index. */
	resync(): void {
		this.mintRandom = fastPrng(this.state.seed ^ 0x51ed);
		let max = 0;
		for (const e of this.state.expenses.values()) max = Math.max(max, Date.parse(e.updated_at));
		for (const r of this.state.accountingRecords.values()) {
			max = Math.max(max, Date.parse(r.updated_at));
		}
		this.lastStampMs = max;
		this.reindex();
	}

	private reindex(): void {
		this.txnByExpense.clear();
		this.recordByExpense.clear();
		for (const t of this.state.cardTransactions.values()) this.txnByExpense.set(t.expense_id, t.id);
		for (const r of this.state.accountingRecords.values())
			this.recordByExpense.set(r.source_id, r.id);
		this.indexedSizes = [this.state.cardTransactions.size, this.state.accountingRecords.size];
	}

	/** Re-indexes when records were added to the state maps directly (not through this store). */
	private freshIndex(): void {
		const { cardTransactions, accountingRecords } = this.state;
		if (
			this.indexedSizes[0] !== cardTransactions.size ||
			this.indexedSizes[1] !== accountingRecords.size
		) {
			this.reindex();
		}
	}

	cardTransactionOf(expenseId: string): EmulatedCardTransaction | undefined {
		this.freshIndex();
		const txn = this.state.cardTransactions.get(this.txnByExpense.get(expenseId) ?? '');
		return txn?.expense_id === expenseId ? txn : undefined;
	}

	accountingRecordOf(expenseId: string): EmulatedAccountingRecord | undefined {
		this.freshIndex();
		const record = this.state.accountingRecords.get(this.recordByExpense.get(expenseId) ?? '');
		return record?.source_id === expenseId ? record : undefined;
	}

	mintId(prefix: string): string {
		return cuidLike(prefix, this.mintRandom);
	}

	/** Now on the emulator clock, but always later than any stamp handed out before. */
	nextStamp(): string {
		this.lastStampMs = Math.max(this.now(), this.lastStampMs + 1);
		return new Date(this.lastStampMs).toISOString();
	}

	addExpense(partial: ExpensePatch & { id?: string } = {}): EmulatedExpense {
		const { state } = this;
		const stamp = this.nextStamp();
		const user =
			(partial.user_id ? state.users.get(partial.user_id) : undefined) ??
			state.users.get(state.meUserId)!;
		const vendor =
			(partial.vendor_id ? state.vendors.get(partial.vendor_id) : undefined) ??
			state.vendors.values().next().value;
		const entity = state.legalEntities.get(user.legal_entity_id)!;
		const billing: Money = partial.billing_amount ?? { amount: 12345, currency: entity.currency };
		const original: Money = partial.original_amount ?? billing;
		const expenseType = partial.expense_type ?? 'CARD';
		const cleared = (partial.payment_status ?? 'CLEARED') === 'CLEARED';
		const expense: EmulatedExpense = {
			id: partial.id ?? this.mintId('expense'),
			memo: 'Emulator expense',
			location_id: user.location_id,
			department_id: user.department_id,
			updated_at: stamp,
			payment_posted_at: cleared ? stamp : null,
			category: brexCategoryOf(vendor?.category ?? null),
			merchant_id: vendor ? `mer_${vendor.id.slice(8)}` : null,
			merchant: vendor
				? { raw_descriptor: vendor.company_name, mcc: vendor.mcc, country: vendor.country }
				: null,
			budget_id: null,
			expense_type: expenseType,
			original_amount: original,
			billing_amount: billing,
			budget_amount: billing,
			purchased_amount: original,
			usd_equivalent_amount:
				billing.currency === 'USD'
					? billing
					: { amount: convertMinor(billing.amount, billing.currency, 'USD'), currency: 'USD' },
			purchased_at: stamp,
			status: 'APPROVED',
			payment_status: 'CLEARED',
			user_id: user.id,
			trip_id: null,
			spending_entity_id: entity.id,
			billing_entity_id: entity.id,
			exported_at: null,
			approved_at: stamp,
			submitted_at: stamp,
			completion_date: cleared ? stamp : null,
			address: null,
			parent_expense_id: null,
			custom_fields: [],
			receipt_ids: [],
			vendor_id: vendor?.id ?? null,
			seed_category: vendor?.category ?? null,
			card_id: expenseType === 'CARD' ? user.card_id : null,
			payment_id: expenseType === 'CARD' ? this.mintId('payment') : null,
			authorization_code: expenseType === 'CARD' ? '123456' : null,
			refund_of: null,
			version: 1,
			...definedOnly(partial),
		} as EmulatedExpense;
		for (const field of DATE_FIELDS) {
			if (field in partial)
				(expense as unknown as Record<string, unknown>)[field] = normaliseDate(
					partial[field],
					field,
				);
		}
		if (state.expenses.has(expense.id)) throw new Error(`Expense ${expense.id} already exists`);
		state.expenses.set(expense.id, expense);
		this.ensureDerived(expense);
		return expense;
	}

	updateExpense(id: string, patch: ExpensePatch): EmulatedExpense {
		const expense = this.state.expenses.get(id);
		if (!expense) throw new Error(`No expense ${id}`);
		Object.assign(expense, patch);
		for (const field of DATE_FIELDS) {
			if (field in patch)
				(expense as unknown as Record<string, unknown>)[field] = normaliseDate(patch[field], field);
		}
		expense.version += 1;
		if (!('updated_at' in patch)) expense.updated_at = this.nextStamp();
		this.ensureDerived(expense);
		const record = this.accountingRecordOf(id);
		if (record && record.review_status !== 'EXPORTED') {
			// The record reflects its expense, so it changes with it.
			record.version += 1;
			record.updated_at = this.nextStamp();
		}
		return expense;
	}

	updateAccountingRecord(id: string, patch: AccountingRecordPatch): EmulatedAccountingRecord {
		const record = this.state.accountingRecords.get(id);
		if (!record) throw new Error(`No accounting record ${id}`);
		Object.assign(record, patch);
		if (patch.review_status && patch.review_status !== 'PREPARE' && !('coded' in patch))
			record.coded = true;
		record.version += 1;
		record.updated_at = this.nextStamp();
		return record;
	}

	/** Creates the card transaction / accounting record an expense has become eligible for. */
	ensureDerived(expense: EmulatedExpense): void {
		const { state } = this;
		if (isCardTransactionEligible(expense) && !this.cardTransactionOf(expense.id)) {
			const txn = deriveCardTransaction(expense, this.mintId('pste'))!;
			state.cardTransactions.set(txn.id, txn);
			this.txnByExpense.set(expense.id, txn.id);
			this.indexedSizes[0] = state.cardTransactions.size;
		}
		if (isAccountingRecordEligible(expense) && !this.accountingRecordOf(expense.id)) {
			const record = deriveAccountingRecord(expense, this.mintId('accr'))!;
			record.updated_at = this.nextStamp();
			state.accountingRecords.set(record.id, record);
			this.recordByExpense.set(expense.id, record.id);
			this.indexedSizes[1] = state.accountingRecords.size;
		}
	}
}

/** Drops keys whose value is undefined, so a partial never blanks a default. */
function definedOnly<T extends object>(partial: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(partial).filter(([, v]) => v !== undefined),
	) as Partial<T>;
}
