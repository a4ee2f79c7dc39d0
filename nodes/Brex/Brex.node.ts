import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { brexAuthenticationProperty } from '../brexApi/authentication';
import * as accountingRecord from './actions/accountingRecord/AccountingRecord.resource';
import * as cardTransaction from './actions/cardTransaction/CardTransaction.resource';
import * as expense from './actions/expense/Expense.resource';
import * as field from './actions/field/Field.resource';
import * as fieldValue from './actions/fieldValue/FieldValue.resource';
import { router } from './actions/router';

/** Brex action node: reads spend as SpendItems and reports export results. Logic lives in actions/. */
export class Brex implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brex',
		name: 'brex',
		icon: { light: 'file:brex.svg', dark: 'file:brex.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read Brex expenses, card transactions and accounting records as spend items, and report export results back to Brex',
		defaults: { name: 'Brex' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'brexApi',
				required: true,
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'brexOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			brexAuthenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Accounting Record',
						value: 'accountingRecord',
						description:
							'Records reviewed for the ledger (Accounting API, access granted by Brex on request)',
					},
					{
						name: 'Card Transaction',
						value: 'cardTransaction',
						description: 'Settled card transactions',
					},
					{ name: 'Expense', value: 'expense', description: 'Card and reimbursement expenses' },
					{
						name: 'Field',
						value: 'field',
						description: 'Custom fields spend is coded with (Fields API, beta)',
					},
					{
						name: 'Field Value',
						value: 'fieldValue',
						description: 'Values of a custom field, keyed by ERP code (e.g. X3 accounts)',
					},
				],
				default: 'expense',
			},
			...expense.description,
			...cardTransaction.description,
			...accountingRecord.description,
			...field.description,
			...fieldValue.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
