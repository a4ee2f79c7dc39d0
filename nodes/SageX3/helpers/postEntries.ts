import { buildEntry } from '../../ledger/journalDraft';
import type { DraftOptions, PlannedEntry, PostingItem } from '../../ledger/journalDraft';
import { X3TraceLookupIncompleteError } from '../transport/errors';
import type { X3Gateway } from '../transport/gateway.types';
import { GRAPHQL_TRACE_BATCH_SIZE } from '../transport/readers';
import { documentPrecedes } from '../transport/records';
import { errorReason, mapWithConcurrency } from './utils';

/** What happened to one item of an entry set. */
export type EntryItemOutcome =
	| { status: 'posted' | 'already_posted'; documentNumber: string; entryTraceId: string | null }
	| { status: 'failed'; reason: string; error: unknown; entryTraceId: string };

export interface PostEntriesStats {
	entries: number;
	saves: number;
	/** Trace checks before saving: one per group of entry sets (up to CHECK_GROUP_IDS trace ids) and round. */
	traceChecks: number;
	/** Entries saved and then removed again because a concurrent run had posted some of their items first. */
	withdrawn: number;
}

/** Save attempts per entry set when concurrent runs keep posting the same items; then its items fail. */
export const MAX_SAVE_ROUNDS = 3;

/**
 * Trace ids per group of entry sets: one GraphQL lookup request's worth (four on REST), so sets of any size pack
 * densely into requests (daily sets of 44 items would otherwise cost a half-empty request each), while a failed
 * check still fails no more than one group.
 */
export const CHECK_GROUP_IDS = GRAPHQL_TRACE_BATCH_SIZE;

/** One entry set on its way: the items still to post and the trace id of the entry as last built. */
interface SetInFlight {
	plan: PlannedEntry;
	pending: PostingItem[];
	entryTraceId: string;
}

/**
 * Posts planned entries, idempotently. Entry sets go in groups of up to CHECK_GROUP_IDS trace ids, so each check
 * costs one X3 request per group on GraphQL, one per FIND_BATCH_SIZE ids on REST (one per item on SOAP), whatever
 * the size of the sets:
 *
 * 1. ONE trace check for every item of the group (and each set's own trace id when lines carry no trace): items
 *    X3 already holds are reported with the document number holding them and left out; a set with items left is
 *    rebuilt from them (new trace id derived from the remaining items).
 * 2. The sets are saved, at most `concurrency` at a time (the gateway's throttle still caps calls to the pool).
 *    A failed save fails only its own set's items.
 * 3. ONE check after the saves: the check before a save cannot see a save that another run (another worker,
 *    another execution of a re-delivered event) makes at the same moment, and n8n offers nodes no lock shared
 *    across processes. When an item just posted is also held by an entry with an earlier document number, that
 *    earlier entry keeps the item and this run withdraws its own entry (SOAP delete; entries are created
 *    temporary) and sends the set to the next round, whose check reports the item as already posted and saves
 *    the set's other items again. Every run applies the same rule, so of two entries holding an item exactly the
 *    later one goes; a run that withdrew checks again, so an item whose earlier holder was withdrawn too is saved
 *    again rather than lost. What stays open: a run killed between its save and that check leaves both entries
 *    (the reconciliation reports them as duplicated_in_x3).
 *
 * `lookup.linesOnly: false` looks item trace ids up at entry level too even when lines carry them: what Check X3
 * Setup proves for one entry per item when only the header trace field is proven.
 */
export async function postEntries(
	gateway: X3Gateway,
	plans: PlannedEntry[],
	options: DraftOptions,
	concurrency: number,
	lookup: { linesOnly?: boolean } = {},
): Promise<{ outcomes: Map<number, EntryItemOutcome>; stats: PostEntriesStats }> {
	const outcomes = new Map<number, EntryItemOutcome>();
	const stats: PostEntriesStats = { entries: plans.length, saves: 0, traceChecks: 0, withdrawn: 0 };
	// Check X3 Setup may have proven the header level only (one entry per item): then look up entry level too.
	const linesOnly = gateway.itemTracesOnLines && (lookup.linesOnly ?? true);

	const fail = (set: SetInFlight, reason: string, error: unknown): void => {
		for (const item of set.pending) {
			if (!outcomes.has(item.itemIndex)) {
				outcomes.set(item.itemIndex, {
					status: 'failed',
					reason,
					error,
					entryTraceId: set.entryTraceId,
				});
			}
		}
	};

	const postGroup = async (group: PlannedEntry[]): Promise<void> => {
		let sets: SetInFlight[] = group.map((plan) => ({
			plan,
			pending: plan.items,
			entryTraceId: plan.traceId,
		}));
		for (let round = 1; sets.length > 0; round++) {
			// 1. Check the group before saving.
			const built = sets.map((set) => ({
				set,
				// The set as it would be saved now: the whole plan, or the items still to post.
				entry:
					set.pending.length === set.plan.items.length
						? set.plan
						: buildEntry(set.pending, options),
			}));
			const ids = built.flatMap(({ set, entry }) => setIds(set, entry, linesOnly));
			stats.traceChecks++;
			const check = await settleLookup(gateway.findPostedTraceIds(ids, { linesOnly }));
			const found = check.found;
			// Sets whose check failed are neither saved nor reported as posted; when X3 answered for some ids
			// (X3TraceLookupIncompleteError), the sets holding only answered ids go on.
			const checked = built.filter(({ set, entry }) => {
				if (!check.failed(setIds(set, entry, linesOnly))) return true;
				fail(set, errorReason(check.error), check.error);
				return false;
			});
			const toSave: Array<{ set: SetInFlight; entry: PlannedEntry }> = [];
			for (const { set, entry } of checked) {
				const setDocument = linesOnly ? undefined : found.get(entry.traceId);
				const remaining: PostingItem[] = [];
				for (const item of set.pending) {
					const documentNumber = foundFor(found, item) ?? setDocument;
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
				if (remaining.length === 0) continue;
				const toPost =
					remaining.length === set.pending.length ? entry : buildEntry(remaining, options);
				set.pending = remaining;
				set.entryTraceId = toPost.traceId;
				toSave.push({ set, entry: toPost });
			}

			// 2. Save.
			const saved: Array<{ set: SetInFlight; entry: PlannedEntry; documentNumber: string }> = [];
			await mapWithConcurrency(toSave, concurrency, async ({ set, entry }) => {
				stats.saves++;
				try {
					const result = await gateway.saveJournalEntry(entry.draft);
					saved.push({ set, entry, documentNumber: result.documentNumber });
				} catch (error) {
					fail(set, errorReason(error), error);
				}
			});
			if (saved.length === 0) return;

			// 3. Check again after the saves; withdraw what a concurrent run posted first.
			let holders: Map<string, string[]> | null;
			try {
				holders = await gateway.findTraceHolders(
					saved.flatMap(({ set }) => set.pending.map((item) => item.traceId)),
					{ linesOnly },
				);
			} catch {
				// X3 cannot be asked: the saves stand (a duplicate would be reported by the reconciliation).
				holders = null;
			}
			const next: SetInFlight[] = [];
			await mapWithConcurrency(saved, concurrency, async ({ set, entry, documentNumber }) => {
				if (holders === null || !heldEarlierElsewhere(holders, set.pending, documentNumber)) {
					for (const item of set.pending) {
						outcomes.set(item.itemIndex, {
							status: 'posted',
							documentNumber,
							entryTraceId: entry.traceId,
						});
					}
					return;
				}
				try {
					await gateway.deleteJournalEntry({ documentNumber, entryType: entry.draft.entryType });
				} catch (error) {
					fail(
						set,
						`Another run posted some of these items at the same time, and removing this run's duplicate entry ${documentNumber} from X3 failed: ${errorReason(error)}. Delete entry ${documentNumber} in X3 (its items are also in an earlier entry).`,
						error,
					);
					return;
				}
				stats.withdrawn++;
				if (round >= MAX_SAVE_ROUNDS) {
					fail(
						set,
						`Other runs kept posting these items at the same time (${round} attempts); entry ${documentNumber} was withdrawn. Replay the items: the next run finds what X3 holds.`,
						null,
					);
					return;
				}
				next.push(set);
			});
			sets = next;
		}
	};

	await mapWithConcurrency(checkGroups(plans, linesOnly ? 0 : 1), concurrency, postGroup);
	return { outcomes, stats };
}

/**
 * The document X3 holds an item in: found by its trace id, or by one of its aliases (the record's own trace id
 * that versions before the purchase key wrote, a coded record's line item trace ids).
 */
function foundFor(found: Map<string, string>, item: PostingItem): string | undefined {
	for (const id of [item.traceId, ...(item.aliasTraceIds ?? [])]) {
		const documentNumber = found.get(id);
		if (documentNumber !== undefined) return documentNumber;
	}
	return undefined;
}

/** The trace ids a set is checked by: its items' (with their aliases), and (without line traces) the set's own. */
function setIds(set: SetInFlight, entry: PlannedEntry, linesOnly: boolean): string[] {
	return [
		...set.pending.flatMap((item) => [item.traceId, ...(item.aliasTraceIds ?? [])]),
		// Without line traces, a whole set is known by its own trace id only.
		...(linesOnly ? [] : [entry.traceId]),
	];
}

/**
 * A trace check's answer: the ids X3 showed, and which ids could not be checked. A lookup that failed as a whole
 * leaves every id unchecked; X3TraceLookupIncompleteError leaves only its `failedIds` (with the first failure's
 * reason), the others were answered (`found`).
 */
async function settleLookup(lookup: Promise<Map<string, string>>): Promise<{
	found: Map<string, string>;
	failed: (ids: string[]) => boolean;
	error: unknown;
}> {
	try {
		return { found: await lookup, failed: () => false, error: null };
	} catch (error) {
		if (error instanceof X3TraceLookupIncompleteError) {
			const unchecked = new Set(error.failedIds);
			return {
				found: error.found as Map<string, string>,
				failed: (ids) => ids.some((id) => unchecked.has(id)),
				error: error.firstError,
			};
		}
		return { found: new Map(), failed: () => true, error };
	}
}

/**
 * Consecutive entry sets packed into groups of at most `maxIds` trace ids: each item's, plus `idsPerSet` for
 * the set's own (a larger set is a group of its own). The gateway sends a group's check in batches of the reader's
 * traceBatchSize (one request on GraphQL).
 */
export function checkGroups(
	plans: PlannedEntry[],
	idsPerSet: number,
	maxIds = CHECK_GROUP_IDS,
): PlannedEntry[][] {
	const groups: PlannedEntry[][] = [];
	let current: PlannedEntry[] = [];
	let ids = 0;
	for (const plan of plans) {
		const size =
			plan.items.reduce((ids, item) => ids + 1 + (item?.aliasTraceIds?.length ?? 0), 0) + idsPerSet;
		if (current.length > 0 && ids + size > maxIds) {
			groups.push(current);
			current = [];
			ids = 0;
		}
		current.push(plan);
		ids += size;
	}
	if (current.length > 0) groups.push(current);
	return groups;
}

/** Whether an item of the entry saved as `documentNumber` is also held by an entry X3 numbered earlier. */
function heldEarlierElsewhere(
	holders: Map<string, string[]>,
	items: PostingItem[],
	documentNumber: string,
): boolean {
	return items.some((item) =>
		(holders.get(item.traceId) ?? []).some(
			(other) => other !== documentNumber && documentPrecedes(other, documentNumber),
		),
	);
}
