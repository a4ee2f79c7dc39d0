/**
 * What the published objects do when called: save / read / query / modify / delete / run on the emulator's
 * publications, with X3's business rules (balanced journal entries, existing active accounts and dimensions,
 * mandatory fields, sequence numbering, duplicate supplier codes). Answers are X3-style: status 1 with result
 * blocks, or status 0 with one message per problem. Independent of SOAP framing (see soap.ts).
 */

import { x3DatetimeText } from './masterData';
import type { FieldValue, Payload, ResultBlock, ResultField } from './payload';
import type { Behaviour } from './personality';
import { BlockDef, FieldDef, PublicationDef, findField } from './publications';
import {
	EmuAccount,
	EmuDimension,
	EmuJournalEntry,
	EmuJournalLine,
	EmuSupplier,
	X3Msg,
	X3State,
	checkAmount,
	formatAmount,
	isX3Date,
} from './state';

export interface OpResult {
	status: 0 | 1;
	messages: X3Msg[];
	/** save / read / modify / run */
	blocks?: ResultBlock[];
	/** query: one record per left-list line */
	records?: ResultField[][];
}

export interface ObjectKey {
	key: string;
	value: string;
}

export interface OpContext {
	state: X3State;
	publication: PublicationDef;
	user: string;
	folder: string;
	poolAlias: string;
	behaviour: Behaviour;
}

const error = (message: string): X3Msg => ({ type: '3', message });
const warning = (message: string): X3Msg => ({ type: '2', message });
const failure = (messages: X3Msg[]): OpResult => ({ status: 0, messages });

const MENU_YES_NO: Record<string, string> = { '1': 'No', '2': 'Yes' };

// ---------------------------------------------------------------------------------------------------------------
// Payload checks shared by every object

interface CheckedPayload {
	groups: Map<string, Record<string, string | string[]>>;
	tables: Map<string, Array<Record<string, string>>>;
	messages: X3Msg[];
}

/**
 * Maps payload blocks onto the publication: unknown blocks or fields are errors (a typo in a layout must not be
 * silently dropped); Char values longer than the field are cut to its length with a warning, as X3 stores them.
 */
function checkPayload(
	publication: PublicationDef,
	payload: Payload,
	overLength: Behaviour['overLength'],
): CheckedPayload {
	const checked: CheckedPayload = { groups: new Map(), tables: new Map(), messages: [] };
	for (const block of payload.blocks) {
		const def = publication.blocks.find((candidate) => candidate.id === block.id);
		if (!def) {
			checked.messages.push(
				error(`${block.id || '(no ID)'} : Block not found in publication ${publication.name}`),
			);
			continue;
		}
		if (def.kind !== block.kind) {
			checked.messages.push(
				error(
					`${block.id} : Block is a ${def.kind === 'GRP' ? 'group (GRP)' : 'table (TAB)'} in ${publication.name}`,
				),
			);
			continue;
		}
		if (block.kind === 'GRP') {
			checked.groups.set(
				block.id,
				checkFields(def, block.fields, null, checked.messages, overLength),
			);
		} else {
			if (block.lines.length > def.dim) {
				checked.messages.push(
					error(`${block.id} : ${block.lines.length} lines, at most ${def.dim} allowed`),
				);
			}
			checked.tables.set(
				block.id,
				block.lines.map((line, index) => {
					const fields = checkFields(def, line, index + 1, checked.messages, overLength);
					const flat: Record<string, string> = {};
					for (const [name, value] of Object.entries(fields))
						flat[name] = Array.isArray(value) ? value.join('') : value;
					return flat;
				}),
			);
		}
	}
	return checked;
}

function checkFields(
	block: BlockDef,
	fields: Record<string, FieldValue>,
	line: number | null,
	messages: X3Msg[],
	overLength: Behaviour['overLength'],
): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	const where = (name: string) => (line === null ? name : `${name}(${line})`);
	for (const [name, value] of Object.entries(fields)) {
		const def = findField(block, name);
		if (!def) {
			messages.push(error(`${where(name)} : Field not found in block ${block.id}`));
			continue;
		}
		if (def.enterable === false) continue;
		if (Array.isArray(value)) {
			out[name] = value.map((item) => fitLength(def, item, where(name), messages, overLength));
		} else {
			out[name] = fitLength(def, value, where(name), messages, overLength);
		}
	}
	return out;
}

function fitLength(
	def: FieldDef,
	value: string,
	where: string,
	messages: X3Msg[],
	overLength: Behaviour['overLength'],
): string {
	if (def.type !== 'Char') return value;
	const chars = Array.from(value);
	if (chars.length <= def.length) return value;
	if (overLength === 'reject') {
		messages.push(
			error(`${where} : Value too long (${chars.length} characters, ${def.length} max)`),
		);
		return value;
	}
	if (overLength === 'truncateWithWarning')
		messages.push(warning(`${where} : Value truncated to ${def.length} characters`));
	return chars.slice(0, def.length).join('');
}

const hasErrors = (messages: X3Msg[]) => messages.some((message) => message.type === '3');

function str(value: string | string[] | undefined): string {
	if (value === undefined) return '';
	return Array.isArray(value) ? value.join('') : value;
}

// ---------------------------------------------------------------------------------------------------------------
// Criteria (query objectKeys) and keys (read / modify / delete)

/** Criteria: exact value, or a trailing `*` for a prefix; repeated keys are alternatives (OR), keys combine (AND). */
export function matchesCriteria(
	keys: ObjectKey[],
	fieldValue: (name: string) => string[] | null,
	fieldDef: (name: string) => FieldDef | undefined,
): boolean {
	const byKey = new Map<string, string[]>();
	for (const { key, value } of keys) byKey.set(key, [...(byKey.get(key) ?? []), value]);
	for (const [key, patterns] of byKey) {
		const values = fieldValue(key) ?? [];
		const ci = fieldDef(key)?.caseInsensitive === true;
		const ok = patterns.some((pattern) => values.some((value) => matchPattern(value, pattern, ci)));
		if (!ok) return false;
	}
	return true;
}

function matchPattern(value: string, pattern: string, caseInsensitive: boolean): boolean {
	const v = caseInsensitive ? value.toLowerCase() : value;
	const p = caseInsensitive ? pattern.toLowerCase() : pattern;
	if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
	return v === p;
}

function unknownCriteria(keys: ObjectKey[], known: (name: string) => boolean): X3Msg[] {
	const unknown = [...new Set(keys.map((k) => k.key).filter((key) => !known(key)))];
	return unknown.map((key) => error(`${key} : Unknown field in selection criteria`));
}

/**
 * The criteria a query applies. Lenient: every field of the publication, unknown ones refused. With a left list
 * (documented): criteria on left-list fields only; the others are ignored without a message, so the query
 * answers rows the client did not ask for (strictest reading of fact sheet §2.2 [C] + §5.3 [I]).
 */
function queryCriteria(
	ctx: OpContext,
	keys: ObjectKey[],
	known: (name: string) => boolean,
): { keys: ObjectKey[]; messages: X3Msg[] } {
	const leftList = ctx.publication.leftList;
	if (leftList && ctx.behaviour.criteriaOutsideLeftList === 'ignore')
		return { keys: keys.filter((k) => leftList.includes(k.key)), messages: [] };
	return { keys, messages: unknownCriteria(keys, known) };
}

/** A query row: the left-list columns in left-list order when the publication has one (§2.2 [C]). */
function leftListRecord(ctx: OpContext, fields: ResultField[]): ResultField[] {
	const leftList = ctx.publication.leftList;
	if (!leftList) return fields;
	return leftList.flatMap((name) => fields.filter((field) => field.name === name));
}

function keyValue(keys: ObjectKey[], name: string): string | undefined {
	return keys.find((k) => k.key === name)?.value;
}

// ---------------------------------------------------------------------------------------------------------------
// Dispatch

export type Operation = 'save' | 'read' | 'query' | 'modify' | 'delete' | 'run';

export function runOperation(
	ctx: OpContext,
	operation: Operation,
	args: { payload?: Payload; keys?: ObjectKey[]; listSize?: number },
): OpResult {
	const { publication } = ctx;
	const keys = args.keys ?? [];
	const payload = args.payload ?? { format: 'json', blocks: [] };
	if (publication.typobj === 2) {
		if (operation !== 'run') return failure([error(`${publication.name} : Subprogram, use run`)]);
		return runPing(ctx, payload);
	}
	if (operation === 'run')
		return failure([error(`${publication.name} : Object, run is not available`)]);
	switch (publication.kind) {
		case 'journalEntry':
			if (operation === 'save') return saveJournalEntry(ctx, payload);
			if (operation === 'read') return readJournalEntry(ctx, keys);
			if (operation === 'query') return queryJournalEntries(ctx, keys, args.listSize);
			if (operation === 'modify') return modifyJournalEntry(ctx, keys, payload);
			return deleteJournalEntry(ctx, keys);
		case 'supplier':
			if (operation === 'save') return saveSupplier(ctx, payload);
			if (operation === 'read') return readSupplier(ctx, keys);
			if (operation === 'query') return querySuppliers(ctx, keys, args.listSize);
			if (operation === 'modify') return modifySupplier(ctx, keys, payload);
			return deleteSupplier(ctx, keys);
		case 'account':
			if (operation === 'read') return readAccount(ctx, keys);
			if (operation === 'query') return queryAccounts(ctx, keys, args.listSize);
			break;
		case 'dimension':
			if (operation === 'read') return readDimension(ctx, keys);
			if (operation === 'query') return queryDimensions(ctx, keys, args.listSize);
			break;
		default:
			break;
	}
	return failure([
		error(
			`${publication.name} : ${operation} is not available in the emulator for ${publication.object}`,
		),
	]);
}

function limit(listSize: number | undefined): number {
	return listSize !== undefined && Number.isFinite(listSize) && listSize > 0
		? Math.floor(listSize)
		: 20;
}

// ---------------------------------------------------------------------------------------------------------------
// Journal entries (GAS)

interface JournalDraft {
	header: Record<string, string>;
	lines: Array<Record<string, string>>;
}

function journalBlocks(publication: PublicationDef): {
	header: BlockDef;
	lines: BlockDef;
	analytics?: BlockDef;
} {
	return {
		header: publication.blocks[0],
		lines: publication.blocks[1],
		analytics: publication.blocks.find((block) => block.role === 'analytics'),
	};
}

/**
 * Puts the distribution lines of an analytics block (documented GAS) onto the entry lines they name by LIN, so
 * the entry checks see CCE1..n as on a line-field layout. One distribution line per entry line [I].
 */
function mergeAnalytics(
	analytics: BlockDef,
	distribution: Array<Record<string, string>>,
	lines: Array<Record<string, string>>,
	messages: X3Msg[],
): void {
	const seen = new Set<number>();
	distribution.forEach((row, index) => {
		const where = `LIN(${index + 1})`;
		const text = (row.LIN ?? '').trim();
		const target = /^\d+$/.test(text) ? Number(text) : NaN;
		if (!text) messages.push(error(`${where} : Mandatory field`));
		else if (!(target >= 1 && target <= lines.length))
			messages.push(error(`${where} : Line ${text} : Record does not exist`));
		else if (seen.has(target))
			messages.push(error(`${where} : Line ${target} distributed twice in ${analytics.id}`));
		else {
			seen.add(target);
			for (const [name, value] of Object.entries(row))
				if (name !== 'LIN') lines[target - 1][name] = value;
		}
	});
}

/** Checks a whole entry as GAS does on save; one message per problem. */
function validateJournal(
	state: X3State,
	draft: JournalDraft,
): { messages: X3Msg[]; lines: EmuJournalLine[] } {
	const layout = state.layout;
	const f = layout.journalEntry.fields;
	const messages: X3Msg[] = [];
	const h = draft.header;

	const mandatory = [f.entryType, f.site, f.accountingDate, f.currency];
	for (const name of mandatory) {
		if (!(h[name] ?? '').trim()) messages.push(error(`${name} : Mandatory field`));
	}
	const typ = h[f.entryType] ?? '';
	if (typ.trim() && !state.entryTypes.has(typ)) {
		messages.push(error(`${f.entryType} : Entry type ${typ} : Record does not exist`));
	}
	const site = h[f.site] ?? '';
	if (site.trim() && !state.sites.has(site))
		messages.push(error(`${f.site} : Site ${site} : Record does not exist`));
	const accDate = h[f.accountingDate] ?? '';
	if (accDate.trim() && !isX3Date(accDate)) {
		messages.push(error(`${f.accountingDate} : ${accDate} : Invalid date (YYYYMMDD expected)`));
	}
	const currency = h[f.currency] ?? '';
	const currencyOk = currency.trim() !== '' && state.currencies.has(currency);
	if (currency.trim() && !currencyOk) {
		messages.push(error(`${f.currency} : Currency ${currency} : Record does not exist`));
	}
	const bprDate = h.BPRDATVCR ?? '';
	if (bprDate && !isX3Date(bprDate))
		messages.push(error(`BPRDATVCR : ${bprDate} : Invalid date (YYYYMMDD expected)`));

	const linesBlock = layout.journalEntry.linesBlock;
	if (draft.lines.length < 2) {
		messages.push(
			error(`${linesBlock} : At least 2 lines are required (counterpart line mandatory)`),
		);
	}

	let debitTotal = 0n;
	let creditTotal = 0n;
	let amountsOk = currencyOk;
	const lines: EmuJournalLine[] = [];
	draft.lines.forEach((fields, index) => {
		const n = index + 1;
		const accountCode = fields[f.account] ?? '';
		let account: EmuAccount | undefined;
		if (!accountCode.trim()) {
			messages.push(error(`${f.account}(${n}) : Mandatory field`));
		} else {
			account = state.getAccount(accountCode);
			if (!account) {
				messages.push(error(`${f.account}(${n}) : Account ${accountCode} : Record does not exist`));
			} else if (!account.isActive) {
				messages.push(error(`${f.account}(${n}) : Account ${accountCode} : Inactive record`));
			}
		}

		const debitText = (fields[f.debit] ?? '').trim();
		const creditText = (fields[f.credit] ?? '').trim();
		const isZero = (text: string) => text === '' || /^0+(\.0+)?$/.test(text);
		const hasDebit = !isZero(debitText);
		const hasCredit = !isZero(creditText);
		if (hasDebit && hasCredit) {
			messages.push(error(`Line ${n} : Debit and credit both entered, enter only one`));
			amountsOk = false;
		} else if (!hasDebit && !hasCredit) {
			messages.push(error(`Line ${n} : Amount missing, enter a debit or a credit`));
			amountsOk = false;
		} else {
			const [name, text] = hasDebit ? [f.debit, debitText] : [f.credit, creditText];
			const parsed = checkAmount(text, currencyOk ? currency : 'XXX');
			if (parsed.error) {
				messages.push(error(`${name}(${n}) : ${text} : ${parsed.error}`));
				amountsOk = false;
			} else if (parsed.minor !== null) {
				if (hasDebit) debitTotal += parsed.minor;
				else creditTotal += parsed.minor;
			}
		}

		const dimensions: Record<string, string> = {};
		layout.dimensionTypes.forEach((type, i) => {
			const field = `${f.dimensionPrefix}${i + 1}`;
			const value = fields[field] ?? '';
			if (!value.trim()) return;
			dimensions[type] = value;
			const dim: EmuDimension | undefined = state.getDimension(type, value);
			if (!dim)
				messages.push(error(`${field}(${n}) : Dimension ${type} ${value} : Record does not exist`));
			else if (!dim.isActive)
				messages.push(error(`${field}(${n}) : Dimension ${type} ${value} : Inactive record`));
		});
		if (account) {
			for (const type of account.requiredDimensionTypes) {
				if (dimensions[type] !== undefined) continue;
				const index = layout.dimensionTypes.indexOf(type);
				const field = index >= 0 ? `${f.dimensionPrefix}${index + 1}` : type;
				messages.push(
					error(`${field}(${n}) : Dimension type ${type} is mandatory for account ${account.code}`),
				);
			}
		}

		const partner = fields[f.businessPartner] ?? '';
		if (partner.trim() && !state.suppliers.has(partner)) {
			messages.push(
				error(`${f.businessPartner}(${n}) : Business partner ${partner} : Record does not exist`),
			);
		}

		lines.push({
			lineNumber: n,
			account: accountCode,
			debit: hasDebit ? debitText : null,
			credit: hasCredit && !hasDebit ? creditText : null,
			dimensions,
			businessPartner: partner.trim() ? partner : null,
			taxCode: (fields[f.taxCode] ?? '').trim() ? fields[f.taxCode] : null,
			description: fields[f.lineDescription] ?? '',
			fields: { ...fields },
		});
	});

	if (amountsOk && draft.lines.length >= 2 && debitTotal !== creditTotal) {
		messages.push(
			error(
				`Unbalanced entry : debit ${formatAmount(debitTotal, currency)} credit ` +
					`${formatAmount(creditTotal, currency)} ${currency}`,
			),
		);
	}
	return { messages, lines };
}

function journalDraftFrom(
	ctx: OpContext,
	payload: Payload,
): { draft: JournalDraft; messages: X3Msg[] } {
	const layout = ctx.state.layout.journalEntry;
	const checked = checkPayload(ctx.publication, payload, ctx.behaviour.overLength);
	const header: Record<string, string> = {};
	for (const [name, value] of Object.entries(checked.groups.get(layout.headerBlock) ?? {}))
		header[name] = str(value);
	const lines = checked.tables.get(layout.linesBlock) ?? [];
	const analytics = journalBlocks(ctx.publication).analytics;
	if (analytics) {
		const distribution = checked.tables.get(analytics.id);
		if (distribution) mergeAnalytics(analytics, distribution, lines, checked.messages);
	}
	return { draft: { header, lines }, messages: checked.messages };
}

function saveJournalEntry(ctx: OpContext, payload: Payload): OpResult {
	const { state } = ctx;
	const f = state.layout.journalEntry.fields;
	const { draft, messages } = journalDraftFrom(ctx, payload);
	const validation = validateJournal(state, draft);
	messages.push(...validation.messages);
	if (hasErrors(messages)) return failure(messages);

	const type = state.entryTypes.get(draft.header[f.entryType])!;
	const site = state.sites.get(draft.header[f.site])!;
	const now = state.nowIso();
	const entry: EmuJournalEntry = {
		entryType: type.code,
		documentNumber: state.nextDocumentNumber(type, draft.header[f.accountingDate]),
		site: site.code,
		company: site.company,
		journal: draft.header.JOU?.trim() ? draft.header.JOU : type.journal,
		accountingDate: draft.header[f.accountingDate],
		currency: draft.header[f.currency],
		reference: draft.header[f.reference] ?? '',
		description: draft.header[f.description] ?? '',
		traceValue: draft.header[f.traceField] ?? '',
		status: 'temporary',
		header: { ...draft.header },
		lines: validation.lines,
		createdBy: ctx.user,
		createdAt: now,
		updatedAt: now,
	};
	state.journalEntries.push(entry);
	return { status: 1, messages, blocks: journalResult(ctx, entry) };
}

function journalHeaderValue(ctx: OpContext, entry: EmuJournalEntry, name: string): string {
	const f = ctx.state.layout.journalEntry.fields;
	if (name === f.documentNumber) return entry.documentNumber;
	if (name === f.entryType) return entry.entryType;
	if (name === 'CPY') return entry.company;
	if (name === 'JOU') return entry.journal;
	if (name === 'STA') return '1';
	return entry.header[name] ?? '';
}

function journalResult(ctx: OpContext, entry: EmuJournalEntry): ResultBlock[] {
	const blocks = journalBlocks(ctx.publication);
	return [
		{
			kind: 'GRP',
			id: blocks.header.id,
			fields: blocks.header.fields.map((def) =>
				resultField(def, journalHeaderValue(ctx, entry, def.name)),
			),
		},
		{
			kind: 'TAB',
			id: blocks.lines.id,
			dim: blocks.lines.dim,
			lines: entry.lines.map((line) =>
				blocks.lines.fields.map((def) => resultField(def, line.fields[def.name] ?? '')),
			),
		},
		...(blocks.analytics ? [analyticsResult(blocks.analytics, entry)] : []),
		{
			kind: 'GRP',
			id: 'ADXTEC',
			fields: [{ name: 'WW_MODSTAMP', type: 'Char', value: modStamp(entry.updatedAt) }],
		},
	];
}

function analyticsResult(analytics: BlockDef, entry: EmuJournalEntry): ResultBlock {
	const distributed = entry.lines.filter((line) => Object.keys(line.dimensions).length > 0);
	return {
		kind: 'TAB',
		id: analytics.id,
		dim: analytics.dim,
		lines: distributed.map((line) =>
			analytics.fields.map((def) =>
				resultField(
					def,
					def.name === 'LIN' ? String(line.lineNumber) : (line.fields[def.name] ?? ''),
				),
			),
		),
	};
}

function modStamp(iso: string): string {
	return iso.replace(/[-:T]/g, '').slice(0, 14);
}

function resultField(def: FieldDef, value: FieldValue): ResultField {
	const field: ResultField = { name: def.name, type: def.type, value };
	if (
		def.menu &&
		typeof value === 'string' &&
		Object.prototype.hasOwnProperty.call(MENU_YES_NO, value)
	) {
		field.menu = { local: def.menu, label: MENU_YES_NO[value] };
	}
	return field;
}

function journalKey(
	ctx: OpContext,
	keys: ObjectKey[],
): { entry?: EmuJournalEntry; messages: X3Msg[] } {
	const f = ctx.state.layout.journalEntry.fields;
	const known = new Set([f.entryType, f.documentNumber]);
	const messages = keys
		.filter((k) => !known.has(k.key))
		.map((k) =>
			error(
				`${k.key} : Not a key field of ${ctx.publication.name} (${f.entryType}, ${f.documentNumber})`,
			),
		);
	const number = keyValue(keys, f.documentNumber);
	if (!number) messages.push(error(`${f.documentNumber} : Key value missing`));
	// HAE0 = TYP + NUM (fact sheet §4.1 [C]): the documented personality wants the whole key.
	if (ctx.behaviour.gasKeyNeedsType && !keyValue(keys, f.entryType))
		messages.push(error(`${f.entryType} : Key value missing`));
	if (messages.length) return { messages };
	const type = keyValue(keys, f.entryType) ?? null;
	const entry = ctx.state.findJournalEntry(type, number!);
	if (!entry) {
		return {
			messages: [error(`Journal entry ${type ? `${type} ` : ''}${number} : Record does not exist`)],
		};
	}
	return { entry, messages: [] };
}

function readJournalEntry(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const { entry, messages } = journalKey(ctx, keys);
	if (!entry) return failure(messages);
	return { status: 1, messages: [], blocks: journalResult(ctx, entry) };
}

function queryJournalEntries(ctx: OpContext, keys: ObjectKey[], listSize?: number): OpResult {
	const blocks = journalBlocks(ctx.publication);
	const isHeader = (name: string) => findField(blocks.header, name) !== undefined;
	const isLine = (name: string) => findField(blocks.lines, name) !== undefined;
	const criteria = queryCriteria(ctx, keys, (name) => isHeader(name) || isLine(name));
	if (criteria.messages.length) return failure(criteria.messages);
	const matches = ctx.state.journalEntries
		.filter((entry) =>
			matchesCriteria(
				criteria.keys,
				(name) =>
					isHeader(name)
						? [journalHeaderValue(ctx, entry, name)]
						: entry.lines.map((line) => line.fields[name] ?? ''),
				(name) => findField(blocks.header, name) ?? findField(blocks.lines, name),
			),
		)
		.sort((a, b) =>
			compareText(`${a.entryType}|${a.documentNumber}`, `${b.entryType}|${b.documentNumber}`),
		)
		.slice(0, limit(listSize));
	return {
		status: 1,
		messages: [],
		records: matches.map((entry) =>
			leftListRecord(
				ctx,
				blocks.header.fields.map((def) =>
					resultField(def, journalHeaderValue(ctx, entry, def.name)),
				),
			),
		),
	};
}

function modifyJournalEntry(ctx: OpContext, keys: ObjectKey[], payload: Payload): OpResult {
	const { entry, messages } = journalKey(ctx, keys);
	if (!entry) return failure(messages);
	const f = ctx.state.layout.journalEntry.fields;
	const { draft, messages: payloadMessages } = journalDraftFrom(ctx, payload);
	if (hasErrors(payloadMessages)) return failure(payloadMessages);
	if (draft.header[f.entryType] !== undefined && draft.header[f.entryType] !== entry.entryType) {
		return failure([error(`${f.entryType} : Key field cannot be modified`)]);
	}
	const linesSent = payload.blocks.some(
		(block) => block.id === ctx.state.layout.journalEntry.linesBlock,
	);
	const merged: JournalDraft = {
		header: { ...entry.header, ...draft.header, [f.entryType]: entry.entryType },
		lines: linesSent ? draft.lines : entry.lines.map((line) => ({ ...line.fields })),
	};
	const validation = validateJournal(ctx.state, merged);
	if (hasErrors(validation.messages)) return failure([...payloadMessages, ...validation.messages]);
	entry.header = merged.header;
	entry.accountingDate = merged.header[f.accountingDate];
	entry.currency = merged.header[f.currency];
	entry.site = merged.header[f.site];
	entry.company = ctx.state.sites.get(entry.site)?.company ?? entry.company;
	entry.reference = merged.header[f.reference] ?? '';
	entry.description = merged.header[f.description] ?? '';
	entry.traceValue = merged.header[f.traceField] ?? '';
	entry.lines = validation.lines;
	entry.updatedAt = ctx.state.nowIso();
	return { status: 1, messages: payloadMessages, blocks: journalResult(ctx, entry) };
}

function deleteJournalEntry(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const { entry, messages } = journalKey(ctx, keys);
	if (!entry) return failure(messages);
	const entries = ctx.state.journalEntries;
	entries.splice(entries.indexOf(entry), 1);
	return { status: 1, messages: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Suppliers (BPS)

function supplierFieldValue(ctx: OpContext, supplier: EmuSupplier, name: string): FieldValue {
	const s = ctx.state.layout.supplier.fields;
	if (ctx.behaviour.fixedPublications) {
		// Documented supplier: business-partner block names (Sage's BPC sample, BPRC_1) for the same data.
		if (name === 'BPRSHO') return supplier.shortName;
		if (name === 'BPRNAM') return [supplier.name, ''];
	}
	switch (name) {
		case s.code:
			return supplier.code;
		case s.name:
			return supplier.name;
		case s.shortName:
			return supplier.shortName;
		case s.category:
			return supplier.category;
		case s.country:
			return supplier.country;
		case s.currency:
			return supplier.currency;
		case s.addressCode:
			return supplier.addressCode;
		case s.isActive:
			return supplier.isActive ? '2' : '1';
		case 'UPDDATTIM':
			return x3DatetimeText(supplier.updatedAt);
		default:
			return '';
	}
}

/** The default address as one line of the documented address table. */
function addressLine(supplier: EmuSupplier, name: string): string {
	if (name === 'CODADR') return supplier.addressCode;
	if (name === 'BPACRY') return supplier.country;
	if (name === 'BPAADDFLG') return '2';
	return '';
}

function supplierResult(ctx: OpContext, supplier: EmuSupplier): ResultBlock[] {
	const blocks: ResultBlock[] = ctx.publication.blocks.map((block) =>
		block.kind === 'GRP'
			? {
					kind: 'GRP',
					id: block.id,
					fields: block.fields.map((def) =>
						resultField(def, supplierFieldValue(ctx, supplier, def.name)),
					),
				}
			: {
					kind: 'TAB',
					id: block.id,
					dim: block.dim,
					lines: supplier.addressCode
						? [block.fields.map((def) => resultField(def, addressLine(supplier, def.name)))]
						: [],
				},
	);
	return [
		...blocks,
		{
			kind: 'GRP',
			id: 'ADXTEC',
			fields: [{ name: 'WW_MODSTAMP', type: 'Char', value: modStamp(supplier.updatedAt) }],
		},
	];
}

function parseYesNo(value: string): boolean | null {
	const v = value.trim().toLowerCase();
	if (v === '' || v === '2' || v === 'yes' || v === 'true') return true;
	if (v === '1' || v === 'no' || v === 'false' || v === '0') return false;
	return null;
}

/** Applies and checks supplier fields; `existing` is the record being modified, absent on creation. */
function applySupplierFields(
	ctx: OpContext,
	fields: Record<string, string>,
	existing: EmuSupplier | undefined,
): { supplier?: EmuSupplier; messages: X3Msg[] } {
	const { state } = ctx;
	const s = state.layout.supplier.fields;
	const messages: X3Msg[] = [];
	const has = (name: string) => fields[name] !== undefined;

	let code = existing?.code ?? '';
	if (!existing) {
		const given = (fields[s.code] ?? '').trim().toUpperCase();
		if (given) {
			if (!/^[A-Z0-9_-]{1,15}$/.test(given)) {
				messages.push(
					error(`${s.code} : ${fields[s.code]} : Invalid code (letters, digits, _ and -, 15 max)`),
				);
			} else if (state.suppliers.has(given)) {
				messages.push(error(`${s.code} : Supplier ${given} : Record already exists`));
			}
			code = given;
		}
	} else if (has(s.code) && fields[s.code].trim().toUpperCase() !== existing.code) {
		messages.push(error(`${s.code} : Key field cannot be modified`));
	}

	const name = has(s.name) ? fields[s.name] : (existing?.name ?? '');
	if (!name.trim()) messages.push(error(`${s.name} : Mandatory field`));
	const categoryCode = has(s.category) ? fields[s.category] : (existing?.category ?? '');
	const category = state.supplierCategories.get(categoryCode);
	if (!categoryCode.trim()) messages.push(error(`${s.category} : Mandatory field`));
	else if (!category)
		messages.push(
			error(`${s.category} : Supplier category ${categoryCode} : Record does not exist`),
		);
	const currency =
		has(s.currency) && fields[s.currency].trim()
			? fields[s.currency]
			: (existing?.currency ?? category?.currency ?? '');
	if (currency && !state.currencies.has(currency)) {
		messages.push(error(`${s.currency} : Currency ${currency} : Record does not exist`));
	}
	const country =
		has(s.country) && fields[s.country].trim()
			? fields[s.country]
			: (existing?.country ?? category?.country ?? '');
	const active = has(s.isActive) ? parseYesNo(fields[s.isActive]) : (existing?.isActive ?? true);
	if (active === null)
		messages.push(error(`${s.isActive} : ${fields[s.isActive]} : Invalid value (1 = No, 2 = Yes)`));
	if (hasErrors(messages)) return { messages };

	const now = state.nowIso();
	const supplier: EmuSupplier = {
		code: code || state.nextSupplierCode(),
		name,
		shortName: has(s.shortName)
			? fields[s.shortName]
			: (existing?.shortName ?? Array.from(name).slice(0, 10).join('')),
		category: categoryCode,
		country,
		currency,
		addressCode:
			has(s.addressCode) && fields[s.addressCode].trim()
				? fields[s.addressCode]
				: (existing?.addressCode ?? 'MAIN'),
		isActive: active as boolean,
		origin: existing?.origin ?? 'created',
		brexVendorId: existing?.brexVendorId ?? null,
		createdAt: existing?.createdAt ?? now,
		updatedAt: now,
	};
	return { supplier, messages };
}

function supplierGroupFields(
	ctx: OpContext,
	payload: Payload,
): { fields: Record<string, string>; messages: X3Msg[]; addressMissing: boolean } {
	const checked = checkPayload(ctx.publication, payload, ctx.behaviour.overLength);
	const fields: Record<string, string> = {};
	for (const [name, value] of Object.entries(
		checked.groups.get(ctx.publication.blocks[0].id) ?? {},
	))
		fields[name] = str(value);
	const addressMissing =
		ctx.publication.blocks.length > 1 ? documentedSupplierFields(ctx, checked, fields) : false;
	return { fields, messages: checked.messages, addressMissing };
}

/**
 * Documented supplier: the business-partner block and the address table carry short name, country, currency
 * and the default address (Sage's BPC sample [C], BPS twin [I]). A new supplier needs one address at least
 * (fact sheet §5.2 [C: import template]); the default one is the line flagged BPAADDFLG = 2, else the first.
 */
function documentedSupplierFields(
	ctx: OpContext,
	checked: CheckedPayload,
	fields: Record<string, string>,
): boolean {
	const s = ctx.state.layout.supplier.fields;
	const partner = checked.groups.get(ctx.publication.blocks[1].id) ?? {};
	if (partner.BPRSHO !== undefined) fields[s.shortName] = str(partner.BPRSHO);
	if (partner.CRY !== undefined) fields[s.country] = str(partner.CRY);
	if (partner.CUR !== undefined) fields[s.currency] = str(partner.CUR);
	const bprnam = partner.BPRNAM;
	if (fields[s.name] === undefined && bprnam !== undefined)
		fields[s.name] = Array.isArray(bprnam) ? (bprnam[0] ?? '') : bprnam;
	const addressBlock = ctx.publication.blocks[2];
	const addresses = checked.tables.get(addressBlock.id);
	if (addresses === undefined) return true;
	addresses.forEach((line, index) => {
		if (!(line.CODADR ?? '').trim())
			checked.messages.push(error(`CODADR(${index + 1}) : Mandatory field`));
	});
	const chosen = addresses.find((line) => line.BPAADDFLG === '2') ?? addresses[0];
	if (chosen) fields[s.addressCode] = chosen.CODADR ?? '';
	return addresses.length === 0;
}

function saveSupplier(ctx: OpContext, payload: Payload): OpResult {
	const { fields, messages, addressMissing } = supplierGroupFields(ctx, payload);
	if (addressMissing) {
		messages.push(
			error(`${ctx.publication.blocks[2].id} : At least one address is required (CODADR)`),
		);
	}
	if (hasErrors(messages)) return failure(messages);
	const applied = applySupplierFields(ctx, fields, undefined);
	messages.push(...applied.messages);
	if (!applied.supplier) return failure(messages);
	ctx.state.suppliers.set(applied.supplier.code, applied.supplier);
	return { status: 1, messages, blocks: supplierResult(ctx, applied.supplier) };
}

function supplierByKey(
	ctx: OpContext,
	keys: ObjectKey[],
): { supplier?: EmuSupplier; messages: X3Msg[] } {
	const codeField = ctx.state.layout.supplier.fields.code;
	const bad = keys.filter((k) => k.key !== codeField);
	if (bad.length)
		return {
			messages: bad.map((k) =>
				error(`${k.key} : Not a key field of ${ctx.publication.name} (${codeField})`),
			),
		};
	const code = keyValue(keys, codeField);
	if (!code) return { messages: [error(`${codeField} : Key value missing`)] };
	const supplier = ctx.state.suppliers.get(code);
	if (!supplier) return { messages: [error(`Supplier ${code} : Record does not exist`)] };
	return { supplier, messages: [] };
}

function readSupplier(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const { supplier, messages } = supplierByKey(ctx, keys);
	if (!supplier) return failure(messages);
	return { status: 1, messages: [], blocks: supplierResult(ctx, supplier) };
}

function querySuppliers(ctx: OpContext, keys: ObjectKey[], listSize?: number): OpResult {
	const groups = ctx.publication.blocks.filter((block) => block.kind === 'GRP');
	const fieldDef = (name: string) =>
		groups.map((block) => findField(block, name)).find((def) => def !== undefined);
	const criteria = queryCriteria(ctx, keys, (name) => fieldDef(name) !== undefined);
	if (criteria.messages.length) return failure(criteria.messages);
	const records = [...ctx.state.suppliers.values()]
		.filter((supplier) =>
			matchesCriteria(
				criteria.keys,
				(name) => {
					const value = supplierFieldValue(ctx, supplier, name);
					return Array.isArray(value) ? value : [value];
				},
				fieldDef,
			),
		)
		.sort((a, b) => compareText(a.code, b.code))
		.slice(0, limit(listSize))
		.map((supplier) =>
			leftListRecord(
				ctx,
				groups.flatMap((block) =>
					block.fields.map((def) => resultField(def, supplierFieldValue(ctx, supplier, def.name))),
				),
			),
		);
	return { status: 1, messages: [], records };
}

function modifySupplier(ctx: OpContext, keys: ObjectKey[], payload: Payload): OpResult {
	const found = supplierByKey(ctx, keys);
	if (!found.supplier) return failure(found.messages);
	const { fields, messages } = supplierGroupFields(ctx, payload);
	if (hasErrors(messages)) return failure(messages);
	const applied = applySupplierFields(ctx, fields, found.supplier);
	messages.push(...applied.messages);
	if (!applied.supplier) return failure(messages);
	ctx.state.suppliers.set(applied.supplier.code, applied.supplier);
	return { status: 1, messages, blocks: supplierResult(ctx, applied.supplier) };
}

function deleteSupplier(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const { supplier, messages } = supplierByKey(ctx, keys);
	if (!supplier) return failure(messages);
	const used = ctx.state.journalEntries.some((entry) =>
		entry.lines.some((line) => line.businessPartner === supplier.code),
	);
	if (used)
		return failure([
			error(`Supplier ${supplier.code} : Record used in journal entries, deletion impossible`),
		]);
	ctx.state.suppliers.delete(supplier.code);
	return { status: 1, messages: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts (GAC) and dimensions (CCE): read-only here

function accountFieldValue(ctx: OpContext, account: EmuAccount, name: string): FieldValue {
	const types = ctx.state.layout.dimensionTypes;
	switch (name) {
		case 'COA':
			return account.chart;
		case 'ACC':
			return account.code;
		case 'DES':
			return account.description;
		case 'DESSHO':
			return account.shortDescription;
		case 'ENAFLG':
			return account.isActive ? '2' : '1';
		case 'DIE':
			return [...types];
		case 'OBYIPT':
			return types.map((type) => (account.requiredDimensionTypes.includes(type) ? '2' : '1'));
		case 'UPDDATTIM':
			return x3DatetimeText(account.updatedAt);
		default:
			return '';
	}
}

function accountRecord(ctx: OpContext, account: EmuAccount): ResultField[] {
	return ctx.publication.blocks[0].fields.map((def) =>
		resultField(def, accountFieldValue(ctx, account, def.name)),
	);
}

function readAccount(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const bad = keys.filter((k) => k.key !== 'ACC' && k.key !== 'COA');
	if (bad.length)
		return failure(
			bad.map((k) => error(`${k.key} : Not a key field of ${ctx.publication.name} (COA, ACC)`)),
		);
	const code = keyValue(keys, 'ACC');
	if (!code) return failure([error('ACC : Key value missing')]);
	const chart = keyValue(keys, 'COA') || ctx.state.layout.chartOfAccounts;
	const account = ctx.state.getAccount(code, chart);
	if (!account) return failure([error(`Account ${chart} ${code} : Record does not exist`)]);
	return {
		status: 1,
		messages: [],
		blocks: [
			{ kind: 'GRP', id: ctx.publication.blocks[0].id, fields: accountRecord(ctx, account) },
		],
	};
}

function queryAccounts(ctx: OpContext, keys: ObjectKey[], listSize?: number): OpResult {
	const block = ctx.publication.blocks[0];
	const criteria = queryCriteria(ctx, keys, (name) => findField(block, name) !== undefined);
	if (criteria.messages.length) return failure(criteria.messages);
	const records = [...ctx.state.accounts.values()]
		.filter((account) =>
			matchesCriteria(
				criteria.keys,
				(name) => {
					const value = accountFieldValue(ctx, account, name);
					return Array.isArray(value) ? value : [value];
				},
				(name) => findField(block, name),
			),
		)
		.sort((a, b) => compareText(`${a.chart}|${a.code}`, `${b.chart}|${b.code}`))
		.slice(0, limit(listSize))
		.map((account) => leftListRecord(ctx, accountRecord(ctx, account)));
	return { status: 1, messages: [], records };
}

function dimensionFieldValue(dimension: EmuDimension, name: string): string {
	switch (name) {
		case 'DIE':
			return dimension.type;
		case 'CCE':
			return dimension.code;
		case 'DES':
			return dimension.description;
		case 'DESSHO':
			return dimension.shortDescription;
		case 'ENAFLG':
			return dimension.isActive ? '2' : '1';
		case 'UPDDATTIM':
			return x3DatetimeText(dimension.updatedAt);
		default:
			return '';
	}
}

function dimensionRecord(ctx: OpContext, dimension: EmuDimension): ResultField[] {
	return ctx.publication.blocks[0].fields.map((def) =>
		resultField(def, dimensionFieldValue(dimension, def.name)),
	);
}

function readDimension(ctx: OpContext, keys: ObjectKey[]): OpResult {
	const bad = keys.filter((k) => k.key !== 'DIE' && k.key !== 'CCE');
	if (bad.length)
		return failure(
			bad.map((k) => error(`${k.key} : Not a key field of ${ctx.publication.name} (DIE, CCE)`)),
		);
	const type = keyValue(keys, 'DIE');
	const code = keyValue(keys, 'CCE');
	if (!type || !code) return failure([error(`${!type ? 'DIE' : 'CCE'} : Key value missing`)]);
	const dimension = ctx.state.getDimension(type, code);
	if (!dimension) return failure([error(`Dimension ${type} ${code} : Record does not exist`)]);
	return {
		status: 1,
		messages: [],
		blocks: [
			{ kind: 'GRP', id: ctx.publication.blocks[0].id, fields: dimensionRecord(ctx, dimension) },
		],
	};
}

function queryDimensions(ctx: OpContext, keys: ObjectKey[], listSize?: number): OpResult {
	const block = ctx.publication.blocks[0];
	const criteria = queryCriteria(ctx, keys, (name) => findField(block, name) !== undefined);
	if (criteria.messages.length) return failure(criteria.messages);
	const records = [...ctx.state.dimensions.values()]
		.filter((dimension) =>
			matchesCriteria(
				criteria.keys,
				(name) => [dimensionFieldValue(dimension, name)],
				(name) => findField(block, name),
			),
		)
		.sort((a, b) => compareText(`${a.type}|${a.code}`, `${b.type}|${b.code}`))
		.slice(0, limit(listSize))
		.map((dimension) => leftListRecord(ctx, dimensionRecord(ctx, dimension)));
	return { status: 1, messages: [], records };
}

// ---------------------------------------------------------------------------------------------------------------
// YPING subprogram: the cheap credential / pool check

function runPing(ctx: OpContext, payload: Payload): OpResult {
	const checked = checkPayload(ctx.publication, payload, ctx.behaviour.overLength);
	if (hasErrors(checked.messages)) return failure(checked.messages);
	const input = str(checked.groups.get('GRP1')?.I_TEXT);
	const now = ctx.state.now();
	const iso = now.toISOString();
	const block = ctx.publication.blocks[0];
	const values: Record<string, string> = {
		I_TEXT: input,
		O_TEXT: input,
		O_USER: ctx.user,
		O_FOLDER: ctx.folder,
		O_DATE: iso.slice(0, 10).replace(/-/g, ''),
		O_TIME: iso.slice(11, 19).replace(/:/g, ''),
		O_POOL: ctx.poolAlias,
	};
	return {
		status: 1,
		messages: checked.messages,
		blocks: [
			{
				kind: 'GRP',
				id: block.id,
				fields: block.fields.map((def) => resultField(def, values[def.name] ?? '')),
			},
		],
	};
}

/** Code-point order (X3 keys are plain ASCII codes; localeCompare would make ordering locale-dependent). */
export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
