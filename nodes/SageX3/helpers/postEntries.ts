import { buildEntry } from '../../shared/journalDraft';
import type { DraftOptions, PlannedEntry } from '../../shared/journalDraft';
import type { X3Gateway } from '../transport/gateway.types';
import { errorReason, mapWithConcurrency } from './utils';

/** What happened to one item of an entry set. */
export type EntryItemOutcome =
	| { status: 'posted' | 'already_posted'; documentNumber: string; entryTraceId: string | null }
	| { status: 'failed'; reason: string; error: unknown; entryTraceId: string };

export interface PostEntriesStats {
	entries: number;
	saves: number;
	traceChecks: number;
}

/**
 * Posts planned entries, idempotently: per entry set, ONE trace check for all its item trace ids and the set's
 * own trace id; items X3 already holds are reported with the document number holding them and left out; the
 * rest is rebuilt (new trace id derived from the remaining items) and saved. A failed set fails only its own
 * items. Sets run with at most `concurrency` in flight (the gateway's throttle still caps calls to the X3 pool).
 */
export async function postEntries(
	gateway: X3Gateway,
	plans: PlannedEntry[],
	options: DraftOptions,
	concurrency: number,
): Promise<{ outcomes: Map<number, EntryItemOutcome>; stats: PostEntriesStats }> {
	const outcomes = new Map<number, EntryItemOutcome>();
	const stats: PostEntriesStats = { entries: plans.length, saves: 0, traceChecks: 0 };

	await mapWithConcurrency(plans, concurrency, async (plan) => {
		let pending = plan.items;
		let entryTraceId = plan.traceId;
		try {
			const ids = [...new Set([...plan.items.map((item) => item.traceId), plan.traceId])];
			stats.traceChecks++;
			const found = await gateway.findPostedTraceIds(ids);
			const setDocument = found.get(plan.traceId);
			const remaining = [];
			for (const item of plan.items) {
				const documentNumber = found.get(item.traceId) ?? setDocument;
				if (documentNumber !== undefined) {
					outcomes.set(item.itemIndex, {
						status: 'already_posted',
						documentNumber,
						// The set's trace id is known to be in X3 only when X3 reported it.
						entryTraceId: setDocument !== undefined ? plan.traceId : null,
					});
				} else {
					remaining.push(item);
				}
			}
			pending = remaining;
			if (remaining.length === 0) return;
			const entry = remaining.length === plan.items.length ? plan : buildEntry(remaining, options);
			entryTraceId = entry.traceId;
			stats.saves++;
			const saved = await gateway.saveJournalEntry(entry.draft);
			for (const item of remaining) {
				outcomes.set(item.itemIndex, {
					status: 'posted',
					documentNumber: saved.documentNumber,
					entryTraceId: entry.traceId,
				});
			}
		} catch (error) {
			const reason = errorReason(error);
			for (const item of pending) {
				if (!outcomes.has(item.itemIndex)) {
					outcomes.set(item.itemIndex, { status: 'failed', reason, error, entryTraceId });
				}
			}
		}
	});
	return { outcomes, stats };
}
