import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as search from './search.operation';
import * as validate from './validate.operation';

export { get, search, validate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
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
		default: 'get',
	},
	...get.description,
	...search.description,
	...validate.description,
];
