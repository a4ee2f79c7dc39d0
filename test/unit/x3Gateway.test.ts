import nock from 'nock';
import { NodeOperationError } from 'n8n-workflow';

import { X3Error } from '../../nodes/SageX3/transport/errors';
import { lineTraceRegex, regexSizedBatches } from '../../nodes/SageX3/transport/graphqlReader';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type { JournalEntryDraft, X3ReadApi } from '../../nodes/SageX3/transport/gateway.types';
import { resultXmlToJson } from '../../nodes/SageX3/transport/soapXml';
import { CONNECTED_APP_CREDENTIALS, SOAP_CREDENTIALS } from './x3FakeContext';
import { testGateway, useNockForX3, X3_SOAP_PATH, X3_TEST_BASE } from './x3GatewayHarness';
import { soapResponse } from './x3SoapFixtures';

const BASE = X3_TEST_BASE;
const SOAP_PATH = X3_SOAP_PATH;

useNockForX3();

/** Up to three attempts, 10 ms apart (recorded, not slept). */
const RETRY_POLICY = { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 };

function gateway(
	readApi: X3ReadApi,
	options: Partial<X3GatewayOptions> = {},
	credentials = { sageX3Api: SOAP_CREDENTIALS, sageX3ConnectedAppApi: CONNECTED_APP_CREDENTIALS },
) {
	return testGateway(readApi, options, { credentials, policy: RETRY_POLICY });
}

function draft(overrides: Partial<JournalEntryDraft> = {}): JournalEntryDraft {
	return {
		entryType: 'BRX',
		site: 'FR011',
		accountingDate: '2024-02-29',
		currency: 'EUR',
		traceId: 'BRXS-0123456789ABCD',
		description: 'Brex',
		lines: [
			{
				account: '625700',
				debit: '10.5',
				dimensions: { PRJ: 'PRJ-ALPHA', DEP: 'ENG' },
				description: 'Lunch',
				lineTraceId: 'BRXT-AAAAAAAAAAAAAA',
			},
			{
				account: '467100',
				credit: '10.50',
				dimensions: {},
				businessPartner: 'BRX00001',
				taxCode: 'FR20',
			},
		],
		...overrides,
	};
}

/** objectXml of a SOAP request body, decoded: `<PARAM>` (the default XML mode) or JSON, as one neutral object. */
function objectXmlOf(body: string): unknown {
	const match = /<objectXml xsi:type="xsd:string">([\s\S]*?)<\/objectXml>/.exec(body);
	const text = (match?.[1] ?? '')
		.replace(/&quot;/g, '"')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&');
	return text.startsWith('<PARAM>') ? resultXmlToJson(text) : JSON.parse(text);
}

describe('saveJournalEntry payload', () => {
	it('writes header and lines from the layout: YYYYMMDD, dimensions in layout order, line trace id first', async () => {
		let sent: unknown;
		nock(BASE)
			.post(SOAP_PATH, (body: string) => {
				sent = objectXmlOf(body);
				return body.includes('<publicName xsi:type="xsd:string">YGAS</publicName>');
			})
			.reply(
				200,
				soapResponse({
					operation: 'save',
					status: 1,
					resultXml: JSON.stringify({ GAS0_1: { NUM: ' BRX2402-0001 ' }, GAS1_1: [] }),
				}),
			);
		const { x3 } = gateway('soap');
		const posted = await x3.saveJournalEntry(draft());
		expect(sent).toEqual({
			GAS0_1: {
				TYP: 'BRX',
				FCY: 'FR011',
				ACCDAT: '20240229',
				CUR: 'EUR',
				DESVCR: 'Brex',
				BPRVCR: 'BRXS-0123456789ABCD',
			},
			GAS1_1: [
				// DEFAULT layout types are CCT, DEP, PRJ: CCE2 = DEP, CCE3 = PRJ.
				{
					ACC: '625700',
					DEB: '10.5',
					CCE2: 'ENG',
					CCE3: 'PRJ-ALPHA',
					DES: 'BRXT-AAAAAAAAAAAAAA Lunch',
				},
				{ ACC: '467100', CDT: '10.50', BPR: 'BRX00001', TAX: 'FR20' },
			],
		});
		expect(posted).toEqual({
			documentNumber: 'BRX2402-0001',
			entryType: 'BRX',
			traceId: 'BRXS-0123456789ABCD',
			accountingDate: '2024-02-29',
			currency: 'EUR',
			lineTraceIds: ['BRXT-AAAAAAAAAAAAAA'],
			lines: [
				{
					account: '625700',
					debit: '10.5',
					credit: null,
					dimensions: { PRJ: 'PRJ-ALPHA', DEP: 'ENG' },
					businessPartner: null,
					description: 'Lunch',
					lineTraceId: 'BRXT-AAAAAAAAAAAAAA',
				},
				{
					account: '467100',
					debit: null,
					credit: '10.50',
					dimensions: {},
					businessPartner: 'BRX00001',
					description: null,
					lineTraceId: null,
				},
			],
		});
	});

	it('puts the line trace id alone when the line has no description, and into another field when configured', async () => {
		const layout = {
			...DEFAULT_X3_LAYOUT,
			journalEntry: { ...DEFAULT_X3_LAYOUT.journalEntry, lineTraceField: 'REFLIN' },
		};
		let sent: { GAS1_1: Array<Record<string, string>> } | undefined;
		nock(BASE)
			.post(SOAP_PATH, (body: string) => {
				sent = objectXmlOf(body) as typeof sent;
				return true;
			})
			.reply(
				200,
				soapResponse({ operation: 'save', status: 1, resultXml: '{"GAS0_1":{"NUM":"N1"}}' }),
			);
		await gateway('soap', { layout }).x3.saveJournalEntry(draft());
		expect(sent?.GAS1_1[0]).toMatchObject({ DES: 'Lunch', REFLIN: 'BRXT-AAAAAAAAAAAAAA' });
	});

	it.each([
		[
			'an unbalanced entry',
			draft({
				lines: [
					{ account: 'A', debit: '10.00', dimensions: {} },
					{ account: 'B', credit: '9.99', dimensions: {} },
				],
			}),
			/does not balance/,
		],
		[
			'a line with debit and credit',
			draft({
				lines: [
					{ account: 'A', debit: '1', credit: '1', dimensions: {} },
					{ account: 'B', credit: '0', dimensions: {} },
				],
			}),
			/exactly one of debit or credit/,
		],
		[
			'a negative amount',
			draft({
				lines: [
					{ account: 'A', debit: '-1', dimensions: {} },
					{ account: 'B', credit: '-1', dimensions: {} },
				],
			}),
			/positive decimal/,
		],
		[
			'a comma decimal',
			draft({
				lines: [
					{ account: 'A', debit: '1,50', dimensions: {} },
					{ account: 'B', credit: '1,50', dimensions: {} },
				],
			}),
			/"\." as separator/,
		],
		[
			'a dimension type outside the layout',
			draft({
				lines: [
					{ account: 'A', debit: '1', dimensions: { XYZ: 'V' } },
					{ account: 'B', credit: '1', dimensions: {} },
				],
			}),
			/XYZ/,
		],
		['an impossible date', draft({ accountingDate: '2023-02-29' }), /not a calendar date/],
		[
			'a trace id longer than the field',
			draft({ traceId: 'BRXS-0123456789ABCDEFGHJ' }),
			/longer than the trace field BPRVCR \(20/,
		],
		[
			'a single line',
			draft({ lines: [{ account: 'A', debit: '1', dimensions: {} }] }),
			/at least two lines/,
		],
		['no site', draft({ site: ' ' }), /Site is required/],
	])('refuses %s before calling X3', async (_name, bad, message) => {
		const { x3, context } = gateway('soap');
		const error = await x3.saveJournalEntry(bad).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(message);
		expect(context.requests).toHaveLength(0);
	});
});

describe('saveJournalEntry when the outcome is unknown', () => {
	const found = JSON.stringify([
		{ TYP: 'BRX', NUM: 'BRX-9', BPRVCR: 'BRXS-0123456789ABCD', ACCDAT: '20240229' },
	]);
	const read = JSON.stringify({
		GAS0_1: {
			TYP: 'BRX',
			NUM: 'BRX-9',
			BPRVCR: 'BRXS-0123456789ABCD',
			ACCDAT: '20240229',
			CUR: 'EUR',
		},
		GAS1_1: [
			{ ACC: '625700', DEB: '10.5' },
			{ ACC: '467100', CDT: '10.5' },
		],
	});

	it('after a 502 on save, finds the entry by trace id and does not save again', async () => {
		const scope = nock(BASE)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:save '))
			.once()
			.reply(502, 'Bad gateway')
			.post(
				SOAP_PATH,
				(body: string) =>
					body.includes('<wss:query ') && body.includes('<key xsi:type="xsd:string">BPRVCR</key>'),
			)
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: found }))
			.post(
				SOAP_PATH,
				(body: string) =>
					body.includes('<wss:query ') &&
					body.includes(
						'<key xsi:type="xsd:string">DES</key><value xsi:type="xsd:string">BRXS-0123456789ABCD*</value>',
					),
			)
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: '[]' }))
			.post(SOAP_PATH, (body: string) => body.includes('<wss:read ') && body.includes('BRX-9'))
			.reply(200, soapResponse({ operation: 'read', status: 1, resultXml: read }));
		const { x3, context } = gateway('soap');
		const posted = await x3.saveJournalEntry(draft());
		expect(posted).toMatchObject({
			documentNumber: 'BRX-9',
			traceId: 'BRXS-0123456789ABCD',
			accountingDate: '2024-02-29',
			currency: 'EUR',
		});
		expect(scope.isDone()).toBe(true);
		expect(context.requests.filter((r) => r.body?.includes('<wss:save '))).toHaveLength(1);
	});

	it('when nothing is found, reports the original error and says it was not re-sent', async () => {
		nock(BASE)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:save '))
			.once()
			.reply(504, 'Gateway timeout')
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query '))
			.times(2)
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: '[]' }));
		const { x3, context } = gateway('soap');
		const error = (await x3.saveJournalEntry(draft()).catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.statusCode).toBe(504);
		expect(error.description).toMatch(
			/No journal entry with trace id BRXS-0123456789ABCD was found.*not retried/,
		);
		expect(context.requests.filter((r) => r.body?.includes('<wss:save '))).toHaveLength(1);
	});

	it('looks the number up when a successful save does not return it', async () => {
		nock(BASE)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:save '))
			.reply(
				200,
				soapResponse({ operation: 'save', status: 1, resultXml: '{"ADXTEC":{"WW_MODSTAMP":"1"}}' }),
			)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query '))
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: found }))
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query '))
			.reply(200, soapResponse({ operation: 'query', status: 1, resultXml: '[]' }))
			.post(SOAP_PATH, (body: string) => body.includes('<wss:read '))
			.reply(200, soapResponse({ operation: 'read', status: 1, resultXml: read }));
		await expect(gateway('soap').x3.saveJournalEntry(draft())).resolves.toMatchObject({
			documentNumber: 'BRX-9',
		});
	});
});

/** Answers SOAP queries (`times` of them) and records each one's first key as `KEY=value`. */
function soapQueriesByKey(times: number, hit: { request: string; resultXml: string }): string[] {
	const keys: string[] = [];
	nock(BASE)
		.post(SOAP_PATH, (body: string) => {
			const match =
				/<key xsi:type="xsd:string">(\w+)<\/key><value xsi:type="xsd:string">([^<]*)<\/value>/.exec(
					body,
				);
			keys.push(`${match?.[1]}=${match?.[2]}`);
			return true;
		})
		.times(times)
		.reply(200, async (request: Request) =>
			(await request.text()).includes(hit.request)
				? soapResponse({ operation: 'query', status: 1, resultXml: hit.resultXml })
				: soapResponse({ operation: 'query', status: 1, resultXml: '[]' }),
		);
	return keys;
}

describe('findPostedTraceIds: calls per batch', () => {
	const ids = Array.from({ length: 120 }, (_v, i) => `BRXT-${String(i).padStart(14, '0')}`);

	it('GraphQL: entries by _in and lines by anchored regexes (aliased selections of at most 900 characters) in one document per 160 ids', async () => {
		const many = Array.from({ length: 200 }, (_v, i) => `BRXT-${String(i).padStart(14, '0')}`);
		const documents: Array<{ query: string; variables: Record<string, string | number> }> = [];
		nock(BASE)
			.post('/xtrem/api', (body: { query: string; variables: Record<string, string> }) => {
				documents.push(body);
				return true;
			})
			.times(2)
			.reply(200, async (request: Request) => {
				// nock 15 hands reply functions the fetch Request.
				const variables = ((await request.json()) as { variables: Record<string, string> })
					.variables;
				const lineSelections: Record<string, unknown> = {};
				for (const [name, filter] of Object.entries(variables)) {
					const alias = /^lineFilter(\d+)$/.exec(name);
					if (!alias) continue;
					// A line of many[1], and a line whose first word only starts with many[2] (not a match).
					const lines: Array<[string, string]> = [
						[`${many[1]} Taxi`, 'JE-2'],
						[`${many[2]}9 other`, 'JE-3'],
					];
					const edges = lines
						.filter(([description]) => filter.includes(description.slice(0, 19)))
						.map(([lineDescription, journalEntryNumber]) => ({
							node: { lineDescription, journalEntry: { journalEntryNumber } },
						}));
					lineSelections[`lines${alias[1]}`] = {
						edges,
						pageInfo: { hasNextPage: false, endCursor: null },
					};
				}
				const hit = variables.entryFilter.includes(many[0]);
				return {
					data: {
						x3Finance: {
							journalEntry: {
								query: {
									edges: hit
										? [{ node: { journalEntryNumber: 'JE-1', sourceDocument: many[0] } }]
										: [],
									pageInfo: { hasNextPage: false, endCursor: null },
								},
							},
							journalEntryLine: lineSelections,
						},
					},
				};
			});
		const found = await gateway('graphql').x3.findPostedTraceIds([...many, many[0]]);
		expect(Object.fromEntries(found)).toEqual({ [many[0]]: 'JE-1', [many[1]]: 'JE-2' });
		// Batches of 160 ids (gateway), one document each.
		expect(documents).toHaveLength(2);
		const first = documents.find((d) => String(d.variables.entryFilter).includes(`'${many[0]}'`))!;
		expect(first.query).toMatch(
			/x3Finance \{ journalEntry \{ query\(filter: \$entryFilter, first: \$first\).*journalEntryLine \{ lines0: query\(filter: \$lineFilter0, first: \$first\).* lines3: query\(filter: \$lineFilter3/,
		);
		expect(first.variables.entryFilter).toBe(
			`{sourceDocument: {_in: [${many
				.slice(0, 160)
				.map((id) => `'${id}'`)
				.join(', ')}]}}`,
		);
		for (const d of documents) {
			const lineIds: string[] = [];
			for (const [name, filter] of Object.entries(d.variables)) {
				if (!name.startsWith('lineFilter')) continue;
				const regex = /_regex: '(.*)'\}\}$/.exec(String(filter))![1];
				expect(regex.length).toBeLessThanOrEqual(900);
				expect(regex).toMatch(/^\^\(BRXT-\d+(\|BRXT-\d+)*\)\( \|\$\)$/);
				lineIds.push(...(regex.match(/BRXT-\d+/g) ?? []));
			}
			const entryIds = String(d.variables.entryFilter).match(/BRXT-\d+/g) ?? [];
			// Every id of the batch is asked at both levels, once.
			expect(lineIds).toEqual(entryIds);
		}
		const asked = documents.flatMap(
			(d) => String(d.variables.entryFilter).match(/BRXT-\d+/g) ?? [],
		);
		expect(asked.sort()).toEqual([...many].sort());
	});

	it('REST: one query on the entries and one on the lines per batch', async () => {
		const wheres: string[] = [];
		nock(BASE)
			.get(/\/api1\/x3\/erp\/SEED\/GACCENTRY\?/)
			.times(3)
			.reply(200, (request: Request) => {
				const where = new URL(request.url).searchParams.get('where') ?? '';
				wheres.push(where);
				return {
					$resources: where.includes(ids[0]) ? [{ TYP: 'BRX', NUM: 'JE-1', BPRVCR: ids[0] }] : [],
					$links: {},
				};
			})
			.get(/\/api1\/x3\/erp\/SEED\/GACCENTRYD\?/)
			.times(3)
			.reply(200, (request: Request) => {
				const where = new URL(request.url).searchParams.get('where') ?? '';
				wheres.push(where);
				return {
					$resources: where.includes(ids[1])
						? [{ TYP: 'BRX', NUM: 'JE-2', DES: `${ids[1]} Taxi` }]
						: [],
					$links: {},
				};
			});
		const found = await gateway('rest').x3.findPostedTraceIds(ids);
		expect(Object.fromEntries(found)).toEqual({ [ids[0]]: 'JE-1', [ids[1]]: 'JE-2' });
		// Batches go out side by side, so the requests may interleave.
		expect(wheres).toHaveLength(6);
		expect(wheres).toContain(
			`BPRVCR in (${ids
				.slice(0, 40)
				.map((id) => `'${id}'`)
				.join(', ')})`,
		);
		expect(wheres).toContain(
			ids
				.slice(1, 40)
				.map((id) => `(DES like '${id}%')`)
				.join(' or '),
		);
	});

	it('REST with linesOnly: one query on the lines per batch, none on the entries', async () => {
		const classes: string[] = [];
		nock(BASE)
			.get(/\/api1\/x3\/erp\/SEED\/GACCENTRYD?\?/)
			.times(3)
			.reply(200, (request: Request) => {
				const url = new URL(request.url);
				classes.push(url.pathname.split('/').pop() ?? '');
				const where = url.searchParams.get('where') ?? '';
				return {
					$resources: where.includes(`'${ids[1]}%'`)
						? [{ TYP: 'BRX', NUM: 'JE-2', DES: `${ids[1]} Taxi` }]
						: [],
					$links: {},
				};
			});
		const found = await gateway('rest').x3.findPostedTraceIds(ids, { linesOnly: true });
		expect(Object.fromEntries(found)).toEqual({ [ids[1]]: 'JE-2' });
		expect(classes).toEqual(['GACCENTRYD', 'GACCENTRYD', 'GACCENTRYD']);
	});

	it('SOAP: one query per id on the trace field, plus the line field for ids not found', async () => {
		const keys = soapQueriesByKey(3, {
			request: 'BPRVCR</key><value xsi:type="xsd:string">BRXT-A<',
			resultXml: '[{"NUM":"JE-1","BPRVCR":"BRXT-A"}]',
		});
		const found = await gateway('soap').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']);
		expect(Object.fromEntries(found)).toEqual({ 'BRXT-A': 'JE-1' });
		expect(keys.sort()).toEqual(['BPRVCR=BRXT-A', 'BPRVCR=BRXT-B', 'DES=BRXT-B*']);
	});

	it('SOAP with linesOnly: one query per id, on the line trace field only', async () => {
		const keys = soapQueriesByKey(2, {
			request: 'DES</key><value xsi:type="xsd:string">BRXT-A*<',
			resultXml: '[{"NUM":"JE-1","DES":"BRXT-A Taxi"}]',
		});
		const found = await gateway('soap').x3.findTraceHolders(['BRXT-A', 'BRXT-B'], {
			linesOnly: true,
		});
		expect(Object.fromEntries(found)).toEqual({ 'BRXT-A': ['JE-1'] });
		expect(keys.sort()).toEqual(['DES=BRXT-A*', 'DES=BRXT-B*']);
	});
});

describe('wiring', () => {
	it('says which credential field is missing instead of failing on a request', async () => {
		const { x3 } = gateway(
			'soap',
			{},
			{
				sageX3Api: { ...SOAP_CREDENTIALS, poolAlias: '' },
				sageX3ConnectedAppApi: CONNECTED_APP_CREDENTIALS,
			},
		);
		await expect(x3.getSupplier('A')).rejects.toThrow(
			'The sageX3Api credential is incomplete: the SOAP pool alias is empty',
		);
		const { x3: badUrl } = gateway(
			'rest',
			{},
			{
				sageX3Api: { ...SOAP_CREDENTIALS, url: 'x3.test' },
				sageX3ConnectedAppApi: CONNECTED_APP_CREDENTIALS,
			},
		);
		await expect(badUrl.getSupplier('A')).rejects.toThrow(/is not a server URL/);
	});

	it('builds the X3 Cloud data-service URL for the cloud credential', async () => {
		nock('https://api.eu-sagex3.com')
			.post('/v1/service/SEED/api')
			.matchHeader('authorization', 'Bearer cloud-token')
			.reply(200, {
				data: {
					x3MasterData: {
						supplier: { query: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
					},
				},
			});
		const { x3 } = gateway('graphql', { graphqlCredentialType: 'sageX3CloudOAuth2Api' }, {
			sageX3Api: SOAP_CREDENTIALS,
			sageX3CloudOAuth2Api: {
				region: 'eu',
				endpoint: 'SEED',
				customerId: 'C1',
				oauthTokenData: { access_token: 'cloud-token' },
			},
		} as never);
		await expect(x3.getSupplier('NOPE')).resolves.toBeNull();
	});

	it('after an ambiguous supplier save with a known code, returns the supplier X3 created', async () => {
		nock(BASE)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:save '))
			.reply(500, 'Internal error')
			.post(SOAP_PATH, (body: string) => body.includes('<wss:read '))
			.reply(
				200,
				soapResponse({
					operation: 'read',
					status: 1,
					resultXml:
						'{"BPS0_1":{"BPSNUM":"BRNEW","BPSNAM":"New Co","BSGCOD":"SUPUS","ENAFLG":"2"}}',
				}),
			);
		const { x3 } = gateway('soap');
		await expect(
			x3.createSupplier({ code: 'BRNEW', name: 'New Co', category: 'SUPUS' }),
		).resolves.toMatchObject({ code: 'BRNEW', name: 'New Co' });
	});
});

describe('supplier name searches of one execution share one scan', () => {
	it('SOAP: two vendors, one query; a failed scan is not kept', async () => {
		let queries = 0;
		nock(BASE)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query ') && ++queries === 1)
			.reply(
				200,
				soapResponse({
					operation: 'query',
					status: 0,
					messages: [{ type: '3', message: 'Table BPSUPPLIER locked' }],
				}),
			)
			.post(SOAP_PATH, (body: string) => body.includes('<wss:query '))
			.reply(
				200,
				soapResponse({
					operation: 'query',
					status: 1,
					resultXml:
						'[{"BPSNUM":"S1","BPSNAM":"Acme Tools"},{"BPSNUM":"S2","BPSNAM":"Blue Bottle Coffee"}]',
				}),
			);
		const { x3 } = gateway('soap');
		await expect(x3.searchSuppliers({ name: 'acme' })).rejects.toThrow(/locked/);
		const acme = await x3.searchSuppliers({ name: 'acme' });
		const bottle = await x3.searchSuppliers({ name: 'BOTTLE' });
		expect(acme.map((s) => s.code)).toEqual(['S1']);
		expect(bottle.map((s) => s.code)).toEqual(['S2']);
		expect(nock.isDone()).toBe(true);
	});

	it('REST: two vendors, one scan of the supplier class', async () => {
		nock(BASE)
			.get(/\/api1\/x3\/erp\/SEED\/BPSUPPLIER\?/)
			.once()
			.reply(200, {
				$resources: [
					{ BPSNUM: 'S1', BPSNAM: 'Acme Tools' },
					{ BPSNUM: 'S2', BPSNAM: 'Blue Bottle Coffee' },
				],
				$links: {},
			});
		const { x3 } = gateway('rest');
		const [acme, bottle] = await Promise.all([
			x3.searchSuppliers({ name: 'Tools' }),
			x3.searchSuppliers({ name: 'coffee' }),
		]);
		expect(acme.map((s) => s.code)).toEqual(['S1']);
		expect(bottle.map((s) => s.code)).toEqual(['S2']);
	});
});

describe('regexSizedBatches', () => {
	it('splits ids whose line regex would pass 900 characters, keeping order and every id', () => {
		const long = Array.from({ length: 40 }, (_v, i) => `BRXE-${String(i).padStart(20, '0')}`);
		const parts = regexSizedBatches(long);
		expect(parts.length).toBe(2);
		expect(parts.flat()).toEqual(long);
		for (const part of parts) expect(lineTraceRegex(part).length).toBeLessThanOrEqual(900);
		const short = long.map((id) => id.slice(0, 20));
		expect(regexSizedBatches(short)).toEqual([short]);
		expect(regexSizedBatches([])).toEqual([]);
	});
});
