/**
 * Test doubles for the Sage X3 node: an in-memory X3Gateway (with call counts and fault injection) seeded like
 * the emulators, and a minimal IExecuteFunctions / ILoadOptionsFunctions that reads parameters from a plain object.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';

import { checkBalance } from '../../nodes/ledger/journalDraft';
import { foldName } from '../../nodes/ledger/supplierMatch';
import type {
	JournalEntryDraft,
	JournalSaveOptions,
	PostedJournalEntry,
	TraceLookupOptions,
	X3Account,
	X3Dimension,
	X3DimensionType,
	X3EntryType,
	X3Gateway,
	X3Site,
	X3Supplier,
	X3SupplierDraft,
} from '../../nodes/SageX3/transport/gateway.types';
import { CHART, DEPARTMENTS, LOCATIONS, PROJECTS, seedVendors } from '../emulators/seed';

type GatewayMethod = Exclude<keyof X3Gateway, 'readApi'>;

export class FakeX3Gateway implements X3Gateway {
	readonly readApi = 'soap' as const;

	suppliers: X3Supplier[] = [];

	accounts: X3Account[] = [];

	dimensionTypes: X3DimensionType[] = [];

	dimensions: X3Dimension[] = [];

	sites: X3Site[] = [];

	entryTypes: X3EntryType[] = [];

	entries: Array<PostedJournalEntry & { draft: JournalEntryDraft }> = [];

	calls: Record<string, number> = {};

	/** The options of each journal save (X3 Setup's placements reach the transport through them). */
	saveOptions: Array<JournalSaveOptions | undefined> = [];

	/** Return an error to make the call fail (after counting it). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fault type for every gateway method's arguments
	faults: Partial<Record<GatewayMethod, (...args: any[]) => Error | undefined>> = {};

	private sequence = 0;

	private count(method: GatewayMethod, args: unknown[]) {
		this.calls[method] = (this.calls[method] ?? 0) + 1;
		const fault = this.faults[method]?.(...args);
		if (fault) throw fault;
	}

	callCount(method: GatewayMethod): number {
		return this.calls[method] ?? 0;
	}

	totalCalls(): number {
		return Object.values(this.calls).reduce((a, b) => a + b, 0);
	}

	async getSupplier(code: string) {
		this.count('getSupplier', [code]);
		return this.suppliers.find((s) => s.code === code) ?? null;
	}

	async searchSuppliers(query: { code?: string; name?: string; limit?: number }) {
		this.count('searchSuppliers', [query]);
		return this.suppliers
			.filter((s) => !query.code || s.code.startsWith(query.code))
			.filter((s) => !query.name || foldName(s.name).includes(foldName(query.name)))
			.slice(0, query.limit ?? 50);
	}

	async createSupplier(draft: X3SupplierDraft) {
		this.count('createSupplier', [draft]);
		const code = draft.code ?? `NEW${String(++this.sequence).padStart(5, '0')}`;
		if (this.suppliers.some((s) => s.code === code))
			throw new Error(`Supplier ${code} already exists`);
		const supplier: X3Supplier = {
			code,
			name: draft.name,
			shortName: draft.shortName ?? null,
			category: draft.category,
			country: draft.country ?? null,
			currency: draft.currency ?? null,
			isActive: true,
		};
		this.suppliers.push(supplier);
		return supplier;
	}

	async getAccount(code: string) {
		this.count('getAccount', [code]);
		return this.accounts.find((a) => a.code === code) ?? null;
	}

	async searchAccounts(query: { code?: string; description?: string; limit?: number }) {
		this.count('searchAccounts', [query]);
		return this.accounts
			.filter((a) => !query.code || a.code.startsWith(query.code))
			.filter(
				(a) =>
					!query.description || foldName(a.description ?? '').includes(foldName(query.description)),
			)
			.slice(0, query.limit ?? 50);
	}

	async listDimensionTypes() {
		this.count('listDimensionTypes', []);
		return this.dimensionTypes;
	}

	async searchDimensions(
		type: string,
		query: { code?: string; description?: string; limit?: number },
	) {
		this.count('searchDimensions', [type, query]);
		return this.dimensions
			.filter((d) => d.type === type)
			.filter((d) => !query.code || d.code.startsWith(query.code))
			.filter(
				(d) =>
					!query.description || foldName(d.description ?? '').includes(foldName(query.description)),
			)
			.slice(0, query.limit ?? 50);
	}

	async listSites() {
		this.count('listSites', []);
		return this.sites;
	}

	async listEntryTypes() {
		this.count('listEntryTypes', []);
		return this.entryTypes;
	}

	/** Like X3: refuses unbalanced entries and unknown accounts or dimensions (status 0). */
	async saveJournalEntry(draft: JournalEntryDraft, options?: JournalSaveOptions) {
		this.count('saveJournalEntry', [draft]);
		this.saveOptions.push(options);
		if (!checkBalance(draft).balanced) throw new Error('X3: unbalanced entry');
		for (const line of draft.lines) {
			if (!this.accounts.some((a) => a.code === line.account))
				throw new Error(`X3: account ${line.account} does not exist`);
			for (const [type, code] of Object.entries(line.dimensions)) {
				if (!this.dimensions.some((d) => d.type === type && d.code === code)) {
					throw new Error(`X3: dimension ${type} ${code} does not exist`);
				}
			}
		}
		const posted = {
			documentNumber: `${draft.entryType}${String(++this.sequence).padStart(6, '0')}`,
			entryType: draft.entryType,
			traceId: draft.traceId,
			accountingDate: draft.accountingDate,
			currency: draft.currency,
			lineTraceIds: draft.lines.map((l) => l.lineTraceId).filter((id): id is string => !!id),
		};
		this.entries.push({ ...posted, draft });
		return posted;
	}

	/** Post Spend writes item trace ids on lines; false imitates a layout without a line trace field. */
	itemTracesOnLines = true;

	private holds(
		entry: { traceId: string | null; lineTraceIds: string[] },
		id: string,
		linesOnly?: boolean,
	) {
		if (linesOnly && this.itemTracesOnLines) return entry.lineTraceIds.includes(id);
		return entry.traceId === id || (this.itemTracesOnLines && entry.lineTraceIds.includes(id));
	}

	async findPostedTraceIds(traceIds: string[], options: TraceLookupOptions = {}) {
		this.count('findPostedTraceIds', [traceIds, options]);
		const found = new Map<string, string>();
		for (const entry of this.entries) {
			for (const id of traceIds) {
				if (this.holds(entry, id, options.linesOnly)) found.set(id, entry.documentNumber);
			}
		}
		return found;
	}

	async findTraceHolders(traceIds: string[], options: TraceLookupOptions = {}) {
		this.count('findTraceHolders', [traceIds, options]);
		const found = new Map<string, string[]>();
		for (const entry of this.entries) {
			for (const id of traceIds) {
				if (this.holds(entry, id, options.linesOnly)) {
					found.set(id, [...(found.get(id) ?? []), entry.documentNumber]);
				}
			}
		}
		return found;
	}

	async deleteJournalEntry(entry: { documentNumber: string; entryType: string | null }) {
		this.count('deleteJournalEntry', [entry]);
		this.entries = this.entries.filter((e) => e.documentNumber !== entry.documentNumber);
	}

	async findJournalEntriesByTraceId(traceId: string) {
		this.count('findJournalEntriesByTraceId', [traceId]);
		return this.entries
			.filter((e) => e.traceId === traceId || e.lineTraceIds.includes(traceId))
			.map(({ draft: _draft, ...entry }) => entry);
	}

	async listTracedJournalEntries(range: { from: string; to: string }) {
		this.count('listTracedJournalEntries', [range]);
		return this.entries
			.filter((e) => (e.accountingDate ?? '') >= range.from && (e.accountingDate ?? '') <= range.to)
			.map(({ draft, ...entry }) => ({
				...entry,
				lines: draft.lines.map((l) => ({
					account: l.account,
					debit: l.debit ?? null,
					credit: l.credit ?? null,
					dimensions: l.dimensions,
					businessPartner: l.businessPartner ?? null,
					description: l.description ?? null,
					lineTraceId: l.lineTraceId ?? null,
				})),
			}));
	}

	/** Lines posted for an item trace id, across all entries. */
	linesFor(traceId: string) {
		return this.entries.flatMap((e) =>
			e.draft.lines.filter(
				(l) => l.lineTraceId === traceId && l.account !== CHART.cardLiabilityAccount,
			),
		);
	}
}

/** A gateway holding the emulator seed: vendors (some as suppliers), the chart, dimensions, sites, entry types. */
export function seededGateway(): FakeX3Gateway {
	const gateway = new FakeX3Gateway();
	for (const vendor of seedVendors()) {
		if (!vendor.x3SupplierCode) continue;
		gateway.suppliers.push({
			code: vendor.x3SupplierCode,
			name: vendor.name,
			shortName: vendor.name.slice(0, 10),
			category: 'SUP',
			country: vendor.country,
			currency: 'USD',
			isActive: true,
		});
	}
	const accountCodes = [
		...Object.values(CHART.expenseAccounts),
		CHART.defaultExpenseAccount,
		CHART.cardLiabilityAccount,
		CHART.supplierControlAccount,
	];
	for (const code of accountCodes) {
		gateway.accounts.push({
			chart: CHART.chartOfAccounts,
			code,
			description: `Account ${code}`,
			isActive: true,
			requiredDimensionTypes: code.startsWith('6') ? ['DEP'] : [],
		});
	}
	gateway.dimensionTypes = [
		{ code: 'CCT', description: 'Cost centre' },
		{ code: 'DEP', description: 'Department' },
		{ code: 'PRJ', description: 'Project' },
	];
	gateway.dimensions = [
		...LOCATIONS.map((l) => ({ type: 'CCT', code: l.x3Code, description: l.name, isActive: true })),
		{ type: 'CCT', code: 'CC-HQ', description: 'Headquarters', isActive: true },
		...DEPARTMENTS.map((d) => ({
			type: 'DEP',
			code: d.x3Code,
			description: d.name,
			isActive: true,
		})),
		...PROJECTS.map((p) => ({ type: 'PRJ', code: p.x3Code, description: p.name, isActive: true })),
		{ type: 'PRJ', code: 'PRJ-OLD', description: 'Closed project', isActive: false },
	];
	gateway.sites = [
		{ code: 'FR011', name: 'Paris HQ' },
		{ code: 'US001', name: 'San Francisco' },
	];
	gateway.entryTypes = [
		{ code: 'ODT', description: 'Miscellaneous' },
		{ code: 'CARD', description: 'Card spend' },
	];
	return gateway;
}

// -------------------------------------------------------------------------------------------------------------
// Contexts

export const TEST_NODE: INode = {
	id: 'node-sage-x3',
	name: 'Sage X3',
	type: 'n8n-nodes-brex-sage-x3.sageX3',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A parameter value, or a function of the item index (what an n8n expression gives per item). */
export type ParameterValue = unknown | ((itemIndex: number) => unknown);

function readPath(source: Record<string, unknown>, path: string, itemIndex: number): unknown {
	let current: unknown = source;
	for (const segment of path.split('.')) {
		if (typeof current === 'function') current = (current as (i: number) => unknown)(itemIndex);
		if (current === null || current === undefined || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return typeof current === 'function' ? (current as (i: number) => unknown)(itemIndex) : current;
}

function resolveParameter(
	parameters: Record<string, ParameterValue>,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options?: { extractValue?: boolean },
) {
	const value = readPath(parameters as Record<string, unknown>, name, itemIndex);
	if (value === undefined) {
		if (fallback === undefined) throw new Error(`Test context: parameter "${name}" is not set`);
		return fallback;
	}
	if (options?.extractValue && value && typeof value === 'object' && '__rl' in (value as object)) {
		return (value as { value: unknown }).value;
	}
	return value;
}

export interface ExecuteContextOptions {
	continueOnFail?: boolean;
	/** The node's "On Error" setting; continueOnFail follows it unless given. */
	onError?: INode['onError'];
}

export function executeContext(
	parameters: Record<string, ParameterValue>,
	inputs: IDataObject[],
	options: ExecuteContextOptions = {},
): IExecuteFunctions {
	const items: INodeExecutionData[] = inputs.map((json) => ({ json }));
	const context = {
		getInputData: () => items,
		getNode: () => ({ ...TEST_NODE, ...(options.onError ? { onError: options.onError } : {}) }),
		continueOnFail: () =>
			options.continueOnFail ??
			['continueRegularOutput', 'continueErrorOutput'].includes(options.onError ?? ''),
		getNodeParameter: (
			name: string,
			itemIndex: number,
			fallback?: unknown,
			opts?: { extractValue?: boolean },
		) => resolveParameter(parameters, name, itemIndex, fallback, opts),
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				meta: { itemData: IPairedItemData | IPairedItemData[] },
			) => data.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
	};
	return context as unknown as IExecuteFunctions;
}

export function loadOptionsContext(
	parameters: Record<string, ParameterValue>,
	current: Record<string, unknown> = {},
): ILoadOptionsFunctions {
	const context = {
		getNode: () => TEST_NODE,
		getNodeParameter: (name: string, fallback?: unknown) =>
			resolveParameter(parameters, name, 0, fallback),
		getCurrentNodeParameter: (name: string) => current[name],
	};
	return context as unknown as ILoadOptionsFunctions;
}

export function rl(value: string) {
	return { __rl: true, mode: 'id', value };
}
