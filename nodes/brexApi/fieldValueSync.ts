/**
 * Makes a Brex field hold exactly the active values of an ERP list: reads the field's values, plans with the pure
 * master-data diff, and applies the plan in batches of ≤ 1,000 (creates by POST, renames / disables / re-enables
 * by one PUT addressed by remote_id). Running it again right after changes nothing.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	inBatches,
	planCounts,
	planFieldValues,
	type CurrentValue,
	type FieldValuePlan,
	type FieldValuePlanCounts,
	type SourceScope,
	type SourceValue,
} from '../masterData/fieldValuePlan';
import type { BrexClientOptions, BrexContext } from './client';
import {
	FIELD_VALUES_MAX_BATCH,
	createFieldValues,
	fieldValueCreateBody,
	fieldValuePages,
	fieldValueUpdateBody,
	updateFieldValues,
	type BrexFieldValue,
} from './fields';

export interface FieldValueSyncRequest {
	fieldId: string;
	source: SourceValue[];
	scope: SourceScope;
	/** Plan only: read Brex, change nothing. */
	dryRun?: boolean;
}

export interface FieldValueSyncResult {
	plan: FieldValuePlan;
	counts: FieldValuePlanCounts;
	/** Brex API calls made (pages read and batches sent; the client's retries of one call count once). */
	brexCalls: number;
	applied: boolean;
}

export function toCurrentValue(value: BrexFieldValue): CurrentValue {
	return {
		id: value.brex_id,
		remoteId: typeof value.remote_id === 'string' ? value.remote_id : null,
		name: value.value,
		disabled: value.is_disabled === true,
	};
}

/**
 * The request items of a plan. The code is both remote_id (what records carry back as remote_field_value_id) and
 * value_id (the "value ID or code" Brex shows for the value).
 */
export function planRequestItems(plan: FieldValuePlan): {
	creates: IDataObject[];
	updates: IDataObject[];
} {
	const creates = plan.create.map((value) =>
		fieldValueCreateBody({ value: value.label, remoteId: value.code, valueId: value.code }),
	);
	const updates = [
		...plan.rename.map((value) => fieldValueUpdateBody({ remoteId: value.code, value: value.to })),
		...plan.reenable.map((value) =>
			fieldValueUpdateBody({ remoteId: value.code, value: value.label, disabled: false }),
		),
		...plan.disable.map((value) => fieldValueUpdateBody({ remoteId: value.code, disabled: true })),
	];
	return { creates, updates };
}

export async function readFieldValues(
	ctx: BrexContext,
	client: BrexClientOptions,
	fieldId: string,
): Promise<{ values: BrexFieldValue[]; calls: number }> {
	const values: BrexFieldValue[] = [];
	let calls = 0;
	for await (const page of fieldValuePages(ctx, client, fieldId)) {
		calls++;
		values.push(...page);
	}
	// An empty field answers one empty page, which brexPages does not yield.
	return { values, calls: Math.max(calls, 1) };
}

export async function syncFieldValues(
	ctx: BrexContext,
	client: BrexClientOptions,
	request: FieldValueSyncRequest,
): Promise<FieldValueSyncResult> {
	const { values, calls } = await readFieldValues(ctx, client, request.fieldId);
	let brexCalls = calls;
	const plan = planFieldValues(request.source, values.map(toCurrentValue), request.scope);
	const counts = planCounts(plan);
	if (request.dryRun) return { plan, counts, brexCalls, applied: false };

	const { creates, updates } = planRequestItems(plan);
	const sent = { creates: 0, updates: 0 };
	try {
		for (const batch of inBatches(creates, FIELD_VALUES_MAX_BATCH)) {
			brexCalls++;
			await createFieldValues(ctx, client, request.fieldId, batch);
			sent.creates += batch.length;
		}
		for (const batch of inBatches(updates, FIELD_VALUES_MAX_BATCH)) {
			brexCalls++;
			await updateFieldValues(ctx, client, request.fieldId, batch);
			sent.updates += batch.length;
		}
	} catch (error) {
		// Say how far it got: the next run reads Brex anew and plans only what is still missing.
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error);
		const progress =
			`Applied before the failure: ${sent.creates} of ${creates.length} new values, ${sent.updates} of ` +
			`${updates.length} updates. Run the sync again: it reads the field anew and finishes the rest.`;
		failure.description = [failure.description, progress].filter(Boolean).join('\n');
		throw failure;
	}
	return { plan, counts, brexCalls, applied: true };
}
