import {
	backoffDelayMs,
	DEFAULT_RETRY_POLICY,
	isNetworkErrorCode,
	isRetryableStatus,
	parseRetryAfter,
} from '../../nodes/common/retry';

describe('which failures are retried', () => {
	it.each([429, 500, 502, 503, 504])('retries %i', (status) =>
		expect(isRetryableStatus(status)).toBe(true),
	);
	it.each([200, 400, 401, 403, 404, 409, 422, undefined])('does not retry %p', (status) =>
		expect(isRetryableStatus(status)).toBe(false),
	);
	it('knows network error codes', () => {
		expect(isNetworkErrorCode('ECONNRESET')).toBe(true);
		expect(isNetworkErrorCode('ETIMEDOUT')).toBe(true);
		expect(isNetworkErrorCode('ERR_BAD_REQUEST')).toBe(false);
		expect(isNetworkErrorCode(undefined)).toBe(false);
	});
});

describe('Retry-After', () => {
	it('reads delta seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(['2'])).toBe(2000);
		expect(parseRetryAfter('0.5')).toBe(500);
		const now = Date.parse('2026-11-28T10:00:00Z');
		expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', now)).toBe(0);
	});
	it('ignores garbage', () => {
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('')).toBeUndefined();
	});
});

describe('backoff', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000 };

	it('grows exponentially with jitter between half and full delay', () => {
		expect(backoffDelayMs(1, policy, undefined, () => 0)).toBe(100);
		expect(backoffDelayMs(2, policy, undefined, () => 0)).toBe(100);
		expect(backoffDelayMs(2, policy, undefined, () => 1)).toBe(200);
		expect(backoffDelayMs(3, policy, undefined, () => 1)).toBe(400);
		expect(backoffDelayMs(3, policy, undefined, () => 0.5)).toBe(300);
	});

	it('is capped and never below the initial delay', () => {
		expect(backoffDelayMs(20, policy, undefined, () => 1)).toBe(1000);
		expect(backoffDelayMs(20, policy, undefined, () => 0)).toBe(500);
		for (let i = 1; i < 10; i++)
			expect(backoffDelayMs(i, policy, undefined, () => 0)).toBeGreaterThanOrEqual(100);
	});

	it('honours Retry-After up to the policy limit', () => {
		expect(backoffDelayMs(1, policy, 2500)).toBe(2500);
		expect(backoffDelayMs(1, policy, 10 * 60_000)).toBe(policy.maxRetryAfterMs);
	});

	it('spreads concurrent clients apart (jitter)', () => {
		const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(4, policy)));
		expect(delays.size).toBeGreaterThan(10);
	});
});
