// Over 500 lines: one class per API style (as soapReader.ts, restReader.ts); its GraphQL documents are its bulk.
import type {
	PostedJournalEntry,
	X3Account,
	X3Dimension,
	X3DimensionType,
	X3EntryType,
	X3Site,
	X3Supplier,
} from './gateway.types';
import {
	buildGraphqlFilter,
	collectPath,
	connectionAt,
	connectionSelection,
	listQuery,
	mergeFilters,
	nestFilter,
	rootPath,
	rootsSelection,
	searchFilters,
	segments,
	selectionFromPaths,
	escapeRegex,
} from './graphql';
import type { GraphqlConnection, GraphqlFilterObject, X3GraphqlClient } from './graphql';
import type { X3GraphqlNames } from './names';
import { X3TraceCheckUnverifiableError } from './errors';
import {
	GRAPHQL_TRACE_BATCH_SIZE,
	answersSearch,
	clampLimit,
	addHolder,
	dimensionFromFields,
	labelledCode,
	matchLineTrace,
	settled,
	supplierFieldList,
	supplierFromFields,
	traceVerdict,
	uniqueTraceIds,
} from './readers';
import type { DescriptionQuery, ReaderEnvironment, SupplierQuery, X3Reader } from './readers';
import {
	absoluteAmount,
	fromX3Date,
	getPath,
	isZeroAmount,
	leadingTraceId,
	text,
	textOrEmpty,
	yes,
} from './records';

/**
 * Reads through GraphQL. Searches filter on the X3 side (prefix and case/accent-insensitive regexes, see
 * insensitiveRegex) and are re-checked locally. findPostedTraceIds sends ONE document per batch of up to
 * GRAPHQL_TRACE_BATCH_SIZE ids: journal entries whose trace property is `_in` the batch, and journal entry lines
 * whose description matches `^(id1|id2|…)( |$)` (one aliased selection per regex of at most
 * MAX_TRACE_REGEX_LENGTH characters). Further pages are fetched only when a selection overflows.
 */

type Node = Record<string, unknown>;

export class GraphqlReader implements X3Reader {
	private readonly names: X3GraphqlNames;

	constructor(
		private readonly client: X3GraphqlClient,
		private readonly env: ReaderEnvironment,
	) {
		this.names = env.graphqlNames;
	}

	// --- suppliers -------------------------------------------------------------------------------------------

	private supplierSelection(): string {
		return selectionFromPaths(supplierFieldList(this.names.supplier));
	}

	private supplierFromNode(node: Node): X3Supplier | null {
		return supplierFromFields((path) => getPath(node, path), this.names.supplier);
	}

	async getSupplier(code: string): Promise<X3Supplier | null> {
		const n = this.names.supplier;
		const nodes = await this.list(
			listQuery('X3Supplier', n.root, this.supplierSelection()),
			n.root,
			nestFilter(n.code, code),
			2,
		);
		return (
			nodes
				.map((node) => this.supplierFromNode(node))
				.find((supplier) => supplier?.code === code) ?? null
		);
	}

	async searchSuppliers(query: SupplierQuery): Promise<X3Supplier[]> {
		const n = this.names.supplier;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const filter = mergeFilters(...searchFilters(n.code, query.code, n.name, query.name));
		return await this.collect(
			listQuery('X3SupplierSearch', n.root, this.supplierSelection()),
			n.root,
			filter,
			limit,
			(node) => this.supplierFromNode(node),
			(supplier) => answersSearch(supplier.code, supplier.name, query.code, query.name),
		);
	}

	// --- accounts --------------------------------------------------------------------------------------------

	private accountSelection(): string {
		const n = this.names.account;
		return selectionFromPaths([
			n.chart,
			n.code,
			n.description,
			n.isActive,
			n.requiredDimensionTypes,
		]);
	}

	private accountFromNode(node: Node): X3Account | null {
		const n = this.names.account;
		const code = text(getPath(node, n.code));
		if (code === null) return null;
		return {
			chart: text(getPath(node, n.chart)) ?? this.env.layout.chartOfAccounts,
			code,
			description: text(getPath(node, n.description)),
			isActive: yes(getPath(node, n.isActive)),
			requiredDimensionTypes: collectPath(node, n.requiredDimensionTypes)
				.map((value) => text(value))
				.filter((value): value is string => value !== null),
		};
	}

	private chartFilter(): GraphqlFilterObject | undefined {
		const n = this.names.account;
		return n.chart ? nestFilter(n.chart, this.env.layout.chartOfAccounts) : undefined;
	}

	async getAccount(code: string): Promise<X3Account | null> {
		const n = this.names.account;
		const filter = mergeFilters(this.chartFilter(), nestFilter(n.code, code));
		const nodes = await this.list(
			listQuery('X3Account', n.root, this.accountSelection()),
			n.root,
			filter,
			2,
		);
		return (
			nodes.map((node) => this.accountFromNode(node)).find((account) => account?.code === code) ??
			null
		);
	}

	async searchAccounts(query: DescriptionQuery): Promise<X3Account[]> {
		const n = this.names.account;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const filter = mergeFilters(
			this.chartFilter(),
			...searchFilters(n.code, query.code, n.description, query.description),
		);
		return await this.collect(
			listQuery('X3AccountSearch', n.root, this.accountSelection()),
			n.root,
			filter,
			limit,
			(node) => this.accountFromNode(node),
			(account) => answersSearch(account.code, account.description, query.code, query.description),
		);
	}

	// --- dimensions, sites, entry types ----------------------------------------------------------------------

	async listDimensionTypes(): Promise<X3DimensionType[]> {
		const n = this.names.dimensionType;
		return await this.listLabelled('X3DimensionTypes', n, 'description', n.description);
	}

	async searchDimensions(type: string, query: DescriptionQuery): Promise<X3Dimension[]> {
		const n = this.names.dimension;
		const limit = clampLimit(query.limit, this.env.defaultLimit);
		const filter = mergeFilters(
			nestFilter(n.type, type),
			...searchFilters(n.code, query.code, n.description, query.description),
		);
		return await this.collect(
			listQuery(
				'X3DimensionSearch',
				n.root,
				selectionFromPaths([n.type, n.code, n.description, n.isActive]),
			),
			n.root,
			filter,
			limit,
			(node) => dimensionFromFields((path) => getPath(node, path), n, type),
			(dimension) =>
				dimension.type === type &&
				answersSearch(dimension.code, dimension.description, query.code, query.description),
		);
	}

	async listSites(): Promise<X3Site[]> {
		return await this.listLabelled('X3Sites', this.names.site, 'name', this.names.site.name);
	}

	async listEntryTypes(): Promise<X3EntryType[]> {
		const n = this.names.entryType;
		return await this.listLabelled('X3EntryTypes', n, 'description', n.description);
	}

	/** Up to `scanLimit` codes of a node with their label (the label path under `labelKey`). */
	private async listLabelled<K extends string>(
		operationName: string,
		n: { root: string; code: string },
		labelKey: K,
		labelPath: string,
	) {
		return await this.collect(
			listQuery(operationName, n.root, selectionFromPaths([n.code, labelPath])),
			n.root,
			{},
			this.env.scanLimit,
			(node) => labelledCode(getPath(node, n.code), labelKey, getPath(node, labelPath)),
		);
	}

	// --- journal entries ----------------------------------------------------------------------------------------

	private lineSelection(): string {
		const l = this.names.journalEntryLine;
		const dimensionPaths = l.dimensions
			? [`${l.dimensions}.${l.dimensionTypeKey}`, `${l.dimensions}.${l.dimensionKey}`]
			: [];
		return selectionFromPaths([
			l.lineNumber,
			l.account,
			l.amount,
			l.sign,
			l.description,
			l.businessPartner,
			...dimensionPaths,
		]);
	}

	private entrySelection(withLines: boolean): string {
		const e = this.names.journalEntry;
		const header = selectionFromPaths([
			e.documentNumber,
			e.entryType,
			e.site,
			e.accountingDate,
			e.currency,
			e.traceField,
		]);
		if (!withLines) return header;
		const lines = this.lineSelection();
		const linesBody = e.linesAreConnection
			? `query(first: 1000) { edges { node { ${lines} } } }`
			: lines;
		return `${header} ${rootsSelection([{ root: e.lines, body: linesBody }])}`;
	}

	private lineNodes(entry: Node): Node[] {
		const e = this.names.journalEntry;
		const raw = getPath(entry, e.lines);
		if (Array.isArray(raw))
			return raw.filter((item): item is Node => !!item && typeof item === 'object');
		const connection = raw as GraphqlConnection<Node> | undefined;
		const queried =
			(connection as { query?: GraphqlConnection<Node> } | undefined)?.query ?? connection;
		return (queried?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
	}

	private entryFromNode(node: Node, withLines: boolean): PostedJournalEntry | null {
		const e = this.names.journalEntry;
		const l = this.names.journalEntryLine;
		const documentNumber = text(getPath(node, e.documentNumber));
		if (documentNumber === null) return null;
		const entry: PostedJournalEntry = {
			documentNumber,
			entryType: text(getPath(node, e.entryType)),
			traceId: text(getPath(node, e.traceField)),
			accountingDate: fromX3Date(getPath(node, e.accountingDate)),
			currency: text(getPath(node, e.currency)),
			lineTraceIds: [],
		};
		if (withLines) {
			entry.lines = this.lineNodes(node).map((line) => {
				const raw = text(getPath(line, l.amount));
				const amount = absoluteAmount(raw);
				const signValue = Number(text(getPath(line, l.sign)) ?? NaN);
				const isCredit = Number.isFinite(signValue) ? signValue < 0 : (raw ?? '').startsWith('-');
				const dimensions: Record<string, string> = {};
				for (const assignment of collectPath(line, l.dimensions)) {
					const type = text(getPath(assignment, l.dimensionTypeKey));
					const code = text(getPath(assignment, l.dimensionKey));
					if (type && code) dimensions[type] = code;
				}
				const value = isZeroAmount(amount) ? null : amount;
				return {
					account: textOrEmpty(getPath(line, l.account)),
					debit: isCredit ? null : value,
					credit: isCredit ? value : null,
					dimensions,
					businessPartner: text(getPath(line, l.businessPartner)),
					description: text(getPath(line, l.description)),
					lineTraceId: leadingTraceId(getPath(line, l.description), this.env.tracePrefix),
				};
			});
			entry.lineTraceIds = uniqueTraceIds(entry.lines.map((line) => line.lineTraceId));
		}
		return entry;
	}

	/** Ids per lookup request: one request carries the entry filter and several line selections. */
	readonly traceBatchSize = GRAPHQL_TRACE_BATCH_SIZE;

	readonly batchesIds = true;

	/** One request for the batch: entries by trace `_in`, lines by anchored prefix regexes. */
	async findPostedTraceIds(traceIds: string[]): Promise<Map<string, string>> {
		const found = new Map<string, string>();
		for (const [id, numbers] of await this.findTraceHolders(traceIds)) found.set(id, numbers[0]);
		return found;
	}

	/**
	 * The same request as findPostedTraceIds; keeps every document number (entry level first). Servers cap the
	 * length of a filter's regex, so the line filter is split into regexes of at most MAX_TRACE_REGEX_LENGTH
	 * characters, each an aliased selection (`lines0`, `lines1`, …) of the same request: one X3 round trip (one
	 * pool slot) per batch instead of one per regex.
	 */
	async findTraceHolders(traceIds: string[]): Promise<Map<string, string[]>> {
		const found = new Map<string, string[]>();
		if (traceIds.length === 0) return found;
		const e = this.names.journalEntry;
		const l = this.names.journalEntryLine;
		const entryFilter = nestFilter(e.traceField, { _in: traceIds });
		const lineParts = regexSizedBatches(traceIds).map((ids, index) => ({
			alias: `lines${index}`,
			variable: `lineFilter${index}`,
			filter: nestFilter(l.description, { _regex: lineTraceRegex(ids) }),
		}));
		const entryNodes = selectionFromPaths([e.documentNumber, e.traceField]);
		const lineNodes = selectionFromPaths([l.description, l.entryNumber]);
		const body = rootsSelection([
			{ root: e.root, body: connectionSelection('entryFilter', entryNodes, false) },
			{
				root: l.root,
				body: lineParts
					.map((part) => `${part.alias}: ${connectionSelection(part.variable, lineNodes, false)}`)
					.join(' '),
			},
		]);
		const lineVariables = lineParts.map((part) => `$${part.variable}: String`).join(', ');
		const document = `query X3FindPostedTraceIds($entryFilter: String, ${lineVariables}, $first: Int) { ${body} }`;
		// Every id may match on a few lines (a split expense); one page usually covers a selection.
		const pageSize = Math.max(100, traceIds.length * 4);
		const data = await this.client.query(document, {
			entryFilter: buildGraphqlFilter(entryFilter),
			...Object.fromEntries(
				lineParts.map((part) => [part.variable, buildGraphqlFilter(part.filter)]),
			),
			first: pageSize,
		});

		// Fails closed: a node counts only when its trace property shows an id of the batch; one the filter
		// should have excluded proves X3 did not apply it (then an absent id proves nothing either).
		const unverifiable = (root: string, field: string, finding: string) =>
			new X3TraceCheckUnverifiableError(
				this.env.node,
				{ readApi: 'GraphQL', source: root, field },
				traceIds.length === 1 ? traceIds[0] : `${traceIds[0]} (and ${traceIds.length - 1} more)`,
				finding,
			);
		const record = (entryNode: Node) => {
			const id = text(getPath(entryNode, e.traceField));
			const number = text(getPath(entryNode, e.documentNumber));
			if (id === null || !traceIds.includes(id) || number === null)
				throw unverifiable(
					e.root,
					e.traceField,
					`returned entry ${number ?? '(no number)'} whose ${e.traceField} is "${id ?? ''}"`,
				);
			addHolder(found, id, number);
		};
		const recordLine = (lineNode: Node) => {
			const value = getPath(lineNode, l.description);
			const number = text(getPath(lineNode, l.entryNumber));
			const verdicts = traceIds.map((id) => traceVerdict(value, id, true));
			const id = matchLineTrace(value, traceIds);
			if (id !== null && number !== null) {
				addHolder(found, id, number);
				return;
			}
			// A longer id that starts with one of the batch: the filter was applied, this line holds none of them.
			if (number !== null && verdicts.includes('other')) return;
			throw unverifiable(
				l.root,
				l.description,
				`returned a line of entry ${number ?? '(no number)'} whose ${l.description} is "${text(value) ?? ''}"`,
			);
		};
		const selections = [
			{
				connection: connectionAt<Node>(data, rootPath(e.root)),
				root: e.root,
				nodes: entryNodes,
				filter: entryFilter,
				take: record,
			},
			...lineParts.map((part) => ({
				connection: connectionAt<Node>(data, [...segments(l.root), part.alias]),
				root: l.root,
				nodes: lineNodes,
				filter: part.filter,
				take: recordLine,
			})),
		];
		for (const { connection, take } of selections) {
			for (const edge of connection?.edges ?? []) if (edge?.node) take(edge.node);
		}
		// Overflow (more matches than one page): continue that selection on its own.
		for (const { connection, root, nodes, filter, take } of selections) {
			if (!connection?.pageInfo?.hasNextPage || !connection.pageInfo.endCursor) continue;
			for await (const node of this.client.paginate<Node>(
				listQuery('X3FindTraces', root, nodes),
				{ filter: buildGraphqlFilter(filter) },
				rootPath(root),
				{ pageSize, startAfter: connection.pageInfo.endCursor },
			)) {
				take(node);
			}
		}
		return found;
	}

	async findJournalEntriesByTraceId(traceId: string): Promise<PostedJournalEntry[]> {
		const e = this.names.journalEntry;
		const l = this.names.journalEntryLine;
		const byNumber = new Map<string, PostedJournalEntry>();
		const add = (node: Node) => {
			const entry = this.entryFromNode(node, true);
			if (entry && !byNumber.has(entry.documentNumber)) byNumber.set(entry.documentNumber, entry);
		};
		const entryQuery = listQuery('X3EntriesByTrace', e.root, this.entrySelection(true));
		for (const node of await this.list(
			entryQuery,
			e.root,
			nestFilter(e.traceField, traceId),
			this.env.scanLimit,
		))
			add(node);

		for (const entry of byNumber.values()) {
			if (entry.traceId !== traceId)
				throw new X3TraceCheckUnverifiableError(
					this.env.node,
					{ readApi: 'GraphQL', source: e.root, field: e.traceField },
					traceId,
					`returned entry ${entry.documentNumber} whose ${e.traceField} is "${entry.traceId ?? ''}"`,
				);
		}

		const lineQuery = await settled(
			this.list(
				listQuery('X3LinesByTrace', l.root, selectionFromPaths([l.description, l.entryNumber])),
				l.root,
				nestFilter(l.description, { _regex: lineTraceRegex([traceId]) }),
				this.env.scanLimit,
			),
		);
		if (!lineQuery.ok) {
			// The entry level proved the id is in X3 (e.g. after a save whose answer was lost): keep that.
			if (byNumber.size > 0) return [...byNumber.values()];
			throw lineQuery.error;
		}
		const lineMatches = lineQuery.value;
		for (const line of lineMatches) {
			if (traceVerdict(getPath(line, l.description), traceId, true) === 'unrelated')
				throw new X3TraceCheckUnverifiableError(
					this.env.node,
					{ readApi: 'GraphQL', source: l.root, field: l.description },
					traceId,
					`returned a line whose ${l.description} is "${text(getPath(line, l.description)) ?? ''}"`,
				);
		}
		const missing = uniqueTraceIds(
			lineMatches
				.filter((line) => matchLineTrace(getPath(line, l.description), [traceId]) !== null)
				.map((line) => text(getPath(line, l.entryNumber))),
		).filter((number) => !byNumber.has(number));
		if (missing.length > 0) {
			for (const node of await this.list(
				entryQuery,
				e.root,
				nestFilter(e.documentNumber, { _in: missing }),
				this.env.scanLimit,
			)) {
				add(node);
			}
		}
		return [...byNumber.values()];
	}

	async listTracedJournalEntries(range: {
		from: string;
		to: string;
	}): Promise<PostedJournalEntry[]> {
		const e = this.names.journalEntry;
		const filter = mergeFilters(
			nestFilter(e.accountingDate, { _gte: range.from, _lte: range.to }),
			nestFilter(e.traceField, { _regex: `^${escapeRegex(this.env.tracePrefix)}` }),
		);
		const entries: PostedJournalEntry[] = [];
		for await (const node of this.client.paginate<Node>(
			listQuery('X3TracedEntries', e.root, this.entrySelection(true)),
			{ filter: buildGraphqlFilter(filter) },
			rootPath(e.root),
			{ pageSize: 100 },
		)) {
			const entry = this.entryFromNode(node, true);
			if (
				entry &&
				entry.accountingDate !== null &&
				entry.accountingDate >= range.from &&
				entry.accountingDate <= range.to
			) {
				entries.push(entry);
			}
		}
		return entries;
	}

	// --- helpers -------------------------------------------------------------------------------------------------

	private async list(
		document: string,
		root: string,
		filter: GraphqlFilterObject,
		max: number,
	): Promise<Node[]> {
		const nodes: Node[] = [];
		for await (const node of this.client.paginate<Node>(
			document,
			{ filter: buildGraphqlFilter(filter) },
			rootPath(root),
			{
				pageSize: Math.min(Math.max(max, 1), 100),
				maxItems: max,
			},
		)) {
			nodes.push(node);
		}
		return nodes;
	}

	private async collect<T>(
		document: string,
		root: string,
		filter: GraphqlFilterObject,
		limit: number,
		map: (node: Node) => T | null,
		keep: (value: T) => boolean = () => true,
	): Promise<T[]> {
		const results: T[] = [];
		let scanned = 0;
		for await (const node of this.client.paginate<Node>(
			document,
			{ filter: buildGraphqlFilter(filter) },
			rootPath(root),
			{
				pageSize: Math.min(Math.max(limit, 20), 100),
			},
		)) {
			scanned++;
			const value = map(node);
			if (value !== null && keep(value)) results.push(value);
			if (results.length >= limit || scanned >= this.env.scanLimit) break;
		}
		return results;
	}
}

/** `^(id1|id2)( |$)`: a line trace id is the first word of the line description. */
export function lineTraceRegex(traceIds: string[]): string {
	return `^(${traceIds.map(escapeRegex).join('|')})( |$)`;
}

/** Longest line-trace regex of one selection (the X3 emulator refuses more than 1,000 characters). */
export const MAX_TRACE_REGEX_LENGTH = 900;

/** Consecutive ids packed so that each part's lineTraceRegex stays within MAX_TRACE_REGEX_LENGTH. */
export function regexSizedBatches(traceIds: string[]): string[][] {
	const parts: string[][] = [];
	let current: string[] = [];
	for (const id of traceIds) {
		if (current.length > 0 && lineTraceRegex([...current, id]).length > MAX_TRACE_REGEX_LENGTH) {
			parts.push(current);
			current = [];
		}
		current.push(id);
	}
	if (current.length > 0) parts.push(current);
	return parts;
}
