/**
 * Driving the templates in a running n8n from a test: the webhook URL of the Brex Trigger, waiting until the
 * webhook executions have all finished, and a manual run of a trigger with input data (how the e2e test
 * gives the reconciliation its date range without editing the template).
 */
import type { DeliveryAttempt } from '../../emulators/brex/types';
import type { WebhookEvent } from '../../emulators/brex/webhooks';
import type { ExecutionSummary } from '../lib/n8nInstance';
import { waitFor } from '../lib/tools';
import { RECONCILIATION_NODES, runManually, type N8nApi, type TemplateNode } from './stack';

const UNFINISHED = ['new', 'running', 'waiting', 'unknown'];

/** The production URL n8n serves the Brex Trigger on (and registers with Brex). */
export function webhookUrlOf(n8n: { baseUrl: string }, trigger: TemplateNode): string {
	if (!trigger.webhookId) throw new Error(`${trigger.name} has no webhookId`);
	return `${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook`;
}

/**
 * Executions other than the runs of the template's "Replay every 15 minutes" schedule (mode trigger): n8n fires
 * it at each quarter hour of the clock, so it may start during any measurement of what requests started.
 */
export function withoutScheduledRuns<Execution extends { mode: string }>(
	executions: Execution[],
): Execution[] {
	return executions.filter((execution) => execution.mode !== 'trigger');
}

interface StatusLister<Execution extends { id: string; status: string }> {
	executionStatuses(workflowId: string): Promise<Execution[]>;
}

/**
 * Waits until no execution of the workflow is queued or running and the count has not changed for
 * `quietMs` (webhook calls still being answered start new ones); returns id and status of each.
 */
export async function settleSync<Execution extends { id: string; status: string }>(
	n8n: StatusLister<Execution>,
	workflowId: string,
	options: { timeoutMs?: number; quietMs?: number } = {},
): Promise<Execution[]> {
	const quietMs = options.quietMs ?? 3_000;
	let last: Execution[] = [];
	let stableSince = Date.now();
	let lastCount = -1;
	return await waitFor(
		async () => {
			last = await n8n.executionStatuses(workflowId);
			const busy = last.filter((execution) => UNFINISHED.includes(execution.status)).length;
			if (busy > 0 || last.length !== lastCount) {
				lastCount = last.length;
				stableSince = Date.now();
				return undefined;
			}
			return Date.now() - stableSince >= quietMs ? last : undefined;
		},
		{
			timeoutMs: options.timeoutMs ?? 300_000,
			intervalMs: 1_000,
			describe: () =>
				`executions of ${workflowId} to settle (${last.length} in all, ` +
				`${last.filter((execution) => UNFINISHED.includes(execution.status)).length} unfinished)`,
		},
	);
}

interface PublicWorkflow {
	name: string;
	nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
}

/**
 * Sets the values of a Set node's fields in a stored workflow, as a user editing the node in the editor
 * would (public API: read the workflow, change the node, write it back).
 */
export async function setFieldValues(
	n8n: N8nApi,
	workflowId: string,
	nodeName: string,
	values: Record<string, string>,
): Promise<void> {
	const workflow = await n8n.api<PublicWorkflow>('GET', `/workflows/${workflowId}`);
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`Workflow ${workflowId} has no node "${nodeName}"`);
	const assignments = (
		node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
	).assignments;
	for (const [name, value] of Object.entries(values)) {
		const field = assignments.find((assignment) => assignment.name === name);
		if (!field) throw new Error(`"${nodeName}" has no field ${name}`);
		field.value = value;
	}
	await n8n.api('PUT', `/workflows/${workflowId}`, {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
}

/** The first item the Reconcile operation outputs. */
export interface ReconciliationSummary {
	dateFrom: string;
	dateTo: string;
	brexRecords: number;
	x3Entries: number;
	counts: Record<
		'matched' | 'missing_in_x3' | 'duplicated_in_x3' | 'amount_mismatch' | 'unknown_to_brex',
		number
	>;
	balanced: boolean;
}

/** Runs the reconciliation template for a date range; returns the execution and the summary item. */
export async function runReconciliation(
	n8n: N8nApi,
	workflowId: string,
	range: { dateFrom: string; dateTo: string },
	timeoutMs?: number,
): Promise<{ execution: ExecutionSummary; summary: ReconciliationSummary }> {
	await setFieldValues(n8n, workflowId, RECONCILIATION_NODES.dateRange, range);
	const execution = await runManually(n8n, workflowId, RECONCILIATION_NODES.start, timeoutMs);
	const runs = execution.data?.resultData?.runData?.[RECONCILIATION_NODES.reconcile] ?? [];
	const first = runs[0]?.data?.main?.[0]?.[0]?.json;
	if (!first) {
		const ran = Object.keys(execution.data?.resultData?.runData ?? {}).join(', ');
		throw new Error(`"${RECONCILIATION_NODES.reconcile}" gave no summary (nodes that ran: ${ran})`);
	}
	return { execution, summary: first as unknown as ReconciliationSummary };
}

interface EventSender {
	deliverEvents(events: WebhookEvent[]): Promise<DeliveryAttempt[]>;
	stats: { deliveries: DeliveryAttempt[] };
}

/**
 * Sends events the way spend happens: in small batches, the next batch once the previous one's first
 * attempts are answered and at least `minIntervalMs` later. While the receiver is down the batches still
 * go out (and fail) at that pace, so their retries come back spread over time as Svix's do, instead of as
 * one burst. Resolves with every attempt once all deliveries (retries included) are over.
 */
export function paceDeliveries(
	brex: EventSender,
	events: WebhookEvent[],
	options: { batchSize: number; minIntervalMs: number; copiesPerEvent: number },
): { done: Promise<DeliveryAttempt[]>; sent: () => number } {
	let sent = 0;
	const firstAttempts = () =>
		brex.stats.deliveries.filter((attempt) => attempt.attempt === 1).length;
	const done = (async () => {
		const base = firstAttempts();
		const deliveries: Array<Promise<DeliveryAttempt[]>> = [];
		for (let start = 0; start < events.length; start += options.batchSize) {
			const batch = events.slice(start, start + options.batchSize);
			const batchStarted = Date.now();
			deliveries.push(brex.deliverEvents(batch));
			sent += batch.length;
			await waitFor(() => firstAttempts() - base >= sent * options.copiesPerEvent, {
				timeoutMs: 10 * 60_000,
				intervalMs: 50,
				describe: () => `first attempts of ${sent} events`,
			});
			const wait = options.minIntervalMs - (Date.now() - batchStarted);
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		}
		return (await Promise.all(deliveries)).flat();
	})();
	return { done, sent: () => sent };
}
