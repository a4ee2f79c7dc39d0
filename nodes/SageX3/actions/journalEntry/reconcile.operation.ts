import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { reconcile } from '../../../ledger/reconcile';
import type { ReconcileBrexItem } from '../../../ledger/reconcile';
import { getLayout } from '../../helpers/context';
import { codedLineTraces } from '../../helpers/spendPosting';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Accounting Date From',
		name: 'dateFrom',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-01',
		description: 'First accounting date (YYYY-MM-DD) of the X3 entries to compare',
	},
	{
		displayName: 'Accounting Date To',
		name: 'dateTo',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-11-30',
		description: 'Last accounting date (YYYY-MM-DD, inclusive) of the X3 entries to compare',
	},
	{
		displayName: 'Card Liability Account',
		name: 'cardLiabilityAccount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 467100',
		description:
			"The balancing account Post Spend uses; its lines are left out when an item's booked amount is computed",
	},
	{
		displayName: 'Include Matched Records',
		name: 'includeMatched',
		type: 'boolean',
		default: false,
		description: 'Whether to output a row for every matched record too, not only the differences',
	},
];

const displayOptions = { show: { resource: ['journalEntry'], operation: ['reconcile'] } };

export const description = updateDisplayOptions(displayOptions, properties);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Compares all input spend items (Brex records of a period, e.g. from the Brex node's Get Many) with the X3
 * entries carrying trace ids in the same accounting-date range: one summary item, then one item per record
 * that differs (missing in X3, duplicated in X3, amount mismatch, or in X3 but unknown to Brex).
 */
export const execute: OperationExecute = async function (items, gateway) {
	const dateFrom = String(this.getNodeParameter('dateFrom', 0, ''))
		.trim()
		.slice(0, 10);
	const dateTo = String(this.getNodeParameter('dateTo', 0, ''))
		.trim()
		.slice(0, 10);
	const liabilityAccount = String(this.getNodeParameter('cardLiabilityAccount', 0, '')).trim();
	const includeMatched = this.getNodeParameter('includeMatched', 0, false) as boolean;
	if (!DATE.test(dateFrom) || !DATE.test(dateTo) || dateFrom > dateTo) {
		throw new NodeOperationError(
			this.getNode(),
			`The date range "${dateFrom}" to "${dateTo}" is not valid`,
			{ description: 'Give both dates as YYYY-MM-DD, the first not after the second.' },
		);
	}
	if (liabilityAccount === '') {
		throw new NodeOperationError(this.getNode(), 'Card Liability Account is empty');
	}

	const traceFieldLength = getLayout(this).journalEntry.traceFieldLength;
	const brexItems: ReconcileBrexItem[] = [];
	const inputIndexByTraceId = new Map<string, number>();
	let ignoredInputs = 0;
	items.forEach((item, index) => {
		const json = item.json;
		const traceId = typeof json.traceId === 'string' ? json.traceId : null;
		if (
			!traceId ||
			typeof json.amount !== 'string' ||
			typeof json.currency !== 'string' ||
			json.error
		) {
			ignoredInputs++;
			return;
		}
		brexItems.push({
			id: String(json.id),
			traceId,
			amount: json.amount,
			currency: json.currency,
			...codedLineTraces(json, traceFieldLength),
		});
		inputIndexByTraceId.set(traceId, index);
	});

	const entries = await gateway.listTracedJournalEntries({ from: dateFrom, to: dateTo });
	const report = reconcile(brexItems, entries, { liabilityAccount });

	const output: INodeExecutionData[] = [
		{
			json: {
				dateFrom,
				dateTo,
				brexRecords: brexItems.length,
				ignoredInputs,
				x3Entries: entries.length,
				counts: report.counts as unknown as IDataObject,
				balanced:
					report.counts.missing_in_x3 === 0 &&
					report.counts.duplicated_in_x3 === 0 &&
					report.counts.amount_mismatch === 0,
			},
			pairedItem: items.map((_, item) => ({ item })),
		},
	];
	for (const line of report.lines) {
		if (line.status === 'matched' && !includeMatched) continue;
		output.push({
			json: { ...line } as unknown as IDataObject,
			pairedItem: { item: inputIndexByTraceId.get(line.traceId) ?? 0 },
		});
	}
	return output;
};
