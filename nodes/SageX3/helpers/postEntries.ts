import { buildEntry } from '../../shared/journalDraft';
import type { DraftOptions, PlannedEntry, PostingItem } from '../../shared/journalDraft';
import type { X3Gateway } from '../transport/gateway.types';
import { documentPrecedes } from '../transport/records';
import { errorReason, mapWithConcurrency } from './utils';

/** What happened to one item of an entry set. */
export type EntryItemOutcome =
	| { status: 'posted' | 'already_posted'; documentNumber: string; entryTraceId: string | null }
	| { status: 'failed'; reason: string; error: unknown; entryTraceId: string };

export interface PostEntriesStats {
	entries: number;
	saves: number;
	traceChecks: number;
	/** Entries saved and then removed again because a concurrent run had posted some of their items first. */
	withdrawn: number;
}

/** Save attempts per entry set when concurrent runs keep posting the same items; then its items fail. */
export const MAX_SAVE_ROUNDS = 3;

/**
 * Posts planned entries, idempotently: per entry set, ONE trace check for all its item trace ids and the set's
 * own trace id; items X3 already holds are reported with the document number holding them and left out; the
 * rest is rebuilt (new trace id derived from the remaining items) and saved. A failed set fails only its own
 * items. Sets run with at most `concurrency` in flight (the gateway's throttle still caps calls to the X3 pool).
 *
 * The check before a save cannot see a save that another run (another worker, another execution of a
 * re-delivered event) makes at the same moment, and n8n offers nodes no lock shared across processes. So the
 * node asks X3 once more after its save: when an item it just posted is also held by an entry with an earlier
 * document number, that earlier entry keeps the item and this run withdraws its own entry (SOAP delete; entries
 * are created temporary) and starts over with a new check, which reports the item as already posted and saves
 * the set's other items again. Every run applies the same rule, so of two entries holding an item exactly the
 * later one goes; a run that withdrew checks again afterwards, so an item whose earlier holder was withdrawn
 * too is saved again rather than lost. What stays open: a run killed between its save and that second check
 * leaves both entries (the reconciliation reports them as duplicated_in_x3).
 */
export async function postEntries(
	gateway: X3Gateway,
	plans: PlannedEntry[],
	options: DraftOptions,
	concurrency: number,
): Promise<{ outcomes: Map<number, EntryItemOutcome>; stats: PostEntriesStats }> {
	const outcomes = new Map<number, EntryItemOutcome>();
	const stats: PostEntriesStats = { entries: plans.length, saves: 0, traceChecks: 0, withdrawn: 0 };

	await mapWithConcurrency(plans, concurrency, async (plan) => {
		let pending = plan.items;
		let entryTraceId = plan.traceId;
		try {
			for (let round = 1; ; round++) {
				// The set as it would be saved now: the whole plan, or the items still to post.
				let entry = pending.length === plan.items.length ? plan : buildEntry(pending, options);
				const ids = [...new Set([...pending.map((item) => item.traceId), entry.traceId])];
				stats.traceChecks++;
				const found = await gateway.findPostedTraceIds(ids);
				const setDocument = found.get(entry.traceId);
				const remaining: PostingItem[] = [];
				for (const item of pending) {
					const documentNumber = found.get(item.traceId) ?? setDocument;
					if (documentNumber !== undefined) {
						outcomes.set(item.itemIndex, {
							status: 'already_posted',
							documentNumber,
							// The set's trace id is known to be in X3 only when X3 reported it.
							entryTraceId: setDocument !== undefined ? entry.traceId : null,
						});
					} else {
						remaining.push(item);
					}
				}
				if (remaining.length === 0) return;
				if (remaining.length !== pending.length) entry = buildEntry(remaining, options);
				pending = remaining;
				entryTraceId = entry.traceId;
				stats.saves++;
				const saved = await gateway.saveJournalEntry(entry.draft);
				if (!(await postedEarlierElsewhere(gateway, remaining, saved.documentNumber))) {
					for (const item of remaining) {
						outcomes.set(item.itemIndex, {
							status: 'posted',
							documentNumber: saved.documentNumber,
							entryTraceId: entry.traceId,
						});
					}
					return;
				}
				try {
					await gateway.deleteJournalEntry({
						documentNumber: saved.documentNumber,
						entryType: entry.draft.entryType,
					});
				} catch (error) {
					fail(
						`Another run posted some of these items at the same time, and removing this run's duplicate entry ${saved.documentNumber} from X3 failed: ${errorReason(error)}. Delete entry ${saved.documentNumber} in X3 (its items are also in an earlier entry).`,
						error,
					);
					return;
				}
				stats.withdrawn++;
				if (round >= MAX_SAVE_ROUNDS) {
					fail(
						`Other runs kept posting these items at the same time (${round} attempts); entry ${saved.documentNumber} was withdrawn. Replay the items: the next run finds what X3 holds.`,
						null,
					);
					return;
				}
			}
		} catch (error) {
			fail(errorReason(error), error);
		}

		function fail(reason: string, error: unknown): void {
			for (const item of pending) {
				if (!outcomes.has(item.itemIndex)) {
					outcomes.set(item.itemIndex, { status: 'failed', reason, error, entryTraceId });
				}
			}
		}
	});
	return { outcomes, stats };
}

/**
 * Whether an item of the entry just saved as `documentNumber` is also held by an entry X3 numbered earlier.
 * When X3 cannot be asked, the save stands (the items are in X3; a duplicate would be reported by the
 * reconciliation).
 */
async function postedEarlierElsewhere(
	gateway: X3Gateway,
	items: PostingItem[],
	documentNumber: string,
): Promise<boolean> {
	let holders: Map<string, string[]>;
	try {
		holders = await gateway.findTraceHolders(items.map((item) => item.traceId));
	} catch {
		return false;
	}
	return items.some((item) =>
		(holders.get(item.traceId) ?? []).some(
			(other) => other !== documentNumber && documentPrecedes(other, documentNumber),
		),
	);
}
