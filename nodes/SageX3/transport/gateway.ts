import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { SharedPromise } from '../../common/sharedPromises';
import { X3Error, X3TraceCheckUnverifiableError, X3TraceLookupIncompleteError } from './errors';
import type {
	JournalEntryDraft,
	JournalSaveOptions,
	PostedJournalEntry,
	TraceLookupOptions,
	X3Gateway,
	X3Layout,
	X3ReadApi,
	X3Supplier,
	X3SupplierDraft,
} from './gateway.types';
import { X3GraphqlClient } from './graphql';
import { GraphqlReader } from './graphqlReader';
import { callerTools, resolveConnection } from './connections';
import type {
	X3GraphqlCredentialType,
	X3RestCredentialType,
	X3SoapCredentialType,
} from './connections';
import type { X3RequestContext } from './http';
import { DEFAULT_GRAPHQL_NAMES, DEFAULT_REST_NAMES, DEFAULT_SOAP_NAMES, mergeNames } from './names';
import type { X3GraphqlNamesOverride, X3RestNamesOverride, X3SoapNamesOverride } from './names';
import type { ReaderEnvironment, X3Reader } from './readers';
import { chunk } from './records';
import { X3RestClient } from './rest';
import { RestReader } from './restReader';
import { X3SoapClient } from './soap';
import type { X3ObjectData, X3PayloadFormat } from './soapXml';
import { SoapReader } from './soapReader';
import { SoapWriter } from './soapWriter';
import type { X3RetryOptions } from './throttle';

/**
 * The X3Gateway behind the Sage X3 node's operations. Writes are always SOAP `save` (journal entries and suppliers
 * are classic X3 objects, which only SOAP can create). Reads go through the API the user chose: SOAP read/query,
 * GraphQL or REST api1. Every call is throttled per server and pool/endpoint and retried only when safe
 * (see throttle.ts).
 */

export interface X3GatewayOptions {
	readApi: X3ReadApi;
	layout: X3Layout;
	soapCredentialType: X3SoapCredentialType;
	/** Credential for GraphQL reads; default sageX3ConnectedAppApi. */
	graphqlCredentialType?: X3GraphqlCredentialType;
	/** Credential for REST reads; default the SOAP credential type. */
	restCredentialType?: X3RestCredentialType;
	/**
	 * X3's answers (resultXml) as XML (default, unless the SOAP names say resultFormat json: the `<RESULT>` form is
	 * what answers known from real servers use) or JSON (adxwss.optreturn=JSON). Payloads go in the same format,
	 * except one holding a character XML 1.0 cannot carry, which goes as JSON (X3SoapClient).
	 */
	payloadFormat?: X3PayloadFormat;
	graphqlNames?: X3GraphqlNamesOverride;
	soapNames?: X3SoapNamesOverride;
	restNames?: X3RestNamesOverride;
	/** Prefix of every trace id (default 'BRX', see nodes/common/traceId.ts). */
	tracePrefix?: string;
	/** Rows scanned at most by searches filtered locally and by SOAP listings (default 500). */
	scanLimit?: number;
	/** Results of a search when no limit is given (default 50). */
	defaultLimit?: number;
	/** Retry policy, sleep and jitter (tests inject them). */
	retry?: X3RetryOptions;
	/** Item the gateway works for, for error context and credential resolution. */
	itemIndex?: number;
}

export function createX3Gateway(context: X3RequestContext, options: X3GatewayOptions): X3Gateway {
	return new SageX3Gateway(context, options);
}

class SageX3Gateway implements X3Gateway {
	readonly readApi: X3ReadApi;

	private readonly node: INode;

	private readonly layout: X3Layout;

	private readonly env: ReaderEnvironment;

	// A failed setup (e.g. credential not filled in yet) is not kept (SharedPromise): the next call tries again.
	private readonly soapClient = new SharedPromise<X3SoapClient>();

	private readonly reader = new SharedPromise<X3Reader>();

	private readonly writer: SoapWriter;

	constructor(
		private readonly context: X3RequestContext,
		private readonly options: X3GatewayOptions,
	) {
		this.readApi = options.readApi;
		this.node = context.getNode();
		this.layout = options.layout;
		this.env = {
			node: this.node,
			layout: options.layout,
			tracePrefix: options.tracePrefix ?? 'BRX',
			scanLimit: options.scanLimit ?? 500,
			defaultLimit: options.defaultLimit ?? 50,
			soapNames: mergeNames(DEFAULT_SOAP_NAMES, options.soapNames),
			graphqlNames: mergeNames(DEFAULT_GRAPHQL_NAMES, options.graphqlNames),
			restNames: mergeNames(DEFAULT_REST_NAMES, options.restNames),
		};
		this.writer = new SoapWriter(
			async () => await this.soap(),
			this,
			this.node,
			this.layout,
			this.env.soapNames,
			options.itemIndex,
		);
	}

	// --- wiring ----------------------------------------------------------------------------------------------------

	private async soap(): Promise<X3SoapClient> {
		return await this.soapClient.get(async () => {
			const connection = await resolveConnection(
				this.context,
				'soap',
				this.options.soapCredentialType,
				this.options.itemIndex,
			);
			const format = this.options.payloadFormat ?? this.env.soapNames.resultFormat;
			if (format !== 'xml' && format !== 'json') {
				throw new NodeOperationError(
					this.node,
					`API Name Overrides: soap.resultFormat must be "xml" or "json", got "${String(format)}"`,
					{ itemIndex: this.options.itemIndex },
				);
			}
			const { send, runner } = callerTools(this.context, connection, this.options.retry);
			const { settings } = connection;
			return new X3SoapClient(
				send,
				{
					baseUrl: settings.baseUrl,
					poolAlias: settings.poolAlias,
					language: settings.language,
					format,
					timeoutMs: settings.timeoutMs,
				},
				this.node,
				runner,
			);
		});
	}

	private async read(): Promise<X3Reader> {
		return await this.reader.get(async (): Promise<X3Reader> => {
			if (this.readApi === 'soap') return new SoapReader(await this.soap(), this.env);
			if (this.readApi === 'graphql') {
				const connection = await resolveConnection(
					this.context,
					'graphql',
					this.options.graphqlCredentialType ?? 'sageX3ConnectedAppApi',
					this.options.itemIndex,
				);
				const { send, runner } = callerTools(this.context, connection, this.options.retry);
				const { url, settings } = connection;
				const client = new X3GraphqlClient(
					send,
					{ url, endpoint: settings.endpoint || undefined, timeoutMs: settings.timeoutMs },
					this.node,
					runner,
				);
				return new GraphqlReader(client, this.env);
			}
			const connection = await resolveConnection(
				this.context,
				'rest',
				this.options.restCredentialType ?? this.options.soapCredentialType,
				this.options.itemIndex,
			);
			const { send, runner } = callerTools(this.context, connection, this.options.retry);
			const { settings } = connection;
			const client = new X3RestClient(
				send,
				{ baseUrl: settings.baseUrl, endpoint: settings.endpoint, timeoutMs: settings.timeoutMs },
				this.node,
				runner,
			);
			return new RestReader(client, this.env);
		});
	}

	// --- reads -------------------------------------------------------------------------------------------------------

	async getSupplier(code: string) {
		return await (await this.read()).getSupplier(this.required(code, 'Supplier code'));
	}

	async searchSuppliers(query: { code?: string; name?: string; limit?: number }) {
		return await (await this.read()).searchSuppliers(query);
	}

	async getAccount(code: string) {
		return await (await this.read()).getAccount(this.required(code, 'Account code'));
	}

	async searchAccounts(query: { code?: string; description?: string; limit?: number }) {
		return await (await this.read()).searchAccounts(query);
	}

	async listDimensionTypes() {
		return await (await this.read()).listDimensionTypes();
	}

	async searchDimensions(
		type: string,
		query: { code?: string; description?: string; limit?: number },
	) {
		return await (await this.read()).searchDimensions(this.required(type, 'Dimension type'), query);
	}

	async listSites() {
		return await (await this.read()).listSites();
	}

	async listEntryTypes() {
		return await (await this.read()).listEntryTypes();
	}

	get itemTracesOnLines(): boolean {
		return this.layout.journalEntry.lineTraceField !== '';
	}

	async findPostedTraceIds(
		traceIds: string[],
		options: TraceLookupOptions = {},
	): Promise<Map<string, string>> {
		const reader = await this.read();
		return await this.lookupTraces(
			traceIds,
			reader,
			async (batch) => await reader.findPostedTraceIds(batch, options),
		);
	}

	async findTraceHolders(
		traceIds: string[],
		options: TraceLookupOptions = {},
	): Promise<Map<string, string[]>> {
		const reader = await this.read();
		return await this.lookupTraces(
			traceIds,
			reader,
			async (batch) => await reader.findTraceHolders(batch, options),
		);
	}

	/**
	 * Batches of the reader's size, issued together. A batch that fails is asked once more as two halves, so one
	 * bad sub-request (a poisoned id, an oversized answer) fails only its own ids; the happy path makes the same
	 * calls as before. Not split: failures that no smaller request fixes (the check cannot be verified on this X3,
	 * refused credentials). When some ids were answered and others not, X3TraceLookupIncompleteError carries both;
	 * when none was, the first failure is thrown as it is.
	 */
	private async lookupTraces<V>(
		traceIds: string[],
		reader: X3Reader,
		lookup: (batch: string[]) => Promise<Map<string, V>>,
	): Promise<Map<string, V>> {
		const idBatches = traceIdBatches(traceIds, reader.traceBatchSize);
		const found = new Map<string, V>();
		const failed: string[] = [];
		let firstError: unknown;
		const attempt = async (batch: string[], maySplit: boolean): Promise<void> => {
			try {
				for (const [id, value] of await lookup(batch)) found.set(id, value);
				return;
			} catch (error) {
				if (error instanceof X3TraceLookupIncompleteError) {
					// The reader settled some ids itself (SOAP asks id by id): keep them, fail the rest.
					for (const [id, value] of error.found as Map<string, V>) found.set(id, value);
					failed.push(...error.failedIds);
					firstError ??= error.firstError;
					return;
				}
				if (maySplit && batch.length > 1 && worthSplitting(error)) {
					const middle = Math.ceil(batch.length / 2);
					await Promise.all([
						attempt(batch.slice(0, middle), false),
						attempt(batch.slice(middle), false),
					]);
					return;
				}
				failed.push(...batch);
				firstError ??= error;
			}
		};
		await Promise.all(idBatches.map(async (batch) => await attempt(batch, reader.batchesIds)));
		if (failed.length === 0) return found;
		const asked = idBatches.reduce((sum, batch) => sum + batch.length, 0);
		if (failed.length === asked) throw firstError;
		throw new X3TraceLookupIncompleteError(this.node, found, failed, firstError);
	}

	async findJournalEntriesByTraceId(traceId: string): Promise<PostedJournalEntry[]> {
		return await (
			await this.read()
		).findJournalEntriesByTraceId(this.required(traceId, 'Trace id'));
	}

	async listTracedJournalEntries(range: {
		from: string;
		to: string;
	}): Promise<PostedJournalEntry[]> {
		for (const [name, value] of Object.entries(range)) {
			if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
				throw this.invalid(`The ${name} date must be YYYY-MM-DD, got "${value}"`);
		}
		if (range.from > range.to)
			throw this.invalid(`The range starts (${range.from}) after it ends (${range.to})`);
		return await (await this.read()).listTracedJournalEntries(range);
	}

	// --- writes (SOAP, soapWriter.ts) -------------------------------------------------------------------------------

	async saveJournalEntry(
		draft: JournalEntryDraft,
		options: JournalSaveOptions = {},
	): Promise<PostedJournalEntry> {
		return await this.writer.saveJournalEntry(draft, options);
	}

	async deleteJournalEntry(entry: {
		documentNumber: string;
		entryType: string | null;
	}): Promise<void> {
		await this.writer.deleteJournalEntry(entry);
	}

	async createSupplier(draft: X3SupplierDraft): Promise<X3Supplier> {
		return await this.writer.createSupplier(draft);
	}

	// The payload builders stay reachable from the gateway (the layout tests build payloads through it).
	supplierObject(draft: X3SupplierDraft, name: string, category: string): X3ObjectData {
		return this.writer.supplierObject(draft, name, category);
	}

	fitJournalTexts(draft: JournalEntryDraft): JournalEntryDraft {
		return this.writer.fitJournalTexts(draft);
	}

	journalObject(draft: JournalEntryDraft): X3ObjectData {
		return this.writer.journalObject(draft);
	}

	private required(value: string | undefined, what: string): string {
		const trimmed = typeof value === 'string' ? value.trim() : '';
		if (trimmed === '') throw this.invalid(`${what} is required`);
		return trimmed;
	}

	private invalid(message: string): NodeOperationError {
		return new NodeOperationError(this.node, message, { itemIndex: this.options.itemIndex });
	}
}

/** A failed trace batch worth asking again in halves: not when the failure is the X3 setup's or the credential's. */
function worthSplitting(error: unknown): boolean {
	if (error instanceof X3TraceCheckUnverifiableError) return false;
	if (error instanceof X3Error && error.kind === 'auth') return false;
	return true;
}

/** Distinct, non-blank trace ids in batches of the reader's size (one GraphQL/REST request each). */
function traceIdBatches(traceIds: string[], batchSize: number): string[][] {
	const unique = [...new Set(traceIds.filter((id) => typeof id === 'string' && id.trim() !== ''))];
	return chunk(unique, batchSize);
}
