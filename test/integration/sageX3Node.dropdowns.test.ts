/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute) with the real transports against the
 * X3 emulator: every dropdown and list search through n8n-core's LoadOptionsContext, for each read API.
 * Expected answers come from the emulator's state; the set-up is in test/support/sageX3NodeOperations.ts.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
} from 'n8n-workflow';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { loadOptionsContext, sageX3Node } from '../support/n8nCoreHarness';
import {
	useX3Emulator,
	emulator,
	credentials,
	READ_APIS,
	readApiParameters,
	expectNoReadsBesides,
	fold,
	emulatorSupplier,
} from '../support/sageX3NodeOperations';

useX3Emulator();

describe('Sage X3 node operations in an n8n execution against the X3 emulator', () => {
	describe.each(READ_APIS)('dropdowns with readApi %s', (readApi) => {
		afterEach(() => expectNoReadsBesides(readApi));
		const node = (parameters: INodeParameters) =>
			sageX3Node('Sage X3', { ...readApiParameters(readApi), ...parameters });
		const context = (parameters: INodeParameters, path?: string): ILoadOptionsFunctions =>
			loadOptionsContext(node(parameters), credentials, path);
		const methods = new SageX3().methods;
		const journalNode = { resource: 'journalEntry', operation: 'create' };

		const searchSuppliers = async (filter?: string) =>
			(
				(await methods.listSearch.searchSuppliers.call(
					context({ resource: 'supplier', operation: 'get' }),
					filter,
				)) as INodeListSearchResult
			).results;
		const searchAccounts = async (filter?: string) =>
			(
				(await methods.listSearch.searchAccounts.call(
					context({ resource: 'account', operation: 'get' }),
					filter,
				)) as INodeListSearchResult
			).results;

		it('searchSuppliers lists X3 suppliers: all, by name words, by code', async () => {
			const all = await searchSuppliers();
			const suppliers = [...emulator.state.suppliers.values()];
			expect(all.map((r) => r.value).sort()).toEqual(suppliers.map((s) => s.code).sort());
			const acme = emulatorSupplier('BRX00001');
			expect(all).toContainEqual({ name: `${acme.name} (${acme.code})`, value: acme.code });

			const byName = await searchSuppliers('zoe studio');
			expect(byName.map((r) => r.value)).toEqual(
				suppliers.filter((s) => fold(s.name).includes('zoe studio')).map((s) => s.code),
			);
			const byCode = await searchSuppliers('BRX0002');
			expect(byCode.map((r) => r.value).sort()).toEqual(
				suppliers
					.map((s) => s.code)
					.filter((code) => code.startsWith('BRX0002'))
					.sort(),
			);
		});

		it('searchAccounts lists the chart: all (inactive marked), by code, by description', async () => {
			const all = await searchAccounts('');
			const accounts = [...emulator.state.accounts.values()];
			expect(all.map((r) => r.value).sort()).toEqual(accounts.map((a) => a.code).sort());
			expect(all).toContainEqual({
				name: '471000 – Suspense (closed) [inactive]',
				value: '471000',
			});
			expect((await searchAccounts('6256')).map((r) => r.value)).toEqual(['625600']);
			expect((await searchAccounts('software')).map((r) => r.value)).toEqual(['651000']);
		});

		it('getDimensionTypes lists the configured types', async () => {
			const options = (await methods.loadOptions.getDimensionTypes.call(
				context({ resource: 'dimension', operation: 'search' }),
			)) as INodePropertyOptions[];
			expect(options.map((o) => o.value)).toEqual(['CCT', 'DEP', 'PRJ']);
			const names = options.map((o) => o.name);
			expect(names).toEqual(
				readApi === 'graphql'
					? ['CCT – Cost centre', 'DEP – Department', 'PRJ – Project']
					: ['CCT', 'DEP', 'PRJ'],
			);
		});

		it('getDimensions lists the values of the chosen type (top-level field and collection sibling)', async () => {
			const expectedFor = (type: string) =>
				[...emulator.state.dimensions.values()]
					.filter((d) => d.type === type)
					.map((d) => ({ name: `${d.code} – ${d.description}`, value: d.code }))
					.sort((a, b) => a.value.localeCompare(b.value));
			const sortByValue = (options: INodePropertyOptions[]) =>
				[...options].sort((a, b) => String(a.value).localeCompare(String(b.value)));

			const ofSearchType = (await methods.loadOptions.getDimensions.call(
				context({ resource: 'dimension', operation: 'search', dimensionType: 'DEP' }),
			)) as INodePropertyOptions[];
			expect(sortByValue(ofSearchType)).toEqual(expectedFor('DEP'));

			const ofSibling = (await methods.loadOptions.getDimensions.call(
				context(
					{
						resource: 'dimension',
						operation: 'validate',
						dimensions: {
							dimension: [
								{ type: 'DEP', value: 'ENG' },
								{ type: 'CCT', value: '' },
							],
						},
					},
					'parameters.dimensions.dimension[1].value',
				),
			)) as INodePropertyOptions[];
			expect(sortByValue(ofSibling)).toEqual(expectedFor('CCT'));
		});

		const byValue = (options: INodePropertyOptions[]) =>
			[...options].sort((x, y) => String(x.value).localeCompare(String(y.value)));
		const expectedSites = () =>
			byValue(
				[...emulator.state.sites.values()].map((site) => ({
					name: `${site.code} – ${site.name}`,
					value: site.code,
				})),
			);
		const expectedEntryTypes = () =>
			byValue(
				[...emulator.state.entryTypes.values()].map((type) => ({
					name: `${type.code} – ${type.description}`,
					value: type.code,
				})),
			);
		const getSites = async () =>
			(await methods.loadOptions.getSites.call(context(journalNode))) as INodePropertyOptions[];
		const getEntryTypes = async () =>
			(await methods.loadOptions.getEntryTypes.call(
				context(journalNode),
			)) as INodePropertyOptions[];

		if (readApi === 'graphql') {
			it('getSites and getEntryTypes list the sites and entry types of the folder', async () => {
				expect(byValue(await getSites())).toEqual(expectedSites());
				expect(byValue(await getEntryTypes())).toEqual(expectedEntryTypes());
			});
		} else if (readApi === 'soap') {
			// GAP: no SOAP publication for sites or entry types by default (and the node offers no setting for one).
			it('getSites and getEntryTypes: SOAP has no publication for them and says so in the list, before any call', async () => {
				for (const [options, what] of [
					[await getSites(), 'site'],
					[await getEntryTypes(), 'entry type'],
				] as const) {
					expect(options).toHaveLength(1);
					expect(options[0].value).toBe('');
					expect(options[0].name).toContain(`Type the ${what} code`);
					expect(options[0].name).toContain('API Name Overrides');
				}
				expect(emulator.stats.http.requests).toBe(0);
			});
		} else {
			// GAP: the api1 classes the REST reader asks for (FACILITY, GJOURNALTYPE) are not served here.
			it('getSites and getEntryTypes: REST reports the missing api1 class', async () => {
				await expect(getSites()).rejects.toThrow(
					'Sage X3 api1 reported an error: Class FACILITY not found',
				);
				await expect(getEntryTypes()).rejects.toThrow(
					'Sage X3 api1 reported an error: Class GJOURNALTYPE not found',
				);
				// One request each: a 404 is not retried.
				expect(emulator.stats.http.byStatus[404]).toBe(2);
			});
		}
	});
});
