/**
 * The benchmark (issue "Benchmark"): our template's nodes and a stock-node baseline in a real n8n 2.41.1
 * against the local emulators with fixed latency. Prints one table and writes bench/results.{md,json}.
 * Never fails for speed: targets not met are reported with the measured reason.
 *
 * Env: BENCH_QUICK=1 (small N), BENCH_ONLY=a,b (scenario ids, see SCENARIOS), BENCH_SKIP_BASELINE=1,
 * BENCH_RESTART=0 (keep one n8n for all scenarios), BENCH_WEBHOOK_RATE / BENCH_WEBHOOK_SECONDS,
 * BENCH_WEBHOOK_DRAIN_S, BENCH_CHUNK (50k backfill chunk size), BENCH_N_LARGE (default 10000),
 * BENCH_X3_READ_API=graphql (default)|soap|rest|template: the backfill's X3 reads (see workflows.ts); results of
 * a read API other than graphql go to results-<api>-reads.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	startBrexEmulator,
	signPayload,
	type BrexEmulator,
} from '../../test/emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../../test/emulators/x3/server';
import { CHART } from '../../test/emulators/seed';
import { N8nInstance, type CredentialFixture } from '../../test/e2e/lib/n8nInstance';
import { StopWaiting, sleepMs, waitFor } from '../../test/e2e/lib/tools';
import { setFieldValues, webhookUrlOf, withoutScheduledRuns } from '../../test/e2e/sync/drive';
import { QueueStack } from '../../test/reliability/lib/queueStack';
import { expectedLedger, templateSyncSettings } from '../../test/e2e/sync/expected';
import {
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	ledgerFigures,
	readTemplate,
	runManually,
	startManualRun,
	templateNode,
} from '../../test/e2e/sync/stack';
import { BASELINE_CREDENTIALS } from './baselineWorkflow';
import { RssSampler, groupRss, groupRssByProcess } from './rss';
import {
	BACKFILL_IDS,
	BENCH_CONNECTED_APP,
	BENCH_READ_API,
	STOCK_WEBHOOK_ID,
	STOCK_WEBHOOK_PATH,
	stockWebhookWorkflow,
	BASELINE_ID,
	BENCH_ROOT,
	NODES,
	POLLING_ID,
	backfillWorkflow,
	pollingWorkflow,
	readBaseline,
	writeBackfillFile,
	type Grouping,
} from './workflows';

// ---------------------------------------------------------------------------------------------------------
// Configuration

const QUICK = process.env.BENCH_QUICK === '1';
const SEED = 20261201;
const VENDORS = 300;
const LATENCY = { brexMs: 80, x3SaveMs: 300, x3OtherMs: 60, pool: 4 };
const PAGE = 100;
const N_SMALL = QUICK ? 200 : 1_000;
const N_LARGE = QUICK ? 400 : Number(process.env.BENCH_N_LARGE ?? 10_000);
const N_CHUNKED = QUICK ? 1_000 : 50_000;
const CHUNK = Number(process.env.BENCH_CHUNK ?? (QUICK ? 300 : 1_000));
/** NODE_OPTIONS of the chunked backfill's n8n (BENCH_CHUNKED_NODE_OPTIONS; empty for none). */
const CHUNKED_NODE_OPTIONS = process.env.BENCH_CHUNKED_NODE_OPTIONS ?? '--max-old-space-size=512';
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? (QUICK ? 20 : 100));
const WEBHOOK_SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? (QUICK ? 5 : 30));
/** The lower rate of the `webhook-sustained` scenario: what one n8n on this machine absorbs (BENCH_WEBHOOK_SUSTAINED_RATE). */
const WEBHOOK_SUSTAINED_RATE = Number(process.env.BENCH_WEBHOOK_SUSTAINED_RATE ?? (QUICK ? 5 : 10));
const WEBHOOK_DRAIN_S = Number(process.env.BENCH_WEBHOOK_DRAIN_S ?? 120);
const POLL_N = QUICK ? 200 : 1_000;
/** The webhook trigger's Answer Brex option in the webhook scenario (BENCH_WEBHOOK_ANSWER=afterFetch|onReceipt). */
const WEBHOOK_ANSWER = process.env.BENCH_WEBHOOK_ANSWER ?? 'onReceipt';
/** N8N_CONCURRENCY_PRODUCTION_LIMIT of the bench's n8n (BENCH_N8N_CONCURRENCY; -1 = n8n's default, no limit). */
const N8N_CONCURRENCY = Number(process.env.BENCH_N8N_CONCURRENCY ?? 8);
/** Covers every seeded purchase date (2026-07-01 .. 2026-09-30). */
const FULL_RANGE = { dateFrom: '2026-06-01', dateTo: '2026-12-31' };
const READ_API = BENCH_READ_API;
const RESULTS_BASE = path.join(
	BENCH_ROOT,
	`${QUICK ? 'results-quick' : 'results'}${READ_API !== 'graphql' ? `-${READ_API}-reads` : ''}`,
);

const SCENARIOS = [
	'ours-entrySet-small',
	'ours-perItem-small',
	'baseline-small',
	'webhook',
	'webhook-queue',
	'webhook-sustained',
	'empty-poll',
	'ours-entrySet-large',
	'ours-perItem-large',
	'ours-chunked',
] as const;
type ScenarioId = (typeof SCENARIOS)[number];

function selected(): ScenarioId[] {
	const only = (process.env.BENCH_ONLY ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	let list: ScenarioId[] = only.length
		? SCENARIOS.filter((id) => only.some((o) => id === o || id.startsWith(o)))
		: [...SCENARIOS];
	if (process.env.BENCH_SKIP_BASELINE === '1')
		list = list.filter((id) => !id.startsWith('baseline'));
	return list;
}

function log(message: string): void {
	console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

// ---------------------------------------------------------------------------------------------------------
// Result rows

interface Row {
	id: string;
	label: string;
	n: number;
	wallS: number | null;
	brexCalls: number;
	x3Calls: number;
	x3ByOperation: Record<string, number>;
	callsPerExpense: number;
	x3CallsPerExpense: number;
	lowerBound: number | null;
	lowerBoundParts?: Record<string, number>;
	ratioToBound: number | null;
	latencyBoundS: number | null;
	peakRssMiB: number;
	/** The same peak for n8n's main process alone (without the task runner), where measured. */
	peakMainRssMiB?: number;
	posted: number;
	expected: number;
	entries: number;
	notes: string[];
	measuredAt: string;
	extra?: Record<string, unknown>;
}

const rows = new Map<string, Row>();
/** RSS of n8n's process group 5 s after start, before any scenario. */
let idleRssMiB: number | null = null;
let idleMainRssMiB: number | null = null;

/**
 * X3 calls = HTTP requests the emulator answered. By operation: SOAP operations, REST classes and GraphQL
 * selections (one GraphQL trace check asks the journal entries and several aliased line selections in one request).
 */
function x3CallCount(x3: X3Emulator): { total: number; byOperation: Record<string, number> } {
	const byOperation: Record<string, number> = {};
	for (const [style, ops] of Object.entries(x3.stats.calls)) {
		for (const [op, count] of Object.entries(ops)) byOperation[`${style}:${op}`] = count;
	}
	return { total: x3.stats.http.requests, byOperation };
}

// ---------------------------------------------------------------------------------------------------------
// The stack

interface Stack {
	brex: BrexEmulator;
	x3: X3Emulator;
	n8n: N8nInstance;
	sampler: RssSampler;
	credentials: CredentialFixture[];
}

async function startStack(): Promise<Stack> {
	const brex = await startBrexEmulator({
		seed: SEED,
		expenseCount: N_SMALL,
		vendorCount: VENDORS,
		latencyMs: LATENCY.brexMs,
	});
	const x3 = await startX3Emulator({
		seed: SEED,
		seedOptions: { seed: SEED, vendorCount: VENDORS },
		poolSize: LATENCY.pool,
		latency: { saveMs: LATENCY.x3SaveMs, otherMs: LATENCY.x3OtherMs },
	});
	log(
		`emulators: Brex ${brex.url} (${LATENCY.brexMs} ms/call), X3 ${x3.url} (save ${LATENCY.x3SaveMs} ms, other ${LATENCY.x3OtherMs} ms, pool ${LATENCY.pool})`,
	);
	const n8n = await N8nInstance.create({
		name: 'bench',
		// n8n's concurrency control (README, "Running at volume"): webhook executions beyond the limit wait in
		// n8n's queue instead of competing for the CPU that answers the next delivery.
		// SQLite in WAL mode with a read pool (n8n's advice for SQLite in production): with the default single
		// connection, n8n's database ping times out under 100 webhook calls a second and n8n answers 503.
		env: {
			N8N_CONCURRENCY_PRODUCTION_LIMIT: String(N8N_CONCURRENCY),
			DB_SQLITE_POOL_SIZE: process.env.BENCH_SQLITE_POOL_SIZE ?? '4',
		},
	});
	const credentials: CredentialFixture[] = [
		...emulatorCredentials(emulatorEndpoints(brex, x3)),
		{
			...BASELINE_CREDENTIALS.brexHeader,
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${brex.token}` },
		},
		{
			...BENCH_CONNECTED_APP,
			type: 'sageX3ConnectedAppApi',
			data: {
				url: x3.url,
				endpoint: x3.config.endpoint,
				clientId: x3.config.clientId,
				clientSecret: x3.config.clientSecret,
				user: x3.config.user,
				audience: x3.config.audience,
				jwtLifetimeSeconds: 300,
				maxConcurrentCalls: LATENCY.pool,
				requestTimeoutSeconds: 60,
			},
		},
		{
			...BASELINE_CREDENTIALS.x3Basic,
			type: 'httpBasicAuth',
			data: { user: x3.config.user, password: x3.config.password },
		},
	];
	await n8n.importCredentials(credentials);
	writeBackfillFile();
	await n8n.importWorkflows([
		backfillWorkflow('entrySet'),
		backfillWorkflow('perItem'),
		readBaseline(),
		pollingWorkflow('2026-06-01T00:00:00Z', 100_000),
		stockWebhookWorkflow(),
	]);
	await n8n.cli(['import:workflow', `--input=${SYNC_TEMPLATE_FILE}`]);
	const sampler = new RssSampler(() => n8n.pid);
	log(`n8n folder ${n8n.root}`);
	await n8n.start();
	await sleepMs(5_000);
	const idle = groupRssByProcess(n8n.pid ?? -1);
	idleRssMiB = Math.round(groupRss(n8n.pid ?? -1) / 1048576);
	idleMainRssMiB = Math.round((idle.get(n8n.pid ?? -1) ?? 0) / 1048576);
	log(
		`n8n ready; idle RSS of its process group ${idleRssMiB} MiB (main process ${idleMainRssMiB} MiB, ${idle.size - 1} other: task runner)`,
	);
	return { brex, x3, n8n, sampler, credentials };
}

async function restartN8n(stack: Stack): Promise<void> {
	if (process.env.BENCH_RESTART === '0' && stack.n8n.running) return;
	await stack.n8n.stop();
	await stack.n8n.start();
}

function reseed(stack: Stack, expenseCount: number): void {
	stack.brex.reseed({ seed: SEED, expenseCount, vendorCount: VENDORS });
	stack.x3.reset();
	stack.brex.stats.reset();
	stack.x3.resetStats();
}

function resetStats(stack: Stack): void {
	stack.brex.stats.reset();
	stack.x3.resetStats();
}

/** Waits for one execution to end, asking for its status only (its data may be tens of MB). */
async function waitForEnd(
	n8n: N8nInstance,
	executionId: string,
	timeoutMs: number,
): Promise<string> {
	let status = 'unknown';
	await waitFor(
		async () => {
			const execution = await n8n.api<{ status: string; finished: boolean }>(
				'GET',
				`/executions/${executionId}`,
			);
			status = execution.status;
			return ['success', 'error', 'crashed', 'canceled'].includes(status);
		},
		{ timeoutMs, intervalMs: 1_000, describe: () => `execution ${executionId} (status ${status})` },
	);
	return status;
}

/**
 * Where an execution spent its time: per node, seconds from the execution's start to the node's first run and
 * the node's own run time (n8n's runData), so a wall time far above the latency bound shows its reason.
 */
interface NodeRun {
	startTime?: number;
	executionTime?: number;
	data?: { main?: Array<Array<{ json?: Record<string, unknown> }> | null> };
}

async function executionRunData(
	n8n: N8nInstance,
	executionId: string,
): Promise<Record<string, NodeRun[]>> {
	const execution = await n8n
		.api<{
			data?: { resultData?: { runData?: Record<string, NodeRun[]> } };
		}>('GET', `/executions/${executionId}?includeData=true`)
		.catch(() => undefined);
	return execution?.data?.resultData?.runData ?? {};
}

/** Items a node sent to its error output (second output), with their distinct reasons (at most 3). */
function errorOutput(
	runData: Record<string, NodeRun[]>,
	node: string,
): { count: number; reasons: string[] } {
	const items = (runData[node] ?? []).flatMap((run) => run.data?.main?.[1] ?? []);
	const reasons = [...new Set(items.map((item) => String(item.json?.error ?? '?').slice(0, 160)))];
	return { count: items.length, reasons: reasons.slice(0, 3) };
}

function nodeTimings(
	runData: Record<string, NodeRun[]>,
): Record<string, { startS: number; runS: number }> {
	const starts = Object.values(runData).flatMap((runs) =>
		runs.map((run) => run.startTime ?? Infinity),
	);
	const origin = Math.min(...starts);
	const timings: Record<string, { startS: number; runS: number }> = {};
	for (const [name, runs] of Object.entries(runData)) {
		const first = Math.min(...runs.map((run) => run.startTime ?? Infinity));
		const total = runs.reduce((sum, run) => sum + (run.executionTime ?? 0), 0);
		timings[name] = { startS: (first - origin) / 1000, runS: total / 1000 };
	}
	return timings;
}

function formatTimings(timings: Record<string, { startS: number; runS: number }>): string {
	return Object.entries(timings)
		.sort(([, a], [, b]) => a.startS - b.startS)
		.filter(([, t]) => t.runS >= 0.5)
		.map(([name, t]) => `${name} ${t.runS.toFixed(1)} s`)
		.join(', ');
}

interface Postable {
	count: number;
	distinctVendors: number;
}

function postable(brex: BrexEmulator): Postable {
	const expected = expectedLedger(brex, templateSyncSettings());
	const vendors = new Set<string>();
	for (const id of expected.postings.keys()) {
		const raw = brex.renderExpense(id, ['merchant']) as { merchant?: { raw_descriptor?: string } };
		vendors.add(raw.merchant?.raw_descriptor ?? '');
	}
	return { count: expected.postings.size, distinctVendors: vendors.size };
}

function lastEntryAt(x3: X3Emulator): number | null {
	let last: number | null = null;
	for (const entry of x3.ledger().entries) {
		const at = Date.parse(entry.createdAt);
		if (!Number.isNaN(at) && (last === null || at > last)) last = at;
	}
	return last;
}

/**
 * Lower bound of calls for a backfill of n expenses: ⌈n/100⌉ Brex pages + one X3 save per entry set + one
 * supplier lookup per distinct vendor + one trace check per entry set. Its latency bound: those calls × their
 * latency ÷ the pool size.
 */
function lowerBound(n: number, entrySets: number, distinctVendors: number) {
	const parts = {
		brexPages: Math.ceil(n / PAGE),
		x3Saves: entrySets,
		supplierLookups: distinctVendors,
		traceChecks: entrySets,
	};
	const total = parts.brexPages + parts.x3Saves + parts.supplierLookups + parts.traceChecks;
	const latencyMs =
		(parts.brexPages * LATENCY.brexMs +
			parts.x3Saves * LATENCY.x3SaveMs +
			(parts.supplierLookups + parts.traceChecks) * LATENCY.x3OtherMs) /
		LATENCY.pool;
	return { parts, total, latencyS: latencyMs / 1000 };
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios

async function backfill(
	stack: Stack,
	id: ScenarioId,
	kind: 'ours' | 'baseline',
	grouping: Grouping,
	n: number,
): Promise<Row> {
	const { brex, x3, n8n, sampler } = stack;
	reseed(stack, n);
	const expected = postable(brex);
	await restartN8n(stack);
	const workflowId = kind === 'ours' ? BACKFILL_IDS[grouping] : BASELINE_ID;
	if (kind === 'ours') {
		await setFieldValues(n8n, workflowId, NODES.range, FULL_RANGE);
	} else {
		await setFieldValues(n8n, workflowId, NODES.baselineSettings, {
			brexUrl: brex.url,
			x3SoapUrl: x3.config.soapUrl,
			poolAlias: x3.config.poolAlias,
			...FULL_RANGE,
		});
	}
	resetStats(stack);
	log(
		`${id}: ${kind} ${grouping}, N=${n} (${expected.count} ready for the ledger, ${expected.distinctVendors} vendors)`,
	);
	sampler.start();
	const started = Date.now();
	const executionId = await startManualRun(
		n8n,
		workflowId,
		kind === 'ours' ? NODES.start : NODES.baselineStart,
	);
	const status = await waitForEnd(n8n, executionId, 3 * 60 * 60_000);
	const ended = Date.now();
	const peak = sampler.stop();
	const runData = await executionRunData(n8n, executionId);
	const timings = nodeTimings(runData);
	const failedItems = ['Find or create supplier', 'Post spend'].map((node) => ({
		node,
		...errorOutput(runData, node),
	}));
	const last = lastEntryAt(x3);
	const wallS = ((last ?? ended) - started) / 1000;
	const ledger = x3.ledger();
	const figures = ledgerFigures(ledger, CHART.cardLiabilityAccount);
	const posted = kind === 'ours' ? figures.linesByItemTrace.size : ledger.entries.length;
	const entrySets = grouping === 'entrySet' ? ledger.entries.length : expected.count;
	const bound = lowerBound(n, entrySets, expected.distinctVendors);
	const x3Count = x3CallCount(x3);
	const calls = brex.stats.total + x3Count.total;
	const notes: string[] = [];
	if (status !== 'success') {
		notes.push(`execution ${executionId} ended ${status}`);
		const failed = await n8n
			.api<{
				data?: {
					resultData?: {
						error?: { message?: string; description?: string };
						lastNodeExecuted?: string;
					};
				};
			}>('GET', `/executions/${executionId}?includeData=true`)
			.catch(() => undefined);
		const result = failed?.data?.resultData;
		const reason =
			`${result?.lastNodeExecuted ?? '?'}: ${result?.error?.message ?? '?'} ${result?.error?.description ?? ''}`.trim();
		notes.push(reason.slice(0, 300));
		log(
			`${id}: execution error at ${reason}; X3 HTTP answers ${JSON.stringify(x3.stats.http.byStatus)}, Brex ${JSON.stringify(brex.stats.byStatus)}`,
		);
	}
	if (posted !== expected.count) notes.push(`posted ${posted} of ${expected.count}`);
	for (const failed of failedItems) {
		if (failed.count > 0)
			notes.push(
				`${failed.node}: ${failed.count} items on the error output (${failed.reasons.join(' | ')})`,
			);
	}
	const timingText = formatTimings(timings);
	if (timingText) notes.push(`node run times: ${timingText}`);
	if (figures.duplicateItemTraces.length)
		notes.push(`${figures.duplicateItemTraces.length} duplicate trace ids`);
	const row: Row = {
		id,
		label: kind === 'ours' ? `ours (${grouping}, ${READ_API} reads)` : 'baseline (stock nodes)',
		n,
		wallS,
		brexCalls: brex.stats.total,
		x3Calls: x3Count.total,
		x3ByOperation: x3Count.byOperation,
		callsPerExpense: calls / n,
		x3CallsPerExpense: x3Count.total / n,
		lowerBound: bound.total,
		lowerBoundParts: bound.parts,
		ratioToBound: calls / bound.total,
		latencyBoundS: bound.latencyS,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted,
		expected: expected.count,
		entries: ledger.entries.length,
		notes,
		measuredAt: new Date().toISOString(),
		extra: {
			executionStatus: status,
			executionEndS: (ended - started) / 1000,
			x3PoolPeak: x3.stats.pool.peak,
			x3BusyAnswers: x3.stats.pool.busyAnswers,
			nodeTimings: timings,
		},
	};
	log(
		`${id}: ${wallS.toFixed(1)} s, Brex ${row.brexCalls}, X3 ${row.x3Calls} ${JSON.stringify(x3Count.byOperation)}, posted ${posted}/${expected.count} in ${ledger.entries.length} entries, peak ${peak} MiB, status ${status}`,
	);
	return row;
}

/**
 * 50k (quick: 1k) expenses in date-window chunks of at most CHUNK expenses, one execution per chunk, in an n8n of
 * its own started with CHUNKED_NODE_OPTIONS (a capped V8 heap: n8n otherwise lets its heap grow to well over
 * 1 GB although each chunk needs far less).
 */
async function chunkedBackfill(stack: Stack): Promise<Row> {
	await stack.n8n.stop();
	const n8n = await N8nInstance.create({
		name: 'bench-chunked',
		env: {
			DB_SQLITE_POOL_SIZE: '4',
			...(CHUNKED_NODE_OPTIONS ? { NODE_OPTIONS: CHUNKED_NODE_OPTIONS } : {}),
		},
	});
	try {
		await n8n.importCredentials(stack.credentials);
		await n8n.importWorkflows([backfillWorkflow('entrySet')]);
		await n8n.start();
		return await runChunkedBackfill(stack, n8n, new RssSampler(() => n8n.pid));
	} finally {
		await n8n.dispose();
	}
}

async function runChunkedBackfill(
	stack: Stack,
	n8n: N8nInstance,
	sampler: RssSampler,
): Promise<Row> {
	const { brex, x3 } = stack;
	const id: ScenarioId = 'ours-chunked';
	reseed(stack, N_CHUNKED);
	const expected = postable(brex);
	const perDay = new Map<string, number>();
	for (const expense of brex.state.expenses.values()) {
		const day = String((expense as unknown as { purchased_at: string }).purchased_at).slice(0, 10);
		perDay.set(day, (perDay.get(day) ?? 0) + 1);
	}
	const windows: Array<{ dateFrom: string; dateTo: string; count: number }> = [];
	for (const [day, count] of [...perDay].sort(([a], [b]) => a.localeCompare(b))) {
		const current = windows[windows.length - 1];
		if (current && current.count + count <= CHUNK) {
			current.dateTo = day;
			current.count += count;
		} else windows.push({ dateFrom: day, dateTo: day, count });
	}
	resetStats(stack);
	log(
		`${id}: N=${N_CHUNKED} in ${windows.length} date windows of ≤ ${CHUNK} (largest ${Math.max(...windows.map((w) => w.count))}), n8n NODE_OPTIONS ${CHUNKED_NODE_OPTIONS || '(none)'}`,
	);
	sampler.start();
	const started = Date.now();
	const statuses: string[] = [];
	for (const [index, window] of windows.entries()) {
		await setFieldValues(n8n, BACKFILL_IDS.entrySet, NODES.range, {
			dateFrom: window.dateFrom,
			dateTo: window.dateTo,
		});
		const executionId = await startManualRun(n8n, BACKFILL_IDS.entrySet, NODES.start);
		statuses.push(await waitForEnd(n8n, executionId, 60 * 60_000));
		log(
			`${id}: chunk ${index + 1}/${windows.length} (${window.dateFrom}..${window.dateTo}, ${window.count}) ${statuses[statuses.length - 1]}, ledger ${x3.state.journalEntries.length} entries, peak so far ${Math.round(sampler.peakBytes / 1048576)} MiB`,
		);
	}
	const ended = Date.now();
	const peak = sampler.stop();
	const ledger = x3.ledger();
	const figures = ledgerFigures(ledger, CHART.cardLiabilityAccount);
	const bound = lowerBound(N_CHUNKED, ledger.entries.length, expected.distinctVendors);
	const x3Count = x3CallCount(x3);
	const calls = brex.stats.total + x3Count.total;
	const notes = [
		`${windows.length} chunks of ≤ ${CHUNK}`,
		`n8n NODE_OPTIONS ${CHUNKED_NODE_OPTIONS || '(none)'}`,
	];
	const failed = statuses.filter((s) => s !== 'success').length;
	if (failed) notes.push(`${failed} chunk executions did not succeed`);
	if (figures.linesByItemTrace.size !== expected.count)
		notes.push(`posted ${figures.linesByItemTrace.size} of ${expected.count}`);
	return {
		id,
		label: `ours (entrySet, chunked, ${READ_API} reads)`,
		n: N_CHUNKED,
		wallS: ((lastEntryAt(x3) ?? ended) - started) / 1000,
		brexCalls: brex.stats.total,
		x3Calls: x3Count.total,
		x3ByOperation: x3Count.byOperation,
		callsPerExpense: calls / N_CHUNKED,
		x3CallsPerExpense: x3Count.total / N_CHUNKED,
		lowerBound: bound.total,
		lowerBoundParts: bound.parts,
		ratioToBound: calls / bound.total,
		latencyBoundS: bound.latencyS,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted: figures.linesByItemTrace.size,
		expected: expected.count,
		entries: ledger.entries.length,
		notes,
		measuredAt: new Date().toISOString(),
	};
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Signed deliveries at a fixed rate (open loop) into the active template; acknowledgement latency. */
/** The Brex Trigger's "Answer Brex" option in the imported template (README, "Running at volume"). */
async function setTriggerAnswer(
	n8n: N8nInstance,
	workflowId: string,
	answer: string,
): Promise<void> {
	const workflow = await n8n.api<{
		name: string;
		nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
		connections: unknown;
		settings: unknown;
	}>('GET', `/workflows/${workflowId}`);
	const trigger = workflow.nodes.find((node) => node.name === SYNC_NODES.webhookTrigger);
	if (!trigger) throw new Error(`The template has no node "${SYNC_NODES.webhookTrigger}"`);
	trigger.parameters.options = { ...(trigger.parameters.options as object), answer };
	await n8n.api('PUT', `/workflows/${workflowId}`, {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
}

/**
 * Webhook ingestion into the active template: in the bench's single n8n (regular mode, SQLite), or in n8n's
 * queue mode (main + webhook processor + 2 workers, Redis and PostgreSQL), n8n's answer for webhook volume.
 */
async function webhookIngestion(stack: Stack, id: ScenarioId): Promise<Row> {
	const queueMode = id === 'webhook-queue';
	const rate = id === 'webhook-sustained' ? WEBHOOK_SUSTAINED_RATE : WEBHOOK_RATE;
	const total = Math.round(rate * WEBHOOK_SECONDS);
	reseed(stack, total);
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	if (!queueMode) {
		await restartN8n(stack);
		return await measureWebhookIngestion(
			stack,
			id,
			rate,
			sync,
			stack.n8n,
			stack.sampler,
			stack.n8n.baseUrl,
		);
	}
	// The bench's own n8n would compete for the 2 cores.
	await stack.n8n.stop();
	const queue = await QueueStack.create({ name: 'bench-queue', workers: 2, workerConcurrency: 4 });
	try {
		await queue.main.importCredentials(stack.credentials);
		await queue.main.cli(['import:workflow', `--input=${SYNC_TEMPLATE_FILE}`]);
		await queue.main.importWorkflows([stockWebhookWorkflow()]);
		await queue.start();
		log(`${id}: ${queue.describe()}`);
		const sampler = new RssSampler(() => queue.n8nProcessGroups());
		return await measureWebhookIngestion(
			stack,
			id,
			rate,
			sync,
			queue.main,
			sampler,
			queue.webhookBaseUrl,
		);
	} finally {
		await queue.dispose();
	}
}

/**
 * The workflow's executions, waiting out n8n's "Database is not ready" (503): under a webhook flood n8n's
 * database health check times out and n8n refuses every request, the API included, until it recovers.
 */
async function statusesOnceReady(
	n8n: N8nInstance,
	workflowId: string,
): Promise<Awaited<ReturnType<N8nInstance['executionStatuses']>>> {
	let statuses: Awaited<ReturnType<N8nInstance['executionStatuses']>> = [];
	let lastError = '';
	await waitFor(
		async () => {
			try {
				statuses = await n8n.executionStatuses(workflowId);
				return true;
			} catch (error) {
				lastError = (error as Error).message.slice(0, 200);
				if (!/\b503\b/.test(lastError)) throw new StopWaiting(lastError);
				return false;
			}
		},
		{ timeoutMs: 5 * 60_000, intervalMs: 2_000, describe: () => `n8n's API (${lastError})` },
	);
	return statuses;
}

/** One Brex delivery, signed now as Svix signs it. */
async function postSigned(
	url: string,
	secrets: string[],
	webhookId: string,
	payload: string,
	timeoutMs?: number,
): Promise<Response> {
	const timestamp = Math.floor(Date.now() / 1000);
	return await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'webhook-id': webhookId,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signPayload(secrets, webhookId, timestamp, payload),
		},
		body: payload,
		...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
	});
}

/** Ten sequential calls of n8n's own Webhook node (answering on receipt) on the idle n8n; sorted latencies. */
async function stockWebhookFloor(n8n: N8nInstance, webhookBaseUrl: string): Promise<number[]> {
	await n8n.activate(STOCK_WEBHOOK_ID);
	const url = `${webhookBaseUrl}/webhook/${STOCK_WEBHOOK_PATH}`;
	const call = async () =>
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"ping":true}',
		});
	await waitFor(async () => (await call()).ok, {
		timeoutMs: 60_000,
		describe: () => `n8n's Webhook node at ${url}`,
	});
	const latencies: number[] = [];
	for (let index = 0; index < 10; index++) {
		const sent = performance.now();
		const response = await call();
		await response.arrayBuffer();
		if (response.ok) latencies.push(performance.now() - sent);
	}
	await n8n.deactivate(STOCK_WEBHOOK_ID);
	return latencies.sort((a, b) => a - b);
}

async function measureWebhookIngestion(
	stack: Stack,
	id: ScenarioId,
	rate: number,
	sync: ReturnType<typeof readTemplate>,
	n8n: N8nInstance,
	sampler: RssSampler,
	webhookBaseUrl: string,
): Promise<Row> {
	const { brex, x3 } = stack;
	await runManually(n8n, sync.id, SYNC_NODES.setupTables);
	await setTriggerAnswer(n8n, sync.id, WEBHOOK_ANSWER);
	const before = withoutScheduledRuns(await n8n.executionStatuses(sync.id)).length;
	await n8n.activate(sync.id);
	const hookUrl = webhookUrlOf(
		{ baseUrl: webhookBaseUrl },
		templateNode(sync, SYNC_NODES.webhookTrigger),
	);
	await waitFor(
		async () => {
			if (![...brex.state.webhooks.values()].some((hook) => hook.url === hookUrl)) return false;
			// Side-effect-free CORS preflight: the allowed methods include POST once the path is live.
			const preflight = await fetch(hookUrl, {
				method: 'OPTIONS',
				headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'POST' },
			});
			return /\bPOST\b/i.test(preflight.headers.get('access-control-allow-methods') ?? '');
		},
		{ timeoutMs: 120_000, describe: () => `the Brex webhook ${hookUrl} registered and served` },
	);
	const secrets = brex.state.webhookSecrets.map((secret) => secret.secret);
	const events = brex.buildEvents({
		eventType: 'EXPENSE_PAYMENT_UPDATED',
		ids: [...brex.state.expenses.keys()].slice(0, Math.round(rate * WEBHOOK_SECONDS)),
	});
	// The floor: n8n's webhook path and the trigger's verification on an idle n8n, without an execution (an
	// event type the template does not select is answered 200 and starts nothing).
	const idle: number[] = [];
	for (let index = 0; index < 10; index++) {
		const payload = JSON.stringify({
			event_type: 'TRANSFER_PROCESSED',
			transfer_id: `tr_${index}`,
		});
		const sent = performance.now();
		const response = await postSigned(hookUrl, secrets, `msg_bench_idle_${index}`, payload);
		await response.arrayBuffer();
		if (response.ok) idle.push(performance.now() - sent);
	}
	idle.sort((a, b) => a - b);
	const stock = await stockWebhookFloor(n8n, webhookBaseUrl);
	resetStats(stack);
	log(
		`${id}: idle n8n: the Brex Trigger answers an unselected event in p50 ${percentile(idle, 50).toFixed(1)} ms (max ${idle[idle.length - 1]?.toFixed(1)} ms, ${idle.length}/10 answered 200); n8n's own Webhook node answers in p50 ${percentile(stock, 50).toFixed(1)} ms (max ${stock[stock.length - 1]?.toFixed(1)} ms)`,
	);
	log(`${id}: ${events.length} signed deliveries at ${rate}/s into ${hookUrl}`);
	sampler.start();
	const latencies: number[] = [];
	const statusCounts: Record<string, number> = {};
	const started = Date.now();
	const sends: Array<Promise<void>> = [];
	for (const [index, event] of events.entries()) {
		const due = started + (index * 1000) / rate;
		const wait = due - Date.now();
		if (wait > 0) await sleepMs(wait);
		const payload = JSON.stringify(event.body);
		// Ids unique per scenario: n8n remembers processed webhook ids across restarts.
		const webhookId = `msg_bench_${id}_${SEED}_${index}`;
		sends.push(
			(async () => {
				const sent = performance.now();
				let key = 'error';
				try {
					const response = await postSigned(hookUrl, secrets, webhookId, payload, 30_000);
					await response.arrayBuffer();
					key = String(response.status);
				} catch (error) {
					key = (error as Error).name;
				}
				latencies.push(performance.now() - sent);
				statusCounts[key] = (statusCounts[key] ?? 0) + 1;
			})(),
		);
	}
	const sendSpanS = (Date.now() - started) / 1000;
	await Promise.all(sends);
	const answeredS = (Date.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const accepted = Object.entries(statusCounts)
		.filter(([status]) => /^2\d\d$/.test(status))
		.reduce((sum, [, count]) => sum + count, 0);
	// n8n creates the execution of a webhook call before it answers; let the listing catch up.
	await sleepMs(3_000);
	const started8n = withoutScheduledRuns(await statusesOnceReady(n8n, sync.id)).length - before;
	log(
		`${id}: sent in ${sendSpanS.toFixed(1)} s, all answered at ${answeredS.toFixed(1)} s; statuses ${JSON.stringify(statusCounts)}; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; executions started ${started8n}`,
	);
	// Drain (bounded): the executions post to X3 through its pool of 4.
	const expected = expectedLedger(brex, templateSyncSettings()).postings.size;
	const drainStarted = Date.now();
	let unfinished = -1;
	try {
		await waitFor(
			async () => {
				const statuses = await statusesOnceReady(n8n, sync.id);
				unfinished = statuses.filter(
					(e) => !['success', 'error', 'crashed', 'canceled'].includes(e.status),
				).length;
				return unfinished === 0;
			},
			{
				timeoutMs: WEBHOOK_DRAIN_S * 1000,
				intervalMs: 5_000,
				describe: () => `${unfinished} unfinished`,
			},
		);
	} catch {
		// Reported below.
	}
	const drainS = (Date.now() - drainStarted) / 1000;
	const peak = sampler.stop();
	const figures = ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount);
	const finalStatuses = await statusesOnceReady(n8n, sync.id);
	const byStatus: Record<string, number> = {};
	for (const e of finalStatuses.slice(0)) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	await n8n.deactivate(sync.id).catch(() => undefined);
	const x3Count = x3CallCount(x3);
	const startedFinal = withoutScheduledRuns(finalStatuses).length - before;
	const notes = [
		`ack p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]?.toFixed(1)} ms (idle n8n: Brex Trigger without execution p50 ${percentile(idle, 50).toFixed(1)} ms, n8n's own Webhook node p50 ${percentile(stock, 50).toFixed(1)} ms)`,
		`${accepted} of ${events.length} acknowledged (2xx), answers ${JSON.stringify(statusCounts)}`,
		`${startedFinal} executions started (${started8n} listed 3 s after the last answer)` +
			(startedFinal === accepted
				? ', one per acknowledged delivery (none lost, none doubled)'
				: startedFinal > accepted
					? `, ${startedFinal - accepted} for deliveries whose answer did not arrive in time (Brex would redeliver them; the trigger drops a redelivered webhook id it has seen)`
					: `, ${accepted - startedFinal} acknowledged deliveries started no execution (LOST)`),
		unfinished === 0
			? `drained in ${drainS.toFixed(0)} s after the last answer`
			: `${unfinished} executions still unfinished ${drainS.toFixed(0)} s after the last answer (drain not awaited further)`,
		`ledger: ${figures.linesByItemTrace.size} of ${expected} ready expenses posted, ${figures.duplicateItemTraces.length} duplicate trace ids`,
		`Brex calls ${JSON.stringify(brex.stats.byRoute)}`,
	];
	log(`${id}: ${notes.join('; ')}; execution statuses ${JSON.stringify(byStatus)}`);
	return {
		id,
		label: `webhook ${rate}/s × ${WEBHOOK_SECONDS} s (${id === 'webhook-queue' ? 'queue mode' : 'one n8n, SQLite'}, answer ${WEBHOOK_ANSWER})`,
		n: events.length,
		wallS: answeredS,
		brexCalls: brex.stats.total,
		x3Calls: x3Count.total,
		x3ByOperation: x3Count.byOperation,
		callsPerExpense: (brex.stats.total + x3Count.total) / events.length,
		x3CallsPerExpense: x3Count.total / events.length,
		lowerBound: null,
		ratioToBound: null,
		latencyBoundS: null,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted: figures.linesByItemTrace.size,
		expected,
		entries: x3.ledger().entries.length,
		notes,
		measuredAt: new Date().toISOString(),
		extra: {
			ackP50Ms: percentile(latencies, 50),
			ackP90Ms: percentile(latencies, 90),
			ackP99Ms: percentile(latencies, 99),
			ackMaxMs: latencies[latencies.length - 1],
			idleAckP50Ms: percentile(idle, 50),
			idleAckMaxMs: idle[idle.length - 1],
			stockWebhookP50Ms: percentile(stock, 50),
			stockWebhookMaxMs: stock[stock.length - 1],
			httpStatuses: statusCounts,
			accepted,
			executionsStarted: startedFinal,
			executionsListedAfter3s: started8n,
			executionStatuses: byStatus,
			sendSpanS,
			drainS,
			unfinishedAtEnd: unfinished,
			brexByRoute: { ...brex.stats.byRoute },
		},
	};
}

/** Peak of n8n's main process alone, when the sampler watched one n8n (not a queue-mode stack). */
function mainPeakMiB(sampler: RssSampler): number | undefined {
	return sampler.peakLeaderBytes > 0 ? Math.round(sampler.peakLeaderBytes / 1048576) : undefined;
}

/** The polling trigger: a first poll of POLL_N expenses, then a poll that finds nothing new. */
async function emptyPoll(stack: Stack): Promise<Row> {
	const { brex, n8n, sampler } = stack;
	const id: ScenarioId = 'empty-poll';
	reseed(stack, POLL_N);
	await restartN8n(stack);
	sampler.start();
	const stable = async (what: string) => {
		let last = -1;
		let since = Date.now();
		await waitFor(
			() => {
				if (brex.stats.total !== last) {
					last = brex.stats.total;
					since = Date.now();
					return false;
				}
				return Date.now() - since > 3_000;
			},
			{ timeoutMs: 120_000, intervalMs: 250, describe: () => what },
		);
	};
	// Activation runs the first poll at once (n8n tests a poll trigger when it activates it).
	await n8n.activate(POLLING_ID);
	await n8n.waitForExecutions(POLLING_ID, 1, 120_000);
	await stable('first poll');
	const firstPollCalls = brex.stats.total;
	const firstRoutes = { ...brex.stats.byRoute };
	await n8n.deactivate(POLLING_ID);
	resetStats(stack);
	await n8n.activate(POLLING_ID);
	await stable('second poll');
	const emptyPollCalls = brex.stats.total;
	const emptyRoutes = { ...brex.stats.byRoute };
	const executions = (await n8n.executionStatuses(POLLING_ID)).length;
	await n8n.deactivate(POLLING_ID);
	const peak = sampler.stop();
	const notes = [
		`first poll of ${POLL_N} expenses: ${firstPollCalls} Brex calls ${JSON.stringify(firstRoutes)}`,
		`poll with nothing new: ${emptyPollCalls} Brex calls ${JSON.stringify(emptyRoutes)}`,
		`executions after both polls: ${executions} (1 expected: the empty poll starts none)`,
	];
	log(`${id}: ${notes.join('; ')}`);
	return {
		id,
		label: 'polling: poll with nothing new',
		n: POLL_N,
		wallS: null,
		brexCalls: emptyPollCalls,
		x3Calls: 0,
		x3ByOperation: {},
		callsPerExpense: NaN,
		x3CallsPerExpense: NaN,
		lowerBound: 1,
		ratioToBound: emptyPollCalls / 1,
		latencyBoundS: null,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted: 0,
		expected: 0,
		entries: 0,
		notes,
		measuredAt: new Date().toISOString(),
		extra: { firstPollCalls, emptyPollCalls, executions },
	};
}

// ---------------------------------------------------------------------------------------------------------
// Report

function fmt(value: number | null | undefined, digits = 1): string {
	if (value === null || value === undefined || Number.isNaN(value)) return '–';
	return value.toFixed(digits);
}

function table(all: Row[]): string {
	const header =
		'| scenario | N | wall (s) | Brex calls | X3 calls | calls / expense | X3 calls / expense | lower bound (calls) | ratio to bound | latency bound (s) | peak n8n RSS (MiB) | posted / ready | notes |';
	const rule = '|' + ' --- |'.repeat(13);
	const lines = all.map(
		(row) =>
			`| ${row.label} | ${row.n} | ${fmt(row.wallS)} | ${row.brexCalls} | ${row.x3Calls} | ${fmt(row.callsPerExpense, 3)} | ${fmt(row.x3CallsPerExpense, 3)} | ${row.lowerBound ?? '–'} | ${fmt(row.ratioToBound, 2)} | ${fmt(row.latencyBoundS)} | ${row.peakRssMiB}${row.peakMainRssMiB ? ` (main ${row.peakMainRssMiB})` : ''} | ${row.expected ? `${row.posted} / ${row.expected}` : '–'} | ${row.notes.join('; ')} |`,
	);
	return [header, rule, ...lines].join('\n');
}

function targets(all: Map<string, Row>): string[] {
	const out: string[] = [];
	const get = (id: ScenarioId) => all.get(id);
	const oursSmall = get('ours-entrySet-small');
	const baseline = get('baseline-small');
	if (oursSmall?.wallS && baseline?.wallS) {
		out.push(
			`wall time ours ÷ baseline at N = ${oursSmall.n}: ${fmt(oursSmall.wallS / baseline.wallS, 3)} (target ≤ 0.1; ${fmt(oursSmall.wallS)} s vs ${fmt(baseline.wallS)} s)`,
		);
	}
	const perItemSmall = get('ours-perItem-small');
	if (perItemSmall?.wallS && baseline?.wallS) {
		out.push(
			`wall time ours (perItem) ÷ baseline at N = ${perItemSmall.n}: ${fmt(perItemSmall.wallS / baseline.wallS, 3)}`,
		);
	}
	for (const id of [
		'ours-entrySet-large',
		'ours-perItem-large',
		'ours-entrySet-small',
		'ours-perItem-small',
	] as const) {
		const row = get(id);
		if (!row?.wallS || !row.latencyBoundS) continue;
		out.push(
			`${row.label} N = ${row.n}: wall ÷ latency bound = ${fmt(row.wallS / row.latencyBoundS, 2)} (${fmt(row.wallS)} s ÷ ${fmt(row.latencyBoundS)} s; target ≤ 1.25 at N = 10,000); calls ÷ lower bound = ${fmt(row.ratioToBound, 2)} (target ≤ 1.1); X3 calls per expense = ${fmt(row.x3CallsPerExpense, 3)} (target ≤ ${id.includes('entrySet') ? '0.05' : '1.1'} at N = 10,000); X3 calls by operation ${JSON.stringify(row.x3ByOperation)}`,
		);
	}
	const chunked = get('ours-chunked');
	if (chunked)
		out.push(
			`${chunked.n}-expense chunked backfill: peak n8n RSS ${chunked.peakRssMiB} MiB (target ≤ 1024; main process alone ${chunked.peakMainRssMiB ?? '?'} MiB; idle n8n ${idleRssMiB ?? '?'} MiB), wall ${fmt(chunked.wallS)} s, ${chunked.notes.join('; ')}`,
		);
	for (const hookId of ['webhook', 'webhook-queue', 'webhook-sustained'] as const) {
		const hook = get(hookId);
		if (hook?.extra)
			out.push(
				`${hook.label}: p50 ${fmt(hook.extra.ackP50Ms as number)} ms, p99 ${fmt(hook.extra.ackP99Ms as number)} ms (target ≤ 50), ${hook.notes.join('; ')}`,
			);
	}
	const poll = get('empty-poll');
	if (poll) out.push(`empty poll: ${poll.brexCalls} Brex call(s) (target 1)`);
	return out;
}

function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}, n8n 2.41.1`;
}

function writeResults(): void {
	const jsonFile = `${RESULTS_BASE}.json`;
	// Results of earlier (partial) runs are kept, per scenario; a new measurement replaces the old one.
	let previous: { rows?: Row[] } = {};
	if (fs.existsSync(jsonFile)) {
		try {
			previous = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
		} catch {
			previous = {};
		}
	}
	const merged = new Map<string, Row>((previous.rows ?? []).map((row) => [row.id, row]));
	for (const [id, row] of rows) merged.set(id, row);
	const ordered = SCENARIOS.map((id) => merged.get(id)).filter((row): row is Row => !!row);
	const data = {
		updatedAt: new Date().toISOString(),
		machine: machine(),
		latency: LATENCY,
		seed: SEED,
		vendors: VENDORS,
		quick: QUICK,
		idleRssMiB: idleRssMiB ?? (previous as { idleRssMiB?: number }).idleRssMiB ?? null,
		idleMainRssMiB:
			idleMainRssMiB ?? (previous as { idleMainRssMiB?: number }).idleMainRssMiB ?? null,
		rows: ordered,
	};
	fs.writeFileSync(jsonFile, JSON.stringify(data, null, '\t') + '\n');
	const unmeasured = SCENARIOS.filter((id) => !merged.has(id));
	const md = [
		`# Benchmark results${QUICK ? ' (quick smoke run, small N)' : ''}`,
		'',
		`Updated ${data.updatedAt} on ${data.machine}.`,
		`Idle n8n (main process + task runner, 5 s after start, before any scenario): ${data.idleRssMiB ?? '?'} MiB RSS, of which the main process ${data.idleMainRssMiB ?? '?'} MiB.`,
		`Emulators: Brex ${LATENCY.brexMs} ms per call; X3 SOAP save ${LATENCY.x3SaveMs} ms, other X3 calls ${LATENCY.x3OtherMs} ms, X3 pool of ${LATENCY.pool}. ${VENDORS} vendors, seed ${SEED}.`,
		'Produced by `bash bench/run.sh` (see bench/README.md); each row carries its own measurement time in results JSON.',
		'',
		table(ordered),
		'',
		'Lower bound = ⌈N/100⌉ Brex pages + one X3 save per entry set + one supplier lookup per distinct vendor + one trace check per entry set (entry sets = ledger entries for daily sets, ready expenses for one entry per expense). Latency bound = those calls × their latency ÷ pool size.',
		'',
		'## Against the targets',
		'',
		...targets(merged).map((line) => `- ${line}`),
		'',
		unmeasured.length
			? `Not measured in these results: ${unmeasured.join(', ')}.`
			: 'Every scenario was measured.',
		'',
	].join('\n');
	fs.writeFileSync(`${RESULTS_BASE}.md`, md);
	console.log('\n' + table(ordered) + '\n');
	for (const line of targets(merged)) console.log(`- ${line}`);
	console.log(`\nwritten: ${RESULTS_BASE}.md, ${jsonFile}`);
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const list = selected();
	log(`scenarios: ${list.join(', ')}${QUICK ? ' (quick)' : ''}`);
	const stack = await startStack();
	let failure: unknown;
	try {
		for (const id of list) {
			try {
				let row: Row;
				if (id === 'ours-entrySet-small')
					row = await backfill(stack, id, 'ours', 'entrySet', N_SMALL);
				else if (id === 'ours-perItem-small')
					row = await backfill(stack, id, 'ours', 'perItem', N_SMALL);
				else if (id === 'baseline-small')
					row = await backfill(stack, id, 'baseline', 'perItem', N_SMALL);
				else if (id === 'ours-entrySet-large')
					row = await backfill(stack, id, 'ours', 'entrySet', N_LARGE);
				else if (id === 'ours-perItem-large')
					row = await backfill(stack, id, 'ours', 'perItem', N_LARGE);
				else if (id === 'ours-chunked') row = await chunkedBackfill(stack);
				else if (id.startsWith('webhook')) row = await webhookIngestion(stack, id);
				else row = await emptyPoll(stack);
				rows.set(id, row);
			} catch (error) {
				stack.sampler.stop();
				log(`${id} FAILED: ${(error as Error).stack ?? error}`);
				log(`n8n log tail:\n${stack.n8n.logs().split('\n').slice(-30).join('\n')}`);
			}
			writeResults();
		}
	} catch (error) {
		failure = error;
	} finally {
		await stack.n8n.stop();
		await stack.brex.close();
		await stack.x3.close();
		if (process.env.BENCH_KEEP !== '1') fs.rmSync(stack.n8n.root, { recursive: true, force: true });
	}
	if (failure) throw failure;
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
