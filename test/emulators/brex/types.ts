/**
 * Shapes of the Brex emulator's in-memory state, options, faults and stats.
 * Stored records are kept compact (shared sub-objects, derived fields rendered per request) so that
 * 50,000 expenses with their card transactions and accounting records fit comfortably in memory.
 */

/** Brex Money: signed integer minor units (Expenses, Transactions, Webhooks APIs). */
export interface Money {
	amount: number;
	currency: string;
}

/** Brex `Merchant` (expenses: country is ISO 3166-1 alpha-3). */
export interface Merchant {
	raw_descriptor: string;
	mcc: string;
	country: string;
}

/** Brex `Location` used as the purchase address of an expense (country ISO 3166-1 alpha-2). */
export interface PurchaseAddress {
	country: string | null;
	state: string | null;
	city: string | null;
	postal_code: string | null;
	timezone: string | null;
	coordinates: { latitude: number; longitude: number } | null;
	line1: string | null;
	line2: string | null;
}

export interface CustomField {
	key: string;
	value: { value_type: 'SINGLE_VALUE' | 'LIST'; data_type: string; data: unknown };
}

/**
 * One expense as stored. Keys that the API returns keep the API's snake_case names; the ones after
 * `receipt_ids` are emulator-only and never rendered as such.
 */
export interface EmulatedExpense {
	id: string;
	memo: string | null;
	location_id: string | null;
	department_id: string | null;
	updated_at: string;
	payment_posted_at: string | null;
	category: string | null;
	merchant_id: string | null;
	merchant: Merchant | null;
	budget_id: string | null;
	expense_type: string;
	original_amount: Money | null;
	billing_amount: Money | null;
	budget_amount: Money | null;
	purchased_amount: Money | null;
	usd_equivalent_amount: Money | null;
	purchased_at: string | null;
	status: string;
	payment_status: string;
	user_id: string | null;
	trip_id: string | null;
	spending_entity_id: string | null;
	billing_entity_id: string | null;
	exported_at: string | null;
	approved_at: string | null;
	submitted_at: string | null;
	completion_date: string | null;
	address: PurchaseAddress | null;
	parent_expense_id: string | null;
	custom_fields: CustomField[];
	receipt_ids: string[];
	/** Seed vendor behind the merchant (null when the merchant is not a seeded vendor). */
	vendor_id: string | null;
	/** Category from the shared seed (drives the GL account of the accounting record). */
	seed_category: string | null;
	card_id: string | null;
	payment_id: string | null;
	authorization_code: string | null;
	/** For a refund expense: the id of the expense it refunds (Brex has no API field for this link). */
	refund_of: string | null;
	/** Expense version, +1 on every update (EXPENSE_PAYMENT_UPDATED carries it). */
	version: number;
}

export interface EmulatedCardTransaction {
	id: string;
	expense_id: string;
	card_id: string | null;
	description: string;
	amount: Money;
	initiated_at_date: string;
	posted_at_date: string;
	type: string;
	merchant: Merchant | null;
	card_metadata: Record<string, string> | null;
}

export interface ExportOutcome {
	at: string;
	success: { reference_id: string | null; deep_link_url: string } | null;
	failure: { error_message: string } | null;
}

/** Accounting record as stored; amounts and line items are rendered from the source expense. */
/** One `accounting_field_values` entry of a line item (accounting.json AccountingFieldValue). */
export interface AccountingFieldCoding {
	brex_field_id: string;
	remote_field_id: string;
	brex_field_value_id: string;
	remote_field_value_id: string | null;
}

export interface EmulatedAccountingRecord {
	id: string;
	source_id: string;
	source_type: 'CARD' | 'REIMBURSEMENT' | 'BILL';
	type: string;
	review_status: string;
	version: number;
	updated_at: string;
	erp_posting_date: string;
	posted_at: string;
	/** False while the record is still being prepared: line items then carry no remote (ERP) ids. */
	coded: boolean;
	/** Debit side split over several lines (expense account, default account, then other expense accounts). */
	split: boolean;
	/** Expense lines when split: 2 to 4 (absent: 2, as before). */
	expenseLines?: number;
	/**
	 * Codings a test gave the expense lines (Brex field ids and values with their ERP ids), replacing the seed's
	 * GL account and dimensions on every expense line; the balancing line keeps its own.
	 */
	lineCodings?: AccountingFieldCoding[];
	export_outcomes: ExportOutcome[];
}

export interface EmulatedUser {
	id: string;
	first_name: string;
	last_name: string;
	email: string;
	status: string;
	role: string;
	manager_id: string | null;
	department_id: string | null;
	location_id: string | null;
	card_id: string;
	legal_entity_id: string;
}

export interface EmulatedVendor {
	id: string;
	company_name: string;
	email: string | null;
	phone: string | null;
	payment_accounts: Array<{ details: Record<string, unknown> }>;
	/** From the shared seed; emulator-only. */
	x3SupplierCode: string | null;
	category: string;
	mcc: string;
	country: string;
}

export interface EmulatedLegalEntity {
	id: string;
	display_name: string;
	currency: string;
	billing_address: Record<string, string | null>;
	created_at: string;
	status: string;
	is_default: boolean;
}

export interface WebhookSubscription {
	id: string;
	url: string;
	event_types: string[];
	status: 'ACTIVE' | 'INACTIVE' | 'ERROR';
}

export interface WebhookSecret {
	secret: string;
	status: 'ACTIVE' | 'PENDING_REVOKE';
}

export interface StoredResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export interface IdempotencyEntry {
	fingerprint: string;
	response: StoredResponse;
}

export interface OAuthClient {
	clientId: string;
	clientSecret: string;
}

export interface AccessTokenInfo {
	kind: 'user' | 'oauth';
	clientId: string | null;
	scope: string;
	/** Epoch ms on the emulator clock; null = no lifetime (static user tokens). */
	expiresAt: number | null;
}

export interface BrexEmulatorState {
	seed: number;
	company: {
		id: string;
		legal_name: string;
		mailing_address: Record<string, string | null>;
		accountType: string;
	};
	legalEntities: Map<string, EmulatedLegalEntity>;
	users: Map<string, EmulatedUser>;
	/** Id of the user behind every accepted token (GET /v2/users/me). */
	meUserId: string;
	departments: Map<string, { id: string; name: string; description: string | null }>;
	locations: Map<string, { id: string; name: string; description: string | null }>;
	budgets: Map<string, { id: string; name: string }>;
	vendors: Map<string, EmulatedVendor>;
	/** Insertion order = list order (chronological by purchase for seeded data). */
	expenses: Map<string, EmulatedExpense>;
	cardTransactions: Map<string, EmulatedCardTransaction>;
	accountingRecords: Map<string, EmulatedAccountingRecord>;
	webhooks: Map<string, WebhookSubscription>;
	/** Newest first: the ACTIVE secret, then (during rotation) the PENDING_REVOKE one. */
	webhookSecrets: WebhookSecret[];
	idempotency: Map<string, IdempotencyEntry>;
	/** Accepted bearer tokens: static user tokens and OAuth access tokens. */
	tokens: Map<string, AccessTokenInfo>;
	/** Tokens forced to answer 403 "Expired token". */
	expiredTokens: Set<string>;
	/** Tokens revoked: answer 401 like unknown ones. */
	revokedTokens: Set<string>;
	oauthClients: Map<string, OAuthClient>;
	authorizationCodes: Map<
		string,
		{
			clientId: string;
			redirectUri: string;
			scope: string;
			codeChallenge: string | null;
			codeChallengeMethod: string | null;
			used: boolean;
		}
	>;
	refreshTokens: Map<string, { clientId: string; scope: string }>;
}

export interface BrexFaults {
	/** The next K API requests answer 429. */
	rateLimitBurst: number;
	/** Retry-After (seconds) sent with injected and window 429s; null = no header (Brex documents none). */
	retryAfterSeconds: number | null;
	/** The next K API requests answer a 5xx, cycling through status5xxCodes. */
	status5xx: number;
	status5xxCodes: number[];
	/** Probability (0..1) that an API request answers 429 / 5xx; drawn from a seeded PRNG. */
	rate429Probability: number;
	rate5xxProbability: number;
	/** Seed of the fault PRNG (reset when set through setFaults). */
	faultSeed: number;
	/** Delay before every API answer. */
	latencyMs: number;
	/** Lifetime of OAuth access tokens minted from now on. */
	tokenLifetimeSeconds: number;
	/** Sliding per-token request window; null disables it. Brex: 1,000 requests / 60 s. */
	rateLimit: { max: number; windowMs: number } | null;
	/** Only requests whose path starts with one of these get injected faults (empty = all API paths). */
	faultPathPrefixes: string[];
	/** Send every webhook delivery twice with the same webhook-id. */
	duplicateDeliveries: boolean;
	/** Shuffle the messages of a delivery batch. */
	outOfOrder: boolean;
	/** Waits (ms) before each retry of a delivery that got a non-2xx or no answer (Svix: 5 s, 5 min, ...). */
	deliveryRetryScheduleMs: number[];
	/** A receiver that takes longer than this counts as failed (Svix: 15 s). */
	deliveryTimeoutMs: number;
	/** Shift of webhook-timestamp against the emulator clock (tests stale/future messages). */
	deliveryTimestampSkewSeconds: number;
	/** Corrupt every signature (tests that receivers reject them). */
	corruptSignatures: boolean;
}

export interface DeliveryAttempt {
	webhookId: string;
	subscriptionId: string;
	url: string;
	eventType: string;
	attempt: number;
	/** HTTP status from the receiver, or null when it could not be reached / timed out. */
	status: number | null;
	ok: boolean;
	error: string | null;
	timestamp: number;
	signature: string;
	payload: string;
	at: string;
	durationMs: number;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	query: string;
	route: string | null;
	status: number;
	idempotencyKey: string | null;
	at: string;
}

export interface BrexStats {
	total: number;
	/** Calls per "METHOD /route/{template}" (unknown paths as "METHOD <path>"). */
	byRoute: Record<string, number>;
	byStatus: Record<string, number>;
	/** 429 answers sent (injected, probabilistic or window). */
	rateLimited: number;
	/** 5xx answers injected by faults. */
	serverErrors: number;
	idempotencyKeys: Array<{ key: string; route: string; replayed: boolean; at: string }>;
	deliveries: DeliveryAttempt[];
	/** Most recent API requests (bounded). */
	requests: RequestLogEntry[];
	reset(): void;
}

export interface BrexEmulatorOptions {
	seed?: number;
	expenseCount?: number;
	vendorCount?: number;
	knownVendorShare?: number;
	/** Seeded purchases spread over [startDate, endDate] (ISO date or date-time). */
	startDate?: string;
	endDate?: string;
	/** Accepted static user tokens; default ['bxt_emulator_token']. */
	tokens?: string[];
	/** OAuth clients; default one client `brex_emulator_client` / `brex_emulator_secret`. */
	oauthClients?: OAuthClient[];
	tokenLifetimeSeconds?: number;
	latencyMs?: number;
	port?: number;
	host?: string;
	/** Initial faults (merged over the defaults). */
	faults?: Partial<BrexFaults>;
	/** Webhook secret format: plain base64 (what Brex's own examples imply) or Svix's `whsec_` form. */
	webhookSecretFormat?: 'base64' | 'whsec';
	/** Real Brex requires https subscription URLs; the emulator allows http by default for local receivers. */
	requireHttpsWebhooks?: boolean;
	/** Max events per ACCOUNTING_RECORD_READY_FOR_EXPORT message built by /__emulator/deliver. */
	accountingEventBatchSize?: number;
	/** Max request-log entries kept in stats.requests. */
	requestLogLimit?: number;
}
