import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { X3Gateway } from '../../transport/gateway.types';
import { forEachItem } from '../../helpers/utils';
import { accountRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	accountRLC('account', 'GL Account', 'The general ledger account'),
];

const displayOptions = { show: { resource: ['account'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	gateway: X3Gateway,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = String(
			this.getNodeParameter('account', itemIndex, '', { extractValue: true }) ?? '',
		).trim();
		if (code === '')
			throw new NodeOperationError(this.getNode(), 'No account code given', { itemIndex });
		const account = await gateway.getAccount(code);
		if (!account) {
			throw new NodeOperationError(this.getNode(), `GL account "${code}" was not found in X3`, {
				itemIndex,
				description: 'Check the code and the chart of accounts set in X3 Setup.',
			});
		}
		return { ...account } as IDataObject;
	});
}
