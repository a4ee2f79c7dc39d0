import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { generatedSupplierCode } from '../../nodes/SageX3/actions/supplier/findOrCreate.operation';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { FakeX3Gateway, executeContext, rl, seededGateway } from '../support/sageX3NodeHarness';
import type { ParameterValue } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));

async function run(
	gateway: FakeX3Gateway,
	parameters: Record<string, ParameterValue>,
	inputs: IDataObject[],
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
	const context = executeContext(
		{ resource: 'supplier', readApi: 'soap', x3Setup: {}, ...parameters },
		inputs,
		{
			continueOnFail,
		},
	);
	const [output] = await new SageX3().execute.call(context);
	return output;
}

function findOrCreate(
	overrides: Record<string, ParameterValue> = {},
): Record<string, ParameterValue> {
	return {
		operation: 'findOrCreate',
		vendorNameSource: 'spendItem',
		notFoundPolicy: 'create',
		category: 'SUP',
		aliases: {},
		options: {},
		...overrides,
	};
}

function vendor(n: number, vendorName: string | null, extra: IDataObject = {}) {
	return makeSpendItem(`expense_${n}`, { vendorName, ...extra });
}

const supplierOf = (item: INodeExecutionData) => item.json.supplier as IDataObject;

describe('Supplier: Find or Create', () => {
	it('matches by name case- and accent-insensitively, one X3 search per distinct vendor', async () => {
		const gateway = seededGateway();
		gateway.suppliers.push({
			code: 'ELO01',
			name: 'Élodie Bäckerei GmbH',
			shortName: null,
			category: 'SUP',
			country: 'DE',
			currency: 'EUR',
			isActive: true,
		});
		const inputs = [
			vendor(1, 'ELODIE BACKEREI'),
			vendor(2, 'Acme Corp'),
			vendor(3, 'élodie  bäckerei'),
			vendor(4, 'ACME CORP.'),
			vendor(5, 'Acme Corp'),
		];
		const output = await run(gateway, findOrCreate(), inputs);
		expect(output.map((o) => supplierOf(o).code)).toEqual([
			'ELO01',
			'BRX00001',
			'ELO01',
			'BRX00001',
			'BRX00001',
		]);
		expect(supplierOf(output[0])).toMatchObject({
			matchedBy: 'name',
			name: 'Élodie Bäckerei GmbH',
			matchQuality: 'core',
		});
		expect(gateway.callCount('searchSuppliers')).toBe(2);
		expect(gateway.callCount('createSupplier')).toBe(0);
		expect(output[2].json).toMatchObject({ id: 'expense_3', traceId: inputs[2].traceId });
		expect(output.map((o) => o.pairedItem)).toEqual(inputs.map((_, item) => ({ item })));
	});

	it('checks the alias table first (fixed collection and JSON), verifying each code once', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			findOrCreate({
				aliases: { alias: [{ vendorName: 'AMZN Mktp US', supplierCode: 'BRX00002' }] },
				options: { aliasTable: '{"Uber Trip": "BRX00003"}' },
			}),
			[vendor(1, 'amzn mktp us'), vendor(2, 'UBER TRIP'), vendor(3, 'AMZN MKTP US')],
		);
		expect(output.map((o) => [supplierOf(o).code, supplierOf(o).matchedBy])).toEqual([
			['BRX00002', 'alias'],
			['BRX00003', 'alias'],
			['BRX00002', 'alias'],
		]);
		expect(supplierOf(output[0]).name).toBe('Globex Corp');
		expect(gateway.callCount('getSupplier')).toBe(2);
		expect(gateway.callCount('searchSuppliers')).toBe(0);
	});

	it('fails an item whose alias points to a supplier X3 does not have', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			findOrCreate({ aliases: { alias: [{ vendorName: 'Ghost', supplierCode: 'NOPE' }] } }),
			[vendor(1, 'Ghost'), vendor(2, 'Acme Corp')],
			true,
		);
		expect(output[0].json.error).toMatch(/points to supplier "NOPE", which X3 does not have/);
		// On the regular output the failed record stays whole, ready for a replay.
		expect(output[0].json).toMatchObject({ id: 'expense_1', vendorName: 'Ghost' });
		expect(supplierOf(output[1]).code).toBe('BRX00001');
	});

	it('creates a missing supplier once per vendor with the category and item currency', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate({ options: { country: 'FR' } }), [
			vendor(1, 'Brand New Vendor Inc', { currency: 'EUR' }),
			vendor(2, 'brand new vendor, inc.'),
		]);
		expect(gateway.callCount('createSupplier')).toBe(1);
		expect(gateway.suppliers[gateway.suppliers.length - 1]).toMatchObject({
			name: 'Brand New Vendor Inc',
			category: 'SUP',
			country: 'FR',
			currency: 'EUR',
			shortName: 'Brand New',
		});
		expect(output.map((o) => supplierOf(o).matchedBy)).toEqual(['created', 'name']);
		expect(supplierOf(output[1]).code).toBe(supplierOf(output[0]).code);
	});

	it('finds on a later run a supplier it created with a name cut to the X3 width', async () => {
		const gateway = seededGateway();
		const longName = 'The Extraordinarily Long Named Consulting Partners';
		const first = await run(gateway, findOrCreate(), [vendor(1, longName)]);
		expect(supplierOf(first[0])).toMatchObject({
			matchedBy: 'created',
			name: longName.slice(0, 35).trim(),
		});
		const second = await run(gateway, findOrCreate(), [vendor(2, longName)]);
		expect(supplierOf(second[0])).toMatchObject({
			matchedBy: 'name',
			code: supplierOf(first[0]).code,
		});
		expect(gateway.callCount('createSupplier')).toBe(1);
	});

	it('gives created suppliers a deterministic code when a prefix is set', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate({ options: { codePrefix: 'brx' } }), [
			vendor(1, 'Zeta Labs'),
		]);
		expect(supplierOf(output[0]).code).toBe(generatedSupplierCode('BRX', 'zeta labs'));
		expect(supplierOf(output[0]).code).toMatch(/^BRX[0-9A-Z]{7}$/);
	});

	it('does not confuse two legal entities: "Initech Inc" is not "Initech Corp"', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate(), [vendor(1, 'Initech Inc')]);
		expect(supplierOf(output[0]).matchedBy).toBe('created');
	});

	it('applies the default policy: default supplier and expense account passed on', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			findOrCreate({
				notFoundPolicy: 'useDefault',
				defaultSupplierCode: 'DIVERS',
				defaultExpenseAccount: '628000',
			}),
			[vendor(1, 'Unknown Vendor'), vendor(2, 'Acme Corp')],
		);
		expect(supplierOf(output[0])).toEqual({
			code: 'DIVERS',
			name: null,
			matchedBy: 'default',
			defaultExpenseAccount: '628000',
			note: 'No X3 supplier matches vendor "Unknown Vendor"',
		});
		expect(supplierOf(output[1]).matchedBy).toBe('name');
		expect(gateway.callCount('createSupplier')).toBe(0);
	});

	it('passes an item without any vendor name on without a supplier under the create policy', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate({ notFoundPolicy: 'create' }), [
			vendor(1, null, { merchant: { name: null, mcc: null, country: null } }),
		]);
		expect(supplierOf(output[0])).toEqual({
			code: null,
			name: null,
			matchedBy: 'default',
			note: 'The item has no vendor name',
		});
		expect(gateway.callCount('createSupplier')).toBe(0);
		expect(gateway.callCount('searchSuppliers')).toBe(0);
	});

	it('applies the skip policy with an audit reason', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate({ notFoundPolicy: 'skip' }), [
			vendor(1, 'Unknown Vendor', { supplier: { code: 'OLD' } }),
			vendor(2, null, { merchant: { name: null, mcc: null, country: null } }),
		]);
		expect(output[0].json.supplierDecision).toEqual({
			action: 'skip',
			reason: 'No X3 supplier matches vendor "Unknown Vendor"',
			vendorName: 'Unknown Vendor',
		});
		expect(output[0].json).not.toHaveProperty('supplier');
		expect((output[1].json.supplierDecision as IDataObject).reason).toBe(
			'The item has no vendor name',
		);
	});

	it('reports ambiguous and inactive-only matches instead of guessing or duplicating', async () => {
		const gateway = seededGateway();
		gateway.suppliers.push(
			{
				code: 'ZZ1',
				name: 'Omega Corp',
				shortName: null,
				category: 'SUP',
				country: null,
				currency: null,
				isActive: true,
			},
			{
				code: 'ZZ2',
				name: 'Omega Inc',
				shortName: null,
				category: 'SUP',
				country: null,
				currency: null,
				isActive: true,
			},
			{
				code: 'ZZ3',
				name: 'Sleepy LLC',
				shortName: null,
				category: 'SUP',
				country: null,
				currency: null,
				isActive: false,
			},
		);
		const output = await run(
			gateway,
			findOrCreate(),
			[vendor(1, 'Omega'), vendor(2, 'Sleepy')],
			true,
		);
		expect(output[0].json.error).toMatch(
			/matches several X3 suppliers: ZZ1 "Omega Corp", ZZ2 "Omega Inc"/,
		);
		expect(output[1].json.error).toMatch(/only inactive X3 supplier\(s\) ZZ3/);
		expect(gateway.callCount('createSupplier')).toBe(0);
	});

	it('takes the name from a parameter for plain items', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			findOrCreate({
				vendorNameSource: 'parameter',
				vendorName: (i: number) => ['Globex Corp', 'Hooli Corp'][i],
			}),
			[{ row: 1 }, { row: 2 }],
		);
		expect(output.map((o) => [o.json.row, supplierOf(o).code])).toEqual([
			[1, 'BRX00002'],
			[2, 'BRX00007'],
		]);
	});

	it('without continue-on-fail, a failure stops the node with the item index', async () => {
		const gateway = seededGateway();
		gateway.faults.searchSuppliers = () => new Error('X3 unreachable');
		await expect(run(gateway, findOrCreate(), [vendor(1, 'Acme Corp')])).rejects.toMatchObject({
			message: 'X3 unreachable',
			context: { itemIndex: 0 },
		});
	});

	it('requires a supplier category to create', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, findOrCreate({ category: '' }), [vendor(1, 'New One')], true);
		expect(output[0].json.error).toMatch(/Supplier Category is required/);
	});
});

describe('Supplier: Get, Search, Create', () => {
	it('gets a supplier by code, or reports it missing', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			{ operation: 'get', supplier: (i: number) => rl(['BRX00001', 'NOPE'][i]) },
			[{}, {}],
			true,
		);
		expect(output[0].json).toMatchObject({ code: 'BRX00001', name: 'Acme Corp' });
		expect(output[1].json.error).toMatch(/^Supplier "NOPE" was not found in X3/);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('searches by name and code, one output item per supplier', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, { operation: 'search', code: '', name: 'corp', limit: 3 }, [
			{},
		]);
		expect(output).toHaveLength(3);
		expect(output.every((o) => (o.json.name as string).includes('Corp'))).toBe(true);
		expect(output.every((o) => (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('creates a supplier with the given fields', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			{
				operation: 'create',
				name: 'Delta Supplies',
				category: 'SUP',
				additionalFields: { code: 'DELTA', currency: 'eur', country: 'FR' },
			},
			[{}],
		);
		expect(output[0].json).toMatchObject({
			code: 'DELTA',
			name: 'Delta Supplies',
			currency: 'EUR',
			country: 'FR',
		});
	});
});
