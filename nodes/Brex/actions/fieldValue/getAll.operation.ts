import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { fieldValuePages } from '../../../brexApi/fields';
import { clientOptions, idList, readLimit, requiredId } from '../../helpers/utils';
import { returnAllAndLimit } from '../common.descriptions';
import { fieldIdProperty } from '../field/shared';
import type { OperationExecute } from '../node.type';

const show = { resource: ['fieldValue'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field whose values to list'),
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		description: 'Narrow the values Brex returns; empty means every value of the field',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Remote IDs',
				name: 'remoteIds',
				type: 'string',
				default: '',
				description: 'Only values with these remote IDs (separated by commas)',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				description: 'Only values with this display name',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** All pages, 1,000 values each (the most List Field Values gives). */
export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	const filters = (this.getNodeParameter('filters', itemIndex, {}) ?? {}) as {
		remoteIds?: string;
		value?: string;
	};
	const output = [];
	for await (const page of fieldValuePages(
		this,
		clientOptions(this, itemIndex),
		fieldId,
		{ 'remote_id[]': idList(filters.remoteIds), value: filters.value },
		readLimit(this, itemIndex),
	)) {
		for (const value of page) output.push({ json: { ...value } });
	}
	return output;
};
