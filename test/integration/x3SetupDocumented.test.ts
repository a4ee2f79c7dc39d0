/**
 * The Sage X3 node in a real n8n execution against the emulator's `documented` personality (fixed publications
 * that do not follow the client: analytics in GAS2_1, supplier fields over BPS0_1 / BPRC_1 with a BPAC_1 address
 * table, 30-character descriptions, query criteria only on the left list), configured only through X3 Setup
 * (DOCUMENTED_X3_SETUP): Check X3 Setup finds every field, Post Spend posts once and recognises its entries, Find
 * or Create writes a supplier X3 accepts, and daily sets through SOAP are refused with the reason. Then the sync
 * template's own Sage X3 settings (workflows/brex-to-sage-x3-sync.json) on the standard GAS left list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { spendTraceId } from '../../nodes/common/traceId';
import { clearSetupReportCache } from '../../nodes/SageX3/helpers/setupVerdict';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import { CHART } from '../emulators/seed';
import {
	GAS_ANALYTICS,
	GAS_LEFT_LIST_STANDARD,
	GAS_LEFT_LIST_WITH_TRACE,
	startX3Emulator,
} from '../emulators/x3/testkit';
import type { X3Emulator } from '../emulators/x3/testkit';
import { DOCUMENTED_X3_SETUP } from '../support/documentedX3Setup';
import type { NodeOutputs } from '../support/n8nCoreHarness';
import {
	chain,
	runWorkflow,
	sageX3Node,
	spendSourceNode,
	x3Credentials,
} from '../support/n8nCoreHarness';

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({
		personality: 'documented',
		gasLeftList: GAS_LEFT_LIST_WITH_TRACE,
	});
});

afterAll(async () => {
	await emulator?.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.resetStats();
	resetSharedLimiters();
	clearSetupReportCache();
});

async function runNode(parameters: INodeParameters, inputs: IDataObject[]): Promise<NodeOutputs> {
	const result = await runWorkflow(
		[
			spendSourceNode(inputs),
			sageX3Node(
				'Sage X3',
				{ x3Setup: DOCUMENTED_X3_SETUP as INodeParameters, ...parameters },
				[200, 0],
				{
					onError: 'continueErrorOutput',
				},
			),
		],
		chain('Spend Source', 'Sage X3'),
		x3Credentials(emulator),
	);
	const outputs = result.outputs['Sage X3'];
	if (!outputs) throw new Error('Sage X3 did not run');
	if (outputs.nodeError) throw outputs.nodeError;
	return outputs;
}

/** 49 characters: longer than the documented DES and DESVCR (30). */
const LONG_MEMO = 'Team dinner with the customer at Café de la Paix';

function spendItem(n: number, day = 2): IDataObject {
	const id = `expense_documented_${n}`;
	return {
		id,
		recordKind: 'expense',
		traceId: spendTraceId('expense', id),
		amount: `${10 + n}.00`,
		currency: 'EUR',
		isRefund: false,
		accountingDate: `2026-11-0${day}`,
		vendorName: 'Acme Corp',
		category: 'TRAVEL',
		memo: `${LONG_MEMO} ${n}`,
	};
}

function postSpend(grouping: 'perItem' | 'entrySet'): INodeParameters {
	return {
		readApi: 'soap',
		resource: 'journalEntry',
		operation: 'postSpend',
		entryType: 'BRX',
		site: 'FR011',
		cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
		grouping,
		mappingRules: '[]',
		defaultExpenseAccount: CHART.defaultExpenseAccount,
		defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
	};
}

const statuses = (outputs: NodeOutputs) =>
	outputs.success.map((item) => (item.json.postResult as IDataObject).status);

function writes(): number {
	const soap = emulator.stats.calls.soap;
	return (soap.save ?? 0) + (soap.modify ?? 0) + (soap.delete ?? 0);
}

type LoggedBlock = {
	id: string;
	fields?: Record<string, string>;
	lines?: Array<Record<string, string>>;
};

/** Payloads of the saves X3 accepted since the log had `from` entries. */
function savedBlocks(from: number): LoggedBlock[][] {
	return emulator.soapLog
		.slice(from)
		.filter((entry) => entry.operation === 'save' && entry.status === 1)
		.map((entry) => entry.payload as LoggedBlock[]);
}

describe('X3 Setup describing the documented publications', () => {
	it('Check X3 Setup finds every field where X3 Setup says and passes the SOAP header guarantee', async () => {
		expect(statuses(await runNode(postSpend('perItem'), [spendItem(1)]))).toEqual(['posted']);
		emulator.resetStats();
		const outputs = await runNode({ readApi: 'soap', resource: 'x3Setup', operation: 'check' }, [
			{},
		]);
		const rows = outputs.success.map((item) => item.json);
		expect(rows.find((row) => row.guarantee === 'soapHeader')).toMatchObject({ status: 'pass' });
		const fields = rows.filter((row) => typeof row.field === 'string');
		expect(fields.filter((row) => row.status !== 'found')).toEqual([]);
		const where = (field: string) => fields.find((row) => row.field === field)?.block;
		expect(where('CCE2')).toBe(GAS_ANALYTICS);
		expect(where('LIN')).toBe(GAS_ANALYTICS);
		expect(where('BPRSHO')).toBe('BPRC_1');
		expect(where('CODADR')).toBe('BPAC_1');
		expect(where('BPAADDFLG')).toBe('BPAC_1');
		expect(fields.find((row) => row.field === 'DES')).toMatchObject({
			block: 'GAS1_1',
			length: 30,
		});
		expect(writes()).toBe(0);
	});

	it('Post Spend posts one entry per item with analytics in GAS2_1 and 30-character texts, then recognises them', async () => {
		const items = [spendItem(11), spendItem(12), spendItem(13, 3)];
		const logged = emulator.soapLog.length;
		const first = await runNode(postSpend('perItem'), items);
		expect(first.error).toEqual([]);
		expect(statuses(first)).toEqual(['posted', 'posted', 'posted']);
		expect(emulator.state.journalEntries).toHaveLength(3);
		for (const entry of emulator.state.journalEntries) {
			expect(entry.lines.map((line) => line.dimensions)).toContainEqual({ DEP: 'OPS' });
			expect(Array.from(entry.description ?? '').length).toBeLessThanOrEqual(30);
			for (const line of entry.lines) {
				expect(Array.from(line.description ?? '').length).toBeLessThanOrEqual(30);
			}
		}
		const expenseLine = emulator.state.journalEntries[0].lines[0];
		expect(expenseLine.description).toBe(`Acme Corp ${LONG_MEMO}`.slice(0, 30).trimEnd());
		expect(savedBlocks(logged)).toHaveLength(3);
		for (const blocks of savedBlocks(logged)) {
			const analytics = blocks.find((block) => block.id === GAS_ANALYTICS);
			const dep = `CCE${emulator.layout.dimensionTypes.indexOf('DEP') + 1}`;
			expect(analytics?.lines).toEqual([{ LIN: '1', [dep]: 'OPS' }]);
			const lines = blocks.find((block) => block.id === 'GAS1_1')?.lines ?? [];
			for (const line of lines)
				expect(Object.keys(line).some((k) => k.startsWith('CCE'))).toBe(false);
		}

		emulator.resetStats();
		const again = await runNode(postSpend('perItem'), items);
		expect(statuses(again)).toEqual(['already_posted', 'already_posted', 'already_posted']);
		expect(writes()).toBe(0);
		expect(emulator.state.journalEntries).toHaveLength(3);
	});

	it('a CCE placement (GAS2_1.CCE) with Extra Mandatory Fields: the placed save keeps the analytics table', async () => {
		const { analyticsBlock: _block, analyticsLineField: _line, ...rest } = DOCUMENTED_X3_SETUP;
		const placedSetup = {
			...rest,
			fieldNames: JSON.stringify({
				journalEntry: { dimensionPrefix: 'GAS2_1.CCE' },
				supplier: { shortName: 'BPRC_1.BPRSHO', country: 'BPRC_1.CRY', currency: 'BPRC_1.CUR' },
			}),
			extraFields: '{"journalEntry": {"header": {"JOU": "BRX"}}}',
		};
		const logged = emulator.soapLog.length;
		const outputs = await runNode(
			{ ...postSpend('perItem'), x3Setup: placedSetup as INodeParameters },
			[spendItem(41), spendItem(42, 3)],
		);
		expect(outputs.error).toEqual([]);
		expect(statuses(outputs)).toEqual(['posted', 'posted']);
		for (const entry of emulator.state.journalEntries) {
			expect(entry.header.JOU).toBe('BRX');
			expect(entry.lines.map((line) => line.dimensions)).toContainEqual({ DEP: 'OPS' });
		}
		expect(savedBlocks(logged)).toHaveLength(2);
		for (const blocks of savedBlocks(logged)) {
			expect(blocks.find((block) => block.id === GAS_ANALYTICS)?.lines?.[0]).toHaveProperty(
				'LIN',
				'1',
			);
		}
	});

	it('Find or Create creates the supplier over its blocks with one address line', async () => {
		const logged = emulator.soapLog.length;
		const outputs = await runNode(
			{
				readApi: 'soap',
				resource: 'supplier',
				operation: 'findOrCreate',
				vendorNameSource: 'spendItem',
				notFoundPolicy: 'create',
				category: 'SUPFR',
				options: { country: 'FR', currency: 'EUR' },
			},
			[{ ...spendItem(21), vendorName: 'Boulangerie du Marché Saint-Germain des Prés' }],
		);
		expect(outputs.error).toEqual([]);
		const save = emulator.soapLog.slice(logged).filter((entry) => entry.operation === 'save');
		expect(save.map((entry) => entry.status)).toEqual([1]);
		const blocks = save[0].payload as LoggedBlock[];
		expect(blocks.find((block) => block.id === 'BPRC_1')?.fields).toMatchObject({
			CRY: 'FR',
			CUR: 'EUR',
		});
		expect(blocks.find((block) => block.id === 'BPAC_1')?.lines).toEqual([
			{ CODADR: 'MAIN', BPACRY: 'FR', BPADES: 'Boulangerie du Marché Saint-Ge', BPAADDFLG: '2' },
		]);
		const created = [...emulator.state.suppliers.values()].filter((supplier) =>
			supplier.name.startsWith('Boulangerie'),
		);
		expect(created).toHaveLength(1);
		expect(created[0]).toMatchObject({ country: 'FR', currency: 'EUR', addressCode: 'MAIN' });
	});

	it('Supplier Create writes the short name, country and currency in BPRC_1 and the given address code', async () => {
		const logged = emulator.soapLog.length;
		const outputs = await runNode(
			{
				readApi: 'soap',
				resource: 'supplier',
				operation: 'create',
				name: 'Blue Bottle Coffee',
				category: 'SUPUS',
				additionalFields: {
					shortName: 'BLUEBOTTLE',
					country: 'US',
					currency: 'USD',
					addressCode: 'HQ',
				},
			},
			[{}],
		);
		expect(outputs.error).toEqual([]);
		const saves = emulator.soapLog.slice(logged).filter((entry) => entry.operation === 'save');
		expect(saves.map((entry) => entry.status)).toEqual([1]);
		const blocks = saves[0].payload as LoggedBlock[];
		expect(blocks.find((block) => block.id === 'BPRC_1')?.fields).toEqual({
			BPRSHO: 'BLUEBOTTLE',
			CRY: 'US',
			CUR: 'USD',
		});
		expect(blocks.find((block) => block.id === 'BPAC_1')?.lines).toEqual([
			{ CODADR: 'HQ', BPACRY: 'US', BPADES: 'Blue Bottle Coffee', BPAADDFLG: '2' },
		]);
	});

	it('daily sets through SOAP are refused with the reason: the documented X3 ignores the DES criterion', async () => {
		expect(statuses(await runNode(postSpend('perItem'), [spendItem(31)]))).toEqual(['posted']);
		emulator.resetStats();
		const outputs = await runNode(
			{
				...postSpend('entrySet'),
				x3Setup: { ...DOCUMENTED_X3_SETUP, lineTraceField: 'DES' } as INodeParameters,
			},
			[spendItem(32), spendItem(33)],
		);
		expect(outputs.success).toEqual([]);
		expect(outputs.error.map((item) => String(item.json.error))).toEqual([
			expect.stringContaining('ignores DES as a query criterion'),
			expect.stringContaining('ignores DES as a query criterion'),
		]);
		expect(writes()).toBe(0);
		expect(emulator.state.journalEntries).toHaveLength(1);
	});
});

const TEMPLATE = JSON.parse(
	fs.readFileSync(path.join(__dirname, '../../workflows/brex-to-sage-x3-sync.json'), 'utf8'),
) as { nodes: Array<{ name: string; parameters: INodeParameters }> };

function templateParameters(name: string): INodeParameters {
	const node = TEMPLATE.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The sync template has no node ${name}`);
	return JSON.parse(JSON.stringify(node.parameters)) as INodeParameters;
}

function expense(n: number): IDataObject {
	const id = `expense_template_${n}`;
	return {
		id,
		recordKind: 'expense',
		traceId: spendTraceId('expense', id),
		amount: `${20 + n}.50`,
		currency: n % 2 ? 'EUR' : 'USD',
		isRefund: false,
		accountingDate: '2026-11-02',
		vendorName: 'Acme Corp',
		category: 'LODGING',
		department: { name: 'Engineering' },
		location: { name: 'Paris' },
		memo: 'Two nights near the customer site for the quarterly review',
	};
}

describe('the sync template as shipped, on the documented X3 (standard GAS left list)', () => {
	beforeAll(() => emulator.setGasLeftList(GAS_LEFT_LIST_STANDARD));
	afterAll(() => emulator.setGasLeftList(GAS_LEFT_LIST_WITH_TRACE));

	it('X3 Setup equals the settings a customer derives from the documented getDescription, with the default line trace', () => {
		const { lineTraceField: _noLineTrace, fieldNames, ...documented } = DOCUMENTED_X3_SETUP;
		for (const name of ['Find or create supplier', 'Post spend']) {
			const { fieldNames: templateFieldNames, ...setup } = templateParameters(name)
				.x3Setup as Record<string, string>;
			expect(templateParameters(name).readApi).toBe('graphql');
			expect(setup).toEqual(documented);
			expect(JSON.parse(templateFieldNames)).toEqual(JSON.parse(fieldNames as string));
		}
	});

	it('Check X3 Setup passes GraphQL idempotency and finds every field; the SOAP line check fails', async () => {
		// A live ledger holds entries: the probes need one to look for (on an empty one they are unproven).
		expect(statuses(await runNode(templateParameters('Post spend'), [expense(9)]))).toEqual([
			'posted',
		]);
		emulator.resetStats();
		const { x3Setup, readApi } = templateParameters('Post spend');
		const outputs = await runNode({ readApi, x3Setup, resource: 'x3Setup', operation: 'check' }, [
			{},
		]);
		const rows = outputs.success.map((item) => item.json);
		expect(rows.find((row) => row.guarantee === 'graphql')).toMatchObject({ status: 'pass' });
		expect(rows.find((row) => row.guarantee === 'soapLine')).toMatchObject({ status: 'fail' });
		const fields = rows.filter((row) => typeof row.field === 'string');
		expect(fields.length).toBeGreaterThan(0);
		expect(fields.filter((row) => row.status !== 'found')).toEqual([]);
		expect(writes()).toBe(0);
	});

	it('Post Spend posts daily sets once through GraphQL and recognises them on a re-run', async () => {
		const items = [1, 2, 3, 4].map(expense);
		const first = await runNode(templateParameters('Post spend'), items);
		expect(first.error.map((item) => item.json.error)).toEqual([]);
		expect(statuses(first)).toEqual(['posted', 'posted', 'posted', 'posted']);
		const entries = emulator.state.journalEntries.length;
		expect(entries).toBe(2);
		emulator.resetStats();
		const again = await runNode(templateParameters('Post spend'), items);
		expect(statuses(again)).toEqual([
			'already_posted',
			'already_posted',
			'already_posted',
			'already_posted',
		]);
		expect(writes()).toBe(0);
		expect(emulator.state.journalEntries).toHaveLength(entries);
	});

	it('the same settings on Read API SOAP refuse every item with the reason and write nothing', async () => {
		expect(statuses(await runNode(templateParameters('Post spend'), [expense(9)]))).toEqual([
			'posted',
		]);
		emulator.resetStats();
		const items = [5, 6, 7].map(expense);
		const outputs = await runNode({ ...templateParameters('Post spend'), readApi: 'soap' }, items);
		expect(outputs.success).toEqual([]);
		expect(outputs.error.map((item) => String(item.json.error))).toEqual(
			items.map(() =>
				expect.stringMatching(/^Nothing was written.*ignores DES as a query criterion/),
			),
		);
		expect(writes()).toBe(0);
		expect(emulator.state.journalEntries).toHaveLength(1);
	});
});
