import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { forEachItem, readSearchQuery } from '../../helpers/utils';
import { limitProperty, operationDescription } from '../../../common/nodeDescriptions';
import { searchTextField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	searchTextField('Code', 'code', 'e.g. 6251', 'Account code, or its beginning'),
	searchTextField(
		'Description',
		'accountDescription',
		'e.g. travel',
		'Text the account description contains',
	),
	limitProperty,
];

export const description = operationDescription('account', 'search', properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const query = readSearchQuery(this, itemIndex, 'accountDescription', 'description');
		const accounts = await gateway.searchAccounts(query);
		return accounts.slice(0, query.limit).map((account) => ({ ...account }) as IDataObject);
	});
};
