import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';

import { X3BusinessError, X3Error } from '../../nodes/SageX3/transport/errors';
import { createCredentialSender } from '../../nodes/SageX3/transport/http';
import { X3SoapClient } from '../../nodes/SageX3/transport/soap';
import {
	ConcurrencyLimiter,
	isRetryableX3Failure,
	resetSharedLimiters,
	sharedLimiter,
	throttleKey,
	X3CallRunner,
} from '../../nodes/SageX3/transport/throttle';
import { fakeX3Context, recordingSleep, SOAP_CREDENTIALS, TEST_NODE } from './x3FakeContext';
import { soapFault, soapResponse } from './x3SoapFixtures';

const POLICY = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

function deferred<T = void>() {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** Lets queued promise callbacks run. */
async function flush(): Promise<void> {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}

function busyError(): X3Error {
	return new X3Error(TEST_NODE, {
		kind: 'busy',
		message: 'pool busy',
		transient: true,
		notProcessed: true,
	});
}

function timeoutError(): X3Error {
	return new X3Error(TEST_NODE, {
		kind: 'timeout',
		message: 'timed out',
		transient: true,
		notProcessed: false,
	});
}

describe('ConcurrencyLimiter', () => {
	it('never runs more than the limit at once and runs everything in arrival order', async () => {
		const limiter = new ConcurrencyLimiter(3);
		const gates = Array.from({ length: 10 }, () => deferred());
		let running = 0;
		let peak = 0;
		const started: number[] = [];
		const all = gates.map((gate, index) =>
			limiter.run(async () => {
				started.push(index);
				running++;
				peak = Math.max(peak, running);
				await gate.promise;
				running--;
				return index;
			}),
		);
		await flush();
		expect(started).toEqual([0, 1, 2]);
		expect(limiter.inFlight).toBe(3);
		expect(limiter.queued).toBe(7);
		// Finish in a scrambled order; each completion admits exactly one waiter.
		for (const index of [1, 0, 2, 5, 3, 4, 9, 6, 8, 7]) {
			gates[index].resolve();
			await flush();
			expect(running).toBeLessThanOrEqual(3);
		}
		await expect(Promise.all(all)).resolves.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(peak).toBe(3);
		expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(limiter.inFlight).toBe(0);
	});

	it('releases the slot when a task fails', async () => {
		const limiter = new ConcurrencyLimiter(1);
		await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow(
			'boom',
		);
		await expect(limiter.run(async () => 'next')).resolves.toBe('next');
		expect(limiter.inFlight).toBe(0);
	});

	it('admits waiters when the limit is raised, and treats nonsense limits as 1', async () => {
		const limiter = new ConcurrencyLimiter(1);
		const gate = deferred();
		const first = limiter.run(() => gate.promise);
		let secondStarted = false;
		const second = limiter.run(async () => {
			secondStarted = true;
		});
		await flush();
		expect(secondStarted).toBe(false);
		limiter.setLimit(2);
		await flush();
		expect(secondStarted).toBe(true);
		gate.resolve();
		await Promise.all([first, second]);
		expect(new ConcurrencyLimiter(0).limit).toBe(1);
		expect(new ConcurrencyLimiter(Number.NaN).limit).toBe(1);
	});

	it('shares one limiter per server and scope, picking up a changed limit', () => {
		resetSharedLimiters();
		const a = sharedLimiter(throttleKey('http://X3.test:8124/', 'soap:BREX'), 4);
		const b = sharedLimiter(throttleKey('http://x3.test:8124', 'soap:BREX'), 2);
		const other = sharedLimiter(throttleKey('http://x3.test:8124', 'soap:OTHER'), 4);
		expect(b).toBe(a);
		expect(a.limit).toBe(2);
		expect(other).not.toBe(a);
		resetSharedLimiters();
	});
});

describe('X3CallRunner retries', () => {
	it('retries a busy pool with growing backoff until it succeeds', async () => {
		const recorder = recordingSleep();
		const runner = new X3CallRunner(new ConcurrencyLimiter(2), {
			policy: POLICY,
			sleep: recorder.sleep,
			random: () => 0,
		});
		let calls = 0;
		const result = await runner.run(
			async () => {
				calls++;
				if (calls < 3) throw busyError();
				return 'saved';
			},
			{ idempotent: false },
		);
		expect(result).toBe('saved');
		expect(calls).toBe(3);
		expect(recorder.waits).toEqual([100, 100]); // jitter pinned at 0.5 x, floored at the initial delay
	});

	it('gives up after maxAttempts and throws the last error', async () => {
		const recorder = recordingSleep();
		const runner = new X3CallRunner(new ConcurrencyLimiter(1), {
			policy: POLICY,
			sleep: recorder.sleep,
			random: () => 1,
		});
		let calls = 0;
		await expect(
			runner.run(
				async () => {
					calls++;
					throw busyError();
				},
				{ idempotent: true },
			),
		).rejects.toMatchObject({ kind: 'busy' });
		expect(calls).toBe(4);
		expect(recorder.waits).toEqual([100, 200, 400]);
	});

	it('never retries a business error or a 4xx', async () => {
		const recorder = recordingSleep();
		const runner = new X3CallRunner(new ConcurrencyLimiter(1), {
			policy: POLICY,
			sleep: recorder.sleep,
		});
		let calls = 0;
		const business = new X3BusinessError(TEST_NODE, 'save', 'YGAS', [
			{ type: '3', message: 'Unbalanced entry' },
		]);
		await expect(
			runner.run(
				async () => {
					calls++;
					throw business;
				},
				{ idempotent: true },
			),
		).rejects.toBe(business);
		const badRequest = new X3Error(TEST_NODE, {
			kind: 'http',
			statusCode: 400,
			message: 'bad',
			transient: false,
		});
		await expect(
			runner.run(
				async () => {
					calls++;
					throw badRequest;
				},
				{ idempotent: true },
			),
		).rejects.toBe(badRequest);
		expect(calls).toBe(2);
		expect(recorder.waits).toEqual([]);
	});

	it('retries a timeout for reads but not for a save that X3 may have processed', async () => {
		const recorder = recordingSleep();
		const runner = new X3CallRunner(new ConcurrencyLimiter(1), {
			policy: POLICY,
			sleep: recorder.sleep,
			random: () => 0,
		});
		let readCalls = 0;
		await expect(
			runner.run(
				async () => {
					readCalls++;
					if (readCalls === 1) throw timeoutError();
					return 'rows';
				},
				{ idempotent: true },
			),
		).resolves.toBe('rows');
		let saveCalls = 0;
		await expect(
			runner.run(
				async () => {
					saveCalls++;
					throw timeoutError();
				},
				{ idempotent: false },
			),
		).rejects.toMatchObject({ kind: 'timeout' });
		expect(readCalls).toBe(2);
		expect(saveCalls).toBe(1);
		expect(isRetryableX3Failure(new Error('plain'), true)).toBe(false);
	});

	it('honours Retry-After up to the policy cap', async () => {
		const recorder = recordingSleep();
		const runner = new X3CallRunner(new ConcurrencyLimiter(1), {
			policy: POLICY,
			sleep: recorder.sleep,
		});
		let calls = 0;
		await runner.run(
			async () => {
				calls++;
				if (calls === 1) {
					throw new X3Error(TEST_NODE, {
						kind: 'http',
						statusCode: 503,
						message: 'x',
						transient: true,
						notProcessed: true,
						retryAfterMs: 2_000,
					});
				}
				if (calls === 2) {
					throw new X3Error(TEST_NODE, {
						kind: 'http',
						statusCode: 503,
						message: 'x',
						transient: true,
						notProcessed: true,
						retryAfterMs: 60_000,
					});
				}
				return 'ok';
			},
			{ idempotent: false },
		);
		expect(recorder.waits).toEqual([2_000, 5_000]);
	});

	it('frees the slot while backing off, so other calls proceed', async () => {
		const limiter = new ConcurrencyLimiter(1);
		const backoff = deferred();
		const runner = new X3CallRunner(limiter, { policy: POLICY, sleep: () => backoff.promise });
		let attempts = 0;
		const retried = runner.run(
			async () => {
				attempts++;
				if (attempts === 1) throw busyError();
				return 'second attempt';
			},
			{ idempotent: true },
		);
		await flush();
		expect(limiter.inFlight).toBe(0);
		await expect(runner.run(async () => 'other call', { idempotent: true })).resolves.toBe(
			'other call',
		);
		backoff.resolve();
		await expect(retried).resolves.toBe('second attempt');
	});
});

describe('throttle and retries over HTTP (nock)', () => {
	const SOAP_PATH = '/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC';
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	function soapClient(limit: number, recorder = recordingSleep()) {
		const context = fakeX3Context({ sageX3Api: SOAP_CREDENTIALS });
		return new X3SoapClient(
			createCredentialSender(context, 'sageX3Api'),
			{
				baseUrl: 'http://x3.test:8124',
				poolAlias: 'BREX',
				language: 'ENG',
				format: 'json',
				timeoutMs: 60_000, // never trips under a loaded CI machine
			},
			TEST_NODE,
			new X3CallRunner(new ConcurrencyLimiter(limit), {
				policy: POLICY,
				sleep: recorder.sleep,
				random: () => 0,
			}),
		);
	}

	it('a save on a busy pool (status 0, technicalInfos.busy) is retried and then succeeds', async () => {
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({
					operation: 'save',
					status: 0,
					messages: [{ type: '3', message: 'Web service pool busy' }],
					technicalInfos: { busy: true, poolWaitDuration: 30000 },
				}),
			)
			.post(SOAP_PATH)
			.reply(500, soapFault('No Web services accepted'))
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({ operation: 'save', status: 1, resultXml: '{"GAS0_1":{"NUM":"N1"}}' }),
			);
		const recorder = recordingSleep();
		const result = await soapClient(2, recorder).save('YGAS', { GAS0_1: { TYP: 'ODT' } });
		expect(result.data).toEqual({ GAS0_1: { NUM: 'N1' } });
		expect(recorder.waits).toHaveLength(2);
		expect(scope.isDone()).toBe(true);
	});

	it('a business status 0 is sent once only', async () => {
		const scope = nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.once()
			.reply(
				200,
				soapResponse({
					operation: 'save',
					status: 0,
					messages: [{ type: '3', message: 'Account 1 does not exist' }],
				}),
			);
		const recorder = recordingSleep();
		await expect(
			soapClient(2, recorder).save('YGAS', { GAS0_1: { TYP: 'ODT' } }),
		).rejects.toBeInstanceOf(X3BusinessError);
		expect(recorder.waits).toEqual([]);
		expect(scope.isDone()).toBe(true);
	});

	it('a save hit by HTTP 502 is not re-sent (X3 may have saved), a read is', async () => {
		nock('http://x3.test:8124').post(SOAP_PATH).times(1).reply(502, 'Bad gateway');
		await expect(soapClient(1).save('YGAS', { GAS0_1: { TYP: 'ODT' } })).rejects.toMatchObject({
			kind: 'http',
			statusCode: 502,
		});
		nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(502, 'Bad gateway')
			.post(SOAP_PATH)
			.reply(
				200,
				soapResponse({ operation: 'read', status: 1, resultXml: '{"BPS0_1":{"BPSNUM":"A"}}' }),
			);
		await expect(
			soapClient(1).read('YBPS', [{ key: 'BPSNUM', value: 'A' }]),
		).resolves.toMatchObject({ data: { BPS0_1: { BPSNUM: 'A' } } });
	});

	it('a refused connection is retried even for a save (nothing reached X3)', async () => {
		// A real refused connection: a port that was just closed on 127.0.0.1.
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		nock.enableNetConnect('127.0.0.1');
		const context = fakeX3Context({
			sageX3Api: { ...SOAP_CREDENTIALS, url: `http://127.0.0.1:${port}` },
		});
		const refused = createCredentialSender(context, 'sageX3Api');
		const working = createCredentialSender(
			fakeX3Context({ sageX3Api: SOAP_CREDENTIALS }),
			'sageX3Api',
		);
		nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.reply(200, soapResponse({ operation: 'save', status: 1, resultXml: '{}' }));
		let attempts = 0;
		const recorder = recordingSleep();
		const client = new X3SoapClient(
			async (request) => {
				attempts++;
				return attempts === 1
					? await refused({
							...request,
							url: request.url.replace('http://x3.test:8124', `http://127.0.0.1:${port}`),
						})
					: await working(request);
			},
			{
				baseUrl: 'http://x3.test:8124',
				poolAlias: 'BREX',
				language: 'ENG',
				format: 'json',
				timeoutMs: 5_000,
			},
			TEST_NODE,
			new X3CallRunner(new ConcurrencyLimiter(1), {
				policy: POLICY,
				sleep: recorder.sleep,
				random: () => 0,
			}),
		);
		await expect(client.save('YGAS', { GAS0_1: { TYP: 'ODT' } })).resolves.toMatchObject({
			status: 1,
		});
		expect(attempts).toBe(2);
		expect(recorder.waits).toEqual([100]);
		nock.disableNetConnect();
	});

	it('classifies a refused connection as a network error X3 never saw', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		nock.enableNetConnect('127.0.0.1');
		const context = fakeX3Context({ sageX3Api: SOAP_CREDENTIALS });
		const error = (await createCredentialSender(
			context,
			'sageX3Api',
		)({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: '' }).catch(
			(e: unknown) => e,
		)) as X3Error;
		nock.disableNetConnect();
		expect(error).toBeInstanceOf(X3Error);
		expect(error.kind).toBe('network');
		expect(error.message).toBe(`Cannot reach Sage X3 (ECONNREFUSED) at http://127.0.0.1:${port}/x`);
		expect(error.transient && error.notProcessed).toBe(true);
	});

	it('at most `limit` SOAP calls are in flight against the server', async () => {
		let inFlight = 0;
		let peak = 0;
		let calls = 0;
		nock('http://x3.test:8124')
			.post(SOAP_PATH)
			.times(12)
			.reply(async () => {
				calls++;
				inFlight++;
				peak = Math.max(peak, inFlight);
				await new Promise((resolve) => setImmediate(resolve));
				await new Promise((resolve) => setImmediate(resolve));
				inFlight--;
				return [200, soapResponse({ operation: 'read', status: 1, resultXml: '{}' })];
			});
		const client = soapClient(3);
		await Promise.all(
			Array.from({ length: 12 }, (_v, i) =>
				client.read('YBPS', [{ key: 'BPSNUM', value: String(i) }]),
			),
		);
		expect(calls).toBe(12);
		expect(peak).toBeGreaterThan(1);
		expect(peak).toBeLessThanOrEqual(3);
	});
});
