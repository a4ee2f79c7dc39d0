import {
	type PollRecord,
	type PollState,
	PollSession,
	emptyPollState,
	planPoll,
	pollRecordKey,
	readPollState,
} from '../../nodes/brexApi/pollCursor';

interface Row {
	id: string;
	ts: number;
}

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const LOOKBACK = 60 * MINUTE;

/**
 * A fake Brex list endpoint: filters `ts >= windowStart` (unless told to ignore the filter), pages by offset with
 * an opaque cursor, in the stored order (which is not timestamp order).
 */
class FakeList {
	calls = 0;
	failOnCall: number | null = null;
	ignoreFilter = false;
	constructor(
		public rows: Row[],
		private readonly pageSize: number,
	) {}

	fetch(windowStartMs: number, cursor: string | null): { items: Row[]; next: string | null } {
		this.calls++;
		if (this.failOnCall === this.calls) throw new Error('HTTP 500');
		const matching = this.ignoreFilter
			? this.rows
			: this.rows.filter((row) => row.ts >= windowStartMs);
		const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64').toString());
		const items = matching.slice(offset, offset + this.pageSize);
		const nextOffset = offset + this.pageSize;
		return {
			items,
			next:
				nextOffset < matching.length ? Buffer.from(String(nextOffset)).toString('base64') : null,
		};
	}
}

function toRecord(row: Row): PollRecord<Row> {
	return { key: pollRecordKey(row.id, row.ts), timestampMs: row.ts, value: row };
}

/** What the node does in one poll; returns the emitted rows and the state to store. */
function poll(
	state: PollState,
	list: FakeList,
	maxRecords: number,
	options: { startDateMs?: number; maxSeenEntries?: number } = {},
): { emitted: Row[]; state: PollState; complete: boolean; outsideWindow: number } {
	const plan = planPoll(state, { startDateMs: options.startDateMs ?? T0, lookbackMs: LOOKBACK });
	const session = new PollSession<Row>(state, plan, {
		maxRecords,
		lookbackMs: LOOKBACK,
		nowMs: T0 + 1000 * MINUTE,
		maxSeenEntries: options.maxSeenEntries,
	});
	let cursor = plan.pageCursor;
	for (;;) {
		const page = list.fetch(plan.windowStartMs, cursor);
		const more = session.addPage({
			records: page.items.map(toRecord),
			requestCursor: cursor,
			nextCursor: page.next,
		});
		if (!more) break;
		cursor = page.next;
	}
	const outcome = session.finish();
	return {
		emitted: outcome.emitted.map((record) => record.value),
		state: outcome.state,
		complete: outcome.complete,
		outsideWindow: outcome.outsideWindow,
	};
}

/** Deterministic shuffle so list order differs from timestamp order. */
function shuffled<T>(items: T[], seed = 7): T[] {
	const out = [...items];
	let a = seed;
	for (let i = out.length - 1; i > 0; i--) {
		a = (a * 1103515245 + 12345) % 2147483648;
		const j = a % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

function rows(count: number, tsOf: (i: number) => number, prefix = 'expense_'): Row[] {
	return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, ts: tsOf(i) }));
}

function drain(state: PollState, list: FakeList, maxRecords: number, maxPolls = 100) {
	const all: Row[] = [];
	let current = state;
	let polls = 0;
	for (; polls < maxPolls; polls++) {
		const result = poll(current, list, maxRecords);
		all.push(...result.emitted);
		current = result.state;
		if (result.complete) {
			polls++;
			break;
		}
	}
	return { all, state: current, polls };
}

describe('pollCursor', () => {
	it('emits every record exactly once across polls when maxRecords cuts the backfill short', () => {
		const data = shuffled(rows(537, (i) => T0 + (i % 97) * MINUTE));
		const list = new FakeList(data, 100);
		const { all, state, polls } = drain(emptyPollState('q'), list, 120);
		expect(all).toHaveLength(537);
		expect(new Set(all.map((row) => row.id)).size).toBe(537);
		expect(polls).toBe(5);
		expect(state.crawl).toBeNull();
		expect(state.highWaterMarkMs).toBe(T0 + 96 * MINUTE);
	});

	it('loses nothing when many records share one timestamp and the budget ends mid-page', () => {
		const data = rows(250, () => T0 + 5 * MINUTE);
		const list = new FakeList(data, 100);
		const seenIds: string[] = [];
		let state = emptyPollState('q');
		for (let i = 0; i < 10; i++) {
			const result = poll(state, list, 70);
			seenIds.push(...result.emitted.map((row) => row.id));
			state = result.state;
			expect(result.emitted.length).toBeLessThanOrEqual(70);
		}
		expect(seenIds.sort()).toEqual(data.map((row) => row.id).sort());
	});

	it('does not repeat records of a re-read page even when they are far older than the newest seen', () => {
		// Newest records first, then old ones: the budget ends inside the page of old records.
		const data = [
			...rows(100, (i) => T0 + (1000 + i) * MINUTE, 'new_'),
			...rows(100, (i) => T0 + i * MINUTE, 'old_'),
		];
		const list = new FakeList(data, 100);
		// A seen map smaller than what was emitted: the cap must keep the page that will be read again.
		const first = poll(emptyPollState('q'), list, 150, { maxSeenEntries: 60 });
		expect(first.emitted).toHaveLength(150);
		expect(first.complete).toBe(false);
		expect(Object.keys(first.state.seen)).toHaveLength(60);
		const second = poll(first.state, list, 150, { maxSeenEntries: 60 });
		expect(second.complete).toBe(true);
		const ids = [...first.emitted, ...second.emitted].map((row) => row.id);
		expect(ids).toHaveLength(200);
		expect(new Set(ids).size).toBe(200);
	});

	it('emits each poll in timestamp order', () => {
		const list = new FakeList(shuffled(rows(50, (i) => T0 + i * MINUTE)), 100);
		const { emitted } = poll(emptyPollState('q'), list, 1000);
		const timestamps = emitted.map((row) => row.ts);
		expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
	});

	it('costs exactly one list call when nothing is new', () => {
		const list = new FakeList(
			rows(30, (i) => T0 + i * MINUTE),
			100,
		);
		const first = poll(emptyPollState('q'), list, 1000);
		expect(first.emitted).toHaveLength(30);
		list.calls = 0;
		const second = poll(first.state, list, 1000);
		expect(second.emitted).toEqual([]);
		expect(list.calls).toBe(1);
		expect(second.state.highWaterMarkMs).toBe(first.state.highWaterMarkMs);
	});

	it('keeps the state when a poll fails, and the next poll delivers the same records', () => {
		const list = new FakeList(shuffled(rows(300, (i) => T0 + i * MINUTE)), 100);
		const first = poll(emptyPollState('q'), list, 150);
		expect(first.emitted).toHaveLength(150);
		const before = JSON.parse(JSON.stringify(first.state)) as PollState;

		list.calls = 0;
		list.failOnCall = 2;
		expect(() => poll(first.state, list, 150)).toThrow('HTTP 500');
		expect(first.state).toEqual(before);

		list.failOnCall = null;
		const retried = poll(first.state, list, 150);
		const rest = drain(retried.state, list, 150);
		const ids = [...first.emitted, ...retried.emitted, ...rest.all].map((row) => row.id);
		expect(ids).toHaveLength(300);
		expect(new Set(ids).size).toBe(300);
	});

	it('does not mutate the state it was given (a manual run can discard the outcome)', () => {
		const list = new FakeList(
			rows(20, (i) => T0 + i * MINUTE),
			100,
		);
		const state = emptyPollState('q');
		const snapshot = JSON.stringify(state);
		const outcome = poll(state, list, 5);
		expect(JSON.stringify(state)).toBe(snapshot);
		expect(outcome.state).not.toBe(state);
		expect(outcome.emitted).toHaveLength(5);
	});

	it('emits new records and new versions once, and re-reads the lookback window without repeats', () => {
		const data = rows(10, (i) => T0 + i * MINUTE);
		const list = new FakeList(data, 100);
		let result = poll(emptyPollState('q'), list, 1000);
		expect(result.emitted).toHaveLength(10);

		// A late record stamped inside the lookback window, a brand-new one, and an update of expense_3.
		list.rows = [
			...data.filter((row) => row.id !== 'expense_3'),
			{ id: 'late', ts: T0 + 8 * MINUTE },
			{ id: 'new', ts: T0 + 20 * MINUTE },
			{ id: 'expense_3', ts: T0 + 21 * MINUTE },
		];
		result = poll(result.state, list, 1000);
		expect(result.emitted.map((row) => row.id)).toEqual(['late', 'new', 'expense_3']);

		result = poll(result.state, list, 1000);
		expect(result.emitted).toEqual([]);
	});

	it('moves the window to the newest timestamp minus the lookback', () => {
		const list = new FakeList(
			rows(3, (i) => T0 + i * 100 * MINUTE),
			100,
		);
		const { state } = poll(emptyPollState('q'), list, 1000);
		const plan = planPoll(state, { startDateMs: T0, lookbackMs: LOOKBACK });
		expect(plan.windowStartMs).toBe(T0 + 200 * MINUTE - LOOKBACK);
		expect(plan.windowStart).toBe(new Date(T0 + 140 * MINUTE).toISOString());
		expect(plan.pageCursor).toBeNull();
	});

	it('starts the first window at the start date', () => {
		const plan = planPoll(emptyPollState('q'), { startDateMs: T0, lookbackMs: LOOKBACK });
		expect(plan).toEqual({
			windowStartMs: T0,
			windowStart: new Date(T0).toISOString(),
			pageCursor: null,
			resuming: false,
		});
	});

	it('resumes a cut crawl from its page cursor with the same window', () => {
		const list = new FakeList(
			rows(250, (i) => T0 + i * MINUTE),
			100,
		);
		const first = poll(emptyPollState('q'), list, 100);
		expect(first.complete).toBe(false);
		const plan = planPoll(first.state, { startDateMs: T0, lookbackMs: LOOKBACK });
		expect(plan.resuming).toBe(true);
		expect(plan.windowStartMs).toBe(T0);
		expect(plan.pageCursor).toBe(first.state.crawl?.pageCursor);
		list.calls = 0;
		const second = poll(first.state, list, 100);
		expect(list.calls).toBe(1);
		expect(second.emitted[0].id).toBe('expense_100');
	});

	it('keeps every key of an unfinished crawl so it can be read again from the start without repeats', () => {
		const list = new FakeList(shuffled(rows(300, (i) => T0 + i * MINUTE)), 100);
		const first = poll(emptyPollState('q'), list, 250);
		expect(Object.keys(first.state.seen)).toHaveLength(250);
		// The saved page cursor is lost: read the same window from its first page.
		const restarted: PollState = {
			...first.state,
			crawl: { ...first.state.crawl!, pageCursor: null },
		};
		const second = poll(restarted, list, 250);
		expect(second.emitted).toHaveLength(50);
		const ids = [...first.emitted, ...second.emitted].map((row) => row.id);
		expect(new Set(ids).size).toBe(300);
	});

	it('keeps the seen map to the lookback window', () => {
		const list = new FakeList(
			rows(1000, (i) => T0 + i * MINUTE),
			100,
		);
		const { state } = drain(emptyPollState('q'), list, 400);
		const keys = Object.keys(state.seen);
		// Records within 60 minutes of the newest (minute 999): minutes 939..999.
		expect(keys).toHaveLength(61);
		expect(Math.min(...Object.values(state.seen))).toBe(T0 + 939 * MINUTE);
	});

	it('caps the seen map, keeping the newest entries', () => {
		const list = new FakeList(
			rows(200, () => T0),
			100,
		);
		const result = poll(emptyPollState('q'), list, 1000, { maxSeenEntries: 50 });
		expect(Object.keys(result.state.seen)).toHaveLength(50);
	});

	it('ignores records the API returns from before the window and counts them', () => {
		const list = new FakeList(
			rows(20, (i) => T0 + i * 30 * MINUTE),
			100,
		);
		const first = poll(emptyPollState('q'), list, 1000);
		list.ignoreFilter = true;
		const second = poll(first.state, list, 1000);
		expect(second.emitted).toEqual([]);
		expect(second.outsideWindow).toBe(17);
	});

	it('emits records without a timestamp once and never moves the window for them', () => {
		const session = new PollSession<string>(
			emptyPollState('q'),
			planPoll(emptyPollState('q'), { startDateMs: T0, lookbackMs: LOOKBACK }),
			{ maxRecords: 10, lookbackMs: LOOKBACK, nowMs: T0 + 5 * MINUTE },
		);
		session.addPage({
			records: [
				{ key: 'raw:abc', timestampMs: null, value: 'broken' },
				{ key: 'a@1', timestampMs: T0 + MINUTE, value: 'a' },
			],
			requestCursor: null,
			nextCursor: null,
		});
		const outcome = session.finish();
		expect(outcome.emitted.map((record) => record.value)).toEqual(['a', 'broken']);
		expect(outcome.state.highWaterMarkMs).toBe(T0 + MINUTE);
		expect(outcome.state.seen['raw:abc']).toBe(T0 + 5 * MINUTE);
	});

	it('refuses misuse: a zero budget, pages after the stop, finish before the end', () => {
		const state = emptyPollState('q');
		const plan = planPoll(state, { startDateMs: T0, lookbackMs: LOOKBACK });
		expect(() => new PollSession(state, plan, { maxRecords: 0, lookbackMs: 0, nowMs: 0 })).toThrow(
			RangeError,
		);
		const session = new PollSession<Row>(state, plan, { maxRecords: 1, lookbackMs: 0, nowMs: 0 });
		expect(() => session.finish()).toThrow();
		session.addPage({ records: [], requestCursor: null, nextCursor: null });
		expect(() => session.addPage({ records: [], requestCursor: null, nextCursor: null })).toThrow();
	});
});

describe('readPollState', () => {
	const good: PollState = {
		version: 1,
		configKey: 'expense|{}',
		highWaterMarkMs: T0,
		crawl: { windowStart: new Date(T0).toISOString(), pageCursor: 'abc', maxTimestampMs: T0 },
		seen: { 'a@1': T0 },
	};

	it('returns a copy of a well-formed state', () => {
		const copy = readPollState(JSON.parse(JSON.stringify(good)), 'expense|{}');
		expect(copy).toEqual(good);
	});

	it('starts over when the query changed', () => {
		expect(readPollState(good, 'cardTransaction|{}')).toBeNull();
	});

	it.each([
		['missing', undefined],
		['not an object', 'x'],
		['wrong version', { ...good, version: 2 }],
		['bad high-water mark', { ...good, highWaterMarkMs: 'yesterday' }],
		[
			'bad crawl',
			{ ...good, crawl: { windowStart: 'nope', pageCursor: null, maxTimestampMs: null } },
		],
		['bad seen', { ...good, seen: { a: 'x' } }],
		['seen as array', { ...good, seen: [] }],
	])('rejects a state that is %s', (_name, raw) => {
		expect(readPollState(raw, 'expense|{}')).toBeNull();
	});
});
