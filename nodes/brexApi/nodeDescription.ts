import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { credentialWhen } from '../common/nodeDescriptions';

// The sign-in part of both Brex nodes' descriptions (action and trigger): one credential per Authentication choice.

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

export const brexCredentials: INodeCredentialDescription[] = [
	credentialWhen('brexApi', 'authentication', 'accessToken'),
	credentialWhen('brexOAuth2Api', 'authentication', 'oAuth2'),
];
