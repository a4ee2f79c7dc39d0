import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { connectedAppTokens, MAX_CONNECTED_APP_TOKEN_SECONDS } from '../nodes/common/jwt';

/**
 * Sage X3 connected application (on-premises GraphQL, `/xtrem/api`). X3 has no token endpoint on-premises: the
 * client signs its own HS256 JWT with the application's secret.
 *
 * Why a function-form `authenticate` and not `preAuthentication` + an `expirable` field: n8n 2.41 calls a
 * function `authenticate` on every httpRequestWithAuthentication and in the declarative credential test (both go
 * through CredentialsHelper.authenticate), so the token is always fresh. preAuthentication runs only when the
 * expirable field is empty or after a 401, and it persists the token into the stored credential, so a token
 * would be reused until X3 rejects it and every renewal would rewrite the credential. Here tokens live only in
 * memory (nodes/common/jwt.ts), reused until less than 60 s remain, and the secret never leaves this process.
 */
export class SageX3ConnectedAppApi implements ICredentialType {
	name = 'sageX3ConnectedAppApi';

	displayName = 'Sage X3 Connected App API';

	icon: Icon = { light: 'file:icons/sageX3.svg', dark: 'file:icons/sageX3.dark.svg' };

	documentationUrl = 'https://developer.sage.com/x3/graphql/quick-start/create-connected-app/';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://x3.example.com:8124',
			description: 'Syracuse web server with its port; GraphQL is served at /xtrem/api',
		},
		{
			displayName: 'Endpoint (Folder)',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SEED',
			description: 'Sent as the x-xtrem-endpoint header',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Client ID of the connected application (becomes the token issuer)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Secret shown once when the connected application was saved; signs the tokens',
		},
		{
			displayName: 'X3 User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description:
				'X3 user login the calls run as (token subject); must be allowed on the connected application',
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			description: 'URL of the connected application, if one was set on it; otherwise leave empty',
		},
		{
			displayName: 'Token Lifetime (Seconds)',
			name: 'jwtLifetimeSeconds',
			type: 'number',
			typeOptions: { minValue: 30, maxValue: MAX_CONNECTED_APP_TOKEN_SECONDS },
			default: MAX_CONNECTED_APP_TOKEN_SECONDS,
			description: 'At most the token validity of the connected application (300 s max)',
		},
		{
			displayName: 'Max Concurrent Calls',
			name: 'maxConcurrentCalls',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 4,
			description: 'Calls in flight at once against this server and endpoint, for this n8n process',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 5, maxValue: 600 },
			default: 60,
			description: 'How long one GraphQL call may take',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = connectedAppTokens.token({
			clientId: String(credentials.clientId ?? ''),
			clientSecret: String(credentials.clientSecret ?? ''),
			user: String(credentials.user ?? ''),
			audience: String(credentials.audience ?? ''),
			lifetimeSeconds: Number(credentials.jwtLifetimeSeconds ?? MAX_CONNECTED_APP_TOKEN_SECONDS),
		});
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${token}`,
				'x-xtrem-endpoint': String(credentials.endpoint ?? ''),
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.url.endsWith("/") ? $credentials.url.slice(0, -1) : $credentials.url}}/xtrem/api',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { query: '{ __typename }' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'X3 rejected the token: check the client ID, secret, X3 user (allowed on the connected application), audience and that this server clock is within a minute of X3',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No GraphQL API at <server URL>/xtrem/api: check the server URL and that X3 Services (GraphQL) is installed',
				},
			},
		],
	};
}
