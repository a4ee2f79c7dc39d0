/**
 * Post Spend reads Check X3 Setup's report before its first write: it refuses every item (nothing written) when the
 * read API and grouping cannot prove idempotency, picks the lookup level the report proved, posts one entry first
 * on an empty X3, and takes text lengths from the description.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import type { GuaranteeVerdict, SetupReport } from '../../nodes/SageX3/helpers/setupCheck';
import { setupReportFor } from '../../nodes/SageX3/helpers/setupVerdict';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { executeContext, rl, seededGateway } from '../support/sageX3NodeHarness';
import type { FakeX3Gateway, ParameterValue } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';
import type { SpendItemOverrides } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));
jest.mock('../../nodes/SageX3/helpers/setupVerdict', () => ({
	setupReportFor: jest.fn(),
}));

type Statuses = Partial<Record<GuaranteeVerdict['guarantee'], GuaranteeVerdict['status']>>;

function report(statuses: Statuses, extra: Partial<SetupReport> = {}): SetupReport {
	return {
		verdicts: (['soapHeader', 'soapLine', 'rest', 'graphql'] as const).map((guarantee) => {
			const status = statuses[guarantee] ?? 'unproven';
			return {
				guarantee,
				title: `Check ${guarantee}`,
				status,
				reason: `${guarantee} is ${status} in this test`,
				todo: status === 'pass' ? '' : `fix ${guarantee}`,
				...(status === 'unproven' ? { unprovenBecause: 'noKnownEntry' as const } : {}),
			};
		}),
		findings: [],
		ledgerEmpty: false,
		lengths: {
			traceField: null,
			lineTraceField: null,
			lineDescription: null,
			headerDescription: null,
		},
		...extra,
	};
}

function spend(n: number, overrides: SpendItemOverrides = {}) {
	return makeSpendItem(`expense_${n}`, overrides);
}

/** Two dates: two entry sets. */
const BATCH = () => [
	spend(1, { amount: '10.00' }),
	spend(2, { amount: '20.00' }),
	spend(3, { amount: '30.00', accountingDate: '2026-11-03' }),
];

async function run(
	gateway: FakeX3Gateway,
	inputs: IDataObject[],
	parameters: Record<string, ParameterValue> = {},
	continueOnFail = true,
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
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
			defaultDimensions: { dimension: [] },
			options: {},
			...parameters,
		},
		inputs,
		{ continueOnFail },
	);
	const [output] = await new SageX3().execute.call(context);
	return output;
}

const postResults = (output: INodeExecutionData[]) =>
	output.map(
		(item) =>
			(item.json.postResult ??
				(item.json.details as IDataObject | undefined)?.postResult) as IDataObject,
	);

beforeEach(() => {
	jest.mocked(setupReportFor).mockReset();
});

describe('Post Spend uses the Check X3 Setup verdict', () => {
	it('refuses every item with the reason and the settings that would work, writing and looking up nothing', async () => {
		jest
			.mocked(setupReportFor)
			.mockResolvedValue(report({ soapHeader: 'pass', soapLine: 'fail', rest: 'pass' }));
		const gateway = seededGateway();
		const output = await run(gateway, BATCH());
		const results = postResults(output);
		expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
		for (const result of results) {
			expect(result.reason).toContain('Nothing was written');
			expect(result.reason).toContain('soapLine is fail in this test');
			expect(result.reason).toContain('Read API REST');
			expect(result.reason).toContain('One Entry per Item');
		}
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(gateway.callCount('saveJournalEntry')).toBe(0);
		expect(gateway.callCount('findPostedTraceIds')).toBe(0);
		expect(gateway.entries).toEqual([]);
	});

	it('without continue on fail the node fails with that reason', async () => {
		jest.mocked(setupReportFor).mockResolvedValue(report({ soapLine: 'fail' }));
		const gateway = seededGateway();
		await expect(run(gateway, BATCH(), {}, false)).rejects.toThrow(/Nothing was written/);
		expect(gateway.callCount('saveJournalEntry')).toBe(0);
	});

	it('a failed check refuses too (fail closed)', async () => {
		jest.mocked(setupReportFor).mockRejectedValue(new Error('pool busy'));
		const gateway = seededGateway();
		const results = postResults(await run(gateway, BATCH()));
		expect(results.every((r) => r.status === 'failed')).toBe(true);
		expect(results[0].reason).toContain('checking the X3 setup failed (pool busy)');
		expect(gateway.callCount('saveJournalEntry')).toBe(0);
	});

	it('one entry per item with only the header field proven looks items up at entry level too', async () => {
		jest.mocked(setupReportFor).mockResolvedValue(report({ soapHeader: 'pass', soapLine: 'fail' }));
		const gateway = seededGateway();
		const results = postResults(await run(gateway, BATCH(), { grouping: 'perItem' }));
		expect(results.map((r) => r.status)).toEqual(['posted', 'posted', 'posted']);
		const lookups = (gateway.calls.findPostedTraceIds ?? 0) > 0;
		expect(lookups).toBe(true);
		gateway.itemTracesOnLines = true;
		// Replaying finds every item through its entry's header trace id.
		gateway.faults.findPostedTraceIds = (_ids: string[], options: { linesOnly?: boolean }) =>
			options.linesOnly ? new Error('line lookups were not proven') : undefined;
		const replay = postResults(await run(gateway, BATCH(), { grouping: 'perItem' }));
		expect(replay.map((r) => r.status)).toEqual([
			'already_posted',
			'already_posted',
			'already_posted',
		]);
		expect(gateway.callCount('saveJournalEntry')).toBe(3);
	});

	it('on an empty X3 it posts one entry, checks again with it, then posts the rest', async () => {
		const order: string[] = [];
		const gateway = seededGateway();
		jest.mocked(setupReportFor).mockImplementation(async (_context, _layout, _api, options) => {
			order.push(
				`check${options?.refresh ? ' (refresh)' : ''} after ${gateway.entries.length} entries`,
			);
			return gateway.entries.length === 0
				? report({ soapLine: 'unproven' }, { ledgerEmpty: true })
				: report({ soapLine: 'pass' });
		});
		const results = postResults(await run(gateway, BATCH()));
		expect(results.map((r) => r.status)).toEqual(['posted', 'posted', 'posted']);
		expect(order).toEqual(['check after 0 entries', 'check (refresh) after 1 entries']);
		expect(gateway.callCount('saveJournalEntry')).toBe(2);
	});

	it('on an empty X3 whose first entry does not prove the check, the rest is refused', async () => {
		const gateway = seededGateway();
		jest
			.mocked(setupReportFor)
			.mockImplementation(async () =>
				gateway.entries.length === 0
					? report({ soapLine: 'unproven' }, { ledgerEmpty: true })
					: report({ soapLine: 'fail' }),
			);
		const results = postResults(await run(gateway, BATCH()));
		expect(results.map((r) => r.status).sort()).toEqual(['failed', 'posted', 'posted']);
		expect(results.find((r) => r.status === 'failed')?.reason).toContain(
			'soapLine is fail in this test',
		);
		expect(gateway.callCount('saveJournalEntry')).toBe(1);
	});

	it('runs no check when no item is left to post', async () => {
		jest.mocked(setupReportFor).mockResolvedValue(report({ soapLine: 'pass' }));
		await run(seededGateway(), [spend(1, { amount: '0.00' })]);
		expect(setupReportFor).not.toHaveBeenCalled();
	});

	it('takes the trace field width and the line description length from the description', async () => {
		jest.mocked(setupReportFor).mockResolvedValue(
			report(
				{ soapLine: 'pass' },
				{
					lengths: {
						traceField: 15,
						lineTraceField: 30,
						lineDescription: 30,
						headerDescription: 30,
					},
				},
			),
		);
		const gateway = seededGateway();
		const long = 'Extraordinarily long merchant name and memo';
		await run(gateway, BATCH(), {
			options: { lineDescription: long, balancingLineDescription: 'B'.repeat(40) },
		});
		expect(gateway.entries.length).toBe(2);
		for (const entry of gateway.entries) {
			expect(entry.traceId!.length).toBeLessThanOrEqual(15);
			for (const line of entry.draft.lines) {
				const written = line.lineTraceId
					? `${line.lineTraceId} ${line.description ?? ''}`.trimEnd()
					: (line.description ?? '');
				expect(written.length).toBeLessThanOrEqual(30);
			}
		}
		const itemLine = gateway.entries[0].draft.lines[0];
		expect(itemLine.description).toBe(long.slice(0, 30 - itemLine.lineTraceId!.length - 1));
	});

	it('saves through a gateway on the layout with the described lengths, and keeps the first one when none is known', async () => {
		const lengths = {
			traceField: 16,
			lineTraceField: null,
			lineDescription: 24,
			headerDescription: 18,
		};
		jest.mocked(setupReportFor).mockResolvedValue(report({ soapLine: 'pass' }, { lengths }));
		jest.mocked(getGateway).mockClear();
		const gateway = seededGateway();
		await run(gateway, BATCH());
		// The router's call has no layout; Post Spend's own call carries the lengths X3 described.
		const layouts = jest.mocked(getGateway).mock.calls.map(([, layout]) => layout);
		expect(layouts).toEqual([
			undefined,
			expect.objectContaining({
				journalEntry: expect.objectContaining({
					traceFieldLength: 16,
					descriptionLength: 18,
					lineDescriptionLength: 24,
				}),
			}),
		]);
		expect(gateway.entries.length).toBe(2);

		jest.mocked(setupReportFor).mockResolvedValue(report({ soapLine: 'pass' }));
		jest.mocked(getGateway).mockClear();
		await run(seededGateway(), BATCH());
		expect(jest.mocked(getGateway).mock.calls.map(([, layout]) => layout)).toEqual([undefined]);
	});

	it('fields placed in another block reach the save as a placement: the trace field goes to its block', async () => {
		jest.mocked(setupReportFor).mockResolvedValue(report({ soapLine: 'pass' }));
		const gateway = seededGateway();
		const results = postResults(
			await run(gateway, BATCH(), { x3Setup: { traceField: 'GAS0_2.BPRVCR' } }),
		);
		expect(results.every((r) => r.status === 'posted')).toBe(true);
		expect(gateway.saveOptions.length).toBeGreaterThan(0);
		for (const options of gateway.saveOptions) {
			expect(options?.numberBlock).toBe('GAS0_1');
			const placed = options?.place?.({ GAS0_1: { TYP: 'BRX', BPRVCR: 'BRXS-X' }, GAS1_1: [] });
			expect(placed).toEqual({ GAS0_1: { TYP: 'BRX' }, GAS0_2: { BPRVCR: 'BRXS-X' }, GAS1_1: [] });
		}
	});
});
