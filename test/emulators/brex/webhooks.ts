/**
 * Webhook sender, Svix-style: each message has one webhook-id (kept across retries and duplicates), a fresh
 * webhook-timestamp per attempt, and one `v1,<base64>` signature per current secret (two during rotation),
 * made with the official `svix` library. Non-2xx or no answer = retry on a (configurable) fixed schedule.
 */
import { Webhook } from 'svix';
import { isLoopbackUrl } from './http';
import type {
	BrexEmulatorState,
	BrexFaults,
	BrexStats,
	DeliveryAttempt,
	WebhookSubscription,
} from './types';

export interface WebhookEvent {
	eventType: string;
	/** Full event body (already including `event_type`). */
	body: Record<string, unknown>;
	/** Fixed webhook-id (defaults to a fresh `msg_…`). */
	webhookId?: string;
}

export interface DeliveryOptions {
	/** Only these subscriptions (default: every ACTIVE subscription listening to the event type). */
	subscriptionIds?: string[];
}

interface Message {
	webhookId: string;
	subscription: WebhookSubscription;
	eventType: string;
	payload: string;
}

export interface DispatcherDeps {
	state: () => BrexEmulatorState;
	faults: () => BrexFaults;
	stats: () => BrexStats;
	random: () => number;
	nextMessageId: () => string;
}

export function signPayload(
	secrets: string[],
	webhookId: string,
	timestampSeconds: number,
	payload: string,
): string {
	const date = new Date(timestampSeconds * 1000);
	return secrets.map((secret) => new Webhook(secret).sign(webhookId, date, payload)).join(' ');
}

function corrupt(signature: string): string {
	return signature
		.split(' ')
		.map((entry) => {
			const [version, value] = entry.split(',');
			const flipped = (value[0] === 'A' ? 'B' : 'A') + value.slice(1);
			return `${version},${flipped}`;
		})
		.join(' ');
}

export class WebhookDispatcher {
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly pendingResolvers = new Set<() => void>();
	private closed = false;

	constructor(private readonly deps: DispatcherDeps) {}

	/** Delivers a batch; resolves once every attempt (retries included) has finished. */
	async deliver(events: WebhookEvent[], options: DeliveryOptions = {}): Promise<DeliveryAttempt[]> {
		const state = this.deps.state();
		const faults = this.deps.faults();
		const messages: Message[] = [];
		for (const event of events) {
			// Svix gives a message one id for every endpoint it goes to.
			const webhookId = event.webhookId ?? this.deps.nextMessageId();
			const payload = JSON.stringify(event.body);
			for (const subscription of state.webhooks.values()) {
				if (subscription.status !== 'ACTIVE') continue;
				if (options.subscriptionIds && !options.subscriptionIds.includes(subscription.id)) continue;
				if (!subscription.event_types.includes(event.eventType)) continue;
				messages.push({ webhookId, subscription, eventType: event.eventType, payload });
			}
		}
		if (faults.outOfOrder) {
			for (let i = messages.length - 1; i > 0; i--) {
				const j = Math.floor(this.deps.random() * (i + 1));
				[messages[i], messages[j]] = [messages[j], messages[i]];
			}
		}
		const sends = faults.duplicateDeliveries ? messages.flatMap((m) => [m, m]) : messages;
		const attempts: DeliveryAttempt[] = [];
		const retries: Array<Promise<void>> = [];
		// First attempts go out one after another, in batch order; retries run in the background.
		for (const message of sends) {
			const first = await this.attempt(message, 1);
			attempts.push(first);
			if (!first.ok) retries.push(this.retry(message, 1, attempts));
		}
		await Promise.all(retries);
		return attempts;
	}

	/** Stops pending retries (emulator shutdown). */
	close(): void {
		this.closed = true;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const resolve of this.pendingResolvers) resolve();
		this.pendingResolvers.clear();
	}

	private async retry(
		message: Message,
		failedAttempt: number,
		attempts: DeliveryAttempt[],
	): Promise<void> {
		const schedule = this.deps.faults().deliveryRetryScheduleMs;
		let attemptNumber = failedAttempt;
		while (!this.closed && attemptNumber - 1 < schedule.length) {
			await this.wait(schedule[attemptNumber - 1]);
			if (this.closed) return;
			attemptNumber++;
			const result = await this.attempt(message, attemptNumber);
			attempts.push(result);
			if (result.ok) return;
		}
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const done = () => {
				this.timers.delete(timer);
				this.pendingResolvers.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.timers.add(timer);
			this.pendingResolvers.add(done);
		});
	}

	private async attempt(message: Message, attemptNumber: number): Promise<DeliveryAttempt> {
		const faults = this.deps.faults();
		const state = this.deps.state();
		// Receivers check the timestamp against their own (real) clock, so this uses real time.
		const timestamp = Math.floor(Date.now() / 1000) + faults.deliveryTimestampSkewSeconds;
		const secrets = state.webhookSecrets.map((s) => s.secret);
		let signature = signPayload(secrets, message.webhookId, timestamp, message.payload);
		if (faults.corruptSignatures) signature = corrupt(signature);
		const started = Date.now();
		const record: DeliveryAttempt = {
			webhookId: message.webhookId,
			subscriptionId: message.subscription.id,
			url: message.subscription.url,
			eventType: message.eventType,
			attempt: attemptNumber,
			status: null,
			ok: false,
			error: null,
			timestamp,
			signature,
			payload: message.payload,
			at: new Date(started).toISOString(),
			durationMs: 0,
		};
		if (!isLoopbackUrl(message.subscription.url)) {
			// The emulator only ever talks to this machine.
			record.error = 'refused: the emulator delivers to loopback addresses only';
		} else {
			try {
				const response = await fetch(message.subscription.url, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'user-agent': 'Brex-Emulator-Webhooks/1.0',
						'webhook-id': message.webhookId,
						'webhook-timestamp': String(timestamp),
						'webhook-signature': signature,
					},
					body: message.payload,
					signal: AbortSignal.timeout(faults.deliveryTimeoutMs),
				});
				await response.arrayBuffer().catch(() => undefined);
				record.status = response.status;
				record.ok = response.status >= 200 && response.status < 300;
			} catch (error) {
				record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
			}
		}
		record.durationMs = Date.now() - started;
		this.deps.stats().deliveries.push(record);
		return record;
	}
}
