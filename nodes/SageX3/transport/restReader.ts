import { X3Error, X3TraceCheckUnverifiableError, X3TraceLookupIncompleteError } from './errors';
import type { PostedJournalEntry, TraceLookupOptions } from './gateway.types';
import {
	ScanningReader,
	accountFromRecord,
	answersSearch,
	clampLimit,
	readEntries,
	addHolder,
	dimensionFromRecord,
	inDateRange,
	journalFromRecords,
	labelledCode,
	matchLineTrace,
	settled,
	supplierFromRecord,
	traceVerdict,
} from './readers';
import type { DescriptionQuery, ReaderEnvironment, SupplierQuery, X3Reader } from './readers';
import { text } from './records';
import { where } from './rest';
import type { X3RestClient } from './rest';

/**
 * Reads through REST api1. Record property names are the X3 field names (layout and SOAP names); classes and
 * representations come from the REST names. Name/description searches are filtered locally (SData `like` is
 * case-sensitive and knows no accents) over at most `scanLimit` rows; code prefixes go to the server.
 *
 * findPostedTraceIds costs one call per batch of up to 40 ids for entry-level ids (`TRACE in (…)` on the journal
 * entry class) and, when a line trace field is configured, one more on the journal line class (`FIELD like 'id%'`
 * or'ed), because api1 cannot filter a parent on its child rows.
 *
 * The lookups' return types are X3Lookups' own (checked through `implements X3Reader`), not restated here.
 */
export class RestReader extends ScanningReader implements X3Reader {
	readonly batchesIds = true;

	constructor(
		private readonly rest: X3RestClient,
		env: ReaderEnvironment,
	) {
		super(env);
	}

	private get names() {
		return this.env.restNames;
	}

	async getSupplier(code: string) {
		const { className, representation } = this.names.supplier;
		const resource = await this.rest.details(className, representation, code);
		return resource ? supplierFromRecord(resource, this.env.layout) : null;
	}

	async searchSuppliers(query: SupplierQuery) {
		const { className, representation } = this.names.supplier;
		const fields = this.env.layout.supplier.fields;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const source =
			query.name && !query.code
				? fromArray(await this.scanSuppliers())
				: this.rest.query(className, representation, {
						where: query.code ? where.startsWith(fields.code, query.code) : undefined,
						maxItems: query.name ? this.env.scanLimit : limit,
					});
		return await this.collect(
			source,
			limit,
			(record) => supplierFromRecord(record, this.env.layout),
			(supplier) => answersSearch(supplier.code, supplier.name, query.code, query.name),
		);
	}

	private async scanSuppliers(): Promise<Array<Record<string, unknown>>> {
		return await this.supplierScan.get(async () => {
			const { className, representation } = this.names.supplier;
			const rows: Array<Record<string, unknown>> = [];
			for await (const record of this.rest.query(className, representation, {
				maxItems: this.env.scanLimit,
			}))
				rows.push(record);
			return rows;
		});
	}

	async getAccount(code: string) {
		const { className, representation } = this.names.account;
		const resource = await this.rest.details(className, representation, [
			this.env.layout.chartOfAccounts,
			code,
		]);
		return resource
			? accountFromRecord(resource, this.env.soapNames.account, this.env.layout.chartOfAccounts)
			: null;
	}

	async searchAccounts(query: DescriptionQuery) {
		const names = this.env.soapNames.account;
		const chart = where.eq(names.chart, this.env.layout.chartOfAccounts);
		return await this.collect(
			this.searchRecords(this.names.account, chart, names.code, query),
			clampLimit(query.limit, this.env.defaultLimit),
			(record) => accountFromRecord(record, names, this.env.layout.chartOfAccounts),
			(account) => answersSearch(account.code, account.description, query.code, query.description),
		);
	}

	/**
	 * The records of an account or dimension search: `criterion` and the code prefix go to the server; when a
	 * description is asked (filtered locally), up to `scanLimit` records are read.
	 */
	private searchRecords(
		n: { className: string; representation: string },
		criterion: string,
		codeField: string,
		query: DescriptionQuery,
	): AsyncGenerator<Record<string, unknown>> {
		return this.rest.query(n.className, n.representation, {
			where: where.and(criterion, query.code ? where.startsWith(codeField, query.code) : undefined),
			maxItems: query.description
				? this.env.scanLimit
				: clampLimit(query.limit, this.env.defaultLimit),
		});
	}

	async listDimensionTypes() {
		const n = this.names.dimensionType;
		const listed = await this.listLabelled(n, 'description', n.description).then(
			(types) => ({ types }),
			(error: unknown) => ({ error }),
		);
		if ('types' in listed) return listed.types;
		// Many folders expose no dimension-type class: the layout's own list is the next best answer.
		if (listed.error instanceof X3Error && listed.error.statusCode === 404) {
			return this.env.layout.dimensionTypes.map((code) => ({ code, description: null }));
		}
		throw listed.error;
	}

	async searchDimensions(type: string, query: DescriptionQuery) {
		const names = this.env.soapNames.dimension;
		const ofType = where.eq(names.type, type);
		return await this.collect(
			this.searchRecords(this.names.dimension, ofType, names.code, query),
			clampLimit(query.limit, this.env.defaultLimit),
			(record) => dimensionFromRecord(record, names, type),
			(dimension) =>
				dimension.type === type &&
				answersSearch(dimension.code, dimension.description, query.code, query.description),
		);
	}

	async listSites() {
		return await this.listLabelled(this.names.site, 'name', this.names.site.name);
	}

	async listEntryTypes() {
		const n = this.names.entryType;
		return await this.listLabelled(n, 'description', n.description);
	}

	/** Up to `scanLimit` codes of a class with their label (the label property under `labelKey`). */
	private async listLabelled<K extends string>(
		n: { className: string; representation: string; code: string },
		labelKey: K,
		labelProperty: string,
	) {
		return await this.collect(
			this.rest.query(n.className, n.representation, { maxItems: this.env.scanLimit }),
			this.env.scanLimit,
			(record) => labelledCode(record[n.code], labelKey, record[labelProperty]),
		);
	}

	async findPostedTraceIds(traceIds: string[], options: TraceLookupOptions = {}) {
		const first = (holders: Map<string, string[]>) =>
			new Map([...holders].map(([id, numbers]) => [id, numbers[0]] as const));
		const lookup = await settled(this.traceHolders(traceIds, false, options.linesOnly));
		if (lookup.ok) return first(lookup.value);
		const error = lookup.error;
		if (!(error instanceof X3TraceLookupIncompleteError)) throw error;
		throw new X3TraceLookupIncompleteError(
			this.env.node,
			first(error.found as Map<string, string[]>),
			error.failedIds,
			error.firstError,
		);
	}

	async findTraceHolders(traceIds: string[], options: TraceLookupOptions = {}) {
		return await this.traceHolders(traceIds, true, options.linesOnly);
	}

	/**
	 * Entry level first; line level for the ids not found there, or for all of them with `everyHolder`.
	 * `linesOnly` (with a line trace field) skips the entry level: one request instead of two. Fails closed: a
	 * record counts only when its trace property shows the id; a record without it, or with a value the criterion
	 * excludes, raises X3TraceCheckUnverifiableError. When the line request fails after the entry level found
	 * some ids (and only the others were asked), those stay found (X3TraceLookupIncompleteError).
	 */
	private async traceHolders(
		traceIds: string[],
		everyHolder: boolean,
		linesOnly = false,
	): Promise<Map<string, string[]>> {
		const found = new Map<string, string[]>();
		if (traceIds.length === 0) return found;
		const { fields, lineTraceField } = this.env.layout.journalEntry;
		const entry = this.names.journalEntry;
		if (!(linesOnly && lineTraceField)) {
			for await (const record of this.rest.query(entry.className, entry.representation, {
				where: where.in(fields.traceField, traceIds),
				count: Math.max(traceIds.length * 2, 20),
			})) {
				const number = this.traceRecordNumber(
					record,
					entry.className,
					fields.traceField,
					fields.documentNumber,
					traceIds,
					false,
				);
				const id = text(record[fields.traceField]);
				if (number !== null && id !== null) addHolder(found, id, number);
			}
		}
		const remaining = everyHolder ? traceIds : traceIds.filter((id) => !found.has(id));
		if (lineTraceField && remaining.length > 0) {
			const line = this.names.journalEntryLine;
			const lines = await settled(
				(async () => {
					for await (const record of this.rest.query(line.className, line.representation, {
						where: where.or(...remaining.map((id) => where.startsWith(lineTraceField, id))),
						count: Math.max(remaining.length * 4, 20),
					})) {
						const number = this.traceRecordNumber(
							record,
							line.className,
							lineTraceField,
							line.entryNumber,
							remaining,
							true,
						);
						const id = matchLineTrace(record[lineTraceField], remaining);
						if (number !== null && id !== null) addHolder(found, id, number);
					}
				})(),
			);
			if (!lines.ok) {
				// Ids the entry level proved stay proved; only the ids the line request asked for failed.
				if (found.size === 0 || everyHolder) throw lines.error;
				throw new X3TraceLookupIncompleteError(this.env.node, found, remaining, lines.error);
			}
		}
		return found;
	}

	/**
	 * The document number of a record a trace query returned, after checking that it answers the criterion:
	 * null for a line whose value merely starts with an id (a longer id); X3TraceCheckUnverifiableError for a
	 * record without the trace property, without a number, or with a value none of the ids explains.
	 */
	private traceRecordNumber(
		record: Record<string, unknown>,
		className: string,
		field: string,
		numberProperty: string,
		traceIds: string[],
		lineLevel: boolean,
	): string | null {
		const unverifiable = (finding: string) =>
			new X3TraceCheckUnverifiableError(
				this.env.node,
				{ readApi: 'REST api1', source: `class ${className}`, field },
				traceIds.length === 1 ? traceIds[0] : `${traceIds[0]} (and ${traceIds.length - 1} more)`,
				finding,
			);
		if (!(field in record))
			throw unverifiable(
				`returned a record without the property ${field} (not in the $query representation)`,
			);
		const number = text(record[numberProperty]);
		if (number === null)
			throw unverifiable(`returned a record without the document number ${numberProperty}`);
		const verdicts = traceIds.map((id) => traceVerdict(record[field], id, lineLevel));
		if (verdicts.includes('holds')) return number;
		if (verdicts.includes('other')) return null;
		throw unverifiable(
			`returned record ${number} whose ${field} is "${text(record[field]) ?? ''}"`,
		);
	}

	async findJournalEntriesByTraceId(traceId: string) {
		const { fields, lineTraceField } = this.env.layout.journalEntry;
		const entry = this.names.journalEntry;
		const numbers = new Map<string, string | null>();
		for await (const record of this.rest.query(entry.className, entry.representation, {
			where: where.eq(fields.traceField, traceId),
			maxItems: this.env.scanLimit,
		})) {
			const number = this.traceRecordNumber(
				record,
				entry.className,
				fields.traceField,
				fields.documentNumber,
				[traceId],
				false,
			);
			if (number) numbers.set(number, text(record[fields.entryType]));
		}
		if (lineTraceField) {
			const entryLevel = numbers.size;
			const line = this.names.journalEntryLine;
			const lines = await settled(
				(async () => {
					for await (const record of this.rest.query(line.className, line.representation, {
						where: where.startsWith(lineTraceField, traceId),
						maxItems: this.env.scanLimit,
					})) {
						const number = this.traceRecordNumber(
							record,
							line.className,
							lineTraceField,
							line.entryNumber,
							[traceId],
							true,
						);
						if (number && !numbers.has(number)) numbers.set(number, text(record[fields.entryType]));
					}
				})(),
			);
			// The entry level proved the id is in X3 (e.g. after a save whose answer was lost): keep that.
			if (!lines.ok && entryLevel === 0) throw lines.error;
		}
		return await readEntries(
			numbers,
			async ([number, entryType]) => await this.details(number, entryType),
		);
	}

	async listTracedJournalEntries(range: { from: string; to: string }) {
		const { fields } = this.env.layout.journalEntry;
		const entry = this.names.journalEntry;
		const numbers = new Map<string, string | null>();
		for await (const record of this.rest.query(entry.className, entry.representation, {
			where: where.and(
				where.ge(fields.accountingDate, { date: range.from }),
				where.le(fields.accountingDate, { date: range.to }),
				where.startsWith(fields.traceField, this.env.tracePrefix),
			),
		})) {
			const number = text(record[fields.documentNumber]);
			if (number) numbers.set(number, text(record[fields.entryType]));
		}
		const entries = await readEntries(
			numbers,
			async ([number, entryType]) => await this.details(number, entryType),
		);
		return entries.filter((posted) => inDateRange(posted.accountingDate, range));
	}

	private async details(
		documentNumber: string,
		entryType: string | null,
	): Promise<PostedJournalEntry | null> {
		const entry = this.names.journalEntry;
		const key = entry.keyWithEntryType && entryType ? [entryType, documentNumber] : documentNumber;
		const resource = await this.rest.details(entry.className, entry.representation, key);
		if (!resource) return null;
		const linesValue =
			resource[entry.linesProperty] ?? resource[this.env.layout.journalEntry.linesBlock];
		const lines = Array.isArray(linesValue)
			? linesValue.filter(
					(line): line is Record<string, unknown> => !!line && typeof line === 'object',
				)
			: [];
		return journalFromRecords(resource, lines, this.env.layout, this.env.tracePrefix);
	}

	private async collect<T>(
		source: AsyncGenerator<Record<string, unknown>>,
		limit: number,
		map: (record: Record<string, unknown>) => T | null,
		keep: (value: T) => boolean = () => true,
	): Promise<T[]> {
		const results: T[] = [];
		for await (const record of source) {
			const value = map(record);
			if (value !== null && keep(value)) results.push(value);
			if (results.length >= limit) break;
		}
		return results;
	}
}

async function* fromArray<T>(values: T[]): AsyncGenerator<T> {
	yield* values;
}
