/** Scenario `ours-chunked`: a 50k-expense backfill in date-window chunks, in an n8n of its own. */
import { CHART } from '../../../test/emulators/seed';
import { N8nInstance } from '../../../test/e2e/lib/n8nInstance';
import { setFieldValues } from '../../../test/e2e/sync/drive';
import { ledgerFigures, startManualRun } from '../../../test/e2e/sync/stack';
import { RssSampler } from '../rss';
import { BACKFILL_IDS, NODES, backfillWorkflow } from '../workflows';
import { CHUNK, CHUNKED_NODE_OPTIONS, N_CHUNKED, READ_API, type ScenarioId, log } from '../config';
import { type Row } from '../report';
import {
	type Stack,
	lastEntryAt,
	lowerBound,
	mainPeakMiB,
	postable,
	reseed,
	resetStats,
	waitForEnd,
	x3CallCount,
} from '../stack';

/**
 * 50k (quick: 1k) expenses in date-window chunks of at most CHUNK expenses, one execution per chunk, in an n8n of
 * its own started with CHUNKED_NODE_OPTIONS (a capped V8 heap: n8n otherwise lets its heap grow to well over
 * 1 GB although each chunk needs far less).
 */
export async function chunkedBackfill(stack: Stack): Promise<Row> {
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
