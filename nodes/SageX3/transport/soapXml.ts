// Over 500 lines: both directions of SOAP XML (envelopes and payloads out, responses and <RESULT> in) in one place.
import {
	attributeByLocalName,
	childElements,
	escapeXmlAttribute,
	escapeXmlText,
	findInvalidXmlChar,
	firstChild,
	localName,
	parseXml,
	textContent,
	XmlError,
} from '../../common/xml';
import type { XmlElement } from '../../common/xml';
import type { X3Message } from './gateway.types';

/**
 * Classic X3 SOAP web services (CAdxWebServiceXmlCC, RPC/encoded, namespace http://www.adonix.com/WSS), as the
 * Syracuse WSDL describes them: envelopes for run, save, read, query, getDescription, modify and delete, and a
 * reader for CAdxResultXml in both the multiRef/href and the inline form.
 */

export const WSS_NAMESPACE = 'http://www.adonix.com/WSS';
export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENCODING_NAMESPACE = 'http://schemas.xmlsoap.org/soap/encoding/';
export const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

export type X3SoapOperation =
	| 'run'
	| 'save'
	| 'read'
	| 'query'
	| 'getDescription'
	| 'modify'
	| 'delete';

/** Message parts of each operation, in the WSDL's parameterOrder. */
export const SOAP_OPERATION_PARTS: Record<X3SoapOperation, readonly string[]> = {
	run: ['callContext', 'publicName', 'inputXml'],
	save: ['callContext', 'publicName', 'objectXml'],
	read: ['callContext', 'publicName', 'objectKeys'],
	query: ['callContext', 'publicName', 'objectKeys', 'listSize'],
	getDescription: ['callContext', 'publicName'],
	modify: ['callContext', 'publicName', 'objectKeys', 'objectXml'],
	delete: ['callContext', 'publicName', 'objectKeys'],
};

/** JSON: resultXml comes back as JSON (adxwss.optreturn=JSON); XML: as `<RESULT>`. */
export type X3PayloadFormat = 'json' | 'xml';

export interface X3CallContext {
	codeLang: string;
	poolAlias: string;
	poolId?: string;
	requestConfig: string;
}

export interface X3KeyValue {
	key: string;
	value: string;
}

/** Field values as the transports accept them; arrays are dimensioned fields of a group (LST). */
export type X3FieldValue = string | number | boolean | null | undefined | readonly string[];
export type X3FieldGroup = Record<string, X3FieldValue>;
/** A neutral object: block id -> fields (GRP) or -> lines (TAB). */
export type X3ObjectData = Record<string, X3FieldGroup | X3FieldGroup[]>;

/** What a result becomes in either format: {GRPID: {FLD: value}, TABID: [{FLD: value}]}. */
export type X3ResultData = Record<string, unknown>;

export function buildRequestConfig(
	format: X3PayloadFormat,
	extra: Record<string, string> = {},
): string {
	const settings: Record<string, string> = {
		'adxwss.optreturn': format === 'json' ? 'JSON' : 'XML',
		...extra,
	};
	return Object.entries(settings)
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function assertFieldName(name: string, what: string): string {
	if (!FIELD_NAME.test(name)) throw new XmlError(`${what} "${name}" is not a valid X3 name`);
	return name;
}

function fieldText(value: Exclude<X3FieldValue, readonly string[]>): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new XmlError(`Cannot send the number ${value} to X3`);
		return String(value);
	}
	return String(value);
}

function normaliseGroup(group: X3FieldGroup, where: string): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(group)) {
		assertFieldName(name, `Field of ${where}`);
		if (Array.isArray(value)) {
			out[name] = (value as readonly string[]).map((item) => String(item));
			continue;
		}
		const text = fieldText(value as Exclude<X3FieldValue, readonly string[]>);
		if (text !== undefined) out[name] = text;
	}
	return out;
}

/**
 * JSON text that is also safe as XML 1.0 content: JSON.stringify escapes C0 controls and lone surrogates as
 * \uXXXX already; U+FFFE/U+FFFF (valid JSON, invalid XML) get the same treatment, so every string survives.
 */
export function jsonForXml(value: unknown): string {
	return JSON.stringify(value).replace(
		/[\ufffe\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16)}`,
	);
}

/** Whether a field value of the object holds a character XML 1.0 cannot carry. */
export function holdsNonXmlText(data: X3ObjectData): boolean {
	const values = (group: X3FieldGroup) =>
		Object.values(group).flatMap((value) => (Array.isArray(value) ? value : [value]));
	return Object.values(data).some((block) =>
		(Array.isArray(block) ? block : [block]).some((group) =>
			values(group).some(
				(value) => typeof value === 'string' && findInvalidXmlChar(value) !== undefined,
			),
		),
	);
}

/** objectXml/inputXml from a neutral object, as JSON or as `<PARAM>` XML. All values are escaped. */
export function buildObjectXml(data: X3ObjectData, format: X3PayloadFormat): string {
	const normalised: Record<
		string,
		Record<string, string | string[]> | Array<Record<string, string | string[]>>
	> = {};
	for (const [blockId, block] of Object.entries(data)) {
		assertFieldName(blockId, 'Block id');
		normalised[blockId] = Array.isArray(block)
			? block.map((line, index) => normaliseGroup(line, `${blockId} line ${index + 1}`))
			: normaliseGroup(block as X3FieldGroup, blockId);
	}
	if (format === 'json') return jsonForXml(normalised);

	const fields = (group: Record<string, string | string[]>, where: string) =>
		Object.entries(group)
			.map(([name, value]) => {
				if (Array.isArray(value)) {
					const items = value
						.map((item) => `<ITM>${escapeXmlText(item, `${where}.${name}`)}</ITM>`)
						.join('');
					return `<LST NAME="${escapeXmlAttribute(name)}" SIZE="${value.length}">${items}</LST>`;
				}
				return `<FLD NAME="${escapeXmlAttribute(name)}">${escapeXmlText(value, `${where}.${name}`)}</FLD>`;
			})
			.join('');
	const blocks = Object.entries(normalised).map(([blockId, block]) => {
		if (Array.isArray(block)) {
			const lines = block
				.map(
					(line, index) =>
						`<LIN NUM="${index + 1}">${fields(line, `${blockId}[${index + 1}]`)}</LIN>`,
				)
				.join('');
			return `<TAB ID="${escapeXmlAttribute(blockId)}" SIZE="${block.length}">${lines}</TAB>`;
		}
		return `<GRP ID="${escapeXmlAttribute(blockId)}">${fields(block, blockId)}</GRP>`;
	});
	return `<PARAM>${blocks.join('')}</PARAM>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Envelopes

export interface X3SoapParameters {
	publicName: string;
	objectXml?: string;
	inputXml?: string;
	objectKeys?: X3KeyValue[];
	listSize?: number;
}

function stringPart(name: string, value: string): string {
	return `<${name} xsi:type="xsd:string">${escapeXmlText(value, name)}</${name}>`;
}

function callContextXml(context: X3CallContext): string {
	return (
		'<callContext xsi:type="wss:CAdxCallContext">' +
		stringPart('codeLang', context.codeLang) +
		stringPart('poolAlias', context.poolAlias) +
		stringPart('poolId', context.poolId ?? '') +
		stringPart('requestConfig', context.requestConfig) +
		'</callContext>'
	);
}

function objectKeysXml(keys: X3KeyValue[]): string {
	const items = keys
		.map(
			(entry) =>
				'<item xsi:type="wss:CAdxParamKeyValue">' +
				stringPart('key', entry.key) +
				stringPart('value', entry.value) +
				'</item>',
		)
		.join('');
	return (
		`<objectKeys xsi:type="wss:ArrayOfCAdxParamKeyValue" soapenc:arrayType="wss:CAdxParamKeyValue[${keys.length}]">` +
		items +
		'</objectKeys>'
	);
}

/** RPC/encoded request envelope for one operation, parts in WSDL order. */
export function buildSoapEnvelope(
	operation: X3SoapOperation,
	callContext: X3CallContext,
	parameters: X3SoapParameters,
): string {
	const parts = SOAP_OPERATION_PARTS[operation].map((part) => {
		switch (part) {
			case 'callContext':
				return callContextXml(callContext);
			case 'publicName':
				return stringPart('publicName', parameters.publicName);
			case 'objectXml':
				return stringPart('objectXml', parameters.objectXml ?? '');
			case 'inputXml':
				return stringPart('inputXml', parameters.inputXml ?? '');
			case 'objectKeys':
				return objectKeysXml(parameters.objectKeys ?? []);
			case 'listSize': {
				const size = Math.floor(parameters.listSize ?? 100);
				if (!Number.isFinite(size) || size < 1)
					throw new XmlError('listSize must be a positive integer');
				return `<listSize xsi:type="xsd:int">${size}</listSize>`;
			}
			default:
				throw new XmlError(`Unknown part ${part}`);
		}
	});
	return (
		'<?xml version="1.0" encoding="UTF-8"?>' +
		`<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
		` xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="${SOAP_ENCODING_NAMESPACE}" xmlns:wss="${WSS_NAMESPACE}">` +
		'<soapenv:Header/><soapenv:Body>' +
		`<wss:${operation} soapenv:encodingStyle="${SOAP_ENCODING_NAMESPACE}">${parts.join('')}</wss:${operation}>` +
		'</soapenv:Body></soapenv:Envelope>'
	);
}

// ---------------------------------------------------------------------------------------------------------------
// Responses

export type X3TechnicalInfos = Record<string, string | number | boolean | null> & {
	busy?: boolean;
	poolWaitDuration?: number;
	totalDuration?: number;
};

export interface X3SoapResult {
	status: number;
	messages: X3Message[];
	/** The resultXml string as sent (JSON or XML text), null when nil/absent. */
	resultXml: string | null;
	technicalInfos: X3TechnicalInfos | null;
}

export interface X3SoapFault {
	faultCode: string;
	faultString: string;
	detail: string;
}

export type ParsedSoapResponse =
	| { kind: 'result'; result: X3SoapResult }
	| { kind: 'fault'; fault: X3SoapFault };

function isNil(element: XmlElement): boolean {
	const nil = attributeByLocalName(element, 'nil');
	return nil === 'true' || nil === '1';
}

/** Resolves SOAP-encoding references (href="#id" -> the element with id="id"). */
function createDereferencer(body: XmlElement): (element: XmlElement) => XmlElement {
	const byId = new Map<string, XmlElement>();
	const index = (element: XmlElement) => {
		const id = element.attributes.id;
		if (id !== undefined) byId.set(id, element);
		for (const child of childElements(element)) index(child);
	};
	index(body);
	return (element) => {
		let current = element;
		for (let hops = 0; hops < 10; hops++) {
			const href = current.attributes.href;
			if (href === undefined || !href.startsWith('#')) return current;
			const target = byId.get(href.slice(1));
			if (!target) throw new XmlError(`Unresolved SOAP reference ${href}`);
			current = target;
		}
		throw new XmlError('SOAP references loop');
	};
}

function scalar(element: XmlElement): string | number | boolean | null {
	if (isNil(element)) return null;
	const text = textContent(element);
	const type = localName(attributeByLocalName(element, 'type') ?? '');
	if (type === 'boolean') return text.trim() === 'true' || text.trim() === '1';
	if (['int', 'long', 'short', 'double', 'float', 'decimal', 'integer'].includes(type)) {
		const number = Number(text.trim());
		return Number.isFinite(number) ? number : text;
	}
	if (type === '' && /^(true|false)$/.test(text.trim())) return text.trim() === 'true';
	if (type === '' && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
	return text;
}

/** Parses a SOAP response envelope: CAdxResultXml or a Fault. */
export function parseSoapResponse(xml: string): ParsedSoapResponse {
	const envelope = parseXml(xml);
	if (localName(envelope.name) !== 'Envelope') throw new XmlError('Not a SOAP envelope');
	const body = firstChild(envelope, 'Body');
	if (!body) throw new XmlError('SOAP envelope without Body');
	const fault = firstChild(body, 'Fault');
	if (fault) {
		const text = (name: string) => {
			const element = childElements(fault, name)[0];
			return element ? textContent(element).trim() : '';
		};
		return {
			kind: 'fault',
			fault: {
				faultCode: text('faultcode'),
				faultString: text('faultstring'),
				detail: text('detail'),
			},
		};
	}
	const deref = createDereferencer(body);
	const response = childElements(body).find((child) => localName(child.name) !== 'multiRef');
	if (!response) throw new XmlError('SOAP Body without a response element');
	const returned = childElements(response)[0];
	if (!returned) throw new XmlError(`${localName(response.name)} has no return value`);
	const result = deref(returned);

	let status: number | undefined;
	let resultXml: string | null = null;
	let messages: X3Message[] = [];
	let technicalInfos: X3TechnicalInfos | null = null;
	for (const child of childElements(result)) {
		const element = deref(child);
		switch (localName(child.name)) {
			case 'status':
				status = Number(textContent(element).trim());
				break;
			case 'resultXml':
				resultXml = isNil(element) ? null : textContent(element);
				break;
			case 'messages':
				if (!isNil(element)) messages = readMessages(element, deref);
				break;
			case 'technicalInfos':
				if (!isNil(element)) technicalInfos = readTechnicalInfos(element, deref);
				break;
			default:
				break;
		}
	}
	if (status === undefined || !Number.isFinite(status))
		throw new XmlError('CAdxResultXml without status');
	return { kind: 'result', result: { status, messages, resultXml, technicalInfos } };
}

function readMessages(array: XmlElement, deref: (element: XmlElement) => XmlElement): X3Message[] {
	// An inline single message may come as the array element itself carrying message/type.
	const candidates = firstChild(array, 'message') ? [array] : childElements(array).map(deref);
	return candidates
		.filter((item) => !isNil(item))
		.map((item) => {
			const message = firstChild(item, 'message');
			const type = firstChild(item, 'type');
			return {
				type: type ? textContent(deref(type)).trim() : '',
				message: message ? textContent(deref(message)) : '',
			};
		});
}

function readTechnicalInfos(
	element: XmlElement,
	deref: (element: XmlElement) => XmlElement,
): X3TechnicalInfos {
	const infos: X3TechnicalInfos = {};
	for (const child of childElements(element)) infos[localName(child.name)] = scalar(deref(child));
	return infos;
}

// ---------------------------------------------------------------------------------------------------------------
// resultXml

/**
 * Converts `<RESULT>` XML into the JSON shape of optreturn=JSON: GRP -> {FLD: value}, TAB -> [{FLD: value}],
 * LST -> array of ITM texts. A FLD with a MENULAB attribute also yields `${NAME}_LBL` (as the JSON form does).
 */
export function resultXmlToJson(xml: string): X3ResultData {
	// X3 returns the text the node sent; a control character in it comes back as a reference XML 1.0 disallows.
	const root = parseXml(xml, { anyCharacterReference: true });
	const readFields = (container: XmlElement): Record<string, unknown> => {
		const out: Record<string, unknown> = {};
		for (const child of childElements(container)) {
			const kind = localName(child.name);
			const name = child.attributes.NAME;
			if (kind === 'FLD' && name !== undefined) {
				out[name] = textContent(child);
				if (child.attributes.MENULAB !== undefined) out[`${name}_LBL`] = child.attributes.MENULAB;
			} else if (kind === 'LST' && name !== undefined) {
				out[name] = childElements(child, 'ITM').map((item) => textContent(item));
			}
		}
		return out;
	};
	const data: X3ResultData = {};
	for (const child of childElements(root)) {
		const kind = localName(child.name);
		const id = child.attributes.ID;
		if (kind === 'GRP' && id !== undefined) {
			data[id] = readFields(child);
		} else if (kind === 'TAB' && id !== undefined) {
			data[id] = childElements(child, 'LIN').map(readFields);
		} else if (kind === 'LIN') {
			const lines = (data.LIN as unknown[] | undefined) ?? [];
			lines.push(readFields(child));
			data.LIN = lines;
		} else if (kind === 'FLD' || kind === 'LST') {
			Object.assign(data, readFields({ ...root, children: [child] }));
		}
	}
	return data;
}

/** resultXml as data, whichever format X3 actually used (it is detected, not assumed). */
export function parseResultPayload(text: string | null): X3ResultData | unknown[] | null {
	if (text === null) return null;
	const trimmed = text.trim();
	if (trimmed === '') return null;
	if (trimmed.startsWith('<')) return resultXmlToJson(trimmed);
	let parsed: unknown;
	try {
		parsed = JSON.parse(trimmed);
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined) throw new XmlError('resultXml is neither XML nor JSON');
	if (Array.isArray(parsed)) return parsed;
	if (parsed && typeof parsed === 'object') return parsed as X3ResultData;
	return null;
}

/**
 * Rows of a query (or one flattened record of a read), whatever the nesting: an array of rows, an object holding
 * one or more arrays of rows (TAB-like), or groups of fields (merged into one row).
 */
export function resultRows(data: X3ResultData | unknown[] | null): Array<Record<string, unknown>> {
	if (data === null) return [];
	// An empty record (`<RESULT/>`, `{}`) is no row: an empty answer must read as empty.
	const rows = (records: Array<Record<string, unknown>>) =>
		records.map((row) => flattenRecord(row)).filter((row) => Object.keys(row).length > 0);
	if (Array.isArray(data)) return rows(data.filter(isRecord));
	const arrays = Object.values(data).filter(
		(value): value is unknown[] => Array.isArray(value) && value.some(isRecord),
	);
	if (arrays.length > 0) return rows(arrays.flat().filter(isRecord));
	return rows([data]);
}

/** Merges group objects into one flat record (first non-empty value of a field wins). */
export function flattenRecord(record: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const put = (key: string, value: unknown) => {
		if (!(key in out) || out[key] === '' || out[key] === null || out[key] === undefined)
			out[key] = value;
	};
	for (const [key, value] of Object.entries(record)) {
		if (isRecord(value)) {
			for (const [innerKey, innerValue] of Object.entries(value)) put(innerKey, innerValue);
		} else if (!Array.isArray(value) || !value.some(isRecord)) {
			put(key, value);
		}
	}
	return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
