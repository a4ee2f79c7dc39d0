import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';

export { check };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['x3Setup'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description:
					'Read your X3 (nothing is written): are the X3 Setup fields where the node expects them, and can each read API find a posted entry again',
				action: 'Check the X3 setup',
			},
		],
		default: 'check',
	},
	...check.description,
];
