import type { INodeProperties } from 'n8n-workflow';

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
