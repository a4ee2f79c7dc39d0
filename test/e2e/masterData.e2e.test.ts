/**
 * Issue 15 in a real n8n (the pinned 2.x): the template workflows/x3-master-data-to-brex.json, imported as it is
 * (only its Brex field IDs filled in), keeps Brex fields holding exactly the active X3 GL accounts and the values
 * of two dimension types, keyed by the X3 code as remote_id.
 *
 * X3 (the emulator) holds 40 accounts (one closed) and the dimension types DEP and CCT. The Brex fields are
 * created the way the template's note says (Brex node, Field → Create). The first poll of the Sage X3 Trigger fills
 * Brex; an account renamed and one closed in X3 reach Brex in the next poll's single run; X3 and Brex then drift
 * while the workflow is off, the full re-sync repairs it, and a second full re-sync changes nothing.
 * An expense and an accounting record coded in Brex with the synced values (the renamed account, a DEP and a CCT
 * value) are then posted by Post Spend (Brex Coding) in a small workflow built from the nodes. Every check
 * compares the Brex emulator's values with the X3 emulator's records; the figures of each run are printed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { fieldsOf } from '../emulators/brex/fields';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { changeMasterData, startX3Emulator, type X3Emulator } from '../emulators/x3/testkit';
import { CODED_POST_SPEND } from '../support/codedPosting';
import { N8nInstance, nodeOutput, type ExecutionSummary } from './lib/n8nInstance';
import { packageNodeType, stableUuid } from './lib/workflows';
import {
	MASTER_DATA_FAILURE_TABLE,
	MASTER_DATA_NODES,
	MASTER_DATA_TEMPLATE_FILE,
} from './masterData/template';
import {
	DataTables,
	emulatorCredentials,
	emulatorEndpoints,
	readTemplate,
	runManually,
	templateCredential,
	templateNode,
	type Template,
} from './sync/stack';

jest.setTimeout(5 * 60_000);

const NODES = MASTER_DATA_NODES;
const ACCOUNT_COUNT = 40;
const SETUP_WORKFLOW = 'MdE2eFieldSetup1';

/** The Brex fields the test creates as the template's note says, by the Sync node that fills each. */
const FIELDS = [
	{ sync: NODES.syncAccounts, name: 'GL account', remoteId: 'GL_ACCOUNT', list: 'accounts' },
	{ sync: NODES.syncDep, name: 'Department', remoteId: 'DEPARTMENT', list: 'DEP' },
	{ sync: NODES.syncCct, name: 'Cost center', remoteId: 'COST_CENTER', list: 'CCT' },
] as const;
type ListName = (typeof FIELDS)[number]['list'];

const template: Template = readTemplate(MASTER_DATA_TEMPLATE_FILE);
let brex: BrexEmulator;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;
const fieldIds = new Map<ListName, string>();

function log(message: string): void {
	console.log(`[master-data e2e] ${message}`);
}

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

/** The active X3 records of one list, code → label (what Brex must hold enabled). */
function activeInX3(list: ListName): Record<string, string> {
	const active: Record<string, string> = {};
	if (list === 'accounts') {
		for (const account of x3.state.accounts.values())
			if (account.isActive) active[account.code] = account.description;
	} else {
		for (const dimension of x3.state.dimensions.values())
			if (dimension.type === list && dimension.isActive)
				active[dimension.code] = dimension.description;
	}
	return active;
}

/** The enabled values of a Brex field, remote_id → name. */
function enabledInBrex(list: ListName): Record<string, string> {
	const values = fieldsOf(brex.state).values.get(fieldIds.get(list) ?? '') ?? new Map();
	const enabled: Record<string, string> = {};
	for (const value of values.values())
		if (!value.is_disabled && value.remote_id) enabled[value.remote_id] = value.value;
	return enabled;
}

function expectBrexMatchesX3(): void {
	for (const { list } of FIELDS)
		expect({ list, values: enabledInBrex(list) }).toEqual({ list, values: activeInX3(list) });
}

/** Calls the emulators counted since the last reset: Brex Fields API routes, X3 calls of every API. */
function callCounts(): { brex: number; x3: number } {
	const brexCalls = Object.entries(brex.stats.byRoute)
		.filter(([route]) => route.includes('/v1/fields'))
		.reduce((sum, [, count]) => sum + count, 0);
	const x3Calls = Object.values(x3.stats.calls)
		.flatMap((byOperation) => Object.values(byOperation))
		.reduce((sum, count) => sum + count, 0);
	return { brex: brexCalls, x3: x3Calls };
}

function resetCallCounts(): void {
	brex.stats.reset();
	x3.resetStats();
}

interface RunFigures {
	created: number;
	renamed: number;
	disabled: number;
	reenabled: number;
	brexCalls: number;
}

/** The Summary items of an execution added up (one per list synced), after checking nothing failed. */
function runFigures(label: string, execution: ExecutionSummary): RunFigures {
	expect({ label, status: execution.status }).toEqual({ label, status: 'success' });
	expect({ label, failures: nodeOutput(execution, NODES.failure) }).toEqual({
		label,
		failures: [],
	});
	const summaries = nodeOutput(execution, NODES.summary);
	const sum = (key: keyof RunFigures) =>
		summaries.reduce((total, item) => total + Number(item[key] ?? 0), 0);
	const figures = {
		created: sum('created'),
		renamed: sum('renamed'),
		disabled: sum('disabled'),
		reenabled: sum('reenabled'),
		brexCalls: sum('brexCalls'),
	};
	const calls = callCounts();
	log(
		`${label}: ${summaries.length} lists synced; values created ${figures.created}, renamed ${figures.renamed}, ` +
			`disabled ${figures.disabled}, re-enabled ${figures.reenabled}; Brex calls ${calls.brex} ` +
			`(the nodes counted ${figures.brexCalls}), X3 calls ${calls.x3}`,
	);
	// No faults are injected: every call the sync nodes made reached the emulator once.
	expect(figures.brexCalls).toBe(calls.brex);
	return figures;
}

/** Creates the three Brex fields through n8n, as the template's note says (Brex node, Field → Create). */
async function createBrexFields(): Promise<void> {
	const credential = templateCredential(template, 'brexApi');
	const start = {
		id: stableUuid(`${SETUP_WORKFLOW}/start`),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const creates = FIELDS.map((field, index) => ({
		id: stableUuid(`${SETUP_WORKFLOW}/${field.list}`),
		name: `Create ${field.name}`,
		type: packageNodeType('brex'),
		typeVersion: 1,
		position: [240 * (index + 1), 0] as [number, number],
		parameters: {
			authentication: 'accessToken',
			resource: 'field',
			operation: 'create',
			name: field.name,
			group: 'ACCOUNTING',
			remoteId: field.remoteId,
			options: {},
		},
		credentials: { brexApi: credential },
	}));
	const chain = [start, ...creates];
	const connections = Object.fromEntries(
		chain
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	const n = instance();
	await n.importWorkflows([
		{ id: SETUP_WORKFLOW, name: 'Create the Brex fields', nodes: chain, connections },
	]);
	const execution = await runManually(n, SETUP_WORKFLOW, 'Start');
	for (const field of FIELDS) {
		const [created] = nodeOutput(execution, `Create ${field.name}`);
		expect(created).toMatchObject({
			name: field.name,
			remote_id: field.remoteId,
			group: 'ACCOUNTING',
		});
		fieldIds.set(field.list, String(created.brex_id));
	}
}

/** The template with the Brex field IDs filled in, the only edit its note asks for. */
function templateWithFieldIds(): Template {
	const filled = JSON.parse(JSON.stringify(template)) as Template;
	for (const field of FIELDS) {
		const node = templateNode(filled, field.sync);
		expect(String(node.parameters.fieldId)).toMatch(/^SET_BREX_FIELD_ID_/);
		node.parameters.fieldId = fieldIds.get(field.list);
	}
	return filled;
}

/** Waits for the next finished execution of the template after `count` of them. */
async function nextExecution(count: number): Promise<ExecutionSummary> {
	const executions = await instance().waitForExecutions(template.id, count + 1, 120_000);
	return executions[executions.length - 1];
}

/** The enabled Brex value the sync made for an X3 code, with its field's ids. */
function syncedValue(list: ListName, code: string) {
	const fieldId = fieldIds.get(list) ?? '';
	const value = [...(fieldsOf(brex.state).values.get(fieldId)?.values() ?? [])].find(
		(candidate) => candidate.remote_id === code && !candidate.is_disabled,
	);
	if (!value) throw new Error(`Brex holds no enabled ${list} value ${code}`);
	// Synced values are keyed by the X3 code both ways (remote_id = value_id).
	expect({ remote: value.remote_id, valueId: value.value_id }).toEqual({
		remote: code,
		valueId: code,
	});
	const fieldRemoteId = FIELDS.find((field) => field.list === list)?.remoteId ?? '';
	return { ...value, remote_id: code, value_id: code, field_id: fieldId, fieldRemoteId };
}

const CODED_WORKFLOW = 'MdE2eCodedPost1';

/** Start → the Brex node (expense, accounting record) → Post Spend reading the Brex coding. */
function codedPostingWorkflow(expenseId: string, recordId: string) {
	const brexCredential = templateCredential(template, 'brexApi');
	const node = (name: string, type: string, x: number, parameters: Record<string, unknown>) => ({
		id: stableUuid(`${CODED_WORKFLOW}/${name}`),
		name,
		type,
		typeVersion: 1,
		position: [x, 0] as [number, number],
		parameters,
	});
	const brexGet = (name: string, x: number, parameters: Record<string, unknown>) => ({
		...node(name, packageNodeType('brex'), x, {
			authentication: 'accessToken',
			operation: 'get',
			...parameters,
		}),
		credentials: { brexApi: brexCredential },
	});
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
		brexGet('Coded expense', 240, { resource: 'expense', expenseId }),
		brexGet('Coded accounting record', 480, { resource: 'accountingRecord', recordId }),
		{
			...node('Post Spend', packageNodeType('sageX3'), 720, {
				readApi: 'soap',
				...CODED_POST_SPEND,
			}),
			credentials: { sageX3Api: templateCredential(template, 'sageX3Api') },
			onError: 'continueErrorOutput',
		},
	];
	const to = (target: string) => ({ main: [[{ node: target, type: 'main', index: 0 }]] });
	return {
		id: CODED_WORKFLOW,
		name: 'Post Brex-coded spend (master-data e2e)',
		nodes,
		// Start feeds both Brex nodes; each feeds Post Spend (two runs of it).
		connections: {
			Start: {
				main: [
					[
						{ node: 'Coded expense', type: 'main', index: 0 },
						{ node: 'Coded accounting record', type: 'main', index: 0 },
					],
				],
			},
			'Coded expense': to('Post Spend'),
			'Coded accounting record': to('Post Spend'),
		},
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all' },
	};
}

beforeAll(async () => {
	brex = await startBrexEmulator({ seed: 15, expenseCount: 5 });
	x3 = await startX3Emulator({ poolSize: 4 });
	// The seed holds 15 accounts (471000 closed); X3 gets 40 in all.
	const seeded = x3.state.accounts.size;
	for (let index = 0; seeded + index < ACCOUNT_COUNT; index++) {
		changeMasterData(x3.state, {
			kind: 'account',
			action: 'add',
			code: String(613000 + index * 10),
			label: `Operating expense ${index + 1}`,
		});
	}
	n8n = await N8nInstance.create({ name: 'master-data' });
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	await n8n.start();
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await Promise.all([brex?.close(), x3?.close()]);
});

describe('X3 master data → Brex fields (template x3-master-data-to-brex.json)', () => {
	it('uses the credentials of the other templates, so one pair of credentials serves all three', () => {
		expect(templateCredential(template, 'brexApi').id).toBe('BrexEmulatorCred1');
		expect(templateCredential(template, 'sageX3Api').id).toBe('SageX3EmulatorCred1');
		expect(x3.state.accounts.size).toBe(ACCOUNT_COUNT);
	});

	it('imports with its field IDs filled in, every node known to n8n', async () => {
		await createBrexFields();
		const file = path.join(instance().root, 'x3-master-data-to-brex.json');
		fs.writeFileSync(file, JSON.stringify(templateWithFieldIds()));
		const n = instance();
		await n.cli(['import:workflow', `--input=${file}`]);
		const imported = await n.api<{ nodes: Array<{ name: string; type: string }> }>(
			'GET',
			`/workflows/${template.id}`,
		);
		expect(imported.nodes.map((node) => node.name).sort()).toEqual(
			template.nodes.map((node) => node.name).sort(),
		);
		const knownTypes = new Set((await n.nodeTypes()).map((type) => type.name));
		expect(
			template.nodes.filter((node) => !knownTypes.has(node.type)).map((node) => node.type),
		).toEqual([]);
	});

	it('fills Brex with the active X3 values on the first poll', async () => {
		resetCallCounts();
		await instance().activate(template.id);
		const figures = runFigures('first poll', await nextExecution(0));
		expectBrexMatchesX3();
		const activeCount = FIELDS.reduce(
			(sum, { list }) => sum + Object.keys(activeInX3(list)).length,
			0,
		);
		expect(figures).toMatchObject({ created: activeCount, renamed: 0, disabled: 0, reenabled: 0 });
		// Closed X3 records (account 471000, dimension value OLD) are not created.
		expect(enabledInBrex('accounts')['471000']).toBeUndefined();
		expect(Object.keys(enabledInBrex('accounts'))).toHaveLength(ACCOUNT_COUNT - 1);
	});

	it('an account renamed and one closed in X3 reach Brex in the next poll', async () => {
		const before = (await instance().executions(template.id)).length;
		changeMasterData(x3.state, {
			kind: 'account',
			action: 'rename',
			code: '625700',
			label: 'Meals and gifts',
		});
		changeMasterData(x3.state, { kind: 'account', action: 'close', code: '606100' });
		resetCallCounts();
		// Each activation polls at once (a scheduled poll in between would be the same next poll).
		await instance().deactivate(template.id);
		await instance().activate(template.id);
		const figures = runFigures('next poll', await nextExecution(before));
		expect(figures).toMatchObject({ created: 0, renamed: 1, disabled: 1, reenabled: 0 });
		expectBrexMatchesX3();
		expect(enabledInBrex('accounts')['625700']).toBe('Meals and gifts');
		expect(enabledInBrex('accounts')['606100']).toBeUndefined();
		await instance().deactivate(template.id);
	});

	it('the full re-sync repairs drift on both sides, and a second run changes nothing', async () => {
		// While the workflow is off, X3 changes (a new account, a DEP value renamed, a CCT value closed) and
		// someone edits Brex by hand (a managed value disabled, a stray value whose X3 record is gone).
		changeMasterData(x3.state, {
			kind: 'account',
			action: 'add',
			code: '618000',
			label: 'Documentation',
		});
		changeMasterData(x3.state, {
			kind: 'dimension',
			action: 'rename',
			type: 'DEP',
			code: 'OPS',
			label: 'Operations and IT',
		});
		changeMasterData(x3.state, { kind: 'dimension', action: 'close', type: 'CCT', code: 'CC-NY' });
		const depValues = fieldsOf(brex.state).values.get(fieldIds.get('DEP') ?? '');
		const sales = [...(depValues?.values() ?? [])].find((value) => value.remote_id === 'SAL');
		if (!sales) throw new Error('Brex holds no DEP value SAL');
		sales.is_disabled = true;
		const stray = {
			...sales,
			brex_id: 'extended_field_value_stray',
			remote_id: 'GONE',
			value_id: 'GONE',
			value: 'Gone',
			is_disabled: false,
		};
		depValues?.set(stray.brex_id, stray);

		resetCallCounts();
		const first = runFigures(
			'full re-sync #1',
			await runManually(instance(), template.id, NODES.fullResync),
		);
		// created 618000; renamed OPS; disabled CC-NY and GONE; re-enabled SAL.
		expect(first).toMatchObject({ created: 1, renamed: 1, disabled: 2, reenabled: 1 });
		expectBrexMatchesX3();

		resetCallCounts();
		const second = runFigures(
			'full re-sync #2',
			await runManually(instance(), template.id, NODES.fullResync),
		);
		expect(second).toMatchObject({ created: 0, renamed: 0, disabled: 0, reenabled: 0 });
		// Only reads: one value listing per field.
		expect(second.brexCalls).toBe(FIELDS.length);
		expectBrexMatchesX3();
	});

	it('an expense and an accounting record coded with the synced values are posted to that account and dimensions', async () => {
		// Coded in Brex with the values the sync keeps: the renamed account, the renamed DEP value, a CCT value.
		const gl = syncedValue('accounts', '625700');
		const dep = syncedValue('DEP', 'OPS');
		const cct = syncedValue('CCT', Object.keys(activeInX3('CCT')).sort()[0]);
		expect([gl.value, dep.value]).toEqual(['Meals and gifts', 'Operations and IT']);
		const coded = [gl, dep, cct];
		// The expense: single-choice custom fields keyed by the Brex field, option id = the value's value_id.
		const expense = brex.addExpense({
			category: 'RESTAURANTS',
			custom_fields: coded.map((value) => ({
				key: value.fieldRemoteId,
				value: {
					value_type: 'SINGLE_VALUE',
					data_type: 'OPTION_STRING',
					data: { option_id: value.value_id, option_label: value.value },
				},
			})),
		} as Parameters<BrexEmulator['addExpense']>[0]);
		// The accounting record of another purchase, its expense line coded with the same values.
		const record = [...brex.state.accountingRecords.values()].find(
			(candidate) =>
				candidate.source_type === 'CARD' &&
				candidate.type === 'CARD_EXPENSE_POST' &&
				candidate.source_id !== expense.id &&
				brex.state.expenses.get(candidate.source_id)?.seed_category !== 'RESTAURANTS',
		);
		if (!record) throw new Error('The Brex emulator holds no card accounting record');
		// Its seed coding is another account: what gets booked below comes from the codings given here.
		const seeded = brex.renderAccountingRecord(record.id) as {
			line_items: Array<{ accounting_field_values: Array<Record<string, unknown>> }>;
		};
		expect(seeded.line_items[0].accounting_field_values[0].remote_field_value_id).not.toBe(
			'625700',
		);
		brex.updateAccountingRecord(record.id, {
			review_status: 'READY_FOR_EXPORT',
			split: false,
			lineCodings: coded.map((value) => ({
				brex_field_id: value.field_id,
				remote_field_id: value.fieldRemoteId,
				brex_field_value_id: value.brex_id,
				remote_field_value_id: value.remote_id,
			})),
		});

		await instance().importWorkflows([codedPostingWorkflow(expense.id, record.id)]);
		const before = x3.state.journalEntries.length;
		resetCallCounts();
		const execution = await runManually(instance(), CODED_WORKFLOW, 'Start');
		const results = nodeOutput(execution, 'Post Spend').map(
			(item) => item.postResult as Record<string, unknown>,
		);
		const errors = execution.data?.resultData?.runData?.['Post Spend']?.flatMap(
			(run) => run.data?.main?.[1] ?? [],
		);
		expect(errors ?? []).toEqual([]);
		expect(results.map((result) => result.status)).toEqual(['posted', 'posted']);
		expect(x3.state.journalEntries.length).toBe(before + 2);
		for (const result of results) {
			const entry = x3.state.journalEntries.find(
				(candidate) => candidate.documentNumber === result.documentNumber,
			);
			if (!entry) throw new Error(`X3 holds no entry ${String(result.documentNumber)}`);
			const cents = (text: string | null) => Math.round(Number(text ?? '0') * 100);
			const debit = entry.lines.reduce((sum, line) => sum + cents(line.debit), 0);
			const credit = entry.lines.reduce((sum, line) => sum + cents(line.credit), 0);
			expect(debit).toBe(credit);
			expect(debit).toBeGreaterThan(0);
			const expenseLines = entry.lines.filter((line) => line.account === '625700');
			expect(expenseLines).toHaveLength(1);
			expect(expenseLines[0].dimensions).toMatchObject({ DEP: 'OPS', CCT: cct.remote_id });
			expect(cents(expenseLines[0].debit)).toBe(debit);
			log(
				`coded ${String(result.recordKind ?? result.traceId)} posted as ${entry.documentNumber}: ` +
					entry.lines
						.map(
							(line) =>
								`${line.account} ${line.debit ?? `-${line.credit}`} ${JSON.stringify(line.dimensions)}`,
						)
						.join('; '),
			);
		}
		const calls = callCounts();
		log(`coded posting: X3 calls ${calls.x3}`);
	});

	it('a list Brex refuses is recorded in the failure table, and the other lists still sync', async () => {
		// The CCT field deleted in Brex: its value list answers 400 (the emulator's unknown field).
		const cctField = fieldIds.get('CCT') ?? '';
		fieldsOf(brex.state).fields.delete(cctField);
		fieldsOf(brex.state).values.delete(cctField);
		changeMasterData(x3.state, {
			kind: 'account',
			action: 'rename',
			code: '618000',
			label: 'Documentation and books',
		});
		resetCallCounts();
		const execution = await runManually(instance(), template.id, NODES.fullResync);
		const summaries = nodeOutput(execution, NODES.summary);
		expect(summaries.map((item) => item.list).sort()).toEqual(
			[NODES.syncAccounts, NODES.syncDep].sort(),
		);
		expect(summaries.reduce((sum, item) => sum + Number(item.renamed), 0)).toBe(1);
		expect(enabledInBrex('accounts')['618000']).toBe('Documentation and books');
		const failures = nodeOutput(execution, NODES.failure);
		expect(failures).toEqual([
			expect.objectContaining({
				list: NODES.syncCct,
				fieldId: cctField,
				reason: expect.any(String),
			}),
		]);
		const rows = await new DataTables(instance()).rows(MASTER_DATA_FAILURE_TABLE);
		expect(rows).toEqual([
			expect.objectContaining({
				list: NODES.syncCct,
				fieldId: cctField,
				reason: failures[0].reason,
			}),
		]);
		log(`failure recorded: ${String(failures[0].reason).slice(0, 200)}`);
	});
});
