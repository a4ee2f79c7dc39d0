import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forEachItem, readSearchQuery } from '../../helpers/utils';
import { limitProperty, operationDescription } from '../../../common/nodeDescriptions';
import { dimensionTypeField, searchTextField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	dimensionTypeField,
	searchTextField('Code', 'code', 'e.g. ENG', 'Dimension code, or its beginning'),
	searchTextField(
		'Description',
		'dimensionDescription',
		'e.g. engineering',
		'Text the dimension description contains',
	),
	limitProperty,
];

export const description = operationDescription('dimension', 'search', properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const type = String(this.getNodeParameter('dimensionType', itemIndex, '')).trim();
		if (type === '')
			throw new NodeOperationError(this.getNode(), 'No dimension type given', { itemIndex });
		const query = readSearchQuery(this, itemIndex, 'dimensionDescription', 'description');
		const dimensions = await gateway.searchDimensions(type, query);
		return dimensions.slice(0, query.limit).map((dimension) => ({ ...dimension }) as IDataObject);
	});
};
