/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute) with the real transports against the
 * X3 emulator: Supplier Get and Search (through each read API), Create and Find or Create.
 * Expected answers come from the emulator's state; the set-up is in test/support/sageX3NodeOperations.ts.
 */
import type { IDataObject } from 'n8n-workflow';
import { CHART } from '../emulators/seed';
import {
	useX3Emulator,
	emulator,
	READ_APIS,
	readApiParameters,
	expectNoReadsBesides,
	runX3,
	x3Items,
	x3Failure,
	fold,
	supplierView,
	emulatorSupplier,
	sortedCodes,
} from '../support/sageX3NodeOperations';

useX3Emulator();

describe('Sage X3 node operations in an n8n execution against the X3 emulator', () => {
	describe.each(READ_APIS)('lookups with readApi %s', (readApi) => {
		const api = readApiParameters(readApi);
		afterEach(() => expectNoReadsBesides(readApi));

		it('Supplier Get returns the supplier X3 holds', async () => {
			const [supplier] = await x3Items({
				...api,
				resource: 'supplier',
				operation: 'get',
				supplier: { __rl: true, mode: 'id', value: 'BRX00001' },
			});
			expect(supplier).toEqual(supplierView(emulatorSupplier('BRX00001')));
		});

		it('Supplier Get: an unknown code fails the node with a clear message', async () => {
			const error = await x3Failure({
				...api,
				resource: 'supplier',
				operation: 'get',
				supplier: { __rl: true, mode: 'id', value: 'NOPE9999' },
			});
			expect(error.message).toBe('Supplier "NOPE9999" was not found in X3');
			expect((error as { description?: string }).description).toBe(
				'Check the code, or use the Search operation to find the supplier by name.',
			);
		});

		it('Supplier Search by code prefix lists the suppliers whose code starts with it', async () => {
			const found = await x3Items({
				...api,
				resource: 'supplier',
				operation: 'search',
				code: 'BRX0001',
				limit: 50,
			});
			const expected = [...emulator.state.suppliers.values()]
				.filter((supplier) => supplier.code.startsWith('BRX0001'))
				.map((supplier) => supplier.code)
				.sort();
			expect(expected.length).toBe(10);
			expect(sortedCodes(found)).toEqual(expected);
			for (const supplier of found) {
				expect(supplier).toEqual(supplierView(emulatorSupplier(String(supplier.code))));
			}
		});

		it('Supplier Search by name is case- and accent-insensitive', async () => {
			for (const term of ['acme', 'CAFE CREME', 'muller']) {
				const found = await x3Items({
					...api,
					resource: 'supplier',
					operation: 'search',
					name: term,
					limit: 50,
				});
				const expected = [...emulator.state.suppliers.values()]
					.filter((supplier) => fold(supplier.name).includes(fold(term)))
					.map((supplier) => supplier.code)
					.sort();
				expect(expected.length).toBeGreaterThan(0);
				expect({ term, codes: sortedCodes(found) }).toEqual({ term, codes: expected });
			}
		});
	});

	describe('Supplier', () => {
		it('Get with continue (error output): the unknown code goes to the error output, paired to its input', async () => {
			const outputs = await runX3(
				{
					resource: 'supplier',
					operation: 'get',
					supplier: { __rl: true, mode: 'id', value: '={{ $json.code }}' },
				},
				[{ code: 'BRX00002' }, { code: 'NOPE9999' }, { code: 'BRX00003' }],
				{ onError: 'continueErrorOutput' },
			);
			expect(outputs.nodeError).toBeUndefined();
			expect(outputs.success.map((item) => [item.json.code, item.pairedItem])).toEqual([
				['BRX00002', { item: 0 }],
				['BRX00003', { item: 2 }],
			]);
			expect(outputs.error).toHaveLength(1);
			expect(outputs.error[0].pairedItem).toEqual({ item: 1 });
			expect(outputs.error[0].json.error).toBe(
				'Supplier "NOPE9999" was not found in X3 (Check the code, or use the Search operation to find the supplier by name.)',
			);
		});

		it('Create saves the supplier in X3 with the given code, and X3 numbers one without a code', async () => {
			const before = emulator.state.suppliers.size;
			const [created] = await x3Items({
				resource: 'supplier',
				operation: 'create',
				name: 'Nouvelle Société SARL',
				category: 'SUPFR',
				additionalFields: { code: 'NEWFR001', currency: 'eur' },
			});
			const stored = emulatorSupplier('NEWFR001');
			expect(stored).toMatchObject({
				name: 'Nouvelle Société SARL',
				category: 'SUPFR',
				currency: 'EUR',
				origin: 'created',
				isActive: true,
			});
			expect(created).toEqual(supplierView(stored));

			const [numbered] = await x3Items({
				resource: 'supplier',
				operation: 'create',
				name: 'Numbered Supplier Ltd',
				category: 'SUPUS',
			});
			expect(numbered.code).toMatch(/^S\d{6}$/);
			expect(emulatorSupplier(String(numbered.code))).toMatchObject({
				name: 'Numbered Supplier Ltd',
				category: 'SUPUS',
				origin: 'created',
			});
			expect(emulator.state.suppliers.size).toBe(before + 2);
			expect(emulator.stats.calls.soap.save).toBe(2);
		});

		const unknownVendor = 'Initech Inc';
		const vendorItems = () => [
			{ vendorName: 'ACME CORP', currency: 'USD' },
			{ vendorName: unknownVendor, currency: 'USD' },
		];

		it('Find or Create (create): matches by name and creates the unknown vendor once', async () => {
			expect(
				[...emulator.state.suppliers.values()].some((s) => fold(s.name) === fold(unknownVendor)),
			).toBe(false);
			const items = await x3Items(
				{
					resource: 'supplier',
					operation: 'findOrCreate',
					vendorNameSource: 'spendItem',
					notFoundPolicy: 'create',
					category: 'SUPUS',
					options: { codePrefix: 'NEW' },
				},
				[...vendorItems(), { vendorName: 'initech inc', currency: 'USD' }],
			);
			const suppliers = items.map((item) => item.supplier as IDataObject);
			expect(suppliers[0]).toMatchObject({
				code: 'BRX00001',
				name: 'Acme Corp',
				matchedBy: 'name',
			});
			expect(suppliers[1]).toMatchObject({ name: unknownVendor, matchedBy: 'created' });
			expect(suppliers[1].code).toMatch(/^NEW[A-Z0-9]{7}$/);
			expect(suppliers[2]).toMatchObject({ code: suppliers[1].code });
			expect(emulatorSupplier(String(suppliers[1].code))).toMatchObject({
				name: unknownVendor,
				category: 'SUPUS',
				currency: 'USD',
				origin: 'created',
			});
			expect(emulator.stats.calls.soap.save).toBe(1);
		});

		it('Find or Create (useDefault): the unknown vendor gets the default supplier and account', async () => {
			const before = emulator.state.suppliers.size;
			const items = await x3Items(
				{
					resource: 'supplier',
					operation: 'findOrCreate',
					notFoundPolicy: 'useDefault',
					defaultSupplierCode: 'BRX00002',
					defaultExpenseAccount: CHART.defaultExpenseAccount,
				},
				vendorItems(),
			);
			expect(items[0].supplier).toMatchObject({ code: 'BRX00001', matchedBy: 'name' });
			expect(items[1].supplier).toEqual({
				code: 'BRX00002',
				name: null,
				matchedBy: 'default',
				note: `No X3 supplier matches vendor "${unknownVendor}"`,
				defaultExpenseAccount: CHART.defaultExpenseAccount,
			});
			expect(emulator.state.suppliers.size).toBe(before);
			expect(emulator.stats.calls.soap.save ?? 0).toBe(0);
		});

		it('Find or Create (skip): the unknown vendor is marked skipped, nothing is created', async () => {
			const before = emulator.state.suppliers.size;
			const items = await x3Items(
				{ resource: 'supplier', operation: 'findOrCreate', notFoundPolicy: 'skip' },
				vendorItems(),
			);
			expect(items[0].supplier).toMatchObject({ code: 'BRX00001', matchedBy: 'name' });
			expect(items[1].supplier).toBeUndefined();
			expect(items[1].supplierDecision).toEqual({
				action: 'skip',
				reason: `No X3 supplier matches vendor "${unknownVendor}"`,
				vendorName: unknownVendor,
			});
			expect(emulator.state.suppliers.size).toBe(before);
		});

		it('Find or Create with an alias table maps a Brex vendor name to the aliased supplier', async () => {
			const aliased = emulatorSupplier('BRX00003');
			const outputs = await runX3(
				{
					resource: 'supplier',
					operation: 'findOrCreate',
					notFoundPolicy: 'skip',
					aliases: { alias: [{ vendorName: 'Uber Trip', supplierCode: 'BRX00004' }] },
					options: {
						aliasTable: JSON.stringify({ 'AMZN Mktp US': 'BRX00003', 'Ghost Vendor': 'NOPE9999' }),
					},
				},
				[
					{ vendorName: 'amzn mktp us' },
					{ vendorName: 'UBER   TRIP' },
					{ vendorName: 'Ghost Vendor' },
				],
				{ onError: 'continueErrorOutput' },
			);
			expect(outputs.success.map((item) => [item.json.supplier, item.pairedItem])).toEqual([
				[{ code: 'BRX00003', name: aliased.name, matchedBy: 'alias' }, { item: 0 }],
				[
					{ code: 'BRX00004', name: emulatorSupplier('BRX00004').name, matchedBy: 'alias' },
					{ item: 1 },
				],
			]);
			// An alias to a supplier X3 does not have is an error, not a silent skip.
			expect(outputs.error.map((item) => [item.json.error, item.pairedItem])).toEqual([
				[
					'The alias for "Ghost Vendor" points to supplier "NOPE9999", which X3 does not have (Correct the alias, or create the supplier in X3.)',
					{ item: 2 },
				],
			]);
		});
	});
});
