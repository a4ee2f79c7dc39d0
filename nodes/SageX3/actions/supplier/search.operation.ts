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
		placeholder: 'e.g. BRX00',
		description: 'Supplier code, or its beginning. Leave empty to search by name only.',
	},
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Acme',
		description: 'Text the supplier name contains, case- and accent-insensitive',
	},
	limitField,
];

const displayOptions = { show: { resource: ['supplier'], operation: ['search'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const code = String(this.getNodeParameter('code', itemIndex, '')).trim();
		const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
		const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
		const suppliers = await gateway.searchSuppliers({
			...(code !== '' ? { code } : {}),
			...(name !== '' ? { name } : {}),
			limit,
		});
		return suppliers.slice(0, limit).map((supplier) => ({ ...supplier }) as IDataObject);
	});
};
