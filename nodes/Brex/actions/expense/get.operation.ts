import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { brexRequest } from '../../../brexApi/client';
import { EXPENSE_EXPAND, normaliseExpense } from '../../../brexApi/spendItem';
import { clientOptions, getOptions, normaliseForGet, requiredId } from '../../helpers/utils';
import { includeRawOption } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Expense ID',
		name: 'expenseId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'expense_cl3khzfnr00000k92bdjtmmes',
		description: 'Brex ID of the expense',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'Extra data to include in the output',
		placeholder: 'Add Option',
		default: {},
		options: [
			includeRawOption,
			{
				displayName: 'Load Custom Fields',
				name: 'loadCustomFields',
				type: 'boolean',
				default: true,
				description: 'Whether to ask Brex for the expense custom fields (output as customFields)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['expense'], operation: ['get'] } },
	properties,
);

export const execute: OperationExecute = async function (itemIndex) {
	const expenseId = requiredId(this, 'expenseId', 'Expense ID', itemIndex);
	const options = getOptions(this, itemIndex);
	const record = await brexRequest<IDataObject>(this, clientOptions(this, itemIndex), {
		method: 'GET',
		path: `/v1/expenses/${encodeURIComponent(expenseId)}`,
		qs: { 'expand[]': EXPENSE_EXPAND, load_custom_fields: options.loadCustomFields !== false },
	});
	return [
		normaliseForGet(
			this,
			record,
			'expense',
			normaliseExpense,
			options.includeRaw !== false,
			itemIndex,
		),
	];
};
