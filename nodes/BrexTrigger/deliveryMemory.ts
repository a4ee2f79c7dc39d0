/**
 * Webhook ids of deliveries this process accepted recently, so a redelivery is acknowledged without starting
 * an execution. Kept in memory on purpose: in n8n 2.41 a live webhook reads the workflow's static data as it
 * was loaded for the request and saves it back whole, racing the activation and other deliveries (a real n8n
 * showed ids recorded there being lost, and the registration id being overwritten). This memory is
 * per process; the node's execute() adds n8n's database-backed de-duplication, which holds across processes.
 */

export const DELIVERY_MEMORY_LIMIT = 5000;
/** Svix-style senders retry for a few days; a redelivery after a day is caught by the database layer. */
export const DELIVERY_MEMORY_TTL_MS = 24 * 3600_000;

const accepted = new Map<string, number>();

function keyOf(scope: string, webhookId: string): string {
	return `${scope}\u0000${webhookId}`;
}

export function wasDelivered(scope: string, webhookId: string, nowMs = Date.now()): boolean {
	const key = keyOf(scope, webhookId);
	const at = accepted.get(key);
	if (at === undefined) return false;
	if (nowMs - at >= DELIVERY_MEMORY_TTL_MS) {
		accepted.delete(key);
		return false;
	}
	return true;
}

export function rememberDelivery(scope: string, webhookId: string, nowMs = Date.now()): void {
	const key = keyOf(scope, webhookId);
	accepted.delete(key);
	accepted.set(key, nowMs);
	// A Map iterates in insertion order: the first keys are the oldest.
	while (accepted.size > DELIVERY_MEMORY_LIMIT) {
		const oldest = accepted.keys().next().value;
		if (oldest === undefined) break;
		accepted.delete(oldest);
	}
}

/** Forgets an id again (its delivery was answered with an error, so the sender's retry must go through). */
export function forgetDelivery(scope: string, webhookId: string): void {
	accepted.delete(keyOf(scope, webhookId));
}

export function clearDeliveryMemory(): void {
	accepted.clear();
}
