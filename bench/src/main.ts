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
import { N_LARGE, N_SMALL, QUICK, log, selected } from './config';
import { type Row, rows, writeResults } from './report';
import { backfill } from './scenarios/backfill';
import { chunkedBackfill } from './scenarios/chunkedBackfill';
import { emptyPoll } from './scenarios/emptyPoll';
import { webhookIngestion } from './scenarios/webhook';
import { startStack } from './stack';

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
