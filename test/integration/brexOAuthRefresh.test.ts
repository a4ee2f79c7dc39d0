/**
 * Brex OAuth2 access tokens expire (Brex: after an hour) and Brex then answers 403 "Expired token", not 401.
 * The Brex node runs here through n8n-core's own WorkflowExecute and OAuth2 request path (requestOAuth2, its
 * token refresh and retry), with the credential's properties applied the way n8n's credentials helper applies
 * them, against the Brex emulator's OAuth2 server.
 */
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { WorkflowExecute } from 'n8n-core';

import { BREX_OAUTH2_SCOPES, BrexOAuth2Api } from '../../credentials/BrexOAuth2Api.credentials';
import { Brex } from '../../nodes/Brex/Brex.node';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import {
	TestCredentialsHelper,
	additionalData,
	nodeTypes,
	registerNodeType,
} from '../support/n8nCoreHarness';

const BREX_NODE_TYPE = 'n8n-nodes-brex-sage-x3.brex';
const REDIRECT_URI = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

let brex: BrexEmulator;

beforeAll(async () => {
	brex = await startBrexEmulator({ seed: 11, expenseCount: 5 });
	registerNodeType(BREX_NODE_TYPE, new Brex());
});
afterAll(async () => {
	await brex.close();
});

/** The authorization code flow n8n's "Connect my account" runs (the emulator consents at once). */
async function connect(): Promise<Record<string, unknown>> {
	const { clientId, clientSecret } = brex.oauthClient;
	const authorize = new URL(`${brex.url}/oauth2/default/v1/authorize`);
	authorize.search = new URLSearchParams({
		client_id: clientId,
		redirect_uri: REDIRECT_URI,
		response_type: 'code',
		scope: BREX_OAUTH2_SCOPES.join(' '),
	}).toString();
	const consent = await fetch(authorize, { redirect: 'manual' });
	const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
	const token = await fetch(`${brex.url}/oauth2/default/v1/token`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code,
			redirect_uri: REDIRECT_URI,
		}).toString(),
	});
	return (await token.json()) as Record<string, unknown>;
}

/**
 * What n8n's credentials helper hands to requestOAuth2 for this credential type: the stored values plus the
 * defaults of the type's properties (hidden ones included), and the token data it writes back after a refresh.
 */
class OAuthCredentialsHelper extends TestCredentialsHelper {
	readonly refreshed: Array<Record<string, unknown>> = [];

	constructor(private stored: ICredentialDataDecryptedObject) {
		super({});
	}

	// The base class declares these without parameters; n8n passes them (type, then the credential data).
	getParentTypes(...args: string[]): string[] {
		return args[0] === 'brexOAuth2Api' ? ['oAuth2Api'] : [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (type !== 'brexOAuth2Api') throw new Error(`No test credential ${type}`);
		const withDefaults = NodeHelpers.getNodeParameters(
			new BrexOAuth2Api().properties,
			this.stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		// Values of the parent type's properties (client id and secret) and the token data stay as stored.
		return JSON.parse(
			JSON.stringify({ ...this.stored, ...withDefaults }),
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentialsOauthTokenData(...args: unknown[]): Promise<void> {
		const data = args[2] as ICredentialDataDecryptedObject;
		this.refreshed.push(data.oauthTokenData as Record<string, unknown>);
		this.stored = { ...this.stored, oauthTokenData: data.oauthTokenData };
	}
}

async function getExpenseThroughN8n(stored: ICredentialDataDecryptedObject) {
	const helper = new OAuthCredentialsHelper(stored);
	const data = additionalData({});
	data.credentialsHelper = helper;
	const node: INode = {
		id: 'brex',
		name: 'Brex',
		type: BREX_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			authentication: 'oAuth2',
			resource: 'expense',
			operation: 'get',
			expenseId: [...brex.state.expenses.keys()][0],
		},
		credentials: { brexOAuth2Api: { id: 'oauth-1', name: 'Brex OAuth2' } },
	};
	const workflow = new Workflow({
		id: 'wf-oauth',
		name: 'OAuth refresh',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const run = await new WorkflowExecute(data, 'manual').run({ workflow, startNode: node });
	const task = run.data.resultData.runData.Brex?.[0];
	return { helper, task, error: task?.error ?? run.data.resultData.error };
}

function storedCredential(oauthTokenData: Record<string, unknown>): ICredentialDataDecryptedObject {
	return {
		clientId: brex.oauthClient.clientId,
		clientSecret: brex.oauthClient.clientSecret,
		environment: 'custom',
		customAuthUrl: `${brex.url}/oauth2/default/v1/authorize`,
		customAccessTokenUrl: `${brex.url}/oauth2/default/v1/token`,
		// n8n resolves the hidden URL expressions from the custom ones; given resolved here.
		authUrl: `${brex.url}/oauth2/default/v1/authorize`,
		accessTokenUrl: `${brex.url}/oauth2/default/v1/token`,
		baseUrl: brex.url,
		oauthTokenData,
	} as ICredentialDataDecryptedObject;
}

describe('Brex OAuth2 token refresh through n8n-core', () => {
	it('an expired access token (Brex: 403 "Expired token") is refreshed and the call succeeds', async () => {
		const tokens = await connect();
		brex.expireTokens([String(tokens.access_token)]);
		const { helper, task, error } = await getExpenseThroughN8n(storedCredential(tokens));
		expect(error).toBeUndefined();
		expect(task?.data?.main?.[0]?.[0]?.json.id).toBe([...brex.state.expenses.keys()][0]);
		expect(helper.refreshed).toHaveLength(1);
		expect(helper.refreshed[0].access_token).not.toBe(tokens.access_token);
		expect(helper.refreshed[0].refresh_token).toBe(tokens.refresh_token);
	});

	it('a revoked access token (401) is refreshed too', async () => {
		const tokens = await connect();
		brex.revokeToken(String(tokens.access_token));
		const { helper, error } = await getExpenseThroughN8n(storedCredential(tokens));
		expect(error).toBeUndefined();
		expect(helper.refreshed).toHaveLength(1);
	});

	it('a 403 that a fresh token does not cure is reported once, with the hint', async () => {
		const tokens = await connect();
		brex.expireTokens([String(tokens.access_token)]);
		// The refresh token is gone as well: n8n asks for the credential to be reconnected.
		brex.state.refreshTokens.clear();
		const { helper, error } = await getExpenseThroughN8n(storedCredential(tokens));
		expect(helper.refreshed).toHaveLength(0);
		expect(String((error as Error | undefined)?.message)).toMatch(/reconnected/);
	});
});
