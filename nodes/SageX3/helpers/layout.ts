import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_X3_LAYOUT } from '../transport/gateway.types';
import type { X3Layout } from '../transport/gateway.types';
import { layoutWithPlacements } from '../transport/layoutPlacements';

/**
 * The "X3 Setup" collection of the node, turned into an X3Layout. Every value defaults to DEFAULT_X3_LAYOUT, so
 * an empty collection means the defaults; customer specifics (publications, blocks, trace field, dimension types,
 * chart of accounts) are all set here, never in code.
 */
export interface X3SetupParameters {
	journalPublication?: string;
	journalHeaderBlock?: string;
	journalLinesBlock?: string;
	traceField?: string;
	traceFieldLength?: number;
	lineTraceField?: string;
	supplierPublication?: string;
	supplierBlock?: string;
	accountPublication?: string;
	accountBlock?: string;
	dimensionPublication?: string;
	dimensionBlock?: string;
	/** Comma-separated dimension type codes in the order of the line dimension fields. */
	dimensionTypes?: string;
	chartOfAccounts?: string;
	/** JSON: { "journalEntry": { "<field key>": "<X3 field>" }, "supplier": { ... } } */
	fieldNames?: string | IDataObject;
	/** JSON: { "soap": {...}, "graphql": {...}, "rest": {...} } overrides of the read APIs' names (transport/names.ts). */
	apiNames?: string | IDataObject;
	/** JSON: { "journalEntry": { "header": { "FLD": "value" }, "lines": {...} }, "supplier": {...} } */
	extraFields?: string | IDataObject;
	/** Table block of the analytical distribution (documented GAS: GAS2_1); empty = dimensions on the lines. */
	analyticsBlock?: string;
	/** Field of the analytics block naming the entry line (default LIN). */
	analyticsLineField?: string;
	/** Address table of the supplier publication (documented BPS: BPAC_1); empty = no address table. */
	supplierAddressBlock?: string;
	/** JSON: { "addressCode": "CODADR", "country": "BPACRY", "description": "BPADES", "isDefault": "BPAADDFLG" } */
	supplierAddressFields?: string | IDataObject;
	/** Address code written when the supplier has none (default MAIN). */
	defaultAddressCode?: string;
}

/**
 * Field names of the supplier address table when X3 Setup names an address block but not its fields: the BPAC_1
 * columns of Sage's business-partner save sample (Object__WSBPC__WSBPC_SAVE.XML in test/fixtures/reference).
 */
export const DEFAULT_ADDRESS_FIELDS = {
	addressCode: 'CODADR',
	country: 'BPACRY',
	description: 'BPADES',
	isDefault: 'BPAADDFLG',
} as const;

type AddressFieldKey = keyof typeof DEFAULT_ADDRESS_FIELDS;

/** Fixed values for mandatory fields of the customer's publications that the layout does not fill. */
export interface ExtraFields {
	journalHeader: Record<string, string>;
	journalLines: Record<string, string>;
	supplier: Record<string, string>;
}

/**
 * Where a field named as `BLOCK.FIELD` in X3 Setup lives, by setting ("journalEntry.traceField",
 * "supplier.name", "journalEntry.lineTraceField"): the block the customer's getDescription shows it in.
 */
export type FieldPlacements = Record<string, string>;

const BLOCK_FIELD = /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)$/;

/** "GAS0_2.BPRVCR" -> block GAS0_2, field BPRVCR; "BPRVCR" -> field only. */
export function splitBlockField(value: string): { block?: string; field: string } {
	const match = BLOCK_FIELD.exec(value.trim());
	return match ? { block: match[1], field: match[2] } : { field: value.trim() };
}

export interface ApiNameOverrides {
	soap?: IDataObject;
	graphql?: IDataObject;
	rest?: IDataObject;
}

/** Parses the "API Name Overrides" setting; only objects under soap/graphql/rest are accepted. */
export function apiNamesFromSetup(setup: X3SetupParameters = {}): ApiNameOverrides {
	let value: unknown = setup.apiNames ?? {};
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		let parseError: string | null = null;
		try {
			value = JSON.parse(value);
		} catch (error) {
			parseError = (error as Error).message;
		}
		if (parseError !== null) {
			throw new LayoutError(`API Name Overrides is not valid JSON: ${parseError}`);
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new LayoutError(
			'API Name Overrides must be a JSON object with "soap", "graphql" or "rest" keys',
		);
	}
	const overrides: ApiNameOverrides = {};
	for (const [key, names] of Object.entries(value as IDataObject)) {
		if (key !== 'soap' && key !== 'graphql' && key !== 'rest') {
			throw new LayoutError(
				`API Name Overrides: unknown key "${key}" (use "soap", "graphql" or "rest")`,
			);
		}
		if (typeof names !== 'object' || names === null || Array.isArray(names)) {
			throw new LayoutError(`API Name Overrides: "${key}" must be an object`);
		}
		overrides[key] = names as IDataObject;
	}
	return overrides;
}

export class LayoutError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LayoutError';
	}
}

export function parseCodeList(text: string | undefined): string[] {
	if (!text) return [];
	return text
		.split(',')
		.map((code) => code.trim())
		.filter((code) => code !== '');
}

function text(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/**
 * The layout X3 Setup describes, with its BLOCK.FIELD placements carried into the layout where the transport can
 * write them (supplier fields in other blocks, the dimension fields in an analytics block).
 */
export function layoutFromSetup(setup: X3SetupParameters = {}): X3Layout {
	const { layout, placements } = readSetup(setup);
	const placed = layoutWithPlacements(layout, placements).layout;
	const named = layout.journalEntry.analyticsBlock;
	const fromPlacement = placed.journalEntry.analyticsBlock;
	if (named !== undefined && fromPlacement !== undefined && named !== fromPlacement) {
		throw new LayoutError(
			`Analytics Block is ${named} but the dimension field is placed in ${fromPlacement}: name one block`,
		);
	}
	// Settings that only mean something with the block they belong to (so defaults leave the layout as it was).
	const journal = { ...placed.journalEntry };
	const lineField = optionalName(setup.analyticsLineField, 'Analytics Line Field');
	if (journal.analyticsBlock && lineField) journal.analyticsLineField = lineField;
	const supplier = { ...placed.supplier };
	if (supplier.fieldBlocks && Object.keys(supplier.fieldBlocks).length === 0) {
		delete supplier.fieldBlocks;
	}
	return { ...placed, journalEntry: journal, supplier };
}

/** The blocks named by `BLOCK.FIELD` values of X3 Setup (see FieldPlacements). */
export function fieldPlacementsFromSetup(setup: X3SetupParameters = {}): FieldPlacements {
	return readSetup(setup).placements;
}

function readSetup(setup: X3SetupParameters): { layout: X3Layout; placements: FieldPlacements } {
	const placements: FieldPlacements = {};
	const place = (setting: string, value: string): string => {
		const { block, field } = splitBlockField(value);
		if (block !== undefined) placements[setting] = block;
		return field;
	};
	const base = DEFAULT_X3_LAYOUT;
	const traceFieldLength =
		setup.traceFieldLength === undefined || setup.traceFieldLength === null
			? base.journalEntry.traceFieldLength
			: Number(setup.traceFieldLength);
	if (!Number.isInteger(traceFieldLength) || traceFieldLength < 12 || traceFieldLength > 250) {
		throw new LayoutError(
			`Trace Field Length must be a whole number of at least 12 (trace ids need 12 characters); got ${String(setup.traceFieldLength)}`,
		);
	}
	const dimensionTypes =
		setup.dimensionTypes === undefined
			? [...base.dimensionTypes]
			: parseCodeList(setup.dimensionTypes);
	const duplicates = dimensionTypes.filter((type, index) => dimensionTypes.indexOf(type) !== index);
	if (duplicates.length > 0) {
		throw new LayoutError(`Dimension Types lists ${duplicates.join(', ')} more than once`);
	}

	const overrides = parseFieldNames(setup.fieldNames);
	const journalFields = { ...base.journalEntry.fields };
	const traceField = text(setup.traceField, journalFields.traceField);
	journalFields.traceField = traceField;
	const supplierFields = { ...base.supplier.fields };
	applyOverrides(journalFields, overrides.journalEntry, 'journalEntry');
	applyOverrides(supplierFields, overrides.supplier, 'supplier');
	for (const [key, value] of Object.entries(journalFields)) {
		journalFields[key as keyof typeof journalFields] = place(`journalEntry.${key}`, value);
	}
	for (const [key, value] of Object.entries(supplierFields)) {
		supplierFields[key as keyof typeof supplierFields] = place(`supplier.${key}`, value);
	}
	// Left out: the default (DES). Given but empty: no line trace field (item trace ids in the header only).
	const lineTraceField =
		typeof setup.lineTraceField === 'string' && setup.lineTraceField.trim() === ''
			? ''
			: place(
					'journalEntry.lineTraceField',
					text(setup.lineTraceField, base.journalEntry.lineTraceField),
				);
	const analyticsBlock = optionalName(setup.analyticsBlock, 'Analytics Block');
	const addressBlock = optionalName(setup.supplierAddressBlock, 'Supplier Address Block');
	const defaultAddressCode = optionalName(setup.defaultAddressCode, 'Default Address Code');
	const addressFields = addressBlock
		? { ...DEFAULT_ADDRESS_FIELDS, ...parseAddressFields(setup.supplierAddressFields) }
		: null;
	if (addressFields) {
		// The address code sits in the address table: its name from this JSON, else from Field Names, else CODADR.
		const named = parseAddressFields(setup.supplierAddressFields).addressCode;
		if (named !== undefined) supplierFields.addressCode = named;
		else if (overrides.supplier?.addressCode === undefined) {
			supplierFields.addressCode = DEFAULT_ADDRESS_FIELDS.addressCode;
		}
	}

	const layout: X3Layout = {
		journalEntry: {
			publication: text(setup.journalPublication, base.journalEntry.publication),
			headerBlock: text(setup.journalHeaderBlock, base.journalEntry.headerBlock),
			linesBlock: text(setup.journalLinesBlock, base.journalEntry.linesBlock),
			fields: journalFields,
			traceFieldLength,
			lineTraceField,
			...(analyticsBlock ? { analyticsBlock } : {}),
		},
		supplier: {
			publication: text(setup.supplierPublication, base.supplier.publication),
			block: text(setup.supplierBlock, base.supplier.block),
			fields: supplierFields,
			...(addressBlock && addressFields
				? {
						addressBlock,
						addressFields: {
							...(addressFields.country ? { country: addressFields.country } : {}),
							...(addressFields.description ? { description: addressFields.description } : {}),
							...(addressFields.isDefault ? { isDefault: addressFields.isDefault } : {}),
						},
						...(defaultAddressCode ? { defaultAddressCode } : {}),
					}
				: {}),
		},
		account: {
			publication: text(setup.accountPublication, base.account.publication),
			block: text(setup.accountBlock, base.account.block),
		},
		dimension: {
			publication: text(setup.dimensionPublication, base.dimension.publication),
			block: text(setup.dimensionBlock, base.dimension.block),
		},
		dimensionTypes,
		chartOfAccounts: text(setup.chartOfAccounts, base.chartOfAccounts),
	};
	return { layout, placements };
}

const X3_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A block or field name setting: unset or empty = not used; otherwise an X3 name. */
function optionalName(value: unknown, label: string): string | undefined {
	if (value === undefined || value === null) return undefined;
	const name = String(value).trim();
	if (name === '') return undefined;
	if (!X3_NAME.test(name))
		throw new LayoutError(`${label}: "${name}" is not an X3 block or field name`);
	return name;
}

/**
 * Parses "Supplier Address Fields (JSON)": keys addressCode, country, description, isDefault; a key left out
 * takes the documented name (DEFAULT_ADDRESS_FIELDS), an empty one is not written.
 */
function parseAddressFields(
	value: string | IDataObject | undefined,
): Partial<Record<AddressFieldKey, string>> {
	const fields: Partial<Record<AddressFieldKey, string>> = {};
	if (value === undefined || value === null || value === '') return fields;
	const parsed = jsonSetting(value, 'Supplier Address Fields');
	if (!isPlainObject(parsed)) {
		throw new LayoutError(
			'Supplier Address Fields must be a JSON object such as {"addressCode": "CODADR", "country": "BPACRY"}',
		);
	}
	for (const [key, name] of Object.entries(parsed)) {
		if (!(key in DEFAULT_ADDRESS_FIELDS)) {
			throw new LayoutError(
				`Supplier Address Fields: unknown key "${key}" (known: ${Object.keys(DEFAULT_ADDRESS_FIELDS).join(', ')})`,
			);
		}
		const field = typeof name === 'string' ? name.trim() : null;
		if (field === null || (field !== '' && !X3_NAME.test(field))) {
			throw new LayoutError(`Supplier Address Fields: "${key}" must be an X3 field name or ""`);
		}
		if (key === 'addressCode' && field === '') {
			throw new LayoutError('Supplier Address Fields: "addressCode" cannot be empty');
		}
		fields[key as AddressFieldKey] = field;
	}
	return fields;
}

/** Parses "Extra Mandatory Fields (JSON)": field names must be X3 names, values non-empty text. */
export function extraFieldsFromSetup(setup: X3SetupParameters = {}): ExtraFields {
	const extras: ExtraFields = { journalHeader: {}, journalLines: {}, supplier: {} };
	const value = setup.extraFields;
	if (value === undefined || value === null || value === '') return extras;
	const parsed = jsonSetting(value, 'Extra Mandatory Fields');
	const shape =
		'Extra Mandatory Fields must look like {"journalEntry": {"header": {"JOU": "OD"}, "lines": {}}, "supplier": {}}';
	if (!isPlainObject(parsed)) throw new LayoutError(shape);
	const fields = (section: unknown, where: string, target: Record<string, string>) => {
		if (section === undefined) return;
		if (!isPlainObject(section)) throw new LayoutError(`${shape} ("${where}" is not an object)`);
		for (const [name, fieldValue] of Object.entries(section)) {
			if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
				throw new LayoutError(`Extra Mandatory Fields: "${where}.${name}" is not an X3 field name`);
			}
			if (
				(typeof fieldValue !== 'string' && typeof fieldValue !== 'number') ||
				String(fieldValue).trim() === ''
			) {
				throw new LayoutError(`Extra Mandatory Fields: "${where}.${name}" needs a fixed value`);
			}
			target[name] = String(fieldValue).trim();
		}
	};
	for (const [key, section] of Object.entries(parsed)) {
		if (key === 'journalEntry') {
			if (!isPlainObject(section)) throw new LayoutError(shape);
			const unknown = Object.keys(section).filter((k) => k !== 'header' && k !== 'lines');
			if (unknown.length > 0) {
				throw new LayoutError(
					`Extra Mandatory Fields: unknown journalEntry key ${unknown.join(', ')} (use "header" or "lines")`,
				);
			}
			fields(section.header, 'journalEntry.header', extras.journalHeader);
			fields(section.lines, 'journalEntry.lines', extras.journalLines);
		} else if (key === 'supplier') {
			fields(section, 'supplier', extras.supplier);
		} else {
			throw new LayoutError(
				`Extra Mandatory Fields: unknown section "${key}" (use "journalEntry" or "supplier")`,
			);
		}
	}
	return extras;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldNames(value: string | IDataObject | undefined): {
	journalEntry?: IDataObject;
	supplier?: IDataObject;
} {
	if (value === undefined || value === null || value === '') return {};
	const parsed = jsonSetting(value, 'Field Names');
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new LayoutError(
			'Field Names must be a JSON object such as {"journalEntry": {"site": "FCY"}}',
		);
	}
	const unknown = Object.keys(parsed).filter((key) => key !== 'journalEntry' && key !== 'supplier');
	if (unknown.length > 0) {
		throw new LayoutError(
			`Field Names: unknown section ${unknown.join(', ')} (use "journalEntry" or "supplier")`,
		);
	}
	return parsed as { journalEntry?: IDataObject; supplier?: IDataObject };
}

/** A JSON setting as n8n passes it: text is parsed (invalid JSON fails, naming the setting), an object kept. */
function jsonSetting(value: string | IDataObject, label: string): unknown {
	if (typeof value !== 'string') return value;
	const result = parseJson(value);
	if ('error' in result) throw new LayoutError(`${label} is not valid JSON: ${result.error}`);
	return result.value;
}

function parseJson(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

function applyOverrides(
	target: Record<string, string>,
	overrides: IDataObject | undefined,
	section: string,
) {
	if (!overrides) return;
	for (const [key, value] of Object.entries(overrides)) {
		if (!(key in target)) {
			throw new LayoutError(
				`Field Names: "${section}.${key}" is not a known field (known: ${Object.keys(target).join(', ')})`,
			);
		}
		if (typeof value !== 'string' || value.trim() === '') {
			throw new LayoutError(`Field Names: "${section}.${key}" must be a non-empty X3 field name`);
		}
		target[key] = value.trim();
	}
}
