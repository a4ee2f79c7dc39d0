import { NodeOperationError } from 'n8n-workflow';

import { X3BusinessError, X3TraceCheckUnverifiableError } from './errors';
import type { PostedJournalEntry, TraceLookupOptions } from './gateway.types';
import {
	ScanningReader,
	accountFromRecord,
	answersSearch,
	clampLimit,
	readEntries,
	present,
	dimensionFromRecord,
	inDateRange,
	joinAnalytics,
	journalFromRecords,
	labelledCode,
	settled,
	settlePerId,
	traceVerdict,
	supplierFromRecord,
} from './readers';
import type { DescriptionQuery, ReaderEnvironment, SupplierQuery, X3Reader } from './readers';
import { fromX3Date, text } from './records';
import { flattenRecord, isRecord, resultRows } from './soapXml';
import type { X3SoapClient } from './soap';
import type { X3KeyValue, X3ResultData } from './soapXml';

/**
 * Reads through SOAP `read` and `query`. SOAP query criteria are objectKeys matched exactly or as a prefix with a
 * trailing `*`, with no paging (listSize caps the rows) and no case-insensitive or range criteria, so name and
 * description searches scan up to `scanLimit` rows and filter locally.
 *
 * Cost of the trace lookups: findPostedTraceIds makes one query per trace id on the entry trace field, plus one on
 * the line trace field (`id*`) for ids not found at entry level, so 1 to 2 calls per id (findTraceHolders always
 * makes both; `linesOnly` makes only the line query; GraphQL and REST do a batch of 40 ids in one call). `query`
 * returns left-list fields only: a row without the trace field is verified by reading its entry back (one `read`
 * per entry and lookup, shared by the ids it holds), so a found id may cost one more call; an empty answer costs
 * none. findJournalEntriesByTraceId and listTracedJournalEntries add one `read` per entry found.
 *
 * The lookups' return types are X3Lookups' own (checked through `implements X3Reader`), not restated here.
 */
export class SoapReader extends ScanningReader implements X3Reader {
	readonly batchesIds = false;

	constructor(
		private readonly soap: X3SoapClient,
		env: ReaderEnvironment,
	) {
		super(env);
	}

	async getSupplier(code: string) {
		const { publication, block, fields } = this.env.layout.supplier;
		const result = await this.soap.readOrNull(publication, [{ key: fields.code, value: code }]);
		if (!result) return null;
		return supplierFromRecord(blockRecord(result.data, block), this.env.layout);
	}

	async searchSuppliers(query: SupplierQuery) {
		const { publication, fields } = this.env.layout.supplier;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		let rows: Array<Record<string, unknown>>;
		if (query.name && !query.code) {
			rows = await this.supplierScan.get(() => this.queryRows(publication, [], this.env.scanLimit));
		} else {
			rows = await this.searchRows(publication, [], fields.code, query.code, !!query.name, limit);
		}
		return rows
			.map((row) => supplierFromRecord(row, this.env.layout))
			.filter(present)
			.filter((supplier) => answersSearch(supplier.code, supplier.name, query.code, query.name))
			.slice(0, limit);
	}

	async getAccount(code: string) {
		const { publication, block } = this.env.layout.account;
		const names = this.env.soapNames.account;
		const result = await this.soap.readOrNull(publication, [
			{ key: names.chart, value: this.env.layout.chartOfAccounts },
			{ key: names.code, value: code },
		]);
		if (!result) return null;
		return accountFromRecord(
			blockRecord(result.data, block),
			names,
			this.env.layout.chartOfAccounts,
		);
	}

	async searchAccounts(query: DescriptionQuery) {
		const { publication } = this.env.layout.account;
		const names = this.env.soapNames.account;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const chart: X3KeyValue = { key: names.chart, value: this.env.layout.chartOfAccounts };
		const rows = await this.searchRows(
			publication,
			[chart],
			names.code,
			query.code,
			!!query.description,
			limit,
		);
		return rows
			.map((row) => accountFromRecord(row, names, this.env.layout.chartOfAccounts))
			.filter(present)
			.filter((account) =>
				answersSearch(account.code, account.description, query.code, query.description),
			)
			.slice(0, limit);
	}

	async listDimensionTypes() {
		const names = this.env.soapNames.dimensionType;
		if (!names.publication) {
			return this.env.layout.dimensionTypes.map((code) => ({ code, description: null }));
		}
		const rows = await this.queryRows(names.publication, [], this.env.scanLimit);
		return rows
			.map((row) => labelledCode(row[names.code], 'description', row[names.description]))
			.filter(present);
	}

	async searchDimensions(type: string, query: DescriptionQuery) {
		const { publication } = this.env.layout.dimension;
		const names = this.env.soapNames.dimension;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const rows = await this.searchRows(
			publication,
			[{ key: names.type, value: type }],
			names.code,
			query.code,
			!!query.description,
			limit,
		);
		return rows
			.map((row) => dimensionFromRecord(row, names, type))
			.filter(present)
			.filter((dimension) => dimension.type === type)
			.filter((dimension) =>
				answersSearch(dimension.code, dimension.description, query.code, query.description),
			)
			.slice(0, limit);
	}

	async listSites() {
		const names = this.env.soapNames.site;
		const rows = await this.queryRows(
			this.requirePublication(names.publication, 'sites'),
			[],
			this.env.scanLimit,
		);
		return rows
			.map((row) => labelledCode(row[names.code], 'name', row[names.name]))
			.filter(present);
	}

	async listEntryTypes() {
		const names = this.env.soapNames.entryType;
		const publication = this.requirePublication(names.publication, 'journal entry types');
		const rows = await this.queryRows(publication, [], this.env.scanLimit);
		return rows
			.map((row) => labelledCode(row[names.code], 'description', row[names.description]))
			.filter(present);
	}

	async findPostedTraceIds(traceIds: string[], options: TraceLookupOptions = {}) {
		return await this.holderNumbers(traceIds, 'first', options, (refs) => refs[0].documentNumber);
	}

	async findTraceHolders(traceIds: string[], options: TraceLookupOptions = {}) {
		return await this.holderNumbers(traceIds, 'every', options, (refs) =>
			refs.map((ref) => ref.documentNumber),
		);
	}

	/** One lookup per id (settlePerId), with `pick` applied to the entries found; ids with none are left out. */
	private async holderNumbers<V>(
		traceIds: string[],
		mode: 'first' | 'every',
		options: TraceLookupOptions,
		pick: (refs: TraceRef[]) => V,
	): Promise<Map<string, V>> {
		const readBack = new ReadBackCache((number, type) => this.readJournal(number, type));
		return await settlePerId(this.env.node, traceIds, async (traceId) => {
			const refs = await this.documentNumbersForTrace(traceId, mode, readBack, options.linesOnly);
			return refs.length > 0 ? pick(refs) : undefined;
		});
	}

	async findJournalEntriesByTraceId(traceId: string) {
		const readBack = new ReadBackCache((number, type) => this.readJournal(number, type));
		const refs = await this.documentNumbersForTrace(traceId, 'entries', readBack);
		return await readEntries(
			refs,
			async (ref) => await readBack.get(ref.documentNumber, ref.entryType),
		);
	}

	async listTracedJournalEntries(range: { from: string; to: string }) {
		const { publication, fields } = this.env.layout.journalEntry;
		const listSize = this.env.scanLimit;
		const rows = await this.queryRows(
			publication,
			[{ key: fields.traceField, value: `${this.env.tracePrefix}*` }],
			listSize,
		);
		if (rows.length >= listSize) {
			throw new NodeOperationError(
				this.env.node,
				`More than ${listSize} traced journal entries match in X3; SOAP query cannot filter by date or page`,
				{
					description:
						'Use the GraphQL or REST read API for reconciliation, or raise the SOAP scan limit.',
				},
			);
		}
		// An entry whose trace does not start with the prefix proves X3 did not apply the criterion: the list would
		// mix in untraced entries (and could miss traced ones), so it is refused rather than reconciled.
		const traced = (value: unknown) => (text(value) ?? '').startsWith(this.env.tracePrefix);
		const unverifiable = (documentNumber: string, value: unknown) =>
			new X3TraceCheckUnverifiableError(
				this.env.node,
				{ readApi: 'SOAP query', source: `publication ${publication}`, field: fields.traceField },
				`${this.env.tracePrefix}*`,
				`returned entry ${documentNumber} whose ${fields.traceField} is "${text(value) ?? ''}"`,
			);
		const entries: PostedJournalEntry[] = [];
		for (const row of rows) {
			const documentNumber = text(row[fields.documentNumber]);
			if (documentNumber === null) continue;
			if (fields.traceField in row && !traced(row[fields.traceField]))
				throw unverifiable(documentNumber, row[fields.traceField]);
			// Skip the read when the left list already shows a date outside the range.
			const listedDate = fromX3Date(row[fields.accountingDate]);
			if (listedDate !== null && !inDateRange(listedDate, range)) continue;
			const entry = await this.readJournal(documentNumber, text(row[fields.entryType]));
			if (entry && !traced(entry.traceId)) throw unverifiable(documentNumber, entry.traceId);
			if (entry && inDateRange(entry.accountingDate, range)) entries.push(entry);
		}
		return entries;
	}

	/**
	 * Entry level first; line level (`id*` on the line trace field) when asked for or not found. `linesOnly`
	 * (with a line trace field) skips the entry level. Fails closed: a document counts only when its row shows
	 * the trace id, or (the row lacks the trace column: a left list without it) when the document read back holds
	 * it. A row that shows another value, or a document read back without the id, proves X3 did not apply the
	 * criterion: X3TraceCheckUnverifiableError. Mode 'first' stops at the entry level when found there; 'every'
	 * collects every holder and fails when the line query fails; 'entries' (findJournalEntriesByTraceId, e.g. after
	 * a save whose answer was lost) keeps what the entry level proved when the line query then fails.
	 */
	private async documentNumbersForTrace(
		traceId: string,
		mode: 'first' | 'every' | 'entries',
		readBack: ReadBackCache,
		linesOnly = false,
	): Promise<TraceRef[]> {
		const { publication, fields, lineTraceField } = this.env.layout.journalEntry;
		const refs = new Map<string, string | null>();
		const check = async (
			rows: Array<Record<string, unknown>>,
			field: string,
			lineLevel: boolean,
		): Promise<void> => {
			const unverifiable = (finding: string) =>
				new X3TraceCheckUnverifiableError(
					this.env.node,
					{ readApi: 'SOAP query', source: `publication ${publication}`, field },
					traceId,
					finding,
				);
			if (mode !== 'first' && rows.length >= TRACE_LIST_SIZE) {
				throw unverifiable(
					`returned ${rows.length} rows, the most one query answers: more holders may exist`,
				);
			}
			for (const row of rows) {
				const documentNumber = text(row[fields.documentNumber]);
				if (documentNumber === null) {
					throw unverifiable(
						`returned a row without the document number ${fields.documentNumber}, so it cannot be read back`,
					);
				}
				const entryType = text(row[fields.entryType]);
				if (field in row) {
					const value = text(row[field]) ?? '';
					const verdict = traceVerdict(value, traceId, lineLevel);
					if (verdict === 'other') continue;
					if (verdict === 'unrelated')
						throw unverifiable(`returned entry ${documentNumber} whose ${field} is "${value}"`);
				} else {
					// The left list lacks the field: the document itself has to show the id.
					const entry = await readBack.get(documentNumber, entryType);
					// Gone since the query (withdrawn): it holds nothing.
					if (entry === null) continue;
					const holds = lineLevel
						? entry.lineTraceIds.includes(traceId)
						: entry.traceId === traceId;
					if (!holds)
						throw unverifiable(
							`returned entry ${documentNumber} without the field ${field}, and that entry read back does not hold the id`,
						);
				}
				if (!refs.has(documentNumber)) refs.set(documentNumber, entryType);
			}
		};
		if (!(linesOnly && lineTraceField)) {
			await check(
				await this.queryRows(
					publication,
					[{ key: fields.traceField, value: traceId }],
					TRACE_LIST_SIZE,
				),
				fields.traceField,
				false,
			);
		}
		if (lineTraceField && !(mode === 'first' && refs.size > 0)) {
			const entryLevel = refs.size;
			const lines = await settled(
				(async () =>
					await check(
						await this.queryRows(
							publication,
							[{ key: lineTraceField, value: `${traceId}*` }],
							TRACE_LIST_SIZE,
						),
						lineTraceField,
						true,
					))(),
			);
			// The entry level proved the id is in X3: a failing line query must not turn that into a failure.
			if (!lines.ok && !(mode === 'entries' && entryLevel > 0)) throw lines.error;
		}
		return [...refs].map(([documentNumber, entryType]) => ({ documentNumber, entryType }));
	}

	private async readJournal(
		documentNumber: string,
		entryType: string | null,
	): Promise<PostedJournalEntry | null> {
		const { publication, headerBlock, linesBlock, fields } = this.env.layout.journalEntry;
		const keys: X3KeyValue[] = [];
		if (this.env.soapNames.readJournalWithEntryType && entryType)
			keys.push({ key: fields.entryType, value: entryType });
		keys.push({ key: fields.documentNumber, value: documentNumber });
		const result = await this.soap.readOrNull(publication, keys);
		if (!result) return null;
		const data = isRecord(result.data) ? result.data : {};
		const table = (block: string | undefined) =>
			block && Array.isArray(data[block]) ? (data[block] as unknown[]).filter(isRecord) : [];
		const lines = joinAnalytics(
			table(linesBlock),
			table(this.env.layout.journalEntry.analyticsBlock?.trim()),
			this.env.layout,
		);
		const header = blockRecord(result.data, headerBlock);
		return journalFromRecords(
			{ [fields.documentNumber]: documentNumber, ...header },
			lines,
			this.env.layout,
			this.env.tracePrefix,
		);
	}

	/**
	 * The rows of a search: the fixed keys and the code prefix as criteria; when a text is filtered locally, all
	 * `scanLimit` rows, since SOAP has no text criterion.
	 */
	private async searchRows(
		publication: string,
		keys: X3KeyValue[],
		codeField: string,
		code: string | undefined,
		filtersText: boolean,
		limit: number,
	): Promise<Array<Record<string, unknown>>> {
		const criteria = code ? [...keys, { key: codeField, value: `${code}*` }] : keys;
		return await this.queryRows(publication, criteria, filtersText ? this.env.scanLimit : limit);
	}

	private async queryRows(
		publication: string,
		keys: X3KeyValue[],
		listSize: number,
	): Promise<Array<Record<string, unknown>>> {
		const result = await this.soap.query(publication, keys, listSize, { allowStatusZero: true });
		if (result.status !== 1) {
			// Status 0 without any message is an empty answer; any message (whatever its type numbering or
			// language) means X3 refused the query, and an empty list must not be taken from that.
			if (result.messages.length > 0)
				throw new X3BusinessError(this.env.node, 'query', publication, result.messages);
			return [];
		}
		return resultRows(result.data);
	}

	private requirePublication(publication: string, what: string): string {
		if (!publication) {
			throw new NodeOperationError(this.env.node, `No SOAP publication is configured for ${what}`, {
				description: `Publish it in X3 (GESAWE) and name it in the node's X3 Setup → API Name Overrides ({"soap": {"site": {"publication": "…"}}}), or read through GraphQL or REST.`,
			});
		}
		return publication;
	}
}

/** Rows one trace query asks for: an id is held by one entry, two after a concurrent run. */
const TRACE_LIST_SIZE = 20;

interface TraceRef {
	documentNumber: string;
	entryType: string | null;
}

/** Journal entries read back during one lookup: ids of one document share one read. */
class ReadBackCache {
	private readonly reads = new Map<string, Promise<PostedJournalEntry | null>>();

	constructor(
		private readonly read: (
			documentNumber: string,
			entryType: string | null,
		) => Promise<PostedJournalEntry | null>,
	) {}

	async get(documentNumber: string, entryType: string | null): Promise<PostedJournalEntry | null> {
		const key = `${entryType ?? ''}~${documentNumber}`;
		let read = this.reads.get(key);
		if (!read) {
			read = this.read(documentNumber, entryType);
			// A failed read is not kept: another id of the same document may try again.
			read.catch(() => this.reads.delete(key));
			this.reads.set(key, read);
		}
		return await read;
	}
}

/** The group of a read result (falls back to all groups merged when the block id differs). */
export function blockRecord(
	data: X3ResultData | unknown[] | null,
	block: string,
): Record<string, unknown> {
	if (!isRecord(data)) return {};
	const group = data[block];
	if (isRecord(group)) return { ...flattenRecord(data), ...group };
	return flattenRecord(data);
}
