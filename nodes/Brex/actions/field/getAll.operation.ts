import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fieldItems } from '../../../brexApi/fields';
import { clientOptions, idList, readLimit } from '../../helpers/utils';
import { returnAllAndLimit } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const show = { resource: ['field'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		description: 'Narrow the fields Brex returns; empty means every field of the account',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Field IDs',
				name: 'fieldIds',
				type: 'string',
				default: '',
				description: 'Only these fields (Brex IDs, separated by commas)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export const execute: OperationExecute = async function (itemIndex) {
	const filters = (this.getNodeParameter('filters', itemIndex, {}) ?? {}) as { fieldIds?: string };
	const limit = readLimit(this, itemIndex);
	const output = [];
	for await (const field of fieldItems(
		this,
		clientOptions(this, itemIndex),
		{ 'field_id[]': idList(filters.fieldIds) },
		limit,
	)) {
		output.push({ json: { ...field } });
	}
	return output;
};
