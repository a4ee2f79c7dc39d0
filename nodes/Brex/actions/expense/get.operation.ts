import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { EXPENSE_EXPAND, normaliseExpense } from '../../../brexApi/spendItem';
import { getOptions, getSpendItem, requiredId } from '../../helpers/utils';
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
	return await getSpendItem(this, itemIndex, 'expense', normaliseExpense, {
		path: `/v1/expenses/${encodeURIComponent(expenseId)}`,
		qs: { 'expand[]': EXPENSE_EXPAND, load_custom_fields: options.loadCustomFields !== false },
	});
};
