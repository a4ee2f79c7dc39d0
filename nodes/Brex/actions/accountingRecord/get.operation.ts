import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { normaliseAccountingRecord } from '../../../brexApi/spendItem';
import { getSpendItem, requiredId } from '../../helpers/utils';
import { includeRawOption, outputOptions, recordIdProperty } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	recordIdProperty(
		'Accounting Record ID',
		'recordId',
		'accr_abc123',
		'Brex ID of the accounting record (Accounting API, access granted by Brex on request)',
	),
	outputOptions([includeRawOption]),
];

export const description = operationDescription('accountingRecord', 'get', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const recordId = requiredId(this, 'recordId', 'Accounting Record ID', itemIndex);
	return await getSpendItem(this, itemIndex, 'accountingRecord', normaliseAccountingRecord, {
		path: `/v3/accounting/records/${encodeURIComponent(recordId)}`,
	});
};
