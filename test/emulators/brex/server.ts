/**
 * Local Brex API emulator (Brex has no sandbox). Serves the Expenses, Transactions, Accounting (alpha),
 * Vendors, Team and Webhooks endpoints the package calls, plus Brex's OAuth2 server, with Brex's auth
 * errors, cursor paging, idempotency keys, rate limits, injectable faults and Svix-signed webhook deliveries.
 * Control routes under /__emulator/ (no auth) let scripts and e2e tests drive it.
 */
import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	DEFAULT_END_DATE,
	DEFAULT_START_DATE,
	buildSeedData,
	fastPrng,
	renderAccountingRecord,
	renderExpense,
	type RenderContext,
	type SeedSettings,
} from './data';
import { accountingReadyEventFor, eventsFor, type ControlDeliverRequest } from './events';
import { ApiError, brexError, readBody, type ApiRequest, type ApiResult } from './http';
import { OAUTH_PREFIX, handleOAuth } from './oauth';
import { createRoutes, type RouteDef } from './routes';
import { BrexStore, type AccountingRecordPatch, type ExpensePatch } from './store';
import type {
	BrexEmulatorOptions,
	BrexEmulatorState,
	BrexFaults,
	BrexStats,
	DeliveryAttempt,
	EmulatedAccountingRecord,
	EmulatedExpense,
	RequestLogEntry,
	StoredResponse,
	WebhookSecret,
} from './types';
import { WebhookDispatcher, type DeliveryOptions, type WebhookEvent } from './webhooks';

export type * from './types';
export { WEBHOOK_EVENT_TYPES } from './routes';
export { signPayload } from './webhooks';

export const DEFAULT_BREX_TOKEN = 'bxt_emulator_token';
export const DEFAULT_OAUTH_CLIENT = {
	clientId: 'brex_emulator_client',
	clientSecret: 'brex_emulator_secret',
};

/** Svix's documented retry schedule (after the immediate attempt): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const SVIX_RETRY_SCHEDULE_MS = [
	5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

export const DEFAULT_FAULTS: Readonly<BrexFaults> = Object.freeze({
	rateLimitBurst: 0,
	retryAfterSeconds: null,
	status5xx: 0,
	status5xxCodes: [500, 502, 503],
	rate429Probability: 0,
	rate5xxProbability: 0,
	faultSeed: 1,
	latencyMs: 0,
	tokenLifetimeSeconds: 3600,
	rateLimit: null,
	faultPathPrefixes: [],
	duplicateDeliveries: false,
	outOfOrder: false,
	deliveryRetryScheduleMs: [50, 100, 200],
	deliveryTimeoutMs: 15_000,
	deliveryTimestampSkewSeconds: 0,
	corruptSignatures: false,
});

/** A route of the emulator and the spec operation it emulates. */
export interface BrexRouteInfo {
	method: string;
	template: string;
	spec: string;
	operationId: string;
}

export interface BrexEmulator {
	url: string;
	port: number;
	/** First accepted static user token. */
	token: string;
	oauthClient: { clientId: string; clientSecret: string };
	state: BrexEmulatorState;
	stats: BrexStats;
	/** Mutable: change fields directly or through setFaults(). */
	faults: BrexFaults;
	/** Every Brex API route served (OAuth and control routes are not in the specs and not listed). */
	routes: BrexRouteInfo[];
	close(): Promise<void>;
	setFaults(patch: Partial<BrexFaults>): BrexFaults;
	resetFaults(): BrexFaults;
	addExpense(partial?: ExpensePatch & { id?: string }): EmulatedExpense;
	/** Patches an expense, bumping updated_at and version (and creating derived records it now qualifies for). */
	updateExpense(id: string, patch: ExpensePatch): EmulatedExpense;
	updateAccountingRecord(id: string, patch: AccountingRecordPatch): EmulatedAccountingRecord;
	/** POSTs a signed event `{event_type, ...payload}` to every ACTIVE subscription listening to eventType. */
	deliverEvent(
		eventType: string,
		payload: Record<string, unknown>,
		options?: DeliveryOptions & { webhookId?: string },
	): Promise<DeliveryAttempt[]>;
	/** Delivers several events as one batch (the outOfOrder fault shuffles a batch). */
	deliverEvents(events: WebhookEvent[], options?: DeliveryOptions): Promise<DeliveryAttempt[]>;
	/** Events for existing records, as POST /__emulator/deliver builds them. */
	buildEvents(request: ControlDeliverRequest): WebhookEvent[];
	/** New ACTIVE secret; the previous one becomes PENDING_REVOKE (deliveries then carry two signatures). */
	rotateSecret(): WebhookSecret[];
	/** Ends a rotation: drops PENDING_REVOKE secrets. */
	revokePendingSecrets(): WebhookSecret[];
	/** Makes the given tokens (default: every accepted token) answer 403 "Expired token". */
	expireTokens(tokens?: string[]): void;
	/** Makes a token answer 401 like an unknown one. */
	revokeToken(token: string): void;
	/** Moves the emulator clock (token expiry, rate window, new stamps) forward. */
	advanceTime(seconds: number): void;
	now(): number;
	reseed(
		options?: Pick<
			BrexEmulatorOptions,
			'seed' | 'expenseCount' | 'vendorCount' | 'knownVendorShare' | 'startDate' | 'endDate'
		>,
	): void;
	/** JSON of an expense / accounting record exactly as the API renders it. */
	renderExpense(id: string, expand?: string[], loadCustomFields?: boolean): Record<string, unknown>;
	renderAccountingRecord(id: string, singleEntry?: boolean): Record<string, unknown>;
}

function createStats(): BrexStats {
	const stats: BrexStats = {
		total: 0,
		byRoute: {},
		byStatus: {},
		rateLimited: 0,
		serverErrors: 0,
		idempotencyKeys: [],
		deliveries: [],
		requests: [],
		reset() {
			stats.total = 0;
			for (const key of Object.keys(stats.byRoute)) delete stats.byRoute[key];
			for (const key of Object.keys(stats.byStatus)) delete stats.byStatus[key];
			stats.rateLimited = 0;
			stats.serverErrors = 0;
			stats.idempotencyKeys.length = 0;
			stats.deliveries.length = 0;
			stats.requests.length = 0;
		},
	};
	return stats;
}

function seedSettings(options: BrexEmulatorOptions, fallback?: SeedSettings): SeedSettings {
	const start = options.startDate ?? (fallback ? undefined : DEFAULT_START_DATE);
	const end = options.endDate ?? (fallback ? undefined : DEFAULT_END_DATE);
	const startMs = start !== undefined ? Date.parse(start) : fallback!.startMs;
	const endMs = end !== undefined ? Date.parse(end) : fallback!.endMs;
	if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs < startMs) {
		throw new Error(`Invalid seed window ${String(start)} .. ${String(end)}`);
	}
	return {
		seed: options.seed ?? fallback?.seed ?? 42,
		expenseCount: options.expenseCount ?? fallback?.expenseCount ?? 500,
		vendorCount: options.vendorCount ?? fallback?.vendorCount ?? 40,
		knownVendorShare: options.knownVendorShare ?? fallback?.knownVendorShare ?? 0.8,
		startMs,
		endMs,
	};
}

function makeSecret(random: () => number, format: 'base64' | 'whsec'): string {
	const bytes = Buffer.alloc(24);
	for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
	const secret = bytes.toString('base64');
	return format === 'whsec' ? `whsec_${secret}` : secret;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The smallest valid PDF, served as every receipt. */
const RECEIPT_PDF = Buffer.from(
	'%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
		'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface MatchedRoute {
	route: RouteDef;
	params: Record<string, string>;
}

function compileTemplate(template: string): {
	regex: RegExp;
	keys: string[];
	literalCount: number;
} {
	const keys: string[] = [];
	let literalCount = 0;
	const pattern = template
		.split('/')
		.map((segment) => {
			const m = /^\{(.+)\}$/.exec(segment);
			if (m) {
				keys.push(m[1]);
				return '([^/]+)';
			}
			literalCount++;
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { regex: new RegExp(`^${pattern}/?$`), keys, literalCount };
}

export async function startBrexEmulator(options: BrexEmulatorOptions = {}): Promise<BrexEmulator> {
	let settings = seedSettings(options);
	const host = options.host ?? '127.0.0.1';
	const tokens = options.tokens ?? [DEFAULT_BREX_TOKEN];
	const oauthClients = options.oauthClients ?? [DEFAULT_OAUTH_CLIENT];
	const secretFormat = options.webhookSecretFormat ?? 'base64';
	const accountingBatch = options.accountingEventBatchSize ?? 100;
	const requestLogLimit = options.requestLogLimit ?? 10_000;
	let clockOffsetMs = 0;
	const now = () => Date.now() + clockOffsetMs;

	const faults: BrexFaults = {
		...DEFAULT_FAULTS,
		status5xxCodes: [...DEFAULT_FAULTS.status5xxCodes],
		faultPathPrefixes: [],
		deliveryRetryScheduleMs: [...DEFAULT_FAULTS.deliveryRetryScheduleMs],
		...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
		...(options.tokenLifetimeSeconds !== undefined
			? { tokenLifetimeSeconds: options.tokenLifetimeSeconds }
			: {}),
		...options.faults,
	};
	let faultSeedInUse = faults.faultSeed;
	let faultRandom = fastPrng(faultSeedInUse);
	let status5xxIndex = 0;
	const secretRandom = fastPrng(settings.seed ^ 0x5ec7);
	const eventRandom = fastPrng(settings.seed ^ 0xe7e7);
	let messageCounter = 0;

	const state: BrexEmulatorState = {
		...buildSeedData(settings),
		webhooks: new Map(),
		webhookSecrets: [{ secret: makeSecret(secretRandom, secretFormat), status: 'ACTIVE' }],
		idempotency: new Map(),
		tokens: new Map(
			tokens.map((t) => [
				t,
				{ kind: 'user' as const, clientId: null, scope: 'openid offline_access', expiresAt: null },
			]),
		),
		expiredTokens: new Set(),
		revokedTokens: new Set(),
		oauthClients: new Map(oauthClients.map((c) => [c.clientId, { ...c }])),
		authorizationCodes: new Map(),
		refreshTokens: new Map(),
	};
	const store = new BrexStore(state, now);
	const stats = createStats();
	const rateWindows = new Map<string, number[]>();
	let baseUrl = '';

	const dispatcher = new WebhookDispatcher({
		state: () => state,
		faults: () => faults,
		stats: () => stats,
		random: eventRandom,
		nextMessageId: () =>
			`msg_${(++messageCounter).toString(36).padStart(6, '0')}${randomBytes(8).toString('hex')}`,
	});

	const renderContext = (): RenderContext => ({ state, baseUrl });
	const routeDefs = createRoutes({
		state,
		store,
		render: () => renderContext(),
		requireHttpsWebhooks: options.requireHttpsWebhooks ?? false,
	});
	const compiled = routeDefs.map((route) => ({ route, ...compileTemplate(route.template) }));

	function matchRoute(method: string, path: string): MatchedRoute | 'method-not-allowed' | null {
		let best: { route: RouteDef; params: Record<string, string>; literalCount: number } | null =
			null;
		let pathMatched = false;
		for (const c of compiled) {
			const m = c.regex.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (c.route.method !== method) continue;
			// Literal segments win over parameters: /v1/expenses/card before /v1/expenses/{id}.
			if (!best || c.literalCount > best.literalCount) {
				const params: Record<string, string> = {};
				c.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1])));
				best = { route: c.route, params, literalCount: c.literalCount };
			}
		}
		if (best) return { route: best.route, params: best.params };
		return pathMatched ? 'method-not-allowed' : null;
	}

	/**
	 * The Accounting API declares its own error shape for 401/403/5xx (AccountingErrorResponse), so the
	 * emulator follows its spec there instead of the general `{type, message}` of the error-codes page.
	 */
	function errorBody(
		style: 'brex' | 'accounting',
		status: number,
		type: string,
		message: string,
	): unknown {
		if (style === 'accounting') {
			const code =
				status === 401
					? 'UNAUTHORIZED'
					: status === 403
						? 'FORBIDDEN'
						: status >= 500
							? 'INTERNAL_ERROR'
							: 'INVALID_REQUEST';
			return { error_code: code, message, details: null };
		}
		return { type, message };
	}

	function tooManyRequests(): ApiResult {
		stats.rateLimited++;
		// 429 is not in any spec; Brex documents neither a body nor Retry-After for it.
		return {
			status: 429,
			body: { type: 'TOO_MANY_REQUESTS', message: 'Too many requests' },
			headers:
				faults.retryAfterSeconds !== null
					? { 'Retry-After': String(faults.retryAfterSeconds) }
					: {},
		};
	}

	function serverError(status: number, style: 'brex' | 'accounting'): ApiResult {
		stats.serverErrors++;
		if (status === 502) {
			return {
				status,
				raw: '<html><body><h1>502 Bad Gateway</h1></body></html>',
				contentType: 'text/html',
			};
		}
		if (status === 503)
			return {
				status,
				raw: 'upstream connect error or disconnect/reset before headers',
				contentType: 'text/plain',
			};
		return {
			status,
			body: errorBody(style, status, 'INTERNAL_SERVER_ERROR', 'An unexpected error occurred.'),
		};
	}

	function injectedFault(path: string, style: 'brex' | 'accounting'): ApiResult | null {
		if (
			faults.faultPathPrefixes.length > 0 &&
			!faults.faultPathPrefixes.some((p) => path.startsWith(p))
		)
			return null;
		if (faults.faultSeed !== faultSeedInUse) {
			faultSeedInUse = faults.faultSeed;
			faultRandom = fastPrng(faultSeedInUse);
		}
		const next5xx = () => {
			const codes = faults.status5xxCodes.length > 0 ? faults.status5xxCodes : [500];
			return codes[status5xxIndex++ % codes.length];
		};
		if (faults.rateLimitBurst > 0) {
			faults.rateLimitBurst--;
			return tooManyRequests();
		}
		if (faults.status5xx > 0) {
			faults.status5xx--;
			return serverError(next5xx(), style);
		}
		if (faults.rate429Probability > 0 && faultRandom() < faults.rate429Probability)
			return tooManyRequests();
		if (faults.rate5xxProbability > 0 && faultRandom() < faults.rate5xxProbability) {
			return serverError(next5xx(), style);
		}
		return null;
	}

	function authenticate(
		req: IncomingMessage,
		style: 'brex' | 'accounting',
	): { token: string } | ApiResult {
		const header = req.headers.authorization ?? '';
		const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
		const token = m?.[1] ?? null;
		const info = token ? state.tokens.get(token) : undefined;
		if (!token || !info || state.revokedTokens.has(token)) {
			return {
				status: 401,
				body: errorBody(style, 401, 'UNAUTHORIZED', 'PERMISSION_DENIED: Invalid or Revoked Token'),
			};
		}
		if (state.expiredTokens.has(token) || (info.expiresAt !== null && now() >= info.expiresAt)) {
			return { status: 403, body: errorBody(style, 403, 'FORBIDDEN', 'Expired token') };
		}
		return { token };
	}

	function rateWindow(token: string): ApiResult | null {
		const limit = faults.rateLimit;
		if (!limit) return null;
		const t = now();
		const hits = (rateWindows.get(token) ?? []).filter((at) => at > t - limit.windowMs);
		if (hits.length >= limit.max) {
			rateWindows.set(token, hits);
			return tooManyRequests();
		}
		hits.push(t);
		rateWindows.set(token, hits);
		return null;
	}

	function prepare(result: ApiResult): StoredResponse {
		const headers: Record<string, string> = { ...result.headers };
		let body = '';
		if (result.raw !== undefined) {
			body = typeof result.raw === 'string' ? result.raw : result.raw.toString('utf8');
			headers['Content-Type'] = result.contentType ?? 'application/octet-stream';
		} else if (result.body !== undefined) {
			body = JSON.stringify(result.body);
			headers['Content-Type'] = 'application/json';
		}
		return { status: result.status, headers, body };
	}

	function send(res: ServerResponse, response: StoredResponse, binary?: Buffer): void {
		for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
		const payload = binary ?? Buffer.from(response.body, 'utf8');
		res.setHeader('Content-Length', payload.length);
		res.statusCode = response.status;
		res.end(payload);
	}

	function runIdempotent(
		route: RouteDef,
		req: ApiRequest,
		key: string | null,
		routeKey: string,
	): StoredResponse {
		if (!key) {
			if (route.idempotency === 'required') {
				return prepare({
					status: 400,
					body: { type: 'BAD_REQUEST', message: 'Idempotency-Key header is required' },
				});
			}
			return prepare(runHandler(route, req));
		}
		const fingerprint = `${req.method} ${req.path}\n${createHash('sha256').update(req.rawBody).digest('hex')}`;
		const prior = state.idempotency.get(key);
		if (prior) {
			stats.idempotencyKeys.push({
				key,
				route: routeKey,
				replayed: true,
				at: new Date().toISOString(),
			});
			if (prior.fingerprint !== fingerprint) {
				// Undocumented by Brex; refusing is the safe reading of "never reuse a key for another request".
				return prepare({
					status: 400,
					body: {
						type: 'BAD_REQUEST',
						message: 'Idempotency-Key was already used for a different request',
					},
				});
			}
			// Same key, same request: the stored answer again, without doing anything a second time.
			return prior.response;
		}
		stats.idempotencyKeys.push({
			key,
			route: routeKey,
			replayed: false,
			at: new Date().toISOString(),
		});
		const response = prepare(runHandler(route, req));
		if (response.status < 500) state.idempotency.set(key, { fingerprint, response });
		return response;
	}

	function runHandler(route: RouteDef, req: ApiRequest): ApiResult {
		try {
			return route.handler(req);
		} catch (error) {
			if (error instanceof ApiError) return { status: error.status, body: error.body };
			throw error;
		}
	}

	function logRequest(entry: RequestLogEntry): void {
		stats.requests.push(entry);
		if (stats.requests.length > requestLogLimit)
			stats.requests.splice(0, stats.requests.length - requestLogLimit);
	}

	async function handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		rawBody: string,
	): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname;
		const match = matchRoute(method, path);
		const route = match && match !== 'method-not-allowed' ? match : null;
		const routeKey = route ? `${method} ${route.route.template}` : `${method} ${path}`;
		const style = route?.route.errorStyle ?? 'brex';
		const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
		stats.total++;
		stats.byRoute[routeKey] = (stats.byRoute[routeKey] ?? 0) + 1;
		if (faults.latencyMs > 0) await sleep(faults.latencyMs);

		let response: StoredResponse;
		if (!match) {
			response = prepare({ status: 404, body: { type: 'NOT_FOUND', message: 'Not Found' } });
		} else if (match === 'method-not-allowed') {
			response = prepare({
				status: 405,
				body: { type: 'METHOD_NOT_ALLOWED', message: `${method} not allowed` },
			});
		} else {
			const fault = injectedFault(path, style);
			if (fault) response = prepare(fault);
			else {
				const auth = authenticate(req, style);
				if (!('token' in auth)) response = prepare(auth);
				else {
					const limited = rateWindow(auth.token);
					if (limited) response = prepare(limited);
					else {
						const apiRequest: ApiRequest = {
							method,
							path,
							query: url.searchParams,
							params: match.params,
							headers: req.headers,
							rawBody,
							token: auth.token,
							baseUrl,
						};
						response = match.route.idempotency
							? runIdempotent(match.route, apiRequest, idempotencyKey, routeKey)
							: prepare(runHandler(match.route, apiRequest));
					}
				}
			}
		}
		stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
		logRequest({
			method,
			path,
			query: url.search,
			route: route ? route.route.template : null,
			status: response.status,
			idempotencyKey,
			at: new Date().toISOString(),
		});
		send(res, response);
	}

	function handleOAuthRequest(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		rawBody: string,
	): void {
		const method = (req.method ?? 'GET').toUpperCase();
		const routeKey = `${method} ${url.pathname}`;
		stats.total++;
		stats.byRoute[routeKey] = (stats.byRoute[routeKey] ?? 0) + 1;
		const result = handleOAuth(method, url, req.headers, rawBody, {
			state,
			now,
			tokenLifetimeSeconds: () => faults.tokenLifetimeSeconds,
			issuer: `${baseUrl}${OAUTH_PREFIX}`,
		}) ?? { status: 404, body: { error: 'not_found', error_description: 'Not Found' } };
		stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
		send(res, prepare(result));
	}

	function setFaults(patch: Partial<BrexFaults>): BrexFaults {
		const known = new Set(Object.keys(DEFAULT_FAULTS));
		for (const [key, value] of Object.entries(patch)) {
			if (!known.has(key)) throw new Error(`Unknown fault "${key}"`);
			(faults as unknown as Record<string, unknown>)[key] = value;
		}
		if (patch.faultSeed !== undefined) {
			faultSeedInUse = faults.faultSeed;
			faultRandom = fastPrng(faultSeedInUse);
		}
		return faults;
	}

	function resetFaults(): BrexFaults {
		setFaults({
			...DEFAULT_FAULTS,
			status5xxCodes: [...DEFAULT_FAULTS.status5xxCodes],
			faultPathPrefixes: [],
			deliveryRetryScheduleMs: [...DEFAULT_FAULTS.deliveryRetryScheduleMs],
		});
		status5xxIndex = 0;
		return faults;
	}

	function rotateSecret(): WebhookSecret[] {
		const current = state.webhookSecrets.find((s) => s.status === 'ACTIVE');
		state.webhookSecrets = [
			{ secret: makeSecret(secretRandom, secretFormat), status: 'ACTIVE' },
			...(current ? [{ secret: current.secret, status: 'PENDING_REVOKE' as const }] : []),
		];
		return state.webhookSecrets.map((s) => ({ ...s }));
	}

	function revokePendingSecrets(): WebhookSecret[] {
		state.webhookSecrets = state.webhookSecrets.filter((s) => s.status === 'ACTIVE');
		return state.webhookSecrets.map((s) => ({ ...s }));
	}

	function reseed(opts: Parameters<BrexEmulator['reseed']>[0] = {}): void {
		settings = seedSettings(opts, settings);
		Object.assign(state, buildSeedData(settings));
		store.resync();
	}

	function buildEvents(request: ControlDeliverRequest): WebhookEvent[] {
		return eventsFor(state, request, accountingBatch);
	}

	async function handleControl(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		rawBody: string,
	): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.replace(/\/+$/, '');
		const json = (status: number, body: unknown) => send(res, prepare({ status, body }));
		let body: Record<string, unknown> = {};
		if (rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody) as Record<string, unknown>;
			} catch {
				return json(400, { error: 'Body is not valid JSON' });
			}
		}
		try {
			if (method === 'GET' && path === '/__emulator/health') {
				return json(200, {
					ok: true,
					url: baseUrl,
					seed: state.seed,
					expenses: state.expenses.size,
					cardTransactions: state.cardTransactions.size,
					accountingRecords: state.accountingRecords.size,
					vendors: state.vendors.size,
					webhooks: state.webhooks.size,
				});
			}
			if (method === 'GET' && path === '/__emulator/stats') {
				const slim = url.searchParams.get('slim') === 'true';
				return json(
					200,
					slim
						? { ...stats, deliveries: stats.deliveries.length, requests: stats.requests.length }
						: stats,
				);
			}
			if (method === 'POST' && path === '/__emulator/stats/reset') {
				stats.reset();
				return json(200, { ok: true });
			}
			if (path === '/__emulator/faults' && method === 'GET') return json(200, faults);
			if (path === '/__emulator/faults' && method === 'POST')
				return json(200, setFaults(body as Partial<BrexFaults>));
			if (path === '/__emulator/faults/reset' && method === 'POST') return json(200, resetFaults());
			if (method === 'POST' && path === '/__emulator/deliver') {
				const events = buildEvents(body as unknown as ControlDeliverRequest);
				const delivery = dispatcher.deliver(events);
				if (body.wait === false) {
					// Retries (possibly on Svix's long schedule) go on in the background; see stats.deliveries.
					delivery.catch(() => undefined);
					return json(202, { events: events.length });
				}
				return json(200, { events: events.length, attempts: await delivery });
			}
			if (method === 'POST' && path === '/__emulator/seed') {
				reseed(body as Parameters<BrexEmulator['reseed']>[0]);
				return json(200, { ok: true, expenses: state.expenses.size, vendors: state.vendors.size });
			}
			if (method === 'POST' && path === '/__emulator/rotate-secret')
				return json(200, rotateSecret());
			if (method === 'POST' && path === '/__emulator/revoke-pending-secrets')
				return json(200, revokePendingSecrets());
			if (method === 'POST' && path === '/__emulator/expire-tokens') {
				emulator.expireTokens(Array.isArray(body.tokens) ? (body.tokens as string[]) : undefined);
				return json(200, { ok: true });
			}
			if (method === 'POST' && path === '/__emulator/advance-time') {
				emulator.advanceTime(Number(body.seconds ?? 0));
				return json(200, { now: new Date(now()).toISOString() });
			}
			if (method === 'POST' && path === '/__emulator/expenses') {
				const expense = store.addExpense(body as ExpensePatch);
				return json(200, renderExpense(renderContext(), expense, new Set(), true));
			}
			const expenseMatch = /^\/__emulator\/expenses\/([^/]+)$/.exec(path);
			if (method === 'PATCH' && expenseMatch) {
				const expense = store.updateExpense(
					decodeURIComponent(expenseMatch[1]),
					body as ExpensePatch,
				);
				return json(200, renderExpense(renderContext(), expense, new Set(), true));
			}
			const recordMatch = /^\/__emulator\/accounting\/records\/([^/]+)$/.exec(path);
			if (method === 'PATCH' && recordMatch) {
				const record = store.updateAccountingRecord(
					decodeURIComponent(recordMatch[1]),
					body as AccountingRecordPatch,
				);
				if (body.deliver === true)
					await dispatcher.deliver([accountingReadyEventFor(state, [record.id])]);
				return json(200, renderAccountingRecord(renderContext(), record, false));
			}
			const receiptMatch = /^\/__emulator\/receipts\/([^/]+)\.pdf$/.exec(path);
			if (method === 'GET' && receiptMatch) {
				return send(
					res,
					{ status: 200, headers: { 'Content-Type': 'application/pdf' }, body: '' },
					RECEIPT_PDF,
				);
			}
			return json(404, { error: `No control route ${method} ${path}` });
		} catch (error) {
			return json(400, { error: error instanceof Error ? error.message : String(error) });
		}
	}

	// 500 accounting record ids in one query string exceed Node's default 16 KB header limit.
	const server = http.createServer({ maxHeaderSize: 128 * 1024 }, (req, res) => {
		res.setHeader('X-Brex-Trace-Id', randomBytes(16).toString('hex'));
		void (async () => {
			try {
				const url = new URL(req.url ?? '/', baseUrl || 'http://127.0.0.1');
				const rawBody = await readBody(req);
				if (url.pathname.startsWith('/__emulator/')) await handleControl(req, res, url, rawBody);
				else if (url.pathname.startsWith('/oauth2/')) {
					if (faults.latencyMs > 0) await sleep(faults.latencyMs);
					handleOAuthRequest(req, res, url, rawBody);
				} else await handleApi(req, res, url, rawBody);
			} catch (error) {
				if (res.headersSent) {
					res.destroy();
					return;
				}
				const status = error instanceof ApiError ? error.status : 500;
				const body =
					error instanceof ApiError
						? error.body
						: brexError(
								500,
								'INTERNAL_SERVER_ERROR',
								error instanceof Error ? error.message : String(error),
							).body;
				send(res, prepare({ status, body }));
			}
		})();
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

	const emulator: BrexEmulator = {
		url: baseUrl,
		port,
		token: tokens[0] ?? DEFAULT_BREX_TOKEN,
		oauthClient: { ...oauthClients[0] },
		state,
		stats,
		faults,
		routes: routeDefs.map((r) => ({
			method: r.method,
			template: r.template,
			spec: r.spec,
			operationId: r.operationId,
		})),
		async close() {
			dispatcher.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
		setFaults,
		resetFaults,
		addExpense: (partial) => store.addExpense(partial),
		updateExpense: (id, patch) => store.updateExpense(id, patch),
		updateAccountingRecord: (id, patch) => store.updateAccountingRecord(id, patch),
		deliverEvent(eventType, payload, opts = {}) {
			const { webhookId, ...deliveryOptions } = opts;
			return dispatcher.deliver(
				[{ eventType, body: { event_type: eventType, ...payload }, webhookId }],
				deliveryOptions,
			);
		},
		deliverEvents: (events, opts) => dispatcher.deliver(events, opts),
		buildEvents,
		rotateSecret,
		revokePendingSecrets,
		expireTokens(list) {
			for (const token of list ?? [...state.tokens.keys()]) state.expiredTokens.add(token);
		},
		revokeToken(token) {
			state.revokedTokens.add(token);
		},
		advanceTime(seconds) {
			if (!Number.isFinite(seconds) || seconds < 0)
				throw new Error('advanceTime takes a non-negative number');
			clockOffsetMs += seconds * 1000;
		},
		now,
		reseed,
		renderExpense(id, expand = [], loadCustomFields = false) {
			const expense = state.expenses.get(id);
			if (!expense) throw new Error(`No expense ${id}`);
			return renderExpense(renderContext(), expense, new Set(expand), loadCustomFields);
		},
		renderAccountingRecord(id, singleEntry = false) {
			const record = state.accountingRecords.get(id);
			if (!record) throw new Error(`No accounting record ${id}`);
			return renderAccountingRecord(renderContext(), record, singleEntry);
		},
	};
	return emulator;
}
