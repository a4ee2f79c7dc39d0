import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entrySetTraceId } from '../../nodes/common/traceId';
import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import type { JournalEntryDraft } from '../../nodes/ledger/journalTypes';
import { FakeX3Gateway, executeContext, rl, seededGateway } from '../support/sageX3NodeHarness';
import type { ParameterValue } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';
import type { SpendItemOverrides } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));
// The in-memory gateway has no SOAP to probe: Check X3 Setup answers "every duplicate check passes".
jest.mock('../../nodes/SageX3/helpers/setupVerdict', () =>
	jest.requireActual('./x3SetupCheckFixtures').passingSetupVerdictModule(),
);

const LOCATION_LOOKUP = { 'San Francisco': 'CC-SF', 'New York': 'CC-NY', Paris: 'CC-PAR' };
const DEPARTMENT_LOOKUP = {
	Engineering: 'ENG',
	Sales: 'SAL',
	Marketing: 'MKT',
	Finance: 'FIN',
	Operations: 'OPS',
};
const RULES = [
	{ name: 'Personal', when: { customFields: { Personal: 'yes' } }, skip: 'Personal expense' },
	{
		name: 'Software',
		when: { category: 'SOFTWARE' },
		account: '651000',
		dimensions: {
			CCT: { from: 'location.name', lookup: LOCATION_LOOKUP },
			DEP: { from: '{{department.name}}', lookup: DEPARTMENT_LOOKUP },
		},
	},
	{
		name: 'Meals',
		when: { mcc: '5800-5899' },
		account: '625700',
		dimensions: { DEP: { from: 'department.name', lookup: DEPARTMENT_LOOKUP } },
	},
];

function postSpendParameters(
	overrides: Record<string, ParameterValue> = {},
): Record<string, ParameterValue> {
	return {
		resource: 'journalEntry',
		operation: 'postSpend',
		readApi: 'soap',
		x3Setup: {},
		entryType: 'CARD',
		site: 'FR011',
		cardLiabilityAccount: rl('467100'),
		grouping: 'entrySet',
		mappingRules: JSON.stringify(RULES),
		defaultExpenseAccount: '628000',
		defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
		options: {},
		...overrides,
	};
}

async function run(
	gateway: FakeX3Gateway,
	inputs: IDataObject[],
	options: {
		parameters?: Record<string, ParameterValue>;
		continueOnFail?: boolean;
		onError?: 'continueErrorOutput' | 'continueRegularOutput';
	} = {},
): Promise<INodeExecutionData[]> {
	jest.mocked(getGateway).mockResolvedValue(gateway);
	const context = executeContext(postSpendParameters(options.parameters), inputs, {
		continueOnFail: options.continueOnFail,
		onError: options.onError,
	});
	const [output] = await new SageX3().execute.call(context);
	return output;
}

function spend(n: number, overrides: SpendItemOverrides = {}) {
	return makeSpendItem(`expense_${n}`, overrides);
}

/** postResult of each output item, wherever n8n's error setting put it. */
function results(output: INodeExecutionData[]) {
	return output.map(
		(item) =>
			(item.json.postResult ??
				(item.json.details as IDataObject | undefined)?.postResult) as IDataObject,
	);
}

/** Two dates and two currencies: three entry sets. */
function mixedBatch() {
	return [
		spend(1, { amount: '120.50' }),
		spend(2, {
			amount: '35.00',
			category: 'RESTAURANTS',
			merchant: { mcc: '5812' },
			department: { id: 'd', name: 'Sales' },
		}),
		spend(3, { amount: '-20.00', isRefund: true }),
		spend(4, { amount: '99.99', currency: 'EUR', location: { id: 'loc_par', name: 'Paris' } }),
		spend(5, { amount: '10.00', accountingDate: '2026-11-03', category: 'OFFICE_SUPPLIES' }),
		spend(6, { amount: '15.00', currency: 'EUR', location: { id: 'loc_par', name: 'Paris' } }),
	];
}

describe('Post Spend', () => {
	it('posts entry sets: one trace check for all of them, one save per set, one check after the saves, items paired and audited', async () => {
		const gateway = seededGateway();
		const checked: Array<{ ids: string[]; linesOnly?: boolean }> = [];
		gateway.faults.findPostedTraceIds = (ids: string[], options: { linesOnly?: boolean }) => {
			checked.push({ ids, linesOnly: options.linesOnly });
			return undefined;
		};
		const items = mixedBatch();
		const output = await run(gateway, items);

		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(results(output).map((r) => r.status)).toEqual(Array(6).fill('posted'));
		expect(gateway.callCount('saveJournalEntry')).toBe(3);
		// The three sets fit one check (≤ 40 trace ids): the items' ids, asked on the lines that carry them.
		expect(checked).toEqual([
			{ ids: expect.arrayContaining(items.map((i) => i.traceId)), linesOnly: true },
		]);
		expect(checked[0].ids).toHaveLength(6);
		// After the saves: does an earlier entry hold one of their items (a concurrent run)?
		expect(gateway.callCount('findTraceHolders')).toBe(1);
		expect(gateway.totalCalls()).toBe(5);

		const [first, meal, refund, euro, office] = results(output);
		expect(first).toMatchObject({
			traceId: items[0].traceId,
			entryType: 'CARD',
			site: 'FR011',
			accountingDate: '2026-11-02',
			account: '651000',
			dimensions: { CCT: 'CC-SF', DEP: 'ENG' },
			amount: '120.50',
			currency: 'USD',
			ruleName: 'Software',
		});
		expect(meal).toMatchObject({
			account: '625700',
			dimensions: { DEP: 'SAL' },
			ruleName: 'Meals',
		});
		expect(office).toMatchObject({ account: '628000', dimensions: { DEP: 'OPS' }, ruleName: null });
		expect(refund.documentNumber).toBe(first.documentNumber);
		expect(euro.documentNumber).not.toBe(first.documentNumber);
		expect(first.entryTraceId).toBe(entrySetTraceId([0, 1, 2].map((i) => items[i].traceId)));

		const usd = gateway.entries.find((e) => e.documentNumber === first.documentNumber)!.draft;
		expect(usd.lines.filter((l) => l.account === '467100')).toEqual([
			expect.objectContaining({ credit: '155.50' }),
			expect.objectContaining({ debit: '20.00' }),
		]);
		expect(usd.lines.find((l) => l.lineTraceId === items[2].traceId)).toMatchObject({
			account: '651000',
			credit: '20.00',
		});
		expect(output[0].json).not.toHaveProperty('raw');
	});

	it('posting the same items twice creates nothing the second time', async () => {
		const gateway = seededGateway();
		const first = results(await run(gateway, mixedBatch()));
		const savesAfterFirst = gateway.callCount('saveJournalEntry');

		const second = results(await run(gateway, [...mixedBatch()].reverse()));
		expect(second.map((r) => r.status)).toEqual(Array(6).fill('already_posted'));
		expect([...second].reverse().map((r) => r.documentNumber)).toEqual(
			first.map((r) => r.documentNumber),
		);
		expect(gateway.callCount('saveJournalEntry')).toBe(savesAfterFirst);
		for (const item of mixedBatch()) expect(gateway.linesFor(item.traceId)).toHaveLength(1);
	});

	it('a failed set fails only its items (error output with pairing), and a replay posts only those', async () => {
		const gateway = seededGateway();
		gateway.faults.saveJournalEntry = (draft: JournalEntryDraft) =>
			draft.currency === 'EUR'
				? new Error('Sage X3 refused save on YGAS: period closed')
				: undefined;
		const output = await run(gateway, mixedBatch(), { onError: 'continueErrorOutput' });

		const statuses = results(output).map((r) => r.status);
		expect(statuses).toEqual(['posted', 'posted', 'posted', 'failed', 'posted', 'failed']);
		const failed = output[3];
		expect(failed.pairedItem).toEqual({ item: 3 });
		// Only error/details, so n8n routes it to the error output and merges the input record back in.
		expect(Object.keys(failed.json).sort()).toEqual(['details', 'error']);
		expect(failed.json).toMatchObject({
			error: 'Sage X3 refused save on YGAS: period closed',
			details: {
				postResult: {
					status: 'failed',
					reason: 'Sage X3 refused save on YGAS: period closed',
					traceId: mixedBatch()[3].traceId,
					documentNumber: null,
				},
			},
		});
		expect(gateway.entries).toHaveLength(2);

		delete gateway.faults.saveJournalEntry;
		const savesBefore = gateway.callCount('saveJournalEntry');
		const replay = results(await run(gateway, mixedBatch()));
		expect(replay.map((r) => r.status)).toEqual([
			'already_posted',
			'already_posted',
			'already_posted',
			'posted',
			'already_posted',
			'posted',
		]);
		expect(gateway.callCount('saveJournalEntry') - savesBefore).toBe(1);
		for (const item of mixedBatch()) expect(gateway.linesFor(item.traceId)).toHaveLength(1);
	});

	it('on the regular output, a failed item keeps its record, error and postResult', async () => {
		const gateway = seededGateway();
		gateway.faults.saveJournalEntry = () => new Error('X3 down');
		const [failed] = await run(gateway, [spend(1)], { onError: 'continueRegularOutput' });
		expect(failed.error).toBeUndefined();
		expect(failed.json).toMatchObject({
			id: 'expense_1',
			error: 'X3 down',
			postResult: { status: 'failed', reason: 'X3 down', traceId: spend(1).traceId },
		});
	});

	it('without continue-on-fail, posts the other sets and then throws for the first failed item', async () => {
		const gateway = seededGateway();
		gateway.faults.saveJournalEntry = (draft: JournalEntryDraft) =>
			draft.currency === 'EUR' ? new Error('X3 pool busy after 5 attempts') : undefined;
		let thrown: NodeOperationError | undefined;
		try {
			await run(gateway, mixedBatch());
		} catch (error) {
			thrown = error as NodeOperationError;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(thrown!.message).toBe('X3 pool busy after 5 attempts');
		expect(thrown!.context.itemIndex).toBe(3);
		expect(thrown!.description).toMatch(/2 of 6 items failed.*4 posted/);
		expect(gateway.entries.map((e) => e.currency).sort()).toEqual(['USD', 'USD']);
	});

	it('an entry saved by X3 whose answer was lost is found on replay, not posted again', async () => {
		const gateway = seededGateway();
		const save = gateway.saveJournalEntry.bind(gateway);
		let lose = true;
		gateway.saveJournalEntry = async (draft) => {
			const saved = await save(draft);
			if (lose) throw new Error('socket hang up');
			return saved;
		};
		const failed = results(await run(gateway, mixedBatch().slice(0, 3), { continueOnFail: true }));
		expect(failed.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
		lose = false;
		const replay = results(await run(gateway, mixedBatch().slice(0, 3)));
		expect(replay.map((r) => r.status)).toEqual([
			'already_posted',
			'already_posted',
			'already_posted',
		]);
		expect(gateway.entries).toHaveLength(1);
	});

	it('rebuilds a set without the items already in X3 and traces it from the remaining items', async () => {
		const gateway = seededGateway();
		const batch = [1, 2, 3, 4].map((n) => spend(n));
		await run(gateway, batch.slice(0, 2));
		const output = results(await run(gateway, batch));
		expect(output.map((r) => r.status)).toEqual([
			'already_posted',
			'already_posted',
			'posted',
			'posted',
		]);
		expect(output[2].entryTraceId).toBe(entrySetTraceId([batch[2].traceId, batch[3].traceId]));
		expect(gateway.callCount('saveJournalEntry')).toBe(2);
		expect(gateway.callCount('findPostedTraceIds')).toBe(2);
		for (const item of batch) expect(gateway.linesFor(item.traceId)).toHaveLength(1);
	});

	it('reports skipped items with their reason and posts nothing for them', async () => {
		const gateway = seededGateway();
		const items = [
			spend(1, {
				supplierDecision: { action: 'skip', reason: 'No X3 supplier matches vendor "Zed"' },
			}),
			spend(2, { customFields: { Personal: 'YES' } }),
			spend(3, { amount: '0.00' }),
			spend(4),
			spend(4),
		];
		const output = results(await run(gateway, items));
		expect(output.map((r) => [r.status, r.reason])).toEqual([
			['skipped', 'No X3 supplier matches vendor "Zed"'],
			['skipped', 'Personal expense'],
			['skipped', 'Zero amount: nothing to post'],
			['posted', undefined],
			// One entry per purchase: the repeat reports the entry its first copy got.
			['already_posted', 'Booked by item 3 (expense_4), the same purchase'],
		]);
		expect(output[4].documentNumber).toBe(output[3].documentNumber);
		expect(gateway.callCount('saveJournalEntry')).toBe(1);
		expect(gateway.entries[0].draft.lines).toHaveLength(2);
	});

	it('fails items that cannot be mapped or are not spend items, and posts the rest', async () => {
		const gateway = seededGateway();
		const output = await run(
			gateway,
			[
				spend(1, { category: 'TRAVEL' }),
				{ hello: 'world' },
				spend(3, { currency: 'USD', amount: '1.999' }),
				spend(4),
			],
			{ parameters: { defaultExpenseAccount: '' }, continueOnFail: true },
		);
		const [noAccount, notSpend, badAmount, ok] = results(output);
		expect(noAccount).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/No GL account/),
		});
		expect(notSpend).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/not a Brex spend item: traceId/),
		});
		expect(badAmount).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/more than 2 decimals/),
		});
		expect(ok.status).toBe('posted');
		expect(output.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	});

	it('one entry per item in perItem mode, traced with the item trace id', async () => {
		const gateway = seededGateway();
		const items = [spend(1), spend(2, { amount: '-5.00', isRefund: true })];
		const output = results(await run(gateway, items, { parameters: { grouping: 'perItem' } }));
		expect(output.map((r) => r.entryTraceId)).toEqual(items.map((i) => i.traceId));
		expect(gateway.callCount('saveJournalEntry')).toBe(2);
		expect(gateway.callCount('findPostedTraceIds')).toBe(1);
		const refundEntry = gateway.entries.find((e) => e.traceId === items[1].traceId)!;
		expect(
			refundEntry.draft.lines.map((l) => [l.account, l.debit ?? null, l.credit ?? null]),
		).toEqual([
			['651000', null, '5.00'],
			['467100', '5.00', null],
		]);
	});

	it('splits large sets at the line cap', async () => {
		const gateway = seededGateway();
		const items = Array.from({ length: 7 }, (_, n) => spend(n));
		const output = results(
			await run(gateway, items, { parameters: { options: { maxLinesPerEntry: 4 } } }),
		);
		expect(output.every((r) => r.status === 'posted')).toBe(true);
		expect(gateway.callCount('saveJournalEntry')).toBe(3);
		expect(Math.max(...gateway.entries.map((e) => e.draft.lines.length))).toBeLessThanOrEqual(4);
	});

	it('runs entry sets in parallel up to the configured limit', async () => {
		const gateway = seededGateway();
		const save = gateway.saveJournalEntry.bind(gateway);
		let inFlight = 0;
		let maxInFlight = 0;
		gateway.saveJournalEntry = async (draft) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			for (let tick = 0; tick < 5; tick++) await Promise.resolve();
			inFlight--;
			return await save(draft);
		};
		const items = Array.from({ length: 6 }, (_, n) =>
			spend(n, { accountingDate: `2026-11-1${n}` }),
		);
		await run(gateway, items, { parameters: { options: { parallelEntries: 2 } } });
		expect(gateway.callCount('saveJournalEntry')).toBe(6);
		expect(maxInFlight).toBe(2);
	});

	it('refuses invalid mapping rules before any X3 call, naming the rule', async () => {
		const gateway = seededGateway();
		await expect(
			run(gateway, [spend(1)], {
				parameters: {
					mappingRules: '[{"name": "Meals", "when": {"mcc": "58xx"}, "account": "625700"}]',
				},
				continueOnFail: true,
			}),
		).rejects.toThrow(/Mapping rules are invalid: rule 1 \("Meals"\): when\.mcc/);
		expect(gateway.totalCalls()).toBe(0);
	});

	it('checks accounts once each when asked, failing items before the entry is sent', async () => {
		const gateway = seededGateway();
		const items = [spend(1), spend(2, { department: null }), spend(3, { category: 'TRAVEL' })];
		const rules = [...RULES, { when: { category: 'TRAVEL' }, account: '999999' }];
		const output = results(
			await run(gateway, items, {
				parameters: {
					mappingRules: JSON.stringify(rules),
					defaultDimensions: {},
					options: { checkAccounts: true },
				},
				continueOnFail: true,
			}),
		);
		expect(output[0].status).toBe('posted');
		expect(output[1]).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/Missing required dimension DEP for account 651000/),
		});
		expect(output[2]).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(/GL account 999999 does not exist/),
		});
		expect(gateway.callCount('getAccount')).toBe(3);
		expect(gateway.callCount('saveJournalEntry')).toBe(1);
	});

	it('writes the supplier found by Find or Create as business partner, and keeps raw when asked', async () => {
		const gateway = seededGateway();
		const item = spend(1, { supplier: { code: 'BRX00001', name: 'Acme Corp', matchedBy: 'name' } });
		const output = await run(gateway, [item], { parameters: { options: { includeRaw: true } } });
		expect(output[0].json.raw).toEqual(item.raw);
		expect((output[0].json.postResult as IDataObject).businessPartner).toBe('BRX00001');
		expect(gateway.entries[0].draft.lines[0].businessPartner).toBe('BRX00001');
	});

	it('uses a default expense account passed on by the supplier policy', async () => {
		const gateway = seededGateway();
		const item = spend(1, {
			category: 'TRAVEL',
			supplier: { code: null, name: null, matchedBy: 'default', defaultExpenseAccount: '625100' },
		});
		const [result] = results(await run(gateway, [item]));
		expect(result).toMatchObject({ status: 'posted', account: '625100', businessPartner: null });
	});

	it('fits entry trace ids to a narrower trace field from X3 Setup', async () => {
		const gateway = seededGateway();
		const items = [spend(1), spend(2)];
		await run(gateway, items, { parameters: { x3Setup: { traceFieldLength: 16 } } });
		expect(gateway.entries[0].traceId).toHaveLength(16);
	});
});
