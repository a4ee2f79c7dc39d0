import { createHash } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createX3Gateway } from '../transport/gateway';
import { readConnectionSettings } from '../transport/connections';
import type { X3Layout, X3ReadApi } from '../transport/gateway.types';
import { DEFAULT_SOAP_NAMES, mergeNames } from '../transport/names';
import type { X3SoapNamesOverride } from '../transport/names';
import { X3SoapClient } from '../transport/soap';
import { createCredentialSender } from '../transport/http';
import { sharedLimiter, throttleKey, X3CallRunner } from '../transport/throttle';
import { getApiNames, getExtraFields, getFieldPlacements, nodeParameter } from './context';
import type { SetupReport } from './setupCheck';
import { runSetupCheck } from './setupProbe';
import type { ProbeLookup, SetupProbeSources } from './setupProbe';

/**
 * Check X3 Setup wired to a node execution: probe clients from the node's credentials, and the verdict cache
 * Post Spend reads before its first write. A report is kept for CACHE_TTL_MS per credential, layout and read API
 * (module memory, so per n8n process; expiry by Date.now, no timer). The Check X3 Setup operation always probes
 * again and replaces it, so after fixing X3 running the Check is enough.
 */

export const CACHE_TTL_MS = 10 * 60 * 1000;

const cache = new Map<
	string,
	{ report: SetupReport; describe: 'all' | 'journal'; expiresAt: number }
>();

/** Forgets every cached report (tests; the cache is per process otherwise). */
export function clearSetupReportCache(): void {
	cache.clear();
}

function graphqlCredentialType(context: IExecuteFunctions): string {
	return nodeParameter<string>(context, 'readApi', 'soap') === 'graphqlCloud'
		? 'sageX3CloudOAuth2Api'
		: 'sageX3ConnectedAppApi';
}

/** Builds the read-only clients: SOAP always; REST when the credential names a folder; GraphQL when its credential is set. */
type ConnectionSettings = ReturnType<typeof readConnectionSettings>;

async function soapSettings(context: IExecuteFunctions): Promise<ConnectionSettings> {
	const node = context.getNode();
	let settings: ConnectionSettings;
	try {
		settings = readConnectionSettings(await context.getCredentials('sageX3Api'));
	} catch (error) {
		throw new NodeOperationError(
			node,
			`The Sage X3 API credential is incomplete: ${(error as Error).message}`,
		);
	}
	if (!settings.poolAlias) {
		throw new NodeOperationError(node, 'The Sage X3 API credential has no SOAP pool alias');
	}
	return settings;
}

function soapClient(context: IExecuteFunctions, settings: ConnectionSettings): X3SoapClient {
	return new X3SoapClient(
		createCredentialSender(context, 'sageX3Api'),
		{
			baseUrl: settings.baseUrl,
			poolAlias: settings.poolAlias,
			language: settings.language,
			// XML is the result mode answers from real servers are known in.
			format: 'xml',
			timeoutMs: settings.timeoutMs,
		},
		context.getNode(),
		new X3CallRunner(
			sharedLimiter(
				throttleKey(settings.baseUrl, `soap:${settings.poolAlias}`),
				settings.maxConcurrentCalls,
			),
		),
	);
}

function probeSources(
	context: IExecuteFunctions,
	layout: X3Layout,
	settings: ConnectionSettings,
): { sources: SetupProbeSources; apis: Array<'rest' | 'graphql'> } {
	const node = context.getNode();
	const soap = soapClient(context, settings);
	const apiNames = getApiNames(context);
	const gatewayFor = (readApi: X3ReadApi): ProbeLookup =>
		createX3Gateway(context, {
			readApi,
			layout,
			soapCredentialType: 'sageX3Api',
			graphqlCredentialType: graphqlCredentialType(context) as 'sageX3ConnectedAppApi',
			soapNames: apiNames.soap,
			graphqlNames: apiNames.graphql,
			restNames: apiNames.rest,
		});
	const sources: SetupProbeSources = { soap };
	const apis: Array<'rest' | 'graphql'> = [];
	if (settings.endpoint !== '') {
		sources.rest = gatewayFor('rest');
		apis.push('rest');
	}
	// n8n hands out the GraphQL credential only while Read API shows it (its display condition).
	const readApiParameter = nodeParameter<string>(context, 'readApi', 'soap');
	const graphqlChosen = readApiParameter === 'graphql' || readApiParameter === 'graphqlCloud';
	if (graphqlChosen && node.credentials?.[graphqlCredentialType(context)]) {
		sources.graphql = gatewayFor('graphql');
		apis.push('graphql');
	}
	return { sources, apis };
}

/** Credential ids and the server they point at (an edited credential keeps its id), layout and read API. */
function cacheKey(
	context: IExecuteFunctions,
	layout: X3Layout,
	readApi: X3ReadApi,
	settings: ConnectionSettings,
): string {
	const credentials = context.getNode().credentials ?? {};
	const ids = Object.entries(credentials)
		.map(([type, credential]) => `${type}:${credential.id ?? credential.name}`)
		.sort();
	const server = [settings.baseUrl, settings.poolAlias, settings.endpoint, settings.language];
	const setup = nodeParameter<unknown>(context, 'x3Setup', {});
	return createHash('sha256')
		.update(JSON.stringify([ids, server, readApi, layout, setup]))
		.digest('hex');
}

/**
 * The setup report for this node's credentials and layout: from the cache when a passing one is fresh, else
 * probed now (read-only). `describe: 'all'` also describes the supplier, account and dimension publications.
 */
export async function setupReportFor(
	context: IExecuteFunctions,
	layout: X3Layout,
	readApi: X3ReadApi,
	options: { describe?: 'all' | 'journal'; refresh?: boolean; now?: () => number } = {},
): Promise<SetupReport> {
	const now = options.now ?? Date.now;
	const describe = options.describe ?? 'journal';
	const settings = await soapSettings(context);
	const key = cacheKey(context, layout, readApi, settings);
	const cached = cache.get(key);
	// A report of every publication also answers for the journal publication alone.
	const covers = cached && (cached.describe === 'all' || describe === 'journal');
	if (cached && covers && !options.refresh && cached.expiresAt > now()) return cached.report;
	const { sources, apis: configured } = probeSources(context, layout, settings);
	// Post Spend needs the verdict of its own read API only; the Check operation probes every configured one.
	const apis = describe === 'all' ? configured : configured.filter((api) => api === readApi);
	const apiNames = getApiNames(context);
	const report = await runSetupCheck(sources, {
		layout,
		placements: getFieldPlacements(context),
		extras: getExtraFields(context),
		soapNames: mergeNames(DEFAULT_SOAP_NAMES, apiNames.soap as X3SoapNamesOverride | undefined),
		tracePrefix: 'BRX',
		describe,
		apis,
	});
	// A report on an empty ledger or with a failed call is probed again next time; any other is kept (a failing
	// one too: it only refuses, and the Check X3 Setup operation replaces it at once after a fix).
	const trusted =
		!report.ledgerEmpty &&
		report.verdicts.every((verdict) => verdict.unprovenBecause !== 'callFailed');
	if (trusted) cache.set(key, { report, describe, expiresAt: now() + CACHE_TTL_MS });
	else cache.delete(key);
	return report;
}
