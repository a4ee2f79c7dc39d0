import type { INode } from 'n8n-workflow';

import { SharedPromise } from '../../common/sharedPromises';
import type {
	PostedJournalEntry,
	X3Account,
	X3Dimension,
	X3Layout,
	X3Lookups,
	X3Supplier,
} from './gateway.types';
import { X3TraceLookupIncompleteError } from './errors';
import type { X3GraphqlNames, X3RestNames, X3SoapNames } from './names';
import {
	absoluteAmount,
	isZeroAmount,
	leadingTraceId,
	listValue,
	text,
	textOrEmpty,
	yes,
	fromX3Date,
	startsWithFolded,
	containsFolded,
} from './records';

/** A supplier search as X3Lookups takes it. */
export type SupplierQuery = Parameters<X3Lookups['searchSuppliers']>[0];

/** An account or dimension search as X3Lookups takes it. */
export type DescriptionQuery = Parameters<X3Lookups['searchAccounts']>[0];

/** The read side of the gateway; one implementation per API style. */
export interface X3Reader extends X3Lookups {
	/** Trace ids one lookup request carries: the gateway splits larger sets into batches of this size. */
	readonly traceBatchSize: number;
	/**
	 * Whether one lookup request carries several ids, so a failed batch is worth asking again in halves. SOAP asks
	 * id by id and keeps each id's failure to itself already.
	 */
	readonly batchesIds: boolean;
}

/**
 * Trace ids per lookup request on REST (its where clause goes in the URL) and per batch on SOAP; GraphQL carries
 * four times as many (GRAPHQL_TRACE_BATCH_SIZE).
 */
export const FIND_BATCH_SIZE = 40;

/**
 * Trace ids per GraphQL lookup request: four line selections of about 40 ids each (20-character ids keep each
 * selection's regex under MAX_TRACE_REGEX_LENGTH, graphqlReader.ts) beside one entry filter.
 */
export const GRAPHQL_TRACE_BATCH_SIZE = 4 * FIND_BATCH_SIZE;

/**
 * What the REST and SOAP readers share: trace lookups in batches of FIND_BATCH_SIZE, and the supplier rows a name
 * search filters locally (neither API offers a case- and accent-insensitive contains), read once per reader (one
 * node execution) and shared by every vendor's search.
 */
export abstract class ScanningReader {
	readonly traceBatchSize = FIND_BATCH_SIZE;

	// A failed scan is not kept (SharedPromise): the next search tries again.
	protected readonly supplierScan = new SharedPromise<Array<Record<string, unknown>>>();

	constructor(protected readonly env: ReaderEnvironment) {}
}

export interface ReaderEnvironment {
	node: INode;
	layout: X3Layout;
	/** Every trace id starts with it ('BRX'); used to list traced entries and to spot line trace ids. */
	tracePrefix: string;
	/** Rows scanned at most when a search has to be filtered locally. */
	scanLimit: number;
	/** Default number of results of a search. */
	defaultLimit: number;
	soapNames: X3SoapNames;
	graphqlNames: X3GraphqlNames;
	restNames: X3RestNames;
}

// ---------------------------------------------------------------------------------------------------------------
// Records keyed by X3 field names (SOAP results and api1 resources)

/** Reads one field of a record: an X3 field name of a SOAP or REST record, or a path in a GraphQL node. */
export type FieldReader = (field: string) => unknown;

const SUPPLIER_FIELDS = [
	'code',
	'name',
	'shortName',
	'category',
	'country',
	'currency',
	'isActive',
] as const;

type SupplierFieldNames = Record<(typeof SUPPLIER_FIELDS)[number], string>;

/** The fields supplierFromFields reads, in its order: what a reader has to select. */
export function supplierFieldList(fields: SupplierFieldNames): string[] {
	return SUPPLIER_FIELDS.map((key) => fields[key]);
}

/** A supplier from its fields, whichever API read them; null without a code. */
export function supplierFromFields(
	read: FieldReader,
	fields: SupplierFieldNames,
): X3Supplier | null {
	const code = text(read(fields.code));
	if (code === null) return null;
	return {
		code,
		name: textOrEmpty(read(fields.name)),
		shortName: text(read(fields.shortName)),
		category: text(read(fields.category)),
		country: text(read(fields.country)),
		currency: text(read(fields.currency)),
		isActive: yes(read(fields.isActive)),
	};
}

export function supplierFromRecord(
	record: Record<string, unknown>,
	layout: X3Layout,
): X3Supplier | null {
	return supplierFromFields((field) => record[field], layout.supplier.fields);
}

export function accountFromRecord(
	record: Record<string, unknown>,
	names: X3SoapNames['account'],
	defaultChart: string,
): X3Account | null {
	const code = text(record[names.code]);
	if (code === null) return null;
	const types = listValue(record, names.dimensionTypes);
	const required = names.dimensionRequired ? listValue(record, names.dimensionRequired) : [];
	const requiredDimensionTypes = types.filter((type, index) => {
		if (type === '') return false;
		if (required.length === 0) return true;
		return yes(required[index], false);
	});
	return {
		chart: text(record[names.chart]) ?? defaultChart,
		code,
		description: text(record[names.description]),
		isActive: yes(record[names.isActive]),
		requiredDimensionTypes,
	};
}

/** A dimension value from its fields, whichever API read them; `fallbackType` when the type is not read. */
export function dimensionFromFields(
	read: FieldReader,
	names: Record<'type' | 'code' | 'description' | 'isActive', string>,
	fallbackType: string,
): X3Dimension | null {
	const code = text(read(names.code));
	if (code === null) return null;
	return {
		type: text(read(names.type)) ?? fallbackType,
		code,
		description: text(read(names.description)),
		isActive: yes(read(names.isActive)),
	};
}

export function dimensionFromRecord(
	record: Record<string, unknown>,
	names: X3SoapNames['dimension'],
	fallbackType: string,
): X3Dimension | null {
	return dimensionFromFields((field) => record[field], names, fallbackType);
}

/** A listed code with its label (a site's name, an entry type's description); null for a row without a code. */
export function labelledCode<K extends string>(
	code: unknown,
	labelKey: K,
	label: unknown,
): ({ code: string } & Record<K, string | null>) | null {
	const value = text(code);
	if (value === null) return null;
	return { code: value, [labelKey]: text(label) } as { code: string } & Record<K, string | null>;
}

/**
 * Whether a record answers a search as asked: its code starts with `askedCode` and its label contains
 * `askedText`, both case- and accent-folded. Every reader re-checks what X3 returned with it.
 */
export function answersSearch(
	code: string,
	label: string | null,
	askedCode: string | undefined,
	askedText: string | undefined,
): boolean {
	return startsWithFolded(code, askedCode ?? '') && containsFolded(label, askedText ?? '');
}

type PostedLine = NonNullable<PostedJournalEntry['lines']>[number];

export function lineFromRecord(
	record: Record<string, unknown>,
	layout: X3Layout,
	tracePrefix: string,
): PostedLine {
	const fields = layout.journalEntry.fields;
	const debit = absoluteAmount(record[fields.debit]);
	const credit = absoluteAmount(record[fields.credit]);
	const dimensions: Record<string, string> = {};
	const listed = Array.isArray(record[fields.dimensionPrefix])
		? listValue(record, fields.dimensionPrefix)
		: undefined;
	layout.dimensionTypes.forEach((type, index) => {
		const value = listed ? listed[index] : text(record[`${fields.dimensionPrefix}${index + 1}`]);
		if (value) dimensions[type] = value;
	});
	return {
		account: textOrEmpty(record[fields.account]),
		debit: isZeroAmount(debit) ? null : debit,
		credit: isZeroAmount(credit) ? null : credit,
		dimensions,
		businessPartner: text(record[fields.businessPartner]),
		description: text(record[fields.lineDescription]),
		lineTraceId: leadingTraceId(record[layout.journalEntry.lineTraceField], tracePrefix),
	};
}

/**
 * Entry lines with the dimension fields of the analytics table (layout analyticsBlock) put back on the line each
 * distribution line names by its line field (LIN, 1-based), so lineFromRecord reads them as on a line-field
 * layout. Without an analytics block the lines are returned as they are.
 */
export function joinAnalytics(
	lines: Array<Record<string, unknown>>,
	distribution: Array<Record<string, unknown>>,
	layout: X3Layout,
): Array<Record<string, unknown>> {
	const journal = layout.journalEntry;
	if (!journal.analyticsBlock?.trim()) return lines;
	const lineField = journal.analyticsLineField?.trim() || 'LIN';
	const prefix = journal.fields.dimensionPrefix;
	const joined = lines.map((line) => ({ ...line }));
	for (const row of distribution) {
		const number = Number(text(row[lineField]));
		if (!Number.isInteger(number) || number < 1 || number > joined.length) continue;
		const target = joined[number - 1];
		for (const [name, value] of Object.entries(row)) {
			const dimensionField =
				name === prefix || (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)));
			if (dimensionField) target[name] = value;
		}
	}
	return joined;
}

export function journalFromRecords(
	header: Record<string, unknown>,
	lines: Array<Record<string, unknown>> | undefined,
	layout: X3Layout,
	tracePrefix: string,
): PostedJournalEntry | null {
	const fields = layout.journalEntry.fields;
	const documentNumber = text(header[fields.documentNumber]);
	if (documentNumber === null) return null;
	const mappedLines = lines?.map((line) => lineFromRecord(line, layout, tracePrefix));
	const entry: PostedJournalEntry = {
		documentNumber,
		entryType: text(header[fields.entryType]),
		traceId: text(header[fields.traceField]),
		accountingDate: fromX3Date(header[fields.accountingDate]),
		currency: text(header[fields.currency]),
		lineTraceIds: uniqueTraceIds(mappedLines?.map((line) => line.lineTraceId) ?? []),
	};
	if (mappedLines) entry.lines = mappedLines;
	return entry;
}

export function uniqueTraceIds(values: Array<string | null>): string[] {
	return [...new Set(values.filter((value): value is string => value !== null))];
}

/** Records that entry `number` holds trace id `id`: each number once per id, in the order found. */
export function addHolder(holders: Map<string, string[]>, id: string, number: string): void {
	const numbers = holders.get(id);
	if (!numbers) holders.set(id, [number]);
	else if (!numbers.includes(number)) numbers.push(number);
}

/** The entries read one after the other (a call each), leaving out those no longer there. */
export async function readEntries<K>(
	keys: Iterable<K>,
	read: (key: K) => Promise<PostedJournalEntry | null>,
): Promise<PostedJournalEntry[]> {
	const entries: PostedJournalEntry[] = [];
	for (const key of keys) {
		const entry = await read(key);
		if (entry) entries.push(entry);
	}
	return entries;
}

/** Which of `traceIds` a line value starts with (followed by a space or the end). */
export function matchLineTrace(value: unknown, traceIds: Iterable<string>): string | null {
	const raw = text(value);
	if (raw === null) return null;
	for (const id of traceIds) {
		if (raw === id || raw.startsWith(`${id} `)) return id;
	}
	return null;
}

/**
 * What a trace value a lookup returned says about `traceId`: 'holds' (equal; on a line, the id followed by a space
 * or the end), 'other' (a line value that merely starts with the id, e.g. a longer id: the prefix criterion was
 * applied, this row is just not a holder) or 'unrelated' (the criterion was not applied: proof that an absent
 * match proves nothing either).
 */
export function traceVerdict(
	value: unknown,
	traceId: string,
	lineLevel: boolean,
): 'holds' | 'other' | 'unrelated' {
	const raw = text(value) ?? '';
	if (!lineLevel) return raw === traceId ? 'holds' : 'unrelated';
	if (matchLineTrace(raw, [traceId]) !== null) return 'holds';
	return raw.startsWith(traceId) ? 'other' : 'unrelated';
}

/**
 * Runs one lookup per id (SOAP asks X3 id by id) and keeps each id's failure to itself: the answered ids are
 * returned, or carried by X3TraceLookupIncompleteError when others failed. When every id failed, the first error
 * is thrown as it is.
 */
export async function settlePerId<V>(
	node: INode,
	traceIds: string[],
	lookup: (traceId: string) => Promise<V | undefined>,
): Promise<Map<string, V>> {
	const found = new Map<string, V>();
	const failed: string[] = [];
	let firstError: unknown;
	// Issued together; the shared limiter keeps them within the pool size.
	await Promise.all(
		traceIds.map(async (traceId) => {
			try {
				const value = await lookup(traceId);
				if (value !== undefined) found.set(traceId, value);
			} catch (error) {
				failed.push(traceId);
				firstError ??= error;
			}
		}),
	);
	if (failed.length === 0) return found;
	if (failed.length === traceIds.length) throw firstError;
	throw new X3TraceLookupIncompleteError(node, found, failed, firstError);
}

/** A promise's outcome as a value, so a caller can decide after the fact what a failure means. */
export async function settled<T>(
	promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

/** Whether a mapped record is there (a row without a code maps to null). */
export function present<T>(value: T | null): value is T {
	return value !== null;
}

export function clampLimit(limit: number | undefined, fallback: number): number {
	const value = Math.floor(Number(limit ?? fallback));
	return Number.isFinite(value) && value > 0 ? Math.min(value, 1000) : fallback;
}

export function inDateRange(date: string | null, range: { from: string; to: string }): boolean {
	return date !== null && date >= range.from && date <= range.to;
}
