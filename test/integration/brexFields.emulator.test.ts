/**
 * The Brex node's Field and Field Value resources against the Brex emulator's Fields API: real HTTP through the
 * client n8n uses, pages of 1,000, batches of 1,000, request-derived idempotency keys, 429s, and the master-data
 * sync run twice.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Brex } from '../../nodes/Brex/Brex.node';
import { fieldsOf } from '../emulators/brex/fields';
import { type BrexEmulator, startBrexEmulator } from '../emulators/brex/server';
import {
	type HarnessOptions,
	createHarness,
	recordBackoffWaitsPerTest,
} from '../support/brexClientHarness';

// Thousands of values per test: on a loaded machine the default 5 s is too short.
jest.setTimeout(30_000);

const node = new Brex();
const backoff = recordBackoffWaitsPerTest();
let emulator: BrexEmulator;

beforeAll(async () => {
	emulator = await startBrexEmulator({ seed: 11, expenseCount: 5 });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.resetFaults();
	emulator.stats.reset();
});

async function run(
	parameters: HarnessOptions['parameters'],
	options: Partial<HarnessOptions> & { baseUrl?: string } = {},
): Promise<INodeExecutionData[]> {
	const harness = createHarness({
		credentials: { accessToken: emulator.token, baseUrl: options.baseUrl ?? emulator.url },
		parameters,
		...options,
	});
	const [output] = await node.execute.call(harness.ctx);
	return output;
}

function itemsOf(rows: IDataObject[]): INodeExecutionData[] {
	return rows.map((json) => ({ json }));
}

/** API requests the emulator saw for a route template (e.g. 'POST /v1/fields/{field_id}/values'). */
function requestsTo(route: string): Array<{ query: string; status: number }> {
	const [method, template] = route.split(' ');
	return emulator.stats.requests.filter((r) => r.method === method && r.route === template);
}

const VALUES_ROUTE = '/v1/fields/{field_id}/values';

async function newField(name: string): Promise<string> {
	const [field] = await run({ resource: 'field', operation: 'create', name, group: 'ACCOUNTING' });
	return String(field.json.brex_id);
}

function valuesIn(fieldId: string) {
	return [...(fieldsOf(emulator.state).values.get(fieldId)?.values() ?? [])];
}

type ProxyAction = 'forward' | 'lose-reply' | 'fail';

/**
 * A proxy in front of the emulator. `decide` picks per request: forward it; forward it and close the connection
 * once the emulator has answered (the request took effect, the reply was lost); or answer 500 without forwarding.
 */
async function proxy(decide: (method: string, path: string) => ProxyAction): Promise<{
	url: string;
	close: () => Promise<void>;
}> {
	const target = new URL(emulator.url);
	const server: Server = createServer((req, res) => {
		const action = decide(req.method ?? '', (req.url ?? '').split('?')[0]);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			if (action === 'fail') {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ type: 'INTERNAL_SERVER_ERROR', message: 'proxy failure' }));
				return;
			}
			const forward = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers: req.headers,
				},
				(answer) => {
					const body: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => body.push(chunk));
					answer.on('end', () => {
						if (action === 'lose-reply') {
							req.socket.destroy();
							return;
						}
						res.writeHead(answer.statusCode ?? 502, answer.headers);
						res.end(Buffer.concat(body));
					});
				},
			);
			forward.end(Buffer.concat(chunks));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** The first request matching `match` loses its reply; every other request goes through. */
function loseFirstReply(match: (method: string, path: string) => boolean) {
	let lost = 0;
	return {
		lost: () => lost,
		decide: (method: string, path: string): ProxyAction => {
			if (lost > 0 || !match(method, path)) return 'forward';
			lost++;
			return 'lose-reply';
		},
	};
}

describe('Brex node, resource Field, against the emulator', () => {
	it('creates, gets, lists, renames and disables a field', async () => {
		const [created] = await run({
			resource: 'field',
			operation: 'create',
			name: 'GL Account',
			group: 'ACCOUNTING',
			remoteId: 'X3_GACC_LIFECYCLE',
		});
		const fieldId = String(created.json.brex_id);
		expect(created.json).toMatchObject({
			name: 'GL Account',
			group: 'ACCOUNTING',
			remote_id: 'X3_GACC_LIFECYCLE',
			is_disabled: false,
		});
		const [got] = await run({ resource: 'field', operation: 'get', fieldId });
		expect(got.json.brex_id).toBe(fieldId);
		const listed = await run({ resource: 'field', operation: 'getAll', returnAll: true });
		expect(listed.map((item) => item.json.brex_id)).toContain(fieldId);
		const [renamed] = await run({
			resource: 'field',
			operation: 'update',
			fieldId,
			updateFields: { name: 'General ledger account' },
		});
		expect(renamed.json).toMatchObject({ name: 'General ledger account', is_disabled: false });
		const [disabled] = await run({ resource: 'field', operation: 'disable', fieldId });
		expect(disabled.json.is_disabled).toBe(true);
		expect(fieldsOf(emulator.state).fields.get(fieldId)?.is_disabled).toBe(true);
	});

	it('creates nothing new when the same create runs again (the key is derived from the request)', async () => {
		const parameters = {
			resource: 'field',
			operation: 'create',
			name: 'Cost centre',
			group: 'ACCOUNTING',
			remoteId: 'X3_CCT_RERUN',
		};
		const before = fieldsOf(emulator.state).fields.size;
		const [first] = await run(parameters);
		const [second] = await run(parameters);
		expect(second.json.brex_id).toBe(first.json.brex_id);
		expect(fieldsOf(emulator.state).fields.size).toBe(before + 1);
		const posts = requestsTo('POST /v1/fields');
		expect(posts).toHaveLength(2);
		expect(emulator.stats.idempotencyKeys.map((k) => k.replayed)).toEqual([false, true]);
	});

	it('retries a create whose reply was lost with the same key: one field, the first answer', async () => {
		const loss = loseFirstReply((method, path) => method === 'POST' && path === '/v1/fields');
		const lossy = await proxy(loss.decide);
		try {
			const before = fieldsOf(emulator.state).fields.size;
			const [field] = await run(
				{
					resource: 'field',
					operation: 'create',
					name: 'Department',
					group: 'ACCOUNTING',
					remoteId: 'X3_DEP_LOST',
				},
				{ baseUrl: lossy.url },
			);
			expect(loss.lost()).toBe(1);
			expect(fieldsOf(emulator.state).fields.size).toBe(before + 1);
			expect(fieldsOf(emulator.state).fields.get(String(field.json.brex_id))?.remote_id).toBe(
				'X3_DEP_LOST',
			);
			const keys = emulator.stats.idempotencyKeys.filter((k) => k.route === 'POST /v1/fields');
			expect(keys.map((k) => k.replayed)).toEqual([false, true]);
			expect(keys[0].key).toBe(keys[1].key);
			expect(backoff.waits()).toHaveLength(1);
		} finally {
			await lossy.close();
		}
	});

	it('refuses an ERP field without an integration ID before calling Brex', async () => {
		await expect(
			run({ resource: 'field', operation: 'create', name: 'ERP', group: 'ERP' }),
		).rejects.toThrow('Integration ID is empty');
		expect(emulator.stats.total).toBe(0);
	});
});

describe('Brex node, resource Field Value, against the emulator', () => {
	const accounts = Array.from({ length: 2345 }, (_, i) => ({
		code: String(600000 + i),
		label: `Account ${600000 + i}`,
	}));
	const createParameters = (fieldId: string) => ({
		resource: 'fieldValue',
		operation: 'createMany',
		fieldId,
		value: '',
		remoteId: '',
	});
	const perItem = (fieldId: string, rows: typeof accounts, extra: IDataObject = {}) =>
		((itemIndex: number) => ({
			...createParameters(fieldId),
			value: rows[itemIndex].label,
			remoteId: rows[itemIndex].code,
			...extra,
		})) as HarnessOptions['parameters'];

	it('creates 2,345 values in batches of 1,000 and lists them back in pages of 1,000', async () => {
		const fieldId = await newField('GL account (bulk)');
		emulator.stats.reset();
		const created = await run(perItem(fieldId, accounts), { items: itemsOf(accounts) });
		expect(created).toHaveLength(2345);
		expect(created[2344].json).toMatchObject({ remote_id: '602344', value: 'Account 602344' });
		expect(created[2344].pairedItem).toEqual({ item: 2344 });
		expect(requestsTo(`POST ${VALUES_ROUTE}`)).toHaveLength(3);
		expect(valuesIn(fieldId)).toHaveLength(2345);

		emulator.stats.reset();
		const listed = await run({
			resource: 'fieldValue',
			operation: 'getAll',
			fieldId,
			returnAll: true,
		});
		expect(listed).toHaveLength(2345);
		expect(new Set(listed.map((item) => item.json.remote_id)).size).toBe(2345);
		const pages = requestsTo(`GET ${VALUES_ROUTE}`);
		expect(pages).toHaveLength(3);
		expect(pages.every((page) => page.query.includes('limit=1000'))).toBe(true);

		const limited = await run({
			resource: 'fieldValue',
			operation: 'getAll',
			fieldId,
			returnAll: false,
			limit: 5,
			filters: { remoteIds: '600001,600002' },
		});
		expect(limited.map((item) => item.json.remote_id)).toEqual(['600001', '600002']);
	});

	it('creates nothing new when the same batch runs again after a lost reply', async () => {
		const fieldId = await newField('GL account (lost reply)');
		const rows = accounts.slice(0, 1200);
		const loss = loseFirstReply((method, path) => method === 'POST' && path.endsWith('/values'));
		const lossy = await proxy(loss.decide);
		try {
			// The client retries the batch whose reply was lost with the same key: Brex replays its answer.
			const created = await run(perItem(fieldId, rows), {
				items: itemsOf(rows),
				baseUrl: lossy.url,
			});
			expect(created).toHaveLength(1200);
			expect(loss.lost()).toBe(1);
		} finally {
			await lossy.close();
		}
		expect(valuesIn(fieldId)).toHaveLength(1200);
		// The whole node run again (a retried execution): both batches replay, nothing is created twice.
		const again = await run(perItem(fieldId, rows), { items: itemsOf(rows) });
		expect(again).toHaveLength(1200);
		expect(valuesIn(fieldId)).toHaveLength(1200);
		const replays = emulator.stats.idempotencyKeys.filter(
			(k) => k.route === `POST ${VALUES_ROUTE}`,
		);
		expect(replays.map((k) => k.replayed)).toEqual([false, true, false, true, true]);
	});

	it('gets through 429s with backoff, then renames and disables values addressed by remote_id', async () => {
		const fieldId = await newField('Cost centre (429)');
		const rows = accounts.slice(0, 3);
		await run(perItem(fieldId, rows), { items: itemsOf(rows) });
		emulator.setFaults({ rateLimitBurst: 2 });
		const renamed = await run(
			(itemIndex) => ({
				resource: 'fieldValue',
				operation: 'updateMany',
				fieldId,
				remoteId: rows[itemIndex].code,
				updateFields: { value: `${rows[itemIndex].label} (renamed)` },
			}),
			{ items: itemsOf(rows) },
		);
		expect(emulator.stats.rateLimited).toBe(2);
		expect(backoff.waits()).toHaveLength(2);
		expect(renamed.map((item) => item.json.value)).toEqual(
			rows.map((row) => `${row.label} (renamed)`),
		);
		const disabled = await run(
			{ resource: 'fieldValue', operation: 'disableMany', fieldId, remoteId: rows[1].code },
			{ items: itemsOf([rows[1]]) },
		);
		expect(disabled[0].json).toMatchObject({ remote_id: rows[1].code, is_disabled: true });
		expect(valuesIn(fieldId).map((value) => value.is_disabled)).toEqual([false, true, false]);
	});

	it('with continue on fail, an unknown remote_id fails its batch as error items, the node goes on', async () => {
		const fieldId = await newField('Cost centre (unknown)');
		const output = await run(
			{ resource: 'fieldValue', operation: 'disableMany', fieldId, remoteId: 'NOPE' },
			{ items: itemsOf([{}]), continueOnFail: true },
		);
		expect(output).toHaveLength(1);
		expect(String(output[0].json.error)).toMatch(/404.*NOPE/);
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Brex node, Field Value → Sync From List, against the emulator', () => {
	const chart = Array.from({ length: 2345 }, (_, i) => ({
		code: String(600000 + i),
		label: `Account ${600000 + i}`,
		active: true,
	}));
	const syncParameters = (fieldId: string, rows: IDataObject[], extra: IDataObject = {}) =>
		((itemIndex: number) => ({
			resource: 'fieldValue',
			operation: 'syncFromList',
			fieldId,
			code: rows[itemIndex].code,
			label: rows[itemIndex].label,
			active: rows[itemIndex].active,
			sourceScope: 'all',
			...extra,
		})) as HarnessOptions['parameters'];
	const sync = async (fieldId: string, rows: IDataObject[], extra: IDataObject = {}) =>
		await run(syncParameters(fieldId, rows, extra), { items: itemsOf(rows) });

	it('fills an empty field, applies renames, closings and re-openings, and changes nothing when run twice', async () => {
		const fieldId = await newField('GL account (sync)');
		emulator.stats.reset();
		const [filled] = await sync(fieldId, chart);
		expect(filled.json).toMatchObject({
			fieldId,
			created: 2345,
			renamed: 0,
			disabled: 0,
			reenabled: 0,
			unchanged: 0,
			brexCalls: 4,
			applied: true,
		});
		expect(filled.pairedItem).toHaveLength(2345);
		expect(requestsTo(`POST ${VALUES_ROUTE}`)).toHaveLength(3);
		expect(valuesIn(fieldId).every((value) => value.value_id === value.remote_id)).toBe(true);

		// X3: one account renamed, one closed, one gone from the list, one new.
		const changed = chart
			.filter((row) => row.code !== '600003')
			.map((row) =>
				row.code === '600001'
					? { ...row, label: 'Purchases of goods' }
					: row.code === '600002'
						? { ...row, active: false }
						: row,
			);
		changed.push({ code: '699999', label: 'New account', active: true });
		const [updated, ...changes] = await sync(fieldId, changed, {
			options: { outputChanges: true },
		});
		expect(updated.json).toMatchObject({
			created: 1,
			renamed: 1,
			disabled: 2,
			reenabled: 0,
			unchanged: 2342,
			brexCalls: 5,
		});
		expect(changes.map((item) => [item.json.change, item.json.code])).toEqual([
			['created', '699999'],
			['renamed', '600001'],
			['disabled', '600002'],
			['disabled', '600003'],
		]);
		// Paired with the input item of its code: 600001 is the second item.
		expect(changes[1].pairedItem).toEqual({ item: 1 });

		emulator.stats.reset();
		const [again] = await sync(fieldId, changed);
		expect(again.json).toMatchObject({
			created: 0,
			renamed: 0,
			disabled: 0,
			reenabled: 0,
			unchanged: 2346,
			brexCalls: 3,
		});
		expect(requestsTo(`POST ${VALUES_ROUTE}`)).toHaveLength(0);
		expect(requestsTo(`PUT ${VALUES_ROUTE}`)).toHaveLength(0);

		// The closed account is reopened under a new name.
		const reopened = changed.map((row) =>
			row.code === '600002' ? { ...row, label: 'Supplies', active: true } : row,
		);
		const [back] = await sync(fieldId, reopened);
		expect(back.json).toMatchObject({ reenabled: 1, renamed: 0, created: 0, disabled: 0 });
		const held = valuesIn(fieldId).find((value) => value.remote_id === '600002')!;
		expect(held).toMatchObject({ value: 'Supplies', is_disabled: false });
		const enabled = valuesIn(fieldId).filter((value) => !value.is_disabled);
		expect(enabled).toHaveLength(2345);
	});

	it('with "only changed values" leaves the rest alone, and previews without changing anything', async () => {
		const fieldId = await newField('Dimension (changes)');
		await sync(fieldId, chart.slice(0, 10));
		const [preview] = await sync(
			fieldId,
			[{ code: '600004', label: 'Account 600004', active: false }],
			{ sourceScope: 'changes', options: { dryRun: true } },
		);
		expect(preview.json).toMatchObject({ disabled: 1, applied: false, brexCalls: 1 });
		expect(valuesIn(fieldId).some((value) => value.is_disabled)).toBe(false);
		const [applied] = await sync(
			fieldId,
			[{ code: '600004', label: 'Account 600004', active: false }],
			{ sourceScope: 'changes' },
		);
		expect(applied.json).toMatchObject({ disabled: 1, unchanged: 0, applied: true });
		expect(
			valuesIn(fieldId)
				.filter((value) => value.is_disabled)
				.map((v) => v.remote_id),
		).toEqual(['600004']);
	});

	it('gets through a 429 on the read and on a batch', async () => {
		const fieldId = await newField('Dimension (429)');
		emulator.setFaults({ rateLimitBurst: 1 });
		const [first] = await sync(fieldId, chart.slice(0, 5));
		expect(first.json).toMatchObject({ created: 5, brexCalls: 2 });
		expect(emulator.stats.rateLimited).toBe(1);
		expect(backoff.waits()).toHaveLength(1);
		expect(valuesIn(fieldId)).toHaveLength(5);
	});

	it('refuses duplicate and blank codes with the reason, and changes nothing', async () => {
		const fieldId = await newField('Dimension (bad list)');
		const rows = [
			{ code: 'A1', label: 'One', active: true },
			{ code: 'A1', label: 'Again', active: true },
			{ code: ' ', label: 'Blank', active: true },
		];
		await expect(sync(fieldId, rows)).rejects.toThrow(
			/code "A1" appears twice \(values #1 and #2\); value #3 has a blank code/,
		);
		expect(valuesIn(fieldId)).toHaveLength(0);
		const [failed] = await run(syncParameters(fieldId, rows), {
			items: itemsOf(rows),
			continueOnFail: true,
		});
		expect(String(failed.json.error)).toMatch(/appears twice/);
		expect(String(failed.json.description)).toMatch(/Nothing was changed in Brex/);
	});

	it('says how far it got when Brex keeps failing during the apply, and the next run finishes', async () => {
		const fieldId = await newField('Dimension (5xx)');
		const rows = chart.slice(0, 1500);
		// The read and the first batch go through; the second batch meets a 500 on every attempt.
		let creates = 0;
		const failing = await proxy((method, path) => {
			if (method !== 'POST' || !path.endsWith('/values')) return 'forward';
			creates++;
			return creates === 1 ? 'forward' : 'fail';
		});
		let error: unknown;
		try {
			await run(syncParameters(fieldId, rows), { items: itemsOf(rows), baseUrl: failing.url });
		} catch (caught) {
			error = caught;
		} finally {
			await failing.close();
		}
		expect(String((error as Error).message)).toMatch(/500.*gave up after 5 attempts/);
		expect(String((error as { description?: string }).description)).toMatch(
			/Applied before the failure: 1000 of 1500 new values, 0 of 0 updates/,
		);
		expect(valuesIn(fieldId)).toHaveLength(1000);
		const [finished] = await sync(fieldId, rows);
		expect(finished.json).toMatchObject({ created: 500, unchanged: 1000 });
	});
});
