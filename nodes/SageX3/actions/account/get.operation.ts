import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { getByCodeOperation } from '../../helpers/lookupOperations';
import { accountRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	accountRLC('account', 'GL Account', 'The general ledger account'),
];

export const description = operationDescription('account', 'get', properties);

export const execute: OperationExecute = getByCodeOperation(
	'account',
	'No account code given',
	async (gateway, code) => await gateway.getAccount(code),
	(code) => ({
		message: `GL account "${code}" was not found in X3`,
		description: 'Check the code and the chart of accounts set in X3 Setup.',
	}),
);
