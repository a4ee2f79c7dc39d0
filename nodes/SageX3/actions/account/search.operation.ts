import { searchOperation } from '../../helpers/lookupOperations';
import { operationDescription } from '../../../common/nodeDescriptions';
import { searchProperties } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties = searchProperties(
	['e.g. 6251', 'Account code, or its beginning'],
	['Description', 'accountDescription', 'e.g. travel', 'Text the account description contains'],
);

export const description = operationDescription('account', 'search', properties);

export const execute: OperationExecute = searchOperation(
	'accountDescription',
	'description',
	async (gateway, query) => await gateway.searchAccounts(query),
);
