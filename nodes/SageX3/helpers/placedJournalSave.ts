import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { JOURNAL_HEADER_SETTINGS, JOURNAL_LINE_SETTINGS } from '../transport/gateway.types';
import type {
	JournalEntryDraft,
	JournalSaveOptions,
	PostedJournalEntry,
	X3Gateway,
	X3Layout,
} from '../transport/gateway.types';
import type { X3FieldGroup, X3ObjectData } from '../transport/soapXml';
import { LayoutError } from './layout';
import type { ExtraFields, FieldPlacements } from './layout';

/**
 * Journal entries whose fields X3 Setup places in other blocks (`BLOCK.FIELD`) or that need Extra Mandatory
 * Fields. The transport writes every header field into the header block, every line field into the lines block
 * and the dimensions into the analytics table when the layout has one (a `CCE` placement becomes the layout's
 * analytics block, see layoutFromSetup); this module moves the other placed fields and adds the fixed ones, and
 * the gateway saves the result (with its recovery: after an ambiguous failure the entry is looked up by its trace
 * id, never saved twice). Dimensions are never moved here: X3 takes them only with the line they distribute
 * (LIN), which the transport writes.
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

/**
 * The gateway with saveJournalEntry placing X3 Setup's fields: the gateway builds the object, this module moves the
 * placed fields and adds the fixed ones, and the gateway saves it (with its recovery after an ambiguous failure)
 * and reads the document number where X3 Setup places it. Every other call goes to the gateway unchanged.
 */
export function withPlacedJournalFields(
	gateway: X3Gateway,
	node: INode,
	layout: X3Layout,
	placements: FieldPlacements,
	extras: ExtraFields,
): X3Gateway {
	const journal = layout.journalEntry;
	const options: JournalSaveOptions = {
		place: (built) => {
			try {
				return placeJournalFields(built as X3ObjectData, layout, placements, extras);
			} catch (error) {
				// placeJournalFields refuses only placements it cannot honour (LayoutError).
				throw new NodeOperationError(node, `X3 Setup: ${(error as Error).message}`, {
					description: 'Fix the field placements in the "X3 Setup" section of the node.',
				});
			}
		},
		numberBlock: placements['journalEntry.documentNumber'] ?? journal.headerBlock,
	};
	const save = async (draft: JournalEntryDraft): Promise<PostedJournalEntry> =>
		await gateway.saveJournalEntry(draft, options);
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
