import type { INodeProperties } from 'n8n-workflow';

import { brexAuthenticationProperty } from '../brexApi/authentication';
import { resourceProperty } from '../common/nodeDescriptions';
import {
	BREX_EVENT_OPTIONS,
	DEFAULT_LOOKBACK_MINUTES,
	DEFAULT_MAX_RECORDS_PER_POLL,
	DEFAULT_START_DAYS_BACK,
	EXPENSE_PAYMENT_STATUS_OPTIONS,
	EXPENSE_STATUS_OPTIONS,
	EXPENSE_TYPE_OPTIONS,
	toOptions,
} from './constants';

const webhookMode = { show: { mode: ['webhook'] } };
const pollingMode = { show: { mode: ['polling'] } };

/** Parameters of the Brex Trigger (contract C of the package: names and values are relied on by workflows). */
export const brexTriggerProperties: INodeProperties[] = [
	brexAuthenticationProperty,
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		description:
			'Webhook: Brex calls n8n on each event (Svix-signed, verified). Polling: n8n asks Brex for new records on the Poll Times schedule, for accounts without webhooks.',
		noDataExpression: true,
		options: [
			{
				name: 'Webhook (Instant)',
				value: 'webhook',
				description: 'Brex sends signed events to n8n as they happen',
			},
			{
				name: 'Polling',
				value: 'polling',
				description: 'Asks Brex for new or changed records at the Poll Times',
			},
		],
		default: 'webhook',
	},
	{
		displayName:
			'In webhook mode the Poll Times above are not used: Brex pushes each event when it happens',
		name: 'webhookModeNotice',
		type: 'notice',
		default: '',
		displayOptions: webhookMode,
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: BREX_EVENT_OPTIONS,
		default: ['EXPENSE_PAYMENT_UPDATED'],
		description: 'The Brex events that start the workflow',
		displayOptions: webhookMode,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'How webhook events are turned into spend items',
		placeholder: 'Add Option',
		default: {},
		displayOptions: webhookMode,
		options: [
			{
				displayName: 'Enrich',
				name: 'enrich',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the expense or accounting records an event names and output them as spend items. When off, the event is output as Brex sent it.',
			},
			{
				displayName: 'Answer Brex',
				name: 'answer',
				type: 'options',
				default: 'afterFetch',
				options: [
					{
						name: 'After Fetching the Record',
						value: 'afterFetch',
						description:
							'Answers once the record is fetched; when Brex cannot return it now, answers 503 so Brex delivers the event again later',
					},
					{
						name: 'On Receipt',
						value: 'onReceipt',
						description:
							'Answers as soon as the signature verifies (fastest); a record Brex cannot return now becomes an item with error and retryable: true, for the replay queue. If n8n then fails to start the execution (overload), Brex does not deliver again: run the reconciliation.',
					},
				],
				description:
					'When the webhook answers Brex. After Fetching answers only once n8n has registered the execution, so Brex redelivers anything n8n could not take. On Receipt answers faster; a record that cannot be fetched then goes to the workflow as a retryable error item instead of being redelivered by Brex.',
			},
		],
	},
	{
		...resourceProperty(
			[
				{
					name: 'Accounting Record',
					value: 'accountingRecord',
					description:
						'Accounting records ready for export (Brex Accounting API, access granted by Brex on request)',
				},
				{
					name: 'Card Transaction',
					value: 'cardTransaction',
					description: 'Settled card transactions of all card accounts',
				},
				{
					name: 'Expense',
					value: 'expense',
					description: 'Expenses created or changed since the last poll',
				},
			],
			'expense',
		),
		displayOptions: pollingMode,
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		description: 'Only emit records that match; empty means every record',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { mode: ['polling'], resource: ['expense'] } },
		options: [
			{
				displayName: 'Expense Type',
				name: 'expenseType',
				type: 'multiOptions',
				description: 'Only expenses of these types',
				options: toOptions(EXPENSE_TYPE_OPTIONS),
				default: [],
			},
			{
				displayName: 'Payment Status',
				name: 'paymentStatus',
				type: 'multiOptions',
				description: 'Only expenses with these payment statuses',
				options: toOptions(EXPENSE_PAYMENT_STATUS_OPTIONS),
				default: [],
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				description: 'Only expenses with these review statuses',
				options: toOptions(EXPENSE_STATUS_OPTIONS),
				default: [],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'How polling reads Brex',
		placeholder: 'Add Option',
		default: {},
		displayOptions: pollingMode,
		options: [
			{
				displayName: 'Lookback (Minutes)',
				name: 'lookbackMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_LOOKBACK_MINUTES,
				description:
					'How far behind the newest record already seen each poll starts reading, so records that reach Brex late are not missed. Card transactions always use at least one day (they only carry a posting date).',
			},
			{
				displayName: 'Max Records per Poll',
				name: 'maxRecordsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_RECORDS_PER_POLL,
				description:
					'Most records one poll outputs; a larger backlog continues at the next poll exactly where this one stopped',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: `Where the first poll starts reading; empty means ${DEFAULT_START_DAYS_BACK} days ago. Changing it later starts over from the new date.`,
			},
		],
	},
];
