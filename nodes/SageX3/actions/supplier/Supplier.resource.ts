import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as create from './create.operation';
import * as findOrCreate from './findOrCreate.operation';
import * as get from './get.operation';
import * as search from './search.operation';

export { create, findOrCreate, get, search };

export const description: INodeProperties[] = [
	operationProperty(
		'supplier',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Create a supplier in X3',
				action: 'Create a supplier',
			},
			{
				name: 'Find or Create',
				value: 'findOrCreate',
				description:
					'Match a Brex vendor to an X3 supplier (alias, then name), else create, use a default or skip',
				action: 'Find or create a supplier',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a supplier by code',
				action: 'Get a supplier',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search suppliers by code or name',
				action: 'Search suppliers',
			},
		],
		'findOrCreate',
	),
	...create.description,
	...findOrCreate.description,
	...get.description,
	...search.description,
];
