/**
 * The emulated X3 folder: master data (suppliers, accounts, dimension types and values, sites, entry types,
 * currencies) seeded from test/emulators/seed.ts, the journal entries posted during a run, and the business
 * rules of the objects the sync uses (GAS journal entries, BPS suppliers). Every API style (SOAP, GraphQL,
 * REST) reads and writes this one state, so a test can post through SOAP and look the entry up through GraphQL.
 */

import type { X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import {
	currencyDecimals,
	decimalToMinor,
	formatMinor,
	isKnownCurrency,
} from '../../../nodes/common/money';
import {
	CHART,
	DEPARTMENTS,
	LOCATIONS,
	PROJECTS,
	SeedOptions,
	SeedVendor,
	seedVendors,
} from '../seed';

export interface X3Msg {
	/** "1" information, "2" warning, "3" error. */
	type: '1' | '2' | '3';
	message: string;
}

export interface EmuSupplier {
	code: string;
	name: string;
	shortName: string;
	category: string;
	country: string;
	currency: string;
	addressCode: string;
	isActive: boolean;
	origin: 'seed' | 'created';
	/** Brex vendor id for seeded suppliers (handy in tests), else null. */
	brexVendorId: string | null;
	createdAt: string;
	updatedAt: string;
}

export interface EmuAccount {
	chart: string;
	code: string;
	description: string;
	shortDescription: string;
	isActive: boolean;
	/** Dimension types that must be filled on every line posted to this account. */
	requiredDimensionTypes: string[];
	createdAt: string;
	updatedAt: string;
}

export interface EmuDimensionType {
	code: string;
	description: string;
}

export interface EmuDimension {
	type: string;
	code: string;
	description: string;
	shortDescription: string;
	isActive: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface EmuSite {
	code: string;
	name: string;
	company: string;
	currency: string;
}

export interface EmuEntryType {
	code: string;
	description: string;
	journal: string;
	/** Document numbers are `${sequencePrefix}${year}${counter:6}`. */
	sequencePrefix: string;
}

export interface EmuSupplierCategory {
	code: string;
	description: string;
	country: string;
	currency: string;
}

export interface EmuJournalLine {
	lineNumber: number;
	account: string;
	/** Exactly one of debit/credit is set, as sent (verbatim decimal text). */
	debit: string | null;
	credit: string | null;
	/** Dimension type -> value, for the line's filled dimension fields. */
	dimensions: Record<string, string>;
	businessPartner: string | null;
	taxCode: string | null;
	description: string;
	/** Every line field as stored, by X3 field name. */
	fields: Record<string, string>;
}

export interface EmuJournalEntry {
	entryType: string;
	documentNumber: string;
	site: string;
	company: string;
	journal: string;
	/** YYYYMMDD */
	accountingDate: string;
	currency: string;
	reference: string;
	description: string;
	/** Value of the layout's trace field. */
	traceValue: string;
	status: 'temporary';
	/** Every header field as stored, by X3 field name. */
	header: Record<string, string>;
	lines: EmuJournalLine[];
	createdBy: string;
	createdAt: string;
	updatedAt: string;
}

export interface StateOptions {
	layout: X3Layout;
	/** Vendors to seed suppliers from (those with x3SupplierCode); default seedVendors(seedOptions). */
	vendors?: SeedVendor[];
	seedOptions?: SeedOptions;
	/** Account code -> required dimension types; overrides the default (class 6 accounts require DEP). */
	accountRequiredDimensions?: Record<string, string[]>;
	clock: () => Date;
}

const DIMENSION_TYPE_LABELS: Record<string, string> = {
	CCT: 'Cost centre',
	DEP: 'Department',
	PRJ: 'Project',
};

/** Seeded dimension values by type code, from the shared seed (departments, locations, projects). */
function seedDimensionValues(): Record<
	string,
	Array<{ code: string; name: string; active: boolean }>
> {
	return {
		DEP: [
			...DEPARTMENTS.map((d) => ({ code: d.x3Code, name: d.name, active: true })),
			{ code: 'OLD', name: 'Closed department', active: false },
		],
		CCT: LOCATIONS.map((l) => ({ code: l.x3Code, name: l.name, active: true })),
		PRJ: PROJECTS.map((p) => ({ code: p.x3Code, name: p.name, active: true })),
	};
}

const ACCOUNT_LABELS: Record<string, string> = {
	'625100': 'Travel - transport',
	'625110': 'Taxi and rideshare',
	'625600': 'Lodging',
	'625700': 'Meals and entertainment',
	'651000': 'Software licences',
	'606400': 'Office supplies',
	'623000': 'Advertising and marketing',
	'606100': 'Utilities',
	'628000': 'Other external expenses',
	'467100': 'Brex card liability',
	'401000': 'Suppliers',
	'445660': 'Deductible VAT',
	'512000': 'Bank',
	'471000': 'Suspense (closed)',
};

const COUNTRY_2: Record<string, string> = { USA: 'US', FRA: 'FR' };

export class X3State {
	readonly layout: X3Layout;
	readonly suppliers = new Map<string, EmuSupplier>();
	readonly accounts = new Map<string, EmuAccount>();
	readonly dimensionTypes = new Map<string, EmuDimensionType>();
	/** Keyed `${type}|${code}`. */
	readonly dimensions = new Map<string, EmuDimension>();
	readonly sites = new Map<string, EmuSite>();
	readonly entryTypes = new Map<string, EmuEntryType>();
	readonly supplierCategories = new Map<string, EmuSupplierCategory>();
	readonly currencies = new Set<string>(['USD', 'EUR', 'GBP', 'CAD', 'CHF', 'JPY', 'KWD']);
	readonly journalEntries: EmuJournalEntry[] = [];
	private readonly sequences = new Map<string, number>();
	private supplierCounter = 0;
	private readonly clock: () => Date;
	private readonly seededSupplierSnapshot: EmuSupplier[];
	/** Seeded accounts and dimension values: a test may add, rename and close them (masterData.ts). */
	private readonly seededMasterData: { accounts: EmuAccount[]; dimensions: EmuDimension[] };

	constructor(options: StateOptions) {
		this.layout = options.layout;
		this.clock = options.clock;
		const seededAt = '2024-01-02T08:00:00.000Z';

		for (const category of [
			{ code: 'SUPUS', description: 'US suppliers', country: 'US', currency: 'USD' },
			{ code: 'SUPFR', description: 'French suppliers', country: 'FR', currency: 'EUR' },
			{ code: 'SUPEX', description: 'Foreign suppliers', country: 'GB', currency: 'EUR' },
		]) {
			this.supplierCategories.set(category.code, category);
		}
		for (const site of [
			{ code: 'FR011', name: 'Paris HQ', company: 'FR10', currency: 'EUR' },
			{ code: 'FR012', name: 'Lyon', company: 'FR10', currency: 'EUR' },
			{ code: 'US011', name: 'New York', company: 'US10', currency: 'USD' },
		]) {
			this.sites.set(site.code, site);
		}
		for (const type of [
			{ code: 'BRX', description: 'Brex card spend', journal: 'BRX', sequencePrefix: 'BRX' },
			{
				code: 'ODT',
				description: 'Miscellaneous operations',
				journal: 'OD',
				sequencePrefix: 'ODT',
			},
			{ code: 'ACH', description: 'Purchase invoices', journal: 'ACH', sequencePrefix: 'ACH' },
		]) {
			this.entryTypes.set(type.code, type);
		}

		const values = seedDimensionValues();
		for (const type of this.layout.dimensionTypes) {
			this.dimensionTypes.set(type, {
				code: type,
				description: DIMENSION_TYPE_LABELS[type] ?? type,
			});
			for (const value of values[type] ?? []) {
				this.dimensions.set(`${type}|${value.code}`, {
					type,
					code: value.code,
					description: value.name,
					shortDescription: value.name.slice(0, 10),
					isActive: value.active,
					createdAt: seededAt,
					updatedAt: seededAt,
				});
			}
		}

		const chart = this.layout.chartOfAccounts;
		const requiresDep = this.layout.dimensionTypes.includes('DEP') ? ['DEP'] : [];
		const codes = new Set<string>([
			...Object.values(CHART.expenseAccounts),
			CHART.defaultExpenseAccount,
			CHART.cardLiabilityAccount,
			CHART.supplierControlAccount,
			'445660',
			'512000',
			'471000',
		]);
		for (const code of [...codes].sort()) {
			const description = ACCOUNT_LABELS[code] ?? `Account ${code}`;
			this.accounts.set(`${chart}|${code}`, {
				chart,
				code,
				description,
				shortDescription: description.slice(0, 10),
				isActive: code !== '471000',
				requiredDimensionTypes:
					options.accountRequiredDimensions?.[code] ?? (code.startsWith('6') ? requiresDep : []),
				createdAt: seededAt,
				updatedAt: seededAt,
			});
		}

		const vendors = options.vendors ?? seedVendors(options.seedOptions);
		for (const vendor of vendors) {
			if (!vendor.x3SupplierCode) continue;
			const country = COUNTRY_2[vendor.country] ?? vendor.country;
			this.suppliers.set(vendor.x3SupplierCode, {
				code: vendor.x3SupplierCode,
				name: vendor.name,
				shortName: vendor.name.slice(0, 10).toUpperCase(),
				category: country === 'FR' ? 'SUPFR' : 'SUPUS',
				country,
				currency: country === 'FR' ? 'EUR' : 'USD',
				addressCode: 'MAIN',
				isActive: true,
				origin: 'seed',
				brexVendorId: vendor.id,
				createdAt: seededAt,
				updatedAt: seededAt,
			});
		}
		this.seededSupplierSnapshot = [...this.suppliers.values()].map((s) => ({ ...s }));
		this.seededMasterData = {
			accounts: [...this.accounts.values()].map((a) => ({
				...a,
				requiredDimensionTypes: [...a.requiredDimensionTypes],
			})),
			dimensions: [...this.dimensions.values()].map((d) => ({ ...d })),
		};
	}

	now(): Date {
		return this.clock();
	}

	nowIso(): string {
		return this.clock().toISOString();
	}

	/** Clears journal entries and sequences, and puts suppliers, accounts and dimension values back to the seeded set. */
	reset(): void {
		this.accounts.clear();
		for (const a of this.seededMasterData.accounts)
			this.accounts.set(`${a.chart}|${a.code}`, {
				...a,
				requiredDimensionTypes: [...a.requiredDimensionTypes],
			});
		this.dimensions.clear();
		for (const d of this.seededMasterData.dimensions)
			this.dimensions.set(`${d.type}|${d.code}`, { ...d });
		this.journalEntries.length = 0;
		this.sequences.clear();
		this.supplierCounter = 0;
		this.suppliers.clear();
		for (const supplier of this.seededSupplierSnapshot)
			this.suppliers.set(supplier.code, { ...supplier });
	}

	getAccount(code: string, chart = this.layout.chartOfAccounts): EmuAccount | undefined {
		return this.accounts.get(`${chart}|${code}`);
	}

	getDimension(type: string, code: string): EmuDimension | undefined {
		return this.dimensions.get(`${type}|${code}`);
	}

	findJournalEntry(entryType: string | null, documentNumber: string): EmuJournalEntry | undefined {
		return this.journalEntries.find(
			(entry) =>
				entry.documentNumber === documentNumber &&
				(entryType === null || entry.entryType === entryType),
		);
	}

	// -------------------------------------------------------------------------------------------------------------
	// Suppliers (BPS)

	nextSupplierCode(): string {
		let code: string;
		do {
			this.supplierCounter++;
			code = `S${String(this.supplierCounter).padStart(6, '0')}`;
		} while (this.suppliers.has(code));
		return code;
	}

	// -------------------------------------------------------------------------------------------------------------
	// Journal entries (GAS)

	/** Next document number of an entry type's sequence for the accounting year. */
	nextDocumentNumber(type: EmuEntryType, accountingDate: string): string {
		const year = accountingDate.slice(0, 4);
		const key = `${type.code}|${year}`;
		let counter = this.sequences.get(key) ?? 0;
		let number: string;
		do {
			counter++;
			number = `${type.sequencePrefix}${year}${String(counter).padStart(6, '0')}`;
		} while (this.findJournalEntry(type.code, number));
		this.sequences.set(key, counter);
		return number;
	}
}

/** YYYYMMDD that is a real calendar date. */
export function isX3Date(value: string): boolean {
	const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** YYYYMMDD -> YYYY-MM-DD (GraphQL and REST dates). */
export function isoDate(x3Date: string): string {
	return isX3Date(x3Date)
		? `${x3Date.slice(0, 4)}-${x3Date.slice(4, 6)}-${x3Date.slice(6, 8)}`
		: x3Date;
}

export interface MoneyCheck {
	minor: bigint | null;
	error: string | null;
}

/** Parses a positive decimal amount with at most the currency's decimals (X3 rejects more, it does not round). */
export function checkAmount(text: string, currency: string): MoneyCheck {
	if (!/^\d+(\.\d+)?$/.test(text)) return { minor: null, error: 'Invalid number' };
	if (!isKnownCurrency(currency)) return { minor: null, error: null };
	const decimals = currencyDecimals(currency);
	const fraction = text.split('.')[1] ?? '';
	if (fraction.replace(/0+$/, '').length > decimals) {
		return {
			minor: null,
			error: `${fraction.length} decimals, currency ${currency} allows ${decimals}`,
		};
	}
	return { minor: decimalToMinor(text, currency), error: null };
}

export function formatAmount(minor: bigint, currency: string): string {
	return formatMinor(minor, isKnownCurrency(currency) ? currencyDecimals(currency) : 2);
}
