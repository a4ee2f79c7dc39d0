import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Sage X3 Cloud (multi-tenant) GraphQL: OAuth2 authorization code against https://api.<region>-sagex3.com.
 * Access tokens last 5 minutes and refresh tokens 30 days; n8n's oAuth2Api refreshes them. The data service URL
 * is per folder: https://api.<region>-sagex3.com/v1/service/<FOLDER>/api.
 */
export class SageX3CloudOAuth2Api implements ICredentialType {
	name = 'sageX3CloudOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Sage X3 Cloud OAuth2 API';

	icon: Icon = { light: 'file:icons/sageX3.svg', dark: 'file:icons/sageX3.dark.svg' };

	documentationUrl = 'https://developer.sage.com/x3/authorization-token-endpoints/';

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				{ name: 'Europe', value: 'eu' },
				{ name: 'North America', value: 'na' },
				{ name: 'Australia', value: 'au' },
			],
			default: 'eu',
			description:
				'The <region> of api.<region>-sagex3.com given with your Sage X3 Cloud subscription',
		},
		{
			displayName: 'Customer ID',
			name: 'customerId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Sage X3 Cloud customer identifier, sent as "customer" on the authorisation request',
		},
		{
			displayName: 'Folder',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SEED',
			description: 'Folder whose data service is called (see GET /v1/folders)',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '=https://api.{{$self["region"]}}-sagex3.com/v1/token/authorise',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '=https://api.{{$self["region"]}}-sagex3.com/v1/token',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'api.graphQL businessDomain.ALL',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '=customer={{encodeURIComponent($self["customerId"])}}',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
