import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Brex } from '../../nodes/Brex/Brex.node';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { EXPENSE_EXPAND } from '../../nodes/brexApi/spendItem';
import { spendTraceId } from '../../nodes/common/traceId';
import {
	BASE_URL,
	OAUTH_ACCESS_TOKEN,
	createHarness,
	recordingSleep,
	type HarnessOptions,
} from '../support/brexClientHarness';

const node = new Brex();

function expense(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		id,
		updated_at: '2026-07-02T10:00:00Z',
		purchased_at: '2026-07-01T12:00:00Z',
		payment_posted_at: '2026-07-02T08:00:00Z',
		billing_amount: { amount: 1234, currency: 'USD' },
		original_amount: { amount: 1234, currency: 'USD' },
		merchant: { raw_descriptor: 'ACME SUPPLIES', mcc: '5111', country: 'USA' },
		department_id: 'dept_eng',
		department: { id: 'dept_eng', name: 'Engineering' },
		status: 'APPROVED',
		payment_status: 'CLEARED',
		expense_type: 'CARD',
		memo: 'Paper',
		...overrides,
	};
}

function transaction(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		id,
		card_id: 'ncard_1',
		description: 'ACME',
		amount: { amount: 2500, currency: 'USD' },
		initiated_at_date: '2026-07-01',
		posted_at_date: '2026-07-02',
		type: 'PURCHASE',
		...overrides,
	};
}

function record(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		id,
		amount: { amount: 42.5, currency: 'EUR' },
		type: 'CARD_EXPENSE_POST',
		review_status: 'READY_FOR_EXPORT',
		source_type: 'CARD',
		source_id: 'expense_1',
		erp_posting_date: '2026-07-03T00:00:00Z',
		posted_at: '2026-07-02T00:00:00Z',
		updated_at: '2026-07-03T09:00:00Z',
		version: 1,
		line_items: [],
		...overrides,
	};
}

async function run(
	options: HarnessOptions,
): Promise<{ output: INodeExecutionData[]; requests: number }> {
	const harness = createHarness(options);
	const [output] = await node.execute.call(harness.ctx);
	return { output, requests: harness.requests.length };
}

async function runFailing(options: HarnessOptions): Promise<NodeApiError | NodeOperationError> {
	const harness = createHarness(options);
	try {
		await node.execute.call(harness.ctx);
	} catch (error) {
		return error as NodeApiError | NodeOperationError;
	}
	throw new Error('expected the node to fail');
}

/** nock 15 hands reply callbacks a fetch Request. */
function queryOf(request: unknown): URLSearchParams {
	return new URL(String((request as Request).url)).searchParams;
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
	nock.enableNetConnect();
	// nock patches Node's shared http/fetch: without restore, this file's interceptor would answer the requests
	// of the next test file run in the same worker.
	nock.restore();
});
beforeEach(() => setSleepForTests(recordingSleep().sleep));
afterEach(() => {
	setSleepForTests();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

describe('Brex node description', () => {
	it('is a usable-as-tool node with both credentials chosen by authentication', () => {
		const { description } = node;
		expect(description.name).toBe('brex');
		expect(description.usableAsTool).toBe(true);
		expect(description.subtitle).toContain('$parameter["operation"]');
		expect(description.icon).toEqual({ light: 'file:brex.svg', dark: 'file:brex.dark.svg' });
		expect(
			description.credentials?.map((c) => [c.name, c.displayOptions?.show?.authentication]),
		).toEqual([
			['brexApi', ['accessToken']],
			['brexOAuth2Api', ['oAuth2']],
		]);
		const operations = description.properties
			.filter((p) => p.name === 'operation')
			.map((p) => [
				p.displayOptions?.show?.resource,
				(p.options ?? []).map((o) => (o as { value: string }).value),
			]);
		expect(operations).toEqual([
			[['expense'], ['get', 'getAll']],
			[['cardTransaction'], ['get', 'getAll']],
			[['accountingRecord'], ['get', 'getAll', 'reportExportResult']],
			[['field'], ['create', 'disable', 'get', 'getAll', 'update']],
			[['fieldValue'], ['createMany', 'disableMany', 'getAll', 'syncFromList', 'updateMany']],
		]);
	});
});

describe('expense', () => {
	it('get: reads one expanded expense and outputs its spend item, paired with the input item', async () => {
		nock(BASE_URL)
			.get('/v1/expenses/expense_a%2Fb')
			.query((q) => {
				expect(q).toEqual({ 'expand[]': EXPENSE_EXPAND, load_custom_fields: 'true' });
				return true;
			})
			.reply(200, expense('expense_a/b'));
		const { output } = await run({
			parameters: { resource: 'expense', operation: 'get', expenseId: ' expense_a/b ' },
		});
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({
			id: 'expense_a/b',
			recordKind: 'expense',
			traceId: spendTraceId('expense', 'expense_a/b'),
			amount: '12.34',
			currency: 'USD',
			accountingDate: '2026-07-02',
			vendorName: 'ACME SUPPLIES',
			department: { id: 'dept_eng', name: 'Engineering' },
		});
		expect(output[0].json.raw).toMatchObject({ id: 'expense_a/b' });
	});

	it('get: leaves raw out when asked, and skips custom fields when asked', async () => {
		nock(BASE_URL)
			.get('/v1/expenses/e1')
			.query({ 'expand[]': EXPENSE_EXPAND, load_custom_fields: 'false' })
			.reply(200, expense('e1'));
		const { output } = await run({
			parameters: {
				resource: 'expense',
				operation: 'get',
				expenseId: 'e1',
				options: { includeRaw: false, loadCustomFields: false },
			},
		});
		expect(output[0].json).not.toHaveProperty('raw');
		expect(output[0].json.id).toBe('e1');
	});

	it('getAll: date range on purchase date, filters, limit across pages', async () => {
		const queries: URLSearchParams[] = [];
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.times(2)
			.reply(200, (request: unknown) => {
				const q = queryOf(request);
				queries.push(q);
				return q.get('cursor') === null
					? { items: [expense('e1'), expense('e2')], next_cursor: 'c2' }
					: { items: [expense('e3'), expense('e4')], next_cursor: 'c3' };
			});
		const { output } = await run({
			parameters: {
				resource: 'expense',
				operation: 'getAll',
				dateField: 'purchased',
				startDate: '2026-07-01',
				endDate: '2026-07-31T18:00:00',
				returnAll: false,
				limit: 3,
				filters: {
					statuses: ['APPROVED', 'SETTLED'],
					paymentStatuses: ['CLEARED'],
					expenseTypes: ['CARD'],
					userIds: 'cuuser_1, cuuser_2',
				},
			},
		});
		expect(output.map((o) => o.json.id)).toEqual(['e1', 'e2', 'e3']);
		expect(output.every((o) => JSON.stringify(o.pairedItem) === '{"item":0}')).toBe(true);
		const first = queries[0];
		expect(first.get('purchased_at_start')).toBe('2026-07-01T00:00:00.000Z');
		expect(first.get('purchased_at_end')).toBe('2026-07-31T18:00:00.000Z');
		expect(first.getAll('status[]')).toEqual(['APPROVED', 'SETTLED']);
		expect(first.getAll('payment_status[]')).toEqual(['CLEARED']);
		expect(first.getAll('expense_type[]')).toEqual(['CARD']);
		expect(first.getAll('user_id[]')).toEqual(['cuuser_1', 'cuuser_2']);
		expect(first.getAll('expand[]')).toEqual(EXPENSE_EXPAND);
		expect(first.get('limit')).toBe('3');
		expect(queries[1].get('limit')).toBe('1');
		expect(queries[1].get('cursor')).toBe('c2');
	});

	it('getAll: return all pages on the update date', async () => {
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(
				(q) =>
					q.updated_at_start === '2026-07-01T00:00:00.000Z' &&
					q.cursor === undefined &&
					q.limit === '100',
			)
			.reply(200, { items: [expense('e1')], next_cursor: 'c2' })
			.get('/v1/expenses')
			.query((q) => q.cursor === 'c2')
			.reply(200, { items: [expense('e2')], next_cursor: null });
		const { output } = await run({
			parameters: {
				resource: 'expense',
				operation: 'getAll',
				dateField: 'updated',
				startDate: '2026-07-01',
				returnAll: true,
			},
		});
		expect(output.map((o) => o.json.id)).toEqual(['e1', 'e2']);
	});

	/** List expenses purchased 1–28 July (four slices of exactly one week). */
	const JULY_1_TO_28 = {
		resource: 'expense',
		operation: 'getAll',
		dateField: 'purchased',
		startDate: '2026-07-01',
		endDate: '2026-07-28',
	};

	it('getAll: return all over a date range reads four date slices side by side, in slice order, without repeats', async () => {
		const asked: Array<{ start: string; end: string; cursor: string | null }> = [];
		let inFlight = 0;
		let mostInFlight = 0;
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.times(5)
			.reply(200, async (request: unknown) => {
				const q = queryOf(request);
				const start = q.get('purchased_at_start')!;
				asked.push({ start, end: q.get('purchased_at_end')!, cursor: q.get('cursor') });
				inFlight++;
				mostInFlight = Math.max(mostInFlight, inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				const day = start.slice(8, 10);
				// Slice 2 has two pages; slice 3 repeats an expense of slice 2 (it moved while being read).
				if (day === '08' && q.get('cursor') === null)
					return { items: [expense('e2a')], next_cursor: 'more' };
				if (day === '08') return { items: [expense('e2b')], next_cursor: null };
				if (day === '15') return { items: [expense('e2b'), expense('e3')], next_cursor: null };
				return { items: [expense(`e-${day}`)], next_cursor: null };
			});
		const { output } = await run({ parameters: { ...JULY_1_TO_28, returnAll: true } });
		expect(output.map((o) => o.json.id)).toEqual(['e-01', 'e2a', 'e2b', 'e3', 'e-22']);
		const firstPages = asked.filter((a) => a.cursor === null);
		expect(firstPages.map((a) => [a.start, a.end]).sort()).toEqual([
			['2026-07-01T00:00:00.000Z', '2026-07-07T23:59:59.999Z'],
			['2026-07-08T00:00:00.000Z', '2026-07-14T23:59:59.999Z'],
			['2026-07-15T00:00:00.000Z', '2026-07-21T23:59:59.999Z'],
			['2026-07-22T00:00:00.000Z', '2026-07-28T23:59:59.999Z'],
		]);
		expect(mostInFlight).toBeGreaterThan(1);
	});

	it('getAll: one slice reads page after page; a limit keeps one list in Brex order', async () => {
		for (const parameters of [
			{ returnAll: true, options: { dateSlices: 1 } },
			{ returnAll: false, limit: 5 },
		]) {
			const scope = nock(BASE_URL)
				.get('/v1/expenses')
				.query(
					(q) =>
						q.purchased_at_start === '2026-07-01T00:00:00.000Z' &&
						q.purchased_at_end === '2026-07-28T23:59:59.999Z',
				)
				.reply(200, { items: [expense('e1'), expense('e2')], next_cursor: null });
			const { output } = await run({ parameters: { ...JULY_1_TO_28, ...parameters } });
			expect(output.map((o) => o.json.id)).toEqual(['e1', 'e2']);
			scope.done();
		}
	});

	it('getAll: an invalid record stops the node by default, naming the record and the reason', async () => {
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.reply(200, {
				items: [expense('e1'), expense('e2', { billing_amount: { amount: 0, currency: 'USD' } })],
				next_cursor: null,
			});
		const error = await runFailing({
			parameters: { resource: 'expense', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('Brex expense e2 cannot be used for the ledger');
		expect(error.message).toContain('is zero');
		expect(error.context.itemIndex).toBe(0);
	});

	it.each([
		['skip', ['e1', 'e3'], 0],
		['output', ['e1', 'e2', 'e3'], 1],
	])('getAll: onInvalidRecord %s', async (handling, ids, errorItems) => {
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.reply(200, {
				items: [
					expense('e1'),
					expense('e2', { billing_amount: { amount: 5, currency: 'ZZZ' } }),
					expense('e3'),
				],
				next_cursor: null,
			});
		const { output } = await run({
			parameters: {
				resource: 'expense',
				operation: 'getAll',
				returnAll: true,
				options: { onInvalidRecord: handling },
			},
		});
		expect(output.map((o) => o.json.id ?? o.json.recordId)).toEqual(ids);
		const failed = output.filter((o) => o.json.error);
		expect(failed).toHaveLength(errorItems);
		if (errorItems) {
			expect(failed[0].json).toMatchObject({
				recordId: 'e2',
				recordKind: 'expense',
				raw: { id: 'e2' },
			});
			expect(String(failed[0].json.reason)).toContain('"ZZZ" is not a known ISO 4217');
			expect(failed[0].pairedItem).toEqual({ item: 0 });
		}
	});

	it('uses the OAuth2 credential when authentication is oAuth2', async () => {
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_ACCESS_TOKEN}` } })
			.get('/v1/expenses/e9')
			.query(true)
			.reply(200, expense('e9'));
		const { output } = await run({
			credentialType: 'brexOAuth2Api',
			parameters: {
				authentication: 'oAuth2',
				resource: 'expense',
				operation: 'get',
				expenseId: 'e9',
			},
		});
		expect(output[0].json.id).toBe('e9');
	});
});

describe('per-item behaviour', () => {
	const items: INodeExecutionData[] = [
		{ json: { id: 'e1' } },
		{ json: { id: 'missing' } },
		{ json: { id: 'e3' } },
	];
	const parameters = (itemIndex: number): IDataObject => ({
		resource: 'expense',
		operation: 'get',
		expenseId: String(items[itemIndex].json.id),
	});

	function mockThree(): void {
		nock(BASE_URL)
			.get('/v1/expenses/e1')
			.query(true)
			.reply(200, expense('e1'))
			.get('/v1/expenses/missing')
			.query(true)
			.reply(404, { type: 'NOT_FOUND', message: 'Not Found' }, { 'X-Brex-Trace-Id': 'trace-404' })
			.get('/v1/expenses/e3')
			.query(true)
			.reply(200, expense('e3'));
	}

	it('continueOnFail: the failing item becomes an error item paired with its input, the others go on', async () => {
		mockThree();
		const { output } = await run({ items, parameters, continueOnFail: true });
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.id).toBe('e1');
		expect(output[2].json.id).toBe('e3');
		expect(output[1].error).toBeInstanceOf(NodeApiError);
		expect(String(output[1].json.error)).toContain('404 NOT_FOUND');
		expect(String(output[1].json.description)).toContain('trace-404');
	});

	it('without continueOnFail: stops at the failing item with its index', async () => {
		nock(BASE_URL)
			.get('/v1/expenses/e1')
			.query(true)
			.reply(200, expense('e1'))
			.get('/v1/expenses/missing')
			.query(true)
			.reply(404, { type: 'NOT_FOUND', message: 'Not Found' });
		const error = await runFailing({ items, parameters });
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(1);
	});

	it('an empty id is a validation error for that item', async () => {
		const error = await runFailing({
			parameters: { resource: 'expense', operation: 'get', expenseId: '  ' },
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Expense ID is empty');
		expect(error.context.itemIndex).toBe(0);
	});

	it('a date that is not a date is a validation error', async () => {
		const error = await runFailing({
			parameters: {
				resource: 'expense',
				operation: 'getAll',
				startDate: 'next tuesday',
				returnAll: true,
			},
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('Start Date "next tuesday" is not a date');
	});
});

describe('cardTransaction', () => {
	it('get: pages through transactions posted since the date until it finds the id', async () => {
		const seen: Array<string | null> = [];
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.query(true)
			.times(2)
			.reply(200, (request: unknown) => {
				const q = queryOf(request);
				expect(q.get('posted_at_start')).toBe('2026-07-01T00:00:00.000Z');
				// Without it Brex leaves expense_id null and the transaction cannot share its expense's trace id.
				expect(q.getAll('expand[]')).toEqual(['expense_id']);
				seen.push(q.get('cursor'));
				return q.get('cursor') === null
					? { items: [transaction('pste_1'), transaction('pste_2')], next_cursor: 'c2' }
					: {
							items: [
								transaction('pste_3', {
									type: 'REFUND',
									amount: { amount: -900, currency: 'USD' },
								}),
							],
							next_cursor: 'c3',
						};
			});
		const { output } = await run({
			parameters: {
				resource: 'cardTransaction',
				operation: 'get',
				transactionId: 'pste_3',
				postedAfter: '2026-07-01',
			},
		});
		expect(seen).toEqual([null, 'c2']);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({
			id: 'pste_3',
			amount: '-9.00',
			isRefund: true,
			recordKind: 'cardTransaction',
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('get: not found after all pages is an item error (continueOnFail keeps it paired)', async () => {
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.query(true)
			.reply(200, { items: [transaction('pste_1')], next_cursor: null });
		const { output } = await run({
			continueOnFail: true,
			parameters: { resource: 'cardTransaction', operation: 'get', transactionId: 'pste_x' },
		});
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].error).toBeInstanceOf(NodeOperationError);
		expect(String(output[0].json.error)).toBe(
			'Card transaction pste_x was not found among 1 settled transactions in the whole history',
		);
	});

	it('get: stops at the scan limit and says so', async () => {
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.query((q) => q.limit === '2')
			.reply(200, { items: [transaction('pste_1'), transaction('pste_2')], next_cursor: 'c2' });
		const error = await runFailing({
			parameters: {
				resource: 'cardTransaction',
				operation: 'get',
				transactionId: 'pste_9',
				options: { maxScan: 2 },
			},
		});
		expect(error.message).toContain('not found among 2');
		expect(error.description).toContain('scan limit was reached');
	});

	it('getAll: keeps the chosen types, drops those after the end date, sends user_ids repeated', async () => {
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.query((q) => {
				expect(q.user_ids).toEqual(['cuuser_1', 'cuuser_2']);
				expect(q.posted_at_start).toBe('2026-07-01T00:00:00.000Z');
				return true;
			})
			.reply(200, {
				items: [
					transaction('pste_1'),
					transaction('pste_pay', {
						type: 'COLLECTION',
						amount: { amount: -63600, currency: 'USD' },
						card_id: null,
					}),
					transaction('pste_late', { posted_at_date: '2026-08-01' }),
					transaction('pste_2', { type: 'REFUND', amount: { amount: -100, currency: 'USD' } }),
				],
				next_cursor: null,
			});
		const { output } = await run({
			parameters: {
				resource: 'cardTransaction',
				operation: 'getAll',
				startDate: '2026-07-01',
				endDate: '2026-07-31',
				transactionTypes: ['PURCHASE', 'REFUND'],
				returnAll: true,
				filters: { userIds: 'cuuser_1,cuuser_2' },
			},
		});
		expect(output.map((o) => [o.json.id, o.json.amount])).toEqual([
			['pste_1', '25.00'],
			['pste_2', '-1.00'],
		]);
	});
});

describe('accountingRecord', () => {
	it('get: reads one record (decimal major units)', async () => {
		nock(BASE_URL).get('/v3/accounting/records/accr_1').reply(200, record('accr_1'));
		const { output } = await run({
			parameters: {
				resource: 'accountingRecord',
				operation: 'get',
				recordId: 'accr_1',
				options: { includeRaw: false },
			},
		});
		expect(output[0].json).toMatchObject({
			id: 'accr_1',
			amount: '42.50',
			currency: 'EUR',
			status: 'READY_FOR_EXPORT',
		});
		expect(output[0].json).not.toHaveProperty('raw');
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('get: a record that is not spend is an item error', async () => {
		nock(BASE_URL)
			.get('/v3/accounting/records/accr_p')
			.reply(200, record('accr_p', { type: 'CARD_PAYMENT' }));
		const error = await runFailing({
			parameters: { resource: 'accountingRecord', operation: 'get', recordId: 'accr_p' },
		});
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain('CARD_PAYMENT is not spend');
	});

	it('getAll: review status and update range go to Brex, and the range is also applied here', async () => {
		nock(BASE_URL)
			.get('/v3/accounting/records')
			.query((q) => {
				expect(q).toMatchObject({
					review_status: 'READY_FOR_EXPORT',
					source_type: 'CARD',
					'updated_at[gte]': '2026-07-01T00:00:00.000Z',
					'updated_at[lte]': '2026-07-31T23:59:59.999Z',
					limit: '100',
				});
				return true;
			})
			.reply(200, {
				items: [
					record('accr_1'),
					record('accr_old', { updated_at: '2026-06-01T00:00:00Z' }),
					record('accr_2'),
				],
				next_cursor: 'c2',
				has_next_page: true,
			})
			.get('/v3/accounting/records')
			.query((q) => q.cursor === 'c2')
			.reply(200, { items: [record('accr_3')], next_cursor: null, has_next_page: false });
		const { output } = await run({
			parameters: {
				resource: 'accountingRecord',
				operation: 'getAll',
				reviewStatus: 'READY_FOR_EXPORT',
				startDate: '2026-07-01',
				endDate: '2026-07-31',
				filters: { sourceType: 'CARD' },
				returnAll: false,
				limit: 3,
			},
		});
		expect(output.map((o) => o.json.id)).toEqual(['accr_1', 'accr_2', 'accr_3']);
	});

	describe('reportExportResult', () => {
		it('success: posts the X3 reference and returns the updated ids', async () => {
			nock(BASE_URL)
				.post('/v3/accounting/records/export-results', {
					results: [
						{
							accounting_record_id: 'accr_1',
							success: {
								reference_id: 'JE-2026-000123',
								deep_link_url: 'https://x3.example/je/123',
							},
						},
					],
				})
				.matchHeader('idempotency-key', /^[0-9a-f-]{36}$/)
				.reply(200, { updated_accounting_record_ids: ['accr_1'] });
			const { output } = await run({
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_1',
					outcome: 'success',
					referenceId: 'JE-2026-000123',
					deepLinkUrl: 'https://x3.example/je/123',
				},
			});
			expect(output).toEqual([
				{
					json: {
						accountingRecordId: 'accr_1',
						outcome: 'success',
						referenceId: 'JE-2026-000123',
						reported: true,
						alreadyExported: false,
						updatedAccountingRecordIds: ['accr_1'],
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('failure: posts the error message', async () => {
			nock(BASE_URL)
				.post('/v3/accounting/records/export-results', {
					results: [
						{
							accounting_record_id: 'accr_2',
							failure: { error_message: 'Invalid GL account 999999' },
						},
					],
				})
				.reply(200, { updated_accounting_record_ids: ['accr_2'] });
			const { output } = await run({
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_2',
					outcome: 'failure',
					errorMessage: 'Invalid GL account 999999',
				},
			});
			expect(output[0].json).toMatchObject({
				outcome: 'failure',
				reported: true,
				referenceId: null,
			});
		});

		it('already exported: a 422 for a record Brex shows as EXPORTED is done, with a flag', async () => {
			nock(BASE_URL)
				.post('/v3/accounting/records/export-results')
				.reply(422, {
					error_code: 'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT',
					message: 'Not ready',
					details: { not_ready_for_export_accounting_record_ids: ['accr_1'] },
				})
				.get('/v3/accounting/records/accr_1')
				.reply(200, record('accr_1', { review_status: 'EXPORTED' }));
			const { output } = await run({
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_1',
					outcome: 'success',
					referenceId: 'JE-1',
				},
			});
			expect(output[0].json).toMatchObject({
				reported: false,
				alreadyExported: true,
				referenceId: 'JE-1',
			});
			expect(output[0].pairedItem).toEqual({ item: 0 });
		});

		it('not ready (still in review) is an error naming the review status', async () => {
			nock(BASE_URL)
				// Without a deep link the non-nullable deep_link_url is sent empty.
				.post('/v3/accounting/records/export-results', {
					results: [
						{ accounting_record_id: 'accr_r', success: { reference_id: null, deep_link_url: '' } },
					],
				})
				.reply(422, { error_code: 'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT', message: 'Not ready' })
				.get('/v3/accounting/records/accr_r')
				.reply(200, record('accr_r', { review_status: 'REVIEW' }));
			const error = await runFailing({
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_r',
					outcome: 'success',
				},
			});
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Accounting record accr_r is not ready for export in Brex (review status REVIEW)',
			);
		});

		it('other errors pass through; continueOnFail pairs them', async () => {
			nock(BASE_URL)
				.post('/v3/accounting/records/export-results')
				.reply(404, {
					error_code: 'NOT_FOUND',
					message: 'Records not found',
					details: { not_found_export_entry_source_ids: ['accr_x'] },
				});
			const { output } = await run({
				continueOnFail: true,
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_x',
					outcome: 'success',
				},
			});
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].error).toBeInstanceOf(NodeApiError);
			expect(String(output[0].json.error)).toContain('404 NOT_FOUND: Records not found');
		});

		it('a failure without message is refused before calling Brex', async () => {
			const error = await runFailing({
				parameters: {
					resource: 'accountingRecord',
					operation: 'reportExportResult',
					recordId: 'accr_1',
					outcome: 'failure',
					errorMessage: ' ',
				},
			});
			expect(error.message).toBe('Error Message is empty');
		});
	});
});
