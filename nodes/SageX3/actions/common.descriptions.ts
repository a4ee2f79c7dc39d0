import type { INodeProperties } from 'n8n-workflow';

export const supplierRLC: INodeProperties = {
	displayName: 'Supplier',
	name: 'supplier',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The X3 supplier (BPSNUM code)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSuppliers', searchable: true },
		},
		{ displayName: 'By Code', name: 'id', type: 'string', placeholder: 'e.g. BRX00001' },
	],
};

export function accountRLC(
	name: string,
	displayName: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
			},
			{ displayName: 'By Code', name: 'id', type: 'string', placeholder: 'e.g. 625100' },
		],
	};
}

export const entryTypeField: INodeProperties = {
	displayName: 'Entry Type Name or ID',
	name: 'entryType',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getEntryTypes' },
	default: '',
	required: true,
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export const siteField: INodeProperties = {
	displayName: 'Site Name or ID',
	name: 'site',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getSites' },
	default: '',
	required: true,
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export const dimensionTypeField: INodeProperties = {
	displayName: 'Dimension Type Name or ID',
	name: 'dimensionType',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getDimensionTypes' },
	default: '',
	required: true,
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
};
