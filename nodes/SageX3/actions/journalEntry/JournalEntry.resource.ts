import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as findByTraceId from './findByTraceId.operation';
import * as postSpend from './postSpend.operation';
import * as reconcile from './reconcile.operation';

export { create, findByTraceId, postSpend, reconcile };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['journalEntry'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a balanced journal entry from lines you give',
				action: 'Create a journal entry',
			},
			{
				name: 'Find by Trace ID',
				value: 'findByTraceId',
				description: 'Find the journal entries holding a Brex item or entry trace ID',
				action: 'Find journal entries by trace ID',
			},
			{
				name: 'Post Spend',
				value: 'postSpend',
				description:
					'Post Brex spend items as balanced journal entries: mapping rules, grouping, refunds, idempotent by trace ID',
				action: 'Post spend as journal entries',
			},
			{
				name: 'Reconcile',
				value: 'reconcile',
				description:
					'Compare Brex records with the traced X3 entries of a date range: missing, duplicated, amount mismatches',
				action: 'Reconcile brex records with journal entries',
			},
		],
		default: 'postSpend',
	},
	...create.description,
	...findByTraceId.description,
	...postSpend.description,
	...reconcile.description,
];
