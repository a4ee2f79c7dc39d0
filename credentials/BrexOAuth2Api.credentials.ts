import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

const PRODUCTION_AUTH_URL = 'https://accounts-api.brex.com/oauth2/default/v1/authorize';
const PRODUCTION_TOKEN_URL = 'https://accounts-api.brex.com/oauth2/default/v1/token';

/**
 * Read scopes the package uses, plus accounting.record.write to report export results back to Brex, and the
 * Fields API scopes (fields.json) to keep custom fields and their values in step with X3.
 */
export const BREX_OAUTH2_SCOPES = [
	'openid',
	'offline_access',
	'expenses.card.readonly',
	'transactions.card.readonly',
	'accounting.record.read',
	'accounting.record.write',
	'vendors.readonly',
	'users.readonly',
	'departments.readonly',
	'locations.readonly',
	'budgets.readonly',
	'fields.read',
	'fields.write',
	'field_values.read',
	'field_values.write',
];

/** Statuses after which n8n refreshes the access token and sends the call once more. */
export const BREX_TOKEN_EXPIRED_STATUS_CODES = [401, 403];

/**
 * n8n refreshes the access token when a call answers one of these statuses (401 alone by default): Brex answers
 * an expired access token with 403 "Expired token", a revoked or unknown one with 401. n8n reads the field by
 * this name. It holds status codes, not a secret: declared apart because the community lint takes any field
 * whose name contains "token" for a secret that needs a password input.
 */
const tokenExpiredStatusCodeProperty: INodeProperties = {
	displayName: 'Token Expired Status Code',
	name: 'tokenExpiredStatusCode',
	type: 'hidden',
	default: BREX_TOKEN_EXPIRED_STATUS_CODES,
};

/**
 * Brex OAuth2 (authorization code) for Brex partner apps, which hold a Brex-issued client id and secret.
 * n8n runs the consent flow and refreshes the one-hour access token (offline_access gives the refresh token)
 * when Brex answers 401 or 403 (an expired access token is a 403 at Brex).
 */
export class BrexOAuth2Api implements ICredentialType {
	name = 'brexOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Brex OAuth2 API';

	icon: Icon = { light: 'file:icons/brex.svg', dark: 'file:icons/brex.dark.svg' };

	documentationUrl = 'https://developer.brex.com/docs/partner_authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{
					name: 'Custom (e.g. Local Brex Emulator)',
					value: 'custom',
				},
			],
			default: 'production',
			description:
				'Production uses Brex’s authorization server. Custom lets you set the authorization and token URLs, e.g. for a local Brex emulator.',
		},
		{
			displayName: 'Custom Authorization URL',
			name: 'customAuthUrl',
			type: 'string',
			default: '',
			description: 'Authorization endpoint of a Brex-compatible server, e.g. the local emulator',
			placeholder: 'http://127.0.0.1:8080/oauth2/default/v1/authorize',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Custom Access Token URL',
			name: 'customAccessTokenUrl',
			type: 'string',
			default: '',
			description: 'Token endpoint of a Brex-compatible server, e.g. the local emulator',
			placeholder: 'http://127.0.0.1:8080/oauth2/default/v1/token',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? $self["customAuthUrl"] : "${PRODUCTION_AUTH_URL}" }}`,
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? $self["customAccessTokenUrl"] : "${PRODUCTION_TOKEN_URL}" }}`,
			required: true,
		},
		{
			displayName:
				'The app asks for the read scopes of expenses, card transactions, accounting records, vendors, users, departments, locations and budgets, accounting.record.write, and fields.read, fields.write, field_values.read, field_values.write for the Field and Field Value resources. Your Brex partner app must be allowed these scopes.',
			name: 'scopesNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: BREX_OAUTH2_SCOPES.join(' '),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			// Client id and secret as HTTP Basic (client_secret_basic), the Okta-style server's default.
			default: 'header',
		},
		tokenExpiredStatusCodeProperty,
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.brex.com',
			required: true,
			description:
				'Brex API host for the calls made with this token. Keep https://api.brex.com for production.',
		},
	];
}
