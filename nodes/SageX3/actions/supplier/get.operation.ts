import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { forEachItem, foundRecord, requiredText } from '../../helpers/utils';
import { supplierRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [supplierRLC];

export const description = operationDescription('supplier', 'get', properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = requiredText(this, 'supplier', itemIndex, 'No supplier code given', {
			extractValue: true,
		});
		return foundRecord(this, itemIndex, await gateway.getSupplier(code), {
			message: `Supplier "${code}" was not found in X3`,
			description: 'Check the code, or use the Search operation to find the supplier by name.',
		});
	});
};
