/**
 * Deterministic seed shared by the Brex and X3 emulators, so that both sides describe the same company:
 * the same vendors (some known to X3 as suppliers, some not), departments and locations (which map to X3
 * analytical dimensions), and a chart of accounts that the default mapping rules point at.
 */

/** mulberry32: tiny, fast, deterministic PRNG. */
export function prng(seed: number): () => number {
	// A local binding: looking Math.imul up on every call is ~100x slower under jest's module sandbox.
	const imul = Math.imul;
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// A table of names, ten to a line.
// prettier-ignore
const NAME_STEMS = [
	'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell',
	'Cyberdyne', 'Wonka', 'Gringotts', 'Monarch', 'Aperture', 'Oceanic', 'Dunder', 'Pied Piper', 'Bluth', 'Sterling',
	'Café Crème', 'Zoë Studio', 'Müller', 'Señor Taco', 'Nordström', 'Élan Vital', 'Łódź Print', 'Smith & Sons',
	"O'Brien", 'Blue Bottle',
];
// prettier-ignore
const NAME_SUFFIXES = ['Corp', 'Inc', 'LLC', 'Ltd', 'GmbH', 'SAS', 'Supplies', 'Travel', 'Software', 'Catering'];
/** Brex merchant categories with the MCC a card network would report for them. */
export const CATEGORIES: Array<{ category: string; mcc: string }> = [
	{ category: 'TRAVEL', mcc: '4511' },
	{ category: 'LODGING', mcc: '7011' },
	{ category: 'RESTAURANTS', mcc: '5812' },
	{ category: 'SOFTWARE', mcc: '5734' },
	{ category: 'OFFICE_SUPPLIES', mcc: '5111' },
	{ category: 'ADVERTISING_AND_MARKETING', mcc: '7311' },
	{ category: 'UTILITIES', mcc: '4900' },
	{ category: 'TAXI_AND_RIDESHARE', mcc: '4121' },
];

export interface SeedVendor {
	/** Brex vendor id (pdcont_…). */
	id: string;
	name: string;
	category: string;
	mcc: string;
	country: string;
	/** X3 supplier code when X3 knows this vendor, else null (the sync must find-or-create or skip). */
	x3SupplierCode: string | null;
}

export interface SeedDepartment {
	id: string;
	name: string;
	/** X3 dimension value (type "DEP" in the default dimension setup). */
	x3Code: string;
}

export interface SeedLocation {
	id: string;
	name: string;
	/** X3 dimension value of the cost-centre type ("CCT"). */
	x3Code: string;
}

export const DEPARTMENTS: SeedDepartment[] = [
	{ id: 'dept_eng', name: 'Engineering', x3Code: 'ENG' },
	{ id: 'dept_sales', name: 'Sales', x3Code: 'SAL' },
	{ id: 'dept_mkt', name: 'Marketing', x3Code: 'MKT' },
	{ id: 'dept_fin', name: 'Finance', x3Code: 'FIN' },
	{ id: 'dept_ops', name: 'Operations', x3Code: 'OPS' },
];

export const LOCATIONS: SeedLocation[] = [
	{ id: 'loc_sf', name: 'San Francisco', x3Code: 'CC-SF' },
	{ id: 'loc_ny', name: 'New York', x3Code: 'CC-NY' },
	{ id: 'loc_par', name: 'Paris', x3Code: 'CC-PAR' },
];

/** Projects exist only in X3 (Brex has no project concept); mapping rules may set them from custom fields. */
export const PROJECTS = [
	{ x3Code: 'PRJ-ALPHA', name: 'Alpha launch' },
	{ x3Code: 'PRJ-BETA', name: 'Beta migration' },
];

/** Expense accounts by Brex category, plus the accounts the sync posts against. */
export const CHART = {
	chartOfAccounts: 'CA_FRA',
	expenseAccounts: {
		TRAVEL: '625100',
		LODGING: '625600',
		RESTAURANTS: '625700',
		SOFTWARE: '651000',
		OFFICE_SUPPLIES: '606400',
		ADVERTISING_AND_MARKETING: '623000',
		UTILITIES: '606100',
		TAXI_AND_RIDESHARE: '625110',
	} as Record<string, string>,
	/** Where spend lands when no rule matches. */
	defaultExpenseAccount: '628000',
	/** Card liability (credit side of every card entry). */
	cardLiabilityAccount: '467100',
	supplierControlAccount: '401000',
};

/**
 * The same expense accounts keyed by the category Brex actually sends (its Category enum): what mapping
 * rules in the template and the sandbox match on. The seed's own category names are friendlier labels.
 */
export const EXPENSE_ACCOUNT_BY_BREX_CATEGORY: Record<string, string> = {
	AIRLINE_EXPENSES: CHART.expenseAccounts.TRAVEL,
	LODGING: CHART.expenseAccounts.LODGING,
	RESTAURANTS: CHART.expenseAccounts.RESTAURANTS,
	RECURRING_SOFTWARE_AND_SAAS: CHART.expenseAccounts.SOFTWARE,
	OFFICE_SUPPLIES: CHART.expenseAccounts.OFFICE_SUPPLIES,
	ADVERTISING_AND_MARKETING: CHART.expenseAccounts.ADVERTISING_AND_MARKETING,
	UTILITIES: CHART.expenseAccounts.UTILITIES,
	RIDESHARE_AND_TAXI: CHART.expenseAccounts.TAXI_AND_RIDESHARE,
};

export const CURRENCIES = ['USD', 'EUR'] as const;

export interface SeedOptions {
	seed?: number;
	vendorCount?: number;
	/** Share of vendors that X3 already knows as suppliers (0..1). */
	knownVendorShare?: number;
}

export function seedVendors(options: SeedOptions = {}): SeedVendor[] {
	const count = options.vendorCount ?? 40;
	const known = options.knownVendorShare ?? 0.8;
	const random = prng((options.seed ?? 42) ^ 0x5eed);
	const vendors: SeedVendor[] = [];
	for (let i = 0; i < count; i++) {
		const stem = NAME_STEMS[i % NAME_STEMS.length];
		const suffix = NAME_SUFFIXES[Math.floor(i / NAME_STEMS.length) % NAME_SUFFIXES.length];
		const round = Math.floor(i / (NAME_STEMS.length * NAME_SUFFIXES.length));
		const name = `${stem} ${suffix}${round > 0 ? ' ' + (round + 1) : ''}`;
		const cat = CATEGORIES[Math.floor(random() * CATEGORIES.length)];
		const isKnown = i < Math.round(count * known);
		vendors.push({
			id: `pdcont_${String(i + 1).padStart(6, '0')}`,
			name,
			category: cat.category,
			mcc: cat.mcc,
			country: random() < 0.7 ? 'USA' : 'FRA',
			x3SupplierCode: isKnown ? `BRX${String(i + 1).padStart(5, '0')}` : null,
		});
	}
	return vendors;
}
