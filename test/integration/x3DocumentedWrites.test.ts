/**
 * Writes that fit the documented X3 (the emulator's `documented` personality, with BPRVCR in the GAS left list):
 * journal entries with their analytics in the GAS2_1 table and descriptions cut to the 30-character fields, a
 * supplier over BPS0_1 / BPRC_1 and one BPAC_1 address line, through the product's gateway with
 * DOCUMENTED_X3_LAYOUT; and Post Spend's posting loop (postEntries) on top of it: one entry per expense, found
 * again by its header trace, while a line-field trace check through SOAP fails closed.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { planJournalEntries } from '../../nodes/ledger/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/ledger/journalDraft';
import { spendTraceId } from '../../nodes/common/traceId';
import { postEntries } from '../../nodes/SageX3/helpers/postEntries';
import {
	X3BusinessError,
	X3TraceCheckUnverifiableError,
} from '../../nodes/SageX3/transport/errors';
import { createX3Gateway } from '../../nodes/SageX3/transport/gateway';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type {
	JournalEntryDraft,
	X3Gateway,
	X3Layout,
} from '../../nodes/SageX3/transport/gateway.types';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import {
	DOCUMENTED_X3_LAYOUT,
	DOCUMENTED_X3_LAYOUT_LINE_TRACE,
	GAS_ANALYTICS,
	GAS_LEFT_LIST_WITH_TRACE,
	startX3Emulator,
} from '../emulators/x3/testkit';
import type { X3Emulator } from '../emulators/x3/testkit';
import { fakeX3Context, recordingSleep } from '../unit/x3FakeContext';

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({
		personality: 'documented',
		gasLeftList: GAS_LEFT_LIST_WITH_TRACE,
		seed: 42,
	});
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => {
	emulator.reset();
	resetSharedLimiters();
});

function gateway(
	layout: X3Layout = DOCUMENTED_X3_LAYOUT,
	options: Partial<X3GatewayOptions> = {},
): X3Gateway {
	const soap: ICredentialDataDecryptedObject = {
		url: emulator.url,
		endpoint: emulator.config.endpoint,
		poolAlias: emulator.config.poolAlias,
		language: 'ENG',
		user: emulator.config.user,
		password: emulator.config.password,
		maxConcurrentCalls: 4,
		requestTimeoutSeconds: 10,
	};
	return createX3Gateway(fakeX3Context({ sageX3Api: soap }), {
		readApi: 'soap',
		layout,
		soapCredentialType: 'sageX3Api',
		retry: { sleep: recordingSleep().sleep, random: () => 0 },
		...options,
	});
}

const LONG_TEXT = 'Team dinner with the customer at Café de la Paix'; // 49 characters

function draft(traceId: string, overrides: Partial<JournalEntryDraft> = {}): JournalEntryDraft {
	return {
		entryType: 'BRX',
		site: 'FR011',
		accountingDate: '2024-03-15',
		currency: 'EUR',
		reference: 'Brex card',
		description: 'Brex card spend',
		traceId,
		lines: [
			{
				account: '625700',
				debit: '120.50',
				dimensions: { DEP: 'ENG', CCT: 'CC-PAR' },
				description: 'Lunch at Café Crème',
			},
			{ account: '625100', debit: '79.50', dimensions: { DEP: 'SAL', PRJ: 'PRJ-ALPHA' } },
			{ account: '467100', credit: '200.00', dimensions: {}, description: 'Brex card liability' },
		],
		...overrides,
	};
}

/** One block of a logged save payload (the emulator logs blocks as { id, kind, fields | lines }). */
function loggedBlock(payload: unknown, id: string) {
	type Block = {
		id: string;
		fields?: Record<string, string>;
		lines?: Array<Record<string, string>>;
	};
	return (payload as Block[]).find((block) => block.id === id);
}

function lastSave() {
	const saves = emulator.soapLog.filter((entry) => entry.operation === 'save');
	return saves[saves.length - 1];
}

describe('journal entries on the documented GAS', () => {
	it.each(['json', 'xml'] as const)(
		'writes the dimensions as GAS2_1 lines (LIN + CCE in layout order) and reads them back joined on LIN (%s payload)',
		async (payloadFormat) => {
			const x3 = gateway(DOCUMENTED_X3_LAYOUT, { payloadFormat });
			const posted = await x3.saveJournalEntry(draft(`BRXS-ANALYTICS-${payloadFormat}`));
			const save = lastSave();
			expect(save.payloadFormat).toBe(payloadFormat);
			expect(save.status).toBe(1);
			const stored = emulator.state.journalEntries.find(
				(entry) => entry.documentNumber === posted.documentNumber,
			)!;
			expect(stored.lines.map((line) => line.dimensions)).toEqual([
				{ DEP: 'ENG', CCT: 'CC-PAR' },
				{ DEP: 'SAL', PRJ: 'PRJ-ALPHA' },
				{},
			]);

			const [read] = await x3.findJournalEntriesByTraceId(`BRXS-ANALYTICS-${payloadFormat}`);
			expect(read.documentNumber).toBe(posted.documentNumber);
			expect(
				read.lines?.map((line) => [line.account, line.debit, line.credit, line.dimensions]),
			).toEqual([
				['625700', '120.50', null, { DEP: 'ENG', CCT: 'CC-PAR' }],
				['625100', '79.50', null, { DEP: 'SAL', PRJ: 'PRJ-ALPHA' }],
				['467100', null, '200.00', {}],
			]);
			expect(read.lines?.map((line) => line.dimensions)).toEqual(
				posted.lines?.map((line) => line.dimensions),
			);
		},
	);

	it('the layout without an analytics block writes CCE1..n on the lines, which the documented GAS refuses', async () => {
		const { analyticsBlock: _block, ...onLines } = DOCUMENTED_X3_LAYOUT.journalEntry;
		const x3 = gateway({ ...DOCUMENTED_X3_LAYOUT, journalEntry: onLines });
		const error = await x3.saveJournalEntry(draft('BRXS-ONLINES0000001')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(X3BusinessError);
		expect((error as X3BusinessError).message).toContain('CCE');
		expect(emulator.state.journalEntries).toHaveLength(0);
	});

	it('cuts a 49-character description to the 30 characters of DES and DESVCR, and keeps a leading trace id whole', async () => {
		const x3 = gateway(DOCUMENTED_X3_LAYOUT_LINE_TRACE);
		const lineTrace = 'BRXE-LINETRACE00001';
		const posted = await x3.saveJournalEntry(
			draft('BRXS-LONGTEXT000001', {
				description: LONG_TEXT,
				lines: [
					{
						account: '625700',
						debit: '10.00',
						dimensions: { DEP: 'ENG' },
						description: LONG_TEXT,
						lineTraceId: lineTrace,
					},
					{ account: '467100', credit: '10.00', dimensions: {}, description: LONG_TEXT },
				],
			}),
		);
		const stored = emulator.state.journalEntries.find(
			(entry) => entry.documentNumber === posted.documentNumber,
		)!;
		expect(stored.description).toBe(LONG_TEXT.slice(0, 30).trimEnd());
		expect(stored.lines[0].description).toBe(`${lineTrace} ${LONG_TEXT.slice(0, 10)}`);
		expect(stored.lines[1].description).toBe(LONG_TEXT.slice(0, 30).trimEnd());
		expect(lastSave().messages).toEqual([]);
		// Reported as written.
		expect(posted.lines?.map((line) => line.description)).toEqual([
			LONG_TEXT.slice(0, 10),
			LONG_TEXT.slice(0, 30).trimEnd(),
		]);
	});

	it('the same description uncut is refused by the documented GAS (lengths enforced)', async () => {
		const x3 = gateway({
			...DOCUMENTED_X3_LAYOUT,
			journalEntry: { ...DOCUMENTED_X3_LAYOUT.journalEntry, lineDescriptionLength: 60 },
		});
		const error = await x3
			.saveJournalEntry(
				draft('BRXS-UNCUT000000001', {
					lines: [
						{
							account: '625700',
							debit: '10.00',
							dimensions: { DEP: 'ENG' },
							description: LONG_TEXT,
						},
						{ account: '467100', credit: '10.00', dimensions: {} },
					],
				}),
			)
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(X3BusinessError);
		expect((error as X3BusinessError).message).toContain('DES');
		expect(emulator.state.journalEntries).toHaveLength(0);
	});

	it('refuses, naming the field and its length, a line trace id that does not fit: nothing is sent', async () => {
		const x3 = gateway({
			...DOCUMENTED_X3_LAYOUT_LINE_TRACE,
			journalEntry: { ...DOCUMENTED_X3_LAYOUT_LINE_TRACE.journalEntry, lineDescriptionLength: 12 },
		});
		const before = emulator.soapLog.length;
		const error = (await x3
			.saveJournalEntry(
				draft('BRXS-NOFIT000000001', {
					lines: [
						{
							account: '625700',
							debit: '10.00',
							dimensions: { DEP: 'ENG' },
							lineTraceId: 'BRXE-LINETRACE00001',
						},
						{ account: '467100', credit: '10.00', dimensions: {} },
					],
				}),
			)
			.catch((e: unknown) => e)) as Error;
		expect(error.message).toBe(
			'Line 1: the trace id "BRXE-LINETRACE00001" (19 characters) does not fit the line trace field DES (12 characters)',
		);
		expect(emulator.soapLog.length).toBe(before);
	});
});

describe('suppliers on the documented BPS', () => {
	it('creates a supplier over BPS0_1, BPRC_1 and one BPAC_1 address line, and reads it back the same', async () => {
		const x3 = gateway();
		const created = await x3.createSupplier({
			name: 'Blue Bottle Coffee Roasters Oakland',
			shortName: 'BLUEBOTTLE',
			category: 'SUPUS',
			country: 'US',
			currency: 'USD',
		});
		expect(lastSave().status).toBe(1);
		expect(loggedBlock(lastSave().payload, 'BPAC_1')?.lines).toEqual([
			{ CODADR: 'MAIN', BPACRY: 'US', BPADES: 'Blue Bottle Coffee Roasters Oa', BPAADDFLG: '2' },
		]);
		expect(loggedBlock(lastSave().payload, 'BPRC_1')?.fields).toEqual({
			BPRSHO: 'BLUEBOTTLE',
			CRY: 'US',
			CUR: 'USD',
		});
		const stored = emulator.state.suppliers.get(created.code)!;
		expect(stored).toMatchObject({
			name: 'Blue Bottle Coffee Roasters Oakland',
			shortName: 'BLUEBOTTLE',
			category: 'SUPUS',
			country: 'US',
			currency: 'USD',
			addressCode: 'MAIN',
		});
		const read = await x3.getSupplier(created.code);
		expect(read).toEqual(created);
		expect(read).toMatchObject({ shortName: 'BLUEBOTTLE', country: 'US', currency: 'USD' });
	});

	it('takes the address code of the draft', async () => {
		const created = await gateway().createSupplier({
			name: 'Acme',
			category: 'SUPFR',
			country: 'FR',
			currency: 'EUR',
			addressCode: 'HQ',
		});
		expect(emulator.state.suppliers.get(created.code)?.addressCode).toBe('HQ');
	});

	it('the one-block default layout is refused by the documented BPS (no address, fields in other blocks)', async () => {
		const error = await gateway(DEFAULT_X3_LAYOUT)
			.createSupplier({ name: 'Acme', category: 'SUPFR', country: 'FR' })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(X3BusinessError);
	});
});

describe("Post Spend's posting loop on the documented X3 (SOAP, BPRVCR in the left list)", () => {
	const OPTIONS: DraftOptions = { mode: 'perItem', traceFieldLength: 20 };

	function item(n: number): PostingItem {
		return {
			itemIndex: n,
			traceId: spendTraceId('expense', `documented_${n}`),
			accountingDate: '2024-03-15',
			currency: 'EUR',
			amount: `${10 + n}.25`,
			site: 'FR011',
			entryType: 'BRX',
			liabilityAccount: '467100',
			account: '625700',
			dimensions: { DEP: n % 2 === 0 ? 'ENG' : 'SAL', CCT: 'CC-PAR' },
			description: `${LONG_TEXT} #${n}`,
		};
	}

	it('posts one entry per expense with its analytics, and a second run finds every one by its header trace', async () => {
		const x3 = gateway();
		const items = [1, 2, 3, 4].map(item);
		const logged = emulator.soapLog.length;
		const first = await postEntries(x3, planJournalEntries(items, OPTIONS), OPTIONS, 2);
		expect([...first.outcomes.values()].map((outcome) => outcome.status)).toEqual(
			Array(4).fill('posted'),
		);
		const entries = emulator.state.journalEntries;
		expect(entries).toHaveLength(4);
		for (const posting of items) {
			const held = entries.filter((entry) => entry.traceValue === posting.traceId);
			expect(held).toHaveLength(1);
			expect(held[0].lines[0].dimensions).toEqual(posting.dimensions);
			expect(held[0].lines[0].description).toBe(LONG_TEXT.slice(0, 30).trimEnd());
		}
		const saves = emulator.soapLog.slice(logged).filter((entry) => entry.operation === 'save');
		expect(saves.map((save) => loggedBlock(save.payload, GAS_ANALYTICS)?.lines?.length)).toEqual([
			1, 1, 1, 1,
		]);

		// The reconciliation reads the same lines and dimensions back.
		const listed = await x3.listTracedJournalEntries({ from: '2024-03-01', to: '2024-03-31' });
		expect(listed).toHaveLength(4);
		for (const posting of items) {
			const entry = listed.find((candidate) => candidate.traceId === posting.traceId);
			expect(entry?.lines?.map((line) => [line.account, line.dimensions])).toEqual([
				['625700', posting.dimensions],
				['467100', {}],
			]);
		}

		const again = await postEntries(x3, planJournalEntries(items, OPTIONS), OPTIONS, 2);
		expect(again.stats.saves).toBe(0);
		for (const posting of items) {
			const outcome = again.outcomes.get(posting.itemIndex);
			expect(outcome).toMatchObject({
				status: 'already_posted',
				documentNumber: entries.find((entry) => entry.traceValue === posting.traceId)
					?.documentNumber,
			});
		}
		expect(emulator.state.journalEntries).toHaveLength(4);
	});

	it('a trace check on the line field DES through SOAP fails closed (criterion ignored): nothing is posted', async () => {
		await postEntries(gateway(), planJournalEntries([item(1)], OPTIONS), OPTIONS, 1);
		expect(emulator.state.journalEntries).toHaveLength(1);

		const x3 = gateway(DOCUMENTED_X3_LAYOUT_LINE_TRACE);
		await expect(x3.findPostedTraceIds([item(2).traceId], { linesOnly: true })).rejects.toThrow(
			X3TraceCheckUnverifiableError,
		);
		const items = [2, 3].map(item);
		const { outcomes, stats } = await postEntries(
			x3,
			planJournalEntries(items, OPTIONS),
			OPTIONS,
			1,
		);
		expect(stats.saves).toBe(0);
		for (const posting of items) {
			const outcome = outcomes.get(posting.itemIndex);
			expect(outcome?.status).toBe('failed');
			expect(outcome?.status === 'failed' && outcome.error).toBeInstanceOf(
				X3TraceCheckUnverifiableError,
			);
		}
		expect(emulator.state.journalEntries).toHaveLength(1);
	});
});
