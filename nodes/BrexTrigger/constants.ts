import type { INodePropertyOptions } from 'n8n-workflow';

import type { SpendRecordKind } from '../common/spendItemTypes';

// Kept here for the trigger's modules; the Brex node picks its credential with the same function.
export { credentialTypeOf } from '../brexApi/authentication';

export type TriggerMode = 'webhook' | 'polling';
export type Authentication = 'accessToken' | 'oAuth2';

export const WEBHOOK_NAME = 'default';
export const WEBHOOK_PATH = 'webhook';

/** Brex webhook events the trigger can subscribe to (Webhooks API WebhookEventType, the ones useful here). */
export const BREX_EVENT_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'Accounting Record Ready for Export',
		value: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
		description:
			'Records reviewed in Brex and ready for the ledger (Accounting API, access granted by Brex on request)',
	},
	{
		name: 'Expense Payment Updated',
		value: 'EXPENSE_PAYMENT_UPDATED',
		description: 'Card authorization activity on an expense (pending or declined payments)',
	},
	{
		name: 'Transfer Failed',
		value: 'TRANSFER_FAILED',
		description: 'A Brex business account transfer failed',
	},
	{
		name: 'Transfer Processed',
		value: 'TRANSFER_PROCESSED',
		description: 'A Brex business account transfer was processed',
	},
	{
		name: 'User Updated',
		value: 'USER_UPDATED',
		description: 'A Brex user changed status, manager, department or location',
	},
];

export const BREX_EVENT_TYPES = BREX_EVENT_OPTIONS.map((option) => String(option.value));

export type PollResource = SpendRecordKind;

export const POLL_RESOURCES: Record<
	PollResource,
	{ path: string; timestampField: string; label: string }
> = {
	expense: { path: '/v1/expenses', timestampField: 'updated_at', label: 'expense' },
	cardTransaction: {
		path: '/v2/transactions/card/primary',
		timestampField: 'posted_at_date',
		label: 'card transaction',
	},
	accountingRecord: {
		path: '/v3/accounting/records',
		timestampField: 'updated_at',
		label: 'accounting record',
	},
};

export const EXPENSE_STATUS_OPTIONS = [
	'DRAFT',
	'SUBMITTED',
	'APPROVED',
	'OUT_OF_POLICY',
	'VOID',
	'CANCELED',
	'SPLIT',
	'SETTLED',
];

export const EXPENSE_PAYMENT_STATUS_OPTIONS = [
	'NOT_STARTED',
	'PROCESSING',
	'CANCELED',
	'DECLINED',
	'CLEARED',
	'REFUNDING',
	'REFUNDED',
	'CASH_ADVANCE',
	'CREDITED',
	'AWAITING_PAYMENT',
	'SCHEDULED',
];

export const EXPENSE_TYPE_OPTIONS = ['CARD', 'BILLPAY', 'REIMBURSEMENT', 'CLAWBACK', 'UNSET'];

export const DEFAULT_LOOKBACK_MINUTES = 60;
export const DEFAULT_MAX_RECORDS_PER_POLL = 1000;
export const DEFAULT_START_DAYS_BACK = 30;
/** Card transactions carry a posting date only; re-reading less than a day would miss late postings. */
export const CARD_TRANSACTION_MIN_LOOKBACK_MINUTES = 24 * 60;
/** Records a manual "fetch test event" run returns. */
export const MANUAL_SAMPLE_SIZE = 5;

export function toOptions(values: string[]): INodePropertyOptions[] {
	return values.map((value) => ({
		name: value
			.toLowerCase()
			.split('_')
			.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
			.join(' '),
		value,
	}));
}
