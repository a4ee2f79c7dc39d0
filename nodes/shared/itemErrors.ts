import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * An output item for a record that failed while the others go on. n8n's "continue (using error output)"
 * setting routes an item to the error output only when the item itself carries `error` (or its json holds
 * nothing but error/message/details), so the reason goes on `error` and the record stays in `json` for replay.
 * With "continue (regular output)" the same item flows on with `json.error` set to the reason.
 */
export function failedItem(
	node: INode,
	json: IDataObject,
	reason: string,
	itemIndex: number,
	description?: string,
): INodeExecutionData {
	return {
		json: { ...json, error: reason },
		error: new NodeOperationError(node, reason, { itemIndex, description }),
		pairedItem: { item: itemIndex },
	};
}
