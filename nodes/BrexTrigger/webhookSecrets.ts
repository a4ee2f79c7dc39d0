import type { IWebhookFunctions } from 'n8n-workflow';

import { type BrexClientOptions, brexRequest } from '../brexApi/client';

/**
 * Brex webhook signing secrets (GET /v1/webhooks/secrets), cached in memory per credential so a delivery costs
 * neither a Brex call nor loading the credential (n8n reads and decrypts it from its database: about half of
 * the time n8n takes to answer a delivery, measured in the bench). A delivery that fails verification with
 * cached secrets triggers one refetch (picks up a rotation, or a credential edited to another Brex account), at
 * most once per REFRESH_MIN_INTERVAL_MS per credential, so forged requests cannot make n8n hammer the Brex API;
 * cached secrets are refetched after SECRETS_TTL_MS anyway. The secrets never leave this module except to the
 * verifier.
 */

export const SECRETS_TTL_MS = 5 * 60_000;
export const REFRESH_MIN_INTERVAL_MS = 30_000;

interface CacheEntry {
	secrets: string[];
	fetchedAtMs: number;
}

const cache = new Map<string, CacheEntry>();
const lastForcedRefresh = new Map<string, number>();

export function clearWebhookSecretCache(): void {
	cache.clear();
	lastForcedRefresh.clear();
}

export interface SecretsResult {
	secrets: string[];
	/** True when the secrets came from the cache (a failed verification may then try fresh ones). */
	cached: boolean;
}

function cacheKey(ctx: IWebhookFunctions, client: BrexClientOptions): string {
	const credentialId = ctx.getNode().credentials?.[client.credentialType]?.id ?? '';
	return JSON.stringify([client.credentialType, credentialId]);
}

async function fetchSecrets(ctx: IWebhookFunctions, client: BrexClientOptions): Promise<string[]> {
	const body = await brexRequest<unknown>(ctx, client, {
		method: 'GET',
		path: '/v1/webhooks/secrets',
	});
	if (!Array.isArray(body)) return [];
	return body
		.map((entry) =>
			entry && typeof entry === 'object' ? (entry as { secret?: unknown }).secret : null,
		)
		.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}

/** Secrets from the cache when fresh, else from Brex. Throws when Brex cannot be asked. */
export async function getWebhookSecrets(
	ctx: IWebhookFunctions,
	client: BrexClientOptions,
	nowMs: number = Date.now(),
): Promise<SecretsResult> {
	const key = cacheKey(ctx, client);
	const entry = cache.get(key);
	if (entry && nowMs - entry.fetchedAtMs < SECRETS_TTL_MS && entry.secrets.length > 0) {
		return { secrets: entry.secrets, cached: true };
	}
	const secrets = await fetchSecrets(ctx, client);
	if (secrets.length > 0) cache.set(key, { secrets, fetchedAtMs: nowMs });
	else cache.delete(key);
	return { secrets, cached: false };
}

/**
 * Fresh secrets after a verification failure with cached ones; null when a forced refresh for this credential
 * happened too recently (the failure then stands).
 */
export async function refreshWebhookSecrets(
	ctx: IWebhookFunctions,
	client: BrexClientOptions,
	nowMs: number = Date.now(),
): Promise<string[] | null> {
	const key = cacheKey(ctx, client);
	const last = lastForcedRefresh.get(key);
	if (last !== undefined && nowMs - last < REFRESH_MIN_INTERVAL_MS) return null;
	lastForcedRefresh.set(key, nowMs);
	const secrets = await fetchSecrets(ctx, client);
	if (secrets.length > 0) cache.set(key, { secrets, fetchedAtMs: nowMs });
	else cache.delete(key);
	return secrets;
}
