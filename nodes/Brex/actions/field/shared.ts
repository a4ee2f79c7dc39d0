import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { brexRequest } from '../../../brexApi/client';
import { fieldPath } from '../../../brexApi/fields';
import { clientOptions } from '../../helpers/utils';

/** The Brex field an operation works on (Field ID of List Fields, e.g. extended_field_…). */
export function fieldIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Field ID',
		name: 'fieldId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'extended_field_cl3khzfnr00000k92bdjtmmes',
		description,
	};
}

export const fieldGroupOptions = [
	{
		name: 'Accounting',
		value: 'ACCOUNTING',
		description: 'Coding of spend (GL account, dimensions): what an ERP integration pushes',
	},
	{
		name: 'ERP',
		value: 'ERP',
		description: 'Owned by a Brex accounting integration; needs its integration ID',
	},
	{ name: 'User', value: 'USER', description: 'Attributes of people (e.g. from an HR system)' },
];

/** Option of the creates: start disabled (`is_disabled` of FieldCreateBody / CreateFieldValueBody). */
export function createDisabledOption(what: 'field' | 'value'): INodeProperties {
	return {
		displayName: 'Create Disabled',
		name: 'disabled',
		type: 'boolean',
		default: false,
		description: `Whether the ${what} starts disabled (not offered for coding until enabled)`,
	};
}

/**
 * Update Fields of the updates: a new display name (`name` of a field, `value` of a value) and the disabled flag,
 * the only members FieldUpdateBody and UpdateFieldValueDataBody have.
 */
export function updateFieldsProperty(what: 'field' | 'value'): INodeProperties {
	const nameMember = what === 'field' ? 'name' : 'value';
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		description:
			what === 'field'
				? 'What to change; Brex cannot change a field’s group or remote ID'
				: 'What to change on the value',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Disabled',
				name: 'disabled',
				type: 'boolean',
				default: false,
				description: `Whether the ${what} is disabled (off: enabled again)`,
			},
			{
				displayName: what === 'field' ? 'Name' : 'Value',
				name: nameMember,
				type: 'string',
				default: '',
				description: `New display name of the ${what}`,
			},
		],
	};
}

/** Get (GET) or change (PUT with an Update Field body) one Brex field; the item is the field Brex answers with. */
export async function requestField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldId: string,
	method: 'GET' | 'PUT',
	body?: IDataObject,
): Promise<INodeExecutionData[]> {
	const field = await brexRequest<IDataObject>(ctx, clientOptions(ctx, itemIndex), {
		method,
		path: fieldPath(fieldId),
		body,
	});
	return [{ json: field }];
}
