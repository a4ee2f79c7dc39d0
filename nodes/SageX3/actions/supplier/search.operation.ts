import type { INodeProperties } from 'n8n-workflow';

import { searchOperation } from '../../helpers/lookupOperations';
import { limitProperty, operationDescription } from '../../../common/nodeDescriptions';
import { searchTextField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	searchTextField(
		'Code',
		'code',
		'e.g. BRX00',
		'Supplier code, or its beginning. Leave empty to search by name only.',
	),
	searchTextField(
		'Name',
		'name',
		'e.g. Acme',
		'Text the supplier name contains, case- and accent-insensitive',
	),
	limitProperty,
];

export const description = operationDescription('supplier', 'search', properties);

export const execute: OperationExecute = searchOperation(
	'name',
	'name',
	async (gateway, query) => await gateway.searchSuppliers(query),
);
