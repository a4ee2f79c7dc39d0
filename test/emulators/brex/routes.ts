/**
 * The Brex API routes the emulator serves, each tied to the operation of the published spec it emulates
 * (spec file + operationId), so the OpenAPI test can check that every route was validated.
 */
import {
	renderAccountingRecord,
	renderCardTransaction,
	renderExpense,
	renderSlimExpense,
	renderUser,
	renderVendor,
	type RenderContext,
} from './data';
import { createFieldRoutes } from './fields';
import {
	accountingError,
	badRequest,
	collectPage,
	decodeCursor,
	encodeCursor,
	notFound,
	parseArray,
	parseBoolean,
	parseDateTime,
	parseJsonBody,
	parseLimit,
	type ApiError,
	type ApiRequest,
	type ApiResult,
} from './http';
import type { BrexStore } from './store';
import type { BrexEmulatorState, EmulatedExpense, WebhookSubscription } from './types';

export interface RouteDef {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	template: string;
	/** Spec file under reference/brex-openapi and the operation emulated. */
	spec: string;
	operationId: string;
	/** Accounting API routes answer errors in their own `{error_code, message, details}` shape. */
	errorStyle: 'brex' | 'accounting';
	/**
	 * Idempotency-Key handling. Brex: required where the spec says so; every other POST/PUT accepts an
	 * optional key ("All POST and PUT accept the key"), even where the spec declares none.
	 */
	idempotency?: 'required' | 'optional';
	handler: (req: ApiRequest) => ApiResult;
}

export const EXPENSE_STATUSES = [
	'DRAFT',
	'SUBMITTED',
	'APPROVED',
	'OUT_OF_POLICY',
	'VOID',
	'CANCELED',
	'SPLIT',
	'SETTLED',
] as const;
export const EXPENSE_PAYMENT_STATUSES = [
	'NOT_STARTED',
	'PROCESSING',
	'CANCELED',
	'DECLINED',
	'CLEARED',
	'REFUNDING',
	'REFUNDED',
	'CASH_ADVANCE',
	'CREDITED',
	'AWAITING_PAYMENT',
	'SCHEDULED',
] as const;
export const EXPENSE_TYPES = ['CARD', 'BILLPAY', 'REIMBURSEMENT', 'CLAWBACK', 'UNSET'] as const;
export const REVIEW_STATUSES = ['PREPARE', 'REVIEW', 'READY_FOR_EXPORT', 'EXPORTED'] as const;
export const SOURCE_TYPES = ['CARD', 'REIMBURSEMENT', 'BILL'] as const;

/** Webhook event types: the stored spec's enum plus the ones Brex's current docs list (fact sheet §6.2). */
export const SPEC_WEBHOOK_EVENT_TYPES = [
	'REFERRAL_CREATED',
	'REFERRAL_ACTIVATED',
	'REFERRAL_APPLICATION_STATUS_CHANGED',
	'TRANSFER_PROCESSED',
	'TRANSFER_FAILED',
	'EXPENSE_PAYMENT_UPDATED',
	'USER_UPDATED',
] as const;
export const DOCUMENTED_LATER_WEBHOOK_EVENT_TYPES = [
	'EMBEDDED_CARD_TRANSACTION_UPDATED',
	'EMBEDDED_CARD_UPDATED',
	'EMBEDDED_ACCOUNT_UPDATED',
	'EMBEDDED_CARD_SHIPPING_UPDATED',
	'EMBEDDED_DISPUTE_UPDATED',
	'PARTNERSHIP_INTEGRATION_CONNECTION_UPDATED',
	'EMBEDDED_CARD_AUTHORIZATION',
	'EMBEDDED_FRAUD_ALERT',
	'EMBEDDED_BILLING_GROUP_UPDATED',
	'EMBEDDED_LEGAL_ENTITY_UPDATED',
	'EMBEDDED_BILLING_STATEMENT_UPDATED',
	'EMBEDDED_USER_STATUS_UPDATED',
	'ACCOUNTING_RECORD_READY_FOR_EXPORT',
] as const;
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
	...SPEC_WEBHOOK_EVENT_TYPES,
	...DOCUMENTED_LATER_WEBHOOK_EVENT_TYPES,
];

/**
 * Brex pagination: default 100, general max 1000. List Expenses max 100 since Feb 2026 (changelog; the
 * stored 2025 spec still says 1000, but the changelog is newer than that spec).
 */
const DEFAULT_LIMIT = 100;
const GENERAL_MAX_LIMIT = 1000;
const EXPENSES_MAX_LIMIT = 100;
const MAX_ACCOUNTING_IDS = 500;

const accountingBadRequest = (message: string): ApiError =>
	accountingError(400, 'INVALID_REQUEST', message);

export interface RouteContext {
	state: BrexEmulatorState;
	store: BrexStore;
	render: (req: ApiRequest) => RenderContext;
	requireHttpsWebhooks: boolean;
}

function page(items: unknown[], hasMore: boolean, offset: number, limit: number) {
	return { next_cursor: hasMore ? encodeCursor(offset + items.length, limit) : null, items };
}

function listOf<T>(
	req: ApiRequest,
	values: Iterable<T>,
	keep: (item: T) => boolean,
	render: (item: T) => unknown,
) {
	const limit = parseLimit(req.query, { max: GENERAL_MAX_LIMIT, fallback: DEFAULT_LIMIT });
	const offset = decodeCursor(req.query.get('cursor'));
	const { page: items, hasMore } = collectPage(values, keep, offset, limit);
	return { status: 200, body: page(items.map(render), hasMore, offset, limit) };
}

function isAscii(text: string): boolean {
	return /^[\x20-\x7e\t\n\r]*$/.test(text);
}

function isHttpUrl(value: unknown, requireHttps: boolean): value is string {
	if (typeof value !== 'string') return false;
	try {
		const url = new URL(value);
		return requireHttps
			? url.protocol === 'https:'
			: url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

function validateEventTypes(value: unknown, requireNonEmpty: boolean): string[] {
	if (!Array.isArray(value) || (requireNonEmpty && value.length === 0)) {
		throw badRequest('event_types must be a non-empty array of webhook event types');
	}
	for (const type of value) {
		if (typeof type !== 'string' || !WEBHOOK_EVENT_TYPES.includes(type)) {
			throw badRequest(`event_types has an invalid value "${String(type)}"`);
		}
	}
	return [...new Set(value as string[])];
}

export function createRoutes(ctx: RouteContext): RouteDef[] {
	const { state, store } = ctx;

	function listExpenses(req: ApiRequest, cardOnly: boolean): ApiResult {
		const q = req.query;
		// The deprecated card list shares the backend, so the Feb 2026 cap is applied to it as well.
		const limit = parseLimit(q, { max: EXPENSES_MAX_LIMIT, fallback: DEFAULT_LIMIT });
		const offset = decodeCursor(q.get('cursor'));
		const expand = parseArray(q, 'expand[]') ?? new Set<string>();
		const statuses = parseArray(q, 'status[]', EXPENSE_STATUSES);
		const paymentStatuses = parseArray(q, 'payment_status[]', EXPENSE_PAYMENT_STATUSES);
		const types = cardOnly ? new Set(['CARD']) : parseArray(q, 'expense_type[]', EXPENSE_TYPES);
		const userIds = parseArray(q, 'user_id[]');
		const budgetIds = parseArray(q, 'budget_id[]');
		const parentIds = parseArray(q, 'parent_expense_id[]');
		const entityIds = parseArray(q, 'spending_entity_id[]');
		const purchasedStart = parseDateTime('purchased_at_start', q.get('purchased_at_start'));
		const purchasedEnd = parseDateTime('purchased_at_end', q.get('purchased_at_end'));
		const updatedStart = parseDateTime('updated_at_start', q.get('updated_at_start'));
		const updatedEnd = parseDateTime('updated_at_end', q.get('updated_at_end'));
		const loadCustomFields =
			parseBoolean('load_custom_fields', q.get('load_custom_fields')) ?? false;
		const keep = (e: EmulatedExpense): boolean =>
			(!statuses || statuses.has(e.status)) &&
			(!paymentStatuses || paymentStatuses.has(e.payment_status)) &&
			(!types || types.has(e.expense_type)) &&
			(!userIds || (e.user_id !== null && userIds.has(e.user_id))) &&
			(!budgetIds || (e.budget_id !== null && budgetIds.has(e.budget_id))) &&
			(!parentIds || (e.parent_expense_id !== null && parentIds.has(e.parent_expense_id))) &&
			(!entityIds || (e.spending_entity_id !== null && entityIds.has(e.spending_entity_id))) &&
			// Stored stamps are normalised ISO strings, so string comparison is time comparison.
			(!updatedStart || e.updated_at >= updatedStart) &&
			(!updatedEnd || e.updated_at <= updatedEnd) &&
			(!purchasedStart || (e.purchased_at !== null && e.purchased_at >= purchasedStart)) &&
			(!purchasedEnd || (e.purchased_at !== null && e.purchased_at <= purchasedEnd));
		const { page: items, hasMore } = collectPage(state.expenses.values(), keep, offset, limit);
		const render = ctx.render(req);
		return {
			status: 200,
			body: page(
				items.map((e) => renderExpense(render, e, expand, loadCustomFields)),
				hasMore,
				offset,
				limit,
			),
		};
	}

	function getExpense(req: ApiRequest, id: string, cardOnly: boolean): ApiResult {
		const expense = state.expenses.get(id);
		if (!expense || (cardOnly && expense.expense_type !== 'CARD'))
			throw notFound('EXPENSE_NOT_FOUND');
		const expand = parseArray(req.query, 'expand[]') ?? new Set<string>();
		const loadCustomFields =
			parseBoolean('load_custom_fields', req.query.get('load_custom_fields')) ?? false;
		return { status: 200, body: renderExpense(ctx.render(req), expense, expand, loadCustomFields) };
	}

	function subscription(id: string): WebhookSubscription {
		const found = state.webhooks.get(id);
		if (!found) throw notFound('WEBHOOK_SUBSCRIPTION_NOT_FOUND');
		return found;
	}

	const routes: RouteDef[] = [
		// ---- Expenses -----------------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v1/expenses',
			spec: 'expenses.json',
			operationId: 'listExpenses',
			errorStyle: 'brex',
			handler: (req) => listExpenses(req, false),
		},
		{
			method: 'GET',
			template: '/v1/expenses/card',
			spec: 'expenses.json',
			operationId: 'listExpenses_1',
			errorStyle: 'brex',
			handler: (req) => listExpenses(req, true),
		},
		{
			method: 'GET',
			template: '/v1/expenses/card/{expense_id}',
			spec: 'expenses.json',
			operationId: 'getCardExpense',
			errorStyle: 'brex',
			handler: (req) => getExpense(req, req.params.expense_id, true),
		},
		{
			method: 'PUT',
			template: '/v1/expenses/card/{expense_id}',
			spec: 'expenses.json',
			operationId: 'updateExpense',
			errorStyle: 'brex',
			idempotency: 'optional',
			handler: (req) => {
				const expense = state.expenses.get(req.params.expense_id);
				if (!expense || expense.expense_type !== 'CARD') throw notFound('EXPENSE_NOT_FOUND');
				const body = parseJsonBody(req) as { memo?: unknown };
				if (body === null || typeof body !== 'object')
					throw badRequest('Request body must be an object');
				if (body.memo !== undefined && body.memo !== null && typeof body.memo !== 'string') {
					throw badRequest('memo must be a string');
				}
				// Brex: free-text fields accept ASCII only ("[Field] is invalid").
				if (typeof body.memo === 'string' && !isAscii(body.memo))
					throw badRequest('[memo] is invalid');
				if (body.memo !== undefined)
					store.updateExpense(expense.id, { memo: body.memo as string | null });
				return { status: 200, body: renderSlimExpense(expense) };
			},
		},
		{
			method: 'GET',
			template: '/v1/expenses/{id}',
			spec: 'expenses.json',
			operationId: 'getExpense',
			errorStyle: 'brex',
			handler: (req) => getExpense(req, req.params.id, false),
		},
		// ---- Card transactions --------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v2/transactions/card/primary',
			spec: 'transactions.json',
			operationId: 'listPrimaryCardTransactions',
			errorStyle: 'brex',
			handler: (req) => {
				const q = req.query;
				const limit = parseLimit(q, { max: GENERAL_MAX_LIMIT, fallback: DEFAULT_LIMIT });
				const offset = decodeCursor(q.get('cursor'));
				const postedStart = parseDateTime('posted_at_start', q.get('posted_at_start'));
				// posted_at_date is a date: a date-time bound keeps the transactions posted on or after its UTC day.
				const postedStartDate = postedStart?.slice(0, 10) ?? null;
				// The spec names this array `user_ids` (no brackets).
				const userIds = parseArray(q, 'user_ids');
				const cardIds = userIds
					? new Set(
							[...state.users.values()].filter((u) => userIds.has(u.id)).map((u) => u.card_id),
						)
					: null;
				const expand = parseArray(q, 'expand[]') ?? new Set<string>();
				const { page: items, hasMore } = collectPage(
					state.cardTransactions.values(),
					(t) =>
						(!postedStartDate || t.posted_at_date >= postedStartDate) &&
						(!cardIds || (t.card_id !== null && cardIds.has(t.card_id))),
					offset,
					limit,
				);
				return {
					status: 200,
					body: page(
						items.map((t) => renderCardTransaction(t, expand.has('expense_id'))),
						hasMore,
						offset,
						limit,
					),
				};
			},
		},
		// ---- Accounting (alpha) ---------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v3/accounting/records',
			spec: 'accounting.json',
			operationId: 'queryAccountingRecords',
			errorStyle: 'accounting',
			handler: (req) => {
				const q = req.query;
				const limit = parseLimit(
					q,
					{ max: GENERAL_MAX_LIMIT, fallback: DEFAULT_LIMIT },
					accountingBadRequest,
				);
				const offset = decodeCursor(q.get('cursor'), accountingBadRequest);
				const ids = parseArray(q, 'ids', undefined, accountingBadRequest);
				if (ids && ids.size > MAX_ACCOUNTING_IDS) {
					throw accountingBadRequest(`ids is limited to ${MAX_ACCOUNTING_IDS} values`);
				}
				const reviewStatus = q.get('review_status');
				if (reviewStatus && !(REVIEW_STATUSES as readonly string[]).includes(reviewStatus)) {
					throw accountingBadRequest(`review_status has an invalid value "${reviewStatus}"`);
				}
				// Not in the Jan 2026 spec; Brex's current docs add source_type and updated_at[gt|gte|lt|lte].
				const sourceType = q.get('source_type');
				if (sourceType && !(SOURCE_TYPES as readonly string[]).includes(sourceType)) {
					throw accountingBadRequest(`source_type has an invalid value "${sourceType}"`);
				}
				const bound = (op: string) =>
					parseDateTime(`updated_at[${op}]`, q.get(`updated_at[${op}]`), accountingBadRequest);
				const gt = bound('gt');
				const gte = bound('gte');
				const lt = bound('lt');
				const lte = bound('lte');
				const singleEntry =
					parseBoolean('single_entry', q.get('single_entry'), accountingBadRequest) ?? false;
				const {
					page: items,
					hasMore,
					total,
				} = collectPage(
					// With ids (at most 500) only those records are looked at, in the order asked for.
					ids
						? [...ids].map((id) => state.accountingRecords.get(id)).filter((r) => r !== undefined)
						: state.accountingRecords.values(),
					(r) =>
						(!ids || ids.has(r.id)) &&
						(!reviewStatus || r.review_status === reviewStatus) &&
						(!sourceType || r.source_type === sourceType) &&
						(!gt || r.updated_at > gt) &&
						(!gte || r.updated_at >= gte) &&
						(!lt || r.updated_at < lt) &&
						(!lte || r.updated_at <= lte),
					offset,
					limit,
					true,
				);
				const render = ctx.render(req);
				return {
					status: 200,
					body: {
						items: items.map((r) => renderAccountingRecord(render, r, singleEntry)),
						next_cursor: hasMore ? encodeCursor(offset + items.length, limit) : null,
						has_next_page: hasMore,
						total_count: total,
					},
				};
			},
		},
		{
			method: 'GET',
			template: '/v3/accounting/records/{record_id}',
			spec: 'accounting.json',
			operationId: 'getAccountingRecord',
			errorStyle: 'accounting',
			handler: (req) => {
				const record = state.accountingRecords.get(req.params.record_id);
				if (!record)
					throw accountingError(404, 'NOT_FOUND', 'The requested accounting record was not found.');
				const singleEntry =
					parseBoolean('single_entry', req.query.get('single_entry'), accountingBadRequest) ??
					false;
				return { status: 200, body: renderAccountingRecord(ctx.render(req), record, singleEntry) };
			},
		},
		{
			method: 'POST',
			template: '/v3/accounting/records/export-results',
			spec: 'accounting.json',
			operationId: 'reportAccountingExportResults',
			errorStyle: 'accounting',
			idempotency: 'optional',
			handler: (req) => reportExportResults(req),
		},
		// ---- Vendors --------------------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v1/vendors',
			spec: 'payments.json',
			operationId: 'listVendors',
			errorStyle: 'brex',
			handler: (req) => {
				const name = req.query.get('name');
				const wanted = name ? name.toLocaleLowerCase() : null;
				return listOf(
					req,
					state.vendors.values(),
					(v) => !wanted || v.company_name.toLocaleLowerCase() === wanted,
					renderVendor,
				);
			},
		},
		{
			method: 'POST',
			template: '/v1/vendors',
			spec: 'payments.json',
			operationId: 'createVendor',
			errorStyle: 'brex',
			idempotency: 'required',
			handler: (req) => {
				const body = parseJsonBody(req) as Record<string, unknown>;
				if (body === null || typeof body !== 'object')
					throw badRequest('Request body must be an object');
				const name = body.company_name;
				if (typeof name !== 'string' || name.trim() === '')
					throw badRequest('company_name is required');
				for (const v of state.vendors.values()) {
					if (v.company_name.toLocaleLowerCase() === name.toLocaleLowerCase()) {
						throw badRequest(
							`A vendor named "${name}" already exists; company_name must be unique`,
						);
					}
				}
				if (body.email !== undefined && body.email !== null) {
					if (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email)) {
						throw badRequest('email is invalid');
					}
				}
				if (body.phone !== undefined && body.phone !== null && typeof body.phone !== 'string') {
					throw badRequest('phone must be a string');
				}
				const accounts = body.payment_accounts ?? [];
				if (!Array.isArray(accounts)) throw badRequest('payment_accounts must be an array');
				const seenTypes = new Set<string>();
				const paymentAccounts = accounts.map((account: unknown) => {
					const details = (account as { details?: Record<string, unknown> } | null)?.details;
					const type = details?.type;
					if (typeof type !== 'string' || !['ACH', 'DOMESTIC_WIRE', 'CHEQUE'].includes(type)) {
						throw badRequest(
							'payment_accounts[].details.type must be ACH, DOMESTIC_WIRE or CHEQUE',
						);
					}
					if (seenTypes.has(type)) throw badRequest(`Only one ${type} payment account is allowed`);
					seenTypes.add(type);
					return { details: { ...details, payment_instrument_id: store.mintId('pdinstl') } };
				});
				const id = store.mintId('pdcont');
				state.vendors.set(id, {
					id,
					company_name: name,
					email: (body.email as string | null | undefined) ?? null,
					phone: (body.phone as string | null | undefined) ?? null,
					payment_accounts: paymentAccounts,
					x3SupplierCode: null,
					category: 'OTHER',
					mcc: '5999',
					country: 'USA',
				});
				return { status: 200, body: renderVendor(state.vendors.get(id)!) };
			},
		},
		{
			method: 'GET',
			template: '/v1/vendors/{id}',
			spec: 'payments.json',
			operationId: 'getVendorById',
			errorStyle: 'brex',
			handler: (req) => {
				const vendor = state.vendors.get(req.params.id);
				if (!vendor) throw notFound('VENDOR_NOT_FOUND');
				return { status: 200, body: renderVendor(vendor) };
			},
		},
		// ---- Team ---------------------------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v2/users/me',
			spec: 'team.json',
			operationId: 'getMe',
			errorStyle: 'brex',
			handler: () => ({ status: 200, body: renderUser(state.users.get(state.meUserId)!) }),
		},
		{
			method: 'GET',
			template: '/v2/users',
			spec: 'team.json',
			operationId: 'listUsers',
			errorStyle: 'brex',
			handler: (req) => {
				const email = req.query.get('email')?.toLowerCase() ?? null;
				return listOf(
					req,
					state.users.values(),
					(u) => !email || u.email.toLowerCase() === email,
					renderUser,
				);
			},
		},
		{
			method: 'GET',
			template: '/v2/users/{id}',
			spec: 'team.json',
			operationId: 'getUserById',
			errorStyle: 'brex',
			handler: (req) => {
				const user = state.users.get(req.params.id);
				if (!user) throw notFound('USER_NOT_FOUND');
				return { status: 200, body: renderUser(user) };
			},
		},
		{
			method: 'GET',
			template: '/v2/departments',
			spec: 'team.json',
			operationId: 'listDepartments',
			errorStyle: 'brex',
			handler: (req) => {
				const name = req.query.get('name');
				return listOf(
					req,
					state.departments.values(),
					(d) => !name || d.name === name,
					(d) => d,
				);
			},
		},
		{
			method: 'GET',
			template: '/v2/departments/{id}',
			spec: 'team.json',
			operationId: 'getDepartmentById',
			errorStyle: 'brex',
			handler: (req) => {
				const department = state.departments.get(req.params.id);
				if (!department) throw notFound('DEPARTMENT_NOT_FOUND');
				return { status: 200, body: department };
			},
		},
		{
			method: 'GET',
			template: '/v2/locations',
			spec: 'team.json',
			operationId: 'listLocations',
			errorStyle: 'brex',
			handler: (req) => {
				const name = req.query.get('name');
				return listOf(
					req,
					state.locations.values(),
					(l) => !name || l.name === name,
					(l) => l,
				);
			},
		},
		{
			method: 'GET',
			template: '/v2/locations/{id}',
			spec: 'team.json',
			operationId: 'getLocationById',
			errorStyle: 'brex',
			handler: (req) => {
				const location = state.locations.get(req.params.id);
				if (!location) throw notFound('LOCATION_NOT_FOUND');
				return { status: 200, body: location };
			},
		},
		{
			method: 'GET',
			template: '/v2/company',
			spec: 'team.json',
			operationId: 'getCompany',
			errorStyle: 'brex',
			handler: () => ({ status: 200, body: state.company }),
		},
		// ---- Webhooks -----------------------------------------------------------------------------------
		{
			method: 'GET',
			template: '/v1/webhooks',
			spec: 'webhooks.json',
			operationId: 'listSubscription',
			errorStyle: 'brex',
			handler: (req) =>
				listOf(
					req,
					state.webhooks.values(),
					() => true,
					(w) => ({ ...w }),
				),
		},
		{
			method: 'POST',
			template: '/v1/webhooks',
			spec: 'webhooks.json',
			operationId: 'createSubscription',
			errorStyle: 'brex',
			idempotency: 'required',
			handler: (req) => {
				const body = parseJsonBody(req) as Record<string, unknown>;
				if (body === null || typeof body !== 'object')
					throw badRequest('Request body must be an object');
				if (!isHttpUrl(body.url, ctx.requireHttpsWebhooks)) {
					throw badRequest(
						ctx.requireHttpsWebhooks ? 'url must be an https URL' : 'url must be an http(s) URL',
					);
				}
				const eventTypes = validateEventTypes(body.event_types, true);
				const created: WebhookSubscription = {
					id: store.mintId('whsub'),
					url: body.url,
					event_types: eventTypes,
					status: 'ACTIVE',
				};
				state.webhooks.set(created.id, created);
				return { status: 200, body: { ...created } };
			},
		},
		{
			method: 'GET',
			template: '/v1/webhooks/secrets',
			spec: 'webhooks.json',
			operationId: 'listSecrets',
			errorStyle: 'brex',
			// A bare array, not a page.
			handler: () => ({ status: 200, body: state.webhookSecrets.map((s) => ({ ...s })) }),
		},
		{
			method: 'GET',
			template: '/v1/webhooks/{id}',
			spec: 'webhooks.json',
			operationId: 'getSubscriptionById',
			errorStyle: 'brex',
			handler: (req) => ({ status: 200, body: { ...subscription(req.params.id) } }),
		},
		{
			method: 'PUT',
			template: '/v1/webhooks/{id}',
			spec: 'webhooks.json',
			operationId: 'updateSubscription',
			errorStyle: 'brex',
			idempotency: 'optional',
			handler: (req) => {
				const existing = subscription(req.params.id);
				const body = parseJsonBody(req) as Record<string, unknown>;
				if (body === null || typeof body !== 'object')
					throw badRequest('Request body must be an object');
				// url, event_types and status are all required by UpdateWebhookSubscriptionRequest.
				if (!isHttpUrl(body.url, ctx.requireHttpsWebhooks))
					throw badRequest('url is required and must be a URL');
				const eventTypes = validateEventTypes(body.event_types, true);
				if (body.status !== 'ACTIVE' && body.status !== 'INACTIVE') {
					throw badRequest('status is required and must be ACTIVE or INACTIVE');
				}
				existing.url = body.url;
				existing.event_types = eventTypes;
				existing.status = body.status;
				return { status: 200, body: { ...existing } };
			},
		},
		{
			method: 'DELETE',
			template: '/v1/webhooks/{id}',
			spec: 'webhooks.json',
			operationId: 'deleteSubscription',
			errorStyle: 'brex',
			handler: (req) => {
				subscription(req.params.id);
				state.webhooks.delete(req.params.id);
				// The spec declares a 200 without a body.
				return { status: 200 };
			},
		},
		// ---- Fields (beta) ------------------------------------------------------------------------------
		...createFieldRoutes(ctx),
	];

	function reportExportResults(req: ApiRequest): ApiResult {
		const body = parseJsonBody(req, accountingBadRequest) as { results?: unknown };
		if (
			body === null ||
			typeof body !== 'object' ||
			!Array.isArray(body.results) ||
			body.results.length === 0
		) {
			throw accountingBadRequest('results must be a non-empty array');
		}
		type Entry = {
			accounting_record_id: string;
			success?: { reference_id?: string | null; deep_link_url: string };
			failure?: { error_message: string };
		};
		const entries: Entry[] = [];
		for (const raw of body.results as unknown[]) {
			const entry = raw as Record<string, unknown> | null;
			if (!entry || typeof entry !== 'object' || typeof entry.accounting_record_id !== 'string') {
				throw accountingBadRequest('Every result needs an accounting_record_id');
			}
			const hasSuccess = entry.success !== undefined && entry.success !== null;
			const hasFailure = entry.failure !== undefined && entry.failure !== null;
			if (hasSuccess === hasFailure) {
				throw accountingBadRequest('Every result needs exactly one of success or failure');
			}
			if (hasSuccess) {
				const success = entry.success as Record<string, unknown>;
				if (typeof success.deep_link_url !== 'string') {
					throw accountingBadRequest('success.deep_link_url is required');
				}
				if (
					success.reference_id !== undefined &&
					success.reference_id !== null &&
					typeof success.reference_id !== 'string'
				) {
					throw accountingBadRequest('success.reference_id must be a string or null');
				}
			} else {
				const failure = entry.failure as Record<string, unknown>;
				if (typeof failure.error_message !== 'string') {
					throw accountingBadRequest('failure.error_message is required');
				}
			}
			entries.push(entry as unknown as Entry);
		}
		// Checked in the order the spec lists its errors; nothing is updated unless every entry is valid.
		const counts = new Map<string, number>();
		for (const e of entries)
			counts.set(e.accounting_record_id, (counts.get(e.accounting_record_id) ?? 0) + 1);
		const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
		if (duplicates.length > 0) {
			throw accountingError(
				422,
				'DUPLICATE_ACCOUNTING_RECORD_IDS',
				'Duplicate accounting record ids found across success and failure results.',
				{ duplicate_accounting_record_ids: duplicates },
			);
		}
		const missing = entries
			.map((e) => e.accounting_record_id)
			.filter((id) => !state.accountingRecords.has(id));
		if (missing.length > 0) {
			throw accountingError(
				404,
				'NOT_FOUND',
				`Accounting record source IDs not found: ${missing.join(', ')}`,
				{
					not_found_export_entry_source_ids: missing,
				},
			);
		}
		const notReady = entries
			.map((e) => e.accounting_record_id)
			.filter((id) => state.accountingRecords.get(id)!.review_status !== 'READY_FOR_EXPORT');
		if (notReady.length > 0) {
			throw accountingError(
				422,
				'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT',
				'Only accounting records with review status READY_FOR_EXPORT can be updated via this endpoint.',
				{ not_ready_for_export_accounting_record_ids: notReady },
			);
		}
		const updated: string[] = [];
		for (const entry of entries) {
			const record = state.accountingRecords.get(entry.accounting_record_id)!;
			const stamp = store.nextStamp();
			record.export_outcomes.push({
				at: stamp,
				success: entry.success
					? {
							reference_id: entry.success.reference_id ?? null,
							deep_link_url: entry.success.deep_link_url,
						}
					: null,
				failure: entry.failure ? { error_message: entry.failure.error_message } : null,
			});
			// A success exports the record; a failure sends it back to review (it is no longer
			// READY_FOR_EXPORT, matching "already exported or failed" records being rejected afterwards).
			record.review_status = entry.success ? 'EXPORTED' : 'REVIEW';
			record.version += 1;
			record.updated_at = stamp;
			if (entry.success && state.expenses.has(record.source_id)) {
				// The expense records the export too, which makes it "updated" for updated_at syncs.
				store.updateExpense(record.source_id, { exported_at: stamp });
			}
			updated.push(record.id);
		}
		return { status: 200, body: { updated_accounting_record_ids: updated } };
	}

	return routes;
}
