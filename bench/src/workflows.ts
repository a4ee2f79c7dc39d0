/**
 * The workflows the bench runs:
 * - ours, backfill: Manual Trigger → Backfill range → Brex (expense Get Many for the range) → the template's
 *   Sync settings → Ready for the ledger? → Find or create supplier → Post spend. The last four are copied
 *   from workflows/brex-to-sage-x3-sync.json at run time, so the parameters are the template's; only
 *   Post spend's grouping is set per variant.
 * - ours, polling: the template's Brex Trigger (polling) enabled, with a start date and a schedule that does
 *   not fire during the bench (activation runs the first poll at once).
 * - the baseline: workflows/baseline-stock-nodes.json (stock nodes only), kept in the repo as a user would
 *   build it; its Settings node holds the URLs and the range, which the bench fills in before each run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { WorkflowFixture, WorkflowNodeFixture } from '../../test/e2e/lib/n8nInstance';
import { stableUuid } from '../../test/e2e/lib/workflows';
import {
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	readTemplate,
	templateNode,
	type TemplateNode,
} from '../../test/e2e/sync/stack';

export const BENCH_ROOT = path.resolve(
	process.env.BREX_X3_E2E_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..'),
	'bench',
);
export const BASELINE_FILE = path.resolve(
	BENCH_ROOT,
	'..',
	'workflows',
	'baseline-stock-nodes.json',
);
export const BACKFILL_FILE = path.join(BENCH_ROOT, 'workflows', 'backfill.json');

export type Grouping = 'entrySet' | 'perItem';

export const BACKFILL_IDS: Record<Grouping, string> = {
	entrySet: 'BenchBackfillSet1',
	perItem: 'BenchBackfillItem1',
};
export const POLLING_ID = 'BenchPollingWf001';
export const BASELINE_ID = 'BenchBaselineWf01';

export const NODES = {
	start: 'Start backfill',
	range: 'Backfill range',
	list: 'List expenses',
	baselineStart: 'Start',
	baselineSettings: 'Settings',
} as const;

const FROM_TEMPLATE = [
	'Sync settings',
	'Ready for the ledger?',
	'Find or create supplier',
	SYNC_NODES.postSpend,
] as const;

function copyNode(node: TemplateNode, position: [number, number]): WorkflowNodeFixture {
	const copy = JSON.parse(JSON.stringify(node)) as TemplateNode & { position?: unknown };
	delete copy.disabled;
	return { ...copy, position } as unknown as WorkflowNodeFixture;
}

function chain(names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** Manual backfill with our nodes and the template's parameters. */
/**
 * The X3 read API of the backfill's Sage X3 nodes (BENCH_X3_READ_API): graphql by default, as the template ships
 * (the read API that proves idempotency of daily sets on the documented X3); soap (one query per trace id, refused
 * for daily sets where the GAS left list has no line field); rest; or template (the template's own choice, with
 * its own connected-app credential). Writes are SOAP.
 */
export const BENCH_READ_API = process.env.BENCH_X3_READ_API ?? 'graphql';

/** The X3 connected-app credential the GraphQL read variant uses (imported by main.ts). */
export const BENCH_CONNECTED_APP = {
	id: 'BenchX3ConnectedApp1',
	name: 'Sage X3 connected app (bench)',
};

export function backfillWorkflow(grouping: Grouping): WorkflowFixture {
	const template = readTemplate(SYNC_TEMPLATE_FILE);
	const id = BACKFILL_IDS[grouping];
	const brexCredential = templateNode(template, SYNC_NODES.webhookTrigger).credentials!;
	const start: WorkflowNodeFixture = {
		id: stableUuid(`${id}/start`),
		name: NODES.start,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const range: WorkflowNodeFixture = {
		id: stableUuid(`${id}/range`),
		name: NODES.range,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: {
			mode: 'manual',
			assignments: {
				assignments: [
					{ id: stableUuid(`${id}/from`), name: 'dateFrom', value: '2026-07-01', type: 'string' },
					{ id: stableUuid(`${id}/to`), name: 'dateTo', value: '2026-09-30', type: 'string' },
				],
			},
			options: {},
		},
	};
	const list: WorkflowNodeFixture = {
		id: stableUuid(`${id}/list`),
		name: NODES.list,
		type: 'n8n-nodes-brex-sage-x3.brex',
		typeVersion: 1,
		position: [400, 0],
		parameters: {
			authentication: 'accessToken',
			resource: 'expense',
			operation: 'getAll',
			dateField: 'purchased',
			startDate: '={{ $json.dateFrom }}',
			endDate: '={{ $json.dateTo }}',
			returnAll: true,
			filters: {},
			options: {},
		},
		credentials: brexCredential,
	};
	const copied = FROM_TEMPLATE.map((name, index) =>
		copyNode(templateNode(template, name), [600 + index * 200, 0]),
	);
	const post = copied[copied.length - 1];
	post.parameters = { ...post.parameters, grouping };
	const readApi = BENCH_READ_API;
	if (readApi !== 'template') {
		for (const node of copied.filter((n) => n.type === 'n8n-nodes-brex-sage-x3.sageX3')) {
			node.parameters = { ...node.parameters, readApi };
			// GraphQL reads sign their JWT with the connected app (writes stay SOAP).
			if (readApi === 'graphql') {
				node.credentials = {
					...(node.credentials ?? {}),
					sageX3ConnectedAppApi: BENCH_CONNECTED_APP,
				};
			}
		}
	}
	const nodes = [start, range, list, ...copied];
	// Ready for the ledger? → true branch only (the false branch is the template's audit of skipped records).
	const connections = chain([
		NODES.start,
		NODES.range,
		NODES.list,
		'Sync settings',
		'Ready for the ledger?',
	]);
	connections['Ready for the ledger?'] = {
		main: [[{ node: 'Find or create supplier', type: 'main', index: 0 }], []],
	};
	connections['Find or create supplier'] = {
		main: [[{ node: SYNC_NODES.postSpend, type: 'main', index: 0 }]],
	};
	return {
		id,
		name: `Bench: backfill with our nodes (${grouping})`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
	};
}

/** The template's polling trigger, enabled, → No Operation (counts what a poll costs in Brex calls). */
export function pollingWorkflow(startDate: string, maxRecordsPerPoll: number): WorkflowFixture {
	const template = readTemplate(SYNC_TEMPLATE_FILE);
	const trigger = copyNode(templateNode(template, 'Brex Trigger (polling)'), [0, 0]);
	trigger.id = stableUuid(`${POLLING_ID}/trigger`);
	trigger.parameters = {
		...trigger.parameters,
		// Twice a day: no scheduled poll fires during the bench; activation polls at once.
		pollTimes: { item: [{ mode: 'everyX', value: 12, unit: 'hours' }] },
		options: { startDate, maxRecordsPerPoll },
	};
	const after: WorkflowNodeFixture = {
		id: stableUuid(`${POLLING_ID}/after`),
		name: 'Received',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [200, 0],
		parameters: {},
	};
	return {
		id: POLLING_ID,
		name: 'Bench: polling trigger',
		nodes: [trigger, after],
		connections: chain([trigger.name, after.name]),
		settings: { executionOrder: 'v1' },
	};
}

export const STOCK_WEBHOOK_ID = 'BenchStockWebhook1';
export const STOCK_WEBHOOK_PATH = 'bench-stock-webhook';

/**
 * n8n's own Webhook node answering on receipt → No Operation: the floor of n8n's webhook path on this machine,
 * to compare the Brex Trigger's answer time with.
 */
export function stockWebhookWorkflow(): WorkflowFixture {
	return {
		id: STOCK_WEBHOOK_ID,
		name: 'Bench: stock webhook floor',
		nodes: [
			{
				id: stableUuid(`${STOCK_WEBHOOK_ID}/webhook`),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: stableUuid(`${STOCK_WEBHOOK_ID}/webhookId`),
				parameters: { httpMethod: 'POST', path: STOCK_WEBHOOK_PATH, options: {} },
			},
			{
				id: stableUuid(`${STOCK_WEBHOOK_ID}/after`),
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: chain(['Webhook', 'Received']),
		settings: { executionOrder: 'v1' },
	};
}

export function readBaseline(): WorkflowFixture {
	return JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8')) as WorkflowFixture;
}

/** Writes bench/workflows/backfill.json (the entry-set variant) so it can be imported by hand. */
export function writeBackfillFile(): void {
	fs.mkdirSync(path.dirname(BACKFILL_FILE), { recursive: true });
	fs.writeFileSync(
		BACKFILL_FILE,
		JSON.stringify({ ...backfillWorkflow('entrySet'), active: false, pinData: {} }, null, '\t') +
			'\n',
	);
}
