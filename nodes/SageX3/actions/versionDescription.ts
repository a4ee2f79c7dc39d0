import type { INodeProperties } from 'n8n-workflow';

import { resourceProperty as x3ResourceProperty } from '../../common/nodeDescriptions';

import * as account from './account/Account.resource';
import * as dimension from './dimension/Dimension.resource';
import * as journalEntry from './journalEntry/JournalEntry.resource';
import * as x3Setup from './setup/Setup.resource';
import * as supplier from './supplier/Supplier.resource';

export const readApiProperty: INodeProperties = {
	displayName: 'Read API',
	name: 'readApi',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'GraphQL (Connected App)',
			value: 'graphql',
			description:
				'X3 V12+ GraphQL API on-premises, with a token signed by a connected application (Sage X3 Connected App credential)',
		},
		{
			name: 'GraphQL (Sage X3 Cloud)',
			value: 'graphqlCloud',
			description: 'X3 Cloud GraphQL API with OAuth 2.0 (Sage X3 Cloud OAuth2 credential)',
		},
		{
			name: 'REST (Api1)',
			value: 'rest',
			description: 'Syracuse REST api1 representations, basic auth',
		},
		{ name: 'SOAP', value: 'soap', description: 'The same SOAP pool as writes' },
	],
	default: 'soap',
	// One parameter picks both the API and, for GraphQL, the credential: n8n's editor takes the parameter the
	// credentials' display conditions depend on as the node's authentication choice, and a second one hid this.
	description:
		'API used for lookups, and for GraphQL which credential signs in. Writes (entries, suppliers) always use SOAP web services with the Sage X3 API credential.',
};

export const resourceProperty: INodeProperties = x3ResourceProperty(
	[
		{ name: 'Dimension', value: 'dimension' },
		{ name: 'GL Account', value: 'account' },
		{ name: 'Journal Entry', value: 'journalEntry' },
		{ name: 'Supplier', value: 'supplier' },
		{ name: 'X3 Setup', value: 'x3Setup' },
	],
	'journalEntry',
);

/** Defaults are DEFAULT_X3_LAYOUT's values written out (the linter wants literals); a unit test keeps them equal. */
export const x3SetupProperty: INodeProperties = {
	displayName: 'X3 Setup',
	name: 'x3Setup',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	description:
		'How your X3 folder is set up: web service publications, blocks, trace field and dimension types',
	options: [
		{
			displayName: 'Account Block',
			name: 'accountBlock',
			type: 'string',
			default: 'GAC0_1',
			description: 'Block (group) ID of the GL account publication',
		},
		{
			displayName: 'Account Publication',
			name: 'accountPublication',
			type: 'string',
			default: 'YGAC',
			description: 'Public name of the GL account (GAC) web service',
		},
		{
			displayName: 'Analytics Block',
			name: 'analyticsBlock',
			type: 'string',
			default: '',
			description:
				'Table block of the analytical distribution when your journal entry publication has one (e.g. GAS2_1: one row per entry line with the line number and CCE1, CCE2, …). Empty: the dimension fields are written on the lines.',
		},
		{
			displayName: 'Analytics Line Field',
			name: 'analyticsLineField',
			type: 'string',
			default: 'LIN',
			description:
				'Field of the Analytics Block that names the entry line each row distributes. Used only with an Analytics Block.',
		},
		{
			displayName: 'API Name Overrides (JSON)',
			name: 'apiNames',
			type: 'json',
			default: '{}',
			description:
				'Names the read APIs use beyond the publications above, when your X3 differs from the defaults. E.g. {"soap": {"site": {"publication": "YFCY"}, "entryType": {"publication": "YGTE"}}, "graphql": {"account": {"requiredDimensionTypes": "mandatoryDimensionTypes.code"}, "journalEntry": {"traceField": "sourceDocument"}}, "rest": {"site": {"className": "FACILITY"}}}.',
		},
		{
			displayName: 'Chart of Accounts',
			name: 'chartOfAccounts',
			type: 'string',
			default: 'CA_FRA',
			description: 'Chart of accounts code (COA) used in account lookups',
		},
		{
			displayName: 'Default Address Code',
			name: 'defaultAddressCode',
			type: 'string',
			default: 'MAIN',
			description:
				'Address code of the address line written when a supplier is created without one. Used only with a Supplier Address Block.',
		},
		{
			displayName: 'Dimension Block',
			name: 'dimensionBlock',
			type: 'string',
			default: 'CCE0_1',
			description: 'Block (group) ID of the dimension publication',
		},
		{
			displayName: 'Dimension Publication',
			name: 'dimensionPublication',
			type: 'string',
			default: 'YCCE',
			description: 'Public name of the analytical dimension (CCE) web service',
		},
		{
			displayName: 'Dimension Types',
			name: 'dimensionTypes',
			type: 'string',
			default: 'CCT,DEP,PRJ',
			description:
				'Your dimension type codes, comma-separated, in the order of the line dimension fields (CCE1, CCE2, …)',
		},
		{
			displayName: 'Extra Mandatory Fields (JSON)',
			name: 'extraFields',
			type: 'json',
			default: '{}',
			description:
				'Fixed values for fields your X3 requires that the node does not fill (Check X3 Setup lists them), e.g. {"journalEntry": {"header": {"JOU": "OD"}, "lines": {}}, "supplier": {"TSSCOD": "BREX"}}',
		},
		{
			displayName: 'Field Names (JSON)',
			name: 'fieldNames',
			type: 'json',
			default: '{}',
			description:
				'Overrides of X3 field names, e.g. {"journalEntry": {"site": "FCY", "reference": "REF"}, "supplier": {"category": "BSGCOD", "country": "BPRC_1.CRY"}}; write BLOCK.FIELD (e.g. "GAS0_2.REF") for a field published in another block. A dimension field placed in another block ("dimensionPrefix": "GAS2_1.CCE") sets the Analytics Block.',
		},
		{
			displayName: 'Journal Header Block',
			name: 'journalHeaderBlock',
			type: 'string',
			default: 'GAS0_1',
			description: 'Header block (GRP) ID of the journal entry publication',
		},
		{
			displayName: 'Journal Lines Block',
			name: 'journalLinesBlock',
			type: 'string',
			default: 'GAS1_1',
			description: 'Lines block (TAB) ID of the journal entry publication',
		},
		{
			displayName: 'Journal Publication',
			name: 'journalPublication',
			type: 'string',
			default: 'YGAS',
			description: 'Public name of the journal entry (GAS) web service',
		},
		{
			displayName: 'Line Trace Field',
			name: 'lineTraceField',
			type: 'string',
			default: 'DES',
			description:
				'Line field that starts with the Brex item trace ID in grouped entries (BLOCK.FIELD for a field of another block). Empty: no line trace field, items are found by the header Trace Field (One Entry per Item only).',
		},
		{
			displayName: 'Supplier Address Block',
			name: 'supplierAddressBlock',
			type: 'string',
			default: '',
			description:
				'Address table block of the supplier publication (e.g. BPAC_1). When set, Supplier Create and Find or Create write one address line there (X3 requires one). Empty: no address table.',
		},
		{
			displayName: 'Supplier Address Fields (JSON)',
			name: 'supplierAddressFields',
			type: 'json',
			default:
				'{"addressCode": "CODADR", "country": "BPACRY", "description": "BPADES", "isDefault": "BPAADDFLG"}',
			description:
				'Field names of the Supplier Address Block: address code, country, description (the supplier name, cut to the field) and default-address flag. A key left out keeps the name shown; "" leaves that field out.',
		},
		{
			displayName: 'Supplier Block',
			name: 'supplierBlock',
			type: 'string',
			default: 'BPS0_1',
			description: 'Block (group) ID of the supplier publication',
		},
		{
			displayName: 'Supplier Publication',
			name: 'supplierPublication',
			type: 'string',
			default: 'YBPS',
			description: 'Public name of the supplier (BPS) web service',
		},
		{
			displayName: 'Trace Field',
			name: 'traceField',
			type: 'string',
			default: 'BPRVCR',
			description:
				'Header field holding the entry trace ID (BPRVCR holds 20 characters, REFINT 25); BLOCK.FIELD (e.g. GAS0_2.BPRVCR) for a field of another block',
		},
		{
			displayName: 'Trace Field Length',
			name: 'traceFieldLength',
			type: 'number',
			typeOptions: { minValue: 12 },
			default: 20,
			description:
				'Width of the trace field; trace IDs are generated to fit. Post Spend uses the length getDescription gives when it is shorter.',
		},
	],
};

export const properties: INodeProperties[] = [
	readApiProperty,
	resourceProperty,
	...supplier.description,
	...account.description,
	...dimension.description,
	...journalEntry.description,
	...x3Setup.description,
	x3SetupProperty,
];
