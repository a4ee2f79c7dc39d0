/**
 * Mapping rules: which GL account, analytical dimensions, business partner, tax code and line description a
 * Brex spend item gets. Rules are plain JSON (a node parameter), validated with zod so that a typo names the
 * rule and the field. Rules are ordered: the first rule whose `when` matches wins, then defaults fill the gaps.
 *
 * Size (over 500 lines): the rule language is one unit (its zod schema, the matchers of `when`, the templates and
 * lookups of the values, the defaults) and is read as one; splitting it would put a rule's syntax and meaning apart.
 *
 * Example rule:
 *   { "name": "Meals", "when": { "mcc": "5800-5899" }, "account": "625700",
 *     "dimensions": { "DEP": { "from": "{{department.name}}", "lookup": { "Engineering": "ENG" } } } }
 */
import { z } from 'zod';

import type { SpendItem } from '../common/spendItemTypes';
import { foldName } from './supplierMatch';
import type { SupplierOnItem } from './supplierMatch';

// ---------------------------------------------------------------------------------------------------------
// Schema

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const textList = z.union([nonEmpty, z.array(nonEmpty).min(1, 'must list at least one value')]);

const vendorMatcherObject = z
	.object({
		equals: nonEmpty.optional(),
		contains: nonEmpty.optional(),
		regex: nonEmpty.optional(),
	})
	.strict()
	.refine((m) => [m.equals, m.contains, m.regex].filter((v) => v !== undefined).length === 1, {
		message: 'give exactly one of "equals", "contains" or "regex"',
	})
	.refine((m) => m.regex === undefined || isValidRegex(m.regex), {
		message: 'is not a valid regular expression',
		path: ['regex'],
	});
const vendorMatcher = z.union([nonEmpty, vendorMatcherObject]);

const MCC_PATTERN = /^(\d{4})(?:\s*-\s*(\d{4}))?$/;
const mccValue = z
	.string()
	.trim()
	.regex(MCC_PATTERN, 'an MCC is 4 digits ("5812") or a range ("5800-5899")')
	.refine(
		(value) => {
			const match = MCC_PATTERN.exec(value);
			return !match?.[2] || Number(match[1]) <= Number(match[2]);
		},
		{ message: 'MCC range must go from low to high' },
	);

const decimalLike = z.union([
	z.number().finite(),
	z
		.string()
		.trim()
		.regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal number such as "25.00"'),
]);

const amountRange = z
	.object({ min: decimalLike.optional(), max: decimalLike.optional() })
	.strict()
	.refine((range) => range.min !== undefined || range.max !== undefined, {
		message: 'give "min", "max" or both',
	})
	.refine(
		(range) =>
			range.min === undefined ||
			range.max === undefined ||
			compareDecimalText(String(range.min), String(range.max)) <= 0,
		{ message: '"min" must not be greater than "max"' },
	);

const whenSchema = z
	.object({
		vendor: z.union([vendorMatcher, z.array(vendorMatcher).min(1)]).optional(),
		mcc: z.union([mccValue, z.array(mccValue).min(1)]).optional(),
		category: textList.optional(),
		department: textList.optional(),
		location: textList.optional(),
		budget: textList.optional(),
		user: textList.optional(),
		customFields: z.record(textList).optional(),
		currency: textList.optional(),
		/** Compared with the absolute amount, so a range applies to spend and refunds alike. */
		amount: amountRange.optional(),
		isRefund: z.boolean().optional(),
		recordKind: z
			.union([
				z.enum(['expense', 'cardTransaction', 'accountingRecord']),
				z.array(z.enum(['expense', 'cardTransaction', 'accountingRecord'])).min(1),
			])
			.optional(),
	})
	.strict();

const dimensionValueSchema = z.union([
	z.string(),
	z
		.object({
			/** Template or item path giving the lookup key: "{{department.name}}" or "department.name". */
			from: nonEmpty,
			lookup: z.record(z.string()).optional(),
			default: z.string().optional(),
		})
		.strict(),
]);

const ruleSchema = z
	.object({
		name: z.string().optional(),
		when: whenSchema.optional(),
		account: nonEmpty.optional(),
		dimensions: z.record(dimensionValueSchema).optional(),
		businessPartner: nonEmpty.optional(),
		/** Same as businessPartner: the X3 supplier code written on the expense line. */
		supplier: nonEmpty.optional(),
		taxCode: nonEmpty.optional(),
		description: z.string().optional(),
		site: nonEmpty.optional(),
		/** true or a reason: matching items are not posted and reported as skipped. */
		skip: z.union([z.boolean(), nonEmpty]).optional(),
	})
	.strict()
	.refine(
		(rule) =>
			rule.skip !== undefined ||
			[
				rule.account,
				rule.dimensions,
				rule.businessPartner,
				rule.supplier,
				rule.taxCode,
				rule.description,
				rule.site,
			].some((value) => value !== undefined),
		{
			message:
				'a rule must set something (account, dimensions, businessPartner, taxCode, description, site) or "skip"',
		},
	);

export type MappingRuleInput = z.input<typeof ruleSchema>;
type RuleData = z.output<typeof ruleSchema>;
type DimensionValueSpec = z.output<typeof dimensionValueSchema>;

export interface MappingRule extends RuleData {
	/** Position in the rule list (0-based), for audit output. */
	index: number;
	/** Compiled vendor regexes, in the order they appear. */
	vendorRegexes: RegExp[];
}

export class MappingRulesError extends Error {
	constructor(readonly issues: string[]) {
		super(`Invalid mapping rules: ${issues.join('; ')}`);
		this.name = 'MappingRulesError';
	}
}

/**
 * Validates mapping rules given as a JSON string or an already parsed array. Dimension types used in rules must be
 * among `dimensionTypes` when given (the X3 Setup's list), so a rule cannot silently write a field X3 lacks.
 */
export function parseMappingRules(
	input: unknown,
	options: { dimensionTypes?: string[] } = {},
): MappingRule[] {
	let value = input;
	if (typeof value === 'string') {
		if (value.trim() === '') return [];
		const parsed = parseJson(value);
		if ('error' in parsed) throw new MappingRulesError([`not valid JSON (${parsed.error})`]);
		value = parsed.value;
	}
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value))
		throw new MappingRulesError(['rules must be a JSON array of rule objects']);

	const issues: string[] = [];
	const rules: MappingRule[] = [];
	value.forEach((raw: unknown, index) => {
		const label = ruleLabel(raw, index);
		const parsed = ruleSchema.safeParse(raw);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
				issues.push(`${label}: ${where}${issue.message}`);
			}
			return;
		}
		const rule = parsed.data;
		if (options.dimensionTypes && rule.dimensions) {
			for (const type of Object.keys(rule.dimensions)) {
				if (!options.dimensionTypes.includes(type)) {
					issues.push(
						`${label}: dimensions.${type}: "${type}" is not a configured dimension type (${options.dimensionTypes.join(', ') || 'none configured'})`,
					);
				}
			}
		}
		const vendorMatchers = rule.when?.vendor === undefined ? [] : toArray(rule.when.vendor);
		const vendorRegexes = vendorMatchers
			.filter((m): m is { regex: string } => typeof m === 'object' && m.regex !== undefined)
			.map((m) => new RegExp(m.regex, 'i'));
		rules.push({ ...rule, index, vendorRegexes });
	});
	if (issues.length > 0) throw new MappingRulesError(issues);
	return rules;
}

function parseJson(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

function ruleLabel(raw: unknown, index: number): string {
	const name =
		raw && typeof raw === 'object' && typeof (raw as { name?: unknown }).name === 'string'
			? ` ("${(raw as { name: string }).name}")`
			: '';
	return `rule ${index + 1}${name}`;
}

function isValidRegex(pattern: string): boolean {
	try {
		new RegExp(pattern, 'i');
		return true;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------------------
// Templates

const TEMPLATE_PATTERN = /\{\{\s*([^}|]+?)\s*(?:\|([^}]*))?\}\}/g;

/**
 * Reads a value from an item by dot path: "department.name", "merchant.mcc", "supplier.code".
 * "customFields.<name>" takes the rest of the path as the field name, so names may contain dots or spaces.
 */
export function resolveItemPath(item: SpendItem, path: string): string {
	const trimmed = path.trim();
	if (trimmed.startsWith('customFields.')) {
		const name = trimmed.slice('customFields.'.length);
		return customFieldValue(item, name) ?? '';
	}
	let current: unknown = item;
	for (const segment of trimmed.split('.')) {
		if (current === null || current === undefined || typeof current !== 'object') return '';
		current = (current as Record<string, unknown>)[segment];
	}
	return scalarText(current);
}

function scalarText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	// A named reference ({ id, name }) reads as its name: "{{department}}" works like "{{department.name}}".
	if (typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
		return (value as { name: string }).name;
	}
	return '';
}

/** Renders "{{path}}" and "{{path|fallback}}" placeholders; anything else is literal text. */
export function renderTemplate(template: string, item: SpendItem): string {
	return template.replace(
		TEMPLATE_PATTERN,
		(_whole, path: string, fallback: string | undefined) => {
			const value = resolveItemPath(item, path);
			return value !== '' ? value : (fallback ?? '');
		},
	);
}

function customFieldValue(item: SpendItem, name: string): string | undefined {
	const fields = item.customFields ?? {};
	if (fields[name] !== undefined) return String(fields[name]);
	const folded = foldName(name);
	const key = Object.keys(fields).find((candidate) => foldName(candidate) === folded);
	return key === undefined ? undefined : String(fields[key]);
}

// ---------------------------------------------------------------------------------------------------------
// Matching

function toArray<T>(value: T | T[]): T[] {
	return Array.isArray(value) ? value : [value];
}

function sameText(a: string | null | undefined, b: string): boolean {
	return a !== null && a !== undefined && a !== '' && foldName(a) === foldName(b);
}

/** Name the item is known by on the vendor side. */
export function itemVendorName(item: SpendItem): string | null {
	return item.vendorName || item.merchant?.name || null;
}

function isRefundItem(item: SpendItem): boolean {
	return item.isRefund === true || String(item.amount).trim().startsWith('-');
}

function matchesVendor(item: SpendItem, rule: MappingRule): boolean {
	const vendor = itemVendorName(item);
	if (vendor === null || rule.when?.vendor === undefined) return false;
	let regexIndex = 0;
	return toArray(rule.when.vendor).some((matcher) => {
		if (typeof matcher === 'string') return sameText(vendor, matcher);
		if (matcher.equals !== undefined) return sameText(vendor, matcher.equals);
		if (matcher.contains !== undefined)
			return foldName(vendor).includes(foldName(matcher.contains));
		const regex = rule.vendorRegexes[regexIndex++];
		return regex.test(vendor);
	});
}

function matchesMcc(mcc: string | null | undefined, criteria: string | string[]): boolean {
	if (!mcc || !/^\d+$/.test(mcc.trim())) return false;
	const code = Number(mcc.trim());
	return toArray(criteria).some((criterion) => {
		const match = MCC_PATTERN.exec(criterion.trim());
		if (!match) return false;
		const low = Number(match[1]);
		const high = match[2] ? Number(match[2]) : low;
		return code >= low && code <= high;
	});
}

function matchesNamedRef(
	ref: { id?: string | null; name?: string | null; email?: string | null } | null | undefined,
	criteria: string | string[],
): boolean {
	if (!ref) return false;
	return toArray(criteria).some(
		(criterion) =>
			sameText(ref.name, criterion) ||
			sameText(ref.id, criterion) ||
			sameText(ref.email, criterion),
	);
}

/** True when every criterion of the rule's `when` holds for the item (a rule without `when` matches all). */
export function ruleMatches(item: SpendItem, rule: MappingRule): boolean {
	const when = rule.when;
	if (!when) return true;
	if (when.vendor !== undefined && !matchesVendor(item, rule)) return false;
	if (when.mcc !== undefined && !matchesMcc(item.merchant?.mcc, when.mcc)) return false;
	if (
		when.category !== undefined &&
		!toArray(when.category).some((c) => sameText(item.category, c))
	)
		return false;
	if (when.department !== undefined && !matchesNamedRef(item.department, when.department))
		return false;
	if (when.location !== undefined && !matchesNamedRef(item.location, when.location)) return false;
	if (when.budget !== undefined && !matchesNamedRef(item.budget, when.budget)) return false;
	if (when.user !== undefined && !matchesNamedRef(item.user, when.user)) return false;
	if (when.currency !== undefined) {
		const currency = String(item.currency ?? '').toUpperCase();
		if (!toArray(when.currency).some((c) => c.toUpperCase() === currency)) return false;
	}
	if (when.customFields !== undefined) {
		for (const [name, expected] of Object.entries(when.customFields)) {
			const actual = customFieldValue(item, name);
			if (!toArray(expected).some((value) => sameText(actual, value))) return false;
		}
	}
	if (when.amount !== undefined) {
		const amount = String(item.amount ?? '')
			.trim()
			.replace(/^-/, '');
		if (!/^\d+(\.\d+)?$/.test(amount)) return false;
		if (when.amount.min !== undefined && compareDecimalText(amount, String(when.amount.min)) < 0)
			return false;
		if (when.amount.max !== undefined && compareDecimalText(amount, String(when.amount.max)) > 0)
			return false;
	}
	if (when.isRefund !== undefined && isRefundItem(item) !== when.isRefund) return false;
	if (when.recordKind !== undefined && !toArray(when.recordKind).includes(item.recordKind))
		return false;
	return true;
}

/** Compares two non-negative decimal strings exactly, whatever their number of decimals. */
export function compareDecimalText(a: string, b: string): -1 | 0 | 1 {
	const [aWhole, aFrac = ''] = a.trim().split('.');
	const [bWhole, bFrac = ''] = b.trim().split('.');
	const scale = Math.max(aFrac.length, bFrac.length);
	const x = BigInt(aWhole + aFrac.padEnd(scale, '0'));
	const y = BigInt(bWhole + bFrac.padEnd(scale, '0'));
	return x === y ? 0 : x < y ? -1 : 1;
}

// ---------------------------------------------------------------------------------------------------------
// Applying rules

export interface MappingDefaults {
	/** Account when no rule (and no supplier default) sets one. */
	expenseAccount?: string;
	/** Dimension type -> literal or template, used for types the winning rule leaves empty. */
	dimensions?: Record<string, string>;
	businessPartner?: string;
	taxCode?: string;
	/** Template for the line description when the rule has none. */
	lineDescription?: string;
	/** Dimension types every expense line must carry. */
	requiredDimensionTypes?: string[];
	/** Write the supplier found by Find or Create (item.supplier.code) as the line's business partner. */
	useSupplierAsBusinessPartner?: boolean;
}

export interface MappingContext {
	/** The configured dimension types, in X3 field order. Values for other types are refused at parse time. */
	dimensionTypes: string[];
	/** Dimension types an account requires (from X3), when known. */
	requiredDimensionsFor?: (account: string) => string[] | undefined;
}

export interface MappedLine {
	account: string;
	dimensions: Record<string, string>;
	businessPartner?: string;
	taxCode?: string;
	description?: string;
	/** Site set by the rule; the node's site applies otherwise. */
	site?: string;
}

export type MappingOutcome =
	| ({ status: 'mapped'; ruleIndex: number | null; ruleName: string | null } & MappedLine)
	| { status: 'skipped'; reason: string; ruleIndex: number; ruleName: string | null }
	| { status: 'failed'; reason: string; ruleIndex: number | null; ruleName: string | null };

function itemSupplier(item: SpendItem): SupplierOnItem | null {
	const supplier = item.supplier as SupplierOnItem | undefined;
	return supplier && typeof supplier === 'object' ? supplier : null;
}

function nonBlank(value: string | undefined | null): string | undefined {
	const text = value?.trim();
	return text ? text : undefined;
}

/** Applies the first matching rule, then defaults; reports why an item cannot be posted. */
export function mapSpendItem(
	item: SpendItem,
	rules: MappingRule[],
	defaults: MappingDefaults,
	context: MappingContext,
): MappingOutcome {
	const rule = rules.find((candidate) => ruleMatches(item, candidate)) ?? null;
	const ruleIndex = rule ? rule.index : null;
	const ruleName = rule?.name ?? null;
	const which = rule
		? `rule ${rule.index + 1}${rule.name ? ` ("${rule.name}")` : ''}`
		: 'no rule matched';

	if (rule?.skip !== undefined && rule.skip !== false) {
		const reason = typeof rule.skip === 'string' ? rule.skip : `Skipped by mapping ${which}`;
		return { status: 'skipped', reason, ruleIndex: rule.index, ruleName };
	}

	const supplier = itemSupplier(item);
	const account =
		nonBlank(rule?.account && renderTemplate(rule.account, item)) ??
		nonBlank(supplier?.defaultExpenseAccount) ??
		nonBlank(defaults.expenseAccount && renderTemplate(defaults.expenseAccount, item));
	if (!account) {
		return {
			status: 'failed',
			reason: `No GL account for this item (${which}, and no default expense account is set). Add a mapping rule or a default expense account.`,
			ruleIndex,
			ruleName,
		};
	}

	const dimensions: Record<string, string> = {};
	const lookupMisses: string[] = [];
	for (const type of context.dimensionTypes) {
		const fromRule = rule?.dimensions?.[type];
		let value: string | undefined;
		if (fromRule !== undefined) {
			const resolved = resolveDimensionValue(fromRule, item);
			value = resolved.value;
			if (resolved.miss) lookupMisses.push(`${type} lookup has no entry for "${resolved.miss}"`);
		}
		if (value === undefined && defaults.dimensions?.[type] !== undefined) {
			value = nonBlank(renderTemplate(defaults.dimensions[type], item));
		}
		if (value !== undefined) dimensions[type] = value;
	}

	const required = new Set([
		...(defaults.requiredDimensionTypes ?? []),
		...(context.requiredDimensionsFor?.(account) ?? []),
	]);
	const missing = [...required].filter((type) => dimensions[type] === undefined);
	if (missing.length > 0) {
		const detail = lookupMisses.length > 0 ? ` (${lookupMisses.join('; ')})` : '';
		return {
			status: 'failed',
			reason: `Missing required dimension${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for account ${account}${detail}: ${which} and the default dimensions give no value.`,
			ruleIndex,
			ruleName,
		};
	}

	const businessPartner =
		nonBlank(rule?.businessPartner && renderTemplate(rule.businessPartner, item)) ??
		nonBlank(rule?.supplier && renderTemplate(rule.supplier, item)) ??
		(defaults.useSupplierAsBusinessPartner !== false ? nonBlank(supplier?.code) : undefined) ??
		nonBlank(defaults.businessPartner);
	const taxCode = nonBlank(rule?.taxCode) ?? nonBlank(defaults.taxCode);
	const descriptionTemplate = rule?.description ?? defaults.lineDescription;
	const description =
		descriptionTemplate !== undefined
			? nonBlank(renderTemplate(descriptionTemplate, item).replace(/\s+/g, ' '))
			: undefined;
	const site = nonBlank(rule?.site && renderTemplate(rule.site, item));

	return {
		status: 'mapped',
		ruleIndex,
		ruleName,
		account,
		dimensions,
		...(businessPartner !== undefined ? { businessPartner } : {}),
		...(taxCode !== undefined ? { taxCode } : {}),
		...(description !== undefined ? { description } : {}),
		...(site !== undefined ? { site } : {}),
	};
}

function resolveDimensionValue(
	spec: DimensionValueSpec,
	item: SpendItem,
): { value?: string; miss?: string } {
	if (typeof spec === 'string') return { value: nonBlank(renderTemplate(spec, item)) };
	const key = spec.from.includes('{{')
		? renderTemplate(spec.from, item)
		: resolveItemPath(item, spec.from);
	const trimmedKey = key.trim();
	if (!spec.lookup) return { value: nonBlank(trimmedKey) ?? nonBlank(spec.default) };
	if (trimmedKey !== '') {
		if (spec.lookup[trimmedKey] !== undefined) return { value: nonBlank(spec.lookup[trimmedKey]) };
		const folded = foldName(trimmedKey);
		const match = Object.keys(spec.lookup).find((candidate) => foldName(candidate) === folded);
		if (match !== undefined) return { value: nonBlank(spec.lookup[match]) };
	}
	const fallback = nonBlank(spec.default);
	if (fallback !== undefined) return { value: fallback };
	return { miss: trimmedKey === '' ? `(empty ${spec.from})` : trimmedKey };
}
