import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import type { BatchOperationExecute } from '../node.type';
import * as createMany from './createMany.operation';
import * as disableMany from './disableMany.operation';
import * as getAll from './getAll.operation';
import * as syncFromList from './syncFromList.operation';
import * as updateMany from './updateMany.operation';

export { createMany, disableMany, getAll, syncFromList, updateMany };

/** Operations that take all input items together (values sent in batches), not one item at a time. */
export const batchOperations: Record<string, BatchOperationExecute | undefined> = {
	createMany: createMany.executeAll,
	updateMany: updateMany.executeAll,
	disableMany: disableMany.executeAll,
	syncFromList: syncFromList.executeAll,
};

export const description: INodeProperties[] = [
	operationProperty(
		'fieldValue',
		[
			{
				name: 'Create Many',
				value: 'createMany',
				description: 'Create one value per input item, up to 1,000 per Brex call',
				action: 'Create field values',
			},
			{
				name: 'Disable Many',
				value: 'disableMany',
				description: 'Disable the values named by remote ID, up to 1,000 per Brex call',
				action: 'Disable field values',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the values of a field',
				action: 'Get many field values',
			},
			{
				name: 'Sync From List',
				value: 'syncFromList',
				description:
					'Make the field hold exactly the input list’s active values: create, rename, disable, re-enable',
				action: 'Sync field values from a list',
			},
			{
				name: 'Update Many',
				value: 'updateMany',
				description:
					'Rename, enable or disable values named by remote ID, up to 1,000 per Brex call',
				action: 'Update field values',
			},
		],
		'getAll',
	),
	...getAll.description,
	...createMany.description,
	...updateMany.description,
	...disableMany.description,
	...syncFromList.description,
];
