/**
 * The X3 GraphQL schema subset the connector reads (x3MasterData, x3FinanceData, x3Finance), generated from node
 * definitions over the emulator state: relay connections (`query(filter, first, after, last, before, orderBy)`
 * with totalCount / edges / pageInfo), `read(_id)`, references as nested objects, collections as
 * `{ query { edges { node } } }` (as Sage's samples select `purchaseOrderLines`), and the Mongo-like filter
 * strings (`_eq _ne _gt _gte _lt _lte _in _nin _regex/_options _and _or _not`, collection quantifiers
 * `_atLeast _atMost _every _none`). Property names follow the fact sheet §3.3–3.4; where Sage publishes none
 * (journal-entry reference fields, account dimension settings) the names are marked as unconfirmed.
 */

import { LooseJsonError, LooseValue, parseLooseJson } from './looseJson';
import type { GraphqlSupplierName } from './personality';
import type { X3Runtime } from './runtime';
import {
	EmuAccount,
	EmuDimension,
	EmuDimensionType,
	EmuEntryType,
	EmuJournalEntry,
	EmuJournalLine,
	EmuSite,
	EmuSupplier,
	EmuSupplierCategory,
	isoDate,
} from './state';

export type ScalarName =
	| 'String'
	| 'Int'
	| 'Float'
	| 'Boolean'
	| 'Decimal'
	| 'Date'
	| 'Datetime'
	| 'Id';
/** Own-property lookup: names come from the request, so inherited members (toString, …) must not match. */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

export const SCALARS = new Set<string>([
	'String',
	'Int',
	'Float',
	'Boolean',
	'Decimal',
	'Date',
	'Datetime',
	'Id',
]);

export interface ExecContext {
	runtime: X3Runtime;
}

/** An error raised by a resolver; reported with the field's path, the field becomes null. */
export class FieldError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Node definitions

/* eslint-disable @typescript-eslint/no-explicit-any */
type Item = any;

type Prop =
	| {
			kind: 'scalar';
			type: ScalarName;
			description?: string;
			get: (item: Item, ctx: ExecContext) => unknown;
	  }
	| {
			kind: 'reference';
			target: string;
			description?: string;
			get: (item: Item, ctx: ExecContext) => Item | null;
	  }
	| {
			kind: 'list';
			target: string;
			description?: string;
			get: (item: Item, ctx: ExecContext) => Item[];
	  }
	| {
			kind: 'collection';
			target: string;
			description?: string;
			get: (item: Item, ctx: ExecContext) => Item[];
	  };

export interface NodeDef {
	name: string;
	description: string;
	id: (item: Item, ctx: ExecContext) => string;
	props: Record<string, Prop>;
}

const scalar = (
	type: ScalarName,
	get: (item: Item, ctx: ExecContext) => unknown,
	description?: string,
): Prop => ({
	kind: 'scalar',
	type,
	get,
	description,
});
const ref = (target: string, get: (item: Item, ctx: ExecContext) => Item | null): Prop => ({
	kind: 'reference',
	target,
	get,
});
const codeOnly = (name: string, description: string): NodeDef => ({
	name,
	description,
	id: (item) => item.code,
	props: { code: scalar('String', (item) => item.code) },
});
const stampProps = {
	_createStamp: scalar('Datetime', (item: Item) => item.createdAt),
	_updateStamp: scalar('Datetime', (item: Item) => item.updatedAt),
};

interface LineItem {
	entry: EmuJournalEntry;
	line: EmuJournalLine;
}

function lineItems(entry: EmuJournalEntry): LineItem[] {
	return entry.lines.map((line) => ({ entry, line }));
}

function lineDimensions(
	ctx: ExecContext,
	line: EmuJournalLine,
): Array<{ type: string; code: string }> {
	return ctx.runtime.layout.dimensionTypes
		.filter((type) => line.dimensions[type] !== undefined)
		.map((type) => ({ type, code: line.dimensions[type] }));
}

function accountItem(ctx: ExecContext, code: string): EmuAccount | Record<string, unknown> {
	return (
		ctx.runtime.state.getAccount(code) ?? {
			chart: ctx.runtime.layout.chartOfAccounts,
			code,
			description: null,
			shortDescription: null,
			isActive: false,
			requiredDimensionTypes: [],
		}
	);
}

/**
 * Properties a personality leaves out (`Node.prop`). Sage's supplier reference page lists `companyName`, not
 * `companyName1` (doc-excerpts/graphql-official-doc-excerpts.md §3 [C]); the business partner has
 * `companyName1`/`2` (fact sheet §3.4 [C]), so the documented naming keeps those there.
 */
export function hiddenProps(naming: GraphqlSupplierName): Set<string> {
	if (naming === 'companyName')
		return new Set(['Supplier.companyName1', 'BusinessPartner.companyName']);
	if (naming === 'companyName1') return new Set(['Supplier.companyName']);
	return new Set();
}

function visibleProp(def: NodeDef, key: string, ctx: ExecContext): Prop | undefined {
	if (!hasOwn(def.props, key)) return undefined;
	if (hiddenProps(ctx.runtime.behaviour.graphqlSupplierName).has(`${def.name}.${key}`))
		return undefined;
	return def.props[key];
}

export const NODES: Record<string, NodeDef> = {
	Supplier: {
		name: 'Supplier',
		description: 'Supplier (BPSUPPLIER)',
		id: (s: EmuSupplier) => s.code,
		props: {
			code: ref('BusinessPartner', (s) => s),
			companyName1: scalar('String', (s: EmuSupplier) => s.name, 'Company name (BPSNAM)'),
			companyName: scalar(
				'String',
				(s: EmuSupplier) => s.name,
				"Company name (BPSNAM) as Sage's supplier reference page names it",
			),
			shortCompanyName: scalar('String', (s: EmuSupplier) => s.shortName),
			category: ref(
				'SupplierCategory',
				(s: EmuSupplier, ctx) =>
					ctx.runtime.state.supplierCategories.get(s.category) ?? {
						code: s.category,
						description: null,
						country: null,
						currency: null,
					},
			),
			currency: ref('Currency', (s: EmuSupplier) => (s.currency ? { code: s.currency } : null)),
			addressByDefault: ref('Address', (s: EmuSupplier) =>
				s.addressCode ? { code: s.addressCode } : null,
			),
			isActive: scalar('Boolean', (s: EmuSupplier) => s.isActive),
			...stampProps,
		},
	},
	BusinessPartner: {
		name: 'BusinessPartner',
		description: 'Business partner (BPARTNER)',
		id: (s: EmuSupplier) => s.code,
		props: {
			code: scalar('String', (s: EmuSupplier) => s.code),
			companyName1: scalar('String', (s: EmuSupplier) => s.name),
			companyName: scalar('String', (s: EmuSupplier) => s.name),
			country: ref('Country', (s: EmuSupplier) => (s.country ? { code: s.country } : null)),
			currency: ref('Currency', (s: EmuSupplier) => (s.currency ? { code: s.currency } : null)),
			isSupplier: scalar('Boolean', () => true),
			isCustomer: scalar('Boolean', () => false),
			isActive: scalar('Boolean', (s: EmuSupplier) => s.isActive),
			...stampProps,
		},
	},
	SupplierCategory: {
		name: 'SupplierCategory',
		description: 'Supplier category',
		id: (c: EmuSupplierCategory) => c.code,
		props: {
			code: scalar('String', (c: EmuSupplierCategory) => c.code),
			description: scalar('String', (c: EmuSupplierCategory) => c.description),
		},
	},
	Country: codeOnly('Country', 'Country'),
	Currency: codeOnly('Currency', 'Currency'),
	Address: codeOnly('Address', 'Address'),
	Company: codeOnly('Company', 'Company'),
	Journal: codeOnly('Journal', 'Journal'),
	ChartOfAccounts: {
		name: 'ChartOfAccounts',
		description: 'Chart of accounts',
		id: (c) => c.code,
		props: {
			code: scalar('String', (c) => c.code),
			localizedDescription: scalar('String', (c) => c.code),
		},
	},
	Site: {
		name: 'Site',
		description: 'Site (FACILITY)',
		id: (s: EmuSite) => s.code,
		props: {
			code: scalar('String', (s: EmuSite) => s.code),
			name: scalar('String', (s: EmuSite) => s.name),
			company: ref('Company', (s: EmuSite) => ({ code: s.company })),
			currency: ref('Currency', (s: EmuSite) => ({ code: s.currency })),
		},
	},
	JournalEntryType: {
		name: 'JournalEntryType',
		description: 'Journal entry type (GTE)',
		id: (t: EmuEntryType) => t.code,
		props: {
			code: scalar('String', (t: EmuEntryType) => t.code),
			description: scalar('String', (t: EmuEntryType) => t.description),
			journal: ref('Journal', (t: EmuEntryType) => ({ code: t.journal })),
		},
	},
	Account: {
		name: 'Account',
		description: 'General ledger account (GACCOUNT)',
		id: (a: EmuAccount) => `${a.chart}|${a.code}`,
		props: {
			chartOfAccounts: ref('ChartOfAccounts', (a: EmuAccount) => ({ code: a.chart })),
			code: scalar('String', (a: EmuAccount) => a.code),
			description: scalar('String', (a: EmuAccount) => a.description),
			shortDescription: scalar('String', (a: EmuAccount) => a.shortDescription),
			isActive: scalar('Boolean', (a: EmuAccount) => a.isActive),
			// Unconfirmed name: no public reference page for the account node; X3 holds this as OBYIPT per type.
			mandatoryDimensionTypes: {
				kind: 'list',
				target: 'DimensionType',
				description:
					'Dimension types mandatory on lines of this account (emulator name, unconfirmed)',
				get: (a: EmuAccount, ctx) =>
					a.requiredDimensionTypes.map(
						(type) =>
							ctx.runtime.state.dimensionTypes.get(type) ?? { code: type, description: null },
					),
			},
			...stampProps,
		},
	},
	DimensionType: {
		name: 'DimensionType',
		description: 'Dimension type (GDIE)',
		id: (t: EmuDimensionType) => t.code,
		props: {
			code: scalar('String', (t: EmuDimensionType) => t.code),
			description: scalar('String', (t: EmuDimensionType) => t.description),
		},
	},
	Dimension: {
		name: 'Dimension',
		description: 'Analytical dimension (CACCE)',
		id: (d: EmuDimension) => `${d.type}|${d.code}`,
		props: {
			dimensionType: ref(
				'DimensionType',
				(d: EmuDimension, ctx) =>
					ctx.runtime.state.dimensionTypes.get(d.type) ?? { code: d.type, description: null },
			),
			dimension: scalar('String', (d: EmuDimension) => d.code),
			localizedDescription: scalar('String', (d: EmuDimension) => d.description),
			localizedShortDescription: scalar('String', (d: EmuDimension) => d.shortDescription),
			isActive: scalar('Boolean', (d: EmuDimension) => d.isActive),
			...stampProps,
		},
	},
	JournalEntry: {
		name: 'JournalEntry',
		description: 'Journal entry (GACCENTRY)',
		id: (e: EmuJournalEntry) => `${e.entryType}|${e.documentNumber}`,
		props: {
			journalEntryType: ref(
				'JournalEntryType',
				(e: EmuJournalEntry, ctx) => ctx.runtime.state.entryTypes.get(e.entryType) ?? null,
			),
			journalEntryNumber: scalar('String', (e: EmuJournalEntry) => e.documentNumber),
			company: ref('Company', (e: EmuJournalEntry) => ({ code: e.company })),
			site: ref('Site', (e: EmuJournalEntry, ctx) => ctx.runtime.state.sites.get(e.site) ?? null),
			journal: ref('Journal', (e: EmuJournalEntry) => ({ code: e.journal })),
			accountingDate: scalar('Date', (e: EmuJournalEntry) => isoDate(e.accountingDate)),
			journalEntryStatus: scalar('String', (e: EmuJournalEntry) => e.status),
			transactionCurrency: ref('Currency', (e: EmuJournalEntry) => ({ code: e.currency })),
			reference: scalar(
				'String',
				(e: EmuJournalEntry, ctx) =>
					e.header[ctx.runtime.layout.journalEntry.fields.reference] ?? '',
			),
			description: scalar(
				'String',
				(e: EmuJournalEntry, ctx) =>
					e.header[ctx.runtime.layout.journalEntry.fields.description] ?? '',
			),
			// Unconfirmed property names for BPRVCR / BPRDATVCR / REFINT (fact sheet §3.4: "introspect").
			sourceDocument: scalar(
				'String',
				(e: EmuJournalEntry) => e.header.BPRVCR ?? '',
				'Source document BPRVCR (property name unconfirmed)',
			),
			sourceDocumentDate: scalar('Date', (e: EmuJournalEntry) =>
				e.header.BPRDATVCR ? isoDate(e.header.BPRDATVCR) : null,
			),
			internalReference: scalar(
				'String',
				(e: EmuJournalEntry) => e.header.REFINT ?? '',
				'Internal reference REFINT (property name unconfirmed)',
			),
			journalEntryLines: {
				kind: 'collection',
				target: 'JournalEntryLine',
				get: (e: EmuJournalEntry) => lineItems(e),
			},
			...stampProps,
		},
	},
	JournalEntryLine: {
		name: 'JournalEntryLine',
		description: 'Journal entry line (GACCENTRYD)',
		id: (l: LineItem) => `${l.entry.entryType}|${l.entry.documentNumber}|${l.line.lineNumber}`,
		props: {
			journalEntry: ref('JournalEntry', (l: LineItem) => l.entry),
			lineNumber: scalar('Int', (l: LineItem) => l.line.lineNumber),
			ledgerTypeNumber: scalar('Int', () => 1),
			site: ref('Site', (l: LineItem, ctx) => ctx.runtime.state.sites.get(l.entry.site) ?? null),
			accountingDate: scalar('Date', (l: LineItem) => isoDate(l.entry.accountingDate)),
			chartOfAccounts: ref('ChartOfAccounts', (_l: LineItem, ctx) => ({
				code: ctx.runtime.layout.chartOfAccounts,
			})),
			account: ref('Account', (l: LineItem, ctx) => accountItem(ctx, l.line.account)),
			businessPartner: ref('BusinessPartner', (l: LineItem, ctx) =>
				l.line.businessPartner
					? (ctx.runtime.state.suppliers.get(l.line.businessPartner) ?? null)
					: null,
			),
			sign: scalar('Int', (l: LineItem) => (l.line.debit !== null ? 1 : -1), '1 debit, -1 credit'),
			transactionAmount: scalar('Decimal', (l: LineItem) => l.line.debit ?? l.line.credit),
			ledgerAmount: scalar('Decimal', (l: LineItem) => l.line.debit ?? l.line.credit),
			lineDescription: scalar('String', (l: LineItem) => l.line.description),
			taxCode: scalar('String', (l: LineItem) => l.line.taxCode),
			dimensions: {
				kind: 'list',
				target: 'LineDimension',
				get: (l: LineItem, ctx) => lineDimensions(ctx, l.line),
			},
			analyticalLines: {
				kind: 'collection',
				target: 'JournalEntryAnalyticalLine',
				get: (l: LineItem) => [l],
			},
			_createStamp: scalar('Datetime', (l: LineItem) => l.entry.createdAt),
			_updateStamp: scalar('Datetime', (l: LineItem) => l.entry.updatedAt),
		},
	},
	JournalEntryAnalyticalLine: {
		name: 'JournalEntryAnalyticalLine',
		description: 'Analytical line (GACCENTRYA): one per line here, 100 % of its amount',
		id: (l: LineItem) => `${l.entry.entryType}|${l.entry.documentNumber}|${l.line.lineNumber}|1`,
		props: {
			lineNumber: scalar('Int', () => 1),
			transactionAmount: scalar('Decimal', (l: LineItem) => l.line.debit ?? l.line.credit),
			dimensions: {
				kind: 'list',
				target: 'LineDimension',
				get: (l: LineItem, ctx) => lineDimensions(ctx, l.line),
			},
		},
	},
	LineDimension: {
		name: 'LineDimension',
		description: 'A dimension type and value on a line',
		id: (d: { type: string; code: string }) => `${d.type}|${d.code}`,
		props: {
			dimensionType: ref(
				'DimensionType',
				(d: { type: string }, ctx) =>
					ctx.runtime.state.dimensionTypes.get(d.type) ?? { code: d.type, description: null },
			),
			dimension: ref(
				'Dimension',
				(d: { type: string; code: string }, ctx) =>
					ctx.runtime.state.getDimension(d.type, d.code) ?? {
						type: d.type,
						code: d.code,
						description: null,
						shortDescription: null,
						isActive: false,
					},
			),
		},
	},
};

/** Root packages and their queryable nodes: node name -> (items, type). */
export const PACKAGES: Record<
	string,
	Record<string, { node: string; items: (ctx: ExecContext) => Item[] }>
> = {
	x3MasterData: {
		supplier: { node: 'Supplier', items: (ctx) => [...ctx.runtime.state.suppliers.values()] },
		businessPartner: {
			node: 'BusinessPartner',
			items: (ctx) => [...ctx.runtime.state.suppliers.values()],
		},
		site: { node: 'Site', items: (ctx) => [...ctx.runtime.state.sites.values()] },
		currency: {
			node: 'Currency',
			items: (ctx) => [...ctx.runtime.state.currencies].map((code) => ({ code })),
		},
	},
	x3FinanceData: {
		account: { node: 'Account', items: (ctx) => [...ctx.runtime.state.accounts.values()] },
		chartOfAccounts: {
			node: 'ChartOfAccounts',
			items: (ctx) => [{ code: ctx.runtime.layout.chartOfAccounts }],
		},
		dimensionType: {
			node: 'DimensionType',
			items: (ctx) => [...ctx.runtime.state.dimensionTypes.values()],
		},
		dimension: { node: 'Dimension', items: (ctx) => [...ctx.runtime.state.dimensions.values()] },
		site: { node: 'Site', items: (ctx) => [...ctx.runtime.state.sites.values()] },
		journalEntryType: {
			node: 'JournalEntryType',
			items: (ctx) => [...ctx.runtime.state.entryTypes.values()],
		},
	},
	x3Finance: {
		journalEntry: { node: 'JournalEntry', items: (ctx) => [...ctx.runtime.state.journalEntries] },
		journalEntryLine: {
			node: 'JournalEntryLine',
			items: (ctx) => ctx.runtime.state.journalEntries.flatMap(lineItems),
		},
	},
};

// ---------------------------------------------------------------------------------------------------------------
// Filters

const OPERATORS = new Set([
	'_eq',
	'_ne',
	'_gt',
	'_gte',
	'_lt',
	'_lte',
	'_in',
	'_nin',
	'_regex',
	'_options',
	'_contains',
]);
const QUANTIFIERS = new Set(['_atLeast', '_atMost', '_every', '_none']);

function isObject(value: LooseValue | undefined): value is { [key: string]: LooseValue } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Old (`$in`) and current (`_in`) operator spellings both appear in Sage's pages. */
function normaliseKeys(value: LooseValue): LooseValue {
	if (Array.isArray(value)) return value.map(normaliseKeys);
	if (!isObject(value)) return value;
	const out: { [key: string]: LooseValue } = {};
	for (const [key, inner] of Object.entries(value))
		out[key.startsWith('$') ? `_${key.slice(1)}` : key] = normaliseKeys(inner);
	return out;
}

export function parseFilter(text: string | null | undefined): LooseValue | null {
	if (text === null || text === undefined || text.trim() === '') return null;
	try {
		return normaliseKeys(parseLooseJson(text));
	} catch (error) {
		if (error instanceof LooseJsonError)
			throw new FieldError(`Invalid filter: ${error.message}`, 'BAD_FILTER');
		throw error;
	}
}

function isOperatorObject(value: LooseValue): boolean {
	return (
		isObject(value) &&
		Object.keys(value).length > 0 &&
		Object.keys(value).every((key) => OPERATORS.has(key))
	);
}

export function matchNode(def: NodeDef, item: Item, filter: LooseValue, ctx: ExecContext): boolean {
	if (filter === null) return true;
	if (Array.isArray(filter)) return filter.every((part) => matchNode(def, item, part, ctx));
	if (!isObject(filter))
		throw new FieldError(`Invalid filter on ${def.name}: expected an object`, 'BAD_FILTER');
	for (const [key, condition] of Object.entries(filter)) {
		if (key === '_and' || key === '_or') {
			if (!Array.isArray(condition)) throw new FieldError(`${key} expects a list`, 'BAD_FILTER');
			const results = condition.map((part) => matchNode(def, item, part, ctx));
			if (key === '_and' ? !results.every(Boolean) : !results.some(Boolean)) return false;
			continue;
		}
		if (key === '_not') {
			if (matchNode(def, item, condition, ctx)) return false;
			continue;
		}
		if (key === '_id') {
			if (!matchScalar('Id', def.id(item, ctx), condition)) return false;
			continue;
		}
		const prop = visibleProp(def, key, ctx);
		if (!prop)
			throw new FieldError(`Invalid filter: ${def.name} has no property ${key}`, 'BAD_FILTER');
		if (!matchProp(prop, item, condition, ctx)) return false;
	}
	return true;
}

function matchProp(prop: Prop, item: Item, condition: LooseValue, ctx: ExecContext): boolean {
	if (prop.kind === 'scalar') return matchScalar(prop.type, prop.get(item, ctx), condition);
	const target = NODES[prop.target];
	if (prop.kind === 'reference') {
		const value = prop.get(item, ctx);
		if (condition === null) return value === null;
		if (!isObject(condition) || isOperatorObject(condition)) {
			return matchScalar('Id', value === null ? null : target.id(value, ctx), condition);
		}
		return value !== null && matchNode(target, value, condition, ctx);
	}
	const members = prop.get(item, ctx);
	if (!isObject(condition))
		throw new FieldError(`Invalid filter on collection: expected an object`, 'BAD_FILTER');
	const inner: { [key: string]: LooseValue } = {};
	for (const [key, value] of Object.entries(condition))
		if (!QUANTIFIERS.has(key)) inner[key] = value;
	const count = members.filter((member) => matchNode(target, member, inner, ctx)).length;
	if (condition._every === true) return count === members.length;
	if (condition._none === true) return count === 0;
	const atLeast = typeof condition._atLeast === 'number' ? condition._atLeast : 1;
	const atMost = typeof condition._atMost === 'number' ? condition._atMost : Infinity;
	return count >= atLeast && count <= atMost;
}

const NUMERIC = new Set<ScalarName>(['Int', 'Float', 'Decimal']);

function matchScalar(type: ScalarName, value: unknown, condition: LooseValue): boolean {
	if (!isObject(condition)) {
		if (Array.isArray(condition))
			throw new FieldError('Invalid filter: a list needs _in or _nin', 'BAD_FILTER');
		return equals(type, value, condition);
	}
	for (const [op, operand] of Object.entries(condition)) {
		switch (op) {
			case '_eq':
				if (!equals(type, value, operand)) return false;
				break;
			case '_ne':
				if (equals(type, value, operand)) return false;
				break;
			case '_gt':
			case '_gte':
			case '_lt':
			case '_lte': {
				const cmp = compareValues(type, value, operand);
				if (cmp === null) return false;
				if (op === '_gt' && !(cmp > 0)) return false;
				if (op === '_gte' && !(cmp >= 0)) return false;
				if (op === '_lt' && !(cmp < 0)) return false;
				if (op === '_lte' && !(cmp <= 0)) return false;
				break;
			}
			case '_in':
			case '_nin': {
				if (!Array.isArray(operand))
					throw new FieldError(`Invalid filter: ${op} expects a list`, 'BAD_FILTER');
				const found = operand.some((candidate) => equals(type, value, candidate));
				if (op === '_in' ? !found : found) return false;
				break;
			}
			case '_regex': {
				const regex = buildRegex(operand, condition._options);
				if (value === null || value === undefined || !regex.test(String(value))) return false;
				break;
			}
			case '_contains':
				if (typeof operand !== 'string' || !String(value ?? '').includes(operand)) return false;
				break;
			case '_options':
				break;
			default:
				throw new FieldError(`Invalid filter: unknown operator ${op}`, 'BAD_FILTER');
		}
	}
	return true;
}

function buildRegex(pattern: LooseValue, options: LooseValue | undefined): RegExp {
	if (typeof pattern !== 'string')
		throw new FieldError('Invalid filter: _regex expects a string', 'BAD_FILTER');
	const flags = options === undefined || options === null ? '' : String(options);
	if (!/^[imsu]*$/.test(flags))
		throw new FieldError(`Invalid filter: _options "${flags}"`, 'BAD_FILTER');
	if (pattern.length > 1000) throw new FieldError('Invalid filter: _regex too long', 'BAD_FILTER');
	try {
		return new RegExp(pattern, flags);
	} catch (error) {
		throw new FieldError(`Invalid filter: bad _regex (${(error as Error).message})`, 'BAD_FILTER');
	}
}

function equals(type: ScalarName, value: unknown, literal: LooseValue): boolean {
	if (literal === null) return value === null || value === undefined;
	if (value === null || value === undefined) return false;
	if (NUMERIC.has(type) || typeof literal === 'number') {
		const a = Number(value);
		const b = Number(literal);
		if (
			!Number.isNaN(a) &&
			!Number.isNaN(b) &&
			String(value).trim() !== '' &&
			String(literal).trim() !== ''
		)
			return a === b;
	}
	if (type === 'Boolean') return String(value) === String(literal);
	return String(value) === String(literal);
}

function compareValues(type: ScalarName, value: unknown, literal: LooseValue): number | null {
	if (
		value === null ||
		value === undefined ||
		literal === null ||
		isObject(literal) ||
		Array.isArray(literal)
	)
		return null;
	if (NUMERIC.has(type)) {
		const a = Number(value);
		const b = Number(literal);
		if (Number.isNaN(a) || Number.isNaN(b)) return null;
		return a === b ? 0 : a < b ? -1 : 1;
	}
	const a = String(value);
	const b = String(literal);
	return a === b ? 0 : a < b ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Ordering and paging

interface SortKey {
	path: string[];
	direction: 1 | -1;
}

function parseOrderBy(def: NodeDef, text: string | null | undefined, ctx: ExecContext): SortKey[] {
	if (text === null || text === undefined || text.trim() === '') return [];
	let value: LooseValue;
	try {
		value = parseLooseJson(text);
	} catch (error) {
		if (error instanceof LooseJsonError)
			throw new FieldError(`Invalid orderBy: ${error.message}`, 'BAD_ORDER_BY');
		throw error;
	}
	const keys: SortKey[] = [];
	const walk = (node: NodeDef, spec: LooseValue, path: string[]) => {
		if (!isObject(spec))
			throw new FieldError('Invalid orderBy: expected an object', 'BAD_ORDER_BY');
		for (const [key, direction] of Object.entries(spec)) {
			const prop = key === '_id' ? null : (visibleProp(node, key, ctx) ?? null);
			if (key !== '_id' && !prop)
				throw new FieldError(
					`Invalid orderBy: ${node.name} has no property ${key}`,
					'BAD_ORDER_BY',
				);
			if (isObject(direction)) {
				if (!prop || prop.kind !== 'reference')
					throw new FieldError(`Invalid orderBy: ${key} is not a reference`, 'BAD_ORDER_BY');
				walk(NODES[prop.target], direction, [...path, key]);
			} else if (direction === 1 || direction === -1) {
				if (prop && prop.kind !== 'scalar' && prop.kind !== 'reference') {
					throw new FieldError(`Invalid orderBy: ${key} cannot be sorted`, 'BAD_ORDER_BY');
				}
				keys.push({ path: [...path, key], direction });
			} else {
				throw new FieldError(`Invalid orderBy: ${key} must be 1 or -1`, 'BAD_ORDER_BY');
			}
		}
	};
	walk(def, value, []);
	return keys;
}

function sortValue(
	def: NodeDef,
	item: Item,
	path: string[],
	ctx: ExecContext,
): string | number | boolean | null {
	let node = def;
	let current: Item = item;
	for (let i = 0; i < path.length; i++) {
		if (current === null || current === undefined) return null;
		const key = path[i];
		if (key === '_id') return node.id(current, ctx);
		const prop = node.props[key];
		if (prop.kind === 'scalar') {
			const value = prop.get(current, ctx);
			if (value === null || value === undefined) return null;
			if (NUMERIC.has(prop.type) && !Number.isNaN(Number(value))) return Number(value);
			return typeof value === 'boolean' ? value : String(value);
		}
		if (prop.kind !== 'reference') return null;
		current = prop.get(current, ctx);
		node = NODES[prop.target];
		if (i === path.length - 1) return current === null ? null : node.id(current, ctx);
	}
	return null;
}

type SortTuple = Array<string | number | boolean | null>;

function compareTuples(a: SortTuple, b: SortTuple, directions: Array<1 | -1>): number {
	for (let i = 0; i < directions.length; i++) {
		const x = a[i];
		const y = b[i];
		let cmp = 0;
		if (x === y) cmp = 0;
		else if (x === null || x === undefined) cmp = -1;
		else if (y === null || y === undefined) cmp = 1;
		else if (typeof x === 'number' && typeof y === 'number') cmp = x - y;
		else cmp = String(x) < String(y) ? -1 : 1;
		if (cmp !== 0) return cmp * directions[i];
	}
	return 0;
}

export interface ConnectionArgs {
	filter?: string | null;
	first?: number | null;
	after?: string | null;
	last?: number | null;
	before?: string | null;
	orderBy?: string | null;
}

export interface Connection {
	totalCount: number;
	edges: Array<{ cursor: string; node: Item }>;
	pageInfo: {
		startCursor: string | null;
		endCursor: string | null;
		hasNextPage: boolean;
		hasPreviousPage: boolean;
	};
}

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 1000;

/** Cursors look like X3's (`["AO005"]#40`): the sort key values as JSON, `#`, the position. */
function parseCursor(cursor: string, size: number): SortTuple {
	const hash = cursor.lastIndexOf('#');
	try {
		const values = JSON.parse(hash >= 0 ? cursor.slice(0, hash) : cursor);
		if (Array.isArray(values) && values.length === size) return values;
	} catch {
		// reported below
	}
	throw new FieldError(`Invalid cursor ${JSON.stringify(cursor)}`, 'BAD_CURSOR');
}

export function connection(
	def: NodeDef,
	items: Item[],
	args: ConnectionArgs,
	ctx: ExecContext,
): Connection {
	const filter = parseFilter(args.filter);
	const keys = parseOrderBy(def, args.orderBy, ctx);
	const matching = items.filter((item) => matchNode(def, item, filter, ctx));
	const directions: Array<1 | -1> = [...keys.map((key) => key.direction), 1];
	const keyed = matching.map((item) => ({
		item,
		tuple: [
			...keys.map((key) => sortValue(def, item, key.path, ctx)),
			def.id(item, ctx),
		] as SortTuple,
	}));
	keyed.sort((a, b) => compareTuples(a.tuple, b.tuple, directions));

	for (const [name, value] of [
		['first', args.first],
		['last', args.last],
	] as const) {
		if (value !== null && value !== undefined && (!Number.isInteger(value) || value < 0)) {
			throw new FieldError(`${name} must be a non-negative integer`, 'BAD_PAGING');
		}
	}
	let start = 0;
	let end = keyed.length;
	if (args.after) {
		const after = parseCursor(args.after, directions.length);
		const index = keyed.findIndex((entry) => compareTuples(entry.tuple, after, directions) > 0);
		start = index < 0 ? keyed.length : index;
	}
	if (args.before) {
		const before = parseCursor(args.before, directions.length);
		const index = keyed.findIndex((entry) => compareTuples(entry.tuple, before, directions) >= 0);
		end = index < 0 ? keyed.length : index;
	}
	end = Math.max(start, end);
	let sliceStart = start;
	let sliceEnd = end;
	if (
		args.last !== null &&
		args.last !== undefined &&
		(args.first === null || args.first === undefined)
	) {
		sliceStart = Math.max(start, end - Math.min(args.last, MAX_PAGE_SIZE));
	} else {
		const first = Math.min(args.first ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
		sliceEnd = Math.min(end, start + first);
	}
	const page = keyed.slice(sliceStart, sliceEnd);
	const edges = page.map((entry, offset) => ({
		cursor: `${JSON.stringify(entry.tuple)}#${sliceStart + offset + 1}`,
		node: entry.item,
	}));
	return {
		totalCount: matching.length,
		edges,
		pageInfo: {
			startCursor: edges[0]?.cursor ?? null,
			endCursor: edges[edges.length - 1]?.cursor ?? null,
			hasNextPage: sliceEnd < keyed.length,
			hasPreviousPage: sliceStart > 0,
		},
	};
}

export function readById(def: NodeDef, items: Item[], id: string, ctx: ExecContext): Item | null {
	const exact = items.find((item) => def.id(item, ctx) === id);
	if (exact) return exact;
	// Accounts and dimensions have composite ids; a bare code is accepted when it is unambiguous.
	const partial = items.filter((item) => def.id(item, ctx).endsWith(`|${id}`));
	return partial.length === 1 ? partial[0] : null;
}
