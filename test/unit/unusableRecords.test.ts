/**
 * A Brex record that cannot be normalised must reach the audit as a failure with its reason when it was
 * ready for the ledger (found by test/reliability/hostileInput: such records were audited as "skipped" and
 * never queued for replay). The trigger's error items carry the record's kind and statuses; Post Spend fails
 * them with the Brex reason instead of a generic "not a spend item".
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { toOutputItem } from '../../nodes/BrexTrigger/poller';
import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { unusableRecordFields } from '../../nodes/brexApi/spendItem';
import { executeContext, rl, seededGateway } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));
// The in-memory gateway has no SOAP to probe: Check X3 Setup answers "every duplicate check passes".
jest.mock('../../nodes/SageX3/helpers/setupVerdict', () =>
	jest.requireActual('./x3SetupCheckFixtures').passingSetupVerdictModule(),
);

describe('unusableRecordFields', () => {
	it('reads kind and statuses leniently from the raw record', () => {
		expect(
			unusableRecordFields('expense', { status: 'APPROVED', payment_status: ' CLEARED ' }),
		).toEqual({ recordKind: 'expense', status: 'APPROVED', paymentStatus: 'CLEARED' });
		expect(
			unusableRecordFields('accountingRecord', {
				review_status: 'READY_FOR_EXPORT',
				status: 'x',
				payment_status: 'CLEARED',
			}),
		).toEqual({ recordKind: 'accountingRecord', status: 'READY_FOR_EXPORT', paymentStatus: null });
		expect(unusableRecordFields('cardTransaction', { status: 'POSTED' })).toEqual({
			recordKind: 'cardTransaction',
			status: 'POSTED',
			paymentStatus: null,
		});
		for (const raw of [null, 'text', [1], { status: 42, payment_status: '' }]) {
			expect(unusableRecordFields('expense', raw)).toEqual({
				recordKind: 'expense',
				status: null,
				paymentStatus: null,
			});
		}
	});
});

describe('Brex Trigger (polling): error items', () => {
	it('carry the record kind and statuses next to the reason', () => {
		const warnings: string[] = [];
		const item = toOutputItem(
			{ logger: { warn: (m: string) => warnings.push(m) } } as never,
			'expense',
			{
				id: 'expense_1',
				status: 'SETTLED',
				payment_status: 'CLEARED',
				billing_amount: { amount: 0, currency: 'USD' },
				purchased_at: '2026-07-01T10:00:00Z',
			},
		);
		expect(item.json).toMatchObject({
			recordId: 'expense_1',
			recordKind: 'expense',
			status: 'SETTLED',
			paymentStatus: 'CLEARED',
			error: expect.stringContaining('billing_amount is zero'),
			reason: expect.stringContaining('billing_amount is zero'),
		});
		expect(warnings).toHaveLength(1);
	});
});

describe('Post Spend: error items of the Brex nodes', () => {
	async function run(inputs: IDataObject[]): Promise<INodeExecutionData[]> {
		jest.mocked(getGateway).mockResolvedValue(seededGateway());
		const context = executeContext(
			{
				resource: 'journalEntry',
				operation: 'postSpend',
				readApi: 'soap',
				x3Setup: {},
				entryType: 'CARD',
				site: 'FR011',
				cardLiabilityAccount: rl('467100'),
				grouping: 'entrySet',
				mappingRules: '[]',
				defaultExpenseAccount: '628000',
				defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
				options: {},
			},
			inputs,
			{ onError: 'continueErrorOutput' },
		);
		const [output] = await new SageX3().execute.call(context);
		return output;
	}

	it('fail with the Brex reason, paired to their input, while the rest of the batch posts', async () => {
		const output = await run([
			makeSpendItem('expense_1'),
			// As the trigger emits a record it could not normalise.
			{
				recordId: 'expense_2',
				recordKind: 'expense',
				status: 'APPROVED',
				paymentStatus: 'CLEARED',
				error: 'billing_amount.currency "XYZ" is not a known ISO 4217 currency',
				reason: 'billing_amount.currency "XYZ" is not a known ISO 4217 currency',
			},
			makeSpendItem('expense_3'),
			// As the Brex node's "Output as Error Item" emits one (regular output).
			{
				recordId: 'accr_4',
				recordKind: 'accountingRecord',
				error: 'Brex record accr_4 cannot be used: it has no type',
			},
			{ error: { message: 'it has no id' } },
			{ hello: 'world' },
			// As the trigger emits a record it answered on receipt but Brex could not return yet.
			{
				recordId: 'expense_7',
				recordKind: 'expense',
				retryable: true,
				error:
					'Brex could not return it when the event arrived (HTTP 502); replay it to fetch it again',
				reason:
					'Brex could not return it when the event arrived (HTTP 502); replay it to fetch it again',
			},
		]);
		const outcome = output.map((item) => ({
			paired: item.pairedItem,
			error: item.json.error,
			status: (
				(item.json.postResult ?? (item.json.details as IDataObject)?.postResult) as IDataObject
			).status,
		}));
		expect(outcome).toEqual([
			{ paired: { item: 0 }, error: undefined, status: 'posted' },
			{
				paired: { item: 1 },
				error:
					'Brex expense expense_2 cannot be used: billing_amount.currency "XYZ" is not a known ISO 4217 currency',
				status: 'failed',
			},
			{ paired: { item: 2 }, error: undefined, status: 'posted' },
			{
				paired: { item: 3 },
				error: 'Brex record accr_4 cannot be used: it has no type',
				status: 'failed',
			},
			{
				paired: { item: 4 },
				error: 'Brex record (without a usable id) cannot be used: it has no id',
				status: 'failed',
			},
			{
				paired: { item: 5 },
				error: expect.stringMatching(/^The input item is not a Brex spend item: traceId/),
				status: 'failed',
			},
			{
				paired: { item: 6 },
				// Nothing is wrong with the record itself: no "cannot be used".
				error:
					'Brex expense expense_7: Brex could not return it when the event arrived (HTTP 502); replay it to fetch it again',
				status: 'failed',
			},
		]);
	});
});
