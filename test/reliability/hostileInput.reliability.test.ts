/**
 * Hardening: hostile and malformed Brex data through the published sync template
 * (workflows/brex-to-sage-x3-sync.json) in a real n8n, into the X3 emulator.
 *
 * 1. Hostile strings (lib/hostile.ts: quotes, backslashes, markup, `]]>`, XML/JSON/SData/GraphQL/SQL
 *    break-out attempts, control characters, NUL, emoji, RTL, zero-width, combining marks, …) as vendor names,
 *    memos and departments of approved expenses, delivered by signed webhook and replayed as a batch. The X3
 *    ledger (/ledger.json) and suppliers must hold them verbatim, or as the product documents (trimmed ends,
 *    one-line descriptions, X3's field length, the department lookup); every hostile vendor gets its own
 *    supplier, found again for its second expense; no seeded supplier changes. The same strings as supplier
 *    searches over SOAP, REST (SData) and GraphQL find exactly the suppliers whose name contains them.
 * 2. Malformed Brex expenses (lib/hostile.ts MALFORMED_CASES) mixed with good ones: by webhook each one is
 *    audited as failed with its reason and queued for replay; in a replay batch each one ends on an error
 *    output with its reason, paired to its input item, while the good records of the batch post.
 * The run's execution data and n8n's logs must hold no credential value.
 */
import { randomUUID } from 'node:crypto';

import type { EmulatedExpense } from '../emulators/brex/server';
import type { ExecutionSummary, WorkflowFixture } from '../e2e/lib/n8nInstance';
import { waitFor } from '../e2e/lib/tools';
import { stableUuid } from '../e2e/lib/workflows';
import { settleSync } from '../e2e/sync/drive';
import {
	AUDIT_TABLE,
	DataTables,
	QUEUE_TABLE,
	SYNC_NODES,
	fetchLedger,
	runManually,
	templateCredential,
	type TableRow,
} from '../e2e/sync/stack';
import type { LedgerEntry, LedgerLine } from '../emulators/x3/ledger';
import { CHART } from '../emulators/seed';
import { spendTraceId } from '../../nodes/common/traceId';
import {
	expectNoSecretsInRun,
	startHardeningStack,
	report,
	type HardeningStack,
} from './lib/hardeningStack';
import {
	HOSTILE_DEPARTMENTS,
	HOSTILE_STRINGS,
	MALFORMED_CASES,
	lineDescriptionOf,
	spendFactory,
	x3TextLengths,
	x3Cut,
	type SpendFactory,
} from './lib/hostile';
import { outputItems } from './lib/runData';

jest.setTimeout(15 * 60_000);

const SEED = 20261202;
const REPLAY_TIMEOUT_MS = 5 * 60_000;

let stack: HardeningStack | undefined;
let spend: SpendFactory;

function running(): HardeningStack {
	if (!stack) throw new Error('the stack did not start');
	return stack;
}

beforeAll(async () => {
	stack = await startHardeningStack({ name: 'hostile', seed: SEED });
	spend = spendFactory(stack.brex);
}, 5 * 60_000);

afterAll(async () => {
	await stack?.dispose();
});

/** Delivers EXPENSE_PAYMENT_UPDATED for each event built beforehand; returns the HTTP answers of n8n. */
async function deliver(
	events: ReturnType<HardeningStack['brex']['buildEvents']>,
): Promise<number[]> {
	const s = running();
	const attempts = await s.brex.deliverEvents(events);
	await settleSync(s.n8n, s.sync.id);
	return attempts
		.filter((attempt) => attempt.url === s.hookUrl && attempt.attempt === 1)
		.map((attempt) => attempt.status ?? 0);
}

function eventsFor(ids: string[]) {
	return running().brex.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids });
}

/** Puts the records in the template's replay queue and runs the replay branch ("Replay every 15 minutes", by hand) once: one batch execution. */
async function replayBatch(ids: string[]): Promise<ExecutionSummary> {
	const s = running();
	await new DataTables(s.n8n).insertRows(
		QUEUE_TABLE,
		ids.map((brexId) => ({
			brexId,
			recordKind: 'expense',
			lastError: 'queued by the reliability test',
			attempts: 0,
		})),
	);
	return await runManually(s.n8n, s.sync.id, SYNC_NODES.replayNow, REPLAY_TIMEOUT_MS);
}

interface PostedLine {
	entry: LedgerEntry;
	line: LedgerLine;
}

/** Expense lines (not the card liability lines) by the item trace id their description starts with. */
async function ledgerLines(): Promise<Map<string, PostedLine>> {
	const ledger = await fetchLedger(running().x3.url);
	const lines = new Map<string, PostedLine>();
	for (const entry of ledger.entries) {
		for (const line of entry.lines) {
			if (line.account === CHART.cardLiabilityAccount) continue;
			const trace = /^(BRX[ETA]-[0-9A-Z]+)/.exec(line.lineTrace ?? '')?.[1];
			if (trace) lines.set(trace, { entry, line });
		}
	}
	return lines;
}

function lineOf(lines: Map<string, PostedLine>, expenseId: string): LedgerLine | undefined {
	return lines.get(spendTraceId('expense', expenseId))?.line;
}

async function auditRows(): Promise<TableRow[]> {
	return await new DataTables(running().n8n).rows(AUDIT_TABLE);
}

async function queueRows(): Promise<TableRow[]> {
	return await new DataTables(running().n8n).rows(QUEUE_TABLE);
}

function show(text: string): string {
	return JSON.stringify(text);
}

/** No lone surrogate (String.prototype.isWellFormed, not in this TypeScript lib). */
function wellFormed(text: string): boolean {
	return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

type Verdict = 'verbatim' | 'documented' | 'corrupted';

interface Check {
	what: string;
	input: string;
	stored: string | null;
	expected: string;
	verdict: Verdict;
}

function check(what: string, input: string, stored: string | null, expected: string): Check {
	const verdict: Verdict =
		stored === input ? 'verbatim' : stored === expected ? 'documented' : 'corrupted';
	return { what, input, stored, expected, verdict };
}

/**
 * A line description as the product writes it: the item trace id first (the layout's line trace field is the
 * description, DES), then the rendered description, cut by X3 to the field length. Verbatim when the text after
 * the trace id is exactly what Brex sent.
 */
function descriptionCheck(
	what: string,
	input: string,
	expenseId: string,
	stored: string | null,
	rendered: string,
): Check {
	const prefix = `${spendTraceId('expense', expenseId)} `;
	// X3 Char values carry no trailing blanks, so a cut ending in a space loses it (as for supplier names).
	const expected = x3Cut(
		`${prefix}${rendered}`,
		x3TextLengths(running().x3).lineDescription,
	).trimEnd();
	const text = stored !== null && stored.startsWith(prefix) ? stored.slice(prefix.length) : null;
	const verdict: Verdict =
		text === input ? 'verbatim' : stored === expected ? 'documented' : 'corrupted';
	return { what, input, stored, expected, verdict };
}

describe('hostile strings through the sync template into X3', () => {
	it('keep vendor names, memos and departments verbatim or as documented, and find the same supplier again', async () => {
		const s = running();
		const seeded = new Map(
			[...s.x3.state.suppliers.values()].map((supplier) => [
				supplier.code,
				JSON.stringify(supplier),
			]),
		);

		// Round 1, by webhook: one expense per hostile vendor name, one per hostile department.
		const vendorFirst = HOSTILE_STRINGS.map((hostile) =>
			spend.add({ vendorName: hostile.text, memo: null }),
		);
		const departmentRecords = HOSTILE_DEPARTMENTS.map((department) =>
			spend.add({ memo: null, departmentId: spend.addDepartment(department.name) }),
		);
		const round1 = await deliver(
			eventsFor([...vendorFirst, ...departmentRecords].map((e) => e.id)),
		);

		// Round 2, one replay batch: a second expense per hostile vendor, one per hostile memo (no merchant).
		const vendorSecond = HOSTILE_STRINGS.map((hostile) =>
			spend.add({ vendorName: hostile.text, memo: null }),
		);
		const memoRecords = HOSTILE_STRINGS.map((hostile) =>
			spend.add({ vendorName: null, memo: hostile.text }),
		);
		const batch = await replayBatch([...vendorSecond, ...memoRecords].map((e) => e.id));

		const lines = await ledgerLines();
		const audit = await auditRows();
		const suppliers = [...s.x3.state.suppliers.values()];
		const created = suppliers.filter((supplier) => !seeded.has(supplier.code));
		const changedSeeded = suppliers.filter(
			(supplier) =>
				seeded.has(supplier.code) && seeded.get(supplier.code) !== JSON.stringify(supplier),
		);

		const checks: Check[] = [];
		const problems: string[] = [];
		HOSTILE_STRINGS.forEach((hostile, index) => {
			const first = lineOf(lines, vendorFirst[index].id);
			const second = lineOf(lines, vendorSecond[index].id);
			const supplier = suppliers.find((candidate) => candidate.code === first?.businessPartner);
			const name = hostile.text.trim();
			checks.push(
				check(
					`vendor name (${hostile.label}) → supplier name`,
					hostile.text,
					supplier?.name ?? null,
					// X3 Char values carry no trailing blanks, so a cut ending in a space loses it.
					x3Cut(name, x3TextLengths(s.x3).supplierName).trimEnd(),
				),
				descriptionCheck(
					`vendor name (${hostile.label}) → line description`,
					hostile.text,
					vendorFirst[index].id,
					first?.description ?? null,
					lineDescriptionOf(hostile.text, null),
				),
			);
			if (!first || !second) problems.push(`${hostile.label}: not posted (${show(hostile.text)})`);
			else if (!supplier || seeded.has(supplier.code)) {
				problems.push(
					`${hostile.label}: posted with business partner ${first.businessPartner}, not a new supplier`,
				);
			} else if (second.businessPartner !== first.businessPartner) {
				problems.push(
					`${hostile.label}: second expense got supplier ${second.businessPartner}, first ${first.businessPartner}`,
				);
			}
			if (supplier && wellFormed(hostile.text) && !wellFormed(supplier.shortName)) {
				problems.push(
					`${hostile.label}: short name ${show(supplier.shortName)} splits a character`,
				);
			}
			const memoLine = lineOf(lines, memoRecords[index].id);
			checks.push(
				descriptionCheck(
					`memo (${hostile.label}) → line description`,
					hostile.text,
					memoRecords[index].id,
					memoLine?.description ?? null,
					lineDescriptionOf(null, hostile.text),
				),
			);
		});
		HOSTILE_DEPARTMENTS.forEach((department, index) => {
			const id = departmentRecords[index].id;
			const line = lineOf(lines, id);
			if (department.dep !== null) {
				checks.push(
					check(
						`department (${department.label}) → DEP`,
						department.name,
						line?.dimensions.DEP ?? null,
						department.dep,
					),
				);
				return;
			}
			const failed = audit.find((row) => row.brexId === id && row.decision === 'failed');
			const reason = String(failed?.reason ?? '');
			// The reason quotes the name as Brex sent it (trimmed, as every name).
			const quoted = reason.includes(`"${department.name.trim()}"`) ? department.name : reason;
			checks.push(
				check(
					`department (${department.label}) → failure reason`,
					department.name,
					quoted,
					department.name,
				),
			);
			if (line)
				problems.push(`department ${show(department.name)} posted with DEP ${line.dimensions.DEP}`);
		});

		const counts = { verbatim: 0, documented: 0, corrupted: 0 };
		for (const entry of checks) counts[entry.verdict]++;
		for (const entry of checks.filter((c) => c.verdict !== 'verbatim')) {
			report(
				`  ${entry.verdict}: ${entry.what}: sent ${show(entry.input)}, stored ${show(entry.stored ?? '(nothing)')}` +
					(entry.verdict === 'corrupted' ? `, expected ${show(entry.expected)}` : ''),
			);
		}
		report(
			`hostile strings: ${HOSTILE_STRINGS.length} vendor names (2 expenses each), ${HOSTILE_STRINGS.length} memos, ` +
				`${HOSTILE_DEPARTMENTS.length} departments; ${checks.length} checks; round-tripped verbatim: ${counts.verbatim}; ` +
				`stored as documented: ${counts.documented}; corrupted: ${counts.corrupted}; suppliers created: ${created.length}; ` +
				`seeded suppliers changed: ${changedSeeded.length}; webhook answers: ${round1.filter((status) => status === 200).length}/` +
				`${round1.length} HTTP 200; replay batch execution ${batch.id}: ${batch.status}`,
		);
		for (const problem of problems) report(`  problem: ${problem}`);

		expect(round1).toEqual(round1.map(() => 200));
		expect(checks.filter((entry) => entry.verdict === 'corrupted')).toEqual([]);
		expect(problems).toEqual([]);
		expect(created).toHaveLength(HOSTILE_STRINGS.length);
		expect(changedSeeded).toEqual([]);
	});

	it('finds exactly the suppliers whose name contains a hostile string, over SOAP, REST (SData) and GraphQL', async () => {
		const s = running();
		const suppliers = [...s.x3.state.suppliers.values()];
		const probes = [
			// As stored: a supplier name is at most 35 characters, and contains finds no longer text.
			...HOSTILE_STRINGS.map((hostile) => ({
				name: x3Cut(hostile.text.trim(), x3TextLengths(s.x3).supplierName).trimEnd(),
				code: '',
			})),
			...["' or '1'='1", '*', '%', '.*', '") {', ']]>', '</FLD>', "India' or"].map((name) => ({
				name,
				code: '',
			})),
			...['*', '%', '.*', "BRX' or ''='", 'BRX*', 'BRX.*'].map((code) => ({ name: '', code })),
		];
		// What a literal, case-insensitive "contains" (name) or "starts with" (code) finds: the expected answer.
		const lower = (text: string) => text.toLowerCase();
		const expected = probes.map((probe) =>
			suppliers
				.filter((supplier) =>
					probe.code
						? lower(supplier.code).startsWith(lower(probe.code))
						: lower(supplier.name).includes(lower(probe.name)),
				)
				.map((supplier) => supplier.code)
				.sort(),
		);
		const results = await searchOverEveryReadApi(probes);
		const mismatches: string[] = [];
		for (const [api, found] of Object.entries(results)) {
			probes.forEach((probe, index) => {
				const codes = (found[index] ?? []).sort();
				if (JSON.stringify(codes) !== JSON.stringify(expected[index])) {
					mismatches.push(
						`${api} ${probe.code ? `code ${show(probe.code)}` : `name ${show(probe.name)}`}: found ` +
							`${JSON.stringify(codes)}, expected ${JSON.stringify(expected[index])}`,
					);
				}
			});
		}
		report(
			`supplier searches with hostile strings: ${probes.length} probes × ${Object.keys(results).length} read APIs; ` +
				`answers different from a literal contains/starts-with: ${mismatches.length}`,
		);
		for (const mismatch of mismatches) report(`  mismatch: ${mismatch}`);
		expect(mismatches).toEqual([]);
	});
});

describe('malformed Brex records mixed with good ones', () => {
	const good: EmulatedExpense[] = [];
	const malformed: Array<{
		id: string;
		label: string;
		expect: (typeof MALFORMED_CASES)[number]['expect'];
	}> = [];

	it('by webhook: each malformed record is audited as failed with its reason and queued; the good ones post', async () => {
		const s = running();
		for (let i = 0; i < 4; i++) good.push(spend.add({ memo: `good record ${i}` }));
		const records = MALFORMED_CASES.map((malformedCase) => {
			const expense = spend.add({ memo: `malformed: ${malformedCase.label}` });
			return { expense, malformedCase, id: expense.id };
		});
		// The events are built from the valid records; the API then serves the malformed ones (as when a record
		// changes after the event).
		const events = eventsFor([...good.map((e) => e.id), ...records.map((r) => r.id)]);
		for (const record of records) {
			record.malformedCase.apply(record.expense, s.brex);
			malformed.push({
				id: record.id,
				label: record.malformedCase.label,
				expect: record.malformedCase.expect,
			});
		}
		const answers = await deliver(events);

		const lines = await ledgerLines();
		const audit = await auditRows();
		const queued = new Set((await queueRows()).map((row) => String(row.brexId)));
		const outcomes = malformed.map((record) => {
			const rows = audit.filter((row) => row.brexId === record.id);
			const failed = rows.find((row) => row.decision === 'failed');
			return {
				label: record.label,
				expect: record.expect,
				posted: lineOf(lines, record.id) !== undefined,
				decisions: rows.map((row) => String(row.decision)),
				reason: String(failed?.reason ?? rows[0]?.reason ?? ''),
				queued: queued.has(record.id),
			};
		});
		const wrong = outcomes.filter((outcome) =>
			outcome.expect.kind === 'error'
				? !(
						outcome.decisions.includes('failed') &&
						outcome.expect.reason.test(outcome.reason) &&
						outcome.queued &&
						!outcome.posted
					)
				: !outcome.posted,
		);
		const goodPosted = good.filter((expense) => lineOf(lines, expense.id) !== undefined).length;
		const mustFail = outcomes.filter((outcome) => outcome.expect.kind === 'error');
		for (const outcome of outcomes) {
			report(
				`  webhook, ${outcome.label}: ${outcome.posted ? 'posted' : 'not posted'}; audit ${outcome.decisions.join('/') || '(none)'}` +
					`${outcome.queued ? ', queued' : ''}; reason: ${outcome.reason.slice(0, 160)}`,
			);
		}
		report(
			`malformed by webhook: ${outcomes.length} cases (${mustFail.length} must fail, ${outcomes.length - mustFail.length} post as documented); ` +
				`failed with their reason and queued: ${mustFail.length - wrong.filter((o) => o.expect.kind === 'error').length}/${mustFail.length}; ` +
				`documented ones posted: ${outcomes.filter((o) => o.expect.kind === 'posts' && o.posted).length}/${outcomes.length - mustFail.length}; ` +
				`good records posted: ${goodPosted}/${good.length}; webhook answers: ${answers.join(',')}`,
		);
		expect(MALFORMED_CASES.filter((c) => c.expect.kind === 'error').length).toBeGreaterThanOrEqual(
			15,
		);
		expect(answers).toEqual(answers.map(() => 200));
		expect(
			wrong.map((outcome) => `${outcome.label}: ${outcome.decisions.join('/')} ${outcome.reason}`),
		).toEqual([]);
		expect(goodPosted).toBe(good.length);
	});

	it('in one replay batch: each malformed record ends on an error output with its reason, paired to its input; the good ones post', async () => {
		const freshGood: EmulatedExpense[] = [];
		for (let i = 0; i < 6; i++) freshGood.push(spend.add({ memo: `good batch record ${i}` }));
		const mustFail = malformed.filter((record) => record.expect.kind === 'error');
		expect(mustFail.length).toBeGreaterThanOrEqual(15);
		// The queue already holds the malformed records (the webhook test); the good ones join them.
		const execution = await replayBatch(freshGood.map((e) => e.id));

		const errors = ['Re-read expense', 'Find or create supplier', SYNC_NODES.postSpend].flatMap(
			(node) => outputItems(execution, node, 1),
		);
		const idOf = (json: Record<string, unknown> | null) =>
			json ? String(json.brexId ?? json.recordId ?? json.id ?? '') : '';
		const outcomes = mustFail.map((record) => {
			const onError = errors.filter(
				(item) => idOf(item.input) === record.id || idOf(item.json) === record.id,
			);
			const reason = onError.map((item) => String(item.json.error ?? '')).join(' | ');
			return {
				label: record.label,
				nodes: onError.map((item) => item.node),
				paired: onError.length > 0 && onError.every((item) => idOf(item.input) === record.id),
				reason,
				ok:
					onError.length === 1 &&
					idOf(onError[0].input) === record.id &&
					record.expect.kind === 'error' &&
					record.expect.reason.test(reason),
			};
		});
		const lines = await ledgerLines();
		const goodPosted = freshGood.filter(
			(expense) => lineOf(lines, expense.id) !== undefined,
		).length;
		const queued = new Set((await queueRows()).map((row) => String(row.brexId)));
		const byNode: Record<string, number> = {};
		for (const outcome of outcomes)
			for (const node of outcome.nodes) byNode[node] = (byNode[node] ?? 0) + 1;
		for (const outcome of outcomes.filter((o) => !o.ok)) {
			report(
				`  replay batch, ${outcome.label}: error outputs ${outcome.nodes.join(', ') || '(none)'}; paired ${outcome.paired}; ${outcome.reason}`,
			);
		}
		report(
			`malformed in a replay batch of ${mustFail.length + freshGood.length} (execution ${execution.id}, ${execution.status}): ` +
				`${outcomes.filter((o) => o.ok).length}/${mustFail.length} on an error output with their reason and paired item ` +
				`(${Object.entries(byNode)
					.map(([node, n]) => `${node} ${n}`)
					.join(', ')}); good records posted: ${goodPosted}/${freshGood.length}; ` +
				`still queued: ${mustFail.filter((r) => queued.has(r.id)).length} malformed, ${freshGood.filter((e) => queued.has(e.id)).length} good`,
		);
		expect(outcomes.filter((outcome) => !outcome.ok)).toEqual([]);
		expect(goodPosted).toBe(freshGood.length);
		expect(mustFail.filter((record) => !queued.has(record.id)).map((r) => r.label)).toEqual([]);
		expect(freshGood.filter((expense) => queued.has(expense.id))).toEqual([]);
	});
});

describe('secret hygiene', () => {
	it('leaves no credential value in execution data or n8n logs', async () => {
		await expectNoSecretsInRun(running());
	});
});

type SearchProbe = { name: string; code: string };

const SEARCH_APIS = {
	soap: 'Search (SOAP)',
	rest: 'Search (REST)',
	graphql: 'Search (GraphQL)',
} as const;

/**
 * Runs the Supplier → Search operation for every probe over each read API, in one workflow started by a
 * webhook (the probes travel as JSON, so every character arrives as is); returns, per API, the supplier codes
 * found for each probe (by paired item).
 */
async function searchOverEveryReadApi(probes: SearchProbe[]): Promise<Record<string, string[][]>> {
	const s = running();
	const x3Credential = templateCredential(s.sync, 'sageX3Api');
	const connectedApp = { id: 'RelConnectedApp01', name: 'Sage X3 connected app (emulator)' };
	await s.n8n.importCredentials([
		{
			...connectedApp,
			type: 'sageX3ConnectedAppApi',
			data: {
				url: s.x3.url,
				endpoint: s.x3.config.endpoint,
				clientId: s.x3.config.clientId,
				clientSecret: s.x3.config.clientSecret,
				user: s.x3.config.user,
				audience: s.x3.config.audience,
			},
		},
	]);
	const workflowId = 'RelProbeSearch01';
	const path = `reliability-probes-${randomUUID().slice(0, 8)}`;
	const node = (
		name: string,
		type: string,
		typeVersion: number,
		position: [number, number],
		parameters: Record<string, unknown>,
	) => ({
		id: stableUuid(`${workflowId}/${name}`),
		name,
		type,
		typeVersion,
		position,
		parameters,
	});
	const searches = Object.entries(SEARCH_APIS).map(([api, name], index) => ({
		...node(name, 'n8n-nodes-brex-sage-x3.sageX3', 1, [660, index * 200], {
			readApi: api,
			resource: 'supplier',
			operation: 'search',
			code: '={{ $json.code }}',
			name: '={{ $json.name }}',
			limit: 100,
		}),
		credentials: {
			sageX3Api: x3Credential,
			...(api === 'graphql' ? { sageX3ConnectedAppApi: connectedApp } : {}),
		},
	}));
	const workflow: WorkflowFixture = {
		id: workflowId,
		name: 'Reliability: supplier searches with hostile strings',
		nodes: [
			{
				...node('Probes', 'n8n-nodes-base.webhook', 2, [0, 0], {
					httpMethod: 'POST',
					path,
					responseMode: 'onReceived',
					options: {},
				}),
				webhookId: stableUuid(`${workflowId}/webhook`),
			},
			node('One item per probe', 'n8n-nodes-base.splitOut', 1, [220, 0], {
				fieldToSplitOut: 'body.probes',
				include: 'noOtherFields',
				options: {},
			}),
			...searches,
		],
		connections: {
			Probes: { main: [[{ node: 'One item per probe', type: 'main', index: 0 }]] },
			'One item per probe': {
				main: [searches.map((search) => ({ node: search.name, type: 'main', index: 0 }))],
			},
		},
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
	};
	await s.n8n
		.api('POST', '/workflows', {
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings,
		})
		.then(async (created) => {
			const id = (created as { id: string }).id;
			await s.n8n.activate(id);
			await s.n8n.waitForWebhook(path);
			const response = await fetch(s.n8n.webhookUrl(path), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ probes }),
			});
			if (!response.ok)
				throw new Error(`probe webhook → ${response.status} ${await response.text()}`);
			workflow.id = id;
		});
	const execution = await waitFor(
		async () => {
			const [done] = (await s.n8n.executions(workflow.id)).filter((e) => e.status !== 'running');
			return done;
		},
		{ timeoutMs: 180_000, intervalMs: 500, describe: () => 'the probe search execution' },
	);
	if (execution.status !== 'success') {
		throw new Error(
			`probe searches ended ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? null)}`,
		);
	}
	const results: Record<string, string[][]> = {};
	for (const [api, name] of Object.entries(SEARCH_APIS)) {
		const found: string[][] = probes.map(() => []);
		for (const item of outputItems(execution, name, 0)) {
			// Split Out emits the probes in order, so the paired input index is the probe's index.
			if (item.inputIndex >= 0 && typeof item.json.code === 'string') {
				found[item.inputIndex]?.push(item.json.code);
			}
		}
		results[api] = found;
	}
	return results;
}
