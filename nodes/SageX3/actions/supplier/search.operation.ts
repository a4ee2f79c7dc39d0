import { searchOperation } from '../../helpers/lookupOperations';
import { operationDescription } from '../../../common/nodeDescriptions';
import { searchProperties } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties = searchProperties(
	['e.g. BRX00', 'Supplier code, or its beginning. Leave empty to search by name only.'],
	['Name', 'name', 'e.g. Acme', 'Text the supplier name contains, case- and accent-insensitive'],
);

export const description = operationDescription('supplier', 'search', properties);

export const execute: OperationExecute = searchOperation(
	'name',
	'name',
	async (gateway, query) => await gateway.searchSuppliers(query),
);
