/**
 * Brex's OAuth2 authorization server (Okta-style, `…/oauth2/default/v1/…`) for partner apps:
 * authorization-code grant (auto-approved consent, optional PKCE) and refresh-token grant.
 * Access tokens live `tokenLifetimeSeconds` (Brex: 1 hour); a refresh token is issued with `offline_access`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiResult } from './http';
import type { BrexEmulatorState } from './types';

export interface OAuthDeps {
	state: BrexEmulatorState;
	now: () => number;
	tokenLifetimeSeconds: () => number;
	issuer: string;
}

export const OAUTH_PREFIX = '/oauth2/default';

/** Routes this module answers (for stats keys and docs). */
export const OAUTH_ROUTES = [
	'GET /oauth2/default/.well-known/openid-configuration',
	'GET /oauth2/default/v1/authorize',
	'POST /oauth2/default/v1/token',
	'POST /oauth2/default/v1/revoke',
] as const;

function oauthError(
	status: number,
	error: string,
	description: string,
	extra: Record<string, string> = {},
): ApiResult {
	return {
		status,
		body: { error, error_description: description },
		headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...extra },
	};
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

function base64url(buffer: Buffer): string {
	return buffer.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function htmlError(status: number, message: string): ApiResult {
	return {
		status,
		raw: `<html><body><h1>${message}</h1></body></html>`,
		contentType: 'text/html; charset=utf-8',
	};
}

/** Client authentication: HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or client_id/client_secret in the body. */
function clientCredentials(
	headers: IncomingHttpHeaders,
	form: URLSearchParams,
): { id: string; secret: string } | null {
	const authorization = headers.authorization;
	if (authorization && /^basic /i.test(authorization)) {
		const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return null;
		try {
			return {
				id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
				secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
			};
		} catch {
			return null;
		}
	}
	const id = form.get('client_id');
	const secret = form.get('client_secret');
	return id && secret ? { id, secret } : null;
}

export function handleOAuth(
	method: string,
	url: URL,
	headers: IncomingHttpHeaders,
	rawBody: string,
	deps: OAuthDeps,
): ApiResult | null {
	const { state } = deps;
	const path = url.pathname;

	if (method === 'GET' && path === `${OAUTH_PREFIX}/.well-known/openid-configuration`) {
		return {
			status: 200,
			body: {
				issuer: deps.issuer,
				authorization_endpoint: `${deps.issuer}/v1/authorize`,
				token_endpoint: `${deps.issuer}/v1/token`,
				revocation_endpoint: `${deps.issuer}/v1/revoke`,
				response_types_supported: ['code'],
				grant_types_supported: ['authorization_code', 'refresh_token'],
				code_challenge_methods_supported: ['S256', 'plain'],
				token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
				scopes_supported: ['openid', 'offline_access'],
			},
		};
	}

	if (method === 'GET' && path === `${OAUTH_PREFIX}/v1/authorize`) {
		const q = url.searchParams;
		const clientId = q.get('client_id');
		const redirectUri = q.get('redirect_uri');
		if (!clientId || !state.oauthClients.has(clientId)) return htmlError(400, 'Unknown client_id');
		let redirect: URL;
		try {
			redirect = new URL(redirectUri ?? '');
		} catch {
			return htmlError(400, 'redirect_uri is missing or not an absolute URL');
		}
		const stateParam = q.get('state');
		if (q.get('response_type') !== 'code') {
			redirect.searchParams.set('error', 'unsupported_response_type');
			if (stateParam !== null) redirect.searchParams.set('state', stateParam);
			return { status: 302, headers: { Location: redirect.toString() } };
		}
		const challengeMethod = q.get('code_challenge_method');
		const challenge = q.get('code_challenge');
		if (challenge && challengeMethod && challengeMethod !== 'S256' && challengeMethod !== 'plain') {
			redirect.searchParams.set('error', 'invalid_request');
			redirect.searchParams.set('error_description', 'code_challenge_method must be S256 or plain');
			if (stateParam !== null) redirect.searchParams.set('state', stateParam);
			return { status: 302, headers: { Location: redirect.toString() } };
		}
		// Consent is auto-approved: the emulated admin always says yes.
		const code = randomBytes(16).toString('hex');
		state.authorizationCodes.set(code, {
			clientId,
			redirectUri: redirectUri!,
			scope: q.get('scope') ?? 'openid offline_access',
			codeChallenge: challenge,
			codeChallengeMethod: challenge ? (challengeMethod ?? 'plain') : null,
			used: false,
		});
		redirect.searchParams.set('code', code);
		if (stateParam !== null) redirect.searchParams.set('state', stateParam);
		return { status: 302, headers: { Location: redirect.toString() } };
	}

	if (
		method === 'POST' &&
		(path === `${OAUTH_PREFIX}/v1/token` || path === `${OAUTH_PREFIX}/v1/revoke`)
	) {
		const contentType = String(headers['content-type'] ?? '');
		if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
			return oauthError(
				400,
				'invalid_request',
				'Content-Type must be application/x-www-form-urlencoded',
			);
		}
		const form = new URLSearchParams(rawBody);
		const credentials = clientCredentials(headers, form);
		const client = credentials ? state.oauthClients.get(credentials.id) : undefined;
		if (!credentials || !client || !sameText(client.clientSecret, credentials.secret)) {
			return oauthError(401, 'invalid_client', 'Client authentication failed', {
				'WWW-Authenticate': 'Basic realm="brex-emulator"',
			});
		}
		if (path.endsWith('/revoke')) {
			const token = form.get('token');
			if (token) {
				state.refreshTokens.delete(token);
				if (state.tokens.get(token)?.kind === 'oauth') state.revokedTokens.add(token);
			}
			return { status: 200 };
		}
		return tokenGrant(form, client.clientId, deps);
	}

	return null;
}

function tokenGrant(form: URLSearchParams, clientId: string, deps: OAuthDeps): ApiResult {
	const { state } = deps;
	const grantType = form.get('grant_type');
	let scope: string;
	if (grantType === 'authorization_code') {
		const code = form.get('code') ?? '';
		const stored = state.authorizationCodes.get(code);
		if (!stored || stored.used || stored.clientId !== clientId) {
			return oauthError(400, 'invalid_grant', 'The authorization code is invalid or has expired.');
		}
		if (form.get('redirect_uri') !== stored.redirectUri) {
			return oauthError(
				400,
				'invalid_grant',
				'The redirect_uri does not match the authorization request.',
			);
		}
		if (stored.codeChallenge) {
			const verifier = form.get('code_verifier');
			if (!verifier)
				return oauthError(400, 'invalid_grant', 'PKCE verification failed: code_verifier missing.');
			const computed =
				stored.codeChallengeMethod === 'S256'
					? base64url(createHash('sha256').update(verifier).digest())
					: verifier;
			if (computed !== stored.codeChallenge) {
				return oauthError(400, 'invalid_grant', 'PKCE verification failed.');
			}
		}
		stored.used = true;
		scope = stored.scope;
	} else if (grantType === 'refresh_token') {
		const refreshToken = form.get('refresh_token') ?? '';
		const stored = state.refreshTokens.get(refreshToken);
		if (!stored || stored.clientId !== clientId) {
			return oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
		}
		scope = stored.scope;
	} else {
		return oauthError(
			400,
			'unsupported_grant_type',
			`grant_type "${grantType ?? ''}" is not supported.`,
		);
	}

	const lifetime = deps.tokenLifetimeSeconds();
	const accessToken = `bxt_oauth_${randomBytes(20).toString('hex')}`;
	state.tokens.set(accessToken, {
		kind: 'oauth',
		clientId,
		scope,
		expiresAt: deps.now() + lifetime * 1000,
	});
	// Okta also returns an id_token for `openid`; nothing in this package reads it, so none is minted.
	const body: Record<string, unknown> = {
		token_type: 'Bearer',
		expires_in: lifetime,
		access_token: accessToken,
		scope,
	};
	if (scope.split(/\s+/).includes('offline_access')) {
		// The refresh token stays the same across refreshes (no rotation documented for Brex).
		const existing = grantType === 'refresh_token' ? form.get('refresh_token')! : null;
		const refreshToken = existing ?? `bxr_oauth_${randomBytes(24).toString('hex')}`;
		state.refreshTokens.set(refreshToken, { clientId, scope });
		body.refresh_token = refreshToken;
	}
	return { status: 200, body, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
}
