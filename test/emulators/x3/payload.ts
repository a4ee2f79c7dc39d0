/**
 * X3 web-service payloads: the `objectXml` / `inputXml` string of a SOAP call and the `resultXml` string of its
 * answer. Both exist as XML (`<PARAM>` in, `<RESULT>` out, `GRP`/`TAB`/`LIN`/`FLD`/`LST`) and as JSON (keyed by
 * block id, table blocks as arrays of line objects), as Sage's own sample parameter files show.
 */

import {
	XmlElement,
	XmlSyntaxError,
	childElements,
	escapeAttr,
	escapeText,
	parseXml,
	textOf,
} from './xml';

export type FieldValue = string | string[];

export interface GroupBlock {
	kind: 'GRP';
	id: string;
	fields: Record<string, FieldValue>;
}

export interface TableBlock {
	kind: 'TAB';
	id: string;
	lines: Array<Record<string, FieldValue>>;
}

export type PayloadBlock = GroupBlock | TableBlock;

export interface Payload {
	format: 'xml' | 'json';
	blocks: PayloadBlock[];
}

export class PayloadError extends Error {}

/** Decides XML or JSON by the first significant character, as X3 does (the same string parameter holds both). */
export function parsePayload(raw: string | null | undefined): Payload {
	const text = (raw ?? '').replace(/^\uFEFF/, '');
	const trimmed = text.trim();
	if (trimmed === '') return { format: 'json', blocks: [] };
	if (trimmed.startsWith('<')) return { format: 'xml', blocks: parseXmlPayload(trimmed) };
	if (trimmed.startsWith('{')) return { format: 'json', blocks: parseJsonPayload(trimmed) };
	throw new PayloadError('Parameter is neither XML nor JSON');
}

function parseXmlPayload(text: string): PayloadBlock[] {
	let root: XmlElement;
	try {
		root = parseXml(text);
	} catch (error) {
		if (error instanceof XmlSyntaxError)
			throw new PayloadError(`XML parse error: ${error.message}`);
		throw error;
	}
	if (root.local !== 'PARAM' && root.local !== 'RESULT') {
		throw new PayloadError(`XML root must be <PARAM>, got <${root.name}>`);
	}
	const blocks: PayloadBlock[] = [];
	for (const block of childElements(root)) {
		const id = block.attrs.ID;
		if (block.local === 'GRP') {
			if (!id) throw new PayloadError('<GRP> without ID');
			blocks.push({ kind: 'GRP', id, fields: readFields(block) });
		} else if (block.local === 'TAB') {
			if (!id) throw new PayloadError('<TAB> without ID');
			const lines = childElements(block)
				.filter((line) => line.local === 'LIN')
				.map((line) => flattenLists(readFields(line)));
			blocks.push({ kind: 'TAB', id, lines });
		} else if (block.local === 'FLD' || block.local === 'LST') {
			// Subprogram parameters without a group (rare): keep them under an anonymous group.
			blocks.push({ kind: 'GRP', id: '', fields: readFields(root) });
			break;
		} else {
			throw new PayloadError(`Unexpected <${block.name}> in <${root.name}>`);
		}
	}
	return blocks;
}

function readFields(container: XmlElement): Record<string, FieldValue> {
	const fields: Record<string, FieldValue> = {};
	for (const element of childElements(container)) {
		const name = element.attrs.NAME;
		if (element.local === 'FLD') {
			if (!name) throw new PayloadError('<FLD> without NAME');
			fields[name] = textOf(element);
		} else if (element.local === 'LST') {
			if (!name) throw new PayloadError('<LST> without NAME');
			fields[name] = childElements(element)
				.filter((item) => item.local === 'ITM')
				.map((item) => textOf(item));
		}
	}
	return fields;
}

/** Inside a table line, dimensioned fields travel flattened (`CCE1`, `CCE2`, …); accept a list form too. */
function flattenLists(fields: Record<string, FieldValue>): Record<string, FieldValue> {
	const flat: Record<string, FieldValue> = {};
	for (const [name, value] of Object.entries(fields)) {
		if (Array.isArray(value)) value.forEach((item, index) => (flat[`${name}${index + 1}`] = item));
		else flat[name] = value;
	}
	return flat;
}

/**
 * JSON as Sage's tester writes it: trailing commas are common in its sample files, so they are tolerated;
 * numbers and booleans become their text, since X3 holds every value as text in this format.
 */
function parseJsonPayload(text: string): PayloadBlock[] {
	let data: unknown;
	try {
		data = JSON.parse(stripTrailingCommas(text));
	} catch (error) {
		throw new PayloadError(`JSON parse error: ${(error as Error).message}`);
	}
	if (!isPlainObject(data))
		throw new PayloadError('JSON parameter must be an object keyed by block id');
	const blocks: PayloadBlock[] = [];
	for (const [id, value] of Object.entries(data)) {
		if (Array.isArray(value)) {
			blocks.push({
				kind: 'TAB',
				id,
				lines: value.map((line, index) => {
					if (!isPlainObject(line)) throw new PayloadError(`${id}[${index}] must be an object`);
					return flattenLists(jsonFields(line, `${id}[${index}]`));
				}),
			});
		} else if (isPlainObject(value)) {
			blocks.push({ kind: 'GRP', id, fields: jsonFields(value, id) });
		} else {
			throw new PayloadError(`${id} must be an object (group) or an array (table)`);
		}
	}
	return blocks;
}

function jsonFields(source: Record<string, unknown>, where: string): Record<string, FieldValue> {
	const fields: Record<string, FieldValue> = {};
	for (const [name, value] of Object.entries(source)) {
		if (Array.isArray(value))
			fields[name] = value.map((item) => jsonScalar(item, `${where}.${name}`));
		else fields[name] = jsonScalar(value, `${where}.${name}`);
	}
	return fields;
}

function jsonScalar(value: unknown, where: string): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new PayloadError(`${where} must be a string, number or boolean`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes commas that directly precede `}` or `]`, outside string literals. */
export function stripTrailingCommas(text: string): string {
	let out = '';
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			out += char;
			if (char === '\\') {
				out += text[i + 1] ?? '';
				i++;
			} else if (char === '"') inString = false;
			continue;
		}
		if (char === '"') {
			inString = true;
			out += char;
			continue;
		}
		if (char === ',') {
			let j = i + 1;
			while (j < text.length && /\s/.test(text[j])) j++;
			if (text[j] === '}' || text[j] === ']') continue;
		}
		out += char;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Results

export type X3FieldType = 'Char' | 'Integer' | 'Decimal' | 'Date';

export interface ResultField {
	name: string;
	type: X3FieldType;
	value: FieldValue;
	/** Local-menu label (X3 adds MENULAB/MENULOCAL on menu fields, as Sage's samples show). */
	menu?: { local: number; label: string };
}

export interface ResultGroup {
	kind: 'GRP';
	id: string;
	fields: ResultField[];
}

export interface ResultTable {
	kind: 'TAB';
	id: string;
	dim: number;
	lines: ResultField[][];
}

export type ResultBlock = ResultGroup | ResultTable;

/** `<RESULT>` with groups and tables, as `save`/`read`/`run` answer. */
export function resultToXml(blocks: ResultBlock[]): string {
	const parts: string[] = ['<RESULT>'];
	for (const block of blocks) {
		if (block.kind === 'GRP') {
			parts.push(`<GRP ID="${escapeAttr(block.id)}">`);
			for (const field of block.fields) parts.push(fieldXml(field));
			parts.push('</GRP>');
		} else {
			parts.push(
				`<TAB DIM="${block.dim}" ID="${escapeAttr(block.id)}" SIZE="${block.lines.length}">`,
			);
			block.lines.forEach((line, index) => {
				parts.push(`<LIN NUM="${index + 1}">`);
				for (const field of line) parts.push(fieldXml(field));
				parts.push('</LIN>');
			});
			parts.push('</TAB>');
		}
	}
	parts.push('</RESULT>');
	return parts.join('');
}

/** `query` answers a flat list of left-list records: `<RESULT DIM SIZE><LIN NUM>…</LIN></RESULT>`. */
export function queryResultToXml(records: ResultField[][], listSize: number): string {
	const parts: string[] = [`<RESULT DIM="${listSize}" SIZE="${records.length}">`];
	records.forEach((record, index) => {
		parts.push(`<LIN NUM="${index + 1}">`);
		for (const field of record) parts.push(fieldXml(field));
		parts.push('</LIN>');
	});
	parts.push('</RESULT>');
	return parts.join('');
}

function fieldXml(field: ResultField): string {
	const menu = field.menu
		? ` MENULAB="${escapeAttr(field.menu.label)}" MENULOCAL="${field.menu.local}"`
		: '';
	const name = escapeAttr(field.name);
	if (Array.isArray(field.value)) {
		const items = field.value.map((item) => `<ITM>${escapeText(item)}</ITM>`).join('');
		return `<LST NAME="${name}" SIZE="${field.value.length}" TYPE="${field.type}">${items}</LST>`;
	}
	if (field.value === '') return `<FLD${menu} NAME="${name}" TYPE="${field.type}" />`;
	return `<FLD${menu} NAME="${name}" TYPE="${field.type}">${escapeText(field.value)}</FLD>`;
}

export function resultToJsonValue(blocks: ResultBlock[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const block of blocks) {
		if (block.kind === 'GRP') out[block.id] = fieldsToJson(block.fields);
		else out[block.id] = block.lines.map(fieldsToJson);
	}
	return out;
}

export function fieldsToJson(fields: ResultField[]): Record<string, FieldValue> {
	const out: Record<string, FieldValue> = {};
	for (const field of fields) out[field.name] = field.value;
	return out;
}

/**
 * JSON text safe to embed in XML: JSON.stringify already escapes control characters and lone surrogates; the
 * two non-characters XML forbids are escaped too.
 */
export function jsonText(value: unknown, beautify: boolean): string {
	return JSON.stringify(value, null, beautify ? 2 : undefined).replace(
		/[\uFFFE\uFFFF]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16)}`,
	);
}
