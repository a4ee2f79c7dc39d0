/**
 * Hardening issue, the fault matrix with n8n in queue mode: Redis and PostgreSQL, a main process, a webhook
 * processor that receives the Brex deliveries and two workers that run the executions (lib/queueStack.ts).
 * Idempotency must hold across processes: duplicate deliveries and re-announced expenses run on different
 * workers at the same time, a worker is killed mid-execution and the webhook processor mid-delivery.
 * Same driver and verdict as the regular-mode test (lib/faultRun.ts).
 */
import {
	expectEveryExpensePostedOnce,
	runFaultMatrix,
	startEmulators,
	type Emulators,
	type FaultRunFigures,
} from './lib/faultRun';
import { QueueStack } from './lib/queueStack';

jest.setTimeout(30 * 60_000);

let emulators: Emulators | undefined;
let stack: QueueStack | undefined;

afterAll(async () => {
	await stack?.dispose();
	await emulators?.close();
});

describe('fault matrix with n8n in queue mode', () => {
	let figures: FaultRunFigures;

	beforeAll(async () => {
		emulators = await startEmulators();
		stack = await QueueStack.create({ name: 'queue-mode', workers: 2, workerConcurrency: 2 });
		// The webhook processor answers Brex on receipt here (the regular run answers after fetching), so the
		// retryable-error path of a record Brex cannot return at delivery is under the same verdict.
		figures = await runFaultMatrix(stack, emulators, { webhookAnswer: 'onReceipt' });
	}, 30 * 60_000);

	it('ran the executions on both workers and survived a worker and the webhook processor being killed', () => {
		for (const worker of stack!.workers) {
			const finished = worker.logs().match(/Worker finished execution \d+/g) ?? [];
			expect(finished.length).toBeGreaterThan(figures.expected / 10);
		}
		expect(figures.kills).toHaveLength(2);
		expect(figures.kills[0]).toMatch(/kill -9 of worker\d/);
		expect(figures.kills[1]).toMatch(/kill -9 of webhook/);
		expect(figures.brex.accessTokensIssued).toBeGreaterThan(1);
		expect(figures.deliveries.neverAcknowledged).toBe(0);
	});

	it('posts every expected expense exactly once across processes', () => {
		expectEveryExpensePostedOnce(figures);
	});

	it('leaves no secret in execution data or logs of any process', () => {
		expect(figures.scanned.logs).toBeGreaterThanOrEqual(4);
		expect(figures.secretFindings).toEqual([]);
	});
});
