import type { INodeProperties } from 'n8n-workflow';

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
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}
