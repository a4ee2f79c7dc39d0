/**
 * A small, strict XML reader and the escaping helpers the X3 emulator writes with.
 *
 * Hand-written rather than fast-xml-parser because the emulator must keep strings verbatim: character
 * references for any code point (X3 payloads carry control characters, which XML 1.0 forbids but X3 clients
 * send as `&#x1;`), CR kept when sent as `&#13;`, CDATA and text concatenated in document order, and no
 * DOCTYPE (so no entity expansion tricks).
 */

export interface XmlElement {
	/** Qualified name as written (`soapenv:Body`). */
	name: string;
	/** Name without its prefix (`Body`). */
	local: string;
	/** Attributes by qualified name. */
	attrs: Record<string, string>;
	children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export class XmlSyntaxError extends Error {}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_:.\-\u00B7\u00C0-\uFFFF]/;

/** Parses a whole document (optional BOM, XML declaration, comments, PIs) and returns its root element. */
export function parseXml(input: string): XmlElement {
	// XML end-of-line handling: literal CR LF and CR become LF; CR survives only as a character reference.
	const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	let pos = 0;

	const fail = (message: string): never => {
		throw new XmlSyntaxError(`${message} at offset ${pos}`);
	};

	const skipSpace = () => {
		while (pos < text.length && /[ \t\n]/.test(text[pos])) pos++;
	};

	const readName = (): string => {
		const start = pos;
		if (!NAME_START.test(text[pos] ?? '')) fail('Expected a name');
		pos++;
		while (pos < text.length && NAME_CHAR.test(text[pos])) pos++;
		return text.slice(start, pos);
	};

	const skipMisc = () => {
		for (;;) {
			skipSpace();
			if (text.startsWith('<?', pos)) {
				const end = text.indexOf('?>', pos + 2);
				if (end < 0) fail('Unterminated processing instruction');
				pos = end + 2;
			} else if (text.startsWith('<!--', pos)) {
				const end = text.indexOf('-->', pos + 4);
				if (end < 0) fail('Unterminated comment');
				pos = end + 3;
			} else if (text.startsWith('<!DOCTYPE', pos)) {
				fail('DOCTYPE is not accepted');
			} else return;
		}
	};

	const readElement = (): XmlElement => {
		if (text[pos] !== '<') fail('Expected "<"');
		pos++;
		const name = readName();
		const attrs: Record<string, string> = {};
		for (;;) {
			const before = pos;
			skipSpace();
			if (text.startsWith('/>', pos)) {
				pos += 2;
				return makeElement(name, attrs, []);
			}
			if (text[pos] === '>') {
				pos++;
				break;
			}
			if (pos === before) fail('Expected whitespace before attribute');
			const attrName = readName();
			skipSpace();
			if (text[pos] !== '=') fail(`Expected "=" after attribute ${attrName}`);
			pos++;
			skipSpace();
			const quote = text[pos];
			if (quote !== '"' && quote !== "'") fail('Expected a quoted attribute value');
			const end = text.indexOf(quote, pos + 1);
			if (end < 0) fail('Unterminated attribute value');
			const raw = text.slice(pos + 1, end);
			if (raw.includes('<')) fail('"<" inside an attribute value');
			// Attribute-value normalisation: literal whitespace becomes a space; references keep their character.
			attrs[attrName] = decodeEntities(raw.replace(/[\t\n]/g, ' '), fail);
			pos = end + 1;
		}
		const children: XmlNode[] = [];
		let textBuffer = '';
		const flushText = () => {
			if (textBuffer) children.push(textBuffer);
			textBuffer = '';
		};
		for (;;) {
			if (pos >= text.length) fail(`Unterminated element <${name}>`);
			if (text.startsWith('</', pos)) {
				pos += 2;
				const closing = readName();
				if (closing !== name) fail(`Mismatched closing tag </${closing}> for <${name}>`);
				skipSpace();
				if (text[pos] !== '>') fail('Expected ">"');
				pos++;
				flushText();
				return makeElement(name, attrs, children);
			}
			if (text.startsWith('<![CDATA[', pos)) {
				const end = text.indexOf(']]>', pos + 9);
				if (end < 0) fail('Unterminated CDATA section');
				textBuffer += text.slice(pos + 9, end);
				pos = end + 3;
			} else if (text.startsWith('<!--', pos)) {
				const end = text.indexOf('-->', pos + 4);
				if (end < 0) fail('Unterminated comment');
				pos = end + 3;
			} else if (text.startsWith('<?', pos)) {
				const end = text.indexOf('?>', pos + 2);
				if (end < 0) fail('Unterminated processing instruction');
				pos = end + 2;
			} else if (text[pos] === '<') {
				flushText();
				children.push(readElement());
			} else {
				const next = text.indexOf('<', pos);
				const end = next < 0 ? text.length : next;
				textBuffer += decodeEntities(text.slice(pos, end), fail);
				pos = end;
			}
		}
	};

	skipMisc();
	const root = readElement();
	skipMisc();
	if (pos < text.length) fail('Content after the root element');
	return root;
}

function makeElement(name: string, attrs: Record<string, string>, children: XmlNode[]): XmlElement {
	const colon = name.indexOf(':');
	return { name, local: colon >= 0 ? name.slice(colon + 1) : name, attrs, children };
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, fail: (message: string) => never): string {
	if (!raw.includes('&')) return raw;
	return raw.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
		if (!whole.endsWith(';')) fail(`Bare "&" in text near "${whole.slice(0, 12)}"`);
		if (Object.prototype.hasOwnProperty.call(NAMED_ENTITIES, body)) return NAMED_ENTITIES[body];
		const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
		if (!numeric) return fail(`Unknown entity &${body};`);
		const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
		if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
			return fail(`Invalid character reference &${body};`);
		}
		return String.fromCodePoint(code);
	});
}

/** Concatenated text content of an element (direct text children only). */
export function textOf(element: XmlElement): string {
	return element.children.filter((child): child is string => typeof child === 'string').join('');
}

export function childElements(element: XmlElement): XmlElement[] {
	return element.children.filter((child): child is XmlElement => typeof child !== 'string');
}

export function firstChild(element: XmlElement, local: string): XmlElement | undefined {
	return childElements(element).find((child) => child.local === local);
}

/** Attribute by local name, whatever its prefix (`xsi:nil`, `href`, `soapenc:arrayType`). */
export function attrLocal(element: XmlElement, local: string): string | undefined {
	for (const [name, value] of Object.entries(element.attrs)) {
		const colon = name.indexOf(':');
		if ((colon >= 0 ? name.slice(colon + 1) : name) === local) return value;
	}
	return undefined;
}

/**
 * Escapes text content. Beyond `&` and `<`: `>` (so `]]>` never appears), CR as `&#13;` (else parsers turn it
 * into LF), and characters XML 1.0 cannot carry literally as numeric references (readers that follow XML 1.1 or
 * are lenient, like this module, get them back; strict XML 1.0 readers reject them: JSON mode is the safe path).
 */
export function escapeText(value: string): string {
	return value.replace(/[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, charRef);
}

/** Escapes an attribute value for double quotes; tabs and newlines too, else attribute normalisation eats them. */
export function escapeAttr(value: string): string {
	return value.replace(
		/[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g,
		charRef,
	);
}

function charRef(char: string): string {
	switch (char) {
		case '&':
			return '&amp;';
		case '<':
			return '&lt;';
		case '>':
			return '&gt;';
		case '"':
			return '&quot;';
		default:
			return `&#${char.charCodeAt(0)};`;
	}
}

/**
 * Wraps text in CDATA, splitting every `]]>` across two sections. CDATA cannot carry characters XML forbids, so
 * callers only use it for text that is itself escaped XML or JSON (no raw control characters).
 */
export function cdata(value: string): string {
	return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}
