/**
 * Cursor and de-duplication logic of the Brex Trigger's polling mode. Pure: no I/O, no clock; the node feeds it
 * the pages it fetched and stores the state it returns in the workflow's static data.
 *
 * Model. A poll runs a *crawl*: one Brex list query (`<timestamp>_start = windowStart`) followed page by page.
 * - windowStart is the newest record timestamp of the last completed crawl (the high-water mark) minus the
 *   lookback, so late or re-stamped records are read again; on the very first crawl it is the start date.
 * - Records already emitted (key = id + timestamp, so a new version of a record is a new key) are kept in a
 *   bounded `seen` map and skipped; the map is pruned to the lookback window once a crawl completes (an
 *   unfinished crawl keeps all its keys, up to the cap, so it can be read again from its start if needed).
 * - maxRecordsPerPoll cuts a crawl short. The crawl then resumes on the next poll from the Brex page cursor of the
 *   page where it stopped (re-reading that page; what was emitted from it is still in `seen`). Brex does not
 *   document the order of list results (and its cursors are offset-based), so resuming from a timestamp after a
 *   partial read could skip records that sit on later pages with older timestamps; the page cursor cannot.
 *   Ties (many records with the same timestamp) need no special handling for the same reason.
 * - The state only changes through PollSession.finish(): a poll that fails before finishing leaves it untouched,
 *   so the window never moves past records that were not delivered.
 */

export const POLL_STATE_VERSION = 1;
/** Upper bound of the `seen` map (static data is saved with every poll that emits). */
export const DEFAULT_MAX_SEEN_ENTRIES = 5000;

export interface PollCrawl {
	/** Inclusive lower bound of the crawl's query, ISO 8601 UTC. */
	windowStart: string;
	/** Brex cursor of the next page to request; null for the first page. */
	pageCursor: string | null;
	/** Newest record timestamp (epoch ms) handled so far in this crawl. */
	maxTimestampMs: number | null;
}

export interface PollState {
	version: typeof POLL_STATE_VERSION;
	/** Fingerprint of the query (resource, filters, start date); a different one starts over. */
	configKey: string;
	/** Newest record timestamp (epoch ms) of the last completed crawl. */
	highWaterMarkMs: number | null;
	/** The crawl a previous poll cut short, or null when the next poll starts a new one. */
	crawl: PollCrawl | null;
	/** Emitted records: key -> record timestamp (epoch ms). */
	seen: Record<string, number>;
}

export interface PollWindowOptions {
	/** First window of a new state (the node's start date), epoch ms. */
	startDateMs: number;
	lookbackMs: number;
}

export interface PollPlan {
	windowStartMs: number;
	windowStart: string;
	/** Page cursor to start from (a resumed crawl), or null for the first page. */
	pageCursor: string | null;
	resuming: boolean;
}

export interface PollRecord<T> {
	/** Identity of this version of the record, e.g. `${id}@${timestamp}`. */
	key: string;
	/** Timestamp the query filters on, epoch ms; null when the record has none that can be read. */
	timestampMs: number | null;
	value: T;
}

export interface PollPage<T> {
	records: Array<PollRecord<T>>;
	/** Cursor this page was requested with (null for the first page). */
	requestCursor: string | null;
	/** Brex's next_cursor (null on the last page). */
	nextCursor: string | null;
}

export interface PollLimits {
	maxRecords: number;
	lookbackMs: number;
	/** Stamp for records without a readable timestamp in `seen` (epoch ms, the poll's wall clock). */
	nowMs: number;
	maxSeenEntries?: number;
}

export interface PollOutcome<T> {
	/** New records in timestamp order (records without a timestamp last), at most maxRecords. */
	emitted: Array<PollRecord<T>>;
	state: PollState;
	/** True when the crawl reached the last page; false when maxRecords cut it short. */
	complete: boolean;
	/** Records the API returned although they are older than the window (already handled earlier). */
	outsideWindow: number;
}

export function emptyPollState(configKey: string): PollState {
	return { version: POLL_STATE_VERSION, configKey, highWaterMarkMs: null, crawl: null, seen: {} };
}

function isFiniteNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function isCrawl(value: unknown): value is PollCrawl {
	if (value === null || typeof value !== 'object') return false;
	const crawl = value as Record<string, unknown>;
	return (
		typeof crawl.windowStart === 'string' &&
		!Number.isNaN(Date.parse(crawl.windowStart)) &&
		(crawl.pageCursor === null || typeof crawl.pageCursor === 'string') &&
		(crawl.maxTimestampMs === null || isFiniteNumber(crawl.maxTimestampMs))
	);
}

/**
 * The stored state when it is well-formed and belongs to this query; otherwise null, and the caller starts from
 * emptyPollState (and should say so in its log).
 */
export function readPollState(raw: unknown, configKey: string): PollState | null {
	if (raw === null || typeof raw !== 'object') return null;
	const state = raw as Record<string, unknown>;
	if (state.version !== POLL_STATE_VERSION || state.configKey !== configKey) return null;
	if (state.highWaterMarkMs !== null && !isFiniteNumber(state.highWaterMarkMs)) return null;
	if (state.crawl !== null && !isCrawl(state.crawl)) return null;
	if (state.seen === null || typeof state.seen !== 'object' || Array.isArray(state.seen))
		return null;
	const seen: Record<string, number> = {};
	for (const [key, timestamp] of Object.entries(state.seen as Record<string, unknown>)) {
		if (!isFiniteNumber(timestamp)) return null;
		seen[key] = timestamp;
	}
	return {
		version: POLL_STATE_VERSION,
		configKey,
		highWaterMarkMs: state.highWaterMarkMs as number | null,
		crawl: state.crawl === null ? null : { ...(state.crawl as PollCrawl) },
		seen,
	};
}

/** Where the next poll reads from: the unfinished crawl, else a new window behind the high-water mark. */
export function planPoll(state: PollState, options: PollWindowOptions): PollPlan {
	if (state.crawl !== null) {
		return {
			windowStartMs: Date.parse(state.crawl.windowStart),
			windowStart: state.crawl.windowStart,
			pageCursor: state.crawl.pageCursor,
			resuming: true,
		};
	}
	const windowStartMs =
		state.highWaterMarkMs === null
			? options.startDateMs
			: state.highWaterMarkMs - options.lookbackMs;
	return {
		windowStartMs,
		windowStart: new Date(windowStartMs).toISOString(),
		pageCursor: null,
		resuming: false,
	};
}

function byTimestampThenKey<T>(a: PollRecord<T>, b: PollRecord<T>): number {
	if (a.timestampMs !== b.timestampMs) {
		if (a.timestampMs === null) return 1;
		if (b.timestampMs === null) return -1;
		return a.timestampMs - b.timestampMs;
	}
	return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** One poll: feed it the pages in order until addPage returns false, then call finish(). */
export class PollSession<T> {
	private readonly emitted: Array<PollRecord<T>> = [];
	private readonly seen: Record<string, number>;
	private readonly crawl: PollCrawl;
	/** Keys of the page that will be read again (a crawl cut short inside a page): never pruned. */
	private protectedKeys: string[] = [];
	private stopped = false;
	private complete = false;
	private outsideWindow = 0;

	constructor(
		private readonly state: PollState,
		private readonly plan: PollPlan,
		private readonly limits: PollLimits,
	) {
		if (!Number.isInteger(limits.maxRecords) || limits.maxRecords < 1) {
			throw new RangeError('maxRecords must be a positive integer');
		}
		this.seen = { ...state.seen };
		this.crawl = state.crawl
			? { ...state.crawl }
			: { windowStart: plan.windowStart, pageCursor: null, maxTimestampMs: null };
	}

	/** Handles one page; true when the caller should fetch page.nextCursor next. */
	addPage(page: PollPage<T>): boolean {
		if (this.stopped) throw new Error('This poll session has already stopped');
		const pageKeys: string[] = [];
		for (const record of page.records) {
			if (record.timestampMs !== null && record.timestampMs < this.plan.windowStartMs) {
				this.outsideWindow++;
				continue;
			}
			if (Object.prototype.hasOwnProperty.call(this.seen, record.key)) {
				this.noteTimestamp(record.timestampMs);
				pageKeys.push(record.key);
				continue;
			}
			if (this.emitted.length >= this.limits.maxRecords) {
				// Budget spent inside this page: read the same page again next time.
				this.crawl.pageCursor = page.requestCursor;
				this.protectedKeys = pageKeys;
				this.stopped = true;
				return false;
			}
			this.emitted.push(record);
			this.seen[record.key] = record.timestampMs ?? this.limits.nowMs;
			this.noteTimestamp(record.timestampMs);
			pageKeys.push(record.key);
		}
		if (page.nextCursor) {
			this.crawl.pageCursor = page.nextCursor;
			if (this.emitted.length >= this.limits.maxRecords) {
				this.stopped = true;
				return false;
			}
			return true;
		}
		this.stopped = true;
		this.complete = true;
		return false;
	}

	finish(): PollOutcome<T> {
		if (!this.stopped) throw new Error('finish() called before the last page was handled');
		let highWaterMarkMs = this.state.highWaterMarkMs;
		let crawl: PollCrawl | null = null;
		let pruneBelowMs: number;
		if (this.complete) {
			const newest = this.crawl.maxTimestampMs;
			if (newest !== null && (highWaterMarkMs === null || newest > highWaterMarkMs)) {
				highWaterMarkMs = newest;
			}
			// The next crawl starts at high-water mark - lookback: nothing older can come back.
			pruneBelowMs = (highWaterMarkMs ?? this.plan.windowStartMs) - this.limits.lookbackMs;
		} else {
			crawl = { ...this.crawl };
			// Keep every key of an unfinished crawl (up to the cap): if Brex refuses the saved page cursor, the
			// crawl is read again from its window start and must not repeat what it already emitted.
			pruneBelowMs = -Infinity;
		}
		return {
			emitted: [...this.emitted].sort(byTimestampThenKey),
			state: {
				version: POLL_STATE_VERSION,
				configKey: this.state.configKey,
				highWaterMarkMs,
				crawl,
				seen: this.pruneSeen(pruneBelowMs),
			},
			complete: this.complete,
			outsideWindow: this.outsideWindow,
		};
	}

	private noteTimestamp(timestampMs: number | null): void {
		if (timestampMs === null) return;
		const current = this.crawl.maxTimestampMs;
		if (current === null || timestampMs > current) this.crawl.maxTimestampMs = timestampMs;
	}

	private pruneSeen(belowMs: number): Record<string, number> {
		const maxEntries = this.limits.maxSeenEntries ?? DEFAULT_MAX_SEEN_ENTRIES;
		const protectedKeys = new Set(this.protectedKeys);
		const kept = Object.entries(this.seen).filter(
			([key, timestamp]) => timestamp >= belowMs || protectedKeys.has(key),
		);
		let bounded = kept;
		if (kept.length > maxEntries) {
			// Keep the protected page and then the newest entries; dropping old ones can only cause a repeat.
			const ranked = [...kept].sort(([keyA, a], [keyB, b]) => {
				const protA = protectedKeys.has(keyA) ? 1 : 0;
				const protB = protectedKeys.has(keyB) ? 1 : 0;
				return protB - protA || b - a;
			});
			bounded = ranked.slice(0, Math.max(maxEntries, protectedKeys.size));
		}
		return Object.fromEntries(bounded);
	}
}

/** Compact record key: id plus its timestamp in base 36 (a changed timestamp is a new version). */
export function pollRecordKey(id: string, timestampMs: number | null): string {
	return timestampMs === null ? id : `${id}@${timestampMs.toString(36)}`;
}
