import nock from 'nock';

import { X3Error } from '../../nodes/SageX3/transport/errors';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import {
	Api1SyntaxError,
	api1Key,
	api1Url,
	collectDiagnoses,
	sdataLiteral,
	sdataString,
	where,
	X3RestClient,
} from '../../nodes/SageX3/transport/rest';
import { ConcurrencyLimiter, X3CallRunner } from '../../nodes/SageX3/transport/throttle';
import { fakeX3Context, recordingSleep, SOAP_CREDENTIALS, TEST_NODE } from './x3FakeContext';

/** Reads back an SData string literal (the oracle for escaping): 'O''Brien' -> O'Brien. */
function readSdataString(literal: string): string {
	const match = /^'((?:[^']|'')*)'$/.exec(literal);
	if (!match) throw new Error(`not a single SData string literal: ${literal}`);
	return match[1].replace(/''/g, "'");
}

const HOSTILE = [
	`O'Brien`,
	`'; delete from BPSUPPLIER; --`,
	`x' or BPSNUM ne '`,
	`''''`,
	'back\\slash',
	'100% _under_',
	'😀 Zoë Łódź עברית',
	'a"b',
];

describe('api1 where builder', () => {
	it.each(HOSTILE)('keeps %j a single literal', (value) => {
		const literal = sdataString(value);
		expect(readSdataString(literal)).toBe(value);
		const expression = where.eq('BPSNAM', value);
		expect(expression).toBe(`BPSNAM eq ${literal}`);
		// Removing the literal leaves only the operator: the value added no syntax.
		expect(expression.replace(/'(?:[^']|'')*'/g, "''")).toBe("BPSNAM eq ''");
	});

	it('builds in, like, ranges and boolean combinations', () => {
		expect(where.in('BPRVCR', ['A', "B'C"])).toBe("BPRVCR in ('A', 'B''C')");
		expect(where.startsWith('BPSNUM', 'BR0')).toBe("BPSNUM like 'BR0%'");
		expect(where.contains('BPSNAM', 'Acme')).toBe("BPSNAM like '%Acme%'");
		expect(
			where.and(
				where.ge('ACCDAT', { date: '2024-01-01' }),
				where.le('ACCDAT', { date: '2024-01-31' }),
				undefined,
			),
		).toBe('(ACCDAT ge @2024-01-01@) and (ACCDAT le @2024-01-31@)');
		expect(where.or(where.eq('A', 1), where.eq('B', true))).toBe('(A eq 1) or (B eq true)');
		expect(where.and(where.eq('A', 'x'))).toBe("A eq 'x'");
		expect(where.not(where.eq('A', 'x'))).toBe("not (A eq 'x')");
	});

	it('falls back to left() so a user % or _ cannot widen a prefix match', () => {
		expect(where.startsWith('BPSNUM', '10%_x')).toBe("left(BPSNUM,5) eq '10%_x'");
		expect(where.startsWith('BPSNAM', 'Zoë😀%')).toBe("left(BPSNAM,5) eq 'Zoë😀%'");
	});

	it('refuses field names that are not identifiers, bad dates and empty in-lists', () => {
		expect(() => where.eq("BPSNAM eq 'x' or 1", 'y')).toThrow(Api1SyntaxError);
		expect(() => sdataLiteral({ date: '2024-1-1' })).toThrow(Api1SyntaxError);
		expect(() => where.in('A', [])).toThrow(Api1SyntaxError);
		expect(() => sdataLiteral(Number.POSITIVE_INFINITY)).toThrow(Api1SyntaxError);
	});
});

describe('api1 URLs', () => {
	it('builds query URLs with the representation facet and encoded parameters', () => {
		const url = api1Url('http://x3.test:8124', 'SEED', {
			className: 'BPSUPPLIER',
			representation: 'BPSUPPLIER',
			facet: '$query',
			params: {
				count: 20,
				where: "BPSNAM like '%O''Brien & Co%'",
				orderBy: 'BPSNUM asc',
				skipped: undefined,
			},
		});
		expect(url).toBe(
			"http://x3.test:8124/api1/x3/erp/SEED/BPSUPPLIER?representation=BPSUPPLIER.$query&count=20&where=BPSNAM%20like%20'%25O''Brien%20%26%20Co%25'&orderBy=BPSNUM%20asc",
		);
		expect(new URL(url).searchParams.get('where')).toBe("BPSNAM like '%O''Brien & Co%'");
	});

	it('writes keys with ~ segments and doubled quotes', () => {
		expect(api1Key('BR001')).toBe("('BR001')");
		expect(api1Key(['CA_FRA', '626100'])).toBe("('CA_FRA~626100')");
		expect(api1Key(`O'B`)).toBe("('O''B')");
		expect(api1Key('a b/c?d#e')).toBe("('a%20b%2Fc%3Fd%23e')");
		expect(() => api1Key('A~B')).toThrow(Api1SyntaxError);
		const url = api1Url('http://x3.test:8124', 'SEED', {
			className: 'GACCOUNT',
			representation: 'GACCOUNT',
			facet: '$details',
			key: ['CA_FRA', "6'1"],
		});
		expect(url).toBe(
			"http://x3.test:8124/api1/x3/erp/SEED/GACCOUNT('CA_FRA~6''1')?representation=GACCOUNT.$details",
		);
	});

	it('refuses class and representation names that are not identifiers', () => {
		expect(() =>
			api1Url('http://x', 'SEED', { className: 'BPS/../x', representation: 'R', facet: '$query' }),
		).toThrow(Api1SyntaxError);
	});
});

describe('$diagnoses', () => {
	it('finds diagnoses at any depth with their severity and where they sit', () => {
		const body = {
			$diagnoses: [{ $severity: 'warning', $message: 'w' }],
			$resources: [
				{
					BPSNUM: 'A',
					$properties: {
						BPSNAM: { $diagnoses: [{ $severity: 'error', $message: 'name too long' }] },
					},
				},
			],
			LINES: [{ $diagnoses: [{ $severity: 'fatal', $message: 'boom' }] }],
		};
		expect(collectDiagnoses(body)).toEqual([
			{ severity: 'warning', message: 'w', path: '$' },
			{ severity: 'error', message: 'name too long', path: '$.$resources[0].$properties.BPSNAM' },
			{ severity: 'fatal', message: 'boom', path: '$.LINES[0]' },
		]);
	});
});

describe('X3RestClient (nock)', () => {
	const BASE = 'http://x3.test:8124';
	const PATH = '/api1/x3/erp/SEED/BPSUPPLIER';
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	function client(maxAttempts = 1) {
		const context = fakeX3Context({ sageX3Api: SOAP_CREDENTIALS });
		return new X3RestClient(
			createCredentialSender(context, 'sageX3Api'),
			{ baseUrl: BASE, endpoint: 'SEED', timeoutMs: 5000 },
			TEST_NODE,
			new X3CallRunner(new ConcurrencyLimiter(2), {
				policy: { maxAttempts, initialDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 },
				sleep: recordingSleep().sleep,
			}),
		);
	}

	function resources(from: number, to: number) {
		return Array.from({ length: to - from }, (_v, i) => ({
			$uuid: `u${from + i}`,
			BPSNUM: `BR${String(from + i).padStart(3, '0')}`,
		}));
	}

	it('asks 20 per page and follows $links.$next.$url until it is absent', async () => {
		const scope = nock(BASE)
			.matchHeader('authorization', /^Basic /)
			.get(PATH)
			.query({ representation: 'BPSUPPLIER.$query', count: '20', where: "BPSNUM like 'BR%'" })
			.reply(200, {
				$itemsPerPage: 20,
				$resources: resources(0, 20),
				$links: {
					$next: {
						$url: `${BASE}${PATH}?representation=BPSUPPLIER.$query&count=20&key=gt.BR019`,
						$type: 'application/json',
						$method: 'GET',
					},
				},
			})
			.get(PATH)
			.query({ representation: 'BPSUPPLIER.$query', count: '20', key: 'gt.BR019' })
			.reply(200, { $itemsPerPage: 20, $resources: resources(20, 25), $links: {} });
		const codes: unknown[] = [];
		for await (const record of client().query('BPSUPPLIER', 'BPSUPPLIER', {
			where: where.startsWith('BPSNUM', 'BR'),
		}))
			codes.push(record.BPSNUM);
		expect(codes).toHaveLength(25);
		expect(codes[24]).toBe('BR024');
		expect(scope.isDone()).toBe(true);
	});

	it('stops at maxItems without fetching the next page', async () => {
		const scope = nock(BASE)
			.get(PATH)
			.query(true)
			.once()
			.reply(200, {
				$resources: resources(0, 20),
				$links: { $next: { $url: `${BASE}${PATH}?representation=BPSUPPLIER.$query&key=gt.BR019` } },
			});
		const codes: unknown[] = [];
		for await (const record of client().query('BPSUPPLIER', 'BPSUPPLIER', { maxItems: 5 }))
			codes.push(record.BPSNUM);
		expect(codes).toHaveLength(5);
		expect(scope.isDone()).toBe(true);
	});

	it('never follows a $next link to another server (the credential would go with it)', async () => {
		nock(BASE)
			.get(PATH)
			.query(true)
			.reply(200, { $resources: [], $links: { $next: { $url: 'http://evil.test/steal' } } });
		const consume = async () => {
			for await (const record of client().query('BPSUPPLIER', 'BPSUPPLIER')) void record;
		};
		await expect(consume()).rejects.toMatchObject({ kind: 'protocol' });
	});

	it('treats error/fatal $diagnoses as failures even on 200 and 201', async () => {
		nock(BASE)
			.get(`${PATH}('BR001')`)
			.query({ representation: 'BPSUPPLIER.$details' })
			.reply(200, {
				BPSNUM: 'BR001',
				$diagnoses: [
					{ $severity: 'error', $message: '721 : Record locked' },
					{ $severity: 'info', $message: 'fine' },
				],
			});
		const error = (await client()
			.details('BPSUPPLIER', 'BPSUPPLIER', 'BR001')
			.catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('diagnoses');
		expect(error.message).toBe('Sage X3 api1 reported an error: 721 : Record locked');
		nock(BASE)
			.get(PATH)
			.query(true)
			.reply(201, { $diagnoses: [{ $severity: 'fatal', $message: 'engine down' }] });
		await expect(
			client().getJson(`${BASE}${PATH}?representation=BPSUPPLIER.$query`),
		).rejects.toMatchObject({ kind: 'diagnoses' });
	});

	it('keeps warnings and infos as success', async () => {
		nock(BASE)
			.get(`${PATH}('BR002')`)
			.query(true)
			.reply(200, { BPSNUM: 'BR002', $diagnoses: [{ $severity: 'warning', $message: 'w' }] });
		await expect(client().details('BPSUPPLIER', 'BPSUPPLIER', 'BR002')).resolves.toMatchObject({
			BPSNUM: 'BR002',
		});
	});

	it('answers null for a 404 on details, and retries a 5xx read', async () => {
		nock(BASE)
			.get(`${PATH}('NOPE')`)
			.query(true)
			.reply(404, { $diagnoses: [{ $severity: 'error', $message: 'Record does not exist' }] });
		await expect(client().details('BPSUPPLIER', 'BPSUPPLIER', 'NOPE')).resolves.toBeNull();
		nock(BASE)
			.get(`${PATH}('BR3')`)
			.query(true)
			.reply(500, 'oops')
			.get(`${PATH}('BR3')`)
			.query(true)
			.reply(200, { BPSNUM: 'BR3' });
		await expect(client(3).details('BPSUPPLIER', 'BPSUPPLIER', 'BR3')).resolves.toMatchObject({
			BPSNUM: 'BR3',
		});
	});

	it('401 points at basic auth settings', async () => {
		nock(BASE).get(PATH).query(true).reply(401);
		await expect(
			client().getJson(`${BASE}${PATH}?representation=BPSUPPLIER.$query`),
		).rejects.toMatchObject({ kind: 'auth', statusCode: 401 });
	});
});
