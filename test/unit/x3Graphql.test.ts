import { runInNewContext } from 'node:vm';

import nock from 'nock';

import { connectedAppTokens, verifyHs256Jwt } from '../../nodes/common/jwt';
import { X3Error } from '../../nodes/SageX3/transport/errors';
import {
	buildGraphqlFilter,
	escapeRegex,
	GraphqlFilterError,
	graphqlFilterString,
	insensitiveRegex,
	mergeFilters,
	nestFilter,
	rootsSelection,
	selectionFromPaths,
	X3GraphqlClient,
} from '../../nodes/SageX3/transport/graphql';
import type { GraphqlFilterObject } from '../../nodes/SageX3/transport/graphql';
import { lineTraceRegex } from '../../nodes/SageX3/transport/graphqlReader';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { ConcurrencyLimiter, X3CallRunner } from '../../nodes/SageX3/transport/throttle';
import {
	CONNECTED_APP_CREDENTIALS,
	fakeX3Context,
	recordingSleep,
	TEST_NODE,
} from './x3FakeContext';

/** The filter string is a JSON5 / JavaScript object literal: evaluating it in an empty sandbox is the oracle. */
function evaluateFilter(filter: string): unknown {
	return runInNewContext(`(${filter})`, Object.create(null), { timeout: 100 });
}

const INJECTION_ATTEMPTS = [
	`Acme'}, isActive: {_ne: true}, x: {_eq: '`,
	`Acme", isActive: false, "`,
	`\\'}, {code: {_regex: '.*'}}, {'`,
	'back\\slash\\',
	'}}}]]]{{{[[[',
	'${globalThis.process.exit(1)}',
	"'); process.exit(1); ('",
	'new\nline\rcarriage\u2028separator\u2029paragraph',
	'\u0000nul \u001b esc',
	'😀 Zoë Łódź עברית 漢字',
	"O'Brien & Sons",
	'',
];

describe('GraphQL filter builder', () => {
	it.each(INJECTION_ATTEMPTS)('keeps %j a literal value', (value) => {
		const filter = buildGraphqlFilter({
			companyName1: { _regex: value },
			code: { code: value },
			isActive: true,
		});
		expect(evaluateFilter(filter)).toEqual({
			companyName1: { _regex: value },
			code: { code: value },
			isActive: true,
		});
		// Nothing outside string literals comes from the value.
		expect(filter.replace(/'(?:[^'\\]|\\.)*'/g, "''")).toBe(
			"{companyName1: {_regex: ''}, code: {code: ''}, isActive: true}",
		);
	});

	it('writes only printable ASCII', () => {
		for (const value of INJECTION_ATTEMPTS)
			expect(graphqlFilterString(value)).toMatch(/^[\x20-\x7e]*$/);
	});

	it('serialises numbers, booleans, null, arrays (AND lists) and nested references', () => {
		const filter: GraphqlFilterObject[] = [
			{ orderFromSupplier: { _id: 'CN001' } },
			{
				amount: { _gte: 10.5, _lt: 1000 },
				isActive: false,
				removed: null,
				code: { _in: ['A', "B'"] },
			},
		];
		const text = buildGraphqlFilter(filter);
		expect(text).toBe(
			"[{orderFromSupplier: {_id: 'CN001'}}, {amount: {_gte: 10.5, _lt: 1000}, isActive: false, removed: null, code: {_in: ['A', 'B\\'']}}]",
		);
		expect(evaluateFilter(text)).toEqual(filter);
	});

	it('drops undefined entries', () => {
		expect(buildGraphqlFilter({ a: 'x', b: undefined })).toBe("{a: 'x'}");
	});

	it('refuses property names that are not identifiers, and non-finite numbers', () => {
		expect(() => buildGraphqlFilter({ "a': 1, b": 'x' })).toThrow(GraphqlFilterError);
		expect(() => buildGraphqlFilter({ 'a b': 'x' })).toThrow(GraphqlFilterError);
		expect(() => buildGraphqlFilter({ a: Number.NaN })).toThrow(GraphqlFilterError);
		expect(() => nestFilter('code.co de', 'x')).toThrow(GraphqlFilterError);
		expect(() => selectionFromPaths(['code { __schema }'])).toThrow(GraphqlFilterError);
	});
});

describe('regex helpers', () => {
	it('escapes metacharacters so a value matches only itself', () => {
		const value = 'a.b*c+(d)|[e]{f}^$\\/?';
		expect(new RegExp(`^${escapeRegex(value)}$`).test(value)).toBe(true);
		expect(new RegExp(`^${escapeRegex(value)}$`).test('aXb*c+(d)|[e]{f}^$\\/?')).toBe(false);
		expect(new RegExp(`^${escapeRegex(value)}$`, 'u').test(value)).toBe(true);
	});

	it('matches regardless of case and common accents, without regex flags', () => {
		const pattern = new RegExp(insensitiveRegex('cafe creme'));
		for (const text of ['Café Crème Ltd', 'CAFE CREME', 'café crème', 'The cafe creme'])
			expect(pattern.test(text)).toBe(true);
		expect(pattern.test('Cafe Cream')).toBe(false);
		expect(new RegExp(insensitiveRegex('Zoë')).test('ZOE STUDIO')).toBe(true);
		expect(new RegExp(insensitiveRegex('a.b')).test('axb')).toBe(false);
	});

	it('anchors line trace ids at the start, followed by a space or the end', () => {
		const pattern = new RegExp(lineTraceRegex(['BRXT-AB12', 'BRXE-CD34']));
		expect(pattern.test('BRXT-AB12 Lunch')).toBe(true);
		expect(pattern.test('BRXE-CD34')).toBe(true);
		expect(pattern.test('BRXT-AB123 other')).toBe(false);
		expect(pattern.test('x BRXT-AB12')).toBe(false);
	});

	it('builds selections and filters from dotted paths', () => {
		expect(
			selectionFromPaths(['code.code', 'companyName1', 'category.code', '', 'code.country.code']),
		).toBe('code { code country { code } } companyName1 category { code }');
		expect(
			mergeFilters(nestFilter('code.code', { _regex: '^A' }), nestFilter('code.isActive', true)),
		).toEqual({
			code: { code: { _regex: '^A' }, isActive: true },
		});
		expect(
			rootsSelection([
				{ root: 'x3Finance.journalEntry', body: 'query { a }' },
				{ root: 'x3Finance.journalEntryLine', body: 'query { b }' },
				{ root: 'x3MasterData.supplier', body: 'query { c }' },
			]),
		).toBe(
			'x3Finance { journalEntry { query { a } } journalEntryLine { query { b } } } x3MasterData { supplier { query { c } } }',
		);
	});
});

describe('X3GraphqlClient (nock)', () => {
	const URL = 'http://x3.test:8124';
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		nock.cleanAll();
		connectedAppTokens.clear();
	});
	afterAll(() => nock.enableNetConnect());

	function client(maxAttempts = 1) {
		const context = fakeX3Context({ sageX3ConnectedAppApi: CONNECTED_APP_CREDENTIALS });
		const graphql = new X3GraphqlClient(
			createCredentialSender(context, 'sageX3ConnectedAppApi'),
			{ url: `${URL}/xtrem/api`, endpoint: 'SEED', timeoutMs: 5000 },
			TEST_NODE,
			new X3CallRunner(new ConcurrencyLimiter(2), {
				policy: { maxAttempts, initialDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 },
				sleep: recordingSleep().sleep,
			}),
		);
		return { context, graphql };
	}

	const DOCUMENT =
		'query S($filter: String, $first: Int, $after: String) { x3MasterData { supplier { query(filter: $filter, first: $first, after: $after) { edges { node { companyName1 } } pageInfo { hasNextPage endCursor } } } } }';

	function page(names: string[], hasNextPage: boolean, endCursor: string | null) {
		return {
			data: {
				x3MasterData: {
					supplier: {
						query: {
							edges: names.map((name) => ({
								cursor: `["${name}"]#1`,
								node: { companyName1: name },
							})),
							pageInfo: { hasNextPage, endCursor },
						},
					},
				},
			},
		};
	}

	it('pages with first/after until hasNextPage is false, sending the bearer JWT and x-xtrem-endpoint', async () => {
		const bodies: Array<Record<string, unknown>> = [];
		const capture = (body: Record<string, unknown>) => {
			bodies.push(body);
			return true;
		};
		const scope = nock(URL)
			.matchHeader('x-xtrem-endpoint', 'SEED')
			.matchHeader('authorization', (value: string | null) => {
				const payload = verifyHs256Jwt(
					(value ?? '').replace(/^Bearer /, ''),
					'emulator-connected-app-secret',
				);
				return payload.iss === 'brex-sync' && payload.sub === 'ADMIN';
			})
			.post('/xtrem/api', capture)
			.reply(200, page(['A', 'B'], true, 'c2'))
			.post('/xtrem/api', capture)
			.reply(200, page(['C'], true, 'c3'))
			.post('/xtrem/api', capture)
			.reply(200, page([], false, null));
		const { graphql } = client();
		const names: string[] = [];
		for await (const node of graphql.paginate<{ companyName1: string }>(
			DOCUMENT,
			{ filter: '{isActive: true}' },
			['x3MasterData', 'supplier', 'query'],
			{ pageSize: 2 },
		)) {
			names.push(node.companyName1);
		}
		expect(names).toEqual(['A', 'B', 'C']);
		expect(scope.isDone()).toBe(true);
		expect(bodies[0]).toEqual({
			query: DOCUMENT,
			variables: { filter: '{isActive: true}', first: 2, after: null },
		});
		expect(bodies.map((body) => (body.variables as Record<string, unknown>).after)).toEqual([
			null,
			'c2',
			'c3',
		]);
	});

	it('stops at maxItems without asking for more pages', async () => {
		const scope = nock(URL)
			.post('/xtrem/api')
			.once()
			.reply(200, page(['A', 'B', 'C'], true, 'c3'));
		const { graphql } = client();
		const names: string[] = [];
		for await (const node of graphql.paginate<{ companyName1: string }>(
			DOCUMENT,
			{},
			['x3MasterData', 'supplier', 'query'],
			{ maxItems: 2 },
		)) {
			names.push(node.companyName1);
		}
		expect(names).toEqual(['A', 'B']);
		expect(scope.isDone()).toBe(true);
	});

	it('refuses to loop when hasNextPage comes without a new cursor', async () => {
		nock(URL)
			.post('/xtrem/api')
			.reply(200, page(['A'], true, null));
		const { graphql } = client();
		const consume = async () => {
			for await (const node of graphql.paginate(DOCUMENT, {}, [
				'x3MasterData',
				'supplier',
				'query',
			]))
				void node;
		};
		await expect(consume()).rejects.toMatchObject({ kind: 'protocol' });
	});

	it('turns `errors` into one error with every message, even on HTTP 200', async () => {
		nock(URL)
			.post('/xtrem/api')
			.reply(200, {
				data: null,
				errors: [
					{
						message: 'Cannot query field "companyName2" on type "Supplier".',
						path: ['x3MasterData', 'supplier'],
					},
					{ message: 'Invalid filter: unexpected token' },
				],
			});
		const { graphql } = client(3);
		const error = (await graphql.query(DOCUMENT).catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('graphql');
		expect(error.message).toBe(
			'Sage X3 GraphQL error: Cannot query field "companyName2" on type "Supplier". | Invalid filter: unexpected token',
		);
		expect(error.x3Messages.map((m) => m.message)).toHaveLength(2);
		expect(error.description).toContain('x3MasterData.supplier: Cannot query field');
	});

	it('explains a rejected token (401) without echoing it', async () => {
		nock(URL).post('/xtrem/api').reply(401, 'Error 50: Invalid token');
		const { graphql, context } = client();
		const error = (await graphql.query(DOCUMENT).catch((e: unknown) => e)) as X3Error;
		expect(error.kind).toBe('auth');
		expect(error.message).toContain('Error 50: Invalid token');
		const token = context.requests[0].headers.Authorization.replace('Bearer ', '');
		expect(
			JSON.stringify({ m: error.message, d: error.description, c: error.context }),
		).not.toContain(token);
	});

	it('retries a 503 and then succeeds', async () => {
		nock(URL)
			.post('/xtrem/api')
			.reply(503, 'busy')
			.post('/xtrem/api')
			.reply(200, page(['A'], false, null));
		const { graphql } = client(3);
		await expect(graphql.query(DOCUMENT)).resolves.toEqual(page(['A'], false, null).data);
	});
});
