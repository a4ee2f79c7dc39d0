/**
 * REST "api1" web API (SData 2.0 JSON) for the classes the connector may read:
 * GET /api1/x3/erp/{ENDPOINT}/{CLASS}?representation={REPR}.$query  (count, where, orderBy, key=gt.…)
 * GET /api1/x3/erp/{ENDPOINT}/{CLASS}('{KEY}')?representation={REPR}.$details  (composite keys joined by ~)
 * Classes (representations of the same names): BPSUPPLIER, GACCOUNT, CACCE, GACCENTRY, GACCENTRYD (lines).
 * Property names are the X3 field names of the layout (as in the SOAP publications) so one mapping serves both.
 * Errors as SData `$diagnoses`. Creation through api1 is refused (405): GAS and BPS are classic objects.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { compareText } from './objects';
import { X3Runtime, basicUser, latencyFor, roll } from './runtime';
import type { HttpAnswer } from './soap';
import { unauthorizedHtml } from './soap';
import {
	EmuAccount,
	EmuDimension,
	EmuJournalEntry,
	EmuJournalLine,
	EmuSupplier,
	isoDate,
} from './state';
import {
	WhereNode,
	WhereSyntaxError,
	WhereUnknownPropertyError,
	checkProperties,
	evaluateWhere,
	parseWhere,
} from './sdataWhere';

export const REST_PREFIX = '/api1/x3/erp/';

interface RestResource {
	key: string;
	updatedAt: string;
	/** $query facet properties. */
	values: Record<string, unknown>;
	/** Extra properties of the $details facet (child collections, arrays). */
	details?: Record<string, unknown>;
}

interface RestClass {
	name: string;
	/** Property names of the $query facet, in output order. */
	properties: string[];
	caseInsensitive: Set<string>;
	resources: (runtime: X3Runtime) => RestResource[];
}

function uuidFor(className: string, key: string): string {
	const hex = createHash('sha1').update(`${className}:${key}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function supplierResource(runtime: X3Runtime, supplier: EmuSupplier): RestResource {
	const s = runtime.layout.supplier.fields;
	return {
		key: supplier.code,
		updatedAt: supplier.updatedAt,
		values: {
			[s.code]: supplier.code,
			[s.name]: supplier.name,
			[s.shortName]: supplier.shortName,
			[s.category]: supplier.category,
			[s.country]: supplier.country,
			[s.currency]: supplier.currency,
			[s.addressCode]: supplier.addressCode,
			[s.isActive]: supplier.isActive ? 2 : 1,
			UPDDATTIM: supplier.updatedAt,
		},
	};
}

function accountResource(runtime: X3Runtime, account: EmuAccount): RestResource {
	const types = runtime.layout.dimensionTypes;
	return {
		key: `${account.chart}~${account.code}`,
		updatedAt: account.updatedAt,
		values: {
			COA: account.chart,
			ACC: account.code,
			DES: account.description,
			DESSHO: account.shortDescription,
			ENAFLG: account.isActive ? 2 : 1,
			UPDDATTIM: account.updatedAt,
		},
		details: {
			DIE: [...types],
			OBYIPT: types.map((type) => (account.requiredDimensionTypes.includes(type) ? 2 : 1)),
		},
	};
}

function dimensionResource(dimension: EmuDimension): RestResource {
	return {
		key: `${dimension.type}~${dimension.code}`,
		updatedAt: dimension.updatedAt,
		values: {
			DIE: dimension.type,
			CCE: dimension.code,
			DES: dimension.description,
			DESSHO: dimension.shortDescription,
			ENAFLG: dimension.isActive ? 2 : 1,
			UPDDATTIM: dimension.updatedAt,
		},
	};
}

function journalHeaderFields(runtime: X3Runtime): string[] {
	const publication = runtime.publications.get(runtime.layout.journalEntry.publication)!;
	return publication.blocks[0].fields.map((field) => field.name);
}

function journalLineFields(runtime: X3Runtime): string[] {
	const publication = runtime.publications.get(runtime.layout.journalEntry.publication)!;
	return publication.blocks[1].fields.map((field) => field.name);
}

function journalValues(runtime: X3Runtime, entry: EmuJournalEntry): Record<string, unknown> {
	const f = runtime.layout.journalEntry.fields;
	const publication = runtime.publications.get(runtime.layout.journalEntry.publication)!;
	const values: Record<string, unknown> = {};
	for (const def of publication.blocks[0].fields) {
		let value: unknown = entry.header[def.name] ?? '';
		if (def.name === f.documentNumber) value = entry.documentNumber;
		else if (def.name === f.entryType) value = entry.entryType;
		else if (def.name === 'CPY') value = entry.company;
		else if (def.name === 'JOU') value = entry.journal;
		else if (def.name === 'STA') value = 1;
		if (def.type === 'Date') value = value ? isoDate(String(value)) : null;
		values[def.name] = value;
	}
	return values;
}

function lineValues(runtime: X3Runtime, line: EmuJournalLine): Record<string, unknown> {
	const values: Record<string, unknown> = { LIN: line.lineNumber };
	for (const name of journalLineFields(runtime)) values[name] = line.fields[name] ?? '';
	return values;
}

function buildClasses(runtime: X3Runtime): Map<string, RestClass> {
	const layout = runtime.layout;
	const s = layout.supplier.fields;
	const journal = runtime.publications.get(layout.journalEntry.publication)!;
	const ciOf = (blockIndex: number) =>
		new Set(
			journal.blocks[blockIndex].fields
				.filter((field) => field.caseInsensitive)
				.map((field) => field.name),
		);
	const classes: RestClass[] = [
		{
			name: 'BPSUPPLIER',
			properties: [
				s.code,
				s.name,
				s.shortName,
				s.category,
				s.country,
				s.currency,
				s.addressCode,
				s.isActive,
				'UPDDATTIM',
			],
			caseInsensitive: new Set([s.name, s.shortName]),
			resources: (rt) =>
				[...rt.state.suppliers.values()]
					.sort((a, b) => compareText(a.code, b.code))
					.map((supplier) => supplierResource(rt, supplier)),
		},
		{
			name: 'GACCOUNT',
			properties: ['COA', 'ACC', 'DES', 'DESSHO', 'ENAFLG', 'UPDDATTIM'],
			caseInsensitive: new Set(['DES', 'DESSHO']),
			resources: (rt) =>
				[...rt.state.accounts.values()].map((account) => accountResource(rt, account)),
		},
		{
			name: 'CACCE',
			properties: ['DIE', 'CCE', 'DES', 'DESSHO', 'ENAFLG', 'UPDDATTIM'],
			caseInsensitive: new Set(['DES', 'DESSHO']),
			resources: (rt) => [...rt.state.dimensions.values()].map(dimensionResource),
		},
		{
			name: 'GACCENTRY',
			properties: journalHeaderFields(runtime),
			caseInsensitive: ciOf(0),
			resources: (rt) =>
				rt.state.journalEntries.map((entry) => ({
					key: `${entry.entryType}~${entry.documentNumber}`,
					updatedAt: entry.updatedAt,
					values: journalValues(rt, entry),
					details: {
						GACCENTRYD: entry.lines.map((line) => ({
							$uuid: uuidFor(
								'GACCENTRYD',
								`${entry.entryType}~${entry.documentNumber}~${line.lineNumber}`,
							),
							...lineValues(rt, line),
						})),
					},
				})),
		},
		{
			name: 'GACCENTRYD',
			properties: [
				layout.journalEntry.fields.entryType,
				layout.journalEntry.fields.documentNumber,
				'LIN',
				layout.journalEntry.fields.accountingDate,
				layout.journalEntry.fields.currency,
				...journalLineFields(runtime).filter(
					(name) =>
						name !== layout.journalEntry.fields.currency &&
						name !== layout.journalEntry.fields.accountingDate,
				),
			],
			caseInsensitive: ciOf(1),
			resources: (rt) =>
				rt.state.journalEntries.flatMap((entry) =>
					entry.lines.map((line) => ({
						key: `${entry.entryType}~${entry.documentNumber}~${line.lineNumber}`,
						updatedAt: entry.updatedAt,
						values: {
							[layout.journalEntry.fields.entryType]: entry.entryType,
							[layout.journalEntry.fields.documentNumber]: entry.documentNumber,
							[layout.journalEntry.fields.accountingDate]: isoDate(entry.accountingDate),
							[layout.journalEntry.fields.currency]: entry.currency,
							...lineValues(rt, line),
						},
					})),
				),
		},
	];
	// Resources are listed in key order unless orderBy says otherwise.
	return new Map(
		classes.map((cls) => {
			const resources = cls.resources;
			return [
				cls.name,
				{
					...cls,
					resources: (rt: X3Runtime) => resources(rt).sort((a, b) => compareText(a.key, b.key)),
				},
			];
		}),
	);
}

// ---------------------------------------------------------------------------------------------------------------

function diagnoses(
	status: number,
	message: string,
	sdataCode = 'ApplicationDiagnosis',
	severity = 'error',
): HttpAnswer {
	return json(status, {
		$diagnoses: [{ $severity: severity, $sdataCode: sdataCode, $message: message }],
	});
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpAnswer {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(value),
	};
}

interface OrderKey {
	name: string;
	direction: 1 | -1;
}

function parseOrderBy(text: string, cls: RestClass): OrderKey[] {
	return text
		.split(/[,;]/)
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const [name, dir = 'asc', ...rest] = part.split(/\s+/);
			if (rest.length || !/^(asc|desc)$/i.test(dir))
				throw new WhereSyntaxError(`Invalid orderBy clause "${part}"`);
			if (!cls.properties.includes(name))
				throw new WhereUnknownPropertyError(`Property ${name} does not exist`);
			return { name, direction: dir.toLowerCase() === 'desc' ? -1 : 1 };
		});
}

function compareValues(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === null || a === undefined || a === '') return -1;
	if (b === null || b === undefined || b === '') return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return compareText(String(a), String(b));
}

export async function handleRest(
	runtime: X3Runtime,
	req: IncomingMessage,
	url: URL,
): Promise<HttpAnswer> {
	const user = basicUser(req, runtime.users);
	if (!user) {
		runtime.stats.authFailures.basic = (runtime.stats.authFailures.basic ?? 0) + 1;
		return unauthorizedHtml();
	}
	const rest = decodeURIComponent(url.pathname.slice(REST_PREFIX.length));
	const match = /^([^/]+)\/([A-Za-z0-9_]+)(?:\('((?:[^']|'')*)'\))?\/?$/.exec(rest);
	if (!match) return diagnoses(404, `Resource not found: ${url.pathname}`, 'ResourceNotFound');
	const [, endpoint, className, rawKey] = match;
	if (endpoint !== runtime.endpoint)
		return diagnoses(404, `Endpoint ${endpoint} not found`, 'ResourceNotFound');
	const classes = buildClasses(runtime);
	const cls = classes.get(className);
	if (!cls) return diagnoses(404, `Class ${className} not found`, 'ResourceKindNotFound');
	runtime.countCall('rest', `${className}.${rawKey === undefined ? '$query' : '$details'}`);

	if (req.method !== 'GET') {
		return diagnoses(
			405,
			`${req.method} is not available on ${className} through the Web API (classic object: use the SOAP web service)`,
			'UnsupportedMethod',
		);
	}
	const representation = url.searchParams.get('representation') ?? '';
	const dot = representation.lastIndexOf('.$');
	const reprName = dot >= 0 ? representation.slice(0, dot) : representation;
	const facet = dot >= 0 ? representation.slice(dot + 1) : '';
	if (!reprName)
		return diagnoses(404, `Representation missing for class ${className}`, 'ResourceKindNotFound');
	if (reprName !== className) {
		return diagnoses(
			404,
			`Representation ${reprName} not found for class ${className}`,
			'ResourceKindNotFound',
		);
	}
	if (roll(runtime, runtime.faults.http500Probability, 'rest')) {
		runtime.stats.faults.http500++;
		return diagnoses(
			500,
			'Internal server error (emulated fault)',
			'ApplicationDiagnosis',
			'fatal',
		);
	}
	const latency = latencyFor(runtime, 'other');
	if (latency > 0) await runtime.sleep(latency);
	if (roll(runtime, runtime.faults.timeoutProbability, 'rest')) {
		runtime.stats.faults.timeouts++;
		await runtime.sleep(runtime.faults.timeoutMs);
	}

	const base = runtime.behaviour.restLinkOrigin ?? runtime.baseUrl();
	if (rawKey !== undefined) {
		if (facet !== '$details' && facet !== '$edit' && facet !== '$summary' && facet !== '$lookup') {
			return diagnoses(
				400,
				`Facet ${facet || '(none)'} not available on a single resource`,
				'BadUrlSyntax',
			);
		}
		const key = rawKey.replace(/''/g, "'");
		const resource = cls.resources(runtime).find((candidate) => candidate.key === key);
		if (!resource)
			return diagnoses(404, `${className}('${key}') : Record does not exist`, 'ResourceNotFound');
		return json(200, {
			$uuid: uuidFor(className, resource.key),
			$etag: resource.updatedAt,
			$key: resource.key,
			$url: `${base}${url.pathname}?representation=${encodeURIComponent(representation)}`,
			...resource.values,
			...(facet === '$details' || facet === '$edit' ? (resource.details ?? {}) : {}),
		});
	}
	if (facet !== '$query' && facet !== '$lookup') {
		return diagnoses(
			400,
			`Facet ${facet || '(none)'} not available on a collection`,
			'BadUrlSyntax',
		);
	}
	return queryFeed(runtime, cls, url, representation);
}

function queryFeed(
	runtime: X3Runtime,
	cls: RestClass,
	url: URL,
	representation: string,
): HttpAnswer {
	const params = url.searchParams;
	const countText = params.get('count');
	let count = 20;
	if (countText !== null) {
		if (!/^\d+$/.test(countText) || Number(countText) < 1)
			return diagnoses(400, `Invalid count ${countText}`, 'BadQueryParameter');
		count = Math.min(Number(countText), runtime.restMaxCount);
	}
	let where: WhereNode | null = null;
	let order: OrderKey[] = [];
	try {
		const whereText = params.get('where');
		if (whereText !== null && whereText.trim() !== '') {
			where = parseWhere(whereText);
			checkProperties(where, (name) => cls.properties.includes(name));
		}
		const orderText = params.get('orderBy');
		if (orderText) order = parseOrderBy(orderText, cls);
	} catch (error) {
		if (error instanceof WhereSyntaxError)
			return diagnoses(400, `Invalid query syntax: ${error.message}`, 'BadWhereSyntax');
		// X3 endpoints answer an unknown property in WHERE with a server error (api-guide_api-get-query).
		if (error instanceof WhereUnknownPropertyError)
			return diagnoses(500, error.message, 'ApplicationDiagnosis');
		throw error;
	}

	let resources = cls.resources(runtime);
	if (where) {
		const tree = where;
		resources = resources.filter((resource) =>
			evaluateWhere(tree, { values: resource.values, caseInsensitive: cls.caseInsensitive }),
		);
	}
	if (order.length) {
		resources = [...resources].sort((a, b) => {
			for (const key of order) {
				const cmp = compareValues(a.values[key.name], b.values[key.name]);
				if (cmp !== 0) return cmp * key.direction;
			}
			return compareText(a.key, b.key);
		});
	}

	// Keyset paging: key=gt.<last key> continues after a resource, key=lt.<first key> goes back, key=lt is the end.
	const keyParam = params.get('key');
	let page: RestResource[];
	if (keyParam === null) page = resources.slice(0, count);
	else {
		const km = /^(gt|lt)(?:\.(.*))?$/s.exec(keyParam);
		if (!km) return diagnoses(400, `Invalid key parameter ${keyParam}`, 'BadQueryParameter');
		const [, direction, value] = km;
		let index: number;
		if (value === undefined) index = direction === 'gt' ? -1 : resources.length;
		else if (!order.length) {
			index =
				direction === 'gt'
					? resources.findIndex((r) => compareText(r.key, value) > 0) - 1
					: resources.findIndex((r) => compareText(r.key, value) >= 0);
			if (direction === 'gt' && index === -2) index = resources.length - 1;
			if (direction === 'lt' && index === -1) index = resources.length;
		} else {
			index = resources.findIndex((r) => r.key === value);
			if (index < 0) return diagnoses(400, `Paging key ${value} not found`, 'BadQueryParameter');
		}
		page =
			direction === 'gt'
				? resources.slice(index + 1, index + 1 + count)
				: resources.slice(Math.max(0, index - count), index);
	}

	// Behind a reverse proxy that rewrites hosts, links carry the public origin, not the one the client called.
	const base = runtime.behaviour.restLinkOrigin ?? runtime.baseUrl();
	const linkFor = (key: string) => {
		const next = new URLSearchParams();
		next.set('representation', representation);
		next.set('count', String(count));
		for (const name of ['where', 'orderBy']) {
			const value = params.get(name);
			if (value !== null) next.set(name, value);
		}
		next.set('key', key);
		return {
			$url: `${base}${url.pathname}?${next.toString()}`,
			$type: 'application/json',
			$method: 'GET',
		};
	};
	const last = page[page.length - 1];
	const lastIndex = last ? resources.indexOf(last) : -1;
	const links: Record<string, unknown> = {};
	if (last && lastIndex < resources.length - 1) links.$next = linkFor(`gt.${last.key}`);
	if (page.length && resources.indexOf(page[0]) > 0) links.$previous = linkFor(`lt.${page[0].key}`);
	links.$last = linkFor('lt');

	return json(200, {
		$url: `${base}${url.pathname}${url.search}`,
		$itemsPerPage: count,
		$resources: page.map((resource) => ({
			$uuid: uuidFor(cls.name, resource.key),
			$key: resource.key,
			...resource.values,
		})),
		$links: links,
	});
}
