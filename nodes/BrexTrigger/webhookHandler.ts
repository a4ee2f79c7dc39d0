import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { BrexApiError, type BrexClientOptions, brexRequest } from '../brexApi/client';
import { verifyBrexWebhook } from '../brexApi/webhookSignature';
import {
	EXPENSE_EXPAND,
	SpendItemError,
	normaliseAccountingRecord,
	normaliseExpense,
	unusableRecordFields,
} from '../brexApi/spendItem';
import { credentialTypeOf } from './constants';
import { forgetDelivery, rememberDelivery, wasDelivered } from './deliveryMemory';
import { type SecretsResult, getWebhookSecrets, refreshWebhookSecrets } from './webhookSecrets';

/**
 * Handling of one Brex delivery. Answers, and whether a workflow execution starts:
 * - 401, no execution: signature, timestamp or headers do not verify, or no secret can be fetched (fail closed);
 *   503 instead when the secrets could not be fetched because Brex was rate-limiting, failing or unreachable.
 * - 400, no execution: the verified body is not a JSON object with an event_type. (A body n8n itself cannot
 *   parse as JSON is answered 422 by n8n before the node runs.)
 * - 200, no execution: an event type that is not selected (or unknown), or a webhook id this process
 *   accepted before (deliveryMemory.ts; across processes execute() drops it from n8n's processed-data table).
 * - 503, no execution: enrichment failed on the Brex side (API down, record not visible yet). Svix-style
 *   senders retry non-2xx answers later, so nothing is lost; the webhook id is not recorded until a delivery
 *   is accepted. With the option Answer Brex "On Receipt" the 200 goes out right after verification instead
 *   (no Brex call in the answer's path); a record that cannot be fetched then becomes an item with `error`,
 *   `retryable: true`, its recordKind and recordId, which the template sends to its replay queue.
 * - 200 and an execution: everything else; a record that cannot be normalised becomes an item with `error`
 *   and `reason` (retrying would not fix it), plus its recordKind and statuses, so the workflow can fail a
 *   malformed record that was ready for the ledger (and replay it once fixed) and skip one that was not.
 */

/** The Accounting API takes at most this many ids per query page. */
const ACCOUNTING_IDS_PER_CALL = 100;
/** Few, short retries: the sender waits about 15 s for the answer and retries on its own. */
export const WEBHOOK_CALL_RETRY = { maxAttempts: 2, initialDelayMs: 250, maxDelayMs: 1000 };

/** Enrichment outcome: the items, or why Brex could not be asked (the delivery is then answered 503). */
type Enriched = { items: INodeExecutionData[] } | { retry: string };

function respond(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

async function readRawBody(ctx: IWebhookFunctions): Promise<Buffer | string | null> {
	// n8n's rawBodyReader middleware gives every request readRawBody(), and n8n reads the body before a
	// version-1 node's webhook() runs, so rawBody is normally set already (n8n 2.41).
	const request = ctx.getRequestObject() as unknown as {
		rawBody?: unknown;
		readRawBody?: () => Promise<void>;
	};
	if (request.rawBody === undefined && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	const raw = request.rawBody;
	if (Buffer.isBuffer(raw) || typeof raw === 'string') return raw;
	return null;
}

function failedRecord(
	base: IDataObject,
	recordId: string | null,
	reason: string,
): INodeExecutionData {
	return { json: { ...base, recordId, error: reason, reason } };
}

/** Brex rate-limited or failed on its side, or could not be reached: worth retrying later. */
function brexUnavailable(error: unknown): boolean {
	if (!(error instanceof BrexApiError)) return false;
	const status = error.brex.status;
	return status === null || status === 429 || status >= 500;
}

function describeError(error: unknown): string {
	if (error instanceof SpendItemError) return error.reason;
	return error instanceof Error ? error.message : String(error);
}

async function enrichExpense(
	ctx: IWebhookFunctions,
	client: BrexClientOptions,
	event: IDataObject,
	base: IDataObject,
): Promise<Enriched> {
	const expenseId = event.expense_id;
	if (typeof expenseId !== 'string' || expenseId === '') {
		return {
			items: [
				failedRecord(
					{ ...base, recordKind: 'expense' },
					null,
					'The EXPENSE_PAYMENT_UPDATED event has no expense_id',
				),
			],
		};
	}
	let expense: IDataObject;
	try {
		expense = await brexRequest<IDataObject>(ctx, client, {
			method: 'GET',
			path: `/v1/expenses/${encodeURIComponent(expenseId)}`,
			qs: { 'expand[]': EXPENSE_EXPAND, load_custom_fields: true },
		});
	} catch (error) {
		return { retry: `expense ${expenseId}: ${describeError(error)}` };
	}
	try {
		return { items: [{ json: { ...normaliseExpense(expense), ...base } }] };
	} catch (error) {
		return {
			items: [
				failedRecord(
					{ ...base, ...unusableRecordFields('expense', expense), raw: expense },
					expenseId,
					describeError(error),
				),
			],
		};
	}
}

function accountingRecordIds(event: IDataObject): string[] | null {
	const ids = event.accountingRecordIds ?? event.accounting_record_ids;
	if (!Array.isArray(ids) || ids.length === 0) return null;
	if (!ids.every((id) => typeof id === 'string' && id !== '')) return null;
	return [...new Set(ids as string[])];
}

async function enrichAccountingRecords(
	ctx: IWebhookFunctions,
	client: BrexClientOptions,
	event: IDataObject,
	base: IDataObject,
): Promise<Enriched> {
	const ids = accountingRecordIds(event);
	if (ids === null) {
		return {
			items: [
				failedRecord(
					{ ...base, recordKind: 'accountingRecord' },
					null,
					'The ACCOUNTING_RECORD_READY_FOR_EXPORT event has no accountingRecordIds',
				),
			],
		};
	}
	const found = new Map<string, IDataObject>();
	try {
		for (let start = 0; start < ids.length; start += ACCOUNTING_IDS_PER_CALL) {
			const chunk = ids.slice(start, start + ACCOUNTING_IDS_PER_CALL);
			let cursor: string | null = null;
			const seenCursors = new Set<string>();
			do {
				const qs: IDataObject = { ids: chunk, limit: ACCOUNTING_IDS_PER_CALL };
				if (cursor !== null) qs.cursor = cursor;
				const page = await brexRequest<IDataObject>(ctx, client, {
					method: 'GET',
					path: '/v3/accounting/records',
					qs,
				});
				const items = Array.isArray(page.items) ? (page.items as IDataObject[]) : [];
				for (const record of items) {
					if (typeof record?.id === 'string') found.set(record.id, record);
				}
				const next = page.next_cursor;
				cursor =
					page.has_next_page !== false &&
					typeof next === 'string' &&
					next !== '' &&
					!seenCursors.has(next)
						? next
						: null;
				if (cursor !== null) seenCursors.add(cursor);
			} while (cursor !== null);
		}
	} catch (error) {
		return { retry: `accounting records: ${describeError(error)}` };
	}
	const items = ids.map((id): INodeExecutionData => {
		const record = found.get(id);
		if (!record) {
			return failedRecord(
				{ ...base, recordKind: 'accountingRecord' },
				id,
				`Brex did not return accounting record ${id} named by the event`,
			);
		}
		try {
			return { json: { ...normaliseAccountingRecord(record), ...base } };
		} catch (error) {
			return failedRecord(
				{ ...base, ...unusableRecordFields('accountingRecord', record), raw: record },
				id,
				describeError(error),
			);
		}
	});
	return { items };
}

/**
 * Items for the records of an event answered on receipt whose records Brex could not return: one per named
 * record, with its kind and id, so a replay can fetch it again.
 */
function unfetchedRecords(
	event: IDataObject,
	base: IDataObject,
	reason: string,
): INodeExecutionData[] {
	const kind =
		base.eventType === 'ACCOUNTING_RECORD_READY_FOR_EXPORT' ? 'accountingRecord' : 'expense';
	const ids =
		kind === 'accountingRecord'
			? (accountingRecordIds(event) ?? [])
			: typeof event.expense_id === 'string' && event.expense_id !== ''
				? [event.expense_id]
				: [];
	const message = `Brex could not return it when the event arrived (${reason}); replay it to fetch it again`;
	return ids.map((id) => ({
		json: {
			...base,
			event,
			recordKind: kind,
			recordId: id,
			retryable: true,
			error: message,
			reason: message,
		},
	}));
}

export async function handleBrexWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getNodeParameter('mode', 'webhook') !== 'webhook') {
		// Not reachable through n8n (no webhook is registered in polling mode); refuse anyway.
		return respond(this, 404, { error: 'This Brex Trigger is in polling mode' });
	}
	const client: BrexClientOptions = {
		credentialType: credentialTypeOf(this.getNodeParameter('authentication', 'accessToken')),
		retry: WEBHOOK_CALL_RETRY,
	};
	const rawBody = await readRawBody(this);
	if (rawBody === null) {
		this.logger.error(
			'Brex Trigger: n8n did not provide the raw request body; the signature cannot be checked',
		);
		return respond(this, 401, { error: 'Signature verification failed' });
	}
	const headers = this.getHeaderData() as Record<string, string | string[] | undefined>;

	let secrets: SecretsResult;
	try {
		secrets = await getWebhookSecrets(this, client);
	} catch (error) {
		this.logger.warn(
			`Brex Trigger: could not fetch the webhook signing secrets: ${describeError(error)}`,
		);
		// Fail closed either way (no execution); when Brex was only busy or down, 503 makes the sender retry a
		// delivery that may well be genuine, instead of a 401 that reads as a forgery.
		if (brexUnavailable(error)) {
			return respond(this, 503, { error: 'Brex is unavailable; retry later' });
		}
		return respond(this, 401, { error: 'Signature verification failed' });
	}
	let verification = verifyBrexWebhook(rawBody, headers, secrets.secrets);
	if (!verification.ok && secrets.cached) {
		// The secret may have been rotated since it was cached.
		try {
			const fresh = await refreshWebhookSecrets(this, client);
			if (fresh) verification = verifyBrexWebhook(rawBody, headers, fresh);
		} catch (error) {
			this.logger.warn(
				`Brex Trigger: could not refresh the webhook signing secrets: ${describeError(error)}`,
			);
		}
	}
	if (!verification.ok) {
		this.logger.warn(`Brex Trigger: rejected a delivery (${verification.reason})`);
		return respond(this, 401, { error: 'Signature verification failed' });
	}
	const { webhookId } = verification;

	let event: unknown;
	try {
		event = JSON.parse(Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody);
	} catch {
		return respond(this, 400, { error: 'The body is not JSON' });
	}
	if (event === null || typeof event !== 'object' || Array.isArray(event)) {
		return respond(this, 400, { error: 'The body is not a JSON object' });
	}
	const payload = event as IDataObject;
	const eventType = payload.event_type;
	if (typeof eventType !== 'string' || eventType === '') {
		return respond(this, 400, { error: 'The event has no event_type' });
	}

	const selected = this.getNodeParameter('events', []) as string[];
	if (!selected.includes(eventType)) {
		this.logger.debug(
			`Brex Trigger: acknowledged event ${eventType} (${webhookId}), which is not selected`,
		);
		return { webhookResponse: { received: true, ignored: eventType } };
	}

	// A test delivery (manual mode) is always shown and never recorded, so it cannot hide a production one.
	const manual = this.getMode() === 'manual';
	const scope = `${this.getWorkflow().id ?? ''}/${this.getNode().id}`;
	if (!manual && wasDelivered(scope, webhookId)) {
		this.logger.info(`Brex Trigger: ignored a redelivery of webhook ${webhookId}`);
		return { webhookResponse: { received: true, duplicate: true } };
	}
	// Claimed before enrichment, so a copy arriving while this one is being enriched is not run twice.
	if (!manual) rememberDelivery(scope, webhookId);

	const base: IDataObject = { eventType, webhookId };
	const enrich = this.getNodeParameter('options.enrich', true) !== false;
	const answerOnReceipt = this.getNodeParameter('options.answer', 'afterFetch') === 'onReceipt';
	if (answerOnReceipt) {
		// Answered before any Brex call: from here on the delivery is accepted whatever enrichment brings.
		this.getResponseObject().status(200).json({ received: true });
	}
	const fetchRecords = async (): Promise<Enriched> => {
		if (enrich && eventType === 'EXPENSE_PAYMENT_UPDATED') {
			return await enrichExpense(this, client, payload, { ...base, event: payload });
		}
		if (enrich && eventType === 'ACCOUNTING_RECORD_READY_FOR_EXPORT') {
			return await enrichAccountingRecords(this, client, payload, { ...base, event: payload });
		}
		return { items: [{ json: { ...payload, ...base } }] };
	};
	let enriched: Enriched | undefined;
	try {
		enriched = answerOnReceipt
			? // Already answered: the records must reach the workflow (as retryable errors) rather than vanish.
				await fetchRecords().catch((error: unknown): Enriched => ({ retry: describeError(error) }))
			: await fetchRecords();
	} finally {
		// Not accepted (retry answer or an unexpected error): the sender's next attempt must go through.
		if (!manual && !answerOnReceipt && (enriched === undefined || 'retry' in enriched))
			forgetDelivery(scope, webhookId);
	}
	if (answerOnReceipt) {
		const items =
			'retry' in enriched ? unfetchedRecords(payload, base, enriched.retry) : enriched.items;
		if ('retry' in enriched) {
			this.logger.warn(
				`Brex Trigger: webhook ${webhookId} (${eventType}) was answered on receipt; its records go to the workflow as retryable errors: ${enriched.retry}`,
			);
		}
		return { noWebhookResponse: true, workflowData: [items] };
	}
	if ('retry' in enriched) {
		this.logger.warn(
			`Brex Trigger: answering 503 to webhook ${webhookId} (${eventType}) so Brex retries: ${enriched.retry}`,
		);
		return respond(this, 503, {
			error: 'Brex could not be reached to enrich the event; retry later',
		});
	}

	return { workflowData: [enriched.items] };
}
