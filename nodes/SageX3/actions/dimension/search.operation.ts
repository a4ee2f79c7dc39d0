import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../helpers/utils';
import { dimensionTypeField, limitField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	dimensionTypeField,
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		placeholder: 'e.g. ENG',
		description: 'Dimension code, or its beginning',
	},
	{
		displayName: 'Description',
		name: 'dimensionDescription',
		type: 'string',
		default: '',
		placeholder: 'e.g. engineering',
		description: 'Text the dimension description contains',
	},
	limitField,
];

const displayOptions = { show: { resource: ['dimension'], operation: ['search'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const type = String(this.getNodeParameter('dimensionType', itemIndex, '')).trim();
		if (type === '')
			throw new NodeOperationError(this.getNode(), 'No dimension type given', { itemIndex });
		const code = String(this.getNodeParameter('code', itemIndex, '')).trim();
		const text = String(this.getNodeParameter('dimensionDescription', itemIndex, '')).trim();
		const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
		const dimensions = await gateway.searchDimensions(type, {
			...(code !== '' ? { code } : {}),
			...(text !== '' ? { description: text } : {}),
			limit,
		});
		return dimensions.slice(0, limit).map((dimension) => ({ ...dimension }) as IDataObject);
	});
};
