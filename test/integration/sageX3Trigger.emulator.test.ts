/**
 * The Sage X3 Trigger's poll function against the X3 emulator, on GraphQL (delta reads by _updateStamp) and on
 * SOAP (full listings compared by content hash): a folder of 40 GL accounts and two dimension types; the first
 * poll emits everything, a rename and a close make the next poll emit exactly those two, an unchanged folder
 * emits nothing, a failed poll keeps the state, a manual run shows a sample and stores nothing. n8n's poll
 * context is a stand-in; every X3 call is real HTTP to the emulator (credentials applied as n8n does).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { SageX3Trigger } from '../../nodes/SageX3Trigger/SageX3Trigger.node';
import { CHANGE_STATE_KEY } from '../../nodes/SageX3Trigger/poller';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import { changeMasterData, startX3Emulator } from '../emulators/x3/testkit';
import type { X3Emulator } from '../emulators/x3/server';
import { DOCUMENTED_X3_SETUP } from '../support/documentedX3Setup';
import { x3Credentials } from '../support/n8nCoreHarness';
import { TEST_NODE, fakeX3Context } from '../unit/x3FakeContext';

const trigger = new SageX3Trigger();
const ACCOUNT_COUNT = 40;
const TYPES = ['CCT', 'DEP'];

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({ seed: 42 });
});

afterAll(async () => {
	await emulator?.close();
});

/** The seeded folder plus accounts up to 40 in the chart. */
function fortyAccounts(): void {
	const chart = emulator.layout.chartOfAccounts;
	for (let n = 1; emulator.state.accounts.size < ACCOUNT_COUNT; n++) {
		changeMasterData(emulator.state, {
			kind: 'account',
			action: 'add',
			chart,
			code: `6${String(n).padStart(5, '0')}`,
			label: `Expense account ${n}`,
		});
	}
}

beforeEach(() => {
	emulator.reset();
	emulator.resetStats();
	resetSharedLimiters();
	fortyAccounts();
});

interface PollRun {
	staticData: IDataObject;
	poll(
		mode?: 'trigger' | 'manual',
		credentialPatch?: Record<string, string>,
	): Promise<INodeExecutionData[][] | null>;
	requestBodies: string[];
}

function pollRunner(parameters: IDataObject): PollRun {
	const staticData: IDataObject = {};
	const requestBodies: string[] = [];
	return {
		staticData,
		requestBodies,
		async poll(mode = 'trigger', credentialPatch = {}) {
			const credentials = x3Credentials(emulator);
			for (const type of Object.keys(credentials))
				credentials[type] = { ...credentials[type], ...credentialPatch };
			const base = fakeX3Context(credentials);
			const context = {
				...base,
				getNode: () => ({ ...TEST_NODE, name: 'Sage X3 Trigger', parameters }),
				getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
				getMode: () => mode,
				getWorkflowStaticData: () => staticData,
				logger: { debug() {}, info() {}, warn() {}, error() {} },
			} as unknown as IPollFunctions;
			try {
				return await trigger.poll.call(context);
			} finally {
				requestBodies.push(...base.requests.map((request) => request.body ?? request.url));
			}
		},
	};
}

function items(output: INodeExecutionData[][] | null): IDataObject[] {
	return output === null ? [] : output[0].map((item) => item.json);
}

function folderSize(): number {
	const values = [...emulator.state.dimensions.values()].filter((d) => TYPES.includes(d.type));
	return emulator.state.accounts.size + values.length;
}

describe.each(['graphql', 'soap', 'rest'] as const)('Sage X3 Trigger over %s', (readApi) => {
	const parameters = (options: IDataObject = {}): IDataObject => ({
		readApi,
		watch: ['account', 'dimension'],
		dimensionTypes: TYPES,
		options,
	});

	it('first poll: everything; then only the renamed and the closed record; then nothing', async () => {
		const run = pollRunner(parameters());
		const first = items(await run.poll());
		expect(emulator.state.accounts.size).toBe(ACCOUNT_COUNT);
		expect(first).toHaveLength(folderSize());
		expect(first.filter((item) => item.kind === 'account')).toHaveLength(ACCOUNT_COUNT);
		expect(new Set(first.map((item) => item.change))).toEqual(new Set(['new']));
		expect(
			new Set(first.filter((i) => i.kind === 'dimension').map((i) => i.dimensionType)),
		).toEqual(new Set(TYPES));
		const travel = first.find((item) => item.code === '625100')!;
		expect(travel).toEqual({
			kind: 'account',
			code: '625100',
			label: 'Travel - transport',
			active: true,
			chart: 'CA_FRA',
			updatedAt: '2024-01-02T08:00:00.000Z',
			change: 'new',
		});
		// The seeded inactive department is emitted too, as inactive.
		expect(first.find((item) => item.code === 'OLD')).toMatchObject({
			active: false,
			change: 'new',
		});

		expect(await run.poll()).toBeNull();

		changeMasterData(emulator.state, {
			kind: 'account',
			action: 'rename',
			code: '625100',
			label: 'Travel and transport',
		});
		changeMasterData(emulator.state, {
			kind: 'dimension',
			action: 'close',
			type: 'DEP',
			code: 'ENG',
		});
		const next = items(await run.poll());
		expect(next.map(({ updatedAt, ...rest }) => rest)).toEqual([
			{
				kind: 'account',
				code: '625100',
				label: 'Travel and transport',
				active: true,
				chart: 'CA_FRA',
				change: 'changed',
			},
			{
				kind: 'dimension',
				code: 'ENG',
				label: emulator.state.getDimension('DEP', 'ENG')!.description,
				active: false,
				dimensionType: 'DEP',
				change: 'closed',
			},
		]);
		for (const item of next)
			expect(Date.parse(String(item.updatedAt))).toBeGreaterThan(Date.parse('2025-01-01'));

		expect(await run.poll()).toBeNull();
		if (readApi === 'graphql') {
			// After the first poll, GraphQL reads only behind the stamp cursor.
			expect(
				run.requestBodies.filter((body) => body.includes('_updateStamp') && body.includes('_gte')),
			).not.toHaveLength(0);
		}
	});

	it('a failed poll throws and keeps the state; the next poll emits what it missed', async () => {
		const run = pollRunner(parameters());
		await run.poll();
		const before = JSON.parse(JSON.stringify(run.staticData));
		changeMasterData(emulator.state, { kind: 'account', action: 'close', code: '445660' });
		const badCredential: Record<string, string> =
			readApi === 'graphql' ? { clientSecret: 'not-the-secret' } : { password: 'wrong' };
		await expect(run.poll('trigger', badCredential)).rejects.toThrow();
		expect(run.staticData).toEqual(before);
		expect(items(await run.poll()).map((item) => [item.code, item.change, item.active])).toEqual([
			['445660', 'closed', false],
		]);
	});

	it('a listing longer than Max Records per Kind fails the poll rather than report the rest as deleted', async () => {
		const params = parameters({ fullReadEvery: 1 });
		const run = pollRunner(params);
		await run.poll();
		const before = JSON.parse(JSON.stringify(run.staticData));
		params.options = { fullReadEvery: 1, maxRecordsPerKind: ACCOUNT_COUNT - 10 };
		await expect(run.poll()).rejects.toThrow(`more than ${ACCOUNT_COUNT - 10} GL accounts`);
		expect(run.staticData).toEqual(before);
	});

	it('a manual run shows a sample and stores nothing: activation still starts with everything', async () => {
		const run = pollRunner(parameters());
		const sample = items(await run.poll('manual'));
		expect(sample.length).toBeGreaterThan(0);
		expect(sample.length).toBeLessThanOrEqual(10);
		expect(run.staticData).toEqual({});
		expect(items(await run.poll())).toHaveLength(folderSize());
		expect(run.staticData[CHANGE_STATE_KEY]).toBeDefined();
	});

	it('a value deleted in X3 is emitted closed on the next full comparison', async () => {
		const run = pollRunner(parameters({ fullReadEvery: 1 }));
		await run.poll();
		changeMasterData(emulator.state, {
			kind: 'dimension',
			action: 'delete',
			type: 'CCT',
			code: [...emulator.state.dimensions.values()].find((d) => d.type === 'CCT')!.code,
		});
		const next = items(await run.poll());
		expect(next).toEqual([
			expect.objectContaining({
				kind: 'dimension',
				dimensionType: 'CCT',
				active: false,
				change: 'closed',
				deleted: true,
			}),
		]);
	});
});

describe('Sage X3 Trigger over SOAP with suppliers', () => {
	it('emits suppliers, and a new and a renamed one on the next poll', async () => {
		const run = pollRunner({ readApi: 'soap', watch: ['supplier'], options: {} });
		const first = items(await run.poll());
		expect(first).toHaveLength(emulator.state.suppliers.size);
		changeMasterData(emulator.state, {
			kind: 'supplier',
			action: 'add',
			code: 'NEWSUP1',
			label: 'New Supplier Inc',
		});
		changeMasterData(emulator.state, {
			kind: 'supplier',
			action: 'rename',
			code: 'BRX00001',
			label: 'Acme Corporation',
		});
		expect(items(await run.poll()).map((item) => [item.code, item.label, item.change])).toEqual([
			['BRX00001', 'Acme Corporation', 'changed'],
			['NEWSUP1', 'New Supplier Inc', 'new'],
		]);
	});
});

describe('Sage X3 Trigger over SOAP on the documented emulator (left lists without ENAFLG)', () => {
	let documented: X3Emulator;

	beforeAll(async () => {
		documented = await startX3Emulator({ personality: 'documented' });
	});

	afterAll(async () => {
		await documented?.close();
	});

	it('reads each listed record to learn its active flag, and sees a closing', async () => {
		// pollRunner points at `emulator`: this test lends it the documented one.
		const shared = emulator;
		emulator = documented;
		try {
			documented.reset();
			documented.resetStats();
			const run = pollRunner({
				readApi: 'soap',
				watch: ['account', 'supplier'],
				x3Setup: DOCUMENTED_X3_SETUP,
				options: {},
			});
			const first = items(await run.poll());
			const records = documented.state.accounts.size + documented.state.suppliers.size;
			expect(first).toHaveLength(records);
			expect(documented.stats.calls.soap.query).toBe(2);
			// The left lists (GAC: COA ACC DES DESSHO; BPS: BPSNUM BPSNAM BSGCOD) lack ENAFLG: one read per record.
			expect(documented.stats.calls.soap.read).toBe(records);
			expect(first.find((item) => item.code === '471000')).toMatchObject({ active: false });

			changeMasterData(documented.state, { kind: 'supplier', action: 'close', code: 'BRX00002' });
			expect(items(await run.poll()).map((item) => [item.kind, item.code, item.change])).toEqual([
				['supplier', 'BRX00002', 'closed'],
			]);
		} finally {
			emulator = shared;
		}
	});
});
