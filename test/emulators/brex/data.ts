/**
 * Deterministic Brex data: seeding from the shared seed (vendors, departments, locations, chart), the
 * records derived from an expense (card transaction, accounting record), and rendering of stored records
 * into the JSON shapes of the published specs.
 */
import { CHART, DEPARTMENTS, LOCATIONS, PROJECTS, seedVendors } from '../seed';
import { minorToDecimal } from '../../../nodes/common/money';
import type {
	BrexEmulatorState,
	CustomField,
	EmulatedAccountingRecord,
	EmulatedCardTransaction,
	EmulatedExpense,
	EmulatedLegalEntity,
	EmulatedUser,
	EmulatedVendor,
	Merchant,
	Money,
	PurchaseAddress,
} from './types';

export type SeedData = Pick<
	BrexEmulatorState,
	| 'seed'
	| 'company'
	| 'legalEntities'
	| 'users'
	| 'meUserId'
	| 'departments'
	| 'locations'
	| 'budgets'
	| 'vendors'
	| 'expenses'
	| 'cardTransactions'
	| 'accountingRecords'
>;

export interface SeedSettings {
	seed: number;
	expenseCount: number;
	vendorCount: number;
	knownVendorShare: number;
	startMs: number;
	endMs: number;
}

export const DEFAULT_START_DATE = '2026-07-01T00:00:00.000Z';
export const DEFAULT_END_DATE = '2026-09-30T23:59:59.000Z';

/**
 * The shared seed's categories are partly not Brex's (the Brex `Category` enum has no TRAVEL, SOFTWARE or
 * TAXI_AND_RIDESHARE). The API must only ever emit the published enum, so they are mapped here; the seed
 * category itself is kept on the stored expense and drives the GL account of the accounting records.
 */
export const BREX_CATEGORY_OF_SEED_CATEGORY: Record<string, string> = {
	TRAVEL: 'AIRLINE_EXPENSES',
	LODGING: 'LODGING',
	RESTAURANTS: 'RESTAURANTS',
	SOFTWARE: 'RECURRING_SOFTWARE_AND_SAAS',
	OFFICE_SUPPLIES: 'OFFICE_SUPPLIES',
	ADVERTISING_AND_MARKETING: 'ADVERTISING_AND_MARKETING',
	UTILITIES: 'UTILITIES',
	TAXI_AND_RIDESHARE: 'RIDESHARE_AND_TAXI',
};

export function brexCategoryOf(seedCategory: string | null): string | null {
	if (seedCategory === null) return null;
	return BREX_CATEGORY_OF_SEED_CATEGORY[seedCategory] ?? 'OTHER_BUSINESS_EXPENSES';
}

// Inside jest's VM context every `Math.x` is a slow global lookup (about 100x slower than a local);
// seeding 50,000 expenses calls these millions of times, so they are bound once here.
const { floor, round, max, abs, exp, log, imul } = Math;

/**
 * The shared seed's mulberry32 `prng`, with `Math.imul` bound locally for speed. Same sequence for the
 * same seed (a test checks it against ../seed's prng).
 */
export function fastPrng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Fixed FX rates: deterministic, and plausible enough for conversions in tests. */
const USD_PER_EUR = 1.085;

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Ids shaped like Brex's (prefix + 25-character cuid), drawn from the seeded PRNG. */
export function cuidLike(prefix: string, random: () => number): string {
	let out = 'c';
	for (let i = 0; i < 24; i++) out += ID_ALPHABET[(random() * 36) | 0];
	return `${prefix}_${out}`;
}

function pick<T>(items: readonly T[], random: () => number): T {
	return items[floor(random() * items.length)];
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const FIRST_NAMES = [
	'Ada',
	'Grace',
	'Alan',
	'Katherine',
	'Linus',
	'Margaret',
	'Dennis',
	'Barbara',
	'Ken',
	'Frances',
	'Edsger',
	'Hedy',
	'Tim',
	'Radia',
	'Guido',
	'Joan',
	'Niklaus',
	'Sophie',
	'Bjarne',
	'Élodie',
];
const LAST_NAMES = [
	'Lovelace',
	'Hopper',
	'Turing',
	'Johnson',
	'Torvalds',
	'Hamilton',
	'Ritchie',
	'Liskov',
	'Thompson',
	'Allen',
	'Dijkstra',
	'Lamarr',
	'Berners-Lee',
	'Perlman',
	'van Rossum',
	'Clarke',
	'Wirth',
	'Wilson',
	'Stroustrup',
	'Müller',
];

const MEMOS: Record<string, string[]> = {
	TRAVEL: ['Flight to NYC for customer visit', 'Flight SFO-CDG offsite', 'Train to the conference'],
	LODGING: ['Hotel, 2 nights, sales kickoff', 'Hotel for onsite install', 'Hôtel à Lyon, salon'],
	RESTAURANTS: ['Team lunch', 'Client dinner - Q3 kickoff', 'Déjeuner client', 'Interview lunch'],
	SOFTWARE: ['Monthly SaaS subscription', 'Annual licence renewal', 'Design tool seats'],
	OFFICE_SUPPLIES: ['Printer paper and toner', 'Office chairs', 'Whiteboard markers'],
	ADVERTISING_AND_MARKETING: ['LinkedIn campaign', 'Trade show booth', 'Conference sponsorship'],
	UTILITIES: ['Office internet', 'Electricity - Paris office', 'Phone lines'],
	TAXI_AND_RIDESHARE: ['Taxi to airport', 'Ride to customer site', 'Late-night ride home'],
};

const ADDRESS_BY_COUNTRY: Record<string, PurchaseAddress> = {
	USA: {
		country: 'US',
		state: 'CA',
		city: 'San Francisco',
		postal_code: '94105',
		timezone: 'America/Los_Angeles',
		coordinates: null,
		line1: '100 Market St',
		line2: null,
	},
	FRA: {
		country: 'FR',
		state: null,
		city: 'Paris',
		postal_code: '75002',
		timezone: 'Europe/Paris',
		coordinates: null,
		line1: '12 Rue de la Paix',
		line2: null,
	},
};

/** Status / payment_status pairs with their weights. */
const CARD_STATES: Array<[string, string, number]> = [
	['SETTLED', 'CLEARED', 55],
	['APPROVED', 'CLEARED', 30],
	['SUBMITTED', 'CLEARED', 4],
	['DRAFT', 'CLEARED', 3],
	['OUT_OF_POLICY', 'CLEARED', 2],
	['APPROVED', 'PROCESSING', 2],
	['VOID', 'DECLINED', 2],
	['CANCELED', 'CANCELED', 1],
	['DRAFT', 'PROCESSING', 1],
];
const REIMBURSEMENT_STATES: Array<[string, string, number]> = [
	['APPROVED', 'CLEARED', 60],
	['APPROVED', 'AWAITING_PAYMENT', 15],
	['SUBMITTED', 'NOT_STARTED', 15],
	['DRAFT', 'NOT_STARTED', 5],
	['CANCELED', 'CANCELED', 5],
];

function weighted(states: Array<[string, string, number]>, random: () => number): [string, string] {
	const total = states.reduce((sum, s) => sum + s[2], 0);
	let r = random() * total;
	for (const [status, paymentStatus, weight] of states) {
		r -= weight;
		if (r < 0) return [status, paymentStatus];
	}
	return [states[0][0], states[0][1]];
}

export function convertMinor(amount: number, from: string, to: string): number {
	if (from === to) return amount;
	if (from === 'EUR' && to === 'USD') return round(amount * USD_PER_EUR);
	if (from === 'USD' && to === 'EUR') return round(amount / USD_PER_EUR);
	throw new Error(`No emulator FX rate ${from}->${to}`);
}

function money(amount: number, currency: string): Money {
	return { amount, currency };
}

/** Builds the whole seeded data set. Same settings, same data, byte for byte. */
export function buildSeedData(settings: SeedSettings): SeedData {
	const random = fastPrng(settings.seed);

	const company = {
		id: cuidLike('cuacc', random),
		legal_name: 'Emulated Brex Customer Inc.',
		mailing_address: {
			line1: '100 Market St',
			line2: 'Floor 5',
			city: 'San Francisco',
			state: 'CA',
			country: 'US',
			postal_code: '94105',
			phone_number: null,
		},
		accountType: 'BREX_EMPOWER',
	};

	const legalEntities = new Map<string, EmulatedLegalEntity>();
	const entityUs: EmulatedLegalEntity = {
		id: cuidLike('legal_entity', random),
		display_name: 'Emulated Brex Customer Inc.',
		currency: 'USD',
		billing_address: { ...company.mailing_address },
		created_at: '2024-01-15T10:00:00.000Z',
		status: 'VERIFIED',
		is_default: true,
	};
	const entityFr: EmulatedLegalEntity = {
		id: cuidLike('legal_entity', random),
		display_name: 'Emulated Brex Customer SAS',
		currency: 'EUR',
		billing_address: {
			line1: '12 Rue de la Paix',
			line2: null,
			city: 'Paris',
			state: null,
			country: 'FR',
			postal_code: '75002',
			phone_number: null,
		},
		created_at: '2024-06-01T10:00:00.000Z',
		status: 'VERIFIED',
		is_default: false,
	};
	legalEntities.set(entityUs.id, entityUs);
	legalEntities.set(entityFr.id, entityFr);

	const departments = new Map(
		DEPARTMENTS.map((d) => [d.id, { id: d.id, name: d.name, description: `${d.name} department` }]),
	);
	const locations = new Map(
		LOCATIONS.map((l) => [l.id, { id: l.id, name: l.name, description: `${l.name} office` }]),
	);
	const budgets = new Map(
		DEPARTMENTS.map((d) => [
			`budget_${d.id.slice(5)}`,
			{ id: `budget_${d.id.slice(5)}`, name: `${d.name} T&E` },
		]),
	);
	const budgetByDepartment = new Map(DEPARTMENTS.map((d) => [d.id, `budget_${d.id.slice(5)}`]));

	const users = new Map<string, EmulatedUser>();
	const userList: EmulatedUser[] = [];
	for (let i = 0; i < 20; i++) {
		const department = DEPARTMENTS[i % DEPARTMENTS.length];
		const location = LOCATIONS[i % LOCATIONS.length];
		const first = FIRST_NAMES[i];
		const last = LAST_NAMES[i];
		const user: EmulatedUser = {
			id: cuidLike('cuuser', random),
			first_name: first,
			last_name: last,
			email: `${first
				.toLowerCase()
				.normalize('NFD')
				.replace(/[^a-z]/g, '')}.${last
				.toLowerCase()
				.normalize('NFD')
				.replace(/[^a-z]/g, '')}@example.com`,
			status: 'ACTIVE',
			role: i === 0 ? 'ACCOUNT_ADMIN' : i === 1 ? 'BOOKKEEPER' : 'EMPLOYEE',
			manager_id: i === 0 ? null : userList[0].id,
			department_id: department.id,
			location_id: location.id,
			card_id: cuidLike('ncard', random),
			legal_entity_id: location.id === 'loc_par' ? entityFr.id : entityUs.id,
		};
		users.set(user.id, user);
		userList.push(user);
	}

	const vendors = new Map<string, EmulatedVendor>();
	const merchantOfVendor = new Map<string, Merchant>();
	const seedVendorList = seedVendors({
		seed: settings.seed,
		vendorCount: settings.vendorCount,
		knownVendorShare: settings.knownVendorShare,
	});
	seedVendorList.forEach((v, i) => {
		const withAch = i % 3 === 0;
		vendors.set(v.id, {
			id: v.id,
			company_name: v.name,
			email: i % 2 === 0 ? `billing${i + 1}@vendor${i + 1}.example.com` : null,
			phone: i % 4 === 0 ? `+1-555-01${String(i % 100).padStart(2, '0')}` : null,
			payment_accounts: withAch
				? [
						{
							details: {
								type: 'ACH',
								payment_instrument_id: `pdinstl_${v.id.slice(8)}`,
								routing_number: '121000358',
								account_number: `00${String(i + 1).padStart(8, '0')}`,
								account_type: 'CHECKING',
								account_class: 'BUSINESS',
							},
						},
					]
				: [],
			x3SupplierCode: v.x3SupplierCode,
			category: v.category,
			mcc: v.mcc,
			country: v.country,
		});
		merchantOfVendor.set(v.id, { raw_descriptor: v.name, mcc: v.mcc, country: v.country });
	});

	const expenses = new Map<string, EmulatedExpense>();
	const span = max(1, settings.endMs - settings.startMs);
	const recentCardExpenses: EmulatedExpense[] = [];
	for (let i = 0; i < settings.expenseCount; i++) {
		const purchasedMs = settings.startMs + floor((span * (i + random())) / settings.expenseCount);
		const user = userList[floor(random() * userList.length)];
		const entity = legalEntities.get(user.legal_entity_id)!;
		// A few vendors get most of the spend, as in real card programs.
		const vendor = seedVendorList[floor(random() ** 1.6 * seedVendorList.length)];
		const isRefund = recentCardExpenses.length > 0 && random() < 0.03;
		if (isRefund) {
			const original = recentCardExpenses[floor(random() * recentCardExpenses.length)];
			const refund = buildRefund(original, purchasedMs, random);
			expenses.set(refund.id, refund);
			continue;
		}
		const isCard = random() < 0.9;
		const [status, paymentStatus] = weighted(isCard ? CARD_STATES : REIMBURSEMENT_STATES, random);
		const originalCurrency = vendor.country === 'FRA' ? 'EUR' : 'USD';
		const originalMinor = max(300, round(exp(log(300) + random() * log(800)) / 5) * 5);
		const billingMinor = convertMinor(originalMinor, originalCurrency, entity.currency);
		const cleared = paymentStatus === 'CLEARED';
		const submittedMs = purchasedMs + floor(random() * 2 * DAY);
		const approvedMs = submittedMs + floor(random() * 3 * DAY) + HOUR;
		const postedMs = purchasedMs + DAY + floor(random() * 2 * DAY);
		const reachedApproval = ['APPROVED', 'SETTLED', 'OUT_OF_POLICY'].includes(status);
		const reachedSubmit = status !== 'DRAFT' && status !== 'CANCELED' && status !== 'VOID';
		const lastChangeMs = max(
			purchasedMs + HOUR,
			reachedSubmit ? submittedMs : 0,
			reachedApproval ? approvedMs : 0,
			cleared ? postedMs : 0,
		);
		const updatedMs = lastChangeMs + floor(random() * 6 * HOUR);
		const memoChoices = MEMOS[vendor.category] ?? ['Business expense'];
		const memo = status === 'DRAFT' || random() < 0.04 ? null : pick(memoChoices, random);
		const receiptCount = status === 'DRAFT' ? 0 : random() < 0.9 ? 1 : random() < 0.5 ? 2 : 0;
		const receiptIds: string[] = [];
		for (let r = 0; r < receiptCount; r++) receiptIds.push(cuidLike('receipt', random));
		const customFields: CustomField[] =
			random() < 0.3
				? [
						{
							key: 'project',
							value: {
								value_type: 'SINGLE_VALUE',
								data_type: 'OPTION_STRING',
								data: (() => {
									const project = pick(PROJECTS, random);
									return { option_id: project.x3Code, option_label: project.name };
								})(),
							},
						},
					]
				: [];
		const billing = money(billingMinor, entity.currency);
		const original = money(originalMinor, originalCurrency);
		const expense: EmulatedExpense = {
			id: cuidLike('expense', random),
			memo,
			location_id: user.location_id,
			department_id: user.department_id,
			updated_at: iso(updatedMs),
			payment_posted_at: cleared ? iso(postedMs) : null,
			category: brexCategoryOf(vendor.category),
			merchant_id: `mer_${vendor.id.slice(8)}`,
			merchant: merchantOfVendor.get(vendor.id)!,
			budget_id: budgetByDepartment.get(user.department_id!) ?? null,
			expense_type: isCard ? 'CARD' : 'REIMBURSEMENT',
			original_amount: original,
			billing_amount: billing,
			budget_amount: billing,
			purchased_amount: original,
			usd_equivalent_amount:
				billing.currency === 'USD'
					? billing
					: money(convertMinor(billing.amount, billing.currency, 'USD'), 'USD'),
			purchased_at: iso(purchasedMs),
			status,
			payment_status: paymentStatus,
			user_id: user.id,
			trip_id:
				(vendor.category === 'TRAVEL' || vendor.category === 'LODGING') && random() < 0.4
					? cuidLike('trip', random)
					: null,
			spending_entity_id: entity.id,
			billing_entity_id: entity.id,
			exported_at: null,
			approved_at: reachedApproval ? iso(approvedMs) : null,
			submitted_at: reachedSubmit ? iso(submittedMs) : null,
			completion_date: cleared ? iso(postedMs) : null,
			address: ADDRESS_BY_COUNTRY[vendor.country] ?? null,
			parent_expense_id: null,
			custom_fields: customFields,
			receipt_ids: receiptIds,
			vendor_id: vendor.id,
			seed_category: vendor.category,
			card_id: isCard ? user.card_id : null,
			payment_id: isCard ? cuidLike('payment', random) : null,
			authorization_code: isCard ? String(100000 + floor(random() * 900000)) : null,
			refund_of: null,
			version: 1 + (reachedSubmit ? 1 : 0) + (reachedApproval ? 1 : 0) + (cleared ? 1 : 0),
		};
		expenses.set(expense.id, expense);
		if (isCard && cleared) {
			recentCardExpenses.push(expense);
			if (recentCardExpenses.length > 50) recentCardExpenses.shift();
		}
	}

	// Card transactions: settled card spend only, in posting order (Brex lists them chronologically).
	const txnList: EmulatedCardTransaction[] = [];
	for (const expense of expenses.values()) {
		const txn = deriveCardTransaction(expense, cuidLike('pste', random));
		if (txn) txnList.push(txn);
	}
	txnList.sort((a, b) =>
		a.posted_at_date < b.posted_at_date ? -1 : a.posted_at_date > b.posted_at_date ? 1 : 0,
	);
	const cardTransactions = new Map(txnList.map((t) => [t.id, t]));

	const accountingRecords = new Map<string, EmulatedAccountingRecord>();
	for (const expense of expenses.values()) {
		const record = deriveAccountingRecord(expense, cuidLike('accr', random));
		if (!record) continue;
		// A share of the approved records was exported in an earlier run of the integration.
		if (record.review_status === 'READY_FOR_EXPORT' && random() < 0.05) {
			const exportedMs = Date.parse(record.updated_at) + 2 * HOUR;
			record.review_status = 'EXPORTED';
			record.version += 1;
			record.updated_at = iso(exportedMs);
			record.export_outcomes.push({
				at: record.updated_at,
				success: {
					reference_id: `X3-${record.id.slice(-8).toUpperCase()}`,
					deep_link_url: 'https://x3.example.com/',
				},
				failure: null,
			});
			expense.exported_at = record.updated_at;
		}
		record.split =
			record.review_status !== 'PREPARE' &&
			abs(expense.billing_amount!.amount) >= 20000 &&
			random() < 0.25;
		// 2 to 4 expense lines, from the id rather than the generator, so the rest of the seeded data stays as it was.
		if (record.split) record.expenseLines = 2 + (idNumber(record.id) % 3);
		accountingRecords.set(record.id, record);
	}

	return {
		seed: settings.seed,
		company,
		legalEntities,
		users,
		meUserId: userList[0].id,
		departments,
		locations,
		budgets,
		vendors,
		expenses,
		cardTransactions,
		accountingRecords,
	};
}

function buildRefund(
	original: EmulatedExpense,
	purchasedMs: number,
	random: () => number,
): EmulatedExpense {
	const full = random() < 0.6;
	const share = full ? 1 : 0.3 + random() * 0.5;
	const originalAmount = original.original_amount!;
	const refundedOriginal = -max(1, round(originalAmount.amount * share));
	const billingCurrency = original.billing_amount!.currency;
	const refundedBilling = full
		? -original.billing_amount!.amount
		: convertMinor(refundedOriginal, originalAmount.currency, billingCurrency);
	const postedMs = purchasedMs + DAY + floor(random() * DAY);
	const billing = money(refundedBilling, billingCurrency);
	const originalMoney = money(refundedOriginal, originalAmount.currency);
	return {
		...original,
		id: cuidLike('expense', random),
		// Brex's expense object has no field linking a refund to its purchase; the memo carries it for humans
		// and `refund_of` keeps it in the emulator's state.
		memo: `Refund of ${original.id}`,
		updated_at: iso(postedMs + floor(random() * 6 * HOUR)),
		payment_posted_at: iso(postedMs),
		original_amount: originalMoney,
		billing_amount: billing,
		budget_amount: billing,
		purchased_amount: originalMoney,
		usd_equivalent_amount:
			billingCurrency === 'USD'
				? billing
				: money(convertMinor(refundedBilling, billingCurrency, 'USD'), 'USD'),
		purchased_at: iso(purchasedMs),
		status: 'SETTLED',
		payment_status: 'CLEARED',
		approved_at: iso(postedMs),
		submitted_at: iso(postedMs),
		completion_date: iso(postedMs),
		exported_at: null,
		custom_fields: original.custom_fields,
		receipt_ids: [],
		payment_id: cuidLike('payment', random),
		authorization_code: null,
		refund_of: original.id,
		version: 2,
	};
}

export function isCardTransactionEligible(expense: EmulatedExpense): boolean {
	return (
		expense.expense_type === 'CARD' &&
		expense.payment_status === 'CLEARED' &&
		expense.billing_amount !== null &&
		expense.payment_posted_at !== null &&
		expense.purchased_at !== null
	);
}

/** The settled card transaction behind a cleared card expense (refunds are negative REFUNDs). */
export function deriveCardTransaction(
	expense: EmulatedExpense,
	id: string,
): EmulatedCardTransaction | null {
	if (!isCardTransactionEligible(expense)) return null;
	const amount = expense.billing_amount!;
	return {
		id,
		expense_id: expense.id,
		card_id: expense.card_id,
		description: expense.merchant?.raw_descriptor ?? expense.memo ?? 'Card transaction',
		amount,
		initiated_at_date: expense.purchased_at!.slice(0, 10),
		posted_at_date: expense.payment_posted_at!.slice(0, 10),
		type: amount.amount < 0 ? 'REFUND' : 'PURCHASE',
		merchant: expense.merchant,
		card_metadata: null,
	};
}

const REVIEW_STATUS_OF_EXPENSE_STATUS: Record<string, string> = {
	DRAFT: 'PREPARE',
	SUBMITTED: 'REVIEW',
	OUT_OF_POLICY: 'REVIEW',
	APPROVED: 'READY_FOR_EXPORT',
	SETTLED: 'READY_FOR_EXPORT',
};

export function isAccountingRecordEligible(expense: EmulatedExpense): boolean {
	return (
		expense.payment_status === 'CLEARED' &&
		expense.billing_amount !== null &&
		expense.payment_posted_at !== null &&
		(expense.expense_type === 'CARD' || expense.expense_type === 'REIMBURSEMENT') &&
		REVIEW_STATUS_OF_EXPENSE_STATUS[expense.status] !== undefined
	);
}

/** The accounting record Brex prepares once a card expense posts or a reimbursement is paid out. */
export function deriveAccountingRecord(
	expense: EmulatedExpense,
	id: string,
): EmulatedAccountingRecord | null {
	if (!isAccountingRecordEligible(expense)) return null;
	const reviewStatus = REVIEW_STATUS_OF_EXPENSE_STATUS[expense.status];
	const isCard = expense.expense_type === 'CARD';
	const refund = expense.billing_amount!.amount < 0;
	return {
		id,
		source_id: expense.id,
		source_type: isCard ? 'CARD' : 'REIMBURSEMENT',
		type: isCard
			? refund
				? 'CARD_EXPENSE_REFUND'
				: 'CARD_EXPENSE_POST'
			: 'REIMBURSEMENT_EXPENSE_POST',
		review_status: reviewStatus,
		version: 1,
		updated_at: iso(
			max(Date.parse(expense.updated_at), Date.parse(expense.payment_posted_at!)) + 60_000,
		),
		erp_posting_date: expense.payment_posted_at!,
		posted_at: expense.payment_posted_at!,
		coded: reviewStatus !== 'PREPARE',
		split: false,
		export_outcomes: [],
	};
}

/** Major units as a JSON number, as the Accounting API sends them (exact decimal first, then Number). */
export function toMajor(minor: number, currency: string): number {
	return Number(minorToDecimal(minor, currency));
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

export interface RenderContext {
	state: BrexEmulatorState;
	baseUrl: string;
}

export function receiptDownloadUri(ctx: RenderContext, receiptId: string): string {
	// Shaped like a presigned S3 link (expires in 15 min); served by the emulator's control routes.
	return `${ctx.baseUrl}/__emulator/receipts/${receiptId}.pdf?X-Amz-Expires=900&X-Amz-Signature=emulator`;
}

/** `ExpandableExpense`: expandable objects are null unless asked for with expand[]. */
export function renderExpense(
	ctx: RenderContext,
	expense: EmulatedExpense,
	expand: ReadonlySet<string>,
	loadCustomFields: boolean,
): Record<string, unknown> {
	const { state } = ctx;
	const user = expense.user_id ? state.users.get(expense.user_id) : undefined;
	const entity = expense.spending_entity_id
		? state.legalEntities.get(expense.spending_entity_id)
		: undefined;
	const location = expense.location_id ? state.locations.get(expense.location_id) : undefined;
	const department = expense.department_id
		? state.departments.get(expense.department_id)
		: undefined;
	const budget = expense.budget_id ? state.budgets.get(expense.budget_id) : undefined;
	const withUris = expand.has('receipts.download_uris');
	return {
		id: expense.id,
		memo: expense.memo,
		location_id: expense.location_id,
		location: expand.has('location') && location ? { id: location.id, name: location.name } : null,
		address: expense.address,
		department_id: expense.department_id,
		department:
			expand.has('department') && department ? { id: department.id, name: department.name } : null,
		updated_at: expense.updated_at,
		payment_posted_at: expense.payment_posted_at,
		category: expense.category,
		merchant_id: expense.merchant_id,
		merchant: expand.has('merchant') ? expense.merchant : null,
		receipts: expense.receipt_ids.map((id) => ({
			id,
			download_uris: withUris ? [receiptDownloadUri(ctx, id)] : null,
		})),
		budget_id: expense.budget_id,
		budget: expand.has('budget') && budget ? { id: budget.id, name: budget.name } : null,
		expense_type: expense.expense_type,
		original_amount: expense.original_amount,
		billing_amount: expense.billing_amount,
		budget_amount: expense.budget_amount,
		purchased_amount: expense.purchased_amount,
		usd_equivalent_amount: expense.usd_equivalent_amount,
		purchased_at: expense.purchased_at,
		status: expense.status,
		payment_status: expense.payment_status,
		user_id: expense.user_id,
		user:
			expand.has('user') && user
				? {
						id: user.id,
						first_name: user.first_name,
						last_name: user.last_name,
						department_id: user.department_id,
						location_id: user.location_id,
					}
				: null,
		payment:
			expand.has('payment') && expense.payment_id && expense.card_id
				? {
						id: expense.payment_id,
						paymentInstrument: { type: 'CARD', id: expense.card_id },
						statusReason: 'APPROVED',
					}
				: null,
		custom_fields: loadCustomFields ? expense.custom_fields : null,
		trip_id: expense.trip_id,
		spending_entity_id: expense.spending_entity_id,
		spending_entity:
			expand.has('spending_entity') && entity
				? {
						id: entity.id,
						display_name: entity.display_name,
						billing_address: entity.billing_address,
						created_at: entity.created_at,
						status: entity.status,
						is_default: entity.is_default,
					}
				: null,
		billing_entity_id: expense.billing_entity_id,
		exported_at: expense.exported_at,
		integration_spending_entity_id: null,
		integration_billing_entity_id: null,
		review: null,
		repayment: null,
		approved_at: expense.approved_at,
		submitted_at: expense.submitted_at,
		completion_date: expense.completion_date,
		// Added to the API in Dec 2025 (changelog); not in the stored 2025 spec.
		dashboard_url: `https://dashboard.brex.com/expenses/${expense.id}`,
	};
}

/** The slimmer `Expense` returned by PUT /v1/expenses/card/{expense_id}. */
export function renderSlimExpense(expense: EmulatedExpense): Record<string, unknown> {
	return {
		id: expense.id,
		memo: expense.memo,
		location_id: expense.location_id,
		department_id: expense.department_id,
		updated_at: expense.updated_at,
		category: expense.category,
		merchant_id: expense.merchant_id,
		budget_id: expense.budget_id,
		original_amount: expense.original_amount,
		billing_amount: expense.billing_amount,
		purchased_at: expense.purchased_at,
		status: expense.status,
		payment_status: expense.payment_status,
	};
}

export function renderCardTransaction(
	txn: EmulatedCardTransaction,
	expandExpenseId: boolean,
): Record<string, unknown> {
	return {
		id: txn.id,
		card_id: txn.card_id,
		description: txn.description,
		amount: txn.amount,
		initiated_at_date: txn.initiated_at_date,
		posted_at_date: txn.posted_at_date,
		type: txn.type,
		merchant: txn.merchant,
		card_metadata: txn.card_metadata,
		// Docs: populated only with expand[]=expense_id.
		expense_id: expandExpenseId ? txn.expense_id : null,
	};
}

function fieldValue(
	brexFieldId: string,
	remoteFieldId: string,
	brexValueId: string,
	remoteValueId: string | null,
) {
	return {
		brex_field_id: brexFieldId,
		remote_field_id: remoteFieldId,
		brex_field_value_id: brexValueId,
		remote_field_value_id: remoteValueId,
	};
}

/** A small number from an id's characters (deterministic, generator-free). */
function idNumber(id: string): number {
	let sum = 0;
	for (const char of id) sum = (sum * 31 + char.charCodeAt(0)) % 1_000_003;
	return sum;
}

/** Weights of the expense lines of a split record: the coded account takes the largest share. */
const SPLIT_WEIGHTS: Record<number, number[]> = { 2: [7, 3], 3: [5, 3, 2], 4: [4, 3, 2, 1] };

function splitMinor(total: number, parts: number[]): number[] {
	const sum = parts.reduce((a, b) => a + b, 0);
	const out = parts.map((p) => floor((total * p) / sum));
	out[out.length - 1] += total - out.reduce((a, b) => a + b, 0);
	return out;
}

/**
 * `AccountingRecordDetailed`. Amounts are JSON numbers in major units (Accounting API), line items are
 * always positive with DEBIT/CREDIT giving the direction; a refund swaps the sides and carries a negative
 * record amount (the spec only promises positive amounts on line items).
 */
export function renderAccountingRecord(
	ctx: RenderContext,
	record: EmulatedAccountingRecord,
	singleEntry: boolean,
): Record<string, unknown> {
	const { state } = ctx;
	const expense = state.expenses.get(record.source_id);
	const billing = expense?.billing_amount ?? { amount: 0, currency: 'USD' };
	const original =
		expense?.original_amount && expense.original_amount.currency !== billing.currency
			? expense.original_amount
			: null;
	const refund = billing.amount < 0;
	const absBilling = abs(billing.amount);
	const absOriginal = original ? abs(original.amount) : 0;
	const department = DEPARTMENTS.find((d) => d.id === expense?.department_id);
	const location = LOCATIONS.find((l) => l.id === expense?.location_id);
	const seedCategory = expense?.seed_category ?? null;
	const expenseAccount =
		(seedCategory && CHART.expenseAccounts[seedCategory]) || CHART.defaultExpenseAccount;
	const coded = record.coded;
	const dimensionValues = [
		...(department
			? [
					fieldValue(
						'ef_department',
						'DEPARTMENT',
						`efo_${department.id}`,
						coded ? department.x3Code : null,
					),
				]
			: []),
		...(location
			? [
					fieldValue(
						'ef_location',
						'COST_CENTER',
						`efo_${location.id}`,
						coded ? location.x3Code : null,
					),
				]
			: []),
	];
	const lineCount = record.split ? (record.expenseLines ?? 2) : 1;
	const weights = absBilling >= lineCount ? (SPLIT_WEIGHTS[lineCount] ?? [1]) : [1];
	const billingParts = splitMinor(absBilling, weights);
	const originalParts = original ? splitMinor(absOriginal, weights) : null;
	// Lines beyond the second go to other expense accounts of the chart (all of them exist in the X3 emulator).
	const accounts = [
		expenseAccount,
		CHART.defaultExpenseAccount,
		CHART.expenseAccounts.OFFICE_SUPPLIES,
		CHART.expenseAccounts.SOFTWARE,
	];
	const suffix = record.id.slice(5);
	const debitLines = billingParts.map((part, i) => ({
		id: `arli_${suffix}_${i + 1}`,
		type: refund ? 'CREDIT' : 'DEBIT',
		amount: { amount: toMajor(part, billing.currency), currency: billing.currency },
		original_amount:
			original && originalParts
				? { amount: toMajor(originalParts[i], original.currency), currency: original.currency }
				: null,
		memo: i === 0 ? (expense?.memo ?? null) : `Allocated share ${i + 1}`,
		accounting_field_values: record.lineCodings
			? record.lineCodings.map((coding) => ({ ...coding }))
			: [
					fieldValue(
						'ef_gl_account',
						'GL_ACCOUNT',
						`efo_gl_${accounts[i]}`,
						coded ? accounts[i] : null,
					),
					...dimensionValues,
				],
	}));
	// Card spend is balanced against the card liability; a reimbursement's balancing line carries no GL coding
	// (the payable account is set in the ERP integration, not in Brex).
	const creditLine = {
		id: `arli_${suffix}_${billingParts.length + 1}`,
		type: refund ? 'DEBIT' : 'CREDIT',
		amount: { amount: toMajor(absBilling, billing.currency), currency: billing.currency },
		original_amount: original
			? { amount: toMajor(absOriginal, original.currency), currency: original.currency }
			: null,
		memo: expense?.merchant?.raw_descriptor ?? null,
		accounting_field_values:
			record.source_type === 'CARD'
				? [
						fieldValue(
							'ef_gl_account',
							'GL_ACCOUNT',
							`efo_gl_${CHART.cardLiabilityAccount}`,
							coded ? CHART.cardLiabilityAccount : null,
						),
					]
				: [],
	};
	const user = expense?.user_id ? state.users.get(expense.user_id) : undefined;
	const manager = user?.manager_id ? state.users.get(user.manager_id) : undefined;
	const sign = refund ? -1 : 1;
	return {
		id: record.id,
		amount: { amount: toMajor(sign * absBilling, billing.currency), currency: billing.currency },
		original_amount: original
			? { amount: toMajor(sign * absOriginal, original.currency), currency: original.currency }
			: null,
		// Newer docs (2026-09) add the settlement amount; the Jan 2026 spec does not have it yet.
		billing_amount: {
			amount: toMajor(sign * absBilling, billing.currency),
			currency: billing.currency,
		},
		type: record.type,
		review_status: record.review_status,
		source_id: record.source_id,
		source_type: record.source_type,
		erp_posting_date: record.erp_posting_date,
		updated_at: record.updated_at,
		version: record.version,
		receipts: (expense?.receipt_ids ?? []).map((id) => ({
			id,
			download_uris: [receiptDownloadUri(ctx, id)],
		})),
		user: user
			? {
					id: user.id,
					first_name: user.first_name,
					last_name: user.last_name,
					email: user.email,
					role: user.role,
					status: user.status,
					...(user.manager_id ? { manager_id: user.manager_id } : {}),
					...(manager
						? { manager_first_name: manager.first_name, manager_last_name: manager.last_name }
						: {}),
					...(user.department_id
						? {
								department_id: user.department_id,
								department_name: state.departments.get(user.department_id)?.name,
							}
						: {}),
					...(user.location_id
						? {
								location_id: user.location_id,
								location_name: state.locations.get(user.location_id)?.name,
							}
						: {}),
				}
			: null,
		// The vendor object is documented for bills; card and reimbursement records carry none.
		vendor: null,
		memo: expense?.memo ?? null,
		posted_at: record.posted_at,
		due_at: null,
		invoice_number: null,
		line_items: singleEntry ? debitLines : [...debitLines, creditLine],
	};
}

export function renderUser(user: EmulatedUser): Record<string, unknown> {
	return {
		id: user.id,
		first_name: user.first_name,
		last_name: user.last_name,
		email: user.email,
		status: user.status,
		manager_id: user.manager_id,
		department_id: user.department_id,
		location_id: user.location_id,
	};
}

export function renderVendor(vendor: EmulatedVendor): Record<string, unknown> {
	return {
		id: vendor.id,
		company_name: vendor.company_name,
		email: vendor.email,
		phone: vendor.phone,
		payment_accounts: vendor.payment_accounts,
	};
}
