/** The result rows, the targets they are held to, and bench/results*.{md,json}. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { LATENCY, QUICK, RESULTS_BASE, SCENARIOS, SEED, type ScenarioId, VENDORS } from './config';

export interface Row {
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

export const rows = new Map<string, Row>();

/** RSS of n8n's process group 5 s after start, before any scenario. */
export const idle: { rssMiB: number | null; mainRssMiB: number | null } = {
	rssMiB: null,
	mainRssMiB: null,
};

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
			`${chunked.n}-expense chunked backfill: peak n8n RSS ${chunked.peakRssMiB} MiB (target ≤ 1024; main process alone ${chunked.peakMainRssMiB ?? '?'} MiB; idle n8n ${idle.rssMiB ?? '?'} MiB), wall ${fmt(chunked.wallS)} s, ${chunked.notes.join('; ')}`,
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

export function machine(): string {
	const cpus = os.cpus();
	return `${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}, n8n 2.41.1`;
}

export function writeResults(): void {
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
		idleRssMiB: idle.rssMiB ?? (previous as { idleRssMiB?: number }).idleRssMiB ?? null,
		idleMainRssMiB:
			idle.mainRssMiB ?? (previous as { idleMainRssMiB?: number }).idleMainRssMiB ?? null,
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
