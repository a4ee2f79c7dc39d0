import type { INodeProperties } from 'n8n-workflow';

import { searchOperation } from '../../helpers/lookupOperations';
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

export const execute: OperationExecute = searchOperation(
	'accountDescription',
	'description',
	async (gateway, query) => await gateway.searchAccounts(query),
);
