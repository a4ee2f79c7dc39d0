/**
 * What the sync end-to-end test and the sandbox (`npm start`) share: the two workflow templates and the
 * credentials they reference, manual runs of a template's trigger through n8n's REST API, the data tables
 * of the template through the public API, and the X3 ledger of the emulator.
 *
 * Works against anything with `rest()` and `api()` (the e2e harness's N8nInstance, or the sandbox's own
 * n8n process), so both drive n8n the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { LedgerView } from '../../emulators/x3/ledger';
import type { X3Emulator } from '../../emulators/x3/server';
import {
	GAS_LEFT_LIST_STANDARD,
	personalityFromEnv,
	type PersonalityOptions,
} from '../../emulators/x3/personality';
import type { CredentialFixture, ExecutionSummary } from '../lib/n8nInstance';
import { REPO_ROOT, waitFor } from '../lib/tools';

export const SYNC_TEMPLATE_FILE = path.join(REPO_ROOT, 'workflows', 'brex-to-sage-x3-sync.json');
export const RECONCILIATION_TEMPLATE_FILE = path.join(
	REPO_ROOT,
	'workflows',
	'brex-x3-reconciliation.json',
);

export const AUDIT_TABLE = 'brex_x3_audit';
export const QUEUE_TABLE = 'brex_x3_replay_queue';

/** Node names of the sync template the tests and the sandbox rely on. */
export const SYNC_NODES = {
	webhookTrigger: 'Brex Trigger (webhook)',
	setupTables: 'Set up tables (run once)',
	// Replay on demand runs the schedule trigger by hand: n8n keeps one Manual Trigger per workflow in the
	// editor, and that one is "Set up tables (run once)".
	replayNow: 'Replay every 15 minutes',
	postSpend: 'Post spend',
	settings: 'Sync settings',
} as const;
export const RECONCILIATION_NODES = {
	start: 'Run reconciliation',
	dateRange: 'Date range',
	reconcile: 'Reconcile with X3',
} as const;

export interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
	onError?: string;
}

export interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
}

export function readTemplate(file: string): Template {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
}

export function templateNode(template: Template, name: string): TemplateNode {
	const node = template.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The template "${template.name}" has no node "${name}"`);
	return node;
}

/** The credential a template's nodes reference for a credential type (the same id on every node). */
export function templateCredential(template: Template, type: string): { id: string; name: string } {
	const refs = template.nodes.flatMap((node) =>
		node.credentials?.[type] ? [node.credentials[type]] : [],
	);
	if (refs.length === 0)
		throw new Error(`The template "${template.name}" uses no ${type} credential`);
	const distinct = new Set(refs.map((ref) => `${ref.id}|${ref.name}`));
	if (distinct.size > 1) {
		throw new Error(
			`The template "${template.name}" references several ${type} credentials: ${[...distinct].join(', ')}`,
		);
	}
	return refs[0];
}

/**
 * The X3 emulator's personality for everything that runs the templates in a real n8n (e2e, reliability, browser,
 * bench, `npm start`): `documented` (fixed publications from Sage's documentation, the standard GAS left list)
 * unless X3_EMULATOR_PERSONALITY / X3_EMULATOR_GAS_LEFT_LIST say otherwise. The templates are set up for it;
 * `lenient` stays for unit and integration tests that need an X3 agreeing with any layout.
 */
export function launcherPersonality(
	env: Record<string, string | undefined> = process.env,
): PersonalityOptions {
	return { personality: 'documented', ...personalityFromEnv(env) };
}

/** "documented", "documented, GAS left list TYP,NUM,…" (another than the standard one) or "lenient": for figures lines. */
export function personalityLabel(options: PersonalityOptions): string {
	const name = options.personality ?? 'lenient';
	const leftList = options.gasLeftList?.join(',');
	return leftList && leftList !== GAS_LEFT_LIST_STANDARD.join(',')
		? `${name}, GAS left list ${leftList}`
		: name;
}

/** What a client needs of the X3 emulator: its SOAP user and pool, and the connected app GraphQL signs in with. */
type X3Access = Pick<
	X3Emulator['config'],
	'user' | 'password' | 'poolAlias' | 'endpoint' | 'clientId' | 'clientSecret' | 'audience'
>;

export interface EmulatorEndpoints {
	brex: { url: string; token: string };
	x3: X3Access & { url: string };
}

/** The endpoints of running emulators (anything with their url, token and X3 config). */
export function emulatorEndpoints(
	brex: { url: string; token: string },
	x3: { url: string; config: X3Access },
): EmulatorEndpoints {
	const { user, password, poolAlias, endpoint, clientId, clientSecret, audience } = x3.config;
	return {
		brex: { url: brex.url, token: brex.token },
		x3: { url: x3.url, user, password, poolAlias, endpoint, clientId, clientSecret, audience },
	};
}

/** Credentials pointing at the emulators, with the ids and names both templates reference. */
export function emulatorCredentials(endpoints: EmulatorEndpoints): CredentialFixture[] {
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	const brexRef = templateCredential(sync, 'brexApi');
	const x3Ref = templateCredential(sync, 'sageX3Api');
	const connectedAppRef = templateCredential(sync, 'sageX3ConnectedAppApi');
	for (const file of [RECONCILIATION_TEMPLATE_FILE]) {
		const other = readTemplate(file);
		for (const [type, ref] of [
			['brexApi', brexRef],
			['sageX3Api', x3Ref],
			['sageX3ConnectedAppApi', connectedAppRef],
		] as const) {
			const used = templateCredential(other, type);
			if (used.id !== ref.id) {
				throw new Error(
					`${path.basename(file)} references ${type} ${used.id}, the sync template ${ref.id}`,
				);
			}
		}
	}
	return [
		{
			...brexRef,
			type: 'brexApi',
			data: { accessToken: endpoints.brex.token, baseUrl: endpoints.brex.url },
		},
		{
			...x3Ref,
			type: 'sageX3Api',
			data: {
				url: endpoints.x3.url,
				endpoint: endpoints.x3.endpoint,
				poolAlias: endpoints.x3.poolAlias,
				language: 'ENG',
				user: endpoints.x3.user,
				password: endpoints.x3.password,
				maxConcurrentCalls: 4,
				requestTimeoutSeconds: 60,
			},
		},
		{
			// The templates read through GraphQL: the connected app X3 V12+ signs its tokens for.
			...connectedAppRef,
			type: 'sageX3ConnectedAppApi',
			data: {
				url: endpoints.x3.url,
				endpoint: endpoints.x3.endpoint,
				clientId: endpoints.x3.clientId,
				clientSecret: endpoints.x3.clientSecret,
				user: endpoints.x3.user,
				audience: endpoints.x3.audience,
				jwtLifetimeSeconds: 300,
				maxConcurrentCalls: 4,
				requestTimeoutSeconds: 60,
			},
		},
	];
}

/** The part of n8n the helpers need: the editor REST API (owner session) and the public API (API key). */
export interface N8nApi {
	rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
	api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
}

const FINISHED = ['success', 'error', 'crashed', 'canceled'];

/**
 * Runs a workflow from one of its triggers, as the editor's "Execute workflow" button does (the REST API,
 * owner session), and returns the execution id. Used for the template's manual branches.
 */
export async function startManualRun(
	n8n: N8nApi,
	workflowId: string,
	triggerName: string,
): Promise<string> {
	const response = await n8n.rest<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{ triggerToStartFrom: { name: triggerName } },
	);
	const executionId = response.data?.executionId;
	if (!executionId) {
		throw new Error(`n8n started no execution from "${triggerName}": ${JSON.stringify(response)}`);
	}
	return String(executionId);
}

/** Waits until an execution has finished and returns it with its run data. */
export async function waitForExecution(
	n8n: N8nApi,
	executionId: string,
	timeoutMs = 300_000,
): Promise<ExecutionSummary> {
	let last: ExecutionSummary | undefined;
	return await waitFor(
		async () => {
			last = await n8n.api<ExecutionSummary>('GET', `/executions/${executionId}?includeData=true`);
			return FINISHED.includes(last.status) ? last : undefined;
		},
		{
			timeoutMs,
			intervalMs: 500,
			describe: () => `execution ${executionId} to finish (status ${last?.status ?? 'unknown'})`,
		},
	);
}

/** Runs a manual branch to its end; throws with n8n's error when the execution did not succeed. */
export async function runManually(
	n8n: N8nApi,
	workflowId: string,
	triggerName: string,
	timeoutMs?: number,
): Promise<ExecutionSummary> {
	const execution = await waitForExecution(
		n8n,
		await startManualRun(n8n, workflowId, triggerName),
		timeoutMs,
	);
	if (execution.status !== 'success') {
		throw new Error(
			`"${triggerName}" of ${workflowId} ended ${execution.status}: ${JSON.stringify(
				execution.data?.resultData?.error ?? null,
			).slice(0, 1000)}`,
		);
	}
	return execution;
}

export type TableRow = Record<string, string | number | boolean | null>;

/** Reads the template's data tables (by name) through the public API. */
export class DataTables {
	private readonly ids = new Map<string, string>();

	constructor(private readonly n8n: N8nApi) {}

	async id(name: string): Promise<string | undefined> {
		const known = this.ids.get(name);
		if (known) return known;
		const filter = encodeURIComponent(JSON.stringify({ name }));
		const page = await this.n8n.api<{ data: Array<{ id: string; name: string }> }>(
			'GET',
			`/data-tables?filter=${filter}&limit=100`,
		);
		const table = page.data.find((candidate) => candidate.name === name);
		if (table) this.ids.set(name, table.id);
		return table?.id;
	}

	async columns(name: string): Promise<Array<{ name: string; type: string }>> {
		const id = await this.id(name);
		if (!id) throw new Error(`No data table named ${name}`);
		const answer = await this.n8n.api<
			Array<{ name: string; type: string }> | { data: Array<{ name: string; type: string }> }
		>('GET', `/data-tables/${id}/columns`);
		return Array.isArray(answer) ? answer : answer.data;
	}

	async insertRows(name: string, rows: TableRow[]): Promise<void> {
		const id = await this.id(name);
		if (!id) throw new Error(`No data table named ${name}`);
		await this.n8n.api('POST', `/data-tables/${id}/rows`, { data: rows, returnType: 'count' });
	}

	/** Deletes the rows whose columns equal the given values (all conditions). */
	async deleteRows(name: string, equals: TableRow): Promise<void> {
		const id = await this.id(name);
		if (!id) throw new Error(`No data table named ${name}`);
		const filter = {
			type: 'and',
			filters: Object.entries(equals).map(([columnName, value]) => ({
				columnName,
				condition: 'eq',
				value,
			})),
		};
		await this.n8n.api(
			'DELETE',
			`/data-tables/${id}/rows/delete?filter=${encodeURIComponent(JSON.stringify(filter))}`,
		);
	}

	/** Every row of the table (all pages); an empty list when the table does not exist yet. */
	async rows(name: string): Promise<TableRow[]> {
		const id = await this.id(name);
		if (!id) return [];
		const rows: TableRow[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ limit: '250' });
			if (cursor) query.set('cursor', cursor);
			const page = await this.n8n.api<{ data: TableRow[]; nextCursor?: string | null }>(
				'GET',
				`/data-tables/${id}/rows?${query.toString()}`,
			);
			rows.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return rows;
	}
}

export async function fetchLedger(x3Url: string): Promise<LedgerView> {
	const response = await fetch(`${x3Url}/ledger.json`);
	if (!response.ok) throw new Error(`GET ${x3Url}/ledger.json → ${response.status}`);
	return (await response.json()) as LedgerView;
}

/** Item trace ids at the start of a line trace (`BRXE-…`, `BRXT-…`, `BRXA-…`). */
const ITEM_TRACE = /^(BRX[ETA]-[0-9A-Z]+)/;

export interface LedgerFigures {
	entries: number;
	/** Item trace id -> how many ledger lines carry it (1 for a correct ledger). */
	linesByItemTrace: Map<string, number>;
	/** Entry trace ids found on more than one entry. */
	duplicateEntryTraces: string[];
	/** Item trace ids found on more than one line. */
	duplicateItemTraces: string[];
}

/** Counts the posted items of the ledger by the trace id their lines carry. */
export function ledgerFigures(ledger: LedgerView, liabilityAccount: string): LedgerFigures {
	const linesByItemTrace = new Map<string, number>();
	const entriesByTrace = new Map<string, number>();
	for (const entry of ledger.entries) {
		if (entry.traceId)
			entriesByTrace.set(entry.traceId, (entriesByTrace.get(entry.traceId) ?? 0) + 1);
		for (const line of entry.lines) {
			if (line.account === liabilityAccount) continue;
			const trace = ITEM_TRACE.exec(line.lineTrace ?? '')?.[1] ?? entry.traceId;
			linesByItemTrace.set(trace, (linesByItemTrace.get(trace) ?? 0) + 1);
		}
	}
	return {
		entries: ledger.entries.length,
		linesByItemTrace,
		duplicateEntryTraces: [...entriesByTrace].filter(([, n]) => n > 1).map(([trace]) => trace),
		duplicateItemTraces: [...linesByItemTrace].filter(([, n]) => n > 1).map(([trace]) => trace),
	};
}
