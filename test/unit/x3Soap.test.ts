import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { XMLParser } from 'fast-xml-parser';
import nock from 'nock';

import { X3BusinessError, X3Error } from '../../nodes/SageX3/transport/errors';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { X3SoapClient } from '../../nodes/SageX3/transport/soap';
import {
	buildObjectXml,
	buildRequestConfig,
	buildSoapEnvelope,
	parseResultPayload,
	parseSoapResponse,
	resultRows,
	resultXmlToJson,
	SOAP_OPERATION_PARTS,
} from '../../nodes/SageX3/transport/soapXml';
import type { X3ObjectData, X3SoapOperation } from '../../nodes/SageX3/transport/soapXml';
import { ConcurrencyLimiter, X3CallRunner } from '../../nodes/SageX3/transport/throttle';
import { XmlError } from '../../nodes/common/xml';
import { fakeX3Context, recordingSleep, SOAP_CREDENTIALS, TEST_NODE } from './x3FakeContext';
import { soapFault, soapResponse } from './x3SoapFixtures';
import { referenceDir } from '../referenceDir';

const WSDL_PATH = join(
	referenceDir(),
	'sage-x3/wsdl-syracuse-v7plus-CAdxWebServiceXmlCC__xbnr-x3-ws-tester.wsdl',
);

const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@',
	parseTagValue: false,
	trimValues: false,
	isArray: (name) =>
		['wsdl:message', 'wsdl:part', 'item', 'xsd:element', 'xsd:complexType'].includes(name),
});

interface WsdlPart {
	name: string;
	type: string;
}

/** Operation -> its request parts in parameterOrder, and the CAdxCallContext sequence, read from the WSDL. */
function readWsdl(): { parts: Record<string, WsdlPart[]>; callContext: string[] } {
	const wsdl = parser.parse(readFileSync(WSDL_PATH, 'utf8'))['wsdl:definitions'];
	const messages: Array<{
		'@name': string;
		'wsdl:part'?: Array<{ '@name': string; '@type': string }>;
	}> = wsdl['wsdl:message'];
	const parts: Record<string, WsdlPart[]> = {};
	for (const message of messages) {
		const name = message['@name'];
		if (!name.endsWith('Request')) continue;
		parts[name.replace(/Request$/, '')] = (message['wsdl:part'] ?? []).map((p) => ({
			name: p['@name'],
			type: p['@type'],
		}));
	}
	const types = wsdl['wsdl:types']['xsd:schema']['xsd:complexType'] as Array<
		Record<string, unknown>
	>;
	const context = types.find((t) => t['@name'] === 'CAdxCallContext') as {
		'xsd:sequence': { 'xsd:element': Array<{ '@name': string }> };
	};
	return { parts, callContext: context['xsd:sequence']['xsd:element'].map((e) => e['@name']) };
}

const wsdl = readWsdl();

const CALL_CONTEXT = {
	codeLang: 'ENG',
	poolAlias: 'BREX',
	poolId: '',
	requestConfig: buildRequestConfig('json'),
};

function envelopeBody(xml: string): Record<string, unknown> {
	const parsed = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '@',
		parseTagValue: false,
		trimValues: false,
		preserveOrder: false,
	});
	return parsed.parse(xml)['soapenv:Envelope']['soapenv:Body'];
}

function orderedChildren(xml: string, operation: string): Array<{ name: string; type: string }> {
	const ordered = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '',
		preserveOrder: true,
		parseTagValue: false,
	});
	const tree = ordered.parse(xml) as Array<Record<string, unknown>>;
	const envelope = tree.find((node) => 'soapenv:Envelope' in node) as Record<
		string,
		Array<Record<string, unknown>>
	>;
	const body = envelope['soapenv:Envelope'].find((node) => 'soapenv:Body' in node) as Record<
		string,
		Array<Record<string, unknown>>
	>;
	const operationNode = body['soapenv:Body'].find((node) => `wss:${operation}` in node) as Record<
		string,
		Array<Record<string, unknown>>
	>;
	return operationNode[`wss:${operation}`].map((child) => {
		const name = Object.keys(child).find((key) => key !== ':@') as string;
		return { name, type: (child[':@'] as Record<string, string>)['xsi:type'] };
	});
}

describe('SOAP envelopes match the Syracuse WSDL', () => {
	const operations: X3SoapOperation[] = [
		'run',
		'save',
		'read',
		'query',
		'getDescription',
		'modify',
		'delete',
	];

	it.each(operations)('%s: parts, order and xsi:types as in the WSDL message', (operation) => {
		expect(SOAP_OPERATION_PARTS[operation]).toEqual(wsdl.parts[operation].map((p) => p.name));
		const xml = buildSoapEnvelope(operation, CALL_CONTEXT, {
			publicName: 'YGAS',
			objectXml: '{}',
			inputXml: '{}',
			objectKeys: [{ key: 'NUM', value: 'X' }],
			listSize: 10,
		});
		expect(orderedChildren(xml, operation)).toEqual(
			wsdl.parts[operation].map((p) => ({ name: p.name, type: p.type })),
		);
	});

	it('declares the operation in the WSS namespace with SOAP encoding', () => {
		const xml = buildSoapEnvelope('save', CALL_CONTEXT, { publicName: 'YGAS', objectXml: '{}' });
		const envelope = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
			xml,
		)['soapenv:Envelope'];
		expect(envelope['@xmlns:wss']).toBe('http://www.adonix.com/WSS');
		expect(envelope['@xmlns:soapenv']).toBe('http://schemas.xmlsoap.org/soap/envelope/');
		expect(envelope['soapenv:Body']['wss:save']['@soapenv:encodingStyle']).toBe(
			'http://schemas.xmlsoap.org/soap/encoding/',
		);
	});

	it('writes callContext with exactly the CAdxCallContext elements, in order', () => {
		const xml = buildSoapEnvelope(
			'read',
			{ ...CALL_CONTEXT, requestConfig: buildRequestConfig('json', { 'adxwss.trace.on': 'off' }) },
			{
				publicName: 'YBPS',
				objectKeys: [],
			},
		);
		const ordered = new XMLParser({
			preserveOrder: true,
			ignoreAttributes: false,
			parseTagValue: false,
		});
		const text = JSON.stringify(ordered.parse(xml));
		const contextNames = [
			...text.matchAll(/"(codeLang|poolAlias|poolId|requestConfig|codeUser|password)"/g),
		].map((m) => m[1]);
		expect(contextNames).toEqual(wsdl.callContext);
		const body = envelopeBody(xml)['wss:read'] as Record<
			string,
			Record<string, Record<string, string>>
		>;
		expect(body.callContext.requestConfig['#text']).toBe(
			'adxwss.optreturn=JSON&adxwss.trace.on=off',
		);
		expect(body.callContext.poolAlias['#text']).toBe('BREX');
	});

	it('sends objectKeys as a SOAP-encoded CAdxParamKeyValue array', () => {
		const xml = buildSoapEnvelope('query', CALL_CONTEXT, {
			publicName: 'YGAS',
			objectKeys: [
				{ key: 'BPRVCR', value: `BRXT-1'"<&>` },
				{ key: 'DES', value: 'BRXT-2*' },
			],
			listSize: 25,
		});
		const query = envelopeBody(xml)['wss:query'] as Record<string, Record<string, unknown>>;
		expect(query.objectKeys['@soapenc:arrayType']).toBe('wss:CAdxParamKeyValue[2]');
		expect(query.objectKeys['@xsi:type']).toBe('wss:ArrayOfCAdxParamKeyValue');
		const items = query.objectKeys.item as Array<Record<string, Record<string, string>>>;
		expect(items.map((item) => [item.key['#text'], item.value['#text']])).toEqual([
			['BPRVCR', `BRXT-1'"<&>`],
			['DES', 'BRXT-2*'],
		]);
		expect(items[0]['@xsi:type']).toBe('wss:CAdxParamKeyValue');
		expect(query.listSize).toEqual({ '#text': '25', '@xsi:type': 'xsd:int' });
	});

	it('refuses a publication name that is not an XML-safe identifier', async () => {
		const client = new X3SoapClient(
			async () => ({ statusCode: 200, headers: {}, body: '' }),
			settings(),
			TEST_NODE,
			runner(),
		);
		await expect(client.read('Y GAS<', [])).rejects.toThrow(XmlError);
	});
});

const HOSTILE = [
	`O'Brien "quoted" \\ back\\slash`,
	'<PARAM><GRP ID="X"></GRP></PARAM> & ]]> <![CDATA[x]]>',
	'😀 emoji, עברית RTL, Zoë Łódź 漢字',
	'{"json":true,"}":"{"}',
	'tab\tnew\ncr\rline',
];

describe('objectXml payloads', () => {
	const data: X3ObjectData = {
		GAS0_1: { TYP: 'ODT', DESVCR: HOSTILE.join(' | '), EMPTY: '', SKIPPED: undefined, NUM: 12.5 },
		GAS1_1: HOSTILE.map((value, index) => ({ ACC: `62${index}`, DES: value, CCE1: 'CC-SF' })),
		LSTGRP: { CCE: ['A', 'B"<'] },
	};
	const expected = {
		GAS0_1: { TYP: 'ODT', DESVCR: HOSTILE.join(' | '), EMPTY: '', NUM: '12.5' },
		GAS1_1: HOSTILE.map((value, index) => ({ ACC: `62${index}`, DES: value, CCE1: 'CC-SF' })),
		LSTGRP: { CCE: ['A', 'B"<'] },
	};

	it('JSON mode: hostile values survive envelope escaping and come back verbatim', () => {
		const xml = buildSoapEnvelope('save', CALL_CONTEXT, {
			publicName: 'YGAS',
			objectXml: buildObjectXml(data, 'json'),
		});
		const objectXml = (envelopeBody(xml)['wss:save'] as Record<string, Record<string, string>>)
			.objectXml['#text'];
		expect(JSON.parse(objectXml)).toEqual(expected);
		// Our own reader agrees with fast-xml-parser on the envelope.
		const ours = parseSoapRequestObjectXml(xml);
		expect(JSON.parse(ours)).toEqual(expected);
	});

	it('JSON mode is lossless even for characters XML 1.0 cannot carry', () => {
		const nasty = 'nul\u0000 bell\u0007 esc\u001b fffe\ufffe ffff\uffff lone\ud83d';
		const xml = buildSoapEnvelope('save', CALL_CONTEXT, {
			publicName: 'YGAS',
			objectXml: buildObjectXml({ G: { F: nasty } }, 'json'),
		});
		expect(JSON.parse(parseSoapRequestObjectXml(xml))).toEqual({ G: { F: nasty } });
	});

	it('XML mode: builds <PARAM> with GRP/TAB/LIN/LST that reads back to the same data', () => {
		const objectXml = buildObjectXml(data, 'xml');
		expect(objectXml.startsWith('<PARAM><GRP ID="GAS0_1">')).toBe(true);
		expect(objectXml).toContain('<TAB ID="GAS1_1" SIZE="5"><LIN NUM="1">');
		expect(objectXml).toContain(
			'<LST NAME="CCE" SIZE="2"><ITM>A</ITM><ITM>B&quot;&lt;</ITM></LST>',
		);
		expect(resultXmlToJson(objectXml)).toEqual(expected);
		const xml = buildSoapEnvelope('save', CALL_CONTEXT, { publicName: 'YGAS', objectXml });
		expect(resultXmlToJson(parseSoapRequestObjectXml(xml))).toEqual(expected);
	});

	it('XML mode refuses characters XML 1.0 cannot carry, naming the field', () => {
		expect(() => buildObjectXml({ GAS0_1: { DESVCR: 'bell\u0007' } }, 'xml')).toThrow(
			/GAS0_1\.DESVCR contains U\+0007/,
		);
	});

	it('refuses field and block names that could break the payload', () => {
		expect(() => buildObjectXml({ 'GAS"0': { A: 'x' } }, 'json')).toThrow(XmlError);
		expect(() => buildObjectXml({ GAS0_1: { 'A B': 'x' } }, 'xml')).toThrow(XmlError);
	});
});

/** objectXml text as our reader sees the request (used to cross-check escaping with our own parser). */
function parseSoapRequestObjectXml(xml: string): string {
	const match = /<objectXml xsi:type="xsd:string">([\s\S]*)<\/objectXml>/.exec(xml);
	if (!match) throw new Error('no objectXml');
	const { parseXml, textContent } = jest.requireActual(
		'../../nodes/common/xml',
	) as typeof import('../../nodes/common/xml');
	return textContent(parseXml(`<x>${match[1]}</x>`));
}

describe('CAdxResultXml reader', () => {
	const resultJson = JSON.stringify({
		GAS0_1: { TYP: 'ODT', NUM: 'ODT2401000123' },
		GAS1_1: [{ ACC: '626100' }],
	});
	const messages = [
		{ type: '3', message: 'Unbalanced entry' },
		{ type: '3', message: 'Account 999999 does not exist' },
		{ type: '1', message: 'Entry not created <&>' },
	];

	it.each(['multiRef', 'inline'] as const)(
		'reads status, every message, resultXml and technicalInfos (%s)',
		(style) => {
			const parsed = parseSoapResponse(
				soapResponse({
					operation: 'save',
					status: 0,
					messages,
					resultXml: resultJson,
					style,
					technicalInfos: {
						busy: false,
						poolWaitDuration: 12.5,
						totalDuration: 412,
						poolEntryIdx: 3,
					},
				}),
			);
			expect(parsed.kind).toBe('result');
			if (parsed.kind !== 'result') return;
			expect(parsed.result.status).toBe(0);
			expect(parsed.result.messages).toEqual(messages);
			expect(parsed.result.resultXml).toBe(resultJson);
			expect(parsed.result.technicalInfos).toEqual({
				busy: false,
				poolWaitDuration: 12.5,
				totalDuration: 412,
				poolEntryIdx: 3,
			});
		},
	);

	it('reads an empty message array and a nil resultXml', () => {
		const parsed = parseSoapResponse(
			soapResponse({ operation: 'read', status: 1, messages: [], resultXml: null }),
		);
		expect(parsed).toMatchObject({
			kind: 'result',
			result: { status: 1, messages: [], resultXml: null },
		});
	});

	it('reads a SOAP fault', () => {
		expect(parseSoapResponse(soapFault('No Web services accepted'))).toEqual({
			kind: 'fault',
			fault: {
				faultCode: 'soapenv:Server',
				faultString: 'No Web services accepted',
				detail: 'internal',
			},
		});
	});

	it('converts XML results into the JSON-mode shape', () => {
		const xml =
			'<RESULT><GRP ID="SIH0_1"><FLD NAME="NUM" TYPE="Char">INV0001</FLD><FLD MENULAB="Yes" NAME="ENAFLG" TYPE="Integer">2</FLD>' +
			'<LST NAME="CCE" SIZE="2" TYPE="Char"><ITM>CC1</ITM><ITM></ITM></LST></GRP>' +
			'<TAB DIM="300" ID="SIH4_1" SIZE="2"><LIN NUM="1"><FLD NAME="ITMREF" TYPE="Char">X&amp;Y</FLD></LIN><LIN NUM="2"><FLD NAME="ITMREF" TYPE="Char"/></LIN></TAB>' +
			'<GRP ID="ADXTEC"><FLD NAME="WW_MODSTAMP" TYPE="Char">20231109103351</FLD></GRP></RESULT>';
		expect(resultXmlToJson(xml)).toEqual({
			SIH0_1: { NUM: 'INV0001', ENAFLG: '2', ENAFLG_LBL: 'Yes', CCE: ['CC1', ''] },
			SIH4_1: [{ ITMREF: 'X&Y' }, { ITMREF: '' }],
			ADXTEC: { WW_MODSTAMP: '20231109103351' },
		});
		expect(parseResultPayload(xml)).toEqual(resultXmlToJson(xml));
	});

	it('turns query results into rows whatever their nesting', () => {
		expect(resultRows([{ BPSNUM: 'A' }, { BPSNUM: 'B' }])).toEqual([
			{ BPSNUM: 'A' },
			{ BPSNUM: 'B' },
		]);
		expect(resultRows({ YBPS: [{ BPSNUM: 'A' }], ADXTEC: { X: '1' } })).toEqual([{ BPSNUM: 'A' }]);
		expect(resultRows({ BPS0_1: { BPSNUM: 'A' }, BPS1_1: { BPSNAM: 'N' } })).toEqual([
			{ BPSNUM: 'A', BPSNAM: 'N' },
		]);
		expect(resultRows([{ G: { BPSNUM: 'A' } }])).toEqual([{ BPSNUM: 'A' }]);
		expect(resultRows(null)).toEqual([]);
	});
});

function settings(format: 'json' | 'xml' = 'json') {
	return {
		baseUrl: 'http://x3.test:8124',
		poolAlias: 'BREX',
		language: 'ENG',
		format,
		timeoutMs: 5000,
	};
}

function runner(maxAttempts = 1, sleep = recordingSleep().sleep) {
	return new X3CallRunner(new ConcurrencyLimiter(4), {
		policy: { maxAttempts, initialDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
		sleep,
		random: () => 0,
	});
}

const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';

describe('X3SoapClient over HTTP (nock)', () => {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	function client(maxAttempts = 1, sleep = recordingSleep().sleep) {
		const context = fakeX3Context({ sageX3Api: SOAP_CREDENTIALS });
		return {
			context,
			client: new X3SoapClient(
				createCredentialSender(context, 'sageX3Api'),
				settings(),
				TEST_NODE,
				runner(maxAttempts, sleep),
			),
		};
	}

	it('posts text/xml with SOAPAction and Basic auth, and returns the JSON result as data', async () => {
		const scope = nock('http://x3.test:8124')
			.post(
				SOAP_PATH,
				(body: string) =>
					body.includes('<wss:save ') &&
					body.includes('{&quot;GAS0_1&quot;:{&quot;TYP&quot;:&quot;ODT&quot;}}'),
			)
			.matchHeader('content-type', 'text/xml; charset=utf-8')
			.matchHeader('soapaction', '""')
			.matchHeader(
				'authorization',
				`Basic ${Buffer.from('ADMIN:emulator-password').toString('base64')}`,
			)
			.reply(
				200,
				soapResponse({ operation: 'save', status: 1, resultXml: '{"GAS0_1":{"NUM":"ODT24-001"}}' }),
				{
					'Content-Type': 'text/xml',
				},
			);
		const { client: soap, context } = client();
		const result = await soap.save('YGAS', { GAS0_1: { TYP: 'ODT' } });
		expect(result.data).toEqual({ GAS0_1: { NUM: 'ODT24-001' } });
		expect(result.status).toBe(1);
		expect(scope.isDone()).toBe(true);
		expect(context.requests).toHaveLength(1);
		expect(context.requests[0].credentialType).toBe('sageX3Api');
	});

	it('status 0 throws X3BusinessError carrying every message, and is not retried', async () => {
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({
					operation: 'save',
					status: 0,
					messages: [
						{ type: '3', message: 'Unbalanced entry' },
						{ type: '1', message: 'Creation refused' },
						{ type: '3', message: 'Account 999999 does not exist' },
					],
				}),
			);
		const recorder = recordingSleep();
		const { client: soap } = client(5, recorder.sleep);
		const error = await soap.save('YGAS', { GAS0_1: { TYP: 'ODT' } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(X3BusinessError);
		const business = error as X3BusinessError;
		expect(business.message).toBe(
			'Sage X3 refused save on YGAS: Unbalanced entry | Account 999999 does not exist | Creation refused',
		);
		expect(business.x3Messages).toHaveLength(3);
		expect(business.context.x3Messages).toEqual(business.x3Messages);
		expect(business.description).toContain('[info] Creation refused');
		expect(recorder.waits).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('HTTP 500 with a SOAP fault becomes a clear error with the fault string', async () => {
		nock('http://x3.test:8124').post(SOAP_PATH).reply(500, soapFault('Invalid publication: YNOPE'));
		const { client: soap } = client();
		const error = (await soap.read('YNOPE', []).catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('soapFault');
		expect(error.message).toBe('Sage X3 SOAP fault on read YNOPE: Invalid publication: YNOPE');
		// A server fault: its text (in the server's language) only adds a hint, it does not decide the retry.
		expect(error.transient).toBe(true);
		expect(error.notProcessed).toBe(false);
		expect(error.description).toMatch(/looks like a setting/);
	});

	it('an HTTP 500 server fault while X3 ran a read is retried, and the read succeeds', async () => {
		const recorder = recordingSleep();
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(500, soapFault('Internal server error'))
			.post(SOAP_PATH)
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: '[{"NUM":"BRX1"}]' }));
		const { client: soap } = client(3, recorder.sleep);
		const result = await soap.query('YGAS', [{ key: 'BPRVCR', value: 'BRXE-1' }], 20);
		expect(resultRows(result.data)).toEqual([{ NUM: 'BRX1' }]);
		expect(recorder.waits).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	it('an HTTP 500 server fault on a save is not sent again: transient, but maybe processed', async () => {
		const recorder = recordingSleep();
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(500, soapFault('Internal server error'));
		const { client: soap } = client(3, recorder.sleep);
		const error = (await soap
			.save('YGAS', { GAS0_1: { TYP: 'ODT' } })
			.catch((e: unknown) => e)) as X3Error;
		expect(error.kind).toBe('soapFault');
		// The gateway then looks the entry up by trace id instead (transient, not "certainly not processed").
		expect(error.transient).toBe(true);
		expect(error.notProcessed).toBe(false);
		expect(recorder.waits).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('a write the caller made harmless to repeat (idempotent: true) is retried like a read', async () => {
		const recorder = recordingSleep();
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(500, soapFault('Internal server error'))
			.post(SOAP_PATH)
			.reply(200, soapResponse({ operation: 'delete', status: 1, resultXml: null }));
		const { client: soap } = client(3, recorder.sleep);
		const result = await soap.delete('YGAS', [{ key: 'NUM', value: 'BRX1' }], {
			idempotent: true,
		});
		expect(result.status).toBe(1);
		expect(recorder.waits).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	// Changed with issue 13: a server fault naming a setting ("Pool alias … not found") used to be recognised by its
	// English text and not retried; faults are now classified by fault code and HTTP status only.
	it('client faults are not retried, whatever their text', async () => {
		const cases = [
			{ status: 500, fault: soapFault('Malformed request', 'soapenv:Client') },
			{ status: 500, fault: soapFault("Alias de pool 'BREXX' inexistant", 'soapenv:Client') },
			{ status: 400, fault: soapFault('Bad request') },
		];
		for (const { status, fault } of cases) {
			nock('http://x3.test:8124').post(SOAP_PATH).reply(status, fault);
			const recorder = recordingSleep();
			const { client: soap } = client(3, recorder.sleep);
			const error = (await soap.read('YGAS', []).catch((e: unknown) => e)) as X3Error;
			expect(error.kind).toBe('soapFault');
			expect(error.transient).toBe(false);
			expect(recorder.waits).toEqual([]);
		}
	});

	it('"No Web services accepted" is a busy, retryable fault that names the host setting', async () => {
		nock('http://x3.test:8124').post(SOAP_PATH).reply(500, soapFault('No Web services accepted'));
		const { client: soap } = client();
		const error = (await soap.getDescription('YGAS').catch((e: unknown) => e)) as X3Error;
		expect(error.kind).toBe('busy');
		expect(error.transient && error.notProcessed).toBe(true);
		expect(error.description).toMatch(/Number of Web services children/);
	});

	it('401 says what to check in nodelocal.js, without the password', async () => {
		nock('http://x3.test:8124').post(SOAP_PATH).reply(401, 'Unauthorized');
		const { client: soap } = client();
		const error = (await soap
			.read('YBPS', [{ key: 'BPSNUM', value: 'X' }])
			.catch((e: unknown) => e)) as X3Error;
		expect(error.kind).toBe('auth');
		expect(error.description).toMatch(/nodelocal\.js/);
		expect(
			JSON.stringify({
				message: error.message,
				description: error.description,
				context: error.context,
			}),
		).not.toContain('emulator-password');
	});

	// Changed with issue 13: the message text no longer decides; a query on the key confirms the absence
	// (x3SoapOutcomes.test.ts covers the languages and the answers that keep the refusal).
	it('readOrNull answers null when X3 refuses the read and a query on the key finds no row', async () => {
		nock('http://x3.test:8124')
			.post(SOAP_PATH, (body: string) => body.includes('<wss:read '))
			.reply(
				200,
				soapResponse({
					operation: 'read',
					status: 0,
					messages: [{ type: '3', message: 'BR404 : Record does not exist' }],
				}),
			)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query ') && body.includes('BR404'))
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: '[]' }));
		const { client: soap } = client();
		await expect(soap.readOrNull('YBPS', [{ key: 'BPSNUM', value: 'BR404' }])).resolves.toBeNull();
	});

	it('reads XML results when X3 answers in XML', async () => {
		nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({
					operation: 'read',
					status: 1,
					resultXml: '<RESULT><GRP ID="BPS0_1"><FLD NAME="BPSNUM">BR1</FLD></GRP></RESULT>',
					style: 'inline',
				}),
			);
		const { client: soap } = client();
		const result = await soap.read('YBPS', [{ key: 'BPSNUM', value: 'BR1' }]);
		expect(result.data).toEqual({ BPS0_1: { BPSNUM: 'BR1' } });
	});

	it('an unreadable body on HTTP 200 is a protocol-level HTTP error, not a crash', async () => {
		nock('http://x3.test:8124').post(SOAP_PATH).reply(200, '<html>proxy login</html>');
		const { client: soap } = client();
		await expect(soap.read('YBPS', [])).rejects.toMatchObject({ kind: 'http', statusCode: 200 });
	});
});
