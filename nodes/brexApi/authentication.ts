import type { INodeProperties } from 'n8n-workflow';

import type { BrexCredentialType } from './client';

// The sign-in choice of both Brex nodes (action and trigger) and the credential it picks. Their credential lists
// stay literal in each node class: n8n's linter reads them there.

export const brexAuthenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	description: 'How to authenticate with Brex: a user token, or an OAuth 2.0 app',
	options: [
		{ name: 'Access Token', value: 'accessToken' },
		{ name: 'OAuth2', value: 'oAuth2' },
	],
	default: 'accessToken',
};

/** The credential the `authentication` parameter picks. */
export function credentialTypeOf(authentication: unknown): BrexCredentialType {
	return authentication === 'oAuth2' ? 'brexOAuth2Api' : 'brexApi';
}
