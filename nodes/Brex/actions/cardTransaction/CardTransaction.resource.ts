import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	operationProperty(
		'cardTransaction',
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Find a settled card transaction by ID, as a spend item',
				action: 'Get a card transaction',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List settled card transactions for a date range, as spend items',
				action: 'Get many card transactions',
			},
		],
		'getAll',
	),
	...get.description,
	...getAll.description,
];
