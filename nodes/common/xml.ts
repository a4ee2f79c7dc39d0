/**
 * Small dependency-free XML writer and reader, enough for SOAP envelopes and X3 `<PARAM>`/`<RESULT>` payloads.
 *
 * Writing: every string goes through escapeXmlText / escapeXmlAttribute / wrapCdata. XML 1.0 cannot carry some
 * characters at all (NUL and most C0 control characters, lone surrogates, U+FFFE/U+FFFF), not even as numeric
 * character references. Stripping them would change user data silently, so the writers refuse them with an
 * XmlError that names the character and its position; callers that want a lossy fallback call
 * stripInvalidXmlChars explicitly. (The X3 SOAP transport's default JSON mode never hits this: JSON escapes them
 * as \uXXXX, which is plain ASCII in the envelope and comes back verbatim.)
 * Carriage returns are written as `&#13;` (and tabs/newlines in attributes as references) because an XML parser
 * normalises raw line ends and attribute whitespace; the references survive, so the text round-trips exactly.
 *
 * Reading: a tokenizer builds an element tree (attributes, text, CDATA merged into text, predefined entities and
 * numeric references decoded, line ends normalised as XML 1.0 requires). Namespace prefixes are kept in names;
 * localName() strips them. DTDs are refused (SOAP forbids them and they are the door to entity-expansion attacks).
 */

export class XmlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'XmlError';
	}
}

export interface XmlElement {
	/** Qualified name as written, prefix included (e.g. `soapenv:Body`). */
	name: string;
	attributes: Record<string, string>;
	children: XmlNode[];
}

export type XmlNode = XmlElement | string;

/** XML 1.0 `Char` production. */
export function isXmlChar(codePoint: number): boolean {
	return (
		codePoint === 0x9 ||
		codePoint === 0xa ||
		codePoint === 0xd ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		(codePoint >= 0x10000 && codePoint <= 0x10ffff)
	);
}

/** First character XML 1.0 cannot represent (lone surrogates included), or undefined. */
export function findInvalidXmlChar(text: string): { index: number; codePoint: number } | undefined {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				index++;
				continue;
			}
			return { index, codePoint: code };
		}
		if (code >= 0xdc00 && code <= 0xdfff) return { index, codePoint: code };
		if (!isXmlChar(code)) return { index, codePoint: code };
	}
	return undefined;
}

function hex(codePoint: number): string {
	return 'U+' + codePoint.toString(16).toUpperCase().padStart(4, '0');
}

function assertXmlChars(text: string, what: string): void {
	const invalid = findInvalidXmlChar(text);
	if (invalid) {
		throw new XmlError(
			`${what} contains ${hex(invalid.codePoint)} at position ${invalid.index}, which XML 1.0 cannot carry ` +
				'(not even as a character reference). Remove it from the source data or use JSON mode.',
		);
	}
}

/** Removes the characters XML 1.0 cannot carry. Lossy: only for callers that choose it explicitly. */
export function stripInvalidXmlChars(text: string): string {
	let out = '';
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				out += text[index] + text[index + 1];
				index++;
			}
			continue;
		}
		if (code >= 0xdc00 && code <= 0xdfff) continue;
		if (isXmlChar(code)) out += text[index];
	}
	return out;
}

const TEXT_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
	'\r': '&#13;',
};

const ATTRIBUTE_ESCAPES: Record<string, string> = {
	...TEXT_ESCAPES,
	'\t': '&#9;',
	'\n': '&#10;',
};

/** Escapes element content. Throws XmlError on characters XML 1.0 cannot carry. */
export function escapeXmlText(text: string, what = 'Text'): string {
	assertXmlChars(text, what);
	return text.replace(/[&<>"'\r]/g, (char) => TEXT_ESCAPES[char]);
}

/** Escapes an attribute value (either quote style). Throws XmlError on characters XML 1.0 cannot carry. */
export function escapeXmlAttribute(value: string, what = 'Attribute value'): string {
	assertXmlChars(value, what);
	return value.replace(/[&<>"'\r\t\n]/g, (char) => ATTRIBUTE_ESCAPES[char]);
}

/**
 * Wraps text in CDATA. `]]>` cannot appear inside a section, so it is split across two sections; a carriage
 * return would be normalised away inside CDATA, so it is written as a reference between sections.
 */
export function wrapCdata(text: string, what = 'Text'): string {
	assertXmlChars(text, what);
	const body = text.replace(/]]>/g, ']]]]><![CDATA[>').replace(/\r/g, ']]>&#13;<![CDATA[');
	return `<![CDATA[${body}]]>`;
}

const NAME_PATTERN = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;

/** Element and attribute names come from code/configuration, never from values; reject anything odd. */
export function assertXmlName(name: string): string {
	if (!NAME_PATTERN.test(name)) throw new XmlError(`"${name}" is not a valid XML name`);
	return name;
}

/** Serialises an element tree (used by tests and the XML payload builder). */
export function serializeXml(node: XmlNode): string {
	if (typeof node === 'string') return escapeXmlText(node);
	const attributes = Object.entries(node.attributes)
		.map(([key, value]) => ` ${assertXmlName(key)}="${escapeXmlAttribute(value)}"`)
		.join('');
	const name = assertXmlName(node.name);
	if (node.children.length === 0) return `<${name}${attributes}/>`;
	return `<${name}${attributes}>${node.children.map(serializeXml).join('')}</${name}>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

const PREDEFINED_ENTITIES: Record<string, string> = {
	lt: '<',
	gt: '>',
	amp: '&',
	quot: '"',
	apos: "'",
};

/** How strictly the reader takes what others wrote. */
export interface XmlReadOptions {
	/**
	 * Decode a numeric character reference to a character XML 1.0 cannot carry (`&#1;`, `&#0;`, a lone surrogate)
	 * instead of refusing the document: for answers whose writer escapes every character of user data that way
	 * (X3's `<RESULT>` holding text the node itself sent), where refusing would lose an answer to a save that happened.
	 */
	anyCharacterReference?: boolean;
}

function decodeReferences(raw: string, position: number, options: XmlReadOptions = {}): string {
	if (raw.indexOf('&') === -1) return raw;
	return raw.replace(/&([^;&\s]*);?/g, (match, body: string, offset: number) => {
		if (!match.endsWith(';')) {
			throw new XmlError(`Unterminated reference "${match}" near offset ${position + offset}`);
		}
		if (body.startsWith('#')) {
			const isHex = body[1] === 'x';
			const digits = body.slice(isHex ? 2 : 1);
			if (!(isHex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) {
				throw new XmlError(
					`Malformed character reference "${match}" near offset ${position + offset}`,
				);
			}
			const codePoint = parseInt(digits, isHex ? 16 : 10);
			if (codePoint > 0x10ffff) {
				throw new XmlError(`Character reference "${match}" is beyond Unicode`);
			}
			if (!isXmlChar(codePoint) && !options.anyCharacterReference) {
				throw new XmlError(`Character reference "${match}" is not an XML 1.0 character`);
			}
			// String.fromCharCode keeps a lone surrogate as the one code unit it names.
			return codePoint <= 0xffff ? String.fromCharCode(codePoint) : String.fromCodePoint(codePoint);
		}
		const entity = PREDEFINED_ENTITIES[body];
		if (entity === undefined)
			throw new XmlError(`Unknown entity "${match}" near offset ${position + offset}`);
		return entity;
	});
}

/** XML 1.0 §2.11: CRLF and lone CR become LF before anything else sees the text. */
function normaliseLineEnds(raw: string): string {
	return raw.replace(/\r\n?/g, '\n');
}

/** XML 1.0 §3.3.3 for CDATA-typed attributes: literal whitespace characters become spaces; references stay. */
function normaliseAttribute(raw: string, position: number, options: XmlReadOptions): string {
	return decodeReferences(normaliseLineEnds(raw).replace(/[\t\n]/g, ' '), position, options);
}

class XmlReader {
	private index = 0;

	constructor(
		private readonly xml: string,
		private readonly options: XmlReadOptions = {},
	) {}

	parse(): XmlElement {
		if (this.xml.charCodeAt(0) === 0xfeff) this.index = 1;
		this.skipMisc();
		if (!this.xml.startsWith('<', this.index) || this.index >= this.xml.length) {
			throw new XmlError('No root element');
		}
		const root = this.readElement();
		this.skipMisc();
		if (this.index < this.xml.length) {
			throw new XmlError(`Unexpected content after the root element at offset ${this.index}`);
		}
		return root;
	}

	/** Whitespace, comments, processing instructions (the XML declaration included) outside the root. */
	private skipMisc(): void {
		for (;;) {
			while (this.index < this.xml.length && /\s/.test(this.xml[this.index])) this.index++;
			if (this.xml.startsWith('<?', this.index)) {
				this.index = this.indexAfter('?>', 'processing instruction');
			} else if (this.xml.startsWith('<!--', this.index)) {
				this.index = this.indexAfter('-->', 'comment');
			} else if (this.xml.startsWith('<!DOCTYPE', this.index)) {
				throw new XmlError('Document type declarations are not accepted');
			} else {
				return;
			}
		}
	}

	private indexAfter(terminator: string, what: string): number {
		const end = this.xml.indexOf(terminator, this.index);
		if (end === -1) throw new XmlError(`Unterminated ${what} at offset ${this.index}`);
		return end + terminator.length;
	}

	private readName(): string {
		const match = /^[^\s/>=<"'&]+/.exec(this.xml.slice(this.index, this.index + 512));
		if (!match) throw new XmlError(`Expected a name at offset ${this.index}`);
		this.index += match[0].length;
		return match[0];
	}

	private skipSpaces(): void {
		while (this.index < this.xml.length && /\s/.test(this.xml[this.index])) this.index++;
	}

	private readElement(): XmlElement {
		this.index++; // '<'
		const name = this.readName();
		const element: XmlElement = { name, attributes: {}, children: [] };
		for (;;) {
			this.skipSpaces();
			const char = this.xml[this.index];
			if (char === undefined) throw new XmlError(`Unterminated start tag <${name}>`);
			if (char === '/') {
				if (this.xml[this.index + 1] !== '>') throw new XmlError(`Malformed tag <${name}>`);
				this.index += 2;
				return element;
			}
			if (char === '>') {
				this.index++;
				break;
			}
			const attributeName = this.readName();
			this.skipSpaces();
			if (this.xml[this.index] !== '=') {
				throw new XmlError(`Attribute ${attributeName} of <${name}> has no value`);
			}
			this.index++;
			this.skipSpaces();
			const quote = this.xml[this.index];
			if (quote !== '"' && quote !== "'") {
				throw new XmlError(`Attribute ${attributeName} of <${name}> is not quoted`);
			}
			const end = this.xml.indexOf(quote, this.index + 1);
			if (end === -1) throw new XmlError(`Unterminated attribute ${attributeName} of <${name}>`);
			const raw = this.xml.slice(this.index + 1, end);
			if (raw.includes('<')) throw new XmlError(`"<" in attribute ${attributeName} of <${name}>`);
			if (attributeName in element.attributes) {
				throw new XmlError(`Duplicate attribute ${attributeName} on <${name}>`);
			}
			element.attributes[attributeName] = normaliseAttribute(raw, this.index + 1, this.options);
			this.index = end + 1;
		}
		this.readContent(element);
		return element;
	}

	private readContent(element: XmlElement): void {
		let text = '';
		const flushText = () => {
			if (text !== '') {
				const last = element.children[element.children.length - 1];
				if (typeof last === 'string') element.children[element.children.length - 1] = last + text;
				else element.children.push(text);
				text = '';
			}
		};
		for (;;) {
			if (this.index >= this.xml.length)
				throw new XmlError(`Element <${element.name}> is not closed`);
			const next = this.xml.indexOf('<', this.index);
			if (next === -1) throw new XmlError(`Element <${element.name}> is not closed`);
			if (next > this.index) {
				const raw = this.xml.slice(this.index, next);
				if (raw.includes(']]>')) throw new XmlError(`"]]>" in text of <${element.name}>`);
				text += decodeReferences(normaliseLineEnds(raw), this.index, this.options);
				this.index = next;
			}
			if (this.xml.startsWith('</', this.index)) {
				this.index += 2;
				const closing = this.readName();
				this.skipSpaces();
				if (this.xml[this.index] !== '>') throw new XmlError(`Malformed end tag </${closing}>`);
				this.index++;
				if (closing !== element.name) {
					throw new XmlError(`End tag </${closing}> does not match <${element.name}>`);
				}
				flushText();
				return;
			}
			if (this.xml.startsWith('<![CDATA[', this.index)) {
				const end = this.xml.indexOf(']]>', this.index + 9);
				if (end === -1) throw new XmlError(`Unterminated CDATA section in <${element.name}>`);
				text += normaliseLineEnds(this.xml.slice(this.index + 9, end));
				this.index = end + 3;
				continue;
			}
			if (this.xml.startsWith('<!--', this.index)) {
				this.index = this.indexAfter('-->', 'comment');
				continue;
			}
			if (this.xml.startsWith('<?', this.index)) {
				this.index = this.indexAfter('?>', 'processing instruction');
				continue;
			}
			if (this.xml.startsWith('<!', this.index)) {
				throw new XmlError(`Declarations are not accepted inside <${element.name}>`);
			}
			flushText();
			element.children.push(this.readElement());
		}
	}
}

/** Parses a document into its root element. Throws XmlError with an offset on malformed input. */
export function parseXml(xml: string, options: XmlReadOptions = {}): XmlElement {
	return new XmlReader(xml, options).parse();
}

// ---------------------------------------------------------------------------------------------------------------
// Tree helpers

export function localName(name: string): string {
	const colon = name.indexOf(':');
	return colon === -1 ? name : name.slice(colon + 1);
}

export function isElement(node: XmlNode | undefined): node is XmlElement {
	return typeof node === 'object' && node !== null;
}

/** Child elements, optionally only those with this local name. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
	return element.children.filter(
		(child): child is XmlElement =>
			isElement(child) && (name === undefined || localName(child.name) === name),
	);
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
	return childElements(element, name)[0];
}

/** Depth-first search for the first element with this local name (the element itself included). */
export function findElement(element: XmlElement, name: string): XmlElement | undefined {
	if (localName(element.name) === name) return element;
	for (const child of childElements(element)) {
		const found = findElement(child, name);
		if (found) return found;
	}
	return undefined;
}

/** Concatenated text of the element and its descendants. */
export function textContent(node: XmlNode): string {
	if (typeof node === 'string') return node;
	return node.children.map(textContent).join('');
}

/** Attribute by local name, whatever its prefix (e.g. `xsi:nil` for `nil`). */
export function attributeByLocalName(element: XmlElement, name: string): string | undefined {
	for (const [key, value] of Object.entries(element.attributes)) {
		if (localName(key) === name) return value;
	}
	return undefined;
}
