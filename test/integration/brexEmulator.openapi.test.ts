/**
 * Every kind of response the Brex emulator returns is validated against Brex's published OpenAPI specs
 * (reference/brex-openapi/*.json): the operation is resolved by method + path in the spec file, the response
 * schema for the status code is taken and validated with ajv. The last test fails if an emulator route was
 * never validated with a success response.
 */
import { BrexOpenApi } from '../emulators/brex/openapiValidator';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';

let emulator: BrexEmulator;
const openapi = new BrexOpenApi();
/** "METHOD /template" -> statuses validated (with a schema, or declared by the spec without a body). */
const validated = new Map<string, Map<number, 'schema' | 'declared-no-body' | 'component'>>();
const itemCounts = new Map<string, number>();

interface CallResult {
	status: number;
	body: unknown;
	text: string;
	headers: Headers;
}

async function call(
	method: string,
	path: string,
	options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<CallResult> {
	const headers: Record<string, string> = { ...options.headers };
	const token = options.token === undefined ? emulator.token : options.token;
	if (token) headers.authorization = `Bearer ${token}`;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	let body: unknown = undefined;
	if (text !== '' && (response.headers.get('content-type') ?? '').includes('json'))
		body = JSON.parse(text);
	return { status: response.status, body, text, headers: response.headers };
}

/** Calls the emulator and validates the answer against the operation's response schema. */
async function check(
	spec: string,
	method: string,
	path: string,
	expectedStatus: number,
	options: Parameters<typeof call>[2] = {},
): Promise<CallResult> {
	const result = await call(method, path, options);
	expect({
		path,
		status: result.status,
		body: result.status === expectedStatus ? 'ok' : result.body,
	}).toEqual({
		path,
		status: expectedStatus,
		body: 'ok',
	});
	expect(result.headers.get('x-brex-trace-id')).toMatch(/^[0-9a-f]{32}$/);
	const pathOnly = path.split('?')[0];
	const outcome = openapi.validateResponse(spec, method, pathOnly, result.status, result.body);
	expect({
		operation: `${method} ${outcome.template}`,
		status: result.status,
		errors: outcome.errors,
	}).toEqual({
		operation: `${method} ${outcome.template}`,
		status: result.status,
		errors: [],
	});
	expect(outcome.declared).toBe(true);
	if (!outcome.hasSchema) {
		// The spec declares this status without a body.
		expect(result.status >= 400 || result.text === '').toBe(true);
	}
	const key = `${method} ${outcome.template}`;
	if (!validated.has(key)) validated.set(key, new Map());
	validated.get(key)!.set(result.status, outcome.hasSchema ? 'schema' : 'declared-no-body');
	const items = (result.body as { items?: unknown[] } | undefined)?.items;
	if (Array.isArray(items)) itemCounts.set(key, (itemCounts.get(key) ?? 0) + items.length);
	return result;
}

/** For a status an operation does not declare: validate the body against a named component schema. */
function checkComponent(
	spec: string,
	component: string,
	method: string,
	template: string,
	status: number,
	body: unknown,
) {
	const outcome = openapi.validateComponent(spec, component, body);
	expect({ component, errors: outcome.errors }).toEqual({ component, errors: [] });
	const key = `${method} ${template}`;
	if (!validated.has(key)) validated.set(key, new Map());
	validated.get(key)!.set(status, 'component');
}

/** General Brex error body from the error-codes page (the specs give none outside the Accounting API). */
const BREX_ERROR_SCHEMA = {
	type: 'object',
	required: ['type', 'message'],
	properties: {
		type: { type: 'string', pattern: '^[A-Z_]+$' },
		message: { type: 'string' },
		code: { type: 'string' },
	},
};

function expectBrexError(body: unknown) {
	expect(openapi.validateSchema('brex-error', BREX_ERROR_SCHEMA, body).errors).toEqual([]);
}

async function walk(spec: string, basePath: string, maxPages = 100): Promise<number> {
	let cursor: string | null = null;
	let pages = 0;
	let count = 0;
	do {
		const separator = basePath.includes('?') ? '&' : '?';
		const path: string = cursor
			? `${basePath}${separator}cursor=${encodeURIComponent(cursor)}`
			: basePath;
		const result = await check(spec, 'GET', path, 200);
		const page = result.body as { items: unknown[]; next_cursor: string | null };
		count += page.items.length;
		cursor = page.next_cursor;
		pages++;
	} while (cursor && pages < maxPages);
	expect(cursor).toBeNull();
	return count;
}

beforeAll(async () => {
	emulator = await startBrexEmulator({ seed: 7, expenseCount: 400, vendorCount: 30 });
});

afterAll(async () => {
	await emulator?.close();
});

describe('Brex emulator responses match the published OpenAPI specs', () => {
	it('maps every emulator route to the spec operation it claims', () => {
		for (const route of emulator.routes) {
			const samplePath = route.template.replace(/\{[^}]+\}/g, 'sample_id');
			const match = openapi.resolve(route.spec, route.method, samplePath);
			expect(`${route.method} ${match.template} ${match.operationId}`).toBe(
				`${route.method} ${route.template} ${route.operationId}`,
			);
		}
	});

	it('expenses: lists (plain, fully expanded, filtered), single expenses, the deprecated card routes', async () => {
		const all = await walk('expenses.json', '/v1/expenses?limit=100');
		expect(all).toBe(emulator.state.expenses.size);
		const expandAll =
			'expand[]=merchant&expand[]=location&expand[]=department&expand[]=user&expand[]=budget' +
			'&expand[]=payment&expand[]=receipts.download_uris&expand[]=spending_entity&load_custom_fields=true';
		expect(await walk('expenses.json', `/v1/expenses?limit=100&${expandAll}`)).toBe(all);
		await walk(
			'expenses.json',
			'/v1/expenses?status[]=APPROVED&status[]=SETTLED&payment_status[]=CLEARED&limit=50',
		);
		await walk(
			'expenses.json',
			'/v1/expenses?expense_type[]=REIMBURSEMENT&updated_at_start=2026-08-01T00:00:00Z',
		);

		// Refunds, reimbursements, FX and custom fields must all be among what was validated.
		const expenses = [...emulator.state.expenses.values()];
		expect(expenses.some((e) => e.refund_of !== null && e.billing_amount!.amount < 0)).toBe(true);
		expect(expenses.some((e) => e.expense_type === 'REIMBURSEMENT')).toBe(true);
		expect(expenses.some((e) => e.original_amount!.currency !== e.billing_amount!.currency)).toBe(
			true,
		);
		expect(expenses.some((e) => e.custom_fields.length > 0)).toBe(true);

		const cardExpense = expenses.find(
			(e) => e.expense_type === 'CARD' && e.receipt_ids.length > 0,
		)!;
		await check('expenses.json', 'GET', `/v1/expenses/${cardExpense.id}`, 200);
		const expanded = await check(
			'expenses.json',
			'GET',
			`/v1/expenses/${cardExpense.id}?${expandAll}`,
			200,
		);
		expect((expanded.body as { merchant: unknown }).merchant).not.toBeNull();
		const missing = await check('expenses.json', 'GET', '/v1/expenses/expense_does_not_exist', 404);
		expectBrexError(missing.body);
		const tooBig = await check('expenses.json', 'GET', '/v1/expenses?limit=101', 400);
		expectBrexError(tooBig.body);
		const unauthorized = await check('expenses.json', 'GET', '/v1/expenses', 401, {
			token: 'bxt_unknown',
		});
		expectBrexError(unauthorized.body);

		expect(await walk('expenses.json', '/v1/expenses/card?limit=100&expand[]=merchant')).toBe(
			expenses.filter((e) => e.expense_type === 'CARD').length,
		);
		await check(
			'expenses.json',
			'GET',
			`/v1/expenses/card/${cardExpense.id}?expand[]=merchant`,
			200,
		);
		const reimbursement = expenses.find((e) => e.expense_type === 'REIMBURSEMENT')!;
		await check('expenses.json', 'GET', `/v1/expenses/card/${reimbursement.id}`, 404);
		await check('expenses.json', 'PUT', `/v1/expenses/card/${cardExpense.id}`, 200, {
			body: { memo: 'Updated memo' },
		});
		const nonAscii = await check(
			'expenses.json',
			'PUT',
			`/v1/expenses/card/${cardExpense.id}`,
			400,
			{
				body: { memo: 'Déjeuner' },
			},
		);
		expectBrexError(nonAscii.body);
	});

	it('card transactions: pages with and without expand[]=expense_id, filtered by posting date', async () => {
		const count = await walk('transactions.json', '/v2/transactions/card/primary?limit=100');
		expect(count).toBe(emulator.state.cardTransactions.size);
		await walk('transactions.json', '/v2/transactions/card/primary?limit=1000&expand[]=expense_id');
		await walk(
			'transactions.json',
			'/v2/transactions/card/primary?posted_at_start=2026-09-01T00:00:00Z',
		);
		const types = new Set([...emulator.state.cardTransactions.values()].map((t) => t.type));
		expect(types).toEqual(new Set(['PURCHASE', 'REFUND']));
		const bad = await check(
			'transactions.json',
			'GET',
			'/v2/transactions/card/primary?limit=1001',
			400,
		);
		expectBrexError(bad.body);
		await check('transactions.json', 'GET', '/v2/transactions/card/primary', 401, { token: null });
	});

	it('accounting records: lists, ids filter, single entry, one record, and the error bodies', async () => {
		const total = await walk('accounting.json', '/v3/accounting/records?limit=100');
		expect(total).toBe(emulator.state.accountingRecords.size);
		await walk(
			'accounting.json',
			'/v3/accounting/records?review_status=READY_FOR_EXPORT&single_entry=true',
		);
		const records = [...emulator.state.accountingRecords.values()];
		expect(new Set(records.map((r) => r.review_status))).toEqual(
			new Set(['PREPARE', 'REVIEW', 'READY_FOR_EXPORT', 'EXPORTED']),
		);
		expect(records.some((r) => r.split)).toBe(true);
		const ids = records
			.slice(0, 3)
			.map((r) => `ids=${r.id}`)
			.join('&');
		const byIds = await check('accounting.json', 'GET', `/v3/accounting/records?${ids}`, 200);
		expect((byIds.body as { total_count: number }).total_count).toBe(3);
		await check(
			'accounting.json',
			'GET',
			`/v3/accounting/records?updated_at[gte]=2026-09-01T00:00:00Z&source_type=CARD`,
			200,
		);
		const refundRecord = records.find((r) => r.type === 'CARD_EXPENSE_REFUND')!;
		await check('accounting.json', 'GET', `/v3/accounting/records/${refundRecord.id}`, 200);
		await check(
			'accounting.json',
			'GET',
			`/v3/accounting/records/${records[0].id}?single_entry=true`,
			200,
		);
		await check('accounting.json', 'GET', '/v3/accounting/records/accr_missing', 404);
		await check('accounting.json', 'GET', '/v3/accounting/records?review_status=DONE', 400);
		await check('accounting.json', 'GET', '/v3/accounting/records', 401, { token: 'nope' });
		emulator.expireTokens([emulator.token]);
		try {
			await check('accounting.json', 'GET', '/v3/accounting/records', 403);
			await check('accounting.json', 'GET', `/v3/accounting/records/${records[0].id}`, 403);
		} finally {
			emulator.state.expiredTokens.clear();
		}
	});

	it('accounting export results: success, not found, duplicate ids, not ready, malformed', async () => {
		const ready = [...emulator.state.accountingRecords.values()].filter(
			(r) => r.review_status === 'READY_FOR_EXPORT',
		);
		const path = '/v3/accounting/records/export-results';
		await check('accounting.json', 'POST', path, 200, {
			body: {
				results: [
					{
						accounting_record_id: ready[0].id,
						success: { reference_id: 'X3-1', deep_link_url: 'https://x3/1' },
					},
					{ accounting_record_id: ready[1].id, failure: { error_message: 'Invalid GL account' } },
				],
			},
		});
		await check('accounting.json', 'POST', path, 404, {
			body: {
				results: [{ accounting_record_id: 'accr_missing', failure: { error_message: 'x' } }],
			},
		});
		await check('accounting.json', 'POST', path, 422, {
			body: {
				results: [
					{
						accounting_record_id: ready[2].id,
						success: { reference_id: null, deep_link_url: 'https://x3/2' },
					},
					{ accounting_record_id: ready[2].id, failure: { error_message: 'x' } },
				],
			},
		});
		const again = await check('accounting.json', 'POST', path, 422, {
			body: {
				results: [
					{ accounting_record_id: ready[0].id, success: { deep_link_url: 'https://x3/1' } },
				],
			},
		});
		expect((again.body as { error_code: string }).error_code).toBe(
			'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT',
		);
		// 400 is not declared for this operation; the body still has the Accounting error shape.
		const malformed = await call('POST', path, { body: { results: [] } });
		expect(malformed.status).toBe(400);
		checkComponent('accounting.json', 'AccountingErrorResponse', 'POST', path, 400, malformed.body);
	});

	it('vendors, users, departments, locations, company', async () => {
		await walk('payments.json', '/v1/vendors?limit=7');
		const vendor = [...emulator.state.vendors.values()][0];
		await check(
			'payments.json',
			'GET',
			`/v1/vendors?name=${encodeURIComponent(vendor.company_name)}`,
			200,
		);
		await check('payments.json', 'GET', `/v1/vendors/${vendor.id}`, 200);
		await check('payments.json', 'POST', '/v1/vendors', 200, {
			body: {
				company_name: 'New Vendor SAS',
				email: 'ap@new-vendor.example.com',
				payment_accounts: [
					{
						details: {
							type: 'ACH',
							routing_number: '121000358',
							account_number: '1234567',
							account_type: 'CHECKING',
							account_class: 'BUSINESS',
						},
					},
				],
			},
			headers: { 'Idempotency-Key': 'vendor-create-1' },
		});
		// getVendorById declares no 404; the emulator answers Brex's general NOT_FOUND body.
		const unknownVendor = await call('GET', '/v1/vendors/pdcont_missing');
		expect(unknownVendor.status).toBe(404);
		expectBrexError(unknownVendor.body);
		await check('team.json', 'GET', '/v2/users/me', 200);
		await walk('team.json', '/v2/users?limit=6');
		await check('team.json', 'GET', `/v2/users/${emulator.state.meUserId}`, 200);
		await walk('team.json', '/v2/departments');
		await check('team.json', 'GET', '/v2/departments/dept_eng', 200);
		await walk('team.json', '/v2/locations');
		await check('team.json', 'GET', '/v2/locations/loc_par', 200);
		await check('team.json', 'GET', '/v2/company', 200);
		await check('team.json', 'GET', '/v2/users/me', 401, { token: 'bad' });
		emulator.expireTokens();
		try {
			const expired = await check('team.json', 'GET', '/v2/users/me', 403);
			expect(expired.body).toEqual({ type: 'FORBIDDEN', message: 'Expired token' });
		} finally {
			emulator.state.expiredTokens.clear();
		}
	});

	it('fields and field values: every route, paging at 1,000, replayed creates, and the error bodies', async () => {
		const created = await check('fields.json', 'POST', '/v1/fields', 200, {
			body: { name: 'GL Account', group: 'ACCOUNTING', remote_id: 'X3_GACC' },
			headers: { 'Idempotency-Key': 'openapi-field-1' },
		});
		const fieldId = (created.body as { brex_id: string }).brex_id;
		const replayed = await check('fields.json', 'POST', '/v1/fields', 200, {
			body: { name: 'GL Account', group: 'ACCOUNTING', remote_id: 'X3_GACC' },
			headers: { 'Idempotency-Key': 'openapi-field-1' },
		});
		expect(replayed.body).toEqual(created.body);
		// The validator would refuse a group outside the enum, or a value without its display name.
		const invalid = (method: string, path: string, body: unknown) =>
			openapi.validateResponse('fields.json', method, path, 200, body).errors.length > 0;
		expect(invalid('GET', '/v1/fields/x', { ...(created.body as object), group: 'FINANCE' })).toBe(
			true,
		);
		expect(
			invalid('GET', '/v1/fields/x/values/y', {
				brex_id: 'efo_1',
				field_id: 'x',
				updated_at: '2026-12-01T00:00:00Z',
				is_disabled: false,
			}),
		).toBe(true);
		await check('fields.json', 'POST', '/v1/fields', 200, {
			body: { name: 'Cost centre', group: 'ERP', integration_id: 'int_1', is_disabled: true },
			headers: { 'Idempotency-Key': 'openapi-field-2' },
		});
		expectBrexError(
			(
				await check('fields.json', 'POST', '/v1/fields', 400, {
					body: { name: 'No key', group: 'USER' },
				})
			).body,
		);
		expectBrexError(
			(
				await check('fields.json', 'POST', '/v1/fields', 400, {
					body: { name: 'ERP without integration', group: 'ERP' },
					headers: { 'Idempotency-Key': 'openapi-field-3' },
				})
			).body,
		);
		expect(await walk('fields.json', '/v1/fields?limit=1')).toBeGreaterThanOrEqual(2);
		await check('fields.json', 'GET', `/v1/fields?field_id[]=${fieldId}`, 200);
		await check('fields.json', 'GET', `/v1/fields/${fieldId}`, 200);
		await check('fields.json', 'GET', '/v1/fields/extended_field_unknown', 404);
		await check('fields.json', 'PUT', `/v1/fields/${fieldId}`, 200, {
			body: { name: 'GL account' },
		});

		const values = Array.from({ length: 1000 }, (_, i) => ({
			value: `Account ${i}`,
			remote_id: String(600000 + i),
			value_id: String(600000 + i),
		}));
		const path = `/v1/fields/${fieldId}/values`;
		const batch = await check('fields.json', 'POST', path, 200, {
			body: { items: values },
			headers: { 'Idempotency-Key': 'openapi-values-1' },
		});
		expect((batch.body as { items: unknown[] }).items).toHaveLength(1000);
		await check('fields.json', 'POST', path, 200, {
			body: { items: [{ value: 'Late account', remote_id: '699999' }] },
			headers: { 'Idempotency-Key': 'openapi-values-2' },
		});
		expectBrexError(
			(
				await check('fields.json', 'POST', path, 400, {
					body: { items: [...values, { value: 'One too many', remote_id: 'x' }] },
					headers: { 'Idempotency-Key': 'openapi-values-3' },
				})
			).body,
		);
		expect(await walk('fields.json', `${path}?limit=1000`)).toBe(1001);
		await check('fields.json', 'GET', `${path}?remote_id[]=600001&value=Account%201`, 200);
		const updated = await check('fields.json', 'PUT', path, 200, {
			body: {
				items: [
					{ remote_id: '600001', data: { value: 'Account one' } },
					{ value_id: '600002', data: { is_disabled: true } },
				],
			},
		});
		expect((updated.body as { items: Array<{ is_disabled: boolean }> }).items[1].is_disabled).toBe(
			true,
		);
		expectBrexError(
			(
				await check('fields.json', 'PUT', path, 404, {
					body: { items: [{ remote_id: 'nope', data: {} }] },
				})
			).body,
		);
		const one = (batch.body as { items: Array<{ brex_id: string }> }).items[0].brex_id;
		await check('fields.json', 'GET', `${path}/${one}`, 200);
		await check('fields.json', 'DELETE', path, 200, { body: { items: [{ brex_id: one }] } });
		await check('fields.json', 'GET', `${path}/${one}`, 404);
		// listFieldValues declares no 404: an unknown field is a bad request there.
		await check('fields.json', 'GET', '/v1/fields/extended_field_unknown/values', 400);
		await check('fields.json', 'DELETE', `/v1/fields/${fieldId}`, 200);
	}, 30_000);

	it('webhook subscriptions and secrets (one, then two during rotation)', async () => {
		const created = await check('webhooks.json', 'POST', '/v1/webhooks', 200, {
			body: {
				url: 'https://receiver.example.com/brex',
				event_types: ['EXPENSE_PAYMENT_UPDATED', 'USER_UPDATED'],
			},
			headers: { 'Idempotency-Key': 'create-hook-1' },
		});
		const id = (created.body as { id: string }).id;
		// ACCOUNTING_RECORD_READY_FOR_EXPORT is newer than the stored spec; accepted as a documented addition.
		await check('webhooks.json', 'POST', '/v1/webhooks', 200, {
			body: { url: 'http://127.0.0.1:9/hook', event_types: ['ACCOUNTING_RECORD_READY_FOR_EXPORT'] },
			headers: { 'Idempotency-Key': 'create-hook-2' },
		});
		const missingKey = await check('webhooks.json', 'POST', '/v1/webhooks', 400, {
			body: { url: 'https://x.example.com', event_types: ['USER_UPDATED'] },
		});
		expectBrexError(missingKey.body);
		await walk('webhooks.json', '/v1/webhooks?limit=1');
		await check('webhooks.json', 'GET', `/v1/webhooks/${id}`, 200);
		await check('webhooks.json', 'PUT', `/v1/webhooks/${id}`, 200, {
			body: {
				url: 'https://receiver.example.com/brex2',
				event_types: ['TRANSFER_PROCESSED'],
				status: 'INACTIVE',
			},
		});
		const secrets = await check('webhooks.json', 'GET', '/v1/webhooks/secrets', 200);
		expect(secrets.body).toHaveLength(1);
		emulator.rotateSecret();
		const rotated = await check('webhooks.json', 'GET', '/v1/webhooks/secrets', 200);
		expect((rotated.body as Array<{ status: string }>).map((s) => s.status)).toEqual([
			'ACTIVE',
			'PENDING_REVOKE',
		]);
		const deleted = await check('webhooks.json', 'DELETE', `/v1/webhooks/${id}`, 200);
		expect(deleted.text).toBe('');
		await check('webhooks.json', 'GET', '/v1/webhooks', 401, { token: null });
	});

	it('webhook event bodies match the event schemas', () => {
		const spec = 'webhooks.json';
		const expenseEvents = emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', count: 25 });
		const declined = [...emulator.state.expenses.values()].find(
			(e) => e.payment_status === 'DECLINED',
		)!;
		expenseEvents.push(
			...emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: [declined.id] }),
		);
		for (const event of expenseEvents) {
			expect(openapi.validateComponent(spec, 'ExpensePaymentEvent', event.body).errors).toEqual([]);
			// Fields the current docs (AsyncAPI) mark required beyond the 2026-01 spec copy.
			expect(
				openapi.validateSchema(
					'expense-event-docs',
					{
						type: 'object',
						required: [
							'company_id',
							'card_id',
							'merchant',
							'payment_description',
							'payment_status_reason',
							'version',
						],
						properties: { version: { type: 'integer', minimum: 1 }, card_id: { type: 'string' } },
					},
					event.body,
				).errors,
			).toEqual([]);
		}
		for (const type of ['TRANSFER_PROCESSED', 'TRANSFER_FAILED']) {
			for (const event of emulator.buildEvents({ eventType: type, count: 2 })) {
				expect(openapi.validateComponent(spec, 'TransferEvent', event.body).errors).toEqual([]);
			}
		}
		for (const event of emulator.buildEvents({ eventType: 'USER_UPDATED', count: 2 })) {
			expect(openapi.validateComponent(spec, 'UserEvent', event.body).errors).toEqual([]);
		}
		// Not in the stored spec: schema from Brex's docs / AsyncAPI (camelCase keys, all required).
		const accountingEvents = emulator.buildEvents({
			eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
			count: 5,
		});
		expect(accountingEvents).toHaveLength(1);
		expect(
			openapi.validateSchema(
				'accounting-ready-event',
				{
					type: 'object',
					required: ['event_type', 'accountingRecordIds', 'companyId'],
					properties: {
						event_type: { const: 'ACCOUNTING_RECORD_READY_FOR_EXPORT' },
						accountingRecordIds: {
							type: 'array',
							minItems: 1,
							maxItems: 500,
							items: { type: 'string' },
						},
						companyId: { type: 'string' },
					},
				},
				accountingEvents[0].body,
			).errors,
		).toEqual([]);
	});

	it('OAuth token responses follow RFC 6749 (the specs only name the endpoints)', async () => {
		const authorize = await fetch(
			`${emulator.url}/oauth2/default/v1/authorize?response_type=code&client_id=${emulator.oauthClient.clientId}` +
				'&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=openid%20offline_access&state=s1',
			{ redirect: 'manual' },
		);
		const code = new URL(authorize.headers.get('location')!).searchParams.get('code')!;
		const token = await fetch(`${emulator.url}/oauth2/default/v1/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'authorization_code',
				code,
				redirect_uri: 'http://127.0.0.1/cb',
				client_id: emulator.oauthClient.clientId,
				client_secret: emulator.oauthClient.clientSecret,
			}),
		});
		expect(token.status).toBe(200);
		const body = (await token.json()) as { access_token: string };
		expect(
			openapi.validateSchema(
				'oauth-token',
				{
					type: 'object',
					required: ['access_token', 'token_type', 'expires_in'],
					properties: {
						access_token: { type: 'string', minLength: 20 },
						token_type: { const: 'Bearer' },
						expires_in: { type: 'integer', minimum: 0 },
						refresh_token: { type: 'string' },
						scope: { type: 'string' },
					},
				},
				body,
			).errors,
		).toEqual([]);
		// The access token works on the API like a user token.
		await check('team.json', 'GET', '/v2/users/me', 200, { token: body.access_token });
	});

	it('the validator rejects what the specs forbid (so the checks above can fail)', () => {
		const expense = emulator.renderExpense([...emulator.state.expenses.keys()][0], ['merchant']);
		const fails = (spec: string, method: string, path: string, body: unknown) =>
			openapi.validateResponse(spec, method, path, 200, body).errors.length > 0;
		// A seed category that is not in Brex's Category enum.
		expect(
			fails('expenses.json', 'GET', '/v1/expenses/x', { ...expense, category: 'TRAVEL' }),
		).toBe(true);
		// Minor units must be integers.
		expect(
			fails('expenses.json', 'GET', '/v1/expenses/x', {
				...expense,
				billing_amount: { amount: 12.5, currency: 'USD' },
			}),
		).toBe(true);
		expect(
			fails('expenses.json', 'GET', '/v1/expenses/x', {
				...expense,
				merchant: { raw_descriptor: 'x' },
			}),
		).toBe(true);
		const txn = emulator.state.cardTransactions.values().next().value!;
		const txnPage = (item: Record<string, unknown>) => ({ next_cursor: null, items: [item] });
		expect(
			fails('transactions.json', 'GET', '/v2/transactions/card/primary', txnPage({ ...txn })),
		).toBe(false);
		expect(
			fails(
				'transactions.json',
				'GET',
				'/v2/transactions/card/primary',
				txnPage({ ...txn, posted_at_date: '2026-07-01T00:00:00Z' }),
			),
		).toBe(true);
		expect(
			fails(
				'transactions.json',
				'GET',
				'/v2/transactions/card/primary',
				txnPage({ ...txn, type: 'PAYMENT' }),
			),
		).toBe(true);
		const record = emulator.renderAccountingRecord([...emulator.state.accountingRecords.keys()][0]);
		expect(
			fails('accounting.json', 'GET', '/v3/accounting/records/x', {
				...record,
				amount: { amount: '12.50', currency: 'USD' },
			}),
		).toBe(true);
		expect(
			fails('accounting.json', 'GET', '/v3/accounting/records/x', {
				...record,
				review_status: 'DONE',
			}),
		).toBe(true);
		expect(
			fails('webhooks.json', 'GET', '/v1/webhooks/x', {
				id: 'w',
				url: 'u',
				status: 'ACTIVE',
				event_types: ['EXPENSE_CREATED'],
			}),
		).toBe(true);
		expect(
			fails('webhooks.json', 'GET', '/v1/webhooks/secrets', [{ secret: 's', status: 'REVOKED' }]),
		).toBe(true);
		expect(
			fails('payments.json', 'GET', '/v1/vendors/x', {
				id: 'v',
				payment_accounts: [{ details: { type: 'ACH' } }],
			}),
		).toBe(true);
	});

	it('covered every emulator route with a validated success response', () => {
		const lines: string[] = [];
		const uncovered: string[] = [];
		for (const route of emulator.routes) {
			const key = `${route.method} ${route.template}`;
			const statuses = validated.get(key);
			const success = statuses && [...statuses.keys()].some((s) => s >= 200 && s < 300);
			if (!success) uncovered.push(`${key} (${route.spec} ${route.operationId})`);
			const detail = statuses ? [...statuses].map(([s, how]) => `${s}:${how}`).join(' ') : 'none';
			lines.push(
				`${route.spec.padEnd(17)} ${route.operationId.padEnd(30)} ${key.padEnd(45)} ${detail}`,
			);
		}
		// The report of what was validated, for humans reading the test output.
		console.info(`Brex emulator routes validated against the OpenAPI specs:\n${lines.join('\n')}`);
		expect(uncovered).toEqual([]);
		expect(validated.size).toBeGreaterThanOrEqual(emulator.routes.length);
	});
});
