import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationExecute } from '../actions/node.type';
import type { X3Gateway } from '../transport/gateway.types';
import { forEachItem, requiredText } from './utils';

// The two shapes of the lookup operations (get by code, search), written once.

/** A search operation's query: the code prefix and the text (under `textKey`) when given, and the limit. */
export function readSearchQuery<K extends string>(
	context: IExecuteFunctions,
	itemIndex: number,
	textParameter: string,
	textKey: K,
): { code?: string; limit: number } & Partial<Record<K, string>> {
	const code = String(context.getNodeParameter('code', itemIndex, '')).trim();
	const text = String(context.getNodeParameter(textParameter, itemIndex, '')).trim();
	const limit = context.getNodeParameter('limit', itemIndex, 50) as number;
	return {
		...(code !== '' ? { code } : {}),
		...(text !== '' ? { [textKey]: text } : {}),
		limit,
	} as { code?: string; limit: number } & Partial<Record<K, string>>;
}

/** The record a Get operation read, as the item's data; none fails the item, saying what to check. */
export function foundRecord(
	context: IExecuteFunctions,
	itemIndex: number,
	record: object | null,
	notFound: { message: string; description: string },
): IDataObject {
	if (!record) {
		throw new NodeOperationError(context.getNode(), notFound.message, {
			itemIndex,
			description: notFound.description,
		});
	}
	return { ...record } as IDataObject;
}

/** A Get operation: the code its locator gives, and the record X3 has under it (none fails the item). */
export function getByCodeOperation(
	parameter: string,
	emptyMessage: string,
	read: (gateway: X3Gateway, code: string) => Promise<object | null>,
	notFound: (code: string) => { message: string; description: string },
): OperationExecute {
	return async function (items, gateway) {
		return await forEachItem(this, items, async (itemIndex) => {
			const code = requiredText(this, parameter, itemIndex, emptyMessage, { extractValue: true });
			return foundRecord(this, itemIndex, await read(gateway, code), notFound(code));
		});
	};
}

/** A search operation: its query (see readSearchQuery), and what `search` finds, at most the limit asked. */
export function searchOperation<K extends string>(
	textParameter: string,
	textKey: K,
	search: (
		gateway: X3Gateway,
		query: { code?: string; limit: number } & Partial<Record<K, string>>,
		context: IExecuteFunctions,
		itemIndex: number,
	) => Promise<object[]>,
): OperationExecute {
	return async function (items, gateway) {
		return await forEachItem(this, items, async (itemIndex) => {
			const query = readSearchQuery(this, itemIndex, textParameter, textKey);
			const found = await search(gateway, query, this, itemIndex);
			return found.slice(0, query.limit).map((record) => ({ ...record }) as IDataObject);
		});
	};
}
