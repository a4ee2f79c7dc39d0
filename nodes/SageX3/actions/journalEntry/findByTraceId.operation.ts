import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem, requiredText } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Trace ID',
		name: 'traceId',
		type: 'string',
		default: '={{ $json.postResult ? $json.postResult.traceId : $json.traceId }}',
		required: true,
		placeholder: 'e.g. BRXE-9HQXED5J7FJMT09',
		description:
			'Trace ID of a Brex item (found on entry lines) or of an entry (found in the header trace field)',
	},
];

const displayOptions = { show: { resource: ['journalEntry'], operation: ['findByTraceId'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const traceId = requiredText(this, 'traceId', itemIndex, 'Trace ID is empty');
		const entries = await gateway.findJournalEntriesByTraceId(traceId);
		return {
			traceId,
			found: entries.length > 0,
			documentNumbers: entries.map((entry) => entry.documentNumber),
			entries: entries.map((entry) => ({ ...entry }) as IDataObject),
		};
	});
};
