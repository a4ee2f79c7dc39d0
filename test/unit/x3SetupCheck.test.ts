/**
 * Check X3 Setup, pure parts: the getDescription parser, the field findings, the verdict of each guarantee from
 * probe answers, Post Spend's decision, and the probes run against a fake SOAP client whose answers are shaped
 * like real ones (CAdxResultXml resultXml: `<RESULT><LIN>` for query, `<GRP>`/`<TAB>` for read, `<ADXDESC>`).
 */
import { DEFAULT_SOAP_NAMES } from '../../nodes/SageX3/transport/names';
import { parseResultPayload } from '../../nodes/SageX3/transport/soapXml';
import type { X3SoapCallResult } from '../../nodes/SageX3/transport/soap';
import type { X3KeyValue } from '../../nodes/SageX3/transport/soapXml';
import {
	extraFieldsFromSetup,
	fieldPlacementsFromSetup,
	LayoutError,
	layoutFromSetup,
} from '../../nodes/SageX3/helpers/layout';
import type { ExtraFields } from '../../nodes/SageX3/helpers/layout';
import {
	apiVerdict,
	describeFindings,
	postingDecision,
	soapFieldVerdict,
} from '../../nodes/SageX3/helpers/setupCheck';
import type {
	GuaranteeVerdict,
	SetupReport,
	SoapFieldProbe,
} from '../../nodes/SageX3/helpers/setupCheck';
import { runSetupCheck } from '../../nodes/SageX3/helpers/setupProbe';
import type { ProbeSoapClient } from '../../nodes/SageX3/helpers/setupProbe';
import { parseDescription } from '../../nodes/SageX3/helpers/x3Description';
import type { PublicationDescription } from '../../nodes/SageX3/helpers/x3Description';

const NO_EXTRAS: ExtraFields = { journalHeader: {}, journalLines: {}, supplier: {} };

function esc(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

type Fields = Record<string, string>;
interface DescField {
	name: string;
	length?: number;
	mandatory?: boolean;
	enterable?: boolean;
}

/** `<ADXDESC>` as getDescription answers it: blocks with FLD attributes (NAME, LONCHP, MANDATORY 2 = yes). */
function descriptionXml(blocks: Array<{ id: string; kind: 'GRP' | 'TAB'; fields: DescField[] }>) {
	const body = blocks
		.map((block) => {
			const fields = block.fields
				.map(
					(f) =>
						`<FLD NAME="${f.name}" TYPE="Char" LONCHP="${f.length ?? 10}" MANDATORY="${f.mandatory ? 2 : 1}" ENTERABLE="${f.enterable === false ? 1 : 2}"/>`,
				)
				.join('');
			return `<${block.kind} ID="${block.id}" TYPE="${block.kind}" DIM="1">${fields}</${block.kind}>`;
		})
		.join('');
	return `<ADXDESC PUBLI="YGAS" OBJET="GAS">${body}</ADXDESC>`;
}

const GAS_HEADER: DescField[] = [
	{ name: 'TYP', length: 5, mandatory: true },
	{ name: 'NUM', length: 20, enterable: false },
	{ name: 'FCY', length: 5, mandatory: true },
	{ name: 'ACCDAT', length: 8, mandatory: true },
	{ name: 'CUR', length: 3, mandatory: true },
	{ name: 'REF', length: 20 },
	{ name: 'DESVCR', length: 30 },
	{ name: 'BPRVCR', length: 20 },
];
const GAS_LINES: DescField[] = [
	{ name: 'ACC', length: 20, mandatory: true },
	{ name: 'DEB', length: 27 },
	{ name: 'CDT', length: 27 },
	{ name: 'CCE1', length: 15 },
	{ name: 'CCE2', length: 15 },
	{ name: 'CCE3', length: 15 },
	{ name: 'BPR', length: 15 },
	{ name: 'TAX', length: 5 },
	{ name: 'DES', length: 30 },
];

function gasDescription(
	header: DescField[] = GAS_HEADER,
	lines: DescField[] = GAS_LINES,
	headerBlock = 'GAS0_1',
): PublicationDescription {
	return parseDescription(
		'YGAS',
		descriptionXml([
			{ id: headerBlock, kind: 'GRP', fields: header },
			{ id: 'GAS1_1', kind: 'TAB', fields: lines },
		]),
	);
}

function journalFindings(description: PublicationDescription, setup = {}, extras = NO_EXTRAS) {
	const layout = layoutFromSetup(setup);
	return describeFindings(
		layout,
		fieldPlacementsFromSetup(setup),
		DEFAULT_SOAP_NAMES,
		extras,
		new Map([[layout.journalEntry.publication, description]]),
	);
}

describe('getDescription parser', () => {
	it('reads blocks, field lengths (LONCHP) and mandatory flags from the XML answer', () => {
		const description = gasDescription();
		expect(description.blocks.map((b) => [b.id, b.kind])).toEqual([
			['GAS0_1', 'GRP'],
			['GAS1_1', 'TAB'],
		]);
		expect(description.blocks[0].fields.find((f) => f.name === 'BPRVCR')).toMatchObject({
			block: 'GAS0_1',
			length: 20,
			mandatory: false,
		});
		expect(description.blocks[0].fields.find((f) => f.name === 'TYP')?.mandatory).toBe(true);
		expect(description.blocks[0].fields.find((f) => f.name === 'NUM')?.enterable).toBe(false);
	});

	it('reads the JSON answer (adxwss.optreturn=JSON) the same way', () => {
		const json = JSON.stringify({
			ADXDESC: {
				PUBLI: 'YGAS',
				GRP: [
					{ ID: 'GAS0_1', TYPE: 'GRP', FLD: [{ NAME: 'BPRVCR', LONCHP: '25', MANDATORY: '2' }] },
					{ ID: 'GAS1_1', TYPE: 'TAB', FLD: [{ NAME: 'DES', LONCHP: '30', MANDATORY: '1' }] },
				],
			},
		});
		const description = parseDescription('YGAS', json);
		expect(description.blocks).toEqual([
			{
				id: 'GAS0_1',
				kind: 'GRP',
				fields: [
					{
						name: 'BPRVCR',
						block: 'GAS0_1',
						type: null,
						length: 25,
						mandatory: true,
						enterable: null,
					},
				],
			},
			{
				id: 'GAS1_1',
				kind: 'TAB',
				fields: [
					{
						name: 'DES',
						block: 'GAS1_1',
						type: null,
						length: 30,
						mandatory: false,
						enterable: null,
					},
				],
			},
		]);
	});

	it('refuses an answer without blocks instead of reporting every field missing', () => {
		expect(() => parseDescription('YGAS', '<ADXDESC/>')).toThrow('lists no block');
		expect(() => parseDescription('YGAS', null)).toThrow('returned nothing');
	});
});

describe('field findings', () => {
	it('finds every field of the default layout with its length', () => {
		const findings = journalFindings(gasDescription());
		expect(findings.filter((f) => f.status !== 'found')).toEqual([]);
		expect(findings.find((f) => f.field === 'BPRVCR')).toMatchObject({
			status: 'found',
			length: 20,
			block: 'GAS0_1',
		});
		expect(findings.find((f) => f.field === 'DES')).toMatchObject({ length: 30 });
	});

	it('reports a missing field with the setting to fix', () => {
		const header = GAS_HEADER.filter((f) => f.name !== 'BPRVCR');
		const [missing] = journalFindings(gasDescription(header)).filter((f) => f.status !== 'found');
		expect(missing).toMatchObject({ field: 'BPRVCR', status: 'missing' });
		expect(missing.fix).toContain('Trace Field');
	});

	it('a field in another block: write it as BLOCK.FIELD; and once written so, it is found', () => {
		const header = GAS_HEADER.filter((f) => f.name !== 'BPRVCR');
		const description = parseDescription(
			'YGAS',
			descriptionXml([
				{ id: 'GAS0_1', kind: 'GRP', fields: header },
				{ id: 'GAS0_2', kind: 'GRP', fields: [{ name: 'BPRVCR', length: 20 }] },
				{ id: 'GAS1_1', kind: 'TAB', fields: GAS_LINES },
			]),
		);
		const [elsewhere] = journalFindings(description).filter((f) => f.status !== 'found');
		expect(elsewhere).toMatchObject({
			field: 'BPRVCR',
			status: 'otherBlock',
			foundBlock: 'GAS0_2',
			length: 20,
		});
		expect(elsewhere.fix).toBe('Write the field as GAS0_2.BPRVCR in X3 Setup → Trace Field.');
		const fixed = journalFindings(description, { traceField: 'GAS0_2.BPRVCR' });
		expect(fixed.filter((f) => f.status !== 'found')).toEqual([]);
	});

	it('every header field in a block the layout does not name: set Header Block to it', () => {
		const findings = journalFindings(gasDescription(GAS_HEADER, GAS_LINES, 'GAS0_2'));
		const wrong = findings.filter((f) => f.status !== 'found');
		expect(wrong.map((f) => f.field)).toEqual([
			'TYP',
			'NUM',
			'FCY',
			'ACCDAT',
			'CUR',
			'REF',
			'DESVCR',
			'BPRVCR',
		]);
		expect(wrong[0].fix).toBe(
			'Set Journal Header Block to GAS0_2 in X3 Setup (YGAS has no block GAS0_1).',
		);
	});

	it('a mandatory field the layout does not fill is reported until Extra Mandatory Fields gives it a value', () => {
		const header = [...GAS_HEADER, { name: 'JOU', length: 5, mandatory: true }];
		const lines = [...GAS_LINES, { name: 'QTY', length: 10, mandatory: true }];
		const description = gasDescription(header, lines);
		const unfilled = journalFindings(description).filter((f) => f.status === 'mandatoryUnfilled');
		expect(unfilled.map((f) => [f.field, f.block])).toEqual([
			['JOU', 'GAS0_1'],
			['QTY', 'GAS1_1'],
		]);
		expect(unfilled[0].fix).toContain('"journalEntry" → "header"');
		expect(unfilled[1].fix).toContain('"journalEntry" → "lines"');
		const extras = extraFieldsFromSetup({
			extraFields: '{"journalEntry": {"header": {"JOU": "OD"}, "lines": {"QTY": "1"}}}',
		});
		expect(
			journalFindings(description, {}, extras).filter((f) => f.status === 'mandatoryUnfilled'),
		).toEqual([]);
	});
});

describe('X3 Setup: BLOCK.FIELD and Extra Mandatory Fields', () => {
	it('a BLOCK.FIELD value gives the layout the field and records the block', () => {
		const setup = {
			traceField: 'GAS0_2.BPRVCR',
			fieldNames: '{"journalEntry": {"reference": "GAS0_3.REF"}}',
		};
		expect(layoutFromSetup(setup).journalEntry.fields.traceField).toBe('BPRVCR');
		expect(layoutFromSetup(setup).journalEntry.fields.reference).toBe('REF');
		expect(fieldPlacementsFromSetup(setup)).toEqual({
			'journalEntry.traceField': 'GAS0_2',
			'journalEntry.reference': 'GAS0_3',
		});
	});

	it('Extra Mandatory Fields: bad JSON, unknown sections and empty values are refused with the reason', () => {
		expect(() => extraFieldsFromSetup({ extraFields: '{' })).toThrow(LayoutError);
		expect(() => extraFieldsFromSetup({ extraFields: '{"gl": {}}' })).toThrow('unknown section');
		expect(() =>
			extraFieldsFromSetup({ extraFields: '{"journalEntry": {"header": {"JOU": ""}}}' }),
		).toThrow('needs a fixed value');
		expect(extraFieldsFromSetup({ extraFields: '{"supplier": {"TSSCOD": "BRX"}}' })).toEqual({
			journalHeader: {},
			journalLines: {},
			supplier: { TSSCOD: 'BRX' },
		});
	});
});

// ---------------------------------------------------------------------------------------------------------------

const KNOWN = { documentNumber: 'ODT0001', entryType: 'ODT', value: 'BRXE-KNOWN0000000001' };

function probe(overrides: Partial<SoapFieldProbe>): SoapFieldProbe {
	return {
		level: 'header',
		field: 'BPRVCR',
		documentNumberField: 'NUM',
		unmatched: { rows: [] },
		knownValue: KNOWN,
		known: { rows: [{ NUM: 'ODT0001', TYP: 'ODT', BPRVCR: KNOWN.value }] },
		...overrides,
	};
}

describe('verdict of a SOAP trace field from its probes', () => {
	it('passes when an unknown value finds nothing and the known value comes back with its column', () => {
		expect(soapFieldVerdict(probe({}))).toMatchObject({ guarantee: 'soapHeader', status: 'pass' });
	});

	it('fails when X3 ignores the criterion (a value no entry holds returns rows)', () => {
		const verdict = soapFieldVerdict(probe({ unmatched: { rows: [{ NUM: 'ODT0009' }] } }));
		expect(verdict.status).toBe('fail');
		expect(verdict.reason).toContain('ignores BPRVCR as a query criterion');
		expect(verdict.todo).toContain('left list');
	});

	it('passes when the known entry comes back without the trace column (the lookups read it back)', () => {
		const verdict = soapFieldVerdict(probe({ known: { rows: [{ NUM: 'ODT0001', TYP: 'ODT' }] } }));
		expect(verdict.status).toBe('pass');
		expect(verdict.reason).toContain('read each entry found back');
	});

	it('fails when rows without the trace column come back but not the known entry', () => {
		const verdict = soapFieldVerdict(probe({ known: { rows: [{ NUM: 'ODT0002', TYP: 'ODT' }] } }));
		expect(verdict.status).toBe('fail');
		expect(verdict.reason).toContain('did not return entry ODT0001');
		expect(verdict.reason).toContain('do not show the BPRVCR column');
	});

	it('fails when the known entry is not returned', () => {
		const verdict = soapFieldVerdict(probe({ known: { rows: [] } }));
		expect(verdict).toMatchObject({ status: 'fail' });
		expect(verdict.reason).toContain('did not return entry ODT0001');
	});

	it('is unproven, with what would prove it, when no entry holds a value to look for', () => {
		const verdict = soapFieldVerdict(
			probe({ knownValue: null, known: null, noKnownReason: 'X3 holds no journal entry' }),
		);
		expect(verdict).toMatchObject({ status: 'unproven', unprovenBecause: 'noKnownEntry' });
		expect(verdict.reason).toContain('X3 holds no journal entry');
		expect(verdict.todo).toContain('Enter one journal entry in X3 with a value in BPRVCR');
	});

	it('line level matches the value as a prefix (the item trace id leads the line description)', () => {
		const lineProbe = probe({
			level: 'line',
			field: 'DES',
			knownValue: { ...KNOWN, value: 'BRXE-KNOWN0000000001' },
			known: { rows: [{ NUM: 'ODT0001', DES: 'BRXE-KNOWN0000000001 Taxi' }] },
		});
		expect(soapFieldVerdict(lineProbe)).toMatchObject({ guarantee: 'soapLine', status: 'pass' });
	});
});

describe('verdict of a read API (REST, GraphQL) from its lookups', () => {
	const base = {
		api: 'rest' as const,
		configured: true,
		level: 'line' as const,
		unmatched: { documents: [] },
		knownValue: KNOWN,
		known: { documents: ['ODT0001'] },
	};
	it('pass, fail on a match for an unknown id, fail when the known entry is not found, unproven without one', () => {
		expect(apiVerdict(base).status).toBe('pass');
		expect(apiVerdict({ ...base, unmatched: { documents: ['ODT0009'] } }).status).toBe('fail');
		expect(apiVerdict({ ...base, known: { documents: [] } }).status).toBe('fail');
		expect(apiVerdict({ ...base, knownValue: null, known: null })).toMatchObject({
			status: 'unproven',
			unprovenBecause: 'noKnownEntry',
		});
		expect(apiVerdict({ ...base, configured: false, unmatched: null })).toMatchObject({
			status: 'unproven',
			unprovenBecause: 'notConfigured',
		});
	});
});

function report(
	statuses: Partial<Record<GuaranteeVerdict['guarantee'], GuaranteeVerdict['status']>>,
	ledgerEmpty = false,
): SetupReport {
	return {
		verdicts: (['soapHeader', 'soapLine', 'rest', 'graphql'] as const).map((guarantee) => ({
			guarantee,
			title: guarantee,
			status: statuses[guarantee] ?? 'unproven',
			reason: `${guarantee} reason`,
			todo: `${guarantee} todo`,
			...((statuses[guarantee] ?? 'unproven') === 'unproven'
				? { unprovenBecause: 'noKnownEntry' as const }
				: {}),
		})),
		findings: [],
		ledgerEmpty,
		lengths: {
			traceField: null,
			lineTraceField: null,
			lineDescription: null,
			headerDescription: null,
		},
	};
}

describe("Post Spend's decision", () => {
	it('daily sets on SOAP need the line trace field; one entry per item also does with the header one', () => {
		const headerOnly = report({ soapHeader: 'pass', soapLine: 'fail', rest: 'pass' });
		const refused = postingDecision(headerOnly, 'soap', 'entrySet', true);
		expect(refused.action).toBe('refuse');
		expect(refused.action === 'refuse' && refused.reason).toContain('soapLine reason');
		expect(refused.action === 'refuse' && refused.reason).toContain('Read API REST');
		expect(refused.action === 'refuse' && refused.reason).toContain('One Entry per Item');
		expect(postingDecision(headerOnly, 'soap', 'perItem', true)).toEqual({
			action: 'post',
			linesOnly: false,
		});
		expect(postingDecision(report({ soapLine: 'pass' }), 'soap', 'entrySet', true)).toEqual({
			action: 'post',
			linesOnly: true,
		});
	});

	it('daily sets without a line trace field are refused whatever the verdicts', () => {
		const all = report({ soapHeader: 'pass', soapLine: 'pass', rest: 'pass', graphql: 'pass' });
		const decision = postingDecision(all, 'graphql', 'entrySet', false);
		expect(decision.action).toBe('refuse');
		expect(decision.action === 'refuse' && decision.reason).toContain('no Line Trace Field');
	});

	it('REST and GraphQL use their own verdict', () => {
		expect(postingDecision(report({ graphql: 'pass' }), 'graphql', 'entrySet', true).action).toBe(
			'post',
		);
		expect(postingDecision(report({ graphql: 'fail' }), 'graphql', 'entrySet', true).action).toBe(
			'refuse',
		);
	});

	it('unproven refuses, except on an empty ledger where one entry goes first', () => {
		expect(postingDecision(report({}), 'rest', 'entrySet', true).action).toBe('refuse');
		expect(postingDecision(report({}, true), 'rest', 'entrySet', true)).toMatchObject({
			action: 'postOneThenCheck',
			linesOnly: true,
		});
		// A failed verdict is not rescued by an empty ledger.
		expect(postingDecision(report({ rest: 'fail' }, true), 'rest', 'entrySet', true).action).toBe(
			'refuse',
		);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Probes against a fake SOAP X3

interface FakeEntry {
	header: Fields;
	lines: Fields[];
}

interface FakeX3Options {
	/** Query criteria are not applied (every entry matches). */
	ignoreCriteria?: boolean;
	/** Columns a query returns (the publication's left list). */
	leftList?: string[];
}

function fieldsXml(fields: Fields): string {
	return Object.entries(fields)
		.map(([name, value]) => `<FLD NAME="${name}" TYPE="Char">${esc(value)}</FLD>`)
		.join('');
}

function answer(resultXml: string | null, status = 1): X3SoapCallResult {
	return {
		status,
		messages: [],
		resultXml,
		technicalInfos: null,
		data: parseResultPayload(resultXml),
	};
}

/** A SOAP X3 holding journal entries, answering like CAdxWebServiceXmlCC; records every call. */
class FakeSoapX3 implements ProbeSoapClient {
	calls: string[] = [];

	constructor(
		private readonly entries: FakeEntry[],
		private readonly options: FakeX3Options = {},
	) {}

	async getDescription(publicName: string) {
		this.calls.push(`getDescription ${publicName}`);
		return answer(
			descriptionXml([
				{ id: 'GAS0_1', kind: 'GRP', fields: GAS_HEADER },
				{ id: 'GAS1_1', kind: 'TAB', fields: GAS_LINES },
			]),
		);
	}

	async query(_publicName: string, keys: X3KeyValue[], listSize: number) {
		this.calls.push(`query ${keys.map((k) => `${k.key}=${k.value}`).join('&')}`);
		const matches = (entry: FakeEntry) =>
			this.options.ignoreCriteria ||
			keys.every(({ key, value }) => {
				const values = [entry.header[key], ...entry.lines.map((line) => line[key])].filter(
					(v) => v !== undefined,
				);
				return values.some((v) =>
					value.endsWith('*') ? v.startsWith(value.slice(0, -1)) : v === value,
				);
			});
		const leftList = this.options.leftList ?? ['TYP', 'NUM', 'ACCDAT', 'BPRVCR'];
		const rows = this.entries
			.filter(matches)
			.slice(0, listSize)
			.map((entry, index) => {
				const columns = Object.fromEntries(
					leftList
						.filter((name) => entry.header[name] !== undefined)
						.map((name) => [name, entry.header[name]]),
				);
				return `<LIN NUM="${index + 1}">${fieldsXml(columns)}</LIN>`;
			});
		return answer(`<RESULT DIM="${listSize}" SIZE="${rows.length}">${rows.join('')}</RESULT>`);
	}

	async read(_publicName: string, keys: X3KeyValue[]) {
		this.calls.push(`read ${keys.map((k) => `${k.key}=${k.value}`).join('&')}`);
		const entry = this.entries.find((e) => keys.every(({ key, value }) => e.header[key] === value));
		if (!entry) return answer(null, 0);
		const lines = entry.lines
			.map((line, index) => `<LIN NUM="${index + 1}">${fieldsXml(line)}</LIN>`)
			.join('');
		return answer(
			`<RESULT><GRP ID="GAS0_1">${fieldsXml(entry.header)}</GRP><TAB ID="GAS1_1" SIZE="${entry.lines.length}">${lines}</TAB></RESULT>`,
		);
	}
}

const POSTED: FakeEntry = {
	header: { TYP: 'ODT', NUM: 'ODT0001', ACCDAT: '20261102', BPRVCR: 'BRXS-SET0000000000001' },
	lines: [
		{ ACC: '625100', DEB: '12.00', DES: 'BRXE-ITEM000000000001 Taxi' },
		{ ACC: '401000', CDT: '12.00', DES: 'Brex card spend' },
	],
};

async function check(
	soap: FakeSoapX3,
	lookups: { rest?: Map<string, string[]> } = {},
): Promise<SetupReport> {
	const layout = layoutFromSetup({});
	return await runSetupCheck(
		{
			soap,
			...(lookups.rest
				? {
						rest: {
							findTraceHolders: async (ids: string[]) =>
								new Map(
									ids
										.filter((id) => lookups.rest?.has(id))
										.map((id) => [id, lookups.rest!.get(id)!]),
								),
						},
					}
				: {}),
		},
		{
			layout,
			placements: {},
			extras: NO_EXTRAS,
			soapNames: DEFAULT_SOAP_NAMES,
			tracePrefix: 'BRX',
			describe: 'journal',
			apis: lookups.rest ? ['rest'] : [],
			random: (n) => new Uint8Array(n).fill(7),
		},
	);
}

const statusOf = (r: SetupReport) =>
	Object.fromEntries(r.verdicts.map((v) => [v.guarantee, v.status]));

describe('probes against a SOAP X3 (read-only)', () => {
	it('all good: header passes; the line field passes through read-backs (the left list has no DES column)', async () => {
		const soap = new FakeSoapX3([POSTED]);
		const result = await check(soap, {
			rest: new Map([['BRXE-ITEM000000000001', ['ODT0001']]]),
		});
		expect(statusOf(result)).toEqual({
			soapHeader: 'pass',
			soapLine: 'pass',
			rest: 'pass',
			graphql: 'unproven',
		});
		expect(result.verdicts[1].reason).toContain('The DES column is not in the answer');
		expect(result.lengths).toEqual({
			traceField: 20,
			lineTraceField: 30,
			lineDescription: 30,
			headerDescription: 30,
		});
		// Read-only: getDescription, query and read only; the entry read by entry type + number.
		expect(soap.calls.every((call) => /^(getDescription|query|read) /.test(call))).toBe(true);
		expect(soap.calls).toContain('read TYP=ODT&NUM=ODT0001');
	});

	it('with DES in the left list the line field passes too', async () => {
		const soap = new FakeSoapX3([POSTED], { leftList: ['TYP', 'NUM', 'BPRVCR', 'DES'] });
		// The fake returns header columns; DES is a line column: give the row the matching line's value.
		const withLineColumn = new FakeSoapX3(
			[{ ...POSTED, header: { ...POSTED.header, DES: POSTED.lines[0].DES } }],
			{ leftList: ['TYP', 'NUM', 'BPRVCR', 'DES'] },
		);
		expect(statusOf(await check(withLineColumn)).soapLine).toBe('pass');
		expect(statusOf(await check(soap)).soapHeader).toBe('pass');
	});

	it('an X3 that ignores criteria fails both SOAP guarantees', async () => {
		const result = await check(new FakeSoapX3([POSTED], { ignoreCriteria: true }));
		expect(statusOf(result)).toMatchObject({ soapHeader: 'fail', soapLine: 'fail' });
		expect(result.verdicts[0].reason).toContain('ignores BPRVCR');
	});

	it('a header trace column missing from the answers: the header guarantee rests on read-backs', async () => {
		const result = await check(new FakeSoapX3([POSTED], { leftList: ['TYP', 'NUM'] }));
		expect(statusOf(result).soapHeader).toBe('pass');
		expect(result.verdicts[0].reason).toContain('The BPRVCR column is not in the answer');
	});

	it('an empty X3: unproven with the reason, and the ledger is reported empty', async () => {
		const result = await check(new FakeSoapX3([]), { rest: new Map() });
		expect(result.ledgerEmpty).toBe(true);
		expect(statusOf(result)).toMatchObject({
			soapHeader: 'unproven',
			soapLine: 'unproven',
			rest: 'unproven',
		});
		expect(result.verdicts[0].reason).toContain('X3 holds no journal entry');
	});

	it('entries without a trace value: unproven, not empty, so Post Spend refuses', async () => {
		const manual: FakeEntry = {
			header: { TYP: 'ODT', NUM: 'ODT0002', ACCDAT: '20261102' },
			lines: [{ ACC: '625100', DEB: '5.00' }],
		};
		const result = await check(new FakeSoapX3([manual]));
		expect(result.ledgerEmpty).toBe(false);
		expect(statusOf(result).soapHeader).toBe('unproven');
		expect(result.verdicts[0].reason).toContain('have no value there');
		expect(postingDecision(result, 'soap', 'perItem', true).action).toBe('refuse');
	});

	it('REST is proven with a manual entry when this node has posted none (its whole line value)', async () => {
		const manual: FakeEntry = {
			header: { TYP: 'ODT', NUM: 'ODT0003', ACCDAT: '20261102', BPRVCR: 'INV-2026-0042' },
			lines: [{ ACC: '625100', DEB: '5.00', DES: 'Office supplies March' }],
		};
		const asked: string[] = [];
		const layout = layoutFromSetup({});
		const result = await runSetupCheck(
			{
				soap: new FakeSoapX3([manual]),
				rest: {
					findTraceHolders: async (ids: string[]) => {
						asked.push(...ids);
						return new Map(
							ids.filter((id) => id === 'Office supplies March').map((id) => [id, ['ODT0003']]),
						);
					},
				},
			},
			{
				layout,
				placements: {},
				extras: NO_EXTRAS,
				soapNames: DEFAULT_SOAP_NAMES,
				tracePrefix: 'BRX',
				describe: 'journal',
				apis: ['rest'],
			},
		);
		expect(asked).toContain('Office supplies March');
		expect(statusOf(result).rest).toBe('pass');
	});

	it('reads first the entries whose listed trace value is not empty', async () => {
		const blank = (n: number): FakeEntry => ({
			header: { TYP: 'ODT', NUM: `ODT000${n}`, ACCDAT: '20261102' },
			lines: [{ ACC: '625100', DEB: '5.00', DES: `Manual ${n}` }],
		});
		const traced: FakeEntry = {
			header: { TYP: 'ODT', NUM: 'ODT0009', ACCDAT: '20261102', BPRVCR: 'INV-2026-0042' },
			lines: [{ ACC: '625100', DEB: '5.00', DES: 'Invoice 42' }],
		};
		const soap = new FakeSoapX3([blank(1), blank(2), blank(3), blank(4), traced]);
		const result = await check(soap);
		expect(statusOf(result).soapHeader).toBe('pass');
		expect(soap.calls.filter((call) => call.startsWith('read '))[0]).toBe(
			'read TYP=ODT&NUM=ODT0009',
		);
	});
});
