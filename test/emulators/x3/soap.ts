/**
 * The classic SOAP web service (CAdxWebServiceXmlCC, RPC/encoded) as Syracuse serves it:
 * POST /soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC, WSDL under /soap-wsdl/….
 * Parses request envelopes (href/multiRef in requests too, as Axis clients send them), checks Basic auth and
 * the pool alias, runs the call through the pool and fault injection, and answers a CAdxResultXml in the
 * multiRef or inline style.
 */

import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectKey, Operation, OpResult, runOperation } from './objects';
import {
	Payload,
	PayloadError,
	fieldsToJson,
	jsonText,
	parsePayload,
	queryResultToXml,
	resultToJsonValue,
	resultToXml,
} from './payload';
import { translateMessages } from './messages';
import { describePublication } from './publications';
import { X3Runtime, SoapLogEntry, basicUser, latencyFor, roll } from './runtime';
import type { X3Msg } from './state';
import {
	XmlElement,
	XmlSyntaxError,
	attrLocal,
	cdata,
	childElements,
	escapeAttr,
	escapeText,
	firstChild,
	parseXml,
	textOf,
} from './xml';
import { referenceDir } from '../../referenceDir';

export const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
export const WSDL_PATH = '/soap-wsdl/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
const WSS_NS = 'http://www.adonix.com/WSS';

export interface HttpAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

const WSDL_FILE = 'sage-x3/wsdl-syracuse-v7plus-CAdxWebServiceXmlCC__xbnr-x3-ws-tester.wsdl';

/**
 * The Syracuse v7+ WSDL from the vendored reference files (test/fixtures/reference, found by walking up from
 * this file so it works from the source tree and from build/), with its address pointed at the emulator.
 */
export function wsdlDocument(baseUrl: string, wsdlPath?: string): string {
	const path = wsdlPath ?? join(referenceDir(), WSDL_FILE);
	const text = readFileSync(path, 'utf8');
	return text.replace(
		/location="[^"]*CAdxWebServiceXmlCC"/,
		`location="${escapeAttr(baseUrl + SOAP_PATH)}"`,
	);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

export interface CallContext {
	codeLang: string;
	poolAlias: string;
	poolId: string;
	requestConfig: string;
}

export interface SoapCall {
	operation: string;
	callContext: CallContext;
	publicName: string;
	/** objectXml (save/modify/actionObject) or inputXml (run). */
	payloadText: string | null;
	objectKeys: ObjectKey[];
	listSize: number | undefined;
}

export class SoapRequestError extends Error {}

const OPERATIONS = new Set([
	'run',
	'save',
	'delete',
	'read',
	'query',
	'getDescription',
	'modify',
	'actionObject',
	'actionObjectKeys',
	'getDataXmlSchema',
	'insertLines',
	'deleteLines',
]);

export function parseSoapRequest(body: string): SoapCall {
	let envelope: XmlElement;
	try {
		envelope = parseXml(body);
	} catch (error) {
		if (error instanceof XmlSyntaxError)
			throw new SoapRequestError(`Malformed XML: ${error.message}`);
		throw error;
	}
	if (envelope.local !== 'Envelope')
		throw new SoapRequestError('Root element is not a SOAP Envelope');
	const soapBody = firstChild(envelope, 'Body');
	if (!soapBody) throw new SoapRequestError('SOAP Body missing');
	const bodyChildren = childElements(soapBody);
	const refs = new Map<string, XmlElement>();
	for (const child of bodyChildren) {
		const id = child.attrs.id;
		if (id) refs.set(id, child);
	}
	const deref = (element: XmlElement): XmlElement => {
		const href = attrLocal(element, 'href');
		if (href?.startsWith('#')) {
			const target = refs.get(href.slice(1));
			if (!target) throw new SoapRequestError(`Unresolved href ${href}`);
			return target;
		}
		return element;
	};
	const call = bodyChildren.find((child) => child.local !== 'multiRef' && !child.attrs.id);
	if (!call) throw new SoapRequestError('No operation element in the SOAP Body');
	if (!OPERATIONS.has(call.local)) throw new SoapRequestError(`Unknown operation ${call.local}`);

	const part = (name: string) => {
		const element = firstChild(call, name);
		return element ? deref(element) : undefined;
	};
	const text = (element: XmlElement | undefined): string | null => {
		if (!element) return null;
		if (attrLocal(element, 'nil') === 'true') return null;
		return textOf(element);
	};
	const context = part('callContext');
	if (!context) throw new SoapRequestError('callContext missing');
	const ctxField = (name: string) => {
		const element = firstChild(context, name);
		return text(element ? deref(element) : undefined) ?? '';
	};
	const keysElement = part('objectKeys');
	const objectKeys: ObjectKey[] = [];
	if (keysElement && attrLocal(keysElement, 'nil') !== 'true') {
		for (const item of childElements(keysElement).map(deref)) {
			const key = firstChild(item, 'key');
			const value = firstChild(item, 'value');
			objectKeys.push({
				key: text(key ? deref(key) : undefined) ?? '',
				value: text(value ? deref(value) : undefined) ?? '',
			});
		}
	}
	const listSizeText = text(part('listSize'));
	const listSize =
		listSizeText !== null && listSizeText.trim() !== '' ? Number(listSizeText) : undefined;
	if (listSize !== undefined && !Number.isInteger(listSize)) {
		throw new SoapRequestError(`listSize "${listSizeText}" is not an int`);
	}
	return {
		operation: call.local,
		callContext: {
			codeLang: ctxField('codeLang'),
			poolAlias: ctxField('poolAlias'),
			poolId: ctxField('poolId'),
			requestConfig: ctxField('requestConfig'),
		},
		publicName: text(part('publicName')) ?? '',
		payloadText: text(part('objectXml')) ?? text(part('inputXml')),
		objectKeys,
		listSize,
	};
}

/** `adxwss.optreturn=JSON&adxwss.beautify=true&adxwss.trace.on=off` */
export function parseRequestConfig(config: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of config.split('&')) {
		const eq = pair.indexOf('=');
		if (eq <= 0) continue;
		out[pair.slice(0, eq).trim().toLowerCase()] = pair.slice(eq + 1).trim();
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

export interface TechnicalInfos {
	busy: boolean;
	changeLanguage: boolean;
	changeUserId: boolean;
	flushAdx: boolean;
	loadWebsDuration: number;
	nbDistributionCycle: number;
	poolDistribDuration: number;
	poolEntryIdx: number;
	poolExecDuration: number;
	poolRequestDuration: number;
	poolWaitDuration: number;
	processReport: string | null;
	processReportSize: number;
	reloadWebs: boolean;
	resumitAfterDBOpen: boolean;
	rowInDistribStack: number;
	totalDuration: number;
	traceRequest: string | null;
	traceRequestSize: number;
}

/** XSD type of each CAdxTechnicalInfos element, in WSDL order. */
const TECHNICAL_TYPES: Array<[keyof TechnicalInfos, 'boolean' | 'double' | 'int' | 'string']> = [
	['busy', 'boolean'],
	['changeLanguage', 'boolean'],
	['changeUserId', 'boolean'],
	['flushAdx', 'boolean'],
	['loadWebsDuration', 'double'],
	['nbDistributionCycle', 'int'],
	['poolDistribDuration', 'double'],
	['poolEntryIdx', 'int'],
	['poolExecDuration', 'double'],
	['poolRequestDuration', 'double'],
	['poolWaitDuration', 'double'],
	['processReport', 'string'],
	['processReportSize', 'int'],
	['reloadWebs', 'boolean'],
	['resumitAfterDBOpen', 'boolean'],
	['rowInDistribStack', 'int'],
	['totalDuration', 'double'],
	['traceRequest', 'string'],
	['traceRequestSize', 'int'],
];

export function technicalInfos(partial: Partial<TechnicalInfos> = {}): TechnicalInfos {
	return {
		busy: false,
		changeLanguage: false,
		changeUserId: false,
		flushAdx: false,
		loadWebsDuration: 0,
		nbDistributionCycle: 0,
		poolDistribDuration: 0,
		poolEntryIdx: -1,
		poolExecDuration: 0,
		poolRequestDuration: 0,
		poolWaitDuration: 0,
		processReport: null,
		processReportSize: 0,
		reloadWebs: false,
		resumitAfterDBOpen: false,
		rowInDistribStack: 0,
		totalDuration: 0,
		traceRequest: null,
		traceRequestSize: 0,
		...partial,
	};
}

export interface SoapResult {
	operation: string;
	status: 0 | 1;
	messages: X3Msg[];
	resultXml: string | null;
	technical: TechnicalInfos;
}

/** Axis prints doubles with a fraction (`412.0`). */
function formatDouble(value: number): string {
	const rounded = Math.round(value * 1000) / 1000;
	return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

function typedElement(name: string, xsdType: string, value: string | null): string {
	if (value === null) return `<${name} xsi:type="xsd:${xsdType}" xsi:nil="true"/>`;
	return `<${name} xsi:type="xsd:${xsdType}">${escapeText(value)}</${name}>`;
}

function technicalElements(technical: TechnicalInfos): string {
	return TECHNICAL_TYPES.map(([name, type]) => {
		const value = technical[name];
		if (value === null) return typedElement(name, type, null);
		if (type === 'double') return typedElement(name, type, formatDouble(value as number));
		return typedElement(name, type, String(value));
	}).join('');
}

function messageElements(message: X3Msg): string {
	return (
		typedElement('message', 'string', message.message) +
		typedElement('type', 'string', message.type)
	);
}

function resultXmlElement(resultXml: string | null, useCdata: boolean): string {
	if (resultXml === null) return '<resultXml xsi:type="xsd:string" xsi:nil="true"/>';
	if (useCdata) return `<resultXml xsi:type="xsd:string">${cdata(resultXml)}</resultXml>`;
	return typedElement('resultXml', 'string', resultXml);
}

const ENVELOPE_OPEN =
	'<?xml version="1.0" encoding="utf-8"?>' +
	'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
	'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
	'<soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';
const ENCODING = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';

export function soapResponseXml(
	result: SoapResult,
	style: 'multiRef' | 'inline',
	useCdata: boolean,
): string {
	const op = result.operation;
	const count = result.messages.length;
	const parts: string[] = [ENVELOPE_OPEN];
	parts.push(`<ns1:${op}Response ${ENCODING} xmlns:ns1="${WSS_NS}">`);
	if (style === 'inline') {
		parts.push(
			`<${op}Return xsi:type="ns1:CAdxResultXml" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">`,
			`<messages soapenc:arrayType="ns1:CAdxMessage[${count}]" xsi:type="soapenc:Array">`,
			...result.messages.map(
				(m) => `<messages xsi:type="ns1:CAdxMessage">${messageElements(m)}</messages>`,
			),
			'</messages>',
			resultXmlElement(result.resultXml, useCdata),
			typedElement('status', 'int', String(result.status)),
			`<technicalInfos xsi:type="ns1:CAdxTechnicalInfos">${technicalElements(result.technical)}</technicalInfos>`,
			`</${op}Return>`,
			`</ns1:${op}Response>`,
		);
	} else {
		const technicalId = `id${count + 1}`;
		const multiRefAttrs =
			`soapenc:root="0" ${ENCODING} xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ` +
			`xmlns:ns2="${WSS_NS}"`;
		parts.push(`<${op}Return href="#id0"/>`, `</ns1:${op}Response>`);
		parts.push(
			`<multiRef id="id0" ${multiRefAttrs} xsi:type="ns2:CAdxResultXml">`,
			`<messages soapenc:arrayType="ns2:CAdxMessage[${count}]" xsi:type="soapenc:Array">`,
			...result.messages.map((_, index) => `<messages href="#id${index + 1}"/>`),
			'</messages>',
			resultXmlElement(result.resultXml, useCdata),
			typedElement('status', 'int', String(result.status)),
			`<technicalInfos href="#${technicalId}"/>`,
			'</multiRef>',
		);
		result.messages.forEach((message, index) => {
			parts.push(
				`<multiRef id="id${index + 1}" ${multiRefAttrs} xsi:type="ns2:CAdxMessage">${messageElements(message)}</multiRef>`,
			);
		});
		parts.push(
			`<multiRef id="${technicalId}" ${multiRefAttrs} xsi:type="ns2:CAdxTechnicalInfos">`,
			technicalElements(result.technical),
			'</multiRef>',
		);
	}
	parts.push(ENVELOPE_CLOSE);
	return parts.join('');
}

export function soapFaultXml(faultcode: string, faultstring: string): string {
	return (
		ENVELOPE_OPEN +
		`<soapenv:Fault><faultcode>${escapeText(faultcode)}</faultcode>` +
		`<faultstring>${escapeText(faultstring)}</faultstring><detail/></soapenv:Fault>` +
		ENVELOPE_CLOSE
	);
}

const XML_HEADERS = { 'content-type': 'text/xml;charset=utf-8' };

function fault(status: number, faultcode: string, faultstring: string): HttpAnswer {
	return { status, headers: XML_HEADERS, body: soapFaultXml(faultcode, faultstring) };
}

/** Syracuse answers a failed Basic login with 401 and an HTML page, not a SOAP fault. */
export function unauthorizedHtml(): HttpAnswer {
	return {
		status: 401,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'www-authenticate': 'Basic realm="Syracuse"',
		},
		body:
			'<!DOCTYPE html><html><head><title>401 Unauthorized</title></head><body>' +
			'<h1>Unauthorized</h1><p>Authentication failed: invalid user or password.</p></body></html>',
	};
}

// ---------------------------------------------------------------------------------------------------------------
// The handler

const WRITE_OPERATIONS = new Set(['save', 'modify', 'delete']);

export async function handleSoap(
	runtime: X3Runtime,
	req: IncomingMessage,
	body: string,
): Promise<HttpAnswer> {
	const started = Date.now();
	const user = basicUser(req, runtime.users);
	if (!user) {
		runtime.stats.authFailures.basic = (runtime.stats.authFailures.basic ?? 0) + 1;
		return unauthorizedHtml();
	}
	let call: SoapCall;
	try {
		call = parseSoapRequest(body);
	} catch (error) {
		if (error instanceof SoapRequestError) return fault(500, 'soapenv:Client', error.message);
		throw error;
	}
	runtime.countCall('soap', call.operation);

	const log: SoapLogEntry = {
		at: new Date().toISOString(),
		operation: call.operation,
		publicName: call.publicName,
		user,
		payloadFormat: null,
		payload: null,
		objectKeys: call.objectKeys,
		status: null,
		messages: [],
		httpStatus: 200,
	};
	const answer = await processCall(runtime, call, user, started, log);
	log.httpStatus = answer.status;
	runtime.soapLog.push(log);
	if (runtime.soapLog.length > 200) runtime.soapLog.shift();
	return answer;
}

async function processCall(
	runtime: X3Runtime,
	call: SoapCall,
	user: string,
	started: number,
	log: SoapLogEntry,
): Promise<HttpAnswer> {
	const config = parseRequestConfig(call.callContext.requestConfig);
	// soapJsonResults false: a server that answers XML whatever optreturn says (see README, personalities).
	const json =
		runtime.behaviour.soapJsonResults &&
		(config['adxwss.optreturn'] ?? '').toUpperCase() === 'JSON';
	const beautify = (config['adxwss.beautify'] ?? '').toLowerCase() === 'true';
	const traceOn = (config['adxwss.trace.on'] ?? '').toLowerCase() === 'on';
	const settings = runtime.settings;

	// The pool alias is resolved by Syracuse before any X3 engine runs, so an unknown alias is a transport-level
	// failure: HTTP 500 with a SOAP fault (fact sheet §2.1 / §6: faults are HTTP 500, application errors status 0).
	// The exact Syracuse wording is not documented publicly; this text names the alias so the cause is obvious.
	if (call.callContext.poolAlias !== runtime.poolAlias) {
		return fault(
			500,
			'soapenv:Server',
			`Pool alias '${call.callContext.poolAlias}' not found (classic SOAP pools)`,
		);
	}
	if (roll(runtime, runtime.faults.http500Probability, 'soap')) {
		runtime.stats.faults.http500++;
		return fault(500, 'soapenv:Server', 'Internal server error (emulated fault)');
	}

	const answer = (raw: Omit<SoapResult, 'operation'>): HttpAnswer => {
		const result = runtime.behaviour.localizedMessages
			? { ...raw, messages: translateMessages(raw.messages, call.callContext.codeLang) }
			: raw;
		log.status = result.status;
		log.messages = result.messages;
		return {
			status: 200,
			headers: XML_HEADERS,
			body: soapResponseXml(
				{ ...result, operation: call.operation },
				settings.soapStyle,
				settings.resultCdata,
			),
		};
	};
	const busy = (waitedMs: number): HttpAnswer => {
		runtime.stats.pool.busyAnswers++;
		runtime.changed();
		if (settings.busyMode === 'http500')
			return fault(500, 'soapenv:Server', 'No Web services accepted');
		return answer({
			status: 0,
			messages: [
				{
					type: '3',
					message: `Connection pool is busy: no free entry in pool ${runtime.poolAlias} (${settings.poolSize} busy)`,
				},
			],
			resultXml: null,
			technical: technicalInfos({
				busy: true,
				poolWaitDuration: waitedMs,
				totalDuration: Date.now() - started,
			}),
		});
	};

	if (roll(runtime, runtime.faults.poolBusyProbability, 'soap')) {
		runtime.stats.faults.poolBusy++;
		return busy(0);
	}
	const slot = await runtime.pool.acquire();
	if (!slot) return busy(settings.poolWaitMs);
	let hang = false;
	let reply: HttpAnswer;
	try {
		await runtime.pool.passGate();
		const execStarted = Date.now();
		const isWrite = WRITE_OPERATIONS.has(call.operation);
		const latency = latencyFor(runtime, isWrite ? 'save' : 'other');
		if (latency > 0) await runtime.sleep(latency);

		let result: Omit<SoapResult, 'operation'>;
		if (isWrite && roll(runtime, runtime.faults.lockProbability, 'soap')) {
			runtime.stats.faults.locks++;
			result = {
				status: 0,
				messages: [{ type: '3', message: 'Record locked by another user, try again later' }],
				resultXml: null,
				technical: technicalInfos(),
			};
		} else {
			result = execute(runtime, call, user, { json, beautify }, log);
		}
		const total = Date.now() - started;
		const trace = traceOn
			? `emulator trace: ${call.operation} ${call.publicName} user=${user} pool=${runtime.poolAlias} entry=${slot.slot}`
			: null;
		result.technical = {
			...result.technical,
			poolEntryIdx: slot.slot,
			poolWaitDuration: slot.waitedMs,
			poolExecDuration: Date.now() - execStarted,
			poolRequestDuration: total,
			poolDistribDuration: 0,
			nbDistributionCycle: 1,
			totalDuration: total,
			traceRequest: trace,
			traceRequestSize: trace?.length ?? 0,
		};
		hang = roll(runtime, runtime.faults.timeoutProbability, 'soap');
		reply = answer(result);
	} finally {
		runtime.pool.release(slot.slot);
	}
	if (hang) {
		// The work is done (an entry may be saved) and the engine is free again, but the answer comes too late for
		// the client: its retry must find what was saved instead of posting it twice.
		runtime.stats.faults.timeouts++;
		runtime.changed();
		await runtime.sleep(runtime.faults.timeoutMs);
	}
	return reply;
}

function execute(
	runtime: X3Runtime,
	call: SoapCall,
	user: string,
	format: { json: boolean; beautify: boolean },
	log: SoapLogEntry,
): Omit<SoapResult, 'operation'> {
	const fail = (message: string): Omit<SoapResult, 'operation'> => ({
		status: 0,
		messages: [{ type: '3', message }],
		resultXml: null,
		technical: technicalInfos(),
	});

	let payload: Payload | undefined;
	if (call.operation === 'save' || call.operation === 'modify' || call.operation === 'run') {
		try {
			payload = parsePayload(call.payloadText);
			log.payloadFormat = payload.format;
			log.payload = payload.blocks;
		} catch (error) {
			if (error instanceof PayloadError) return fail(error.message);
			throw error;
		}
	}

	const publication = runtime.publications.get(call.publicName);
	if (!publication) return fail(`Web service ${call.publicName} does not exist (not published)`);

	if (call.operation === 'getDescription') {
		const description = describePublication(publication);
		return {
			status: 1,
			messages: [],
			resultXml: format.json
				? jsonText({ ADXDESC: descriptionJson(description) }, format.beautify)
				: descriptionXml(description),
			technical: technicalInfos(),
		};
	}
	const supported: Operation[] = ['save', 'read', 'query', 'modify', 'delete', 'run'];
	if (!supported.includes(call.operation as Operation)) {
		return fail(`${call.operation} : Operation not implemented by the emulator`);
	}

	const op = call.operation as Operation;
	const result: OpResult = runOperation(
		{
			state: runtime.state,
			publication,
			user,
			folder: runtime.endpoint,
			poolAlias: runtime.poolAlias,
			behaviour: runtime.behaviour,
		},
		op,
		{ payload, keys: call.objectKeys, listSize: call.listSize },
	);
	runtime.changed();
	return {
		status: result.status,
		messages: result.messages,
		resultXml: result.status === 1 ? renderResult(op, result, call.listSize, format) : null,
		technical: technicalInfos(),
	};
}

function renderResult(
	op: Operation,
	result: OpResult,
	listSize: number | undefined,
	format: { json: boolean; beautify: boolean },
): string | null {
	if (op === 'query') {
		const records = result.records ?? [];
		if (format.json) return jsonText(records.map(fieldsToJson), format.beautify);
		return queryResultToXml(records, listSize && listSize > 0 ? listSize : 20);
	}
	if (!result.blocks) return null;
	return format.json
		? jsonText(resultToJsonValue(result.blocks), format.beautify)
		: resultToXml(result.blocks);
}

type Description = ReturnType<typeof describePublication>;

function attrsXml(attrs: Record<string, string>): string {
	return Object.entries(attrs)
		.map(([name, value]) => ` ${name}="${escapeAttr(value)}"`)
		.join('');
}

function descriptionXml(description: Description): string {
	const blocks = description.blocks.map((block) => {
		const tag = block.attrs.TYPE === 'TAB' ? 'TAB' : 'GRP';
		const fields = block.fields.map((field) => `<FLD${attrsXml(field)}/>`).join('');
		return `<${tag}${attrsXml(block.attrs)}>${fields}</${tag}>`;
	});
	return `<ADXDESC${attrsXml(description.attrs)}>${blocks.join('')}</ADXDESC>`;
}

function descriptionJson(description: Description): Record<string, unknown> {
	return {
		...description.attrs,
		GRP: description.blocks.map((block) => ({ ...block.attrs, FLD: block.fields })),
	};
}
