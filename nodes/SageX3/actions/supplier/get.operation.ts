import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { getByCodeOperation } from '../../helpers/lookupOperations';
import { supplierRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [supplierRLC];

export const description = operationDescription('supplier', 'get', properties);

export const execute: OperationExecute = getByCodeOperation(
	'supplier',
	'No supplier code given',
	async (gateway, code) => await gateway.getSupplier(code),
	(code) => ({
		message: `Supplier "${code}" was not found in X3`,
		description: 'Check the code, or use the Search operation to find the supplier by name.',
	}),
);
