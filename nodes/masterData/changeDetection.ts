import { createHash } from 'node:crypto';

/**
 * Change detection of the Sage X3 Trigger: which X3 GL accounts, dimension values and suppliers changed since the
 * last poll. Pure: no I/O, no clock; the trigger feeds it the records it read and stores the state it returns in
 * the workflow's static data (only after the whole poll succeeded, so a failed poll leaves the state as it was).
 *
 * Two ways to read, one comparison:
 * - full read: every record of the chosen kinds. Each is compared with `known` (key -> content hash + active
 *   flag); a known key that is no longer listed was deleted in X3 and is reported closed (active false).
 * - delta read: only the records whose update stamp is at or after `stampCursorMs - overlap` (GraphQL's
 *   `_updateStamp`). The overlap re-reads a margin, because a record saved in a transaction that committed late
 *   can carry a stamp older than the newest one already read; what the margin re-reads is de-duplicated by key and
 *   content, so it is not emitted twice. A delta read cannot see deletions: every `fullReadEvery` polls the
 *   trigger reads everything again.
 * The stamp cursor is X3's own clock (the newest stamp read), never n8n's, so clock skew between the two is moot.
 *
 * State size: one `known` entry per record, about 30 bytes of JSON (key "a|CHART|401000", 8 hex characters of
 * hash and one flag): about 0.3 MB for 10,000 values. MAX_KNOWN_ENTRIES bounds it.
 */

export type MasterDataKind = 'account' | 'dimension' | 'supplier';
export type MasterDataChangeKind = 'new' | 'changed' | 'closed';

/** One X3 record as the trigger reads it (every read API maps to this). */
export interface MasterDataRecord {
	kind: MasterDataKind;
	code: string;
	/** Description (accounts, dimension values) or company name (suppliers). */
	label: string | null;
	active: boolean;
	/** Dimension values only. */
	dimensionType?: string;
	/** GL accounts only. */
	chart?: string;
	/** X3's update stamp as ISO 8601 UTC, when the API gave one. */
	updatedAt: string | null;
}

/** One item of the trigger's output. A deleted record has `deleted: true`, `active: false` and label null. */
export interface MasterDataChange extends MasterDataRecord {
	change: MasterDataChangeKind;
	deleted?: true;
}

export const CHANGE_STATE_VERSION = 1;
/** Above this many known records the poll fails instead of saving an ever larger state (about 0.75 MB). */
export const MAX_KNOWN_ENTRIES = 25_000;

export interface ChangeState {
	version: typeof CHANGE_STATE_VERSION;
	/** Fingerprint of what is watched (kinds, dimension types, chart, read API); another one starts over. */
	configKey: string;
	/** Record key -> 8 hex characters of the content hash followed by '1' (active) or '0'. */
	known: Record<string, string>;
	/** Newest update stamp read so far (epoch ms), or null when the API gave none. */
	stampCursorMs: number | null;
	/** Polls since the last full read (delta reads only count). */
	pollsSinceFullRead: number;
}

export class ChangeStateTooLargeError extends Error {
	constructor(readonly entries: number) {
		super(
			`The X3 master data watched has ${entries} records, more than the ${MAX_KNOWN_ENTRIES} the trigger keeps track of`,
		);
	}
}

export function emptyChangeState(configKey: string): ChangeState {
	return {
		version: CHANGE_STATE_VERSION,
		configKey,
		known: {},
		stampCursorMs: null,
		pollsSinceFullRead: 0,
	};
}

/** The stored state when well-formed and for this configuration; otherwise null (start over). */
export function readChangeState(raw: unknown, configKey: string): ChangeState | null {
	if (raw === null || typeof raw !== 'object') return null;
	const state = raw as Record<string, unknown>;
	if (state.version !== CHANGE_STATE_VERSION || state.configKey !== configKey) return null;
	const cursor = state.stampCursorMs;
	if (cursor !== null && !(typeof cursor === 'number' && Number.isFinite(cursor))) return null;
	const polls = state.pollsSinceFullRead;
	if (!(typeof polls === 'number' && Number.isInteger(polls) && polls >= 0)) return null;
	const known = state.known;
	if (known === null || typeof known !== 'object' || Array.isArray(known)) return null;
	for (const value of Object.values(known)) {
		if (typeof value !== 'string' || !/^[0-9a-f]{8}[01]$/.test(value)) return null;
	}
	return {
		version: CHANGE_STATE_VERSION,
		configKey,
		known: { ...(known as Record<string, string>) },
		stampCursorMs: cursor as number | null,
		pollsSinceFullRead: polls,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Keys, fingerprints, stamps

const KIND_PREFIX: Record<MasterDataKind, string> = { account: 'a', dimension: 'd', supplier: 's' };

/** Where a record belongs: what one full read lists as a whole (deletions are only judged inside it). */
export function recordScope(
	kind: MasterDataKind,
	qualifier: { chart?: string; dimensionType?: string } = {},
): string {
	if (kind === 'account') return `a|${qualifier.chart ?? ''}|`;
	if (kind === 'dimension') return `d|${qualifier.dimensionType ?? ''}|`;
	return 's|';
}

export function recordKey(record: MasterDataRecord): string {
	return `${recordScope(record.kind, record)}${record.code}`;
}

/** The record a key stood for, for a record that disappeared (its label is no longer known). */
function recordFromKey(key: string): MasterDataRecord | null {
	const [prefix, ...rest] = key.split('|');
	const kind = (Object.keys(KIND_PREFIX) as MasterDataKind[]).find(
		(candidate) => KIND_PREFIX[candidate] === prefix,
	);
	if (!kind) return null;
	if (kind === 'supplier') {
		return { kind, code: rest.join('|'), label: null, active: false, updatedAt: null };
	}
	const [qualifier, ...code] = rest;
	const record: MasterDataRecord = {
		kind,
		code: code.join('|'),
		label: null,
		active: false,
		updatedAt: null,
	};
	if (kind === 'account') record.chart = qualifier;
	else record.dimensionType = qualifier;
	return record;
}

/** 8 hex characters of the content hash, then the active flag. The stamp is not content: a save without change is not a change. */
export function fingerprint(record: MasterDataRecord): string {
	const hash = createHash('sha256')
		.update(JSON.stringify([record.label ?? null]))
		.digest('hex')
		.slice(0, 8);
	return `${hash}${record.active ? '1' : '0'}`;
}

/**
 * An X3 update stamp as epoch ms: ISO 8601 (GraphQL `_updateStamp`, REST), X3's compact YYYYMMDDHHMMSS (the
 * WW_MODSTAMP form) or YYYY-MM-DD HH:MM:SS; null when empty or unreadable. A stamp without a zone is UTC [I].
 */
export function parseStamp(value: unknown): number | null {
	if (typeof value !== 'string') return null;
	const raw = value.trim();
	if (raw === '') return null;
	const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw);
	if (compact) {
		if (compact[1] === '0000') return null;
		const [, y, mo, d, h, mi, s] = compact.map(Number);
		return Date.UTC(y, mo - 1, d, h, mi, s);
	}
	if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(raw)) return null;
	const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? raw : `${raw}Z`;
	const ms = Date.parse(zoned.replace(' ', 'T'));
	return Number.isNaN(ms) ? null : ms;
}

// ---------------------------------------------------------------------------------------------------------------
// Planning and comparing

export type ReadPlan = { mode: 'full' } | { mode: 'delta'; sinceMs: number };

export interface PlanOptions {
	/** Whether the read API can select records by update stamp (GraphQL); false: every poll is a full read. */
	stampsSelectable: boolean;
	/** Re-read margin behind the stamp cursor, ms. */
	overlapMs: number;
	/** A full read every this many polls (deletions are only seen then); 1 = always. */
	fullReadEvery: number;
}

export function planRead(state: ChangeState, options: PlanOptions): ReadPlan {
	if (
		!options.stampsSelectable ||
		state.stampCursorMs === null ||
		Object.keys(state.known).length === 0 ||
		state.pollsSinceFullRead + 1 >= Math.max(1, options.fullReadEvery)
	) {
		return { mode: 'full' };
	}
	return { mode: 'delta', sinceMs: state.stampCursorMs - options.overlapMs };
}

export interface ReadResult {
	plan: ReadPlan;
	records: MasterDataRecord[];
	/** Full reads: the scopes (recordScope) that were listed completely; known keys inside them that were not listed are deletions. */
	listedScopes: string[];
}

export interface ComparisonOutcome {
	changes: MasterDataChange[];
	state: ChangeState;
}

const KIND_ORDER: Record<MasterDataKind, number> = { account: 0, dimension: 1, supplier: 2 };

function byKindThenKey(a: MasterDataChange, b: MasterDataChange): number {
	const kinds = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
	if (kinds !== 0) return kinds;
	const [keyA, keyB] = [recordKey(a), recordKey(b)];
	return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

/**
 * Compares what a poll read with the state: the changes to emit (new, changed, closed, deleted) and the state to
 * store once they are delivered. The first poll (empty state) reports every record as new.
 */
export function compareRead(state: ChangeState, read: ReadResult): ComparisonOutcome {
	const known = { ...state.known };
	const changes: MasterDataChange[] = [];
	const listed = new Set<string>();
	let newestStamp = state.stampCursorMs;
	for (const record of read.records) {
		const key = recordKey(record);
		// A record listed twice (a page boundary moved under the read) is reported once.
		if (listed.has(key)) continue;
		listed.add(key);
		const stamp = parseStamp(record.updatedAt);
		if (stamp !== null && (newestStamp === null || stamp > newestStamp)) newestStamp = stamp;
		const current = fingerprint(record);
		const previous = known[key];
		if (previous === current) continue;
		known[key] = current;
		let change: MasterDataChangeKind = 'changed';
		if (previous === undefined) change = 'new';
		else if (!record.active && previous.endsWith('1')) change = 'closed';
		changes.push({ ...record, change });
	}
	if (read.plan.mode === 'full') {
		for (const key of Object.keys(known)) {
			if (listed.has(key) || !read.listedScopes.some((scope) => key.startsWith(scope))) continue;
			const wasActive = known[key].endsWith('1');
			delete known[key];
			const gone = recordFromKey(key);
			// A record already closed before it was deleted was reported then; its removal changes nothing downstream.
			if (gone && wasActive) changes.push({ ...gone, change: 'closed', deleted: true });
		}
	}
	const entries = Object.keys(known).length;
	if (entries > MAX_KNOWN_ENTRIES) throw new ChangeStateTooLargeError(entries);
	return {
		changes: changes.sort(byKindThenKey),
		state: {
			version: CHANGE_STATE_VERSION,
			configKey: state.configKey,
			known,
			stampCursorMs: newestStamp,
			pollsSinceFullRead: read.plan.mode === 'full' ? 0 : state.pollsSinceFullRead + 1,
		},
	};
}

/**
 * What a manual test run shows: the changes the next poll would emit, or, when there are none, the first records
 * read as a first poll would show them, so the output's shape can be seen. Either way at most `size` items.
 */
export function manualSample(
	outcome: ComparisonOutcome,
	records: MasterDataRecord[],
	size: number,
): MasterDataChange[] {
	if (outcome.changes.length > 0) return outcome.changes.slice(0, size);
	return records.slice(0, size).map((record) => ({ ...record, change: 'new' }));
}
