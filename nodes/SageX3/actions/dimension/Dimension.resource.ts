import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as listTypes from './listTypes.operation';
import * as search from './search.operation';
import * as validate from './validate.operation';

export { listTypes, search, validate };

export const description: INodeProperties[] = [
	operationProperty(
		'dimension',
		[
			{
				name: 'List Types',
				value: 'listTypes',
				description: 'List the analytical dimension types of the folder',
				action: 'List dimension types',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search the dimension values of a type',
				action: 'Search dimensions',
			},
			{
				name: 'Validate',
				value: 'validate',
				description: 'Check a set of dimension values: which are unknown or inactive',
				action: 'Validate dimensions',
			},
		],
		'search',
	),
	...listTypes.description,
	...search.description,
	...validate.description,
];
