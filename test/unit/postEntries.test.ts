/**
 * Post Spend's posting loop when two runs post the same items at the same moment (two queue-mode workers, or two
 * executions of a re-delivered event): both trace checks see nothing, both save, and the check after the save
 * must leave exactly one entry per item, with every item reported against an entry X3 really holds.
 */
import { planJournalEntries } from '../../nodes/ledger/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/ledger/journalDraft';
import { spendTraceId } from '../../nodes/common/traceId';
import {
	CHECK_GROUP_IDS,
	MAX_SAVE_ROUNDS,
	checkGroups,
	postEntries,
	type EntryItemOutcome,
} from '../../nodes/SageX3/helpers/postEntries';
import { X3TraceLookupIncompleteError } from '../../nodes/SageX3/transport/errors';
import { documentPrecedes } from '../../nodes/SageX3/transport/records';
import { FakeX3Gateway, seededGateway } from '../support/sageX3NodeHarness';
import { TEST_NODE } from './x3FakeContext';

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

describe('postEntries: checks per group of entry sets', () => {
	const PER_ITEM: DraftOptions = { mode: 'perItem', traceFieldLength: 20 };
	const many = (count: number) => Array.from({ length: count }, (_v, n) => item(n + 1, n));

	it('120 one-item entries cost one check before and one after the saves, not 120', async () => {
		const gateway = seededGateway();
		const sizes: number[] = [];
		gateway.faults.findPostedTraceIds = (ids: string[]) => {
			sizes.push(ids.length);
			return undefined;
		};
		const items = many(120);
		const { outcomes, stats } = await postEntries(
			gateway,
			planJournalEntries(items, PER_ITEM),
			PER_ITEM,
			4,
		);
		// One group (≤ 160 ids); the fake gateway takes it in one call, the real one in 40-id requests.
		expect(sizes).toEqual([120]);
		expect(gateway.callCount('findTraceHolders')).toBe(1);
		expect(gateway.callCount('saveJournalEntry')).toBe(120);
		expect(stats).toEqual({ entries: 120, saves: 120, traceChecks: 1, withdrawn: 0 });
		expect([...outcomes.values()].every((o) => o.status === 'posted')).toBe(true);
		expectTruthful(gateway, items, outcomes);
	});

	it('a failed check fails only the items of its group, with the reason; the other groups are posted', async () => {
		const gateway = seededGateway();
		let calls = 0;
		gateway.faults.findPostedTraceIds = () =>
			++calls === 2 ? new Error('X3 pool exhausted') : undefined;
		// Groups of 160 and 40 items, checked one after the other: the second check fails.
		const items = many(200);
		const { outcomes } = await postEntries(
			gateway,
			planJournalEntries(items, PER_ITEM),
			PER_ITEM,
			1,
		);
		const failed = [...outcomes.values()].filter((o) => o.status === 'failed');
		expect(failed).toHaveLength(40);
		for (const outcome of failed) expect(outcome).toMatchObject({ reason: 'X3 pool exhausted' });
		expect([...outcomes.values()].filter((o) => o.status === 'posted')).toHaveLength(160);
		expect(gateway.entries).toHaveLength(160);
	});

	it('items already in X3 are reported with their entry and left out; a second run saves nothing', async () => {
		const gateway = seededGateway();
		const items = [item(1, 0), item(2, 1), item(3, 2)];
		await post(gateway, items.slice(0, 2));
		const { outcomes, stats } = await post(gateway, items);
		expect(stats.saves).toBe(1);
		expect(outcomes.get(0)?.status).toBe('already_posted');
		expect(outcomes.get(2)?.status).toBe('posted');
		expectTruthful(gateway, items, outcomes);
		const again = await post(gateway, items);
		expect(again.stats.saves).toBe(0);
		expect([...again.outcomes.values()].map((o) => o.status)).toEqual(
			Array(3).fill('already_posted'),
		);
	});

	it('without line traces the check asks for each set by its own trace id too, at entry level', async () => {
		const gateway = seededGateway();
		gateway.itemTracesOnLines = false;
		const asked: Array<{ ids: string[]; linesOnly?: boolean }> = [];
		gateway.faults.findPostedTraceIds = (ids: string[], options: { linesOnly?: boolean }) => {
			asked.push({ ids, linesOnly: options.linesOnly });
			return undefined;
		};
		const items = [item(1, 0), item(2, 1)];
		const plans = planJournalEntries(items, OPTIONS);
		await postEntries(gateway, plans, OPTIONS, 4);
		expect(asked).toEqual([
			{ ids: [items[0].traceId, items[1].traceId, plans[0].traceId].sort(), linesOnly: false },
		]);
		// The same set again: found by its set trace id (the lines carry none here).
		const again = await postEntries(gateway, plans, OPTIONS, 4);
		expect(again.stats.saves).toBe(0);
		expect(again.outcomes.get(0)).toMatchObject({
			status: 'already_posted',
			entryTraceId: plans[0].traceId,
		});
	});

	it('packs consecutive sets into groups of at most 160 trace ids (or maxIds); a larger set is a group of its own', () => {
		const plan = (size: number) => ({ items: Array(size).fill(null) }) as never;
		const sizes = (groups: unknown[][]) => groups.map((group) => group.length);
		const ones = (count: number) => Array.from({ length: count }, () => plan(1));
		expect(CHECK_GROUP_IDS).toBe(160);
		expect(sizes(checkGroups(ones(400), 0))).toEqual([160, 160, 80]);
		// With the set's own trace id too (layouts without line traces): two ids a one-item set.
		expect(sizes(checkGroups(ones(110), 1, 40))).toEqual([20, 20, 20, 20, 20, 10]);
		expect(sizes(checkGroups([plan(30), plan(30), plan(70), plan(5), plan(10)], 0, 40))).toEqual([
			1, 1, 1, 2,
		]);
		// Daily sets of 44 items: three to a group, so 132 ids go out as 4 requests, not 6.
		expect(sizes(checkGroups([plan(44), plan(44), plan(44), plan(44)], 0))).toEqual([3, 1]);
	});
});

describe('postEntries: a trace check X3 answered only in part', () => {
	/** Items on their own dates: one entry set each, except items 2 and 3 (one set of two). */
	const dated = (n: number, itemIndex: number, day: string): PostingItem => ({
		...item(n, itemIndex),
		accountingDate: `2026-11-${day}`,
	});
	const items = [
		dated(1, 0, '01'),
		dated(2, 1, '02'),
		dated(3, 2, '02'),
		dated(4, 3, '03'),
		dated(5, 4, '04'),
		dated(6, 5, '05'),
	];

	/** The check answers for every id but `unchecked`, which fail with `reason` (as the gateway reports it). */
	function partialChecks(gateway: FakeX3Gateway, unchecked: string[], reason: string) {
		const check = gateway.findPostedTraceIds.bind(gateway);
		gateway.findPostedTraceIds = async (ids: string[], options?: { linesOnly?: boolean }) => {
			const answer = await check(ids, options);
			const failed = ids.filter((id) => unchecked.includes(id));
			if (failed.length === 0) return answer;
			const found = new Map([...answer].filter(([id]) => !failed.includes(id)));
			throw new X3TraceLookupIncompleteError(TEST_NODE, found, failed, new Error(reason));
		};
	}

	it('fails only the sets holding an unchecked id, with its reason; the others are posted or reported as held', async () => {
		const gateway = seededGateway();
		// Items 1 and 5 are in X3 already.
		await post(gateway, [items[0], items[4]]);
		const before = gateway.entries.map((entry) => entry.documentNumber);
		// X3 cannot answer for item 3 (in the set of items 2 and 3) nor for item 5 (held, but not shown).
		partialChecks(gateway, [items[2].traceId, items[4].traceId], 'X3 pool exhausted');

		const { outcomes } = await post(gateway, items);

		expect(outcomes.get(0)).toMatchObject({ status: 'already_posted', documentNumber: before[0] });
		for (const index of [1, 2, 4]) {
			expect(outcomes.get(index)).toMatchObject({ status: 'failed', reason: 'X3 pool exhausted' });
		}
		expect(outcomes.get(3)?.status).toBe('posted');
		expect(outcomes.get(5)?.status).toBe('posted');
		// Saved: the two sets whose ids were all answered, nothing else.
		const saved = gateway.entries.filter((entry) => !before.includes(entry.documentNumber));
		expect([...new Set(saved.flatMap((entry) => entry.lineTraceIds))].sort()).toEqual(
			[items[3].traceId, items[5].traceId].sort(),
		);
		// Item 5 is still held once: it was not saved a second time.
		expect(holders(gateway).get(items[4].traceId)).toHaveLength(1);
	});

	it('a check that fails as a whole still fails every set of its group and saves nothing', async () => {
		const gateway = seededGateway();
		gateway.faults.findPostedTraceIds = () => new Error('X3 unreachable');
		const { outcomes } = await post(gateway, items);
		expect([...outcomes.values()].map((outcome) => outcome.status)).toEqual(
			Array(items.length).fill('failed'),
		);
		expect(gateway.callCount('saveJournalEntry')).toBe(0);
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
