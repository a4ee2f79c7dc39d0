import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { FakeX3Gateway, executeContext, seededGateway } from '../support/sageX3NodeHarness';
import type { ParameterValue } from '../support/sageX3NodeHarness';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));

async function run(
	gateway: FakeX3Gateway,
	parameters: Record<string, ParameterValue>,
	inputs: IDataObject[] = [{}],
	continueOnFail = false,
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
	const context = executeContext(
		{ resource: 'journalEntry', readApi: 'soap', x3Setup: {}, ...parameters },
		inputs,
		{ continueOnFail },
	);
	const [output] = await new SageX3().execute.call(context);
	return output;
}

function createParameters(lines: IDataObject[], overrides: Record<string, ParameterValue> = {}) {
	return {
		operation: 'create',
		entryType: 'ODT',
		site: 'FR011',
		accountingDate: '2026-11-02T00:00:00.000+01:00',
		currency: 'EUR',
		linesInput: 'fields',
		lines: { line: lines },
		additionalFields: { reference: 'Manual 1' },
		...overrides,
	};
}

const BALANCED = [
	{ account: '625100', debit: '120.5', dimensions: 'CC-SF, ENG' },
	{ account: '467100', credit: '120.50' },
];

describe('Journal Entry: Create', () => {
	it('posts a balanced entry with amounts in the currency decimals and positional dimensions', async () => {
		const gateway = seededGateway();
		const output = await run(gateway, createParameters(BALANCED));
		expect(output[0].json).toMatchObject({
			status: 'posted',
			documentNumber: 'ODT000001',
			entryType: 'ODT',
		});
		const draft = gateway.entries[0].draft;
		expect(draft).toMatchObject({
			entryType: 'ODT',
			site: 'FR011',
			accountingDate: '2026-11-02',
			currency: 'EUR',
			reference: 'Manual 1',
			lines: [
				{ account: '625100', debit: '120.50', dimensions: { CCT: 'CC-SF', DEP: 'ENG' } },
				{ account: '467100', credit: '120.50', dimensions: {} },
			],
		});
		expect(draft.traceId).toMatch(/^BRXM-[0-9A-Z]{15}$/);
	});

	it('refuses an unbalanced entry before any X3 call, naming the difference', async () => {
		const gateway = seededGateway();
		const lines = [
			{ account: '625100', debit: '100.00' },
			{ account: '467100', credit: '90.00' },
		];
		let thrown: NodeOperationError | undefined;
		try {
			await run(gateway, createParameters(lines));
		} catch (error) {
			thrown = error as NodeOperationError;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(thrown!.message).toMatch(
			/unbalanced: debits 100.00 EUR, credits 90.00 EUR, difference 10.00 EUR/,
		);
		expect(thrown!.context.itemIndex).toBe(0);
		expect(gateway.totalCalls()).toBe(0);
	});

	it('turns line problems into error items with continue-on-fail, still without calling X3', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			createParameters([], {
				lines: (i: number) =>
					[
						{
							line: [
								{ account: '625100', debit: '1.00', credit: '1.00' },
								{ account: '467100', credit: '1.00' },
							],
						},
						{
							line: [
								{ account: '625100', debit: '1.001' },
								{ account: '467100', credit: '1.001' },
							],
						},
						{
							line: [
								{ account: '625100', debit: '1', dimensions: 'XYZ=1' },
								{ account: '467100', credit: '1' },
							],
						},
					][i],
			}),
			[{}, {}, {}],
			true,
		);
		expect(output.map((o) => o.json.error)).toEqual([
			'Line 1: give either a debit or a credit amount, not both',
			'Line 1: Amount "1.001" has more than 2 decimals allowed for EUR',
			expect.stringMatching(/Line 1: Dimension type "XYZ" is not configured/),
		]);
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(gateway.totalCalls()).toBe(0);
	});

	it('reports an entry already in X3 under its trace id instead of posting it again', async () => {
		const gateway = seededGateway();
		const first = await run(gateway, createParameters(BALANCED));
		const second = await run(gateway, createParameters(BALANCED));
		expect(second[0].json).toMatchObject({
			status: 'already_posted',
			documentNumber: first[0].json.documentNumber,
			traceId: first[0].json.traceId,
		});
		expect(gateway.callCount('saveJournalEntry')).toBe(1);
	});

	it('uses a given trace id, refusing one wider than the trace field', async () => {
		const gateway = seededGateway();
		const ok = await run(
			gateway,
			createParameters(BALANCED, { additionalFields: { traceId: 'MANUAL-0001' } }),
		);
		expect(ok[0].json.traceId).toBe('MANUAL-0001');
		const tooLong = await run(
			gateway,
			createParameters(BALANCED, { additionalFields: { traceId: 'X'.repeat(21) } }),
			[{}],
			true,
		);
		expect(tooLong[0].json.error).toMatch(/longer than the 20 characters/);
	});

	it('accepts lines as JSON with dimension objects', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			createParameters([], {
				linesInput: 'json',
				linesJson: JSON.stringify([
					{ account: '606400', debit: 15, dimensions: { DEP: 'OPS' }, businessPartner: 'BRX00001' },
					{ account: '467100', credit: '15' },
				]),
			}),
		);
		expect(output[0].json.status).toBe('posted');
		expect(gateway.entries[0].draft.lines[0]).toEqual({
			account: '606400',
			debit: '15.00',
			dimensions: { DEP: 'OPS' },
			businessPartner: 'BRX00001',
		});
	});
});

describe('Journal Entry: Find by Trace ID', () => {
	it('finds entries by entry or line trace id', async () => {
		const gateway = seededGateway();
		await run(
			gateway,
			createParameters(BALANCED, { additionalFields: { traceId: 'MANUAL-0002' } }),
		);
		const output = await run(
			gateway,
			{ operation: 'findByTraceId', traceId: (i: number) => ['MANUAL-0002', 'NOPE'][i] },
			[{}, {}],
		);
		expect(output[0].json).toMatchObject({
			traceId: 'MANUAL-0002',
			found: true,
			documentNumbers: ['ODT000001'],
		});
		expect(output[1].json).toEqual({
			traceId: 'NOPE',
			found: false,
			documentNumbers: [],
			entries: [],
		});
	});
});
