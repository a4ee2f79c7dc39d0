/**
 * Issue "The sync in a real n8n": the workflow templates in workflows/ run unchanged in n8n 2.x against the
 * Brex and X3 emulators, and the X3 ledger ends up matching Brex.
 *
 * Brex holds 500 expenses (40 vendors, 8 unknown to X3, refunds, USD and EUR). Every expense is announced by
 * an EXPENSE_PAYMENT_UPDATED webhook, each delivery sent twice and the batch out of order, while Brex answers
 * bursts of 429/5xx during enrichment and X3 answers "pool busy" or HTTP 500 on a share of its calls. n8n is
 * killed with SIGKILL mid-run and restarted; deliveries that got no 2xx come back on the emulator's retry
 * schedule. Then the reconciliation template queues what is missing in X3 and the sync template's replay
 * branch runs until the queue is empty. Passing means: the ledger holds exactly the expenses that should
 * post (count, sum per account and per dimension value, per currency), no trace id twice, and an audit row
 * with a reason for every record that was skipped.
 */
import { randomUUID } from 'node:crypto';

import { parseMappingRules } from '../../nodes/ledger/mapping';
import { spendTraceId } from '../../nodes/common/traceId';
import { DEFAULT_X3_LAYOUT } from '../../nodes/SageX3/transport/gateway.types';
import { startBrexEmulator, type BrexEmulator } from '../emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../emulators/x3/server';
import { CHART } from '../emulators/seed';
import { N8nInstance } from './lib/n8nInstance';
import { waitFor } from './lib/tools';
import {
	asDecimals,
	expectedLedger,
	ledgerNets,
	templateMappingDrift,
	templateSyncSettings,
	type ExpectedLedger,
} from './sync/expected';
import {
	AUDIT_TABLE,
	DataTables,
	QUEUE_TABLE,
	RECONCILIATION_TEMPLATE_FILE,
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	launcherPersonality,
	ledgerFigures,
	personalityLabel,
	readTemplate,
	runManually,
	templateNode,
	type TableRow,
} from './sync/stack';
import { paceDeliveries, runReconciliation, settleSync, webhookUrlOf } from './sync/drive';

jest.setTimeout(15 * 60_000);

const SEED = 20261129;
const EXPENSES = Number(process.env.BREX_X3_SYNC_E2E_EXPENSES ?? 500);
const VENDORS = 40;
const KNOWN_VENDOR_SHARE = 0.8;
/**
 * Waits before each redelivery of a delivery that got no 2xx (Svix starts with 5 s too): 8.5 minutes in
 * all, far more than a restart of n8n under load takes.
 */
const RETRY_SCHEDULE_MS = [5_000, 10_000, 20_000, 30_000, 60_000, 90_000, 120_000, 180_000];
/** Events go out in batches, at most one batch per interval (spend arrives over time, not at once). */
const DELIVERY_BATCH = 5;
const DELIVERY_INTERVAL_MS = 2_000;
/**
 * One execution per Brex event costs n8n 2.41 two expression isolates (webhook phase and run); without a
 * limit a burst of redeliveries after the restart starts dozens of executions at once on 2 cores and n8n
 * starves (its DB health check times out and every webhook gets 503). A production limit queues them
 * instead: the setting the template's overview note recommends.
 */
const SYNC_N8N_ENV = { N8N_CONCURRENCY_PRODUCTION_LIMIT: '4' };
/** n8n is killed once the ledger holds this share of the expected postings. */
const KILL_AT_SHARE = 0.35;
const MAX_REPLAY_ROUNDS = 8;
const ACCOUNTING_RECORD_EVENTS = 12;
/** Covers every purchase and accounting date of the seed (2026-07-01 .. 2026-09-30, posting a few days later). */
const SEEDED_PERIOD = { dateFrom: '2026-06-01', dateTo: '2026-12-31' };

const sync = readTemplate(SYNC_TEMPLATE_FILE);
const reconciliation = readTemplate(RECONCILIATION_TEMPLATE_FILE);
/** The X3 the template runs against: `documented` unless X3_EMULATOR_PERSONALITY says otherwise. */
const PERSONALITY = launcherPersonality();
/** What the figures line names: personality and the template's read API. */
const RUN_LABEL = `${personalityLabel(PERSONALITY)}/${String(templateNode(sync, SYNC_NODES.postSpend).parameters.readApi)}`;

let brex: BrexEmulator;
let x3: X3Emulator;
let n8n: N8nInstance | undefined;

function log(message: string): void {
	console.log(`[sync e2e] ${message}`);
}

function instance(): N8nInstance {
	if (!n8n) throw new Error('n8n did not start');
	return n8n;
}

beforeAll(async () => {
	brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: EXPENSES,
		vendorCount: VENDORS,
		knownVendorShare: KNOWN_VENDOR_SHARE,
		faults: { deliveryRetryScheduleMs: RETRY_SCHEDULE_MS },
	});
	x3 = await startX3Emulator({
		seed: SEED,
		seedOptions: { seed: SEED, vendorCount: VENDORS, knownVendorShare: KNOWN_VENDOR_SHARE },
		poolSize: 4,
		...PERSONALITY,
	});
	log(`X3 emulator personality: ${personalityLabel(PERSONALITY)}`);
	n8n = await N8nInstance.create({ name: 'sync', env: SYNC_N8N_ENV });
	await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
	// The template files as they are in the repo, through n8n's own importer.
	for (const file of [SYNC_TEMPLATE_FILE, RECONCILIATION_TEMPLATE_FILE]) {
		await n8n.cli(['import:workflow', `--input=${file}`]);
	}
	await n8n.start();
}, 5 * 60_000);

afterAll(async () => {
	await n8n?.dispose();
	await brex?.close();
	await x3?.close();
});

describe('workflow templates', () => {
	it('import unchanged, with every node type known to n8n and the emulator credentials', async () => {
		const n = instance();
		const knownTypes = new Set((await n.nodeTypes()).map((type) => type.name));
		for (const template of [sync, reconciliation]) {
			const imported = await n.api<{ nodes: Array<{ name: string; type: string }> }>(
				'GET',
				`/workflows/${template.id}`,
			);
			expect(imported.nodes.map((node) => node.name).sort()).toEqual(
				template.nodes.map((node) => node.name).sort(),
			);
			const unknown = template.nodes.filter((node) => !knownTypes.has(node.type));
			expect(unknown.map((node) => `${node.name} (${node.type})`)).toEqual([]);
		}
		const credentials = await n.rest<{ data: Array<{ id: string; type: string }> }>(
			'GET',
			'/rest/credentials',
		);
		const ids = new Set(credentials.data.map((credential) => credential.id));
		for (const node of [...sync.nodes, ...reconciliation.nodes]) {
			for (const ref of Object.values(node.credentials ?? {})) expect(ids).toContain(ref.id);
		}
		// The expected ledger below is computed from the seed: the template must map the same way.
		expect(templateMappingDrift()).toEqual([]);
	});

	it('are valid n8n workflows: connections, mapping rules, and a save as the editor does after an import', async () => {
		for (const template of [sync, reconciliation]) {
			const names = new Set(template.nodes.map((node) => node.name));
			const targets = Object.entries(template.connections).flatMap(([from, byType]) => [
				from,
				...Object.values(byType as Record<string, Array<Array<{ node: string }>>>).flatMap(
					(outputs) => outputs.flatMap((output) => output.map((connection) => connection.node)),
				),
			]);
			expect(targets.filter((name) => !names.has(name))).toEqual([]);
		}
		// Post spend would refuse rules that do not parse; check them as it does.
		const rules = parseMappingRules(
			String(templateNode(sync, SYNC_NODES.postSpend).parameters.mappingRules),
			{
				dimensionTypes: DEFAULT_X3_LAYOUT.dimensionTypes,
			},
		);
		expect(rules.length).toBeGreaterThan(0);
		// The editor's "Import from file" loads the JSON into the canvas and saves it through the REST API.
		const saved = await instance().rest<{ data: { id: string; nodes: unknown[] } }>(
			'POST',
			'/rest/workflows',
			{
				name: `${sync.name} (imported in the editor)`,
				nodes: sync.nodes,
				connections: sync.connections,
				settings: sync.settings,
				active: false,
			},
		);
		expect(saved.data.nodes).toHaveLength(sync.nodes.length);
	});

	it('"Set up tables (run once)" creates the audit and replay queue tables, twice without error', async () => {
		const n = instance();
		await runManually(n, sync.id, SYNC_NODES.setupTables);
		await runManually(n, sync.id, SYNC_NODES.setupTables);
		const tables = new DataTables(n);
		const columns = async (name: string) =>
			(await tables.columns(name)).map((column) => column.name);
		expect(await columns(AUDIT_TABLE)).toEqual(
			expect.arrayContaining([
				'brexId',
				'recordKind',
				'traceId',
				'documentNumber',
				'amount',
				'currency',
				'account',
				'decision',
				'reason',
				'at',
			]),
		);
		expect(await columns(QUEUE_TABLE)).toEqual(
			expect.arrayContaining([
				'brexId',
				'recordKind',
				'lastError',
				'attempts',
				'firstFailedAt',
				'lastTriedAt',
			]),
		);
		expect(await tables.rows(AUDIT_TABLE)).toEqual([]);
	});
});

describe('the sync under duplicates, faults, a crash and replay', () => {
	let expected: ExpectedLedger;
	let hookUrl: string;
	let accountingIds: string[];

	beforeAll(() => {
		expected = expectedLedger(brex, templateSyncSettings());
		accountingIds = [...brex.state.accountingRecords.values()]
			.filter((record) => record.review_status === 'READY_FOR_EXPORT')
			.slice(0, ACCOUNTING_RECORD_EVENTS)
			.map((record) => record.id);
		hookUrl = webhookUrlOf(instance(), templateNode(sync, SYNC_NODES.webhookTrigger));
	});

	it('registers the webhook with Brex when the template is published', async () => {
		const n = instance();
		await n.activate(sync.id);
		await n.waitForWebhook(hookUrl.slice(hookUrl.indexOf('/webhook/') + '/webhook/'.length));
		const subscriptions = await waitFor(
			() => {
				const found = [...brex.state.webhooks.values()].filter((hook) => hook.url === hookUrl);
				return found.length > 0 ? found : undefined;
			},
			{ timeoutMs: 120_000, describe: () => `a Brex webhook subscription for ${hookUrl}` },
		);
		expect(subscriptions).toHaveLength(1);
		expect(subscriptions[0].event_types).toEqual(
			expect.arrayContaining(['EXPENSE_PAYMENT_UPDATED', 'ACCOUNTING_RECORD_READY_FOR_EXPORT']),
		);
	});

	it('ends with the X3 ledger matching Brex', async () => {
		const n = instance();
		const tables = new DataTables(n);
		const started = Date.now();

		// 1. Every expense announced, twice each, out of order, with faults on both sides.
		brex.setFaults({
			duplicateDeliveries: true,
			outOfOrder: true,
			faultPathPrefixes: ['/v1/expenses'],
			rate429Probability: 0.04,
			rate5xxProbability: 0.04,
			faultSeed: SEED,
		});
		x3.setFaults({ poolBusyProbability: 0.04, http500Probability: 0.03, scope: ['soap'] });
		const expenseIds = [...brex.state.expenses.keys()];
		const expenseDeliveries = paceDeliveries(
			brex,
			brex.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: expenseIds }),
			{ batchSize: DELIVERY_BATCH, minIntervalMs: DELIVERY_INTERVAL_MS, copiesPerEvent: 2 },
		);
		// A burst during enrichment: the next requests all fail.
		await waitFor(() => expenseDeliveries.sent() >= Math.min(60, expenseIds.length), {
			timeoutMs: 120_000,
			describe: () => `60 events sent (have ${expenseDeliveries.sent()})`,
		});
		brex.setFaults({ rateLimitBurst: 8, status5xx: 8 });

		// 2. kill -9 mid-run, then a restart; the emulator redelivers what got no 2xx.
		const killAt = Math.ceil(expected.postings.size * KILL_AT_SHARE);
		const postedNow = () =>
			ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount).linesByItemTrace.size;
		await waitFor(() => postedNow() >= killAt, {
			timeoutMs: 300_000,
			intervalMs: 200,
			describe: () => `${killAt} postings before the kill (have ${postedNow()})`,
		});
		await n.kill9();
		const killedAt = Date.now();
		log(
			`n8n killed with SIGKILL at ${postedNow()} posted items, ${expenseDeliveries.sent()} of ` +
				`${expenseIds.length} events sent`,
		);
		await n.start();
		log(
			`n8n restarted in ${((Date.now() - killedAt) / 1000).toFixed(1)} s; ` +
				`${expenseDeliveries.sent()} events sent by then`,
		);
		const deliveries = expenseDeliveries.done;

		// Accounting records are announced too; the template posts expenses, so these are skipped.
		const accountingDeliveries = brex.deliverEvents(
			brex.buildEvents({ eventType: 'ACCOUNTING_RECORD_READY_FOR_EXPORT', ids: accountingIds }),
		);
		const attempts = [...(await deliveries), ...(await accountingDeliveries)];
		brex.resetFaults();
		brex.setFaults({ deliveryRetryScheduleMs: RETRY_SCHEDULE_MS });
		const syncExecutions = await settleSync(n, sync.id);
		const delivered = new Set(
			attempts.filter((a) => a.ok && a.url === hookUrl).map((a) => a.webhookId),
		);
		const failedForGood = new Set(
			attempts
				.filter((a) => a.url === hookUrl)
				.map((a) => a.webhookId)
				.filter((id) => !delivered.has(id)),
		);
		log(
			`deliveries: ${attempts.length} attempts for ${new Set(attempts.map((a) => a.webhookId)).size} events, ` +
				`${attempts.filter((a) => !a.ok).length} without 2xx (${answerCounts(attempts)}), ` +
				`${failedForGood.size} never acknowledged; ` +
				`Brex 429/5xx answers: ${brex.stats.rateLimited}/${brex.stats.serverErrors}; ` +
				`X3 faults: ${JSON.stringify(x3.stats.faults)}; sync executions: ${syncExecutions.length}`,
		);
		expect(failedForGood.size).toBe(0);

		// 3. Reconciliation of the seeded period: queues what a crash lost, audits what is skipped. It reads
		// every traced entry of the period at once, so it runs while X3 answers normally.
		x3.setFaults({ poolBusyProbability: 0, http500Probability: 0 });
		// The audit write that a kill -9 can lose after the X3 save: drop one record's posted row on purpose, so
		// the reconciliation's repair is exercised on every run, not only when the kill happens to hit it.
		const auditBefore = await tables.rows(AUDIT_TABLE);
		const lostAuditRow = auditBefore.find((row) => row.decision === 'posted');
		if (!lostAuditRow) throw new Error('no posted audit row before the reconciliation');
		await tables.deleteRows(AUDIT_TABLE, { brexId: lostAuditRow.brexId, decision: 'posted' });
		const postedBeforeReconciliation = postedIds(await tables.rows(AUDIT_TABLE));
		expect(postedBeforeReconciliation.has(String(lostAuditRow.brexId))).toBe(false);
		const reconciled = await runReconciliation(n, reconciliation.id, SEEDED_PERIOD);
		const summary = reconciled.summary;
		log(`reconciliation before replay: ${JSON.stringify(summary)}`);

		// 4. Replay until the queue is empty (or stops shrinking).
		let replayed = 0;
		let queue = await tables.rows(QUEUE_TABLE);
		const queuedAtStart = queue.length;
		for (let round = 1; round <= MAX_REPLAY_ROUNDS && queue.length > 0; round++) {
			// X3 is still faulty during the first round, then recovers.
			x3.setFaults(
				round === 1
					? { poolBusyProbability: 0.04, http500Probability: 0.03 }
					: { poolBusyProbability: 0, http500Probability: 0 },
			);
			replayed += queue.length;
			await runManually(n, sync.id, SYNC_NODES.replayNow);
			const after = await tables.rows(QUEUE_TABLE);
			log(`replay round ${round}: ${queue.length} queued → ${after.length} left`);
			queue = after;
		}

		x3.setFaults({ poolBusyProbability: 0, http500Probability: 0 });

		// 5. The verdict.
		const ledger = x3.ledger();
		const figures = ledgerFigures(ledger, CHART.cardLiabilityAccount);
		const postedTraces = new Set(figures.linesByItemTrace.keys());
		const expectedTraces = new Set(
			[...expected.postings.values()].map((posting) => posting.traceId),
		);
		const missing = [...expected.postings.values()].filter(
			(posting) => !postedTraces.has(posting.traceId),
		);
		const unexpected = [...postedTraces].filter((trace) => !expectedTraces.has(trace));
		const nets = ledgerNets(ledger);
		const audit = await tables.rows(AUDIT_TABLE);
		const skippedWithAudit = skippedAudited(audit, expected.skipped, accountingIds);
		const postedAudit = new Set(
			audit
				.filter((row) => row.decision === 'posted' || row.decision === 'already_posted')
				.map((row) => String(row.brexId)),
		);
		const postedWithAudit = [...expected.postings.keys()].filter((id) =>
			postedAudit.has(id),
		).length;
		const executions = await n.executionStatuses(sync.id);
		log(
			`expected to post ${expected.postings.size} of ${EXPENSES} expenses; posted ${postedTraces.size} ` +
				`(in ${figures.entries} entries); missing ${missing.length}; unexpected ${unexpected.length}; ` +
				`duplicate trace ids: ${figures.duplicateItemTraces.length} items, ${figures.duplicateEntryTraces.length} entries`,
		);
		log(
			`skipped: ${expected.skipped.size} expenses + ${accountingIds.length} accounting records; with an audit row and reason: ` +
				`${skippedWithAudit.audited} (missing: ${JSON.stringify(skippedWithAudit.missing.slice(0, 5))})`,
		);
		log(
			`replay: ${queuedAtStart} queued after the crash and reconciliation, ${replayed} rows replayed, ` +
				`${queue.length} left; audit rows: ${audit.length} (${decisionCounts(audit)}), posted records with ` +
				`a posted/already_posted row: ${postedWithAudit}; ` +
				`sync executions: ${executions.length} (${statusCounts(executions)}); took ${((Date.now() - started) / 1000).toFixed(0)} s`,
		);
		// One figures line per run, named by personality and read API (scripts/test.sh's summary greps it).
		console.log(
			`[${RUN_LABEL}] expected ${expected.postings.size}, posted ${postedTraces.size - unexpected.length}, ` +
				`duplicates ${figures.duplicateItemTraces.length + figures.duplicateEntryTraces.length}, ` +
				`lost ${missing.length}, unexpected ${unexpected.length}, entries ${figures.entries}, ` +
				`replayed ${replayed}, X3 calls ${JSON.stringify(x3CallCounts(x3))}`,
		);
		log(`expected net by account: ${JSON.stringify(asDecimals(expected.netByAccount))}`);
		log(`ledger   net by account: ${JSON.stringify(asDecimals(nets.netByAccount))}`);

		expect(queue.map((row) => `${row.brexId}: ${row.lastError}`)).toEqual([]);
		expect(missing.map((posting) => posting.brexId)).toEqual([]);
		expect(unexpected).toEqual([]);
		expect(figures.duplicateItemTraces).toEqual([]);
		expect(figures.duplicateEntryTraces).toEqual([]);
		expect(postedTraces.size).toBe(expected.postings.size);
		expect(asDecimals(nets.netByAccount)).toEqual(asDecimals(expected.netByAccount));
		expect(asDecimals(nets.netByDimension)).toEqual(asDecimals(expected.netByDimension));
		expect(skippedWithAudit.missing).toEqual([]);

		// A second reconciliation agrees: nothing missing, duplicated or different.
		const after = await runReconciliation(n, reconciliation.id, SEEDED_PERIOD);
		log(`reconciliation after replay: ${JSON.stringify(after.summary)}`);
		expect(after.summary.counts).toMatchObject({
			matched: expected.postings.size,
			missing_in_x3: 0,
			duplicated_in_x3: 0,
			amount_mismatch: 0,
		});

		// The audit trail: every posted record has its posted/already_posted row (the reconciliation writes
		// the row a kill -9 between the X3 save and the audit write lost), and no record has a decision twice.
		const finalAudit = await tables.rows(AUDIT_TABLE);
		const finalPosted = postedIds(finalAudit);
		const withoutPostedRow = [...expected.postings.keys()].filter((id) => !finalPosted.has(id));
		const decisionKeys = finalAudit.map((row) => `${row.brexId}|${row.decision}`);
		const repeatedDecisions = decisionKeys.filter((key, i) => decisionKeys.indexOf(key) !== i);
		// The reconciliation writes a row only where the sync's own row is missing, never over it.
		const recoveredIds = finalAudit
			.filter((row) => String(row.reason ?? '').startsWith('Found in X3 by the reconciliation'))
			.map((row) => String(row.brexId));
		const recoveredByReconciliation = recoveredIds.length;
		const overwritten = recoveredIds.filter((id) => postedBeforeReconciliation.has(id));
		log(
			`audit after reconciliation: ${finalAudit.length} rows (${decisionCounts(finalAudit)}); posted records ` +
				`with a posted/already_posted row: ${expected.postings.size - withoutPostedRow.length}/${expected.postings.size} ` +
				`(${recoveredByReconciliation} written by the reconciliation); repeated record+decision: ${repeatedDecisions.length}`,
		);
		expect(withoutPostedRow).toEqual([]);
		expect(repeatedDecisions).toEqual([]);
		expect(overwritten).toEqual([]);
		expect(recoveredIds).toContain(String(lostAuditRow.brexId));
	});

	it('with write-back on, posts queued accounting records and reports their X3 document number to Brex', async () => {
		const n = instance();
		const tables = new DataTables(n);
		// The template as a user switches it: accounting records are the ledger source, write-back on.
		const copy = JSON.parse(JSON.stringify(sync)) as typeof sync;
		const settings = templateNode(copy, SYNC_NODES.settings);
		const field = (
			settings.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
		).assignments[0];
		field.value = JSON.stringify({
			...JSON.parse(field.value),
			ledgerSource: 'accountingRecord',
			writeBackToBrex: true,
		});
		templateNode(copy, SYNC_NODES.webhookTrigger).webhookId = randomUUID();
		const created = await n.api<{ id: string }>('POST', '/workflows', {
			name: `${sync.name} (write-back)`,
			nodes: copy.nodes,
			connections: copy.connections,
			settings: copy.settings,
		});
		// The accounting records announced earlier were skipped (not the ledger source); queue some of them.
		// Card purchases with one expense line: each is the same purchase as an expense (source_id), so it is
		// booked once whichever kind came first (see the ledger document below); split records are covered by
		// test/e2e/codedSpend.e2e.test.ts.
		const queued = accountingIds
			.filter((id) => {
				const raw = brex.renderAccountingRecord(id) as {
					type: string;
					line_items: Array<{ type: string }>;
				};
				const debitLines = raw.line_items.filter((line) => line.type === 'DEBIT');
				return raw.type === 'CARD_EXPENSE_POST' && debitLines.length === 1;
			})
			.slice(0, 4);
		expect(queued).toHaveLength(4);
		await tables.insertRows(
			QUEUE_TABLE,
			queued.map((brexId) => ({
				brexId,
				recordKind: 'accountingRecord',
				lastError: 'queued by the e2e test',
				attempts: 0,
			})),
		);
		const execution = await runManually(n, created.id, SYNC_NODES.replayNow);
		const reports = (execution.data?.resultData?.runData?.['Report export to Brex'] ?? []).flatMap(
			(run) => run.data?.main?.[0]?.map((item) => item.json) ?? [],
		);
		const documents = new Map(
			x3
				.ledger()
				.entries.flatMap((entry) =>
					entry.lines.map((line) => [line.lineTrace.split(' ')[0], entry.documentNumber] as const),
				),
		);
		const outcomes = queued.map((id) => {
			const record = brex.state.accountingRecords.get(id)!;
			return {
				id,
				reviewStatus: record.review_status,
				reference:
					record.export_outcomes[record.export_outcomes.length - 1]?.success?.reference_id ?? null,
				// One entry per purchase: a record derived from an expense carries the expense's trace id.
				ledgerDocument:
					documents.get(purchaseTrace(record.source_type, record.source_id, id)) ?? null,
			};
		});
		log(`write-back: ${JSON.stringify(outcomes)}; report items: ${reports.length}`);
		expect(await tables.rows(QUEUE_TABLE)).toEqual([]);
		for (const outcome of outcomes) {
			expect(outcome).toEqual({
				id: outcome.id,
				reviewStatus: 'EXPORTED',
				reference: expect.stringMatching(/^BRX/),
				ledgerDocument: outcome.reference,
			});
		}
	});
});

/** The trace id the purchase of an accounting record is booked under, written from the rule in README. */
function purchaseTrace(
	sourceType: string | null,
	sourceId: string | null,
	recordId: string,
): string {
	return sourceId && (sourceType === 'CARD' || sourceType === 'REIMBURSEMENT')
		? spendTraceId('expense', sourceId)
		: spendTraceId('accountingRecord', recordId);
}

/** X3 calls by API (SOAP, GraphQL, REST) since the emulator started. */
function x3CallCounts(emulator: X3Emulator): Record<string, number> {
	const sum = (calls: Record<string, number>) =>
		Object.values(calls).reduce((total, count) => total + count, 0);
	return Object.fromEntries(
		Object.entries(emulator.stats.calls).map(([api, calls]) => [
			api,
			sum(calls as Record<string, number>),
		]),
	);
}

/** Brex ids with a posted or already_posted audit row. */
function postedIds(audit: TableRow[]): Set<string> {
	return new Set(
		audit
			.filter((row) => row.decision === 'posted' || row.decision === 'already_posted')
			.map((row) => String(row.brexId)),
	);
}

/** Skipped records (expenses not ready, accounting records) that have a 'skipped' audit row with a reason. */
function skippedAudited(
	audit: TableRow[],
	skippedExpenses: Map<string, string>,
	accountingIds: string[],
): { audited: number; missing: string[] } {
	const withReason = new Set(
		audit
			.filter(
				(row) =>
					row.decision === 'skipped' && typeof row.reason === 'string' && row.reason.trim() !== '',
			)
			.map((row) => String(row.brexId)),
	);
	const ids = [...skippedExpenses.keys(), ...accountingIds];
	const missing = ids.filter((id) => !withReason.has(id));
	return { audited: ids.length - missing.length, missing };
}

function decisionCounts(audit: TableRow[]): string {
	const counts: Record<string, number> = {};
	for (const row of audit) counts[String(row.decision)] = (counts[String(row.decision)] ?? 0) + 1;
	return Object.entries(counts)
		.map(([decision, count]) => `${decision} ${count}`)
		.join(', ');
}

function answerCounts(attempts: Array<{ status: number | null; error: string | null }>): string {
	const counts: Record<string, number> = {};
	for (const attempt of attempts) {
		const key = attempt.status === null ? 'no answer' : `HTTP ${attempt.status}`;
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return Object.entries(counts)
		.map(([key, count]) => `${key}: ${count}`)
		.join(', ');
}

function statusCounts(executions: Array<{ status: string }>): string {
	const counts: Record<string, number> = {};
	for (const execution of executions)
		counts[execution.status] = (counts[execution.status] ?? 0) + 1;
	return Object.entries(counts)
		.map(([status, count]) => `${status} ${count}`)
		.join(', ');
}
