import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { BrexApiError, brexRequest, type BrexClientOptions } from '../../../brexApi/client';
import { clientOptions, requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';

export const EXPORT_RESULTS_PATH = '/v3/accounting/records/export-results';

const properties: INodeProperties[] = [
	{
		displayName: 'Accounting Record ID',
		name: 'recordId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'accr_abc123',
		description: 'Brex ID of the accounting record that was posted (or failed to post) in Sage X3',
	},
	{
		displayName: 'Outcome',
		name: 'outcome',
		type: 'options',
		description:
			'Whether the record reached the ledger (Brex marks it exported) or failed (Brex shows the error)',
		options: [
			{
				name: 'Success',
				value: 'success',
				description: 'The record was posted; Brex marks it exported',
			},
			{
				name: 'Failure',
				value: 'failure',
				description: 'The record could not be posted; Brex shows the error message',
			},
		],
		default: 'success',
	},
	{
		displayName: 'Sage X3 Reference',
		name: 'referenceId',
		type: 'string',
		// Post Spend never splits a record over entries, so its one document number names all of it; an item
		// reported already_posted (its expense came first) names the entry holding the purchase.
		default: '={{ $json.postResult?.documentNumber ?? "" }}',
		placeholder: 'e.g. journal entry number',
		description:
			'Identifier of the posted entry in Sage X3, shown in Brex (by default the X3 document number Post Spend reported)',
		displayOptions: { show: { outcome: ['success'] } },
	},
	{
		displayName: 'Deep Link URL',
		name: 'deepLinkUrl',
		type: 'string',
		default: '',
		description: 'URL that opens the entry in Sage X3 (sent empty when not set)',
		displayOptions: { show: { outcome: ['success'] } },
	},
	{
		displayName: 'Error Message',
		name: 'errorMessage',
		type: 'string',
		required: true,
		// An item of Post Spend's error output carries X3's reason as `error`.
		default: '={{ $json.error ?? $json.postResult?.reason ?? "" }}',
		description:
			"Why the record could not be posted (shown in Brex; by default X3's reason from Post Spend)",
		displayOptions: { show: { outcome: ['failure'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['accountingRecord'], operation: ['reportExportResult'] } },
	properties,
);

function buildResult(
	ctx: IExecuteFunctions,
	recordId: string,
	outcome: string,
	itemIndex: number,
): IDataObject {
	if (outcome === 'failure') {
		const errorMessage = String(ctx.getNodeParameter('errorMessage', itemIndex, '')).trim();
		if (errorMessage === '') {
			throw new NodeOperationError(ctx.getNode(), 'Error Message is empty', {
				itemIndex,
				description: 'Brex needs a reason to show for a failed export.',
			});
		}
		return { accounting_record_id: recordId, failure: { error_message: errorMessage } };
	}
	const referenceId = String(ctx.getNodeParameter('referenceId', itemIndex, '')).trim();
	const deepLinkUrl = String(ctx.getNodeParameter('deepLinkUrl', itemIndex, '')).trim();
	// The spec declares deep_link_url a non-nullable string: always send one, empty when there is no link.
	const success: IDataObject = {
		reference_id: referenceId === '' ? null : referenceId,
		deep_link_url: deepLinkUrl,
	};
	return { accounting_record_id: recordId, success };
}

/** True when the record's review status says it is exported already (a lost 200 retried, or a replay). */
async function isAlreadyExported(
	ctx: IExecuteFunctions,
	client: BrexClientOptions,
	recordId: string,
): Promise<{ exported: boolean; reviewStatus: string | null }> {
	const record = await brexRequest<IDataObject>(ctx, client, {
		method: 'GET',
		path: `/v3/accounting/records/${encodeURIComponent(recordId)}`,
	});
	const reviewStatus = typeof record.review_status === 'string' ? record.review_status : null;
	return { exported: reviewStatus === 'EXPORTED', reviewStatus };
}

export const execute: OperationExecute = async function (itemIndex) {
	const recordId = requiredId(this, 'recordId', 'Accounting Record ID', itemIndex);
	const outcome = this.getNodeParameter('outcome', itemIndex, 'success') as string;
	const result = buildResult(this, recordId, outcome, itemIndex);
	const client = clientOptions(this, itemIndex);
	const summary: IDataObject = {
		accountingRecordId: recordId,
		outcome,
		referenceId: (result.success as IDataObject | undefined)?.reference_id ?? null,
	};

	let rejection: unknown;
	try {
		const response = await brexRequest<IDataObject>(this, client, {
			method: 'POST',
			path: EXPORT_RESULTS_PATH,
			body: { results: [result] },
		});
		const updated = Array.isArray(response.updated_accounting_record_ids)
			? response.updated_accounting_record_ids
			: [];
		return [
			{
				json: {
					...summary,
					reported: true,
					alreadyExported: false,
					updatedAccountingRecordIds: updated,
				},
			},
		];
	} catch (error) {
		rejection = error;
	}

	// Brex answers 422 ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT both for an already exported record and for one
	// still in review: read the record to tell them apart, and treat "already exported" as done.
	const notReady =
		rejection instanceof BrexApiError &&
		rejection.brex.status === 422 &&
		rejection.brex.type === 'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT';
	if (!notReady) throw rejection;
	const { exported, reviewStatus } = await isAlreadyExported(this, client, recordId);
	if (exported) {
		return [
			{
				json: {
					...summary,
					reported: false,
					alreadyExported: true,
					updatedAccountingRecordIds: [],
				},
			},
		];
	}
	throw new NodeOperationError(
		this.getNode(),
		`Accounting record ${recordId} is not ready for export in Brex (review status ${reviewStatus ?? 'unknown'})`,
		{
			itemIndex,
			description:
				'Brex accepts export results only for records in READY_FOR_EXPORT. Finish the review in Brex, then report again.',
		},
	);
};
