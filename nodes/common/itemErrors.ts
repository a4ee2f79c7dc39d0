import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The error to throw to n8n: the same instance when it already is an n8n node error (the Brex client's and the X3
 * transports' errors carry status, trace id and description), else wrapped in a NodeOperationError. With an item
 * index the error is tied to that input item, so n8n shows which item failed and continueOnFail can pair it.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	// An Error or a thrown object keeps its fields (n8n reads message and description from both); other values become text.
	const cause =
		error instanceof Error || (typeof error === 'object' && error !== null)
			? (error as Error | JsonObject)
			: String(error);
	return new NodeOperationError(node, cause, itemIndex === undefined ? {} : { itemIndex });
}

/**
 * An output item for a record that failed while the others go on.
 *
 * n8n 2.x routes an item to the error output ("On Error: Continue (using error output)") only when its json
 * holds nothing but error/message/details; it then merges the paired input item back in. An item that carries
 * an `error` property instead has its json replaced by the message, which would lose the record. So:
 * - error output: `{ error, details }`, with the record in details unless it is the paired input itself;
 * - regular output ("Continue"): the record with `error` and the details beside it.
 */
export function failedItem(
	node: INode,
	itemIndex: number,
	reason: string,
	options: { record?: IDataObject; details?: IDataObject; recordIsInput?: boolean } = {},
): INodeExecutionData {
	const { record = {}, details = {}, recordIsInput = false } = options;
	if (node.onError === 'continueErrorOutput') {
		const carried: IDataObject = { ...details };
		if (!recordIsInput && Object.keys(record).length > 0) carried.record = record;
		const json: IDataObject = { error: reason };
		if (Object.keys(carried).length > 0) json.details = carried;
		return { json, pairedItem: { item: itemIndex } };
	}
	return { json: { ...record, error: reason, ...details }, pairedItem: { item: itemIndex } };
}
