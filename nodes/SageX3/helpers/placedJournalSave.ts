import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { X3Error } from '../transport/errors';
import { JOURNAL_HEADER_SETTINGS, JOURNAL_LINE_SETTINGS } from '../transport/gateway.types';
import type {
	JournalEntryDraft,
	PostedJournalEntry,
	X3Gateway,
	X3Layout,
} from '../transport/gateway.types';
import { documentPrecedes, text } from '../transport/records';
import type {
	X3FieldGroup,
	X3ObjectData,
	X3SoapCallOptions,
	X3SoapCallResult,
} from '../transport/soap';
import { blockRecord } from '../transport/soapReader';
import { LayoutError } from './layout';
import type { ExtraFields, FieldPlacements } from './layout';

/**
 * Journal entries whose fields X3 Setup places in other blocks (`BLOCK.FIELD`) or that need Extra Mandatory
 * Fields. The transport writes every header field into the header block, every line field into the lines block
 * and the dimensions into the analytics table when the layout has one (a `CCE` placement becomes the layout's
 * analytics block, see layoutFromSetup); this module moves the other placed fields and adds the fixed ones, then
 * saves through SOAP like the gateway (same recovery: after an ambiguous failure the entry is looked up by its
 * trace id, never saved twice). Dimensions are never moved here: X3 takes them only with the line they
 * distribute (LIN), which the transport writes.
 */

/** Whether a journal entry needs placing: a field in another block, or extra fields. */
export function needsPlacement(
	layout: X3Layout,
	placements: FieldPlacements,
	extras: ExtraFields,
): boolean {
	const journal = layout.journalEntry;
	const moved = Object.entries(placements).some(([setting, block]) => {
		if (!setting.startsWith('journalEntry.')) return false;
		const key = setting.slice('journalEntry.'.length);
		// The transport writes the dimensions in the analytics block (layoutWithPlacements).
		if (key === 'dimensionPrefix') return false;
		const home = (JOURNAL_HEADER_SETTINGS as readonly string[]).includes(key)
			? journal.headerBlock
			: journal.linesBlock;
		return block !== home;
	});
	return (
		moved ||
		Object.keys(extras.journalHeader).length > 0 ||
		Object.keys(extras.journalLines).length > 0
	);
}

/** The entry as the customer's publication wants it: placed fields moved to their blocks, extra fields added. */
export function placeJournalFields(
	data: X3ObjectData,
	layout: X3Layout,
	placements: FieldPlacements,
	extras: ExtraFields,
): X3ObjectData {
	const journal = layout.journalEntry;
	const f = journal.fields;
	const header: X3FieldGroup = {
		...((data[journal.headerBlock] as X3FieldGroup | undefined) ?? {}),
		...extras.journalHeader,
	};
	const lines: X3FieldGroup[] = (
		(data[journal.linesBlock] as X3FieldGroup[] | undefined) ?? []
	).map((line) => ({ ...line, ...extras.journalLines }));
	const out: X3ObjectData = {};
	const group = (block: string): X3FieldGroup => {
		const existing = out[block];
		if (existing && !Array.isArray(existing)) return existing;
		const created: X3FieldGroup = {};
		out[block] = created;
		return created;
	};
	const table = (block: string): X3FieldGroup[] => {
		const existing = out[block];
		if (Array.isArray(existing)) return existing;
		const created = lines.map(() => ({}) as X3FieldGroup);
		out[block] = created;
		return created;
	};
	out[journal.headerBlock] = header;
	out[journal.linesBlock] = lines;
	// Every other block the gateway built (the analytics table) goes out as built.
	for (const [block, value] of Object.entries(data)) {
		if (!(block in out)) out[block] = value;
	}
	for (const key of JOURNAL_HEADER_SETTINGS) {
		const block = placements[`journalEntry.${key}`];
		if (!block || block === journal.headerBlock || !(f[key] in header)) continue;
		group(block)[f[key]] = header[f[key]];
		delete header[f[key]];
	}
	const moveLineField = (name: string, block: string | undefined) => {
		if (!block || block === journal.linesBlock) return;
		if (Array.isArray(data[block])) {
			// A table the gateway built has its own rows (the analytics table: one per line with dimensions).
			throw new LayoutError(
				`X3 Setup places ${name} in ${block}, a table the node already writes with its own rows: place it in the lines block`,
			);
		}
		const target = table(block);
		lines.forEach((line, index) => {
			if (!(name in line)) return;
			target[index][name] = line[name];
			delete line[name];
		});
	};
	for (const key of JOURNAL_LINE_SETTINGS) moveLineField(f[key], placements[`journalEntry.${key}`]);
	moveLineField(journal.lineTraceField, placements['journalEntry.lineTraceField']);
	return out;
}

/** The SOAP call the placed save makes (X3SoapClient has it). */
export interface PlacedSaveClient {
	save(
		publicName: string,
		data: X3ObjectData,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult>;
}

type ObjectBuilder = { journalObject(draft: JournalEntryDraft): X3ObjectData };

function hasObjectBuilder(gateway: unknown): gateway is ObjectBuilder {
	return typeof (gateway as Partial<ObjectBuilder>).journalObject === 'function';
}

/**
 * The gateway with saveJournalEntry replaced by a placed save; every other call goes to the gateway. Null when
 * the gateway cannot build a journal object (then Post Spend refuses rather than write fields in the wrong block).
 */
export function withPlacedJournalFields(
	gateway: X3Gateway,
	soap: PlacedSaveClient,
	node: INode,
	layout: X3Layout,
	placements: FieldPlacements,
	extras: ExtraFields,
): X3Gateway | null {
	if (!hasObjectBuilder(gateway)) return null;
	const journal = layout.journalEntry;
	const f = journal.fields;
	const latest = (entries: PostedJournalEntry[]) =>
		entries.reduce((last, entry) =>
			documentPrecedes(last.documentNumber, entry.documentNumber) ? entry : last,
		);
	const save = async (draft: JournalEntryDraft): Promise<PostedJournalEntry> => {
		const built = gateway.journalObject(draft);
		let data: X3ObjectData;
		try {
			data = placeJournalFields(built, layout, placements, extras);
		} catch (error) {
			// placeJournalFields refuses only placements it cannot honour (LayoutError).
			throw new NodeOperationError(node, `X3 Setup: ${(error as Error).message}`, {
				description: 'Fix the field placements in the "X3 Setup" section of the node.',
			});
		}
		let result: X3SoapCallResult | undefined;
		let failure: unknown;
		try {
			result = await soap.save(journal.publication, data);
		} catch (error) {
			failure = error;
		}
		if (!result) {
			// X3 may have saved anyway (timeout, reset, 5xx): report the entry it holds rather than save again.
			if (failure instanceof X3Error && failure.transient && !failure.notProcessed) {
				const found = await gateway.findJournalEntriesByTraceId(draft.traceId).catch(() => []);
				if (found.length > 0) return latest(found);
			}
			throw failure;
		}
		const numberBlock = placements['journalEntry.documentNumber'] ?? journal.headerBlock;
		const documentNumber = text(blockRecord(result.data, numberBlock)[f.documentNumber]);
		if (documentNumber === null) {
			const found = await gateway.findJournalEntriesByTraceId(draft.traceId).catch(() => []);
			if (found.length > 0) return latest(found);
			throw new X3Error(node, {
				kind: 'protocol',
				message: `Sage X3 saved the journal entry (trace ${draft.traceId}) but returned no document number in ${numberBlock}.${f.documentNumber}`,
				description: 'Run X3 Setup → Check to compare the layout with the publication.',
			});
		}
		const lines = draft.lines.map((line) => ({
			account: line.account,
			debit: line.debit ?? null,
			credit: line.credit ?? null,
			dimensions: { ...line.dimensions },
			businessPartner: line.businessPartner ?? null,
			description: line.description ?? null,
			lineTraceId: line.lineTraceId ?? null,
		}));
		return {
			documentNumber,
			entryType: draft.entryType,
			traceId: draft.traceId,
			accountingDate: draft.accountingDate,
			currency: draft.currency,
			lineTraceIds: [
				...new Set(lines.map((line) => line.lineTraceId).filter((id): id is string => id !== null)),
			],
			lines,
		};
	};
	return new Proxy(gateway, {
		get(target, property) {
			if (property === 'saveJournalEntry') return save;
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}
