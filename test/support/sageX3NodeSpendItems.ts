/** Test factory for SpendItems as the Brex side emits them (see nodes/common/spendItemTypes.ts). */
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import { spendTraceId } from '../../nodes/common/traceId';

type KnownFields = Pick<
	SpendItem,
	| 'id'
	| 'recordKind'
	| 'traceId'
	| 'amount'
	| 'currency'
	| 'isRefund'
	| 'originalAmount'
	| 'accountingDate'
	| 'vendorName'
	| 'category'
	| 'department'
	| 'location'
	| 'user'
	| 'budget'
	| 'memo'
	| 'customFields'
	| 'raw'
>;

export type SpendItemOverrides = Partial<KnownFields> & {
	merchant?: Partial<SpendItem['merchant']>;
	[extra: string]: unknown;
};

export function makeSpendItem(id: string, overrides: SpendItemOverrides = {}): SpendItem {
	const { merchant, ...rest } = overrides;
	const amount = rest.amount ?? '42.50';
	return {
		id,
		recordKind: 'expense',
		traceId: spendTraceId(rest.recordKind ?? 'expense', id),
		recordTraceId: spendTraceId(rest.recordKind ?? 'expense', id),
		amount,
		currency: 'USD',
		isRefund: amount.startsWith('-'),
		originalAmount: null,
		accountingDate: '2026-11-02',
		purchasedAt: '2026-11-01T10:00:00Z',
		postedAt: '2026-11-02T08:00:00Z',
		updatedAt: '2026-11-02T08:00:00Z',
		merchant: { name: 'ACME CORP*4411', mcc: '5734', country: 'USA', ...merchant },
		vendorName: 'Acme Corp',
		category: 'SOFTWARE',
		department: { id: 'dept_eng', name: 'Engineering' },
		location: { id: 'loc_sf', name: 'San Francisco' },
		user: { id: 'cuuser_1', name: 'Ada Lovelace', email: 'ada@example.com' },
		budget: { id: 'budget_1', name: 'R&D tools' },
		memo: 'Licences',
		receiptUrls: [],
		customFields: { Project: 'Alpha' },
		customFieldOptionIds: {},
		lines: [],
		status: 'APPROVED',
		paymentStatus: 'CLEARED',
		expenseType: 'CARD',
		readiness: { ready: true, reason: null },
		raw: { id, note: 'as Brex sent it' },
		...rest,
	} as SpendItem;
}
