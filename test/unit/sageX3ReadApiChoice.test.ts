/**
 * The Read API parameter also picks the GraphQL credential (one parameter, so n8n's editor shows it and the
 * credential boxes follow it): graphql → connected app, graphqlCloud → cloud OAuth 2.0, both read via GraphQL.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { getReadApi } from '../../nodes/SageX3/helpers/context';
import { createX3Gateway } from '../../nodes/SageX3/transport/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';

jest.mock('../../nodes/SageX3/transport/gateway', () => ({
	createX3Gateway: jest.fn(() => ({ readApi: 'stub' })),
}));

function contextWith(readApi: string): IExecuteFunctions {
	return {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _index: number, fallback: unknown) =>
			name === 'readApi' ? readApi : fallback,
	} as unknown as IExecuteFunctions;
}

describe('Read API choice', () => {
	it.each([
		['soap', 'soap', 'sageX3ConnectedAppApi'],
		['rest', 'rest', 'sageX3ConnectedAppApi'],
		['graphql', 'graphql', 'sageX3ConnectedAppApi'],
		['graphqlCloud', 'graphql', 'sageX3CloudOAuth2Api'],
	])('%s reads through %s with %s for GraphQL', async (choice, readApi, credentialType) => {
		const context = contextWith(choice);
		expect(getReadApi(context)).toBe(readApi);
		await getGateway(context);
		expect(jest.mocked(createX3Gateway)).toHaveBeenLastCalledWith(
			context,
			expect.objectContaining({ readApi, graphqlCredentialType: credentialType }),
		);
	});

	it('is the only parameter the credentials depend on, and offers every choice', () => {
		const { description } = new SageX3();
		const conditions = (description.credentials ?? []).flatMap((credential) =>
			Object.keys(credential.displayOptions?.show ?? {}),
		);
		expect(new Set(conditions)).toEqual(new Set(['readApi']));
		const readApi = description.properties.find((property) => property.name === 'readApi');
		expect((readApi?.options ?? []).map((option) => (option as { value: string }).value)).toEqual([
			'graphql',
			'graphqlCloud',
			'rest',
			'soap',
		]);
	});
});
