import { childElements, localName, parseXml } from '../../common/xml';
import type { XmlElement } from '../../common/xml';

/**
 * What a SOAP `getDescription` answer says about a publication: its blocks (GRP groups, TAB tables) and, for each
 * field, its length (LONCHP), type and whether X3 requires it. The answer comes as `<ADXDESC>` XML or, with
 * adxwss.optreturn=JSON, as {"ADXDESC": {"GRP": [{"ID": …, "FLD": [{"NAME": …}]}]}}; both are read here, and
 * attribute names follow the per-field columns of a GESAWE export (CHAMP/NAME, GRP, LONCHP, TYPE, MANDATORY):
 * see test/fixtures/reference/sage-x3/gesawe-publication-export-*.dat and sage-x3-api.md §3 (getDescription
 * "returns field/group layout of the publication").
 */

export interface FieldDescription {
	name: string;
	block: string;
	type: string | null;
	/** Characters of a Char field (LONCHP); null when the answer does not say. */
	length: number | null;
	mandatory: boolean;
	/** False for fields X3 fills itself (ENTERABLE = 1: No); null when not said. */
	enterable: boolean | null;
}

export interface BlockDescription {
	id: string;
	kind: 'GRP' | 'TAB';
	fields: FieldDescription[];
}

export interface PublicationDescription {
	publication: string;
	blocks: BlockDescription[];
}

export class DescriptionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DescriptionError';
	}
}

/** X3 local menu 1 (No/Yes) answers 2 for yes; JSON answers may say true. */
function yes(value: unknown): boolean {
	const text = String(value ?? '')
		.trim()
		.toLowerCase();
	return text === '2' || text === 'true' || text === 'yes';
}

function no(value: unknown): boolean {
	const text = String(value ?? '')
		.trim()
		.toLowerCase();
	return text === '1' || text === 'false' || text === 'no';
}

function lengthOf(value: unknown): number | null {
	const number = Number(String(value ?? '').trim());
	return Number.isInteger(number) && number > 0 ? number : null;
}

function fieldFrom(attrs: Record<string, unknown>, block: string): FieldDescription | null {
	const name = String(attrs.NAME ?? attrs.CHAMP ?? attrs.CHP ?? '').trim();
	if (name === '') return null;
	const enterable = attrs.ENTERABLE;
	return {
		name,
		block,
		type: attrs.TYPE === undefined ? null : String(attrs.TYPE),
		length: lengthOf(attrs.LONCHP ?? attrs.LENGTH),
		mandatory: yes(attrs.MANDATORY ?? attrs.OBLIG),
		enterable: enterable === undefined ? null : no(enterable) ? false : true,
	};
}

function blockKind(tag: string, type: unknown): 'GRP' | 'TAB' {
	return tag === 'TAB' || String(type ?? '').toUpperCase() === 'TAB' ? 'TAB' : 'GRP';
}

function fromXml(root: XmlElement): BlockDescription[] {
	const blocks: BlockDescription[] = [];
	const visit = (element: XmlElement) => {
		for (const child of childElements(element)) {
			const tag = localName(child.name);
			const id = child.attributes.ID;
			if ((tag === 'GRP' || tag === 'TAB') && id !== undefined) {
				blocks.push({
					id,
					kind: blockKind(tag, child.attributes.TYPE),
					fields: childElements(child)
						.filter((field) => localName(field.name) === 'FLD' || localName(field.name) === 'LST')
						.map((field) => fieldFrom(field.attributes, id))
						.filter((field): field is FieldDescription => field !== null),
				});
			} else {
				visit(child);
			}
		}
	};
	visit(root);
	return blocks;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	return value === undefined || value === null ? [] : [value];
}

function fromJson(data: unknown): BlockDescription[] {
	const root = isObject(data) && isObject(data.ADXDESC) ? data.ADXDESC : data;
	if (!isObject(root)) return [];
	const blocks: BlockDescription[] = [];
	for (const key of ['GRP', 'TAB']) {
		for (const block of asList(root[key])) {
			if (!isObject(block) || block.ID === undefined) continue;
			const id = String(block.ID);
			blocks.push({
				id,
				kind: blockKind(key, block.TYPE),
				fields: asList(block.FLD)
					.filter(isObject)
					.map((field) => fieldFrom(field, id))
					.filter((field): field is FieldDescription => field !== null),
			});
		}
	}
	return blocks;
}

/** Reads a getDescription resultXml (XML or JSON, detected). Throws DescriptionError when it holds no block. */
export function parseDescription(
	publication: string,
	resultXml: string | null,
): PublicationDescription {
	const text = (resultXml ?? '').trim();
	if (text === '') throw new DescriptionError(`getDescription of ${publication} returned nothing`);
	let blocks: BlockDescription[] = [];
	let unreadable: string | null = null;
	try {
		blocks = text.startsWith('<') ? fromXml(parseXml(text)) : fromJson(JSON.parse(text));
	} catch (error) {
		unreadable = (error as Error).message;
	}
	if (unreadable !== null) {
		throw new DescriptionError(`getDescription of ${publication} is unreadable: ${unreadable}`);
	}
	if (blocks.length === 0) {
		throw new DescriptionError(`getDescription of ${publication} lists no block`);
	}
	return { publication, blocks };
}

/** Every block holding a field of that name (a name can appear in more than one block). */
export function blocksHolding(
	description: PublicationDescription,
	field: string,
): FieldDescription[] {
	return description.blocks.flatMap((block) => block.fields.filter((f) => f.name === field));
}

export function fieldIn(
	description: PublicationDescription,
	block: string,
	field: string,
): FieldDescription | undefined {
	return description.blocks.find((b) => b.id === block)?.fields.find((f) => f.name === field);
}
