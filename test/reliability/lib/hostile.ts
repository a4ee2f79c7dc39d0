/**
 * Hostile input for the sync template: strings that break naive XML/JSON/SData/GraphQL/SQL/template handling,
 * put into the vendor names, memos and departments of Brex expenses, and malformed Brex expenses. Each entry
 * says what the ledger must show for it; a test only has to apply the entries and compare.
 *
 * Where the product changes a string on purpose, the expected value says so (and the test counts it as
 * "stored as documented", not as verbatim):
 * - the normaliser trims leading and trailing whitespace of names and memos (nodes/brexApi/spendItem.ts);
 * - line descriptions are rendered on one line, every run of whitespace becoming one space
 *   (nodes/ledger/mapping.ts, mapSpendItem), from the template "{{vendorName}} {{memo}}", and start with the
 *   item's trace id (the layout's line trace field is the description DES: gateway.types.ts), which leaves
 *   the rest of DES for the text;
 * - a Char value longer than its field is cut to the field's length, in characters (by X3 as the emulator's
 *   README says, or by the node to getDescription's length where X3 would refuse it): the lengths come from the
 *   emulator's own publications (x3TextLengths), e.g. supplier name BPSNAM 35, line description DES 30
 *   (documented) or 50 (lenient);
 * - department names map to X3 codes through the template's lookup, exact or folded (case, accents and
 *   punctuation ignored: mapping.ts resolveDimensionValue); a name the lookup lacks fails the item with a
 *   reason that quotes it.
 */
import type { BrexEmulator, EmulatedExpense, Money } from '../../emulators/brex/server';
import { documentedPublications } from '../../emulators/x3/documented';
import { buildPublications } from '../../emulators/x3/publications';
import type { X3Emulator } from '../../emulators/x3/server';

/** Lengths of the two Char fields the checks cut to, read from the emulator's own publication definitions. */
export function x3TextLengths(x3: Pick<X3Emulator, 'layout' | 'behaviour'>): {
	supplierName: number;
	lineDescription: number;
} {
	const { layout, behaviour } = x3;
	const publications = behaviour.fixedPublications
		? documentedPublications(layout, behaviour)
		: buildPublications(layout);
	const length = (publication: string, block: string, field: string): number => {
		const found = publications
			.find((candidate) => candidate.name === publication)
			?.blocks.find((candidate) => candidate.id === block)
			?.fields.find((candidate) => candidate.name === field);
		if (!found) throw new Error(`The X3 emulator has no field ${publication} ${block}.${field}`);
		return found.length;
	};
	return {
		supplierName: length(
			layout.supplier.publication,
			layout.supplier.block,
			layout.supplier.fields.name,
		),
		lineDescription: length(
			layout.journalEntry.publication,
			layout.journalEntry.linesBlock,
			layout.journalEntry.fields.lineDescription,
		),
	};
}

export interface HostileString {
	label: string;
	text: string;
}

/** Each has its own letters, so no two fold to the same supplier name (supplierMatch.ts foldName). */
export const HOSTILE_STRINGS: HostileString[] = [
	{ label: 'double and single quotes', text: `Quote "Alpha" O'Neil's` },
	{ label: 'backslashes and escape look-alikes', text: 'Back\\slash Bravo \\n \\u0041 \\' },
	{ label: 'markup', text: '<script>alert("Charlie")</script>' },
	{ label: 'ampersands and entities', text: 'Tom & Delta &amp; &lt; &#x41; &' },
	{ label: 'CDATA terminator', text: 'Echo ]]> <![CDATA[ x ]]>' },
	{ label: 'closing the X3 field element', text: 'Foxtrot</FLD><FLD NAME="BPSNUM">EVIL' },
	{ label: 'closing the SOAP envelope', text: 'Golf</objectXml></save></soapenv:Body>' },
	{ label: 'JSON payload break-out', text: 'Hotel","BPSNUM":"EVIL","X":"' },
	{ label: 'SData filter injection', text: "India' or BPSNAM ne 'x" },
	{ label: 'GraphQL injection', text: 'Juliet") { edges { node { code } } } #' },
	{ label: 'regex metacharacters', text: 'Kilo.*+?^$()[]{}|' },
	{ label: 'SOAP wildcard, SQL LIKE and a trailing space', text: 'Lima* %_ ' },
	{ label: 'SQL injection', text: "Mike'); DROP TABLE BPSUPPLIER;--" },
	{
		label: 'n8n expression and template syntax',
		text: '={{ $json.November }} {{vendorName}} ${x}',
	},
	{ label: 'C0 control characters and ANSI escapes', text: 'Oscar\u0001\u0007\u001b[31m\u007f' },
	{ label: 'NUL character', text: 'Papa\u0000Null' },
	{ label: 'emoji (surrogate pairs, ZWJ sequence, flag)', text: 'Café ☕ ab😀 👩‍💻 🇫🇷 Quebec' },
	// 'Romeo ' and 28 digits are 34 UTF-16 units: the emoji straddles the 35th unit.
	{ label: 'emoji across the X3 length cut', text: 'Romeo 1234567890123456789012345678😀 tail' },
	{ label: 'right-to-left text and bidi overrides', text: 'شركة سييرا \u202Eevil\u202C עברית' },
	{ label: 'zero-width characters and BOM', text: 'Tango\u200B\u200C\u200D\u2060\uFEFFmark' },
	{ label: 'combining marks (not normalised)', text: 'Uniform Cafe\u0301 Cre\u0300me' },
	{ label: 'line and paragraph separators', text: 'Victor\u2028Whiskey\u2029end' },
	{ label: 'newlines and tabs', text: 'Xray\nline2\r\nline3\ttab' },
	{ label: 'percent-encoding and format strings', text: 'Yankee 100% %27%3C %s %n %x' },
	{ label: 'longer than the X3 fields', text: `Zulu ${'long vendor name '.repeat(6)}end` },
	{ label: 'lone surrogate', text: 'Lone\uD800surrogate' },
];

/** X3's cut of a Char value to its field length, in characters (code points). */
export function x3Cut(text: string, length: number): string {
	return Array.from(text).slice(0, length).join('');
}

/** The line description the template writes for a vendor name and a memo, before X3's cut. */
export function lineDescriptionOf(vendorName: string | null, memo: string | null): string {
	return `${vendorName?.trim() ?? ''} ${memo?.trim() ?? ''}`.replace(/\s+/g, ' ').trim();
}

export interface HostileDepartment {
	label: string;
	name: string;
	/** X3 DEP code the lookup must give, or null: the item fails and its reason quotes the name. */
	dep: string | null;
}

/** The template's DEP lookup: Engineering ENG, Sales SAL, Marketing MKT, Finance FIN, Operations OPS. */
export const HOSTILE_DEPARTMENTS: HostileDepartment[] = [
	{ label: 'quote break-out', name: 'Engineering" OR "1"="1', dep: null },
	{ label: 'markup around a known name (folded match)', name: '<Sales>', dep: 'SAL' },
	{ label: 'NUL after a known name (folded match)', name: 'Marketing\u0000', dep: 'MKT' },
	{ label: 'SQL injection', name: "Finance'); DROP TABLE x;--", dep: null },
	{
		label: 'bidi override after a known name (folded match)',
		name: 'Operations\u202E',
		dep: 'OPS',
	},
	{ label: 'fullwidth letters (NFKD folded match)', name: 'Ｅｎｇｉｎｅｅｒｉｎｇ', dep: 'ENG' },
	{ label: 'two known names on two lines', name: 'Sales\nMarketing', dep: null },
	{ label: 'regex alternation of known names', name: 'Engineering|Sales', dep: null },
	{ label: 'template syntax', name: '{{department.name}}', dep: null },
	{ label: 'unknown department', name: 'Legal', dep: null },
	{
		label: 'NUL inside an unknown name (quoted in the audit reason)',
		name: 'Legal\u0000Ops',
		dep: null,
	},
	{ label: 'blanks around a known name (trimmed)', name: '  Sales  ', dep: 'SAL' },
];

export interface SpendOptions {
	/** Merchant raw descriptor (the vendor name); null: no merchant at all. Default: a seeded vendor's. */
	vendorName?: string | null;
	memo?: string | null;
	/** A department that exists in Brex (id), default the user's. */
	departmentId?: string;
	billing?: Money;
}

export interface SpendFactory {
	/** A new approved, cleared USD card expense of a seeded vendor, changed as the options say. */
	add(options?: SpendOptions): EmulatedExpense;
	/** A new department in Brex; returns its id. */
	addDepartment(name: string): string;
	/** Name of the seeded vendor used when no vendor name is given. */
	seededVendorName: string;
}

const LOOKUP_DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Operations'];

export function spendFactory(brex: BrexEmulator): SpendFactory {
	const { state } = brex;
	const user = [...state.users.values()].find((candidate) => {
		const entity = state.legalEntities.get(candidate.legal_entity_id);
		const department = candidate.department_id
			? state.departments.get(candidate.department_id)
			: undefined;
		return entity?.currency === 'USD' && LOOKUP_DEPARTMENTS.includes(department?.name ?? '');
	});
	if (!user) throw new Error('The Brex seed has no USD user in a department the template maps');
	const vendor = [...state.vendors.values()][0];
	let amount = 1_000;
	let departments = 0;
	return {
		seededVendorName: vendor.company_name,
		addDepartment(name: string): string {
			departments += 1;
			const id = `dept_reliability_${departments}`;
			state.departments.set(id, { id, name, description: null });
			return id;
		},
		add(options: SpendOptions = {}): EmulatedExpense {
			amount += 7;
			const expense = brex.addExpense({
				user_id: user.id,
				vendor_id: vendor.id,
				billing_amount: options.billing ?? { amount, currency: 'USD' },
				original_amount: options.billing ?? { amount, currency: 'USD' },
				status: 'APPROVED',
				payment_status: 'CLEARED',
			});
			// The stored record is what the API renders: change it in place.
			if (options.vendorName === null) {
				expense.merchant = null;
				expense.merchant_id = null;
			} else if (options.vendorName !== undefined) {
				expense.merchant = { raw_descriptor: options.vendorName, mcc: '5734', country: 'USA' };
			}
			if (options.memo !== undefined) expense.memo = options.memo;
			if (options.departmentId !== undefined) expense.department_id = options.departmentId;
			return expense;
		},
	};
}

/** How a malformed record must end. */
export type MalformedExpectation =
	/** On an error output, audited as failed, with a reason matching `reason`. */
	| { kind: 'error'; reason: RegExp }
	/** Posted, as the product documents for this shape. */
	| { kind: 'posts'; why: string };

export interface MalformedCase {
	label: string;
	/** Changes a freshly added valid expense into the malformed one (in the emulator's state). */
	apply(expense: EmulatedExpense, brex: BrexEmulator): void;
	expect: MalformedExpectation;
}

function set(expense: EmulatedExpense, patch: Record<string, unknown>): void {
	Object.assign(expense as unknown as Record<string, unknown>, patch);
}

export const MALFORMED_CASES: MalformedCase[] = [
	{
		label: 'no billing amount',
		apply: (e) => set(e, { billing_amount: null }),
		expect: { kind: 'error', reason: /no billing_amount/ },
	},
	{
		label: 'zero amount',
		apply: (e) =>
			set(e, {
				billing_amount: { amount: 0, currency: 'USD' },
				original_amount: null,
			}),
		expect: { kind: 'error', reason: /billing_amount is zero/ },
	},
	{
		label: 'amount not a number',
		apply: (e) =>
			set(e, { billing_amount: { amount: '12abc', currency: 'USD' }, original_amount: null }),
		expect: { kind: 'error', reason: /billing_amount\.amount.*12abc.*not a whole number/ },
	},
	{
		label: 'fractional minor units',
		apply: (e) =>
			set(e, { billing_amount: { amount: 1234.5, currency: 'USD' }, original_amount: null }),
		expect: { kind: 'error', reason: /billing_amount\.amount.*not a whole number of minor units/ },
	},
	{
		label: 'amount is an object',
		apply: (e) =>
			set(e, {
				billing_amount: { amount: { value: 12 }, currency: 'USD' },
				original_amount: null,
			}),
		expect: { kind: 'error', reason: /billing_amount\.amount is a object, not a number/ },
	},
	{
		label: 'billing amount is a string',
		apply: (e) => set(e, { billing_amount: '12.00 USD', original_amount: null }),
		expect: { kind: 'error', reason: /billing_amount is missing or not an object/ },
	},
	{
		label: 'amount beyond the exact integer range',
		apply: (e) =>
			set(e, {
				// eslint-disable-next-line no-loss-of-precision -- the point: a number JSON cannot carry exactly
				billing_amount: { amount: 9_007_199_254_740_993, currency: 'USD' },
				original_amount: null,
			}),
		expect: { kind: 'error', reason: /billing_amount\.amount.*not a whole number of minor units/ },
	},
	{
		label: 'unknown currency',
		apply: (e) =>
			set(e, { billing_amount: { amount: 1234, currency: 'XYZ' }, original_amount: null }),
		expect: { kind: 'error', reason: /"XYZ" is not a known ISO 4217 currency/ },
	},
	{
		label: 'currency is a number',
		apply: (e) =>
			set(e, { billing_amount: { amount: 1234, currency: 840 }, original_amount: null }),
		expect: { kind: 'error', reason: /billing_amount\.currency is not a string/ },
	},
	{
		label: 'original amount in an unknown currency',
		apply: (e) => set(e, { original_amount: { amount: 1100, currency: 'EURO' } }),
		expect: { kind: 'error', reason: /original_amount\.currency "EURO" is not a known/ },
	},
	{
		label: 'no dates at all',
		apply: (e) => set(e, { purchased_at: null, payment_posted_at: null }),
		expect: { kind: 'error', reason: /neither payment_posted_at nor purchased_at/ },
	},
	{
		label: 'impossible calendar date',
		apply: (e) =>
			set(e, { payment_posted_at: '2026-02-30T10:00:00Z', purchased_at: '2026-02-28T10:00:00Z' }),
		expect: {
			kind: 'error',
			reason: /payment_posted_at "2026-02-30T10:00:00Z" is not a real calendar date/,
		},
	},
	{
		label: 'date that is not a date',
		apply: (e) => set(e, { payment_posted_at: 'yesterday' }),
		expect: { kind: 'error', reason: /payment_posted_at "yesterday" is not an RFC 3339 date-time/ },
	},
	{
		label: 'last-update time that is not a date',
		apply: (e) => set(e, { updated_at: '2026-07-01 at noon' }),
		expect: {
			kind: 'error',
			reason: /updated_at "2026-07-01 at noon" is not an RFC 3339 date-time/,
		},
	},
	{
		label: 'no id',
		apply: (e) => set(e, { id: null }),
		expect: { kind: 'error', reason: /has no id/ },
	},
	{
		label: 'id is a number',
		apply: (e) => set(e, { id: 4242 }),
		expect: { kind: 'error', reason: /id is a number, not a string/ },
	},
	{
		label: 'custom fields not a list',
		apply: (e) => set(e, { custom_fields: { project: 'PRJ1' } }),
		expect: { kind: 'error', reason: /custom_fields is not a list/ },
	},
	{
		label: 'department unknown to the mapping',
		apply: (e, brex) => {
			const id = 'dept_reliability_legal';
			brex.state.departments.set(id, { id, name: 'Legal & Compliance', description: null });
			set(e, { department_id: id });
		},
		expect: {
			kind: 'error',
			reason: /Missing required dimension DEP .*DEP lookup has no entry for "Legal & Compliance"/,
		},
	},
	{
		label: 'department id that Brex does not know',
		apply: (e) => set(e, { department_id: 'dept_does_not_exist' }),
		expect: {
			kind: 'error',
			reason: /Missing required dimension DEP .*\(empty department\.name\)/,
		},
	},
	{
		label: 'currency X3 does not hold (SEK)',
		apply: (e) =>
			set(e, { billing_amount: { amount: 98_700, currency: 'SEK' }, original_amount: null }),
		expect: { kind: 'error', reason: /Currency SEK : Record does not exist/ },
	},
	{
		label: 'negative amount with a positive purchase amount',
		apply: (e) =>
			set(e, {
				billing_amount: { amount: -2500, currency: 'USD' },
				original_amount: { amount: 2300, currency: 'EUR' },
			}),
		expect: {
			kind: 'posts',
			why:
				'an expense has no refund flag: a negative billing amount is a refund, the purchase amount follows ' +
				'its sign (spendItem.ts readOriginal)',
		},
	},
	{
		label: 'no merchant',
		apply: (e) => set(e, { merchant: null, merchant_id: null }),
		expect: {
			kind: 'posts',
			why: 'README: records without a vendor name post without a business partner',
		},
	},
	{
		label: 'huge memo (100,000 characters)',
		apply: (e) => set(e, { memo: `Huge memo ${'0123456789'.repeat(10_000)}` }),
		expect: {
			kind: 'posts',
			why: 'memo kept up to 2,000 characters (spendItem.ts MEMO_MAX_LENGTH); the line description is cut to its X3 length',
		},
	},
];
