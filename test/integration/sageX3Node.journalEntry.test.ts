/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute) with the real transports against the
 * X3 emulator: Journal Entry Create, Post Spend, Find by Trace ID and Reconcile (reads through each read API).
 * Expected answers come from the emulator's state; the set-up is in test/support/sageX3NodeOperations.ts.
 */
import type { IDataObject } from 'n8n-workflow';
import { CHART, DEPARTMENTS } from '../emulators/seed';
import { chain, runWorkflow, sageX3Node, spendSourceNode } from '../support/n8nCoreHarness';
import {
	useX3Emulator,
	emulator,
	credentials,
	READ_APIS,
	readApiParameters,
	expectNoReadsBesides,
	markSetupCheckRan,
	runX3,
	x3Items,
	x3Failure,
	ledgerEntry,
	expectBalanced,
	spendItem,
	SPEND,
	TRAVEL_ACCOUNT,
	postSpendParameters,
	createParameters,
	BALANCED_LINES,
	postSpend,
} from '../support/sageX3NodeOperations';

useX3Emulator();

describe('Sage X3 node operations in an n8n execution against the X3 emulator', () => {
	describe.each(READ_APIS)('lookups with readApi %s', (readApi) => {
		const api = readApiParameters(readApi);
		afterEach(() => expectNoReadsBesides(readApi));

		it('Find by Trace ID finds the entry Post Spend booked an item in, and nothing for an unknown id', async () => {
			const posted = await postSpend('entrySet', api);
			const found = await x3Items(
				{ ...api, resource: 'journalEntry', operation: 'findByTraceId' },
				[...SPEND.map((item) => ({ traceId: item.traceId })), { traceId: 'BRXE-UNKNOWN000000' }],
			);
			expect(found).toHaveLength(SPEND.length + 1);
			SPEND.forEach((item, index) => {
				const documentNumber = posted[index].documentNumber;
				expect(found[index]).toMatchObject({
					traceId: item.traceId,
					found: true,
					documentNumbers: [documentNumber],
				});
				const [entry] = found[index].entries as IDataObject[];
				expect(entry).toMatchObject({
					documentNumber,
					entryType: 'BRX',
					accountingDate: item.accountingDate,
					currency: item.currency,
				});
				expect(entry.lineTraceIds).toContain(item.traceId);
			});
			expect(found[SPEND.length]).toEqual({
				traceId: 'BRXE-UNKNOWN000000',
				found: false,
				documentNumbers: [],
				entries: [],
			});
		});

		it('Find by Trace ID chained after Post Spend (per item) finds each entry by its header trace id', async () => {
			markSetupCheckRan();
			const result = await runWorkflow(
				[
					spendSourceNode(SPEND as unknown as IDataObject[]),
					sageX3Node('Post Spend', { ...api, ...postSpendParameters('perItem') }, [200, 0]),
					sageX3Node(
						'Find Entry',
						{
							...api,
							resource: 'journalEntry',
							operation: 'findByTraceId',
							traceId: '={{ $json.postResult.entryTraceId }}',
						},
						[400, 0],
					),
				],
				chain('Spend Source', 'Post Spend', 'Find Entry'),
				credentials,
			);
			const posted = result
				.output('Post Spend')
				.success.map((item) => item.json.postResult as IDataObject);
			const found = result.output('Find Entry').success;
			expect(found.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			found.forEach((item, index) => {
				const entry = ledgerEntry(posted[index].documentNumber);
				expect(entry.traceValue).toBe(posted[index].entryTraceId);
				expect(item.json).toMatchObject({
					traceId: entry.traceValue,
					found: true,
					documentNumbers: [entry.documentNumber],
				});
				expect((item.json.entries as IDataObject[])[0]).toMatchObject({
					documentNumber: entry.documentNumber,
					traceId: entry.traceValue,
				});
			});
		});

		it('Journal Entry Create: the duplicate check through this API finds an entry posted before', async () => {
			const [posted] = await x3Items({ ...api, ...createParameters(BALANCED_LINES) });
			expect(posted.status).toBe('posted');
			ledgerEntry(posted.documentNumber);
			const [again] = await x3Items({ ...api, ...createParameters(BALANCED_LINES) });
			expect(again).toMatchObject({
				status: 'already_posted',
				documentNumber: posted.documentNumber,
				traceId: posted.traceId,
			});
			expect(emulator.state.journalEntries).toHaveLength(1);
			expect(emulator.stats.calls.soap.save).toBe(1);
		});

		it('Reconcile after Post Spend: balanced, then an extra Brex item is missing_in_x3', async () => {
			await postSpend('entrySet', api);
			const reconcileParameters = {
				...api,
				resource: 'journalEntry',
				operation: 'reconcile',
				dateFrom: '2026-11-01',
				dateTo: '2026-11-30',
				cardLiabilityAccount: CHART.cardLiabilityAccount,
			};
			const balanced = await x3Items(reconcileParameters, SPEND as unknown as IDataObject[]);
			expect(balanced).toEqual([
				{
					dateFrom: '2026-11-01',
					dateTo: '2026-11-30',
					brexRecords: 3,
					ignoredInputs: 0,
					x3Entries: 2,
					counts: {
						matched: 3,
						missing_in_x3: 0,
						duplicated_in_x3: 0,
						amount_mismatch: 0,
						unknown_to_brex: 0,
					},
					balanced: true,
				},
			]);

			const extra = spendItem('exp_op_extra', {
				amount: '10.00',
				currency: 'EUR',
				date: '2026-11-05',
				vendor: 'Acme Corp',
			});
			const outputs = await runX3(reconcileParameters, [
				...(SPEND as unknown as IDataObject[]),
				extra as unknown as IDataObject,
			]);
			expect(outputs.nodeError).toBeUndefined();
			const [summary, ...differences] = outputs.success;
			expect(summary.json).toMatchObject({
				brexRecords: 4,
				balanced: false,
				counts: { matched: 3, missing_in_x3: 1 },
			});
			expect(differences.map((item) => [item.json, item.pairedItem])).toEqual([
				[
					{
						brexId: extra.id,
						traceId: extra.traceId,
						status: 'missing_in_x3',
						brexAmount: '10.00',
						x3Amount: null,
						currency: 'EUR',
						documentNumbers: [],
					},
					{ item: 3 },
				],
			]);
		});
	});

	describe('Journal Entry', () => {
		it('Create posts a balanced entry to the ledger, and the same entry again is already_posted', async () => {
			const [posted] = await x3Items(createParameters(BALANCED_LINES));
			expect(posted).toMatchObject({ status: 'posted', entryType: 'ODT', currency: 'EUR' });
			expect(posted.documentNumber).toMatch(/^ODT2026\d{6}$/);
			const entry = ledgerEntry(posted.documentNumber);
			expect(entry).toMatchObject({
				entryType: 'ODT',
				site: 'FR011',
				accountingDate: '20261105',
				currency: 'EUR',
				reference: 'REF-42',
				description: 'Manual entry',
				traceValue: posted.traceId,
			});
			expect(
				entry.lines.map((line) => [line.account, line.debit, line.credit, line.dimensions]),
			).toEqual([
				[TRAVEL_ACCOUNT, '120.50', null, { DEP: 'ENG' }],
				[CHART.cardLiabilityAccount, null, '120.50', {}],
			]);

			const [again] = await x3Items(createParameters(BALANCED_LINES));
			expect(again).toMatchObject({
				status: 'already_posted',
				documentNumber: posted.documentNumber,
				traceId: posted.traceId,
			});
			expect(emulator.state.journalEntries).toHaveLength(1);
			expect(emulator.stats.calls.soap.save).toBe(1);
		});

		it('Create with field lines (dimensions in X3 Setup order) posts them as given', async () => {
			const [posted] = await x3Items({
				...createParameters([]),
				linesInput: 'fields',
				lines: {
					line: [
						{ account: TRAVEL_ACCOUNT, debit: '10.00', dimensions: 'CC-NY, SAL' },
						{ account: CHART.cardLiabilityAccount, credit: '10.00', description: 'Card' },
					],
				},
			});
			const entry = ledgerEntry(posted.documentNumber);
			expect(entry.lines.map((line) => [line.account, line.dimensions, line.description])).toEqual([
				[TRAVEL_ACCOUNT, { CCT: 'CC-NY', DEP: 'SAL' }, ''],
				[CHART.cardLiabilityAccount, {}, 'Card'],
			]);
		});

		it('Create refuses an unbalanced entry before any call to X3', async () => {
			const error = await x3Failure(
				createParameters([
					{ account: TRAVEL_ACCOUNT, debit: '120.50', dimensions: { DEP: 'ENG' } },
					{ account: CHART.cardLiabilityAccount, credit: '100.00' },
				]),
			);
			expect(error.message).toBe(
				'The journal entry is unbalanced: debits 120.50 EUR, credits 100.00 EUR, difference 20.50 EUR. Adjust the lines so debits equal credits.',
			);
			expect(emulator.stats.http.requests).toBe(0);
			expect(emulator.stats.calls.soap).toEqual({});
			expect(emulator.state.journalEntries).toEqual([]);
		});

		it('Post Spend per item: one balanced entry per item, traced in the header', async () => {
			const results = await postSpend('perItem');
			expect(results.map((result) => result.status)).toEqual(['posted', 'posted', 'posted']);
			expect(new Set(results.map((result) => result.documentNumber)).size).toBe(3);
			SPEND.forEach((item, index) => {
				const result = results[index];
				const entry = ledgerEntry(result.documentNumber);
				expectBalanced(entry);
				expect(entry).toMatchObject({
					entryType: 'BRX',
					site: 'FR011',
					currency: item.currency,
					accountingDate: item.accountingDate.replace(/-/g, ''),
					traceValue: result.entryTraceId,
				});
				expect(entry.lines).toHaveLength(2);
				const expense = entry.lines.find((line) => line.account === TRAVEL_ACCOUNT)!;
				expect(expense.debit).toBe(item.amount);
				expect(expense.dimensions.DEP).toBe(
					DEPARTMENTS.find((d) => d.name === item.department!.name)!.x3Code,
				);
				expect(result).toMatchObject({ account: TRAVEL_ACCOUNT, traceId: item.traceId });
			});
			expect(emulator.stats.calls.soap.save).toBe(3);
		});

		it('Post Spend as entry sets: one entry per date and currency, each item on its own traced line', async () => {
			const results = await postSpend('entrySet');
			expect(results.map((result) => result.status)).toEqual(['posted', 'posted', 'posted']);
			// Items 1 and 2 share date and currency.
			expect(results[0].documentNumber).toBe(results[1].documentNumber);
			expect(results[2].documentNumber).not.toBe(results[0].documentNumber);
			expect(emulator.state.journalEntries).toHaveLength(2);
			SPEND.forEach((item, index) => {
				const entry = ledgerEntry(results[index].documentNumber);
				expectBalanced(entry);
				const line = entry.lines.find((l) => l.description.startsWith(item.traceId));
				expect(line).toMatchObject({ account: TRAVEL_ACCOUNT, debit: item.amount, credit: null });
			});
			const eurEntry = ledgerEntry(results[0].documentNumber);
			expect(eurEntry.lines.filter((l) => l.account === CHART.cardLiabilityAccount)).toEqual([
				expect.objectContaining({ credit: '155.70' }),
			]);
			expect(emulator.stats.calls.soap.save).toBe(2);
		});
	});
});
