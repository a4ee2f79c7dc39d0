import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as create from './create.operation';
import * as disable from './disable.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export { create, disable, get, getAll, update };

export const description: INodeProperties[] = [
	operationProperty(
		'field',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Create a custom field (e.g. GL account or an X3 dimension type)',
				action: 'Create a field',
			},
			{
				name: 'Disable',
				value: 'disable',
				description: 'Disable a field so it is no longer offered for coding',
				action: 'Disable a field',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a field by ID',
				action: 'Get a field',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the custom fields of the Brex account',
				action: 'Get many fields',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a field, or enable or disable it',
				action: 'Update a field',
			},
		],
		'getAll',
	),
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...disable.description,
];
