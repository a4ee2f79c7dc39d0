import type { INode } from 'n8n-workflow';

import { X3Error } from './errors';
import { describeTarget } from './http';
import type { X3HttpSender } from './http';
import type { X3CallRunner } from './throttle';

/**
 * Sage X3 REST web API "api1" (Syracuse, SData 2.0 based):
 *   {server}/api1/x3/erp/{ENDPOINT}/{CLASS}?representation={REPR}.$query&count=N&where=...
 *   {server}/api1/x3/erp/{ENDPOINT}/{CLASS}('{KEY1}~{KEY2}')?representation={REPR}.$details
 * Paging follows `$links.$next.$url` (20 rows per page unless `count` says otherwise). `$diagnoses` with severity
 * error/fatal are failures even on HTTP 200/201.
 */

export class Api1SyntaxError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'Api1SyntaxError';
	}
}

export type Api1Facet = '$query' | '$details' | '$edit' | '$create' | '$lookup' | '$summary';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function assertIdentifier(name: string, what: string): string {
	if (!IDENTIFIER.test(name)) throw new Api1SyntaxError(`${what} "${name}" is not a valid X3 name`);
	return name;
}

/** Percent-encodes a query value but keeps the characters api1 examples write literally. */
function encodeQueryValue(value: string): string {
	return encodeURIComponent(value).replace(/%24/g, '$').replace(/%2C/gi, ',');
}

/** `('SEG1~SEG2')`: single quotes doubled, `~` refused inside a segment (it is the separator). */
export function api1Key(key: string | string[]): string {
	const segments = Array.isArray(key) ? key : [key];
	if (segments.length === 0) throw new Api1SyntaxError('A key needs at least one segment');
	const encoded = segments.map((segment) => {
		if (segment.includes('~')) {
			throw new Api1SyntaxError(`Key segment "${segment}" contains "~", the api1 key separator`);
		}
		return encodeURIComponent(segment.replace(/'/g, "''"));
	});
	return `('${encoded.join('~')}')`;
}

export interface Api1UrlParts {
	className: string;
	representation: string;
	facet: Api1Facet;
	key?: string | string[];
	params?: Record<string, string | number | undefined>;
}

export function api1Url(baseUrl: string, endpoint: string, parts: Api1UrlParts): string {
	assertIdentifier(parts.className, 'Class');
	assertIdentifier(parts.representation, 'Representation');
	const path = `${baseUrl}/api1/x3/erp/${encodeURIComponent(endpoint)}/${parts.className}${
		parts.key !== undefined ? api1Key(parts.key) : ''
	}`;
	const query = [`representation=${parts.representation}.${parts.facet}`];
	for (const [name, value] of Object.entries(parts.params ?? {})) {
		if (value === undefined) continue;
		query.push(`${encodeURIComponent(name)}=${encodeQueryValue(String(value))}`);
	}
	return `${path}?${query.join('&')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// where builder (SData filter grammar)

/** SData string literal: single quotes, an embedded quote doubled. */
export function sdataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

export type SdataLiteral = string | number | boolean | { date: string };

export function sdataLiteral(value: SdataLiteral): string {
	if (typeof value === 'string') return sdataString(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Api1SyntaxError(`${value} is not a finite number`);
		return String(value);
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date))
		throw new Api1SyntaxError(`"${value.date}" is not YYYY-MM-DD`);
	return `@${value.date}@`;
}

/** Builders of `where` expressions; field names are checked, values always become literals. */
export const where = {
	eq: (field: string, value: SdataLiteral) =>
		`${assertIdentifier(field, 'Field')} eq ${sdataLiteral(value)}`,
	ne: (field: string, value: SdataLiteral) =>
		`${assertIdentifier(field, 'Field')} ne ${sdataLiteral(value)}`,
	ge: (field: string, value: SdataLiteral) =>
		`${assertIdentifier(field, 'Field')} ge ${sdataLiteral(value)}`,
	le: (field: string, value: SdataLiteral) =>
		`${assertIdentifier(field, 'Field')} le ${sdataLiteral(value)}`,
	in: (field: string, values: SdataLiteral[]) => {
		if (values.length === 0) throw new Api1SyntaxError('"in" needs at least one value');
		return `${assertIdentifier(field, 'Field')} in (${values.map(sdataLiteral).join(', ')})`;
	},
	/**
	 * Prefix match. `like 'p%'` when the prefix has no wildcard of its own; otherwise `left(FIELD, n) eq 'p'`, so
	 * a `%` or `_` typed by a user never widens the match.
	 */
	startsWith: (field: string, prefix: string) => {
		assertIdentifier(field, 'Field');
		if (/[%_]/.test(prefix))
			return `left(${field},${[...prefix].length}) eq ${sdataString(prefix)}`;
		return `${field} like ${sdataString(`${prefix}%`)}`;
	},
	/** Substring match; `%`/`_` inside the text stay wildcards in SData, so callers re-check results locally. */
	contains: (field: string, text: string) =>
		`${assertIdentifier(field, 'Field')} like ${sdataString(`%${text}%`)}`,
	and: (...parts: Array<string | undefined>) => joinParts(parts, 'and'),
	or: (...parts: Array<string | undefined>) => joinParts(parts, 'or'),
	not: (part: string) => `not (${part})`,
};

function joinParts(parts: Array<string | undefined>, operator: 'and' | 'or'): string {
	const present = parts.filter((part): part is string => part !== undefined && part !== '');
	if (present.length === 1) return present[0];
	return present.map((part) => `(${part})`).join(` ${operator} `);
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnoses

export interface Api1Diagnosis {
	severity: string;
	message: string;
	path: string;
}

/** Every `$diagnoses` entry in the body: top level, resources, child rows, `$properties.X.$diagnoses`. */
export function collectDiagnoses(body: unknown, path = '$'): Api1Diagnosis[] {
	const found: Api1Diagnosis[] = [];
	const visit = (value: unknown, where: string, depth: number) => {
		if (depth > 8 || value === null || typeof value !== 'object') return;
		if (Array.isArray(value)) {
			value.forEach((item, index) => visit(item, `${where}[${index}]`, depth + 1));
			return;
		}
		for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
			if (key === '$diagnoses' && Array.isArray(child)) {
				for (const entry of child) {
					if (!entry || typeof entry !== 'object') continue;
					const record = entry as Record<string, unknown>;
					found.push({
						severity: String(record.$severity ?? record.severity ?? '').toLowerCase(),
						message: String(record.$message ?? record.message ?? ''),
						path: where,
					});
				}
			} else if (key !== '$links') {
				visit(child, `${where}.${key}`, depth + 1);
			}
		}
	};
	visit(body, path, 0);
	return found;
}

export function failingDiagnoses(body: unknown): Api1Diagnosis[] {
	return collectDiagnoses(body).filter((d) => d.severity === 'error' || d.severity === 'fatal');
}

// ---------------------------------------------------------------------------------------------------------------
// Client

export interface X3RestSettings {
	baseUrl: string;
	endpoint: string;
	timeoutMs?: number;
	/** Page size asked with `count` (the server may cap it; 20 is the api1 default). */
	pageSize?: number;
}

export interface Api1QueryOptions {
	where?: string;
	orderBy?: string;
	count?: number;
	maxItems?: number;
}

export class X3RestClient {
	constructor(
		private readonly send: X3HttpSender,
		readonly settings: X3RestSettings,
		private readonly node: INode,
		private readonly runner: X3CallRunner,
	) {}

	url(parts: Api1UrlParts): string {
		return api1Url(this.settings.baseUrl, this.settings.endpoint, parts);
	}

	/** GET a JSON resource; null on 404 when `allowNotFound`. */
	async getJson(
		url: string,
		options: { allowNotFound?: boolean } = {},
	): Promise<Record<string, unknown> | null> {
		this.assertSameServer(url);
		return await this.runner.run(async () => await this.attempt(url, options), {
			idempotent: true,
		});
	}

	/** Yields `$resources` of a `$query` feed, following `$links.$next.$url`. */
	async *query(
		className: string,
		representation: string,
		options: Api1QueryOptions = {},
	): AsyncGenerator<Record<string, unknown>> {
		let url: string | undefined = this.url({
			className,
			representation,
			facet: '$query',
			params: {
				count: options.count ?? this.settings.pageSize ?? 20,
				where: options.where,
				orderBy: options.orderBy,
			},
		});
		const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
		const seen = new Set<string>();
		let yielded = 0;
		while (url) {
			if (seen.has(url)) {
				throw new X3Error(this.node, {
					kind: 'protocol',
					message: 'Sage X3 api1 paging loops on the same $next link',
				});
			}
			seen.add(url);
			const page = (await this.getJson(url)) ?? {};
			const resources = Array.isArray(page.$resources) ? page.$resources : [];
			for (const resource of resources) {
				if (!resource || typeof resource !== 'object') continue;
				yield resource as Record<string, unknown>;
				yielded++;
				if (yielded >= maxItems) return;
			}
			const links = page.$links as { $next?: { $url?: unknown } } | undefined;
			const next = links?.$next?.$url;
			url = typeof next === 'string' && next !== '' ? this.throughBaseUrl(next) : undefined;
		}
	}

	async details(
		className: string,
		representation: string,
		key: string | string[],
	): Promise<Record<string, unknown> | null> {
		return await this.getJson(this.url({ className, representation, facet: '$details', key }), {
			allowNotFound: true,
		});
	}

	/**
	 * A `$next` link through the configured base URL: its path and query are kept, its origin is not (a reverse
	 * proxy in front of Syracuse rewrites hosts, so the server names itself as it sees itself). A link outside
	 * api1 is refused: the credential goes only to api1 URLs of the configured server.
	 */
	throughBaseUrl(link: string): string {
		const base = new URL(this.settings.baseUrl);
		const basePath = base.pathname.replace(/\/+$/, '');
		let parsed: URL;
		try {
			parsed = new URL(link, `${base.origin}${basePath}/`);
		} catch {
			throw this.refusedLink(link);
		}
		const path = parsed.pathname.startsWith(`${basePath}/api1/`)
			? parsed.pathname
			: `${basePath}${parsed.pathname}`;
		if (!path.startsWith(`${basePath}/api1/`)) throw this.refusedLink(link);
		return `${base.origin}${path}${parsed.search}`;
	}

	private refusedLink(link: string): X3Error {
		return new X3Error(this.node, {
			kind: 'protocol',
			message: `Sage X3 api1 returned a $next link outside api1 (${describeTarget(link)}); not following it`,
			description:
				'Paging links are followed through the server URL of the credential, and only to api1 resources.',
		});
	}

	/** Every request goes to the configured origin: never send the credential anywhere else. */
	private assertSameServer(url: string): void {
		const expected = new URL(this.settings.baseUrl).origin;
		let actual: string;
		try {
			actual = new URL(url).origin;
		} catch {
			actual = '';
		}
		if (actual !== expected) {
			throw new X3Error(this.node, {
				kind: 'protocol',
				message: `Sage X3 api1 returned a link to another server (${actual || 'invalid URL'}); not following it`,
			});
		}
	}

	private async attempt(
		url: string,
		options: { allowNotFound?: boolean },
	): Promise<Record<string, unknown> | null> {
		const response = await this.send({
			method: 'GET',
			url,
			headers: { Accept: 'application/json', 'X-Requested-With': 'stateless' },
			timeoutMs: this.settings.timeoutMs,
		});
		const target = describeTarget(url);
		let body: unknown;
		try {
			body = response.body.trim() === '' ? undefined : JSON.parse(response.body);
		} catch {
			body = undefined;
		}
		if (response.statusCode === 404 && options.allowNotFound) return null;
		if (response.statusCode === 401 || response.statusCode === 403) {
			throw new X3Error(this.node, {
				kind: 'auth',
				statusCode: response.statusCode,
				message: `Sage X3 api1 refused the credentials (HTTP ${response.statusCode}) at ${target}`,
				description:
					'Check the user and password, that the Syracuse user has authentication type "basic", and that basic authentication is enabled in nodelocal.js.',
			});
		}
		const failing = failingDiagnoses(body);
		if (failing.length > 0) {
			const messages = failing.map((d) => d.message);
			throw new X3Error(this.node, {
				kind: 'diagnoses',
				statusCode: response.statusCode,
				message: `Sage X3 api1 reported ${failing.length === 1 ? 'an error' : `${failing.length} errors`}: ${messages.join(' | ')}`,
				description: failing.map((d) => `[${d.severity}] ${d.path}: ${d.message}`).join('\n'),
				x3Messages: failing.map((d) => ({ type: '3', message: d.message })),
				transient: response.statusCode >= 500,
			});
		}
		if (
			response.statusCode < 200 ||
			response.statusCode >= 300 ||
			!body ||
			typeof body !== 'object'
		) {
			throw new X3Error(this.node, {
				kind: 'http',
				statusCode: response.statusCode,
				message:
					response.statusCode === 404
						? `Not found at ${target} (HTTP 404): check the endpoint, class and representation names`
						: `Sage X3 api1 answered HTTP ${response.statusCode} at ${target}`,
				transient: response.statusCode >= 500 || response.statusCode === 429,
				notProcessed: response.statusCode === 503 || response.statusCode === 429,
			});
		}
		return body as Record<string, unknown>;
	}
}
