import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { forEachItem, requiredText } from '../../helpers/utils';
import { accountRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	accountRLC('account', 'GL Account', 'The general ledger account'),
];

const displayOptions = { show: { resource: ['account'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = requiredText(this, 'account', itemIndex, 'No account code given', {
			extractValue: true,
		});
		const account = await gateway.getAccount(code);
		if (!account) {
			throw new NodeOperationError(this.getNode(), `GL account "${code}" was not found in X3`, {
				itemIndex,
				description: 'Check the code and the chart of accounts set in X3 Setup.',
			});
		}
		return { ...account } as IDataObject;
	});
};
