/**
 * The bench's stack (Brex and X3 emulators with fixed latency, one n8n with the template and the baseline
 * imported) and what every scenario reads from it: executions, node timings, call counts, lower bounds.
 */
import { startBrexEmulator, type BrexEmulator } from '../../test/emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../../test/emulators/x3/server';
import { N8nInstance, type CredentialFixture } from '../../test/e2e/lib/n8nInstance';
import { sleepMs, waitFor } from '../../test/e2e/lib/tools';
import { expectedLedger, templateSyncSettings } from '../../test/e2e/sync/expected';
import {
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	launcherPersonality,
} from '../../test/e2e/sync/stack';
import { BASELINE_CREDENTIALS } from './baselineWorkflow';
import { RssSampler, groupRss, groupRssByProcess } from './rss';
import {
	BENCH_CONNECTED_APP,
	stockWebhookWorkflow,
	backfillWorkflow,
	pollingWorkflow,
	readBaseline,
	writeBackfillFile,
} from './workflows';
import { LATENCY, N8N_CONCURRENCY, N_SMALL, PAGE, SEED, VENDORS, log } from './config';

import { idle } from './report';

/**
 * X3 calls = HTTP requests the emulator answered. By operation: SOAP operations, REST classes and GraphQL
 * selections (one GraphQL trace check asks the journal entries and several aliased line selections in one request).
 */
export function x3CallCount(x3: X3Emulator): {
	total: number;
	byOperation: Record<string, number>;
} {
	const byOperation: Record<string, number> = {};
	for (const [style, ops] of Object.entries(x3.stats.calls)) {
		for (const [op, count] of Object.entries(ops)) byOperation[`${style}:${op}`] = count;
	}
	return { total: x3.stats.http.requests, byOperation };
}

export interface Stack {
	brex: BrexEmulator;
	x3: X3Emulator;
	n8n: N8nInstance;
	sampler: RssSampler;
	credentials: CredentialFixture[];
}

export async function startStack(): Promise<Stack> {
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
		// The X3 the template is set up for (X3_EMULATOR_PERSONALITY chooses another).
		...launcherPersonality(),
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
	const idleByProcess = groupRssByProcess(n8n.pid ?? -1);
	idle.rssMiB = Math.round(groupRss(n8n.pid ?? -1) / 1048576);
	idle.mainRssMiB = Math.round((idleByProcess.get(n8n.pid ?? -1) ?? 0) / 1048576);
	log(
		`n8n ready; idle RSS of its process group ${idle.rssMiB} MiB (main process ${idle.mainRssMiB} MiB, ${idleByProcess.size - 1} other: task runner)`,
	);
	return { brex, x3, n8n, sampler, credentials };
}

export async function restartN8n(stack: Stack): Promise<void> {
	if (process.env.BENCH_RESTART === '0' && stack.n8n.running) return;
	await stack.n8n.stop();
	await stack.n8n.start();
}

export function reseed(stack: Stack, expenseCount: number): void {
	stack.brex.reseed({ seed: SEED, expenseCount, vendorCount: VENDORS });
	stack.x3.reset();
	stack.brex.stats.reset();
	stack.x3.resetStats();
}

export function resetStats(stack: Stack): void {
	stack.brex.stats.reset();
	stack.x3.resetStats();
}

/** Waits for one execution to end, asking for its status only (its data may be tens of MB). */
export async function waitForEnd(
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

export async function executionRunData(
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
export function errorOutput(
	runData: Record<string, NodeRun[]>,
	node: string,
): { count: number; reasons: string[] } {
	const items = (runData[node] ?? []).flatMap((run) => run.data?.main?.[1] ?? []);
	const reasons = [...new Set(items.map((item) => String(item.json?.error ?? '?').slice(0, 160)))];
	return { count: items.length, reasons: reasons.slice(0, 3) };
}

export function nodeTimings(
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

export function formatTimings(timings: Record<string, { startS: number; runS: number }>): string {
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

export function postable(brex: BrexEmulator): Postable {
	const expected = expectedLedger(brex, templateSyncSettings());
	const vendors = new Set<string>();
	for (const id of expected.postings.keys()) {
		const raw = brex.renderExpense(id, ['merchant']) as { merchant?: { raw_descriptor?: string } };
		vendors.add(raw.merchant?.raw_descriptor ?? '');
	}
	return { count: expected.postings.size, distinctVendors: vendors.size };
}

export function lastEntryAt(x3: X3Emulator): number | null {
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
export function lowerBound(n: number, entrySets: number, distinctVendors: number) {
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

/** Peak of n8n's main process alone, when the sampler watched one n8n (not a queue-mode stack). */
export function mainPeakMiB(sampler: RssSampler): number | undefined {
	return sampler.peakLeaderBytes > 0 ? Math.round(sampler.peakLeaderBytes / 1048576) : undefined;
}
