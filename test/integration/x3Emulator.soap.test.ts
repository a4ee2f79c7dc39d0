import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { X3Emulator, startX3Emulator } from '../emulators/x3/server';
import {
	REFERENCE_DIR,
	WSDL_FILE,
	assertWsdlShape,
	basicAuth,
	faultString,
	parseSoapResult,
	postSoap,
	soapCall,
	soapEnvelope,
	xmlEscape,
} from '../emulators/x3/testkit';

const JSON_MODE = 'adxwss.optreturn=JSON&adxwss.beautify=false';
const XML_MODE = 'adxwss.optreturn=XML';

type Fields = Record<string, string>;

const HEADER: Fields = {
	TYP: 'BRX',
	FCY: 'FR011',
	ACCDAT: '20240131',
	CUR: 'EUR',
	REF: 'R-1',
	DESVCR: 'Brex card spend',
	BPRVCR: 'BRXE-TEST00001',
};
const LINES: Fields[] = [
	{ ACC: '625100', DEB: '120.50', CCE2: 'ENG', DES: 'BRXT-LINE00001 Uber' },
	{ ACC: '467100', CDT: '120.50' },
];

function gasJson(header: Fields = HEADER, lines: Fields[] = LINES): string {
	return JSON.stringify({ GAS0_1: header, GAS1_1: lines });
}

/** objectXml in the style of Sage's sample files: declaration, TYPE attributes, TAB DIM/SIZE, LIN NUM. */
function gasXml(header: Fields = HEADER, lines: Fields[] = LINES): string {
	const fld = (name: string, value: string) =>
		`      <FLD NAME="${name}" TYPE="Char">${xmlEscape(value)}</FLD>\n`;
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n<PARAM>\n  <GRP ID="GAS0_1">\n' +
		Object.entries(header)
			.map(([k, v]) => fld(k, v))
			.join('') +
		`  </GRP>\n  <TAB DIM="9999" ID="GAS1_1" SIZE="${lines.length}">\n` +
		lines
			.map(
				(line, i) =>
					`    <LIN NUM="${i + 1}">\n${Object.entries(line)
						.map(([k, v]) => fld(k, v))
						.join('')}    </LIN>\n`,
			)
			.join('') +
		'  </TAB>\n</PARAM>'
	);
}

const resultParser = new XMLParser({
	ignoreAttributes: false,
	parseTagValue: false,
	trimValues: false,
	htmlEntities: true,
	isArray: (name) => ['GRP', 'TAB', 'LIN', 'FLD', 'LST', 'ITM'].includes(name),
});

/* eslint-disable @typescript-eslint/no-explicit-any */
function fieldsOf(node: any): Fields {
	const out: Fields = {};
	for (const fld of node.FLD ?? [])
		out[fld['@_NAME']] = typeof fld === 'string' ? fld : (fld['#text'] ?? '');
	return out;
}

/** Reads a `<RESULT>` (XML mode) with fast-xml-parser into groups and tables. */
function readResultXml(text: string): {
	groups: Record<string, Fields>;
	tables: Record<string, Fields[]>;
	lines: Fields[];
} {
	const result = resultParser.parse(text).RESULT;
	const groups: Record<string, Fields> = {};
	const tables: Record<string, Fields[]> = {};
	for (const grp of result.GRP ?? []) groups[grp['@_ID']] = fieldsOf(grp);
	for (const tab of result.TAB ?? []) tables[tab['@_ID']] = (tab.LIN ?? []).map(fieldsOf);
	return { groups, tables, lines: (result.LIN ?? []).map(fieldsOf) };
}

/** Decodes XML text content independently of any library (predefined entities and numeric references). */
function decodeXmlText(raw: string): string {
	return raw.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_m, body: string) => {
		const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
		if (named[body]) return named[body];
		return String.fromCodePoint(
			body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10),
		);
	});
}

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({ seedOptions: { seed: 42, vendorCount: 40 } });
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.settings.soapStyle = 'multiRef';
	emulator.settings.resultCdata = false;
});

describe('transport and envelope', () => {
	test('serves the Syracuse WSDL from the reference folder with its address pointed at the emulator', async () => {
		const response = await fetch(
			`${emulator.url}/soap-wsdl/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC?wsdl`,
		);
		const wsdl = await response.text();
		expect(response.status).toBe(200);
		expect(wsdl).toContain(
			`location="${emulator.url}/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC"`,
		);
		const reference = readFileSync(WSDL_FILE, 'utf8');
		const withoutLocation = (text: string) => text.replace(/location="[^"]*"/, 'location=""');
		expect(withoutLocation(wsdl)).toBe(withoutLocation(reference));
	});

	test('answers 401 with an HTML page when Basic auth is missing or wrong', async () => {
		const envelope = soapEnvelope('getDescription', { publicName: 'YGAS' });
		for (const auth of [
			'',
			basicAuth('ADMIN', 'wrong'),
			basicAuth('NOBODY', 'emulator-password'),
		]) {
			const response = await postSoap(emulator.url, envelope, auth);
			expect(response.status).toBe(401);
			expect(response.headers.get('content-type')).toMatch(/text\/html/);
			expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
			expect(response.body).not.toContain('Envelope');
		}
	});

	test('an unknown pool alias is an HTTP 500 SOAP fault naming the alias', async () => {
		const response = await postSoap(
			emulator.url,
			soapEnvelope('getDescription', { publicName: 'YGAS', poolAlias: 'brex' }),
		);
		expect(response.status).toBe(500);
		expect(faultString(response.body)).toMatch(/Pool alias 'brex' not found/);
	});

	test('a malformed envelope is an HTTP 500 client fault', async () => {
		const response = await postSoap(emulator.url, '<soapenv:Envelope><soapenv:Body><wss:save>');
		expect(response.status).toBe(500);
		expect(faultString(response.body)).toMatch(/Malformed XML/);
	});

	test('accepts an Axis-style request whose callContext is an href to a multiRef', async () => {
		const result = await soapCall(emulator.url, 'getDescription', {
			publicName: 'YGAS',
			requestConfig: JSON_MODE,
			multiRefRequest: true,
		});
		expect(result.status).toBe(1);
	});
});

describe("Sage's own objectXml / inputXml samples", () => {
	const dir = join(REFERENCE_DIR, 'soap-tester-client-paramfiles');
	// WSITS files are placeholders ("This operation does not support SAVE"), not payloads.
	const samples = readdirSync(dir)
		.filter((name) => name.endsWith('.XML') && !name.includes('WSITS'))
		.map((name) => ({
			name,
			xml: readFileSync(join(dir, name), 'utf8'),
			json: readFileSync(join(dir, name.replace(/\.XML$/, '.JSON')), 'utf8'),
		}))
		.filter((sample) => sample.json.trim().length > 3);

	test('there are samples to check', () => {
		expect(samples.length).toBeGreaterThanOrEqual(8);
	});

	test.each(samples.map((s) => [s.name, s]))(
		'%s is accepted in XML and JSON form and both parse alike',
		async (_name, sample) => {
			const publicName = sample.name.split('__')[1];
			const operation = sample.name.startsWith('SubProgram') ? 'run' : 'save';
			const logged: any[] = [];
			for (const [payload, cdata] of [
				[sample.xml, false],
				[sample.json, true],
			] as const) {
				const result = await soapCall(emulator.url, operation, {
					publicName,
					payload,
					cdata,
					requestConfig: JSON_MODE,
				});
				// Not published in this folder: answered as X3 does, with status 0 and a message, after parsing.
				expect(result.status).toBe(0);
				expect(result.messages[0].message).toMatch(
					new RegExp(`Web service ${publicName} does not exist`),
				);
				logged.push(emulator.soapLog[emulator.soapLog.length - 1]);
			}
			const [fromXml, fromJson] = logged;
			expect(fromXml.payloadFormat).toBe('xml');
			expect(fromJson.payloadFormat).toBe('json');
			const idsInFile = [...sample.xml.matchAll(/<(?:GRP|TAB)\b[^>]*\bID="([^"]+)"/g)].map(
				(m) => m[1],
			);
			expect(fromXml.payload.map((b: any) => b.id)).toEqual(idsInFile);
			expect(fromJson.payload.map((b: any) => b.id)).toEqual(idsInFile);
			// Each form parses to what an independent reader finds in the file (Sage's XML and JSON twins differ in
			// a few values, so each is compared with its own file, not with the other).
			expect(byId(fromXml.payload)).toEqual(independentXml(sample.xml));
			expect(byId(fromJson.payload)).toEqual(independentJson(sample.json));
		},
	);
});

function byId(blocks: any[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const block of blocks)
		out[block.id] = block.kind === 'GRP' ? { GRP: block.fields } : { TAB: block.lines };
	return out;
}

const sampleParser = new XMLParser({
	ignoreAttributes: false,
	parseTagValue: false,
	trimValues: false,
	isArray: (name) => ['GRP', 'TAB', 'LIN', 'FLD', 'LST', 'ITM'].includes(name),
});

function independentXml(text: string): Record<string, unknown> {
	const param = sampleParser.parse(text.replace(/^\uFEFF/, '')).PARAM;
	const fields = (node: any): Record<string, string | string[]> => {
		const out: Record<string, string | string[]> = {};
		for (const fld of node.FLD ?? [])
			out[fld['@_NAME']] = typeof fld === 'string' ? fld : (fld['#text'] ?? '');
		for (const lst of node.LST ?? []) out[lst['@_NAME']] = (lst.ITM ?? []).map(String);
		return out;
	};
	const out: Record<string, unknown> = {};
	for (const grp of param.GRP ?? []) out[grp['@_ID']] = { GRP: fields(grp) };
	for (const tab of param.TAB ?? []) out[tab['@_ID']] = { TAB: (tab.LIN ?? []).map(fields) };
	return out;
}

function independentJson(text: string): Record<string, unknown> {
	// X3 holds every value as text: numbers in Sage's JSON files come back as their text.
	const data = JSON.parse(
		text.replace(/^\uFEFF/, '').replace(/,(\s*[}\]])/g, '$1'),
		(_key, value) => (typeof value === 'number' ? String(value) : value),
	);
	const out: Record<string, unknown> = {};
	for (const [id, value] of Object.entries<any>(data))
		out[id] = Array.isArray(value) ? { TAB: value } : { GRP: value };
	return out;
}

describe('journal entry save (GAS)', () => {
	test('a balanced entry returns status 1 and a document number in JSON and XML modes, multiRef and inline', async () => {
		const numbers: string[] = [];
		const cases = [
			{ style: 'multiRef', config: JSON_MODE, payload: gasJson(), cdataOut: false },
			{ style: 'multiRef', config: XML_MODE, payload: gasXml(), cdataOut: false },
			{ style: 'inline', config: JSON_MODE, payload: gasXml(), cdataOut: false },
			{ style: 'inline', config: XML_MODE, payload: gasJson(), cdataOut: false },
			{ style: 'multiRef', config: XML_MODE, payload: gasJson(), cdataOut: true },
		] as const;
		for (const c of cases) {
			emulator.settings.soapStyle = c.style;
			emulator.settings.resultCdata = c.cdataOut;
			const result = await soapCall(emulator.url, 'save', {
				publicName: 'YGAS',
				payload: c.payload,
				requestConfig: c.config,
			});
			expect(result.status).toBe(1);
			expect(result.http.body.includes('<multiRef')).toBe(c.style === 'multiRef');
			expect(result.http.body.includes('<![CDATA[')).toBe(c.cdataOut);
			let number: string;
			if (c.config === JSON_MODE) {
				const json = JSON.parse(result.resultXml!);
				number = json.GAS0_1.NUM;
				expect(json.GAS1_1).toHaveLength(2);
			} else {
				const xml = readResultXml(result.resultXml!);
				number = xml.groups.GAS0_1.NUM;
				expect(xml.tables.GAS1_1).toHaveLength(2);
			}
			expect(number).toMatch(/^BRX2024\d{6}$/);
			expect(result.technicalInfos.busy).toBe('false');
			numbers.push(number);
		}
		expect(numbers).toEqual([
			'BRX2024000001',
			'BRX2024000002',
			'BRX2024000003',
			'BRX2024000004',
			'BRX2024000005',
		]);
		expect(emulator.state.journalEntries.map((e) => e.documentNumber)).toEqual(numbers);
		expect(emulator.state.journalEntries[0].lines[0]).toMatchObject({
			account: '625100',
			debit: '120.50',
			dimensions: { DEP: 'ENG' },
		});
	});

	const failures: Array<[string, Fields, Fields[], RegExp[]]> = [
		[
			'unbalanced',
			HEADER,
			[{ ...LINES[0] }, { ACC: '467100', CDT: '100.00' }],
			[/^Unbalanced entry : debit 120\.50 credit 100\.00 EUR$/],
		],
		[
			'unknown account',
			HEADER,
			[LINES[0], { ACC: '999999', CDT: '120.50' }],
			[/^ACC\(2\) : Account 999999 : Record does not exist$/],
		],
		[
			'inactive account',
			HEADER,
			[LINES[0], { ACC: '471000', CDT: '120.50' }],
			[/^ACC\(2\) : Account 471000 : Inactive record$/],
		],
		[
			'unknown dimension',
			HEADER,
			[{ ...LINES[0], CCE2: 'NOPE' }, LINES[1]],
			[/^CCE2\(1\) : Dimension DEP NOPE : Record does not exist$/],
		],
		[
			'dimension of the wrong type',
			HEADER,
			[{ ...LINES[0], CCE1: 'ENG' }, LINES[1]],
			[/^CCE1\(1\) : Dimension CCT ENG : Record does not exist$/],
		],
		[
			'required dimension missing',
			HEADER,
			[{ ACC: '625100', DEB: '120.50' }, LINES[1]],
			[/^CCE2\(1\) : Dimension type DEP is mandatory for account 625100$/],
		],
		['missing accounting date', { ...HEADER, ACCDAT: '' }, LINES, [/^ACCDAT : Mandatory field$/]],
		[
			'missing entry type',
			(({ TYP: _t, ...rest }) => rest)(HEADER),
			LINES,
			[/^TYP : Mandatory field$/],
		],
		[
			'invalid date',
			{ ...HEADER, ACCDAT: '20240230' },
			LINES,
			[/^ACCDAT : 20240230 : Invalid date/],
		],
		[
			'unknown site',
			{ ...HEADER, FCY: 'XX999' },
			LINES,
			[/^FCY : Site XX999 : Record does not exist$/],
		],
		[
			'unknown currency',
			{ ...HEADER, CUR: 'ZZZ' },
			LINES,
			[/^CUR : Currency ZZZ : Record does not exist$/],
		],
		[
			'debit and credit on one line',
			HEADER,
			[{ ...LINES[0], CDT: '1.00' }, LINES[1]],
			[/^Line 1 : Debit and credit both entered/],
		],
		['no amount', HEADER, [LINES[0], { ACC: '467100' }], [/^Line 2 : Amount missing/]],
		[
			'more decimals than the currency has',
			HEADER,
			[
				{ ...LINES[0], DEB: '120.505' },
				{ ACC: '467100', CDT: '120.505' },
			],
			[
				/^DEB\(1\) : 120\.505 : 3 decimals, currency EUR allows 2$/,
				/^CDT\(2\) : 120\.505 : 3 decimals/,
			],
		],
		[
			'decimals on a zero-decimal currency',
			{ ...HEADER, CUR: 'JPY' },
			[
				{ ...LINES[0], DEB: '1000.5' },
				{ ACC: '467100', CDT: '1000.5' },
			],
			[/currency JPY allows 0/, /currency JPY allows 0/],
		],
		['a single line', HEADER, [LINES[0]], [/^GAS1_1 : At least 2 lines are required/]],
		[
			'a field the publication does not have',
			{ ...HEADER, ZZZ: 'x' },
			LINES,
			[/^ZZZ : Field not found in block GAS0_1$/],
		],
		[
			'two problems at once',
			{ ...HEADER, ACCDAT: '' },
			[LINES[0], { ACC: '999999', CDT: '120.50' }],
			[/^ACCDAT : Mandatory field$/, /^ACC\(2\) : Account 999999 : Record does not exist$/],
		],
	];

	test.each(failures)(
		'%s: status 0 with one X3-style message per problem, nothing saved',
		async (_label, header, lines, expected) => {
			for (const payload of [gasJson(header, lines), gasXml(header, lines)]) {
				const result = await soapCall(emulator.url, 'save', {
					publicName: 'YGAS',
					payload,
					requestConfig: JSON_MODE,
				});
				expect(result.status).toBe(0);
				expect(result.resultXml).toBeNull();
				const errors = result.messages.filter((m) => m.type === '3').map((m) => m.message);
				expect(errors).toHaveLength(expected.length);
				expected.forEach((pattern, i) => expect(errors[i]).toMatch(pattern));
			}
			expect(emulator.state.journalEntries).toHaveLength(0);
		},
	);

	test('a value longer than its field is cut to the field length with a warning, as X3 stores it', async () => {
		const result = await soapCall(emulator.url, 'save', {
			publicName: 'YGAS',
			payload: gasJson({ ...HEADER, BPRVCR: 'BRXE-0123456789ABCDEFGHJK' }),
			requestConfig: JSON_MODE,
		});
		expect(result.status).toBe(1);
		expect(result.messages).toEqual([
			{ type: '2', message: 'BPRVCR : Value truncated to 20 characters' },
		]);
		expect(emulator.state.journalEntries[0].traceValue).toBe('BRXE-0123456789ABCDE');
	});
});

describe('strings round-trip verbatim', () => {
	// Quotes, markup, a CDATA terminator, emoji, right-to-left text, C0 controls, DEL, tab, CR, LF, trailing spaces.
	const hostileLine = `"q" 'a' <b>&amp; ]]> 😀 עברית مرحبا \u0001\u001f\u007f\t\r\n end  `;
	const hostileHeader = `<x>&"'\r\n]]>😀\u0002 `;
	const header = { ...HEADER, DESVCR: hostileHeader };
	const lines = [{ ...LINES[0], DES: hostileLine }, LINES[1]];

	const encodings = [
		['JSON in CDATA', () => gasJson(header, lines), true],
		['JSON escaped', () => gasJson(header, lines), false],
		['XML escaped', () => gasXml(header, lines), false],
		['XML in CDATA', () => gasXml(header, lines), true],
	] as const;

	test.each(encodings)(
		'save as %s, read back as JSON, XML and CDATA',
		async (_label, payload, cdata) => {
			expect(Array.from(hostileLine).length).toBeLessThanOrEqual(50);
			const saved = await soapCall(emulator.url, 'save', {
				publicName: 'YGAS',
				payload: payload(),
				cdata,
				requestConfig: JSON_MODE,
			});
			expect(saved.messages).toEqual([]);
			expect(saved.status).toBe(1);
			const entry = emulator.state.journalEntries[0];
			expect(entry.lines[0].description).toBe(hostileLine);
			expect(entry.description).toBe(hostileHeader);
			const keys = [
				{ key: 'TYP', value: 'BRX' },
				{ key: 'NUM', value: entry.documentNumber },
			];

			const asJson = await soapCall(emulator.url, 'read', {
				publicName: 'YGAS',
				keys,
				requestConfig: JSON_MODE,
			});
			const json = JSON.parse(asJson.resultXml!);
			expect(json.GAS1_1[0].DES).toBe(hostileLine);
			expect(json.GAS0_1.DESVCR).toBe(hostileHeader);

			for (const cdataOut of [false, true]) {
				emulator.settings.resultCdata = cdataOut;
				const asXml = await soapCall(emulator.url, 'read', {
					publicName: 'YGAS',
					keys,
					requestConfig: XML_MODE,
				});
				const raw = asXml.resultXml!;
				expect(raw).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\r]/);
				const des = /<FLD NAME="DES" TYPE="Char">([^<]*)<\/FLD>/.exec(raw)![1];
				const desvcr = /<FLD NAME="DESVCR" TYPE="Char">([^<]*)<\/FLD>/.exec(raw)![1];
				expect(decodeXmlText(des)).toBe(hostileLine);
				expect(decodeXmlText(desvcr)).toBe(hostileHeader);
			}
		},
	);

	test('supplier names round-trip through save, read and a case-insensitive name query', async () => {
		const name = `Ünïcødé "&<>]]>' Café 😀`;
		const saved = await soapCall(emulator.url, 'save', {
			publicName: 'YBPS',
			payload: JSON.stringify({ BPS0_1: { BPSNUM: 'HOSTILE1', BPSNAM: name, BSGCOD: 'SUPFR' } }),
			cdata: true,
			requestConfig: JSON_MODE,
		});
		expect(saved.status).toBe(1);
		const read = await soapCall(emulator.url, 'read', {
			publicName: 'YBPS',
			keys: [{ key: 'BPSNUM', value: 'HOSTILE1' }],
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(read.resultXml!).BPS0_1.BPSNAM).toBe(name);
		const query = await soapCall(emulator.url, 'query', {
			publicName: 'YBPS',
			keys: [{ key: 'BPSNAM', value: 'üNÏCØDÉ "&*' }],
			listSize: 10,
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(query.resultXml!).map((r: Fields) => r.BPSNUM)).toEqual(['HOSTILE1']);
	});
});

describe('read and query', () => {
	async function post(trace: string, lineTrace: string): Promise<string> {
		const result = await soapCall(emulator.url, 'save', {
			publicName: 'YGAS',
			payload: gasJson({ ...HEADER, BPRVCR: trace }, [
				{ ...LINES[0], DES: `${lineTrace} taxi` },
				LINES[1],
			]),
			requestConfig: JSON_MODE,
		});
		expect(result.status).toBe(1);
		return JSON.parse(result.resultXml!).GAS0_1.NUM;
	}

	test('journal entries: read by entry type + number, query by trace field and by line trace prefix', async () => {
		const first = await post('BRXE-AAA00000001', 'BRXT-LINE1');
		const second = await post('BRXE-AAB00000002', 'BRXT-LINE2');

		const read = await soapCall(emulator.url, 'read', {
			publicName: 'YGAS',
			keys: [
				{ key: 'TYP', value: 'BRX' },
				{ key: 'NUM', value: second },
			],
			requestConfig: XML_MODE,
		});
		expect(readResultXml(read.resultXml!).groups.GAS0_1).toMatchObject({
			NUM: second,
			BPRVCR: 'BRXE-AAB00000002',
		});

		const missing = await soapCall(emulator.url, 'read', {
			publicName: 'YGAS',
			keys: [
				{ key: 'TYP', value: 'BRX' },
				{ key: 'NUM', value: 'BRX2024999999' },
			],
			requestConfig: JSON_MODE,
		});
		expect(missing.status).toBe(0);
		expect(missing.messages[0].message).toBe(
			'Journal entry BRX BRX2024999999 : Record does not exist',
		);

		const query = async (keys: Array<{ key: string; value: string }>, listSize = 20) => {
			const result = await soapCall(emulator.url, 'query', {
				publicName: 'YGAS',
				keys,
				listSize,
				requestConfig: XML_MODE,
			});
			expect(result.status).toBe(1);
			return readResultXml(result.resultXml!).lines;
		};
		expect((await query([{ key: 'BPRVCR', value: 'BRXE-AA*' }])).map((r) => r.NUM)).toEqual([
			first,
			second,
		]);
		expect((await query([{ key: 'BPRVCR', value: 'BRXE-AAB00000002' }])).map((r) => r.NUM)).toEqual(
			[second],
		);
		expect(await query([{ key: 'BPRVCR', value: 'BRXE-AA' }])).toEqual([]);
		const byLine = await query([{ key: 'DES', value: 'BRXT-LINE1*' }]);
		expect(byLine.map((r) => [r.NUM, r.BPRVCR])).toEqual([[first, 'BRXE-AAA00000001']]);
		expect(await query([{ key: 'BPRVCR', value: 'BRXE-*' }], 1)).toHaveLength(1);
	});

	test('suppliers: save with code or numbered, duplicate refused, read, query with prefix, case and listSize', async () => {
		const save = (fields: Fields) =>
			soapCall(emulator.url, 'save', {
				publicName: 'YBPS',
				payload: JSON.stringify({ BPS0_1: fields }),
				requestConfig: JSON_MODE,
			});
		const created = await save({
			BPSNUM: 'NEW001',
			BPSNAM: 'Zeta Widgets',
			BSGCOD: 'SUPUS',
			CRY: 'US',
		});
		expect(created.status).toBe(1);
		expect(JSON.parse(created.resultXml!).BPS0_1).toMatchObject({
			BPSNUM: 'NEW001',
			CUR: 'USD',
			ENAFLG: '2',
		});

		const duplicate = await save({ BPSNUM: 'NEW001', BPSNAM: 'Again', BSGCOD: 'SUPUS' });
		expect(duplicate.status).toBe(0);
		expect(duplicate.messages.map((m) => m.message)).toEqual([
			'BPSNUM : Supplier NEW001 : Record already exists',
		]);

		const numbered = await save({ BPSNAM: 'Numbered Ltd', BSGCOD: 'SUPFR' });
		expect(JSON.parse(numbered.resultXml!).BPS0_1.BPSNUM).toBe('S000001');

		const noCategory = await save({ BPSNAM: 'No Category' });
		expect(noCategory.messages.map((m) => m.message)).toEqual(['BSGCOD : Mandatory field']);

		const read = await soapCall(emulator.url, 'read', {
			publicName: 'YBPS',
			keys: [{ key: 'BPSNUM', value: 'BRX00001' }],
			requestConfig: XML_MODE,
		});
		expect(readResultXml(read.resultXml!).groups.BPS0_1).toMatchObject({
			BPSNUM: 'BRX00001',
			BPSNAM: 'Acme Corp',
		});

		const query = async (keys: Array<{ key: string; value: string }>, listSize: number) => {
			const result = await soapCall(emulator.url, 'query', {
				publicName: 'YBPS',
				keys,
				listSize,
				requestConfig: JSON_MODE,
			});
			return JSON.parse(result.resultXml!) as Fields[];
		};
		expect((await query([{ key: 'BPSNAM', value: 'acme*' }], 20)).map((s) => s.BPSNAM)).toEqual([
			'Acme Corp',
			'Acme Inc',
		]);
		expect((await query([{ key: 'BPSNAM', value: 'ACME CORP' }], 20)).map((s) => s.BPSNUM)).toEqual(
			['BRX00001'],
		);
		expect(await query([{ key: 'BPSNUM', value: 'BRX*' }], 5)).toHaveLength(5);
		expect(await query([{ key: 'BPSNUM', value: 'brx00001' }], 5)).toEqual([]);

		const badKey = await soapCall(emulator.url, 'query', {
			publicName: 'YBPS',
			keys: [{ key: 'NOPE', value: 'x' }],
			listSize: 5,
			requestConfig: JSON_MODE,
		});
		expect(badKey.status).toBe(0);
		expect(badKey.messages[0].message).toBe('NOPE : Unknown field in selection criteria');
	});

	test('accounts and dimensions: read by key and query', async () => {
		const account = await soapCall(emulator.url, 'read', {
			publicName: 'YGAC',
			keys: [{ key: 'ACC', value: '625100' }],
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(account.resultXml!).GAC0_1).toMatchObject({
			COA: 'CA_FRA',
			ACC: '625100',
			ENAFLG: '2',
			DIE: ['CCT', 'DEP', 'PRJ'],
			OBYIPT: ['1', '2', '1'],
		});
		const dims = await soapCall(emulator.url, 'query', {
			publicName: 'YCCE',
			keys: [{ key: 'DIE', value: 'DEP' }],
			listSize: 50,
			requestConfig: XML_MODE,
		});
		expect(readResultXml(dims.resultXml!).lines.map((d) => d.CCE)).toEqual([
			'ENG',
			'FIN',
			'MKT',
			'OLD',
			'OPS',
			'SAL',
		]);
		const dim = await soapCall(emulator.url, 'read', {
			publicName: 'YCCE',
			keys: [
				{ key: 'DIE', value: 'CCT' },
				{ key: 'CCE', value: 'CC-PAR' },
			],
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(dim.resultXml!).CCE0_1).toMatchObject({
			DIE: 'CCT',
			CCE: 'CC-PAR',
			DES: 'Paris',
		});
	});
});

describe('other operations', () => {
	test('getDescription lists blocks and fields with GESAWE-like metadata, in XML and JSON', async () => {
		const asJson = await soapCall(emulator.url, 'getDescription', {
			publicName: 'YGAS',
			requestConfig: JSON_MODE,
		});
		const description = JSON.parse(asJson.resultXml!).ADXDESC;
		expect(description).toMatchObject({ PUBLI: 'YGAS', OBJET: 'GAS', TYPOBJ: '1' });
		expect(description.GRP.map((g: any) => [g.ID, g.TYPE])).toEqual([
			['GAS0_1', 'GRP'],
			['GAS1_1', 'TAB'],
		]);
		const lineFields = description.GRP[1].FLD.map((f: any) => f.NAME);
		expect(lineFields).toEqual(
			expect.arrayContaining(['ACC', 'DEB', 'CDT', 'CCE1', 'CCE2', 'CCE3', 'DES']),
		);
		expect(description.GRP[0].FLD.find((f: any) => f.NAME === 'BPRVCR')).toMatchObject({
			TYPE: 'Char',
			LONCHP: '20',
		});

		const asXml = await soapCall(emulator.url, 'getDescription', {
			publicName: 'YBPS',
			requestConfig: XML_MODE,
		});
		expect(asXml.resultXml).toMatch(/^<ADXDESC PUBLI="YBPS" OBJET="BPS"/);
		expect(asXml.resultXml).toContain('<FLD NAME="BPSNAM" TYPE="Char"');
	});

	test('run YPING echoes its input with the user, folder and pool (the cheap credential check)', async () => {
		const result = await soapCall(emulator.url, 'run', {
			publicName: 'YPING',
			payload: '<PARAM><GRP ID="GRP1"><FLD NAME="I_TEXT">hello &amp; bye</FLD></GRP></PARAM>',
			requestConfig: JSON_MODE,
		});
		expect(result.status).toBe(1);
		expect(JSON.parse(result.resultXml!).GRP1).toMatchObject({
			O_TEXT: 'hello & bye',
			O_USER: 'ADMIN',
			O_FOLDER: 'SEED',
			O_POOL: 'BREX',
		});
	});

	test('modify and delete', async () => {
		const save = await soapCall(emulator.url, 'save', {
			publicName: 'YGAS',
			payload: gasJson(),
			requestConfig: JSON_MODE,
		});
		const num = JSON.parse(save.resultXml!).GAS0_1.NUM;
		const keys = [
			{ key: 'TYP', value: 'BRX' },
			{ key: 'NUM', value: num },
		];
		const modified = await soapCall(emulator.url, 'modify', {
			publicName: 'YGAS',
			keys,
			payload: JSON.stringify({ GAS0_1: { DESVCR: 'Changed' } }),
			requestConfig: JSON_MODE,
		});
		expect(modified.status).toBe(1);
		expect(emulator.state.journalEntries[0].description).toBe('Changed');
		const unbalancing = await soapCall(emulator.url, 'modify', {
			publicName: 'YGAS',
			keys,
			payload: JSON.stringify({ GAS1_1: [LINES[0], { ACC: '467100', CDT: '1.00' }] }),
			requestConfig: JSON_MODE,
		});
		expect(unbalancing.status).toBe(0);
		expect(unbalancing.messages[0].message).toMatch(/^Unbalanced entry/);

		const deleted = await soapCall(emulator.url, 'delete', {
			publicName: 'YGAS',
			keys,
			requestConfig: JSON_MODE,
		});
		expect(deleted.status).toBe(1);
		expect(emulator.state.journalEntries).toHaveLength(0);

		const renamed = await soapCall(emulator.url, 'modify', {
			publicName: 'YBPS',
			keys: [{ key: 'BPSNUM', value: 'BRX00002' }],
			payload: '<PARAM><GRP ID="BPS0_1"><FLD NAME="BPSNAM">Globex Renamed</FLD></GRP></PARAM>',
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(renamed.resultXml!).BPS0_1.BPSNAM).toBe('Globex Renamed');
	});

	test('an unknown publication is status 0 with a clear message', async () => {
		const result = await soapCall(emulator.url, 'read', {
			publicName: 'ZNOPE',
			keys: [{ key: 'X', value: 'y' }],
			requestConfig: JSON_MODE,
		});
		expect(result.status).toBe(0);
		expect(result.messages).toEqual([
			{ type: '3', message: 'Web service ZNOPE does not exist (not published)' },
		]);
	});

	test('trace requested in requestConfig comes back in technicalInfos.traceRequest', async () => {
		const result = await soapCall(emulator.url, 'getDescription', {
			publicName: 'YCCE',
			requestConfig: 'adxwss.optreturn=JSON&adxwss.trace.on=on&adxwss.trace.size=16384',
		});
		expect(result.technicalInfos.traceRequest).toMatch(/getDescription YCCE user=ADMIN/);
		expect(Number(result.technicalInfos.traceRequestSize)).toBe(
			result.technicalInfos.traceRequest!.length,
		);
	});

	test('every response parses against the WSDL, including failures', async () => {
		// soapCall already checks each response; this covers a response with messages in both styles.
		for (const style of ['multiRef', 'inline'] as const) {
			emulator.settings.soapStyle = style;
			const http = await postSoap(
				emulator.url,
				soapEnvelope('save', {
					publicName: 'YGAS',
					payload: gasJson({ ...HEADER, ACCDAT: '' }),
					requestConfig: JSON_MODE,
				}),
			);
			const parsed = parseSoapResult(http.body, 'save');
			assertWsdlShape(parsed, 'save');
			expect(parsed.shape.message).toHaveLength(1);
			expect(parsed.messages[0]).toEqual({ type: '3', message: 'ACCDAT : Mandatory field' });
		}
	});
});
