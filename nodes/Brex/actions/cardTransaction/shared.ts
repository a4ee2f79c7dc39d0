import type { INodeProperties } from 'n8n-workflow';

export const CARD_TRANSACTIONS_PATH = '/v2/transactions/card/primary';

export const transactionTypeOptions = [
	{ name: 'BNPL Fee', value: 'BNPL_FEE' },
	{ name: 'Chargeback', value: 'CHARGEBACK' },
	{ name: 'Collection (Card Payment)', value: 'COLLECTION' },
	{ name: 'Purchase', value: 'PURCHASE' },
	{ name: 'Refund', value: 'REFUND' },
	{ name: 'Rewards Credit', value: 'REWARDS_CREDIT' },
];

export const transactionTypesProperty: INodeProperties = {
	displayName: 'Transaction Types',
	name: 'transactionTypes',
	type: 'multiOptions',
	options: transactionTypeOptions,
	// The spend and refund types of spendItem.ts (CARD_SPEND_TYPES, CARD_REFUND_TYPES).
	default: ['BNPL_FEE', 'CHARGEBACK', 'PURCHASE', 'REFUND'],
	description:
		'Types to return (filtered here, Brex has no type filter). Card payments and rewards credits are not spend and cannot become spend items.',
};
