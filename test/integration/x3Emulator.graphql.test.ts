import { X3Emulator, startX3Emulator } from '../emulators/x3/server';
import { graphql, postSoap, signToken, soapEnvelope, validToken } from '../emulators/x3/testkit';

const SECRET = 'emulator-connected-app-secret';
const SUPPLIER_PAGE = `
	query Suppliers($first: Int, $after: String, $filter: String, $orderBy: String) {
		x3MasterData {
			supplier {
				query(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
					totalCount
					edges { cursor node { code { code } companyName1 } }
					pageInfo { endCursor hasNextPage }
				}
			}
		}
	}`;

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({ seedOptions: { seed: 42, vendorCount: 40 } });
});

afterAll(async () => {
	await emulator.close();
});

const bearer = (token: string) => ({
	authorization: `Bearer ${token}`,
	'x-xtrem-endpoint': 'SEED',
});

describe('connected-application JWT', () => {
	const now = () => Math.floor(Date.now() / 1000);
	const query = '{ x3MasterData { supplier { read(_id: "BRX00001") { companyName1 } } } }';

	test('a valid token is accepted', async () => {
		const response = await graphql(emulator.url, query, {}, bearer(validToken()));
		expect(response.status).toBe(200);
		expect(response.json()).toEqual({
			data: { x3MasterData: { supplier: { read: { companyName1: 'Acme Corp' } } } },
		});
	});

	test.each([
		[
			'signed with another secret',
			() => validToken({}, 'not-the-secret'),
			'Error 50: Invalid token',
			'jwt:signature',
		],
		[
			'another issuer (client id)',
			() => validToken({ iss: 'someone-else' }),
			'Error 41: Invalid token',
			'jwt:iss',
		],
		[
			'a user the app does not allow',
			() => validToken({ sub: 'INTRUDER' }),
			'Error 42: Invalid token',
			'jwt:sub',
		],
		[
			'another audience',
			() => validToken({ aud: 'https://elsewhere.example' }),
			'Error 45: Invalid token',
			'jwt:aud',
		],
		[
			'expired',
			() => validToken({ iat: now() - 400, exp: now() - 100 }),
			'Error 50: Invalid token',
			'jwt:expired',
		],
		[
			'without exp',
			() => signToken(SECRET, { iss: 'brex-sync', sub: 'ADMIN', aud: '', iat: now() }),
			'Error 50: Invalid token',
			'jwt:expired',
		],
		[
			'a lifetime over the maximum',
			() => validToken({ iat: now(), exp: now() + 301 }),
			'Error 50: Invalid token',
			'jwt:lifetime',
		],
		[
			'unsigned (alg none)',
			() =>
				`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'brex-sync', sub: 'ADMIN', iat: now(), exp: now() + 60 })).toString('base64url')}.`,
			'Error 50: Invalid token',
			'jwt:signature',
		],
	])('a token %s is refused with HTTP 401', async (_label, token, message, reason) => {
		const before = emulator.stats.authFailures[reason] ?? 0;
		const response = await graphql(emulator.url, query, {}, bearer(token()));
		expect(response.status).toBe(401);
		expect(response.body).toBe(message);
		expect(emulator.stats.authFailures[reason]).toBe(before + 1);
	});

	test('no bearer token, or no / another x-xtrem-endpoint, is refused', async () => {
		expect((await graphql(emulator.url, query, {}, { 'x-xtrem-endpoint': 'SEED' })).status).toBe(
			401,
		);
		const noEndpoint = await graphql(
			emulator.url,
			query,
			{},
			{ authorization: `Bearer ${validToken()}` },
		);
		expect(noEndpoint.status).toBe(401);
		expect(noEndpoint.body).toMatch(/x-xtrem-endpoint/);
		const otherEndpoint = await graphql(
			emulator.url,
			query,
			{},
			{ ...bearer(validToken()), 'x-xtrem-endpoint': 'X3TEST' },
		);
		expect(otherEndpoint.status).toBe(401);
		expect(otherEndpoint.body).toBe('Invalid endpoint: X3TEST');
	});

	test('a configured audience must be the token audience', async () => {
		const strict = await startX3Emulator({
			connectedApp: { audience: 'https://sync.example', allowedUsers: ['BREXSYNC'] },
		});
		try {
			const ok = validToken({ aud: 'https://sync.example', sub: 'BREXSYNC' });
			expect((await graphql(strict.url, query, {}, bearer(ok))).status).toBe(200);
			const wrong = await graphql(strict.url, query, {}, bearer(validToken({ sub: 'BREXSYNC' })));
			expect(wrong.body).toBe('Error 45: Invalid token');
			const admin = await graphql(
				strict.url,
				query,
				{},
				bearer(validToken({ aud: 'https://sync.example' })),
			);
			expect(admin.body).toBe('Error 42: Invalid token');
		} finally {
			await strict.close();
		}
	});
});

describe('suppliers', () => {
	test('relay paging with first/after walks every supplier once, returning only the requested fields', async () => {
		const seen: string[] = [];
		let after: string | null = null;
		let pages = 0;
		for (;;) {
			const response = await graphql(emulator.url, SUPPLIER_PAGE, { first: 7, after });
			const page: any = response.json().data.x3MasterData.supplier.query;
			expect(page.totalCount).toBe(emulator.state.suppliers.size);
			for (const edge of page.edges) {
				expect(Object.keys(edge.node).sort()).toEqual(['code', 'companyName1']);
				expect(edge.cursor).toMatch(/^\[.*\]#\d+$/);
				seen.push(edge.node.code.code);
			}
			pages++;
			if (!page.pageInfo.hasNextPage) break;
			after = page.pageInfo.endCursor;
		}
		const expected = [...emulator.state.suppliers.keys()].sort();
		expect(seen).toEqual(expected);
		expect(pages).toBe(Math.ceil(expected.length / 7));
	});

	test('default page size is 20', async () => {
		const page = (await graphql(emulator.url, SUPPLIER_PAGE)).json().data.x3MasterData.supplier
			.query;
		expect(page.edges).toHaveLength(20);
		expect(page.pageInfo.hasNextPage).toBe(true);
	});

	test('filters: _regex with _options, _in, _ne, _and/_or, references by code or nested, arrays as AND', async () => {
		const codes = async (filter: string, orderBy?: string) =>
			(await graphql(emulator.url, SUPPLIER_PAGE, { first: 100, filter, orderBy }))
				.json()
				.data.x3MasterData.supplier.query.edges.map((e: any) => e.node.code.code);
		expect(await codes("{companyName1: {_regex: 'acme', _options: 'i'}}")).toEqual([
			'BRX00001',
			'BRX00031',
		]);
		expect(await codes("{companyName1: {_regex: 'acme'}}")).toEqual([]);
		expect(await codes("{code: {code: {_in: ['BRX00003', 'BRX00002']}}}")).toEqual([
			'BRX00002',
			'BRX00003',
		]);
		expect(await codes("{_or: [{_id: 'BRX00001'}, {_id: 'BRX00005'}]}")).toEqual([
			'BRX00001',
			'BRX00005',
		]);
		const french = emulator.state.suppliers.size - (await codes("{currency: {_ne: 'EUR'}}")).length;
		expect(await codes("{currency: 'EUR'}")).toHaveLength(french);
		expect(await codes("{category: {code: 'SUPFR'}}")).toEqual(
			await codes("{currency: {code: 'EUR'}}"),
		);
		const startingWithA = [...emulator.state.suppliers.values()]
			.filter((s) => s.name.startsWith('A'))
			.map((s) => s.code);
		expect(startingWithA.length).toBeGreaterThan(2);
		expect(await codes("[{companyName1: {_regex: '^A'}}, {_id: {_gte: 'BRX00010'}}]")).toEqual(
			startingWithA.filter((code) => code >= 'BRX00010').sort(),
		);
		expect(await codes("{companyName1: {_regex: '^Acme'}}", '{companyName1: -1}')).toEqual([
			'BRX00031',
			'BRX00001',
		]);
	});

	test('a malformed filter is a field error with a path; the rest of the data is still returned', async () => {
		const response = await graphql(
			emulator.url,
			`
				{
					x3MasterData {
						supplier {
							bad: query(filter: "{companyName1: {_regex: }") {
								totalCount
							}
							good: read(_id: "BRX00002") {
								_id
							}
						}
					}
				}
			`,
		);
		const body = response.json();
		expect(body.data.x3MasterData.supplier).toEqual({ bad: null, good: { _id: 'BRX00002' } });
		expect(body.errors).toHaveLength(1);
		expect(body.errors[0]).toMatchObject({
			path: ['x3MasterData', 'supplier', 'bad'],
			extensions: { code: 'BAD_FILTER' },
		});
		expect(body.errors[0].message).toMatch(/^Invalid filter/);

		// Names come from the request: inherited members are not properties.
		const inherited = (
			await graphql(emulator.url, SUPPLIER_PAGE, { filter: "{toString: 'x'}" })
		).json();
		expect(inherited.errors[0].message).toBe('Invalid filter: Supplier has no property toString');
		const field = (
			await graphql(
				emulator.url,
				'{ x3MasterData { supplier { read(_id: "BRX00001") { constructor } } } }',
			)
		).json();
		expect(field.errors[0].message).toBe('Cannot query field "constructor" on type "Supplier".');
	});

	test('read by _id returns the node or null, with references and fragments', async () => {
		const response = await graphql(
			emulator.url,
			`
				query One($id: Id!) {
					x3MasterData {
						supplier {
							found: read(_id: $id) {
								...S
								__typename
							}
							missing: read(_id: "NOPE") {
								_id
							}
						}
					}
				}
				fragment S on Supplier {
					_id
					shortCompanyName
					category {
						code
					}
					currency {
						code
					}
					isActive
					code {
						country {
							code
						}
					}
					_updateStamp
				}
			`,
			{ id: 'BRX00001' },
		);
		expect(response.json()).toEqual({
			data: {
				x3MasterData: {
					supplier: {
						found: {
							_id: 'BRX00001',
							shortCompanyName: 'ACME CORP',
							category: { code: expect.stringMatching(/^SUP/) },
							currency: { code: expect.stringMatching(/^(USD|EUR)$/) },
							isActive: true,
							code: { country: { code: expect.stringMatching(/^(US|FR)$/) } },
							_updateStamp: expect.any(String),
							__typename: 'Supplier',
						},
						missing: null,
					},
				},
			},
		});
	});
});

describe('finance data', () => {
	test('accounts, dimension types and dimensions', async () => {
		const body = (
			await graphql(
				emulator.url,
				`
					{
						x3FinanceData {
							account {
								read(_id: "625100") {
									code
									description
									isActive
									chartOfAccounts {
										code
									}
									mandatoryDimensionTypes {
										code
									}
								}
							}
							dimensionType {
								query {
									edges {
										node {
											code
											description
										}
									}
								}
							}
							dimension {
								query(filter: "{dimensionType: {code: 'CCT'}}") {
									totalCount
									edges {
										node {
											dimension
											localizedDescription
											isActive
										}
									}
								}
							}
							site {
								query {
									edges {
										node {
											code
											company {
												code
											}
										}
									}
								}
							}
						}
					}
				`,
			)
		).json();
		expect(body.errors).toBeUndefined();
		const data = body.data.x3FinanceData;
		expect(data.account.read).toEqual({
			code: '625100',
			description: 'Travel - transport',
			isActive: true,
			chartOfAccounts: { code: 'CA_FRA' },
			mandatoryDimensionTypes: [{ code: 'DEP' }],
		});
		expect(data.dimensionType.query.edges.map((e: any) => e.node.code)).toEqual([
			'CCT',
			'DEP',
			'PRJ',
		]);
		expect(data.dimension.query.totalCount).toBe(3);
		expect(data.dimension.query.edges.map((e: any) => e.node.dimension)).toEqual([
			'CC-NY',
			'CC-PAR',
			'CC-SF',
		]);
		expect(data.site.query.edges.map((e: any) => e.node.code)).toEqual(['FR011', 'FR012', 'US011']);
	});
});

describe('journal entries', () => {
	beforeAll(async () => {
		emulator.reset();
		for (const [trace, lineTrace, amount] of [
			['BRXE-GQL0000001', 'BRXT-LINE1', '10.00'],
			['BRXE-GQL0000002', 'BRXT-LINE2', '25.50'],
		]) {
			const response = await postSoap(
				emulator.url,
				soapEnvelope('save', {
					publicName: 'YGAS',
					requestConfig: 'adxwss.optreturn=JSON',
					cdata: true,
					payload: JSON.stringify({
						GAS0_1: {
							TYP: 'BRX',
							FCY: 'US011',
							ACCDAT: '20240215',
							CUR: 'USD',
							BPRVCR: trace,
							DESVCR: 'Brex',
						},
						GAS1_1: [
							{ ACC: '625700', DEB: amount, CCE1: 'CC-NY', CCE2: 'SAL', DES: `${lineTrace} Lunch` },
							{ ACC: '467100', CDT: amount, BPR: 'BRX00003' },
						],
					}),
				}),
			);
			expect(response.body).toContain('<status xsi:type="xsd:int">1</status>');
		}
	});

	test('query by the source-document (trace) field returns the document numbers and lines', async () => {
		const body = (
			await graphql(
				emulator.url,
				`
					query Posted($filter: String) {
						x3Finance {
							journalEntry {
								query(filter: $filter, first: 50) {
									totalCount
									edges {
										node {
											journalEntryType {
												code
											}
											journalEntryNumber
											sourceDocument
											accountingDate
											transactionCurrency {
												code
											}
											site {
												code
											}
											journalEntryLines {
												query {
													edges {
														node {
															lineNumber
															account {
																code
															}
															sign
															transactionAmount
															lineDescription
															businessPartner {
																code
															}
															dimensions {
																dimensionType {
																	code
																}
																dimension {
																	dimension
																}
															}
														}
													}
												}
											}
										}
									}
								}
							}
						}
					}
				`,
				{ filter: "{sourceDocument: {_in: ['BRXE-GQL0000002', 'BRXE-NOT-THERE']}}" },
			)
		).json();
		expect(body.errors).toBeUndefined();
		const query = body.data.x3Finance.journalEntry.query;
		expect(query.totalCount).toBe(1);
		const node = query.edges[0].node;
		expect(node).toMatchObject({
			journalEntryType: { code: 'BRX' },
			journalEntryNumber: emulator.state.journalEntries[1].documentNumber,
			sourceDocument: 'BRXE-GQL0000002',
			accountingDate: '2024-02-15',
			transactionCurrency: { code: 'USD' },
			site: { code: 'US011' },
		});
		expect(node.journalEntryLines.query.edges.map((e: any) => e.node)).toEqual([
			{
				lineNumber: 1,
				account: { code: '625700' },
				sign: 1,
				transactionAmount: '25.50',
				lineDescription: 'BRXT-LINE2 Lunch',
				businessPartner: null,
				dimensions: [
					{ dimensionType: { code: 'CCT' }, dimension: { dimension: 'CC-NY' } },
					{ dimensionType: { code: 'DEP' }, dimension: { dimension: 'SAL' } },
				],
			},
			{
				lineNumber: 2,
				account: { code: '467100' },
				sign: -1,
				transactionAmount: '25.50',
				lineDescription: '',
				businessPartner: { code: 'BRX00003' },
				dimensions: [],
			},
		]);
	});

	test('journalEntryLine query by line trace prefix, and a collection filter on the entry', async () => {
		const body = (
			await graphql(
				emulator.url,
				`
					{
						x3Finance {
							journalEntryLine {
								query(filter: "{lineDescription: {_regex: '^BRXT-LINE1'}}") {
									edges {
										node {
											lineNumber
											journalEntry {
												journalEntryNumber
												sourceDocument
											}
										}
									}
								}
							}
							journalEntry {
								query(
									filter: "{journalEntryLines: {_atLeast: 1, account: {code: '625700'}, transactionAmount: {_gt: 20}}}"
								) {
									edges {
										node {
											sourceDocument
										}
									}
								}
							}
						}
					}
				`,
			)
		).json();
		expect(body.errors).toBeUndefined();
		expect(body.data.x3Finance.journalEntryLine.query.edges).toEqual([
			{
				node: {
					lineNumber: 1,
					journalEntry: {
						journalEntryNumber: emulator.state.journalEntries[0].documentNumber,
						sourceDocument: 'BRXE-GQL0000001',
					},
				},
			},
		]);
		expect(body.data.x3Finance.journalEntry.query.edges).toEqual([
			{ node: { sourceDocument: 'BRXE-GQL0000002' } },
		]);
	});
});

describe('GraphQL errors and introspection', () => {
	test('an unknown field is a validation error without data', async () => {
		const body = (
			await graphql(
				emulator.url,
				'{ x3MasterData { supplier { query { edges { node { nope } } } } } }',
			)
		).json();
		expect(body.data).toBeUndefined();
		expect(body.errors[0].message).toBe('Cannot query field "nope" on type "Supplier".');
		expect(body.errors[0].locations[0]).toEqual({ line: 1, column: 52 });
	});

	test('syntax errors, missing required variables and mutations are reported', async () => {
		expect(
			(await graphql(emulator.url, '{ x3MasterData { supplier ')).json().errors[0].message,
		).toMatch(/^Syntax Error/);
		const missing = (
			await graphql(
				emulator.url,
				'query Q($id: Id!) { x3MasterData { supplier { read(_id: $id) { _id } } } }',
			)
		).json();
		expect(missing.errors[0].message).toBe(
			'Variable "$id" of required type "Id!" was not provided.',
		);
		const mutation = (
			await graphql(emulator.url, 'mutation { x3Finance { journalEntry { create { _id } } } }')
		).json();
		expect(mutation.errors[0].message).toBe(
			'Schema is not configured to execute mutation operation.',
		);
		const badVariable = (await graphql(emulator.url, SUPPLIER_PAGE, { first: 'ten' })).json();
		expect(badVariable.errors[0].message).toMatch(/Variable "\$first" got invalid value "ten"/);
	});

	test('introspection lists the packages and node properties', async () => {
		const body = (
			await graphql(
				emulator.url,
				'{ __schema { queryType { name } types { name fields { name type { kind name ofType { name } } } } } }',
			)
		).json();
		const types = body.data.__schema.types;
		expect(body.data.__schema.queryType.name).toBe('Query');
		const query = types.find((t: any) => t.name === 'Query');
		expect(query.fields.map((f: any) => f.name)).toEqual([
			'x3MasterData',
			'x3FinanceData',
			'x3Finance',
		]);
		const supplier = types.find((t: any) => t.name === 'Supplier');
		expect(supplier.fields.map((f: any) => f.name)).toEqual(
			expect.arrayContaining([
				'code',
				'companyName1',
				'shortCompanyName',
				'category',
				'currency',
				'isActive',
				'_updateStamp',
			]),
		);
		const journalEntry = types.find((t: any) => t.name === 'JournalEntry');
		expect(journalEntry.fields.map((f: any) => f.name)).toEqual(
			expect.arrayContaining([
				'journalEntryType',
				'journalEntryNumber',
				'site',
				'accountingDate',
				'transactionCurrency',
				'sourceDocument',
				'journalEntryLines',
			]),
		);
	});
});
