/**
 * The Brex Trigger against the local Brex emulator: webhook registration lifecycle, signed deliveries (the
 * emulator signs with the svix library) received by a small HTTP receiver that plays n8n's part, and polling
 * over seeded data. n8n's contexts are the unit-test stand-ins; every Brex call is real HTTP to the emulator.
 */
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { POLL_STATE_KEY } from '../../nodes/BrexTrigger/poller';
import { clearDeliveryMemory } from '../../nodes/BrexTrigger/deliveryMemory';
import { clearWebhookSecretCache } from '../../nodes/BrexTrigger/webhookSecrets';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { type BrexEmulator, startBrexEmulator } from '../emulators/brex/server';
import { type TriggerHarnessOptions, createTriggerHarness } from '../support/brexTriggerHarness';

const trigger = new BrexTrigger();
const methods = trigger.webhookMethods.default;
const EVENTS = ['ACCOUNTING_RECORD_READY_FOR_EXPORT', 'EXPENSE_PAYMENT_UPDATED'];

let emulator: BrexEmulator;

function credentials(): IDataObject {
	return { accessToken: emulator.token, baseUrl: emulator.url };
}

function harness(options: TriggerHarnessOptions) {
	return createTriggerHarness({ credentials: credentials(), ...options });
}

async function brexApi(method: string, path: string, body?: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${emulator.token}`,
			'content-type': 'application/json',
			...(method === 'POST' ? { 'idempotency-key': `test-${Math.random()}` } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	return (await response.json()) as IDataObject;
}

function subscriptions(url?: string) {
	return [...emulator.state.webhooks.values()].filter(
		(subscription) => !url || subscription.url === url,
	);
}

/**
 * Plays n8n's part for production webhooks: raw body in, webhook() decides the answer; accepted deliveries
 * run execute() (the start node, with the processed-data store) and are recorded as executions.
 */
class Receiver {
	server!: Server;
	url = '';
	executions: INodeExecutionData[][] = [];
	staticData: IDataObject = {};
	processed = new Set<string>();

	constructor(private readonly parameters: IDataObject) {}

	async start(): Promise<void> {
		this.server = http.createServer((req, res) => {
			void this.handle(req).then(
				({ status, body }) => {
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body));
				},
				(error: Error) => {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ error: error.message }));
				},
			);
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook/hook-uuid/webhook`;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const h = harness({
			mode: 'webhook',
			parameters: this.parameters,
			staticData: this.staticData,
			webhookUrl: this.url,
			request: { headers: req.headers as Record<string, string>, rawBody: Buffer.concat(chunks) },
		});
		const result = await trigger.webhook.call(h.webhook);
		if (result.noWebhookResponse)
			return { status: h.response.status ?? 500, body: h.response.body };
		if (!result.workflowData) return { status: 200, body: result.webhookResponse };
		const start = harness({
			mode: 'webhook',
			parameters: this.parameters,
			items: result.workflowData[0],
			processed: this.processed,
		});
		const output = (await trigger.execute.call(start.execute)) as INodeExecutionData[][];
		if (output[0].length > 0) this.executions.push(output[0]);
		return { status: 200, body: { message: 'Workflow was started' } };
	}
}

beforeAll(async () => {
	setSleepForTests(async () => undefined);
	emulator = await startBrexEmulator({
		expenseCount: 240,
		seed: 7,
		startDate: '2026-07-01T00:00:00.000Z',
		endDate: '2026-07-31T23:59:59.000Z',
	});
});

afterAll(async () => {
	setSleepForTests();
	await emulator.close();
});

beforeEach(() => {
	clearWebhookSecretCache();
	clearDeliveryMemory();
	emulator.resetFaults();
	for (const id of [...emulator.state.webhooks.keys()]) emulator.state.webhooks.delete(id);
});

describe('webhook registration lifecycle', () => {
	// A URL per test: the emulator remembers idempotency keys for the whole file.
	let url = '';
	let testNumber = 0;
	beforeEach(() => {
		testNumber++;
		url = `http://127.0.0.1:9/webhook/hook-${testNumber}/webhook`;
	});
	const parameters = { mode: 'webhook', events: EVENTS };

	it('creates one registration, adopts it afterwards, and a retried create does not register twice', async () => {
		const staticData: IDataObject = {};
		const h = () => harness({ parameters, staticData, webhookUrl: url });
		expect(await methods.checkExists.call(h().hook)).toBe(false);
		expect(await methods.create.call(h().hook)).toBe(true);
		const [created] = subscriptions(url);
		expect(created).toMatchObject({ url, event_types: EVENTS, status: 'ACTIVE' });
		expect(staticData.webhookId).toBe(created.id);

		// The same create again (e.g. retried after a lost answer) reuses the idempotency key.
		expect(await methods.create.call(h().hook)).toBe(true);
		expect(subscriptions(url)).toHaveLength(1);
		expect(staticData.webhookId).toBe(created.id);

		expect(await methods.checkExists.call(h().hook)).toBe(true);
		expect(subscriptions(url)).toHaveLength(1);
	});

	it('adopts an existing registration of the same URL, fixes its events and deletes duplicates', async () => {
		const first = await brexApi('POST', '/v1/webhooks', { url, event_types: ['USER_UPDATED'] });
		await brexApi('POST', '/v1/webhooks', { url, event_types: EVENTS });
		await brexApi('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/other', event_types: EVENTS });
		const staticData: IDataObject = { webhookId: first.id };
		expect(
			await methods.checkExists.call(harness({ parameters, staticData, webhookUrl: url }).hook),
		).toBe(true);
		const mine = subscriptions(url);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ id: first.id, event_types: EVENTS, status: 'ACTIVE' });
		expect(subscriptions()).toHaveLength(2);
	});

	it('deletes its registration, and treats an already deleted one as done', async () => {
		const staticData: IDataObject = {};
		const h = () => harness({ parameters, staticData, webhookUrl: url });
		await methods.create.call(h().hook);
		const id = staticData.webhookId as string;
		expect(await methods.delete.call(h().hook)).toBe(true);
		expect(subscriptions(url)).toHaveLength(0);
		expect(staticData).toEqual({ registrationEpoch: 1 });

		staticData.webhookId = id;
		expect(await methods.delete.call(h().hook)).toBe(true);
		expect(staticData.registrationEpoch).toBe(2);

		// Re-activation after a delete registers anew (a new idempotency key, not a replay of the old one).
		await methods.create.call(h().hook);
		expect(subscriptions(url)).toHaveLength(1);
		expect(staticData.webhookId).not.toBe(id);
	});

	it('registers anew when Brex replays a registration deleted outside n8n (static data lost)', async () => {
		const first: IDataObject = {};
		await methods.create.call(harness({ parameters, staticData: first, webhookUrl: url }).hook);
		emulator.state.webhooks.delete(first.webhookId as string);

		const fresh: IDataObject = {};
		const h = harness({ parameters, staticData: fresh, webhookUrl: url });
		expect(await methods.create.call(h.hook)).toBe(true);
		const [registered] = subscriptions(url);
		expect(registered.id).not.toBe(first.webhookId);
		expect(fresh).toMatchObject({ webhookId: registered.id, registrationEpoch: 1 });
		expect(h.logs.some((log) => log.message.includes('no longer exists'))).toBe(true);
	});
});

describe('signed deliveries', () => {
	let receiver: Receiver;

	beforeAll(async () => {
		receiver = new Receiver({ mode: 'webhook', events: EVENTS });
		await receiver.start();
	});
	afterAll(async () => {
		await receiver.stop();
	});
	beforeEach(async () => {
		receiver.executions = [];
		receiver.staticData = {};
		receiver.processed.clear();
		await methods.create.call(
			harness({
				parameters: { mode: 'webhook', events: EVENTS },
				staticData: {},
				webhookUrl: receiver.url,
			}).hook,
		);
	});

	it('accepts an expense event and outputs the enriched expense', async () => {
		const events = emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', count: 1 });
		const attempts = await emulator.deliverEvents(events);
		expect(attempts.map((attempt) => attempt.status)).toEqual([200]);
		expect(receiver.executions).toHaveLength(1);
		const [item] = receiver.executions[0];
		const expenseId = events[0].body.expense_id as string;
		expect(item.json).toMatchObject({
			id: expenseId,
			recordKind: 'expense',
			eventType: 'EXPENSE_PAYMENT_UPDATED',
			webhookId: attempts[0].webhookId,
		});
		expect(item.json.amount).toMatch(/^-?\d+(\.\d+)?$/);
	});

	it('accepts an accounting-records event and outputs each record', async () => {
		const ids = [...emulator.state.accountingRecords.keys()].slice(0, 3);
		const events = emulator.buildEvents({ eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT', ids });
		const attempts = await emulator.deliverEvents(events);
		expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);
		const items = receiver.executions.flat().map((item) => item.json);
		expect(items.map((json) => json.id ?? json.recordId).sort()).toEqual([...ids].sort());
	});

	it('rejects forged signatures with 401 on every attempt and starts nothing', async () => {
		emulator.setFaults({ corruptSignatures: true });
		const attempts = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }),
		);
		expect(attempts.length).toBeGreaterThan(1);
		expect(attempts.every((attempt) => attempt.status === 401)).toBe(true);
		expect(receiver.executions).toHaveLength(0);
	});

	it.each([
		['stale', -400],
		['future', 400],
	])('rejects %s timestamps with 401', async (_name, skew) => {
		emulator.setFaults({ deliveryTimestampSkewSeconds: skew });
		const attempts = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }),
		);
		expect(attempts.every((attempt) => attempt.status === 401)).toBe(true);
		expect(receiver.executions).toHaveLength(0);
	});

	it('rejects a replayed signature under another webhook id, and a replay of the same id starts nothing', async () => {
		const [attempt] = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }),
		);
		expect(receiver.executions).toHaveLength(1);
		const replay = (webhookId: string) =>
			fetch(receiver.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': webhookId,
					'webhook-timestamp': String(attempt.timestamp),
					'webhook-signature': attempt.signature,
				},
				body: attempt.payload,
			});
		expect((await replay('msg_forged')).status).toBe(401);
		const same = await replay(attempt.webhookId);
		expect(same.status).toBe(200);
		expect(await same.json()).toEqual({ received: true, duplicate: true });
		expect(receiver.executions).toHaveLength(1);
	});

	it('emits a redelivered webhook id once', async () => {
		emulator.setFaults({ duplicateDeliveries: true });
		const attempts = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }),
		);
		expect(attempts).toHaveLength(2);
		expect(attempts[0].webhookId).toBe(attempts[1].webhookId);
		expect(attempts.map((attempt) => attempt.status)).toEqual([200, 200]);
		expect(receiver.executions).toHaveLength(1);
	});

	it('drops a redelivery that reaches another process (processed-data store)', async () => {
		const events = emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' });
		events[0].webhookId = 'msg_fixed_id';
		await emulator.deliverEvents(events);
		// As if the redelivery reached another n8n process: nothing in this process's memory.
		clearDeliveryMemory();
		const attempts = await emulator.deliverEvents(events);
		expect(attempts.map((attempt) => attempt.status)).toEqual([200]);
		expect(receiver.executions).toHaveLength(1);
	});

	it('keeps verifying through a secret rotation', async () => {
		await emulator.deliverEvents(emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }));
		emulator.rotateSecret();
		const during = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', count: 2 }),
		);
		expect(during.map((attempt) => attempt.signature.split(' ').length)).toEqual([2, 2]);
		emulator.revokePendingSecrets();
		const after = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', count: 3 }),
		);
		expect([...during, ...after].every((attempt) => attempt.status === 200)).toBe(true);
	});

	it('answers 503 while Brex cannot enrich, and the retried delivery goes through', async () => {
		emulator.setFaults({
			status5xx: 4,
			faultPathPrefixes: ['/v1/expenses/'],
			deliveryRetryScheduleMs: [50, 100],
		});
		const attempts = await emulator.deliverEvents(
			emulator.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED' }),
		);
		expect(attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
		expect(receiver.executions).toHaveLength(1);
	});
});

describe('polling', () => {
	const parameters = {
		mode: 'polling',
		resource: 'expense',
		options: { startDate: '2026-06-01T00:00:00.000Z', maxRecordsPerPoll: 70 },
	};

	it('emits every seeded expense exactly once across polls, then only what changes', async () => {
		const staticData: IDataObject = {};
		const poll = async () => {
			const h = harness({ parameters, staticData });
			const output = await trigger.poll.call(h.poll);
			return output ? output[0] : [];
		};
		const ids: string[] = [];
		let polls = 0;
		for (; polls < 20; polls++) {
			const items = await poll();
			expect(items.length).toBeLessThanOrEqual(70);
			if (items.length === 0) break;
			ids.push(...items.map((item) => String(item.json.id ?? item.json.recordId)));
		}
		const seeded = [...emulator.state.expenses.keys()];
		expect(polls).toBeGreaterThanOrEqual(Math.ceil(seeded.length / 70));
		expect(ids).toHaveLength(seeded.length);
		expect(new Set(ids)).toEqual(new Set(seeded));

		const changed = seeded[17];
		emulator.updateExpense(changed, { memo: 'Corrected memo' });
		const next = await poll();
		expect(next.map((item) => item.json.id)).toEqual([changed]);
		expect(next[0].json.memo).toBe('Corrected memo');
		expect(await poll()).toEqual([]);
	});

	it('keeps its cursor when Brex answers 500, and catches up afterwards', async () => {
		const staticData: IDataObject = {};
		const poll = async () => {
			const output = await trigger.poll.call(harness({ parameters, staticData }).poll);
			return output ? output[0] : [];
		};
		const first = await poll();
		expect(first).toHaveLength(70);
		const stored = JSON.stringify(staticData[POLL_STATE_KEY]);

		emulator.setFaults({ status5xx: 50, status5xxCodes: [500] });
		await expect(poll()).rejects.toThrow(/500/);
		expect(JSON.stringify(staticData[POLL_STATE_KEY])).toBe(stored);
		emulator.resetFaults();

		const rest: string[] = [];
		for (let i = 0; i < 20; i++) {
			const items = await poll();
			if (items.length === 0) break;
			rest.push(...items.map((item) => String(item.json.id ?? item.json.recordId)));
		}
		const all = [...first.map((item) => String(item.json.id ?? item.json.recordId)), ...rest];
		expect(all).toHaveLength(emulator.state.expenses.size);
		expect(new Set(all).size).toBe(emulator.state.expenses.size);
	});

	it('a manual run returns a sample and leaves the cursor alone', async () => {
		const staticData: IDataObject = {};
		const output = await trigger.poll.call(
			harness({ parameters, staticData, mode: 'manual' }).poll,
		);
		expect(output![0].length).toBeGreaterThan(0);
		expect(output![0].length).toBeLessThanOrEqual(5);
		expect(staticData).toEqual({});
	});
});
