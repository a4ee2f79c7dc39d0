import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Brex } from '../../nodes/Brex/Brex.node';
import { planRequestItems } from '../../nodes/brexApi/fieldValueSync';
import {
	canonicalJson,
	derivedIdempotencyKey,
	fieldCreateBody,
	fieldValueUpdateBody,
} from '../../nodes/brexApi/fields';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { planFieldValues } from '../../nodes/masterData/fieldValuePlan';
import {
	BASE_URL,
	createHarness,
	recordingSleep,
	type HarnessOptions,
} from '../support/brexClientHarness';

const node = new Brex();

/** A nock body matcher that keeps every body it sees. */
function keep(bodies: unknown[]) {
	return (body: unknown) => {
		bodies.push(body);
		return true;
	};
}

async function run(
	parameters: HarnessOptions['parameters'],
	options: Partial<HarnessOptions> = {},
): Promise<{ output: INodeExecutionData[]; sent: Array<{ headers: IDataObject; body: unknown }> }> {
	const harness = createHarness({ parameters, ...options });
	const [output] = await node.execute.call(harness.ctx);
	return {
		output,
		sent: harness.requests.map((r) => ({ headers: r.headers as IDataObject, body: r.body })),
	};
}

const value = (brexId: string, remoteId: string, name: string, disabled = false): IDataObject => ({
	brex_id: brexId,
	remote_id: remoteId,
	value_id: remoteId,
	value: name,
	field_id: 'extended_field_1',
	updated_at: '2026-12-01T00:00:00Z',
	is_disabled: disabled,
});

beforeEach(() => setSleepForTests(recordingSleep().sleep));
afterEach(() => {
	setSleepForTests();
	nock.cleanAll();
});

describe('Fields API request building', () => {
	it('derives a version-5 UUID from method, path and body, whatever the key order', () => {
		const key = derivedIdempotencyKey('POST', '/v1/fields', { name: 'GL', group: 'ACCOUNTING' });
		expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(derivedIdempotencyKey('post', '/v1/fields', { group: 'ACCOUNTING', name: 'GL' })).toBe(
			key,
		);
		expect(
			derivedIdempotencyKey('POST', '/v1/fields', { name: 'GL ', group: 'ACCOUNTING' }),
		).not.toBe(key);
		expect(
			derivedIdempotencyKey('POST', '/v1/fields/x', { name: 'GL', group: 'ACCOUNTING' }),
		).not.toBe(key);
		expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'x', u: undefined })).toBe(
			'{"a":"x","b":[{"c":null,"d":1}]}',
		);
	});

	it('sends only the members given', () => {
		expect(fieldCreateBody({ name: 'GL', group: 'ACCOUNTING', remoteId: '' })).toEqual({
			name: 'GL',
			group: 'ACCOUNTING',
		});
		expect(
			fieldCreateBody({ name: 'CC', group: 'ERP', integrationId: 'int_1', disabled: true }),
		).toEqual({ name: 'CC', group: 'ERP', integration_id: 'int_1', is_disabled: true });
		expect(fieldValueUpdateBody({ remoteId: '601000', disabled: true })).toEqual({
			remote_id: '601000',
			data: { is_disabled: true },
		});
	});

	it('turns a plan into creates keyed by code and updates addressed by remote_id', () => {
		const plan = planFieldValues(
			[
				{ code: '601000', label: 'Purchases', active: true },
				{ code: '602000', label: 'Supplies', active: true },
				{ code: '603000', label: 'Stock', active: true },
				{ code: '604000', label: 'Services', active: false },
			],
			[
				{ id: 'efo_2', remoteId: '602000', name: 'Supply', disabled: false },
				{ id: 'efo_3', remoteId: '603000', name: 'Stock', disabled: true },
				{ id: 'efo_4', remoteId: '604000', name: 'Services', disabled: false },
			],
		);
		expect(planRequestItems(plan)).toEqual({
			creates: [{ value: 'Purchases', remote_id: '601000', value_id: '601000' }],
			updates: [
				{ remote_id: '602000', data: { value: 'Supplies' } },
				{ remote_id: '603000', data: { value: 'Stock', is_disabled: false } },
				{ remote_id: '604000', data: { is_disabled: true } },
			],
		});
	});
});

describe('Brex node, Field operations (requests)', () => {
	it('creates a field with a key derived from the request, the same on every run', async () => {
		const bodies: unknown[] = [];
		nock(BASE_URL)
			.post('/v1/fields', keep(bodies))
			.times(2)
			.reply(200, { brex_id: 'extended_field_1', name: 'GL', is_disabled: false, updated_at: 'x' });
		const parameters = {
			resource: 'field',
			operation: 'create',
			name: ' GL ',
			group: 'ACCOUNTING',
			remoteId: 'X3_GACC',
		};
		const first = await run(parameters);
		const second = await run(parameters);
		expect(bodies).toEqual([
			{ name: 'GL', group: 'ACCOUNTING', remote_id: 'X3_GACC' },
			{ name: 'GL', group: 'ACCOUNTING', remote_id: 'X3_GACC' },
		]);
		const key = derivedIdempotencyKey('POST', '/v1/fields', bodies[0] as IDataObject);
		expect(first.sent[0].headers['Idempotency-Key']).toBe(key);
		expect(second.sent[0].headers['Idempotency-Key']).toBe(key);
		expect(first.output[0].json.brex_id).toBe('extended_field_1');
	});

	it('uses an Idempotency Key set in the options instead', async () => {
		nock(BASE_URL).post('/v1/fields').reply(200, { brex_id: 'extended_field_2' });
		const { sent } = await run({
			resource: 'field',
			operation: 'create',
			name: 'GL',
			group: 'USER',
			options: { idempotencyKey: 'my-own-key' },
		});
		expect(sent[0].headers['Idempotency-Key']).toBe('my-own-key');
	});

	it('disables with PUT is_disabled (not DELETE), and refuses an update with nothing to change', async () => {
		nock(BASE_URL)
			.put('/v1/fields/extended_field_1', { is_disabled: true })
			.reply(200, { brex_id: 'extended_field_1', is_disabled: true });
		const { output } = await run({
			resource: 'field',
			operation: 'disable',
			fieldId: 'extended_field_1',
		});
		expect(output[0].json.is_disabled).toBe(true);
		await expect(
			run({
				resource: 'field',
				operation: 'update',
				fieldId: 'extended_field_1',
				updateFields: {},
			}),
		).rejects.toThrow('Nothing to update');
	});

	it('lists fields 1,000 per page with the field_id[] filter', async () => {
		nock(BASE_URL)
			.get('/v1/fields')
			.query({ 'field_id[]': ['a', 'b'], limit: '1000' })
			.reply(200, { next_cursor: null, items: [{ brex_id: 'a' }, { brex_id: 'b' }] });
		const { output } = await run({
			resource: 'field',
			operation: 'getAll',
			returnAll: true,
			filters: { fieldIds: 'a, b' },
		});
		expect(output.map((item) => item.json.brex_id)).toEqual(['a', 'b']);
	});
});

describe('Brex node, Field Value operations (requests)', () => {
	const rows = [
		{ code: '601000', label: 'Purchases' },
		{ code: '602000', label: 'Supplies' },
	];
	const items = rows.map((json) => ({ json }));

	it('creates the input items as one batch, in order, with a key derived from the batch', async () => {
		const bodies: IDataObject[] = [];
		nock(BASE_URL)
			.post('/v1/fields/extended_field_1/values', keep(bodies))
			.reply(200, {
				// Answered in another order: each value is paired with its input item by remote_id.
				items: [value('efo_2', '602000', 'Supplies'), value('efo_1', '601000', 'Purchases')],
			});
		const { output, sent } = await run(
			(itemIndex) => ({
				resource: 'fieldValue',
				operation: 'createMany',
				fieldId: 'extended_field_1',
				value: rows[itemIndex].label,
				remoteId: rows[itemIndex].code,
			}),
			{ items },
		);
		expect(bodies).toEqual([
			{
				items: [
					{ value: 'Purchases', value_id: '601000', remote_id: '601000' },
					{ value: 'Supplies', value_id: '602000', remote_id: '602000' },
				],
			},
		]);
		expect(sent[0].headers['Idempotency-Key']).toBe(
			derivedIdempotencyKey('POST', '/v1/fields/extended_field_1/values', bodies[0]),
		);
		expect(output.map((item) => [item.json.brex_id, item.pairedItem])).toEqual([
			['efo_2', { item: 1 }],
			['efo_1', { item: 0 }],
		]);
	});

	it('with continue on fail, an item without a remote ID becomes an error item and the rest is sent', async () => {
		nock(BASE_URL)
			.put('/v1/fields/extended_field_1/values', {
				items: [{ remote_id: '602000', data: { is_disabled: true } }],
			})
			.reply(200, { items: [value('efo_2', '602000', 'Supplies', true)] });
		const { output } = await run(
			(itemIndex) => ({
				resource: 'fieldValue',
				operation: 'disableMany',
				fieldId: 'extended_field_1',
				remoteId: itemIndex === 0 ? ' ' : rows[itemIndex].code,
			}),
			{ items, continueOnFail: true },
		);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({
			json: { error: 'Remote ID is empty' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { brex_id: 'efo_2' }, pairedItem: { item: 1 } });
	});

	it('without continue on fail, an update with nothing to change stops before any call', async () => {
		nock(BASE_URL).put('/v1/fields/extended_field_1/values').reply(200, { items: [] });
		await expect(
			run(
				(itemIndex) => ({
					resource: 'fieldValue',
					operation: 'updateMany',
					fieldId: 'extended_field_1',
					remoteId: rows[itemIndex].code,
					updateFields: itemIndex === 0 ? { value: 'New' } : {},
				}),
				{ items },
			),
		).rejects.toThrow('Nothing to update for value 602000');
		expect(nock.pendingMocks()).toHaveLength(1);
	});

	it('syncs: one read, one create batch, one update batch, and a summary paired with every item', async () => {
		const writes: Array<[string, unknown]> = [];
		nock(BASE_URL)
			.get('/v1/fields/extended_field_1/values')
			.query({ limit: '1000' })
			.reply(200, {
				next_cursor: null,
				items: [value('efo_2', '602000', 'Supply'), value('efo_9', '609000', 'Old')],
			})
			.post('/v1/fields/extended_field_1/values', (body) => keep(writes)(['POST', body]))
			.reply(200, { items: [value('efo_1', '601000', 'Purchases')] })
			.put('/v1/fields/extended_field_1/values', (body) => keep(writes)(['PUT', body]))
			.reply(200, { items: [] });
		const { output } = await run(
			(itemIndex) => ({
				resource: 'fieldValue',
				operation: 'syncFromList',
				fieldId: 'extended_field_1',
				code: rows[itemIndex].code,
				label: rows[itemIndex].label,
				active: true,
				sourceScope: 'all',
			}),
			{ items },
		);
		expect(writes).toEqual([
			['POST', { items: [{ value: 'Purchases', value_id: '601000', remote_id: '601000' }] }],
			[
				'PUT',
				{
					items: [
						{ remote_id: '602000', data: { value: 'Supplies' } },
						{ remote_id: '609000', data: { is_disabled: true } },
					],
				},
			],
		]);
		expect(output).toEqual([
			{
				json: {
					fieldId: 'extended_field_1',
					created: 1,
					renamed: 1,
					disabled: 1,
					reenabled: 0,
					unchanged: 0,
					unmanaged: 0,
					brexCalls: 3,
					applied: true,
				},
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
	});
});
