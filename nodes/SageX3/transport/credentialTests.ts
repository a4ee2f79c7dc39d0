import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { toX3NetworkError, X3Error } from './errors';
import { DEFAULT_X3_LAYOUT } from './gateway.types';
import { readConnectionSettings } from './connections';
import { describeTarget, normaliseResponse } from './http';
import type { X3HttpSender } from './http';
import { X3SoapClient } from './soap';
import { SOAP_PATH } from './soapXml';
import type { X3SoapCallResult } from './soap';
import { ConcurrencyLimiter, X3CallRunner } from './throttle';

/**
 * Credential test of `sageX3Api`, wired by the Sage X3 node as `methods.credentialTest.testSageX3ApiCredential`
 * with `testedBy: 'testSageX3ApiCredential'` on the credential. One real SOAP `getDescription` call on the default
 * journal publication tells apart the usual failures: unreachable server, wrong URL, 401 (basic auth disabled in
 * nodelocal.js or wrong user/password), unknown pool alias, folder problems, no web service children. A publication
 * that is not published still proves the connection, and says so.
 *
 * n8n's credential-test context offers only the legacy `helpers.request` (no httpRequestWithAuthentication), so
 * the Basic credentials are passed to it directly; nothing here logs them or puts them into a message.
 */

const TEST_NODE: INode = {
	id: 'sage-x3-credential-test',
	name: 'Sage X3 credential test',
	type: 'n8n-nodes-brex-sage-x3.sageX3',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const POOL_PATTERN = /(pool|alias)/i;
const FOLDER_PATTERN = /(folder|dossier|endpoint|solution)/i;

function legacySender(
	context: ICredentialTestFunctions,
	data: ICredentialDataDecryptedObject,
): X3HttpSender {
	return async (request) => {
		try {
			// The credential-test context has no httpRequest helper; request is the only one n8n provides there.
			const raw: unknown = await context.helpers.request({
				method: request.method,
				uri: request.url,
				headers: request.headers,
				body: request.body,
				auth: {
					user: String(data.user ?? ''),
					pass: String(data.password ?? ''),
					sendImmediately: true,
				},
				timeout: request.timeoutMs,
				json: false,
				simple: false,
				resolveWithFullResponse: true,
			});
			return normaliseResponse(raw);
		} catch (error) {
			throw toX3NetworkError(TEST_NODE, error, describeTarget(request.url));
		}
	};
}

export async function testSageX3ApiCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	let settings: ReturnType<typeof readConnectionSettings>;
	try {
		settings = readConnectionSettings(data);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	if (!settings.poolAlias) return { status: 'Error', message: 'The SOAP pool alias is empty' };
	if (!data.user || !data.password)
		return { status: 'Error', message: 'The user and password are required' };
	return await runSoapCredentialTest(legacySender(this, data), settings);
}

/** The test itself, on any sender (unit tests pass one backed by nock). */
export async function runSoapCredentialTest(
	send: X3HttpSender,
	settings: { baseUrl: string; poolAlias: string; language: string; timeoutMs: number },
	publication: string = DEFAULT_X3_LAYOUT.journalEntry.publication,
): Promise<INodeCredentialTestResult> {
	const client = new X3SoapClient(
		send,
		{
			baseUrl: settings.baseUrl,
			poolAlias: settings.poolAlias,
			language: settings.language,
			format: 'json',
			timeoutMs: Math.min(settings.timeoutMs, 30_000),
		},
		TEST_NODE,
		new X3CallRunner(new ConcurrencyLimiter(1), {
			policy: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
		}),
	);
	const alias = settings.poolAlias;
	let result: X3SoapCallResult;
	try {
		result = await client.getDescription(publication, { allowStatusZero: true });
	} catch (error) {
		return {
			status: 'Error',
			message: explainFailure(error, alias, `${settings.baseUrl}${SOAP_PATH}`),
		};
	}
	if (result.status === 1) {
		return {
			status: 'OK',
			message: `Connected: pool "${alias}" answered and publication ${publication} is available`,
		};
	}
	const text = result.messages
		.map((m) => m.message.trim())
		.filter(Boolean)
		.join(' | ');
	if (result.messages.some((m) => m.message.includes(alias) || POOL_PATTERN.test(m.message))) {
		return { status: 'Error', message: unknownPoolMessage(alias, text) };
	}
	if (result.messages.some((m) => FOLDER_PATTERN.test(m.message))) {
		return {
			status: 'Error',
			message: `The X3 folder/endpoint behind pool "${alias}" is not available: ${text}. Check the pool's endpoint and that the folder exists.`,
		};
	}
	return {
		status: 'OK',
		message: `Connected: pool "${alias}" answered. Publication ${publication} is not available in this folder (${text || 'no detail'}); publish it in GESAWE or set the publication used by the node.`,
	};
}

function unknownPoolMessage(alias: string, detail: string): string {
	return `The SOAP pool alias "${alias}" is unknown or not started on this server${detail ? ` (${detail})` : ''}. Check Administration > Web services > Classic SOAP pools configuration; the alias is case-sensitive.`;
}

function explainFailure(error: unknown, alias: string, soapUrl: string): string {
	if (!(error instanceof X3Error))
		return `The test call failed: ${(error as Error)?.message ?? String(error)}`;
	switch (error.kind) {
		case 'auth':
			return `HTTP ${error.statusCode ?? 401}: basic auth not enabled in nodelocal.js or wrong user/password. Syracuse must list "basic" in session.auth and the user must be of authentication type basic.`;
		case 'network':
			return `Cannot reach ${describeTarget(soapUrl)}: ${error.message}. Check the server URL, port and firewall.`;
		case 'timeout':
			return `No answer from ${describeTarget(soapUrl)} in time. The pool "${alias}" may be starting or saturated; try again, or check the server.`;
		case 'busy':
			return /web ?services? accepted/i.test(error.message)
				? 'Syracuse accepts no web service calls ("No Web services accepted"): set "Number of Web services children" above 0 on the host.'
				: `The SOAP pool "${alias}" is busy: ${error.message}`;
		case 'soapFault':
			if (error.message.includes(alias) || POOL_PATTERN.test(error.message)) {
				return unknownPoolMessage(alias, error.message);
			}
			if (FOLDER_PATTERN.test(error.message)) {
				return `The X3 folder/endpoint behind pool "${alias}" is not available: ${error.message}`;
			}
			return error.message;
		case 'http':
			if (error.statusCode === 404) {
				return `No SOAP web service at ${describeTarget(soapUrl)} (HTTP 404): check the server URL and port (Syracuse, 8124 by default).`;
			}
			return error.message;
		default:
			return error.message;
	}
}
