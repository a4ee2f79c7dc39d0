/**
 * SData `where` expressions as api1 takes them (`where=left(BPSNAM,4) eq 'Test'`): comparison eq ne lt le gt ge,
 * like with % and _, in (...), between … and …, and / or / not, parentheses, + - mul div mod, string literals in
 * single quotes with '' escaping, numbers, @2024-01-31@ dates and @…T…Z@ datetimes, and the string functions
 * left, right, upper, lower, length, trim, substring. Parsed into a tree and evaluated: never eval'd.
 */

export class WhereSyntaxError extends Error {}
export class WhereUnknownPropertyError extends Error {}

export type WhereNode = Node;

type Node =
	| { kind: 'literal'; value: string | number | boolean | null }
	| { kind: 'property'; name: string }
	| { kind: 'call'; name: string; args: Node[] }
	| { kind: 'unary'; op: 'not' | '-'; operand: Node }
	| { kind: 'binary'; op: string; left: Node; right: Node }
	| { kind: 'in'; operand: Node; list: Node[]; negated: boolean }
	| { kind: 'between'; operand: Node; low: Node; high: Node };

interface Token {
	kind: 'ident' | 'string' | 'number' | 'date' | 'punct' | 'eof';
	value: string;
	pos: number;
}

const KEYWORDS = new Set([
	'eq',
	'ne',
	'lt',
	'le',
	'gt',
	'ge',
	'like',
	'in',
	'between',
	'and',
	'or',
	'not',
	'mul',
	'div',
	'mod',
]);
const FUNCTIONS = new Set([
	'left',
	'right',
	'upper',
	'lower',
	'length',
	'len',
	'trim',
	'substring',
]);

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let pos = 0;
	while (pos < text.length) {
		const char = text[pos];
		if (/\s/.test(char)) {
			pos++;
			continue;
		}
		const start = pos;
		if (char === "'") {
			let value = '';
			pos++;
			for (;;) {
				if (pos >= text.length)
					throw new WhereSyntaxError(`Unterminated string literal at ${start}`);
				if (text[pos] === "'") {
					if (text[pos + 1] === "'") {
						value += "'";
						pos += 2;
						continue;
					}
					pos++;
					break;
				}
				value += text[pos++];
			}
			tokens.push({ kind: 'string', value, pos: start });
			continue;
		}
		if (char === '@') {
			const end = text.indexOf('@', pos + 1);
			if (end < 0) throw new WhereSyntaxError(`Unterminated date literal at ${start}`);
			const value = text.slice(pos + 1, end);
			if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
				throw new WhereSyntaxError(`Invalid date literal @${value}@`);
			}
			tokens.push({ kind: 'date', value, pos: start });
			pos = end + 1;
			continue;
		}
		if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[pos + 1] ?? ''))) {
			const match = /^\d*\.?\d+([eE][-+]?\d+)?/.exec(text.slice(pos));
			tokens.push({ kind: 'number', value: match![0], pos: start });
			pos += match![0].length;
			continue;
		}
		if (/[A-Za-z_$]/.test(char)) {
			while (pos < text.length && /[A-Za-z0-9_$.]/.test(text[pos])) pos++;
			tokens.push({ kind: 'ident', value: text.slice(start, pos), pos: start });
			continue;
		}
		if ('(),+-'.includes(char)) {
			tokens.push({ kind: 'punct', value: char, pos: start });
			pos++;
			continue;
		}
		throw new WhereSyntaxError(`Unexpected character ${JSON.stringify(char)} at ${start}`);
	}
	tokens.push({ kind: 'eof', value: '', pos });
	return tokens;
}

export function parseWhere(text: string): Node {
	const tokens = tokenize(text);
	let index = 0;
	const peek = () => tokens[index];
	const isWord = (word: string) => peek().kind === 'ident' && peek().value.toLowerCase() === word;
	const isPunct = (value: string) => peek().kind === 'punct' && peek().value === value;
	const expectPunct = (value: string) => {
		if (!isPunct(value)) throw new WhereSyntaxError(`Expected "${value}" at ${peek().pos}`);
		index++;
	};

	const parseOr = (): Node => {
		let left = parseAnd();
		while (isWord('or')) {
			index++;
			left = { kind: 'binary', op: 'or', left, right: parseAnd() };
		}
		return left;
	};
	const parseAnd = (): Node => {
		let left = parseNot();
		while (isWord('and')) {
			index++;
			left = { kind: 'binary', op: 'and', left, right: parseNot() };
		}
		return left;
	};
	const parseNot = (): Node => {
		if (isWord('not')) {
			index++;
			return { kind: 'unary', op: 'not', operand: parseNot() };
		}
		return parseComparison();
	};
	const parseComparison = (): Node => {
		const left = parseAdditive();
		const token = peek();
		if (token.kind !== 'ident') return left;
		const word = token.value.toLowerCase();
		if (['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'like'].includes(word)) {
			index++;
			return { kind: 'binary', op: word, left, right: parseAdditive() };
		}
		if (word === 'in' || (word === 'not' && tokens[index + 1]?.value.toLowerCase() === 'in')) {
			const negated = word === 'not';
			index += negated ? 2 : 1;
			expectPunct('(');
			const list: Node[] = [parseAdditive()];
			while (isPunct(',')) {
				index++;
				list.push(parseAdditive());
			}
			expectPunct(')');
			return { kind: 'in', operand: left, list, negated };
		}
		if (word === 'between') {
			index++;
			const low = parseAdditive();
			if (!isWord('and')) throw new WhereSyntaxError(`Expected "and" in between at ${peek().pos}`);
			index++;
			return { kind: 'between', operand: left, low, high: parseAdditive() };
		}
		return left;
	};
	const parseAdditive = (): Node => {
		let left = parseMultiplicative();
		while (isPunct('+') || isPunct('-')) {
			const op = peek().value;
			index++;
			left = { kind: 'binary', op, left, right: parseMultiplicative() };
		}
		return left;
	};
	const parseMultiplicative = (): Node => {
		let left = parseUnary();
		while (isWord('mul') || isWord('div') || isWord('mod')) {
			const op = peek().value.toLowerCase();
			index++;
			left = { kind: 'binary', op, left, right: parseUnary() };
		}
		return left;
	};
	const parseUnary = (): Node => {
		if (isPunct('-')) {
			index++;
			return { kind: 'unary', op: '-', operand: parseUnary() };
		}
		return parsePrimary();
	};
	const parsePrimary = (): Node => {
		const token = peek();
		switch (token.kind) {
			case 'string':
				index++;
				return { kind: 'literal', value: token.value };
			case 'date':
				index++;
				return { kind: 'literal', value: token.value };
			case 'number':
				index++;
				return { kind: 'literal', value: Number(token.value) };
			case 'punct':
				if (token.value === '(') {
					index++;
					const inner = parseOr();
					expectPunct(')');
					return inner;
				}
				break;
			case 'ident': {
				const lower = token.value.toLowerCase();
				if (lower === 'true' || lower === 'false') {
					index++;
					return { kind: 'literal', value: lower === 'true' };
				}
				if (lower === 'null') {
					index++;
					return { kind: 'literal', value: null };
				}
				if (KEYWORDS.has(lower)) break;
				index++;
				if (isPunct('(')) {
					if (!FUNCTIONS.has(lower)) throw new WhereSyntaxError(`Unknown function ${token.value}`);
					index++;
					const args: Node[] = [];
					if (!isPunct(')')) {
						args.push(parseOr());
						while (isPunct(',')) {
							index++;
							args.push(parseOr());
						}
					}
					expectPunct(')');
					return { kind: 'call', name: lower, args };
				}
				return { kind: 'property', name: token.value };
			}
			default:
				break;
		}
		throw new WhereSyntaxError(
			token.kind === 'eof'
				? 'Unexpected end of expression'
				: `Unexpected "${token.value}" at ${token.pos}`,
		);
	};

	const tree = parseOr();
	if (peek().kind !== 'eof')
		throw new WhereSyntaxError(`Unexpected "${peek().value}" at ${peek().pos}`);
	return tree;
}

export interface WhereRecord {
	/** Property values of the resource ($query facet). */
	values: Record<string, unknown>;
	/** Properties compared case-insensitively (X3's usual case-insensitive collation on names). */
	caseInsensitive: Set<string>;
}

interface Evaluated {
	value: unknown;
	ci: boolean;
}

/** Checks that every property the expression names exists (X3 answers an unknown property with an error). */
export function checkProperties(tree: Node, known: (name: string) => boolean): void {
	const visit = (node: Node) => {
		switch (node.kind) {
			case 'property':
				if (!known(node.name))
					throw new WhereUnknownPropertyError(`Property ${node.name} does not exist`);
				break;
			case 'call':
				node.args.forEach(visit);
				break;
			case 'unary':
				visit(node.operand);
				break;
			case 'binary':
				visit(node.left);
				visit(node.right);
				break;
			case 'in':
				visit(node.operand);
				node.list.forEach(visit);
				break;
			case 'between':
				visit(node.operand);
				visit(node.low);
				visit(node.high);
				break;
			default:
				break;
		}
	};
	visit(tree);
}

export function evaluateWhere(tree: Node, record: WhereRecord): boolean {
	return truthy(evaluate(tree, record).value);
}

function truthy(value: unknown): boolean {
	return value === true;
}

function evaluate(node: Node, record: WhereRecord): Evaluated {
	switch (node.kind) {
		case 'literal':
			return { value: node.value, ci: false };
		case 'property':
			return { value: record.values[node.name] ?? null, ci: record.caseInsensitive.has(node.name) };
		case 'call':
			return callFunction(
				node.name,
				node.args.map((arg) => evaluate(arg, record)),
			);
		case 'unary': {
			const operand = evaluate(node.operand, record);
			if (node.op === 'not') return { value: !truthy(operand.value), ci: false };
			return { value: -Number(operand.value), ci: false };
		}
		case 'in': {
			const operand = evaluate(node.operand, record);
			const found = node.list.some((item) => compare(operand, evaluate(item, record)) === 0);
			return { value: node.negated ? !found : found, ci: false };
		}
		case 'between': {
			const operand = evaluate(node.operand, record);
			const low = compare(operand, evaluate(node.low, record));
			const high = compare(operand, evaluate(node.high, record));
			return { value: low !== null && high !== null && low >= 0 && high <= 0, ci: false };
		}
		case 'binary': {
			if (node.op === 'and') {
				return {
					value:
						truthy(evaluate(node.left, record).value) && truthy(evaluate(node.right, record).value),
					ci: false,
				};
			}
			if (node.op === 'or') {
				return {
					value:
						truthy(evaluate(node.left, record).value) || truthy(evaluate(node.right, record).value),
					ci: false,
				};
			}
			const left = evaluate(node.left, record);
			const right = evaluate(node.right, record);
			if (node.op === 'like') return { value: like(left, right), ci: false };
			if (['+', '-', 'mul', 'div', 'mod'].includes(node.op))
				return arithmetic(node.op, left, right);
			const cmp = compare(left, right);
			if (cmp === null)
				return { value: node.op === 'ne' ? left.value !== right.value : false, ci: false };
			const results: Record<string, boolean> = {
				eq: cmp === 0,
				ne: cmp !== 0,
				lt: cmp < 0,
				le: cmp <= 0,
				gt: cmp > 0,
				ge: cmp >= 0,
			};
			return { value: results[node.op], ci: false };
		}
	}
}

function callFunction(name: string, args: Evaluated[]): Evaluated {
	const text =
		args[0]?.value === null || args[0]?.value === undefined ? null : String(args[0].value);
	const ci = args[0]?.ci ?? false;
	const n = (i: number) => Number(args[i]?.value);
	const arity = (count: number[]) => {
		if (!count.includes(args.length))
			throw new WhereSyntaxError(`${name}() takes ${count.join(' or ')} arguments`);
	};
	switch (name) {
		case 'left':
			arity([2]);
			return { value: text === null ? null : Array.from(text).slice(0, n(1)).join(''), ci };
		case 'right':
			arity([2]);
			return {
				value:
					text === null
						? null
						: Array.from(text)
								.slice(Math.max(0, Array.from(text).length - n(1)))
								.join(''),
				ci,
			};
		case 'upper':
			arity([1]);
			return { value: text?.toUpperCase() ?? null, ci };
		case 'lower':
			arity([1]);
			return { value: text?.toLowerCase() ?? null, ci };
		case 'length':
		case 'len':
			arity([1]);
			return { value: text === null ? null : Array.from(text).length, ci: false };
		case 'trim':
			arity([1]);
			return { value: text?.trim() ?? null, ci };
		case 'substring': {
			arity([2, 3]);
			if (text === null) return { value: null, ci };
			const chars = Array.from(text);
			const start = Math.max(0, n(1) - 1);
			return {
				value: chars.slice(start, args.length === 3 ? start + n(2) : undefined).join(''),
				ci,
			};
		}
		default:
			throw new WhereSyntaxError(`Unknown function ${name}`);
	}
}

function arithmetic(op: string, left: Evaluated, right: Evaluated): Evaluated {
	const a = Number(left.value);
	const b = Number(right.value);
	const value =
		op === '+' ? a + b : op === '-' ? a - b : op === 'mul' ? a * b : op === 'div' ? a / b : a % b;
	return { value, ci: false };
}

/** -1 / 0 / 1, or null when either side is null. Numbers compare numerically, the rest as text. */
function compare(left: Evaluated, right: Evaluated): number | null {
	if (
		left.value === null ||
		left.value === undefined ||
		right.value === null ||
		right.value === undefined
	)
		return null;
	if (typeof left.value === 'boolean' || typeof right.value === 'boolean') {
		return String(left.value) === String(right.value) ? 0 : 1;
	}
	const numeric = typeof left.value === 'number' || typeof right.value === 'number';
	if (numeric) {
		const a = Number(left.value);
		const b = Number(right.value);
		if (!Number.isNaN(a) && !Number.isNaN(b)) return a === b ? 0 : a < b ? -1 : 1;
	}
	let a = String(left.value);
	let b = String(right.value);
	if (left.ci || right.ci) {
		a = a.toLowerCase();
		b = b.toLowerCase();
	}
	return a === b ? 0 : a < b ? -1 : 1;
}

function like(left: Evaluated, right: Evaluated): boolean {
	if (left.value === null || left.value === undefined || right.value === null) return false;
	const pattern = String(right.value)
		.split('')
		.map((char) =>
			char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
		)
		.join('');
	return new RegExp(`^${pattern}$`, left.ci || right.ci ? 'is' : 's').test(String(left.value));
}
