import type { IDataObject } from 'n8n-workflow';

import type { SpendRecordKind } from './traceId';

export type { SpendRecordKind };

export interface NamedRef {
	id: string | null;
	name: string | null;
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
	/** Deterministic trace id (see traceId.ts): the idempotency key on the X3 side. */
	traceId: string;
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
	/** Custom fields flattened to name -> text value. */
	customFields: Record<string, string>;
	status: string | null;
	paymentStatus: string | null;
	expenseType: string | null;
	/** The record as Brex sent it. */
	raw: IDataObject;
}
