import type { INodeProperties } from 'n8n-workflow';

import { readApiProperty, x3SetupProperty } from '../SageX3/actions/versionDescription';

export const DEFAULT_FULL_READ_EVERY = 24;
export const DEFAULT_OVERLAP_MINUTES = 10;
export const DEFAULT_MAX_RECORDS_PER_KIND = 10_000;

export const sageX3TriggerProperties: INodeProperties[] = [
	readApiProperty,
	{
		displayName: 'Watch',
		name: 'watch',
		type: 'multiOptions',
		options: [
			{
				name: 'Dimension Values',
				value: 'dimension',
				description: 'Values of the dimension types chosen below (X3 table CACCE)',
			},
			{
				name: 'GL Accounts',
				value: 'account',
				description: 'Accounts of the chart of accounts set in X3 Setup (table GACCOUNT)',
			},
			{ name: 'Suppliers', value: 'supplier', description: 'Suppliers (table BPSUPPLIER)' },
		],
		default: ['account', 'dimension'],
		required: true,
		description: 'Which X3 master data to emit when it changes',
	},
	{
		displayName: 'Dimension Type Names or IDs',
		name: 'dimensionTypes',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getDimensionTypes' },
		default: [],
		displayOptions: { show: { watch: ['dimension'] } },
		description:
			'Dimension types whose values are watched (e.g. DEP, CCT). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		description: 'How changes are found, and the limits of one poll',
		options: [
			{
				displayName: 'Change Detection',
				name: 'changeDetection',
				type: 'options',
				options: [
					{
						name: 'Update Stamps Where Possible',
						value: 'stamps',
						description:
							'GraphQL reads only records whose _updateStamp moved (plus a full comparison every few polls); SOAP and REST compare everything',
					},
					{
						name: 'Full Comparison',
						value: 'full',
						description: 'Every poll reads every record and compares it with the last poll',
					},
				],
				default: 'stamps',
				description: 'How changes are found',
			},
			{
				displayName: 'Full Comparison Every (Polls)',
				name: 'fullReadEvery',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_FULL_READ_EVERY,
				description:
					'With update stamps, every this many polls everything is read and compared: the only way records deleted in X3 are seen',
			},
			{
				displayName: 'Max Records per Kind',
				name: 'maxRecordsPerKind',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_RECORDS_PER_KIND,
				description:
					'Most accounts, values of one dimension type, or suppliers a poll reads; a list that reaches it fails the poll instead of reporting an incomplete picture',
			},
			{
				displayName: 'Stamp Overlap (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_OVERLAP_MINUTES,
				description:
					'How far behind the newest update stamp already read each poll reads again (records saved by a late-committing transaction); what it reads again is not emitted twice',
			},
		],
	},
	x3SetupProperty,
];
