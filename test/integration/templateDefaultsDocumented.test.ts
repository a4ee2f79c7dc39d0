/**
 * The sync template's Sage X3 settings as shipped (workflows/brex-to-sage-x3-sync.json: Read API GraphQL, X3 Setup
 * for the documented publications) against the emulator's `documented` personality with the standard GAS left
 * list: Check X3 Setup passes the guarantee the template relies on, Post Spend posts its daily sets once and
 * recognises them; the same settings on Read API SOAP are refused with the Check's reason and write nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { spendTraceId } from '../../nodes/common/traceId';
import { clearSetupReportCache } from '../../nodes/SageX3/helpers/setupVerdict';
import { resetSharedLimiters } from '../../nodes/SageX3/transport/throttle';
import { startX3Emulator } from '../emulators/x3/testkit';
import type { X3Emulator } from '../emulators/x3/testkit';
import { GAS_LEFT_LIST_STANDARD } from '../emulators/x3/personality';
import { DOCUMENTED_X3_SETUP } from '../support/documentedX3Setup';
import type { NodeOutputs } from '../support/n8nCoreHarness';
import {
	chain,
	runWorkflow,
	sageX3Node,
	spendSourceNode,
	x3Credentials,
} from '../support/n8nCoreHarness';

const TEMPLATE = JSON.parse(
	fs.readFileSync(path.join(__dirname, '../../workflows/brex-to-sage-x3-sync.json'), 'utf8'),
) as { nodes: Array<{ name: string; parameters: INodeParameters }> };

function templateParameters(name: string): INodeParameters {
	const node = TEMPLATE.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The sync template has no node ${name}`);
	return JSON.parse(JSON.stringify(node.parameters)) as INodeParameters;
}

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({
		personality: 'documented',
		gasLeftList: GAS_LEFT_LIST_STANDARD,
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
			sageX3Node('Sage X3', parameters, [200, 0], { onError: 'continueErrorOutput' }),
		],
		chain('Spend Source', 'Sage X3'),
		x3Credentials(emulator),
	);
	const outputs = result.outputs['Sage X3'];
	if (!outputs) throw new Error('Sage X3 did not run');
	if (outputs.nodeError) throw outputs.nodeError;
	return outputs;
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

const statuses = (outputs: NodeOutputs) =>
	outputs.success.map((item) => (item.json.postResult as IDataObject).status);

function writes(): number {
	const soap = emulator.stats.calls.soap;
	return (soap.save ?? 0) + (soap.modify ?? 0) + (soap.delete ?? 0);
}

describe('the sync template as shipped, on the documented X3 (standard GAS left list)', () => {
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
