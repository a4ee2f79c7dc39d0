/**
 * The emulator's GESAWE publications: which blocks and fields each published object or subprogram exposes.
 * Built from the configurable X3Layout, so the names the client sends are the names the emulator knows; the
 * same definitions drive strict payload checks, field types in results and `getDescription`.
 * Field metadata mirrors the per-field columns of a real GESAWE export (CHAMP, GRP, IDX, LONCHP,
 * FRACTIONDIG, TOTALDIGIT, SELECT, AUTMIN/AUTMAX, NOLIB): see the reference folder's export.
 */

import type { X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import type { X3FieldType } from './payload';

export interface FieldDef {
	name: string;
	type: X3FieldType;
	/** Characters for Char, total digits for Decimal. */
	length: number;
	decimals?: number;
	label: string;
	mandatory?: boolean;
	/** X3 local menu number (menu 1 is No/Yes: 1 = No, 2 = Yes). */
	menu?: number;
	/** Dimensioned field inside a group: sent as `<LST>` with this many items. */
	dim?: number;
	/** False for fields X3 fills itself (document number); values sent for them are ignored. */
	enterable?: boolean;
	/** Criteria on this field compare case-insensitively, like X3's usual case-insensitive SQL collation. */
	caseInsensitive?: boolean;
}

export interface BlockDef {
	id: string;
	/** A table that distributes the lines of another block (GAS analytics): its LIN field names the line. */
	role?: 'analytics';
	kind: 'GRP' | 'TAB';
	/** Max lines for a table, 1 for a group. */
	dim: number;
	label: string;
	fields: FieldDef[];
}

export type PublicationKind = 'journalEntry' | 'supplier' | 'account' | 'dimension' | 'ping';

export interface PublicationDef {
	name: string;
	kind: PublicationKind;
	/** X3 object code (GAS, BPS, …) or subprogram name. */
	object: string;
	/** GESAWE TYPOBJ: 1 object, 2 subprogram. */
	typobj: 1 | 2;
	label: string;
	blocks: BlockDef[];
	/** Fields a `query` returns and filters on (the object's left list); absent = every field of the first block. */
	leftList?: readonly string[];
}

/** Name of the subprogram used as a cheap credential and pool check (`run`). */
export const PING_PUBLICATION = 'YPING';

export const char = (
	name: string,
	length: number,
	label: string,
	extra: Partial<FieldDef> = {},
): FieldDef => ({
	name,
	type: 'Char',
	length,
	label,
	...extra,
});
export const date = (name: string, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({
	name,
	type: 'Date',
	length: 8,
	label,
	...extra,
});
export const decimal = (name: string, label: string): FieldDef => ({
	name,
	type: 'Decimal',
	length: 27,
	decimals: 8,
	label,
});
export const yesNo = (name: string, label: string): FieldDef => ({
	name,
	type: 'Integer',
	length: 1,
	label,
	menu: 1,
});

/** Adds a field unless the layout already placed one with that name (layouts may reuse standard names). */
function addUnique(fields: FieldDef[], field: FieldDef): void {
	if (!fields.some((existing) => existing.name === field.name)) fields.push(field);
}

export function buildPublications(layout: X3Layout): PublicationDef[] {
	const je = layout.journalEntry;
	const f = je.fields;
	const header: FieldDef[] = [];
	addUnique(header, char(f.entryType, 5, 'Entry type', { mandatory: true }));
	addUnique(header, char(f.documentNumber, 20, 'Document no.', { enterable: false }));
	addUnique(header, char(f.site, 5, 'Site', { mandatory: true }));
	addUnique(header, date(f.accountingDate, 'Accounting date', { mandatory: true }));
	addUnique(header, char(f.currency, 3, 'Currency', { mandatory: true }));
	addUnique(header, char(f.reference, 20, 'Reference'));
	addUnique(header, char(f.description, 30, 'Description', { caseInsensitive: true }));
	addUnique(header, char(f.traceField, je.traceFieldLength, 'Source document'));
	addUnique(header, char('CPY', 5, 'Company', { enterable: false }));
	addUnique(header, char('JOU', 5, 'Journal'));
	addUnique(header, date('BPRDATVCR', 'Source document date'));
	addUnique(header, char('REFINT', 25, 'Internal reference'));
	addUnique(header, { name: 'STA', type: 'Integer', length: 1, label: 'Status', enterable: false });

	const lineFields: FieldDef[] = [];
	addUnique(lineFields, char(f.account, 20, 'Account', { mandatory: true }));
	addUnique(lineFields, decimal(f.debit, 'Debit'));
	addUnique(lineFields, decimal(f.credit, 'Credit'));
	layout.dimensionTypes.forEach((type, index) =>
		addUnique(lineFields, char(`${f.dimensionPrefix}${index + 1}`, 15, `Dimension ${type}`)),
	);
	addUnique(lineFields, char(f.businessPartner, 15, 'Business partner'));
	addUnique(lineFields, char(f.taxCode, 5, 'Tax'));
	addUnique(lineFields, char(f.lineDescription, 50, 'Line description', { caseInsensitive: true }));
	addUnique(lineFields, char(je.lineTraceField, 50, 'Line trace', { caseInsensitive: true }));

	const s = layout.supplier.fields;
	const supplierFields: FieldDef[] = [];
	addUnique(supplierFields, char(s.code, 15, 'Supplier'));
	addUnique(
		supplierFields,
		char(s.name, 35, 'Company name', { mandatory: true, caseInsensitive: true }),
	);
	addUnique(supplierFields, char(s.shortName, 10, 'Short title', { caseInsensitive: true }));
	addUnique(supplierFields, char(s.category, 5, 'Category', { mandatory: true }));
	addUnique(supplierFields, char(s.country, 3, 'Country'));
	addUnique(supplierFields, char(s.currency, 3, 'Currency'));
	addUnique(supplierFields, char(s.addressCode, 5, 'Default address'));
	addUnique(supplierFields, yesNo(s.isActive, 'Active'));
	addUnique(supplierFields, char('UPDDATTIM', 20, 'Last update (date time)'));

	const dimCount = layout.dimensionTypes.length;
	return [
		{
			name: je.publication,
			kind: 'journalEntry',
			object: 'GAS',
			typobj: 1,
			label: 'Journal entries',
			blocks: [
				{ id: je.headerBlock, kind: 'GRP', dim: 1, label: 'Header', fields: header },
				{ id: je.linesBlock, kind: 'TAB', dim: 9999, label: 'Lines', fields: lineFields },
			],
		},
		{
			name: layout.supplier.publication,
			kind: 'supplier',
			object: 'BPS',
			typobj: 1,
			label: 'Suppliers',
			blocks: [
				{
					id: layout.supplier.block,
					kind: 'GRP',
					dim: 1,
					label: 'Supplier',
					fields: supplierFields,
				},
			],
		},
		{
			name: layout.account.publication,
			kind: 'account',
			object: 'GAC',
			typobj: 1,
			label: 'Accounts',
			blocks: [
				{
					id: layout.account.block,
					kind: 'GRP',
					dim: 1,
					label: 'Account',
					fields: [
						char('COA', 10, 'Chart of accounts'),
						char('ACC', 20, 'Account'),
						char('DES', 30, 'Description', { caseInsensitive: true }),
						char('DESSHO', 10, 'Short description', { caseInsensitive: true }),
						yesNo('ENAFLG', 'Active'),
						char('DIE', 10, 'Dimension type', { dim: dimCount }),
						{ ...yesNo('OBYIPT', 'Mandatory assignment'), dim: dimCount },
						char('UPDDATTIM', 20, 'Last update (date time)'),
					],
				},
			],
		},
		{
			name: layout.dimension.publication,
			kind: 'dimension',
			object: 'CCE',
			typobj: 1,
			label: 'Dimensions',
			blocks: [
				{
					id: layout.dimension.block,
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
		},
		{
			name: PING_PUBLICATION,
			kind: 'ping',
			object: 'YPING',
			typobj: 2,
			label: 'Connection check',
			blocks: [
				{
					id: 'GRP1',
					kind: 'GRP',
					dim: 1,
					label: 'Parameters',
					fields: [
						char('I_TEXT', 250, 'Echo text'),
						char('O_TEXT', 250, 'Echoed text'),
						char('O_USER', 20, 'User'),
						char('O_FOLDER', 20, 'Folder'),
						date('O_DATE', 'Server date'),
						char('O_TIME', 6, 'Server time'),
						char('O_POOL', 20, 'Pool alias'),
					],
				},
			],
		},
	];
}

export function findField(block: BlockDef, name: string): FieldDef | undefined {
	return block.fields.find((field) => field.name === name);
}

/** getDescription answer: the publication's blocks and field metadata, named as in a GESAWE export. */
export function describePublication(publication: PublicationDef): {
	attrs: Record<string, string>;
	blocks: Array<{ attrs: Record<string, string>; fields: Array<Record<string, string>> }>;
} {
	let idx = 0;
	return {
		attrs: {
			PUBLI: publication.name,
			OBJET: publication.object,
			TYPOBJ: String(publication.typobj),
			VERGEN: '6.30',
			C_ENG: publication.label,
		},
		blocks: publication.blocks.map((block) => ({
			attrs: { ID: block.id, TYPE: block.kind, DIM: String(block.dim), C_ENG: block.label },
			fields: block.fields.map((field) => {
				idx++;
				const meta: Record<string, string> = {
					NAME: field.name,
					TYPE: field.type,
					GRP: block.id,
					IDX: String(idx),
					LONCHP: String(field.length),
					FRACTIONDIG: String(field.decimals ?? 0),
					TOTALDIGIT: String(field.type === 'Decimal' ? field.length : 0),
					DIM: String(field.dim ?? 1),
					SELECT: '2',
					MANDATORY: field.mandatory ? '2' : '1',
					ENTERABLE: field.enterable === false ? '1' : '2',
					C_ENG: field.label,
				};
				if (field.menu) meta.MENULOCAL = String(field.menu);
				return meta;
			}),
		})),
	};
}
