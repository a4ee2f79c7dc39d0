import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { POLL_STATE_KEY } from '../../nodes/BrexTrigger/poller';
import { setSleepForTests } from '../../nodes/brexApi/client';
import type { PollState } from '../../nodes/brexApi/pollCursor';
import { EXPENSE_EXPAND } from '../../nodes/brexApi/spendItem';
import {
	TRIGGER_BASE_URL,
	type TriggerHarnessOptions,
	createTriggerHarness,
} from '../support/brexTriggerHarness';

const trigger = new BrexTrigger();
const START = '2026-07-01T00:00:00.000Z';
const START_MS = Date.parse(START);
const MINUTE = 60_000;

function expense(n: number, updatedAtMs: number, extra: IDataObject = {}): IDataObject {
	return {
		id: `expense_${n}`,
		updated_at: new Date(updatedAtMs).toISOString(),
		purchased_at: new Date(updatedAtMs - 3600_000).toISOString(),
		billing_amount: { amount: 1000 + n, currency: 'USD' },
		original_amount: { amount: 1000 + n, currency: 'USD' },
		merchant: { raw_descriptor: `MERCHANT ${n}`, mcc: '5812', country: 'USA' },
		status: 'APPROVED',
		payment_status: 'CLEARED',
		expense_type: 'CARD',
		...extra,
	};
}

function pollingParams(options: IDataObject = {}, extra: IDataObject = {}): IDataObject {
	return {
		mode: 'polling',
		resource: 'expense',
		options: { startDate: START, ...options },
		...extra,
	};
}

function harness(overrides: TriggerHarnessOptions = {}) {
	return createTriggerHarness({ parameters: pollingParams(), ...overrides });
}

/** nock 15 hands the reply callback a fetch Request (older versions: the path). */
function requestUrl(uri: unknown): URL {
	return new URL(typeof uri === 'string' ? uri : (uri as { url: string }).url, TRIGGER_BASE_URL);
}

/** Serves `rows` at GET /v1/expenses like Brex: filter updated_at >= updated_at_start, offset cursor pages. */
function serveExpenses(rows: IDataObject[], pageSize = 100) {
	const queries: IDataObject[] = [];
	const scope = nock(TRIGGER_BASE_URL)
		.persist()
		.get('/v1/expenses')
		.query(true)
		.reply((uri: unknown) => {
			const params = requestUrl(uri).searchParams;
			const query = Object.fromEntries(params.entries());
			queries.push({
				...query,
				'expand[]': params.getAll('expand[]'),
				'status[]': params.getAll('status[]'),
			});
			const start = Date.parse(String(query.updated_at_start));
			const matching = rows.filter((row) => Date.parse(String(row.updated_at)) >= start);
			const offset = query.cursor ? Number(query.cursor) : 0;
			const limit = Math.min(Number(query.limit ?? 100), pageSize);
			const next = offset + limit < matching.length ? String(offset + limit) : null;
			return [200, { items: matching.slice(offset, offset + limit), next_cursor: next }];
		});
	return { scope, queries };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => setSleepForTests(async () => undefined));
afterEach(() => {
	setSleepForTests();
	nock.cleanAll();
});

describe('BrexTrigger.poll (expenses)', () => {
	it('emits new expenses as SpendItems in timestamp order with the right query', async () => {
		const rows = [expense(2, START_MS + 20 * MINUTE), expense(1, START_MS + 10 * MINUTE)];
		const { queries } = serveExpenses(rows);
		const h = harness({
			parameters: pollingParams(
				{},
				{ filters: { status: ['SETTLED', 'APPROVED'], expenseType: ['CARD'] } },
			),
		});
		const output = await trigger.poll.call(h.poll);
		expect(output).not.toBeNull();
		const items = output![0];
		expect(items.map((item) => item.json.id)).toEqual(['expense_1', 'expense_2']);
		expect(items[0].json).toMatchObject({
			recordKind: 'expense',
			amount: '10.01',
			currency: 'USD',
			traceId: expect.stringMatching(/^BRXE-/),
		});
		expect(queries).toHaveLength(1);
		expect(queries[0]).toMatchObject({
			updated_at_start: START,
			limit: '100',
			load_custom_fields: 'true',
			'expand[]': EXPENSE_EXPAND,
			'status[]': ['APPROVED', 'SETTLED'],
			'expense_type[]': 'CARD',
		});
		expect(h.requests[0].headers).toMatchObject({
			Authorization: expect.stringMatching(/^Bearer /),
		});
		const state = h.staticData[POLL_STATE_KEY] as unknown as PollState;
		expect(state.highWaterMarkMs).toBe(START_MS + 20 * MINUTE);
		expect(state.crawl).toBeNull();
	});

	it('costs one call and emits nothing when nothing is new; the window is newest minus lookback', async () => {
		const rows = [expense(1, START_MS + 90 * MINUTE)];
		const { queries } = serveExpenses(rows);
		const h = harness();
		await trigger.poll.call(h.poll);
		const calls = h.requests.length;
		expect(await trigger.poll.call(h.poll)).toBeNull();
		expect(h.requests.length - calls).toBe(1);
		expect(queries[1].updated_at_start).toBe(new Date(START_MS + 30 * MINUTE).toISOString());
	});

	it('delivers a backlog exactly once across polls when maxRecordsPerPoll is smaller than it', async () => {
		const rows = Array.from({ length: 230 }, (_, i) => expense(i, START_MS + (i % 7) * MINUTE));
		serveExpenses(rows);
		const h = harness({ parameters: pollingParams({ maxRecordsPerPoll: 70 }) });
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) {
			const output = await trigger.poll.call(h.poll);
			if (output) {
				expect(output[0].length).toBeLessThanOrEqual(70);
				ids.push(...output[0].map((item) => String(item.json.id)));
			}
		}
		expect(ids).toHaveLength(230);
		expect(new Set(ids).size).toBe(230);
	});

	it('throws and keeps the stored state when Brex fails, then delivers the same records', async () => {
		const rows = [expense(1, START_MS + MINUTE), expense(2, START_MS + 2 * MINUTE)];
		serveExpenses(rows);
		const h = harness();
		await trigger.poll.call(h.poll);
		const stored = JSON.stringify(h.staticData);

		rows.push(expense(3, START_MS + 3 * MINUTE));
		nock.cleanAll();
		nock(TRIGGER_BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.times(5)
			.reply(500, { type: 'INTERNAL', message: 'down' });
		await expect(trigger.poll.call(h.poll)).rejects.toThrow(/500/);
		expect(JSON.stringify(h.staticData)).toBe(stored);

		serveExpenses(rows);
		const output = await trigger.poll.call(h.poll);
		expect(output![0].map((item) => item.json.id)).toEqual(['expense_3']);
	});

	it('emits a malformed record once as an error item and goes on with the others', async () => {
		const broken = expense(9, START_MS + 5 * MINUTE, { billing_amount: null });
		const rows = [expense(1, START_MS + MINUTE), broken];
		serveExpenses(rows);
		const h = harness();
		const output = await trigger.poll.call(h.poll);
		const items = output![0];
		expect(items).toHaveLength(2);
		expect(items[1].json).toMatchObject({
			recordId: 'expense_9',
			recordKind: 'expense',
			error: expect.stringContaining('billing_amount'),
			reason: expect.stringContaining('billing_amount'),
			raw: broken,
		});
		expect(h.logs.some((log) => log.level === 'warn' && log.message.includes('expense_9'))).toBe(
			true,
		);
		expect(await trigger.poll.call(h.poll)).toBeNull();
	});

	it('returns a small sample in a manual run without touching the stored state', async () => {
		const rows = Array.from({ length: 12 }, (_, i) => expense(i, START_MS + i * MINUTE));
		const { queries } = serveExpenses(rows);
		const staticData: IDataObject = {};
		const manual = harness({ mode: 'manual', staticData });
		const output = await trigger.poll.call(manual.poll);
		expect(output![0]).toHaveLength(5);
		expect(queries[0].limit).toBe('5');
		expect(staticData).toEqual({});

		// The production poll afterwards still sees all twelve as new.
		const production = harness({ staticData });
		const all = await trigger.poll.call(production.poll);
		expect(all![0]).toHaveLength(12);
	});

	it('returns null without calling Brex in webhook mode', async () => {
		const h = createTriggerHarness({
			parameters: { mode: 'webhook', events: ['EXPENSE_PAYMENT_UPDATED'] },
		});
		expect(await trigger.poll.call(h.poll)).toBeNull();
		expect(h.requests).toHaveLength(0);
		expect(h.staticData).toEqual({});
	});

	it('starts over when the query changes', async () => {
		const rows = [expense(1, START_MS + MINUTE)];
		serveExpenses(rows);
		const staticData: IDataObject = {};
		await trigger.poll.call(harness({ staticData }).poll);
		const again = harness({
			staticData,
			parameters: pollingParams({}, { filters: { status: ['APPROVED'] } }),
		});
		const output = await trigger.poll.call(again.poll);
		expect(output![0].map((item) => item.json.id)).toEqual(['expense_1']);
		expect(again.logs.some((log) => log.message.includes('starting from the Start Date'))).toBe(
			true,
		);
	});

	it('reads the window again from its start when Brex refuses a saved page cursor', async () => {
		const rows = Array.from({ length: 150 }, (_, i) => expense(i, START_MS + i * MINUTE));
		serveExpenses(rows);
		const h = harness({ parameters: pollingParams({ maxRecordsPerPoll: 120 }) });
		await trigger.poll.call(h.poll);
		const state = h.staticData[POLL_STATE_KEY] as unknown as PollState;
		expect(state.crawl?.pageCursor).toBe('100');

		nock.cleanAll();
		nock(TRIGGER_BASE_URL)
			.get('/v1/expenses')
			.query((q) => q.cursor === '100')
			.reply(400, { type: 'BAD_REQUEST', message: 'cursor expired' });
		serveExpenses(rows);
		const output = await trigger.poll.call(h.poll);
		expect(output![0].map((item) => item.json.id)).toEqual(
			Array.from({ length: 30 }, (_, i) => `expense_${120 + i}`),
		);
		expect(h.logs.some((log) => log.message.includes('refused the saved page cursor'))).toBe(true);
	});

	it('rejects invalid options with a clear error', async () => {
		const h = harness({ parameters: pollingParams({ maxRecordsPerPoll: 0 }) });
		await expect(trigger.poll.call(h.poll)).rejects.toThrow('Max Records per Poll');
		const bad = harness({ parameters: pollingParams({ startDate: 'not a date' }) });
		await expect(trigger.poll.call(bad.poll)).rejects.toThrow('is not a date');
	});
});

describe('BrexTrigger.poll (other resources)', () => {
	it('polls settled card transactions by posting date with at least a day of lookback', async () => {
		const txn = {
			id: 'pste_1',
			card_id: 'ncard_1',
			description: 'CHILIS',
			amount: { amount: 12900, currency: 'USD' },
			initiated_at_date: '2026-07-02',
			posted_at_date: '2026-07-03',
			type: 'PURCHASE',
		};
		const queries: IDataObject[] = [];
		nock(TRIGGER_BASE_URL)
			.persist()
			.get('/v2/transactions/card/primary')
			.query((q) => {
				queries.push(q);
				return true;
			})
			.reply(200, { items: [txn], next_cursor: null });
		const h = harness({
			parameters: pollingParams({ lookbackMinutes: 5 }, { resource: 'cardTransaction' }),
		});
		const first = await trigger.poll.call(h.poll);
		expect(first![0][0].json).toMatchObject({
			id: 'pste_1',
			recordKind: 'cardTransaction',
			amount: '129.00',
		});
		expect(queries[0]).toMatchObject({ posted_at_start: START, limit: '100' });
		// expense_id links the transaction to its expense (one entry per purchase); Brex fills it only when asked.
		expect(queries[0]['expand[]']).toBe('expense_id');
		expect(await trigger.poll.call(h.poll)).toBeNull();
		expect(queries[1].posted_at_start).toBe('2026-07-02T00:00:00.000Z');
	});

	it('polls accounting records ready for export with the updated-at filter', async () => {
		const record = {
			id: 'accr_1',
			amount: { amount: 100.5, currency: 'USD' },
			type: 'CARD_EXPENSE_POST',
			review_status: 'READY_FOR_EXPORT',
			source_id: 'expense_1',
			source_type: 'CARD',
			erp_posting_date: '2026-07-02T10:00:00Z',
			posted_at: '2026-07-02T10:00:00Z',
			updated_at: '2026-07-02T11:00:00Z',
			version: 1,
			line_items: [],
		};
		const queries: IDataObject[] = [];
		nock(TRIGGER_BASE_URL)
			.get('/v3/accounting/records')
			.query((q) => {
				queries.push(q);
				return true;
			})
			.reply(200, { items: [record], next_cursor: 'more', has_next_page: false, total_count: 1 });
		const h = harness({ parameters: pollingParams({}, { resource: 'accountingRecord' }) });
		const output = await trigger.poll.call(h.poll);
		expect(output![0][0].json.id).toBe('accr_1');
		expect(queries[0]).toMatchObject({
			review_status: 'READY_FOR_EXPORT',
			'updated_at[gte]': START,
		});
		expect(h.requests).toHaveLength(1);
	});
});
