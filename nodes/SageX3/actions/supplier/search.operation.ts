import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { forEachItem, readSearchQuery } from '../../helpers/utils';
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

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const query = readSearchQuery(this, itemIndex, 'name', 'name');
		const suppliers = await gateway.searchSuppliers(query);
		return suppliers.slice(0, query.limit).map((supplier) => ({ ...supplier }) as IDataObject);
	});
};
