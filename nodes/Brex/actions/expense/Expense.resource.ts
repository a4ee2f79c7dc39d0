import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['expense'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get an expense by ID, as a spend item',
				action: 'Get an expense',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List expenses for a date range, as spend items',
				action: 'Get many expenses',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
