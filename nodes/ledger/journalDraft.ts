/**
 * Turns mapped spend items into balanced X3 journal entry drafts. Pure and deterministic: the same items give the
 * same entries, lines and trace ids whatever order they arrive in, so a replay finds what an earlier run posted.
 *
 * Per item: debit the expense account, credit the card liability account (a refund reverses both sides).
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

/** One mapped spend item, ready to become a journal line. */
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
	const amount = format(magnitudeMinor(item), item.currency);
	const line: JournalLineDraft = {
		account: item.account,
		...(isRefund(item) ? { credit: amount } : { debit: amount }),
		dimensions: { ...item.dimensions },
		lineTraceId: item.traceId,
	};
	if (item.businessPartner) line.businessPartner = item.businessPartner;
	if (item.taxCode) line.taxCode = item.taxCode;
	if (item.description) line.description = item.description;
	return line;
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

/** Lines an entry of `itemCount` items needs: its item lines plus one balancing line per side present. */
function lineCount(itemCount: number, refundCount: number): number {
	return itemCount + (refundCount > 0 ? 1 : 0) + (refundCount < itemCount ? 1 : 0);
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

	const lines: JournalLineDraft[] = sorted.map(expenseLine);
	let spendMinor = 0n;
	let refundMinor = 0n;
	for (const item of sorted) {
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
		let refunds = 0;
		for (const item of groups.get(key) ?? []) {
			const nextRefunds = refunds + (isRefund(item) ? 1 : 0);
			if (chunk.length > 0 && lineCount(chunk.length + 1, nextRefunds) > maxLines) {
				plans.push(buildEntry(chunk, options));
				chunk = [];
				refunds = 0;
			}
			chunk.push(item);
			refunds += isRefund(item) ? 1 : 0;
		}
		if (chunk.length > 0) plans.push(buildEntry(chunk, options));
	}
	return plans;
}
