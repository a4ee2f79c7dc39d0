import { X3Emulator, startX3Emulator } from '../emulators/x3/server';
import { basicAuth, postSoap, restGet, soapEnvelope } from '../emulators/x3/testkit';

let emulator: X3Emulator;
let api: string;

const query = (cls: string, params: Record<string, string> = {}) => {
	const search = new URLSearchParams({ representation: `${cls}.$query`, ...params });
	return `${api}/${cls}?${search.toString()}`;
};

beforeAll(async () => {
	emulator = await startX3Emulator({ seedOptions: { seed: 42, vendorCount: 100 } });
	api = `${emulator.url}/api1/x3/erp/SEED`;
	for (const [date, trace, lineTrace] of [
		['20240115', 'BRXE-REST0000001', 'BRXT-LINE1'],
		['20240220', 'BRXE-REST0000002', 'BRXT-LINE2'],
	]) {
		const response = await postSoap(
			emulator.url,
			soapEnvelope('save', {
				publicName: 'YGAS',
				requestConfig: 'adxwss.optreturn=JSON',
				payload: JSON.stringify({
					GAS0_1: { TYP: 'BRX', FCY: 'FR011', ACCDAT: date, CUR: 'EUR', BPRVCR: trace },
					GAS1_1: [
						{ ACC: '606400', DEB: '5.00', CCE2: 'OPS', DES: `${lineTrace} paper` },
						{ ACC: '467100', CDT: '5.00' },
					],
				}),
			}),
		);
		expect(response.body).toContain('<status xsi:type="xsd:int">1</status>');
	}
});

afterAll(async () => {
	await emulator.close();
});

/** Follows $links.$next.$url until it is absent, as Sage's own api1 paging sample does. */
async function followAll(
	url: string,
): Promise<{ resources: any[]; pages: number; pageSizes: number[] }> {
	const resources: any[] = [];
	const pageSizes: number[] = [];
	let next: string | undefined = url;
	let pages = 0;
	while (next) {
		const page = await restGet(next);
		expect(page.status).toBe(200);
		resources.push(...page.json.$resources);
		pageSizes.push(page.json.$resources.length);
		pages++;
		next = page.json.$links.$next?.$url;
		if (pages > 50) throw new Error('paging does not end');
	}
	return { resources, pages, pageSizes };
}

describe('query feed paging', () => {
	test('follows $next through all suppliers 20 at a time', async () => {
		const { resources, pages, pageSizes } = await followAll(query('BPSUPPLIER'));
		const codes = resources.map((r) => r.BPSNUM);
		const expected = [...emulator.state.suppliers.keys()].sort();
		expect(expected).toHaveLength(80);
		expect(codes).toEqual(expected);
		expect(pages).toBe(4);
		expect(pageSizes).toEqual([20, 20, 20, 20]);
		expect(resources[0]).toMatchObject({
			$key: 'BRX00001',
			BPSNAM: 'Acme Corp',
			CUR: expect.any(String),
			ENAFLG: 2,
		});
		expect(resources[0].$uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
	});

	test('count sets the page size ($itemsPerPage) and the $next link uses key=gt.<last key>', async () => {
		const first = await restGet(query('BPSUPPLIER', { count: '15' }));
		expect(first.json.$itemsPerPage).toBe(15);
		expect(first.json.$resources).toHaveLength(15);
		expect(first.json.$links.$next.$url).toContain('key=gt.BRX00015');
		const { pages } = await followAll(query('BPSUPPLIER', { count: '15' }));
		expect(pages).toBe(6);
	});

	test('paging keeps where and orderBy across pages', async () => {
		const { resources } = await followAll(
			query('BPSUPPLIER', {
				count: '7',
				where: "CUR eq 'EUR'",
				orderBy: 'BPSNAM desc, BPSNUM asc',
			}),
		);
		const expected = [...emulator.state.suppliers.values()]
			.filter((s) => s.currency === 'EUR')
			.sort((a, b) => (a.name === b.name ? (a.code < b.code ? -1 : 1) : a.name < b.name ? 1 : -1))
			.map((s) => s.code);
		expect(expected.length).toBeGreaterThan(7);
		expect(resources.map((r) => r.BPSNUM)).toEqual(expected);
	});
});

describe('where expressions', () => {
	const codes = async (where: string, cls = 'BPSUPPLIER', key = 'BPSNUM') => {
		const page = await restGet(query(cls, { where, count: '200' }));
		expect(page.status).toBe(200);
		return page.json.$resources.map((r: any) => r[key]);
	};

	test("a literal with a quote escaped as ''", async () => {
		const obrien = [...emulator.state.suppliers.values()]
			.filter((s) => s.name.startsWith("O'Brien"))
			.map((s) => s.code);
		expect(obrien.length).toBeGreaterThan(0);
		expect(await codes("BPSNAM eq 'O''Brien Corp'")).toEqual(obrien.slice(0, 1));
		expect(await codes("BPSNAM like 'O''Brien%'")).toEqual(obrien);
		// An unescaped quote ends the literal early: a syntax error, not a silent match.
		expect((await restGet(query('BPSUPPLIER', { where: "BPSNAM eq 'O'Brien Corp'" }))).status).toBe(
			400,
		);
	});

	test('functions, case-insensitive names, in, not, and/or with parentheses, between', async () => {
		const acme = [...emulator.state.suppliers.values()]
			.filter((s) => s.name.startsWith('Acme'))
			.map((s) => s.code);
		expect(await codes("left(BPSNAM,4) eq 'ACME'")).toEqual(acme);
		expect(await codes("BPSNUM in ('BRX00002', 'BRX00001', 'NOPE')")).toEqual([
			'BRX00001',
			'BRX00002',
		]);
		expect(
			await codes("(BPSNUM eq 'BRX00001' or BPSNUM eq 'BRX00003') and not (BPSNUM eq 'BRX00003')"),
		).toEqual(['BRX00001']);
		expect(await codes("BPSNUM between 'BRX00010' and 'BRX00012'")).toEqual([
			'BRX00010',
			'BRX00011',
			'BRX00012',
		]);
		expect(await codes("BPSNUM eq 'brx00001'")).toEqual([]);
		expect(await codes('ENAFLG eq 2 and length(BPSNUM) eq 8')).toHaveLength(80);
	});

	test('@date@ literals on journal entries and a like on the line trace', async () => {
		expect(await codes('ACCDAT ge @2024-02-01@', 'GACCENTRY', 'BPRVCR')).toEqual([
			'BRXE-REST0000002',
		]);
		expect(await codes("ACCDAT lt @2024-02-01@ and CUR eq 'EUR'", 'GACCENTRY', 'BPRVCR')).toEqual([
			'BRXE-REST0000001',
		]);
		const line = (await restGet(query('GACCENTRYD', { where: "DES like 'BRXT-LINE2%'" }))).json
			.$resources;
		expect(line).toHaveLength(1);
		expect(line[0]).toMatchObject({
			TYP: 'BRX',
			NUM: emulator.state.journalEntries[1].documentNumber,
			LIN: 1,
			ACC: '606400',
			DEB: '5.00',
		});
	});
});

describe('details', () => {
	test('single resources by key, composite keys joined with ~, child collections embedded', async () => {
		const supplier = await restGet(
			`${api}/BPSUPPLIER('BRX00001')?representation=BPSUPPLIER.$details`,
		);
		expect(supplier.status).toBe(200);
		expect(supplier.json).toMatchObject({
			$key: 'BRX00001',
			BPSNUM: 'BRX00001',
			BPSNAM: 'Acme Corp',
			$etag: expect.any(String),
		});

		const account = await restGet(
			`${api}/GACCOUNT('CA_FRA~625100')?representation=GACCOUNT.$details`,
		);
		expect(account.json).toMatchObject({
			ACC: '625100',
			DIE: ['CCT', 'DEP', 'PRJ'],
			OBYIPT: [1, 2, 1],
		});

		const number = emulator.state.journalEntries[0].documentNumber;
		const entry = await restGet(
			`${api}/GACCENTRY('BRX~${number}')?representation=GACCENTRY.$details`,
		);
		expect(entry.json).toMatchObject({
			NUM: number,
			ACCDAT: '2024-01-15',
			BPRVCR: 'BRXE-REST0000001',
		});
		expect(entry.json.GACCENTRYD.map((l: any) => [l.LIN, l.ACC, l.DEB, l.CDT])).toEqual([
			[1, '606400', '5.00', ''],
			[2, '467100', '', '5.00'],
		]);
	});
});

describe('errors as $diagnoses', () => {
	test.each([
		['unknown class', () => `${api}/NOPE?representation=NOPE.$query`, 404, /Class NOPE not found/],
		[
			'representation of another class',
			() => `${api}/BPSUPPLIER?representation=GACCOUNT.$query`,
			404,
			/Representation GACCOUNT not found/,
		],
		['missing representation', () => `${api}/BPSUPPLIER`, 404, /Representation missing/],
		[
			'unknown endpoint',
			() => `${emulator.url}/api1/x3/erp/OTHER/BPSUPPLIER?representation=BPSUPPLIER.$query`,
			404,
			/Endpoint OTHER/,
		],
		[
			'bad where syntax',
			() => query('BPSUPPLIER', { where: 'BPSNAM eq' }),
			400,
			/Invalid query syntax/,
		],
		[
			'unterminated literal',
			() => query('BPSUPPLIER', { where: "BPSNAM eq 'abc" }),
			400,
			/Unterminated string/,
		],
		[
			'unknown property in where',
			() => query('BPSUPPLIER', { where: "NOPE eq 'x'" }),
			500,
			/Property NOPE does not exist/,
		],
		[
			'record not found',
			() => `${api}/BPSUPPLIER('ZZZ')?representation=BPSUPPLIER.$details`,
			404,
			/Record does not exist/,
		],
	])('%s', async (_label, url, status, message) => {
		const response = await restGet(url());
		expect(response.status).toBe(status);
		expect(response.json.$diagnoses[0].$severity).toBe('error');
		expect(response.json.$diagnoses[0].$message).toMatch(message);
	});

	test('Basic auth is required, and creation through api1 is refused', async () => {
		expect((await restGet(query('BPSUPPLIER'), basicAuth('ADMIN', 'nope'))).status).toBe(401);
		const response = await fetch(`${api}/BPSUPPLIER?representation=BPSUPPLIER.$create`, {
			method: 'POST',
			headers: {
				authorization: basicAuth('ADMIN', 'emulator-password'),
				'content-type': 'application/json',
			},
			body: JSON.stringify({ BPSNUM: 'X', BPSNAM: 'Y' }),
		});
		expect(response.status).toBe(405);
		expect(((await response.json()) as any).$diagnoses[0].$message).toMatch(/classic object/);
	});
});
