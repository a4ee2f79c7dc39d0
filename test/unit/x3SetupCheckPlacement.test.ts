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
import { X3Error } from '../../nodes/SageX3/transport/errors';
import type {
	JournalEntryDraft,
	PostedJournalEntry,
	X3Gateway,
} from '../../nodes/SageX3/transport/gateway.types';
import { parseResultPayload } from '../../nodes/SageX3/transport/soap';
import type { X3ObjectData, X3SoapCallResult } from '../../nodes/SageX3/transport/soap';

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

function answer(resultXml: string | null, status = 1): X3SoapCallResult {
	return {
		status,
		messages: [],
		resultXml,
		technicalInfos: null,
		data: parseResultPayload(resultXml),
	};
}

/** The parts of the real gateway the placed save uses. */
function stubGateway(found: PostedJournalEntry[] = []) {
	return {
		readApi: 'soap',
		journalObject: jest.fn(() => BUILT),
		findJournalEntriesByTraceId: jest.fn(async () => found),
		saveJournalEntry: jest.fn(),
		listSites: jest.fn(async () => [{ code: 'FR011', name: null }]),
	} as unknown as X3Gateway & { journalObject: jest.Mock; saveJournalEntry: jest.Mock };
}

function placedGateway(gateway: X3Gateway, save: jest.Mock) {
	return withPlacedJournalFields(
		gateway,
		{ save },
		NODE,
		layoutFromSetup(SETUP),
		fieldPlacementsFromSetup(SETUP),
		extraFieldsFromSetup(SETUP),
	) as X3Gateway;
}

describe('placed save', () => {
	it('saves the placed object and reads the document number from the header block', async () => {
		const gateway = stubGateway();
		const save = jest.fn(async () =>
			answer('<RESULT><GRP ID="GAS0_1"><FLD NAME="NUM">ODT0042</FLD></GRP></RESULT>'),
		);
		const placed = placedGateway(gateway, save);
		const posted = await placed.saveJournalEntry(DRAFT);
		expect(posted).toMatchObject({
			documentNumber: 'ODT0042',
			traceId: DRAFT.traceId,
			lineTraceIds: ['BRXE-ITEM00000000001'],
		});
		const [publication, data] = save.mock.calls[0] as unknown as [string, X3ObjectData];
		expect(publication).toBe('YGAS');
		expect(data.GAS0_2).toEqual({ BPRVCR: 'BRXS-SET000000000001' });
		expect(gateway.saveJournalEntry).not.toHaveBeenCalled();
		// Everything else still goes to the gateway.
		expect(await placed.listSites()).toEqual([{ code: 'FR011', name: null }]);
	});

	it('after an ambiguous failure it reports the entry X3 holds instead of saving again', async () => {
		const held: PostedJournalEntry = {
			documentNumber: 'ODT0042',
			entryType: 'ODT',
			traceId: DRAFT.traceId,
			accountingDate: '2026-11-02',
			currency: 'EUR',
			lineTraceIds: [],
		};
		const gateway = stubGateway([held]);
		const timeout = new X3Error(NODE, { kind: 'network', message: 'timeout', transient: true });
		const save = jest.fn(async () => {
			throw timeout;
		});
		await expect(placedGateway(gateway, save).saveJournalEntry(DRAFT)).resolves.toBe(held);
		expect(save).toHaveBeenCalledTimes(1);
	});

	it('a failure X3 did not process stands, without a lookup', async () => {
		const gateway = stubGateway();
		const busy = new X3Error(NODE, {
			kind: 'busy',
			message: 'pool busy',
			transient: true,
			notProcessed: true,
		});
		const save = jest.fn(async () => {
			throw busy;
		});
		await expect(placedGateway(gateway, save).saveJournalEntry(DRAFT)).rejects.toBe(busy);
		expect(gateway.findJournalEntriesByTraceId).not.toHaveBeenCalled();
	});

	it('a gateway that cannot build a journal object gets no placed save', () => {
		const { journalObject: _journalObject, ...withoutBuilder } = stubGateway();
		expect(
			withPlacedJournalFields(
				withoutBuilder as unknown as X3Gateway,
				{ save: jest.fn() },
				NODE,
				layoutFromSetup(SETUP),
				{},
				extraFieldsFromSetup(SETUP),
			),
		).toBeNull();
	});
});
