import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { brexItems } from '../../../brexApi/client';
import { CARD_TRANSACTION_EXPAND, normaliseCardTransaction } from '../../../brexApi/spendItem';
import {
	clientOptions,
	getOptions,
	normaliseForGet,
	requiredId,
	toBrexDateTime,
} from '../../helpers/utils';
import { includeRawOption, outputOptions, recordIdProperty } from '../common.descriptions';
import { CARD_TRANSACTIONS_PATH } from './shared';
import type { OperationExecute } from '../node.type';

const DEFAULT_MAX_SCAN = 10_000;

const properties: INodeProperties[] = [
	{
		displayName:
			'Brex has no endpoint to read one card transaction: the node pages through the transactions posted since the date below and picks the one with this ID. A date close to the posting date keeps this fast.',
		name: 'scanNotice',
		type: 'notice',
		default: '',
	},
	recordIdProperty(
		'Transaction ID',
		'transactionId',
		'pste_ckuwiblvv1tn101l3zvscxis8',
		'Brex ID of the settled card transaction',
	),
	{
		displayName: 'Posted On or After',
		name: 'postedAfter',
		type: 'dateTime',
		default: '',
		description:
			'Search from this posting date on (UTC when no zone is given); empty searches all history, up to the scan limit',
	},
	outputOptions([
		includeRawOption,
		{
			displayName: 'Max Transactions to Scan',
			name: 'maxScan',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_SCAN,
			description: 'Give up after reading this many transactions without finding the ID',
		},
	]),
];

export const description = operationDescription('cardTransaction', 'get', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const transactionId = requiredId(this, 'transactionId', 'Transaction ID', itemIndex);
	const postedAfter = toBrexDateTime(
		this,
		this.getNodeParameter('postedAfter', itemIndex, ''),
		'start',
		'Posted On or After',
		itemIndex,
	);
	const options = getOptions(this, itemIndex);
	const maxScan = Math.max(
		1,
		Math.floor(Number(options.maxScan ?? DEFAULT_MAX_SCAN)) || DEFAULT_MAX_SCAN,
	);

	let scanned = 0;
	for await (const record of brexItems<IDataObject>(
		this,
		clientOptions(this, itemIndex),
		{
			method: 'GET',
			path: CARD_TRANSACTIONS_PATH,
			qs: { posted_at_start: postedAfter, 'expand[]': CARD_TRANSACTION_EXPAND },
		},
		{ maxItems: maxScan },
	)) {
		scanned++;
		if (record.id === transactionId) {
			return [
				normaliseForGet(
					this,
					record,
					'cardTransaction',
					normaliseCardTransaction,
					options.includeRaw !== false,
					itemIndex,
				),
			];
		}
	}
	const since = postedAfter ? `posted since ${postedAfter}` : 'in the whole history';
	throw new NodeOperationError(
		this.getNode(),
		`Card transaction ${transactionId} was not found among ${scanned} settled transactions ${since}`,
		{
			itemIndex,
			description:
				scanned >= maxScan
					? 'The scan limit was reached: set "Posted On or After" closer to the posting date or raise Options → Max Transactions to Scan.'
					: 'Brex returns settled transactions only: a pending card authorization is not there yet. Check the ID and the date.',
		},
	);
};
