import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Sage X3 (on-premises Syracuse) with HTTP Basic authentication: SOAP web services through a classic SOAP pool,
 * and REST api1. The credential test is a real SOAP call made by the Sage X3 node (`testedBy:
 * 'testSageX3ApiCredential'`), which tells apart wrong password / basic auth disabled, unknown pool alias, wrong
 * endpoint and an unreachable server. The class deliberately has no declarative `test`: n8n prefers a
 * credential's own `test` over the node's function, and one HTTP request with a status rule cannot distinguish
 * those failures.
 */
export class SageX3Api implements ICredentialType {
	name = 'sageX3Api';

	displayName = 'Sage X3 API';

	icon: Icon = { light: 'file:icons/sageX3.svg', dark: 'file:icons/sageX3.dark.svg' };

	documentationUrl =
		'https://online-help.sagex3.com/erp/12/en-us/Content/V7DEV/integration-guide_ws-basic-authentication.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://x3.example.com:8124',
			description: 'Syracuse web server, with its port (8124 by default on-premises). No path.',
		},
		{
			displayName: 'Endpoint (Folder)',
			name: 'endpoint',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SEED',
			description: 'Syracuse endpoint name, usually the X3 folder name. Used by REST api1 URLs.',
		},
		{
			displayName: 'SOAP Pool Alias',
			name: 'poolAlias',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'WS_SEED',
			description:
				'Alias of the classic SOAP pool (Administration > Web services > Classic SOAP pools configuration). Case-sensitive.',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: 'ENG',
			description: 'X3 language code sent as codeLang in every SOAP call',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description:
				'Syracuse user of authentication type "basic", mapped to an X3 user with rights on the endpoint',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of that X3 user',
			required: true,
		},
		{
			displayName: 'Max Concurrent Calls',
			name: 'maxConcurrentCalls',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 50 },
			default: 4,
			description:
				'Calls in flight at once against this server and pool, for all workflows of this n8n process. Keep it at or below the SOAP pool maximum size.',
		},
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 5, maxValue: 600 },
			default: 60,
			description: 'How long one call may take, pool waiting included',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{$credentials.user}}',
				password: '={{$credentials.password}}',
			},
		},
	};
}
