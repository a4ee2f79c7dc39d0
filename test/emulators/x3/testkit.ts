/**
 * Test helpers for talking to the X3 emulator over HTTP the way an outside client would: hand-built SOAP
 * envelopes, responses read with fast-xml-parser (not the emulator's own XML code), the WSDL read from the
 * reference folder to check response element names, signed connected-app JWTs, GraphQL and REST calls.
 * Deliberately independent of the emulator internals and of the product's transport code.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import jwt from 'jsonwebtoken';
import { referenceDir } from '../../referenceDir';

// The emulator factory and its personality options, for tests that start one (see README.md, Personalities).
export { startX3Emulator } from './server';
export { changeMasterData } from './masterData';
export type { MasterDataAction, MasterDataChangeRequest } from './masterData';
export type {
	X3Emulator,
	X3EmulatorOptions,
	X3Personality,
	PersonalityOptions,
	OverLengthMode,
	GasAnalyticsMode,
	GraphqlSupplierName,
} from './server';
export {
	GAS_HEADER,
	GAS_LINES,
	GAS_ANALYTICS,
	BPS_MAIN,
	BPS_PARTNER,
	BPS_ADDRESSES,
} from './documented';
export { DOCUMENTED_X3_LAYOUT, DOCUMENTED_X3_LAYOUT_LINE_TRACE } from './documentedClientLayout';
export {
	personalityFromEnv,
	GAS_LEFT_LIST_STANDARD,
	GAS_LEFT_LIST_WITH_TRACE,
	BPS_LEFT_LIST,
	GAC_LEFT_LIST,
	CCE_LEFT_LIST,
} from './server';

export const REFERENCE_DIR = join(referenceDir(), 'sage-x3');
export const WSDL_FILE = join(
	REFERENCE_DIR,
	'wsdl-syracuse-v7plus-CAdxWebServiceXmlCC__xbnr-x3-ws-tester.wsdl',
);
export const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

export interface HttpResult {
	status: number;
	headers: Headers;
	body: string;
}

export function basicAuth(user: string, password: string): string {
	return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Escapes text for an XML text node the way a careful client does (CR and control characters as references). */
export function xmlEscape(value: string): string {
	return value.replace(/[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (char) => {
		if (char === '&') return '&amp;';
		if (char === '<') return '&lt;';
		if (char === '>') return '&gt;';
		if (char === '"') return '&quot;';
		return `&#${char.charCodeAt(0)};`;
	});
}

export interface EnvelopeOptions {
	publicName: string;
	/** callContext codeLang (session language); default ENG. */
	codeLang?: string;
	poolAlias?: string;
	requestConfig?: string;
	/** objectXml for save/modify, inputXml for run. */
	payload?: string;
	/** Put the payload and requestConfig in CDATA instead of escaping them. */
	cdata?: boolean;
	keys?: Array<{ key: string; value: string }>;
	listSize?: number;
	/** Send callContext as an href to a multiRef element, as Axis 1 clients do. */
	multiRefRequest?: boolean;
}

/** A SOAP 1.1 RPC/encoded request envelope for CAdxWebServiceXmlCC, written by hand. */
export function soapEnvelope(operation: string, options: EnvelopeOptions): string {
	const wrap = (text: string) =>
		options.cdata ? `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>` : xmlEscape(text);
	const context =
		`<codeLang xsi:type="xsd:string">${xmlEscape(options.codeLang ?? 'ENG')}</codeLang>` +
		`<poolAlias xsi:type="xsd:string">${xmlEscape(options.poolAlias ?? 'BREX')}</poolAlias>` +
		`<poolId xsi:type="xsd:string"></poolId>` +
		`<requestConfig xsi:type="xsd:string">${wrap(options.requestConfig ?? '')}</requestConfig>`;
	const parts: string[] = [];
	const multiRefs: string[] = [];
	if (options.multiRefRequest) {
		parts.push('<callContext href="#ctx0"/>');
		multiRefs.push(
			`<multiRef id="ctx0" soapenc:root="0" xsi:type="wss:CAdxCallContext" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${context}</multiRef>`,
		);
	} else {
		parts.push(`<callContext xsi:type="wss:CAdxCallContext">${context}</callContext>`);
	}
	parts.push(`<publicName xsi:type="xsd:string">${xmlEscape(options.publicName)}</publicName>`);
	if (options.keys) {
		const items = options.keys
			.map(
				(k) =>
					`<item xsi:type="wss:CAdxParamKeyValue"><key xsi:type="xsd:string">${xmlEscape(k.key)}</key>` +
					`<value xsi:type="xsd:string">${xmlEscape(k.value)}</value></item>`,
			)
			.join('');
		parts.push(
			`<objectKeys soapenc:arrayType="wss:CAdxParamKeyValue[${options.keys.length}]" xsi:type="soapenc:Array" ` +
				`xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${items}</objectKeys>`,
		);
	}
	if (options.listSize !== undefined)
		parts.push(`<listSize xsi:type="xsd:int">${options.listSize}</listSize>`);
	if (options.payload !== undefined) {
		const name = operation === 'run' ? 'inputXml' : 'objectXml';
		parts.push(`<${name} xsi:type="xsd:string">${wrap(options.payload)}</${name}>`);
	}
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		'<soapenv:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
		'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
		'xmlns:wss="http://www.adonix.com/WSS">\n<soapenv:Header/>\n<soapenv:Body>\n' +
		`<wss:${operation} soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">${parts.join('')}</wss:${operation}>\n` +
		multiRefs.join('') +
		'</soapenv:Body>\n</soapenv:Envelope>'
	);
}

export async function postSoap(
	baseUrl: string,
	envelope: string,
	auth = basicAuth('ADMIN', 'emulator-password'),
	signal?: AbortSignal,
): Promise<HttpResult> {
	const response = await fetch(baseUrl + SOAP_PATH, {
		method: 'POST',
		headers: {
			'content-type': 'text/xml; charset=utf-8',
			soapaction: '""',
			...(auth ? { authorization: auth } : {}),
		},
		body: envelope,
		signal,
	});
	return { status: response.status, headers: response.headers, body: await response.text() };
}

const parser = new XMLParser({
	ignoreAttributes: false,
	removeNSPrefix: true,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	processEntities: true,
	htmlEntities: true,
	isArray: (_name, jpath) => {
		const path = String(jpath);
		return path.endsWith('.multiRef') || path.endsWith('messages.messages');
	},
});

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

function textOf(node: Node): string | null {
	if (node === undefined) return null;
	if (typeof node === 'string') return node;
	if (node['@_nil'] === 'true') return null;
	return node['#text'] ?? '';
}

function elementKeys(node: Node): string[] {
	return Object.keys(node).filter((key) => !key.startsWith('@_') && key !== '#text');
}

export interface ParsedSoapResult {
	status: number;
	messages: Array<{ type: string; message: string }>;
	resultXml: string | null;
	technicalInfos: Record<string, string | null>;
	/** Element names as they appeared, to compare with the WSDL. */
	shape: {
		wrapper: string;
		part: string;
		result: string[];
		technical: string[];
		message: string[][];
	};
}

/** Reads a CAdxResultXml answer, resolving href/multiRef references (both styles exist in the wild). */
export function parseSoapResult(body: string, operation: string): ParsedSoapResult {
	const doc = parser.parse(body);
	const soapBody = doc.Envelope?.Body;
	if (!soapBody) throw new Error('No SOAP Body in response');
	const refs = new Map<string, Node>();
	for (const ref of soapBody.multiRef ?? []) refs.set(ref['@_id'], ref);
	const deref = (node: Node) => {
		const href = node?.['@_href'];
		if (typeof href === 'string' && href.startsWith('#')) {
			const target = refs.get(href.slice(1));
			if (!target) throw new Error(`Unresolved href ${href}`);
			return target;
		}
		return node;
	};
	const wrapperName = elementKeys(soapBody).find((key) => key !== 'multiRef');
	if (!wrapperName) throw new Error('No response wrapper in SOAP Body');
	const wrapper = soapBody[wrapperName];
	const partName = elementKeys(wrapper)[0];
	const result = deref(wrapper[partName]);
	const technical = deref(result.technicalInfos);
	const messageNodes: Node[] = result.messages?.messages ?? [];
	const messages = messageNodes.map(deref);
	const technicalInfos: Record<string, string | null> = {};
	for (const key of elementKeys(technical)) technicalInfos[key] = textOf(technical[key]);
	return {
		status: Number(textOf(result.status)),
		messages: messages.map((m: Node) => ({
			type: textOf(m.type) ?? '',
			message: textOf(m.message) ?? '',
		})),
		resultXml: textOf(result.resultXml),
		technicalInfos,
		shape: {
			wrapper: wrapperName,
			part: partName,
			result: elementKeys(result),
			technical: elementKeys(technical),
			message: messages.map(elementKeys),
		},
	};
}

export interface WsdlSpec {
	/** Output message name and its single part name, per operation. */
	outputs: Map<string, { message: string; part: string }>;
	/** Element names of each complex type's sequence, in order. */
	sequences: Map<string, string[]>;
}

let wsdlSpecCache: WsdlSpec | null = null;

/** Reads the Syracuse WSDL from the reference folder (not a hand copy). */
export function wsdlSpec(): WsdlSpec {
	if (wsdlSpecCache) return wsdlSpecCache;
	const wsdlParser = new XMLParser({
		ignoreAttributes: false,
		removeNSPrefix: true,
		isArray: (name) => ['message', 'part', 'operation', 'complexType', 'element'].includes(name),
	});
	const doc = wsdlParser.parse(readFileSync(WSDL_FILE, 'utf8')).definitions;
	const messages = new Map<string, string[]>();
	for (const message of doc.message)
		messages.set(
			message['@_name'],
			message.part.map((p: Node) => p['@_name']),
		);
	const outputs = new Map<string, { message: string; part: string }>();
	for (const operation of doc.portType.operation) {
		const messageName = String(operation.output['@_message']).replace(/^.*:/, '');
		const parts = messages.get(messageName) ?? [];
		outputs.set(operation['@_name'], { message: messageName, part: parts[0] });
	}
	const sequences = new Map<string, string[]>();
	for (const type of doc.types.schema.complexType) {
		if (type.sequence)
			sequences.set(
				type['@_name'],
				type.sequence.element.map((e: Node) => e['@_name']),
			);
	}
	wsdlSpecCache = { outputs, sequences };
	return wsdlSpecCache;
}

/** Throws unless the response uses the WSDL's wrapper/part names and CAdxResultXml element names. */
export function assertWsdlShape(parsed: ParsedSoapResult, operation: string): void {
	const spec = wsdlSpec();
	const output = spec.outputs.get(operation);
	if (!output) throw new Error(`Operation ${operation} is not in the WSDL`);
	const problems: string[] = [];
	if (parsed.shape.wrapper !== output.message)
		problems.push(`wrapper ${parsed.shape.wrapper} != ${output.message}`);
	if (parsed.shape.part !== output.part)
		problems.push(`part ${parsed.shape.part} != ${output.part}`);
	const same = (a: string[], b: string[] | undefined) => JSON.stringify(a) === JSON.stringify(b);
	if (!same(parsed.shape.result, spec.sequences.get('CAdxResultXml'))) {
		problems.push(`CAdxResultXml elements ${parsed.shape.result.join(',')}`);
	}
	if (!same(parsed.shape.technical, spec.sequences.get('CAdxTechnicalInfos'))) {
		problems.push(`CAdxTechnicalInfos elements ${parsed.shape.technical.join(',')}`);
	}
	for (const message of parsed.shape.message) {
		if (!same(message, spec.sequences.get('CAdxMessage')))
			problems.push(`CAdxMessage elements ${message.join(',')}`);
	}
	if (problems.length)
		throw new Error(`SOAP response does not match the WSDL: ${problems.join('; ')}`);
}

/** Sends one SOAP call and returns the parsed result, after checking it against the WSDL. */
export async function soapCall(
	baseUrl: string,
	operation: string,
	options: EnvelopeOptions,
	auth?: string,
): Promise<ParsedSoapResult & { http: HttpResult }> {
	const http = await postSoap(baseUrl, soapEnvelope(operation, options), auth);
	if (http.status !== 200) throw new Error(`HTTP ${http.status}: ${http.body.slice(0, 300)}`);
	const parsed = parseSoapResult(http.body, operation);
	assertWsdlShape(parsed, operation);
	return { ...parsed, http };
}

export function faultString(body: string): string | null {
	const doc = parser.parse(body);
	const fault = doc.Envelope?.Body?.Fault;
	return fault ? textOf(fault.faultstring) : null;
}

// ---------------------------------------------------------------------------------------------------------------

export interface TokenClaims {
	iss?: string;
	sub?: string;
	aud?: string;
	iat?: number;
	exp?: number;
}

/** A connected-application JWT as an on-prem client signs it (HS256 with the app secret): exactly these claims. */
export function signToken(secret: string, claims: TokenClaims): string {
	// jsonwebtoken adds iat unless told not to, and noTimestamp also drops a given iat: choose per token.
	return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: claims.iat === undefined });
}

export function validToken(
	overrides: TokenClaims = {},
	secret = 'emulator-connected-app-secret',
): string {
	const now = Math.floor(Date.now() / 1000);
	return signToken(secret, {
		iss: 'brex-sync',
		sub: 'ADMIN',
		aud: '',
		iat: now,
		exp: now + 300,
		...overrides,
	});
}

export async function graphql(
	baseUrl: string,
	query: string,
	variables: Record<string, unknown> = {},
	headers: Record<string, string> = {
		authorization: `Bearer ${validToken()}`,
		'x-xtrem-endpoint': 'SEED',
	},
): Promise<{ status: number; body: string; json: () => any }> {
	const response = await fetch(`${baseUrl}/xtrem/api`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify({ query, variables }),
	});
	const body = await response.text();
	return { status: response.status, body, json: () => JSON.parse(body) };
}

export async function restGet(
	url: string,
	auth = basicAuth('ADMIN', 'emulator-password'),
): Promise<{ status: number; json: any }> {
	const response = await fetch(url, {
		headers: { authorization: auth, accept: 'application/json' },
	});
	const text = await response.text();
	let json: unknown = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: response.status, json };
}
