import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	FIELD_VALUES_MAX_BATCH,
	updateFieldValues,
	type BrexFieldValue,
} from '../../../brexApi/fields';
import { failedItem, toNodeError } from '../../../common/itemErrors';
import { inBatches } from '../../../masterData/fieldValuePlan';
import { clientOptions, requiredId } from '../../helpers/utils';

/** One input item's part of a batch call: the field it targets and its request item. */
export interface ValueRequest {
	itemIndex: number;
	fieldId: string;
	remoteId: string;
	body: IDataObject;
}

/** Sends one batch (≤ 1,000 request items of one field) and returns the values Brex answers with. */
export type SendBatch = (fieldId: string, bodies: IDataObject[]) => Promise<BrexFieldValue[]>;

function failure(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	remoteId: string | null,
): INodeExecutionData {
	const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
	if (!ctx.continueOnFail()) throw nodeError;
	return {
		...failedItem(ctx.getNode(), itemIndex, nodeError.message, {
			details: { remoteId, description: nodeError.description ?? null },
		}),
		error: nodeError,
	};
}

/**
 * Reads every input item's request; an item that cannot be read stops the node, or with "continue on fail"
 * becomes an error item while the others are sent.
 */
export function readRequests(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	read: (itemIndex: number) => ValueRequest,
): { requests: ValueRequest[]; failed: INodeExecutionData[] } {
	const requests: ValueRequest[] = [];
	const failed: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			requests.push(read(itemIndex));
		} catch (error) {
			failed.push(failure(ctx, error, itemIndex, null));
		}
	}
	return { requests, failed };
}

/**
 * Sends the requests field by field in batches of ≤ 1,000, in input order, and pairs each answered value with the
 * input item of its remote_id. A failed batch stops the node, or with "continue on fail" makes one error item per
 * item of that batch while the other batches go on.
 */
export async function sendInBatches(
	ctx: IExecuteFunctions,
	requests: ValueRequest[],
	send: SendBatch,
): Promise<INodeExecutionData[]> {
	const byField = new Map<string, ValueRequest[]>();
	for (const request of requests) {
		const list = byField.get(request.fieldId) ?? [];
		list.push(request);
		byField.set(request.fieldId, list);
	}
	const output: INodeExecutionData[] = [];
	for (const [fieldId, fieldRequests] of byField) {
		for (const batch of inBatches(fieldRequests, FIELD_VALUES_MAX_BATCH)) {
			let values: BrexFieldValue[];
			try {
				values = await send(
					fieldId,
					batch.map((request) => request.body),
				);
			} catch (error) {
				for (const request of batch)
					output.push(failure(ctx, error, request.itemIndex, request.remoteId));
				continue;
			}
			const itemOf = new Map(batch.map((request) => [request.remoteId, request.itemIndex]));
			values.forEach((value, position) => {
				const item =
					(typeof value.remote_id === 'string' ? itemOf.get(value.remote_id) : undefined) ??
					batch[Math.min(position, batch.length - 1)].itemIndex;
				output.push({ json: { ...value }, pairedItem: { item } });
			});
		}
	}
	return output;
}

/**
 * The batch operations' run: each input item names a field, a value's remote ID and (through `bodyOf`) its request
 * item; they are sent in batches of ≤ 1,000 per field. Items that cannot be read come first in the output.
 */
export async function runValueBatches(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	bodyOf: (itemIndex: number, remoteId: string) => IDataObject,
	send: SendBatch,
): Promise<INodeExecutionData[]> {
	const { requests, failed } = readRequests(ctx, items, (itemIndex) => {
		const remoteId = requiredId(ctx, 'remoteId', 'Remote ID', itemIndex);
		return {
			itemIndex,
			fieldId: requiredId(ctx, 'fieldId', 'Field ID', itemIndex),
			remoteId,
			body: bodyOf(itemIndex, remoteId),
		};
	});
	return [...failed, ...(await sendInBatches(ctx, requests, send))];
}

/** Update Field Values (PUT, one batch) with the node's credential. */
export function updateBatch(ctx: IExecuteFunctions): SendBatch {
	const client = clientOptions(ctx, 0);
	return async (fieldId, bodies) => await updateFieldValues(ctx, client, fieldId, bodies);
}
