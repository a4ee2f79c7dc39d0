/**
 * Coded records: an accounting record posted as Brex coded it, one X3 line per line item. Which Brex field is the
 * GL account and which Brex field is which X3 dimension type is a setting (BrexCoding), because field names are the
 * customer's own (Brex Fields API: a field's remote_id is what the customer linked it to in the ERP). A line's
 * value for a field is the ERP id Brex holds for it (`remote_field_value_id`, brex-api.md §5.5): the X3 code.
 *
 * Per expense line: the coded account and dimensions win; mapping rules (and defaults) are the fallback for what
 * the line leaves uncoded, evaluated on the item with the line's amount and memo. A coding whose value has no ERP
 * id (Brex value not linked to X3) fails the item with the line and field named: guessing would book the wrong
 * account. Balancing lines: coded ones keep their own account (e.g. a payable Brex names), else the card liability.
 * An expense has no lines: its custom fields keyed by the same Brex fields code it (mapCodedExpense).
 */
import type { SpendItem, SpendLine } from '../common/spendItemTypes';
import { lineItemTraceId } from '../common/traceId';
import type { PostingLine } from './journalDraft';
import { mapSpendItem } from './mapping';
import type { MappingContext, MappingDefaults, MappingOutcome, MappingRule } from './mapping';

export interface BrexCoding {
	/** Brex field (its remote_field_id or brex_field_id) that holds the GL account; null: rules give accounts. */
	glAccountField: string | null;
	/** Brex field -> X3 dimension type. */
	dimensionFields: Record<string, string>;
}

export class BrexCodingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BrexCodingError';
	}
}

/** Parses "DEPARTMENT=DEP, COST_CENTER=CCT" (Brex field = X3 dimension type), checking the types exist. */
export function parseDimensionFields(
	text: string | undefined,
	dimensionTypes: string[],
): Record<string, string> {
	const pairs: Record<string, string> = {};
	for (const part of (text ?? '').split(/[,;\n]/)) {
		if (part.trim() === '') continue;
		const [field, type, extra] = part.split('=').map((piece) => piece.trim());
		if (!field || !type || extra !== undefined) {
			throw new BrexCodingError(
				`"${part.trim()}" is not BREX_FIELD=DIMENSION_TYPE (e.g. DEPARTMENT=DEP)`,
			);
		}
		if (!dimensionTypes.includes(type)) {
			throw new BrexCodingError(
				`"${type}" is not a configured dimension type (${dimensionTypes.join(', ') || 'none configured'})`,
			);
		}
		pairs[field] = type;
	}
	return pairs;
}

export type CodedMapping =
	| {
			status: 'mapped';
			lines: PostingLine[];
			balancingLines: PostingLine[];
			ruleIndex: number | null;
			ruleName: string | null;
	  }
	| {
			status: 'skipped' | 'failed';
			reason: string;
			ruleIndex: number | null;
			ruleName: string | null;
	  };

type CodeLookup = { code: string } | { unlinked: string } | null;

/** A line's code for a Brex field, matched by the field's ERP id or Brex id. */
function codeOf(line: SpendLine, field: string): CodeLookup {
	const coding = line.codings.find(
		(candidate) => candidate.remoteFieldId === field || candidate.brexFieldId === field,
	);
	if (!coding) return null;
	if (coding.remoteValueId !== null) return { code: coding.remoteValueId };
	return {
		unlinked: `line ${line.id}: Brex value ${coding.brexValueId ?? '(none)'} of field ${field} has no X3 code (its remote_field_value_id is empty). Link the value to X3 in Brex (Fields API) or code the line again in Brex, then replay the record.`,
	};
}

/** The coded account and dimensions, each Brex field's code found by `codeFor`; the first unlinked one fails. */
function codedValuesBy(
	codeFor: (field: string) => CodeLookup,
	coding: BrexCoding,
): { account?: string; dimensions: Record<string, string>; problem?: string } {
	const dimensions: Record<string, string> = {};
	let account: string | undefined;
	const problems: string[] = [];
	if (coding.glAccountField) {
		const found = codeFor(coding.glAccountField);
		if (found && 'code' in found) account = found.code;
		else if (found) problems.push(found.unlinked);
	}
	for (const [field, type] of Object.entries(coding.dimensionFields)) {
		const found = codeFor(field);
		if (found && 'code' in found) dimensions[type] = found.code;
		else if (found) problems.push(found.unlinked);
	}
	return { account, dimensions, ...(problems.length > 0 ? { problem: problems[0] } : {}) };
}

function codedValues(line: SpendLine, coding: BrexCoding) {
	return codedValuesBy((field) => codeOf(line, field), coding);
}

/**
 * An expense's code for a Brex field: the option id of its custom field keyed by the field (customFieldOptionIds).
 * A value without exactly one option id (free text, several options) is coded but has no X3 code.
 */
function expenseCodeOf(item: SpendItem, field: string): CodeLookup {
	const text = item.customFields?.[field];
	const optionIds = item.customFieldOptionIds?.[field] ?? [];
	if (optionIds.length === 1) return { code: optionIds[0] };
	if (text === undefined && optionIds.length === 0) return null;
	const why =
		optionIds.length > 1
			? `holds ${optionIds.length} options (${optionIds.join(', ')}), one X3 code is needed`
			: `holds "${text}", which is no option synced from X3 (no option id)`;
	return {
		unlinked: `expense custom field ${field} ${why}. Make ${field} a single-choice Brex field whose values are synced from X3 (Brex node → Field Value → Sync From List), pick the value again on the expense, then replay it.`,
	};
}

/** What a posted line keeps of its Brex line item: its id, its trace id and its signed amount. */
function fromBrexLine(
	line: SpendLine,
	traceFieldLength: number,
): Pick<PostingLine, 'lineItemId' | 'lineTraceId' | 'amount'> {
	return {
		lineItemId: line.id,
		lineTraceId: lineItemTraceId(line.id, traceFieldLength),
		amount: line.amount,
	};
}

/**
 * Maps an item (or a line as an item) with its coded values: they win, rules and defaults give the rest; a
 * dimension the coding gives is not required of the rules.
 */
function mapWithCoding(
	item: SpendItem,
	coded: { account?: string; dimensions: Record<string, string> },
	rules: MappingRule[],
	defaults: MappingDefaults,
	context: MappingContext,
): MappingOutcome {
	const codedTypes = Object.keys(coded.dimensions);
	const outcome = mapSpendItem(
		item,
		rules,
		{
			...defaults,
			expenseAccount: coded.account ?? defaults.expenseAccount,
			requiredDimensionTypes: (defaults.requiredDimensionTypes ?? []).filter(
				(type) => !codedTypes.includes(type),
			),
		},
		{
			dimensionTypes: context.dimensionTypes,
			requiredDimensionsFor: (account) =>
				context
					.requiredDimensionsFor?.(coded.account ?? account)
					?.filter((type) => !codedTypes.includes(type)),
		},
	);
	if (outcome.status !== 'mapped') return outcome;
	return {
		...outcome,
		account: coded.account ?? outcome.account,
		dimensions: { ...outcome.dimensions, ...coded.dimensions },
	};
}

/** Maps each line of a coded record; the first rule that decides (skip, failure) decides for the whole record. */
export function mapCodedRecord(
	item: SpendItem,
	coding: BrexCoding,
	rules: MappingRule[],
	defaults: MappingDefaults,
	context: MappingContext,
	balancing: { liabilityAccount: string; liabilityDimensions: Record<string, string> },
	traceFieldLength: number,
): CodedMapping {
	const lines: PostingLine[] = [];
	let ruleIndex: number | null = null;
	let ruleName: string | null = null;
	for (const line of item.lines.filter((candidate) => candidate.side === 'expense')) {
		const coded = codedValues(line, coding);
		if (coded.problem) return { status: 'failed', reason: coded.problem, ruleIndex, ruleName };
		// The line as a spend item, so rules and templates read its amount and memo.
		const lineItem: SpendItem = { ...item, amount: line.amount, memo: line.memo ?? item.memo };
		const outcome = mapWithCoding(lineItem, coded, rules, defaults, context);
		if (lines.length === 0) {
			ruleIndex = outcome.ruleIndex;
			ruleName = outcome.ruleName;
		}
		if (outcome.status !== 'mapped') {
			const reason =
				outcome.status === 'failed' ? `line ${line.id}: ${outcome.reason}` : outcome.reason;
			return {
				status: outcome.status,
				reason,
				ruleIndex: outcome.ruleIndex,
				ruleName: outcome.ruleName,
			};
		}
		lines.push({
			...fromBrexLine(line, traceFieldLength),
			account: outcome.account,
			dimensions: outcome.dimensions,
			...(outcome.businessPartner ? { businessPartner: outcome.businessPartner } : {}),
			...(outcome.taxCode ? { taxCode: outcome.taxCode } : {}),
			...(outcome.description ? { description: outcome.description } : {}),
		});
	}

	const balancingLines: PostingLine[] = [];
	const brexBalancing = item.lines.filter((candidate) => candidate.side === 'balancing');
	const codedBalancing = brexBalancing.map((line) => ({ line, coded: codedValues(line, coding) }));
	const problem = codedBalancing.find(({ coded }) => coded.problem)?.coded.problem;
	if (problem) return { status: 'failed', reason: problem, ruleIndex, ruleName };
	// Brex's own balancing lines only when it coded their account; else one line on the card liability.
	if (codedBalancing.some(({ coded }) => coded.account !== undefined)) {
		for (const { line, coded } of codedBalancing) {
			balancingLines.push({
				...fromBrexLine(line, traceFieldLength),
				account: coded.account ?? balancing.liabilityAccount,
				dimensions: { ...balancing.liabilityDimensions, ...coded.dimensions },
				...(lines[0]?.description ? { description: lines[0].description } : {}),
			});
		}
	}
	return { status: 'mapped', lines, balancingLines, ruleIndex, ruleName };
}

/**
 * An expense mapped with its Brex coding (issue 15): custom fields keyed by the Brex Coding fields give the account
 * and dimensions; rules and defaults give the rest (and everything for an uncoded expense), evaluated as usual.
 */
export function mapCodedExpense(
	item: SpendItem,
	coding: BrexCoding,
	rules: MappingRule[],
	defaults: MappingDefaults,
	context: MappingContext,
): MappingOutcome {
	const coded = codedValuesBy((field) => expenseCodeOf(item, field), coding);
	if (coded.problem) {
		return { status: 'failed', reason: coded.problem, ruleIndex: null, ruleName: null };
	}
	return mapWithCoding(item, coded, rules, defaults, context);
}
