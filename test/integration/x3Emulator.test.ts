import { DEFAULT_X3_LAYOUT, X3Layout } from '../../nodes/SageX3/transport/gateway.types';
import { X3Emulator, startX3Emulator } from '../emulators/x3/server';
import { basicAuth, graphql, soapCall, validToken } from '../emulators/x3/testkit';

const JSON_MODE = 'adxwss.optreturn=JSON';

interface LineSpec {
	ACC: string;
	DEB?: string;
	CDT?: string;
	CCE1?: string;
	CCE2?: string;
	DES?: string;
}

async function post(
	emulator: X3Emulator,
	currency: string,
	trace: string,
	lines: LineSpec[],
	description = 'Brex',
) {
	const result = await soapCall(emulator.url, 'save', {
		publicName: 'YGAS',
		requestConfig: JSON_MODE,
		cdata: true,
		payload: JSON.stringify({
			GAS0_1: {
				TYP: 'BRX',
				FCY: currency === 'USD' ? 'US011' : 'FR011',
				ACCDAT: '20240310',
				CUR: currency,
				BPRVCR: trace,
				DESVCR: description,
			},
			GAS1_1: lines,
		}),
	});
	return result;
}

/** Minor units of a decimal string, computed here independently of the emulator. */
const cents = (amount: string) => BigInt(amount.replace('.', ''));
const fmt = (value: bigint) => {
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(3, '0');
	return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

describe('ledger view', () => {
	let emulator: X3Emulator;

	beforeAll(async () => {
		emulator = await startX3Emulator();
	});

	afterAll(async () => {
		await emulator.close();
	});

	test('ledger.json lists the entries with exact totals per currency, account and dimension', async () => {
		const eur: Array<[string, LineSpec[]]> = [
			[
				'BRXE-LEDGER00001',
				[
					{ ACC: '625100', DEB: '100.10', CCE2: 'ENG', DES: 'BRXT-A taxi' },
					{ ACC: '625700', DEB: '0.20', CCE1: 'CC-PAR', CCE2: 'SAL', DES: 'BRXT-B lunch' },
					{ ACC: '467100', CDT: '100.30' },
				],
			],
			[
				'BRXE-LEDGER00002',
				[
					{ ACC: '625100', DEB: '0.10', CCE2: 'ENG' },
					{ ACC: '467100', CDT: '0.10' },
				],
			],
		];
		for (const [trace, lines] of eur)
			expect((await post(emulator, 'EUR', trace, lines)).status).toBe(1);
		expect(
			(
				await post(emulator, 'USD', 'BRXE-LEDGER00003', [
					{ ACC: '651000', DEB: '49.99', CCE2: 'ENG' },
					{ ACC: '467100', CDT: '49.99' },
				])
			).status,
		).toBe(1);
		// A refused entry never reaches the ledger.
		expect(
			(
				await post(emulator, 'EUR', 'BRXE-LEDGER00004', [
					{ ACC: '625100', DEB: '1.00', CCE2: 'ENG' },
					{ ACC: '467100', CDT: '2.00' },
				])
			).status,
		).toBe(0);

		const response = await fetch(`${emulator.url}/ledger.json`);
		expect(response.status).toBe(200);
		const ledger = (await response.json()) as any;
		expect(ledger.count).toBe(3);
		expect(ledger.lineCount).toBe(7);
		expect(ledger.entries.map((e: any) => e.traceId)).toEqual([
			'BRXE-LEDGER00001',
			'BRXE-LEDGER00002',
			'BRXE-LEDGER00003',
		]);
		expect(ledger.entries[0]).toMatchObject({
			documentNumber: 'BRX2024000001',
			accountingDate: '2024-03-10',
			currency: 'EUR',
			totals: { debit: '100.30', credit: '100.30' },
		});
		expect(ledger.entries[0].lines[1]).toMatchObject({
			account: '625700',
			debit: '0.20',
			credit: null,
			dimensions: { CCT: 'CC-PAR', DEP: 'SAL' },
			lineTrace: 'BRXT-B lunch',
		});

		// Expected totals computed here from the lines sent, in integer cents.
		const eurLines = eur.flatMap(([, lines]) => lines);
		const sum = (lines: LineSpec[], side: 'DEB' | 'CDT') =>
			lines.reduce((total, l) => total + (l[side] ? cents(l[side]!) : 0n), 0n);
		const eurTotals = ledger.totals.byCurrency.EUR;
		expect(eurTotals.debit).toBe(fmt(sum(eurLines, 'DEB')));
		expect(eurTotals.credit).toBe(fmt(sum(eurLines, 'CDT')));
		expect(eurTotals.net).toBe('0.00');
		expect(eurTotals.byAccount['625100']).toEqual({
			debit: '100.20',
			credit: '0.00',
			net: '100.20',
		});
		expect(eurTotals.byAccount['467100']).toEqual({
			debit: '0.00',
			credit: '100.40',
			net: '-100.40',
		});
		expect(eurTotals.byDimension.DEP).toEqual({
			ENG: { debit: '100.20', credit: '0.00', net: '100.20' },
			SAL: { debit: '0.20', credit: '0.00', net: '0.20' },
		});
		expect(eurTotals.byDimension.CCT).toEqual({
			'CC-PAR': { debit: '0.20', credit: '0.00', net: '0.20' },
		});
		expect(ledger.totals.byCurrency.USD).toMatchObject({
			debit: '49.99',
			credit: '49.99',
			byAccount: { '651000': { net: '49.99' } },
		});
		expect(emulator.ledger()).toEqual(ledger);
	});

	test('the HTML page shows entries, trace ids and numbers, escapes text and refreshes itself', async () => {
		emulator.reset();
		await post(
			emulator,
			'EUR',
			'BRXE-HTML0000001',
			[
				{ ACC: '625100', DEB: '1.00', CCE2: 'ENG' },
				{ ACC: '467100', CDT: '1.00' },
			],
			'<script>x</script>',
		);
		const response = await fetch(`${emulator.url}/ledger`);
		const html = await response.text();
		expect(response.headers.get('content-type')).toMatch(/text\/html/);
		expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
		expect(html).toContain('BRXE-HTML0000001');
		expect(html).toContain('BRX2024000001');
		expect(html).not.toContain('<script>');
		expect(html).toContain('&#60;script&#62;x&#60;/script&#62;');
		expect(html).not.toMatch(/<script|src=|href=/i);
	});
});

describe('configurable layout and identities', () => {
	const layout: X3Layout = {
		...DEFAULT_X3_LAYOUT,
		journalEntry: {
			...DEFAULT_X3_LAYOUT.journalEntry,
			publication: 'ZGAS',
			headerBlock: 'ZGAS0_1',
			linesBlock: 'ZGAS1_1',
			fields: {
				...DEFAULT_X3_LAYOUT.journalEntry.fields,
				traceField: 'REFINT',
				dimensionPrefix: 'ANA',
				lineDescription: 'LIBLIG',
			},
			traceFieldLength: 25,
			lineTraceField: 'LIBLIG',
		},
		dimensionTypes: ['DEP', 'CCT'],
	};
	let emulator: X3Emulator;

	beforeAll(async () => {
		emulator = await startX3Emulator({
			layout,
			users: { WSBREX: 's3cret' },
			poolAlias: 'WS_SEED',
			endpoint: 'X3TEST',
			accountRequiredDimensions: { '625100': ['CCT'] },
		});
	});

	afterAll(async () => {
		await emulator.close();
	});

	test('publication names, blocks, fields and dimension order come from the layout', async () => {
		const auth = basicAuth('WSBREX', 's3cret');
		const save = (
			header: Record<string, string>,
			lines: Array<Record<string, string>>,
			publicName = 'ZGAS',
		) =>
			soapCall(
				emulator.url,
				'save',
				{
					publicName,
					poolAlias: 'WS_SEED',
					requestConfig: JSON_MODE,
					payload: JSON.stringify({ ZGAS0_1: header, ZGAS1_1: lines }),
				},
				auth,
			);
		const header = {
			TYP: 'BRX',
			FCY: 'FR011',
			ACCDAT: '20240401',
			CUR: 'EUR',
			REFINT: 'BRXE-0123456789ABCDEFGHJ',
		};
		const ok = await save(header, [
			{ ACC: '625100', DEB: '3.00', ANA1: 'ENG', ANA2: 'CC-SF', LIBLIG: 'BRXT-LAYOUT meal' },
			{ ACC: '467100', CDT: '3.00' },
		]);
		expect(ok.messages).toEqual([]);
		expect(ok.status).toBe(1);
		expect(emulator.state.journalEntries[0]).toMatchObject({
			traceValue: 'BRXE-0123456789ABCDEFGHJ',
		});
		expect(emulator.state.journalEntries[0].lines[0].dimensions).toEqual({
			DEP: 'ENG',
			CCT: 'CC-SF',
		});

		const missingCct = await save(header, [
			{ ACC: '625100', DEB: '3.00', ANA1: 'ENG' },
			{ ACC: '467100', CDT: '3.00' },
		]);
		expect(missingCct.messages.map((m) => m.message)).toEqual([
			'ANA2(1) : Dimension type CCT is mandatory for account 625100',
		]);

		const defaultNames = await save(header, [
			{ ACC: '625100', DEB: '3.00', CCE1: 'ENG' },
			{ ACC: '467100', CDT: '3.00' },
		]);
		expect(defaultNames.messages[0].message).toBe('CCE1(1) : Field not found in block ZGAS1_1');
		const defaultPublication = await save(header, [], 'YGAS');
		expect(defaultPublication.messages[0].message).toMatch(/Web service YGAS does not exist/);

		const graph = await graphql(
			emulator.url,
			'{ x3Finance { journalEntry { query { edges { node { internalReference journalEntryLines { query { edges { node { lineDescription } } } } } } } } } }',
			{},
			{ authorization: `Bearer ${validToken({ sub: 'WSBREX' })}`, 'x-xtrem-endpoint': 'X3TEST' },
		);
		const node = graph.json().data.x3Finance.journalEntry.query.edges[0].node;
		expect(node.internalReference).toBe('BRXE-0123456789ABCDEFGHJ');
		expect(node.journalEntryLines.query.edges[0].node.lineDescription).toBe('BRXT-LAYOUT meal');
	});

	test('the default identities are refused when others are configured', async () => {
		await expect(
			soapCall(
				emulator.url,
				'getDescription',
				{ publicName: 'ZGAS', poolAlias: 'WS_SEED' },
				basicAuth('ADMIN', 'emulator-password'),
			),
		).rejects.toThrow(/HTTP 401/);
		await expect(
			soapCall(
				emulator.url,
				'getDescription',
				{ publicName: 'ZGAS', poolAlias: 'BREX' },
				basicAuth('WSBREX', 's3cret'),
			),
		).rejects.toThrow(/HTTP 500/);
	});
});
