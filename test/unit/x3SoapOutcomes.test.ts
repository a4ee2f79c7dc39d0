/**
 * Issue 13, points 4 and 5: X3 writes its messages in the session language, so outcomes are read from structure
 * (status, rows of a confirming query, technicalInfos.busy, fault code), never from message text; journal
 * entries are read and deleted by entry type + number; SOAP calls use the XML result mode unless configured
 * otherwise; GraphQL's supplier name follows Sage's reference page; api1 paging goes through the configured URL.
 */
import nock from 'nock';

import { X3BusinessError, X3Error } from '../../nodes/SageX3/transport/errors';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import type { X3ReadApi } from '../../nodes/SageX3/transport/gateway.types';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { X3RestClient } from '../../nodes/SageX3/transport/rest';
import { ConcurrencyLimiter, X3CallRunner } from '../../nodes/SageX3/transport/throttle';
import { fakeX3Context, recordingSleep, SOAP_CREDENTIALS, TEST_NODE } from './x3FakeContext';
import { testGateway, useNockForX3, X3_SOAP_PATH, X3_TEST_BASE } from './x3GatewayHarness';
import { soapResponse } from './x3SoapFixtures';

const BASE = X3_TEST_BASE;
const SOAP_PATH = X3_SOAP_PATH;

useNockForX3();

const gateway = (readApi: X3ReadApi, options: Partial<X3GatewayOptions> = {}) =>
	testGateway(readApi, options);

interface SoapCall {
	operation: string;
	keys: Array<[string, string]>;
	body: string;
}

function soapX3(answer: (call: SoapCall) => Parameters<typeof soapResponse>[0]): SoapCall[] {
	const calls: SoapCall[] = [];
	nock(BASE)
		.post(SOAP_PATH)
		.times(50)
		.reply(200, async (request: Request) => {
			const body = await request.text();
			const call: SoapCall = {
				operation: /<wss:(\w+) /.exec(body)?.[1] ?? '',
				keys: [
					...body.matchAll(
						/<key xsi:type="xsd:string">(\w+)<\/key><value xsi:type="xsd:string">([^<]*)<\/value>/g,
					),
				].map((match) => [match[1], match[2]]),
				body,
			};
			calls.push(call);
			return soapResponse(answer(call));
		});
	return calls;
}

/** The same "record does not exist" answer as X3 writes it per session language. */
const NOT_FOUND: Record<string, string> = {
	ENG: 'BR404 : Record does not exist',
	FRA: 'BR404 : Fiche inexistante',
	POR: 'BR404 : Registo inexistente',
	GER: 'BR404 : Datensatz nicht vorhanden',
};

const SUPPLIER_READ = JSON.stringify({ BPS0_1: { BPSNUM: 'BR404', BPSNAM: 'Acme' } });

describe('readOrNull decides absence by a query on the key, in any language', () => {
	it.each(Object.entries(NOT_FOUND))(
		'%s: read refused, the key query answers no row: null',
		async (_lang, message) => {
			const calls = soapX3((call) =>
				call.operation === 'read'
					? { operation: 'read', status: 0, messages: [{ type: '3', message }] }
					: { operation: 'query', status: 1, resultXml: '<RESULT/>' },
			);
			await expect(gateway('soap').x3.getSupplier('BR404')).resolves.toBeNull();
			expect(
				calls.map((c) => `${c.operation} ${c.keys.map((k) => k.join('=')).join(',')}`),
			).toEqual(['read BPSNUM=BR404', 'query BPSNUM=BR404']);
		},
	);

	it.each(Object.entries(NOT_FOUND))(
		'%s: read refused but the key query shows the record: the refusal stands',
		async (_lang, message) => {
			soapX3((call) =>
				call.operation === 'read'
					? { operation: 'read', status: 0, messages: [{ type: '3', message }] }
					: { operation: 'query', status: 1, resultXml: '[{"BPSNUM":"BR404"}]' },
			);
			const error = await gateway('soap')
				.x3.getSupplier('BR404')
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(X3BusinessError);
			expect((error as Error).message).toContain(message);
			expect((error as X3Error).description).toMatch(/returned a row/);
		},
	);

	it('a refused key query, or one that fails, proves nothing: the read refusal stands', async () => {
		soapX3((call) =>
			call.operation === 'read'
				? { operation: 'read', status: 0, messages: [{ type: '3', message: NOT_FOUND.GER }] }
				: {
						operation: 'query',
						status: 0,
						messages: [{ type: '3', message: 'Zugriff verweigert' }],
					},
		);
		await expect(gateway('soap').x3.getSupplier('BR404')).rejects.toMatchObject({
			description: expect.stringMatching(/was refused: Zugriff verweigert/),
		});
	});

	it('a read that succeeds is one call', async () => {
		const calls = soapX3(() => ({ operation: 'read', status: 1, resultXml: SUPPLIER_READ }));
		await expect(gateway('soap').x3.getSupplier('BR404')).resolves.toMatchObject({ name: 'Acme' });
		expect(calls).toHaveLength(1);
	});
});

describe('deleteJournalEntry: by entry type + number, removed only when X3 proves it', () => {
	it('sends TYP and NUM keys (X3 index HAE0) by default', async () => {
		const calls = soapX3(() => ({ operation: 'delete', status: 1, resultXml: null }));
		await gateway('soap').x3.deleteJournalEntry({ documentNumber: 'JE-9', entryType: 'ODT' });
		expect(calls.map((c) => c.keys)).toEqual([
			[
				['TYP', 'ODT'],
				['NUM', 'JE-9'],
			],
		]);
	});

	it.each(Object.entries(NOT_FOUND))(
		'%s: delete refused and the entry is absent from a key query: removed',
		async (_lang, message) => {
			const calls = soapX3((call) =>
				call.operation === 'delete'
					? { operation: 'delete', status: 0, messages: [{ type: '3', message }] }
					: { operation: 'query', status: 1, resultXml: '[]' },
			);
			await gateway('soap').x3.deleteJournalEntry({ documentNumber: 'JE-9', entryType: 'ODT' });
			expect(calls.map((c) => c.operation)).toEqual(['delete', 'query']);
			expect(calls[1].keys).toEqual([
				['TYP', 'ODT'],
				['NUM', 'JE-9'],
			]);
		},
	);

	it.each(Object.entries(NOT_FOUND))(
		'%s: a "not found" text while the entry is still there is not a removal',
		async (_lang, message) => {
			// Before issue 13 an English or French "does not exist" counted as removed without asking X3.
			soapX3((call) =>
				call.operation === 'delete'
					? { operation: 'delete', status: 0, messages: [{ type: '3', message }] }
					: { operation: 'query', status: 1, resultXml: '[{"TYP":"ODT","NUM":"JE-9"}]' },
			);
			await expect(
				gateway('soap').x3.deleteJournalEntry({ documentNumber: 'JE-9', entryType: 'ODT' }),
			).rejects.toBeInstanceOf(X3BusinessError);
		},
	);

	it('with readJournalWithEntryType false, the number alone (the previous default)', async () => {
		const calls = soapX3(() => ({ operation: 'delete', status: 1, resultXml: null }));
		await gateway('soap', {
			soapNames: { readJournalWithEntryType: false },
		}).x3.deleteJournalEntry({ documentNumber: 'JE-9', entryType: 'ODT' });
		expect(calls[0].keys).toEqual([['NUM', 'JE-9']]);
	});
});

describe('busy is read from technicalInfos.busy, not from the message', () => {
	it('busy: true with a German message is a busy pool (retryable, not processed)', async () => {
		soapX3(() => ({
			operation: 'read',
			status: 0,
			messages: [{ type: '3', message: 'Verbindungspool ist ausgelastet' }],
			technicalInfos: { busy: true, poolWaitDuration: 5000 },
		}));
		const error = (await gateway('soap')
			.x3.getSupplier('BR1')
			.catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('busy');
		expect(error.transient && error.notProcessed).toBe(true);
	});

	it('an English "pool is busy" text with busy: false on a save is a refusal, never re-sent as unprocessed', async () => {
		soapX3(() => ({
			operation: 'save',
			status: 0,
			messages: [{ type: '3', message: 'Connection pool is busy' }],
			technicalInfos: { busy: false },
		}));
		const { x3, context } = gateway('soap', {
			retry: {
				sleep: recordingSleep().sleep,
				random: () => 0,
				policy: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
			},
		});
		const error = (await x3
			.createSupplier({ name: 'Acme', category: 'SUP' })
			.catch((e: unknown) => e)) as X3Error;
		expect(error.kind).toBe('business');
		expect(context.requests).toHaveLength(1);
	});
});

describe('result mode', () => {
	const saved = '<RESULT><GRP ID="BPS0_1"><FLD NAME="BPSNUM">BR7</FLD></GRP></RESULT>';

	it('XML by default: requestConfig asks optreturn=XML and objectXml is <PARAM>', async () => {
		const calls = soapX3(() => ({ operation: 'save', status: 1, resultXml: saved }));
		const supplier = await gateway('soap').x3.createSupplier({ name: 'Acme', category: 'SUP' });
		expect(supplier.code).toBe('BR7');
		expect(calls[0].body).toContain('adxwss.optreturn=XML');
		expect(calls[0].body).toMatch(
			/<objectXml xsi:type="xsd:string">&lt;PARAM&gt;&lt;GRP ID=&quot;BPS0_1&quot;&gt;/,
		);
	});

	it('a name XML 1.0 cannot carry goes as a JSON payload, and its answer with a control-character reference reads', async () => {
		const calls = soapX3(() => ({
			operation: 'save',
			status: 1,
			resultXml:
				'<RESULT><GRP ID="BPS0_1"><FLD NAME="BPSNUM">BR8</FLD><FLD NAME="BPSNAM">Oscar&#1;&#0;</FLD></GRP></RESULT>',
		}));
		const supplier = await gateway('soap').x3.createSupplier({
			name: 'Oscar\u0001\u0000',
			category: 'SUP',
		});
		expect(supplier).toMatchObject({ code: 'BR8', name: 'Oscar\u0001\u0000' });
		// Results stay XML; only this payload goes as JSON (escaped \uXXXX inside the envelope).
		expect(calls[0].body).toContain('adxwss.optreturn=XML');
		expect(calls[0].body).toContain(
			'{&quot;BPS0_1&quot;:{&quot;BPSNAM&quot;:&quot;Oscar\\u0001\\u0000&quot;',
		);
	});

	it('JSON when the SOAP names say resultFormat json', async () => {
		const calls = soapX3(() => ({
			operation: 'save',
			status: 1,
			resultXml: '{"BPS0_1":{"BPSNUM":"BR7"}}',
		}));
		await gateway('soap', { soapNames: { resultFormat: 'json' } }).x3.createSupplier({
			name: 'Acme',
			category: 'SUP',
		});
		expect(calls[0].body).toContain('adxwss.optreturn=JSON');
	});

	it('refuses a result format it does not know, before any call', async () => {
		const { x3, context } = gateway('soap', {
			soapNames: { resultFormat: 'yaml' as unknown as 'xml' },
		});
		await expect(x3.createSupplier({ name: 'Acme', category: 'SUP' })).rejects.toThrow(
			/soap.resultFormat must be "xml" or "json"/,
		);
		expect(context.requests).toHaveLength(0);
	});
});

describe('journal entries are read back by entry type + number', () => {
	it('findJournalEntriesByTraceId reads each entry with TYP and NUM', async () => {
		const calls = soapX3((call) =>
			call.operation === 'query'
				? call.keys[0][0] === 'BPRVCR'
					? {
							operation: 'query',
							status: 1,
							resultXml: '[{"TYP":"ODT","NUM":"JE-1","BPRVCR":"BRXS-SET"}]',
						}
					: { operation: 'query', status: 1, resultXml: '[]' }
				: {
						operation: 'read',
						status: 1,
						resultXml: '{"GAS0_1":{"TYP":"ODT","NUM":"JE-1","BPRVCR":"BRXS-SET"},"GAS1_1":[]}',
					},
		);
		const entries = await gateway('soap').x3.findJournalEntriesByTraceId('BRXS-SET');
		expect(entries.map((e) => e.documentNumber)).toEqual(['JE-1']);
		expect(calls.find((c) => c.operation === 'read')?.keys).toEqual([
			['TYP', 'ODT'],
			['NUM', 'JE-1'],
		]);
	});
});

describe('GraphQL supplier name', () => {
	it("selects companyName (Sage's reference page) by default, and an override when given", async () => {
		const documents: string[] = [];
		nock(BASE)
			.post('/xtrem/api', (body: { query: string }) => {
				documents.push(body.query);
				return true;
			})
			.times(2)
			.reply(200, {
				data: {
					x3MasterData: {
						supplier: {
							query: {
								edges: [
									{ node: { code: { code: 'BR1' }, companyName: 'Acme', companyName1: 'Old' } },
								],
								pageInfo: { hasNextPage: false, endCursor: null },
							},
						},
					},
				},
			});
		await expect(gateway('graphql').x3.getSupplier('BR1')).resolves.toMatchObject({ name: 'Acme' });
		await expect(
			gateway('graphql', { graphqlNames: { supplier: { name: 'companyName1' } } }).x3.getSupplier(
				'BR1',
			),
		).resolves.toMatchObject({ name: 'Old' });
		expect(documents[0]).toMatch(/\bcompanyName\b/);
		expect(documents[1]).toMatch(/\bcompanyName1\b/);
	});
});

describe('api1 $next links go through the configured base URL', () => {
	function restClient(baseUrl: string) {
		const context = fakeX3Context({ sageX3Api: { ...SOAP_CREDENTIALS, url: baseUrl } });
		return {
			context,
			client: new X3RestClient(
				createCredentialSender(context, 'sageX3Api'),
				{ baseUrl, endpoint: 'SEED' },
				TEST_NODE,
				new X3CallRunner(new ConcurrencyLimiter(1), {
					policy: { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
				}),
			),
		};
	}

	it('a link naming the host behind a reverse proxy is followed through the proxy URL, path prefix kept', async () => {
		const proxy = 'https://erp.example.com/x3';
		nock('https://erp.example.com')
			.get('/x3/api1/x3/erp/SEED/BPSUPPLIER')
			.query((q) => q.key === undefined)
			.reply(200, {
				$resources: [{ BPSNUM: 'BR1' }],
				$links: {
					$next: {
						$url: 'http://syracuse-internal:8124/api1/x3/erp/SEED/BPSUPPLIER?representation=BPSUPPLIER.$query&count=20&key=gt.BR1',
					},
				},
			})
			.get('/x3/api1/x3/erp/SEED/BPSUPPLIER')
			.query((q) => q.key === 'gt.BR1')
			.reply(200, { $resources: [{ BPSNUM: 'BR2' }], $links: {} });
		const { client, context } = restClient(proxy);
		const codes: unknown[] = [];
		for await (const record of client.query('BPSUPPLIER', 'BPSUPPLIER')) codes.push(record.BPSNUM);
		expect(codes).toEqual(['BR1', 'BR2']);
		// The credential went to the configured origin only.
		expect(new Set(context.requests.map((r) => new URL(r.url).origin))).toEqual(
			new Set(['https://erp.example.com']),
		);
	});

	it('a relative link, and one that already carries the proxy prefix, resolve the same way', () => {
		const { client } = restClient('https://erp.example.com/x3');
		const expected =
			'https://erp.example.com/x3/api1/x3/erp/SEED/GACCENTRY?representation=GACCENTRY.$query&key=gt.9';
		expect(
			client.throughBaseUrl('/api1/x3/erp/SEED/GACCENTRY?representation=GACCENTRY.$query&key=gt.9'),
		).toBe(expected);
		expect(
			client.throughBaseUrl(
				'https://erp.example.com/x3/api1/x3/erp/SEED/GACCENTRY?representation=GACCENTRY.$query&key=gt.9',
			),
		).toBe(expected);
	});

	it('a link outside api1 is refused, wherever it points', () => {
		const { client } = restClient(BASE);
		for (const link of ['http://evil.test/steal', `${BASE}/syracuse-main/html/main.html`])
			expect(() => client.throughBaseUrl(link)).toThrow(/outside api1/);
	});
});
