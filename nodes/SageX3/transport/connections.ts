import { NodeOperationError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';

import { createCredentialSender, normaliseBaseUrl } from './http';
import type { X3HttpSender, X3RequestContext } from './http';
import { sharedLimiter, throttleKey, X3CallRunner } from './throttle';
import type { X3RetryOptions } from './throttle';

/**
 * One connection set-up for the three API styles (SOAP, GraphQL, REST): read the credential, check the fields the
 * style needs, then build the sender and the throttled runner (one limiter per server and pool/endpoint). The
 * per-style differences are the rows of CONNECTION_STYLES.
 */

export type X3SoapCredentialType = 'sageX3Api';
export type X3GraphqlCredentialType =
	| 'sageX3ConnectedAppApi'
	| 'sageX3CloudOAuth2Api'
	| 'sageX3Api';
export type X3RestCredentialType = 'sageX3Api';

export interface ConnectionSettings {
	baseUrl: string;
	endpoint: string;
	poolAlias: string;
	language: string;
	maxConcurrentCalls: number;
	timeoutMs: number;
}

export function readConnectionSettings(raw: ICredentialDataDecryptedObject): ConnectionSettings {
	const timeoutSeconds = Number(raw.requestTimeoutSeconds ?? 60);
	return {
		baseUrl: normaliseBaseUrl(raw.url),
		endpoint: String(raw.endpoint ?? '').trim(),
		poolAlias: String(raw.poolAlias ?? '').trim(),
		language: String(raw.language ?? '').trim() || 'ENG',
		maxConcurrentCalls: Number(raw.maxConcurrentCalls ?? 4) || 4,
		timeoutMs: (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 60) * 1000,
	};
}

/** GraphQL API URL for a credential: {server}/xtrem/api on-premises, the folder's data service on X3 Cloud. */
export function graphqlUrlFor(
	credentialType: X3GraphqlCredentialType,
	raw: ICredentialDataDecryptedObject,
): string {
	if (credentialType === 'sageX3CloudOAuth2Api') {
		const region = String(raw.region ?? 'eu').trim();
		if (!/^[a-z0-9-]+$/i.test(region)) throw new Error(`"${region}" is not a Sage X3 Cloud region`);
		return `https://api.${region}-sagex3.com/v1/service/${encodeURIComponent(String(raw.endpoint ?? '').trim())}/api`;
	}
	return `${normaliseBaseUrl(raw.url)}/xtrem/api`;
}

export type X3ApiStyle = 'soap' | 'graphql' | 'rest';

/** Where a style's calls go and which limiter they share, read from the credential. */
interface ResolvedConnection {
	url: string;
	settings: ConnectionSettings;
	/** Throttle scope beside the URL: the SOAP pool, the GraphQL or REST endpoint. */
	scope: string;
}

interface ConnectionStyle {
	/**
	 * Whether a failure to load the credential itself is reported as an incomplete credential. GraphQL has always
	 * let n8n's own error through; kept so that errors stay as they were.
	 */
	wrapsCredentialLoad: boolean;
	/** Throws a plain Error naming the missing or wrong field. */
	resolve(raw: ICredentialDataDecryptedObject, type: string): ResolvedConnection;
}

/** SOAP and REST: the credential's base URL, throttled per the setting that names the X3 side (pool or folder). */
function atBaseUrl(
	raw: ICredentialDataDecryptedObject,
	style: 'soap' | 'rest',
	scopeSetting: 'poolAlias' | 'endpoint',
	emptyMessage: string,
): ResolvedConnection {
	const settings = readConnectionSettings(raw);
	if (!settings[scopeSetting]) throw new Error(emptyMessage);
	return { url: settings.baseUrl, settings, scope: `${style}:${settings[scopeSetting]}` };
}

const CONNECTION_STYLES: Record<X3ApiStyle, ConnectionStyle> = {
	soap: {
		wrapsCredentialLoad: true,
		resolve: (raw) => atBaseUrl(raw, 'soap', 'poolAlias', 'the SOAP pool alias is empty'),
	},
	graphql: {
		wrapsCredentialLoad: false,
		resolve(raw, type) {
			const url = graphqlUrlFor(type as X3GraphqlCredentialType, raw);
			const settings = readConnectionSettings(
				type === 'sageX3CloudOAuth2Api' ? { ...raw, url } : raw,
			);
			return { url, settings, scope: `graphql:${settings.endpoint}` };
		},
	},
	rest: {
		wrapsCredentialLoad: true,
		resolve: (raw) => atBaseUrl(raw, 'rest', 'endpoint', 'the endpoint (folder) is empty'),
	},
};

export interface X3Connection extends ResolvedConnection {
	credentialType: string;
}

/**
 * Reads and checks the credential of one API style; an incomplete credential becomes a NodeOperationError naming
 * it. Opens nothing yet: callerTools builds the sender and runner once the caller's own checks passed.
 */
export async function resolveConnection(
	context: X3RequestContext,
	style: X3ApiStyle,
	credentialType: string,
	itemIndex: number | undefined,
): Promise<X3Connection> {
	const node: INode = context.getNode();
	const incomplete = (error: unknown) =>
		new NodeOperationError(
			node,
			`The ${credentialType} credential is incomplete: ${(error as Error).message}`,
			{ itemIndex },
		);
	const row = CONNECTION_STYLES[style];
	let raw: ICredentialDataDecryptedObject | undefined;
	if (!row.wrapsCredentialLoad) raw = await context.getCredentials(credentialType, itemIndex);
	try {
		raw ??= await context.getCredentials(credentialType, itemIndex);
		return { ...row.resolve(raw, credentialType), credentialType };
	} catch (error) {
		throw incomplete(error);
	}
}

/** The sender and the throttled, retrying runner of a resolved connection. */
export function callerTools(
	context: X3RequestContext,
	connection: X3Connection,
	retry: X3RetryOptions | undefined,
): { send: X3HttpSender; runner: X3CallRunner } {
	const limiter = sharedLimiter(
		throttleKey(connection.url, connection.scope),
		connection.settings.maxConcurrentCalls,
	);
	return {
		send: createCredentialSender(context, connection.credentialType),
		runner: new X3CallRunner(limiter, retry),
	};
}
