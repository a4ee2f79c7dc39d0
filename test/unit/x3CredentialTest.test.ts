import nock from 'nock';
import type { ICredentialTestFunctions } from 'n8n-workflow';

import { SageX3Api } from '../../credentials/SageX3Api.credentials';
import { SageX3CloudOAuth2Api } from '../../credentials/SageX3CloudOAuth2Api.credentials';
import {
	runSoapCredentialTest,
	testSageX3ApiCredential,
} from '../../nodes/SageX3/transport/credentialTests';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { fakeX3Context, SOAP_CREDENTIALS } from './x3FakeContext';
import { soapFault, soapResponse } from './x3SoapFixtures';

const BASE = 'http://x3.test:8124';
const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
const SETTINGS = { baseUrl: BASE, poolAlias: 'BREX', language: 'ENG', timeoutMs: 5000 };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const send = () =>
	createCredentialSender(fakeX3Context({ sageX3Api: SOAP_CREDENTIALS }), 'sageX3Api');

/** The credential-test context n8n gives: only the legacy `helpers.request`, here over fetch. */
function legacyTestContext(seen: Array<Record<string, unknown>>): ICredentialTestFunctions {
	return {
		logger: {} as ICredentialTestFunctions['logger'],
		helpers: {
			request: async (options: object) => {
				const o = options as {
					method: string;
					uri: string;
					headers: Record<string, string>;
					body: string;
					auth: { user: string; pass: string };
				};
				seen.push(o);
				const response = await fetch(o.uri, {
					method: o.method,
					headers: {
						...o.headers,
						Authorization: `Basic ${Buffer.from(`${o.auth.user}:${o.auth.pass}`).toString('base64')}`,
					},
					body: o.body,
				});
				return { statusCode: response.status, headers: {}, body: await response.text() };
			},
		} as unknown as ICredentialTestFunctions['helpers'],
	};
}

describe('testSageX3ApiCredential', () => {
	it('makes one getDescription call with Basic auth through the legacy helper and reports success', async () => {
		const scope = nock(BASE)
			.post(
				SOAP_PATH,
				(body: string) =>
					body.includes('<wss:getDescription ') && body.includes('>YGAS</publicName>'),
			)
			.matchHeader(
				'authorization',
				`Basic ${Buffer.from('ADMIN:emulator-password').toString('base64')}`,
			)
			.reply(
				200,
				soapResponse({ operation: 'getDescription', status: 1, resultXml: '{"ADXDESC":{}}' }),
			);
		const seen: Array<Record<string, unknown>> = [];
		const result = await testSageX3ApiCredential.call(legacyTestContext(seen), {
			id: '1',
			name: 'x3',
			type: 'sageX3Api',
			data: SOAP_CREDENTIALS,
		});
		expect(result).toEqual({
			status: 'OK',
			message: 'Connected: pool "BREX" answered and publication YGAS is available',
		});
		expect(scope.isDone()).toBe(true);
		expect(seen[0]).toMatchObject({
			method: 'POST',
			simple: false,
			resolveWithFullResponse: true,
			json: false,
		});
	});

	it('checks required fields before calling anything', async () => {
		const seen: Array<Record<string, unknown>> = [];
		const context = legacyTestContext(seen);
		const base = { id: '1', name: 'x3', type: 'sageX3Api' };
		await expect(
			testSageX3ApiCredential.call(context, {
				...base,
				data: { ...SOAP_CREDENTIALS, url: 'x3.test' },
			}),
		).resolves.toMatchObject({
			status: 'Error',
			message: expect.stringContaining('is not a server URL'),
		});
		await expect(
			testSageX3ApiCredential.call(context, {
				...base,
				data: { ...SOAP_CREDENTIALS, poolAlias: '' },
			}),
		).resolves.toEqual({
			status: 'Error',
			message: 'The SOAP pool alias is empty',
		});
		await expect(
			testSageX3ApiCredential.call(context, {
				...base,
				data: { ...SOAP_CREDENTIALS, password: '' },
			}),
		).resolves.toMatchObject({ status: 'Error' });
		expect(seen).toHaveLength(0);
	});
});

describe('runSoapCredentialTest maps the usual failures', () => {
	it.each([
		[
			'HTTP 401',
			() => nock(BASE).post(SOAP_PATH).reply(401, '<html>Unauthorized</html>'),
			/^HTTP 401: basic auth not enabled in nodelocal\.js or wrong user\/password/,
		],
		[
			'unknown pool as a fault',
			() => nock(BASE).post(SOAP_PATH).reply(500, soapFault("Pool alias 'BREX' not found")),
			/^The SOAP pool alias "BREX" is unknown or not started/,
		],
		[
			'unknown pool as status 0',
			() =>
				nock(BASE)
					.post(SOAP_PATH)
					.reply(
						200,
						soapResponse({
							operation: 'getDescription',
							status: 0,
							messages: [{ type: '3', message: 'No pool configuration for alias BREX' }],
						}),
					),
			/^The SOAP pool alias "BREX" is unknown/,
		],
		[
			'a folder problem',
			() =>
				nock(BASE)
					.post(SOAP_PATH)
					.reply(
						200,
						soapResponse({
							operation: 'getDescription',
							status: 0,
							messages: [{ type: '3', message: 'Folder SEED2 does not exist' }],
						}),
					),
			/^The X3 folder\/endpoint behind pool "BREX" is not available: Folder SEED2 does not exist/,
		],
		[
			'no web service children',
			() => nock(BASE).post(SOAP_PATH).reply(500, soapFault('No Web services accepted')),
			/Number of Web services children/,
		],
		[
			'a wrong path',
			() => nock(BASE).post(SOAP_PATH).reply(404, 'Not found'),
			/HTTP 404.*server URL and port/,
		],
	])('%s', async (_name, setup, message) => {
		setup();
		const result = await runSoapCredentialTest(send(), SETTINGS);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('emulator-password');
	});

	it('still passes when only the default publication is missing, and says so', async () => {
		nock(BASE)
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({
					operation: 'getDescription',
					status: 0,
					messages: [{ type: '3', message: 'Web service YGAS does not exist (not published)' }],
				}),
			);
		await expect(runSoapCredentialTest(send(), SETTINGS)).resolves.toEqual({
			status: 'OK',
			message: expect.stringContaining(
				'Publication YGAS is not available in this folder (Web service YGAS does not exist (not published))',
			),
		});
	});
});

describe('credential classes', () => {
	it('SageX3Api authenticates with HTTP Basic from its own fields and masks the password', () => {
		const credential = new SageX3Api();
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: {
				auth: { username: '={{$credentials.user}}', password: '={{$credentials.password}}' },
			},
		});
		expect(credential.properties.find((p) => p.name === 'password')?.typeOptions?.password).toBe(
			true,
		);
		expect(credential.properties.find((p) => p.name === 'maxConcurrentCalls')?.default).toBe(4);
		expect(credential.icon).toEqual({
			light: 'file:icons/sageX3.svg',
			dark: 'file:icons/sageX3.dark.svg',
		});
	});

	it('SageX3CloudOAuth2Api points authorization code at the region hosts', () => {
		const credential = new SageX3CloudOAuth2Api();
		const value = (name: string) => credential.properties.find((p) => p.name === name)?.default;
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(value('grantType')).toBe('authorizationCode');
		expect(value('authUrl')).toBe('=https://api.{{$self["region"]}}-sagex3.com/v1/token/authorise');
		expect(value('accessTokenUrl')).toBe('=https://api.{{$self["region"]}}-sagex3.com/v1/token');
		expect(value('scope')).toBe('api.graphQL businessDomain.ALL');
	});
});
