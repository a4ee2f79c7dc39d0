/**
 * The contract between the Sage X3 node's operations and the X3 transports. Operations talk only to an
 * X3Gateway; the gateway hides which API style (SOAP, GraphQL, REST api1) serves a read. Writes are SOAP `save`.
 * Nothing here is customer-specific: publication names, block ids, field names and dimension types come from
 * X3Layout, which the user configures on the node (defaults below match the emulator and a typical setup).
 */

import type { JournalEntryDraft, PostedJournalEntry } from '../../ledger/journalTypes';
import type { X3SupplierFieldNames } from './names';

// The journal entry types belong to the ledger domain; re-exported so the transports keep importing them here.
export type {
	JournalEntryDraft,
	JournalLineDraft,
	PostedJournalEntry,
} from '../../ledger/journalTypes';

export type X3ReadApi = 'soap' | 'graphql' | 'rest';

export interface X3Supplier {
	code: string;
	name: string;
	shortName: string | null;
	category: string | null;
	country: string | null;
	currency: string | null;
	isActive: boolean;
}

export interface X3SupplierDraft {
	/** Empty when X3 numbers suppliers itself. */
	code?: string;
	name: string;
	shortName?: string;
	category: string;
	country?: string;
	currency?: string;
	addressCode?: string;
}

export interface X3Account {
	chart: string | null;
	code: string;
	description: string | null;
	isActive: boolean;
	/** Dimension types this account requires on every line. */
	requiredDimensionTypes: string[];
}

export interface X3DimensionType {
	code: string;
	description: string | null;
}

export interface X3Dimension {
	type: string;
	code: string;
	description: string | null;
	isActive: boolean;
}

export interface X3Site {
	code: string;
	name: string | null;
}

export interface X3EntryType {
	code: string;
	description: string | null;
}

export interface X3Message {
	/** X3's message type as sent ("1" info, "2" warning, "3" error by most sources). */
	type: string;
	message: string;
}

export interface X3Layout {
	journalEntry: {
		publication: string;
		headerBlock: string;
		linesBlock: string;
		fields: {
			entryType: string;
			documentNumber: string;
			site: string;
			accountingDate: string;
			currency: string;
			reference: string;
			description: string;
			/** Header field that carries the entry trace id (BPRVCR: 20 chars, REFINT: 25). */
			traceField: string;
			account: string;
			debit: string;
			credit: string;
			/** Line dimension fields are `${dimensionPrefix}${index}` with index 1..n in dimensionTypes order. */
			dimensionPrefix: string;
			businessPartner: string;
			taxCode: string;
			lineDescription: string;
		};
		/** Width of the trace field: trace ids are generated to fit. */
		traceFieldLength: number;
		/** Line field whose value starts with the item trace id (grouped entries). */
		lineTraceField: string;
		/**
		 * Characters of the header description field (default DEFAULT_DESCRIPTION_LENGTH); longer texts are cut.
		 * Check X3 Setup reads the real length from getDescription.
		 */
		descriptionLength?: number;
		/**
		 * Characters of the line description field (default DEFAULT_LINE_DESCRIPTION_LENGTH). When it is also the
		 * line trace field, the item trace id leads and is never cut: the description after it is.
		 */
		lineDescriptionLength?: number;
		/** Characters of the line trace field when it is not the line description (no limit when unset). */
		lineTraceFieldLength?: number;
		/**
		 * Table block of the analytical distribution (documented GAS: GAS2_1, one line per entry line with LIN =
		 * the entry line number and the dimension fields). Empty or unset: the dimension fields sit on the lines.
		 */
		analyticsBlock?: string;
		/** Field of the analytics block naming the entry line it distributes (default LIN). */
		analyticsLineField?: string;
	};
	supplier: {
		publication: string;
		/** The supplier's main block: every field goes here unless fieldBlocks places it elsewhere. */
		block: string;
		fields: X3SupplierFieldNames & {
			/** Written to the address table when addressBlock is set, else to its block. */
			addressCode: string;
		};
		/**
		 * Block of a field that does not sit in `block` (X3 Setup's BLOCK.FIELD), by field key: documented BPS has
		 * short name, country and currency in BPRC_1.
		 */
		fieldBlocks?: Partial<Record<SupplierFieldKey, string>>;
		/**
		 * Address table written with one line on create (documented BPS: BPAC_1, which X3 requires): the address
		 * code (fields.addressCode), and the fields of addressFields that are named. Unset: no address table.
		 */
		addressBlock?: string;
		addressFields?: {
			/** Country of the address (the supplier's country). */
			country?: string;
			/** Description of the address (the supplier's name, cut to addressDescriptionLength). */
			description?: string;
			/** Default-address flag, written as 2 (yes). */
			isDefault?: string;
		};
		/** Address code when the draft has none (default MAIN). */
		defaultAddressCode?: string;
		/** Characters of the address description (default DEFAULT_ADDRESS_DESCRIPTION_LENGTH). */
		addressDescriptionLength?: number;
	};
	account: { publication: string; block: string };
	dimension: { publication: string; block: string };
	/** The customer's dimension types in the order of the line dimension fields (CCE1, CCE2, …). */
	dimensionTypes: string[];
	/** Chart of accounts code used in account lookups. */
	chartOfAccounts: string;
}

export type SupplierFieldKey = keyof X3Layout['supplier']['fields'];

/** Header description length when the layout does not say (DESVCR in both emulator personalities; no public source gives it). */
export const DEFAULT_DESCRIPTION_LENGTH = 30;
/** Line description length when the layout does not say (the lenient emulator's DES; documented X3 has 30). */
export const DEFAULT_LINE_DESCRIPTION_LENGTH = 50;
/** Address description length when the layout does not say (BPADES in the documented emulator). */
export const DEFAULT_ADDRESS_DESCRIPTION_LENGTH = 30;

/** Journal entry settings (X3Layout.journalEntry.fields) written to the header block. */
export const JOURNAL_HEADER_SETTINGS = [
	'entryType',
	'documentNumber',
	'site',
	'accountingDate',
	'currency',
	'reference',
	'description',
	'traceField',
] as const;

/** Journal entry settings written on each line (dimensions aside: see dimensionPrefix and analyticsBlock). */
export const JOURNAL_LINE_SETTINGS = [
	'account',
	'debit',
	'credit',
	'businessPartner',
	'taxCode',
	'lineDescription',
] as const;

export const DEFAULT_X3_LAYOUT: X3Layout = {
	journalEntry: {
		publication: 'YGAS',
		headerBlock: 'GAS0_1',
		linesBlock: 'GAS1_1',
		fields: {
			entryType: 'TYP',
			documentNumber: 'NUM',
			site: 'FCY',
			accountingDate: 'ACCDAT',
			currency: 'CUR',
			reference: 'REF',
			description: 'DESVCR',
			traceField: 'BPRVCR',
			account: 'ACC',
			debit: 'DEB',
			credit: 'CDT',
			dimensionPrefix: 'CCE',
			businessPartner: 'BPR',
			taxCode: 'TAX',
			lineDescription: 'DES',
		},
		traceFieldLength: 20,
		lineTraceField: 'DES',
	},
	supplier: {
		publication: 'YBPS',
		block: 'BPS0_1',
		fields: {
			code: 'BPSNUM',
			name: 'BPSNAM',
			shortName: 'BPSSHO',
			category: 'BSGCOD',
			country: 'CRY',
			currency: 'CUR',
			addressCode: 'BPAADD',
			isActive: 'ENAFLG',
		},
	},
	account: { publication: 'YGAC', block: 'GAC0_1' },
	dimension: { publication: 'YCCE', block: 'CCE0_1' },
	dimensionTypes: ['CCT', 'DEP', 'PRJ'],
	chartOfAccounts: 'CA_FRA',
};

/** Which reads the gateway serves, whatever API style is behind it. */
export interface TraceLookupOptions {
	/**
	 * Ask the line trace field only (when the layout has one): right for item trace ids, which Post Spend always
	 * writes on the item's line; halves the calls where entry and line level are separate requests.
	 */
	linesOnly?: boolean;
}

/** How a journal entry's object is reshaped before its save (X3 Setup's BLOCK.FIELD placements, extra fields). */
export interface JournalSaveOptions {
	/** Rewrites the object the transport built (keyed by block id), e.g. moves placed fields and adds fixed ones. */
	place?: (built: Record<string, unknown>) => Record<string, unknown>;
	/** Block whose document number field the save's answer carries; default the header block. */
	numberBlock?: string;
}

/**
 * The reads every API style serves (SOAP, GraphQL, REST): declared once, for the gateway (X3Gateway) and for
 * each reader behind it (X3Reader, readers.ts).
 */
export interface X3Lookups {
	getSupplier(code: string): Promise<X3Supplier | null>;
	/** Name search is case- and accent-insensitive on the X3 side where the API allows, else filtered locally. */
	searchSuppliers(query: { code?: string; name?: string; limit?: number }): Promise<X3Supplier[]>;
	getAccount(code: string): Promise<X3Account | null>;
	searchAccounts(query: {
		code?: string;
		description?: string;
		limit?: number;
	}): Promise<X3Account[]>;
	listDimensionTypes(): Promise<X3DimensionType[]>;
	searchDimensions(
		type: string,
		query: { code?: string; description?: string; limit?: number },
	): Promise<X3Dimension[]>;
	listSites(): Promise<X3Site[]>;
	listEntryTypes(): Promise<X3EntryType[]>;
	/**
	 * Which of these trace ids (entry or line level) X3 already holds, with the document number holding each.
	 * One call per batch of up to 40 ids on GraphQL and REST (batches run side by side), one or two per id on
	 * SOAP; `linesOnly` asks the line trace field only (one call per batch or per id).
	 * An id counts only when X3 shows it (in the returned trace field, or in the entry read back); an answer that
	 * proves the criterion was not applied throws X3TraceCheckUnverifiableError. A failed batch is asked once more
	 * in halves; when only some ids could be checked, X3TraceLookupIncompleteError carries the answered ones
	 * (`found`) and the others (`failedIds`). A reader (X3Reader) takes at most its traceBatchSize ids.
	 */
	findPostedTraceIds(
		traceIds: string[],
		options?: TraceLookupOptions,
	): Promise<Map<string, string>>;
	/**
	 * Every document number that holds each trace id (entry or line level), to spot an entry saved twice by
	 * concurrent runs. Same cost as findPostedTraceIds on GraphQL and REST, two queries per id on SOAP (one with
	 * `linesOnly`), plus one read per entry found when the SOAP left list lacks the trace field. Fails closed the
	 * same way. A reader (X3Reader) takes at most its traceBatchSize ids.
	 */
	findTraceHolders(
		traceIds: string[],
		options?: TraceLookupOptions,
	): Promise<Map<string, string[]>>;
	findJournalEntriesByTraceId(traceId: string): Promise<PostedJournalEntry[]>;
	/** Journal entries with a trace id in a date range (reconciliation). */
	listTracedJournalEntries(range: { from: string; to: string }): Promise<PostedJournalEntry[]>;
}

/** The Sage X3 node's view of X3: the reads of the chosen API style plus the SOAP writes. */
export interface X3Gateway extends X3Lookups {
	readonly readApi: X3ReadApi;
	createSupplier(draft: X3SupplierDraft): Promise<X3Supplier>;
	/** Saves a balanced entry with SOAP `save`; returns the X3 document number. Throws X3BusinessError on status 0. */
	saveJournalEntry(
		draft: JournalEntryDraft,
		options?: JournalSaveOptions,
	): Promise<PostedJournalEntry>;
	/**
	 * Whether journal lines carry item trace ids (the layout has a line trace field): then an item's trace is
	 * found on its line whatever entry holds it, and lookups of item ids can skip the entry level.
	 */
	readonly itemTracesOnLines: boolean;
	/** Removes a journal entry this node saved (SOAP `delete`); an entry that no longer exists counts as removed. */
	deleteJournalEntry(entry: { documentNumber: string; entryType: string | null }): Promise<void>;
}
