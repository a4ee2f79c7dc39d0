import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { brexItems } from '../../../brexApi/client';
import { CARD_TRANSACTION_EXPAND, normaliseCardTransaction } from '../../../brexApi/spendItem';
import {
	clientOptions,
	collectSpendItems,
	type DateRangeParameters,
	idList,
	readDateRange,
} from '../../helpers/utils';
import {
	dateRangeProperties,
	returnAllAndLimit,
	spendRecordOutputOptions,
} from '../common.descriptions';
import { CARD_TRANSACTIONS_PATH, transactionTypesProperty } from './shared';
import type { OperationExecute } from '../node.type';

const show = { resource: ['cardTransaction'], operation: ['getAll'] };

const DATES: DateRangeParameters = {
	start: {
		displayName: 'Start Date',
		description: 'Only transactions posted on or after this date (UTC when no zone is given)',
	},
	end: {
		displayName: 'End Date',
		description:
			'Only transactions posted on or before this date; Brex has no end filter, so later ones are read and dropped here',
	},
};

const properties: INodeProperties[] = [
	...dateRangeProperties(DATES),
	transactionTypesProperty,
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		description: 'Narrow the card transactions Brex returns; empty means no filter',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'User IDs',
				name: 'userIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Brex user IDs (cuuser_…) whose card transactions to return',
			},
		],
	},
	spendRecordOutputOptions(),
];

export const description = updateDisplayOptions({ show }, properties);

export const execute: OperationExecute = async function (itemIndex) {
	const { start, end } = readDateRange(this, itemIndex, DATES);
	const types = this.getNodeParameter('transactionTypes', itemIndex, []) as string[];
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// posted_at_date is a calendar date; compare it with the end bound's UTC date.
	const endDate = end?.slice(0, 10);
	return await collectSpendItems(
		this,
		itemIndex,
		'cardTransaction',
		normaliseCardTransaction,
		() =>
			brexItems<IDataObject>(this, clientOptions(this, itemIndex), {
				method: 'GET',
				path: CARD_TRANSACTIONS_PATH,
				qs: {
					posted_at_start: start,
					user_ids: idList(filters.userIds),
					'expand[]': CARD_TRANSACTION_EXPAND,
				},
			}),
		(record) =>
			(types.length === 0 || types.includes(String(record.type ?? ''))) &&
			!(endDate && typeof record.posted_at_date === 'string' && record.posted_at_date > endDate),
	);
};
