/**
 * Behaviour of the Brex emulator that clients depend on: cursor paging, filters and expand, auth errors,
 * idempotency keys, faults, Svix-signed webhook deliveries (verified with svix on a local receiver),
 * secret rotation, OAuth, accounting export results, mutations and determinism.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { Webhook } from 'svix';
import { fastPrng } from '../emulators/brex/data';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { prng } from '../emulators/seed';

const TOKEN = 'bxt_emulator_token';

interface Received {
	headers: Record<string, string>;
	body: string;
	status: number;
}

interface Receiver {
	url: string;
	received: Received[];
	/** Answer for the next requests (default 200). */
	respond: (headers: Record<string, string>, body: string) => number;
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const receiver: Receiver = {
		url: '',
		received: [],
		respond: () => 200,
		close: async () => undefined,
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([k, v]) => [
					k,
					Array.isArray(v) ? v.join(',') : (v ?? ''),
				]),
			);
			const body = Buffer.concat(chunks).toString('utf8');
			const status = receiver.respond(headers, body);
			receiver.received.push({ headers, body, status });
			res.statusCode = status;
			res.end(status < 300 ? 'ok' : 'nope');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/brex`;
	receiver.close = () =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	return receiver;
}

let emulator: BrexEmulator;
let receiver: Receiver;

async function api(
	method: string,
	path: string,
	options: {
		body?: unknown;
		token?: string | null;
		headers?: Record<string, string>;
		base?: BrexEmulator;
	} = {},
) {
	const target = options.base ?? emulator;
	const headers: Record<string, string> = { ...options.headers };
	const token = options.token === undefined ? TOKEN : options.token;
	if (token) headers.authorization = `Bearer ${token}`;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${target.url}${path}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	const json =
		(response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : null;
	return { status: response.status, json, text, headers: response.headers };
}

async function walkIds(
	path: string,
): Promise<{ ids: string[]; pages: number; lastCursor: unknown }> {
	const ids: string[] = [];
	let cursor: string | null = null;
	let pages = 0;
	do {
		const sep = path.includes('?') ? '&' : '?';
		const page = await api(
			'GET',
			cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path,
		);
		expect(page.status).toBe(200);
		ids.push(...page.json.items.map((i: { id: string }) => i.id));
		cursor = page.json.next_cursor;
		pages++;
		if (pages > 1000) throw new Error('paging does not end');
	} while (cursor !== null);
	return { ids, pages, lastCursor: cursor };
}

async function subscribe(eventTypes: string[], url = receiver.url): Promise<string> {
	const created = await api('POST', '/v1/webhooks', {
		body: { url, event_types: eventTypes },
		headers: { 'Idempotency-Key': randomBytes(8).toString('hex') },
	});
	expect(created.status).toBe(200);
	return created.json.id;
}

async function secrets(): Promise<string[]> {
	const list = await api('GET', '/v1/webhooks/secrets');
	return list.json.map((s: { secret: string }) => s.secret);
}

function verifies(secret: string, received: Received): boolean {
	try {
		new Webhook(secret).verify(received.body, received.headers);
		return true;
	} catch {
		return false;
	}
}

beforeAll(async () => {
	emulator = await startBrexEmulator({ seed: 11, expenseCount: 500 });
	receiver = await startReceiver();
});

afterAll(async () => {
	await emulator?.close();
	await receiver?.close();
});

beforeEach(() => {
	emulator.resetFaults();
	emulator.state.webhooks.clear();
	emulator.state.expiredTokens.clear();
	receiver.received.length = 0;
	receiver.respond = () => 200;
	emulator.stats.reset();
});

describe('cursor paging', () => {
	it('walks every expense exactly once with limit 100 and stops at next_cursor null', async () => {
		const { ids, pages } = await walkIds('/v1/expenses?limit=100');
		expect(ids).toHaveLength(500);
		expect(new Set(ids).size).toBe(500);
		expect(new Set(ids)).toEqual(new Set(emulator.state.expenses.keys()));
		expect(pages).toBe(5);
		expect(emulator.stats.byRoute['GET /v1/expenses']).toBe(5);
	});

	it('defaults to 100 per page and caps list-expenses at 100', async () => {
		const first = await api('GET', '/v1/expenses');
		expect(first.json.items).toHaveLength(100);
		expect(typeof first.json.next_cursor).toBe('string');
		const over = await api('GET', '/v1/expenses?limit=101');
		expect(over.status).toBe(400);
		expect(over.json).toEqual({ type: 'BAD_REQUEST', message: "limit can't be greater than 100" });
		expect((await api('GET', '/v1/expenses?limit=0')).status).toBe(400);
		expect((await api('GET', '/v1/expenses?limit=ten')).status).toBe(400);
		expect((await api('GET', '/v1/expenses?cursor=not-a-cursor')).status).toBe(400);
		// Other lists keep Brex's general maximum of 1000.
		expect((await api('GET', '/v2/transactions/card/primary?limit=1000')).status).toBe(200);
		expect((await api('GET', '/v2/transactions/card/primary?limit=1001')).status).toBe(400);
	});

	it('pages card transactions and accounting records the same way (with has_next_page/total_count)', async () => {
		const txns = await walkIds('/v2/transactions/card/primary?limit=100');
		expect(new Set(txns.ids)).toEqual(new Set(emulator.state.cardTransactions.keys()));
		const records = await walkIds('/v3/accounting/records?limit=100');
		expect(new Set(records.ids)).toEqual(new Set(emulator.state.accountingRecords.keys()));
		const first = await api('GET', '/v3/accounting/records?limit=10');
		expect(first.json.has_next_page).toBe(true);
		expect(first.json.total_count).toBe(emulator.state.accountingRecords.size);
		const last = await api('GET', `/v3/accounting/records?limit=1000`);
		expect(last.json.has_next_page).toBe(false);
		expect(last.json.next_cursor).toBeNull();
	});
});

describe('filters and expand', () => {
	it('updated_at_start / updated_at_end are inclusive bounds on updated_at', async () => {
		const stamps = [...emulator.state.expenses.values()].map((e) => e.updated_at).sort();
		const start = stamps[200];
		const end = stamps[400];
		const { ids } = await walkIds(
			`/v1/expenses?updated_at_start=${encodeURIComponent(start)}&updated_at_end=${encodeURIComponent(end)}`,
		);
		const expected = [...emulator.state.expenses.values()]
			.filter((e) => e.updated_at >= start && e.updated_at <= end)
			.map((e) => e.id);
		expect(ids.length).toBeGreaterThanOrEqual(201);
		expect(new Set(ids)).toEqual(new Set(expected));
		// Brex's docs show zone-less examples; they read as UTC.
		const zoneless = await api(
			'GET',
			`/v1/expenses?updated_at_start=${start.slice(0, 23)}&limit=100`,
		);
		expect(zoneless.status).toBe(200);
		expect((await api('GET', '/v1/expenses?updated_at_start=yesterday')).status).toBe(400);
	});

	it('status[] and payment_status[] take repeated values; unknown values are rejected', async () => {
		const { ids } = await walkIds('/v1/expenses?status[]=DRAFT&status[]=SUBMITTED');
		const expected = [...emulator.state.expenses.values()].filter((e) =>
			['DRAFT', 'SUBMITTED'].includes(e.status),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(new Set(ids)).toEqual(new Set(expected.map((e) => e.id)));
		const cleared = await walkIds(
			'/v1/expenses?payment_status[]=CLEARED&expense_type[]=REIMBURSEMENT',
		);
		expect(cleared.ids.length).toBe(
			[...emulator.state.expenses.values()].filter(
				(e) => e.payment_status === 'CLEARED' && e.expense_type === 'REIMBURSEMENT',
			).length,
		);
		expect((await api('GET', '/v1/expenses?status[]=PAID')).status).toBe(400);
	});

	it('expand[] populates merchant, receipts download URIs, user; load_custom_fields gates custom_fields', async () => {
		const withReceipt = [...emulator.state.expenses.values()].find(
			(e) => e.receipt_ids.length > 0 && e.custom_fields.length > 0,
		)!;
		const plain = await api('GET', `/v1/expenses/${withReceipt.id}`);
		expect(plain.json.merchant).toBeNull();
		expect(plain.json.user).toBeNull();
		expect(plain.json.custom_fields).toBeNull();
		expect(plain.json.receipts[0].download_uris).toBeNull();
		const full = await api(
			'GET',
			`/v1/expenses/${withReceipt.id}?expand[]=merchant&expand[]=user&expand[]=receipts.download_uris&load_custom_fields=true`,
		);
		expect(full.json.merchant).toEqual(withReceipt.merchant);
		expect(full.json.user.id).toBe(withReceipt.user_id);
		expect(full.json.custom_fields).toEqual(withReceipt.custom_fields);
		const receiptUrl = full.json.receipts[0].download_uris[0];
		const pdf = await fetch(receiptUrl);
		expect(pdf.status).toBe(200);
		expect((await pdf.text()).startsWith('%PDF')).toBe(true);
	});

	it('refunds are negative and point at the original; FX expenses carry an original amount', async () => {
		const refund = [...emulator.state.expenses.values()].find((e) => e.refund_of !== null)!;
		const original = emulator.state.expenses.get(refund.refund_of!)!;
		expect(refund.billing_amount!.amount).toBeLessThan(0);
		expect(Math.abs(refund.billing_amount!.amount)).toBeLessThanOrEqual(
			original.billing_amount!.amount,
		);
		const rendered = await api('GET', `/v1/expenses/${refund.id}`);
		expect(rendered.json.memo).toContain(original.id);
		const txn = [...emulator.state.cardTransactions.values()].find(
			(t) => t.expense_id === refund.id,
		)!;
		expect(txn.type).toBe('REFUND');
		expect(txn.amount.amount).toBe(refund.billing_amount!.amount);
		const fx = [...emulator.state.expenses.values()].find(
			(e) => e.original_amount!.currency !== e.billing_amount!.currency,
		)!;
		expect(['USD', 'EUR']).toContain(fx.original_amount!.currency);
	});
});

describe('authentication', () => {
	it('401 for unknown or missing tokens, 403 "Expired token" for expired ones', async () => {
		const unknown = await api('GET', '/v1/expenses', { token: 'bxt_nope' });
		expect(unknown.status).toBe(401);
		expect(unknown.json).toEqual({
			type: 'UNAUTHORIZED',
			message: 'PERMISSION_DENIED: Invalid or Revoked Token',
		});
		expect((await api('GET', '/v1/expenses', { token: null })).status).toBe(401);
		emulator.expireTokens([TOKEN]);
		const expired = await api('GET', '/v2/users/me');
		expect(expired.status).toBe(403);
		expect(expired.json.message).toBe('Expired token');
		// Accounting API errors keep their own shape.
		const accounting = await api('GET', '/v3/accounting/records');
		expect(accounting.json).toEqual({
			error_code: 'FORBIDDEN',
			message: 'Expired token',
			details: null,
		});
	});

	it('every response carries its own X-Brex-Trace-Id; unknown paths 404, wrong methods 405', async () => {
		const a = await api('GET', '/v2/users/me');
		const b = await api('GET', '/v2/users/me');
		expect(a.headers.get('x-brex-trace-id')).not.toBe(b.headers.get('x-brex-trace-id'));
		const missing = await api('GET', '/v9/nothing');
		expect(missing.status).toBe(404);
		expect(missing.headers.get('x-brex-trace-id')).toBeTruthy();
		expect((await api('DELETE', '/v1/expenses')).status).toBe(405);
	});
});

describe('idempotency keys', () => {
	it('replays a webhook registration sent again with the same key, without a second subscription', async () => {
		const body = { url: receiver.url, event_types: ['EXPENSE_PAYMENT_UPDATED'] };
		const first = await api('POST', '/v1/webhooks', {
			body,
			headers: { 'Idempotency-Key': 'k-1' },
		});
		const second = await api('POST', '/v1/webhooks', {
			body,
			headers: { 'Idempotency-Key': 'k-1' },
		});
		expect(second.status).toBe(200);
		expect(second.json).toEqual(first.json);
		expect(emulator.state.webhooks.size).toBe(1);
		expect(emulator.stats.idempotencyKeys.map((k) => [k.key, k.replayed])).toEqual([
			['k-1', false],
			['k-1', true],
		]);
		const reused = await api('POST', '/v1/webhooks', {
			body: { ...body, event_types: ['USER_UPDATED'] },
			headers: { 'Idempotency-Key': 'k-1' },
		});
		expect(reused.status).toBe(400);
		const missing = await api('POST', '/v1/webhooks', { body });
		expect(missing.status).toBe(400);
		expect(missing.json.message).toMatch(/Idempotency-Key/);
		expect(emulator.state.webhooks.size).toBe(1);
	});

	it('a retry after an injected 429 runs the request (faults are not stored), later retries replay it', async () => {
		const vendorsBefore = emulator.state.vendors.size;
		emulator.setFaults({ rateLimitBurst: 1 });
		const body = { company_name: `Retry Vendor ${randomBytes(3).toString('hex')}` };
		const headers = { 'Idempotency-Key': 'vendor-key' };
		expect((await api('POST', '/v1/vendors', { body, headers })).status).toBe(429);
		const created = await api('POST', '/v1/vendors', { body, headers });
		const replayed = await api('POST', '/v1/vendors', { body, headers });
		expect(created.status).toBe(200);
		expect(replayed.json.id).toBe(created.json.id);
		expect(emulator.state.vendors.size).toBe(vendorsBefore + 1);
		expect(emulator.stats.idempotencyKeys.filter((k) => k.key === 'vendor-key')).toHaveLength(2);
		expect(emulator.stats.requests.filter((r) => r.idempotencyKey === 'vendor-key')).toHaveLength(
			3,
		);
	});
});

describe('faults', () => {
	it('rateLimitBurst answers 429 (with Retry-After when set) for K requests, then succeeds', async () => {
		emulator.setFaults({ rateLimitBurst: 2, retryAfterSeconds: 3 });
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		for (let i = 0; i < 3; i++) {
			const r = await api('GET', '/v2/users/me');
			statuses.push(r.status);
			if (r.status === 429) retryAfter = r.headers.get('retry-after');
		}
		expect(statuses).toEqual([429, 429, 200]);
		expect(retryAfter).toBe('3');
		expect(emulator.stats.rateLimited).toBe(2);
	});

	it('status5xx cycles through 500/502/503 with realistic bodies', async () => {
		emulator.setFaults({ status5xx: 3 });
		const a = await api('GET', '/v1/expenses');
		const b = await api('GET', '/v1/expenses');
		const c = await api('GET', '/v1/expenses');
		const d = await api('GET', '/v1/expenses');
		expect([a.status, b.status, c.status, d.status]).toEqual([500, 502, 503, 200]);
		expect(a.json.type).toBe('INTERNAL_SERVER_ERROR');
		expect(b.headers.get('content-type')).toContain('text/html');
		expect(emulator.stats.serverErrors).toBe(3);
	});

	it('probabilistic faults repeat for the same fault seed and can be limited to some paths', async () => {
		const run = async () => {
			emulator.setFaults({ faultSeed: 99, rate429Probability: 0.3, rate5xxProbability: 0.2 });
			const statuses: number[] = [];
			for (let i = 0; i < 20; i++) statuses.push((await api('GET', '/v2/users/me')).status);
			return statuses;
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		expect(first).toContain(200);
		expect(first).toContain(429);
		emulator.setFaults({ faultPathPrefixes: ['/v1/expenses'], rate429Probability: 1 });
		expect((await api('GET', '/v2/users/me')).status).toBe(200);
		expect((await api('GET', '/v1/expenses')).status).toBe(429);
	});

	it('the request window answers 429 past its maximum until the window has passed', async () => {
		emulator.setFaults({ rateLimit: { max: 3, windowMs: 60_000 } });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await api('GET', '/v2/users/me')).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		emulator.advanceTime(61);
		expect((await api('GET', '/v2/users/me')).status).toBe(200);
	});

	it('control endpoint merges faults; latency delays answers', async () => {
		const set = await fetch(`${emulator.url}/__emulator/faults`, {
			method: 'POST',
			body: JSON.stringify({ latencyMs: 120 }),
		});
		expect(((await set.json()) as { latencyMs: number }).latencyMs).toBe(120);
		expect(emulator.faults.rateLimitBurst).toBe(0);
		const started = Date.now();
		await api('GET', '/v2/users/me');
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		const bad = await fetch(`${emulator.url}/__emulator/faults`, {
			method: 'POST',
			body: '{"nope":1}',
		});
		expect(bad.status).toBe(400);
	});
});

describe('webhook deliveries', () => {
	it('signs deliveries with svix; the receiver verifies them with the listed secret', async () => {
		await subscribe(['EXPENSE_PAYMENT_UPDATED']);
		await subscribe(['USER_UPDATED']);
		const expense = [...emulator.state.expenses.values()].find((e) => e.expense_type === 'CARD')!;
		const [event] = emulator.buildEvents({
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			ids: [expense.id],
		});
		const attempts = await emulator.deliverEvent('EXPENSE_PAYMENT_UPDATED', event.body);
		expect(attempts.map((a) => a.status)).toEqual([200]);
		expect(receiver.received).toHaveLength(1);
		const [delivery] = receiver.received;
		expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
		expect(delivery.headers['webhook-timestamp']).toMatch(/^\d+$/);
		expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
		const [secret] = await secrets();
		expect(verifies(secret, delivery)).toBe(true);
		expect(verifies(randomBytes(24).toString('base64'), delivery)).toBe(false);
		expect(JSON.parse(delivery.body)).toMatchObject({
			event_type: 'EXPENSE_PAYMENT_UPDATED',
			expense_id: expense.id,
			company_id: emulator.state.company.id,
		});
		expect(emulator.stats.deliveries).toHaveLength(1);
		expect(emulator.stats.deliveries[0]).toMatchObject({ status: 200, ok: true, attempt: 1 });
	});

	it('duplicateDeliveries sends each message twice with the same webhook-id', async () => {
		await subscribe(['USER_UPDATED']);
		emulator.setFaults({ duplicateDeliveries: true });
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED', count: 2 }));
		expect(receiver.received).toHaveLength(4);
		const ids = receiver.received.map((r) => r.headers['webhook-id']);
		expect(ids[0]).toBe(ids[1]);
		expect(ids[2]).toBe(ids[3]);
		expect(ids[0]).not.toBe(ids[2]);
		const [secret] = await secrets();
		expect(receiver.received.every((r) => verifies(secret, r))).toBe(true);
	});

	it('retries a non-2xx delivery with the same webhook-id and a fresh signature', async () => {
		await subscribe(['TRANSFER_PROCESSED']);
		let calls = 0;
		receiver.respond = () => (++calls === 1 ? 500 : 200);
		const attempts = await emulator.deliverEvent('TRANSFER_PROCESSED', {
			transfer_id: 'transfer_1',
			payment_type: 'ACH',
			return_for_id: null,
			company_id: emulator.state.company.id,
		});
		expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
			[1, 500],
			[2, 200],
		]);
		expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
		expect(receiver.received[0].headers['webhook-id']).toBe(
			receiver.received[1].headers['webhook-id'],
		);
		const [secret] = await secrets();
		expect(verifies(secret, receiver.received[1])).toBe(true);
		expect(emulator.stats.deliveries.map((d) => d.status)).toEqual([500, 200]);
	});

	it('gives up after the retry schedule when the receiver is down', async () => {
		const down = await startReceiver();
		const url = down.url;
		await down.close();
		await subscribe(['USER_UPDATED'], url);
		emulator.setFaults({ deliveryRetryScheduleMs: [10, 10] });
		const attempts = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'USER_UPDATED' }),
		);
		expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
		expect(attempts.every((a) => a.status === null && a.error !== null)).toBe(true);
	});

	it('outOfOrder shuffles a batch (deterministically); without it the order is kept', async () => {
		await subscribe(['USER_UPDATED']);
		const events = emulator.buildEvents({ eventType: 'USER_UPDATED', count: 8 });
		const sent = events.map((e) => e.body.user_id);
		await emulator.deliverEvents(events);
		expect(receiver.received.map((r) => JSON.parse(r.body).user_id)).toEqual(sent);
		receiver.received.length = 0;
		emulator.setFaults({ outOfOrder: true });
		await emulator.deliverEvents(events);
		const shuffled = receiver.received.map((r) => JSON.parse(r.body).user_id);
		expect([...shuffled].sort()).toEqual([...sent].sort());
		expect(shuffled).not.toEqual(sent);
	});

	it('during secret rotation every delivery carries two signatures, one per secret', async () => {
		await subscribe(['USER_UPDATED']);
		const [oldSecret] = await secrets();
		emulator.rotateSecret();
		const listed = await api('GET', '/v1/webhooks/secrets');
		expect(listed.json.map((s: { status: string }) => s.status)).toEqual([
			'ACTIVE',
			'PENDING_REVOKE',
		]);
		const newSecret = listed.json[0].secret;
		expect(listed.json[1].secret).toBe(oldSecret);
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED' }));
		const [delivery] = receiver.received;
		expect(delivery.headers['webhook-signature'].split(' ')).toHaveLength(2);
		expect(verifies(oldSecret, delivery)).toBe(true);
		expect(verifies(newSecret, delivery)).toBe(true);
		emulator.revokePendingSecrets();
		receiver.received.length = 0;
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED' }));
		expect(receiver.received[0].headers['webhook-signature'].split(' ')).toHaveLength(1);
		expect(verifies(oldSecret, receiver.received[0])).toBe(false);
		expect(verifies(newSecret, receiver.received[0])).toBe(true);
	});

	it('corrupted signatures and skewed timestamps fail verification', async () => {
		await subscribe(['USER_UPDATED']);
		const [secret] = await secrets();
		emulator.setFaults({ corruptSignatures: true });
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED' }));
		emulator.setFaults({ corruptSignatures: false, deliveryTimestampSkewSeconds: -600 });
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED' }));
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received.map((r) => verifies(secret, r))).toEqual([false, false]);
	});

	it('does not deliver to inactive subscriptions or for unsubscribed event types', async () => {
		const id = await subscribe(['USER_UPDATED']);
		await api('PUT', `/v1/webhooks/${id}`, {
			body: { url: receiver.url, event_types: ['USER_UPDATED'], status: 'INACTIVE' },
		});
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'USER_UPDATED' }));
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'TRANSFER_FAILED' }));
		expect(receiver.received).toHaveLength(0);
	});

	it('POST /__emulator/deliver emits ACCOUNTING_RECORD_READY_FOR_EXPORT for records the API then returns', async () => {
		await subscribe(['ACCOUNTING_RECORD_READY_FOR_EXPORT']);
		const response = await fetch(`${emulator.url}/__emulator/deliver`, {
			method: 'POST',
			body: JSON.stringify({ eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT', count: 3 }),
		});
		expect(response.status).toBe(200);
		expect(receiver.received).toHaveLength(1);
		const event = JSON.parse(receiver.received[0].body);
		expect(event.accountingRecordIds).toHaveLength(3);
		expect(event.companyId).toBe(emulator.state.company.id);
		const records = await api(
			'GET',
			`/v3/accounting/records?${event.accountingRecordIds.map((id: string) => `ids=${id}`).join('&')}`,
		);
		expect(records.json.items.map((r: { review_status: string }) => r.review_status)).toEqual([
			'READY_FOR_EXPORT',
			'READY_FOR_EXPORT',
			'READY_FOR_EXPORT',
		]);
	});
});

interface TokenResponse {
	access_token: string;
	refresh_token?: string;
	expires_in: number;
	token_type: string;
	error?: string;
}

describe('OAuth', () => {
	const redirectUri = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

	async function authorize(extra: Record<string, string> = {}): Promise<URL> {
		const query = new URLSearchParams({
			response_type: 'code',
			client_id: emulator.oauthClient.clientId,
			redirect_uri: redirectUri,
			scope: 'openid offline_access',
			state: 'state-123',
			...extra,
		});
		const response = await fetch(`${emulator.url}/oauth2/default/v1/authorize?${query}`, {
			redirect: 'manual',
		});
		expect(response.status).toBe(302);
		return new URL(response.headers.get('location')!);
	}

	async function token(form: Record<string, string>, basic = true) {
		const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
		const { clientId, clientSecret } = emulator.oauthClient;
		if (basic)
			headers.authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
		const body = basic ? form : { ...form, client_id: clientId, client_secret: clientSecret };
		const response = await fetch(`${emulator.url}/oauth2/default/v1/token`, {
			method: 'POST',
			headers,
			body: new URLSearchParams(body),
		});
		return { status: response.status, json: (await response.json()) as TokenResponse };
	}

	it('code -> token -> API -> expiry (403) -> refresh -> API', async () => {
		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const location = await authorize({ code_challenge: challenge, code_challenge_method: 'S256' });
		expect(location.searchParams.get('state')).toBe('state-123');
		const code = location.searchParams.get('code')!;
		const granted = await token({
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		});
		expect(granted.status).toBe(200);
		expect(granted.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
		const access = granted.json.access_token;
		expect((await api('GET', '/v2/users/me', { token: access })).status).toBe(200);
		// A code is single-use.
		const reused = await token({
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
			code_verifier: verifier,
		});
		expect(reused).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

		emulator.advanceTime(3601);
		const expired = await api('GET', '/v2/users/me', { token: access });
		expect(expired.status).toBe(403);
		expect(expired.json.message).toBe('Expired token');

		const refreshed = await token(
			{ grant_type: 'refresh_token', refresh_token: granted.json.refresh_token ?? '' },
			false,
		);
		expect(refreshed.status).toBe(200);
		expect(refreshed.json.access_token).not.toBe(access);
		expect((await api('GET', '/v2/users/me', { token: refreshed.json.access_token })).status).toBe(
			200,
		);
		emulator.expireTokens([refreshed.json.access_token]);
		expect((await api('GET', '/v2/users/me', { token: refreshed.json.access_token })).status).toBe(
			403,
		);
	});

	it('rejects bad clients, wrong verifiers and wrong redirect URIs; lifetime is configurable', async () => {
		const bad = await fetch(`${emulator.url}/oauth2/default/v1/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: 'x',
				client_id: 'c',
				client_secret: 's',
			}),
		});
		expect(bad.status).toBe(401);
		expect(((await bad.json()) as { error: string }).error).toBe('invalid_client');

		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const code = (
			await authorize({ code_challenge: challenge, code_challenge_method: 'S256' })
		).searchParams.get('code')!;
		const wrongVerifier = await token({
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
			code_verifier: 'x',
		});
		expect(wrongVerifier.json.error).toBe('invalid_grant');

		const code2 = (await authorize()).searchParams.get('code')!;
		const wrongRedirect = await token({
			grant_type: 'authorization_code',
			code: code2,
			redirect_uri: 'http://127.0.0.1/other',
		});
		expect(wrongRedirect.json.error).toBe('invalid_grant');

		emulator.setFaults({ tokenLifetimeSeconds: 60 });
		const code3 = (await authorize({ scope: 'openid' })).searchParams.get('code')!;
		const short = await token({
			grant_type: 'authorization_code',
			code: code3,
			redirect_uri: redirectUri,
		});
		expect(short.json.expires_in).toBe(60);
		// Without offline_access there is no refresh token.
		expect(short.json.refresh_token).toBeUndefined();
	});
});

describe('accounting export results', () => {
	it('moves READY_FOR_EXPORT to EXPORTED once; a second report answers 422 naming the records', async () => {
		const ready = [...emulator.state.accountingRecords.values()].filter(
			(r) => r.review_status === 'READY_FOR_EXPORT',
		);
		const [a, b] = ready;
		const versionBefore = a.version;
		const expenseStampBefore = emulator.state.expenses.get(a.source_id)!.updated_at;
		const body = {
			results: [
				{
					accounting_record_id: a.id,
					success: { reference_id: 'JE-1', deep_link_url: 'https://x3.example.com/JE-1' },
				},
				{ accounting_record_id: b.id, failure: { error_message: 'Invalid GL account' } },
			],
		};
		const first = await api('POST', '/v3/accounting/records/export-results', { body });
		expect(first.status).toBe(200);
		expect(first.json).toEqual({ updated_accounting_record_ids: [a.id, b.id] });
		expect(a.review_status).toBe('EXPORTED');
		expect(a.version).toBe(versionBefore + 1);
		expect(b.review_status).toBe('REVIEW');
		const expense = emulator.state.expenses.get(a.source_id)!;
		expect(expense.exported_at).not.toBeNull();
		expect(expense.updated_at > expenseStampBefore).toBe(true);

		const again = await api('POST', '/v3/accounting/records/export-results', { body });
		expect(again.status).toBe(422);
		expect(again.json).toEqual({
			error_code: 'ACCOUNTING_RECORD_NOT_READY_FOR_EXPORT',
			message:
				'Only accounting records with review status READY_FOR_EXPORT can be updated via this endpoint.',
			details: { not_ready_for_export_accounting_record_ids: [a.id, b.id] },
		});
		const filtered = await api('GET', `/v3/accounting/records?review_status=EXPORTED&ids=${a.id}`);
		expect(filtered.json.items.map((r: { id: string }) => r.id)).toEqual([a.id]);
	});

	it('ids takes up to 500 repeated values', async () => {
		const ids = [...emulator.state.accountingRecords.keys()];
		expect(ids.length).toBeGreaterThanOrEqual(400);
		const query = ids
			.slice(0, 400)
			.map((id) => `ids=${id}`)
			.join('&');
		const padding = Array.from({ length: 100 }, (_, i) => `ids=accr_unknown_${i}`).join('&');
		const ok = await api('GET', `/v3/accounting/records?limit=1000&${query}&${padding}`);
		expect(ok.status).toBe(200);
		expect(ok.json.items).toHaveLength(400);
		const tooMany = await api(
			'GET',
			`/v3/accounting/records?${query}&${padding}&ids=accr_one_more`,
		);
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.error_code).toBe('INVALID_REQUEST');
	});

	it('line items balance: debits equal credits, amounts in major units', async () => {
		const records = await api('GET', '/v3/accounting/records?limit=1000');
		for (const record of records.json.items) {
			const sum = (type: string) =>
				Math.round(
					record.line_items
						.filter((l: { type: string }) => l.type === type)
						.reduce((s: number, l: { amount: { amount: number } }) => s + l.amount.amount * 100, 0),
				);
			expect(sum('DEBIT')).toBe(sum('CREDIT'));
			const expense = emulator.state.expenses.get(record.source_id)!;
			expect(Math.round(record.amount.amount * 100)).toBe(expense.billing_amount!.amount);
		}
	});
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON of the control routes
type ControlAnswer = Record<string, any>;

describe('mutations, determinism, control endpoints', () => {
	it('addExpense / updateExpense bump updated_at so an updated_at sync picks them up', async () => {
		const added = emulator.addExpense({
			memo: 'Added in a test',
			billing_amount: { amount: 4200, currency: 'USD' },
		});
		const since = await api(
			'GET',
			`/v1/expenses?updated_at_start=${encodeURIComponent(added.updated_at)}`,
		);
		expect(since.json.items.map((e: { id: string }) => e.id)).toContain(added.id);
		expect(
			[...emulator.state.cardTransactions.values()].some((t) => t.expense_id === added.id),
		).toBe(true);
		expect(
			[...emulator.state.accountingRecords.values()].some((r) => r.source_id === added.id),
		).toBe(true);
		const before = added.updated_at;
		const updated = emulator.updateExpense(added.id, { memo: 'Changed' });
		expect(updated.updated_at > before).toBe(true);
		expect(updated.version).toBe(2);
		const patched = await fetch(`${emulator.url}/__emulator/expenses/${added.id}`, {
			method: 'PATCH',
			body: JSON.stringify({ status: 'SETTLED' }),
		});
		expect(((await patched.json()) as { status: string }).status).toBe('SETTLED');
	});

	it("seeds with the shared seed's prng sequence", () => {
		for (const seed of [0, 1, 42, 0xdeadbeef]) {
			const shared = prng(seed);
			const local = fastPrng(seed);
			for (let i = 0; i < 1000; i++) expect(local()).toBe(shared());
		}
	});

	it('the same seed gives the same data; another seed gives other data', async () => {
		const other = await startBrexEmulator({ seed: 11, expenseCount: 500 });
		const third = await startBrexEmulator({ seed: 12, expenseCount: 500 });
		try {
			const strip = (text: string) => text.replace(/http:\/\/127\.0\.0\.1:\d+/g, '');
			const path = '/v1/expenses?limit=50&expand[]=merchant&expand[]=user';
			const fresh = await api('GET', '/v1/expenses?limit=50&expand[]=merchant&expand[]=user', {
				base: other,
			});
			const same = await api('GET', path, { base: other });
			expect(strip(same.text)).toBe(strip(fresh.text));
			const firstIdsA = [...other.state.expenses.keys()].slice(0, 50);
			const firstIdsB = [...emulator.state.expenses.keys()].slice(0, 50);
			expect(firstIdsA).toEqual(firstIdsB);
			expect([...third.state.expenses.keys()].slice(0, 50)).not.toEqual(firstIdsA);
			expect(other.state.webhookSecrets).toEqual(
				await startBrexEmulator({ seed: 11, expenseCount: 1 }).then(async (e) => {
					const s = e.state.webhookSecrets;
					await e.close();
					return s;
				}),
			);
		} finally {
			await other.close();
			await third.close();
		}
	});

	it('control endpoints: health, stats, reset, reseed, rotate-secret, expire-tokens', async () => {
		const control = (path: string, body?: unknown) =>
			fetch(`${emulator.url}/__emulator/${path}`, {
				method: body === undefined ? 'GET' : 'POST',
				body: body === undefined ? undefined : JSON.stringify(body),
			}).then(async (r) => ({ status: r.status, json: (await r.json()) as ControlAnswer }));
		expect((await control('health')).json).toMatchObject({
			ok: true,
			expenses: emulator.state.expenses.size,
		});
		await api('GET', '/v2/users/me');
		const stats = await control('stats');
		expect(stats.json.total).toBe(1);
		expect(stats.json.byRoute).toEqual({ 'GET /v2/users/me': 1 });
		await control('stats/reset', {});
		expect((await control('stats')).json.total).toBe(0);
		expect((await control('rotate-secret', {})).json).toHaveLength(2);
		await control('expire-tokens', {});
		expect((await api('GET', '/v2/users/me')).status).toBe(403);
		emulator.state.expiredTokens.clear();
		const reseeded = await control('seed', { expenseCount: 120, vendorCount: 10, seed: 5 });
		expect(reseeded.json).toMatchObject({ expenses: 120, vendors: 10 });
		const { ids } = await walkIds('/v1/expenses?limit=100');
		expect(ids).toHaveLength(120);
		emulator.reseed({ seed: 11, expenseCount: 500, vendorCount: 40 });
		emulator.revokePendingSecrets();
	});

	it('handles 50,000 expenses: late pages by cursor, page-sized answers', async () => {
		const big = await startBrexEmulator({ seed: 3, expenseCount: 50_000 });
		try {
			expect(big.state.expenses.size).toBe(50_000);
			const cursor = Buffer.from(JSON.stringify({ limit: 100, offset: 49_900 })).toString('base64');
			const last = await api('GET', `/v1/expenses?limit=100&cursor=${encodeURIComponent(cursor)}`, {
				base: big,
			});
			expect(last.json.items).toHaveLength(100);
			expect(last.json.next_cursor).toBeNull();
			expect(last.text.length).toBeLessThan(400_000);
			const records = await api(
				'GET',
				'/v3/accounting/records?limit=100&review_status=READY_FOR_EXPORT',
				{ base: big },
			);
			expect(records.json.total_count).toBeGreaterThan(30_000);
			expect(records.text.length).toBeLessThan(600_000);
		} finally {
			await big.close();
		}
	}, 60_000);
});
