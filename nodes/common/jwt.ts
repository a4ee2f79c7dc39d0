import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HS256 JSON Web Tokens on node:crypto (no runtime dependency), for the Sage X3 connected application: on-premises
 * X3 has no token endpoint, the client signs its own short-lived token with the connected app's secret
 * (iss = client id, sub = X3 user, aud = connected app URL or empty, exp at most the app's token validity).
 */

export interface JwtClaims {
	iss?: string;
	sub?: string;
	aud?: string | string[];
	iat?: number;
	exp?: number;
	nbf?: number;
	[claim: string]: unknown;
}

export interface DecodedJwt {
	header: Record<string, unknown>;
	payload: JwtClaims;
	signature: string;
	/** `header.payload`, the part the signature covers. */
	signingInput: string;
}

export class JwtError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'JwtError';
	}
}

function base64Url(input: Buffer | string): string {
	return Buffer.from(input).toString('base64url');
}

function hmacSha256(input: string, secret: string): Buffer {
	return createHmac('sha256', secret).update(input, 'utf8').digest();
}

/** Signs claims as a compact HS256 JWT. */
export function signHs256Jwt(claims: JwtClaims, secret: string): string {
	if (typeof secret !== 'string' || secret === '')
		throw new JwtError('A signing secret is required');
	const signingInput = `${base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64Url(JSON.stringify(claims))}`;
	return `${signingInput}.${base64Url(hmacSha256(signingInput, secret))}`;
}

function decodeSegment(segment: string, what: string): Record<string, unknown> {
	if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new JwtError(`The token ${what} is not base64url`);
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined) throw new JwtError(`The token ${what} is not JSON`);
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new JwtError(`The token ${what} is not a JSON object`);
	}
	return parsed as Record<string, unknown>;
}

/** Decodes without verifying. */
export function decodeJwt(token: string): DecodedJwt {
	const parts = token.split('.');
	if (parts.length !== 3) throw new JwtError('A JWT has three dot-separated parts');
	return {
		header: decodeSegment(parts[0], 'header'),
		payload: decodeSegment(parts[1], 'payload') as JwtClaims,
		signature: parts[2],
		signingInput: `${parts[0]}.${parts[1]}`,
	};
}

export interface VerifyOptions {
	/** Current time in seconds since the epoch. */
	nowSeconds?: number;
	clockToleranceSeconds?: number;
}

/** Verifies the HS256 signature and the exp/nbf claims; returns the payload. */
export function verifyHs256Jwt(
	token: string,
	secret: string,
	options: VerifyOptions = {},
): JwtClaims {
	const decoded = decodeJwt(token);
	if (decoded.header.alg !== 'HS256') throw new JwtError('Only HS256 tokens are accepted');
	const expected = hmacSha256(decoded.signingInput, secret);
	const actual = Buffer.from(decoded.signature, 'base64url');
	if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
		throw new JwtError('Invalid token signature');
	}
	const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
	const tolerance = options.clockToleranceSeconds ?? 0;
	const { exp, nbf } = decoded.payload;
	if (exp !== undefined && (typeof exp !== 'number' || now > exp + tolerance)) {
		throw new JwtError('Token expired');
	}
	if (nbf !== undefined && (typeof nbf !== 'number' || now + tolerance < nbf)) {
		throw new JwtError('Token not yet valid');
	}
	return decoded.payload;
}

// ---------------------------------------------------------------------------------------------------------------
// Connected-app tokens with reuse

/** Sage caps connected-app token validity at 5 minutes in its samples; X3 rejects longer-lived tokens. */
export const MAX_CONNECTED_APP_TOKEN_SECONDS = 300;
/** A cached token is reused only while at least this much of its life remains. */
export const TOKEN_RENEWAL_MARGIN_SECONDS = 60;

export interface ConnectedAppTokenRequest {
	clientId: string;
	clientSecret: string;
	user: string;
	/** Connected application URL; may be empty. */
	audience: string;
	/** Requested lifetime, clamped to 1..300 seconds. */
	lifetimeSeconds?: number;
}

interface CachedToken {
	token: string;
	expiresAt: number;
	/** Lets a rotated secret invalidate the entry; a one-way digest, never the secret itself. */
	secretDigest: string;
}

/**
 * Signs connected-app tokens and reuses each one until less than TOKEN_RENEWAL_MARGIN_SECONDS remain.
 * Keyed by client id + user + audience (+ lifetime); entries hold only the token, its expiry and a digest that
 * detects a regenerated secret.
 */
export class ConnectedAppTokenCache {
	private readonly entries = new Map<string, CachedToken>();

	constructor(
		private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
		private readonly maxEntries = 100,
	) {}

	get size(): number {
		return this.entries.size;
	}

	clear(): void {
		this.entries.clear();
	}

	token(request: ConnectedAppTokenRequest): string {
		const lifetime = clampLifetime(request.lifetimeSeconds);
		const key = JSON.stringify([request.clientId, request.user, request.audience, lifetime]);
		const secretDigest = createHash('sha256')
			.update(`x3-connected-app\0${request.clientSecret}`)
			.digest('hex');
		const now = this.nowSeconds();
		const cached = this.entries.get(key);
		if (
			cached &&
			cached.secretDigest === secretDigest &&
			cached.expiresAt - now >= TOKEN_RENEWAL_MARGIN_SECONDS
		) {
			return cached.token;
		}
		const expiresAt = now + lifetime;
		const token = signHs256Jwt(
			{ iss: request.clientId, sub: request.user, aud: request.audience, iat: now, exp: expiresAt },
			request.clientSecret,
		);
		this.entries.delete(key);
		this.evict(now);
		this.entries.set(key, { token, expiresAt, secretDigest });
		return token;
	}

	private evict(now: number): void {
		for (const [key, entry] of this.entries) {
			if (entry.expiresAt <= now) this.entries.delete(key);
		}
		while (this.entries.size >= this.maxEntries) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}
}

export function clampLifetime(lifetimeSeconds: number | undefined): number {
	const value = Number(lifetimeSeconds ?? MAX_CONNECTED_APP_TOKEN_SECONDS);
	if (!Number.isFinite(value) || value <= 0) return MAX_CONNECTED_APP_TOKEN_SECONDS;
	return Math.min(Math.floor(value) || 1, MAX_CONNECTED_APP_TOKEN_SECONDS);
}

/** Process-wide cache used by the connected-app credential's authenticate function. */
export const connectedAppTokens = new ConnectedAppTokenCache();
