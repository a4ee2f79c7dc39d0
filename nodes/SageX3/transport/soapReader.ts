import { NodeOperationError } from 'n8n-workflow';

import { SharedPromise } from '../../common/sharedPromises';
import { X3BusinessError } from './errors';
import type {
	PostedJournalEntry,
	TraceLookupOptions,
	X3Account,
	X3Dimension,
	X3DimensionType,
	X3EntryType,
	X3Site,
	X3Supplier,
} from './gateway.types';
import {
	FIND_BATCH_SIZE,
	accountFromRecord,
	clampLimit,
	dimensionFromRecord,
	inDateRange,
	journalFromRecords,
	matchLineTrace,
	supplierFromRecord,
} from './readers';
import type { ReaderEnvironment, X3Reader } from './readers';
import { containsFolded, fromX3Date, startsWithFolded, text } from './records';
import { flattenRecord, isRecord, resultRows } from './soap';
import type { X3KeyValue, X3ResultData, X3SoapClient } from './soap';

/**
 * Reads through SOAP `read` and `query`. SOAP query criteria are objectKeys matched exactly or as a prefix with a
 * trailing `*`, with no paging (listSize caps the rows) and no case-insensitive or range criteria, so name and
 * description searches scan up to `scanLimit` rows and filter locally.
 *
 * Cost of the trace lookups: findPostedTraceIds makes one query per trace id on the entry trace field, plus one on
 * the line trace field (`id*`) for ids not found at entry level, so 1 to 2 calls per id (findTraceHolders always
 * makes both; `linesOnly` makes only the line query; GraphQL and REST do a batch of 40 ids in one call). findJournalEntriesByTraceId and
 * listTracedJournalEntries add one `read` per entry found, because `query` returns left-list fields only.
 */
export class SoapReader implements X3Reader {
	readonly traceBatchSize = FIND_BATCH_SIZE;

	/**
	 * The supplier rows a name search filters: SOAP query has no name criterion, so every name search would read
	 * the same rows. Read once per reader (one node execution) and shared by every vendor's search.
	 */
	// A failed scan is not kept (SharedPromise): the next search tries again.
	private readonly supplierScan = new SharedPromise<Array<Record<string, unknown>>>();

	constructor(
		private readonly soap: X3SoapClient,
		private readonly env: ReaderEnvironment,
	) {}

	async getSupplier(code: string): Promise<X3Supplier | null> {
		const { publication, block, fields } = this.env.layout.supplier;
		const result = await this.soap.readOrNull(publication, [{ key: fields.code, value: code }]);
		if (!result) return null;
		return supplierFromRecord(blockRecord(result.data, block), this.env.layout);
	}

	async searchSuppliers(query: {
		code?: string;
		name?: string;
		limit?: number;
	}): Promise<X3Supplier[]> {
		const { publication, fields } = this.env.layout.supplier;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		let rows: Array<Record<string, unknown>>;
		if (query.name && !query.code) {
			rows = await this.supplierScan.get(() => this.queryRows(publication, [], this.env.scanLimit));
		} else {
			const keys: X3KeyValue[] = query.code ? [{ key: fields.code, value: `${query.code}*` }] : [];
			rows = await this.queryRows(publication, keys, query.name ? this.env.scanLimit : limit);
		}
		return rows
			.map((row) => supplierFromRecord(row, this.env.layout))
			.filter((supplier): supplier is X3Supplier => supplier !== null)
			.filter((supplier) => startsWithFolded(supplier.code, query.code ?? ''))
			.filter((supplier) => containsFolded(supplier.name, query.name ?? ''))
			.slice(0, limit);
	}

	async getAccount(code: string): Promise<X3Account | null> {
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

	async searchAccounts(query: {
		code?: string;
		description?: string;
		limit?: number;
	}): Promise<X3Account[]> {
		const { publication } = this.env.layout.account;
		const names = this.env.soapNames.account;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const keys: X3KeyValue[] = [{ key: names.chart, value: this.env.layout.chartOfAccounts }];
		if (query.code) keys.push({ key: names.code, value: `${query.code}*` });
		const rows = await this.queryRows(
			publication,
			keys,
			query.description ? this.env.scanLimit : limit,
		);
		return rows
			.map((row) => accountFromRecord(row, names, this.env.layout.chartOfAccounts))
			.filter((account): account is X3Account => account !== null)
			.filter((account) => startsWithFolded(account.code, query.code ?? ''))
			.filter((account) => containsFolded(account.description, query.description ?? ''))
			.slice(0, limit);
	}

	async listDimensionTypes(): Promise<X3DimensionType[]> {
		const names = this.env.soapNames.dimensionType;
		if (!names.publication) {
			return this.env.layout.dimensionTypes.map((code) => ({ code, description: null }));
		}
		const rows = await this.queryRows(names.publication, [], this.env.scanLimit);
		return rows
			.map((row) => ({ code: text(row[names.code]), description: text(row[names.description]) }))
			.filter((type): type is X3DimensionType => type.code !== null);
	}

	async searchDimensions(
		type: string,
		query: { code?: string; description?: string; limit?: number },
	): Promise<X3Dimension[]> {
		const { publication } = this.env.layout.dimension;
		const names = this.env.soapNames.dimension;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const keys: X3KeyValue[] = [{ key: names.type, value: type }];
		if (query.code) keys.push({ key: names.code, value: `${query.code}*` });
		const rows = await this.queryRows(
			publication,
			keys,
			query.description ? this.env.scanLimit : limit,
		);
		return rows
			.map((row) => dimensionFromRecord(row, names, type))
			.filter((dimension): dimension is X3Dimension => dimension !== null)
			.filter((dimension) => dimension.type === type)
			.filter((dimension) => startsWithFolded(dimension.code, query.code ?? ''))
			.filter((dimension) => containsFolded(dimension.description, query.description ?? ''))
			.slice(0, limit);
	}

	async listSites(): Promise<X3Site[]> {
		const names = this.env.soapNames.site;
		const rows = await this.queryRows(
			this.requirePublication(names.publication, 'sites'),
			[],
			this.env.scanLimit,
		);
		return rows
			.map((row) => ({ code: text(row[names.code]), name: text(row[names.name]) }))
			.filter((site): site is X3Site => site.code !== null);
	}

	async listEntryTypes(): Promise<X3EntryType[]> {
		const names = this.env.soapNames.entryType;
		const publication = this.requirePublication(names.publication, 'journal entry types');
		const rows = await this.queryRows(publication, [], this.env.scanLimit);
		return rows
			.map((row) => ({ code: text(row[names.code]), description: text(row[names.description]) }))
			.filter((type): type is X3EntryType => type.code !== null);
	}

	async findPostedTraceIds(
		traceIds: string[],
		options: TraceLookupOptions = {},
	): Promise<Map<string, string>> {
		// Issued together; the shared limiter keeps them within the pool size.
		const results = await Promise.all(
			traceIds.map(
				async (traceId) =>
					[traceId, await this.documentNumbersForTrace(traceId, true, options.linesOnly)] as const,
			),
		);
		const found = new Map<string, string>();
		for (const [traceId, refs] of results)
			if (refs.length > 0) found.set(traceId, refs[0].documentNumber);
		return found;
	}

	async findTraceHolders(
		traceIds: string[],
		options: TraceLookupOptions = {},
	): Promise<Map<string, string[]>> {
		const results = await Promise.all(
			traceIds.map(
				async (traceId) =>
					[traceId, await this.documentNumbersForTrace(traceId, false, options.linesOnly)] as const,
			),
		);
		const holders = new Map<string, string[]>();
		for (const [traceId, refs] of results) {
			if (refs.length > 0)
				holders.set(
					traceId,
					refs.map((ref) => ref.documentNumber),
				);
		}
		return holders;
	}

	async findJournalEntriesByTraceId(traceId: string): Promise<PostedJournalEntry[]> {
		const refs = await this.documentNumbersForTrace(traceId, false);
		const entries: PostedJournalEntry[] = [];
		for (const ref of refs) {
			const entry = await this.readJournal(ref.documentNumber, ref.entryType);
			if (entry) entries.push(entry);
		}
		return entries;
	}

	async listTracedJournalEntries(range: {
		from: string;
		to: string;
	}): Promise<PostedJournalEntry[]> {
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
		const entries: PostedJournalEntry[] = [];
		for (const row of rows) {
			const documentNumber = text(row[fields.documentNumber]);
			if (documentNumber === null) continue;
			// Skip the read when the left list already shows a date outside the range.
			const listedDate = fromX3Date(row[fields.accountingDate]);
			if (listedDate !== null && !inDateRange(listedDate, range)) continue;
			const entry = await this.readJournal(documentNumber, text(row[fields.entryType]));
			if (entry && inDateRange(entry.accountingDate, range)) entries.push(entry);
		}
		return entries;
	}

	/**
	 * Entry level first; line level (`id*` on the line trace field) when asked for or not found. `linesOnly`
	 * (with a line trace field) skips the entry level.
	 */
	private async documentNumbersForTrace(
		traceId: string,
		stopAtFirst: boolean,
		linesOnly = false,
	): Promise<Array<{ documentNumber: string; entryType: string | null }>> {
		const { publication, fields, lineTraceField } = this.env.layout.journalEntry;
		const refs = new Map<string, string | null>();
		const collect = (rows: Array<Record<string, unknown>>, lineLevel: boolean) => {
			for (const row of rows) {
				if (
					lineLevel &&
					lineTraceField in row &&
					matchLineTrace(row[lineTraceField], [traceId]) === null
				)
					continue;
				if (!lineLevel && fields.traceField in row && text(row[fields.traceField]) !== traceId)
					continue;
				const documentNumber = text(row[fields.documentNumber]);
				if (documentNumber !== null && !refs.has(documentNumber)) {
					refs.set(documentNumber, text(row[fields.entryType]));
				}
			}
		};
		if (!(linesOnly && lineTraceField)) {
			collect(
				await this.queryRows(publication, [{ key: fields.traceField, value: traceId }], 20),
				false,
			);
		}
		if (lineTraceField && !(stopAtFirst && refs.size > 0)) {
			collect(
				await this.queryRows(publication, [{ key: lineTraceField, value: `${traceId}*` }], 20),
				true,
			);
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
		const lines = Array.isArray(data[linesBlock])
			? (data[linesBlock] as unknown[]).filter(isRecord)
			: [];
		const header = blockRecord(result.data, headerBlock);
		return journalFromRecords(
			{ [fields.documentNumber]: documentNumber, ...header },
			lines,
			this.env.layout,
			this.env.tracePrefix,
		);
	}

	private async queryRows(
		publication: string,
		keys: X3KeyValue[],
		listSize: number,
	): Promise<Array<Record<string, unknown>>> {
		const result = await this.soap.query(publication, keys, listSize, { allowStatusZero: true });
		if (result.status !== 1) {
			// X3 answers status 0 without error messages when nothing matches.
			const errors = result.messages.filter((m) => m.type === '3');
			if (
				errors.length > 0 &&
				!result.messages.every((m) => /no (record|data|result)|aucun/i.test(m.message))
			) {
				throw new X3BusinessError(this.env.node, 'query', publication, result.messages);
			}
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
