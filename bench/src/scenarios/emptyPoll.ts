/** Scenario `empty-poll`: what one poll costs when Brex has nothing new. */
import { waitFor } from '../../../test/e2e/lib/tools';
import { POLLING_ID } from '../workflows';
import { POLL_N, type ScenarioId, log } from '../config';
import { type Row } from '../report';
import { type Stack, mainPeakMiB, reseed, resetStats, restartN8n } from '../stack';

/** The polling trigger: a first poll of POLL_N expenses, then a poll that finds nothing new. */
export async function emptyPoll(stack: Stack): Promise<Row> {
	const { brex, n8n, sampler } = stack;
	const id: ScenarioId = 'empty-poll';
	reseed(stack, POLL_N);
	await restartN8n(stack);
	sampler.start();
	const stable = async (what: string) => {
		let last = -1;
		let since = Date.now();
		await waitFor(
			() => {
				if (brex.stats.total !== last) {
					last = brex.stats.total;
					since = Date.now();
					return false;
				}
				return Date.now() - since > 3_000;
			},
			{ timeoutMs: 120_000, intervalMs: 250, describe: () => what },
		);
	};
	// Activation runs the first poll at once (n8n tests a poll trigger when it activates it).
	await n8n.activate(POLLING_ID);
	await n8n.waitForExecutions(POLLING_ID, 1, 120_000);
	await stable('first poll');
	const firstPollCalls = brex.stats.total;
	const firstRoutes = { ...brex.stats.byRoute };
	await n8n.deactivate(POLLING_ID);
	resetStats(stack);
	await n8n.activate(POLLING_ID);
	await stable('second poll');
	const emptyPollCalls = brex.stats.total;
	const emptyRoutes = { ...brex.stats.byRoute };
	const executions = (await n8n.executionStatuses(POLLING_ID)).length;
	await n8n.deactivate(POLLING_ID);
	const peak = sampler.stop();
	const notes = [
		`first poll of ${POLL_N} expenses: ${firstPollCalls} Brex calls ${JSON.stringify(firstRoutes)}`,
		`poll with nothing new: ${emptyPollCalls} Brex calls ${JSON.stringify(emptyRoutes)}`,
		`executions after both polls: ${executions} (1 expected: the empty poll starts none)`,
	];
	log(`${id}: ${notes.join('; ')}`);
	return {
		id,
		label: 'polling: poll with nothing new',
		n: POLL_N,
		wallS: null,
		brexCalls: emptyPollCalls,
		x3Calls: 0,
		x3ByOperation: {},
		callsPerExpense: NaN,
		x3CallsPerExpense: NaN,
		lowerBound: 1,
		ratioToBound: emptyPollCalls / 1,
		latencyBoundS: null,
		peakRssMiB: peak,
		peakMainRssMiB: mainPeakMiB(sampler),
		posted: 0,
		expected: 0,
		entries: 0,
		notes,
		measuredAt: new Date().toISOString(),
		extra: { firstPollCalls, emptyPollCalls, executions },
	};
}
