/**
 * A hand-written parser for the GraphQL query language subset X3 clients send: operations with variable
 * definitions, fields with aliases and arguments, fragments (named and inline), @include/@skip, all literal
 * kinds (strings incl. block strings, numbers, booleans, null, enums, lists, objects) and variables.
 * Type system definitions (SDL) are not accepted: this only reads executable documents.
 */

export interface Location {
	line: number;
	column: number;
}

export type ValueNode =
	| { kind: 'Variable'; name: string }
	| { kind: 'Int' | 'Float'; value: number }
	| { kind: 'String'; value: string }
	| { kind: 'Boolean'; value: boolean }
	| { kind: 'Null' }
	| { kind: 'Enum'; value: string }
	| { kind: 'List'; values: ValueNode[] }
	| { kind: 'Object'; fields: Record<string, ValueNode> };

export type TypeNode =
	| { kind: 'Named'; name: string }
	| { kind: 'List'; of: TypeNode }
	| { kind: 'NonNull'; of: TypeNode };

export interface Directive {
	name: string;
	args: Record<string, ValueNode>;
}

export interface FieldNode {
	kind: 'Field';
	alias: string | null;
	name: string;
	args: Record<string, ValueNode>;
	directives: Directive[];
	selections: SelectionNode[] | null;
	loc: Location;
}

export interface FragmentSpreadNode {
	kind: 'FragmentSpread';
	name: string;
	directives: Directive[];
	loc: Location;
}

export interface InlineFragmentNode {
	kind: 'InlineFragment';
	typeCondition: string | null;
	directives: Directive[];
	selections: SelectionNode[];
	loc: Location;
}

export type SelectionNode = FieldNode | FragmentSpreadNode | InlineFragmentNode;

export interface VariableDefinition {
	name: string;
	type: TypeNode;
	defaultValue: ValueNode | null;
}

export interface OperationNode {
	operation: 'query' | 'mutation' | 'subscription';
	name: string | null;
	variables: VariableDefinition[];
	selections: SelectionNode[];
	loc: Location;
}

export interface FragmentNode {
	name: string;
	typeCondition: string;
	selections: SelectionNode[];
}

export interface DocumentNode {
	operations: OperationNode[];
	fragments: Map<string, FragmentNode>;
}

export class GraphQLSyntaxError extends Error {
	constructor(
		message: string,
		readonly loc: Location,
	) {
		super(`Syntax Error: ${message}`);
	}
}

interface Token {
	kind: 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
	value: string;
	loc: Location;
}

function tokenize(source: string): Token[] {
	const tokens: Token[] = [];
	let pos = 0;
	let line = 1;
	let lineStart = 0;
	const loc = (): Location => ({ line, column: pos - lineStart + 1 });
	const newline = () => {
		line++;
		lineStart = pos;
	};
	while (pos < source.length) {
		const char = source[pos];
		if (char === '\n') {
			pos++;
			newline();
			continue;
		}
		if (char === '\r') {
			pos++;
			if (source[pos] === '\n') pos++;
			newline();
			continue;
		}
		if (char === ' ' || char === '\t' || char === ',' || char === '\uFEFF') {
			pos++;
			continue;
		}
		if (char === '#') {
			while (pos < source.length && source[pos] !== '\n' && source[pos] !== '\r') pos++;
			continue;
		}
		const start = loc();
		if (source.startsWith('...', pos)) {
			tokens.push({ kind: 'punct', value: '...', loc: start });
			pos += 3;
			continue;
		}
		if ('!$&()[]{}:=@|'.includes(char)) {
			tokens.push({ kind: 'punct', value: char, loc: start });
			pos++;
			continue;
		}
		if (/[A-Za-z_]/.test(char)) {
			const begin = pos;
			while (pos < source.length && /[A-Za-z0-9_]/.test(source[pos])) pos++;
			tokens.push({ kind: 'name', value: source.slice(begin, pos), loc: start });
			continue;
		}
		if (/[-0-9]/.test(char)) {
			const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(pos));
			if (!match) throw new GraphQLSyntaxError(`Invalid number`, start);
			const isFloat = match[2] !== undefined || match[3] !== undefined;
			tokens.push({ kind: isFloat ? 'float' : 'int', value: match[0], loc: start });
			pos += match[0].length;
			continue;
		}
		if (source.startsWith('"""', pos)) {
			pos += 3;
			let raw = '';
			for (;;) {
				if (pos >= source.length) throw new GraphQLSyntaxError('Unterminated string', start);
				if (source.startsWith('"""', pos)) {
					pos += 3;
					break;
				}
				if (source.startsWith('\\"""', pos)) {
					raw += '"""';
					pos += 4;
					continue;
				}
				if (source[pos] === '\n') {
					raw += '\n';
					pos++;
					newline();
					continue;
				}
				raw += source[pos++];
			}
			tokens.push({ kind: 'string', value: blockStringValue(raw), loc: start });
			continue;
		}
		if (char === '"') {
			pos++;
			let value = '';
			for (;;) {
				const c = source[pos];
				if (c === undefined || c === '\n' || c === '\r')
					throw new GraphQLSyntaxError('Unterminated string', start);
				pos++;
				if (c === '"') break;
				if (c !== '\\') {
					value += c;
					continue;
				}
				const esc = source[pos++];
				const simple: Record<string, string> = {
					'"': '"',
					'\\': '\\',
					'/': '/',
					b: '\b',
					f: '\f',
					n: '\n',
					r: '\r',
					t: '\t',
				};
				if (esc in simple) value += simple[esc];
				else if (esc === 'u') {
					const hex = source.slice(pos, pos + 4);
					if (!/^[0-9a-fA-F]{4}$/.test(hex))
						throw new GraphQLSyntaxError('Invalid unicode escape', start);
					value += String.fromCharCode(parseInt(hex, 16));
					pos += 4;
				} else throw new GraphQLSyntaxError(`Invalid escape \\${esc}`, start);
			}
			tokens.push({ kind: 'string', value, loc: start });
			continue;
		}
		throw new GraphQLSyntaxError(`Unexpected character ${JSON.stringify(char)}`, start);
	}
	tokens.push({ kind: 'eof', value: '', loc: loc() });
	return tokens;
}

/** Block string indentation rules of the GraphQL spec (common indent removed, blank edge lines dropped). */
function blockStringValue(raw: string): string {
	const lines = raw.split(/\r\n|\n|\r/);
	let common: number | null = null;
	for (const line of lines.slice(1)) {
		const indent = line.length - line.trimStart().length;
		if (indent < line.length && (common === null || indent < common)) common = indent;
	}
	const out = lines.map((line, i) => (i === 0 || common === null ? line : line.slice(common)));
	while (out.length && out[0].trim() === '') out.shift();
	while (out.length && out[out.length - 1].trim() === '') out.pop();
	return out.join('\n');
}

export function parseGraphQL(source: string): DocumentNode {
	const tokens = tokenize(source);
	let index = 0;
	const peek = () => tokens[index];
	const next = () => tokens[index++];
	const fail = (message: string, token = peek()): never => {
		throw new GraphQLSyntaxError(message, token.loc);
	};
	const expectPunct = (value: string) => {
		const token = next();
		if (token.kind !== 'punct' || token.value !== value) {
			fail(
				`Expected "${value}", found ${token.kind === 'eof' ? '<EOF>' : JSON.stringify(token.value)}`,
				token,
			);
		}
	};
	const isPunct = (value: string) => peek().kind === 'punct' && peek().value === value;
	const expectName = (): string => {
		const token = next();
		if (token.kind !== 'name')
			fail(
				`Expected Name, found ${token.kind === 'eof' ? '<EOF>' : JSON.stringify(token.value)}`,
				token,
			);
		return token.value;
	};

	const parseValue = (isConst: boolean): ValueNode => {
		const token = peek();
		if (token.kind === 'punct') {
			if (token.value === '$') {
				if (isConst) fail('Unexpected variable in constant value');
				next();
				return { kind: 'Variable', name: expectName() };
			}
			if (token.value === '[') {
				next();
				const values: ValueNode[] = [];
				while (!isPunct(']')) values.push(parseValue(isConst));
				next();
				return { kind: 'List', values };
			}
			if (token.value === '{') {
				next();
				const fields: Record<string, ValueNode> = {};
				while (!isPunct('}')) {
					const name = expectName();
					expectPunct(':');
					fields[name] = parseValue(isConst);
				}
				next();
				return { kind: 'Object', fields };
			}
			return fail(`Unexpected ${JSON.stringify(token.value)}`);
		}
		next();
		switch (token.kind) {
			case 'int':
				return { kind: 'Int', value: Number(token.value) };
			case 'float':
				return { kind: 'Float', value: Number(token.value) };
			case 'string':
				return { kind: 'String', value: token.value };
			case 'name':
				if (token.value === 'true' || token.value === 'false')
					return { kind: 'Boolean', value: token.value === 'true' };
				if (token.value === 'null') return { kind: 'Null' };
				return { kind: 'Enum', value: token.value };
			default:
				return fail('Unexpected <EOF>', token);
		}
	};

	const parseArguments = (isConst: boolean): Record<string, ValueNode> => {
		const args: Record<string, ValueNode> = {};
		if (!isPunct('(')) return args;
		next();
		while (!isPunct(')')) {
			const name = expectName();
			expectPunct(':');
			args[name] = parseValue(isConst);
		}
		next();
		return args;
	};

	const parseDirectives = (): Directive[] => {
		const directives: Directive[] = [];
		while (isPunct('@')) {
			next();
			directives.push({ name: expectName(), args: parseArguments(false) });
		}
		return directives;
	};

	const parseSelectionSet = (): SelectionNode[] => {
		expectPunct('{');
		const selections: SelectionNode[] = [];
		while (!isPunct('}')) {
			if (peek().kind === 'eof') fail('Expected "}", found <EOF>');
			selections.push(parseSelection());
		}
		next();
		return selections;
	};

	const parseSelection = (): SelectionNode => {
		const start = peek();
		if (isPunct('...')) {
			next();
			if (peek().kind === 'name' && peek().value !== 'on') {
				return {
					kind: 'FragmentSpread',
					name: expectName(),
					directives: parseDirectives(),
					loc: start.loc,
				};
			}
			let typeCondition: string | null = null;
			if (peek().kind === 'name' && peek().value === 'on') {
				next();
				typeCondition = expectName();
			}
			return {
				kind: 'InlineFragment',
				typeCondition,
				directives: parseDirectives(),
				selections: parseSelectionSet(),
				loc: start.loc,
			};
		}
		let name = expectName();
		let alias: string | null = null;
		if (isPunct(':')) {
			next();
			alias = name;
			name = expectName();
		}
		const args = parseArguments(false);
		const directives = parseDirectives();
		const selections = isPunct('{') ? parseSelectionSet() : null;
		return { kind: 'Field', alias, name, args, directives, selections, loc: start.loc };
	};

	const parseType = (): TypeNode => {
		let type: TypeNode;
		if (isPunct('[')) {
			next();
			type = { kind: 'List', of: parseType() };
			expectPunct(']');
		} else {
			type = { kind: 'Named', name: expectName() };
		}
		if (isPunct('!')) {
			next();
			return { kind: 'NonNull', of: type };
		}
		return type;
	};

	const document: DocumentNode = { operations: [], fragments: new Map() };
	while (peek().kind !== 'eof') {
		const token = peek();
		if (isPunct('{')) {
			document.operations.push({
				operation: 'query',
				name: null,
				variables: [],
				selections: parseSelectionSet(),
				loc: token.loc,
			});
			continue;
		}
		const keyword = expectName();
		if (keyword === 'fragment') {
			const name = expectName();
			if (expectName() !== 'on') fail('Expected "on"');
			const typeCondition = expectName();
			parseDirectives();
			document.fragments.set(name, { name, typeCondition, selections: parseSelectionSet() });
			continue;
		}
		if (keyword !== 'query' && keyword !== 'mutation' && keyword !== 'subscription') {
			fail(`Unexpected Name ${JSON.stringify(keyword)}`, token);
		}
		const name = peek().kind === 'name' ? expectName() : null;
		const variables: VariableDefinition[] = [];
		if (isPunct('(')) {
			next();
			while (!isPunct(')')) {
				expectPunct('$');
				const varName = expectName();
				expectPunct(':');
				const type = parseType();
				let defaultValue: ValueNode | null = null;
				if (isPunct('=')) {
					next();
					defaultValue = parseValue(true);
				}
				parseDirectives();
				variables.push({ name: varName, type, defaultValue });
			}
			next();
		}
		parseDirectives();
		document.operations.push({
			operation: keyword as OperationNode['operation'],
			name,
			variables,
			selections: parseSelectionSet(),
			loc: token.loc,
		});
	}
	if (!document.operations.length)
		throw new GraphQLSyntaxError('No operation in document', { line: 1, column: 1 });
	return document;
}

export function typeToString(type: TypeNode): string {
	if (type.kind === 'Named') return type.name;
	if (type.kind === 'List') return `[${typeToString(type.of)}]`;
	return `${typeToString(type.of)}!`;
}
