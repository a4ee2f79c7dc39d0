import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';

import {
	MAX_WEBHOOK_BODY_BYTES,
	decodeWebhookSecret,
	verifyBrexWebhook,
} from '../../nodes/brexApi/webhookSignature';

const NOW = 1_750_000_000;

function newSecret(prefixed = true): string {
	const key = randomBytes(24).toString('base64');
	return prefixed ? `whsec_${key}` : key;
}

/** Signature header value produced by the svix library itself (the oracle signs, we verify). */
function svixSign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
	return new Webhook(secret).sign(id, new Date(timestamp * 1000), body);
}

function headersFor(id: string, timestamp: number, signature: string, family = 'webhook') {
	return {
		[`${family}-id`]: id,
		[`${family}-timestamp`]: String(timestamp),
		[`${family}-signature`]: signature,
	};
}

/** True when svix's Webhook.verify accepts the delivery with at least one of the secrets. */
function svixAccepts(
	body: string | Buffer,
	headers: Record<string, string | string[] | undefined>,
	secrets: string[],
): boolean {
	const plain: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (typeof value === 'string') plain[name] = value;
	}
	return secrets.some((secret) => {
		try {
			new Webhook(secret).verify(body, plain);
			return true;
		} catch {
			return false;
		}
	});
}

describe('verifyBrexWebhook', () => {
	const secret = newSecret();
	const body = JSON.stringify({ event_type: 'EXPENSE_PAYMENT_UPDATED', expense_id: 'expense_1' });
	const id = 'msg_2abc';

	it('matches the Standard Webhooks / Svix published test vector', () => {
		const result = verifyBrexWebhook(
			'{"test": 2432232314}',
			headersFor(
				'msg_p5jXN8AQM9LWM0D4loKWxJek',
				1614265330,
				'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
			),
			['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
			1614265330,
		);
		expect(result).toEqual({
			ok: true,
			webhookId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
			timestamp: 1614265330,
		});
	});

	it('accepts a delivery signed by svix', () => {
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, body));
		expect(verifyBrexWebhook(body, headers, [secret], NOW)).toEqual({
			ok: true,
			webhookId: id,
			timestamp: NOW,
		});
	});

	it('accepts header names in any case', () => {
		const sig = svixSign(secret, id, NOW, body);
		const headers = {
			'Webhook-Id': id,
			'WEBHOOK-TIMESTAMP': String(NOW),
			'webhook-Signature': sig,
		};
		expect(verifyBrexWebhook(body, headers, [secret], NOW).ok).toBe(true);
	});

	it('rejects a tampered body', () => {
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, body));
		const result = verifyBrexWebhook(
			body.replace('expense_1', 'expense_2'),
			headers,
			[secret],
			NOW,
		);
		expect(result).toEqual({ ok: false, reason: 'no matching signature' });
	});

	it('rejects a tampered id or timestamp', () => {
		const sig = svixSign(secret, id, NOW, body);
		expect(verifyBrexWebhook(body, headersFor('msg_other', NOW, sig), [secret], NOW).ok).toBe(
			false,
		);
		expect(verifyBrexWebhook(body, headersFor(id, NOW + 1, sig), [secret], NOW).ok).toBe(false);
	});

	it('rejects a wrong secret', () => {
		const headers = headersFor(id, NOW, svixSign(newSecret(), id, NOW, body));
		expect(verifyBrexWebhook(body, headers, [secret], NOW).ok).toBe(false);
	});

	it.each([
		[-301, false, 'timestamp too old'],
		[-300, true, undefined],
		[-299, true, undefined],
		[299, true, undefined],
		[300, true, undefined],
		[301, false, 'timestamp too new'],
	])('timestamp offset %i s -> accepted %s', (offset, accepted, reason) => {
		const timestamp = NOW + offset;
		const headers = headersFor(id, timestamp, svixSign(secret, id, timestamp, body));
		const result = verifyBrexWebhook(body, headers, [secret], NOW);
		expect(result.ok).toBe(accepted);
		if (!result.ok) expect(result.reason).toBe(reason);
	});

	it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
		'rejects a missing %s',
		(name) => {
			const headers: Record<string, string> = headersFor(id, NOW, svixSign(secret, id, NOW, body));
			delete headers[name];
			expect(verifyBrexWebhook(body, headers, [secret], NOW)).toEqual({
				ok: false,
				reason: `missing ${name} header`,
			});
		},
	);

	it('rejects when no signature header is present at all', () => {
		expect(verifyBrexWebhook(body, { 'content-type': 'application/json' }, [secret], NOW).ok).toBe(
			false,
		);
	});

	it('rejects empty header values', () => {
		const headers = { ...headersFor(id, NOW, svixSign(secret, id, NOW, body)), 'webhook-id': '' };
		expect(verifyBrexWebhook(body, headers, [secret], NOW)).toEqual({
			ok: false,
			reason: 'empty webhook-id header',
		});
	});

	it('accepts the svix-* header family', () => {
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, body), 'svix');
		expect(verifyBrexWebhook(body, headers, [secret], NOW).ok).toBe(true);
	});

	it('rejects a mix of svix-* and webhook-* headers', () => {
		const sig = svixSign(secret, id, NOW, body);
		const headers = { 'svix-id': id, 'webhook-timestamp': String(NOW), 'webhook-signature': sig };
		expect(verifyBrexWebhook(body, headers, [secret], NOW)).toEqual({
			ok: false,
			reason: 'both webhook-* and svix-* signature headers present',
		});
	});

	it('rejects duplicated headers (array value or the same name twice in different case)', () => {
		const sig = svixSign(secret, id, NOW, body);
		const asArray = { ...headersFor(id, NOW, sig), 'webhook-id': [id, id] };
		expect(verifyBrexWebhook(body, asArray, [secret], NOW).ok).toBe(false);
		const twice = { ...headersFor(id, NOW, sig), 'Webhook-Id': id };
		expect(verifyBrexWebhook(body, twice, [secret], NOW).ok).toBe(false);
		const singleArray = { ...headersFor(id, NOW, sig), 'webhook-id': [id] };
		expect(verifyBrexWebhook(body, singleArray, [secret], NOW).ok).toBe(true);
	});

	it.each(['abc', '1750000000.5', '-1750000000', '1750000000abc', ' 1750000000', '1e9', ''])(
		'rejects the timestamp %p',
		(timestamp) => {
			const headers = {
				...headersFor(id, NOW, svixSign(secret, id, NOW, body)),
				'webhook-timestamp': timestamp,
			};
			expect(verifyBrexWebhook(body, headers, [secret], NOW).ok).toBe(false);
		},
	);

	it('accepts either secret during a rotation, whichever signs', () => {
		const oldSecret = newSecret();
		const newSecretValue = newSecret(false);
		for (const signer of [oldSecret, newSecretValue]) {
			const headers = headersFor(id, NOW, svixSign(signer, id, NOW, body));
			expect(verifyBrexWebhook(body, headers, [newSecretValue, oldSecret], NOW).ok).toBe(true);
		}
	});

	it('accepts a header carrying several signatures when one is valid', () => {
		const valid = svixSign(secret, id, NOW, body);
		const other = svixSign(newSecret(), id, NOW, body);
		for (const header of [`${other} ${valid}`, `${valid} ${other}`, `  ${other}  ${valid} `]) {
			expect(verifyBrexWebhook(body, headersFor(id, NOW, header), [secret], NOW).ok).toBe(true);
		}
	});

	it('skips v2, v1a and garbage entries', () => {
		const valid = svixSign(secret, id, NOW, body);
		const value = valid.slice(3);
		const noise = `v2,${value} v1a,${value} garbage v1, ,${value} v1,${value},extra`;
		expect(verifyBrexWebhook(body, headersFor(id, NOW, noise), [secret], NOW)).toEqual({
			ok: false,
			reason: 'no v1 signature',
		});
		expect(
			verifyBrexWebhook(body, headersFor(id, NOW, `${noise} ${valid}`), [secret], NOW).ok,
		).toBe(true);
		expect(verifyBrexWebhook(body, headersFor(id, NOW, 'v2,abc'), [secret], NOW)).toEqual({
			ok: false,
			reason: 'no v1 signature',
		});
	});

	it('does not confuse the whsec_ secret prefix with the v1, signature prefix', () => {
		const raw = newSecret(false);
		const sig = svixSign(`whsec_${raw}`, id, NOW, body);
		// The same key with or without whsec_ verifies the same way.
		expect(verifyBrexWebhook(body, headersFor(id, NOW, sig), [raw], NOW).ok).toBe(true);
		expect(verifyBrexWebhook(body, headersFor(id, NOW, sig), [`whsec_${raw}`], NOW).ok).toBe(true);
		// A signature sent with the secret's prefix instead of the version is not a v1 signature.
		const swapped = sig.replace(/^v1,/, 'whsec_');
		expect(verifyBrexWebhook(body, headersFor(id, NOW, swapped), [raw], NOW).ok).toBe(false);
		// The prefix is stripped once only; a doubled prefix is not valid base64.
		expect(verifyBrexWebhook(body, headersFor(id, NOW, sig), [`whsec_whsec_${raw}`], NOW)).toEqual({
			ok: false,
			reason: 'no usable webhook secret',
		});
	});

	it('fails closed without secrets or with unusable ones', () => {
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, body));
		expect(verifyBrexWebhook(body, headers, [], NOW)).toEqual({
			ok: false,
			reason: 'no webhook secret available',
		});
		expect(verifyBrexWebhook(body, headers, ['', 'not base64!', 'whsec_'], NOW).ok).toBe(false);
		// One unusable secret does not block a usable one.
		expect(verifyBrexWebhook(body, headers, ['not base64!', secret], NOW).ok).toBe(true);
	});

	it('rejects a signature of the wrong length or non-canonical base64', () => {
		const value = svixSign(secret, id, NOW, body).slice(3);
		for (const bad of [
			value.slice(0, -1),
			`${value}=`,
			value.replace('=', ''),
			`${value.slice(0, -1)}\u0100`,
		]) {
			expect(verifyBrexWebhook(body, headersFor(id, NOW, `v1,${bad}`), [secret], NOW).ok).toBe(
				false,
			);
		}
	});

	it('verifies a Buffer body and a string body with non-ASCII text the same way', () => {
		const text = JSON.stringify({ memo: 'Café Crème – Zoë, Łódź ✓ 日本' });
		const sig = svixSign(secret, id, NOW, text);
		expect(verifyBrexWebhook(text, headersFor(id, NOW, sig), [secret], NOW).ok).toBe(true);
		expect(
			verifyBrexWebhook(Buffer.from(text, 'utf8'), headersFor(id, NOW, sig), [secret], NOW).ok,
		).toBe(true);
		// Re-encoding the text differently (latin1 bytes) is a different body.
		expect(
			verifyBrexWebhook(Buffer.from(text, 'latin1'), headersFor(id, NOW, sig), [secret], NOW).ok,
		).toBe(false);
	});

	it('rejects a body over the size limit even when correctly signed', () => {
		const big = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES + 1);
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, big));
		expect(verifyBrexWebhook(big, headers, [secret], NOW)).toEqual({
			ok: false,
			reason: 'request body too large',
		});
		const limit = 'x'.repeat(MAX_WEBHOOK_BODY_BYTES);
		const atLimit = headersFor(id, NOW, svixSign(secret, id, NOW, limit));
		expect(verifyBrexWebhook(limit, atLimit, [secret], NOW).ok).toBe(true);
	});

	it('accepts an empty body when signed (the node then rejects it as bad JSON)', () => {
		const headers = headersFor(id, NOW, svixSign(secret, id, NOW, ''));
		expect(verifyBrexWebhook('', headers, [secret], NOW).ok).toBe(true);
	});

	it('never echoes the secret in a failure reason', () => {
		const headers = headersFor(id, NOW, svixSign(newSecret(), id, NOW, body));
		const result = verifyBrexWebhook(body, headers, [secret], NOW);
		expect(JSON.stringify(result)).not.toContain(secret.slice(6, 20));
	});
});

describe('decodeWebhookSecret', () => {
	it('strips whsec_ and decodes base64', () => {
		const key = randomBytes(32);
		expect(decodeWebhookSecret(`whsec_${key.toString('base64')}`)).toEqual(key);
		expect(decodeWebhookSecret(key.toString('base64'))).toEqual(key);
	});

	it.each([undefined, null, 42, '', 'whsec_', 'abc', 'ab$c', 'YWJj\n'])(
		'returns null for %p',
		(secret) => {
			expect(decodeWebhookSecret(secret)).toBeNull();
		},
	);
});

describe('verifyBrexWebhook agrees with svix Webhook.verify', () => {
	const now = 1_760_000_000;
	beforeAll(() => {
		jest.useFakeTimers({ now: now * 1000, doNotFake: ['nextTick', 'setImmediate'] });
	});
	afterAll(() => {
		jest.useRealTimers();
	});

	const a = newSecret();
	const b = newSecret(false);
	const id = 'msg_matrix';
	const text = JSON.stringify({ event_type: 'USER_UPDATED', user_id: 'cuuser_é', note: '✓' });

	type Case = [string, string | Buffer, Record<string, string | string[] | undefined>, string[]];
	const sig = (secret: string, timestamp = now, body: string | Buffer = text, msgId = id) =>
		svixSign(secret, msgId, timestamp, body);
	const cases: Case[] = [
		['valid', text, headersFor(id, now, sig(a)), [a]],
		['valid, Buffer body', Buffer.from(text), headersFor(id, now, sig(a)), [a]],
		['tampered body', `${text} `, headersFor(id, now, sig(a)), [a]],
		['wrong secret', text, headersFor(id, now, sig(b)), [a]],
		['rotation, old key signs', text, headersFor(id, now, sig(a)), [b, a]],
		['rotation, new key signs', text, headersFor(id, now, sig(b)), [b, a]],
		['two signatures, second valid', text, headersFor(id, now, `${sig(b)} ${sig(a)}`), [a]],
		['stale 301 s', text, headersFor(id, now - 301, sig(a, now - 301)), [a]],
		['stale 299 s', text, headersFor(id, now - 299, sig(a, now - 299)), [a]],
		['future 301 s', text, headersFor(id, now + 301, sig(a, now + 301)), [a]],
		['future 299 s', text, headersFor(id, now + 299, sig(a, now + 299)), [a]],
		['svix-* headers', text, headersFor(id, now, sig(a), 'svix'), [a]],
		['missing id', text, { 'webhook-timestamp': String(now), 'webhook-signature': sig(a) }, [a]],
		['missing timestamp', text, { 'webhook-id': id, 'webhook-signature': sig(a) }, [a]],
		['missing signature', text, { 'webhook-id': id, 'webhook-timestamp': String(now) }, [a]],
		['v2 entry only', text, headersFor(id, now, sig(a).replace('v1,', 'v2,')), [a]],
		['garbage then valid', text, headersFor(id, now, `nonsense v1,AAAA ${sig(a)}`), [a]],
		['replayed signature on another id', text, headersFor('msg_other', now, sig(a)), [a]],
		['secret without whsec_', text, headersFor(id, now, sig(a)), [a.slice(6)]],
		[
			'non-numeric timestamp',
			text,
			{ ...headersFor(id, now, sig(a)), 'webhook-timestamp': 'soon' },
			[a],
		],
	];

	it.each(cases)('%s', (_name, body, headers, secrets) => {
		const ours = verifyBrexWebhook(body, headers, secrets, Math.floor(Date.now() / 1000)).ok;
		expect(ours).toBe(svixAccepts(body, headers, secrets));
	});

	it('the matrix covers both outcomes', () => {
		const outcomes = cases.map(([, body, headers, secrets]) => svixAccepts(body, headers, secrets));
		expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(8);
		expect(outcomes.filter((accepted) => !accepted).length).toBeGreaterThanOrEqual(8);
	});

	it('is stricter than svix on mixed header families, trailing parts and loose timestamps (documented)', () => {
		const mixed = { 'svix-id': id, 'webhook-timestamp': String(now), 'webhook-signature': sig(a) };
		const trailing = headersFor(id, now, `${sig(a)},extra`);
		const loose = { ...headersFor(id, now, sig(a)), 'webhook-timestamp': `${now}abc` };
		for (const headers of [mixed, trailing, loose]) {
			expect(svixAccepts(text, headers, [a])).toBe(true);
			expect(verifyBrexWebhook(text, headers, [a], now).ok).toBe(false);
		}
	});
});
