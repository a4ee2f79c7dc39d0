import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { brexItems, brexItemsSideBySide } from '../../../brexApi/client';
import { DEFAULT_DATE_SLICES, dateSlices } from '../../../brexApi/dateSlices';
import { EXPENSE_EXPAND, normaliseExpense } from '../../../brexApi/spendItem';
import {
	clientOptions,
	collectSpendItems,
	getOptions,
	idList,
	type DateRangeParameters,
	readDateRange,
	readLimit,
} from '../../helpers/utils';
import {
	brexEnumOptions,
	dateRangeProperties,
	includeRawOption,
	invalidRecordOption,
	loadCustomFieldsOption,
	outputOptions,
	returnAllAndLimit,
} from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const show = { resource: ['expense'], operation: ['getAll'] };

const DATES: DateRangeParameters = {
	start: {
		displayName: 'Start Date',
		description:
			'Only expenses on or after this date (UTC when no zone is given); empty means no lower bound',
	},
	end: {
		displayName: 'End Date',
		description:
			'Only expenses on or before this date (a bare date includes the whole day); empty means no upper bound',
	},
};

const properties: INodeProperties[] = [
	{
		displayName: 'Date Field',
		name: 'dateField',
		type: 'options',
		options: [
			{ name: 'Purchase Date', value: 'purchased', description: 'When the purchase was made' },
			{
				name: 'Last Update',
				value: 'updated',
				description: 'When Brex last changed the expense (for incremental syncs)',
			},
		],
		default: 'purchased',
		description: 'Which date the start and end dates apply to',
	},
	...dateRangeProperties(DATES),
	...returnAllAndLimit(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		description: 'Narrow the expenses Brex returns; empty means no filter',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Budget IDs',
				name: 'budgetIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Brex budget IDs',
			},
			{
				displayName: 'Expense Types',
				name: 'expenseTypes',
				type: 'multiOptions',
				description: 'Only expenses of these types',
				options: brexEnumOptions('BILLPAY CARD CLAWBACK REIMBURSEMENT UNSET', {
					BILLPAY: 'Bill Pay',
				}),
				default: [],
			},
			{
				displayName: 'Payment Statuses',
				name: 'paymentStatuses',
				type: 'multiOptions',
				description: 'Only expenses with these payment statuses',
				options: brexEnumOptions(
					'AWAITING_PAYMENT CANCELED CASH_ADVANCE CLEARED CREDITED DECLINED NOT_STARTED PROCESSING REFUNDED REFUNDING SCHEDULED',
				),
				default: [],
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				description: 'Only expenses with these review statuses',
				options: brexEnumOptions(
					'APPROVED CANCELED DRAFT OUT_OF_POLICY SETTLED SPLIT SUBMITTED VOID',
				),
				default: [],
			},
			{
				displayName: 'User IDs',
				name: 'userIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Brex user IDs (cuuser_…)',
			},
		],
	},
	outputOptions([
		includeRawOption,
		loadCustomFieldsOption,
		invalidRecordOption,
		{
			displayName: 'Parallel Date Slices',
			name: 'dateSlices',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 8 },
			default: DEFAULT_DATE_SLICES,
			description:
				'With Return All and both dates set: how many equal parts of the date range are read side by side. A long backfill reads in about a quarter of the time with 4; 1 reads page after page. Brex allows 1,000 requests a minute; a 429 is retried with backoff.',
		},
	]),
];

export const description = updateDisplayOptions({ show }, properties);

export const execute: OperationExecute = async function (itemIndex) {
	const dateField = this.getNodeParameter('dateField', itemIndex, 'purchased') as string;
	const prefix = dateField === 'updated' ? 'updated_at' : 'purchased_at';
	const { start, end } = readDateRange(this, itemIndex, DATES);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = getOptions(this, itemIndex);
	const qs: IDataObject = {
		'expand[]': EXPENSE_EXPAND,
		load_custom_fields: options.loadCustomFields !== false,
		[`${prefix}_start`]: start,
		[`${prefix}_end`]: end,
		'status[]': filters.statuses,
		'payment_status[]': filters.paymentStatuses,
		'expense_type[]': filters.expenseTypes,
		'user_id[]': idList(filters.userIds),
		'budget_id[]': idList(filters.budgetIds),
	};
	const client = clientOptions(this, itemIndex);
	const request = { method: 'GET' as const, path: '/v1/expenses', qs };
	// Slices only when every record of the range is wanted: a limit keeps Brex's own order.
	const slices =
		start !== undefined && end !== undefined && readLimit(this, itemIndex) === undefined
			? dateSlices(start, end, Number(options.dateSlices ?? DEFAULT_DATE_SLICES))
			: [];
	return await collectSpendItems(this, itemIndex, 'expense', normaliseExpense, (maxItems) =>
		slices.length > 1
			? brexItemsSideBySide<IDataObject>(
					this,
					client,
					slices.map((slice) => ({
						...request,
						qs: { ...qs, [`${prefix}_start`]: slice.start, [`${prefix}_end`]: slice.end },
					})),
				)
			: brexItems<IDataObject>(this, client, request, { maxItems }),
	);
};
