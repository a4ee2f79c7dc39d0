/**
 * Fields X3 Setup places in other blocks (BLOCK.FIELD) and Extra Mandatory Fields are written where the customer's
 * publication has them, through a save that recovers like the gateway's (looks the entry up after an ambiguous
 * failure, never saves twice).
 */
import type { INode } from 'n8n-workflow';

import {
	extraFieldsFromSetup,
	fieldPlacementsFromSetup,
	layoutFromSetup,
} from '../../nodes/SageX3/helpers/layout';
import {
	needsPlacement,
	placeJournalFields,
	withPlacedJournalFields,
} from '../../nodes/SageX3/helpers/placedJournalSave';
import type {
	JournalEntryDraft,
	JournalSaveOptions,
	PostedJournalEntry,
	X3Gateway,
} from '../../nodes/SageX3/transport/gateway.types';
import type { X3ObjectData } from '../../nodes/SageX3/transport/soapXml';

const NODE = {
	name: 'Sage X3',
	type: 'sageX3',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as unknown as INode;

const SETUP = {
	traceField: 'GAS0_2.BPRVCR',
	lineTraceField: 'GAS1_2.DES',
	fieldNames: '{"journalEntry": {"lineDescription": "GAS1_2.DES"}}',
	extraFields: '{"journalEntry": {"header": {"JOU": "OD"}, "lines": {"QTY": "1"}}}',
};

/** What the transport builds for a draft: every header field in GAS0_1, every line field in GAS1_1. */
const BUILT: X3ObjectData = {
	GAS0_1: {
		TYP: 'ODT',
		FCY: 'FR011',
		ACCDAT: '20261102',
		CUR: 'EUR',
		BPRVCR: 'BRXS-SET000000000001',
	},
	GAS1_1: [
		{ ACC: '625100', DEB: '12.00', CCE1: 'CC-SF', DES: 'BRXE-ITEM00000000001 Taxi' },
		{ ACC: '401000', CDT: '12.00', DES: 'Brex card spend' },
	],
};

const DRAFT: JournalEntryDraft = {
	entryType: 'ODT',
	site: 'FR011',
	accountingDate: '2026-11-02',
	currency: 'EUR',
	traceId: 'BRXS-SET000000000001',
	lines: [
		{ account: '625100', debit: '12.00', dimensions: {}, lineTraceId: 'BRXE-ITEM00000000001' },
		{ account: '401000', credit: '12.00', dimensions: {} },
	],
};

describe('placing journal fields', () => {
	it('moves placed fields to their blocks and adds the extra fields to header and lines', () => {
		const layout = layoutFromSetup(SETUP);
		const placed = placeJournalFields(
			BUILT,
			layout,
			fieldPlacementsFromSetup(SETUP),
			extraFieldsFromSetup(SETUP),
		);
		expect(placed).toEqual({
			GAS0_1: { TYP: 'ODT', FCY: 'FR011', ACCDAT: '20261102', CUR: 'EUR', JOU: 'OD' },
			GAS0_2: { BPRVCR: 'BRXS-SET000000000001' },
			GAS1_1: [
				{ ACC: '625100', DEB: '12.00', CCE1: 'CC-SF', QTY: '1' },
				{ ACC: '401000', CDT: '12.00', QTY: '1' },
			],
			GAS1_2: [{ DES: 'BRXE-ITEM00000000001 Taxi' }, { DES: 'Brex card spend' }],
		});
		// The transport's object is left as it was.
		expect((BUILT.GAS0_1 as Record<string, string>).BPRVCR).toBe('BRXS-SET000000000001');
	});

	it('is needed only when a field leaves its block or extra fields are set', () => {
		const layout = layoutFromSetup({});
		const none = extraFieldsFromSetup({});
		expect(needsPlacement(layout, {}, none)).toBe(false);
		expect(needsPlacement(layout, { 'journalEntry.traceField': 'GAS0_1' }, none)).toBe(false);
		expect(needsPlacement(layout, { 'journalEntry.traceField': 'GAS0_2' }, none)).toBe(true);
		expect(needsPlacement(layout, {}, extraFieldsFromSetup(SETUP))).toBe(true);
	});
});

const POSTED: PostedJournalEntry = {
	documentNumber: 'ODT0042',
	entryType: 'ODT',
	traceId: DRAFT.traceId,
	accountingDate: '2026-11-02',
	currency: 'EUR',
	lineTraceIds: ['BRXE-ITEM00000000001'],
};

/** The parts of a gateway the placed save uses: its save (which takes the placement) and any other call. */
function stubGateway() {
	return {
		readApi: 'soap',
		saveJournalEntry: jest.fn(async () => POSTED),
		listSites: jest.fn(async () => [{ code: 'FR011', name: null }]),
	} as unknown as X3Gateway & { saveJournalEntry: jest.Mock };
}

function placedGateway(gateway: X3Gateway, setup: Record<string, string> = SETUP) {
	return withPlacedJournalFields(
		gateway,
		NODE,
		layoutFromSetup(setup),
		fieldPlacementsFromSetup(setup),
		extraFieldsFromSetup(setup),
	);
}

describe('placed save', () => {
	it("hands the gateway's save a placement of the built object and the block of the document number", async () => {
		const gateway = stubGateway();
		const placed = placedGateway(gateway);
		await expect(placed.saveJournalEntry(DRAFT)).resolves.toBe(POSTED);
		expect(gateway.saveJournalEntry).toHaveBeenCalledTimes(1);
		const [draft, options] = gateway.saveJournalEntry.mock.calls[0] as [
			JournalEntryDraft,
			JournalSaveOptions,
		];
		expect(draft).toBe(DRAFT);
		expect(options.numberBlock).toBe('GAS0_1');
		const data = options.place?.(BUILT) as X3ObjectData;
		expect(data.GAS0_2).toEqual({ BPRVCR: 'BRXS-SET000000000001' });
		expect((data.GAS0_1 as Record<string, string>).JOU).toBe('OD');
		// Everything else still goes to the gateway.
		expect(await placed.listSites()).toEqual([{ code: 'FR011', name: null }]);
	});

	it('reads the document number where X3 Setup places it', async () => {
		const gateway = stubGateway();
		await placedGateway(gateway, {
			...SETUP,
			fieldNames: '{"journalEntry": {"documentNumber": "GAS0_9.NUM"}}',
		}).saveJournalEntry(DRAFT);
		const [, options] = gateway.saveJournalEntry.mock.calls[0] as [
			JournalEntryDraft,
			JournalSaveOptions,
		];
		expect(options.numberBlock).toBe('GAS0_9');
	});

	it('a placement it cannot honour is an X3 Setup error naming the fix', async () => {
		const gateway = stubGateway();
		const placed = placedGateway(gateway, {
			fieldNames: '{"journalEntry": {"account": "GAS2_1.ACC"}}',
		});
		await placed.saveJournalEntry(DRAFT);
		const [, options] = gateway.saveJournalEntry.mock.calls[0] as [
			JournalEntryDraft,
			JournalSaveOptions,
		];
		const withTable = { ...BUILT, GAS2_1: [{ LIN: '1', CCE1: 'CC-SF' }] };
		expect(() => options.place?.(withTable)).toThrow(/X3 Setup: .*GAS2_1/);
	});
});
