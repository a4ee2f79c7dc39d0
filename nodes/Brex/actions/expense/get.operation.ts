import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { brexRequest } from '../../../brexApi/client';
import { EXPENSE_EXPAND, normaliseExpense } from '../../../brexApi/spendItem';
import { clientOptions, getOptions, normaliseForGet, requiredId } from '../../helpers/utils';
import {
	includeRawOption,
	loadCustomFieldsOption,
	outputOptions,
	recordIdProperty,
} from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	recordIdProperty(
		'Expense ID',
		'expenseId',
		'expense_cl3khzfnr00000k92bdjtmmes',
		'Brex ID of the expense',
	),
	outputOptions([includeRawOption, loadCustomFieldsOption]),
];

export const description = operationDescription('expense', 'get', properties);

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
