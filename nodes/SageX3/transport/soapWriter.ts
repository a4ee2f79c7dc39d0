import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { cutToLength } from '../../common/fieldText';
import { X3BusinessError, X3Error } from './errors';
import {
	DEFAULT_ADDRESS_DESCRIPTION_LENGTH,
	DEFAULT_DESCRIPTION_LENGTH,
	DEFAULT_LINE_DESCRIPTION_LENGTH,
} from './gateway.types';
import type {
	JournalEntryDraft,
	JournalLineDraft,
	JournalSaveOptions,
	PostedJournalEntry,
	SupplierFieldKey,
	X3Layout,
	X3Lookups,
	X3Supplier,
	X3SupplierDraft,
} from './gateway.types';
import type { X3SoapNames } from './names';
import {
	decimalScale,
	decimalUnits,
	documentPrecedes,
	text,
	toX3Date,
	toX3Decimal,
} from './records';
import type { X3SoapClient } from './soap';
import type { X3FieldGroup, X3KeyValue, X3ObjectData } from './soapXml';
import { settled } from './readers';
import { blockRecord } from './soapReader';

/**
 * The SOAP writes behind the gateway: journal entries and suppliers are classic X3 objects, which only SOAP `save`
 * creates, whatever API serves the reads. Builds their objects from the layout (texts fitted to their fields),
 * saves and deletes them, and after an ambiguous failure looks the write up through the gateway's reads
 * rather than repeating it.
 */
export class SoapWriter {
	constructor(
		private readonly soap: () => Promise<X3SoapClient>,
		/** The gateway's reads, to find a write whose answer was lost. */
		private readonly lookups: Pick<X3Lookups, 'findJournalEntriesByTraceId' | 'getSupplier'>,
		private readonly node: INode,
		private readonly layout: X3Layout,
		private readonly soapNames: X3SoapNames,
		private readonly itemIndex: number | undefined,
	) {}

	async saveJournalEntry(
		draft: JournalEntryDraft,
		options: JournalSaveOptions = {},
	): Promise<PostedJournalEntry> {
		// Reported as written: descriptions cut to their fields.
		const fitted = this.fitJournalTexts(draft);
		const built = this.journalObject(fitted);
		const data = options.place ? (options.place(built) as X3ObjectData) : built;
		const journal = this.layout.journalEntry;
		const numberBlock = options.numberBlock ?? journal.headerBlock;
		const soap = await this.soap();
		const saved = await settled(soap.save(journal.publication, data));
		if (!saved.ok) {
			const recovered = await this.recoverJournal(saved.error, draft);
			if (recovered) return recovered;
			// Transport failures are X3Error (a NodeApiError) already.
			throw saved.error;
		}
		const header = blockRecord(saved.value.data, numberBlock);
		const documentNumber = text(header[journal.fields.documentNumber]);
		if (documentNumber === null) {
			// Saved (status 1) but the number is not in the result: look it up by trace id rather than guess.
			const found = await this.lookups.findJournalEntriesByTraceId(draft.traceId).catch(() => []);
			if (found.length > 0) return latestEntry(found);
			throw new X3Error(this.node, {
				kind: 'protocol',
				message: `Sage X3 saved the journal entry (trace ${draft.traceId}) but returned no document number in ${numberBlock}.${journal.fields.documentNumber}`,
				description:
					'Check the header block and document number field of the layout against the publication (getDescription).',
			});
		}
		return this.postedFromDraft(documentNumber, fitted);
	}

	async deleteJournalEntry(entry: {
		documentNumber: string;
		entryType: string | null;
	}): Promise<void> {
		const journal = this.layout.journalEntry;
		const keys: X3KeyValue[] = [];
		if (this.soapNames.readJournalWithEntryType && entry.entryType) {
			keys.push({ key: journal.fields.entryType, value: entry.entryType });
		}
		keys.push({
			key: journal.fields.documentNumber,
			value: this.required(entry.documentNumber, 'Document number'),
		});
		const soap = await this.soap();
		// Repeating a delete is harmless (the second one finds nothing), so it is retried like a read.
		const result = await soap.delete(journal.publication, keys, {
			allowStatusZero: true,
			idempotent: true,
		});
		if (result.status === 1) return;
		// A refused delete (a retried one included) counts as done only when X3 proves the entry is gone: its
		// messages are in the session language, so "not found" is never read from them.
		const absence = await soap.absence(journal.publication, keys);
		if (absence.absent) return;
		const error = new X3BusinessError(this.node, 'delete', journal.publication, result.messages, {
			x3DocumentNumber: entry.documentNumber,
		});
		error.description = `${error.description}\n${absence.why}`;
		throw error;
	}

	async createSupplier(draft: X3SupplierDraft): Promise<X3Supplier> {
		const supplier = this.layout.supplier;
		const f = supplier.fields;
		const name = this.required(draft.name, 'Supplier name');
		const category = this.required(draft.category, 'Supplier category');
		const data = this.supplierObject(draft, name, category);
		const soap = await this.soap();
		const saved = await settled(soap.save(supplier.publication, data));
		if (!saved.ok) {
			const failure = saved.error;
			// After an ambiguous failure, a supplier with a known code may exist already: find it rather than fail.
			if (draft.code && failure instanceof X3Error && failure.transient && !failure.notProcessed) {
				const existing = await this.lookups.getSupplier(draft.code).catch(() => null);
				if (existing) return existing;
			}
			throw failure;
		}
		const record = blockRecord(saved.value.data, supplier.block);
		const code = text(record[f.code]) ?? draft.code?.trim();
		if (!code) {
			throw new X3Error(this.node, {
				kind: 'protocol',
				message: `Sage X3 created the supplier "${name}" but returned no code in ${supplier.block}.${f.code}`,
			});
		}
		return {
			code,
			name: text(record[f.name]) ?? name,
			shortName: text(record[f.shortName]) ?? draft.shortName ?? null,
			category: text(record[f.category]) ?? category,
			country: text(record[f.country]) ?? draft.country ?? null,
			currency: text(record[f.currency]) ?? draft.currency ?? null,
			isActive:
				record[f.isActive] === undefined
					? true
					: ['2', 'true', 'yes'].includes(String(record[f.isActive]).trim().toLowerCase()),
		};
	}

	/**
	 * After a failure where X3 may have saved anyway (timeout, reset, 5xx), look for the entry by its trace id: if
	 * it is there, the save succeeded and is reported as such; otherwise the original error stands (not retried,
	 * to never post twice; the next run's duplicate check covers a late completion).
	 */
	private async recoverJournal(
		error: unknown,
		draft: JournalEntryDraft,
	): Promise<PostedJournalEntry | null> {
		if (!(error instanceof X3Error) || !error.transient || error.notProcessed) return null;
		let found: PostedJournalEntry[] = [];
		try {
			found = await this.lookups.findJournalEntriesByTraceId(draft.traceId);
		} catch (lookupError) {
			error.description = `${error.description ? `${error.description}\n` : ''}Checking for the entry by trace id ${draft.traceId} failed as well (${(lookupError as Error).message}).`;
			return null;
		}
		if (found.length > 0) {
			// Entries with this trace id hold exactly these items. When a concurrent run saved them too, the one
			// this save made cannot be told apart: take the latest, so the check after the save (which keeps the
			// earliest entry of an item) withdraws a duplicate rather than leaving one.
			return latestEntry(found);
		}
		error.description = `${error.description ? `${error.description}\n` : ''}No journal entry with trace id ${draft.traceId} was found right after the failure. The save was not retried automatically, to never post twice.`;
		return null;
	}

	/**
	 * The supplier as the layout places it: each field in its block (fieldBlocks, else the main block) and, with an
	 * address table, one address line (code, country, description, default flag) instead of an address field.
	 */
	supplierObject(draft: X3SupplierDraft, name: string, category: string): X3ObjectData {
		const supplier = this.layout.supplier;
		const f = supplier.fields;
		// The main block first: X3 reads blocks in the order of the publication, which starts with it.
		const data: X3ObjectData = { [supplier.block]: {} };
		const put = (key: SupplierFieldKey, value: string | undefined) => {
			if (value === undefined) return;
			const block = supplier.fieldBlocks?.[key]?.trim() || supplier.block;
			const group = data[block];
			if (Array.isArray(group))
				throw this.invalid(
					`The layout places supplier field ${f[key]} in ${block}, which is the address table`,
				);
			data[block] = { ...group, [f[key]]: value };
		};
		const country = draft.country?.trim() || undefined;
		put('code', draft.code?.trim() || undefined);
		put('name', name);
		put('shortName', draft.shortName?.trim() || undefined);
		put('category', category);
		put('country', country);
		put('currency', draft.currency?.trim() || undefined);
		const addressBlock = supplier.addressBlock?.trim();
		if (!addressBlock) {
			put('addressCode', draft.addressCode?.trim() || undefined);
			return data;
		}
		if (addressBlock in data)
			throw this.invalid(
				`The layout names ${addressBlock} both as a supplier block and as the address table`,
			);
		const a = supplier.addressFields ?? {};
		const address: X3FieldGroup = {
			[f.addressCode]: draft.addressCode?.trim() || supplier.defaultAddressCode?.trim() || 'MAIN',
		};
		if (a.country && country) address[a.country] = country;
		if (a.description) {
			address[a.description] = cutToLength(
				name,
				supplier.addressDescriptionLength ?? DEFAULT_ADDRESS_DESCRIPTION_LENGTH,
			).trimEnd();
		}
		if (a.isDefault) address[a.isDefault] = '2';
		data[addressBlock] = [address];
		return data;
	}

	// --- journal payload ---------------------------------------------------------------------------------------------

	/**
	 * The draft with its texts cut to the layout's field lengths (counted in characters, as X3 counts them): the
	 * header description, and each line description after the item trace id that leads the line trace field. A
	 * trace id is never cut (lookups match it as a prefix): one that does not fit its field is refused.
	 */
	fitJournalTexts(draft: JournalEntryDraft): JournalEntryDraft {
		const journal = this.layout.journalEntry;
		const f = journal.fields;
		const cut = (text: string | undefined, length: number) =>
			text ? cutToLength(text, Math.max(0, length)).trimEnd() || undefined : undefined;
		const lineLength = journal.lineDescriptionLength ?? DEFAULT_LINE_DESCRIPTION_LENGTH;
		const traceLeadsDescription =
			journal.lineTraceField !== '' && journal.lineTraceField === f.lineDescription;
		const lines = (Array.isArray(draft.lines) ? draft.lines : []).map((line, index) => {
			const traceId = line.lineTraceId;
			if (!traceId || journal.lineTraceField === '') {
				return withText(line, cut(line.description, lineLength));
			}
			const traceLength = traceLeadsDescription ? lineLength : journal.lineTraceFieldLength;
			if (traceLength !== undefined && Array.from(traceId).length > traceLength) {
				throw this.invalid(
					`Line ${index + 1}: the trace id "${traceId}" (${Array.from(traceId).length} characters) does not fit the line trace field ${journal.lineTraceField} (${traceLength} characters)`,
				);
			}
			if (!traceLeadsDescription) return withText(line, cut(line.description, lineLength));
			// The trace id and a space lead the field; the description gets what is left.
			const description = line.description?.startsWith(traceId)
				? line.description.slice(traceId.length).trimStart()
				: line.description;
			return withText(line, cut(description, lineLength - Array.from(traceId).length - 1));
		});
		const fitted: JournalEntryDraft = { ...draft, lines };
		const description = cut(
			draft.description,
			journal.descriptionLength ?? DEFAULT_DESCRIPTION_LENGTH,
		);
		if (description === undefined) delete fitted.description;
		else fitted.description = description;
		return fitted;
	}

	/**
	 * Header block + lines block (+ the analytics table when the layout has one) from the layout; validated so X3
	 * only sees well-formed values, texts cut to their fields (fitJournalTexts).
	 */
	journalObject(unfitted: JournalEntryDraft): X3ObjectData {
		const journal = this.layout.journalEntry;
		const f = journal.fields;
		const traceId = this.required(unfitted.traceId, 'Trace id');
		if (traceId.length > journal.traceFieldLength) {
			throw this.invalid(
				`Trace id "${traceId}" is longer than the trace field ${f.traceField} (${journal.traceFieldLength} characters)`,
			);
		}
		if (!Array.isArray(unfitted.lines) || unfitted.lines.length < 2) {
			throw this.invalid('A journal entry needs at least two lines');
		}
		const draft = this.fitJournalTexts(unfitted);
		if (draft.lines.length > 9999)
			throw this.invalid('X3 accepts at most 9,999 lines per journal entry');
		let accountingDate: string;
		try {
			accountingDate = toX3Date(draft.accountingDate);
		} catch (error) {
			throw this.invalid(`Accounting date: ${(error as Error).message}`);
		}
		const header: X3FieldGroup = {
			[f.entryType]: this.required(draft.entryType, 'Entry type'),
			[f.site]: this.required(draft.site, 'Site'),
			[f.accountingDate]: accountingDate,
			[f.currency]: this.required(draft.currency, 'Currency'),
			[f.reference]: draft.reference || undefined,
			[f.description]: draft.description || undefined,
			[f.traceField]: traceId,
		};
		const analyticsBlock = journal.analyticsBlock?.trim() ?? '';
		const lines = draft.lines.map((line, index) => ({
			...this.journalLine(line, index),
			...(analyticsBlock ? {} : this.dimensionFields(line, index)),
		}));
		this.assertBalanced(draft);
		const data: X3ObjectData = { [journal.headerBlock]: header, [journal.linesBlock]: lines };
		if (analyticsBlock) {
			if (analyticsBlock === journal.headerBlock || analyticsBlock === journal.linesBlock)
				throw this.invalid(
					`The analytics block ${analyticsBlock} must differ from the header and lines blocks`,
				);
			// One distribution line per entry line with dimensions, naming it by its number (1-based).
			const lineField = journal.analyticsLineField?.trim() || 'LIN';
			const distribution = draft.lines
				.map((line, index) => ({ index, fields: this.dimensionFields(line, index) }))
				.filter(({ fields }) => Object.keys(fields).length > 0)
				.map(({ index, fields }) => ({ [lineField]: String(index + 1), ...fields }));
			if (distribution.length > 0) data[analyticsBlock] = distribution;
		}
		return data;
	}

	/** A line's dimensions as `${dimensionPrefix}${n}` fields, n in the layout's dimension type order. */
	private dimensionFields(line: JournalLineDraft, index: number): X3FieldGroup {
		const f = this.layout.journalEntry.fields;
		const unknownTypes = Object.keys(line.dimensions ?? {}).filter(
			(type) => !this.layout.dimensionTypes.includes(type),
		);
		if (unknownTypes.length > 0) {
			throw this.invalid(
				`Line ${index + 1} uses dimension type(s) ${unknownTypes.join(', ')} that the layout does not list (${this.layout.dimensionTypes.join(', ')})`,
			);
		}
		const group: X3FieldGroup = {};
		this.layout.dimensionTypes.forEach((type, position) => {
			const value = line.dimensions?.[type];
			if (value !== undefined && value !== '') group[`${f.dimensionPrefix}${position + 1}`] = value;
		});
		return group;
	}

	private journalLine(line: JournalLineDraft, index: number): X3FieldGroup {
		const journal = this.layout.journalEntry;
		const f = journal.fields;
		const where = `Line ${index + 1}`;
		const hasDebit = line.debit !== undefined && line.debit !== '';
		const hasCredit = line.credit !== undefined && line.credit !== '';
		if (hasDebit === hasCredit) throw this.invalid(`${where} needs exactly one of debit or credit`);
		const group: X3FieldGroup = { [f.account]: this.required(line.account, `${where} account`) };
		try {
			if (hasDebit) group[f.debit] = toX3Decimal(line.debit as string, `${where} debit`);
			else group[f.credit] = toX3Decimal(line.credit as string, `${where} credit`);
		} catch (error) {
			throw this.invalid((error as Error).message);
		}
		if (line.businessPartner) group[f.businessPartner] = line.businessPartner;
		if (line.taxCode) group[f.taxCode] = line.taxCode;
		if (line.description) group[f.lineDescription] = line.description;
		if (line.lineTraceId && journal.lineTraceField !== '') {
			// The item trace id leads the line trace field so line-level lookups can match it as a prefix.
			const existing =
				typeof group[journal.lineTraceField] === 'string'
					? (group[journal.lineTraceField] as string)
					: '';
			group[journal.lineTraceField] = existing.startsWith(line.lineTraceId)
				? existing
				: `${line.lineTraceId}${existing ? ` ${existing}` : ''}`;
		}
		return group;
	}

	// Not ledger/balance.ts's assertBalanced: that one sums in the currency's decimals and refuses extra ones, this
	// one compares at the amounts' own scale; the planner checks drafts with the ledger's before they get here.
	private assertBalanced(draft: JournalEntryDraft): void {
		const amounts = draft.lines.map((line) => line.debit ?? line.credit ?? '0');
		const scale = Math.max(...amounts.map(decimalScale));
		let balance = 0n;
		for (const line of draft.lines) {
			if (line.debit) balance += decimalUnits(line.debit, scale);
			if (line.credit) balance -= decimalUnits(line.credit, scale);
		}
		if (balance !== 0n) {
			throw this.invalid(
				`The journal entry (trace ${draft.traceId}) does not balance: debits and credits differ`,
			);
		}
	}

	private postedFromDraft(documentNumber: string, draft: JournalEntryDraft): PostedJournalEntry {
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
	}

	private required(value: string | undefined, what: string): string {
		const trimmed = typeof value === 'string' ? value.trim() : '';
		if (trimmed === '') throw this.invalid(`${what} is required`);
		return trimmed;
	}

	private invalid(message: string): NodeOperationError {
		return new NodeOperationError(this.node, message, { itemIndex: this.itemIndex });
	}
}

/** The line with its description replaced (or removed when nothing is left of it). */
function withText(line: JournalLineDraft, description: string | undefined): JournalLineDraft {
	const rest = { ...line };
	delete rest.description;
	return description === undefined ? rest : { ...rest, description };
}

/** The entry X3 numbered last: of entries holding the same trace, the one a save just made. */
function latestEntry(entries: PostedJournalEntry[]): PostedJournalEntry {
	return entries.reduce((latest, entry) =>
		documentPrecedes(latest.documentNumber, entry.documentNumber) ? entry : latest,
	);
}
