import { randomUUID } from 'node:crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	backoffDelayMs,
	isNetworkErrorCode,
	isRetryableStatus,
	parseRetryAfter,
	type RetryPolicy,
} from '../common/retry';

/**
 * The one Brex HTTP client of the package (action node and trigger): base URL from the credential,
 * retries with backoff on 429/5xx/network errors, a stable Idempotency-Key per POST/PUT across its retries,
 * cursor pagination, and errors that carry Brex's type/message and trace id but never the token.
 */

export type BrexCredentialType = 'brexApi' | 'brexOAuth2Api';
export type BrexContext =
	| IExecuteFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions;

export interface BrexRequestOptions {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. '/v1/expenses'. Callers encode path parameters. */
	path: string;
	/** Arrays are sent as repeated keys; pass the key with brackets where Brex uses them ('status[]'). */
	qs?: IDataObject;
	body?: IDataObject;
	/** POST/PUT without one get a generated UUID that stays the same across retries of this call. */
	idempotencyKey?: string;
}

export interface BrexClientOptions {
	credentialType: BrexCredentialType;
	retry?: Partial<RetryPolicy>;
}

export interface BrexPaging {
	/** Page size sent as `limit` (1..100; default 100, the maximum List Expenses accepts). */
	pageSize?: number;
	/** Stop after this many items in total, without fetching further pages. */
	maxItems?: number;
	/** Largest page the endpoint accepts, when it is not BREX_MAX_PAGE_SIZE (the Fields API takes 1,000). */
	maxPageSize?: number;
}

export const BREX_DEFAULT_BASE_URL = 'https://api.brex.com';
/** List Expenses accepts at most 100 since Feb 2026; using it everywhere keeps one rule. */
export const BREX_MAX_PAGE_SIZE = 100;

/** What the package knows about a failed Brex call, for callers that branch on it. */
export interface BrexErrorInfo {
	status: number | null;
	/** `type` of the general Brex error body, or `error_code` of the Accounting API's. */
	type: string | null;
	/** Optional `code` of the general error body (e.g. USER_NOT_FOUND). */
	code: string | null;
	message: string | null;
	/** `details` of an Accounting API error (e.g. not_ready_for_export_accounting_record_ids). */
	details: IDataObject | null;
	traceId: string | null;
	method: IHttpRequestMethods;
	path: string;
	attempts: number;
}

export class BrexApiError extends NodeApiError {
	readonly brex: BrexErrorInfo;

	constructor(ctx: BrexContext, info: BrexErrorInfo, message: string, description: string) {
		// The error response is a plain object we built: no request config, so no Authorization header.
		super(ctx.getNode(), { ...info } as unknown as JsonObject, {
			message,
			description,
			httpCode: info.status === null ? undefined : String(info.status),
		});
		// NodeApiError swaps messages naming a network code for a generic text; keep ours, it names the call.
		this.message = message;
		this.brex = info;
	}
}

type SleepFunction = (ms: number) => Promise<void>;
let sleepFunction: SleepFunction = sleep;

/** Tests replace the backoff wait to assert its durations without waiting; pass nothing to restore. */
export function setSleepForTests(fn?: SleepFunction): void {
	sleepFunction = fn ?? sleep;
}

interface RawResponse {
	status: number;
	headers: IDataObject;
	body: unknown;
}

type Attempt =
	| { kind: 'response'; response: RawResponse }
	/** No response: retryable when the code is a transient network error. */
	| { kind: 'network'; code: string | null; message: string; retryable: boolean };

const WRITE_METHODS = new Set<IHttpRequestMethods>(['POST', 'PUT']);

export async function brexRequest<T = IDataObject>(
	ctx: BrexContext,
	client: BrexClientOptions,
	options: BrexRequestOptions,
): Promise<T> {
	const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...client.retry };
	const maxAttempts = Math.max(1, Math.floor(policy.maxAttempts));
	const baseUrl = await resolveBaseUrl(ctx, client.credentialType);
	const idempotencyKey = WRITE_METHODS.has(options.method)
		? (options.idempotencyKey ?? randomUUID())
		: undefined;

	const request: IHttpRequestOptions = {
		method: options.method,
		url: baseUrl + normalisePath(ctx, options.path),
		headers: {
			Accept: 'application/json',
			...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
		},
		json: true,
		arrayFormat: 'repeat',
		returnFullResponse: true,
		// OAuth2 needs 401 and 403 thrown so that n8n refreshes the access token and retries once (Brex answers
		// an expired access token with 403; the credential lists both as tokenExpiredStatusCode).
		ignoreHttpStatusErrors:
			client.credentialType === 'brexOAuth2Api' ? { ignore: true, except: [401, 403] } : true,
	};
	const qs = cleanQuery(options.qs);
	if (qs) request.qs = qs;
	if (options.body !== undefined) request.body = options.body;

	let attempt = 0;
	for (;;) {
		attempt++;
		const outcome = await sendOnce(ctx, client.credentialType, request);
		if (outcome.kind === 'response' && outcome.response.status < 300) {
			const body = outcome.response.body;
			// Some endpoints (e.g. DELETE) answer 200 without a body.
			return (body === undefined || body === null || body === '' ? {} : body) as T;
		}
		const retryable =
			outcome.kind === 'network' ? outcome.retryable : isRetryableStatus(outcome.response.status);
		if (!retryable || attempt >= maxAttempts || isCancelled(ctx)) {
			throw toBrexError(ctx, outcome, options, attempt);
		}
		const retryAfterMs =
			outcome.kind === 'response'
				? parseRetryAfter(header(outcome.response.headers, 'retry-after'))
				: undefined;
		await sleepFunction(backoffDelayMs(attempt, policy, retryAfterMs));
	}
}

/** Yields the items of each page in turn; follows next_cursor until null; limit ≤ 100; stops after maxItems. */
export async function* brexPages<T = IDataObject>(
	ctx: BrexContext,
	client: BrexClientOptions,
	options: BrexRequestOptions,
	paging: BrexPaging = {},
): AsyncGenerator<T[]> {
	const pageSize = clampPageSize(paging.pageSize, paging.maxPageSize);
	const maxItems =
		paging.maxItems === undefined ? Infinity : Math.max(0, Math.floor(paging.maxItems));
	let yielded = 0;
	let cursor: string | undefined;
	const seenCursors = new Set<string>();
	while (yielded < maxItems) {
		const limit = Math.min(pageSize, maxItems - yielded);
		const qs: IDataObject = { ...options.qs, limit };
		if (cursor !== undefined) qs.cursor = cursor;
		const body = await brexRequest<unknown>(ctx, client, { ...options, qs });
		const { items, nextCursor } = readPage<T>(ctx, body, options.path);
		const page = items.slice(0, maxItems - yielded);
		yielded += page.length;
		if (page.length > 0) yield page;
		if (nextCursor === null) return;
		if (seenCursors.has(nextCursor)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Brex returned the same page cursor twice for ${options.path}; stopping to avoid an endless loop`,
			);
		}
		seenCursors.add(nextCursor);
		cursor = nextCursor;
	}
}

/** Yields the items of all pages one by one (same arguments as brexPages). */
export async function* brexItems<T = IDataObject>(
	ctx: BrexContext,
	client: BrexClientOptions,
	options: BrexRequestOptions,
	paging: BrexPaging = {},
): AsyncGenerator<T> {
	for await (const page of brexPages<T>(ctx, client, options, paging)) {
		for (const item of page) yield item;
	}
}

/**
 * The items of several lists read side by side (one cursor chain each, e.g. the date slices of one range),
 * yielded in list order; an item whose `id` an earlier list already gave is left out (a record that changed
 * while the slices were read can be in two). All pages are read before the first item is yielded: for "return
 * all" reads, which keep every item anyway. A failed list fails the whole read.
 */
export async function* brexItemsSideBySide<T extends { id?: unknown } = IDataObject>(
	ctx: BrexContext,
	client: BrexClientOptions,
	lists: BrexRequestOptions[],
): AsyncGenerator<T> {
	const read = async (options: BrexRequestOptions): Promise<T[]> => {
		const items: T[] = [];
		for await (const page of brexPages<T>(ctx, client, options)) items.push(...page);
		return items;
	};
	const results = await Promise.all(lists.map(read));
	const seen = new Set<unknown>();
	for (const items of results) {
		for (const item of items) {
			if (item.id !== undefined) {
				if (seen.has(item.id)) continue;
				seen.add(item.id);
			}
			yield item;
		}
	}
}

function clampPageSize(
	pageSize: number | undefined,
	maxPageSize: number = BREX_MAX_PAGE_SIZE,
): number {
	if (pageSize === undefined || !Number.isFinite(pageSize)) return maxPageSize;
	return Math.min(maxPageSize, Math.max(1, Math.floor(pageSize)));
}

function readPage<T>(
	ctx: BrexContext,
	body: unknown,
	path: string,
): { items: T[]; nextCursor: string | null } {
	// A few Brex lists (card accounts, webhook secrets) are bare arrays without paging.
	if (Array.isArray(body)) return { items: body as T[], nextCursor: null };
	const page = pageOf<T>(body);
	if (!page) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Brex answered ${path} without an "items" list; the response is not a page`,
		);
	}
	return page;
}

/** A Brex page's items and the cursor of the next page (null on the last); null when the body has no items list. */
export function pageOf<T>(body: unknown): { items: T[]; nextCursor: string | null } | null {
	const page = (body ?? {}) as IDataObject;
	if (!Array.isArray(page.items)) return null;
	const next = page.next_cursor;
	// The Accounting API also says has_next_page; trust a "no more pages" from either field.
	const hasNext = page.has_next_page !== false && typeof next === 'string' && next !== '';
	return { items: page.items as T[], nextCursor: hasNext ? (next as string) : null };
}

async function resolveBaseUrl(
	ctx: BrexContext,
	credentialType: BrexCredentialType,
): Promise<string> {
	const credentials = await ctx.getCredentials(credentialType);
	const configured = typeof credentials?.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	const baseUrl = (configured || BREX_DEFAULT_BASE_URL).replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Brex base URL "${baseUrl}" is not an http(s) URL`,
			{
				description: 'Set the Base URL of the Brex credential, e.g. https://api.brex.com',
			},
		);
	}
	return baseUrl;
}

function normalisePath(ctx: BrexContext, path: string): string {
	if (!path.startsWith('/') || /^\/\//.test(path)) {
		throw new NodeOperationError(ctx.getNode(), `Brex path "${path}" must start with a single "/"`);
	}
	return path;
}

function cleanQuery(qs: IDataObject | undefined): IDataObject | undefined {
	if (!qs) return undefined;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		out[key] = value;
	}
	return Object.keys(out).length > 0 ? out : undefined;
}

async function sendOnce(
	ctx: BrexContext,
	credentialType: BrexCredentialType,
	request: IHttpRequestOptions,
): Promise<Attempt> {
	let thrown: unknown;
	try {
		// A copy per attempt: n8n's auth helpers write into the options (headers, abort signal).
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
			...request,
			headers: { ...request.headers },
		})) as IDataObject;
		return {
			kind: 'response',
			response: {
				status: Number(response.statusCode ?? 200),
				headers: (response.headers ?? {}) as IDataObject,
				body: response.body,
			},
		};
	} catch (error) {
		thrown = error;
	}
	return attemptFromThrown(thrown);
}

/**
 * n8n throws (instead of returning) for network failures and for statuses excluded from
 * ignoreHttpStatusErrors (401 with OAuth2, after its token refresh). Read the axios error underneath.
 */
function attemptFromThrown(thrown: unknown): Attempt {
	const error = (thrown ?? {}) as IDataObject;
	const cause = (error.cause ?? {}) as IDataObject;
	const response = (cause.response ?? error.response) as IDataObject | undefined;
	if (response && typeof response === 'object' && typeof response.status === 'number') {
		return {
			kind: 'response',
			response: {
				status: response.status,
				headers: (response.headers ?? {}) as IDataObject,
				body: response.data ?? response.body,
			},
		};
	}
	const code = [cause.code, error.code, (error.context as IDataObject | undefined)?.code].find(
		(candidate) => typeof candidate === 'string',
	) as string | undefined;
	// Our own validation errors (e.g. no credential set) carry nothing secret: pass them on.
	if (thrown instanceof NodeOperationError) throw thrown;
	// Anything else is rebuilt from code and message only: n8n's wrapped axios error holds the request
	// config, Authorization header included, and must not travel further.
	return {
		kind: 'network',
		code: code ?? null,
		message: redactSecrets(String(cause.message ?? error.message ?? 'request failed')),
		retryable: isNetworkErrorCode(code),
	};
}

function isCancelled(ctx: BrexContext): boolean {
	const withSignal = ctx as Partial<IExecuteFunctions>;
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()?.aborted === true
		: false;
}

function header(headers: IDataObject, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
		return value === undefined || value === null ? undefined : String(value);
	}
	return undefined;
}

function asText(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? redactSecrets(value.trim()) : null;
}

/**
 * Servers and proxies sometimes echo the request (headers included) in an error body: strip anything that looks
 * like a bearer credential or a Brex user token before it reaches an error message.
 */
export function redactSecrets(text: string): string {
	return text
		.replace(/(bearer\s+)[^\s"',;]+/gi, '$1[redacted]')
		.replace(/\bbxt_[A-Za-z0-9._~+/=-]+/g, 'bxt_[redacted]');
}

function toBrexError(
	ctx: BrexContext,
	outcome: Attempt,
	options: BrexRequestOptions,
	attempts: number,
): BrexApiError {
	const where = `${options.method} ${options.path}`;
	const tried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
	if (outcome.kind === 'network') {
		const info: BrexErrorInfo = {
			status: null,
			type: outcome.code,
			code: outcome.code,
			message: outcome.message,
			details: null,
			traceId: null,
			method: options.method,
			path: options.path,
			attempts,
		};
		return new BrexApiError(
			ctx,
			info,
			`Could not reach Brex for ${where}: ${outcome.code ?? outcome.message}${tried}`,
			`${outcome.message}\nCheck the Base URL of the Brex credential and the network between n8n and Brex.`,
		);
	}
	const { status, headers, body } = outcome.response;
	const parsed = (
		body && typeof body === 'object' && !Array.isArray(body) ? body : {}
	) as IDataObject;
	const type = asText(parsed.type) ?? asText(parsed.error_code);
	const brexMessage =
		asText(parsed.message) ?? (typeof body === 'string' ? asText(body.slice(0, 300)) : null);
	const details =
		parsed.details && typeof parsed.details === 'object' && !Array.isArray(parsed.details)
			? (JSON.parse(redactSecrets(JSON.stringify(parsed.details))) as IDataObject)
			: null;
	const traceId = header(headers, 'x-brex-trace-id') ?? null;
	const info: BrexErrorInfo = {
		status,
		type,
		code: asText(parsed.code),
		message: brexMessage,
		details,
		traceId,
		method: options.method,
		path: options.path,
		attempts,
	};
	const label = [String(status), type].filter(Boolean).join(' ');
	const message = `Brex ${where} failed with ${label}: ${brexMessage ?? 'no error message'}${tried}`;
	const lines: string[] = [];
	const hint = statusHint(status, brexMessage);
	if (hint) lines.push(hint);
	if (details) lines.push(`Details: ${JSON.stringify(details)}`);
	lines.push(
		traceId
			? `X-Brex-Trace-Id: ${traceId} (quote it to Brex support)`
			: 'Brex sent no X-Brex-Trace-Id header.',
	);
	return new BrexApiError(ctx, info, message, lines.join('\n'));
}

function statusHint(status: number, brexMessage: string | null): string | null {
	if (status === 401) {
		return (
			'The Brex token is invalid or has been revoked. Create a new user token in the Brex dashboard ' +
			'(Developer → Settings → Create Token) or reconnect the OAuth2 credential, then update the credential.'
		);
	}
	if (status === 403 && brexMessage && /expired/i.test(brexMessage)) {
		return (
			'The Brex token has expired after a period without use. Create a new user token in the Brex dashboard ' +
			'(Developer → Settings) and update the credential.'
		);
	}
	if (status === 403) {
		return (
			'The token is not allowed to call this endpoint: check the scopes chosen when the token was created ' +
			'and the role of the Brex user who created it.'
		);
	}
	if (status === 429)
		return 'Brex rate limit reached (1,000 requests per minute per client and account).';
	if (status === 404) return 'Brex does not know this record, or the token cannot see it.';
	return null;
}
