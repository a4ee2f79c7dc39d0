import { sleep as n8nSleep } from 'n8n-workflow';

import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../../common/retry';
import type { RetryPolicy } from '../../common/retry';
import { X3Error } from './errors';

/**
 * Concurrency limit and retries for every X3 call.
 *
 * One limiter per X3 server and pool (SOAP) or endpoint (GraphQL/REST), shared by all executions in this n8n
 * process through a module-level map: X3 serves SOAP calls from a fixed pool of engine processes, and sending more
 * calls than the pool has entries only makes them queue inside X3 until they time out. (Queue mode workers each
 * have their own map; size the credential's limit for one worker.)
 *
 * Retries: only transient failures (pool busy, HTTP 5xx/429, network errors, timeouts), never business errors or
 * other 4xx. A call that is not idempotent (save, modify, delete, run) is retried only when X3 certainly did not
 * process it (pool busy, "No Web services accepted", connection refused): after a timeout the entry may exist,
 * and the gateway checks by trace id instead of sending a duplicate.
 */

export class ConcurrencyLimiter {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private max: number) {
		this.max = sanitiseMax(max);
	}

	get inFlight(): number {
		return this.active;
	}

	get queued(): number {
		return this.waiting.length;
	}

	get limit(): number {
		return this.max;
	}

	/** A changed credential setting takes effect for the next calls. */
	setLimit(max: number): void {
		this.max = sanitiseMax(max);
		this.drain();
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	private async acquire(): Promise<void> {
		if (this.active < this.max && this.waiting.length === 0) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		this.active--;
		this.drain();
	}

	private drain(): void {
		while (this.active < this.max && this.waiting.length > 0) {
			this.active++;
			const next = this.waiting.shift() as () => void;
			next();
		}
	}
}

function sanitiseMax(max: number): number {
	const value = Math.floor(Number(max));
	return Number.isFinite(value) && value >= 1 ? value : 1;
}

const limiters = new Map<string, ConcurrencyLimiter>();

/** Key of the limiter for one X3 server and pool alias (SOAP) or endpoint (GraphQL/REST). */
export function throttleKey(baseUrl: string, scope: string): string {
	return `${baseUrl.trim().replace(/\/+$/, '').toLowerCase()}|${scope}`;
}

export function sharedLimiter(key: string, maxConcurrent: number): ConcurrencyLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new ConcurrencyLimiter(maxConcurrent);
		limiters.set(key, limiter);
	} else if (limiter.limit !== sanitiseMax(maxConcurrent)) {
		limiter.setLimit(maxConcurrent);
	}
	return limiter;
}

/** For tests: forget every shared limiter. */
export function resetSharedLimiters(): void {
	limiters.clear();
}

export interface X3RetryOptions {
	policy?: RetryPolicy;
	/** Injected in tests; n8n's sleep otherwise (no timers in product code). */
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
}

export interface X3CallOptions {
	/** Reads are idempotent; save/modify/delete/run are not. */
	idempotent: boolean;
}

/** Whether this failure deserves another attempt for a call of this kind. */
export function isRetryableX3Failure(error: unknown, idempotent: boolean): boolean {
	if (!(error instanceof X3Error) || !error.transient) return false;
	return idempotent || error.notProcessed;
}

/** Runs calls through one limiter with the retry rules above. */
export class X3CallRunner {
	private readonly policy: RetryPolicy;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly random: () => number;

	constructor(
		readonly limiter: ConcurrencyLimiter,
		options: X3RetryOptions = {},
	) {
		this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
		this.sleep = options.sleep ?? n8nSleep;
		this.random = options.random ?? Math.random;
	}

	async run<T>(call: () => Promise<T>, options: X3CallOptions): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			let failure: unknown;
			try {
				// The slot is held for one attempt only, so others proceed while this call backs off.
				return await this.limiter.run(call);
			} catch (error) {
				failure = error;
			}
			// Transport failures are already X3Error (a NodeApiError); they pass through unchanged.
			if (
				attempt >= this.policy.maxAttempts ||
				!isRetryableX3Failure(failure, options.idempotent)
			) {
				throw failure;
			}
			const retryAfter = failure instanceof X3Error ? failure.retryAfterMs : undefined;
			await this.sleep(backoffDelayMs(attempt, this.policy, retryAfter, this.random));
		}
	}
}
