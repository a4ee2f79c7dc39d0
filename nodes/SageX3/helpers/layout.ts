import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_X3_LAYOUT } from '../transport/gateway.types';
import type { X3Layout } from '../transport/gateway.types';

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
}

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

export function layoutFromSetup(setup: X3SetupParameters = {}): X3Layout {
	return readSetup(setup).layout;
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
	const lineTraceField = place(
		'journalEntry.lineTraceField',
		text(setup.lineTraceField, base.journalEntry.lineTraceField),
	);

	const layout: X3Layout = {
		journalEntry: {
			publication: text(setup.journalPublication, base.journalEntry.publication),
			headerBlock: text(setup.journalHeaderBlock, base.journalEntry.headerBlock),
			linesBlock: text(setup.journalLinesBlock, base.journalEntry.linesBlock),
			fields: journalFields,
			traceFieldLength,
			lineTraceField,
		},
		supplier: {
			publication: text(setup.supplierPublication, base.supplier.publication),
			block: text(setup.supplierBlock, base.supplier.block),
			fields: supplierFields,
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

/** Parses "Extra Mandatory Fields (JSON)": field names must be X3 names, values non-empty text. */
export function extraFieldsFromSetup(setup: X3SetupParameters = {}): ExtraFields {
	const extras: ExtraFields = { journalHeader: {}, journalLines: {}, supplier: {} };
	const value = setup.extraFields;
	if (value === undefined || value === null || value === '') return extras;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const result = parseJson(value);
		if ('error' in result) {
			throw new LayoutError(`Extra Mandatory Fields is not valid JSON: ${result.error}`);
		}
		parsed = result.value;
	}
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
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const result = parseJson(value);
		if ('error' in result) throw new LayoutError(`Field Names is not valid JSON: ${result.error}`);
		parsed = result.value;
	}
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
