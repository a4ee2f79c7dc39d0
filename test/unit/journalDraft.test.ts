import {
	JournalDraftError,
	UnbalancedEntryError,
	assertBalanced,
	buildEntry,
	checkBalance,
	fitTraceId,
	isZeroAmount,
	planJournalEntries,
	postingItemProblem,
} from '../../nodes/ledger/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/ledger/journalDraft';
import { entrySetTraceId, spendTraceId } from '../../nodes/common/traceId';
import type { JournalEntryDraft } from '../../nodes/ledger/journalTypes';

function item(n: number, overrides: Partial<PostingItem> = {}): PostingItem {
	return {
		itemIndex: n,
		traceId: spendTraceId('expense', `expense_${n}`),
		accountingDate: '2026-11-02',
		currency: 'USD',
		amount: '10.00',
		site: 'FR011',
		entryType: 'ODT',
		liabilityAccount: '467100',
		account: '625100',
		dimensions: { CCT: 'CC-SF', DEP: 'ENG' },
		description: `Item ${n}`,
		...overrides,
	};
}

const setOptions: DraftOptions = {
	mode: 'entrySet',
	traceFieldLength: 20,
	balancingLineDescription: 'Brex card',
	description: 'Brex card spend {date} ({count})',
};

function sumSide(draft: JournalEntryDraft, side: 'debit' | 'credit'): number {
	return draft.lines.reduce((total, line) => total + Number(line[side] ?? 0), 0);
}

describe('perItem mode', () => {
	it('debits the expense and credits the card liability, with the item trace id', () => {
		const [entry] = planJournalEntries(
			[item(1, { amount: '120.50', businessPartner: 'BRX00001' })],
			{
				mode: 'perItem',
				traceFieldLength: 20,
			},
		);
		expect(entry.traceId).toBe(item(1).traceId);
		expect(entry.draft).toEqual({
			entryType: 'ODT',
			site: 'FR011',
			accountingDate: '2026-11-02',
			currency: 'USD',
			traceId: item(1).traceId,
			description: 'Item 1',
			lines: [
				{
					account: '625100',
					debit: '120.50',
					dimensions: { CCT: 'CC-SF', DEP: 'ENG' },
					businessPartner: 'BRX00001',
					description: 'Item 1',
					lineTraceId: item(1).traceId,
				},
				{
					account: '467100',
					credit: '120.50',
					dimensions: {},
					description: 'Item 1',
					lineTraceId: item(1).traceId,
				},
			],
		});
	});

	it('reverses a refund: credit the expense, debit the liability', () => {
		const [entry] = planJournalEntries([item(1, { amount: '-30.00', isRefund: true })], {
			mode: 'perItem',
			traceFieldLength: 20,
		});
		expect(entry.draft.lines.map((l) => [l.account, l.debit, l.credit])).toEqual([
			['625100', undefined, '30.00'],
			['467100', '30.00', undefined],
		]);
	});

	it('treats an unsigned amount flagged as refund as a refund', () => {
		const [entry] = planJournalEntries([item(1, { amount: '30.00', isRefund: true })], {
			mode: 'perItem',
			traceFieldLength: 20,
		});
		expect(entry.draft.lines[0].credit).toBe('30.00');
	});
});

describe('entrySet mode', () => {
	it('groups by date, currency, site, and balances each set on the liability account', () => {
		const items = [
			item(1, { amount: '10.00' }),
			item(2, { amount: '20.25' }),
			item(3, { amount: '-5.00' }),
			item(4, { currency: 'EUR', amount: '7.00' }),
			item(5, { accountingDate: '2026-11-03' }),
			item(6, { site: 'US001' }),
		];
		const plans = planJournalEntries(items, setOptions);
		expect(plans).toHaveLength(4);
		const usd = plans.find((p) => p.items.length === 3)!;
		expect(usd.traceId).toBe(entrySetTraceId([1, 2, 3].map((n) => item(n).traceId)));
		expect(usd.draft.description).toBe('Brex card spend 2026-11-02 (3)');
		const liability = usd.draft.lines.filter((l) => l.account === '467100');
		expect(liability).toEqual([
			{ account: '467100', credit: '30.25', dimensions: {}, description: 'Brex card' },
			{ account: '467100', debit: '5.00', dimensions: {}, description: 'Brex card' },
		]);
		for (const plan of plans) {
			expect(checkBalance(plan.draft).balanced).toBe(true);
			expect(
				plan.draft.lines.filter((l) => l.account !== '467100').map((l) => l.lineTraceId),
			).toEqual(plan.items.map((i) => i.traceId));
		}
	});

	it('is deterministic whatever the input order', () => {
		const items = Array.from({ length: 30 }, (_, n) =>
			item(n, {
				amount: n % 7 === 0 ? `-${n}.10` : `${n + 1}.05`,
				currency: n % 3 === 0 ? 'EUR' : 'USD',
			}),
		);
		const shuffled = [...items].reverse();
		shuffled.push(shuffled.shift()!);
		const strip = (plans: ReturnType<typeof planJournalEntries>) => plans.map((p) => p.draft);
		expect(strip(planJournalEntries(shuffled, { ...setOptions, maxLinesPerEntry: 6 }))).toEqual(
			strip(planJournalEntries(items, { ...setOptions, maxLinesPerEntry: 6 })),
		);
	});

	it('splits a set above the line cap, each part balanced and traced separately', () => {
		const items = Array.from({ length: 10 }, (_, n) =>
			item(n, { amount: n === 4 ? '-1.00' : '2.00' }),
		);
		const plans = planJournalEntries(items, { ...setOptions, maxLinesPerEntry: 5 });
		expect(plans.length).toBeGreaterThan(2);
		expect(new Set(plans.map((p) => p.traceId)).size).toBe(plans.length);
		expect(plans.flatMap((p) => p.items.map((i) => i.itemIndex)).sort((a, b) => a - b)).toEqual([
			0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		]);
		for (const plan of plans) {
			expect(plan.draft.lines.length).toBeLessThanOrEqual(5);
			expect(checkBalance(plan.draft).balanced).toBe(true);
		}
	});

	it('gives a one-item set the item trace id', () => {
		const [plan] = planJournalEntries([item(1)], setOptions);
		expect(plan.traceId).toBe(item(1).traceId);
	});

	it('keeps amounts exact in the currency decimals (JPY 0, KWD 3) with no float drift', () => {
		const yen = planJournalEntries(
			[item(1, { currency: 'JPY', amount: '1500' }), item(2, { currency: 'JPY', amount: '99' })],
			setOptions,
		)[0];
		expect(yen.draft.lines.find((l) => l.account === '467100')?.credit).toBe('1599');
		const dinar = planJournalEntries(
			[item(1, { currency: 'KWD', amount: '1.005' }), item(2, { currency: 'KWD', amount: '2.1' })],
			setOptions,
		)[0];
		expect(dinar.draft.lines.map((l) => l.debit ?? l.credit)).toEqual(
			expect.arrayContaining(['1.005', '2.100', '3.105']),
		);
		const cents = planJournalEntries(
			Array.from({ length: 10 }, (_, n) => item(n, { amount: '0.10' })),
			setOptions,
		)[0];
		expect(cents.draft.lines.find((l) => l.account === '467100')?.credit).toBe('1.00');
		expect(sumSide(cents.draft, 'debit')).toBeCloseTo(1);
	});

	it('refuses zero amounts, duplicate trace ids and a bad line cap', () => {
		expect(() => planJournalEntries([item(1, { amount: '0.00' })], setOptions)).toThrow(
			/zero amount/,
		);
		expect(() => planJournalEntries([item(1), item(1)], setOptions)).toThrow(/appears twice/);
		expect(() => planJournalEntries([item(1)], { ...setOptions, maxLinesPerEntry: 10000 })).toThrow(
			/from 2 to 9999/,
		);
	});

	it('rebuilds a smaller set with a re-derived trace id', () => {
		const full = buildEntry([item(1), item(2), item(3)], setOptions);
		const rest = buildEntry([item(3), item(1)], setOptions);
		expect(rest.traceId).not.toBe(full.traceId);
		expect(rest.traceId).toBe(entrySetTraceId([item(1).traceId, item(3).traceId]));
		expect(() => buildEntry([item(1), item(2, { currency: 'EUR' })], setOptions)).toThrow(
			/different groups/,
		);
	});
});

describe('trace ids', () => {
	it('fit the trace field width', () => {
		const longId = spendTraceId('expense', 'expense_1', 25);
		const [plan] = planJournalEntries([item(1, { traceId: longId })], {
			mode: 'perItem',
			traceFieldLength: 16,
		});
		expect(plan.traceId).toHaveLength(16);
		expect(plan.traceId).toBe(longId.slice(0, 16));
		const sets = planJournalEntries([item(1), item(2)], { ...setOptions, traceFieldLength: 25 });
		expect(sets[0].traceId).toHaveLength(25);
		expect(() => fitTraceId(longId, 8)).toThrow(JournalDraftError);
	});
});

describe('balance checks', () => {
	const base: JournalEntryDraft = {
		entryType: 'ODT',
		site: 'FR011',
		accountingDate: '2026-11-02',
		currency: 'EUR',
		traceId: 'T',
		lines: [
			{ account: '625100', debit: '100.00', dimensions: {} },
			{ account: '467100', credit: '90.00', dimensions: {} },
		],
	};

	it('names the difference of an unbalanced entry', () => {
		expect(checkBalance(base)).toMatchObject({ balanced: false, difference: '10.00' });
		expect(() => assertBalanced(base)).toThrow(UnbalancedEntryError);
		expect(() => assertBalanced(base)).toThrow(
			/debits 100.00 EUR, credits 90.00 EUR, difference 10.00 EUR/,
		);
	});

	it('refuses lines with both, neither or a non-positive amount, and single-line entries', () => {
		expect(() =>
			assertBalanced({
				...base,
				lines: [{ account: '1', debit: '1.00', credit: '1.00', dimensions: {} }, base.lines[1]],
			}),
		).toThrow(/Line 1 must have exactly one positive amount/);
		expect(() =>
			assertBalanced({
				...base,
				lines: [
					{ account: '1', dimensions: {} },
					{ account: '2', debit: '0', dimensions: {} },
				],
			}),
		).toThrow(/Lines 1, 2/);
		expect(() =>
			assertBalanced({ ...base, lines: [{ account: '1', debit: '-5', dimensions: {} }] }),
		).toThrow(/exactly one positive amount/);
		expect(() => assertBalanced({ ...base, lines: [] })).toThrow(/at least two lines/);
	});

	it('refuses amounts with more decimals than the currency has', () => {
		expect(() =>
			assertBalanced({
				...base,
				lines: [
					{ account: '1', debit: '1.005', dimensions: {} },
					{ account: '2', credit: '1.005', dimensions: {} },
				],
			}),
		).toThrow(/more than 2 decimals/);
	});
});

describe('postingItemProblem', () => {
	it('explains items that cannot become lines', () => {
		expect(
			postingItemProblem({ amount: '1.00', currency: 'USD', accountingDate: '2026-11-02' }),
		).toBeNull();
		expect(
			postingItemProblem({ amount: '0', currency: 'USD', accountingDate: '2026-11-02' }),
		).toBeNull();
		expect(isZeroAmount('0.00', 'USD')).toBe(true);
		expect(isZeroAmount('-0.01', 'USD')).toBe(false);
		expect(
			postingItemProblem({ amount: '1.001', currency: 'USD', accountingDate: '2026-11-02' }),
		).toMatch(/decimals/);
		expect(
			postingItemProblem({ amount: '1', currency: 'XXX', accountingDate: '2026-11-02' }),
		).toMatch(/Unknown currency/);
		expect(
			postingItemProblem({ amount: '1', currency: 'USD', accountingDate: '02/11/2026' }),
		).toMatch(/YYYY-MM-DD/);
	});
});
