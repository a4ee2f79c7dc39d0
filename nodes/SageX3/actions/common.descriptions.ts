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

const CHOOSE_FROM_LIST =
	'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';

/** A parameter whose values X3 lists (a loadOptions method); an expression may give an ID instead. */
export function listedOptionsField(
	displayName: string,
	name: string,
	typeOptions: INodeProperties['typeOptions'],
	required = true,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'options',
		typeOptions,
		default: '',
		...(required ? { required } : {}),
		description: CHOOSE_FROM_LIST,
	};
}

export const entryTypeField = listedOptionsField('Entry Type Name or ID', 'entryType', {
	loadOptionsMethod: 'getEntryTypes',
});

export const siteField = listedOptionsField('Site Name or ID', 'site', {
	loadOptionsMethod: 'getSites',
});

export const dimensionTypeField = listedOptionsField('Dimension Type Name or ID', 'dimensionType', {
	loadOptionsMethod: 'getDimensionTypes',
});

/** A search operation's text parameter (a code prefix, or text a description or name contains). */
export function searchTextField(
	displayName: string,
	name: string,
	placeholder: string,
	description: string,
): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description };
}
