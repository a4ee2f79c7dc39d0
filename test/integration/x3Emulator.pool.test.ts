import { X3Emulator, startX3Emulator } from '../emulators/x3/server';
import {
	HttpResult,
	assertWsdlShape,
	faultString,
	parseSoapResult,
	postSoap,
	soapEnvelope,
} from '../emulators/x3/testkit';

const JSON_MODE = 'adxwss.optreturn=JSON';

function saveEnvelope(trace: string): string {
	return soapEnvelope('save', {
		publicName: 'YGAS',
		requestConfig: JSON_MODE,
		cdata: true,
		payload: JSON.stringify({
			GAS0_1: { TYP: 'BRX', FCY: 'FR011', ACCDAT: '20240131', CUR: 'USD', BPRVCR: trace },
			GAS1_1: [
				{ ACC: '651000', DEB: '10.00', CCE2: 'ENG' },
				{ ACC: '467100', CDT: '10.00' },
			],
		}),
	});
}

/** Parses a CAdxResultXml answer and checks it against the WSDL (busy answers included). */
function checked(body: string, operation: string) {
	const parsed = parseSoapResult(body, operation);
	assertWsdlShape(parsed, operation);
	return parsed;
}

let emulator: X3Emulator;

beforeAll(async () => {
	emulator = await startX3Emulator({ seed: 7 });
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.resetStats();
	Object.assign(emulator.settings, {
		poolSize: 4,
		poolWaitMs: 0,
		busyMode: 'status0',
		soapStyle: 'multiRef',
	});
	emulator.setFaults({
		poolBusyProbability: 0,
		http500Probability: 0,
		timeoutProbability: 0,
		lockProbability: 0,
		timeoutMs: 30_000,
		scope: ['soap'],
		latency: { saveMs: 0, otherMs: 0, jitterMs: 0 },
	});
});

/** Fires n saves while the pool is held, waits until the emulator has seen them all, then lets them finish. */
async function burst(n: number, seen: (e: X3Emulator) => boolean): Promise<HttpResult[]> {
	const release = emulator.holdPool();
	const calls = Array.from({ length: n }, (_, i) =>
		postSoap(emulator.url, saveEnvelope(`BRXE-BURST${String(i).padStart(5, '0')}`)),
	);
	try {
		await emulator.waitFor(seen);
	} finally {
		release();
	}
	return Promise.all(calls);
}

describe('SOAP pool', () => {
	test('pool of 4, six concurrent saves: four are processed, two get the busy answer (status 0)', async () => {
		const responses = await burst(
			6,
			(e) => e.stats.pool.inFlight === 4 && e.stats.pool.busyAnswers === 2,
		);
		const parsed = responses.map((r) => checked(r.body, 'save'));
		expect(responses.every((r) => r.status === 200)).toBe(true);
		expect(parsed.filter((p) => p.status === 1)).toHaveLength(4);
		const busy = parsed.filter((p) => p.status === 0);
		expect(busy).toHaveLength(2);
		for (const answer of busy) {
			expect(answer.technicalInfos.busy).toBe('true');
			expect(answer.messages[0].message).toMatch(
				/Connection pool is busy: no free entry in pool BREX/,
			);
		}
		expect(emulator.stats.pool.peak).toBe(4);
		expect(emulator.state.journalEntries).toHaveLength(4);
		const entryIndexes = parsed
			.filter((p) => p.status === 1)
			.map((p) => Number(p.technicalInfos.poolEntryIdx));
		expect(entryIndexes.sort()).toEqual([0, 1, 2, 3]);
	});

	test('the HTTP 500 busy variant answers "No Web services accepted"', async () => {
		emulator.settings.busyMode = 'http500';
		const responses = await burst(
			6,
			(e) => e.stats.pool.inFlight === 4 && e.stats.pool.busyAnswers === 2,
		);
		const refused = responses.filter((r) => r.status === 500);
		expect(refused).toHaveLength(2);
		for (const r of refused) expect(faultString(r.body)).toBe('No Web services accepted');
		expect(responses.filter((r) => r.status === 200)).toHaveLength(4);
	});

	test('with poolWaitMs the extra calls queue for a free entry instead of failing', async () => {
		emulator.settings.poolWaitMs = 10_000;
		const responses = await burst(
			6,
			(e) => e.stats.pool.inFlight === 4 && e.stats.pool.queued === 2,
		);
		const parsed = responses.map((r) => checked(r.body, 'save'));
		expect(parsed.map((p) => p.status)).toEqual([1, 1, 1, 1, 1, 1]);
		expect(emulator.stats.pool.waited).toBe(2);
		expect(emulator.stats.pool.busyAnswers).toBe(0);
		expect(emulator.stats.pool.peak).toBe(4);
		expect(emulator.state.journalEntries).toHaveLength(6);
	});

	test('a queued call that waits longer than poolWaitMs gets the busy answer with its wait time', async () => {
		emulator.settings.poolWaitMs = 60;
		const release = emulator.holdPool();
		const held = Array.from({ length: 4 }, (_, i) =>
			postSoap(emulator.url, saveEnvelope(`BRXE-HELD${i}`)),
		);
		await emulator.waitFor((e) => e.stats.pool.inFlight === 4);
		const late = await postSoap(emulator.url, saveEnvelope('BRXE-LATE'));
		release();
		await Promise.all(held);
		const parsed = checked(late.body, 'save');
		expect(parsed.status).toBe(0);
		expect(Number(parsed.technicalInfos.poolWaitDuration)).toBeGreaterThanOrEqual(60);
	});
});

describe('fault injection', () => {
	test('poolBusyProbability 1 answers busy without touching the pool', async () => {
		emulator.setFaults({ poolBusyProbability: 1 });
		const parsed = checked((await postSoap(emulator.url, saveEnvelope('BRXE-F1'))).body, 'save');
		expect(parsed.status).toBe(0);
		expect(parsed.technicalInfos.busy).toBe('true');
		expect(emulator.stats.faults.poolBusy).toBe(1);
		expect(emulator.stats.pool.peak).toBe(0);
	});

	test('http500Probability 1 answers HTTP 500 and saves nothing', async () => {
		emulator.setFaults({ http500Probability: 1 });
		const response = await postSoap(emulator.url, saveEnvelope('BRXE-F2'));
		expect(response.status).toBe(500);
		expect(faultString(response.body)).toMatch(/emulated fault/);
		expect(emulator.state.journalEntries).toHaveLength(0);
		expect(emulator.stats.faults.http500).toBe(1);
	});

	test('lockProbability 1 refuses writes with a lock message but not reads', async () => {
		emulator.setFaults({ lockProbability: 1 });
		const save = checked((await postSoap(emulator.url, saveEnvelope('BRXE-F3'))).body, 'save');
		expect(save.status).toBe(0);
		expect(save.messages[0].message).toMatch(/locked/);
		const read = await postSoap(
			emulator.url,
			soapEnvelope('read', {
				publicName: 'YBPS',
				keys: [{ key: 'BPSNUM', value: 'BRX00001' }],
				requestConfig: JSON_MODE,
			}),
		);
		expect(checked(read.body, 'read').status).toBe(1);
	});

	test('a timeout fault saves the entry, then hangs past the client timeout', async () => {
		emulator.setFaults({ timeoutProbability: 1, timeoutMs: 5_000 });
		const controller = new AbortController();
		const call = postSoap(emulator.url, saveEnvelope('BRXE-HANG'), undefined, controller.signal);
		await emulator.waitFor((e) => e.stats.faults.timeouts === 1);
		controller.abort();
		await expect(call).rejects.toThrow();
		// The work was done: a client retry has to find the entry by its trace id instead of posting it again.
		expect(emulator.state.journalEntries.map((e) => e.traceValue)).toEqual(['BRXE-HANG']);
		// The engine finished: the late answer does not keep a pool entry.
		expect(emulator.stats.pool.inFlight).toBe(0);
	});

	test('save latency shows in technicalInfos.totalDuration', async () => {
		emulator.setFaults({ latency: { saveMs: 40 } });
		const parsed = checked((await postSoap(emulator.url, saveEnvelope('BRXE-SLOW'))).body, 'save');
		expect(parsed.status).toBe(1);
		expect(Number(parsed.technicalInfos.totalDuration)).toBeGreaterThanOrEqual(40);
	});

	test('probabilistic faults follow the seed: the same seed gives the same pattern', async () => {
		const pattern = async (target: X3Emulator) => {
			target.setFaults({ poolBusyProbability: 0.5 });
			const out: number[] = [];
			for (let i = 0; i < 16; i++) {
				out.push(
					checked((await postSoap(target.url, saveEnvelope(`BRXE-P${i}`))).body, 'save').status,
				);
			}
			return out;
		};
		const a = await startX3Emulator({ seed: 99 });
		const b = await startX3Emulator({ seed: 99 });
		try {
			const first = await pattern(a);
			expect(await pattern(b)).toEqual(first);
			expect(first).toContain(0);
			expect(first).toContain(1);
			expect(a.stats.faults.poolBusy).toBe(first.filter((s) => s === 0).length);
		} finally {
			await a.close();
			await b.close();
		}
	});
});

describe('control endpoints', () => {
	const control = async (path: string, body?: unknown) => {
		const response = await fetch(`${emulator.url}/__emulator/${path}`, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: response.status, json: (await response.json()) as any };
	};

	test('health, stats, faults, settings and reset over HTTP', async () => {
		expect((await control('health')).json).toMatchObject({
			ok: true,
			poolAlias: 'BREX',
			endpoint: 'SEED',
		});

		await postSoap(emulator.url, saveEnvelope('BRXE-C1'));
		const stats = (await control('stats')).json;
		expect(stats.calls.soap.save).toBe(1);
		expect(stats.http.byStatus['200']).toBeGreaterThanOrEqual(1);

		const faults = (await control('faults', { lockProbability: 0.25, latency: { otherMs: 5 } }))
			.json;
		expect(faults).toMatchObject({ lockProbability: 0.25, latency: { saveMs: 0, otherMs: 5 } });
		expect(emulator.faults.lockProbability).toBe(0.25);

		expect((await control('settings', { soapStyle: 'inline' })).json.soapStyle).toBe('inline');
		expect(emulator.settings.soapStyle).toBe('inline');

		expect(emulator.state.journalEntries).toHaveLength(1);
		expect((await control('reset', {})).json.ok).toBe(true);
		expect(emulator.state.journalEntries).toHaveLength(0);

		expect((await control('stats/reset', {})).json.calls.soap).toEqual({});
		expect(emulator.stats.calls.soap).toEqual({});
		expect((await control('soap-log')).status).toBe(200);
	});
});
