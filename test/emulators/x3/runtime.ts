/**
 * Shared runtime of one emulator instance: settings and faults (mutable while running), statistics, the SOAP
 * pool, a seeded random source for faults, and cancellable waits so close() leaves no timer behind.
 */

import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import type { Behaviour } from './personality';
import type { PublicationDef } from './publications';
import type { X3State } from './state';

export type ApiStyle = 'soap' | 'graphql' | 'rest';

export interface X3Faults {
	/** Share of SOAP calls answered "pool busy" even when a pool entry is free. */
	poolBusyProbability: number;
	/** Share of calls answered HTTP 500 before any processing. */
	http500Probability: number;
	/** Share of calls that hang `timeoutMs` before answering (to trip client timeouts). */
	timeoutProbability: number;
	timeoutMs: number;
	/** Share of SOAP writes answered status 0 with a record-lock message. */
	lockProbability: number;
	/** Added processing time: `saveMs` for SOAP save/modify/delete, `otherMs` for every other call. */
	latency: { saveMs: number; otherMs: number; jitterMs: number };
	/** API styles the probabilistic faults apply to (latency applies to all). */
	scope: ApiStyle[];
}

export interface X3Settings {
	/** RPC/encoded answers: `multiRef` (href + multiRef elements, Axis style) or `inline`; both exist in the wild. */
	soapStyle: 'multiRef' | 'inline';
	/** Wrap resultXml in CDATA (with `]]>` split) instead of escaping it. */
	resultCdata: boolean;
	/** How a full pool answers: status 0 with a busy message, or HTTP 500 "No Web services accepted". */
	busyMode: 'status0' | 'http500';
	poolSize: number;
	/** How long a SOAP call waits for a free pool entry before the busy answer (0 = answer busy at once). */
	poolWaitMs: number;
}

export interface X3Stats {
	/** Calls by API style and operation (`save:YGAS`, `x3MasterData.supplier.query`, `BPSUPPLIER.$query`). */
	calls: Record<ApiStyle, Record<string, number>>;
	http: { requests: number; byStatus: Record<string, number> };
	pool: { inFlight: number; peak: number; queued: number; waited: number; busyAnswers: number };
	faults: { poolBusy: number; http500: number; timeouts: number; locks: number };
	/** Authentication failures by reason (`basic`, `jwt:signature`, `jwt:expired`, …). */
	authFailures: Record<string, number>;
}

export function emptyStats(): X3Stats {
	return {
		calls: { soap: {}, graphql: {}, rest: {} },
		http: { requests: 0, byStatus: {} },
		pool: { inFlight: 0, peak: 0, queued: 0, waited: 0, busyAnswers: 0 },
		faults: { poolBusy: 0, http500: 0, timeouts: 0, locks: 0 },
		authFailures: {},
	};
}

export function defaultFaults(): X3Faults {
	return {
		poolBusyProbability: 0,
		http500Probability: 0,
		timeoutProbability: 0,
		timeoutMs: 30_000,
		lockProbability: 0,
		latency: { saveMs: 0, otherMs: 0, jitterMs: 0 },
		scope: ['soap'],
	};
}

export interface ConnectedApp {
	clientId: string;
	secret: string;
	/** Expected `aud`; '' accepts a token without audience (or with ''). */
	audience: string;
	/** X3 users a token's `sub` may name. */
	allowedUsers: string[];
}

export interface X3Runtime {
	state: X3State;
	/** The names the object logic uses: the client's layout (lenient) or the documented fixed names. */
	layout: X3Layout;
	/** The personality's resolved behaviour (personality.ts). */
	behaviour: Behaviour;
	publications: Map<string, PublicationDef>;
	settings: X3Settings;
	faults: X3Faults;
	stats: X3Stats;
	events: EventEmitter;
	pool: SoapPool;
	users: Record<string, string>;
	poolAlias: string;
	endpoint: string;
	connectedApp: ConnectedApp;
	tokenMaxLifetimeSeconds: number;
	graphqlAcceptsBasic: boolean;
	restMaxCount: number;
	random: () => number;
	sleep: (ms: number) => Promise<void>;
	baseUrl: () => string;
	/** Recent SOAP calls (newest last, bounded): what the client sent and what it got. */
	soapLog: SoapLogEntry[];
	countCall: (api: ApiStyle, operation: string) => void;
	changed: () => void;
}

export interface SoapLogEntry {
	at: string;
	operation: string;
	publicName: string;
	user: string;
	payloadFormat: 'xml' | 'json' | null;
	/** Parsed payload blocks (objectXml / inputXml) or object keys. */
	payload: unknown;
	objectKeys: Array<{ key: string; value: string }>;
	status: number | null;
	messages: Array<{ type: string; message: string }>;
	httpStatus: number;
}

/** Roll a probability with the seeded random source. */
export function roll(runtime: X3Runtime, probability: number, api: ApiStyle): boolean {
	if (!(probability > 0) || !runtime.faults.scope.includes(api)) return false;
	return runtime.random() < probability;
}

export function latencyFor(runtime: X3Runtime, kind: 'save' | 'other'): number {
	const latency = runtime.faults.latency;
	const base = kind === 'save' ? latency.saveMs : latency.otherMs;
	const jitter = latency.jitterMs > 0 ? Math.floor(runtime.random() * latency.jitterMs) : 0;
	return Math.max(0, base + jitter);
}

/** Checks `Authorization: Basic`; returns the user or null. */
export function basicUser(req: IncomingMessage, users: Record<string, string>): string | null {
	const header = req.headers.authorization ?? '';
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	const user = decoded.slice(0, colon);
	const password = decoded.slice(colon + 1);
	return Object.prototype.hasOwnProperty.call(users, user) && users[user] === password
		? user
		: null;
}

interface Waiter {
	resolve: (slot: number | null) => void;
	timer: NodeJS.Timeout | null;
}

/**
 * The classic SOAP pool: at most `size` calls run at once; others wait up to `poolWaitMs` for a free entry
 * (FIFO), then get the busy answer. `hold()` parks calls after they took an entry, so a test can fill the
 * pool deterministically instead of relying on timing.
 */
export class SoapPool {
	private readonly busySlots = new Set<number>();
	private readonly waiters: Waiter[] = [];
	private gate: Promise<void> | null = null;
	private openGate: (() => void) | null = null;

	constructor(
		private readonly settings: X3Settings,
		private readonly stats: X3Stats,
		private readonly onChange: () => void,
	) {}

	get inFlight(): number {
		return this.busySlots.size;
	}

	acquire(): Promise<{ slot: number; waitedMs: number } | null> {
		const started = Date.now();
		const free = this.freeSlot();
		if (free !== null) {
			this.take(free);
			return Promise.resolve({ slot: free, waitedMs: 0 });
		}
		if (this.settings.poolWaitMs <= 0) return Promise.resolve(null);
		return new Promise((resolve) => {
			const waiter: Waiter = {
				timer: null,
				resolve: (slot) => {
					if (waiter.timer) clearTimeout(waiter.timer);
					this.stats.pool.queued = this.waiters.length;
					if (slot === null) resolve(null);
					else {
						this.stats.pool.waited++;
						resolve({ slot, waitedMs: Date.now() - started });
					}
					this.onChange();
				},
			};
			waiter.timer = setTimeout(() => {
				const index = this.waiters.indexOf(waiter);
				if (index >= 0) this.waiters.splice(index, 1);
				waiter.resolve(null);
			}, this.settings.poolWaitMs);
			this.waiters.push(waiter);
			this.stats.pool.queued = this.waiters.length;
			this.onChange();
		});
	}

	release(slot: number): void {
		this.busySlots.delete(slot);
		const next = this.waiters.shift();
		if (next && slot < this.settings.poolSize) {
			this.take(slot);
			next.resolve(slot);
		} else {
			if (next) this.waiters.unshift(next);
			this.stats.pool.inFlight = this.busySlots.size;
			this.onChange();
		}
	}

	/** Parks calls that hold a pool entry until the returned function is called. */
	hold(): () => void {
		if (!this.gate) {
			this.gate = new Promise((resolve) => (this.openGate = resolve));
		}
		return () => {
			this.openGate?.();
			this.gate = null;
			this.openGate = null;
		};
	}

	/** Resolves at once unless a test holds the pool. */
	passGate(): Promise<void> {
		return this.gate ?? Promise.resolve();
	}

	/** Drops waiters (on close), so no timer survives the server. */
	drain(): void {
		for (const waiter of this.waiters.splice(0)) {
			if (waiter.timer) clearTimeout(waiter.timer);
		}
		this.openGate?.();
	}

	private freeSlot(): number | null {
		for (let slot = 0; slot < this.settings.poolSize; slot++) {
			if (!this.busySlots.has(slot)) return slot;
		}
		return null;
	}

	private take(slot: number): void {
		this.busySlots.add(slot);
		this.stats.pool.inFlight = this.busySlots.size;
		this.stats.pool.peak = Math.max(this.stats.pool.peak, this.busySlots.size);
		this.onChange();
	}
}
