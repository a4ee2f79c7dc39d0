import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as get from './get.operation';
import * as search from './search.operation';
import * as validate from './validate.operation';

export { get, search, validate };

export const description: INodeProperties[] = [
	operationProperty(
		'account',
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get a GL account by code',
				action: 'Get a GL account',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Search GL accounts by code or description',
				action: 'Search GL accounts',
			},
			{
				name: 'Validate',
				value: 'validate',
				description: 'Check that an account exists, is active, and which dimensions it requires',
				action: 'Validate a GL account',
			},
		],
		'get',
	),
	...get.description,
	...search.description,
	...validate.description,
];
