/**
 * Post Spend's Brex side: its "Brex Coding" parameters (which Brex field is the GL account and which is each X3
 * dimension type; when a record is ready for the ledger), the coded posting of an accounting record, and what an
 * item reports when another record of the same purchase was booked first. Pure apart from the parameter text.
 */
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_READINESS, spendReadiness } from '../../common/spendReadiness';
import { lineItemTraceId } from '../../common/traceId';
import type { ReadinessPolicy } from '../../common/spendReadiness';
import type { SpendItem, SpendReadiness } from '../../common/spendItemTypes';
import { BrexCodingError, mapCodedRecord, parseDimensionFields } from '../../ledger/codedLines';
import type { BrexCoding, CodedMapping } from '../../ledger/codedLines';
import type { PostingItem } from '../../ledger/journalDraft';
import type { MappingContext, MappingDefaults, MappingRule } from '../../ledger/mapping';
import type { PostResult, PostStatus } from '../../ledger/journalTypes';
import { parseCodeList } from './layout';

export const brexCodingProperty: INodeProperties = {
	displayName: 'Brex Coding',
	name: 'brexCoding',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	description:
		'How accounting records (line by line) and expenses (custom fields) coded in Brex are posted, and which records are ready for the ledger',
	options: [
		{
			displayName: 'Accounting Record Statuses',
			name: 'accountingRecordStatuses',
			type: 'string',
			default: DEFAULT_READINESS.accountingRecordStatuses.join(', '),
			description:
				'Review statuses an accounting record must have to be posted; others are reported skipped with the reason',
		},
		{
			displayName: 'Dimension Fields',
			name: 'dimensionFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. DEPARTMENT=DEP, COST_CENTER=CCT',
			description:
				'Brex field (remote or Brex field ID; for an expense, its custom field key) = X3 dimension type: each line gets the X3 code Brex holds for that field (remote_field_value_id; an expense option field: its option ID)',
		},
		{
			displayName: 'Expense Payment Statuses',
			name: 'expensePaymentStatuses',
			type: 'string',
			default: DEFAULT_READINESS.expensePaymentStatuses.join(', '),
			description: 'Payment statuses an expense must have to be posted',
		},
		{
			displayName: 'Expense Statuses',
			name: 'expenseStatuses',
			type: 'string',
			default: DEFAULT_READINESS.expenseStatuses.join(', '),
			description: 'Statuses an expense must have to be posted',
		},
		{
			displayName: 'GL Account Field',
			name: 'glAccountField',
			type: 'string',
			default: '',
			placeholder: 'e.g. GL_ACCOUNT',
			description:
				'Brex field (remote or Brex field ID; for an expense, its custom field key) that holds the GL account of each accounting line or expense. When empty, or for a line without it, the mapping rules give the account.',
		},
		{
			displayName: 'Post Regardless of Readiness',
			name: 'postRegardlessOfReadiness',
			type: 'boolean',
			default: false,
			description:
				'Whether to post records whatever their statuses (for a workflow that decides readiness itself)',
		},
	],
};

export interface BrexCodingOptions {
	accountingRecordStatuses?: string;
	dimensionFields?: string;
	expensePaymentStatuses?: string;
	expenseStatuses?: string;
	glAccountField?: string;
	postRegardlessOfReadiness?: boolean;
}

/** Readiness of an item under the node's lists, or ready when the user posts regardless. */
export function readinessFor(item: SpendItem, options: BrexCodingOptions): SpendReadiness {
	if (options.postRegardlessOfReadiness === true) return { ready: true, reason: null };
	const list = (text: string | undefined, fallback: string[]) =>
		text === undefined ? fallback : parseCodeList(text);
	const policy: ReadinessPolicy = {
		expenseStatuses: list(options.expenseStatuses, DEFAULT_READINESS.expenseStatuses),
		expensePaymentStatuses: list(
			options.expensePaymentStatuses,
			DEFAULT_READINESS.expensePaymentStatuses,
		),
		accountingRecordStatuses: list(
			options.accountingRecordStatuses,
			DEFAULT_READINESS.accountingRecordStatuses,
		),
	};
	return spendReadiness(item, policy);
}

/** The coding setting, or the node's error naming the bad Dimension Fields entry. */
export function codingOf(
	options: BrexCodingOptions,
	dimensionTypes: string[],
	node: INode,
): BrexCoding {
	const field = (options.glAccountField ?? '').trim();
	try {
		return {
			glAccountField: field === '' ? null : field,
			dimensionFields: parseDimensionFields(options.dimensionFields, dimensionTypes),
		};
	} catch (error) {
		const message = error instanceof BrexCodingError ? error.message : String(error);
		throw new NodeOperationError(node, `Brex Coding → Dimension Fields: ${message}`);
	}
}

/** What every posting of an item carries, whether mapped as one line or line by line. */
export function postingBase(
	item: SpendItem,
	itemIndex: number,
	site: string,
	entryType: string,
	liabilityAccount: string,
): Omit<PostingItem, 'account' | 'dimensions'> {
	return {
		itemIndex,
		traceId: item.traceId,
		accountingDate: item.accountingDate,
		currency: item.currency,
		amount: String(item.amount),
		isRefund: item.isRefund === true,
		site,
		entryType,
		liabilityAccount,
	};
}

/** A coded posting's lines for the audit (postResult.lines). */
export function postedLines(posting: PostingItem): NonNullable<PostResult['lines']> {
	return [...(posting.lines ?? []), ...(posting.balancingLines ?? [])].map((line) => ({
		lineItemId: line.lineItemId ?? null,
		lineTraceId: line.lineTraceId ?? null,
		account: line.account,
		dimensions: line.dimensions,
		amount: line.amount,
	}));
}

/** Whether an item is posted line by line: an accounting record that carries its expense lines. */
export function isCodedRecord(item: SpendItem): boolean {
	return (
		item.recordKind === 'accountingRecord' &&
		Array.isArray(item.lines) &&
		item.lines.some((line) => line.side === 'expense')
	);
}

/**
 * Maps a coded record and completes its posting: the lines, and the aliases a replay or an earlier version finds
 * it by (its own record trace id, its line items' trace ids). The posting's account and dimensions are the first
 * line's, for the audit.
 */
export function codedPosting(
	item: SpendItem,
	base: Omit<PostingItem, 'account' | 'dimensions'>,
	coding: BrexCoding,
	mappingSetting: {
		rules: MappingRule[];
		defaults: MappingDefaults;
		context: MappingContext;
		liabilityDimensions: Record<string, string>;
		traceFieldLength: number;
	},
): { mapping: CodedMapping; posting?: PostingItem } {
	const { rules, defaults, context, liabilityDimensions, traceFieldLength } = mappingSetting;
	const mapping = mapCodedRecord(
		item,
		coding,
		rules,
		defaults,
		context,
		{ liabilityAccount: base.liabilityAccount, liabilityDimensions },
		traceFieldLength,
	);
	if (mapping.status !== 'mapped') return { mapping };
	const first = mapping.lines[0];
	const aliases = [
		...recordAlias(item),
		...[...mapping.lines, ...mapping.balancingLines]
			.map((line) => line.lineTraceId)
			.filter((id): id is string => id !== undefined),
	];
	return {
		mapping,
		posting: {
			...base,
			account: first.account,
			dimensions: first.dimensions,
			...(first.description ? { description: first.description } : {}),
			lines: mapping.lines,
			...(mapping.balancingLines.length > 0 ? { balancingLines: mapping.balancingLines } : {}),
			aliasTraceIds: aliases,
		},
	};
}

/** The line trace ids of a coded record's line items, for Reconcile (nothing for other items). */
export function codedLineTraces(
	json: IDataObject,
	traceFieldLength: number,
): { lineTraceIds?: string[] } {
	if (json.recordKind !== 'accountingRecord' || !Array.isArray(json.lines)) return {};
	const ids = json.lines
		.map((line) => (line as IDataObject | null)?.id)
		.filter((id): id is string => typeof id === 'string')
		.map((id) => lineItemTraceId(id, traceFieldLength));
	return ids.length > 0 ? { lineTraceIds: ids } : {};
}

/** The record's own trace id as an alias, when the purchase key differs (entries written by earlier versions). */
export function recordAlias(item: SpendItem): string[] {
	return item.recordTraceId && item.recordTraceId !== item.traceId ? [item.recordTraceId] : [];
}

/**
 * What a later record of the same purchase in one input reports, from the first one's outcome: booked by it
 * (already_posted with its document number, and a note when the amounts differ: the first one booked wins),
 * or the first one's failure or skip.
 */
export function samePurchaseOutcome(
	first: {
		itemIndex: number;
		status: PostStatus;
		reason?: string;
		amount: string;
		recordId: string;
	},
	later: { amount: string; recordId: string },
): { status: PostStatus; reason: string } {
	const which = `item ${first.itemIndex} (${first.recordId}), the same purchase`;
	if (first.status === 'posted' || first.status === 'already_posted') {
		const note =
			first.amount === later.amount
				? ''
				: `; the amounts differ (${later.amount} here, ${first.amount} booked): the first record booked stands, correct it in X3 if Brex changed the amount`;
		return { status: 'already_posted', reason: `Booked by ${which}${note}` };
	}
	return {
		status: first.status,
		reason: `Not posted: ${which}, was ${first.status}: ${first.reason ?? 'no reason given'}`,
	};
}
