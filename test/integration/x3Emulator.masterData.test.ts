/**
 * The X3 emulator's master-data test API (test/emulators/x3/masterData.ts) and the update stamps it moves, as
 * each read API shows them: GraphQL `_updateStamp` (filterable), SOAP `UPDDATTIM` (read; in query rows on the
 * lenient personality), REST `UPDDATTIM` (filterable with an SData datetime literal).
 */
import {
	changeMasterData,
	graphql,
	restGet,
	soapCall,
	startX3Emulator,
} from '../emulators/x3/testkit';
import type { X3Emulator } from '../emulators/x3/server';

const JSON_MODE = 'adxwss.optreturn=JSON';
const SEEDED = '2024-01-02T08:00:00.000Z';
let emulator: X3Emulator;
let clock = Date.parse('2026-12-01T10:00:00.000Z');

beforeAll(async () => {
	emulator = await startX3Emulator({ clock: () => new Date(clock) });
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => emulator.reset());

async function control(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
	const response = await fetch(`${emulator.url}/__emulator/master-data`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function graphqlAccounts(filter: string): Promise<Array<Record<string, unknown>>> {
	const answer = await graphql(
		emulator.url,
		'query($filter: String) { x3FinanceData { account { query(filter: $filter, first: 500) { edges { node { code description isActive _updateStamp } } } } } }',
		{ filter },
	);
	return answer
		.json()
		.data.x3FinanceData.account.query.edges.map((edge: { node: unknown }) => edge.node);
}

describe('master-data test API', () => {
	it('renames over HTTP and moves the update stamp; refuses unknown records', async () => {
		clock += 60_000;
		const renamed = await control({
			kind: 'account',
			action: 'rename',
			code: '625100',
			label: 'Travel',
		});
		expect(renamed.status).toBe(200);
		expect(renamed.json).toMatchObject({
			code: '625100',
			description: 'Travel',
			updatedAt: new Date(clock).toISOString(),
		});
		expect(emulator.state.getAccount('625100')!.description).toBe('Travel');

		expect(await control({ kind: 'account', action: 'close', code: 'NOPE' })).toEqual({
			status: 400,
			json: { error: 'account NOPE does not exist' },
		});
		expect(
			(await control({ kind: 'dimension', action: 'add', type: 'ZZZ', code: 'X' })).status,
		).toBe(400);
	});

	it('closing is the ENAFLG flag; a rename keeps a closed record closed; reset restores the seed', () => {
		changeMasterData(emulator.state, { kind: 'supplier', action: 'close', code: 'BRX00001' });
		changeMasterData(emulator.state, {
			kind: 'supplier',
			action: 'rename',
			code: 'BRX00001',
			label: 'Acme',
		});
		expect(emulator.state.suppliers.get('BRX00001')).toMatchObject({
			name: 'Acme',
			isActive: false,
		});
		changeMasterData(emulator.state, {
			kind: 'dimension',
			action: 'add',
			type: 'DEP',
			code: 'NEW',
			label: 'New dept',
		});
		emulator.reset();
		expect(emulator.state.getDimension('DEP', 'NEW')).toBeUndefined();
		expect(emulator.state.suppliers.get('BRX00001')).toMatchObject({
			name: 'Acme Corp',
			isActive: true,
		});
	});
});

describe('update stamps on every read API', () => {
	beforeEach(() => {
		clock += 60_000;
		changeMasterData(emulator.state, { kind: 'account', action: 'close', code: '512000' });
	});

	it('GraphQL: _updateStamp, and a filter on it selects the changed account only', async () => {
		const since = new Date(clock - 1000).toISOString();
		expect(await graphqlAccounts(`{_updateStamp: {_gte: '${since}'}}`)).toEqual([
			{
				code: '512000',
				description: 'Bank',
				isActive: false,
				_updateStamp: new Date(clock).toISOString(),
			},
		]);
		const all = await graphqlAccounts('{}');
		expect(all.find((account) => account.code === '625100')?._updateStamp).toBe(SEEDED);
	});

	it('SOAP: UPDDATTIM and ENAFLG in read and (lenient) query rows', async () => {
		const read = await soapCall(emulator.url, 'read', {
			publicName: 'YGAC',
			keys: [{ key: 'ACC', value: '512000' }],
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(read.resultXml!).GAC0_1).toMatchObject({
			ENAFLG: '1',
			UPDDATTIM: `${new Date(clock).toISOString().slice(0, 19)}Z`,
		});
		const query = await soapCall(emulator.url, 'query', {
			publicName: 'YCCE',
			keys: [{ key: 'DIE', value: 'DEP' }],
			listSize: 5,
			requestConfig: JSON_MODE,
		});
		expect(JSON.parse(query.resultXml!)[0]).toMatchObject({ UPDDATTIM: '2024-01-02T08:00:00Z' });
	});

	it('REST: UPDDATTIM on the resource, usable in where with a datetime literal', async () => {
		const since = new Date(clock - 1000).toISOString();
		const url =
			`${emulator.config.restUrl}/GACCOUNT?representation=GACCOUNT.$query&count=200` +
			`&where=${encodeURIComponent(`UPDDATTIM ge @${since}@`)}`;
		const answer = await restGet(url);
		expect(answer.status).toBe(200);
		expect(
			answer.json.$resources.map((r: Record<string, unknown>) => [r.ACC, r.ENAFLG, r.UPDDATTIM]),
		).toEqual([['512000', 1, new Date(clock).toISOString()]]);
	});
});
