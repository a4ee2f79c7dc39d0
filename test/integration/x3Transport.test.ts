/**
 * The X3 transports and gateway against the local X3 emulator (SOAP, GraphQL, REST api1), through the same
 * fake n8n context as the unit tests (credentials applied as n8n does, requests sent with fetch).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import { connectedAppTokens } from '../../nodes/common/jwt';
import { runSoapCredentialTest } from '../../nodes/SageX3/transport/credentialTests';
import { X3BusinessError, X3Error } from '../../nodes/SageX3/transport/errors';
import { createX3Gateway } from '../../nodes/SageX3/transport/gateway';
import type { X3GatewayOptions } from '../../nodes/SageX3/transport/gateway';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import type {
	JournalEntryDraft,
	X3Gateway,
	X3ReadApi,
} from '../../nodes/SageX3/transport/gateway.types';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import { startX3Emulator } from '../emulators/x3/server';
import type { X3Emulator } from '../emulators/x3/server';
import { fakeX3Context, recordingSleep } from '../unit/x3FakeContext';

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({ seed: 42 });
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.setFaults({
		poolBusyProbability: 0,
		http500Probability: 0,
		timeoutProbability: 0,
		lockProbability: 0,
		scope: ['soap'],
	});
	resetSharedLimiters();
	connectedAppTokens.clear();
});

function soapCredentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		url: emulator.url,
		endpoint: emulator.config.endpoint,
		poolAlias: emulator.config.poolAlias,
		language: 'ENG',
		user: emulator.config.user,
		password: emulator.config.password,
		maxConcurrentCalls: 4,
		requestTimeoutSeconds: 10,
		...overrides,
	};
}

function connectedAppCredentials(): ICredentialDataDecryptedObject {
	return {
		url: emulator.url,
		endpoint: emulator.config.endpoint,
		clientId: emulator.config.clientId,
		clientSecret: emulator.config.clientSecret,
		user: emulator.config.user,
		audience: emulator.config.audience,
		jwtLifetimeSeconds: 300,
		maxConcurrentCalls: 4,
		requestTimeoutSeconds: 10,
	};
}

function gateway(
	readApi: X3ReadApi,
	options: Partial<X3GatewayOptions> = {},
	soap: ICredentialDataDecryptedObject = {},
): X3Gateway {
	const context = fakeX3Context({
		sageX3Api: soapCredentials(soap),
		sageX3ConnectedAppApi: connectedAppCredentials(),
	});
	return createX3Gateway(context, {
		readApi,
		layout: DEFAULT_X3_LAYOUT,
		soapCredentialType: 'sageX3Api',
		graphqlCredentialType: 'sageX3ConnectedAppApi',
		retry: { sleep: recordingSleep().sleep, random: () => 0 },
		...options,
	});
}

function draft(traceId: string, overrides: Partial<JournalEntryDraft> = {}): JournalEntryDraft {
	return {
		entryType: 'BRX',
		site: 'FR011',
		accountingDate: '2024-03-15',
		currency: 'EUR',
		reference: 'Brex card',
		// DESVCR holds 30 characters.
		description: `"Q" & <t> ]]> 'Zoë' \\ 😀`,
		traceId,
		lines: [
			{
				account: '625700',
				debit: '120.50',
				dimensions: { DEP: 'ENG', CCT: 'CC-PAR' },
				description: 'Lunch at Café Crème',
				lineTraceId: 'BRXT-LINE00000001',
			},
			{
				account: '625100',
				debit: '79.50',
				dimensions: { DEP: 'SAL' },
				description: 'Taxi',
				lineTraceId: 'BRXT-LINE00000002',
			},
			{ account: '467100', credit: '200.00', dimensions: {}, description: 'Brex card liability' },
		],
		...overrides,
	};
}

describe('writes (SOAP save)', () => {
	it('saves a balanced entry with dimensions in layout order, YYYYMMDD dates and the line trace ids first', async () => {
		const posted = await gateway('soap').saveJournalEntry(draft('BRXS-SAVE0000000001'));
		expect(posted.documentNumber).toMatch(/^BRX/);
		expect(posted.lineTraceIds).toEqual(['BRXT-LINE00000001', 'BRXT-LINE00000002']);
		const stored = emulator.state.journalEntries.find(
			(entry) => entry.documentNumber === posted.documentNumber,
		);
		expect(stored).toBeDefined();
		expect(stored!.accountingDate).toBe('20240315');
		expect(stored!.traceValue).toBe('BRXS-SAVE0000000001');
		expect(stored!.description).toBe(`"Q" & <t> ]]> 'Zoë' \\ 😀`);
		expect(
			stored!.lines.map((line) => [
				line.account,
				line.debit,
				line.credit,
				line.dimensions,
				line.description,
			]),
		).toEqual([
			[
				'625700',
				'120.50',
				null,
				{ DEP: 'ENG', CCT: 'CC-PAR' },
				'BRXT-LINE00000001 Lunch at Café Crème',
			],
			['625100', '79.50', null, { DEP: 'SAL' }, 'BRXT-LINE00000002 Taxi'],
			['467100', null, '200.00', {}, 'Brex card liability'],
		]);
		// CCT is the first dimension type of the layout, so it went to CCE1.
		expect(stored!.lines[0].fields).toMatchObject({ CCE1: 'CC-PAR', CCE2: 'ENG' });
	});

	it('also saves in XML payload mode', async () => {
		const posted = await gateway('soap', { payloadFormat: 'xml' }).saveJournalEntry(
			draft('BRXS-XMLMODE0000001'),
		);
		const saves = emulator.soapLog.filter((entry) => entry.operation === 'save');
		const log = saves[saves.length - 1];
		expect(log?.payloadFormat).toBe('xml');
		expect(emulator.state.journalEntries.map((entry) => entry.documentNumber)).toEqual([
			posted.documentNumber,
		]);
	});

	it('surfaces every X3 message of a refused save as X3BusinessError', async () => {
		const error = (await gateway('soap')
			.saveJournalEntry(
				draft('BRXS-REFUSED000001', {
					lines: [
						{ account: '999999', debit: '10.00', dimensions: {} },
						{ account: '625700', credit: '10.00', dimensions: {} },
					],
				}),
			)
			.catch((e: unknown) => e)) as X3BusinessError;
		expect(error).toBeInstanceOf(X3BusinessError);
		expect(error.x3Messages.map((m) => m.message)).toEqual([
			'ACC(1) : Account 999999 : Record does not exist',
			'CCE2(2) : Dimension type DEP is mandatory for account 625700',
		]);
		expect(error.message).toContain('Account 999999 : Record does not exist');
		expect(error.message).toContain('Dimension type DEP is mandatory');
		expect(emulator.state.journalEntries).toHaveLength(0);
	});

	it('creates a supplier numbered by X3 and reads it back', async () => {
		const x3 = gateway('soap');
		const created = await x3.createSupplier({
			name: "O'Brien & Sons <Ltd>",
			category: 'SUPUS',
			country: 'US',
			currency: 'USD',
		});
		expect(created.code).toMatch(/\S/);
		expect(created.name).toBe("O'Brien & Sons <Ltd>");
		await expect(x3.getSupplier(created.code)).resolves.toMatchObject({
			code: created.code,
			name: "O'Brien & Sons <Ltd>",
			isActive: true,
		});
	});

	it('retries a busy pool and saves exactly once', async () => {
		emulator.setFaults({ poolBusyProbability: 1 });
		const waits: number[] = [];
		const posted = await gateway('soap', {
			retry: {
				sleep: async (ms) => {
					waits.push(ms);
					emulator.setFaults({ poolBusyProbability: 0 });
				},
				random: () => 0,
			},
		}).saveJournalEntry(draft('BRXS-BUSY0000000001'));
		expect(waits).toHaveLength(1);
		expect(emulator.stats.faults.poolBusy).toBe(1);
		expect(emulator.state.journalEntries.map((entry) => entry.documentNumber)).toEqual([
			posted.documentNumber,
		]);
	});

	it('after a timeout, finds the entry X3 saved anyway instead of posting it twice', async () => {
		emulator.setFaults({ timeoutProbability: 1, timeoutMs: 1500, scope: ['soap'] });
		const x3 = gateway('graphql', {}, { requestTimeoutSeconds: 0.4 });
		const posted = await x3.saveJournalEntry(draft('BRXS-TIMEOUT000001'));
		expect(emulator.stats.faults.timeouts).toBe(1);
		expect(emulator.state.journalEntries).toHaveLength(1);
		expect(posted.documentNumber).toBe(emulator.state.journalEntries[0].documentNumber);
		expect(posted.traceId).toBe('BRXS-TIMEOUT000001');
	});

	it('after a timeout, when a concurrent run saved the same items too, reports the latest such entry', async () => {
		// The other run's entry first; then this run's save, processed by X3 but answered too late.
		await gateway('soap').saveJournalEntry(draft('BRXS-TIMEOUT000002'));
		emulator.setFaults({ timeoutProbability: 1, timeoutMs: 1500, scope: ['soap'] });
		const x3 = gateway('graphql', {}, { requestTimeoutSeconds: 0.4 });
		const posted = await x3.saveJournalEntry(draft('BRXS-TIMEOUT000002'));
		const numbers = emulator.state.journalEntries.map((entry) => entry.documentNumber);
		expect(numbers).toHaveLength(2);
		// The later one may be this run's: reporting it lets the check after the save withdraw it.
		expect(posted.documentNumber).toBe(numbers[1]);
	});

	it('keeps SOAP calls within the pool size, so X3 never answers busy', async () => {
		emulator.settings.poolSize = 2;
		emulator.settings.poolWaitMs = 0;
		emulator.setFaults({ latency: { otherMs: 30, saveMs: 0, jitterMs: 0 } });
		emulator.resetStats();
		try {
			const x3 = gateway('soap', {}, { maxConcurrentCalls: 2 });
			const codes = [...emulator.state.suppliers.keys()].slice(0, 10);
			const found = await Promise.all(codes.map((code) => x3.getSupplier(code)));
			expect(found.map((supplier) => supplier?.code)).toEqual(codes);
			expect(emulator.stats.pool.busyAnswers).toBe(0);
			expect(emulator.stats.pool.peak).toBe(2);
		} finally {
			emulator.settings.poolSize = 4;
			emulator.setFaults({ latency: { otherMs: 0, saveMs: 0, jitterMs: 0 } });
		}
	});
});

describe.each(['soap', 'graphql', 'rest'] as const)('reads through %s', (readApi) => {
	it('gets a supplier by code, and null for an unknown one', async () => {
		const [code, seeded] = [...emulator.state.suppliers.entries()][0];
		const x3 = gateway(readApi);
		await expect(x3.getSupplier(code)).resolves.toEqual({
			code,
			name: seeded.name,
			shortName: seeded.shortName,
			category: seeded.category,
			country: readApi === 'graphql' ? seeded.country : seeded.country,
			currency: seeded.currency,
			isActive: true,
		});
		await expect(x3.getSupplier('NOSUCHSUPPLIER')).resolves.toBeNull();
	});

	it('finds suppliers by name whatever the case and accents, and by code prefix', async () => {
		const x3 = gateway(readApi);
		const byName = await x3.searchSuppliers({ name: 'CAFE CREME' });
		expect(byName.map((supplier) => supplier.name)).toEqual(
			[...emulator.state.suppliers.values()]
				.filter((s) => s.name.startsWith('Café Crème'))
				.map((s) => s.name),
		);
		expect(byName.length).toBeGreaterThan(0);
		const byCode = await x3.searchSuppliers({ code: 'BRX0000', limit: 5 });
		expect(byCode).toHaveLength(5);
		expect(byCode.every((supplier) => supplier.code.startsWith('BRX0000'))).toBe(true);
	});

	it('reads accounts and dimensions', async () => {
		const x3 = gateway(readApi);
		const account = await x3.getAccount('625700');
		expect(account).toMatchObject({
			chart: 'CA_FRA',
			code: '625700',
			description: 'Meals and entertainment',
			isActive: true,
		});
		// GraphQL names no standard property for required dimensions (configurable, off by default).
		expect(account?.requiredDimensionTypes).toEqual(readApi === 'graphql' ? [] : ['DEP']);
		await expect(x3.getAccount('000000')).resolves.toBeNull();
		const accounts = await x3.searchAccounts({ code: '6257' });
		expect(accounts.map((a) => a.code)).toEqual(['625700']);
		const described = await x3.searchAccounts({ description: 'LODGING' });
		expect(described.map((a) => a.code)).toEqual(['625600']);
		const dimensions = await x3.searchDimensions('DEP', { description: 'engineer' });
		expect(dimensions).toEqual([
			{ type: 'DEP', code: 'ENG', description: 'Engineering', isActive: true },
		]);
		const types = await x3.listDimensionTypes();
		expect(types.map((t) => t.code).sort()).toEqual(['CCT', 'DEP', 'PRJ']);
	});

	it('finds posted trace ids at entry and line level in batches', async () => {
		const writer = gateway('soap');
		const first = await writer.saveJournalEntry(draft('BRXS-FIND0000000001'));
		const second = await writer.saveJournalEntry(
			draft('BRXS-FIND0000000002', {
				lines: [
					{
						account: '625700',
						debit: '5.00',
						dimensions: { DEP: 'FIN' },
						lineTraceId: 'BRXT-FINDLINE00003',
					},
					{ account: '467100', credit: '5.00', dimensions: {} },
				],
			}),
		);
		emulator.resetStats();
		const unknown = Array.from({ length: 60 }, (_v, i) => `BRXT-NOPE${String(i).padStart(9, '0')}`);
		const found = await gateway(readApi).findPostedTraceIds([
			'BRXS-FIND0000000001',
			'BRXT-LINE00000002',
			'BRXT-FINDLINE00003',
			...unknown,
		]);
		expect(Object.fromEntries(found)).toEqual({
			'BRXS-FIND0000000001': first.documentNumber,
			'BRXT-LINE00000002': first.documentNumber,
			'BRXT-FINDLINE00003': second.documentNumber,
		});
		const calls = Object.values(emulator.stats.calls[readApi]).reduce(
			(sum, count) => sum + count,
			0,
		);
		if (readApi === 'graphql') {
			// 63 ids: one request, whose line filter is two regexes (aliased selections) under the length cap.
			expect(emulator.stats.http.requests).toBe(1);
			expect(emulator.stats.calls.graphql['x3Finance.journalEntry.query']).toBe(1);
			expect(emulator.stats.calls.graphql['x3Finance.journalEntryLine.query']).toBe(2);
		}
		if (readApi === 'rest') expect(calls).toBeLessThanOrEqual(4);
		if (readApi === 'soap') expect(calls).toBeGreaterThanOrEqual(63);
	});

	it('lists every entry holding a trace id (an item posted twice), and removes one of them', async () => {
		const writer = gateway('soap');
		const line = (lineTraceId: string): Partial<JournalEntryDraft> => ({
			lines: [
				{ account: '625700', debit: '5.00', dimensions: { DEP: 'FIN' }, lineTraceId },
				{ account: '467100', credit: '5.00', dimensions: {} },
			],
		});
		const first = await writer.saveJournalEntry(
			draft('BRXS-TWICE000000001', line('BRXT-TWICELINE0001')),
		);
		const second = await writer.saveJournalEntry(
			draft('BRXS-TWICE000000002', line('BRXT-TWICELINE0001')),
		);
		const reader = gateway(readApi);
		const holders = await reader.findTraceHolders([
			'BRXT-TWICELINE0001',
			'BRXS-TWICE000000002',
			'BRXT-NOPE000000001',
		]);
		expect(Object.fromEntries(holders)).toEqual({
			'BRXT-TWICELINE0001': [first.documentNumber, second.documentNumber],
			'BRXS-TWICE000000002': [second.documentNumber],
		});
		// The first holder is what findPostedTraceIds reports.
		expect(
			(await reader.findPostedTraceIds(['BRXT-TWICELINE0001'])).get('BRXT-TWICELINE0001'),
		).toBe(first.documentNumber);

		await reader.deleteJournalEntry({ documentNumber: second.documentNumber, entryType: 'BRX' });
		// Removing it again (a retried delete) is no error.
		await reader.deleteJournalEntry({ documentNumber: second.documentNumber, entryType: 'BRX' });
		expect(emulator.ledger().entries.map((entry) => entry.documentNumber)).toEqual([
			first.documentNumber,
		]);
		expect(Object.fromEntries(await reader.findTraceHolders(['BRXT-TWICELINE0001']))).toEqual({
			'BRXT-TWICELINE0001': [first.documentNumber],
		});
	});

	it('reads entries back by trace id with their lines, and lists traced entries by date', async () => {
		const writer = gateway('soap');
		const posted = await writer.saveJournalEntry(draft('BRXS-READ0000000001'));
		await writer.saveJournalEntry(draft('BRXS-READ0000000002', { accountingDate: '2024-04-02' }));
		const x3 = gateway(readApi);
		const [entry] = await x3.findJournalEntriesByTraceId('BRXS-READ0000000001');
		expect(entry).toMatchObject({
			documentNumber: posted.documentNumber,
			entryType: 'BRX',
			traceId: 'BRXS-READ0000000001',
			accountingDate: '2024-03-15',
			currency: 'EUR',
			lineTraceIds: ['BRXT-LINE00000001', 'BRXT-LINE00000002'],
		});
		expect(
			entry.lines?.map((line) => [line.account, line.debit, line.credit, line.dimensions]),
		).toEqual([
			['625700', '120.50', null, { DEP: 'ENG', CCT: 'CC-PAR' }],
			['625100', '79.50', null, { DEP: 'SAL' }],
			['467100', null, '200.00', {}],
		]);
		const byLine = await x3.findJournalEntriesByTraceId('BRXT-LINE00000002');
		expect(byLine.map((e) => e.documentNumber)).toContain(posted.documentNumber);
		const march = await x3.listTracedJournalEntries({ from: '2024-03-01', to: '2024-03-31' });
		expect(march.map((e) => e.traceId)).toEqual(['BRXS-READ0000000001']);
		expect(march[0].lines).toHaveLength(3);
	});
});

describe('SOAP trace lookups on a left list without the line trace field', () => {
	it('verify a line-level hit by reading its entry back (by entry type + number), once per entry', async () => {
		const writer = gateway('soap');
		const posted = await writer.saveJournalEntry(draft('BRXS-LEFTLIST000001'));
		emulator.resetStats();
		const found = await gateway('soap').findPostedTraceIds(
			['BRXT-LINE00000001', 'BRXT-LINE00000002', 'BRXT-NOPE000000001'],
			{ linesOnly: true },
		);
		expect(Object.fromEntries(found)).toEqual({
			'BRXT-LINE00000001': posted.documentNumber,
			'BRXT-LINE00000002': posted.documentNumber,
		});
		// One query per id; the two ids of one entry share its read-back.
		expect(emulator.stats.calls.soap).toMatchObject({ query: 3, read: 1 });
	});
});

describe('reads that need more than the layout', () => {
	it('lists sites and entry types over GraphQL', async () => {
		const x3 = gateway('graphql');
		await expect(x3.listSites()).resolves.toEqual(
			expect.arrayContaining([{ code: 'FR011', name: 'Paris HQ' }]),
		);
		await expect(x3.listEntryTypes()).resolves.toEqual(
			expect.arrayContaining([{ code: 'BRX', description: 'Brex card spend' }]),
		);
	});

	it('says clearly that SOAP needs a publication for sites', async () => {
		await expect(gateway('soap').listSites()).rejects.toThrow(
			'No SOAP publication is configured for sites',
		);
	});
});

describe('credential tests against the emulator', () => {
	const settings = () => ({
		baseUrl: emulator.url,
		poolAlias: emulator.config.poolAlias,
		language: 'ENG',
		timeoutMs: 5000,
	});
	const sender = (overrides: ICredentialDataDecryptedObject = {}) =>
		createCredentialSender(fakeX3Context({ sageX3Api: soapCredentials(overrides) }), 'sageX3Api');

	it('passes with the right settings', async () => {
		await expect(runSoapCredentialTest(sender(), settings())).resolves.toEqual({
			status: 'OK',
			message: 'Connected: pool "BREX" answered and publication YGAS is available',
		});
	});

	it('explains a wrong password without echoing it', async () => {
		const result = await runSoapCredentialTest(sender({ password: 'wrong-secret' }), settings());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/basic auth not enabled in nodelocal\.js or wrong user\/password/,
		);
		expect(result.message).not.toContain('wrong-secret');
	});

	it('names an unknown pool alias', async () => {
		const result = await runSoapCredentialTest(sender(), { ...settings(), poolAlias: 'WS_NOPE' });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('The SOAP pool alias "WS_NOPE" is unknown'),
		});
	});

	it('reports a wrong path and an unreachable server', async () => {
		const wrongPath = await runSoapCredentialTest(sender(), {
			...settings(),
			baseUrl: `${emulator.url}/x3`,
		});
		expect(wrongPath.message).toMatch(/HTTP 404.*check the server URL and port/);
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const closed = await runSoapCredentialTest(sender(), {
			...settings(),
			baseUrl: `http://127.0.0.1:${port}`,
		});
		expect(closed).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Cannot reach http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/),
		});
	});

	it('the connected-app test request is accepted by X3 with a signed token', async () => {
		const credential = new SageX3ConnectedAppApi();
		const send = createCredentialSender(
			fakeX3Context({ sageX3ConnectedAppApi: connectedAppCredentials() }),
			'sageX3ConnectedAppApi',
		);
		const response = await send({
			method: 'POST',
			url: `${emulator.url}/xtrem/api`,
			headers: credential.test.request.headers as Record<string, string>,
			body: JSON.stringify(credential.test.request.body),
		});
		expect(response.statusCode).toBe(200);
		expect(JSON.parse(response.body)).toEqual({ data: { __typename: 'Query' } });
	});
});

describe('errors', () => {
	it('GraphQL schema drift shows every GraphQL message', async () => {
		const x3 = gateway('graphql', { graphqlNames: { supplier: { name: 'companyName9' } } });
		const error = (await x3.getSupplier('BRX00001').catch((e: unknown) => e)) as X3Error;
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('graphql');
		expect(error.message).toContain('companyName9');
	});
});
