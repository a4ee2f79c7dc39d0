import type { IDataObject } from 'n8n-workflow';

/**
 * The ledger's journal entry types: what mapping and grouping produce (drafts), what X3 holds (posted entries)
 * and what a posting reports per spend item (the audit record). Transports import them; they import nothing.
 */

export interface JournalLineDraft {
	account: string;
	/** Exactly one of debit/credit, a positive decimal string with the currency's decimals. */
	debit?: string;
	credit?: string;
	/** Dimension type code -> dimension value; written to the line's dimension fields in layout order. */
	dimensions: Record<string, string>;
	businessPartner?: string;
	taxCode?: string;
	/** Free text; when the line carries an item trace id the gateway puts it first (see lineTraceField). */
	description?: string;
	/** Trace id of the Brex item this line books (grouped entries), so each item stays findable. */
	lineTraceId?: string;
}

export interface JournalEntryDraft {
	entryType: string;
	site: string;
	/** YYYY-MM-DD */
	accountingDate: string;
	currency: string;
	reference?: string;
	description?: string;
	/** Written to the layout's trace field; the idempotency key of the entry. */
	traceId: string;
	lines: JournalLineDraft[];
}

export interface PostedJournalEntry {
	documentNumber: string;
	entryType: string | null;
	traceId: string | null;
	accountingDate: string | null;
	currency: string | null;
	/** Item trace ids found on its lines (grouped entries). */
	lineTraceIds: string[];
	/** The lines, when the read returned them (reconciliation needs amounts per account and dimension). */
	lines?: Array<{
		account: string;
		debit: string | null;
		credit: string | null;
		dimensions: Record<string, string>;
		businessPartner: string | null;
		description: string | null;
		lineTraceId: string | null;
	}>;
}

export type PostStatus = 'posted' | 'already_posted' | 'skipped' | 'failed';

/** What Post Spend reports on each item (the audit record of the sync). */
export interface PostResult extends IDataObject {
	status: PostStatus;
	reason?: string;
	documentNumber: string | null;
	traceId: string | null;
	entryTraceId: string | null;
	entryType: string | null;
	site: string | null;
	accountingDate: string | null;
	account: string | null;
	dimensions: Record<string, string>;
	businessPartner: string | null;
	amount: string | null;
	currency: string | null;
	ruleIndex: number | null;
	ruleName: string | null;
	/** A coded record's lines as posted (expense lines, then Brex's balancing lines when coded). */
	lines?: Array<{
		lineItemId: string | null;
		lineTraceId: string | null;
		account: string;
		dimensions: Record<string, string>;
		amount: string;
	}>;
}
