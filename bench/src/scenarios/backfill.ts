/** Scenario: a backfill of N expenses with our template (entrySet or perItem grouping) or the stock-node baseline. */
import { CHART } from '../../../test/emulators/seed';
import { setFieldValues } from '../../../test/e2e/sync/drive';
import { ledgerFigures, startManualRun } from '../../../test/e2e/sync/stack';
import { BACKFILL_IDS, BASELINE_ID, NODES, type Grouping } from '../workflows';
import { FULL_RANGE, READ_API, type ScenarioId, log } from '../config';
import { type Row } from '../report';
import {
	type Stack,
	errorOutput,
	executionRunData,
	formatTimings,
	lastEntryAt,
	lowerBound,
	mainPeakMiB,
	nodeTimings,
	postable,
	reseed,
	resetStats,
	restartN8n,
	waitForEnd,
	x3CallCount,
} from '../stack';

export async function backfill(
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
