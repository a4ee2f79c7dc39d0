import { reconcile } from '../../nodes/ledger/reconcile';
import type { PostedJournalEntry } from '../../nodes/ledger/journalTypes';

const LIABILITY = '467100';

function perItemEntry(
	doc: string,
	traceId: string,
	amount: string,
	currency = 'USD',
): PostedJournalEntry {
	const refund = amount.startsWith('-');
	const abs = refund ? amount.slice(1) : amount;
	return {
		documentNumber: doc,
		entryType: 'BRX',
		traceId,
		accountingDate: '2026-11-01',
		currency,
		lineTraceIds: [traceId],
		lines: [
			{
				account: '625100',
				debit: refund ? null : abs,
				credit: refund ? abs : null,
				dimensions: {},
				businessPartner: null,
				description: null,
				lineTraceId: traceId,
			},
			{
				account: LIABILITY,
				debit: refund ? abs : null,
				credit: refund ? null : abs,
				dimensions: {},
				businessPartner: null,
				description: null,
				lineTraceId: null,
			},
		],
	};
}

describe('reconcile', () => {
	it('matches per-item entries, including refunds', () => {
		const report = reconcile(
			[
				{ id: 'e1', traceId: 'T1', amount: '10.00', currency: 'USD' },
				{ id: 'e2', traceId: 'T2', amount: '-4.50', currency: 'USD' },
			],
			[perItemEntry('D1', 'T1', '10.00'), perItemEntry('D2', 'T2', '-4.50')],
			{ liabilityAccount: LIABILITY },
		);
		expect(report.counts).toEqual({
			matched: 2,
			missing_in_x3: 0,
			duplicated_in_x3: 0,
			amount_mismatch: 0,
			unknown_to_brex: 0,
		});
	});

	it('finds items inside grouped entries by their line trace ids', () => {
		const grouped: PostedJournalEntry = {
			documentNumber: 'D9',
			entryType: 'BRX',
			traceId: 'SET1',
			accountingDate: '2026-11-01',
			currency: 'EUR',
			lineTraceIds: ['A', 'B'],
			lines: [
				{
					account: '625100',
					debit: '3.00',
					credit: null,
					dimensions: {},
					businessPartner: null,
					description: null,
					lineTraceId: 'A',
				},
				{
					account: '606400',
					debit: '7.25',
					credit: null,
					dimensions: {},
					businessPartner: null,
					description: null,
					lineTraceId: 'B',
				},
				{
					account: LIABILITY,
					debit: null,
					credit: '10.25',
					dimensions: {},
					businessPartner: null,
					description: null,
					lineTraceId: null,
				},
			],
		};
		const report = reconcile(
			[
				{ id: 'a', traceId: 'A', amount: '3.00', currency: 'EUR' },
				{ id: 'b', traceId: 'B', amount: '7.25', currency: 'EUR' },
				{ id: 'c', traceId: 'C', amount: '1.00', currency: 'EUR' },
			],
			[grouped],
			{ liabilityAccount: LIABILITY },
		);
		expect(report.counts.matched).toBe(2);
		expect(report.counts.missing_in_x3).toBe(1);
		expect(report.lines.find((l) => l.traceId === 'C')?.status).toBe('missing_in_x3');
	});

	it('reports duplicates, amount mismatches and entries Brex does not know', () => {
		const report = reconcile(
			[
				{ id: 'e1', traceId: 'T1', amount: '10.00', currency: 'USD' },
				{ id: 'e2', traceId: 'T2', amount: '5.00', currency: 'USD' },
			],
			[
				perItemEntry('D1', 'T1', '10.00'),
				perItemEntry('D2', 'T1', '10.00'),
				perItemEntry('D3', 'T2', '5.01'),
				perItemEntry('D4', 'TX', '1.00'),
			],
			{ liabilityAccount: LIABILITY },
		);
		expect(report.counts).toEqual({
			matched: 0,
			missing_in_x3: 0,
			duplicated_in_x3: 1,
			amount_mismatch: 1,
			unknown_to_brex: 1,
		});
		expect(report.lines.find((l) => l.traceId === 'T1')?.documentNumbers).toEqual(['D1', 'D2']);
		expect(report.lines.find((l) => l.traceId === 'T2')?.x3Amount).toBe('5.01');
	});

	it('treats an amount in another currency as a mismatch', () => {
		const report = reconcile(
			[{ id: 'e1', traceId: 'T1', amount: '10.00', currency: 'USD' }],
			[perItemEntry('D1', 'T1', '10.00', 'EUR')],
			{ liabilityAccount: LIABILITY },
		);
		expect(report.counts.amount_mismatch).toBe(1);
	});
});
