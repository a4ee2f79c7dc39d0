/**
 * Post Spend's posting loop when two runs post the same items at the same moment (two queue-mode workers, or two
 * executions of a re-delivered event): both trace checks see nothing, both save, and the check after the save
 * must leave exactly one entry per item, with every item reported against an entry X3 really holds.
 */
import { planJournalEntries } from '../../nodes/shared/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/shared/journalDraft';
import { spendTraceId } from '../../nodes/shared/traceId';
import {
	MAX_SAVE_ROUNDS,
	postEntries,
	type EntryItemOutcome,
} from '../../nodes/SageX3/helpers/postEntries';
import { documentPrecedes } from '../../nodes/SageX3/transport/records';
import { FakeX3Gateway, seededGateway } from './sageX3NodeHarness';

const OPTIONS: DraftOptions = { mode: 'entrySet', traceFieldLength: 20 };

function item(n: number, itemIndex = n): PostingItem {
	return {
		itemIndex,
		traceId: spendTraceId('expense', `expense_${n}`),
		accountingDate: '2026-11-02',
		currency: 'USD',
		amount: `${10 + n}.00`,
		site: 'US011',
		entryType: 'ODT',
		liabilityAccount: '467100',
		account: '628000',
		dimensions: { DEP: 'ENG' },
	};
}

/** Lets the first `parties` trace checks return only once all of them have asked (both runs saw nothing). */
function checksInLockstep(gateway: FakeX3Gateway, parties: number): void {
	const check = gateway.findPostedTraceIds.bind(gateway);
	let waiting: Array<() => void> = [];
	let arrived = 0;
	gateway.findPostedTraceIds = async (ids: string[]) => {
		const answer = await check(ids);
		if (arrived < parties) {
			arrived++;
			await new Promise<void>((resolve) => {
				waiting.push(resolve);
				if (waiting.length === parties) {
					for (const release of waiting) release();
					waiting = [];
				}
			});
		}
		return answer;
	};
}

async function post(gateway: FakeX3Gateway, items: PostingItem[]) {
	return await postEntries(gateway, planJournalEntries(items, OPTIONS), OPTIONS, 4);
}

/** Item trace id -> document numbers holding it. */
function holders(gateway: FakeX3Gateway): Map<string, string[]> {
	const found = new Map<string, string[]>();
	for (const entry of gateway.entries) {
		for (const id of new Set(entry.lineTraceIds)) {
			found.set(id, [...(found.get(id) ?? []), entry.documentNumber]);
		}
	}
	return found;
}

/** Every posted / already posted outcome names an entry that holds the item. */
function expectTruthful(
	gateway: FakeX3Gateway,
	items: PostingItem[],
	outcomes: Map<number, EntryItemOutcome>,
) {
	const held = holders(gateway);
	for (const posting of items) {
		const outcome = outcomes.get(posting.itemIndex);
		expect(outcome?.status).toMatch(/^(posted|already_posted)$/);
		if (outcome?.status === 'failed') continue;
		expect(held.get(posting.traceId)).toEqual([outcome?.documentNumber]);
	}
}

describe('postEntries with concurrent runs', () => {
	it('two runs posting the same item at once leave one entry: the later save is withdrawn', async () => {
		const gateway = seededGateway();
		checksInLockstep(gateway, 2);
		const [first, second] = await Promise.all([post(gateway, [item(1)]), post(gateway, [item(1)])]);
		expect(gateway.callCount('saveJournalEntry')).toBe(2);
		expect(gateway.callCount('deleteJournalEntry')).toBe(1);
		expect(gateway.entries).toHaveLength(1);
		const statuses = [first, second].map((run) => run.outcomes.get(1)?.status).sort();
		expect(statuses).toEqual(['already_posted', 'posted']);
		expect(first.stats.withdrawn + second.stats.withdrawn).toBe(1);
		expectTruthful(gateway, [item(1)], first.outcomes);
		expectTruthful(gateway, [item(1)], second.outcomes);
	});

	it('overlapping entry sets: the shared item stays in the earlier entry, the other items are saved again', async () => {
		const gateway = seededGateway();
		checksInLockstep(gateway, 2);
		const early = [item(1, 0), item(2, 1)];
		const late = [item(2, 0), item(3, 1)];
		const [a, b] = await Promise.all([post(gateway, early), post(gateway, late)]);
		const held = holders(gateway);
		for (const n of [1, 2, 3]) {
			expect(held.get(item(n).traceId)).toHaveLength(1);
		}
		expectTruthful(gateway, early, a.outcomes);
		expectTruthful(gateway, late, b.outcomes);
		// The withdrawn run re-saved its own item 3 in a new entry, without item 2.
		expect(a.stats.withdrawn + b.stats.withdrawn).toBe(1);
		expect(gateway.callCount('saveJournalEntry')).toBe(3);
	});

	it('three runs at once still end with one entry per item', async () => {
		const gateway = seededGateway();
		checksInLockstep(gateway, 3);
		const runs = await Promise.all([
			post(gateway, [item(1, 0), item(2, 1)]),
			post(gateway, [item(2, 0), item(3, 1)]),
			post(gateway, [item(3, 0), item(1, 1)]),
		]);
		const held = holders(gateway);
		for (const n of [1, 2, 3]) expect(held.get(item(n).traceId)).toHaveLength(1);
		for (const run of runs) {
			for (const outcome of run.outcomes.values()) expect(outcome.status).not.toBe('failed');
		}
	});

	it('a run alone saves once, checks once after the save and withdraws nothing', async () => {
		const gateway = seededGateway();
		const { outcomes, stats } = await post(gateway, [item(1, 0), item(2, 1)]);
		expect(stats).toEqual({ entries: 1, saves: 1, traceChecks: 1, withdrawn: 0 });
		expect(gateway.callCount('findTraceHolders')).toBe(1);
		expect(gateway.callCount('deleteJournalEntry')).toBe(0);
		expectTruthful(gateway, [item(1, 0), item(2, 1)], outcomes);
	});

	it('when X3 cannot be asked after the save, the save stands', async () => {
		const gateway = seededGateway();
		gateway.faults.findTraceHolders = () => new Error('X3 busy');
		const { outcomes } = await post(gateway, [item(1)]);
		expect(outcomes.get(1)?.status).toBe('posted');
		expect(gateway.entries).toHaveLength(1);
	});

	it('a withdrawal X3 refuses fails the items and names the entry to delete', async () => {
		const gateway = seededGateway();
		checksInLockstep(gateway, 2);
		gateway.faults.deleteJournalEntry = () => new Error('Record locked by another user');
		const runs = await Promise.all([post(gateway, [item(1)]), post(gateway, [item(1)])]);
		const failed = runs.map((run) => run.outcomes.get(1)).filter((o) => o?.status === 'failed');
		expect(failed).toHaveLength(1);
		const reason = (failed[0] as { reason: string }).reason;
		expect(reason).toMatch(
			/removing this run's duplicate entry ODT\d+ from X3 failed: Record locked/,
		);
		expect(reason).toMatch(/Delete entry ODT\d+ in X3/);
	});

	it(`gives up after ${MAX_SAVE_ROUNDS} withdrawn saves, asking for a replay`, async () => {
		const gateway = seededGateway();
		// After every save X3 shows an earlier entry holding the item, gone again by the next check.
		const holdersOf = gateway.findTraceHolders.bind(gateway);
		gateway.findTraceHolders = async (ids) => {
			const found = await holdersOf(ids);
			for (const id of ids) found.set(id, ['ODT000000', ...(found.get(id) ?? [])]);
			return found;
		};
		const { outcomes, stats } = await post(gateway, [item(1)]);
		expect(stats.withdrawn).toBe(MAX_SAVE_ROUNDS);
		expect(outcomes.get(1)).toMatchObject({ status: 'failed' });
		expect((outcomes.get(1) as { reason: string }).reason).toMatch(/Replay the items/);
	});
});

describe('documentPrecedes', () => {
	it('orders numbers of one sequence by their counter, and any two numbers one way only', () => {
		expect(documentPrecedes('BRX2026000009', 'BRX2026000010')).toBe(true);
		expect(documentPrecedes('BRX2026000010', 'BRX2026000009')).toBe(false);
		expect(documentPrecedes('ODT99', 'ODT100')).toBe(true);
		expect(documentPrecedes('X1', 'X1')).toBe(false);
		for (const [a, b] of [
			['BRX1', 'ODT1'],
			['A10', 'B9'],
		]) {
			expect(documentPrecedes(a, b)).not.toBe(documentPrecedes(b, a));
		}
	});
});
