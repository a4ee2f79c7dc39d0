/**
 * The client layout (X3 Setup) that fits the emulator's `documented` personality (documented.ts): what a customer
 * would configure after reading the publications' getDescription. Used by the integration tests and the e2e.
 */
import { DEFAULT_X3_LAYOUT } from '../../../nodes/SageX3/transport/gateway.types';
import type { X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import {
	BPS_ADDRESSES,
	BPS_MAIN,
	BPS_PARTNER,
	GAS_ANALYTICS,
	GAS_HEADER,
	GAS_LINES,
} from './documented';

/**
 * Documented GAS and BPS: analytics in the GAS2_1 table (LIN + CCE1..n), DES and DESVCR of 30 characters, supplier
 * short name / country / currency in BPRC_1 and one address line in BPAC_1. The item trace lives in the header
 * field BPRVCR only (no line trace field): SOAP `query` on the documented personality ignores criteria on line
 * fields, so only a header trace in the left list (GAS_LEFT_LIST_WITH_TRACE) can be proven, and Post Spend posts
 * one entry per expense.
 */
export const DOCUMENTED_X3_LAYOUT: X3Layout = {
	journalEntry: {
		...DEFAULT_X3_LAYOUT.journalEntry,
		publication: 'YGAS',
		headerBlock: GAS_HEADER,
		linesBlock: GAS_LINES,
		fields: { ...DEFAULT_X3_LAYOUT.journalEntry.fields, traceField: 'BPRVCR' },
		traceFieldLength: 20,
		lineTraceField: '',
		descriptionLength: 30,
		lineDescriptionLength: 30,
		analyticsBlock: GAS_ANALYTICS,
		analyticsLineField: 'LIN',
	},
	supplier: {
		publication: 'YBPS',
		block: BPS_MAIN,
		fields: {
			code: 'BPSNUM',
			name: 'BPSNAM',
			shortName: 'BPRSHO',
			category: 'BSGCOD',
			country: 'CRY',
			currency: 'CUR',
			addressCode: 'CODADR',
			isActive: 'ENAFLG',
		},
		fieldBlocks: { shortName: BPS_PARTNER, country: BPS_PARTNER, currency: BPS_PARTNER },
		addressBlock: BPS_ADDRESSES,
		addressFields: { country: 'BPACRY', description: 'BPADES', isDefault: 'BPAADDFLG' },
		defaultAddressCode: 'MAIN',
		addressDescriptionLength: 30,
	},
	account: { publication: 'YGAC', block: 'GAC0_1' },
	dimension: { publication: 'YCCE', block: 'CCE0_1' },
	dimensionTypes: [...DEFAULT_X3_LAYOUT.dimensionTypes],
	chartOfAccounts: DEFAULT_X3_LAYOUT.chartOfAccounts,
};

/**
 * The same with the item trace leading the line description DES (grouped entries): right for a read API that
 * filters on line fields; SOAP on the documented personality cannot prove it (X3TraceCheckUnverifiableError).
 */
export const DOCUMENTED_X3_LAYOUT_LINE_TRACE: X3Layout = {
	...DOCUMENTED_X3_LAYOUT,
	journalEntry: { ...DOCUMENTED_X3_LAYOUT.journalEntry, lineTraceField: 'DES' },
};
