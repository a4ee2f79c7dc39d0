import { createHmac, randomBytes } from 'node:crypto';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import {
	DELIVERY_MEMORY_LIMIT,
	clearDeliveryMemory,
	rememberDelivery,
	wasDelivered,
} from '../../nodes/BrexTrigger/deliveryMemory';
import { clearWebhookSecretCache } from '../../nodes/BrexTrigger/webhookSecrets';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { EXPENSE_EXPAND } from '../../nodes/brexApi/spendItem';
import {
	TRIGGER_BASE_URL,
	TRIGGER_TOKEN,
	type TriggerHarnessOptions,
	createTriggerHarness,
} from '../support/brexTriggerHarness';

const trigger = new BrexTrigger();
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

const EXPENSE = {
	id: 'expense_42',
	updated_at: '2026-07-02T10:00:00.000Z',
	purchased_at: '2026-07-02T09:00:00.000Z',
	billing_amount: { amount: 4912, currency: 'USD' },
	merchant: { raw_descriptor: 'LE BISTRO', mcc: '5812', country: 'FRA' },
	status: 'APPROVED',
	payment_status: 'PROCESSING',
};

function accountingRecord(id: string, extra: IDataObject = {}): IDataObject {
	return {
		id,
		amount: { amount: 100.5, currency: 'USD' },
		type: 'CARD_EXPENSE_POST',
		review_status: 'READY_FOR_EXPORT',
		source_id: 'expense_1',
		source_type: 'CARD',
		erp_posting_date: '2026-07-02T10:00:00Z',
		posted_at: '2026-07-02T10:00:00Z',
		updated_at: '2026-07-02T11:00:00Z',
		version: 1,
		line_items: [],
		...extra,
	};
}

/**
 * Signs like Brex (Standard Webhooks v1). The verifier itself is checked against the svix library in
 * webhookSignature.test.ts; this file only needs valid and invalid deliveries.
 */
function sign(secret: string, webhookId: string, timestamp: number, body: string): string {
	const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
	return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

interface DeliveryOptions {
	secret?: string;
	webhookId?: string;
	timestamp?: number;
	parameters?: IDataObject;
	harness?: TriggerHarnessOptions;
	contentType?: string;
}

/** A delivery signed like Brex/Svix signs it, handed to webhook() through the fake n8n context. */
function delivery(body: string | IDataObject, options: DeliveryOptions = {}) {
	const raw = typeof body === 'string' ? body : JSON.stringify(body);
	const webhookId = options.webhookId ?? `msg_${randomBytes(6).toString('hex')}`;
	const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
	const signature = sign(options.secret ?? SECRET, webhookId, timestamp, raw);
	return createTriggerHarness({
		mode: 'webhook',
		parameters: options.parameters ?? {
			mode: 'webhook',
			events: [
				'EXPENSE_PAYMENT_UPDATED',
				'ACCOUNTING_RECORD_READY_FOR_EXPORT',
				'TRANSFER_PROCESSED',
			],
		},
		request: {
			headers: {
				'content-type': options.contentType ?? 'application/json',
				'webhook-id': webhookId,
				'webhook-timestamp': String(timestamp),
				'webhook-signature': signature,
			},
			rawBody: Buffer.from(raw, 'utf8'),
		},
		...options.harness,
	});
}

function serveSecrets(secrets: string[] = [SECRET], times = 1) {
	return nock(TRIGGER_BASE_URL, { reqheaders: { authorization: `Bearer ${TRIGGER_TOKEN}` } })
		.get('/v1/webhooks/secrets')
		.times(times)
		.reply(
			200,
			secrets.map((secret, index) => ({
				secret,
				status: index === 0 ? 'ACTIVE' : 'PENDING_REVOKE',
			})),
		);
}

function serveExpense(status = 200, body: IDataObject = EXPENSE) {
	return nock(TRIGGER_BASE_URL)
		.get(`/v1/expenses/${String(EXPENSE.id)}`)
		.query((q) => {
			expect(q['expand[]']).toEqual(EXPENSE_EXPAND);
			return true;
		})
		.reply(status, body);
}

const paymentEvent = {
	event_type: 'EXPENSE_PAYMENT_UPDATED',
	expense_id: 'expense_42',
	payment_status: 'PENDING',
	payment_type: 'PURCHASE',
	company_id: 'cuacc_1',
	version: 2,
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
	clearWebhookSecretCache();
	clearDeliveryMemory();
	setSleepForTests(async () => undefined);
});
afterEach(() => {
	setSleepForTests();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

describe('BrexTrigger.webhook', () => {
	it('verifies, enriches an expense event to a SpendItem and records the webhook id', async () => {
		serveSecrets();
		serveExpense();
		const h = delivery(paymentEvent, { webhookId: 'msg_1' });
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData).toHaveLength(1);
		const [item] = result.workflowData![0];
		expect(item.json).toMatchObject({
			id: 'expense_42',
			recordKind: 'expense',
			amount: '49.12',
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			webhookId: 'msg_1',
			event: paymentEvent,
		});
		expect(h.response.status).toBeNull();
		expect(wasDelivered('wf-1/node-brex-trigger', 'msg_1')).toBe(true);
		expect(h.staticData).toEqual({});
	});

	it('verifies a delivery with cached secrets without loading the credential', async () => {
		serveSecrets();
		const first = delivery({ event_type: 'USER_UPDATED' }, { webhookId: 'msg_c1' });
		await trigger.webhook.call(first.webhook);
		expect(first.credentialLoads.count).toBeGreaterThan(0);
		const second = delivery({ event_type: 'USER_UPDATED' }, { webhookId: 'msg_c2' });
		const result = await trigger.webhook.call(second.webhook);
		expect(result.webhookResponse).toMatchObject({ received: true, ignored: 'USER_UPDATED' });
		expect(second.credentialLoads.count).toBe(0);
	});

	it('answers a redelivery of a handled webhook id with 200 and starts nothing', async () => {
		serveSecrets();
		serveExpense();
		const first = delivery(paymentEvent, { webhookId: 'msg_dup' });
		await trigger.webhook.call(first.webhook);
		const again = delivery(paymentEvent, { webhookId: 'msg_dup' });
		const result = await trigger.webhook.call(again.webhook);
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, duplicate: true });
		expect(again.requests).toHaveLength(0);
		// Another node (or workflow) receiving the same message is not affected.
		serveExpense();
		const otherNode = delivery(paymentEvent, {
			webhookId: 'msg_dup',
			harness: { nodeId: 'node-2' },
		});
		expect((await trigger.webhook.call(otherNode.webhook)).workflowData).toHaveLength(1);
	});

	it('runs a delivery once when its copy arrives while the first is still being enriched', async () => {
		// Both arrive before the secrets are cached, so each fetches them.
		serveSecrets([SECRET], 2);
		nock(TRIGGER_BASE_URL)
			.get('/v1/expenses/expense_42')
			.query(true)
			.delay(100)
			.reply(200, EXPENSE);
		const results = await Promise.all(
			[0, 1].map(
				async () =>
					await trigger.webhook.call(delivery(paymentEvent, { webhookId: 'msg_twin' }).webhook),
			),
		);
		expect(results.filter((result) => result.workflowData)).toHaveLength(1);
		expect(results.filter((result) => result.webhookResponse)).toEqual([
			{ webhookResponse: { received: true, duplicate: true } },
		]);
	});

	it('answers 401 without an execution when the signature does not verify', async () => {
		serveSecrets();
		const h = delivery(paymentEvent, { secret: `whsec_${randomBytes(24).toString('base64')}` });
		const result = await trigger.webhook.call(h.webhook);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(h.response).toEqual({
			status: 401,
			body: { error: 'Signature verification failed' },
			ended: true,
		});
		expect(h.staticData).toEqual({});
		expect(
			h.logs.some((log) => log.level === 'warn' && log.message.includes('no matching signature')),
		).toBe(true);
		expect(JSON.stringify(h.logs)).not.toContain(SECRET.slice(6));
	});

	it('answers 401 to stale, future, replayed-on-another-id and unsigned deliveries', async () => {
		serveSecrets();
		const now = Math.floor(Date.now() / 1000);
		const stale = delivery(paymentEvent, { timestamp: now - 301 });
		const future = delivery(paymentEvent, { timestamp: now + 301 });
		const replayed = delivery(paymentEvent, { webhookId: 'msg_a' });
		const headers = replayed.webhook.getRequestObject().headers as Record<string, string>;
		headers['webhook-id'] = 'msg_b';
		const unsigned = delivery(paymentEvent);
		delete (unsigned.webhook.getRequestObject().headers as Record<string, string>)[
			'webhook-signature'
		];
		// The first delivery fetched the secrets; the others use the cache, and a failed verification with cached
		// secrets refreshes them at most once per 30 s.
		serveSecrets();
		for (const h of [stale, future, replayed, unsigned]) {
			const result = await trigger.webhook.call(h.webhook);
			expect(result).toEqual({ noWebhookResponse: true });
			expect(h.response.status).toBe(401);
		}
	});

	it('answers 503 and starts nothing when Brex fails while the signing secrets are fetched (retry later)', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks/secrets')
			.times(2)
			.reply(500, { type: 'INTERNAL', message: 'down' });
		const h = delivery(paymentEvent);
		const result = await trigger.webhook.call(h.webhook);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(h.response.status).toBe(503);
		expect(
			h.logs.some((log) => log.message.includes('could not fetch the webhook signing secrets')),
		).toBe(true);
		expect(JSON.stringify(h.logs)).not.toContain(TRIGGER_TOKEN);
	});

	it('answers 401 when the signing secrets cannot be fetched with this credential (fail closed)', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks/secrets')
			.reply(401, { type: 'UNAUTHORIZED', message: 'invalid token' });
		const h = delivery(paymentEvent);
		const result = await trigger.webhook.call(h.webhook);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(h.response.status).toBe(401);
		expect(
			h.logs.some((log) => log.message.includes('could not fetch the webhook signing secrets')),
		).toBe(true);
		expect(JSON.stringify(h.logs)).not.toContain(TRIGGER_TOKEN);
	});

	it('answers 401 when Brex lists no secret', async () => {
		nock(TRIGGER_BASE_URL).get('/v1/webhooks/secrets').reply(200, []);
		const h = delivery(paymentEvent);
		expect(await trigger.webhook.call(h.webhook)).toEqual({ noWebhookResponse: true });
		expect(h.response.status).toBe(401);
	});

	it('refetches the secrets once after a rotation and then accepts', async () => {
		const rotated = `whsec_${randomBytes(24).toString('base64')}`;
		serveSecrets([SECRET]);
		serveExpense();
		await trigger.webhook.call(delivery(paymentEvent).webhook);

		serveSecrets([rotated, SECRET]);
		serveExpense();
		const h = delivery(paymentEvent, { secret: rotated });
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData![0]).toHaveLength(1);
	});

	it('does not let forged deliveries force more than one secrets refresh per 30 s', async () => {
		serveSecrets();
		const forged = () =>
			delivery(paymentEvent, { secret: `whsec_${randomBytes(24).toString('base64')}` });
		await trigger.webhook.call(forged().webhook);
		serveSecrets();
		for (let i = 0; i < 5; i++) await trigger.webhook.call(forged().webhook);
	});

	it('reads the raw body itself when n8n has not read it yet', async () => {
		serveSecrets();
		serveExpense();
		const h = delivery(paymentEvent);
		const request = h.webhook.getRequestObject() as unknown as {
			rawBody?: Buffer;
			readRawBody: () => Promise<void>;
		};
		const raw = request.rawBody;
		delete request.rawBody;
		request.readRawBody = async () => {
			request.rawBody = raw;
		};
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData![0]).toHaveLength(1);
	});

	it.each([
		['not JSON', '{"event_type": ', 'The body is not JSON'],
		['a JSON array', '[1,2]', 'The body is not a JSON object'],
		['an object without event_type', '{"expense_id":"x"}', 'The event has no event_type'],
	])(
		'answers 400 without an execution to a signed body that is %s',
		async (_name, body, message) => {
			serveSecrets();
			const h = delivery(body, { contentType: 'text/plain' });
			expect(await trigger.webhook.call(h.webhook)).toEqual({ noWebhookResponse: true });
			expect(h.response).toEqual({ status: 400, body: { error: message }, ended: true });
			expect(h.staticData).toEqual({});
		},
	);

	it('acknowledges an unselected or unknown event type with 200 and starts nothing', async () => {
		serveSecrets();
		for (const eventType of ['USER_UPDATED', 'SOMETHING_NEW']) {
			const h = delivery({ event_type: eventType, user_id: 'cuuser_1' });
			const result = await trigger.webhook.call(h.webhook);
			expect(result).toEqual({ webhookResponse: { received: true, ignored: eventType } });
			expect(h.response.status).toBeNull();
		}
	});

	it('outputs the event as sent when enrichment is off, and for events without records', async () => {
		serveSecrets();
		const off = delivery(paymentEvent, {
			webhookId: 'msg_off',
			parameters: {
				mode: 'webhook',
				events: ['EXPENSE_PAYMENT_UPDATED'],
				options: { enrich: false },
			},
		});
		const plain = await trigger.webhook.call(off.webhook);
		expect(plain.workflowData![0][0].json).toEqual({
			...paymentEvent,
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			webhookId: 'msg_off',
		});

		const transfer = {
			event_type: 'TRANSFER_PROCESSED',
			transfer_id: 'tr_1',
			payment_type: 'ACH',
			company_id: 'c',
		};
		const h = delivery(transfer, { webhookId: 'msg_tr' });
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData![0][0].json).toEqual({
			...transfer,
			eventType: 'TRANSFER_PROCESSED',
			webhookId: 'msg_tr',
		});
	});

	it('answers 503 without recording the id when Brex cannot be reached to enrich, so the retry works', async () => {
		serveSecrets();
		nock(TRIGGER_BASE_URL)
			.get('/v1/expenses/expense_42')
			.query(true)
			.times(2)
			.reply(502, 'bad gateway');
		const first = delivery(paymentEvent, { webhookId: 'msg_retry' });
		expect(await trigger.webhook.call(first.webhook)).toEqual({ noWebhookResponse: true });
		expect(first.response.status).toBe(503);
		expect(wasDelivered('wf-1/node-brex-trigger', 'msg_retry')).toBe(false);

		serveExpense();
		const retry = delivery(paymentEvent, { webhookId: 'msg_retry' });
		const result = await trigger.webhook.call(retry.webhook);
		expect(result.workflowData![0][0].json.id).toBe('expense_42');
	});

	describe('Answer Brex: On Receipt', () => {
		const onReceipt = {
			mode: 'webhook',
			events: ['EXPENSE_PAYMENT_UPDATED', 'ACCOUNTING_RECORD_READY_FOR_EXPORT'],
			options: { answer: 'onReceipt' },
		};

		it('answers 200 before fetching the record, then outputs the spend item', async () => {
			serveSecrets();
			let answeredBeforeFetch: boolean | null = null;
			const h = delivery(paymentEvent, { webhookId: 'msg_fast', parameters: onReceipt });
			nock(TRIGGER_BASE_URL)
				.get('/v1/expenses/expense_42')
				.query(true)
				.reply(() => {
					answeredBeforeFetch = h.response.status === 200 && h.response.ended;
					return [200, EXPENSE];
				});
			const result = await trigger.webhook.call(h.webhook);
			expect(answeredBeforeFetch).toBe(true);
			expect(h.response.body).toEqual({ received: true });
			expect(result.noWebhookResponse).toBe(true);
			expect(result.workflowData![0][0].json).toMatchObject({
				id: 'expense_42',
				recordKind: 'expense',
			});
			expect(wasDelivered('wf-1/node-brex-trigger', 'msg_fast')).toBe(true);
		});

		it('a record Brex cannot return becomes a retryable error item with its kind and id (already answered)', async () => {
			serveSecrets();
			nock(TRIGGER_BASE_URL).get('/v1/expenses/expense_42').query(true).times(2).reply(502);
			nock(TRIGGER_BASE_URL).get('/v3/accounting/records').query(true).times(2).reply(429);
			const expense = delivery(paymentEvent, { webhookId: 'msg_down', parameters: onReceipt });
			const result = await trigger.webhook.call(expense.webhook);
			expect(expense.response.status).toBe(200);
			expect(result.workflowData![0].map((item) => item.json)).toEqual([
				expect.objectContaining({
					recordKind: 'expense',
					recordId: 'expense_42',
					retryable: true,
					webhookId: 'msg_down',
					error: expect.stringMatching(/Brex could not return it .*replay it/),
				}),
			]);
			// Accepted: a redelivery of the same id is not run a second time.
			expect(wasDelivered('wf-1/node-brex-trigger', 'msg_down')).toBe(true);

			const records = delivery(
				{
					event_type: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
					accountingRecordIds: ['accr_1', 'accr_2'],
				},
				{ webhookId: 'msg_down_2', parameters: onReceipt },
			);
			const many = await trigger.webhook.call(records.webhook);
			expect(
				many.workflowData![0].map((item) => [item.json.recordKind, item.json.recordId]),
			).toEqual([
				['accountingRecord', 'accr_1'],
				['accountingRecord', 'accr_2'],
			]);
		});

		it('still refuses a bad signature with 401 and no execution', async () => {
			serveSecrets();
			const h = delivery(paymentEvent, { secret: 'whsec_d3Jvbmc=', parameters: onReceipt });
			const result = await trigger.webhook.call(h.webhook);
			expect(h.response.status).toBe(401);
			expect(result.workflowData).toBeUndefined();
		});
	});

	it('outputs an error item when the enriched expense cannot be normalised', async () => {
		serveSecrets();
		serveExpense(200, { ...EXPENSE, billing_amount: null });
		const h = delivery(paymentEvent, { webhookId: 'msg_bad' });
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData![0][0].json).toMatchObject({
			recordId: 'expense_42',
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			webhookId: 'msg_bad',
			error: expect.stringContaining('billing_amount'),
			reason: expect.stringContaining('billing_amount'),
			// What the template needs to fail (not skip) a malformed record that was ready for the ledger.
			recordKind: 'expense',
			status: 'APPROVED',
			paymentStatus: 'PROCESSING',
		});
	});

	it('fetches the accounting records an event names; missing or malformed ones become error items', async () => {
		serveSecrets();
		nock(TRIGGER_BASE_URL)
			.get('/v3/accounting/records')
			.query((q) => {
				expect(q.ids).toEqual(['accr_1', 'accr_2', 'accr_3']);
				return true;
			})
			.reply(200, {
				items: [accountingRecord('accr_1'), accountingRecord('accr_3', { type: 'CARD_PAYMENT' })],
				next_cursor: null,
				has_next_page: false,
			});
		const event = {
			event_type: 'ACCOUNTING_RECORD_READY_FOR_EXPORT',
			accountingRecordIds: ['accr_1', 'accr_2', 'accr_3', 'accr_1'],
			companyId: 'cuacc_1',
		};
		const h = delivery(event, { webhookId: 'msg_acc' });
		const result = await trigger.webhook.call(h.webhook);
		const items = result.workflowData![0].map((item) => item.json);
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({
			id: 'accr_1',
			recordKind: 'accountingRecord',
			amount: '100.50',
			webhookId: 'msg_acc',
		});
		expect(items[1]).toMatchObject({
			recordId: 'accr_2',
			error: expect.stringContaining('did not return'),
		});
		expect(items[2]).toMatchObject({
			recordId: 'accr_3',
			reason: expect.stringContaining('CARD_PAYMENT'),
			recordKind: 'accountingRecord',
			status: 'READY_FOR_EXPORT',
		});
		expect(items[1]).toMatchObject({ recordKind: 'accountingRecord' });
	});

	it('neither checks nor records webhook ids in a manual (test) run', async () => {
		serveSecrets();
		serveExpense();
		serveExpense();
		rememberDelivery('wf-1/node-brex-trigger', 'msg_seen');
		const h = delivery(paymentEvent, { webhookId: 'msg_seen', harness: { mode: 'manual' } });
		const result = await trigger.webhook.call(h.webhook);
		expect(result.workflowData![0]).toHaveLength(1);
		const fresh = delivery(paymentEvent, { webhookId: 'msg_test', harness: { mode: 'manual' } });
		await trigger.webhook.call(fresh.webhook);
		expect(wasDelivered('wf-1/node-brex-trigger', 'msg_test')).toBe(false);
	});

	it('answers 404 in polling mode', async () => {
		const h = delivery(paymentEvent, { parameters: { mode: 'polling', resource: 'expense' } });
		expect(await trigger.webhook.call(h.webhook)).toEqual({ noWebhookResponse: true });
		expect(h.response.status).toBe(404);
	});

	it('never writes the workflow static data', async () => {
		serveSecrets();
		serveExpense();
		const staticData: IDataObject = {
			webhookId: 'whsub_1',
			webhookEvents: ['EXPENSE_PAYMENT_UPDATED'],
		};
		const before = JSON.stringify(staticData);
		await trigger.webhook.call(delivery(paymentEvent, { harness: { staticData } }).webhook);
		expect(JSON.stringify(staticData)).toBe(before);
	});
});

describe('deliveryMemory', () => {
	beforeEach(() => clearDeliveryMemory());

	it('forgets ids after a day and keeps at most DELIVERY_MEMORY_LIMIT, dropping the oldest', () => {
		const t0 = 1_000_000;
		rememberDelivery('s', 'old', t0);
		expect(wasDelivered('s', 'old', t0 + 3600_000)).toBe(true);
		expect(wasDelivered('s', 'old', t0 + 24 * 3600_000)).toBe(false);

		for (let i = 0; i <= DELIVERY_MEMORY_LIMIT; i++) rememberDelivery('s', `msg_${i}`, t0);
		expect(wasDelivered('s', 'msg_0', t0)).toBe(false);
		expect(wasDelivered('s', 'msg_1', t0)).toBe(true);
		expect(wasDelivered('s', `msg_${DELIVERY_MEMORY_LIMIT}`, t0)).toBe(true);
		expect(wasDelivered('other', 'msg_1', t0)).toBe(false);
	});
});
