import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { searchOperation } from '../../helpers/lookupOperations';
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

export const execute: OperationExecute = searchOperation(
	'dimensionDescription',
	'description',
	async (gateway, query, context, itemIndex) => {
		const type = String(context.getNodeParameter('dimensionType', itemIndex, '')).trim();
		if (type === '')
			throw new NodeOperationError(context.getNode(), 'No dimension type given', { itemIndex });
		return await gateway.searchDimensions(type, query);
	},
);
