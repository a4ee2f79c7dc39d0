/**
 * X3 Setup describes the documented publications: an analytics table for the dimensions, supplier fields in other
 * blocks, a supplier address table, no line trace field; Post Spend's placed save keeps every block the transport
 * builds (the analytics table) and never moves dimensions away from their line number; lengths from getDescription
 * reach the layout the save uses.
 */
import {
	extraFieldsFromSetup,
	fieldPlacementsFromSetup,
	layoutFromSetup,
} from '../../nodes/SageX3/helpers/layout';
import type { X3SetupParameters } from '../../nodes/SageX3/helpers/layout';
import { needsPlacement, placeJournalFields } from '../../nodes/SageX3/helpers/placedJournalSave';
import { layoutWithDescribedLengths } from '../../nodes/SageX3/helpers/setupCheck';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type { X3ObjectData } from '../../nodes/SageX3/transport/soapXml';
import { DOCUMENTED_X3_LAYOUT } from '../emulators/x3/documentedClientLayout';
import { DOCUMENTED_X3_SETUP as DOCUMENTED_SETUP } from '../support/documentedX3Setup';

const DESCRIBED = {
	traceField: 20,
	lineTraceField: null,
	lineDescription: 30,
	headerDescription: 30,
};

describe('layoutFromSetup with the documented publications', () => {
	it('gives the documented layout once the described lengths are applied', () => {
		const layout = layoutWithDescribedLengths(layoutFromSetup(DOCUMENTED_SETUP), DESCRIBED);
		// The address description length is not a setting: the transport's default is the documented 30.
		const { addressDescriptionLength: _length, ...supplier } = DOCUMENTED_X3_LAYOUT.supplier;
		expect(layout).toEqual({ ...DOCUMENTED_X3_LAYOUT, supplier });
	});

	it('takes the address field names from the JSON; an empty one is left out, the code may be renamed', () => {
		const layout = layoutFromSetup({
			supplierAddressBlock: 'BPAC_1',
			supplierAddressFields: '{"addressCode": "ADRCOD", "description": "", "isDefault": "DEFFLG"}',
		});
		expect(layout.supplier).toMatchObject({
			addressBlock: 'BPAC_1',
			addressFields: { country: 'BPACRY', isDefault: 'DEFFLG' },
			fields: { addressCode: 'ADRCOD' },
		});
		expect(layout.supplier.addressFields).not.toHaveProperty('description');
		expect(() =>
			layoutFromSetup({ supplierAddressBlock: 'BPAC_1', supplierAddressFields: '{"zip": "X"}' }),
		).toThrow(/unknown key "zip"/);
		expect(() =>
			layoutFromSetup({ supplierAddressBlock: 'BPAC_1', supplierAddressFields: '{' }),
		).toThrow(/not valid JSON/);
		expect(() => layoutFromSetup({ analyticsBlock: 'GAS 2' })).toThrow(/not an X3 block/);
	});

	it('ignores the address and analytics details without their block, and keeps DES when Line Trace Field is left out', () => {
		const layout = layoutFromSetup({
			analyticsLineField: 'LIN',
			supplierAddressFields: '{"country": "BPACRY"}',
			defaultAddressCode: 'HQ',
		});
		expect(layout).toEqual(DEFAULT_X3_LAYOUT);
		expect(layoutFromSetup({ lineTraceField: 'DES' }).journalEntry.lineTraceField).toBe('DES');
		expect(layoutFromSetup({ lineTraceField: '  ' }).journalEntry.lineTraceField).toBe('');
	});

	it('turns a CCE placement in another block into the analytics block, and supplier placements into fieldBlocks', () => {
		const layout = layoutFromSetup({
			fieldNames: JSON.stringify({
				journalEntry: { dimensionPrefix: 'GAS2_1.CCE' },
				supplier: { country: 'BPRC_1.CRY' },
			}),
		});
		expect(layout.journalEntry.analyticsBlock).toBe('GAS2_1');
		expect(layout.journalEntry.fields.dimensionPrefix).toBe('CCE');
		expect(layout.supplier.fieldBlocks).toEqual({ country: 'BPRC_1' });
		expect(() =>
			layoutFromSetup({
				analyticsBlock: 'GAS3_1',
				fieldNames: '{"journalEntry": {"dimensionPrefix": "GAS2_1.CCE"}}',
			}),
		).toThrow(/name one block/);
	});
});

describe('layoutWithDescribedLengths', () => {
	it('sets the description lengths, shortens the trace field only, and gives a separate line trace field its length', () => {
		const layout = layoutWithDescribedLengths(
			{
				...DEFAULT_X3_LAYOUT,
				journalEntry: { ...DEFAULT_X3_LAYOUT.journalEntry, lineTraceField: 'REFLIN' },
			},
			{ traceField: 15, lineTraceField: 24, lineDescription: 40, headerDescription: 25 },
		);
		expect(layout.journalEntry).toMatchObject({
			traceFieldLength: 15,
			lineTraceFieldLength: 24,
			lineDescriptionLength: 40,
			descriptionLength: 25,
		});
		const wider = layoutWithDescribedLengths(DEFAULT_X3_LAYOUT, { ...DESCRIBED, traceField: 30 });
		expect(wider.journalEntry.traceFieldLength).toBe(20);
		// DES is the line description: its length is the line description length.
		expect(wider.journalEntry.lineTraceFieldLength).toBeUndefined();
		const unknown = {
			traceField: null,
			lineTraceField: null,
			lineDescription: null,
			headerDescription: null,
		};
		expect(layoutWithDescribedLengths(DEFAULT_X3_LAYOUT, unknown)).toEqual(DEFAULT_X3_LAYOUT);
	});
});

describe('the placed save with an analytics table', () => {
	const setup: X3SetupParameters = {
		...DOCUMENTED_SETUP,
		traceField: 'GAS0_2.BPRVCR',
		extraFields: '{"journalEntry": {"header": {"JOU": "OD"}}}',
	};
	/** What the transport builds with an analytics block: the dimensions in GAS2_1 with the line number. */
	const built: X3ObjectData = {
		GAS0_1: { TYP: 'ODT', FCY: 'FR011', BPRVCR: 'BRXS-SET000000000001' },
		GAS1_1: [
			{ ACC: '625100', DEB: '12.00', DES: 'Taxi' },
			{ ACC: '401000', CDT: '12.00' },
		],
		GAS2_1: [{ LIN: '1', CCE2: 'OPS' }],
	};

	it('keeps the analytics table as built and moves only the placed header field', () => {
		const placed = placeJournalFields(
			built,
			layoutFromSetup(setup),
			fieldPlacementsFromSetup(setup),
			extraFieldsFromSetup(setup),
		);
		expect(placed).toEqual({
			GAS0_1: { TYP: 'ODT', FCY: 'FR011', JOU: 'OD' },
			GAS1_1: built.GAS1_1,
			GAS2_1: [{ LIN: '1', CCE2: 'OPS' }],
			GAS0_2: { BPRVCR: 'BRXS-SET000000000001' },
		});
	});

	it('leaves a CCE placement to the transport: no placed save for it, no dimensions moved without LIN', () => {
		const cce = { fieldNames: '{"journalEntry": {"dimensionPrefix": "GAS2_1.CCE"}}' };
		const layout = layoutFromSetup(cce);
		const placements = fieldPlacementsFromSetup(cce);
		expect(needsPlacement(layout, placements, extraFieldsFromSetup({}))).toBe(false);
		const placed = placeJournalFields(built, layout, placements, extraFieldsFromSetup({}));
		expect(placed.GAS2_1).toEqual([{ LIN: '1', CCE2: 'OPS' }]);
		expect(placed.GAS1_1).toEqual(built.GAS1_1);
	});

	it('refuses to place a line field into the analytics table, whose rows are not the lines', () => {
		const into = { ...DOCUMENTED_SETUP, fieldNames: '{"journalEntry": {"taxCode": "GAS2_1.TAX"}}' };
		expect(() =>
			placeJournalFields(
				{ ...built, GAS1_1: [{ ACC: '625100', TAX: 'FR1' }, { ACC: '401000' }] },
				layoutFromSetup(into),
				fieldPlacementsFromSetup(into),
				extraFieldsFromSetup({}),
			),
		).toThrow(/GAS2_1, a table the node already writes/);
	});
});
