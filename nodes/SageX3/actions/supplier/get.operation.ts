import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { forEachItem, requiredText } from '../../helpers/utils';
import { supplierRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [supplierRLC];

const displayOptions = { show: { resource: ['supplier'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = requiredText(this, 'supplier', itemIndex, 'No supplier code given', {
			extractValue: true,
		});
		const supplier = await gateway.getSupplier(code);
		if (!supplier) {
			throw new NodeOperationError(this.getNode(), `Supplier "${code}" was not found in X3`, {
				itemIndex,
				description: 'Check the code, or use the Search operation to find the supplier by name.',
			});
		}
		return { ...supplier } as IDataObject;
	});
};
