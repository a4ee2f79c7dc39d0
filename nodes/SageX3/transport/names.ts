/**
 * Every X3 name the read side depends on that X3Layout does not already carry, in one place per API style, so a
 * customer's schema drift (a renamed GraphQL property, another representation, an extra publication) is one
 * setting and not a code change. Defaults follow the X3 fact sheet (test/fixtures/reference/sage-x3-api.md §3.3-3.4, §4, §5) and the
 * emulator.
 *
 * GraphQL names are dotted paths: `category.code` selects `category { code }` and filters as
 * `{category: {code: ...}}`. An empty path means "not selected" (the value reads as null).
 */

/** The supplier's fields both the layout (X3 field names) and the GraphQL names (paths) place. */
export interface X3SupplierFieldNames {
	code: string;
	name: string;
	shortName: string;
	category: string;
	country: string;
	currency: string;
	isActive: string;
}

export interface X3GraphqlNames {
	supplier: X3SupplierFieldNames & {
		/** Package and node, dotted: the query is at `<root>.query`. */
		root: string;
	};
	account: {
		root: string;
		chart: string;
		code: string;
		description: string;
		isActive: string;
		/** Path to a list of dimension type codes the account requires; empty when the schema has none. */
		requiredDimensionTypes: string;
	};
	dimensionType: { root: string; code: string; description: string };
	dimension: { root: string; type: string; code: string; description: string; isActive: string };
	site: { root: string; code: string; name: string };
	entryType: { root: string; code: string; description: string };
	journalEntry: {
		root: string;
		entryType: string;
		documentNumber: string;
		site: string;
		accountingDate: string;
		currency: string;
		/** Property holding the layout's trace field (BPRVCR). Unconfirmed in Sage's docs: check by introspection. */
		traceField: string;
		lines: string;
		/** true when the lines collection is a connection (`lines { query { edges { node {…} } } }`). */
		linesAreConnection: boolean;
	};
	journalEntryLine: {
		root: string;
		lineNumber: string;
		account: string;
		amount: string;
		/** 1 debit, -1 credit. */
		sign: string;
		description: string;
		businessPartner: string;
		/** Document number of the entry the line belongs to, from the line. */
		entryNumber: string;
		/**
		 * Path to the analytical assignments of a line (lists and connections on the way are flattened); empty when
		 * not read. In each assignment, dimensionTypeKey / dimensionKey are paths to the type and dimension codes.
		 */
		dimensions: string;
		dimensionTypeKey: string;
		dimensionKey: string;
	};
}

export const DEFAULT_GRAPHQL_NAMES: X3GraphqlNames = {
	supplier: {
		root: 'x3MasterData.supplier',
		code: 'code.code',
		// Sage's reference page of the supplier node lists `companyName` (doc excerpts §3); sample queries of
		// other releases use companyName1: overridable through the GraphQL names.
		name: 'companyName',
		shortName: 'shortCompanyName',
		category: 'category.code',
		country: 'code.country.code',
		currency: 'currency.code',
		isActive: 'isActive',
	},
	account: {
		root: 'x3FinanceData.account',
		chart: 'chartOfAccounts.code',
		code: 'code',
		description: 'description',
		isActive: 'isActive',
		requiredDimensionTypes: '',
	},
	dimensionType: { root: 'x3FinanceData.dimensionType', code: 'code', description: 'description' },
	dimension: {
		root: 'x3FinanceData.dimension',
		type: 'dimensionType.code',
		code: 'dimension',
		description: 'localizedDescription',
		isActive: 'isActive',
	},
	site: { root: 'x3MasterData.site', code: 'code', name: 'name' },
	entryType: { root: 'x3FinanceData.journalEntryType', code: 'code', description: 'description' },
	journalEntry: {
		root: 'x3Finance.journalEntry',
		entryType: 'journalEntryType.code',
		documentNumber: 'journalEntryNumber',
		site: 'site.code',
		accountingDate: 'accountingDate',
		currency: 'transactionCurrency.code',
		traceField: 'sourceDocument',
		lines: 'journalEntryLines',
		linesAreConnection: true,
	},
	journalEntryLine: {
		root: 'x3Finance.journalEntryLine',
		lineNumber: 'lineNumber',
		account: 'account.code',
		amount: 'transactionAmount',
		sign: 'sign',
		description: 'lineDescription',
		businessPartner: 'businessPartner.code',
		entryNumber: 'journalEntry.journalEntryNumber',
		dimensions: 'analyticalLines.query.edges.node.dimensions',
		dimensionTypeKey: 'dimensionType.code',
		dimensionKey: 'dimension.dimension',
	},
};

/** SOAP field names outside X3Layout, and optional publications for lists the layout does not name. */
export interface X3SoapNames {
	account: {
		chart: string;
		code: string;
		description: string;
		isActive: string;
		/** Dimensioned field listing the account's dimension types (DIE). */
		dimensionTypes: string;
		/** Dimensioned field telling whether each of those is mandatory (OBYIPT); empty: all listed are required. */
		dimensionRequired: string;
	};
	dimension: { type: string; code: string; description: string; isActive: string };
	/** Empty publication: listDimensionTypes answers the layout's dimensionTypes without descriptions. */
	dimensionType: { publication: string; code: string; description: string };
	/** Empty publication: listSites / listEntryTypes need GraphQL or REST, or a publication set here. */
	site: { publication: string; code: string; name: string };
	entryType: { publication: string; code: string; description: string };
	/**
	 * Journal entries: read and delete by entry type + number (X3 index HAE0 is TYP+NUM, fact sheet §4.1 [C]);
	 * false sends the number alone.
	 */
	readJournalWithEntryType: boolean;
	/**
	 * adxwss.optreturn of every SOAP call: 'xml' (default, the `<RESULT>` form answers known from real servers
	 * use) or 'json'. Set through API Name Overrides: {"soap": {"resultFormat": "json"}}.
	 */
	resultFormat: 'xml' | 'json';
}

export const DEFAULT_SOAP_NAMES: X3SoapNames = {
	account: {
		chart: 'COA',
		code: 'ACC',
		description: 'DES',
		isActive: 'ENAFLG',
		dimensionTypes: 'DIE',
		dimensionRequired: 'OBYIPT',
	},
	dimension: { type: 'DIE', code: 'CCE', description: 'DES', isActive: 'ENAFLG' },
	dimensionType: { publication: '', code: 'DIE', description: 'DES' },
	site: { publication: '', code: 'FCY', name: 'FCYNAM' },
	entryType: { publication: '', code: 'TYP', description: 'DES' },
	readJournalWithEntryType: true,
	resultFormat: 'xml',
};

export interface X3RestResourceName {
	className: string;
	representation: string;
}

/** api1 classes/representations; record property names are the X3 field names of the layout / SOAP names. */
export interface X3RestNames {
	supplier: X3RestResourceName;
	account: X3RestResourceName;
	dimension: X3RestResourceName;
	dimensionType: X3RestResourceName & { code: string; description: string };
	site: X3RestResourceName & { code: string; name: string };
	entryType: X3RestResourceName & { code: string; description: string };
	journalEntry: X3RestResourceName & {
		/** Property of a `$details` resource holding the lines (child collection). */
		linesProperty: string;
		/** The resource key is entry type ~ document number (X3 index HAE0 = TYP + NUM). */
		keyWithEntryType: boolean;
	};
	journalEntryLine: X3RestResourceName & {
		/** Line property holding the entry's document number. */
		entryNumber: string;
	};
}

export const DEFAULT_REST_NAMES: X3RestNames = {
	supplier: { className: 'BPSUPPLIER', representation: 'BPSUPPLIER' },
	account: { className: 'GACCOUNT', representation: 'GACCOUNT' },
	dimension: { className: 'CACCE', representation: 'CACCE' },
	dimensionType: { className: 'GDIE', representation: 'GDIE', code: 'DIE', description: 'DES' },
	site: { className: 'FACILITY', representation: 'FACILITY', code: 'FCY', name: 'FCYNAM' },
	entryType: {
		className: 'GJOURNALTYPE',
		representation: 'GJOURNALTYPE',
		code: 'TYP',
		description: 'DES',
	},
	journalEntry: {
		className: 'GACCENTRY',
		representation: 'GACCENTRY',
		linesProperty: 'GACCENTRYD',
		keyWithEntryType: true,
	},
	journalEntryLine: { className: 'GACCENTRYD', representation: 'GACCENTRYD', entryNumber: 'NUM' },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export type X3GraphqlNamesOverride = DeepPartial<X3GraphqlNames>;
export type X3SoapNamesOverride = DeepPartial<X3SoapNames>;
export type X3RestNamesOverride = DeepPartial<X3RestNames>;

/** Defaults with overrides applied one level of sections deep (each section is a flat record). */
export function mergeNames<T extends object>(defaults: T, override: DeepPartial<T> | undefined): T {
	if (!override) return defaults;
	const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
	for (const [section, values] of Object.entries(override as Record<string, unknown>)) {
		if (values === undefined) continue;
		const base = merged[section];
		merged[section] =
			base && typeof base === 'object' && values && typeof values === 'object'
				? { ...(base as Record<string, unknown>), ...(values as Record<string, unknown>) }
				: values;
	}
	return merged as T;
}
