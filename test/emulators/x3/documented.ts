/**
 * The `documented` personality's publications: fixed block and field layouts written from Sage's documented
 * screens and tables (test/fixtures/reference), which do NOT follow the layout a client sends. A client that
 * guesses a block or field name wrong gets the error a real X3 gives instead of an emulator that agrees.
 * Source of each choice (file + section, [C]/[S]/[I] as in the fact sheet) in the comments and in README.md.
 */

import { DEFAULT_X3_LAYOUT, type X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import type { Behaviour } from './personality';
import {
	BlockDef,
	FieldDef,
	PublicationDef,
	buildPublications,
	char,
	date,
	decimal,
	yesNo,
} from './publications';

/**
 * The names the object logic (objects.ts, state.ts, rest.ts, graphql) works with under the documented
 * personality: the fixed GAS/BPS names below. Data-like settings (dimension types, chart of accounts) still
 * come from the options, because they are customer data, not publication names.
 */
export function documentedLayout(options: X3Layout, behaviour: Behaviour): X3Layout {
	return {
		...DEFAULT_X3_LAYOUT,
		journalEntry: {
			...DEFAULT_X3_LAYOUT.journalEntry,
			publication: behaviour.publicNames.journalEntry,
			headerBlock: GAS_HEADER,
			linesBlock: GAS_LINES,
			// BPRVCR A20: fact sheet §4.1 / §4.6 [C]; the line trace is the line description DES [I].
			fields: { ...DEFAULT_X3_LAYOUT.journalEntry.fields, traceField: 'BPRVCR' },
			traceFieldLength: 20,
			lineTraceField: 'DES',
		},
		supplier: {
			publication: behaviour.publicNames.supplier,
			block: BPS_MAIN,
			fields: { ...DEFAULT_X3_LAYOUT.supplier.fields },
		},
		account: { publication: behaviour.publicNames.account, block: 'GAC0_1' },
		dimension: { publication: behaviour.publicNames.dimension, block: 'CCE0_1' },
		dimensionTypes: [...options.dimensionTypes],
		chartOfAccounts: options.chartOfAccounts,
	};
}

export const GAS_HEADER = 'GAS0_1';
export const GAS_LINES = 'GAS1_1';
export const GAS_ANALYTICS = 'GAS2_1';
export const BPS_MAIN = 'BPS0_1';
export const BPS_PARTNER = 'BPRC_1';
export const BPS_ADDRESSES = 'BPAC_1';

/** Max GAS lines per entry: fact sheet §4.3 [C: FCT/GESGAS.htm]. */
const GAS_MAX_LINES = 9999;
/** Address table size: DIM="30" of BPAC_1 in Sage's BPC sample (Object__WSBPC__WSBPC_SAVE.XML) [C]. */
const ADDRESS_LINES = 30;

/** A left list can only name header fields; a typo would silently make every criterion "ignored". */
export function checkGasLeftList(leftList: readonly string[], header: FieldDef[]): void {
	const unknown = leftList.filter((name) => !header.some((field) => field.name === name));
	if (unknown.length)
		throw new Error(
			`gasLeftList names fields ${GAS_HEADER} does not have: ${unknown.join(', ')} (header fields: ${header
				.map((field) => field.name)
				.join(' ')})`,
		);
}

export function documentedPublications(layout: X3Layout, behaviour: Behaviour): PublicationDef[] {
	const dimensions = layout.dimensionTypes;
	const lists = behaviour.leftLists!;
	const cce = (): FieldDef[] =>
		dimensions.map((type, index) => char(`CCE${index + 1}`, 15, `Dimension ${type}`));

	// GACCENTRY header columns: fact sheet §4.1 [C: MCD/GACCENTRY.htm], lengths of BPRVCR (A20) and REFINT (A25)
	// [C]; the other lengths are X3's usual code lengths [I]. Block id GAS0_1: §2.5 example, §8.1 [I].
	const header: FieldDef[] = [
		char('TYP', 5, 'Entry type', { mandatory: true }),
		char('NUM', 20, 'Document no.', { enterable: false }),
		char('FCY', 5, 'Site', { mandatory: true }),
		char('CPY', 5, 'Company', { enterable: false }),
		char('JOU', 5, 'Journal'),
		date('ACCDAT', 'Accounting date', { mandatory: true }),
		char('CUR', 3, 'Currency', { mandatory: true }),
		char('REF', 20, 'Reference'),
		char('DESVCR', 30, 'Description', { caseInsensitive: true }),
		char('BPRVCR', 20, 'Source document'),
		date('BPRDATVCR', 'Source document date'),
		char('REFINT', 25, 'Internal reference'),
		{ name: 'STA', type: 'Integer', length: 1, label: 'Status', enterable: false },
	];
	// Screen fields of the line grid: DEB [C: FLD/GASDEB.htm], CDT its credit twin [I]; ACC, BPR, TAX, DES are
	// GACCENTRYD columns (dictionary CSV) used as screen names [I]. The table itself stores AMTCUR + SNS.
	const lines: FieldDef[] = [
		char('ACC', 20, 'Account', { mandatory: true }),
		decimal('DEB', 'Debit'),
		decimal('CDT', 'Credit'),
		char('BPR', 15, 'Business partner'),
		char('TAX', 5, 'Tax'),
		char('DES', 30, 'Line description', { caseInsensitive: true }),
		...(behaviour.gasAnalytics === 'lineFields' ? cce() : []),
	];
	checkGasLeftList(lists.journalEntry, header);
	const gasBlocks: BlockDef[] = [
		{ id: GAS_HEADER, kind: 'GRP', dim: 1, label: 'Header', fields: header },
		{ id: GAS_LINES, kind: 'TAB', dim: GAS_MAX_LINES, label: 'Lines', fields: lines },
	];
	if (behaviour.gasAnalytics === 'separateBlock') {
		// Analytics live in GACCENTRYA (LIN, DIE, CCE, AMTCUR …: dictionary CSV) [C]; as a screen table with one
		// distribution line per entry line, CCE flattened per dimension type (§2.5 [C] convention) [I].
		gasBlocks.push({
			id: GAS_ANALYTICS,
			kind: 'TAB',
			role: 'analytics',
			dim: GAS_MAX_LINES,
			label: 'Analytical distribution',
			fields: [
				{ name: 'LIN', type: 'Integer', length: 4, label: 'Line', mandatory: true },
				...cce(),
			],
		});
	}

	// Supplier: the twin of Sage's customer sample (Object__WSBPC__WSBPC_SAVE.XML [C]): BPC0_1 → BPS0_1 with
	// category, code and name; BPRC_1 (business partner: short name, BPRNAM list of 2, country, language,
	// currency); BPAC_1 address table. BPS names are the BPSUPPLIER columns of §5.1 / the dictionary CSV [C]
	// placed where the BPC sample has their twins [I]. Lengths: BPSNUM 15, BPSNAM 35 are X3's usual [I].
	const supplierBlocks: BlockDef[] = [
		{
			id: BPS_MAIN,
			kind: 'GRP',
			dim: 1,
			label: 'Supplier',
			fields: [
				char('BSGCOD', 5, 'Category', { mandatory: true }),
				char('BPSNUM', 15, 'Supplier'),
				char('BPSNAM', 35, 'Company name', { mandatory: true, caseInsensitive: true }),
				yesNo('ENAFLG', 'Active'),
				// UPDDATTIM: a BPSUPPLIER column (dictionary CSV) [C]; shown on this block [I]. Same on GAC0_1, CCE0_1.
				char('UPDDATTIM', 20, 'Last update (date time)'),
			],
		},
		{
			id: BPS_PARTNER,
			kind: 'GRP',
			dim: 1,
			label: 'Business partner',
			fields: [
				char('BPRSHO', 10, 'Short title', { caseInsensitive: true }),
				char('BPRLOG', 10, 'Acronym'),
				char('BPRNAM', 35, 'Company name', { dim: 2 }),
				char('CRY', 3, 'Country'),
				char('LAN', 3, 'Language'),
				char('CUR', 3, 'Currency'),
				char('CRN', 20, 'Site tax ID no.'),
			],
		},
		{
			id: BPS_ADDRESSES,
			kind: 'TAB',
			dim: ADDRESS_LINES,
			label: 'Addresses',
			fields: [
				char('CODADR', 5, 'Address code', { mandatory: true }),
				char('BPADES', 30, 'Description'),
				char('BPACRY', 3, 'Country'),
				char('ADDLIG1', 50, 'Address line 1'),
				char('ADDLIG2', 50, 'Address line 2'),
				char('ADDLIG3', 50, 'Address line 3'),
				char('POSCOD', 10, 'Postal code'),
				char('CTY', 40, 'City'),
				char('SAT', 35, 'State'),
				yesNo('BPAADDFLG', 'Default address'),
			],
		},
	];

	const ping = buildPublications(layout).filter((publication) => publication.kind === 'ping');
	return [
		{
			name: behaviour.publicNames.journalEntry,
			kind: 'journalEntry',
			object: 'GAS',
			typobj: 1,
			label: 'Journal entries',
			blocks: gasBlocks,
			leftList: lists.journalEntry,
		},
		{
			name: behaviour.publicNames.supplier,
			kind: 'supplier',
			object: 'BPS',
			typobj: 1,
			label: 'Suppliers',
			blocks: supplierBlocks,
			leftList: lists.supplier,
		},
		{
			// GACCOUNT columns COA, ACC, DES, DESSHO, ENAFLG, DIE, OBYIPT (dictionary CSV; key GAC0 = COA + ACC,
			// §4.2) [C]; block id and the dimensioned DIE/OBYIPT pair per dimension type [I].
			name: behaviour.publicNames.account,
			kind: 'account',
			object: 'GAC',
			typobj: 1,
			label: 'Accounts',
			blocks: [
				{
					id: 'GAC0_1',
					kind: 'GRP',
					dim: 1,
					label: 'Account',
					fields: [
						char('COA', 10, 'Chart of accounts'),
						char('ACC', 20, 'Account'),
						char('DES', 30, 'Description', { caseInsensitive: true }),
						char('DESSHO', 10, 'Short description', { caseInsensitive: true }),
						yesNo('ENAFLG', 'Active'),
						char('DIE', 10, 'Dimension type', { dim: dimensions.length }),
						{ ...yesNo('OBYIPT', 'Mandatory assignment'), dim: dimensions.length },
						char('UPDDATTIM', 20, 'Last update (date time)'),
					],
				},
			],
			leftList: lists.account,
		},
		{
			// CACCE columns DIE, CCE, DES, DESSHO, ENAFLG; key CCE0 = DIE + CCE (§4.2, dictionary CSV) [C].
			name: behaviour.publicNames.dimension,
			kind: 'dimension',
			object: 'CCE',
			typobj: 1,
			label: 'Dimensions',
			blocks: [
				{
					id: 'CCE0_1',
					kind: 'GRP',
					dim: 1,
					label: 'Dimension',
					fields: [
						char('DIE', 10, 'Dimension type'),
						char('CCE', 15, 'Dimension'),
						char('DES', 30, 'Description', { caseInsensitive: true }),
						char('DESSHO', 10, 'Short description', { caseInsensitive: true }),
						yesNo('ENAFLG', 'Active'),
						char('UPDDATTIM', 20, 'Last update (date time)'),
					],
				},
			],
			leftList: lists.dimension,
		},
		...ping,
	];
}
