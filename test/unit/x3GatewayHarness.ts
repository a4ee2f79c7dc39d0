/**
 * A gateway on a fake n8n context for tests that answer X3 with nock: the base URL and SOAP path the fake
 * credentials point at, nock and the shared limiters and token cache reset around each test, and a gateway factory
 * (no retries by default; a test of retries passes its policy).
 */
import nock from 'nock';

import { connectedAppTokens } from '../../nodes/common/jwt';
import { createX3Gateway } from '../../nodes/SageX3/transport/gateway';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type { X3ReadApi } from '../../nodes/SageX3/transport/gateway.types';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import type { RetryPolicy } from '../../nodes/common/retry';
import {
	CONNECTED_APP_CREDENTIALS,
	fakeX3Context,
	recordingSleep,
	SOAP_CREDENTIALS,
} from './x3FakeContext';

export const X3_TEST_BASE = 'http://x3.test:8124';
export const X3_SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

/** No real network; nock, the pool limiters and the connected-app token cache cleared after each test. */
export function useNockForX3(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		nock.cleanAll();
		resetSharedLimiters();
		connectedAppTokens.clear();
	});
	afterAll(() => nock.enableNetConnect());
}

const NO_RETRY: RetryPolicy = {
	maxAttempts: 1,
	initialDelayMs: 0,
	maxDelayMs: 0,
	maxRetryAfterMs: 0,
};

export function testGateway(
	readApi: X3ReadApi,
	options: Partial<X3GatewayOptions> = {},
	setup: { credentials?: Parameters<typeof fakeX3Context>[0]; policy?: RetryPolicy } = {},
) {
	const context = fakeX3Context(
		setup.credentials ?? {
			sageX3Api: SOAP_CREDENTIALS,
			sageX3ConnectedAppApi: CONNECTED_APP_CREDENTIALS,
		},
	);
	const recorder = recordingSleep();
	return {
		context,
		waits: recorder.waits,
		x3: createX3Gateway(context, {
			readApi,
			layout: DEFAULT_X3_LAYOUT,
			soapCredentialType: 'sageX3Api',
			retry: { sleep: recorder.sleep, random: () => 0, policy: setup.policy ?? NO_RETRY },
			...options,
		}),
	};
}
