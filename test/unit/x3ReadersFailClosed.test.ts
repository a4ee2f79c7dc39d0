/**
 * Issue 13, point 1: an item counts as held in X3 only when its trace id is seen in returned data or in the
 * document read back. Every reader gets rows without the trace column, unrelated rows, rows of another id and
 * empty answers; none may report an item as posted without proof, and where the answer proves X3 did not apply
 * the criterion the lookup fails with X3TraceCheckUnverifiableError (which Post Spend sends to the error output).
 */
import nock from 'nock';

import { planJournalEntries } from '../../nodes/ledger/journalDraft';
import type { DraftOptions, PostingItem } from '../../nodes/ledger/journalDraft';
import { postEntries } from '../../nodes/SageX3/helpers/postEntries';
import {
	X3TraceCheckUnverifiableError,
	X3TraceLookupIncompleteError,
} from '../../nodes/SageX3/transport/errors';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import type { X3ReadApi } from '../../nodes/SageX3/transport/gateway.types';
import { testGateway, useNockForX3, X3_SOAP_PATH, X3_TEST_BASE } from './x3GatewayHarness';
import { soapResponse } from './x3SoapFixtures';

const BASE = X3_TEST_BASE;
const SOAP_PATH = X3_SOAP_PATH;
const REST_PATH = '/api1/x3/erp/SEED';

useNockForX3();

const gateway = (readApi: X3ReadApi, options: Partial<X3GatewayOptions> = {}) =>
	testGateway(readApi, options);

async function failure(promise: Promise<unknown>): Promise<unknown> {
	return await promise.then(
		(value) => {
			throw new Error(`expected a failure, got ${JSON.stringify(value, replacer)}`);
		},
		(error: unknown) => error,
	);
}

function replacer(_key: string, value: unknown): unknown {
	return value instanceof Map ? Object.fromEntries(value) : value;
}

// ---------------------------------------------------------------------------------------------------------------
// SOAP

interface SoapCall {
	operation: string;
	keys: Record<string, string>;
}

function parseSoapCall(body: string): SoapCall {
	const operation = /<wss:(\w+) /.exec(body)?.[1] ?? '';
	const keys: Record<string, string> = {};
	for (const match of body.matchAll(
		/<key xsi:type="xsd:string">(\w+)<\/key><value xsi:type="xsd:string">([^<]*)<\/value>/g,
	))
		keys[match[1]] = match[2];
	return { operation, keys };
}

/** A scripted SOAP X3: `answer` gets each call and returns the soapResponse spec (or an HTTP status). */
function soapX3(answer: (call: SoapCall) => Parameters<typeof soapResponse>[0]): SoapCall[] {
	const calls: SoapCall[] = [];
	nock(BASE)
		.post(SOAP_PATH)
		.times(200)
		.reply(200, async (request: Request) => {
			const call = parseSoapCall(await request.text());
			calls.push(call);
			return soapResponse(answer(call));
		});
	return calls;
}

const rows = (records: Array<Record<string, string>>) => JSON.stringify(records);

/** The read result of entry JE-1 (TYP ODT) whose only traced line carries `lineTrace`. */
function readJe1(lineTrace: string) {
	return JSON.stringify({
		GAS0_1: { TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-SET', ACCDAT: '20261102', CUR: 'USD' },
		GAS1_1: [
			{ ACC: '628000', DEB: '10', DES: `${lineTrace} Taxi` },
			{ ACC: '467100', CDT: '10', DES: 'Brex card' },
		],
	});
}

describe('SOAP reader fails closed', () => {
	it('empty answers mean "not found": one query per id, nothing reported as posted', async () => {
		const calls = soapX3(() => ({ operation: 'query', status: 1, resultXml: '[]' }));
		const found = await gateway('soap').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B'], {
			linesOnly: true,
		});
		expect(found.size).toBe(0);
		expect(calls.map((c) => c.keys.DES).sort()).toEqual(['BRXT-A*', 'BRXT-B*']);
	});

	it('a line row without the trace column (the left list lacks DES) whose entry read back does not hold the id: unverifiable, not already posted', async () => {
		// The reproduction: X3 ignores the DES criterion and answers the header columns of an entry.
		const calls = soapX3((call) =>
			call.operation === 'query'
				? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
				: { operation: 'read', status: 1, resultXml: readJe1('BRXT-OTHER') },
		);
		const error = await failure(
			gateway('soap').x3.findPostedTraceIds(['BRXT-A'], { linesOnly: true }),
		);
		expect(error).toBeInstanceOf(X3TraceCheckUnverifiableError);
		expect((error as Error).message).toMatch(
			/Cannot verify in X3 whether trace id BRXT-A is already posted: the SOAP query lookup on publication YGAS DES returned entry JE-1 without the field DES/,
		);
		expect((error as X3TraceCheckUnverifiableError).description).toMatch(
			/Check X3 Setup.*left list of publication YGAS.*another read API/,
		);
		// The entry was read back by entry type + number.
		expect(calls.find((c) => c.operation === 'read')?.keys).toEqual({ TYP: 'ODT', NUM: 'JE-1' });
	});

	it('a row without the trace column counts when the entry read back holds the id', async () => {
		soapX3((call) =>
			call.operation === 'query'
				? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
				: { operation: 'read', status: 1, resultXml: readJe1('BRXT-A') },
		);
		const found = await gateway('soap').x3.findPostedTraceIds(['BRXT-A'], { linesOnly: true });
		expect(Object.fromEntries(found)).toEqual({ 'BRXT-A': 'JE-1' });
	});

	it('ids held by one entry share one read-back in a lookup', async () => {
		const calls = soapX3((call) =>
			call.operation === 'query'
				? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
				: {
						operation: 'read',
						status: 1,
						resultXml: JSON.stringify({
							GAS0_1: { TYP: 'ODT', NUM: 'JE-1' },
							GAS1_1: [{ DES: 'BRXT-A Taxi' }, { DES: 'BRXT-B Hotel' }],
						}),
					},
		);
		const holders = await gateway('soap').x3.findTraceHolders(['BRXT-A', 'BRXT-B'], {
			linesOnly: true,
		});
		expect(Object.fromEntries(holders)).toEqual({ 'BRXT-A': ['JE-1'], 'BRXT-B': ['JE-1'] });
		expect(calls.filter((c) => c.operation === 'read')).toHaveLength(1);
	});

	it.each([
		['an unrelated line', 'Office chairs'],
		['a line of another id', 'BRXT-B Taxi'],
	])(
		'%s in the trace column proves the criterion was not applied: unverifiable',
		async (_what, des) => {
			soapX3(() => ({
				operation: 'query',
				status: 1,
				resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', DES: des }]),
			}));
			const error = await failure(
				gateway('soap').x3.findPostedTraceIds(['BRXT-A'], { linesOnly: true }),
			);
			expect(error).toBeInstanceOf(X3TraceCheckUnverifiableError);
			expect((error as Error).message).toContain(`whose DES is "${des}"`);
		},
	);

	it('a line that only starts with the id (a longer id) is no holder and no proof either', async () => {
		soapX3(() => ({
			operation: 'query',
			status: 1,
			resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', DES: 'BRXT-AB Taxi' }]),
		}));
		const found = await gateway('soap').x3.findPostedTraceIds(['BRXT-A'], { linesOnly: true });
		expect(found.size).toBe(0);
	});

	it('an entry-level row of another trace id is unverifiable; one without the column is read back', async () => {
		soapX3((call) =>
			call.operation === 'query' && call.keys.BPRVCR
				? {
						operation: 'query',
						status: 1,
						resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-OTHER' }]),
					}
				: { operation: 'query', status: 1, resultXml: '[]' },
		);
		expect(await failure(gateway('soap').x3.findPostedTraceIds(['BRXS-SET']))).toBeInstanceOf(
			X3TraceCheckUnverifiableError,
		);
		nock.cleanAll();
		soapX3((call) =>
			call.operation === 'query'
				? call.keys.BPRVCR
					? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
					: { operation: 'query', status: 1, resultXml: '[]' }
				: { operation: 'read', status: 1, resultXml: readJe1('BRXT-A') },
		);
		const found = await gateway('soap').x3.findPostedTraceIds(['BRXS-SET']);
		expect(Object.fromEntries(found)).toEqual({ 'BRXS-SET': 'JE-1' });
	});

	it('every holder: a full page (listSize reached) may have cut a holder off: unverifiable', async () => {
		const page = Array.from({ length: 20 }, (_v, i) => ({
			TYP: 'ODT',
			NUM: `JE-${i}`,
			DES: 'BRXT-A Taxi',
		}));
		soapX3(() => ({ operation: 'query', status: 1, resultXml: rows(page) }));
		const error = await failure(
			gateway('soap').x3.findTraceHolders(['BRXT-A'], { linesOnly: true }),
		);
		expect(error).toBeInstanceOf(X3TraceCheckUnverifiableError);
		expect((error as Error).message).toMatch(/more holders may exist/);
	});

	it('a status-0 query with a message is a failure, whatever the language, never an empty answer', async () => {
		soapX3(() => ({
			operation: 'query',
			status: 0,
			messages: [{ type: '3', message: 'Nenhum registo encontrado' }],
		}));
		await expect(
			gateway('soap').x3.findPostedTraceIds(['BRXT-A'], { linesOnly: true }),
		).rejects.toMatchObject({ message: expect.stringContaining('Nenhum registo encontrado') });
	});

	it('one id whose query fails fails alone: the others are answered (X3TraceLookupIncompleteError)', async () => {
		soapX3((call) =>
			call.keys.DES === 'BRXT-B*'
				? { operation: 'query', status: 0, messages: [{ type: '3', message: 'Erreur' }] }
				: call.keys.DES === 'BRXT-A*'
					? {
							operation: 'query',
							status: 1,
							resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', DES: 'BRXT-A Taxi' }]),
						}
					: { operation: 'query', status: 1, resultXml: '[]' },
		);
		const error = (await failure(
			gateway('soap').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B', 'BRXT-C'], { linesOnly: true }),
		)) as X3TraceLookupIncompleteError<string>;
		expect(error).toBeInstanceOf(X3TraceLookupIncompleteError);
		expect(Object.fromEntries(error.found)).toEqual({ 'BRXT-A': 'JE-1' });
		expect(error.failedIds).toEqual(['BRXT-B']);
	});

	it('when every id fails, the first failure is thrown and no id is asked twice (SOAP already asks id by id)', async () => {
		const calls = soapX3(() => ({
			operation: 'query',
			status: 0,
			messages: [{ type: '3', message: 'Erreur' }],
		}));
		await expect(
			gateway('soap').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B'], { linesOnly: true }),
		).rejects.toThrow(/Erreur/);
		expect(calls).toHaveLength(2);
	});

	it('findJournalEntriesByTraceId: the entry found by its header trace survives a failing line query', async () => {
		// After a save whose answer was lost: without this, the replay would post a second entry.
		soapX3((call) => {
			if (call.operation === 'read')
				return { operation: 'read', status: 1, resultXml: readJe1('BRXT-A') };
			if (call.keys.BPRVCR)
				return {
					operation: 'query',
					status: 1,
					resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-SET' }]),
				};
			return { operation: 'query', status: 0, messages: [{ type: '3', message: 'Fehler' }] };
		});
		const entries = await gateway('soap').x3.findJournalEntriesByTraceId('BRXS-SET');
		expect(entries.map((e) => e.documentNumber)).toEqual(['JE-1']);
		// Without the entry-level proof the same failure stands.
		nock.cleanAll();
		soapX3((call) =>
			call.keys.BPRVCR
				? { operation: 'query', status: 1, resultXml: '[]' }
				: { operation: 'query', status: 0, messages: [{ type: '3', message: 'Fehler' }] },
		);
		await expect(gateway('soap').x3.findJournalEntriesByTraceId('BRXS-SET')).rejects.toThrow(
			/Fehler/,
		);
	});
});

describe('SOAP listTracedJournalEntries (reconciliation) fails closed', () => {
	it('an entry outside the trace prefix, listed or read back, is refused rather than reconciled', async () => {
		soapX3(() => ({
			operation: 'query',
			status: 1,
			resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'INV-2026-001' }]),
		}));
		await expect(
			gateway('soap').x3.listTracedJournalEntries({ from: '2026-11-01', to: '2026-11-30' }),
		).rejects.toBeInstanceOf(X3TraceCheckUnverifiableError);
		nock.cleanAll();
		soapX3((call) =>
			call.operation === 'query'
				? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
				: {
						operation: 'read',
						status: 1,
						resultXml: JSON.stringify({
							GAS0_1: { TYP: 'ODT', NUM: 'JE-1', BPRVCR: '', ACCDAT: '20261102' },
							GAS1_1: [],
						}),
					},
		);
		await expect(
			gateway('soap').x3.listTracedJournalEntries({ from: '2026-11-01', to: '2026-11-30' }),
		).rejects.toBeInstanceOf(X3TraceCheckUnverifiableError);
	});
});

describe('Post Spend on an X3 that ignores the line criterion (issue 13 reproduction)', () => {
	const OPTIONS: DraftOptions = { mode: 'entrySet', traceFieldLength: 20 };
	const item = (n: number): PostingItem => ({
		itemIndex: n,
		traceId: `BRXT-0000000000000${n}`,
		accountingDate: '2026-11-02',
		currency: 'USD',
		amount: `${10 + n}.00`,
		site: 'US011',
		entryType: 'ODT',
		liabilityAccount: '467100',
		account: '628000',
		dimensions: {},
	});

	it('no item is reported already_posted and nothing is saved: every item fails with the reason', async () => {
		const calls = soapX3((call) =>
			call.operation === 'query'
				? { operation: 'query', status: 1, resultXml: rows([{ TYP: 'ODT', NUM: 'JE-1' }]) }
				: call.operation === 'read'
					? { operation: 'read', status: 1, resultXml: readJe1('BRXT-99999999999999') }
					: { operation: call.operation, status: 1, resultXml: '{"GAS0_1":{"NUM":"JE-2"}}' },
		);
		const items = [1, 2, 3].map(item);
		const { outcomes } = await postEntries(
			gateway('soap').x3,
			planJournalEntries(items, OPTIONS),
			OPTIONS,
			4,
		);
		expect(calls.filter((c) => c.operation === 'save')).toHaveLength(0);
		for (const { itemIndex } of items) {
			const outcome = outcomes.get(itemIndex);
			expect(outcome?.status).toBe('failed');
			expect(outcome).toMatchObject({
				reason: expect.stringMatching(/Cannot verify in X3 .*Check X3 Setup/),
			});
		}
	});
});

// ---------------------------------------------------------------------------------------------------------------
// REST api1

/** A scripted api1: `answer` gets the class and the where clause of each $query. */
function restX3(
	answer: (className: string, where: string) => Array<Record<string, string>> | number,
): Array<{ className: string; where: string }> {
	const calls: Array<{ className: string; where: string }> = [];
	nock(BASE)
		.get((uri) => uri.startsWith(REST_PATH))
		.times(50)
		.reply((request: unknown) => {
			// nock 15 hands reply functions the fetch Request.
			const url = new URL((request as Request).url);
			const className = url.pathname.split('/').pop() ?? '';
			const where = url.searchParams.get('where') ?? '';
			calls.push({ className, where });
			const answered = answer(className, where);
			if (typeof answered === 'number')
				return [answered, { $diagnoses: [{ $severity: 'error', $message: 'Erreur de syntaxe' }] }];
			return [200, { $resources: answered, $links: {} }];
		});
	return calls;
}

describe('REST reader fails closed', () => {
	it('empty answers mean "not found"', async () => {
		const calls = restX3(() => []);
		const found = await gateway('rest').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']);
		expect(found.size).toBe(0);
		expect(calls.map((c) => c.className)).toEqual(['GACCENTRY', 'GACCENTRYD']);
	});

	it.each([
		['a record without the trace property', { NUM: 'JE-1' }, /without the property DES/],
		['an unrelated record', { NUM: 'JE-1', DES: 'Office chairs' }, /whose DES is "Office chairs"/],
		[
			'a record of an id not asked',
			{ NUM: 'JE-1', DES: 'BRXT-Z Taxi' },
			/whose DES is "BRXT-Z Taxi"/,
		],
	])('%s: unverifiable', async (_what, record, message) => {
		restX3((className) => (className === 'GACCENTRYD' ? [record] : []));
		const error = await failure(
			gateway('rest').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B'], { linesOnly: true }),
		);
		expect(error).toBeInstanceOf(X3TraceCheckUnverifiableError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).toMatch(/REST api1 lookup on class GACCENTRYD/);
	});

	it('an entry whose trace property shows another value than asked: unverifiable', async () => {
		restX3((className) => (className === 'GACCENTRY' ? [{ NUM: 'JE-1', BPRVCR: 'BRXS-X' }] : []));
		expect(await failure(gateway('rest').x3.findPostedTraceIds(['BRXS-SET']))).toBeInstanceOf(
			X3TraceCheckUnverifiableError,
		);
	});

	it('a record of another id of the batch counts for that id only', async () => {
		restX3((className) =>
			className === 'GACCENTRYD' ? [{ TYP: 'ODT', NUM: 'JE-2', DES: 'BRXT-B Taxi' }] : [],
		);
		const found = await gateway('rest').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B'], {
			linesOnly: true,
		});
		expect(Object.fromEntries(found)).toEqual({ 'BRXT-B': 'JE-2' });
	});

	it('ids the entry level proved stay found when the line request then fails', async () => {
		restX3((className) =>
			className === 'GACCENTRY' ? [{ TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-A' }] : 400,
		);
		const error = (await failure(
			gateway('rest').x3.findPostedTraceIds(['BRXS-A', 'BRXS-B']),
		)) as X3TraceLookupIncompleteError<string>;
		expect(error).toBeInstanceOf(X3TraceLookupIncompleteError);
		expect(Object.fromEntries(error.found)).toEqual({ 'BRXS-A': 'JE-1' });
		expect(error.failedIds).toEqual(['BRXS-B']);
	});

	it('findJournalEntriesByTraceId keeps the entry found by its header trace when the line query fails', async () => {
		nock(BASE)
			.get(`${REST_PATH}/GACCENTRY('ODT~JE-1')`)
			.query(true)
			.reply(200, { TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-SET', GACCENTRYD: [] });
		restX3((className) =>
			className === 'GACCENTRY' ? [{ TYP: 'ODT', NUM: 'JE-1', BPRVCR: 'BRXS-SET' }] : 400,
		);
		const entries = await gateway('rest').x3.findJournalEntriesByTraceId('BRXS-SET');
		expect(entries.map((e) => e.documentNumber)).toEqual(['JE-1']);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// GraphQL

interface GraphqlAnswer {
	entries?: Array<Record<string, unknown>>;
	lines?: Array<Record<string, unknown>>;
	status?: number;
}

/** A scripted GraphQL X3 for the batched trace document: `answer` gets the variables of each request. */
function graphqlX3(answer: (variables: Record<string, string>) => GraphqlAnswer): string[][] {
	const batches: string[][] = [];
	nock(BASE)
		.post('/xtrem/api')
		.times(20)
		.reply(async (request: unknown) => {
			const body = (await (request as Request).json()) as { variables: Record<string, string> };
			const variables = body.variables;
			batches.push(variables.entryFilter?.match(/BRXT-\w+/g) ?? []);
			const answered = answer(variables);
			if (answered.status)
				return [answered.status, { errors: [{ message: 'Filter too complex' }] }];
			const page = (nodes: Array<Record<string, unknown>> = []) => ({
				edges: nodes.map((node) => ({ node })),
				pageInfo: { hasNextPage: false, endCursor: null },
			});
			const lineSelections: Record<string, unknown> = {};
			for (const name of Object.keys(variables)) {
				const alias = /^lineFilter(\d+)$/.exec(name);
				if (alias)
					lineSelections[`lines${alias[1]}`] = alias[1] === '0' ? page(answered.lines) : page();
			}
			return [
				200,
				{
					data: {
						x3Finance: {
							journalEntry: { query: page(answered.entries) },
							journalEntryLine: { ...lineSelections, query: page(answered.lines) },
						},
					},
				},
			];
		});
	return batches;
}

const line = (description: string | null, number: string | null) => ({
	lineDescription: description,
	journalEntry: { journalEntryNumber: number },
});

describe('GraphQL reader fails closed', () => {
	it('empty answers mean "not found", in one request', async () => {
		const batches = graphqlX3(() => ({}));
		const found = await gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']);
		expect(found.size).toBe(0);
		expect(batches).toHaveLength(1);
	});

	it.each([
		['a line without the trace property', line(null, 'JE-1'), /whose lineDescription is ""/],
		[
			'an unrelated line',
			line('Office chairs', 'JE-1'),
			/whose lineDescription is "Office chairs"/,
		],
		['a line of an id not asked', line('BRXT-Z Taxi', 'JE-1'), /"BRXT-Z Taxi"/],
	])('%s: unverifiable', async (_what, node, message) => {
		graphqlX3(() => ({ lines: [node] }));
		const error = await failure(gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']));
		expect(error).toBeInstanceOf(X3TraceCheckUnverifiableError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).toMatch(/GraphQL lookup on x3Finance.journalEntryLine/);
	});

	it('an entry without its trace property, or with one not asked: unverifiable', async () => {
		for (const entry of [
			{ journalEntryNumber: 'JE-1' },
			{ journalEntryNumber: 'JE-1', sourceDocument: 'BRXS-OTHER' },
		]) {
			nock.cleanAll();
			graphqlX3(() => ({ entries: [entry] }));
			expect(
				await failure(gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B'])),
			).toBeInstanceOf(X3TraceCheckUnverifiableError);
		}
	});

	it('a line of another id of the batch counts for that id only', async () => {
		graphqlX3(() => ({ lines: [line('BRXT-B Taxi', 'JE-2')] }));
		const found = await gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']);
		expect(Object.fromEntries(found)).toEqual({ 'BRXT-B': 'JE-2' });
	});

	it('a failing batch of 160 ids is asked again as two halves: only the half with the bad id fails', async () => {
		const ids = Array.from({ length: 160 }, (_v, i) => `BRXT-${String(i).padStart(14, '0')}`);
		const poisoned = ids[100];
		const batches = graphqlX3((variables) =>
			variables.entryFilter.includes(poisoned)
				? { status: 400 }
				: { lines: [line(`${ids[3]} Taxi`, 'JE-3')] },
		);
		const error = (await failure(
			gateway('graphql').x3.findPostedTraceIds(ids),
		)) as X3TraceLookupIncompleteError<string>;
		expect(error).toBeInstanceOf(X3TraceLookupIncompleteError);
		expect(Object.fromEntries(error.found)).toEqual({ [ids[3]]: 'JE-3' });
		expect(error.failedIds.sort()).toEqual(ids.slice(80).sort());
		expect(batches.map((batch) => batch.length)).toEqual([160, 80, 80]);
	});

	it('a failing batch whose halves both fail throws the X3 error itself', async () => {
		graphqlX3(() => ({ status: 400 }));
		await expect(
			gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']),
		).rejects.toMatchObject({
			kind: 'graphql',
			message: expect.stringContaining('Filter too complex'),
		});
	});

	it('an unverifiable batch is not split (a smaller request would not fix the X3 setup)', async () => {
		const batches = graphqlX3(() => ({ lines: [line('Office chairs', 'JE-1')] }));
		await expect(
			gateway('graphql').x3.findPostedTraceIds(['BRXT-A', 'BRXT-B']),
		).rejects.toBeInstanceOf(X3TraceCheckUnverifiableError);
		expect(batches).toHaveLength(1);
	});

	it('findJournalEntriesByTraceId keeps the entry found by its trace when the line query fails', async () => {
		const entryNode = {
			journalEntryNumber: 'JE-1',
			journalEntryType: { code: 'ODT' },
			sourceDocument: 'BRXS-SET',
			journalEntryLines: { query: { edges: [] } },
		};
		nock(BASE)
			.post('/xtrem/api', (body: { query: string }) => body.query.includes('X3EntriesByTrace'))
			.reply(200, {
				data: {
					x3Finance: {
						journalEntry: {
							query: {
								edges: [{ node: entryNode }],
								pageInfo: { hasNextPage: false, endCursor: null },
							},
						},
					},
				},
			})
			.post('/xtrem/api', (body: { query: string }) => body.query.includes('X3LinesByTrace'))
			.reply(400, { errors: [{ message: 'Regex refused' }] });
		const entries = await gateway('graphql').x3.findJournalEntriesByTraceId('BRXS-SET');
		expect(entries.map((e) => e.documentNumber)).toEqual(['JE-1']);
	});
});
