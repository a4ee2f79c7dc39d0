/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute) with the real transports against the
 * X3 emulator: Dimension List Types, Search and Validate, through each read API.
 * Expected answers come from the emulator's state; the set-up is in test/support/sageX3NodeOperations.ts.
 */
import type { IDataObject } from 'n8n-workflow';
import {
	useX3Emulator,
	emulator,
	READ_APIS,
	readApiParameters,
	expectNoReadsBesides,
	x3Items,
	sortedCodes,
} from '../support/sageX3NodeOperations';

useX3Emulator();

describe('Sage X3 node operations in an n8n execution against the X3 emulator', () => {
	describe.each(READ_APIS)('lookups with readApi %s', (readApi) => {
		const api = readApiParameters(readApi);
		afterEach(() => expectNoReadsBesides(readApi));

		it('Dimension List Types lists the configured types', async () => {
			const types = await x3Items({ ...api, resource: 'dimension', operation: 'listTypes' });
			expect(types.map((type) => [type.code, type.configured, type.fieldIndex])).toEqual([
				['CCT', true, 1],
				['DEP', true, 2],
				['PRJ', true, 3],
			]);
			// GAP: only GraphQL has a dimension type list. SOAP answers X3 Setup's types without a call; REST
			// asks api1 for GDIE (not served here: one 404) and falls back to X3 Setup's types. Neither has
			// descriptions.
			const descriptions = types.map((type) => type.description);
			if (readApi === 'graphql') {
				expect(descriptions).toEqual(
					['CCT', 'DEP', 'PRJ'].map((code) => emulator.state.dimensionTypes.get(code)!.description),
				);
				expect(emulator.stats.calls.graphql).toEqual({ 'x3FinanceData.dimensionType.query': 1 });
			} else {
				expect(descriptions).toEqual([null, null, null]);
				expect(emulator.stats.http.requests).toBe(readApi === 'rest' ? 1 : 0);
				if (readApi === 'rest') expect(emulator.stats.http.byStatus[404]).toBe(1);
			}
		});

		it('Dimension Search lists the values of a type, by code prefix and by description', async () => {
			const all = await x3Items({
				...api,
				resource: 'dimension',
				operation: 'search',
				dimensionType: 'DEP',
				limit: 50,
			});
			const expected = [...emulator.state.dimensions.values()].filter((d) => d.type === 'DEP');
			expect(sortedCodes(all)).toEqual(expected.map((d) => d.code).sort());
			for (const dimension of all) {
				const seeded = emulator.state.getDimension('DEP', String(dimension.code))!;
				expect(dimension).toEqual({
					type: 'DEP',
					code: seeded.code,
					description: seeded.description,
					isActive: seeded.isActive,
				});
			}
			const byCode = await x3Items({
				...api,
				resource: 'dimension',
				operation: 'search',
				dimensionType: 'CCT',
				code: 'CC-',
				limit: 50,
			});
			expect(sortedCodes(byCode)).toEqual(['CC-NY', 'CC-PAR', 'CC-SF']);
			const byDescription = await x3Items({
				...api,
				resource: 'dimension',
				operation: 'search',
				dimensionType: 'DEP',
				dimensionDescription: 'engin',
				limit: 50,
			});
			expect(sortedCodes(byDescription)).toEqual(['ENG']);
		});
	});

	describe.each(READ_APIS)('validation with readApi %s', (readApi) => {
		const api = readApiParameters(readApi);
		afterEach(() => expectNoReadsBesides(readApi));

		it('Dimension Validate: known values pass, unknown and inactive values are reported', async () => {
			const [ok] = await x3Items({
				...api,
				resource: 'dimension',
				operation: 'validate',
				dimensions: {
					dimension: [
						{ type: 'DEP', value: 'ENG' },
						{ type: 'CCT', value: 'CC-SF' },
					],
				},
			});
			expect(ok).toEqual({
				valid: true,
				unknown: [],
				inactive: [],
				notConfigured: [],
				dimensions: [
					{ type: 'DEP', value: 'ENG', exists: true, isActive: true, description: 'Engineering' },
					{
						type: 'CCT',
						value: 'CC-SF',
						exists: true,
						isActive: true,
						description: 'San Francisco',
					},
				],
			});
			expect(emulator.state.getDimension('DEP', 'OLD')!.isActive).toBe(false);
			expect(emulator.state.getDimension('CCT', 'CC-XX')).toBeUndefined();
			const [bad] = await x3Items({
				...api,
				resource: 'dimension',
				operation: 'validate',
				dimensions: {
					dimension: [
						{ type: 'DEP', value: 'OLD' },
						{ type: 'CCT', value: 'CC-XX' },
						{ type: 'PRJ', value: 'PRJ-ALPHA' },
					],
				},
			});
			expect(bad).toMatchObject({
				valid: false,
				unknown: [{ type: 'CCT', value: 'CC-XX' }],
				inactive: [{ type: 'DEP', value: 'OLD' }],
				notConfigured: [],
			});
			expect((bad.dimensions as IDataObject[]).map((d) => [d.value, d.exists, d.isActive])).toEqual(
				[
					['OLD', true, false],
					['CC-XX', false, false],
					['PRJ-ALPHA', true, true],
				],
			);
		});
	});
});
