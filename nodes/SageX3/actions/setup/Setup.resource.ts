import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as check from './check.operation';

export { check };

export const description: INodeProperties[] = [
	operationProperty(
		'x3Setup',
		[
			{
				name: 'Check',
				value: 'check',
				description:
					'Read your X3 (nothing is written): are the X3 Setup fields where the node expects them, and can each read API find a posted entry again',
				action: 'Check the X3 setup',
			},
		],
		'check',
	),
	...check.description,
];
