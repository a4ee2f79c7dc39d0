/**
 * Issue 13 point 7, the other side of the template's GraphQL default: on an X3 whose SOAP `query` cannot find an
 * entry by its line trace (the `documented` personality with the standard GAS left list, which ignores a DES
 * criterion), the sync template switched to Read API SOAP posts nothing. Check X3 Setup proves that SOAP cannot
 * recognise a re-sent item, so Post Spend sends every item to its error output with that reason: each gets a
 * `failed` audit row and stays in the replay queue, and X3 receives no save.
 *
 * Driven through the template's replay branch (queue rows, then its schedule trigger run by hand), so it needs no
 * webhook traffic. The X3 ledger first holds one entry the template posted through GraphQL, as a live ledger
 * holds entries (on an empty ledger the Check has nothing to probe with and Post Spend posts one entry first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { GAS_LEFT_LIST_STANDARD } from '../emulators/x3/personality';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../emulators/x3/server';
import { CHART } from '../emulators/seed';
import { N8nInstance } from './lib/n8nInstance';
import { expectedLedger, templateSyncSettings } from './sync/expected';
import {
	AUDIT_TABLE,
	DataTables,
	QUEUE_TABLE,
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	ledgerFigures,
	personalityLabel,
	readTemplate,
	runManually,
	templateNode,
	type Template,
} from './sync/stack';

jest.setTimeout(10 * 60_000);

const SEED = 20261207;
const EXPENSES = 40;
const VENDORS = 12;
const KNOWN_VENDOR_SHARE = 0.8;
/** Expenses queued for the SOAP run. */
const REFUSED = 12;
const PERSONALITY = { personality: 'documented' as const, gasLeftList: GAS_LEFT_LIST_STANDARD };

const shipped = readTemplate(SYNC_TEMPLATE_FILE);

/** The sync template as a user switches its Sage X3 nodes to Read API SOAP (own id, own webhook path). */
function soapVariant(template: Template): Template {
	const copy = JSON.parse(JSON.stringify(template)) as Template;
	copy.id = 'BrexX3SyncSoapRead';
	copy.name = `${template.name} (SOAP reads)`;
	for (const node of copy.nodes) {
		if (node.type.endsWith('.sageX3')) node.parameters.readApi = 'soap';
	}
	templateNode(copy, SYNC_NODES.webhookTrigger).webhookId = '5f0c1a52-2b8e-4d8e-9a3c-0d3b1f6e7a21';
	return copy;
}

let brex: BrexEmulator;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;

function log(message: string): void {
	console.log(`[sync soap refusal] ${message}`);
}

beforeAll(async () => {
	brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: EXPENSES,
		vendorCount: VENDORS,
		knownVendorShare: KNOWN_VENDOR_SHARE,
	});
	x3 = await startX3Emulator({
		seed: SEED,
		seedOptions: { seed: SEED, vendorCount: VENDORS, knownVendorShare: KNOWN_VENDOR_SHARE },
		...PERSONALITY,
	});
	n8n = await N8nInstance.create({ name: 'sync-soap' });
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	// Both through n8n's own importer, as a user imports a template file.
	for (const template of [shipped, soapVariant(shipped)]) {
		const file = path.join(n8n.root, `${template.id}.json`);
		fs.writeFileSync(file, JSON.stringify(template, null, 2));
		await n8n.cli(['import:workflow', `--input=${file}`]);
	}
	await n8n.start();
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await brex?.close();
	await x3?.close();
});

it('the template on Read API SOAP refuses every item with the Check reason and writes nothing', async () => {
	if (!n8n) throw new Error('n8n did not start');
	const n = n8n;
	const tables = new DataTables(n);
	const soap = soapVariant(shipped);
	const postable = [...expectedLedger(brex, templateSyncSettings()).postings.keys()];
	expect(postable.length).toBeGreaterThan(REFUSED);
	const queue = (ids: string[]) =>
		tables.insertRows(
			QUEUE_TABLE,
			ids.map((brexId) => ({
				brexId,
				recordKind: 'expense',
				lastError: 'queued by the e2e test',
				attempts: 0,
			})),
		);
	await runManually(n, shipped.id, SYNC_NODES.setupTables);

	// 1. The template as shipped (GraphQL) posts one expense: the ledger is not empty any more.
	await queue(postable.slice(0, 1));
	await runManually(n, shipped.id, SYNC_NODES.replayNow);
	expect(await tables.rows(QUEUE_TABLE)).toEqual([]);
	const before = ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount);
	expect(before.linesByItemTrace.size).toBe(1);
	const soapRunStarted = new Date().toISOString();

	// 2. The same template on Read API SOAP, with expenses that should post.
	const refusedIds = postable.slice(1, 1 + REFUSED);
	await queue(refusedIds);
	await runManually(n, soap.id, SYNC_NODES.replayNow);

	const after = ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount);
	// Journal entry saves only: Find or create supplier may create the vendors X3 does not know yet.
	const saves = x3.soapLog.filter(
		(entry) =>
			entry.at >= soapRunStarted &&
			entry.operation === 'save' &&
			entry.publicName === x3.behaviour.publicNames.journalEntry,
	).length;
	const left = await tables.rows(QUEUE_TABLE);
	const failed = (await tables.rows(AUDIT_TABLE)).filter(
		(row) => row.decision === 'failed' && refusedIds.includes(String(row.brexId)),
	);
	const reasons = [...new Set(failed.map((row) => String(row.reason)))];
	console.log(
		`[${personalityLabel(PERSONALITY)}/soap] queued ${refusedIds.length}, refused ${failed.length}, ` +
			`posted ${after.linesByItemTrace.size - before.linesByItemTrace.size}, journal entry saves ${saves}, ` +
			`ledger entries ${before.entries} → ${after.entries}, still queued ${left.length}`,
	);
	log(`reasons: ${JSON.stringify(reasons).slice(0, 1200)}`);
	expect(saves).toBe(0);
	expect(after.entries).toBe(before.entries);
	expect([...failed.map((row) => String(row.brexId))].sort()).toEqual([...refusedIds].sort());
	expect(reasons).toEqual([
		expect.stringMatching(
			/^Nothing was written: this X3 cannot prove.*ignores DES as a query criterion/s,
		),
	]);
	expect(left.map((row) => String(row.brexId)).sort()).toEqual([...refusedIds].sort());
});
