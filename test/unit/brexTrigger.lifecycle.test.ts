import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { registrationIdempotencyKey } from '../../nodes/BrexTrigger/webhookLifecycle';
import { setSleepForTests } from '../../nodes/brexApi/client';
import {
	TRIGGER_BASE_URL,
	WEBHOOK_URL,
	type TriggerHarnessOptions,
	createTriggerHarness,
} from '../support/brexTriggerHarness';

const trigger = new BrexTrigger();
const methods = trigger.webhookMethods.default;
const EVENTS = ['EXPENSE_PAYMENT_UPDATED', 'ACCOUNTING_RECORD_READY_FOR_EXPORT'];
const SORTED = [...EVENTS].sort();

function hook(overrides: TriggerHarnessOptions = {}) {
	return createTriggerHarness({ parameters: { mode: 'webhook', events: EVENTS }, ...overrides });
}

function subscription(id: string, url = WEBHOOK_URL, extra: IDataObject = {}): IDataObject {
	return { id, url, event_types: SORTED, status: 'ACTIVE', ...extra };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => setSleepForTests(async () => undefined));
afterEach(() => {
	setSleepForTests();
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

describe('webhookMethods.checkExists', () => {
	it('returns false and forgets a stale id when Brex has no registration for this URL', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query(true)
			.reply(200, {
				items: [subscription('sub_other', 'https://elsewhere.test/hook')],
				next_cursor: null,
			});
		const h = hook({ staticData: { webhookId: 'sub_gone', webhookEvents: SORTED } });
		expect(await methods.checkExists.call(h.hook)).toBe(false);
		expect(h.staticData).toEqual({});
	});

	it('adopts the registration of this URL found on a later page', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query((q) => q.cursor === undefined)
			.reply(200, {
				items: [subscription('sub_other', 'https://elsewhere.test/hook')],
				next_cursor: 'p2',
			})
			.get('/v1/webhooks')
			.query((q) => q.cursor === 'p2')
			.reply(200, { items: [subscription('sub_mine')], next_cursor: null });
		const h = hook();
		expect(await methods.checkExists.call(h.hook)).toBe(true);
		expect(h.staticData).toMatchObject({ webhookId: 'sub_mine', webhookEvents: SORTED });
	});

	it('keeps the stored registration, deletes duplicates of the same URL and updates the events', async () => {
		const deleted: string[] = [];
		let putBody: IDataObject | undefined;
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query(true)
			.reply(200, {
				items: [
					subscription('sub_dup1'),
					subscription('sub_kept', WEBHOOK_URL, {
						event_types: ['USER_UPDATED'],
						status: 'INACTIVE',
					}),
					subscription('sub_dup2'),
				],
				next_cursor: null,
			})
			.delete(/\/v1\/webhooks\/sub_dup[12]/)
			.times(2)
			.reply((request: unknown) => {
				deleted.push(new URL((request as unknown as Request).url).pathname.split('/').pop()!);
				return [200, {}];
			})
			.put('/v1/webhooks/sub_kept', (body) => {
				putBody = body as IDataObject;
				return true;
			})
			.reply(200, subscription('sub_kept'));
		const h = hook({ staticData: { webhookId: 'sub_kept' } });
		expect(await methods.checkExists.call(h.hook)).toBe(true);
		expect(deleted.sort()).toEqual(['sub_dup1', 'sub_dup2']);
		expect(putBody).toEqual({ url: WEBHOOK_URL, event_types: SORTED, status: 'ACTIVE' });
		expect(h.staticData.webhookId).toBe('sub_kept');
	});

	it('tolerates a duplicate that is already gone (404)', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query(true)
			.reply(200, { items: [subscription('sub_a'), subscription('sub_b')], next_cursor: null })
			.delete('/v1/webhooks/sub_b')
			.reply(404, { type: 'NOT_FOUND', message: 'Not Found' });
		const h = hook({ staticData: { webhookId: 'sub_a' } });
		expect(await methods.checkExists.call(h.hook)).toBe(true);
	});

	it('fails closed: a Brex error while listing stops the activation', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query(true)
			.times(5)
			.reply(503, { type: 'UNAVAILABLE', message: 'down' });
		const h = hook({ staticData: { webhookId: 'sub_a' } });
		await expect(methods.checkExists.call(h.hook)).rejects.toThrow(/503/);
		expect(h.staticData).toEqual({ webhookId: 'sub_a' });
	});

	it('refuses an empty event list', async () => {
		const h = createTriggerHarness({ parameters: { mode: 'webhook', events: [] } });
		await expect(methods.checkExists.call(h.hook)).rejects.toThrow(
			'Select at least one Brex event',
		);
	});
});

describe('webhookMethods.create', () => {
	it('registers with a deterministic idempotency key and stores the id', async () => {
		const keys: string[] = [];
		nock(TRIGGER_BASE_URL)
			.post('/v1/webhooks', { url: WEBHOOK_URL, event_types: SORTED })
			.times(2)
			.reply((request: unknown) => {
				// nock 15 hands reply callbacks the fetch Request.
				keys.push(String((request as unknown as Request).headers.get('idempotency-key')));
				return [200, subscription('sub_new')];
			})
			.get('/v1/webhooks/sub_new')
			.times(2)
			.reply(200, subscription('sub_new'));
		const first = hook();
		expect(await methods.create.call(first.hook)).toBe(true);
		expect(first.staticData).toMatchObject({ webhookId: 'sub_new', webhookEvents: SORTED });
		await methods.create.call(hook().hook);
		expect(keys[0]).toBe(keys[1]);
		expect(keys[0]).toBe(
			registrationIdempotencyKey('wf-1', 'node-brex-trigger', WEBHOOK_URL, SORTED, 0),
		);
	});

	it('registers again under a fresh key when Brex replays a registration that no longer exists', async () => {
		const keys: string[] = [];
		nock(TRIGGER_BASE_URL)
			.post('/v1/webhooks')
			.times(2)
			.reply((request: unknown) => {
				keys.push(String((request as Request).headers.get('idempotency-key')));
				return [200, subscription(keys.length === 1 ? 'sub_deleted' : 'sub_fresh')];
			})
			.get('/v1/webhooks/sub_deleted')
			.reply(404, { type: 'NOT_FOUND', message: 'Not Found' })
			.get('/v1/webhooks/sub_fresh')
			.reply(200, subscription('sub_fresh'));
		const h = hook();
		expect(await methods.create.call(h.hook)).toBe(true);
		expect(keys).toHaveLength(2);
		expect(keys[1]).not.toBe(keys[0]);
		expect(h.staticData).toMatchObject({ webhookId: 'sub_fresh', registrationEpoch: 1 });
	});

	it('uses a new key after a delete (a re-activation must not replay the old registration)', () => {
		const before = registrationIdempotencyKey('wf-1', 'n', WEBHOOK_URL, SORTED, 0);
		expect(registrationIdempotencyKey('wf-1', 'n', WEBHOOK_URL, [...SORTED].reverse(), 0)).toBe(
			before,
		);
		expect(registrationIdempotencyKey('wf-1', 'n', WEBHOOK_URL, SORTED, 1)).not.toBe(before);
		expect(registrationIdempotencyKey('wf-2', 'n', WEBHOOK_URL, SORTED, 0)).not.toBe(before);
		expect(registrationIdempotencyKey('wf-1', 'n', `${WEBHOOK_URL}-test`, SORTED, 0)).not.toBe(
			before,
		);
	});

	it('rejects an answer without an id', async () => {
		nock(TRIGGER_BASE_URL).post('/v1/webhooks').reply(200, { url: WEBHOOK_URL });
		const h = hook();
		await expect(methods.create.call(h.hook)).rejects.toThrow('without an id');
		expect(h.staticData).toEqual({});
	});

	it('deletes a registration made for another URL and fails', async () => {
		nock(TRIGGER_BASE_URL)
			.post('/v1/webhooks')
			.reply(200, subscription('sub_x', 'https://rewritten.test/'))
			.delete('/v1/webhooks/sub_x')
			.reply(200, {});
		const h = hook();
		await expect(methods.create.call(h.hook)).rejects.toThrow('different URL');
		expect(h.staticData).toEqual({});
	});
});

describe('webhookMethods.delete', () => {
	it('deletes the stored registration and raises the registration counter', async () => {
		nock(TRIGGER_BASE_URL).delete('/v1/webhooks/sub_1').reply(200, {});
		const h = hook({ staticData: { webhookId: 'sub_1', webhookEvents: SORTED } });
		expect(await methods.delete.call(h.hook)).toBe(true);
		expect(h.staticData).toEqual({ registrationEpoch: 1 });
	});

	it('treats 404 as already deleted', async () => {
		nock(TRIGGER_BASE_URL)
			.delete('/v1/webhooks/sub_1')
			.reply(404, { type: 'NOT_FOUND', message: 'Not Found' });
		const h = hook({ staticData: { webhookId: 'sub_1', registrationEpoch: 3 } });
		expect(await methods.delete.call(h.hook)).toBe(true);
		expect(h.staticData).toEqual({ registrationEpoch: 4 });
	});

	it('keeps the id and answers false when Brex fails', async () => {
		nock(TRIGGER_BASE_URL)
			.delete('/v1/webhooks/sub_1')
			.times(5)
			.reply(500, { type: 'INTERNAL', message: 'x' });
		const h = hook({ staticData: { webhookId: 'sub_1' } });
		expect(await methods.delete.call(h.hook)).toBe(false);
		expect(h.staticData).toEqual({ webhookId: 'sub_1' });
		expect(h.logs.some((log) => log.level === 'warn')).toBe(true);
	});

	it('without a stored id, deletes every registration of this URL', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/webhooks')
			.query(true)
			.reply(200, {
				items: [subscription('sub_a'), subscription('sub_b', 'https://elsewhere.test/')],
				next_cursor: null,
			})
			.delete('/v1/webhooks/sub_a')
			.reply(200, {});
		const h = hook();
		expect(await methods.delete.call(h.hook)).toBe(true);
	});
});

describe('polling mode', () => {
	it('makes every webhook method a no-op', async () => {
		const h = createTriggerHarness({ parameters: { mode: 'polling', resource: 'expense' } });
		expect(await methods.checkExists.call(h.hook)).toBe(true);
		expect(await methods.create.call(h.hook)).toBe(true);
		expect(await methods.delete.call(h.hook)).toBe(true);
		expect(h.requests).toHaveLength(0);
	});
});
