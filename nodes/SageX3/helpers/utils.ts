import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failedItem, toNodeError } from '../../common/itemErrors';

/** A readable reason for an audit trail: the message, plus the detail when the message alone is generic. */
export function errorReason(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const description = (error as { description?: unknown }).description;
	const message = error.message || error.name;
	if (
		typeof description === 'string' &&
		description.trim() !== '' &&
		!message.includes(description.trim())
	) {
		return `${message} (${description.trim().replace(/\s*\n\s*/g, '; ')})`;
	}
	return message;
}

/**
 * A text parameter the operation cannot do without, trimmed (a resource locator gives its value); an empty one
 * fails the item with `emptyMessage`.
 */
export function requiredText(
	context: IExecuteFunctions,
	name: string,
	itemIndex: number,
	emptyMessage: string,
	options: { extractValue?: boolean } = {},
): string {
	const text = String(context.getNodeParameter(name, itemIndex, '', options) ?? '').trim();
	if (text === '') throw new NodeOperationError(context.getNode(), emptyMessage, { itemIndex });
	return text;
}

/** Output items for one input item, paired to it. */
export function pairedResults(
	context: IExecuteFunctions,
	data: IDataObject | IDataObject[],
	itemIndex: number,
): INodeExecutionData[] {
	return context.helpers.constructExecutionMetaData(context.helpers.returnJsonArray(data), {
		itemData: { item: itemIndex },
	});
}

/** The output item for a failed input item when the node continues on fail (see nodes/common/itemErrors.ts). */
export function failureItem(
	context: IExecuteFunctions,
	itemIndex: number,
	reason: string,
	record: IDataObject = {},
	extra: IDataObject = {},
): INodeExecutionData {
	return failedItem(context.getNode(), itemIndex, reason, {
		record,
		details: extra,
		recordIsInput: true,
	});
}

/**
 * The standard per-item loop: each input item gives zero or more output items paired to it; with
 * continueOnFail a failure becomes an error item and the loop goes on, otherwise it stops the node.
 * `keepInputOnError` keeps the input record on the error item (for steps that enrich records, so the failed
 * record can be replayed from the error output).
 */
export async function forEachItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number, item: INodeExecutionData) => Promise<IDataObject | IDataObject[]>,
	options: { keepInputOnError?: boolean; concurrency?: number } = {},
): Promise<INodeExecutionData[]> {
	if ((options.concurrency ?? 1) > 1 && items.length > 1) {
		return await forEachItemConcurrently(context, items, run, options.concurrency ?? 1, options);
	}
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run(itemIndex, items[itemIndex]);
			output.push(...pairedResults(context, result, itemIndex));
		} catch (error) {
			if (context.continueOnFail()) {
				const record = options.keepInputOnError ? { ...items[itemIndex].json } : {};
				output.push(failureItem(context, itemIndex, errorReason(error), record));
				continue;
			}
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	return output;
}

type ItemOutcome =
	| { kind: 'ok'; result: IDataObject | IDataObject[] }
	| { kind: 'error'; error: unknown }
	| { kind: 'notRun' };

/**
 * forEachItem with up to `concurrency` items in flight (lookups that wait on X3's latency, not on each other),
 * output in input order and the same failure rules: with continueOnFail every failure is an error item;
 * without it the first failing item (in input order) stops the node and no further item is started.
 */
async function forEachItemConcurrently(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number, item: INodeExecutionData) => Promise<IDataObject | IDataObject[]>,
	concurrency: number,
	options: { keepInputOnError?: boolean },
): Promise<INodeExecutionData[]> {
	const continueOnFail = context.continueOnFail();
	let stopped = false;
	const outcomes = await mapWithConcurrency(
		items,
		concurrency,
		async (item, itemIndex): Promise<ItemOutcome> => {
			if (stopped) return { kind: 'notRun' };
			try {
				return { kind: 'ok', result: await run(itemIndex, item) };
			} catch (error) {
				if (!continueOnFail) stopped = true;
				return { kind: 'error', error };
			}
		},
	);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < outcomes.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if (outcome.kind === 'ok') {
			output.push(...pairedResults(context, outcome.result, itemIndex));
		} else if (outcome.kind === 'error') {
			if (!continueOnFail) throw toNodeError(context.getNode(), outcome.error, itemIndex);
			const record = options.keepInputOnError ? { ...items[itemIndex].json } : {};
			output.push(failureItem(context, itemIndex, errorReason(outcome.error), record));
		}
		// 'notRun' only follows an error in input order, which has thrown above.
	}
	return output;
}

/** Runs tasks with at most `limit` in flight, keeping results in input order. */
export async function mapWithConcurrency<T, R>(
	inputs: T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, inputs.length));
	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}

/**
 * Dimension values written as "TYPE=VALUE, TYPE=VALUE" or positionally "VALUE, VALUE" in the order of the
 * configured dimension types (an empty position skips that type).
 */
export function parseDimensionAssignments(
	text: string | undefined,
	dimensionTypes: string[],
	label = '',
): Record<string, string> {
	const prefix = label ? `${label}: ` : '';
	const result: Record<string, string> = {};
	if (!text || text.trim() === '') return result;
	const parts = text.split(',').map((part) => part.trim());
	const named = parts.some((part) => part.includes('='));
	if (named) {
		for (const part of parts) {
			if (part === '') continue;
			const separator = part.indexOf('=');
			if (separator <= 0) {
				throw new Error(`${prefix}Dimension "${part}" must be written TYPE=VALUE (e.g. DEP=ENG)`);
			}
			const type = part.slice(0, separator).trim();
			const value = part.slice(separator + 1).trim();
			if (dimensionTypes.length > 0 && !dimensionTypes.includes(type)) {
				throw new Error(
					`${prefix}Dimension type "${type}" is not configured in X3 Setup (configured: ${dimensionTypes.join(', ') || 'none'})`,
				);
			}
			if (value !== '') result[type] = value;
		}
		return result;
	}
	if (parts.length > dimensionTypes.length) {
		throw new Error(
			`${prefix}${parts.length} dimension values given but only ${dimensionTypes.length} dimension types are configured (${dimensionTypes.join(', ') || 'none'})`,
		);
	}
	parts.forEach((value, index) => {
		if (value !== '') result[dimensionTypes[index]] = value;
	});
	return result;
}

/** YYYY-MM-DD from a date parameter (date-only text or an ISO date-time as n8n's date picker gives). */
export function toAccountingDate(value: unknown): string | null {
	if (typeof value !== 'string' && !(value instanceof Date)) return null;
	const text = value instanceof Date ? value.toISOString() : value.trim();
	const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text);
	return match ? match[1] : null;
}

/** A value from a JSON parameter, which n8n gives as text or, through an expression, already parsed. */
export function parseJsonParameter(
	context: Pick<IExecuteFunctions, 'getNode'>,
	value: unknown,
	label: string,
	itemIndex?: number,
): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	let parsed: { value: unknown } | { error: string };
	try {
		parsed = { value: JSON.parse(value) };
	} catch (error) {
		parsed = { error: (error as Error).message };
	}
	if ('error' in parsed) {
		throw new NodeOperationError(context.getNode(), `${label} is not valid JSON: ${parsed.error}`, {
			itemIndex,
		});
	}
	return parsed.value;
}
