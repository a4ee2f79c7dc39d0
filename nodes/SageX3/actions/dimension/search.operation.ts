import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { searchOperation } from '../../helpers/lookupOperations';
import { operationDescription } from '../../../common/nodeDescriptions';
import { dimensionTypeField, searchProperties } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	dimensionTypeField,
	...searchProperties(
		['e.g. ENG', 'Dimension code, or its beginning'],
		[
			'Description',
			'dimensionDescription',
			'e.g. engineering',
			'Text the dimension description contains',
		],
	),
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
