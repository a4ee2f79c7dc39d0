import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	BrexApiError,
	brexItems,
	brexPages,
	brexRequest,
	setSleepForTests,
	type BrexClientOptions,
} from '../../nodes/brexApi/client';
import {
	BASE_URL,
	OAUTH_ACCESS_TOKEN,
	TEST_TOKEN,
	createHarness,
	recordingSleep,
} from '../support/brexClientHarness';

const API: BrexClientOptions = { credentialType: 'brexApi' };
const FAST: BrexClientOptions = {
	credentialType: 'brexApi',
	retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000 },
};

let recorder: ReturnType<typeof recordingSleep>;

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
	nock.enableNetConnect();
	// nock patches Node's shared http/fetch: without restore, this file's interceptor would answer the requests
	// of the next test file run in the same worker.
	nock.restore();
});
beforeEach(() => {
	recorder = recordingSleep();
	setSleepForTests(recorder.sleep);
});
afterEach(() => {
	setSleepForTests();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

/** nock 15 needs an Error instance to fail the socket (a plain object leaves the request hanging). */
function netError(code: string, message: string): Error {
	return Object.assign(new Error(message), { code });
}

/** nock 15 hands reply callbacks a fetch Request (or a path string in older versions). */
function cursorOf(uri: unknown): string | null {
	const url = typeof uri === 'string' ? uri : String((uri as { url: string }).url);
	return new URL(url, BASE_URL).searchParams.get('cursor');
}

async function collect<T>(iterator: AsyncGenerator<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const value of iterator) out.push(value);
	return out;
}

async function caught(promise: Promise<unknown>): Promise<BrexApiError> {
	try {
		await promise;
	} catch (error) {
		return error as BrexApiError;
	}
	throw new Error('expected the call to fail');
}

describe('brexRequest', () => {
	it('sends the bearer token, JSON accept header and repeated bracket query keys to the credential base URL', async () => {
		const { ctx } = createHarness();
		const scope = nock(BASE_URL, { reqheaders: { authorization: `Bearer ${TEST_TOKEN}` } })
			.get('/v1/expenses')
			.query((q) => {
				expect(q).toEqual({ 'status[]': ['APPROVED', 'SETTLED'], load_custom_fields: 'true' });
				return true;
			})
			.reply(200, { items: [], next_cursor: null });
		const body = await brexRequest(ctx, API, {
			method: 'GET',
			path: '/v1/expenses',
			qs: {
				'status[]': ['APPROVED', 'SETTLED'],
				load_custom_fields: true,
				empty: '',
				none: undefined,
			},
		});
		expect(body).toEqual({ items: [], next_cursor: null });
		scope.done();
	});

	it('trims a trailing slash of the base URL and falls back to api.brex.com when it is empty', async () => {
		const trailing = createHarness({
			credentials: { accessToken: TEST_TOKEN, baseUrl: `${BASE_URL}/` },
		});
		nock(BASE_URL).get('/v2/users/me').reply(200, { id: 'cuuser_1' });
		await expect(
			brexRequest(trailing.ctx, API, { method: 'GET', path: '/v2/users/me' }),
		).resolves.toEqual({
			id: 'cuuser_1',
		});
		const empty = createHarness({ credentials: { accessToken: TEST_TOKEN, baseUrl: '' } });
		nock('https://api.brex.com').get('/v2/users/me').reply(200, { id: 'cuuser_2' });
		await expect(
			brexRequest(empty.ctx, API, { method: 'GET', path: '/v2/users/me' }),
		).resolves.toEqual({
			id: 'cuuser_2',
		});
	});

	it('honours Retry-After on 429 and then succeeds', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v1/expenses/expense_1')
			.reply(429, { type: 'TOO_MANY_REQUESTS', message: 'slow down' }, { 'Retry-After': '3' })
			.get('/v1/expenses/expense_1')
			.reply(429, '', { 'Retry-After': '7' })
			.get('/v1/expenses/expense_1')
			.reply(200, { id: 'expense_1' });
		const body = await brexRequest(ctx, FAST, { method: 'GET', path: '/v1/expenses/expense_1' });
		expect(body).toEqual({ id: 'expense_1' });
		expect(recorder.waits).toEqual([3000, 7000]);
	});

	it('caps a huge Retry-After at maxRetryAfterMs', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL).get('/x').reply(429, {}, { 'Retry-After': '3600' }).get('/x').reply(200, {});
		await brexRequest(
			ctx,
			{ credentialType: 'brexApi', retry: { maxRetryAfterMs: 5000 } },
			{ method: 'GET', path: '/x' },
		);
		expect(recorder.waits).toEqual([5000]);
	});

	it('retries 503 with exponential backoff within the policy bounds, then succeeds', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.reply(503, 'upstream unavailable')
			.get('/v2/transactions/card/primary')
			.reply(502, { type: 'BAD_GATEWAY', message: 'x' })
			.get('/v2/transactions/card/primary')
			.reply(200, { items: [], next_cursor: null });
		await brexRequest(ctx, FAST, { method: 'GET', path: '/v2/transactions/card/primary' });
		expect(recorder.waits).toHaveLength(2);
		// retry 1: 100ms * jitter 0.5..1 floored at 100; retry 2: 200ms * 0.5..1 floored at 100
		expect(recorder.waits[0]).toBe(100);
		expect(recorder.waits[1]).toBeGreaterThanOrEqual(100);
		expect(recorder.waits[1]).toBeLessThanOrEqual(200);
	});

	it('retries a network error (ECONNRESET) and then succeeds', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v1/expenses/expense_2')
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.get('/v1/expenses/expense_2')
			.reply(200, { id: 'expense_2' });
		await expect(
			brexRequest(ctx, FAST, { method: 'GET', path: '/v1/expenses/expense_2' }),
		).resolves.toEqual({ id: 'expense_2' });
		expect(recorder.waits).toHaveLength(1);
	});

	it('does not retry a non-network failure without a response (e.g. DNS ENOTFOUND)', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/x')
			.replyWithError(netError('ENOTFOUND', 'getaddrinfo ENOTFOUND brex.test'));
		const error = await caught(brexRequest(ctx, FAST, { method: 'GET', path: '/x' }));
		expect(error).toBeInstanceOf(BrexApiError);
		expect(error.brex.code).toBe('ENOTFOUND');
		expect(error.message).toContain('Could not reach Brex for GET /x');
		expect(recorder.waits).toEqual([]);
	});

	it('does not retry a 400 and reports type, message, status and trace id', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.reply(
				400,
				{ type: 'BAD_REQUEST', message: 'limit must be at most 100' },
				{ 'X-Brex-Trace-Id': 'trace-abc-123' },
			);
		const error = await caught(
			brexRequest(ctx, FAST, { method: 'GET', path: '/v1/expenses', qs: { limit: 1000 } }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe(
			'Brex GET /v1/expenses failed with 400 BAD_REQUEST: limit must be at most 100',
		);
		expect(error.description).toContain('X-Brex-Trace-Id: trace-abc-123');
		expect(error.brex).toMatchObject({
			status: 400,
			type: 'BAD_REQUEST',
			traceId: 'trace-abc-123',
			attempts: 1,
		});
		expect(recorder.waits).toEqual([]);
	});

	it('bounds the attempts and says how many were made', async () => {
		const { ctx } = createHarness();
		const scope = nock(BASE_URL)
			.get('/x')
			.times(4)
			.reply(500, { type: 'INTERNAL', message: 'boom' });
		const error = await caught(brexRequest(ctx, FAST, { method: 'GET', path: '/x' }));
		scope.done();
		expect(error.httpCode).toBe('500');
		expect(error.message).toContain('gave up after 4 attempts');
		expect(error.brex.attempts).toBe(4);
		expect(recorder.waits).toHaveLength(3);
	});

	it('a single attempt policy never sleeps', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL).get('/x').reply(503, {});
		await caught(
			brexRequest(
				ctx,
				{ credentialType: 'brexApi', retry: { maxAttempts: 1 } },
				{ method: 'GET', path: '/x' },
			),
		);
		expect(recorder.waits).toEqual([]);
	});

	it('keeps the same Idempotency-Key on every retry of one POST and uses new keys for other calls', async () => {
		const harness = createHarness();
		const received: string[] = [];
		const path = '/v3/accounting/records/export-results';
		// nock 15 passes the fetch Request as the first argument of a reply callback.
		const answer = (status: number, body: IDataObject) => (request: unknown) => {
			received.push(String((request as Request).headers.get('idempotency-key')));
			return [status, body] as [number, IDataObject];
		};
		nock(BASE_URL)
			.post(path)
			.reply(answer(503, {}))
			.post(path)
			.replyWithError(netError('ECONNRESET', 'reset'))
			.post(path)
			.reply(answer(200, { updated_accounting_record_ids: ['accr_1'] }))
			.post(path)
			.reply(answer(200, { updated_accounting_record_ids: ['accr_2'] }));
		await brexRequest(harness.ctx, FAST, { method: 'POST', path, body: { results: [] } });
		await brexRequest(harness.ctx, FAST, { method: 'POST', path, body: { results: [] } });
		const sent = harness.requests.map((r) => (r.headers as IDataObject)['Idempotency-Key']);
		expect(sent).toHaveLength(4);
		expect(sent[0]).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(sent.slice(0, 3)).toEqual([sent[0], sent[0], sent[0]]);
		expect(sent[3]).not.toBe(sent[0]);
		// what reached the server (the ECONNRESET attempt never did) matches what was sent
		expect(received).toEqual([sent[0], sent[0], sent[3]]);
	});

	it("uses the caller's Idempotency-Key and sends none on GET", async () => {
		const harness = createHarness();
		nock(BASE_URL, { reqheaders: { 'idempotency-key': 'caller-key-1' } })
			.put('/v1/vendors/pdcont_1')
			.reply(200, { id: 'pdcont_1' });
		await brexRequest(harness.ctx, API, {
			method: 'PUT',
			path: '/v1/vendors/pdcont_1',
			body: { company_name: 'Acme' },
			idempotencyKey: 'caller-key-1',
		});
		nock(BASE_URL, { badheaders: ['idempotency-key'] })
			.get('/v1/vendors/pdcont_1')
			.reply(200, {});
		await brexRequest(harness.ctx, API, { method: 'GET', path: '/v1/vendors/pdcont_1' });
	});

	it('explains a 401 (invalid or revoked token) without leaking the token', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v2/users/me')
			.reply(
				401,
				{ type: 'UNAUTHORIZED', message: 'PERMISSION_DENIED: Invalid or Revoked Token' },
				{ 'X-Brex-Trace-Id': 't-401' },
			);
		const error = await caught(brexRequest(ctx, FAST, { method: 'GET', path: '/v2/users/me' }));
		expect(error.httpCode).toBe('401');
		expect(error.message).toContain('UNAUTHORIZED');
		expect(error.message).toContain('Invalid or Revoked Token');
		expect(error.description).toContain('Developer → Settings');
		expect(error.description).toContain('t-401');
		const everything = JSON.stringify({
			m: error.message,
			d: error.description,
			b: error.brex,
			e: error,
		});
		expect(everything).not.toContain(TEST_TOKEN);
		expect(recorder.waits).toEqual([]);
	});

	it('redacts a token that an error body echoes back', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/x')
			.reply(400, {
				type: 'BAD_REQUEST',
				message: `Bad header Authorization: Bearer ${TEST_TOKEN} in request`,
				details: { echoed: `token=${TEST_TOKEN}` },
			});
		const error = await caught(brexRequest(ctx, API, { method: 'GET', path: '/x' }));
		expect(error.message).toContain('Bearer [redacted]');
		const everything = JSON.stringify({
			m: error.message,
			d: error.description,
			b: error.brex,
			e: error,
		});
		expect(everything).not.toContain(TEST_TOKEN);
		expect(everything).not.toContain('bxt_unit');
	});

	it('explains a 403 Expired token', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL).get('/v2/users/me').reply(403, { type: 'FORBIDDEN', message: 'Expired token' });
		const error = await caught(brexRequest(ctx, API, { method: 'GET', path: '/v2/users/me' }));
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain('expired after a period without use');
	});

	it('reads the Accounting API error body (error_code, message, details)', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.post('/v3/accounting/records/export-results')
			.reply(422, {
				error_code: 'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT',
				message: 'Records are not ready for export',
				details: { not_ready_for_export_accounting_record_ids: ['accr_9'] },
			});
		const error = await caught(
			brexRequest(ctx, API, {
				method: 'POST',
				path: '/v3/accounting/records/export-results',
				body: {},
			}),
		);
		expect(error.httpCode).toBe('422');
		expect(error.message).toContain('ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT');
		expect(error.message).toContain('Records are not ready for export');
		expect(error.brex.details).toEqual({ not_ready_for_export_accounting_record_ids: ['accr_9'] });
		expect(error.description).toContain('accr_9');
		expect(error.description).toContain('no X-Brex-Trace-Id');
	});

	it('never leaks the token when n8n throws its own wrapped axios error', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL).get('/x').times(2).replyWithError(netError('ETIMEDOUT', 'timeout'));
		const error = await caught(
			brexRequest(
				ctx,
				{ credentialType: 'brexApi', retry: { maxAttempts: 2 } },
				{ method: 'GET', path: '/x' },
			),
		);
		expect(error).toBeInstanceOf(BrexApiError);
		expect(error.cause).toBeUndefined();
		expect(JSON.stringify(error)).not.toContain(TEST_TOKEN);
		expect(error.message).toBe(
			'Could not reach Brex for GET /x: ETIMEDOUT (gave up after 2 attempts)',
		);
	});

	it('with OAuth2, asks n8n to throw on 401 and 403 (so n8n refreshes the token) and still reports it', async () => {
		const harness = createHarness({ credentialType: 'brexOAuth2Api' });
		nock(BASE_URL, { reqheaders: { authorization: `Bearer ${OAUTH_ACCESS_TOKEN}` } })
			.get('/v1/expenses/e')
			.reply(401, { type: 'UNAUTHORIZED', message: 'PERMISSION_DENIED: Invalid or Revoked Token' });
		const error = await caught(
			brexRequest(
				harness.ctx,
				{ credentialType: 'brexOAuth2Api' },
				{ method: 'GET', path: '/v1/expenses/e' },
			),
		);
		expect(harness.requests[0].ignoreHttpStatusErrors).toEqual({
			ignore: true,
			except: [401, 403],
		});
		expect(error.httpCode).toBe('401');
		expect(error.brex.type).toBe('UNAUTHORIZED');
		expect(JSON.stringify(error)).not.toContain(OAUTH_ACCESS_TOKEN);
	});

	it('refuses a base URL that is not http(s)', async () => {
		const { ctx } = createHarness({
			credentials: { accessToken: TEST_TOKEN, baseUrl: 'ftp://brex' },
		});
		await expect(brexRequest(ctx, API, { method: 'GET', path: '/x' })).rejects.toThrow(
			'not an http(s) URL',
		);
	});
});

describe('brexPages / brexItems', () => {
	it('follows next_cursor across 3 pages and stops at null', async () => {
		const { ctx } = createHarness();
		const seen: IDataObject[] = [];
		nock(BASE_URL)
			.get('/v1/expenses')
			.query((q) => {
				seen.push(q);
				return true;
			})
			.times(3)
			.reply(200, (uri: unknown) => {
				const cursor = cursorOf(uri);
				if (cursor === null) return { items: [{ id: 'e1' }, { id: 'e2' }], next_cursor: 'c2' };
				if (cursor === 'c2') return { items: [{ id: 'e3' }], next_cursor: 'c3' };
				return { items: [{ id: 'e4' }], next_cursor: null };
			});
		const pages = await collect(
			brexPages(ctx, API, {
				method: 'GET',
				path: '/v1/expenses',
				qs: { 'expand[]': ['merchant'] },
			}),
		);
		expect(pages.map((page) => page.map((item) => item.id))).toEqual([
			['e1', 'e2'],
			['e3'],
			['e4'],
		]);
		expect(seen).toEqual([
			{ 'expand[]': 'merchant', limit: '100' },
			{ 'expand[]': 'merchant', limit: '100', cursor: 'c2' },
			{ 'expand[]': 'merchant', limit: '100', cursor: 'c3' },
		]);
	});

	it('stops at maxItems without fetching more pages, and asks only for what it still needs', async () => {
		const { ctx } = createHarness();
		const limits: string[] = [];
		nock(BASE_URL)
			.get('/v2/transactions/card/primary')
			.query((q) => {
				limits.push(String(q.limit));
				return true;
			})
			.times(2)
			.reply(200, (uri: unknown) => {
				const cursor = cursorOf(uri);
				return cursor === null
					? { items: [{ id: 't1' }, { id: 't2' }], next_cursor: 'c2' }
					: { items: [{ id: 't3' }, { id: 't4' }], next_cursor: 'c3' };
			});
		const items = await collect(
			brexItems(
				ctx,
				API,
				{ method: 'GET', path: '/v2/transactions/card/primary' },
				{ pageSize: 2, maxItems: 3 },
			),
		);
		expect(items.map((item) => item.id)).toEqual(['t1', 't2', 't3']);
		expect(limits).toEqual(['2', '1']);
	});

	it('clamps the page size to 100', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v1/expenses')
			.query({ limit: '100' })
			.reply(200, { items: [], next_cursor: null });
		expect(
			await collect(
				brexPages(ctx, API, { method: 'GET', path: '/v1/expenses' }, { pageSize: 1000 }),
			),
		).toEqual([]);
	});

	it('stops when the Accounting API says has_next_page false even with a cursor', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v3/accounting/records')
			.query(true)
			.reply(200, {
				items: [{ id: 'accr_1' }],
				next_cursor: 'stale',
				has_next_page: false,
				total_count: 1,
			});
		const items = await collect(
			brexItems(ctx, API, { method: 'GET', path: '/v3/accounting/records' }),
		);
		expect(items).toEqual([{ id: 'accr_1' }]);
	});

	it('refuses a response that is not a page', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL).get('/v1/expenses').query(true).reply(200, { data: [] });
		await expect(
			collect(brexItems(ctx, API, { method: 'GET', path: '/v1/expenses' })),
		).rejects.toThrow('without an "items" list');
	});

	it('stops on a repeated cursor instead of looping forever', async () => {
		const { ctx } = createHarness();
		nock(BASE_URL)
			.get('/v1/expenses')
			.query(true)
			.times(2)
			.reply(200, { items: [{ id: 'same' }], next_cursor: 'again' });
		await expect(
			collect(brexItems(ctx, API, { method: 'GET', path: '/v1/expenses' })),
		).rejects.toThrow('same page cursor twice');
	});

	it('retries inside paging with the same cursor', async () => {
		const { ctx } = createHarness();
		const cursors: Array<string | undefined> = [];
		nock(BASE_URL)
			.get('/v1/expenses')
			.query((q) => {
				cursors.push(q.cursor as string | undefined);
				return true;
			})
			.reply(200, { items: [{ id: 'a' }], next_cursor: 'c2' })
			.get('/v1/expenses')
			.query((q) => {
				cursors.push(q.cursor as string | undefined);
				return true;
			})
			.reply(429, {})
			.get('/v1/expenses')
			.query((q) => {
				cursors.push(q.cursor as string | undefined);
				return true;
			})
			.reply(200, { items: [{ id: 'b' }], next_cursor: null });
		const items = await collect(brexItems(ctx, FAST, { method: 'GET', path: '/v1/expenses' }));
		expect(items.map((i) => i.id)).toEqual(['a', 'b']);
		expect(cursors).toEqual([undefined, 'c2', 'c2']);
		expect(recorder.waits).toHaveLength(1);
	});
});
