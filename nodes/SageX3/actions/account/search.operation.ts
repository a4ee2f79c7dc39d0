import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../helpers/utils';
import { limitField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		placeholder: 'e.g. 6251',
		description: 'Account code, or its beginning',
	},
	{
		displayName: 'Description',
		name: 'accountDescription',
		type: 'string',
		default: '',
		placeholder: 'e.g. travel',
		description: 'Text the account description contains',
	},
	limitField,
];

const displayOptions = { show: { resource: ['account'], operation: ['search'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = String(this.getNodeParameter('code', itemIndex, '')).trim();
		const text = String(this.getNodeParameter('accountDescription', itemIndex, '')).trim();
		const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
		const accounts = await gateway.searchAccounts({
			...(code !== '' ? { code } : {}),
			...(text !== '' ? { description: text } : {}),
			limit,
		});
		return accounts.slice(0, limit).map((account) => ({ ...account }) as IDataObject);
	});
};
