import type { INodeProperties } from 'n8n-workflow';

import { limitProperty } from '../../common/nodeDescriptions';

/** A record picked from an X3 search list, or given by its code. */
function x3CodeLocator(
	name: string,
	displayName: string,
	description: string,
	searchListMethod: string,
	codePlaceholder: string,
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
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By Code', name: 'id', type: 'string', placeholder: codePlaceholder },
		],
	};
}

export const supplierRLC = x3CodeLocator(
	'supplier',
	'Supplier',
	'The X3 supplier (BPSNUM code)',
	'searchSuppliers',
	'e.g. BRX00001',
);

export function accountRLC(
	name: string,
	displayName: string,
	description: string,
): INodeProperties {
	return x3CodeLocator(name, displayName, description, 'searchAccounts', 'e.g. 625100');
}

/** The X3 supplier category (BSGCOD) a new supplier takes its defaults from. */
export function supplierCategoryField(description: string): INodeProperties {
	return {
		displayName: 'Supplier Category',
		name: 'category',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. SUPPL',
		description,
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
function searchTextField(
	displayName: string,
	name: string,
	placeholder: string,
	description: string,
): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description };
}

/**
 * The parameters of a Search: the code (prefix) and the text field, each [placeholder, hint] (the text field also
 * its display name and name), then Limit.
 */
export function searchProperties(
	code: [placeholder: string, description: string],
	text: [displayName: string, name: string, placeholder: string, description: string],
): INodeProperties[] {
	return [searchTextField('Code', 'code', ...code), searchTextField(...text), limitProperty];
}
