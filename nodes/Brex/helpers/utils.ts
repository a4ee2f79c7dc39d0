import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { credentialTypeOf } from '../../brexApi/authentication';
import { brexRequest } from '../../brexApi/client';
import type { BrexClientOptions } from '../../brexApi/client';
import { failedItem } from '../../common/itemErrors';
import { SpendItemError } from '../../brexApi/spendItem';
import type { SpendItem, SpendRecordKind } from '../../common/spendItemTypes';

export type InvalidRecordHandling = 'error' | 'skip' | 'output';

const RECORD_LABEL: Record<SpendRecordKind, string> = {
	expense: 'expense',
	cardTransaction: 'card transaction',
	accountingRecord: 'accounting record',
};

/** The credential chosen by the node's `authentication` parameter (credentialTypeOf, as in the Brex Trigger). */
export function clientOptions(ctx: IExecuteFunctions, itemIndex: number): BrexClientOptions {
	return {
		credentialType: credentialTypeOf(
			ctx.getNodeParameter('authentication', itemIndex, 'accessToken'),
		),
	};
}

export function getOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
}

/** A required id parameter, trimmed; path parameters are encoded by the caller. */
export function requiredId(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const id =
		typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
	if (id === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Enter the Brex ${label.toLowerCase()} or map it from the input with an expression.`,
		});
	}
	return id;
}

/**
 * A dateTime parameter as RFC 3339 UTC for Brex (`…Z`), or undefined when empty. A bare date is the start or
 * the end of that day; a date-time without zone is read as UTC, since Brex compares in UTC.
 */
export function toBrexDateTime(
	ctx: IExecuteFunctions,
	value: unknown,
	boundary: 'start' | 'end',
	label: string,
	itemIndex: number,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let text: string;
	if (value instanceof Date) text = value.toISOString();
	else if (
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	) {
		text = String((value as { toISO: () => string }).toISO());
	} else text = String(value).trim();
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
		text += boundary === 'start' ? 'T00:00:00.000Z' : 'T23:59:59.999Z';
	} else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
		text += 'Z';
	}
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${String(value)}" is not a date`, {
			itemIndex,
			description: 'Use an ISO date such as 2026-07-01 or 2026-07-01T00:00:00Z.',
		});
	}
	return new Date(ms).toISOString();
}

/** Comma- or newline-separated ids from a text parameter. */
export function idList(value: unknown): string[] {
	if (Array.isArray(value))
		return value
			.map(String)
			.map((v) => v.trim())
			.filter(Boolean);
	if (typeof value !== 'string') return [];
	return value
		.split(/[\s,]+/)
		.map((v) => v.trim())
		.filter(Boolean);
}

export function spendItemJson(item: SpendItem, includeRaw: boolean): IDataObject {
	if (includeRaw) return item;
	const withoutRaw: IDataObject = { ...item };
	delete withoutRaw.raw;
	return withoutRaw;
}

/**
 * Normalises one record for a list operation. A record the GL side cannot use either stops the node, is left
 * out, or becomes an error item (routed to the error output when the node is set to use one).
 */
export function normaliseForList(
	ctx: IExecuteFunctions,
	record: IDataObject,
	kind: SpendRecordKind,
	normalise: (raw: IDataObject) => SpendItem,
	handling: InvalidRecordHandling,
	includeRaw: boolean,
	itemIndex: number,
): INodeExecutionData | null {
	const outcome = normaliseRecord(ctx, record, normalise, includeRaw, itemIndex);
	if (!(outcome instanceof SpendItemError)) return outcome;
	const failure = outcome;
	if (handling === 'skip') return null;
	if (handling === 'output') {
		return failedItem(ctx.getNode(), itemIndex, failure.message, {
			record: { recordId: failure.recordId, recordKind: kind, reason: failure.reason, raw: record },
		});
	}
	throw invalidRecordError(ctx, kind, failure, itemIndex, true);
}

/** Normalises the one record of a get operation. */
export function normaliseForGet(
	ctx: IExecuteFunctions,
	record: IDataObject,
	kind: SpendRecordKind,
	normalise: (raw: IDataObject) => SpendItem,
	includeRaw: boolean,
	itemIndex: number,
): INodeExecutionData {
	const outcome = normaliseRecord(ctx, record, normalise, includeRaw, itemIndex);
	if (outcome instanceof SpendItemError)
		throw invalidRecordError(ctx, kind, outcome, itemIndex, false);
	return outcome;
}

/** A Get operation's output: the one record Brex returns for `request`, as a spend item. */
export async function getSpendItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: SpendRecordKind,
	normalise: (raw: IDataObject) => SpendItem,
	request: { path: string; qs?: IDataObject },
): Promise<INodeExecutionData[]> {
	const includeRaw = getOptions(ctx, itemIndex).includeRaw !== false;
	const record = await brexRequest<IDataObject>(ctx, clientOptions(ctx, itemIndex), {
		method: 'GET',
		...request,
	});
	return [normaliseForGet(ctx, record, kind, normalise, includeRaw, itemIndex)];
}

/** The record's output item, or the SpendItemError that says why it is no spend item; other errors throw. */
function normaliseRecord(
	ctx: IExecuteFunctions,
	record: IDataObject,
	normalise: (raw: IDataObject) => SpendItem,
	includeRaw: boolean,
	itemIndex: number,
): INodeExecutionData | SpendItemError {
	try {
		return { json: spendItemJson(normalise(record), includeRaw) };
	} catch (error) {
		if (error instanceof SpendItemError) return error;
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

function invalidRecordError(
	ctx: IExecuteFunctions,
	kind: SpendRecordKind,
	failure: SpendItemError,
	itemIndex: number,
	inList: boolean,
): NodeOperationError {
	const label = RECORD_LABEL[kind];
	return new NodeOperationError(
		ctx.getNode(),
		`Brex ${label} ${failure.recordId ?? '(without id)'} cannot be used for the ledger: ${failure.reason}`,
		{
			itemIndex,
			description: inList
				? 'Set Options → On Invalid Record to "Skip" or "Output as Error Item" to go on with the other records.'
				: 'The record is not card spend the ledger can post, or Brex sent it incomplete.',
		},
	);
}

/**
 * The Start and End parameters (startDate, endDate) of a Get Many, as each resource names and explains them: one
 * declaration gives both the properties (dateRangeProperties) and the names errors use (readDateRange).
 */
export type DateRangeParameters = Record<
	'start' | 'end',
	{ displayName: string; description: string }
>;

/** The start and end parameters of a list operation as Brex date-times (undefined when empty). */
export function readDateRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
	dates: DateRangeParameters,
): { start: string | undefined; end: string | undefined } {
	const labels = { start: dates.start.displayName, end: dates.end.displayName };
	return {
		start: toBrexDateTime(
			ctx,
			ctx.getNodeParameter('startDate', itemIndex, ''),
			'start',
			labels.start,
			itemIndex,
		),
		end: toBrexDateTime(
			ctx,
			ctx.getNodeParameter('endDate', itemIndex, ''),
			'end',
			labels.end,
			itemIndex,
		),
	};
}

/**
 * The list loop shared by the Get Many operations: normalises each accepted record (per the "On Invalid
 * Record" option), and stops at the limit. With "skip", invalid records do not count against the limit.
 */
export async function collectSpendItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: SpendRecordKind,
	normalise: (raw: IDataObject) => SpendItem,
	records: (maxItems: number | undefined) => AsyncIterable<IDataObject>,
	accept: (record: IDataObject) => boolean = () => true,
): Promise<INodeExecutionData[]> {
	const options = getOptions(ctx, itemIndex);
	const handling = (options.onInvalidRecord ?? 'error') as InvalidRecordHandling;
	const includeRaw = options.includeRaw !== false;
	const limit = readLimit(ctx, itemIndex);
	const output: INodeExecutionData[] = [];
	for await (const record of records(handling === 'skip' ? undefined : limit)) {
		if (!accept(record)) continue;
		const item = normaliseForList(ctx, record, kind, normalise, handling, includeRaw, itemIndex);
		if (item) output.push(item);
		if (limit !== undefined && output.length >= limit) break;
	}
	return output;
}

export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return undefined;
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Limit must be a whole number of at least 1`, {
			itemIndex,
		});
	}
	return limit;
}
