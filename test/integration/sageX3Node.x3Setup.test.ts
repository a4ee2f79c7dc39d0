/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute) with the real transports against the
 * X3 emulator: X3 Setup: API Name Overrides.
 * Expected answers come from the emulator's state; the set-up is in test/support/sageX3NodeOperations.ts.
 */

import {
	useX3Emulator,
	emulator,
	readApiParameters,
	x3Items,
	x3Failure,
	TRAVEL_ACCOUNT,
} from '../support/sageX3NodeOperations';

useX3Emulator();

describe('Sage X3 node operations in an n8n execution against the X3 emulator', () => {
	describe('API Name Overrides (X3 Setup)', () => {
		it('lets GraphQL read the required dimension types, so Account Validate catches a missing DEP', async () => {
			const results = await x3Items(
				{
					...readApiParameters('graphql'),
					resource: 'account',
					operation: 'validate',
					account: { __rl: true, mode: 'id', value: TRAVEL_ACCOUNT },
					dimensions: 'CCT=CC-SF',
					x3Setup: {
						apiNames: JSON.stringify({
							graphql: { account: { requiredDimensionTypes: 'mandatoryDimensionTypes.code' } },
						}),
					},
				},
				[{}],
			);
			expect(results[0]).toMatchObject({
				valid: false,
				requiredDimensionTypes: ['DEP'],
				missingDimensionTypes: ['DEP'],
			});
		});

		it('refuses overrides that are not an object per API style, before any call', async () => {
			const error = await x3Failure({
				readApi: 'soap',
				resource: 'account',
				operation: 'get',
				account: { __rl: true, mode: 'id', value: TRAVEL_ACCOUNT },
				x3Setup: { apiNames: '{"odata": {}}' },
			});
			expect(error.message).toContain('unknown key "odata"');
			expect(emulator.stats.http.requests).toBe(0);
		});
	});
});
