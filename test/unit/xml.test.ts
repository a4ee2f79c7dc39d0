import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { XMLParser } from 'fast-xml-parser';

import {
	escapeXmlAttribute,
	escapeXmlText,
	findInvalidXmlChar,
	parseXml,
	serializeXml,
	stripInvalidXmlChars,
	textContent,
	wrapCdata,
	XmlError,
} from '../../nodes/common/xml';
import type { XmlElement, XmlNode } from '../../nodes/common/xml';
import { referenceDir } from '../support/referenceDir';

const REFERENCE = join(referenceDir(), 'sage-x3');

const oracle = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '',
	preserveOrder: true,
	trimValues: false,
	parseTagValue: false,
	parseAttributeValue: false,
	processEntities: true,
	htmlEntities: true,
	commentPropName: false,
});

type OracleNode = Record<string, unknown>;

/** Our tree in a neutral shape: {name, attributes, children: (string | node)[]} with adjacent texts merged. */
interface Neutral {
	name: string;
	attributes: Record<string, string>;
	children: Array<string | Neutral>;
}

function mergeTexts(children: Array<string | Neutral>): Array<string | Neutral> {
	const merged: Array<string | Neutral> = [];
	for (const child of children) {
		const last = merged[merged.length - 1];
		if (typeof child === 'string' && typeof last === 'string')
			merged[merged.length - 1] = last + child;
		else merged.push(child);
	}
	return merged.filter((child) => child !== '');
}

function fromOurs(node: XmlNode): string | Neutral {
	if (typeof node === 'string') return node;
	return {
		name: node.name,
		attributes: { ...node.attributes },
		children: mergeTexts(node.children.map(fromOurs)),
	};
}

function fromOracle(nodes: OracleNode[]): Array<string | Neutral> {
	const out: Array<string | Neutral> = [];
	for (const node of nodes) {
		if ('#text' in node) {
			out.push(String(node['#text']));
			continue;
		}
		const name = Object.keys(node).find((key) => key !== ':@') as string;
		if (name.startsWith('?')) continue;
		out.push({
			name,
			attributes: { ...((node[':@'] as Record<string, string>) ?? {}) },
			children: mergeTexts(fromOracle(node[name] as OracleNode[])),
		});
	}
	return out;
}

function oracleRoot(xml: string): string | Neutral {
	const roots = fromOracle(oracle.parse(xml) as OracleNode[]).filter(
		(node) => typeof node !== 'string',
	);
	expect(roots).toHaveLength(1);
	return roots[0];
}

const HOSTILE_STRINGS = [
	'plain',
	`quotes ' and " and both '"'"`,
	'back\\slash \\\\ double \\n not a newline',
	'<tag attr="x">&amp; not an entity</tag>',
	'& < > && <<>>',
	']]> end of CDATA ]]]]> and ]]>]]>',
	'emoji 😀🎉 and a family 👨‍👩‍👧',
	'RTL: עברית العربية with \u200f marks \u202e override',
	'non-ASCII: Zoë Müller Łódź Café Crème Nordström ß ñ 漢字',
	'tab\tnewline\ncarriage\rcrlf\r\nend',
	'  leading and trailing spaces  ',
	'\u0085 NEL, \u2028 LS, \u00a0 NBSP, \u007f DEL',
	'{"json": "inside", "a": [1, 2]}',
	'%s %d ${template} {{expression}}',
	'',
];

describe('XML writer', () => {
	it('escapes the five special characters and CR in text', () => {
		expect(escapeXmlText(`a&b<c>d"e'f\rg`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g');
	});

	it('also escapes tab and newline in attributes so attribute normalisation cannot eat them', () => {
		expect(escapeXmlAttribute('a\tb\nc\rd"')).toBe('a&#9;b&#10;c&#13;d&quot;');
	});

	it.each(HOSTILE_STRINGS)(
		'round-trips text and attribute %j through our parser and the oracle',
		(value) => {
			const xml = `<root attr="${escapeXmlAttribute(value)}" other='${escapeXmlAttribute(value)}'><t>${escapeXmlText(value)}</t><c>${wrapCdata(value)}</c></root>`;
			const ours = parseXml(xml);
			expect(ours.attributes.attr).toBe(value);
			expect(ours.attributes.other).toBe(value);
			expect(textContent(ours.children[0] as XmlElement)).toBe(value);
			expect(textContent(ours.children[1] as XmlElement)).toBe(value);
			const theirs = oracleRoot(xml) as Neutral;
			expect(theirs.attributes.attr).toBe(value);
			const textOf = (node: string | Neutral) =>
				typeof node === 'string' ? node : node.children.join('');
			expect(textOf(theirs.children[0])).toBe(value);
			// fast-xml-parser keeps CDATA verbatim, so the CR that wrapCdata moves out as &#13; comes back too.
			expect(textOf(theirs.children[1])).toBe(value);
		},
	);

	it('splits ]]> across CDATA sections', () => {
		expect(wrapCdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
		expect(textContent(parseXml(`<x>${wrapCdata('a]]>b]]>')}</x>`))).toBe('a]]>b]]>');
	});

	it.each([
		['NUL', '\u0000'],
		['BEL', '\u0007'],
		['ESC', '\u001b'],
		['vertical tab', '\u000b'],
		['form feed', '\u000c'],
		['U+FFFE', '\ufffe'],
		['U+FFFF', '\uffff'],
		['lone high surrogate', '\ud83d'],
		['lone low surrogate', '\ude00'],
	])('refuses %s explicitly instead of dropping it', (_name, char) => {
		const value = `before${char}after`;
		expect(findInvalidXmlChar(value)).toEqual({ index: 6, codePoint: char.charCodeAt(0) });
		expect(() => escapeXmlText(value, 'Description')).toThrow(XmlError);
		expect(() => escapeXmlText(value, 'Description')).toThrow(
			/Description contains U\+[0-9A-F]{4} at position 6/,
		);
		expect(() => escapeXmlAttribute(value)).toThrow(XmlError);
		expect(() => wrapCdata(value)).toThrow(XmlError);
		expect(stripInvalidXmlChars(value)).toBe('beforeafter');
	});

	it('accepts a valid surrogate pair', () => {
		expect(findInvalidXmlChar('x😀y')).toBeUndefined();
	});

	it('serialises a tree that parses back to the same tree', () => {
		const tree: XmlElement = {
			name: 'PARAM',
			attributes: {},
			children: [
				{
					name: 'GRP',
					attributes: { ID: 'A"<&' },
					children: [{ name: 'FLD', attributes: { NAME: 'X' }, children: ['v<&>'] }],
				},
			],
		};
		expect(parseXml(serializeXml(tree))).toEqual(tree);
	});
});

describe('XML reader', () => {
	const files = [
		...readdirSync(REFERENCE)
			.filter((name) => name.endsWith('.wsdl'))
			.map((name) => join(REFERENCE, name)),
		...readdirSync(join(REFERENCE, 'soap-tester-client-paramfiles'))
			.filter((name) => name.endsWith('.XML'))
			.map((name) => join(REFERENCE, 'soap-tester-client-paramfiles', name)),
	];

	it('finds the reference files', () => {
		expect(files.filter((file) => file.endsWith('.wsdl'))).toHaveLength(3);
		expect(files.length).toBeGreaterThan(20);
	});

	it.each(files.map((file) => [file.slice(REFERENCE.length + 1), file]))(
		'parses %s like fast-xml-parser',
		(_name, file) => {
			const xml = readFileSync(file, 'utf8');
			expect(fromOurs(parseXml(xml))).toEqual(oracleRoot(xml));
		},
	);

	it('keeps namespace prefixes in names', () => {
		const root = parseXml(
			'<soapenv:Envelope xmlns:soapenv="urn:x"><soapenv:Body/></soapenv:Envelope>',
		);
		expect(root.name).toBe('soapenv:Envelope');
		expect((root.children[0] as XmlElement).name).toBe('soapenv:Body');
		expect(root.attributes['xmlns:soapenv']).toBe('urn:x');
	});

	it('decodes entities and decimal/hex references, and normalises line ends', () => {
		const root = parseXml('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;\r\nx\ry</a>');
		expect(textContent(root)).toBe(`<>&"'AB😀\nx\ny`);
	});

	it('skips comments and processing instructions, handles a BOM and the XML declaration', () => {
		const root = parseXml(
			'\ufeff<?xml version="1.0"?><!-- c --><a><!-- inner -->x<?pi y?>z</a><!-- after -->',
		);
		expect(root.children).toEqual(['xz']);
	});

	it.each([
		['mismatched end tag', '<a><b></a></b>'],
		['unclosed element', '<a><b></b>'],
		['unknown entity', '<a>&nbsp;</a>'],
		['bare ampersand', '<a>fish & chips</a>'],
		['reference to an invalid character', '<a>&#0;</a>'],
		['unquoted attribute', '<a x=1/>'],
		['duplicate attribute', '<a x="1" x="2"/>'],
		['DOCTYPE (entity expansion door)', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
		['two roots', '<a/><b/>'],
		['no root', '   '],
		['text after root', '<a/>tail'],
	])('rejects %s', (_name, xml) => {
		expect(() => parseXml(xml)).toThrow(XmlError);
	});
});
