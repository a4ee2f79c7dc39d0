import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { MasterDataRecord, ReadPlan, ReadResult } from '../../masterData/changeDetection';
import { parseStamp, recordScope } from '../../masterData/changeDetection';
import { callerTools, resolveConnection } from './connections';
import type {
	X3GraphqlCredentialType,
	X3RestCredentialType,
	X3SoapCredentialType,
} from './connections';
import { X3BusinessError } from './errors';
import type { X3Layout, X3ReadApi } from './gateway.types';
import {
	X3GraphqlClient,
	buildGraphqlFilter,
	listQuery,
	mergeFilters,
	nestFilter,
	rootPath,
	selectionFromPaths,
} from './graphql';
import type { GraphqlFilterObject } from './graphql';
import type { X3RequestContext } from './http';
import type { X3GraphqlNames, X3RestNames, X3SoapNames } from './names';
import { accountFromRecord, dimensionFromRecord, supplierFromRecord } from './readers';
import { getPath, text, textOrEmpty, yes } from './records';
import { X3RestClient, where } from './rest';
import { X3SoapClient } from './soap';
import { blockRecord } from './soapReader';
import { resultRows } from './soapXml';
import type { X3KeyValue } from './soapXml';
import type { X3RetryOptions } from './throttle';

/**
 * Full and delta reads of X3 master data (GL accounts, dimension values of chosen types, suppliers) for the
 * Sage X3 Trigger, through the read API the node is set to. Sources (fact sheet test/fixtures/reference/sage-x3-api.md):
 * - GraphQL: every node carries `_createStamp` / `_updateStamp` [C for supplier: DEV reference listing §3.4;
 *   "every node" S], filtered as `{_updateStamp: {_gte: '<ISO>'}}` [I: operator set C/S, datetime literal form
 *   unverified]. The only API here that selects records by stamp: delta reads.
 * - SOAP: `query` takes key criteria only (exact or prefix), no ranges and no paging [C §2.2], and returns the
 *   left-list fields [C]: always a full read of `listSize` rows. GACCOUNT, CACCE and BPSUPPLIER have the columns
 *   UPDDATTIM, CREDATTIM and ENAFLG (active) [C: dictionary CSV x3-dictionary-fields-…csv]; whether a publication
 *   shows them is the folder's [I]. Rows without the active field are read one by one (`read`): closing a record
 *   changes nothing else a left list shows.
 * - REST api1: the same X3 field names as SOAP (names.ts); representations GACCOUNT / CACCE unconfirmed [§1.5];
 *   full reads following `$next` [C], UPDDATTIM read when present.
 */

export const GRAPHQL_UPDATE_STAMP = '_updateStamp';
/** X3 column of the update stamp in SOAP rows and REST resources [C: dictionary CSV; I: in publications]. */
export const X3_UPDATE_STAMP_FIELD = 'UPDDATTIM';

export interface MasterDataSelection {
	accounts: boolean;
	/** Dimension types whose values are watched. */
	dimensionTypes: string[];
	suppliers: boolean;
}

export interface MasterDataReaderOptions {
	readApi: X3ReadApi;
	layout: X3Layout;
	soapNames: X3SoapNames;
	graphqlNames: X3GraphqlNames;
	restNames: X3RestNames;
	soapCredentialType: X3SoapCredentialType;
	graphqlCredentialType: X3GraphqlCredentialType;
	restCredentialType: X3RestCredentialType;
	/** Records one kind (or one dimension type) may hold; a SOAP listing that reaches it fails the poll. */
	maxRecordsPerKind: number;
	retry?: X3RetryOptions;
}

/** Whether the read API selects records by update stamp (delta reads). */
export function selectsByStamp(readApi: X3ReadApi): boolean {
	return readApi === 'graphql';
}

interface KindSource {
	scope: string;
	read: () => Promise<MasterDataRecord[]>;
}

/** Reads the selection as `plan` says; throws on any failure or incomplete listing (the poll then fails). */
export async function readMasterData(
	context: X3RequestContext,
	options: MasterDataReaderOptions,
	selection: MasterDataSelection,
	plan: ReadPlan,
): Promise<ReadResult> {
	const source = await openSource(context, options, plan);
	const sources: KindSource[] = [];
	const chart = options.layout.chartOfAccounts;
	if (selection.accounts) {
		sources.push({
			scope: recordScope('account', { chart }),
			read: async () => await source.accounts(),
		});
	}
	for (const dimensionType of selection.dimensionTypes) {
		sources.push({
			scope: recordScope('dimension', { dimensionType }),
			read: async () => await source.dimensions(dimensionType),
		});
	}
	if (selection.suppliers) {
		sources.push({
			scope: recordScope('supplier'),
			read: async () => await source.suppliers(),
		});
	}
	const records: MasterDataRecord[] = [];
	// One kind after the other: the shared limiter keeps calls within the pool, and the order stays stable.
	for (const entry of sources) records.push(...(await entry.read()));
	return {
		plan,
		records,
		listedScopes: plan.mode === 'full' ? sources.map((entry) => entry.scope) : [],
	};
}

interface Source {
	accounts(): Promise<MasterDataRecord[]>;
	dimensions(type: string): Promise<MasterDataRecord[]>;
	suppliers(): Promise<MasterDataRecord[]>;
}

async function openSource(
	context: X3RequestContext,
	options: MasterDataReaderOptions,
	plan: ReadPlan,
): Promise<Source> {
	const node = context.getNode();
	const credentialType = {
		graphql: options.graphqlCredentialType,
		rest: options.restCredentialType,
		soap: options.soapCredentialType,
	}[options.readApi];
	const connection = await resolveConnection(context, options.readApi, credentialType, undefined);
	const { send, runner } = callerTools(context, connection, options.retry);
	const { baseUrl, endpoint, poolAlias, language, timeoutMs } = connection.settings;
	if (options.readApi === 'graphql') {
		const settings = { url: connection.url, endpoint: endpoint || undefined, timeoutMs };
		return new GraphqlMasterData(
			new X3GraphqlClient(send, settings, node, runner),
			options,
			plan,
			node,
		);
	}
	if (options.readApi === 'rest') {
		const settings = { baseUrl, endpoint, timeoutMs };
		return new RestMasterData(new X3RestClient(send, settings, node, runner), options, node);
	}
	const format = options.soapNames.resultFormat === 'json' ? 'json' : 'xml';
	const settings = { baseUrl, poolAlias, language, format, timeoutMs } as const;
	return new SoapMasterData(new X3SoapClient(send, settings, node, runner), options, node);
}

function tooMany(node: INode, what: string, max: number): NodeOperationError {
	return new NodeOperationError(
		node,
		`Sage X3 listed more than ${max} ${what}: the list may be incomplete, so no change was reported`,
		{
			description:
				'Raise "Max Records per Kind" in the trigger\'s options (the poll state grows by about 30 bytes per record), or watch fewer kinds or dimension types.',
		},
	);
}

function stampText(value: unknown): string | null {
	const ms = parseStamp(typeof value === 'string' ? value : (text(value) ?? undefined));
	return ms === null ? null : new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// GraphQL: relay connections, delta reads by _updateStamp

type GraphqlNode = Record<string, unknown>;

class GraphqlMasterData implements Source {
	constructor(
		private readonly client: X3GraphqlClient,
		private readonly options: MasterDataReaderOptions,
		private readonly plan: ReadPlan,
		private readonly node: INode,
	) {}

	private async list(
		name: string,
		root: string,
		paths: string[],
		filter: GraphqlFilterObject | undefined,
		what: string,
	): Promise<GraphqlNode[]> {
		const stampFilter =
			this.plan.mode === 'delta'
				? { [GRAPHQL_UPDATE_STAMP]: { _gte: new Date(this.plan.sinceMs).toISOString() } }
				: undefined;
		const document = listQuery(name, root, selectionFromPaths([...paths, GRAPHQL_UPDATE_STAMP]));
		const max = this.options.maxRecordsPerKind;
		const nodes: GraphqlNode[] = [];
		for await (const node of this.client.paginate<GraphqlNode>(
			document,
			{ filter: buildGraphqlFilter(mergeFilters(filter, stampFilter)) },
			rootPath(root),
			{ pageSize: 100, maxItems: max + 1 },
		)) {
			nodes.push(node);
		}
		if (nodes.length > max) throw tooMany(this.node, what, max);
		return nodes;
	}

	/**
	 * One kind's nodes as records. A scoped kind (accounts of one chart, values of one dimension type) also checks
	 * each node's qualifier: a server that ignored the filter must not mix another scope's records into this one.
	 */
	private async records(spec: GraphqlKind): Promise<MasterDataRecord[]> {
		const { names, scope } = spec;
		const nodes = await this.list(
			spec.query,
			names.root,
			[names.code, spec.label, names.isActive, ...(scope ? [scope.path] : [])],
			scope?.filter,
			spec.what,
		);
		return nodes.flatMap((node) => {
			const code = text(getPath(node, names.code));
			const inScope = !scope || (text(getPath(node, scope.path)) ?? scope.value) === scope.value;
			if (code === null || !inScope) return [];
			const record: MasterDataRecord = {
				...spec.identity,
				code,
				label: text(getPath(node, spec.label)),
				active: yes(getPath(node, names.isActive)),
				updatedAt: stampText(node[GRAPHQL_UPDATE_STAMP]),
			};
			return [record];
		});
	}

	async accounts(): Promise<MasterDataRecord[]> {
		const n = this.options.graphqlNames.account;
		const chart = this.options.layout.chartOfAccounts;
		const filter = n.chart ? nestFilter(n.chart, chart) : undefined;
		return await this.records({
			query: 'X3AccountsChanged',
			names: n,
			label: n.description,
			what: 'GL accounts',
			identity: { kind: 'account', chart },
			scope: { path: n.chart, value: chart, filter },
		});
	}

	async dimensions(type: string): Promise<MasterDataRecord[]> {
		const n = this.options.graphqlNames.dimension;
		const scope = { path: n.type, value: type, filter: nestFilter(n.type, type) };
		return await this.records({
			query: 'X3DimensionsChanged',
			names: n,
			label: n.description,
			what: `${type} dimension values`,
			identity: { kind: 'dimension', dimensionType: type },
			scope,
		});
	}

	async suppliers(): Promise<MasterDataRecord[]> {
		const n = this.options.graphqlNames.supplier;
		const identity = { kind: 'supplier' } as const;
		return await this.records({
			query: 'X3SuppliersChanged',
			names: n,
			label: n.name,
			what: 'suppliers',
			identity,
		});
	}
}

/** Where one kind sits in the GraphQL schema (names.ts paths) and what its records are. */
interface GraphqlKind {
	query: string;
	names: { root: string; code: string; isActive: string };
	label: string;
	what: string;
	identity: Pick<MasterDataRecord, 'kind' | 'chart' | 'dimensionType'>;
	/** The qualifier that narrows the kind: selected, filtered on and checked on each node. */
	scope?: { path: string; value: string; filter: GraphqlFilterObject | undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// SOAP and REST: records keyed by X3 field names

/** X3 field-name records (SOAP rows, REST resources) as master-data records. */
class FieldRecords {
	constructor(private readonly options: MasterDataReaderOptions) {}

	account(row: Record<string, unknown>): MasterDataRecord | null {
		const chart = this.options.layout.chartOfAccounts;
		const account = accountFromRecord(row, this.options.soapNames.account, chart);
		if (!account || (account.chart ?? chart) !== chart) return null;
		return {
			kind: 'account',
			code: account.code,
			chart,
			label: account.description,
			active: account.isActive,
			updatedAt: stampText(row[X3_UPDATE_STAMP_FIELD]),
		};
	}

	dimension(row: Record<string, unknown>, type: string): MasterDataRecord | null {
		const dimension = dimensionFromRecord(row, this.options.soapNames.dimension, type);
		if (!dimension || dimension.type !== type) return null;
		return {
			kind: 'dimension',
			code: dimension.code,
			dimensionType: type,
			label: dimension.description,
			active: dimension.isActive,
			updatedAt: stampText(row[X3_UPDATE_STAMP_FIELD]),
		};
	}

	supplier(row: Record<string, unknown>): MasterDataRecord | null {
		const supplier = supplierFromRecord(row, this.options.layout);
		if (!supplier) return null;
		return {
			kind: 'supplier',
			code: supplier.code,
			label: supplier.name || null,
			active: supplier.isActive,
			updatedAt: stampText(row[X3_UPDATE_STAMP_FIELD]),
		};
	}
}

function present<T>(values: Array<T | null>): T[] {
	return values.filter((value): value is T => value !== null);
}

class SoapMasterData implements Source {
	private readonly records: FieldRecords;

	constructor(
		private readonly soap: X3SoapClient,
		private readonly options: MasterDataReaderOptions,
		private readonly node: INode,
	) {
		this.records = new FieldRecords(options);
	}

	/**
	 * Every row of a publication matching `keys`, each completed by a `read` when the left list lacks the active
	 * field (the one field a closing changes). Fails when the listing may be cut short by listSize.
	 */
	private async rows(listing: SoapListing): Promise<Array<Record<string, unknown>>> {
		const { publication, block, keys, activeField, keyFields, what } = listing;
		const max = this.options.maxRecordsPerKind;
		const result = await this.soap.query(publication, keys, max + 1, { allowStatusZero: true });
		if (result.status !== 1 && result.messages.length > 0) {
			throw new X3BusinessError(this.node, 'query', publication, result.messages);
		}
		const rows = result.status === 1 ? resultRows(result.data) : [];
		if (rows.length > max) throw tooMany(this.node, what, max);
		return await Promise.all(
			rows.map(async (row) => {
				if (row[activeField] !== undefined) return row;
				const rowKeys = keyFields.map((key) => ({ key, value: textOrEmpty(row[key]) }));
				const read = await this.soap.read(publication, rowKeys);
				return { ...row, ...blockRecord(read.data, block) };
			}),
		);
	}

	async accounts(): Promise<MasterDataRecord[]> {
		const n = this.options.soapNames.account;
		const chart = this.options.layout.chartOfAccounts;
		const rows = await this.rows({
			...this.options.layout.account,
			keys: [{ key: n.chart, value: chart }],
			activeField: n.isActive,
			keyFields: [n.chart, n.code],
			what: 'GL accounts',
		});
		// A left list without the chart still lists this chart's accounts (the criterion).
		return present(rows.map((row) => this.records.account({ [n.chart]: chart, ...row })));
	}

	async dimensions(type: string): Promise<MasterDataRecord[]> {
		const n = this.options.soapNames.dimension;
		const keys = [{ key: n.type, value: type }];
		const what = `${type} dimension values`;
		const listing = { ...this.options.layout.dimension, keys, what };
		const rows = await this.rows({
			...listing,
			activeField: n.isActive,
			keyFields: [n.type, n.code],
		});
		return present(rows.map((row) => this.records.dimension(row, type)));
	}

	async suppliers(): Promise<MasterDataRecord[]> {
		const { publication, block, fields } = this.options.layout.supplier;
		const listing = { publication, block, keys: [], what: 'suppliers' };
		const rows = await this.rows({
			...listing,
			activeField: fields.isActive,
			keyFields: [fields.code],
		});
		return present(rows.map((row) => this.records.supplier(row)));
	}
}

/** One SOAP listing: publication and block, key criteria, and what to read back per row. */
interface SoapListing {
	publication: string;
	block: string;
	keys: X3KeyValue[];
	activeField: string;
	keyFields: string[];
	what: string;
}

class RestMasterData implements Source {
	private readonly records: FieldRecords;

	constructor(
		private readonly rest: X3RestClient,
		private readonly options: MasterDataReaderOptions,
		private readonly node: INode,
	) {
		this.records = new FieldRecords(options);
	}

	private async all(
		resource: { className: string; representation: string },
		filter: string | undefined,
		what: string,
	): Promise<Array<Record<string, unknown>>> {
		const max = this.options.maxRecordsPerKind;
		const rows: Array<Record<string, unknown>> = [];
		for await (const row of this.rest.query(resource.className, resource.representation, {
			where: filter,
			count: 200,
			maxItems: max + 1,
		})) {
			rows.push(row);
		}
		if (rows.length > max) throw tooMany(this.node, what, max);
		return rows;
	}

	async accounts(): Promise<MasterDataRecord[]> {
		const names = this.options.soapNames.account;
		const rows = await this.all(
			this.options.restNames.account,
			where.eq(names.chart, this.options.layout.chartOfAccounts),
			'GL accounts',
		);
		return present(rows.map((row) => this.records.account(row)));
	}

	async dimensions(type: string): Promise<MasterDataRecord[]> {
		const names = this.options.soapNames.dimension;
		const rows = await this.all(
			this.options.restNames.dimension,
			where.eq(names.type, type),
			`${type} dimension values`,
		);
		return present(rows.map((row) => this.records.dimension(row, type)));
	}

	async suppliers(): Promise<MasterDataRecord[]> {
		const rows = await this.all(this.options.restNames.supplier, undefined, 'suppliers');
		return present(rows.map((row) => this.records.supplier(row)));
	}
}
