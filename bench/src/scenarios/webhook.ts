/**
 * Scenarios `webhook`, `webhook-queue` and `webhook-sustained`: signed deliveries at a fixed rate into the
 * active template, in the bench's n8n or in n8n's queue mode.
 */
import { signPayload } from '../../../test/emulators/brex/server';
import { CHART } from '../../../test/emulators/seed';
import { N8nInstance } from '../../../test/e2e/lib/n8nInstance';
import { StopWaiting, sleepMs, waitFor } from '../../../test/e2e/lib/tools';
import { webhookUrlOf, withoutScheduledRuns } from '../../../test/e2e/sync/drive';
import { QueueStack } from '../../../test/reliability/lib/queueStack';
import { expectedLedger, templateSyncSettings } from '../../../test/e2e/sync/expected';
import {
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	ledgerFigures,
	readTemplate,
	runManually,
	templateNode,
} from '../../../test/e2e/sync/stack';
import { RssSampler } from '../rss';
import { STOCK_WEBHOOK_ID, STOCK_WEBHOOK_PATH, stockWebhookWorkflow } from '../workflows';
import {
	SEED,
	type ScenarioId,
	WEBHOOK_ANSWER,
	WEBHOOK_DRAIN_S,
	WEBHOOK_RATE,
	WEBHOOK_SECONDS,
	WEBHOOK_SUSTAINED_RATE,
	log,
} from '../config';

import { type Row } from '../report';
import { type Stack, mainPeakMiB, reseed, resetStats, restartN8n, x3CallCount } from '../stack';

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Signed deliveries at a fixed rate (open loop) into the active template; acknowledgement latency. */
/** The Brex Trigger's "Answer Brex" option in the imported template (README, "Running at volume"). */
async function setTriggerAnswer(
	n8n: N8nInstance,
	workflowId: string,
	answer: string,
): Promise<void> {
	const workflow = await n8n.api<{
		name: string;
		nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
		connections: unknown;
		settings: unknown;
	}>('GET', `/workflows/${workflowId}`);
	const trigger = workflow.nodes.find((node) => node.name === SYNC_NODES.webhookTrigger);
	if (!trigger) throw new Error(`The template has no node "${SYNC_NODES.webhookTrigger}"`);
	trigger.parameters.options = { ...(trigger.parameters.options as object), answer };
	await n8n.api('PUT', `/workflows/${workflowId}`, {
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings,
	});
}

/**
 * Webhook ingestion into the active template: in the bench's single n8n (regular mode, SQLite), or in n8n's
 * queue mode (main + webhook processor + 2 workers, Redis and PostgreSQL), n8n's answer for webhook volume.
 */
export async function webhookIngestion(stack: Stack, id: ScenarioId): Promise<Row> {
	const queueMode = id === 'webhook-queue';
	const rate = id === 'webhook-sustained' ? WEBHOOK_SUSTAINED_RATE : WEBHOOK_RATE;
	const total = Math.round(rate * WEBHOOK_SECONDS);
	reseed(stack, total);
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	if (!queueMode) {
		await restartN8n(stack);
		return await measureWebhookIngestion(
			stack,
			id,
			rate,
			sync,
			stack.n8n,
			stack.sampler,
			stack.n8n.baseUrl,
		);
	}
	// The bench's own n8n would compete for the 2 cores.
	await stack.n8n.stop();
	const queue = await QueueStack.create({ name: 'bench-queue', workers: 2, workerConcurrency: 4 });
	try {
		await queue.main.importCredentials(stack.credentials);
		await queue.main.cli(['import:workflow', `--input=${SYNC_TEMPLATE_FILE}`]);
		await queue.main.importWorkflows([stockWebhookWorkflow()]);
		await queue.start();
		log(`${id}: ${queue.describe()}`);
		const sampler = new RssSampler(() => queue.n8nProcessGroups());
		return await measureWebhookIngestion(
			stack,
			id,
			rate,
			sync,
			queue.main,
			sampler,
			queue.webhookBaseUrl,
		);
	} finally {
		await queue.dispose();
	}
}

/**
 * The workflow's executions, waiting out n8n's "Database is not ready" (503): under a webhook flood n8n's
 * database health check times out and n8n refuses every request, the API included, until it recovers.
 */
async function statusesOnceReady(
	n8n: N8nInstance,
	workflowId: string,
): Promise<Awaited<ReturnType<N8nInstance['executionStatuses']>>> {
	let statuses: Awaited<ReturnType<N8nInstance['executionStatuses']>> = [];
	let lastError = '';
	await waitFor(
		async () => {
			try {
				statuses = await n8n.executionStatuses(workflowId);
				return true;
			} catch (error) {
				lastError = (error as Error).message.slice(0, 200);
				if (!/\b503\b/.test(lastError)) throw new StopWaiting(lastError);
				return false;
			}
		},
		{ timeoutMs: 5 * 60_000, intervalMs: 2_000, describe: () => `n8n's API (${lastError})` },
	);
	return statuses;
}

/** One Brex delivery, signed now as Svix signs it. */
async function postSigned(
	url: string,
	secrets: string[],
	webhookId: string,
	payload: string,
	timeoutMs?: number,
): Promise<Response> {
	const timestamp = Math.floor(Date.now() / 1000);
	return await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'webhook-id': webhookId,
			'webhook-timestamp': String(timestamp),
			'webhook-signature': signPayload(secrets, webhookId, timestamp, payload),
		},
		body: payload,
		...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
	});
}

/** Ten sequential calls of n8n's own Webhook node (answering on receipt) on the idle n8n; sorted latencies. */
async function stockWebhookFloor(n8n: N8nInstance, webhookBaseUrl: string): Promise<number[]> {
	await n8n.activate(STOCK_WEBHOOK_ID);
	const url = `${webhookBaseUrl}/webhook/${STOCK_WEBHOOK_PATH}`;
	const call = async () =>
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"ping":true}',
		});
	await waitFor(async () => (await call()).ok, {
		timeoutMs: 60_000,
		describe: () => `n8n's Webhook node at ${url}`,
	});
	const latencies: number[] = [];
	for (let index = 0; index < 10; index++) {
		const sent = performance.now();
		const response = await call();
		await response.arrayBuffer();
		if (response.ok) latencies.push(performance.now() - sent);
	}
	await n8n.deactivate(STOCK_WEBHOOK_ID);
	return latencies.sort((a, b) => a - b);
}

async function measureWebhookIngestion(
	stack: Stack,
	id: ScenarioId,
	rate: number,
	sync: ReturnType<typeof readTemplate>,
	n8n: N8nInstance,
	sampler: RssSampler,
	webhookBaseUrl: string,
): Promise<Row> {
	const { brex, x3 } = stack;
	await runManually(n8n, sync.id, SYNC_NODES.setupTables);
	await setTriggerAnswer(n8n, sync.id, WEBHOOK_ANSWER);
	const before = withoutScheduledRuns(await n8n.executionStatuses(sync.id)).length;
	await n8n.activate(sync.id);
	const hookUrl = webhookUrlOf(
		{ baseUrl: webhookBaseUrl },
		templateNode(sync, SYNC_NODES.webhookTrigger),
	);
	await waitFor(
		async () => {
			if (![...brex.state.webhooks.values()].some((hook) => hook.url === hookUrl)) return false;
			// Side-effect-free CORS preflight: the allowed methods include POST once the path is live.
			const preflight = await fetch(hookUrl, {
				method: 'OPTIONS',
				headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'POST' },
			});
			return /\bPOST\b/i.test(preflight.headers.get('access-control-allow-methods') ?? '');
		},
		{ timeoutMs: 120_000, describe: () => `the Brex webhook ${hookUrl} registered and served` },
	);
	const secrets = brex.state.webhookSecrets.map((secret) => secret.secret);
	const events = brex.buildEvents({
		eventType: 'EXPENSE_PAYMENT_UPDATED',
		ids: [...brex.state.expenses.keys()].slice(0, Math.round(rate * WEBHOOK_SECONDS)),
	});
	// The floor: n8n's webhook path and the trigger's verification on an idle n8n, without an execution (an
	// event type the template does not select is answered 200 and starts nothing).
	const idle: number[] = [];
	for (let index = 0; index < 10; index++) {
		const payload = JSON.stringify({
			event_type: 'TRANSFER_PROCESSED',
			transfer_id: `tr_${index}`,
		});
		const sent = performance.now();
		const response = await postSigned(hookUrl, secrets, `msg_bench_idle_${index}`, payload);
		await response.arrayBuffer();
		if (response.ok) idle.push(performance.now() - sent);
	}
	idle.sort((a, b) => a - b);
	const stock = await stockWebhookFloor(n8n, webhookBaseUrl);
	resetStats(stack);
	log(
		`${id}: idle n8n: the Brex Trigger answers an unselected event in p50 ${percentile(idle, 50).toFixed(1)} ms (max ${idle[idle.length - 1]?.toFixed(1)} ms, ${idle.length}/10 answered 200); n8n's own Webhook node answers in p50 ${percentile(stock, 50).toFixed(1)} ms (max ${stock[stock.length - 1]?.toFixed(1)} ms)`,
	);
	log(`${id}: ${events.length} signed deliveries at ${rate}/s into ${hookUrl}`);
	sampler.start();
	const latencies: number[] = [];
	const statusCounts: Record<string, number> = {};
	const started = Date.now();
	const sends: Array<Promise<void>> = [];
	for (const [index, event] of events.entries()) {
		const due = started + (index * 1000) / rate;
		const wait = due - Date.now();
		if (wait > 0) await sleepMs(wait);
		const payload = JSON.stringify(event.body);
		// Ids unique per scenario: n8n remembers processed webhook ids across restarts.
		const webhookId = `msg_bench_${id}_${SEED}_${index}`;
		sends.push(
			(async () => {
				const sent = performance.now();
				let key = 'error';
				try {
					const response = await postSigned(hookUrl, secrets, webhookId, payload, 30_000);
					await response.arrayBuffer();
					key = String(response.status);
				} catch (error) {
					key = (error as Error).name;
				}
				latencies.push(performance.now() - sent);
				statusCounts[key] = (statusCounts[key] ?? 0) + 1;
			})(),
		);
	}
	const sendSpanS = (Date.now() - started) / 1000;
	await Promise.all(sends);
	const answeredS = (Date.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	const accepted = Object.entries(statusCounts)
		.filter(([status]) => /^2\d\d$/.test(status))
		.reduce((sum, [, count]) => sum + count, 0);
	// n8n creates the execution of a webhook call before it answers; let the listing catch up.
	await sleepMs(3_000);
	const started8n = withoutScheduledRuns(await statusesOnceReady(n8n, sync.id)).length - before;
	log(
		`${id}: sent in ${sendSpanS.toFixed(1)} s, all answered at ${answeredS.toFixed(1)} s; statuses ${JSON.stringify(statusCounts)}; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; executions started ${started8n}`,
	);
	// Drain (bounded): the executions post to X3 through its pool of 4.
	const expected = expectedLedger(brex, templateSyncSettings()).postings.size;
	const drainStarted = Date.now();
	let unfinished = -1;
	try {
		await waitFor(
			async () => {
				const statuses = await statusesOnceReady(n8n, sync.id);
				unfinished = statuses.filter(
					(e) => !['success', 'error', 'crashed', 'canceled'].includes(e.status),
				).length;
				return unfinished === 0;
			},
			{
				timeoutMs: WEBHOOK_DRAIN_S * 1000,
				intervalMs: 5_000,
				describe: () => `${unfinished} unfinished`,
			},
		);
	} catch {
		// Reported below.
	}
	const drainS = (Date.now() - drainStarted) / 1000;
	const peak = sampler.stop();
	const figures = ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount);
	const finalStatuses = await statusesOnceReady(n8n, sync.id);
	const byStatus: Record<string, number> = {};
	for (const e of finalStatuses.slice(0)) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
	await n8n.deactivate(sync.id).catch(() => undefined);
	const x3Count = x3CallCount(x3);
	const startedFinal = withoutScheduledRuns(finalStatuses).length - before;
	const notes = [
		`ack p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]?.toFixed(1)} ms (idle n8n: Brex Trigger without execution p50 ${percentile(idle, 50).toFixed(1)} ms, n8n's own Webhook node p50 ${percentile(stock, 50).toFixed(1)} ms)`,
		`${accepted} of ${events.length} acknowledged (2xx), answers ${JSON.stringify(statusCounts)}`,
		`${startedFinal} executions started (${started8n} listed 3 s after the last answer)` +
			(startedFinal === accepted
				? ', one per acknowledged delivery (none lost, none doubled)'
				: startedFinal > accepted
					? `, ${startedFinal - accepted} for deliveries whose answer did not arrive in time (Brex would redeliver them; the trigger drops a redelivered webhook id it has seen)`
					: `, ${accepted - startedFinal} acknowledged deliveries started no execution (LOST)`),
		unfinished === 0
			? `drained in ${drainS.toFixed(0)} s after the last answer`
			: `${unfinished} executions still unfinished ${drainS.toFixed(0)} s after the last answer (drain not awaited further)`,
		`ledger: ${figures.linesByItemTrace.size} of ${expected} ready expenses posted, ${figures.duplicateItemTraces.length} duplicate trace ids`,
		`Brex calls ${JSON.stringify(brex.stats.byRoute)}`,
	];
	log(`${id}: ${notes.join('; ')}; execution statuses ${JSON.stringify(byStatus)}`);
	return {
		id,
		label: `webhook ${rate}/s × ${WEBHOOK_SECONDS} s (${id === 'webhook-queue' ? 'queue mode' : 'one n8n, SQLite'}, answer ${WEBHOOK_ANSWER})`,
		n: events.length,
		wallS: answeredS,
		brexCalls: brex.stats.total,
		x3Calls: x3Count.total,
		x3ByOperation: x3Count.byOperation,
		callsPerExpense: (brex.stats.total + x3Count.total) / events.length,
		x3CallsPerExpense: x3Count.total / events.length,
		lowerBound: null,
		ratioToBound: null,
		latencyBoundS: null,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted: figures.linesByItemTrace.size,
		expected,
		entries: x3.ledger().entries.length,
		notes,
		measuredAt: new Date().toISOString(),
		extra: {
			ackP50Ms: percentile(latencies, 50),
			ackP90Ms: percentile(latencies, 90),
			ackP99Ms: percentile(latencies, 99),
			ackMaxMs: latencies[latencies.length - 1],
			idleAckP50Ms: percentile(idle, 50),
			idleAckMaxMs: idle[idle.length - 1],
			stockWebhookP50Ms: percentile(stock, 50),
			stockWebhookMaxMs: stock[stock.length - 1],
			httpStatuses: statusCounts,
			accepted,
			executionsStarted: startedFinal,
			executionsListedAfter3s: started8n,
			executionStatuses: byStatus,
			sendSpanS,
			drainS,
			unfinishedAtEnd: unfinished,
			brexByRoute: { ...brex.stats.byRoute },
		},
	};
}
