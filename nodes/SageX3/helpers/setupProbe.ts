import { randomBytes } from 'node:crypto';

import { base32 } from '../../common/traceId';
import type { TraceLookupOptions, X3Layout } from '../transport/gateway.types';
import type { X3SoapNames } from '../transport/names';
import { leadingTraceId, text } from '../transport/records';
import { isRecord, resultRows } from '../transport/soapXml';
import type { X3SoapCallOptions, X3SoapCallResult } from '../transport/soap';
import type { X3KeyValue } from '../transport/soapXml';
import { blockRecord } from '../transport/soapReader';
import type { ExtraFields, FieldPlacements } from './layout';
import {
	apiVerdict,
	describedLength,
	describeFindings,
	layoutPublications,
	soapFieldVerdict,
} from './setupCheck';
import type { ApiProbe, KnownValue, QueryAnswer, SetupReport, SoapFieldProbe } from './setupCheck';
import { parseDescription } from './x3Description';
import type { PublicationDescription } from './x3Description';

/**
 * Check X3 Setup, the probing part: read-only calls only (getDescription, query, read, and the gateways' own
 * trace lookups). Nothing here writes to X3. The SOAP side works on an X3SoapClient (raw rows, so a missing column
 * or an ignored criterion is visible); REST and GraphQL are probed through the same lookup Post Spend uses.
 */

/** The SOAP calls the probes make (X3SoapClient has them). */
export interface ProbeSoapClient {
	getDescription(publicName: string, options?: X3SoapCallOptions): Promise<X3SoapCallResult>;
	query(
		publicName: string,
		objectKeys: X3KeyValue[],
		listSize: number,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult>;
	read(
		publicName: string,
		objectKeys: X3KeyValue[],
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult>;
}

/** A read API's trace lookup (an X3Gateway with readApi rest or graphql). */
export interface ProbeLookup {
	findTraceHolders(
		traceIds: string[],
		options?: TraceLookupOptions,
	): Promise<Map<string, string[]>>;
}

export interface SetupProbeSources {
	soap: ProbeSoapClient;
	/** Absent when the API is not configured on the node. */
	rest?: ProbeLookup;
	graphql?: ProbeLookup;
}

export interface SetupCheckConfig {
	layout: X3Layout;
	placements: FieldPlacements;
	extras: ExtraFields;
	soapNames: X3SoapNames;
	tracePrefix: string;
	/** 'all' describes every publication of the layout; 'journal' only the journal entry one (Post Spend). */
	describe: 'all' | 'journal';
	/** Read APIs to probe besides SOAP. */
	apis: Array<'rest' | 'graphql'>;
	/** Random source (tests pin it). */
	random?: (bytes: number) => Uint8Array;
}

/** Entries read at most to find a known header and line value. */
const MAX_ENTRY_READS = 3;

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** A trace-like value no entry holds: the prefix, a Z marker and random base32, as long as a trace id. */
export function unmatchedTraceId(
	prefix: string,
	length: number,
	random: (bytes: number) => Uint8Array = (n) => randomBytes(n),
): string {
	const head = `${prefix}Z-`;
	const size = Math.max(8, Math.min(length, 20) - head.length);
	return head + base32(random(size), size);
}

async function queryAnswer(
	soap: ProbeSoapClient,
	publication: string,
	keys: X3KeyValue[],
	listSize: number,
): Promise<QueryAnswer> {
	try {
		const result = await soap.query(publication, keys, listSize, { allowStatusZero: true });
		// Status 0 reads as "no rows", whatever the message language: an X3 that refuses the criterion then also
		// fails the known-value probe, so this never turns a refusal into a pass.
		if (result.status !== 1) return { rows: [] };
		// An empty <RESULT/> reads as one record without fields: that is no row.
		return { rows: resultRows(result.data).filter((row) => Object.keys(row).length > 0) };
	} catch (error) {
		return { error: errorText(error) };
	}
}

interface ReadEntry {
	documentNumber: string;
	entryType: string | null;
	header: Record<string, unknown>;
	lines: Array<Record<string, unknown>>;
}

async function readEntry(
	soap: ProbeSoapClient,
	layout: X3Layout,
	documentNumber: string,
	entryType: string | null,
): Promise<ReadEntry | null> {
	const journal = layout.journalEntry;
	const f = journal.fields;
	// GAS is keyed by entry type + number (index HAE0); both go as keys when the list shows the type.
	const keys: X3KeyValue[] = [];
	if (entryType) keys.push({ key: f.entryType, value: entryType });
	keys.push({ key: f.documentNumber, value: documentNumber });
	const result = await soap.read(journal.publication, keys, { allowStatusZero: true });
	if (result.status !== 1) return null;
	const data = isRecord(result.data) ? result.data : {};
	const lines = Array.isArray(data[journal.linesBlock])
		? (data[journal.linesBlock] as unknown[]).filter(isRecord)
		: [];
	return {
		documentNumber,
		entryType,
		header: blockRecord(result.data, journal.headerBlock),
		lines,
	};
}

interface KnownValues {
	ledgerEmpty: boolean;
	header: KnownValue | null;
	line: KnownValue | null;
	/** Values written by this node (trace prefix), for the REST and GraphQL probes. */
	ownHeader: KnownValue | null;
	ownLine: KnownValue | null;
	reason?: string;
}

/**
 * Finds entries whose trace values the probes can look for: this node's entries first (a query on the trace
 * prefix), then any entry (a query without criteria); each candidate is read by entry type + number, because
 * SOAP query returns left-list columns only.
 */
async function findKnownValues(
	soap: ProbeSoapClient,
	config: SetupCheckConfig,
): Promise<KnownValues> {
	const journal = config.layout.journalEntry;
	const f = journal.fields;
	const none: KnownValues = {
		ledgerEmpty: false,
		header: null,
		line: null,
		ownHeader: null,
		ownLine: null,
	};
	const any = await queryAnswer(soap, journal.publication, [], 20);
	if ('error' in any) return { ...none, reason: `listing journal entries failed: ${any.error}` };
	if (any.rows.length === 0) {
		return { ...none, ledgerEmpty: true, reason: 'X3 holds no journal entry' };
	}
	const own = await queryAnswer(
		soap,
		journal.publication,
		[{ key: f.traceField, value: `${config.tracePrefix}*` }],
		5,
	);
	const candidates = new Map<string, string | null>();
	// This node's entries first, then entries whose listed trace value is not empty, then the others.
	const listedTrace = (row: Record<string, unknown>) => text(row[f.traceField]) !== null;
	const ordered = [
		...('rows' in own ? own.rows : []),
		...any.rows.filter(listedTrace),
		...any.rows.filter((row) => !listedTrace(row)),
	];
	for (const row of ordered) {
		const documentNumber = text(row[f.documentNumber]);
		if (documentNumber !== null && !candidates.has(documentNumber)) {
			candidates.set(documentNumber, text(row[f.entryType]));
		}
	}
	if (candidates.size === 0) {
		return {
			...none,
			reason: `the journal entry list shows no ${f.documentNumber} column to read an entry by`,
		};
	}
	const found: KnownValues = { ...none };
	let reads = 0;
	let readFailures = 0;
	for (const [documentNumber, entryType] of candidates) {
		if (reads >= MAX_ENTRY_READS) break;
		if (found.header && found.line && found.ownHeader && found.ownLine) break;
		reads++;
		let entry: ReadEntry | null = null;
		try {
			entry = await readEntry(soap, config.layout, documentNumber, entryType);
		} catch {
			entry = null;
		}
		if (!entry) {
			readFailures++;
			continue;
		}
		const known = (value: string): KnownValue => ({ documentNumber, entryType, value });
		const headerValue = text(entry.header[f.traceField]);
		if (headerValue !== null) {
			found.header ??= known(headerValue);
			if (headerValue.startsWith(config.tracePrefix)) found.ownHeader ??= known(headerValue);
		}
		if (journal.lineTraceField !== '') {
			for (const line of entry.lines) {
				const lineValue = text(line[journal.lineTraceField]);
				if (lineValue === null) continue;
				found.line ??= known(lineValue);
				const traceId = leadingTraceId(lineValue, config.tracePrefix);
				if (traceId !== null) found.ownLine ??= known(traceId);
			}
		}
	}
	if (!found.header || !found.line) {
		found.reason =
			readFailures === reads
				? `reading ${reads} journal entr${reads === 1 ? 'y' : 'ies'} by ${f.entryType} + ${f.documentNumber} failed`
				: `the ${reads} journal entr${reads === 1 ? 'y' : 'ies'} read have no value there`;
	}
	return found;
}

async function soapFieldProbe(
	soap: ProbeSoapClient,
	config: SetupCheckConfig,
	level: 'header' | 'line',
	known: KnownValue | null,
	unmatchedId: string,
	noKnownReason: string | undefined,
): Promise<SoapFieldProbe> {
	const journal = config.layout.journalEntry;
	const field = level === 'header' ? journal.fields.traceField : journal.lineTraceField;
	const probe: SoapFieldProbe = {
		level,
		field,
		documentNumberField: journal.fields.documentNumber,
		unmatched: { rows: [] },
		knownValue: null,
		known: null,
	};
	if (field === '') return probe;
	// Header trace ids are matched exactly, line values as a prefix (`id*`), as the readers look them up.
	const criterion = (value: string) => (level === 'header' ? value : `${value}*`);
	probe.unmatched = await queryAnswer(
		soap,
		journal.publication,
		[{ key: field, value: criterion(unmatchedId) }],
		5,
	);
	if (known) {
		probe.knownValue = known;
		probe.known = await queryAnswer(
			soap,
			journal.publication,
			[{ key: field, value: criterion(known.value) }],
			100,
		);
	} else if (noKnownReason) {
		probe.noKnownReason = noKnownReason;
	}
	return probe;
}

async function lookupProbe(
	lookup: ProbeLookup | undefined,
	api: 'rest' | 'graphql',
	level: 'header' | 'line',
	known: KnownValue | null,
	unmatchedId: string,
	noKnownReason: string | undefined,
): Promise<ApiProbe> {
	const probe: ApiProbe = {
		api,
		configured: lookup !== undefined,
		level,
		unmatched: null,
		knownValue: null,
		known: null,
	};
	if (!lookup) return probe;
	const options = { linesOnly: level === 'line' };
	const documents = async (id: string) => {
		try {
			return { documents: (await lookup.findTraceHolders([id], options)).get(id) ?? [] };
		} catch (error) {
			return { error: errorText(error) };
		}
	};
	probe.unmatched = await documents(unmatchedId);
	if (known) {
		probe.knownValue = known;
		probe.known = await documents(known.value);
	} else {
		probe.noKnownReason = noKnownReason ?? 'no entry of this node was found';
	}
	return probe;
}

async function describe(
	soap: ProbeSoapClient,
	publication: string,
): Promise<PublicationDescription | { error: string }> {
	try {
		const result = await soap.getDescription(publication, { allowStatusZero: true });
		if (result.status !== 1) {
			const messages = result.messages.map((m) => m.message).join('; ');
			return { error: `getDescription of ${publication} failed${messages ? `: ${messages}` : ''}` };
		}
		return parseDescription(publication, result.resultXml);
	} catch (error) {
		return { error: errorText(error) };
	}
}

/** Runs every probe and builds the report (findings, one verdict per guarantee, lengths). Read-only. */
export async function runSetupCheck(
	sources: SetupProbeSources,
	config: SetupCheckConfig,
): Promise<SetupReport> {
	const { layout } = config;
	const journal = layout.journalEntry;
	const publications =
		config.describe === 'all' ? layoutPublications(layout) : [journal.publication];
	const descriptions = new Map<string, PublicationDescription | { error: string }>();
	for (const publication of publications) {
		descriptions.set(publication, await describe(sources.soap, publication));
	}
	const findings = describeFindings(
		layout,
		config.placements,
		config.soapNames,
		config.extras,
		descriptions,
	);

	const known = await findKnownValues(sources.soap, config);
	const unmatchedId = unmatchedTraceId(config.tracePrefix, journal.traceFieldLength, config.random);
	const header = await soapFieldProbe(
		sources.soap,
		config,
		'header',
		known.header,
		unmatchedId,
		known.reason,
	);
	const line = await soapFieldProbe(
		sources.soap,
		config,
		'line',
		known.line,
		unmatchedId,
		known.reason,
	);
	const verdicts = [soapFieldVerdict(header), soapFieldVerdict(line)];
	const apiLevel = journal.lineTraceField !== '' ? 'line' : 'header';
	// This node's own trace id when X3 holds one; else any entry's whole value, which the lookups match the same way
	// (exactly, or as the whole line value), so a new customer's X3 with only manual entries can be proven too.
	const ownKnown =
		apiLevel === 'line' ? (known.ownLine ?? known.line) : (known.ownHeader ?? known.header);
	for (const api of ['rest', 'graphql'] as const) {
		const lookup = config.apis.includes(api) ? sources[api] : undefined;
		verdicts.push(
			apiVerdict(
				await lookupProbe(
					lookup,
					api,
					apiLevel,
					ownKnown,
					unmatchedId,
					ownKnown ? undefined : (known.reason ?? 'no entry posted by this node was found'),
				),
			),
		);
	}

	const f = journal.fields;
	return {
		verdicts,
		findings,
		ledgerEmpty: known.ledgerEmpty,
		lengths: {
			traceField: describedLength(findings, journal.publication, f.traceField),
			lineTraceField:
				journal.lineTraceField === ''
					? null
					: describedLength(findings, journal.publication, journal.lineTraceField),
			lineDescription: describedLength(findings, journal.publication, f.lineDescription),
			headerDescription: describedLength(findings, journal.publication, f.description),
		},
	};
}
