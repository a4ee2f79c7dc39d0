/**
 * The X3 Setup collection a customer fills in after reading the getDescription of the emulator's `documented`
 * publications (test/emulators/x3/documented.ts): analytics in the GAS2_1 table, supplier short name / country /
 * currency in BPRC_1, one address line in BPAC_1, and no line trace field (the item trace is the header BPRVCR,
 * which the documented left list GAS_LEFT_LIST_WITH_TRACE can filter on). With the lengths getDescription gives,
 * it is DOCUMENTED_X3_LAYOUT (test/unit/x3SetupLayoutSettings.test.ts).
 */
import type { X3SetupParameters } from '../../nodes/SageX3/helpers/layout';

export const DOCUMENTED_X3_SETUP: X3SetupParameters = {
	lineTraceField: '',
	analyticsBlock: 'GAS2_1',
	analyticsLineField: 'LIN',
	fieldNames: JSON.stringify({
		supplier: { shortName: 'BPRC_1.BPRSHO', country: 'BPRC_1.CRY', currency: 'BPRC_1.CUR' },
	}),
	supplierAddressBlock: 'BPAC_1',
	supplierAddressFields:
		'{"addressCode": "CODADR", "country": "BPACRY", "description": "BPADES", "isDefault": "BPAADDFLG"}',
	defaultAddressCode: 'MAIN',
};
