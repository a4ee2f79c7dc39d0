/**
 * What the bench runs and with which sizes: the BENCH_* settings (docs/settings.md lists them all), the
 * scenario ids and the log line.
 */
import * as path from 'node:path';
import { BENCH_READ_API, BENCH_ROOT } from './workflows';

export const QUICK = process.env.BENCH_QUICK === '1';

export const SEED = 20261201;

export const VENDORS = 300;

export const LATENCY = { brexMs: 80, x3SaveMs: 300, x3OtherMs: 60, pool: 4 };

export const PAGE = 100;

export const N_SMALL = QUICK ? 200 : 1_000;

export const N_LARGE = QUICK ? 400 : Number(process.env.BENCH_N_LARGE ?? 10_000);

export const N_CHUNKED = QUICK ? 1_000 : 50_000;

export const CHUNK = Number(process.env.BENCH_CHUNK ?? (QUICK ? 300 : 1_000));

/** NODE_OPTIONS of the chunked backfill's n8n (BENCH_CHUNKED_NODE_OPTIONS; empty for none). */
export const CHUNKED_NODE_OPTIONS =
	process.env.BENCH_CHUNKED_NODE_OPTIONS ?? '--max-old-space-size=512';

export const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? (QUICK ? 20 : 100));

export const WEBHOOK_SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? (QUICK ? 5 : 30));

/** The lower rate of the `webhook-sustained` scenario: what one n8n on this machine absorbs (BENCH_WEBHOOK_SUSTAINED_RATE). */
export const WEBHOOK_SUSTAINED_RATE = Number(
	process.env.BENCH_WEBHOOK_SUSTAINED_RATE ?? (QUICK ? 5 : 10),
);

export const WEBHOOK_DRAIN_S = Number(process.env.BENCH_WEBHOOK_DRAIN_S ?? 120);

export const POLL_N = QUICK ? 200 : 1_000;

/** The webhook trigger's Answer Brex option in the webhook scenario (BENCH_WEBHOOK_ANSWER=afterFetch|onReceipt). */
export const WEBHOOK_ANSWER = process.env.BENCH_WEBHOOK_ANSWER ?? 'onReceipt';

/** N8N_CONCURRENCY_PRODUCTION_LIMIT of the bench's n8n (BENCH_N8N_CONCURRENCY; -1 = n8n's default, no limit). */
export const N8N_CONCURRENCY = Number(process.env.BENCH_N8N_CONCURRENCY ?? 8);

/** Covers every seeded purchase date (2026-07-01 .. 2026-09-30). */
export const FULL_RANGE = { dateFrom: '2026-06-01', dateTo: '2026-12-31' };

export const READ_API = BENCH_READ_API;

export const RESULTS_BASE = path.join(
	BENCH_ROOT,
	`${QUICK ? 'results-quick' : 'results'}${READ_API !== 'graphql' ? `-${READ_API}-reads` : ''}`,
);

export const SCENARIOS = [
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

export type ScenarioId = (typeof SCENARIOS)[number];

export function selected(): ScenarioId[] {
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

export function log(message: string): void {
	console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}
