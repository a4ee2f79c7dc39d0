import type { PostedJournalEntry } from './journalTypes';
import { compareDecimals, decimalToMinor, formatMinor, currencyDecimals } from '../common/money';

/** What reconciliation needs of a Brex record. */
export interface ReconcileBrexItem {
	id: string;
	traceId: string;
	amount: string;
	currency: string;
	/** A coded record's line trace ids (its line items'): their lines are booked for this item. */
	lineTraceIds?: string[];
}

export type ReconcileStatus = 'matched' | 'missing_in_x3' | 'duplicated_in_x3' | 'amount_mismatch';

export interface ReconcileLine {
	brexId: string | null;
	traceId: string;
	status: ReconcileStatus | 'unknown_to_brex';
	brexAmount: string | null;
	x3Amount: string | null;
	currency: string | null;
	documentNumbers: string[];
}

export interface ReconcileReport {
	counts: Record<ReconcileStatus | 'unknown_to_brex', number>;
	lines: ReconcileLine[];
}

interface X3Booking {
	documentNumbers: Set<string>;
	/** Net amount booked for the item per currency, in minor units (debit positive). */
	net: Map<string, bigint>;
}

/**
 * Compares Brex records with the X3 entries that carry trace ids. A record is found through the trace id on
 * its lines (grouped entries) or on the entry header (one entry per record). Its X3 amount is the net of its
 * lines off the card liability account, so a spend nets positive and a refund negative, like the Brex amount.
 */
export function reconcile(
	brexItems: ReconcileBrexItem[],
	x3Entries: PostedJournalEntry[],
	options: { liabilityAccount: string },
): ReconcileReport {
	const bookings = new Map<string, X3Booking>();
	const booking = (traceId: string): X3Booking => {
		let found = bookings.get(traceId);
		if (!found) {
			found = { documentNumbers: new Set(), net: new Map() };
			bookings.set(traceId, found);
		}
		return found;
	};

	// A coded record's lines carry their line items' trace ids: count them for the record's purchase.
	const ownerOf = new Map<string, string>();
	for (const item of brexItems) {
		for (const lineTraceId of item.lineTraceIds ?? []) ownerOf.set(lineTraceId, item.traceId);
	}

	for (const entry of x3Entries) {
		const currency = entry.currency ?? '';
		const lines = entry.lines ?? [];
		const itemLines = lines.filter((line) => line.account !== options.liabilityAccount);
		const lineTraced = itemLines.some((line) => line.lineTraceId);
		for (const line of itemLines) {
			const lineTrace = line.lineTraceId ?? (lineTraced ? null : entry.traceId);
			if (!lineTrace) continue;
			const traceId = ownerOf.get(lineTrace) ?? lineTrace;
			const target = booking(traceId);
			target.documentNumbers.add(entry.documentNumber);
			const minor =
				(line.debit ? decimalToMinor(line.debit, currency) : 0n) -
				(line.credit ? decimalToMinor(line.credit, currency) : 0n);
			target.net.set(currency, (target.net.get(currency) ?? 0n) + minor);
		}
		if (itemLines.length === 0 && entry.traceId)
			booking(entry.traceId).documentNumbers.add(entry.documentNumber);
		for (const traceId of entry.lineTraceIds) {
			if (!lines.length)
				booking(ownerOf.get(traceId) ?? traceId).documentNumbers.add(entry.documentNumber);
		}
	}

	const counts: ReconcileReport['counts'] = {
		matched: 0,
		missing_in_x3: 0,
		duplicated_in_x3: 0,
		amount_mismatch: 0,
		unknown_to_brex: 0,
	};
	const lines: ReconcileLine[] = [];
	const brexTraceIds = new Set<string>();

	for (const item of brexItems) {
		brexTraceIds.add(item.traceId);
		const found = bookings.get(item.traceId);
		let status: ReconcileStatus;
		let x3Amount: string | null = null;
		if (!found) status = 'missing_in_x3';
		else {
			const net = found.net.get(item.currency);
			x3Amount = net === undefined ? null : formatMinor(net, currencyDecimals(item.currency));
			if (found.documentNumbers.size > 1) status = 'duplicated_in_x3';
			else if (x3Amount === null || compareDecimals(x3Amount, item.amount, item.currency) !== 0) {
				status = 'amount_mismatch';
			} else status = 'matched';
		}
		counts[status]++;
		lines.push({
			brexId: item.id,
			traceId: item.traceId,
			status,
			brexAmount: item.amount,
			x3Amount,
			currency: item.currency,
			documentNumbers: found ? [...found.documentNumbers].sort() : [],
		});
	}

	for (const [traceId, found] of bookings) {
		if (brexTraceIds.has(traceId)) continue;
		counts.unknown_to_brex++;
		const [currency, net] = [...found.net.entries()][0] ?? [null, null];
		lines.push({
			brexId: null,
			traceId,
			status: 'unknown_to_brex',
			brexAmount: null,
			x3Amount: currency && net !== null ? formatMinor(net, currencyDecimals(currency)) : null,
			currency,
			documentNumbers: [...found.documentNumbers].sort(),
		});
	}

	return { counts, lines };
}
