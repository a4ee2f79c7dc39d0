import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verification of Brex webhook deliveries: the Svix / Standard Webhooks scheme on node:crypto (the verified-node
 * rules forbid the `svix` package at runtime; it is only the oracle in the tests).
 *
 * Accepts when any `v1,<base64>` entry of the signature header equals HMAC-SHA256(key, `${id}.${ts}.${body}`)
 * for any of the secrets (two during a rotation), and the timestamp is within five minutes either way.
 * Fails closed on anything unusual. Where this is stricter than the svix library (which it otherwise matches):
 * - both `webhook-*` and `svix-*` headers present (svix mixes them field by field), or a header repeated;
 * - a timestamp that is not plain decimal digits (svix's parseInt accepts "123abc");
 * - a signature entry with more than one comma (svix ignores everything after the second part);
 * - a body larger than MAX_WEBHOOK_BODY_BYTES, or oversized headers;
 * - secrets that are not canonical base64 are skipped (svix throws on them as well).
 * The body is hashed as raw bytes, so a Buffer that is not valid UTF-8 is checked exactly as it was sent
 * (svix decodes it to a string first).
 */

/** Tolerance on the webhook timestamp, both ways (Svix and Standard Webhooks use five minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Largest body accepted: Brex events are flat objects of a few hundred bytes; 1 MiB leaves ample room while
 * bounding the HMAC work an unauthenticated caller can cause.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

const MAX_ID_LENGTH = 256;
const MAX_SIGNATURE_HEADER_LENGTH = 4096;
const MAX_SIGNATURE_ENTRIES = 16;
/** base64 of a 32-byte HMAC-SHA256 digest. */
const SIGNATURE_BASE64_LENGTH = 44;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SECRET_PREFIX = 'whsec_';

export type WebhookVerification =
	| { ok: true; webhookId: string; timestamp: number }
	| { ok: false; reason: string };

type HeaderBag = Record<string, string | string[] | undefined>;

const HEADER_FIELDS = ['id', 'timestamp', 'signature'] as const;
type HeaderField = (typeof HEADER_FIELDS)[number];

function fail(reason: string): WebhookVerification {
	return { ok: false, reason };
}

/** Lower-cases header names; a name seen twice (in any case) or a repeated value counts as duplicate. */
function normaliseHeaders(headers: HeaderBag): Map<string, string | null> {
	const out = new Map<string, string | null>();
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const key = name.toLowerCase();
		let single: string | null;
		if (Array.isArray(value)) single = value.length === 1 ? value[0] : null;
		else single = typeof value === 'string' ? value : null;
		out.set(key, out.has(key) ? null : single);
	}
	return out;
}

function pickHeaders(
	headers: Map<string, string | null>,
): { values: Record<HeaderField, string> } | { reason: string } {
	const families = ['webhook', 'svix'].filter((family) =>
		HEADER_FIELDS.some((field) => headers.has(`${family}-${field}`)),
	);
	if (families.length === 0)
		return { reason: 'missing webhook-id, webhook-timestamp and webhook-signature headers' };
	if (families.length > 1) return { reason: 'both webhook-* and svix-* signature headers present' };
	const family = families[0];
	const values = {} as Record<HeaderField, string>;
	for (const field of HEADER_FIELDS) {
		const name = `${family}-${field}`;
		if (!headers.has(name)) return { reason: `missing ${name} header` };
		const value = headers.get(name);
		if (value === null || value === undefined)
			return { reason: `duplicate or malformed ${name} header` };
		if (value === '') return { reason: `empty ${name} header` };
		values[field] = value;
	}
	return { values };
}

/** Decodes one secret to its HMAC key; null when it is unusable (empty or not canonical base64). */
export function decodeWebhookSecret(secret: unknown): Buffer | null {
	if (typeof secret !== 'string') return null;
	const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
	if (body === '' || !CANONICAL_BASE64.test(body)) return null;
	const key = Buffer.from(body, 'base64');
	return key.length > 0 ? key : null;
}

function bodyBytes(rawBody: Buffer | string): Buffer | null {
	if (Buffer.isBuffer(rawBody)) return rawBody;
	if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
	return null;
}

export function verifyBrexWebhook(
	rawBody: Buffer | string,
	headers: HeaderBag,
	secrets: string[],
	nowSeconds: number = Math.floor(Date.now() / 1000),
): WebhookVerification {
	if (!Array.isArray(secrets) || secrets.length === 0) return fail('no webhook secret available');
	const keys = secrets.map(decodeWebhookSecret).filter((key): key is Buffer => key !== null);
	if (keys.length === 0) return fail('no usable webhook secret');

	const body = bodyBytes(rawBody);
	if (body === null) return fail('request body missing');
	if (body.length > MAX_WEBHOOK_BODY_BYTES) return fail('request body too large');

	if (headers === null || typeof headers !== 'object') return fail('headers missing');
	const picked = pickHeaders(normaliseHeaders(headers));
	if ('reason' in picked) return fail(picked.reason);
	const { id, timestamp: timestampText, signature } = picked.values;

	if (id.length > MAX_ID_LENGTH) return fail('webhook id too long');
	if (!/^\d{1,12}$/.test(timestampText)) return fail('timestamp is not a number of seconds');
	const timestamp = Number(timestampText);
	if (!Number.isSafeInteger(nowSeconds)) return fail('clock unavailable');
	if (nowSeconds - timestamp > WEBHOOK_TOLERANCE_SECONDS) return fail('timestamp too old');
	if (timestamp - nowSeconds > WEBHOOK_TOLERANCE_SECONDS) return fail('timestamp too new');

	if (signature.length > MAX_SIGNATURE_HEADER_LENGTH) return fail('signature header too long');
	const entries = signature.split(' ').filter((entry) => entry !== '');
	if (entries.length > MAX_SIGNATURE_ENTRIES) return fail('too many signatures');
	const candidates: Buffer[] = [];
	for (const entry of entries) {
		const parts = entry.split(',');
		// Other versions (v1a asymmetric, future ones) are skipped, as the spec asks.
		if (parts.length !== 2 || parts[0] !== 'v1') continue;
		// Comparing the base64 text (as svix does) rejects non-canonical encodings of the same bytes.
		const candidate = Buffer.from(parts[1], 'utf8');
		if (candidate.length !== SIGNATURE_BASE64_LENGTH) continue;
		candidates.push(candidate);
	}
	if (candidates.length === 0) return fail('no v1 signature');

	// Svix signs the parsed number, so "0123" is signed as "123"; the regex above keeps that unambiguous.
	const prefix = Buffer.from(`${id}.${timestamp}.`, 'utf8');
	let matched = false;
	for (const key of keys) {
		const expected = Buffer.from(
			createHmac('sha256', key).update(prefix).update(body).digest('base64'),
			'utf8',
		);
		for (const candidate of candidates) {
			// Every candidate is compared (no early exit) so timing does not reveal which one matched.
			if (candidate.length === expected.length && timingSafeEqual(candidate, expected))
				matched = true;
		}
	}
	return matched ? { ok: true, webhookId: id, timestamp } : fail('no matching signature');
}
