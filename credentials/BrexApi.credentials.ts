import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Brex customer user token (bxt_…), created by an account or card admin in the Brex dashboard under
 * Developer → Settings, with the scopes chosen there. Sent as a bearer token.
 */
export class BrexApi implements ICredentialType {
	name = 'brexApi';

	displayName = 'Brex API';

	icon: Icon = { light: 'file:icons/brex.svg', dark: 'file:icons/brex.dark.svg' };

	documentationUrl = 'https://developer.brex.com/docs/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'User Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'bxt_…',
			description:
				'Brex user token, created in the Brex dashboard under Developer → Settings → Create Token. Give it at least the read scopes for expenses, card transactions, users, departments and locations (and accounting records, to report export results).',
		},
		{
			displayName:
				'To keep Brex custom fields (e.g. your X3 accounts and dimensions) with the Field and Field Value resources, give the token the scopes fields.read and field_values.read, plus fields.write and field_values.write to create or change them.',
			name: 'fieldsScopesNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.brex.com',
			required: true,
			description:
				'Brex API host. Keep https://api.brex.com for production; change it only for a local Brex emulator.',
		},
	];

	// A function rather than a generic `={{…}}` header: n8n 2.41 evaluates generic ones in its expression engine,
	// which failed webhook registration calls during activation ("No bridge acquired") under concurrent requests.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
			},
		};
	}

	// List Expenses with limit 1: cheap, and it needs the expenses scope this package relies on most.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/expenses',
			method: 'GET',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Brex rejected the token: it is invalid or has been revoked. Create a new user token in the Brex dashboard (Developer → Settings → Create Token) and paste it here.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Brex refused the token: it has expired after a period without use, or it lacks the expenses read scope (expenses.card.readonly). Create a new user token in the Brex dashboard (Developer → Settings) with the read scopes this package needs.',
				},
			},
		],
	};
}
