/**
 * Webhook event bodies built from stored records. Brex event bodies are flat objects keyed by `event_type`
 * (no envelope). Field names follow the webhooks spec, extended with the fields Brex's current docs add
 * (EXPENSE_PAYMENT_UPDATED) and the camelCase keys of ACCOUNTING_RECORD_READY_FOR_EXPORT.
 */
import type { BrexEmulatorState, EmulatedExpense } from './types';
import type { WebhookEvent } from './webhooks';

export function expensePaymentUpdatedEvent(
	state: BrexEmulatorState,
	expense: EmulatedExpense,
): WebhookEvent {
	const declined = expense.payment_status === 'DECLINED';
	const refund = (expense.billing_amount?.amount ?? 0) < 0;
	return {
		eventType: 'EXPENSE_PAYMENT_UPDATED',
		body: {
			event_type: 'EXPENSE_PAYMENT_UPDATED',
			expense_id: expense.id,
			// The event reports card authorisation activity: PENDING or DECLINED only.
			payment_status: declined ? 'DECLINED' : 'PENDING',
			payment_status_reason: declined ? 'EXCEEDED_CARD_LIMIT' : 'APPROVED',
			payment_type: declined ? 'DECLINED' : refund ? 'REFUND' : 'PURCHASE',
			company_id: state.company.id,
			purchased_at: expense.purchased_at,
			original_amount: expense.original_amount,
			billing_amount: expense.billing_amount,
			// Deprecated in favour of billing_amount, still sent.
			amount: expense.billing_amount,
			card_id: expense.card_id,
			merchant: expense.merchant,
			payment_authorization_code: expense.authorization_code,
			payment_description: expense.merchant?.raw_descriptor ?? '',
			version: expense.version,
		},
	};
}

/** camelCase keys, unlike every other Brex event (docs + AsyncAPI agree). */
export function accountingRecordReadyEvent(
	state: BrexEmulatorState,
	recordIds: string[],
): WebhookEvent {
	return {
		eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
		body: {
			event_type: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
			accountingRecordIds: recordIds,
			companyId: state.company.id,
		},
	};
}

export function transferEvent(
	state: BrexEmulatorState,
	eventType: 'TRANSFER_PROCESSED' | 'TRANSFER_FAILED',
	transferId: string,
	paymentType = 'ACH',
	returnForId: string | null = null,
): WebhookEvent {
	return {
		eventType,
		body: {
			event_type: eventType,
			transfer_id: transferId,
			payment_type: paymentType,
			return_for_id: returnForId,
			company_id: state.company.id,
		},
	};
}

export function userUpdatedEvent(
	state: BrexEmulatorState,
	userId: string,
	updatedAttributes: string[] = ['DEPARTMENT_ID'],
): WebhookEvent {
	return {
		eventType: 'USER_UPDATED',
		body: {
			event_type: 'USER_UPDATED',
			user_id: userId,
			company_id: state.company.id,
			updated_attributes: updatedAttributes,
		},
	};
}

/** What POST /__emulator/deliver (and emulator.buildEvents) accepts. */
export interface ControlDeliverRequest {
	eventType: string;
	/** Existing record ids (expenses, accounting records, users) or transfer ids. */
	ids?: string[];
	/** Otherwise the first N matching records (default 1). */
	count?: number;
	/** For event types without a record builder: the body besides event_type. */
	payload?: Record<string, unknown>;
	/** USER_UPDATED only. */
	updatedAttributes?: string[];
	/** Control route only: false answers 202 at once and lets deliveries (and retries) run on. */
	wait?: boolean;
}

function firstN<T>(values: Iterable<T>, keep: (v: T) => boolean, count: number): T[] {
	const out: T[] = [];
	if (count <= 0) return out;
	for (const v of values) {
		if (!keep(v)) continue;
		out.push(v);
		if (out.length >= count) break;
	}
	return out;
}

export function accountingReadyEventFor(state: BrexEmulatorState, ids: string[]): WebhookEvent {
	return accountingRecordReadyEvent(state, ids);
}

/** Builds events for existing records: EXPENSE_PAYMENT_UPDATED for the first N card expenses, etc. */
export function eventsFor(
	state: BrexEmulatorState,
	request: ControlDeliverRequest,
	accountingBatchSize: number,
): WebhookEvent[] {
	const count = request.count ?? 1;
	const ids = request.ids;
	switch (request.eventType) {
		case 'EXPENSE_PAYMENT_UPDATED': {
			const expenses = ids
				? ids.map((id) => {
						const e = state.expenses.get(id);
						if (!e) throw new Error(`No expense ${id}`);
						return e;
					})
				: firstN(state.expenses.values(), (e) => e.expense_type === 'CARD', count);
			return expenses.map((e) => expensePaymentUpdatedEvent(state, e));
		}
		case 'ACCOUNTING_RECORD_READY_FOR_EXPORT': {
			const recordIds = ids
				? ids.map((id) => {
						if (!state.accountingRecords.has(id)) throw new Error(`No accounting record ${id}`);
						return id;
					})
				: firstN(
						state.accountingRecords.values(),
						(r) => r.review_status === 'READY_FOR_EXPORT',
						count,
					).map((r) => r.id);
			const events: WebhookEvent[] = [];
			for (let i = 0; i < recordIds.length; i += accountingBatchSize) {
				events.push(accountingRecordReadyEvent(state, recordIds.slice(i, i + accountingBatchSize)));
			}
			return events;
		}
		case 'USER_UPDATED': {
			const users = ids
				? ids.map((id) => {
						const u = state.users.get(id);
						if (!u) throw new Error(`No user ${id}`);
						return u;
					})
				: firstN(state.users.values(), () => true, count);
			return users.map((u) => userUpdatedEvent(state, u.id, request.updatedAttributes));
		}
		case 'TRANSFER_PROCESSED':
		case 'TRANSFER_FAILED': {
			const transferIds =
				ids ??
				Array.from({ length: count }, (_, i) => `transfer_emu${String(i + 1).padStart(6, '0')}`);
			return transferIds.map((id) =>
				transferEvent(state, request.eventType as 'TRANSFER_PROCESSED', id),
			);
		}
		default:
			if (!request.payload) throw new Error(`No builder for ${request.eventType}; pass a payload`);
			return [
				{
					eventType: request.eventType,
					body: { event_type: request.eventType, ...request.payload },
				},
			];
	}
}
