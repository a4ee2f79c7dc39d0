import type { INodeTypeDescription } from 'n8n-workflow';

import { Brex } from '../../nodes/Brex/Brex.node';
import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { brexAuthenticationProperty, credentialTypeOf } from '../../nodes/brexApi/authentication';

const choices = (brexAuthenticationProperty.options ?? []).map((option) =>
	String((option as { value: unknown }).value),
);

describe('credentialTypeOf', () => {
	it('picks the OAuth2 credential for oAuth2 and the token credential otherwise', () => {
		expect(credentialTypeOf('oAuth2')).toBe('brexOAuth2Api');
		expect(credentialTypeOf('accessToken')).toBe('brexApi');
		expect(credentialTypeOf(undefined)).toBe('brexApi');
	});
});

describe.each<[string, INodeTypeDescription]>([
	['Brex', new Brex().description],
	['Brex Trigger', new BrexTrigger().description],
])('the %s node', (_name, description) => {
	it('offers the shared Authentication choice', () => {
		expect(description.properties).toContain(brexAuthenticationProperty);
	});

	// The credential lists are literal in each node class; the choice and the function picking a credential
	// are shared: each choice must show exactly the credential credentialTypeOf picks for it.
	it.each(choices)('shows the credential credentialTypeOf picks for "%s"', (choice) => {
		const shown = (description.credentials ?? []).filter((credential) =>
			(credential.displayOptions?.show?.authentication ?? []).includes(choice),
		);
		expect(shown.map((credential) => credential.name)).toEqual([credentialTypeOf(choice)]);
	});
});
