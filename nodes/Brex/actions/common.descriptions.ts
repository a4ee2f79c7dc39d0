import type { INodeProperties } from 'n8n-workflow';

import { limitProperty } from '../../common/nodeDescriptions';
import type { DateRangeParameters } from '../helpers/utils';

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

/** The Options of a spend-record Get Many without options of its own: the raw record, and invalid records. */
export function spendRecordOutputOptions(): INodeProperties {
	return outputOptions([includeRawOption, invalidRecordOption]);
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

/** The startDate and endDate properties of a Get Many (see DateRangeParameters). */
export function dateRangeProperties(dates: DateRangeParameters): INodeProperties[] {
	return (['start', 'end'] as const).map(
		(bound): INodeProperties => ({
			displayName: dates[bound].displayName,
			name: `${bound}Date`,
			type: 'dateTime',
			default: '',
			description: dates[bound].description,
		}),
	);
}

/** Words Brex's enum values spell that n8n's title case keeps in lower case (n8n's lint: "Ready for Export"). */
const LOWER_CASE_WORDS = new Set(['for', 'of']);

/**
 * Options for Brex enum values, in the order given (sorted by name for n8n's lint), each named by its words in
 * title case: READY_FOR_EXPORT is "Ready for Export". `names` overrides a name the rule does not give.
 */
export function brexEnumOptions(
	values: string,
	names: Record<string, string> = {},
): Array<{ name: string; value: string }> {
	return values.split(' ').map((value) => ({
		name:
			names[value] ??
			value
				.split('_')
				.map((word, index) => {
					const lower = word.toLowerCase();
					return index > 0 && LOWER_CASE_WORDS.has(lower)
						? lower
						: lower.charAt(0).toUpperCase() + lower.slice(1);
				})
				.join(' '),
		value,
	}));
}
