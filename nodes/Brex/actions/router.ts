import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../common/itemErrors';

import * as accountingRecord from './accountingRecord/AccountingRecord.resource';
import * as cardTransaction from './cardTransaction/CardTransaction.resource';
import * as expense from './expense/Expense.resource';
import * as field from './field/Field.resource';
import * as fieldValue from './fieldValue/FieldValue.resource';
import type { BrexType, OperationExecute } from './node.type';

function operationFor(ctx: IExecuteFunctions, node: BrexType): OperationExecute {
	switch (node.resource) {
		case 'expense':
			return expense[node.operation].execute;
		case 'cardTransaction':
			return cardTransaction[node.operation].execute;
		case 'accountingRecord':
			return accountingRecord[node.operation].execute;
		case 'field':
			return field[node.operation].execute;
		case 'fieldValue':
			// Its other operations are batch operations, run before this is asked.
			return fieldValue.getAll.execute;
		default:
			throw new NodeOperationError(
				ctx.getNode(),
				`The resource "${(node as { resource: string }).resource}" is not supported`,
			);
	}
}

/**
 * Reads resource and operation once, runs the operation per input item, and pairs every output item with
 * its input item. With "continue on fail" an item's error becomes an output item instead of stopping the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const batch = resource === 'fieldValue' ? fieldValue.batchOperations[operation] : undefined;
	if (batch) return [await batch.call(this, items)];
	const execute = operationFor(this, { resource, operation } as BrexType);
	if (typeof execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let failure: NodeApiError | NodeOperationError | undefined;
		try {
			const results = await execute.call(this, itemIndex);
			returnData.push(
				...this.helpers.constructExecutionMetaData(results, { itemData: { item: itemIndex } }),
			);
			continue;
		} catch (error) {
			failure = toNodeError(this.getNode(), error, itemIndex);
		}
		if (!this.continueOnFail()) throw failure;
		returnData.push({
			json: { error: failure.message, description: failure.description ?? null },
			error: failure,
			pairedItem: { item: itemIndex },
		});
	}
	return [returnData];
}
