/**
 * Payloads the gateway builds from the layout, without a server: the analytics table (one line per entry line
 * with dimensions, LIN = its number), texts cut to the layout's field lengths with a leading trace id never cut,
 * supplier fields placed per block with one address line; and the default layout writing what it always did.
 */
import { NodeOperationError } from 'n8n-workflow';

import { createX3Gateway } from '../../nodes/SageX3/transport/gateway';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type {
	JournalEntryDraft,
	X3Layout,
	X3SupplierDraft,
} from '../../nodes/SageX3/transport/gateway.types';
import { layoutWithPlacements } from '../../nodes/SageX3/transport/layoutPlacements';
import { joinAnalytics } from '../../nodes/SageX3/transport/readers';
import { buildObjectXml } from '../../nodes/SageX3/transport/soapXml';
import type { X3ObjectData } from '../../nodes/SageX3/transport/soapXml';
import { DOCUMENTED_X3_LAYOUT } from '../emulators/x3/testkit';
import { fakeX3Context, SOAP_CREDENTIALS } from './x3FakeContext';

interface PayloadBuilder {
	journalObject(draft: JournalEntryDraft): X3ObjectData;
	fitJournalTexts(draft: JournalEntryDraft): JournalEntryDraft;
	supplierObject(draft: X3SupplierDraft, name: string, category: string): X3ObjectData;
}

function builder(layout: X3Layout): PayloadBuilder {
	return createX3Gateway(fakeX3Context({ sageX3Api: SOAP_CREDENTIALS }), {
		readApi: 'soap',
		layout,
		soapCredentialType: 'sageX3Api',
	}) as unknown as PayloadBuilder;
}

function withJournal(layout: X3Layout, journal: Partial<X3Layout['journalEntry']>): X3Layout {
	return { ...layout, journalEntry: { ...layout.journalEntry, ...journal } };
}

function draft(overrides: Partial<JournalEntryDraft> = {}): JournalEntryDraft {
	return {
		entryType: 'BRX',
		site: 'FR011',
		accountingDate: '2024-02-29',
		currency: 'EUR',
		traceId: 'BRXE-ENTRY000000001',
		lines: [
			{
				account: '625700',
				debit: '12.00',
				dimensions: { DEP: 'ENG', PRJ: 'PRJ-ALPHA' },
				lineTraceId: 'BRXE-ITEM0000000001',
				description: 'Lunch',
			},
			{ account: '625100', debit: '8.00', dimensions: {} },
			{ account: '467100', credit: '20.00', dimensions: { CCT: 'CC-PAR' } },
		],
		...overrides,
	};
}

describe('analytics block', () => {
	const layout = withJournal(DEFAULT_X3_LAYOUT, { analyticsBlock: 'GAS2_1' });

	it('writes one GAS2_1 line per entry line with dimensions (LIN = line number, CCE in layout order), none on the lines', () => {
		const data = builder(layout).journalObject(draft());
		expect(data.GAS1_1).toEqual([
			{ ACC: '625700', DEB: '12.00', DES: 'BRXE-ITEM0000000001 Lunch' },
			{ ACC: '625100', DEB: '8.00' },
			{ ACC: '467100', CDT: '20.00' },
		]);
		// Dimension types CCT, DEP, PRJ -> CCE1, CCE2, CCE3.
		expect(data.GAS2_1).toEqual([
			{ LIN: '1', CCE2: 'ENG', CCE3: 'PRJ-ALPHA' },
			{ LIN: '3', CCE1: 'CC-PAR' },
		]);
		expect(buildObjectXml(data, 'xml')).toContain(
			'<TAB ID="GAS2_1" SIZE="2"><LIN NUM="1"><FLD NAME="LIN">1</FLD><FLD NAME="CCE2">ENG</FLD><FLD NAME="CCE3">PRJ-ALPHA</FLD></LIN><LIN NUM="2"><FLD NAME="LIN">3</FLD><FLD NAME="CCE1">CC-PAR</FLD></LIN></TAB>',
		);
		expect(JSON.parse(buildObjectXml(data, 'json')).GAS2_1).toEqual(data.GAS2_1);
	});

	it('names the line by the configured line field, and refuses a block that is the header or lines block', () => {
		const named = builder(withJournal(layout, { analyticsLineField: 'NUMLIG' })).journalObject(
			draft(),
		);
		expect((named.GAS2_1 as Array<Record<string, string>>)[0]).toMatchObject({ NUMLIG: '1' });
		expect(() =>
			builder(withJournal(layout, { analyticsBlock: 'GAS1_1' })).journalObject(draft()),
		).toThrow('The analytics block GAS1_1 must differ from the header and lines blocks');
	});

	it('reads the distribution back onto the lines it names; rows naming no line are left out', () => {
		const lines = [{ ACC: '625700' }, { ACC: '625100' }, { ACC: '467100' }];
		const joined = joinAnalytics(
			lines,
			[
				{ LIN: '1', CCE2: 'ENG', CCE3: 'PRJ-ALPHA', AMT: '12.00' },
				{ LIN: '3', CCE1: 'CC-PAR' },
				{ LIN: '9', CCE1: 'CC-NY' },
				{ CCE1: 'CC-SF' },
			],
			layout,
		);
		expect(joined).toEqual([
			{ ACC: '625700', CCE2: 'ENG', CCE3: 'PRJ-ALPHA' },
			{ ACC: '625100' },
			{ ACC: '467100', CCE1: 'CC-PAR' },
		]);
		// Without an analytics block the lines stay as they are.
		expect(joinAnalytics(lines, [{ LIN: '1', CCE1: 'X' }], DEFAULT_X3_LAYOUT)).toBe(lines);
	});

	it('the default layout still writes CCE1..n on the lines and no analytics block', () => {
		const data = builder(DEFAULT_X3_LAYOUT).journalObject(draft());
		expect(Object.keys(data)).toEqual(['GAS0_1', 'GAS1_1']);
		expect((data.GAS1_1 as Array<Record<string, string>>)[0]).toMatchObject({
			CCE2: 'ENG',
			CCE3: 'PRJ-ALPHA',
		});
	});
});

describe('texts cut to the layout lengths', () => {
	const long = 'Team dinner with the customer at Café de la Paix'; // 49 characters

	it('cuts the header description and the text after the leading trace id, in characters (no half emoji)', () => {
		const layout = withJournal(DEFAULT_X3_LAYOUT, {
			descriptionLength: 30,
			lineDescriptionLength: 30,
		});
		const data = builder(layout).journalObject(
			draft({
				description: long,
				lines: [
					{
						account: '625700',
						debit: '1.00',
						dimensions: {},
						lineTraceId: 'BRXE-ITEM0000000001',
						description: long,
					},
					{ account: '467100', credit: '1.00', dimensions: {}, description: `${'😀'.repeat(40)}` },
				],
			}),
		);
		expect((data.GAS0_1 as Record<string, string>).DESVCR).toBe('Team dinner with the customer');
		const lines = data.GAS1_1 as Array<Record<string, string>>;
		expect(lines[0].DES).toBe('BRXE-ITEM0000000001 Team dinne');
		expect(Array.from(lines[0].DES)).toHaveLength(30);
		expect(lines[1].DES).toBe('😀'.repeat(30));
	});

	it('defaults to 30 (header) and 50 (lines) characters', () => {
		const data = builder(DEFAULT_X3_LAYOUT).journalObject(
			draft({
				description: long,
				lines: [
					{ account: '625700', debit: '1.00', dimensions: {}, description: `${long} ${long}` },
					{ account: '467100', credit: '1.00', dimensions: {} },
				],
			}),
		);
		expect((data.GAS0_1 as Record<string, string>).DESVCR).toBe(long.slice(0, 30).trimEnd());
		expect((data.GAS1_1 as Array<Record<string, string>>)[0].DES).toBe(
			`${long} ${long}`.slice(0, 50),
		);
	});

	it('leaves only the trace id when nothing of the description fits after it', () => {
		const fitted = builder(
			withJournal(DEFAULT_X3_LAYOUT, { lineDescriptionLength: 20 }),
		).journalObject(draft());
		expect((fitted.GAS1_1 as Array<Record<string, string>>)[0].DES).toBe('BRXE-ITEM0000000001');
	});

	it('refuses a trace id longer than the line trace field, naming the field and its length', () => {
		const short = withJournal(DEFAULT_X3_LAYOUT, { lineDescriptionLength: 18 });
		expect(() => builder(short).journalObject(draft())).toThrow(NodeOperationError);
		expect(() => builder(short).journalObject(draft())).toThrow(
			'Line 1: the trace id "BRXE-ITEM0000000001" (19 characters) does not fit the line trace field DES (18 characters)',
		);
		// A line trace field of its own has its own length; the description is cut to its field only.
		const separate = withJournal(DEFAULT_X3_LAYOUT, {
			lineTraceField: 'REFLIN',
			lineTraceFieldLength: 15,
			lineDescriptionLength: 3,
		});
		expect(() => builder(separate).journalObject(draft())).toThrow(
			'does not fit the line trace field REFLIN (15 characters)',
		);
		const wide = withJournal(separate, { lineTraceFieldLength: 20 });
		expect(
			(builder(wide).journalObject(draft()).GAS1_1 as Array<Record<string, string>>)[0],
		).toMatchObject({
			REFLIN: 'BRXE-ITEM0000000001',
			DES: 'Lun',
		});
	});

	it('without a line trace field writes no trace on the lines', () => {
		const data = builder(withJournal(DEFAULT_X3_LAYOUT, { lineTraceField: '' })).journalObject(
			draft(),
		);
		expect((data.GAS1_1 as Array<Record<string, string>>)[0]).toEqual({
			ACC: '625700',
			DEB: '12.00',
			CCE2: 'ENG',
			CCE3: 'PRJ-ALPHA',
			DES: 'Lunch',
		});
	});
});

describe('supplier blocks', () => {
	const supplier: X3SupplierDraft = {
		name: 'Blue Bottle Coffee Roasters Oakland',
		shortName: 'BLUEBOTTLE',
		category: 'SUPUS',
		country: 'US',
		currency: 'USD',
	};

	it('places fields per block and writes one default address line (documented BPS)', () => {
		const data = builder(DOCUMENTED_X3_LAYOUT).supplierObject(supplier, supplier.name, 'SUPUS');
		expect(data).toEqual({
			BPS0_1: { BPSNAM: 'Blue Bottle Coffee Roasters Oakland', BSGCOD: 'SUPUS' },
			BPRC_1: { BPRSHO: 'BLUEBOTTLE', CRY: 'US', CUR: 'USD' },
			BPAC_1: [
				{ CODADR: 'MAIN', BPACRY: 'US', BPADES: 'Blue Bottle Coffee Roasters Oa', BPAADDFLG: '2' },
			],
		});
		expect(Object.keys(data)[0]).toBe('BPS0_1');
	});

	it('the default layout writes every field into one block, as before', () => {
		const data = builder(DEFAULT_X3_LAYOUT).supplierObject(
			{ ...supplier, addressCode: 'HQ' },
			supplier.name,
			'SUPUS',
		);
		expect(data).toEqual({
			BPS0_1: {
				BPSNAM: 'Blue Bottle Coffee Roasters Oakland',
				BPSSHO: 'BLUEBOTTLE',
				BSGCOD: 'SUPUS',
				CRY: 'US',
				CUR: 'USD',
				BPAADD: 'HQ',
			},
		});
	});

	it('refuses a layout that uses the address table as a field block', () => {
		const layout: X3Layout = {
			...DOCUMENTED_X3_LAYOUT,
			supplier: { ...DOCUMENTED_X3_LAYOUT.supplier, fieldBlocks: { country: 'BPAC_1' } },
		};
		expect(() => builder(layout).supplierObject(supplier, supplier.name, 'SUPUS')).toThrow(
			'The layout names BPAC_1 both as a supplier block and as the address table',
		);
	});
});

describe('layoutWithPlacements (X3 Setup BLOCK.FIELD)', () => {
	it('carries supplier placements into fieldBlocks and the dimension placement into analyticsBlock', () => {
		const { layout, unplaced } = layoutWithPlacements(DEFAULT_X3_LAYOUT, {
			'supplier.shortName': 'BPRC_1',
			'supplier.country': 'BPRC_1',
			'supplier.name': 'BPS0_1',
			'journalEntry.dimensionPrefix': 'GAS2_1',
			'journalEntry.traceField': 'GAS0_1',
			'journalEntry.reference': 'GAS0_2',
			'journalEntry.lineTraceField': 'GAS1_1',
		});
		expect(layout.supplier.fieldBlocks).toEqual({ shortName: 'BPRC_1', country: 'BPRC_1' });
		expect(layout.journalEntry.analyticsBlock).toBe('GAS2_1');
		// Only what the layout cannot express is left to the caller.
		expect(unplaced).toEqual({ 'journalEntry.reference': 'GAS0_2' });
		expect(DEFAULT_X3_LAYOUT.supplier.fieldBlocks).toBeUndefined();
		const data = builder(layout).supplierObject(
			{ name: 'Acme', shortName: 'ACME', category: 'SUPFR', country: 'FR' },
			'Acme',
			'SUPFR',
		);
		expect(data).toEqual({
			BPS0_1: { BPSNAM: 'Acme', BSGCOD: 'SUPFR' },
			BPRC_1: { BPSSHO: 'ACME', CRY: 'FR' },
		});
	});

	it('a dimension placement in the lines block keeps the dimensions on the lines', () => {
		const { layout } = layoutWithPlacements(DEFAULT_X3_LAYOUT, {
			'journalEntry.dimensionPrefix': 'GAS1_1',
		});
		expect(layout.journalEntry.analyticsBlock).toBeUndefined();
	});
});
