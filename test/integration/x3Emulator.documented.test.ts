/**
 * The X3 emulator's `documented` personality over HTTP: fixed publications that do not follow the client's
 * layout, query answers with left-list columns only, criteria outside the left list ignored, messages in the
 * session language, GAS keyed by TYP + NUM, lengths enforced, unknown fields refused. Requests are hand-built
 * (testkit), answers read with fast-xml-parser / JSON.parse, never with the product's transport code.
 */

import { XMLParser } from 'fast-xml-parser';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import {
	GAS_LEFT_LIST_STANDARD,
	GAS_LEFT_LIST_WITH_TRACE,
	X3Emulator,
	X3EmulatorOptions,
	graphql,
	personalityFromEnv,
	restGet,
	soapCall,
	startX3Emulator,
} from '../emulators/x3/testkit';

const JSON_MODE = 'adxwss.optreturn=JSON';
const XML_MODE = 'adxwss.optreturn=XML';

type Fields = Record<string, string>;
/* eslint-disable @typescript-eslint/no-explicit-any */

const HEADER: Fields = {
	TYP: 'BRX',
	FCY: 'FR011',
	ACCDAT: '20240131',
	CUR: 'EUR',
	DESVCR: 'Brex card spend',
	BPRVCR: 'BRXE-TRACE0001',
};

/** A documented GAS payload: lines without dimensions, the DEP dimension (CCE2) in the analytics table. */
function gasJson(header: Fields, lineDescription = 'BRXT-LINE00001 Uber'): string {
	return JSON.stringify({
		GAS0_1: header,
		GAS1_1: [
			{ ACC: '625100', DEB: '120.50', DES: lineDescription },
			{ ACC: '467100', CDT: '120.50' },
		],
		GAS2_1: [{ LIN: '1', CCE2: 'ENG' }],
	});
}

/** Sage's customer sample shape (BPC) for a supplier: code/name/category, partner block, address table. */
function supplierJson(code: string, name: string, withAddress = true): string {
	return JSON.stringify({
		BPS0_1: { BSGCOD: 'SUPUS', BPSNUM: code, BPSNAM: name },
		BPRC_1: { BPRSHO: 'SHORT', CRY: 'US', CUR: 'USD' },
		...(withAddress ? { BPAC_1: [{ CODADR: 'HQ', BPACRY: 'US', BPAADDFLG: '2' }] } : {}),
	});
}

async function start(options: X3EmulatorOptions = {}): Promise<X3Emulator> {
	return await startX3Emulator({ personality: 'documented', ...options });
}

async function save(emulator: X3Emulator, publicName: string, payload: string, codeLang?: string) {
	return await soapCall(emulator.url, 'save', {
		publicName,
		requestConfig: JSON_MODE,
		payload,
		codeLang,
	});
}

async function query(
	emulator: X3Emulator,
	publicName: string,
	keys: Array<{ key: string; value: string }>,
): Promise<Fields[]> {
	const result = await soapCall(emulator.url, 'query', {
		publicName,
		requestConfig: JSON_MODE,
		keys,
		listSize: 50,
	});
	expect(result.status).toBe(1);
	return JSON.parse(result.resultXml!);
}

async function saveEntry(emulator: X3Emulator, trace: string, line: string): Promise<string> {
	const result = await save(emulator, 'YGAS', gasJson({ ...HEADER, BPRVCR: trace }, line));
	expect(result.messages).toEqual([]);
	expect(result.status).toBe(1);
	return JSON.parse(result.resultXml!).GAS0_1.NUM;
}

describe('documented personality: fixed publications and getDescription', () => {
	let emulator: X3Emulator;
	beforeAll(async () => {
		// A client layout that renames everything: the documented publications must not follow it.
		emulator = await start({
			layout: {
				...DEFAULT_X3_LAYOUT,
				journalEntry: {
					...DEFAULT_X3_LAYOUT.journalEntry,
					headerBlock: 'ZGAS0',
					linesBlock: 'ZGAS1',
					fields: { ...DEFAULT_X3_LAYOUT.journalEntry.fields, debit: 'ZDEB', traceField: 'ZTRACE' },
				},
				supplier: { ...DEFAULT_X3_LAYOUT.supplier, block: 'ZBPS' },
			},
		});
	});
	afterAll(async () => await emulator.close());

	async function describe_(publicName: string): Promise<any> {
		const result = await soapCall(emulator.url, 'getDescription', {
			publicName,
			requestConfig: JSON_MODE,
		});
		expect(result.status).toBe(1);
		return JSON.parse(result.resultXml!).ADXDESC;
	}
	const field = (desc: any, name: string) =>
		desc.GRP.flatMap((block: any) => block.FLD).find((f: any) => f.NAME === name);
	const blockOf = (desc: any, name: string) => field(desc, name)?.GRP;

	test('GAS: header, lines and analytics blocks with the documented lengths, whatever the layout says', async () => {
		const desc = await describe_('YGAS');
		expect(desc.OBJET).toBe('GAS');
		expect(desc.GRP.map((block: any) => [block.ID, block.TYPE])).toEqual([
			['GAS0_1', 'GRP'],
			['GAS1_1', 'TAB'],
			['GAS2_1', 'TAB'],
		]);
		expect(field(desc, 'BPRVCR')).toMatchObject({ GRP: 'GAS0_1', LONCHP: '20', TYPE: 'Char' });
		expect(field(desc, 'REFINT')).toMatchObject({ GRP: 'GAS0_1', LONCHP: '25' });
		expect(field(desc, 'DES')).toMatchObject({ GRP: 'GAS1_1', LONCHP: '30' });
		expect(field(desc, 'TYP').MANDATORY).toBe('2');
		expect(field(desc, 'ACC').MANDATORY).toBe('2');
		expect(field(desc, 'REF').MANDATORY).toBe('1');
		expect(blockOf(desc, 'DEB')).toBe('GAS1_1');
		expect(blockOf(desc, 'CCE2')).toBe('GAS2_1');
		expect(blockOf(desc, 'LIN')).toBe('GAS2_1');
		// Nothing of the client's layout leaked in.
		for (const name of ['ZDEB', 'ZTRACE']) expect(field(desc, name)).toBeUndefined();
		expect(desc.GRP.map((block: any) => block.ID)).not.toContain('ZGAS0');
	});

	test("BPS: Sage's supplier split over a main block, a business-partner block and an address table", async () => {
		const desc = await describe_('YBPS');
		expect(desc.GRP.map((block: any) => [block.ID, block.TYPE, block.DIM])).toEqual([
			['BPS0_1', 'GRP', '1'],
			['BPRC_1', 'GRP', '1'],
			['BPAC_1', 'TAB', '30'],
		]);
		expect(blockOf(desc, 'BPSNAM')).toBe('BPS0_1');
		expect(blockOf(desc, 'BPRSHO')).toBe('BPRC_1');
		expect(blockOf(desc, 'CRY')).toBe('BPRC_1');
		expect(blockOf(desc, 'CUR')).toBe('BPRC_1');
		expect(blockOf(desc, 'CODADR')).toBe('BPAC_1');
		expect(field(desc, 'BPRNAM').DIM).toBe('2');
		expect(field(desc, 'BSGCOD').MANDATORY).toBe('2');
		// The lenient emulator's guesses are not there.
		expect(field(desc, 'BPSSHO')).toBeUndefined();
		expect(field(desc, 'BPAADD')).toBeUndefined();
	});

	test('GAC and CCE: the table columns of GACCOUNT and CACCE, in XML as well', async () => {
		const gac = await describe_('YGAC');
		expect(gac.GRP[0].FLD.map((f: any) => f.NAME)).toEqual([
			'COA',
			'ACC',
			'DES',
			'DESSHO',
			'ENAFLG',
			'DIE',
			'OBYIPT',
			'UPDDATTIM',
		]);
		expect(field(gac, 'DIE').DIM).toBe('3');
		const cce = await describe_('YCCE');
		expect(cce.GRP[0].FLD.map((f: any) => f.NAME)).toEqual([
			'DIE',
			'CCE',
			'DES',
			'DESSHO',
			'ENAFLG',
			'UPDDATTIM',
		]);
		const xml = await soapCall(emulator.url, 'getDescription', {
			publicName: 'YGAS',
			requestConfig: XML_MODE,
		});
		const doc = new XMLParser({ ignoreAttributes: false }).parse(xml.resultXml!);
		expect(doc.ADXDESC['@_OBJET']).toBe('GAS');
		expect(doc.ADXDESC.TAB.map((tab: any) => tab['@_ID'])).toEqual(['GAS1_1', 'GAS2_1']);
	});

	test('the emulator reports the fixed names it works with, not the layout it was given', () => {
		expect(emulator.behaviour.personality).toBe('documented');
		expect(emulator.layout.journalEntry.headerBlock).toBe('GAS0_1');
		expect(emulator.layout.journalEntry.fields.debit).toBe('DEB');
	});
});

describe('documented personality: saves', () => {
	let emulator: X3Emulator;
	beforeAll(async () => (emulator = await start()));
	afterAll(async () => await emulator.close());
	beforeEach(() => emulator.reset());

	test('dimensions on the entry line (the lenient layout) are refused: analytics are a block of their own', async () => {
		const payload = JSON.stringify({
			GAS0_1: HEADER,
			GAS1_1: [
				{ ACC: '625100', DEB: '120.50', CCE2: 'ENG' },
				{ ACC: '467100', CDT: '120.50' },
			],
		});
		const result = await save(emulator, 'YGAS', payload);
		expect(result.status).toBe(0);
		expect(result.resultXml).toBeNull();
		expect(result.messages.map((m) => m.message)).toContain(
			'CCE2(1) : Field not found in block GAS1_1',
		);
		expect(emulator.state.journalEntries).toHaveLength(0);
	});

	test('a documented entry saves; read by TYP + NUM returns its analytics block', async () => {
		const num = await saveEntry(emulator, 'BRXE-TRACE0001', 'BRXT-LINE00001 Uber');
		expect(emulator.ledger().entries[0].lines[0].dimensions).toEqual({ DEP: 'ENG' });
		const read = await soapCall(emulator.url, 'read', {
			publicName: 'YGAS',
			requestConfig: JSON_MODE,
			keys: [
				{ key: 'TYP', value: 'BRX' },
				{ key: 'NUM', value: num },
			],
		});
		expect(read.status).toBe(1);
		const result = JSON.parse(read.resultXml!);
		expect(result.GAS0_1.BPRVCR).toBe('BRXE-TRACE0001');
		expect(result.GAS1_1[0]).not.toHaveProperty('CCE2');
		expect(result.GAS2_1).toEqual([{ LIN: '1', CCE1: '', CCE2: 'ENG', CCE3: '' }]);
	});

	test('the mandatory dimension checked through the analytics block', async () => {
		const payload = JSON.stringify({
			GAS0_1: HEADER,
			GAS1_1: [
				{ ACC: '625100', DEB: '120.50' },
				{ ACC: '467100', CDT: '120.50' },
			],
			GAS2_1: [{ LIN: '3', CCE2: 'ENG' }],
		});
		const result = await save(emulator, 'YGAS', payload);
		expect(result.status).toBe(0);
		const texts = result.messages.map((m) => m.message);
		expect(texts).toContain('LIN(1) : Line 3 : Record does not exist');
		expect(texts).toContain('CCE2(1) : Dimension type DEP is mandatory for account 625100');
	});

	test('a field the publication does not have is refused with status 0, nothing saved', async () => {
		const result = await save(emulator, 'YGAS', gasJson({ ...HEADER, ZTRACE: 'x' }));
		expect(result.status).toBe(0);
		expect(result.messages.map((m) => m.message)).toEqual([
			'ZTRACE : Field not found in block GAS0_1',
		]);
		expect(emulator.state.journalEntries).toHaveLength(0);
	});

	test('lengths are enforced: one character over the field refuses the save, the exact length passes', async () => {
		const over = await save(emulator, 'YGAS', gasJson({ ...HEADER, BPRVCR: 'B'.repeat(21) }));
		expect(over.status).toBe(0);
		expect(over.messages.map((m) => m.message)).toEqual([
			'BPRVCR : Value too long (21 characters, 20 max)',
		]);
		const longLine = await save(emulator, 'YGAS', gasJson(HEADER, 'L'.repeat(31)));
		expect(longLine.status).toBe(0);
		expect(longLine.messages[0].message).toBe('DES(1) : Value too long (31 characters, 30 max)');
		expect(emulator.state.journalEntries).toHaveLength(0);
		await saveEntry(emulator, 'B'.repeat(20), 'L'.repeat(30));
		expect(emulator.ledger().entries[0].traceId).toBe('B'.repeat(20));
	});

	test('overLength "truncate": the value is cut to the field without a word', async () => {
		const cutting = await start({ overLength: 'truncate' });
		try {
			const result = await save(cutting, 'YGAS', gasJson({ ...HEADER, BPRVCR: 'C'.repeat(25) }));
			expect(result.status).toBe(1);
			expect(result.messages).toEqual([]);
			expect(cutting.ledger().entries[0].traceId).toBe('C'.repeat(20));
		} finally {
			await cutting.close();
		}
	});

	test("a supplier saves in Sage's block split; one block holding everything is refused", async () => {
		const flat = JSON.stringify({
			BPS0_1: { BPSNUM: 'NEW01', BPSNAM: 'Flat Co', BPSSHO: 'FLAT', BSGCOD: 'SUPUS', CRY: 'US' },
		});
		const refused = await save(emulator, 'YBPS', flat);
		expect(refused.status).toBe(0);
		expect(refused.messages.map((m) => m.message)).toEqual(
			expect.arrayContaining([
				'BPSSHO : Field not found in block BPS0_1',
				'CRY : Field not found in block BPS0_1',
			]),
		);
		expect(emulator.state.suppliers.has('NEW01')).toBe(false);

		const noAddress = await save(emulator, 'YBPS', supplierJson('NEW02', 'No Address Co', false));
		expect(noAddress.status).toBe(0);
		expect(noAddress.messages[0].message).toBe(
			'BPAC_1 : At least one address is required (CODADR)',
		);

		const saved = await save(emulator, 'YBPS', supplierJson('NEW03', 'Split Co'));
		expect(saved.status).toBe(1);
		const result = JSON.parse(saved.resultXml!);
		expect(result.BPS0_1).toMatchObject({ BPSNUM: 'NEW03', BPSNAM: 'Split Co', BSGCOD: 'SUPUS' });
		expect(result.BPRC_1).toMatchObject({ BPRSHO: 'SHORT', CRY: 'US', CUR: 'USD' });
		expect(result.BPAC_1[0]).toMatchObject({ CODADR: 'HQ', BPAADDFLG: '2' });
		expect(emulator.state.suppliers.get('NEW03')).toMatchObject({
			name: 'Split Co',
			shortName: 'SHORT',
			country: 'US',
			currency: 'USD',
			addressCode: 'HQ',
		});
	});
});

describe('documented personality: query answers the left list and ignores other criteria', () => {
	let emulator: X3Emulator;
	let withTrace: X3Emulator;
	beforeAll(async () => {
		emulator = await start();
		withTrace = await start({ gasLeftList: GAS_LEFT_LIST_WITH_TRACE });
		for (const x3 of [emulator, withTrace]) {
			await saveEntry(x3, 'BRXE-AAAA', 'BRXT-AAAA first');
			await saveEntry(x3, 'BRXE-BBBB', 'BRXT-BBBB second');
		}
	});
	afterAll(async () => {
		await emulator.close();
		await withTrace.close();
	});

	test('rows carry the left-list columns only (no trace column in the standard left list)', async () => {
		const rows = await query(emulator, 'YGAS', []);
		expect(rows).toHaveLength(2);
		for (const row of rows) expect(Object.keys(row)).toEqual([...GAS_LEFT_LIST_STANDARD]);
		expect(rows[0]).not.toHaveProperty('BPRVCR');
	});

	test('a criterion on the header trace outside the left list is ignored: unrelated rows come back', async () => {
		const rows = await query(emulator, 'YGAS', [{ key: 'BPRVCR', value: 'BRXE-AAAA' }]);
		expect(rows).toHaveLength(2);
	});

	test('a criterion on a line field is ignored: the query answers every entry', async () => {
		const rows = await query(emulator, 'YGAS', [{ key: 'DES', value: 'BRXT-AAAA*' }]);
		expect(rows).toHaveLength(2);
	});

	test('an unknown criterion is ignored (lenient refuses it)', async () => {
		const rows = await query(emulator, 'YGAS', [{ key: 'ZZZ', value: 'x' }]);
		expect(rows).toHaveLength(2);
		const lenient = await startX3Emulator();
		try {
			const result = await soapCall(lenient.url, 'query', {
				publicName: 'YGAS',
				requestConfig: JSON_MODE,
				keys: [{ key: 'ZZZ', value: 'x' }],
			});
			expect(result.status).toBe(0);
		} finally {
			await lenient.close();
		}
	});

	test('setGasLeftList switches the left list of a running emulator (lenient has none)', async () => {
		emulator.setGasLeftList(GAS_LEFT_LIST_WITH_TRACE);
		try {
			const rows = await query(emulator, 'YGAS', [{ key: 'BPRVCR', value: 'BRXE-AAAA' }]);
			expect(rows.map((row) => row.BPRVCR)).toEqual(['BRXE-AAAA']);
		} finally {
			emulator.setGasLeftList(GAS_LEFT_LIST_STANDARD);
		}
		expect(await query(emulator, 'YGAS', [{ key: 'BPRVCR', value: 'BRXE-AAAA' }])).toHaveLength(2);
		expect(() => emulator.setGasLeftList(['NOPE'])).toThrow(/does not have: NOPE/);
		const lenient = await startX3Emulator();
		try {
			expect(() => lenient.setGasLeftList(GAS_LEFT_LIST_WITH_TRACE)).toThrow(/only the documented/);
		} finally {
			await lenient.close();
		}
	});

	test('a criterion on a left-list field filters', async () => {
		const all = await query(emulator, 'YGAS', []);
		const rows = await query(emulator, 'YGAS', [{ key: 'NUM', value: all[1].NUM }]);
		expect(rows.map((row) => row.NUM)).toEqual([all[1].NUM]);
	});

	test('with BPRVCR added to the left list, the trace is a column and a working criterion', async () => {
		const rows = await query(withTrace, 'YGAS', [{ key: 'BPRVCR', value: 'BRXE-BBBB' }]);
		expect(rows).toHaveLength(1);
		expect(Object.keys(rows[0])).toEqual([...GAS_LEFT_LIST_WITH_TRACE]);
		expect(rows[0].BPRVCR).toBe('BRXE-BBBB');
		// Line fields stay outside any left list.
		expect(await query(withTrace, 'YGAS', [{ key: 'DES', value: 'BRXT-BBBB*' }])).toHaveLength(2);
	});

	test('the XML result rows carry the same left-list columns', async () => {
		const result = await soapCall(emulator.url, 'query', {
			publicName: 'YGAS',
			requestConfig: XML_MODE,
			keys: [],
			listSize: 5,
		});
		const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'LIN' }).parse(
			result.resultXml!,
		);
		const names = doc.RESULT.LIN[0].FLD.map((f: any) => f['@_NAME']);
		expect(names).toEqual([...GAS_LEFT_LIST_STANDARD]);
	});

	test('suppliers, accounts and dimensions answer their left lists; a name criterion filters', async () => {
		const suppliers = await query(emulator, 'YBPS', [{ key: 'BPSNAM', value: 'a*' }]);
		expect(suppliers.length).toBeGreaterThan(0);
		for (const row of suppliers) {
			expect(Object.keys(row)).toEqual(['BPSNUM', 'BPSNAM', 'BSGCOD']);
			expect(row.BPSNAM.toLowerCase().startsWith('a')).toBe(true);
		}
		// CRY is not in the supplier left list: ignored.
		const all = await query(emulator, 'YBPS', []);
		expect(await query(emulator, 'YBPS', [{ key: 'CRY', value: 'ZZ' }])).toHaveLength(all.length);
		const accounts = await query(emulator, 'YGAC', [{ key: 'ACC', value: '625100' }]);
		expect(accounts).toEqual([
			{ COA: 'CA_FRA', ACC: '625100', DES: expect.any(String), DESSHO: expect.any(String) },
		]);
		const dimensions = await query(emulator, 'YCCE', [{ key: 'DIE', value: 'DEP' }]);
		expect(dimensions.length).toBeGreaterThan(0);
		for (const row of dimensions) expect(Object.keys(row)).toEqual(['DIE', 'CCE', 'DES']);
	});
});

describe('documented personality: keys and languages', () => {
	let emulator: X3Emulator;
	let num: string;
	beforeAll(async () => {
		emulator = await start();
		num = await saveEntry(emulator, 'BRXE-KEY1', 'BRXT-KEY1 line');
	});
	afterAll(async () => await emulator.close());

	const keyed = (
		operation: string,
		keys: Array<{ key: string; value: string }>,
		codeLang = 'ENG',
	) =>
		soapCall(emulator.url, operation, {
			publicName: 'YGAS',
			requestConfig: JSON_MODE,
			keys,
			codeLang,
		});

	test('GAS read and delete need TYP + NUM: NUM alone is status 0 and deletes nothing', async () => {
		for (const operation of ['read', 'delete']) {
			const result = await keyed(operation, [{ key: 'NUM', value: num }]);
			expect(result.status).toBe(0);
			expect(result.messages.map((m) => m.message)).toEqual(['TYP : Key value missing']);
		}
		expect(emulator.state.journalEntries).toHaveLength(1);
		const read = await keyed('read', [
			{ key: 'TYP', value: 'BRX' },
			{ key: 'NUM', value: num },
		]);
		expect(read.status).toBe(1);
	});

	test('the lenient personality still reads by NUM alone', async () => {
		const lenient = await startX3Emulator();
		try {
			const saved = await soapCall(lenient.url, 'save', {
				publicName: 'YGAS',
				requestConfig: JSON_MODE,
				payload: JSON.stringify({
					GAS0_1: HEADER,
					GAS1_1: [
						{ ACC: '625100', DEB: '1.00', CCE2: 'ENG' },
						{ ACC: '467100', CDT: '1.00' },
					],
				}),
			});
			const lenientNum = JSON.parse(saved.resultXml!).GAS0_1.NUM;
			const read = await soapCall(lenient.url, 'read', {
				publicName: 'YGAS',
				requestConfig: JSON_MODE,
				keys: [{ key: 'NUM', value: lenientNum }],
			});
			expect(read.status).toBe(1);
		} finally {
			await lenient.close();
		}
	});

	test.each([
		['ENG', 'Record does not exist'],
		['FRA', 'Fiche inexistante'],
		['POR', 'Registo inexistente'],
		['GER', 'Datensatz nicht vorhanden'],
		['SPA', 'Registro inexistente'],
		['ITA', 'Scheda inesistente'],
	])('a missing entry is reported in the session language %s', async (codeLang, phrase) => {
		const result = await keyed(
			'read',
			[
				{ key: 'TYP', value: 'BRX' },
				{ key: 'NUM', value: 'NOPE000' },
			],
			codeLang,
		);
		expect(result.status).toBe(0);
		expect(result.resultXml).toBeNull();
		expect(result.messages).toHaveLength(1);
		expect(result.messages[0].type).toBe('3');
		expect(result.messages[0].message).toContain(phrase);
		if (codeLang !== 'ENG') expect(result.messages[0].message).not.toContain('does not exist');
	});

	test('save errors come in the session language too (German)', async () => {
		const result = await save(emulator, 'YGAS', gasJson({ ...HEADER, FCY: '' }), 'GER');
		expect(result.status).toBe(0);
		expect(result.messages.map((m) => m.message)).toContain('FCY : Pflichtfeld');
	});

	test('the lenient personality answers in English whatever codeLang says', async () => {
		const lenient = await startX3Emulator();
		try {
			const result = await soapCall(lenient.url, 'read', {
				publicName: 'YGAS',
				requestConfig: JSON_MODE,
				keys: [
					{ key: 'TYP', value: 'BRX' },
					{ key: 'NUM', value: 'NOPE000' },
				],
				codeLang: 'POR',
			});
			expect(result.messages[0].message).toContain('Record does not exist');
		} finally {
			await lenient.close();
		}
	});
});

describe('personality knobs where the sources disagree', () => {
	test('soapJsonResults false: optreturn=JSON is ignored and the answer is XML', async () => {
		const x3 = await startX3Emulator({ soapJsonResults: false });
		try {
			const result = await soapCall(x3.url, 'query', {
				publicName: 'YBPS',
				requestConfig: JSON_MODE,
				keys: [],
				listSize: 2,
			});
			expect(result.status).toBe(1);
			expect(result.resultXml!.startsWith('<RESULT')).toBe(true);
		} finally {
			await x3.close();
		}
	});

	test('GraphQL: the documented supplier has companyName, not companyName1; lenient has both', async () => {
		const documented = await start();
		const lenient = await startX3Emulator();
		try {
			const ask = (x3: X3Emulator, field: string) =>
				graphql(
					x3.url,
					`{ x3MasterData { supplier { query(first: 1) { edges { node { ${field} } } } } } }`,
				);
			const good = (await ask(documented, 'companyName')).json();
			expect(good.errors).toBeUndefined();
			expect(typeof good.data.x3MasterData.supplier.query.edges[0].node.companyName).toBe('string');
			const bad = (await ask(documented, 'companyName1')).json();
			expect(bad.errors[0].message).toMatch(/Cannot query field "companyName1"/);
			const filtered = (
				await graphql(
					documented.url,
					`
						{
							x3MasterData {
								supplier {
									query(filter: "{companyName1: {_regex: 'a'}}") {
										totalCount
									}
								}
							}
						}
					`,
				)
			).json();
			expect(filtered.errors[0].message).toMatch(/no property companyName1/);
			for (const field of ['companyName', 'companyName1'])
				expect((await ask(lenient, field)).json().errors).toBeUndefined();
		} finally {
			await documented.close();
			await lenient.close();
		}
	});

	test('REST behind a reverse proxy: $next carries the public origin, and its path and query work', async () => {
		const x3 = await startX3Emulator({ restLinkOrigin: 'https://x3.example.com:8443' });
		try {
			const first = await restGet(
				`${x3.config.restUrl}/BPSUPPLIER?representation=BPSUPPLIER.$query&count=2`,
			);
			expect(first.status).toBe(200);
			const next = new URL(first.json.$links.$next.$url);
			expect(next.origin).toBe('https://x3.example.com:8443');
			expect(first.json.$url.startsWith('https://x3.example.com:8443/')).toBe(true);
			const second = await restGet(`${x3.url}${next.pathname}${next.search}`);
			expect(second.status).toBe(200);
			expect(second.json.$resources[0].$key > first.json.$resources[1].$key).toBe(true);
		} finally {
			await x3.close();
		}
	});

	test('gasLeftList may only name GAS header fields', async () => {
		await expect(start({ gasLeftList: ['TYP', 'NUM', 'DES'] })).rejects.toThrow(
			/gasLeftList names fields GAS0_1 does not have: DES/,
		);
	});

	test('restLinkOrigin must be an origin', async () => {
		await expect(startX3Emulator({ restLinkOrigin: 'https://x3.example.com/sub' })).rejects.toThrow(
			/must be an origin/,
		);
	});

	test('gasAnalytics "lineFields": the documented GAS takes CCE1..n on the lines instead', async () => {
		const x3 = await start({ gasAnalytics: 'lineFields' });
		try {
			const result = await save(
				x3,
				'YGAS',
				JSON.stringify({
					GAS0_1: HEADER,
					GAS1_1: [
						{ ACC: '625100', DEB: '1.00', CCE2: 'ENG' },
						{ ACC: '467100', CDT: '1.00' },
					],
				}),
			);
			expect(result.status).toBe(1);
			expect(x3.ledger().entries[0].lines[0].dimensions).toEqual({ DEP: 'ENG' });
		} finally {
			await x3.close();
		}
	});
});

describe('personalityFromEnv (CLI and launchers)', () => {
	test('reads the personality and the GAS left list, and refuses an unknown personality', () => {
		expect(
			personalityFromEnv({
				X3_EMULATOR_PERSONALITY: 'documented',
				X3_EMULATOR_GAS_LEFT_LIST: 'TYP, NUM,BPRVCR',
			}),
		).toEqual({ personality: 'documented', gasLeftList: ['TYP', 'NUM', 'BPRVCR'] });
		expect(personalityFromEnv({})).toEqual({});
		expect(() => personalityFromEnv({ X3_EMULATOR_PERSONALITY: 'strict' })).toThrow(
			/expects lenient or documented/,
		);
	});
});
