import type { INodeProperties } from 'n8n-workflow';

import { limitProperty } from '../../common/nodeDescriptions';

export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Record',
	name: 'includeRaw',
	type: 'boolean',
	default: true,
	description:
		'Whether to include the record as Brex sent it under "raw" (expanded expenses can be large)',
};

export const invalidRecordOption: INodeProperties = {
	displayName: 'On Invalid Record',
	name: 'onInvalidRecord',
	type: 'options',
	options: [
		{
			name: 'Output as Error Item',
			value: 'output',
			description:
				'Output the record with its reason as an error item (sent to the error output when the node uses one)',
		},
		{
			name: 'Skip',
			value: 'skip',
			description: 'Leave the record out',
		},
		{
			name: 'Stop With an Error',
			value: 'error',
			description: 'Fail the item, naming the record and the reason',
		},
	],
	default: 'error',
	description:
		'What to do with a record the ledger cannot use (no amount, unknown currency, not spend, …)',
};

export function returnAllAndLimit(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{ ...limitProperty, displayOptions: { show: { ...show, returnAll: [false] } } },
	];
}

/** The Options collection of a read operation: what else to put in the output. */
export function outputOptions(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'Extra data to include in the output',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** The ID a Get operation reads one Brex record by. */
export function recordIdProperty(
	displayName: string,
	name: string,
	placeholder: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
	};
}

export const loadCustomFieldsOption: INodeProperties = {
	displayName: 'Load Custom Fields',
	name: 'loadCustomFields',
	type: 'boolean',
	default: true,
	description: 'Whether to ask Brex for the expense custom fields (output as customFields)',
};
