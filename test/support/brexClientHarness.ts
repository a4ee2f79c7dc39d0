/**
 * A small stand-in for n8n's execution context, enough for the Brex client and the Brex node: credentials,
 * parameters, input items, continueOnFail, and httpRequestWithAuthentication done the way n8n 2.41 does it
 * (authenticate, then the same axios-based OutboundHttp n8n uses, with n8n's NodeApiError wrapping of thrown
 * errors, so nock sees real HTTP and the client sees real response/error shapes).
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import { constructExecutionMetaData, returnJsonArray } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { setSleepForTests } from '../../nodes/brexApi/client';

export const TEST_TOKEN = 'bxt_unit_test_secret_token_123';
export const OAUTH_ACCESS_TOKEN = 'oauth_unit_test_access_token_456';
export const BASE_URL = 'https://brex.test';

export interface HarnessOptions {
	credentialType?: 'brexApi' | 'brexOAuth2Api';
	credentials?: IDataObject;
	/** Node parameters; a function gets the item index (per-item parameters, as with expressions). */
	parameters?: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
}

export interface Harness {
	ctx: IExecuteFunctions;
	/** Every request as sent (after authentication). */
	requests: IHttpRequestOptions[];
	node: INode;
}

function getPath(object: IDataObject, path: string): unknown {
	let current: unknown = object;
	for (const part of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[part];
	}
	return current;
}

export function createHarness(options: HarnessOptions = {}): Harness {
	const credentialType = options.credentialType ?? 'brexApi';
	const credentials: IDataObject =
		options.credentials ??
		(credentialType === 'brexApi'
			? { accessToken: TEST_TOKEN, baseUrl: BASE_URL }
			: { baseUrl: BASE_URL, oauthTokenData: { access_token: OAUTH_ACCESS_TOKEN } });
	const node: INode = {
		id: 'node-1',
		name: 'Brex',
		type: 'n8n-nodes-brex-sage-x3.brex',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const requests: IHttpRequestOptions[] = [];
	const items = options.items ?? [{ json: {} }];

	const paramsFor = (itemIndex: number): IDataObject =>
		typeof options.parameters === 'function'
			? options.parameters(itemIndex)
			: (options.parameters ?? {});

	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getExecutionCancelSignal: () => undefined,
		getCredentials: async (type: string) => {
			if (type !== credentialType) {
				throw new NodeOperationError(node, `Node does not have credentials of type "${type}"`);
			}
			return credentials;
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = getPath(paramsFor(itemIndex), name);
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		helpers: {
			returnJsonArray,
			constructExecutionMetaData,
			httpRequestWithAuthentication: async (type: string, request: IHttpRequestOptions) => {
				if (type !== credentialType) {
					throw new NodeOperationError(node, `Node does not have credentials of type "${type}"`);
				}
				const token =
					type === 'brexApi'
						? String(credentials.accessToken)
						: String((credentials.oauthTokenData as IDataObject).access_token);
				const sent: IHttpRequestOptions = {
					...request,
					headers: { ...request.headers, Authorization: `Bearer ${token}` },
				};
				requests.push(sent);
				try {
					// Cast: @n8n/backend-network is typed against its own nested copy of n8n-workflow.
					return await Container.get(OutboundHttp)
						.requests()
						.request(sent as never);
				} catch (error) {
					// As n8n's httpRequestWithAuthentication does.
					throw new NodeApiError(node, error as never);
				}
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, requests, node };
}

/** Records backoff waits instead of waiting. */
export function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
	const waits: number[] = [];
	return {
		waits,
		sleep: async (ms: number) => {
			waits.push(ms);
		},
	};
}

/**
 * For a whole test file: every test gets its own recording sleep in the Brex client (restored after it); the returned
 * list holds the current test's backoff waits.
 */
export function recordBackoffWaitsPerTest(): { waits: () => number[] } {
	let current: number[] = [];
	beforeEach(() => {
		const recorder = recordingSleep();
		current = recorder.waits;
		setSleepForTests(recorder.sleep);
	});
	afterEach(() => setSleepForTests());
	return { waits: () => current };
}
