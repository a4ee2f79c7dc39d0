/**
 * A small stand-in for n8n's execution context in X3 transport tests: `httpRequestWithAuthentication` applies the
 * credential the way n8n does (generic Basic auth for sageX3Api, the class's authenticate function for the
 * connected app) and sends the request with fetch, so nock or a local emulator answers it. Network failures are
 * wrapped in NodeApiError like n8n-core does.
 */
import { NodeApiError } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';

import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import type { X3RequestContext } from '../../nodes/SageX3/transport/http';

export const TEST_NODE: INode = {
	id: 'test-node',
	name: 'Sage X3',
	type: 'n8n-nodes-brex-sage-x3.sageX3',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface RecordedRequest {
	credentialType: string;
	method: string;
	url: string;
	headers: Record<string, string>;
	body: string | undefined;
}

export interface FakeX3Context extends X3RequestContext {
	requests: RecordedRequest[];
}

async function applyCredential(
	type: string,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (type === 'sageX3ConnectedAppApi') {
		return await new SageX3ConnectedAppApi().authenticate(credentials, options);
	}
	if (type === 'sageX3Api') {
		const basic = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
		return { ...options, headers: { ...options.headers, Authorization: `Basic ${basic}` } };
	}
	if (type === 'sageX3CloudOAuth2Api') {
		const token =
			(credentials.oauthTokenData as { access_token?: string } | undefined)?.access_token ?? '';
		return { ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } };
	}
	throw new Error(`Unknown credential type ${type}`);
}

export function fakeX3Context(
	credentials: Record<string, ICredentialDataDecryptedObject>,
): FakeX3Context {
	const requests: RecordedRequest[] = [];
	const context: FakeX3Context = {
		requests,
		getNode: () => TEST_NODE,
		getCredentials: async (type: string) => {
			const found = credentials[type];
			if (!found) throw new Error(`No credential of type ${type}`);
			return { ...found };
		},
		helpers: {
			async httpRequestWithAuthentication(type: string, requestOptions: IHttpRequestOptions) {
				const options = await applyCredential(type, credentials[type] ?? {}, requestOptions);
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(options.headers ?? {}))
					headers[name] = String(value);
				const body = typeof options.body === 'string' ? options.body : undefined;
				requests.push({
					credentialType: type,
					method: options.method ?? 'GET',
					url: options.url,
					headers,
					body,
				});
				let response: Response;
				try {
					response = await fetch(options.url, {
						method: options.method ?? 'GET',
						headers,
						body,
						signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
					});
				} catch (error) {
					const cause = (error as { cause?: { code?: string } }).cause;
					const failure = Object.assign(new Error((error as Error).message), {
						code: (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : cause?.code,
					});
					throw new NodeApiError(TEST_NODE, failure as unknown as JsonObject);
				}
				const text = await response.text();
				const responseHeaders: Record<string, string> = {};
				response.headers.forEach((value, name) => (responseHeaders[name] = value));
				if (!options.ignoreHttpStatusErrors && response.status >= 400) {
					throw new NodeApiError(TEST_NODE, {
						message: `HTTP ${response.status}`,
						statusCode: response.status,
					});
				}
				return options.returnFullResponse
					? { statusCode: response.status, headers: responseHeaders, body: text }
					: text;
			},
		},
	};
	return context;
}

export const SOAP_CREDENTIALS: ICredentialDataDecryptedObject = {
	url: 'http://x3.test:8124',
	endpoint: 'SEED',
	poolAlias: 'BREX',
	language: 'ENG',
	user: 'ADMIN',
	password: 'emulator-password',
	maxConcurrentCalls: 4,
	requestTimeoutSeconds: 30,
};

export const CONNECTED_APP_CREDENTIALS: ICredentialDataDecryptedObject = {
	url: 'http://x3.test:8124',
	endpoint: 'SEED',
	clientId: 'brex-sync',
	clientSecret: 'emulator-connected-app-secret',
	user: 'ADMIN',
	audience: '',
	jwtLifetimeSeconds: 300,
	maxConcurrentCalls: 4,
	requestTimeoutSeconds: 30,
};

/** A sleep that records the waits instead of waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
	const waits: number[] = [];
	return {
		waits,
		sleep: async (ms: number) => {
			waits.push(ms);
		},
	};
}
