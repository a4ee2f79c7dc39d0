/**
 * Hardening: the published sync template (workflows/brex-to-sage-x3-sync.json) in a real n8n, its Brex
 * Trigger's public webhook URL under attack. Every request of the corpus (lib/attackCorpus.ts: forged and
 * missing signatures, stale and future timestamps, tampered bodies, header-family mixes, unknown schemes,
 * oversized and non-JSON bodies, wrong methods and content types, …) must be answered 4xx and start no
 * execution, and cause no Brex enrichment call. Two requests never reach the package: n8n 2.41 answers 500
 * itself to a body over its payload limit and to an undecodable Content-Encoding (listed in the corpus). A replayed webhook id (the same id again with a fresh valid
 * signature, and the identical request again) starts no second execution. The run's execution data and
 * n8n's logs must hold no credential value.
 */
import { randomBytes } from 'node:crypto';

import { settleSync, withoutScheduledRuns } from '../e2e/sync/drive';
import {
	ATTACK_CASES,
	sendRaw,
	validDelivery,
	type AttackCase,
	type AttackContext,
} from './lib/attackCorpus';
import {
	expectNoSecretsInRun,
	startHardeningStack,
	report,
	type HardeningStack,
} from './lib/hardeningStack';

jest.setTimeout(10 * 60_000);

const SEED = 20261201;
const ENRICHMENT_ROUTE = 'GET /v1/expenses/{id}';
const SECRETS_ROUTE = 'GET /v1/webhooks/secrets';

let stack: HardeningStack | undefined;

function running(): HardeningStack {
	if (!stack) throw new Error('the stack did not start');
	return stack;
}

/** Ids of every execution of the template so far (manual and scheduled runs included). */
async function executionIds(): Promise<Set<string>> {
	const s = running();
	return new Set((await settleSync(s.n8n, s.sync.id)).map((execution) => execution.id));
}

/** Executions requests started since `before` (a run of the replay schedule meanwhile is reported, not counted). */
async function newExecutions(before: Set<string>): Promise<Array<{ id: string; status: string }>> {
	const s = running();
	const all = (await settleSync(s.n8n, s.sync.id)).filter((execution) => !before.has(execution.id));
	const started = withoutScheduledRuns(all);
	if (started.length < all.length) {
		report(
			`  (not counted: ${all.length - started.length} scheduled replay run(s) of the template meanwhile)`,
		);
	}
	return started.map(({ id, status }) => ({ id, status }));
}

function is4xx(response: { status: number }): boolean {
	return response.status >= 400 && response.status < 500;
}

/** n8n's own answer (or connection reset) to a request its core refuses before the package's code. */
function refusedByCore(answer: {
	status: number;
	connectionError?: string;
	core?: AttackCase['refusedByN8nCore'];
}): boolean {
	if (!answer.core) return false;
	if (answer.status === answer.core.status) return true;
	return (
		answer.core.mayResetConnection === true &&
		answer.status === 0 &&
		/^(ECONNRESET|EPIPE)$/.test(answer.connectionError ?? '')
	);
}

/** "HTTP 401", or "connection ECONNRESET" when no answer arrived. */
function answerText(answer: { status: number; connectionError?: string }): string {
	return answer.connectionError ? `connection ${answer.connectionError}` : `HTTP ${answer.status}`;
}

function context(expenseId: string): AttackContext {
	const s = running();
	const [event] = s.brex.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: [expenseId] });
	return {
		url: s.hookUrl,
		secrets: s.brex.state.webhookSecrets.map((secret) => secret.secret),
		validBody: JSON.stringify(event.body),
	};
}

/** Expenses the template posts (approved or settled, cleared), in seed order. */
function postableExpenseIds(): string[] {
	return [...running().brex.state.expenses.values()]
		.filter(
			(expense) =>
				['APPROVED', 'SETTLED'].includes(expense.status) &&
				expense.payment_status === 'CLEARED' &&
				(expense.billing_amount?.amount ?? 0) > 0,
		)
		.map((expense) => expense.id);
}

beforeAll(async () => {
	stack = await startHardeningStack({ name: 'attacks', seed: SEED });
}, 5 * 60_000);

afterAll(async () => {
	await stack?.dispose();
});

describe('webhook attack corpus against the published sync template', () => {
	it('refuses every attack with a 4xx answer (or n8n core refuses it first), starts no execution and makes no Brex enrichment call', async () => {
		const s = running();
		const [target] = postableExpenseIds();
		const before = await executionIds();
		const enrichmentBefore = s.brex.stats.byRoute[ENRICHMENT_ROUTE] ?? 0;
		const secretFetchesBefore = s.brex.stats.byRoute[SECRETS_ROUTE] ?? 0;
		const startedAt = Date.now();

		const answers: Array<{
			name: string;
			signed: boolean;
			status: number;
			connectionError?: string;
			core?: AttackCase['refusedByN8nCore'];
		}> = [];
		for (const attack of ATTACK_CASES) {
			const response = await sendRaw(s.hookUrl, attack.build(context(target)));
			answers.push({
				name: attack.name,
				signed: attack.signedWithBrexSecret,
				status: response.status,
				connectionError: response.connectionError,
				core: attack.refusedByN8nCore,
			});
		}
		const runs = await newExecutions(before);
		const enrichmentCalls = (s.brex.stats.byRoute[ENRICHMENT_ROUTE] ?? 0) - enrichmentBefore;
		const secretFetches = (s.brex.stats.byRoute[SECRETS_ROUTE] ?? 0) - secretFetchesBefore;
		const rejected = answers.filter(is4xx);
		const byN8nCore = answers.filter((answer) => !is4xx(answer) && refusedByCore(answer));
		const accepted = answers.filter((answer) => answer.status >= 200 && answer.status < 300);

		for (const answer of answers) {
			report(
				`  attack: ${answer.name}${answer.signed ? ' [Brex-signed]' : ''} → ${answerText(answer)}` +
					(answer.core && !is4xx(answer) ? ` (n8n core: ${answer.core.why})` : ''),
			);
		}
		report(
			`webhook attacks rejected: ${rejected.length} / ${answers.length} with 4xx ` +
				`(${answers.filter((a) => a.signed).length} of the ${answers.length} carried a valid Brex signature); ` +
				`refused by n8n core before the package's code: ${byN8nCore.length} (${byN8nCore.map(answerText).join(', ')}); ` +
				`2xx answers: ${accepted.length}; executions started: ${runs.length}; ` +
				`Brex enrichment calls: ${enrichmentCalls}; Brex secret fetches: ${secretFetches}; ` +
				`took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
		);

		expect(answers.length).toBeGreaterThanOrEqual(20);
		expect(
			answers
				.filter((answer) => !is4xx(answer) && !refusedByCore(answer))
				.map((answer) => `${answer.name}: ${answerText(answer)}`),
		).toEqual([]);
		expect(accepted).toEqual([]);
		expect(runs).toEqual([]);
		expect(enrichmentCalls).toBe(0);
	});

	it('runs a valid delivery once and never again for its replayed webhook id', async () => {
		const s = running();
		const [, expenseId] = postableExpenseIds();
		const webhookId = `msg_replay_${randomBytes(8).toString('hex')}`;
		const before = await executionIds();

		const first = validDelivery(context(expenseId), context(expenseId).validBody, webhookId);
		const firstAnswer = await sendRaw(s.hookUrl, first);
		const firstRun = await newExecutions(before);

		// Svix-style redelivery: same id, fresh timestamp, fresh signature (the second is a new one).
		await new Promise((resolve) => setTimeout(resolve, 1_100));
		const redelivery = validDelivery(context(expenseId), context(expenseId).validBody, webhookId);
		const redeliveryAnswer = await sendRaw(s.hookUrl, redelivery);
		// An attacker replaying the captured request byte for byte, inside the 5-minute window.
		const replayAnswer = await sendRaw(s.hookUrl, first);
		const afterReplays = await newExecutions(before);

		report(
			`replay: first delivery of ${webhookId} → HTTP ${firstAnswer.status}, executions ${firstRun.length} ` +
				`(${firstRun.map((e) => e.status).join(', ')}); redelivery with a fresh signature → HTTP ` +
				`${redeliveryAnswer.status} ${redeliveryAnswer.body}; identical replay → HTTP ${replayAnswer.status}; ` +
				`executions after the replays: ${afterReplays.length}`,
		);
		expect(firstAnswer.status).toBe(200);
		expect(firstRun).toEqual([{ id: expect.any(String), status: 'success' }]);
		// Acknowledged (a sender must not retry a handled delivery), but nothing runs again.
		expect(redeliveryAnswer.status).toBe(200);
		expect(replayAnswer.status).toBe(200);
		expect(JSON.parse(redeliveryAnswer.body)).toMatchObject({ duplicate: true });
		expect(afterReplays).toEqual(firstRun);
	});

	it('acknowledges signed events it does not handle without starting an execution', async () => {
		const s = running();
		const [expenseId] = postableExpenseIds();
		const ctx = context(expenseId);
		const before = await executionIds();
		const answers: Array<{ eventType: string; status: number; body: string }> = [];
		for (const eventType of ['EXPENSE_DELETED_ALL', 'TRANSFER_PROCESSED', '']) {
			const body = JSON.stringify({ ...JSON.parse(ctx.validBody), event_type: eventType });
			const response = await sendRaw(
				s.hookUrl,
				validDelivery(ctx, body, `msg_${randomBytes(8).toString('hex')}`),
			);
			answers.push({ eventType, status: response.status, body: response.body });
		}
		const runs = await newExecutions(before);
		report(
			`signed events not handled: ${answers
				.map((a) => `${a.eventType || '(empty event_type)'} → HTTP ${a.status}`)
				.join('; ')}; executions started: ${runs.length}`,
		);
		// Unknown and unselected types: 200 and ignored (a 4xx would make Brex retry an authentic event for
		// days); an empty event_type is malformed: 400.
		expect(answers.map((a) => a.status)).toEqual([200, 200, 400]);
		expect(runs).toEqual([]);
	});

	it('leaves no credential value in execution data or n8n logs', async () => {
		await expectNoSecretsInRun(running());
	});
});
