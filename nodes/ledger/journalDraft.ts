/**
 * Turns mapped spend items into balanced X3 journal entry drafts. Pure and deterministic: the same items give the
 * same entries, lines and trace ids whatever order they arrive in, so a replay finds what an earlier run posted.
 *
 * Per item: debit the expense account, credit the card liability account (a refund reverses both sides).
 * A coded item (an accounting record as Brex coded it) brings one line per line item and balances itself.
 * Per entry set: one entry per accounting date + currency + site (+ entry type and liability account), one
 * expense line per item, and balancing lines on the card liability account (one credit for the spend, one debit
 * for the refunds). Amounts are exact in the currency's decimals (bigint minor units).
 */
import type { JournalEntryDraft, JournalLineDraft } from './journalTypes';
import { currencyDecimals, decimalToMinor, formatMinor } from '../common/money';
import { TRACE_ID_MIN_LENGTH, entrySetTraceId } from '../common/traceId';
import { JournalDraftError, X3_MAX_LINES_PER_ENTRY, assertBalanced } from './balance';

// The balance rules live in balance.ts, so a writer can check a draft without the planner; re-exported here.
export {
	JournalDraftError,
	UnbalancedEntryError,
	X3_MAX_LINES_PER_ENTRY,
	assertBalanced,
	checkBalance,
} from './balance';
export type { BalanceCheck } from './balance';

export type GroupingMode = 'perItem' | 'entrySet';

export const DEFAULT_MAX_LINES_PER_ENTRY = 500;

/** One line of a coded record (an accounting record posted as Brex coded it). */
export interface PostingLine {
	/** Brex line item id (arli_…), for the audit. */
	lineItemId?: string;
	/** Trace id of the Brex line item (lineItemTraceId), so a replay finds each line. */
	lineTraceId?: string;
	/** Signed decimal: positive = debit, negative = credit. */
	amount: string;
	account: string;
	dimensions: Record<string, string>;
	businessPartner?: string;
	taxCode?: string;
	description?: string;
}

/** One mapped spend item, ready to become a journal line (or, coded, its own balanced lines). */
export interface PostingItem {
	/** Caller's handle (the input item index); carried through untouched. */
	itemIndex: number;
	/** The item's trace id: written on its line so each item stays findable in a grouped entry. */
	traceId: string;
	/** YYYY-MM-DD */
	accountingDate: string;
	currency: string;
	/** Signed decimal: positive = spend, negative = refund. */
	amount: string;
	/** True for a refund even when the amount arrives unsigned. */
	isRefund?: boolean;
	site: string;
	entryType: string;
	liabilityAccount: string;
	account: string;
	dimensions: Record<string, string>;
	businessPartner?: string;
	taxCode?: string;
	description?: string;
	/**
	 * Coded record: one line per expense-side line item instead of the one expense line (account, dimensions and
	 * amount above are then only the audit's summary). Such an item is balanced on its own: by `balancingLines`
	 * when Brex coded that side, else by a line on `liabilityAccount`; either way the first balancing line carries
	 * the item's trace id, so the purchase is found whatever grouping posted it.
	 */
	lines?: PostingLine[];
	balancingLines?: PostingLine[];
	/** Other trace ids that mean this item is in X3 already (its record's own id, its line items' ids). */
	aliasTraceIds?: string[];
}

export interface DraftOptions {
	mode: GroupingMode;
	/** Width of the X3 trace field (layout.journalEntry.traceFieldLength). */
	traceFieldLength: number;
	/** Line count cap per entry; sets are split above it. Default 500, at most 9,999. */
	maxLinesPerEntry?: number;
	/** Dimensions on the card liability lines (the same for every set). */
	liabilityDimensions?: Record<string, string>;
	liabilityBusinessPartner?: string;
	/** Header reference; "{count}" and "{date}" are replaced. */
	reference?: string;
	/** Header description; "{count}" and "{date}" are replaced. Per item, the item's line description is used. */
	description?: string;
	/** Description of the card liability lines of an entry set. */
	balancingLineDescription?: string;
}

export interface PlannedEntry {
	/** Grouping key (date|currency|site|entryType|liability); chunks of one group share it. */
	groupKey: string;
	traceId: string;
	/** Members sorted by trace id. */
	items: PostingItem[];
	draft: JournalEntryDraft;
}

/** Shortens a trace id to the X3 field width, refusing widths too small to keep ids unique. */
export function fitTraceId(traceId: string, maxLength: number): string {
	if (traceId.length <= maxLength) return traceId;
	if (maxLength < TRACE_ID_MIN_LENGTH) {
		throw new JournalDraftError(
			`The trace field holds ${maxLength} characters; trace ids need at least ${TRACE_ID_MIN_LENGTH}. Choose a wider trace field in X3 Setup.`,
		);
	}
	return traceId.slice(0, maxLength);
}

function isRefund(item: PostingItem): boolean {
	return item.isRefund === true || decimalToMinor(item.amount, item.currency) < 0n;
}

function magnitudeMinor(item: PostingItem): bigint {
	const minor = decimalToMinor(item.amount, item.currency);
	return minor < 0n ? -minor : minor;
}

function format(minor: bigint, currency: string): string {
	return formatMinor(minor, currencyDecimals(currency));
}

function expenseLine(item: PostingItem): JournalLineDraft {
	const magnitude = format(magnitudeMinor(item), item.currency);
	// A refund arrives signed or flagged: its line is a credit either way.
	const amount = isRefund(item) ? `-${magnitude}` : magnitude;
	return signedLine({ ...item, amount, lineTraceId: item.traceId }, item.currency);
}

function liabilityLine(
	account: string,
	side: 'debit' | 'credit',
	minor: bigint,
	currency: string,
	options: DraftOptions,
	description: string | undefined,
	lineTraceId?: string,
): JournalLineDraft {
	const line: JournalLineDraft = {
		account,
		[side]: format(minor, currency),
		dimensions: { ...(options.liabilityDimensions ?? {}) },
	};
	if (options.liabilityBusinessPartner) line.businessPartner = options.liabilityBusinessPartner;
	if (description) line.description = description;
	if (lineTraceId) line.lineTraceId = lineTraceId;
	return line;
}

function fillPlaceholders(
	text: string | undefined,
	count: number,
	date: string,
): string | undefined {
	if (text === undefined || text.trim() === '') return undefined;
	return text.replace(/\{count\}/g, String(count)).replace(/\{date\}/g, date);
}

export function groupKeyOf(item: PostingItem): string {
	return [
		item.accountingDate,
		item.currency,
		item.site,
		item.entryType,
		item.liabilityAccount,
	].join('|');
}

/** Lines an item brings: one, or a coded item's own lines and balancing lines. */
export function itemLineCount(item: PostingItem): number {
	if (!item.lines) return 1;
	return item.lines.length + Math.max(1, item.balancingLines?.length ?? 0);
}

/** Lines an entry of these items needs: theirs plus one shared balancing line per side the simple items use. */
function lineCount(items: PostingItem[]): number {
	let lines = 0;
	let spend = false;
	let refund = false;
	for (const item of items) {
		lines += itemLineCount(item);
		if (item.lines) continue;
		if (isRefund(item)) refund = true;
		else spend = true;
	}
	return lines + (spend ? 1 : 0) + (refund ? 1 : 0);
}

function signedLine(source: PostingLine, currency: string): JournalLineDraft {
	const minor = decimalToMinor(source.amount, currency);
	const amount = format(minor < 0n ? -minor : minor, currency);
	const line: JournalLineDraft = {
		account: source.account,
		...(minor < 0n ? { credit: amount } : { debit: amount }),
		dimensions: { ...source.dimensions },
	};
	if (source.businessPartner) line.businessPartner = source.businessPartner;
	if (source.taxCode) line.taxCode = source.taxCode;
	if (source.description) line.description = source.description;
	if (source.lineTraceId) line.lineTraceId = source.lineTraceId;
	return line;
}

/**
 * A coded item's lines, balanced on their own (per record): its expense lines, then Brex's balancing lines or
 * one line on the card liability for their sum. The first balancing line carries the item's trace id.
 */
function codedItemLines(
	item: PostingItem,
	lines: PostingLine[],
	options: DraftOptions,
): JournalLineDraft[] {
	const expense = lines.map((line) => signedLine(line, item.currency));
	const sum = lines.reduce((total, line) => total + decimalToMinor(line.amount, item.currency), 0n);
	const balancing =
		item.balancingLines && item.balancingLines.length > 0
			? item.balancingLines.map((line) => signedLine(line, item.currency))
			: [
					liabilityLine(
						item.liabilityAccount,
						sum < 0n ? 'debit' : 'credit',
						sum < 0n ? -sum : sum,
						item.currency,
						options,
						item.description,
					),
				];
	balancing[0].lineTraceId = item.traceId;
	return [...expense, ...balancing];
}

/**
 * Why an item cannot become a journal line (unknown currency, amount with too many decimals, bad date), or null
 * when it can. A zero amount is valid here; the caller decides to skip it (planJournalEntries refuses it).
 */
export function postingItemProblem(
	item: Pick<PostingItem, 'amount' | 'currency' | 'accountingDate'>,
): string | null {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(String(item.accountingDate ?? ''))) {
		return `Accounting date "${String(item.accountingDate)}" is not a YYYY-MM-DD date`;
	}
	try {
		decimalToMinor(String(item.amount), String(item.currency));
	} catch (error) {
		return (error as Error).message;
	}
	return null;
}

export function isZeroAmount(amount: string, currency: string): boolean {
	return decimalToMinor(amount, currency) === 0n;
}

/**
 * Builds the entry for a given set of items (all of one group). Used for the plan and again when items already
 * posted are removed from a set: the remaining items get their own, re-derived trace id.
 */
export function buildEntry(items: PostingItem[], options: DraftOptions): PlannedEntry {
	if (items.length === 0) throw new JournalDraftError('An entry needs at least one item');
	const sorted = [...items].sort((a, b) =>
		a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0,
	);
	const first = sorted[0];
	const groupKey = groupKeyOf(first);
	for (const item of sorted) {
		if (groupKeyOf(item) !== groupKey) {
			throw new JournalDraftError(
				`Items of different groups in one entry: ${groupKey} and ${groupKeyOf(item)}`,
			);
		}
	}
	const { currency, accountingDate } = first;
	const traceId = fitTraceId(
		entrySetTraceId(
			sorted.map((item) => item.traceId),
			options.traceFieldLength,
		),
		options.traceFieldLength,
	);

	const lines: JournalLineDraft[] = sorted.flatMap((item) =>
		item.lines ? codedItemLines(item, item.lines, options) : [expenseLine(item)],
	);
	let spendMinor = 0n;
	let refundMinor = 0n;
	for (const item of sorted) {
		if (item.lines) continue;
		if (isRefund(item)) refundMinor += magnitudeMinor(item);
		else spendMinor += magnitudeMinor(item);
	}
	const single = sorted.length === 1;
	const balancingDescription = single ? first.description : options.balancingLineDescription;
	const balancingTrace = single ? first.traceId : undefined;
	if (spendMinor > 0n) {
		lines.push(
			liabilityLine(
				first.liabilityAccount,
				'credit',
				spendMinor,
				currency,
				options,
				balancingDescription,
				balancingTrace,
			),
		);
	}
	if (refundMinor > 0n) {
		lines.push(
			liabilityLine(
				first.liabilityAccount,
				'debit',
				refundMinor,
				currency,
				options,
				balancingDescription,
				balancingTrace,
			),
		);
	}

	const draft: JournalEntryDraft = {
		entryType: first.entryType,
		site: first.site,
		accountingDate,
		currency,
		traceId,
		lines,
	};
	const reference = fillPlaceholders(options.reference, sorted.length, accountingDate);
	if (reference) draft.reference = reference;
	const description = single
		? (first.description ?? fillPlaceholders(options.description, 1, accountingDate))
		: fillPlaceholders(options.description, sorted.length, accountingDate);
	if (description) draft.description = description;
	assertBalanced(draft);
	return { groupKey, traceId, items: sorted, draft };
}

/**
 * Plans the entries for a batch of mapped items: one per item, or one per group split at the line cap.
 * Items must have distinct trace ids (the caller drops duplicates first) and non-zero amounts.
 */
export function planJournalEntries(items: PostingItem[], options: DraftOptions): PlannedEntry[] {
	const maxLines = options.maxLinesPerEntry ?? DEFAULT_MAX_LINES_PER_ENTRY;
	if (!Number.isInteger(maxLines) || maxLines < 2 || maxLines > X3_MAX_LINES_PER_ENTRY) {
		throw new JournalDraftError(
			`Max lines per entry must be a whole number from 2 to ${X3_MAX_LINES_PER_ENTRY}; got ${maxLines}`,
		);
	}
	const seen = new Set<string>();
	for (const item of items) {
		if (seen.has(item.traceId))
			throw new JournalDraftError(`Trace id ${item.traceId} appears twice`);
		seen.add(item.traceId);
		if (decimalToMinor(item.amount, item.currency) === 0n) {
			throw new JournalDraftError(`Item ${item.traceId} has a zero amount; nothing to post`);
		}
		// A record is never split over entries (its lines balance together and one trace finds them all).
		if (item.lines && itemLineCount(item) > maxLines) {
			throw new JournalDraftError(
				`Item ${item.traceId} has ${itemLineCount(item)} lines, more than Max Lines per Entry (${maxLines})`,
			);
		}
	}

	const sorted = [...items].sort((a, b) =>
		a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0,
	);
	if (options.mode === 'perItem') return sorted.map((item) => buildEntry([item], options));

	const groups = new Map<string, PostingItem[]>();
	for (const item of sorted) {
		const key = groupKeyOf(item);
		const members = groups.get(key);
		if (members) members.push(item);
		else groups.set(key, [item]);
	}
	const plans: PlannedEntry[] = [];
	for (const key of [...groups.keys()].sort()) {
		let chunk: PostingItem[] = [];
		for (const item of groups.get(key) ?? []) {
			if (chunk.length > 0 && lineCount([...chunk, item]) > maxLines) {
				plans.push(buildEntry(chunk, options));
				chunk = [];
			}
			chunk.push(item);
		}
		if (chunk.length > 0) plans.push(buildEntry(chunk, options));
	}
	return plans;
}
