import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { x3SetupProperty } from '../../nodes/SageX3/actions/versionDescription';
import { layoutFromSetup } from '../../nodes/SageX3/helpers/layout';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import {
	FakeX3Gateway,
	executeContext,
	loadOptionsContext,
	rl,
	seededGateway,
} from '../support/sageX3NodeHarness';
import type { ParameterValue } from '../support/sageX3NodeHarness';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));

async function run(
	gateway: FakeX3Gateway,
	parameters: Record<string, ParameterValue>,
	inputs: IDataObject[] = [{}],
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
	const context = executeContext({ readApi: 'soap', x3Setup: {}, ...parameters }, inputs, {
		continueOnFail,
	});
	const [output] = await new SageX3().execute.call(context);
	return output;
}

describe('GL Account', () => {
	it('gets an account, and reports a missing one as an error item', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			{
				resource: 'account',
				operation: 'get',
				account: (i: number) => rl(['625100', '000000'][i]),
			},
			[{}, {}],
			true,
		);
		expect(output[0].json).toMatchObject({
			code: '625100',
			isActive: true,
			requiredDimensionTypes: ['DEP'],
		});
		expect(output[1].json.error).toMatch(/GL account "000000" was not found/);
	});

	it('searches accounts by code prefix', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, {
			resource: 'account',
			operation: 'search',
			code: '6251',
			accountDescription: '',
			limit: 50,
		});
		expect(output.map((o) => o.json.code)).toEqual(['625100', '625110']);
	});

	it('validates existence, activity and required dimensions', async () => {
		const gateway = seededGateway();
		gateway.accounts.push({
			chart: 'CA_FRA',
			code: '600000',
			description: 'Old',
			isActive: false,
			requiredDimensionTypes: [],
		});
		const output = await run(
			gateway,
			{
				resource: 'account',
				operation: 'validate',
				account: (i: number) => rl(['625100', '625100', '600000', '999999'][i]),
				dimensions: (i: number) => ['DEP=ENG', 'CC-SF', '', ''][i],
			},
			[{}, {}, {}, {}],
		);
		expect(output.map((o) => [o.json.valid, o.json.missingDimensionTypes, o.json.reason])).toEqual([
			[true, [], undefined],
			[false, ['DEP'], 'missing required dimension(s) DEP'],
			[false, [], 'GL account "600000" is inactive'],
			[false, [], 'GL account "999999" does not exist in chart CA_FRA'],
		]);
	});
});

describe('Dimension', () => {
	it('lists types once per execution, flagging the configured ones', async () => {
		const gateway = seededGateway();
		gateway.dimensionTypes.push({ code: 'BUD', description: 'Budget' });
		const output = await run(gateway, { resource: 'dimension', operation: 'listTypes' }, [{}, {}]);
		expect(output).toHaveLength(8);
		expect(output.slice(0, 4).map((o) => [o.json.code, o.json.fieldIndex])).toEqual([
			['CCT', 1],
			['DEP', 2],
			['PRJ', 3],
			['BUD', null],
		]);
		expect(output[5].pairedItem).toEqual({ item: 1 });
		expect(gateway.callCount('listDimensionTypes')).toBe(1);
	});

	it('searches the values of a type', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, {
			resource: 'dimension',
			operation: 'search',
			dimensionType: 'CCT',
			code: 'CC-',
			dimensionDescription: 'york',
			limit: 10,
		});
		expect(output.map((o) => o.json.code)).toEqual(['CC-NY']);
	});

	it('validates a set of values: unknown, inactive, not configured', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, {
			resource: 'dimension',
			operation: 'validate',
			dimensions: {
				dimension: [
					{ type: 'DEP', value: 'ENG' },
					{ type: 'CCT', value: 'CC-XX' },
					{ type: 'PRJ', value: 'PRJ-OLD' },
					{ type: 'BUD', value: 'B1' },
				],
			},
		});
		expect(output[0].json).toMatchObject({
			valid: false,
			unknown: [
				{ type: 'CCT', value: 'CC-XX' },
				{ type: 'BUD', value: 'B1' },
			],
			inactive: [{ type: 'PRJ', value: 'PRJ-OLD' }],
			notConfigured: ['BUD'],
		});
	});
});

describe('dropdowns', () => {
	const node = new SageX3();

	it('list-search suppliers by name and by code', async () => {
		const gateway = seededGateway();
		jest.mocked(getGateway).mockResolvedValue(gateway);
		const byName = await node.methods.listSearch.searchSuppliers.call(
			loadOptionsContext({}),
			'globex',
		);
		expect(byName.results).toEqual([
			{ name: 'Globex Corp (BRX00002)', value: 'BRX00002' },
			{ name: 'Globex Inc (BRX00032)', value: 'BRX00032' },
		]);
		const byCode = await node.methods.listSearch.searchSuppliers.call(
			loadOptionsContext({}),
			'BRX0001',
		);
		expect(byCode.results.map((r) => r.value)).toContain('BRX00010');
	});

	it('list-search accounts by code', async () => {
		const gateway = seededGateway();
		jest.mocked(getGateway).mockResolvedValue(gateway);
		const accounts = await node.methods.listSearch.searchAccounts.call(
			loadOptionsContext({}),
			'4671',
		);
		expect(accounts.results).toEqual([{ name: '467100 – Account 467100', value: '467100' }]);
	});

	it('load sites, entry types, dimension types (configured first) and dimensions', async () => {
		const gateway = seededGateway();
		gateway.dimensionTypes.push({ code: 'BUD', description: 'Budget' });
		jest.mocked(getGateway).mockResolvedValue(gateway);
		const context = loadOptionsContext(
			{ x3Setup: { dimensionTypes: 'DEP, CCT' } },
			{ dimensionType: 'PRJ' },
		);
		expect(await node.methods.loadOptions.getSites.call(context)).toEqual([
			{ name: 'FR011 – Paris HQ', value: 'FR011' },
			{ name: 'US001 – San Francisco', value: 'US001' },
		]);
		expect(
			(await node.methods.loadOptions.getEntryTypes.call(context)).map((o) => o.value),
		).toEqual(['ODT', 'CARD']);
		expect(
			(await node.methods.loadOptions.getDimensionTypes.call(context)).map((o) => o.name),
		).toEqual([
			'DEP – Department',
			'CCT – Cost centre',
			'PRJ – Project [not configured]',
			'BUD – Budget [not configured]',
		]);
		expect(
			(await node.methods.loadOptions.getDimensions.call(context)).map((o) => o.value),
		).toEqual(['PRJ-ALPHA', 'PRJ-BETA', 'PRJ-OLD']);
	});
});

describe('X3 Setup', () => {
	it('defaults to DEFAULT_X3_LAYOUT and overrides what is set', () => {
		expect(layoutFromSetup({})).toEqual(DEFAULT_X3_LAYOUT);
		const layout = layoutFromSetup({
			journalPublication: 'ZGAS',
			traceField: 'REFINT',
			traceFieldLength: 25,
			dimensionTypes: 'CC, PRJ',
			chartOfAccounts: 'US_GAAP',
			fieldNames: '{"journalEntry": {"reference": "REF2"}, "supplier": {"category": "BSG"}}',
		});
		expect(layout.journalEntry).toMatchObject({
			publication: 'ZGAS',
			traceFieldLength: 25,
			fields: { traceField: 'REFINT', reference: 'REF2', site: 'FCY' },
		});
		expect(layout.supplier.fields.category).toBe('BSG');
		expect(layout.dimensionTypes).toEqual(['CC', 'PRJ']);
		expect(layout.chartOfAccounts).toBe('US_GAAP');
	});

	it('shows DEFAULT_X3_LAYOUT values as the defaults of the X3 Setup fields', () => {
		const setup = x3SetupProperty.options as Array<{ name: string; default: unknown }>;
		const defaults = Object.fromEntries(setup.map((option) => [option.name, option.default]));
		expect(layoutFromSetup(defaults)).toEqual(DEFAULT_X3_LAYOUT);
	});

	it('explains bad settings', () => {
		expect(() => layoutFromSetup({ traceFieldLength: 8 })).toThrow(/at least 12/);
		expect(() => layoutFromSetup({ dimensionTypes: 'CCT,CCT' })).toThrow(/more than once/);
		expect(() => layoutFromSetup({ fieldNames: '{"journalEntry": {"nope": "X"}}' })).toThrow(
			/not a known field/,
		);
		expect(() => layoutFromSetup({ fieldNames: '{' })).toThrow(/not valid JSON/);
	});

	it('is reported as a node error when running', async () => {
		const gateway = seededGateway();
		await expect(
			run(gateway, {
				resource: 'dimension',
				operation: 'listTypes',
				x3Setup: { traceFieldLength: 5 },
			}),
		).rejects.toThrow(/X3 Setup: Trace Field Length/);
	});
});
