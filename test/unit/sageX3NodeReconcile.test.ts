import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { FakeX3Gateway, executeContext, rl, seededGateway } from '../support/sageX3NodeHarness';
import type { ParameterValue } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));
// The in-memory gateway has no SOAP to probe: Check X3 Setup answers "every duplicate check passes".
jest.mock('../../nodes/SageX3/helpers/setupVerdict', () =>
	jest.requireActual('./x3SetupCheckFixtures').passingSetupVerdictModule(),
);

async function run(
	gateway: FakeX3Gateway,
	parameters: Record<string, ParameterValue>,
	inputs: IDataObject[],
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
	const context = executeContext(
		{ resource: 'journalEntry', readApi: 'soap', x3Setup: {}, ...parameters },
		inputs,
	);
	const [output] = await new SageX3().execute.call(context);
	return output;
}

const POST = {
	operation: 'postSpend',
	entryType: 'BRX',
	site: 'FR011',
	cardLiabilityAccount: rl('467100'),
	grouping: 'entrySet',
	mappingRules: '[]',
	defaultExpenseAccount: '628000',
	defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
	options: {},
};

const RECONCILE = {
	operation: 'reconcile',
	dateFrom: '2000-01-01',
	dateTo: '2100-12-31',
	cardLiabilityAccount: '467100',
	includeMatched: false,
};

describe('Journal Entry: Reconcile', () => {
	it('reports a fully posted period as balanced, then finds what is missing and what differs', async () => {
		const gateway = seededGateway();
		const items = [1, 2, 3, 4].map((n) => makeSpendItem(`expense_${n}`, { amount: `${n}0.00` }));
		await run(gateway, POST, items);

		const [summary, ...rest] = await run(gateway, RECONCILE, items);
		expect(summary.json).toMatchObject({ brexRecords: 4, balanced: true });
		expect(summary.json.counts).toMatchObject({ matched: 4, missing_in_x3: 0, amount_mismatch: 0 });
		expect(rest).toHaveLength(0);

		const unposted = makeSpendItem('expense_5', { amount: '5.00' });
		const changed = { ...items[1], amount: '99.00' };
		const [summary2, ...differences] = await run(gateway, RECONCILE, [
			items[0],
			changed,
			items[2],
			items[3],
			unposted,
		]);
		expect(summary2.json).toMatchObject({ balanced: false });
		expect(summary2.json.counts).toMatchObject({
			matched: 3,
			missing_in_x3: 1,
			amount_mismatch: 1,
		});
		const byStatus = Object.fromEntries(differences.map((d) => [d.json.status, d.json]));
		expect(byStatus.missing_in_x3).toMatchObject({ brexId: 'expense_5' });
		expect(byStatus.amount_mismatch).toMatchObject({ brexAmount: '99.00', x3Amount: '20.00' });
		expect(differences.find((d) => d.json.status === 'missing_in_x3')?.pairedItem).toEqual({
			item: 4,
		});
	});

	it('refuses a reversed date range before calling X3', async () => {
		const gateway = seededGateway();
		await expect(
			run(gateway, { ...RECONCILE, dateFrom: '2026-12-01', dateTo: '2026-11-01' }, [{}]),
		).rejects.toThrow(/date range/);
		expect(gateway.calls.listTracedJournalEntries ?? 0).toBe(0);
	});
});
