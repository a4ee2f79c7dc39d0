/**
 * Parser for the JSON-ish literals X3 GraphQL takes as strings in `filter` and `orderBy`:
 * `{companyName1: {_regex: 'Acme', _options: 'i'}}`, `[{a: 1}, {b: 'x'}]`, `{code: -1}`.
 * Unquoted keys, single- or double-quoted strings, numbers, true/false/null, arrays, objects, trailing commas.
 * A plain recursive-descent parser: no eval, no Function, nothing but data comes out.
 */

export type LooseValue =
	| string
	| number
	| boolean
	| null
	| LooseValue[]
	| { [key: string]: LooseValue };

export class LooseJsonError extends Error {}

export function parseLooseJson(text: string): LooseValue {
	let pos = 0;
	const fail = (message: string): never => {
		throw new LooseJsonError(`${message} at position ${pos} in ${JSON.stringify(text)}`);
	};
	const skip = () => {
		while (pos < text.length && /\s/.test(text[pos])) pos++;
	};

	const parseString = (): string => {
		const quote = text[pos++];
		let out = '';
		while (pos < text.length) {
			const char = text[pos++];
			if (char === quote) return out;
			if (char !== '\\') {
				out += char;
				continue;
			}
			const esc = text[pos++];
			switch (esc) {
				case 'n':
					out += '\n';
					break;
				case 't':
					out += '\t';
					break;
				case 'r':
					out += '\r';
					break;
				case 'b':
					out += '\b';
					break;
				case 'f':
					out += '\f';
					break;
				case 'u': {
					const hex = text.slice(pos, pos + 4);
					if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Bad \\u escape');
					out += String.fromCharCode(parseInt(hex, 16));
					pos += 4;
					break;
				}
				case undefined:
					fail('Unterminated string');
					break;
				default:
					// \' \" \\ \/ and any other escaped character stand for themselves.
					out += esc;
			}
		}
		return fail('Unterminated string');
	};

	const parseWord = (): string => {
		const start = pos;
		while (pos < text.length && /[A-Za-z0-9_$.]/.test(text[pos])) pos++;
		if (pos === start) fail(`Unexpected character ${JSON.stringify(text[pos] ?? 'end of input')}`);
		return text.slice(start, pos);
	};

	const parseValue = (depth: number): LooseValue => {
		if (depth > 64) fail('Nesting too deep');
		skip();
		const char = text[pos];
		if (char === '{') {
			pos++;
			const object: { [key: string]: LooseValue } = {};
			for (;;) {
				skip();
				if (text[pos] === '}') {
					pos++;
					return object;
				}
				const key = text[pos] === '"' || text[pos] === "'" ? parseString() : parseWord();
				skip();
				if (text[pos] !== ':') fail(`Expected ":" after ${key}`);
				pos++;
				if (Object.prototype.hasOwnProperty.call(object, key)) fail(`Duplicate key ${key}`);
				if (key === '__proto__' || key === 'constructor' || key === 'prototype')
					fail(`Forbidden key ${key}`);
				object[key] = parseValue(depth + 1);
				skip();
				if (text[pos] === ',') pos++;
				else if (text[pos] !== '}') fail('Expected "," or "}"');
			}
		}
		if (char === '[') {
			pos++;
			const list: LooseValue[] = [];
			for (;;) {
				skip();
				if (text[pos] === ']') {
					pos++;
					return list;
				}
				list.push(parseValue(depth + 1));
				skip();
				if (text[pos] === ',') pos++;
				else if (text[pos] !== ']') fail('Expected "," or "]"');
			}
		}
		if (char === '"' || char === "'") return parseString();
		if (char !== undefined && /[-+0-9.]/.test(char)) {
			const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(pos));
			if (!match) fail('Bad number');
			pos += match![0].length;
			return Number(match![0]);
		}
		const word = parseWord();
		if (word === 'true') return true;
		if (word === 'false') return false;
		if (word === 'null') return null;
		return fail(`Unexpected word ${word} (strings must be quoted)`);
	};

	const value = parseValue(0);
	skip();
	if (pos < text.length) fail('Unexpected content after the value');
	return value;
}
