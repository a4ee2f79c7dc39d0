/**
 * When a journal entry draft is acceptable to X3 for its amounts: every line one positive amount on one side,
 * at least two lines, debits equal to credits in the currency's exact decimals, at most X3's line limit.
 * Pure; the draft planner (journalDraft.ts) and the Create operation check drafts with it before any X3 call.
 */
import type { JournalEntryDraft } from './journalTypes';
import { currencyDecimals, decimalToMinor, formatMinor } from '../common/money';

/** X3 refuses entries over 9,999 lines. */
export const X3_MAX_LINES_PER_ENTRY = 9999;

export class JournalDraftError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'JournalDraftError';
	}
}

export class UnbalancedEntryError extends JournalDraftError {
	constructor(
		readonly totalDebit: string,
		readonly totalCredit: string,
		readonly difference: string,
		readonly currency: string,
	) {
		super(
			`The journal entry is unbalanced: debits ${totalDebit} ${currency}, credits ${totalCredit} ${currency}, difference ${difference} ${currency}. Adjust the lines so debits equal credits.`,
		);
		this.name = 'UnbalancedEntryError';
	}
}

function format(minor: bigint, currency: string): string {
	return formatMinor(minor, currencyDecimals(currency));
}

export interface BalanceCheck {
	balanced: boolean;
	totalDebit: string;
	totalCredit: string;
	/** Debits minus credits. */
	difference: string;
	/** Lines that are not exactly one positive amount on one side. */
	invalidLines: number[];
}

/** Sums a draft's lines exactly in its currency. Lines must carry exactly one positive amount. */
export function checkBalance(draft: JournalEntryDraft): BalanceCheck {
	let debit = 0n;
	let credit = 0n;
	const invalidLines: number[] = [];
	draft.lines.forEach((line, index) => {
		const hasDebit = line.debit !== undefined && line.debit !== '';
		const hasCredit = line.credit !== undefined && line.credit !== '';
		const debitMinor = hasDebit ? decimalToMinor(line.debit as string, draft.currency) : 0n;
		const creditMinor = hasCredit ? decimalToMinor(line.credit as string, draft.currency) : 0n;
		if (
			hasDebit === hasCredit ||
			debitMinor < 0n ||
			creditMinor < 0n ||
			debitMinor + creditMinor === 0n
		) {
			invalidLines.push(index);
		}
		debit += debitMinor;
		credit += creditMinor;
	});
	return {
		balanced: debit === credit && invalidLines.length === 0 && draft.lines.length >= 2,
		totalDebit: format(debit, draft.currency),
		totalCredit: format(credit, draft.currency),
		difference: format(debit - credit, draft.currency),
		invalidLines,
	};
}

/** Throws before any X3 call when a draft would be refused for its amounts. */
export function assertBalanced(draft: JournalEntryDraft): void {
	const check = checkBalance(draft);
	if (check.invalidLines.length > 0) {
		throw new JournalDraftError(
			`Line${check.invalidLines.length > 1 ? 's' : ''} ${check.invalidLines.map((i) => i + 1).join(', ')} must have exactly one positive amount, either debit or credit`,
		);
	}
	if (draft.lines.length < 2) {
		throw new JournalDraftError(
			'A journal entry needs at least two lines (an entry and its counterpart)',
		);
	}
	if (check.totalDebit !== check.totalCredit) {
		throw new UnbalancedEntryError(
			check.totalDebit,
			check.totalCredit,
			check.difference,
			draft.currency,
		);
	}
	if (draft.lines.length > X3_MAX_LINES_PER_ENTRY) {
		throw new JournalDraftError(
			`X3 accepts at most ${X3_MAX_LINES_PER_ENTRY} lines per entry; this one has ${draft.lines.length}`,
		);
	}
}
