import type { IDataObject } from 'n8n-workflow';

import type { SpendRecordKind } from './traceId';

export type { SpendRecordKind };

export interface NamedRef {
	id: string | null;
	name: string | null;
}

/**
 * One coding of a Brex accounting line item (`accounting_field_values[]`): the Brex field and value, and the ERP's
 * ids for them (`remote_*`, the X3 codes when the customer linked the field to X3; null when not linked).
 */
export interface SpendLineCoding {
	brexFieldId: string | null;
	remoteFieldId: string | null;
	brexValueId: string | null;
	remoteValueId: string | null;
}

/**
 * One double-entry line item of an accounting record as Brex coded it. `side` says which side of the purchase it
 * books: `expense` (debits of spend, credits of a refund) or `balancing` (the card liability or payable side).
 */
export interface SpendLine extends IDataObject {
	/** Brex line item id (arli_…): the line trace id is derived from it. */
	id: string;
	side: 'expense' | 'balancing';
	/** Signed decimal in the record currency: positive = debit, negative = credit (Brex sends type + magnitude). */
	amount: string;
	memo: string | null;
	codings: SpendLineCoding[];
}

/** Whether a record is ready for the ledger under the default policy (spendReadiness.ts), and why not. */
export interface SpendReadiness extends IDataObject {
	ready: boolean;
	reason: string | null;
}

/**
 * The one shape every Brex record becomes (trigger in both modes, Brex action node), and the only shape the
 * Sage X3 side consumes. Amounts are decimal strings in major units with exactly the currency's decimals.
 * Sign convention: positive = spend (debit an expense account), negative = refund (a reversing line).
 */
export interface SpendItem extends IDataObject {
	/** Brex id of the record (expense_…, pste_…, accr_…). */
	id: string;
	recordKind: SpendRecordKind;
	/**
	 * Deterministic trace id of the purchase (see traceId.ts): the idempotency key on the X3 side. An expense, its
	 * card transaction and the accounting record derived from it share it (purchaseTraceId), so one is booked.
	 */
	traceId: string;
	/** Trace id of this record alone (BRX<kind>-…): what versions before the purchase key wrote; checked too. */
	recordTraceId: string;
	amount: string;
	currency: string;
	isRefund: boolean;
	/** Amount in the currency of purchase when it differs (foreign spend), else null. */
	originalAmount: { amount: string; currency: string } | null;
	/** Accounting date for the ledger, YYYY-MM-DD (posting date, else purchase date). */
	accountingDate: string;
	purchasedAt: string | null;
	postedAt: string | null;
	updatedAt: string | null;
	merchant: { name: string | null; mcc: string | null; country: string | null };
	/** Name to match against X3 suppliers: Brex vendor name when known, else the merchant descriptor. */
	vendorName: string | null;
	/** Brex expense category (e.g. TRAVEL, RESTAURANTS) when Brex gives one. */
	category: string | null;
	department: NamedRef | null;
	location: NamedRef | null;
	user: (NamedRef & { email: string | null }) | null;
	budget: NamedRef | null;
	memo: string | null;
	receiptUrls: string[];
	/**
	 * Custom fields flattened to name -> text value. For an accounting record: the codings every expense line
	 * shares (field -> ERP value id); a field coded differently per line is only in `lines`.
	 */
	customFields: Record<string, string>;
	/**
	 * Expense custom fields of type OPTION_STRING → their option ids (the X3 codes of values synced from X3, see
	 * expenseCustomFieldOptionIds); empty for other record kinds. Brex Coding reads codes here, rules read text above.
	 */
	customFieldOptionIds: Record<string, string[]>;
	/** Accounting record line items as Brex coded them (empty for expenses and card transactions). */
	lines: SpendLine[];
	status: string | null;
	paymentStatus: string | null;
	expenseType: string | null;
	/** Ready for the ledger under the default statuses (Post Spend decides again with its own lists). */
	readiness: SpendReadiness;
	/** The record as Brex sent it. */
	raw: IDataObject;
}
