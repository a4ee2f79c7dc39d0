import type { INode } from 'n8n-workflow';

import { X3Error } from './errors';
import { describeTarget } from './http';
import type { X3HttpSender } from './http';
import type { X3CallRunner } from './throttle';

/**
 * Sage X3 GraphQL (X3 Services / "xtrem"): POST {server}/xtrem/api with `x-xtrem-endpoint`, relay connections
 * (edges/node, pageInfo.hasNextPage/endCursor, first/after), and `filter` arguments that are STRINGS holding a
 * Mongo-like object (`{code: {_eq: 'X'}}`). buildGraphqlFilter writes that string from a JS object so user values
 * are always literals: quotes, braces and backslashes in a value cannot end the literal or add an operator.
 */

export class GraphqlFilterError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'GraphqlFilterError';
	}
}

export type GraphqlFilterValue =
	| string
	| number
	| boolean
	| null
	| GraphqlFilterObject
	| GraphqlFilterValue[];

export interface GraphqlFilterObject {
	[key: string]: GraphqlFilterValue | undefined;
}

const PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Single-quoted literal with JSON5/JavaScript escapes. Everything but printable ASCII becomes \uXXXX. */
export function graphqlFilterString(value: string): string {
	let out = "'";
	for (const char of value) {
		const code = char.codePointAt(0) as number;
		if (char === '\\') out += '\\\\';
		else if (char === "'") out += "\\'";
		else if (char === '"') out += '\\"';
		else if (code >= 0x20 && code < 0x7f) out += char;
		else if (code > 0xffff) {
			// Surrogate pair, each half escaped: the parser reassembles it.
			const high = Math.floor((code - 0x10000) / 0x400) + 0xd800;
			const low = ((code - 0x10000) % 0x400) + 0xdc00;
			out += `\\u${high.toString(16).padStart(4, '0')}\\u${low.toString(16).padStart(4, '0')}`;
		} else out += `\\u${code.toString(16).padStart(4, '0')}`;
	}
	return out + "'";
}

/** Serialises a filter object into the string X3 expects. Property names must be identifiers (they come from code). */
export function buildGraphqlFilter(filter: GraphqlFilterObject | GraphqlFilterObject[]): string {
	return serialiseFilterValue(filter, 'filter');
}

function serialiseFilterValue(value: GraphqlFilterValue, path: string): string {
	if (value === null) return 'null';
	if (typeof value === 'string') return graphqlFilterString(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value))
			throw new GraphqlFilterError(`${path}: ${value} is not a finite number`);
		return String(value);
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (Array.isArray(value)) {
		return `[${value.map((item, index) => serialiseFilterValue(item, `${path}[${index}]`)).join(', ')}]`;
	}
	if (typeof value === 'object') {
		const entries = Object.entries(value).filter(([, item]) => item !== undefined);
		const parts = entries.map(([key, item]) => {
			if (!PROPERTY_NAME.test(key)) {
				throw new GraphqlFilterError(`${path}: "${key}" is not a valid property or operator name`);
			}
			return `${key}: ${serialiseFilterValue(item as GraphqlFilterValue, `${path}.${key}`)}`;
		});
		return `{${parts.join(', ')}}`;
	}
	throw new GraphqlFilterError(`${path}: unsupported value`);
}

/** Escapes regular-expression metacharacters so a user value matches literally inside `_regex`. */
export function escapeRegex(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const FOLD_CLASSES: Record<string, string> = {
	a: 'aàáâãäåāăą',
	c: 'cçćĉċč',
	e: 'eèéêëēĕėęě',
	i: 'iìíîïĩīĭį',
	n: 'nñńņňŉ',
	o: 'oòóôõöøōŏő',
	u: 'uùúûüũūŭůűų',
	y: 'yýÿŷ',
	s: 'sśŝşš',
	z: 'zźżž',
	l: 'lĺļľł',
	g: 'gĝğġģ',
	r: 'rŕŗř',
	d: 'dď',
	t: 'tţť',
};

/**
 * Combining diacritical marks (U+0300..U+036F), as literal characters: a name stored decomposed ("e" + U+0301
 * instead of "é") carries them after the base letter.
 */
const COMBINING_MARKS = '[\u0300-\u036f]';

/**
 * A regex matching `text` anywhere, ignoring case and common Latin accents, without relying on regex flags (whose
 * support on the X3 side is not documented): each letter becomes a character class, followed by optional
 * combining marks, so precomposed and decomposed spellings of an accented name both match (as the SOAP and REST
 * readers' local folding does). Combining marks in `text` itself are dropped for the same reason.
 */
export function insensitiveRegex(text: string): string {
	let out = '';
	for (const char of text.normalize('NFC')) {
		const base = char
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase();
		if (base === '' && /^[\u0300-\u036f]$/.test(char)) continue;
		const fold = FOLD_CLASSES[base];
		if (fold) {
			const variants = new Set<string>();
			for (const variant of fold) {
				variants.add(variant);
				variants.add(variant.toUpperCase());
			}
			out += `[${[...variants].join('')}]${COMBINING_MARKS}*`;
		} else if (/^[a-z]$/i.test(base) && base.length === 1) {
			out += `[${base.toLowerCase()}${base.toUpperCase()}]${COMBINING_MARKS}*`;
		} else {
			out += escapeRegex(char);
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Query builders: selections from dotted property paths, nested and merged filters, relay connection queries.

const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function segments(path: string): string[] {
	const parts = path.split('.');
	for (const part of parts) {
		if (!PATH_SEGMENT.test(part))
			throw new GraphqlFilterError(`"${path}" is not a valid GraphQL property path`);
	}
	return parts;
}

/** Selection set text from dotted paths: ['code.code', 'companyName1'] -> 'code { code } companyName1'. */
export function selectionFromPaths(paths: string[]): string {
	interface Tree {
		[key: string]: Tree;
	}
	const tree: Tree = {};
	for (const path of paths) {
		if (path === '') continue;
		let level = tree;
		for (const part of segments(path)) level = level[part] ??= {};
	}
	const render = (level: Tree): string =>
		Object.entries(level)
			.map(([key, children]) =>
				Object.keys(children).length === 0 ? key : `${key} { ${render(children)} }`,
			)
			.join(' ');
	return render(tree);
}

type RootTree = Map<string, RootTree | string>;

/** Several connections under their root paths, sharing common parents (x3Finance { journalEntry {…} journalEntryLine {…} }). */
export function rootsSelection(parts: Array<{ root: string; body: string }>): string {
	const tree: RootTree = new Map();
	for (const { root, body } of parts) {
		const path = segments(root);
		let level = tree;
		path.slice(0, -1).forEach((part) => {
			let child = level.get(part);
			if (!(child instanceof Map)) {
				child = new Map();
				level.set(part, child);
			}
			level = child;
		});
		level.set(path[path.length - 1], body);
	}
	const render = (level: RootTree): string =>
		[...level]
			.map(([key, value]) => `${key} { ${typeof value === 'string' ? value : render(value)} }`)
			.join(' ');
	return render(tree);
}

/** {a: {b: value}} from 'a.b'. */
export function nestFilter(path: string, value: GraphqlFilterValue): GraphqlFilterObject {
	const parts = segments(path);
	let filter: GraphqlFilterValue = value;
	for (let index = parts.length - 1; index >= 0; index--) filter = { [parts[index]]: filter };
	return filter as GraphqlFilterObject;
}

/**
 * The X3-side criteria of a search: the code as a prefix, the text case- and accent-insensitively (see
 * insensitiveRegex); none for what is not asked.
 */
export function searchFilters(
	codePath: string,
	code: string | undefined,
	textPath: string,
	text: string | undefined,
): Array<GraphqlFilterObject | undefined> {
	return [
		code ? nestFilter(codePath, { _regex: `^${escapeRegex(code)}` }) : undefined,
		text ? nestFilter(textPath, { _regex: insensitiveRegex(text) }) : undefined,
	];
}

export function mergeFilters(
	...filters: Array<GraphqlFilterObject | undefined>
): GraphqlFilterObject {
	const merged: GraphqlFilterObject = {};
	for (const filter of filters) {
		if (!filter) continue;
		for (const [key, value] of Object.entries(filter)) {
			const existing = merged[key];
			if (
				existing &&
				typeof existing === 'object' &&
				!Array.isArray(existing) &&
				value &&
				typeof value === 'object' &&
				!Array.isArray(value)
			) {
				merged[key] = mergeFilters(existing as GraphqlFilterObject, value as GraphqlFilterObject);
			} else {
				merged[key] = value;
			}
		}
	}
	return merged;
}

export function connectionSelection(
	filterVariable: string,
	nodeSelection: string,
	paging = true,
): string {
	const args = paging
		? `filter: $${filterVariable}, first: $first, after: $after`
		: `filter: $${filterVariable}, first: $first`;
	return `query(${args}) { edges { node { ${nodeSelection} } } pageInfo { hasNextPage endCursor } }`;
}

export function listQuery(name: string, root: string, nodeSelection: string): string {
	return (
		`query ${name}($filter: String, $first: Int, $after: String) { ` +
		rootsSelection([{ root, body: connectionSelection('filter', nodeSelection) }]) +
		' }'
	);
}

export function rootPath(root: string): string[] {
	return [...segments(root), 'query'];
}

/** Leaves at a path, flattening lists met on the way (analyticalLines.dimensions). */
export function collectPath(value: unknown, path: string): unknown[] {
	if (path === '') return [];
	let current: unknown[] = [value];
	for (const key of path.split('.')) {
		const next: unknown[] = [];
		for (const item of current) {
			const items = Array.isArray(item) ? item : [item];
			for (const entry of items) {
				if (entry && typeof entry === 'object') {
					const child = (entry as Record<string, unknown>)[key];
					if (child !== undefined && child !== null) next.push(child);
				}
			}
		}
		current = next;
	}
	return current.flatMap((item) => (Array.isArray(item) ? item : [item]));
}

// ---------------------------------------------------------------------------------------------------------------
// Client

export interface X3GraphqlSettings {
	/** Full API URL: {server}/xtrem/api on-premises, the folder's data service URL on X3 Cloud. */
	url: string;
	/** Sent as x-xtrem-endpoint (on-premises). */
	endpoint?: string;
	timeoutMs?: number;
}

export interface GraphqlConnection<TNode> {
	edges?: Array<{ cursor?: string; node: TNode } | null> | null;
	pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } | null;
	totalCount?: number;
}

export interface GraphqlErrorEntry {
	message: string;
	path?: Array<string | number>;
	extensions?: Record<string, unknown>;
}

export class X3GraphqlClient {
	constructor(
		private readonly send: X3HttpSender,
		readonly settings: X3GraphqlSettings,
		private readonly node: INode,
		private readonly runner: X3CallRunner,
	) {}

	/** Runs a query document; throws with every GraphQL error message when `errors` is present. */
	async query<T = Record<string, unknown>>(
		document: string,
		variables: Record<string, unknown> = {},
	): Promise<T> {
		return await this.runner.run(async () => await this.attempt<T>(document, variables), {
			idempotent: true,
		});
	}

	/**
	 * Yields nodes of a relay connection page by page. `connectionPath` is where the connection sits in `data`
	 * (e.g. ['x3MasterData', 'supplier', 'query']); the document must take $first and $after.
	 */
	async *paginate<TNode>(
		document: string,
		variables: Record<string, unknown>,
		connectionPath: string[],
		options: { pageSize?: number; maxItems?: number; startAfter?: string } = {},
	): AsyncGenerator<TNode> {
		const pageSize = options.pageSize ?? 50;
		const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
		let after: string | null = options.startAfter ?? null;
		let yielded = 0;
		for (;;) {
			const data: Record<string, unknown> = await this.query(document, {
				...variables,
				first: pageSize,
				after,
			});
			const connection = connectionAt<TNode>(data, connectionPath);
			if (!connection) {
				throw new X3Error(this.node, {
					kind: 'protocol',
					message: `Sage X3 GraphQL returned no connection at ${connectionPath.join('.')}`,
				});
			}
			for (const edge of connection.edges ?? []) {
				if (!edge) continue;
				yield edge.node;
				yielded++;
				if (yielded >= maxItems) return;
			}
			const next = connection.pageInfo?.endCursor ?? null;
			if (!connection.pageInfo?.hasNextPage) return;
			if (next === null || next === after) {
				throw new X3Error(this.node, {
					kind: 'protocol',
					message: 'Sage X3 GraphQL said there is a next page but gave no new cursor',
				});
			}
			after = next;
		}
	}

	private async attempt<T>(document: string, variables: Record<string, unknown>): Promise<T> {
		const headers: Record<string, string> = {
			'Content-Type': 'application/json',
			Accept: 'application/json',
		};
		if (this.settings.endpoint) headers['x-xtrem-endpoint'] = this.settings.endpoint;
		const response = await this.send({
			method: 'POST',
			url: this.settings.url,
			headers,
			body: JSON.stringify({ query: document, variables }),
			timeoutMs: this.settings.timeoutMs,
		});
		const target = describeTarget(this.settings.url);
		let body: { data?: unknown; errors?: GraphqlErrorEntry[] } | undefined;
		try {
			body = response.body.trim() === '' ? undefined : JSON.parse(response.body);
		} catch {
			body = undefined;
		}
		if (response.statusCode === 401 || response.statusCode === 403) {
			throw new X3Error(this.node, {
				kind: 'auth',
				statusCode: response.statusCode,
				message: `Sage X3 GraphQL refused the credentials (HTTP ${response.statusCode}): ${plainText(response.body) || 'no detail'}`,
				description:
					'For a connected application: check client ID, secret, X3 user, audience, token lifetime (at most the app validity) and clock skew.',
			});
		}
		const errors = Array.isArray(body?.errors) ? body.errors : [];
		if (errors.length > 0) {
			const messages = errors.map((entry) => String(entry?.message ?? 'unknown error'));
			const serverSide = response.statusCode >= 500;
			throw new X3Error(this.node, {
				kind: 'graphql',
				statusCode: response.statusCode || undefined,
				message: `Sage X3 GraphQL error: ${messages.join(' | ')}`,
				description: errors
					.map((entry) =>
						entry.path ? `${entry.path.join('.')}: ${entry.message}` : entry.message,
					)
					.join('\n'),
				x3Messages: messages.map((message) => ({ type: '3', message })),
				transient: serverSide,
			});
		}
		if (
			response.statusCode < 200 ||
			response.statusCode >= 300 ||
			!body ||
			typeof body !== 'object'
		) {
			const serverSide = response.statusCode >= 500 || response.statusCode === 429;
			throw new X3Error(this.node, {
				kind: 'http',
				statusCode: response.statusCode,
				message:
					response.statusCode === 404
						? `No GraphQL API at ${target} (HTTP 404): check the server URL`
						: `Sage X3 GraphQL answered HTTP ${response.statusCode} at ${target}: ${plainText(response.body) || 'no body'}`,
				transient: serverSide,
				notProcessed: response.statusCode === 503 || response.statusCode === 429,
			});
		}
		return (body.data ?? {}) as T;
	}
}

export function connectionAt<TNode>(
	data: unknown,
	path: string[],
): GraphqlConnection<TNode> | undefined {
	let current: unknown = data;
	for (const key of path) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current && typeof current === 'object' ? (current as GraphqlConnection<TNode>) : undefined;
}

function plainText(body: string): string {
	return body
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 300);
}
