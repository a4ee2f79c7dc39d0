import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	operationProperty(
		'expense',
		[
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
		'getAll',
	),
	...get.description,
	...getAll.description,
];
