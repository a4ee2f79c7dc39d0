import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { forEachItem, foundRecord, requiredText } from '../../helpers/utils';
import { accountRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	accountRLC('account', 'GL Account', 'The general ledger account'),
];

export const description = operationDescription('account', 'get', properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = requiredText(this, 'account', itemIndex, 'No account code given', {
			extractValue: true,
		});
		return foundRecord(this, itemIndex, await gateway.getAccount(code), {
			message: `GL account "${code}" was not found in X3`,
			description: 'Check the code and the chart of accounts set in X3 Setup.',
		});
	});
};
