/**
 * Retry policy shared by the Brex client and the X3 transports, after stripe-node's request sender:
 * exponential backoff capped at maxDelayMs, jitter of 0.5..1 times the delay, never below the initial delay,
 * and a server's Retry-After honoured up to maxRetryAfterMs. Pure functions; callers sleep with n8n's `sleep`.
 */

export interface RetryPolicy {
	/** Total attempts including the first (>= 1). */
	maxAttempts: number;
	initialDelayMs: number;
	maxDelayMs: number;
	/** Longest Retry-After we are willing to wait; longer values are capped. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	initialDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
};

/** Statuses worth retrying: rate limiting and server-side failures. Other 4xx are the caller's fault. */
export function isRetryableStatus(status: number | undefined): boolean {
	return status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

const NETWORK_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ECONNABORTED',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export function isNetworkErrorCode(code: unknown): boolean {
	return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
	if (Array.isArray(value)) value = value[0];
	if (typeof value === 'number') return value >= 0 ? value * 1000 : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/**
 * Delay before retry number `retryNumber` (1 for the first retry).
 * `random` is injectable so tests can pin the jitter.
 */
export function backoffDelayMs(
	retryNumber: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined && retryAfterMs > 0) {
		return Math.min(retryAfterMs, policy.maxRetryAfterMs);
	}
	const exponential = Math.min(
		policy.initialDelayMs * 2 ** Math.max(0, retryNumber - 1),
		policy.maxDelayMs,
	);
	const jittered = exponential * 0.5 * (1 + random());
	return Math.round(Math.max(policy.initialDelayMs, jittered));
}
