/**
 * Change detection of the Sage X3 Trigger (nodes/masterData/changeDetection.ts): first poll, content hashes,
 * closing and deletion, stamp cursor with its overlap, de-duplication, state bounds and reading a stored state.
 */
import {
	ChangeStateTooLargeError,
	MAX_KNOWN_ENTRIES,
	type ChangeState,
	type MasterDataRecord,
	type ReadResult,
	compareRead,
	emptyChangeState,
	manualSample,
	parseStamp,
	planRead,
	readChangeState,
	recordScope,
} from '../../nodes/masterData/changeDetection';

const CHART = 'CA_FRA';
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const MINUTE = 60_000;
const SCOPES = [
	recordScope('account', { chart: CHART }),
	recordScope('dimension', { dimensionType: 'DEP' }),
];

function account(code: string, label: string, active = true, stampMs = T0): MasterDataRecord {
	return {
		kind: 'account',
		code,
		chart: CHART,
		label,
		active,
		updatedAt: new Date(stampMs).toISOString(),
	};
}

function dimension(code: string, label: string, active = true, stampMs = T0): MasterDataRecord {
	return {
		kind: 'dimension',
		code,
		dimensionType: 'DEP',
		label,
		active,
		updatedAt: new Date(stampMs).toISOString(),
	};
}

function full(records: MasterDataRecord[], listedScopes = SCOPES): ReadResult {
	return { plan: { mode: 'full' }, records, listedScopes };
}

function delta(records: MasterDataRecord[], sinceMs: number): ReadResult {
	return { plan: { mode: 'delta', sinceMs }, records, listedScopes: [] };
}

const folder = (): MasterDataRecord[] => [
	account('401000', 'Suppliers'),
	account('625100', 'Travel'),
	account('626000', 'Telecom'),
	dimension('ENG', 'Engineering'),
	dimension('SALES', 'Sales'),
];

function changesOf(outcome: ReturnType<typeof compareRead>) {
	return outcome.changes.map((change) => [change.kind, change.code, change.change, change.active]);
}

describe('first poll and full comparison', () => {
	it('emits every record as new on the first poll, accounts before dimension values', () => {
		const outcome = compareRead(emptyChangeState('k'), full([...folder()].reverse()));
		expect(changesOf(outcome)).toEqual([
			['account', '401000', 'new', true],
			['account', '625100', 'new', true],
			['account', '626000', 'new', true],
			['dimension', 'ENG', 'new', true],
			['dimension', 'SALES', 'new', true],
		]);
		expect(Object.keys(outcome.state.known)).toHaveLength(5);
		expect(outcome.state.stampCursorMs).toBe(T0);
	});

	it('emits nothing when nothing changed, and exactly the renamed and the closed record otherwise', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		expect(compareRead(first, full(folder())).changes).toEqual([]);

		const edited = folder().map((record) => {
			if (record.code === '625100')
				return account('625100', 'Travel and lodging', true, T0 + MINUTE);
			if (record.code === 'SALES') return dimension('SALES', 'Sales', false, T0 + 2 * MINUTE);
			return record;
		});
		const outcome = compareRead(first, full(edited));
		expect(outcome.changes).toEqual([
			{ ...account('625100', 'Travel and lodging', true, T0 + MINUTE), change: 'changed' },
			{ ...dimension('SALES', 'Sales', false, T0 + 2 * MINUTE), change: 'closed' },
		]);
		expect(outcome.state.stampCursorMs).toBe(T0 + 2 * MINUTE);
		// Re-opening is a change (active again); a second close of a closed record is not "closed" again.
		const reopened = compareRead(outcome.state, full(folder()));
		expect(changesOf(reopened)).toEqual([
			['account', '625100', 'changed', true],
			['dimension', 'SALES', 'changed', true],
		]);
	});

	it('a save that changes nothing but the stamp is not a change', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const resaved = folder().map((record) => ({
			...record,
			updatedAt: new Date(T0 + 5 * MINUTE).toISOString(),
		}));
		const outcome = compareRead(first, full(resaved));
		expect(outcome.changes).toEqual([]);
		expect(outcome.state.stampCursorMs).toBe(T0 + 5 * MINUTE);
	});

	it('reports a record missing from a full listing as closed and deleted, once, and forgets it', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const without = folder().filter((record) => record.code !== '626000');
		const outcome = compareRead(first, full(without));
		expect(outcome.changes).toEqual([
			{
				kind: 'account',
				code: '626000',
				chart: CHART,
				label: null,
				active: false,
				updatedAt: null,
				change: 'closed',
				deleted: true,
			},
		]);
		expect(outcome.state.known).not.toHaveProperty(`a|${CHART}|626000`);
		expect(compareRead(outcome.state, full(without)).changes).toEqual([]);
	});

	it('judges deletions only inside the scopes that were listed completely', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const accountsOnly = folder().filter((record) => record.kind === 'account');
		const outcome = compareRead(first, full(accountsOnly, [SCOPES[0]]));
		expect(outcome.changes).toEqual([]);
		expect(Object.keys(outcome.state.known)).toHaveLength(5);
	});

	it('a delta read never reports deletions', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const outcome = compareRead(first, delta([], T0));
		expect(outcome.changes).toEqual([]);
		expect(outcome.state.known).toEqual(first.known);
	});

	it('a record a read lists twice is reported once', () => {
		const records = [...folder(), account('625100', 'Travel')];
		expect(compareRead(emptyChangeState('k'), full(records)).changes).toHaveLength(5);
	});

	it('a record first seen closed is new with active false; a deleted closed record is not reported again', () => {
		const first = compareRead(emptyChangeState('k'), full([account('471000', 'Suspense', false)]));
		expect(changesOf(first)).toEqual([['account', '471000', 'new', false]]);
		expect(compareRead(first.state, full([])).changes).toEqual([]);
	});
});

describe('stamp cursor, overlap and de-duplication', () => {
	const options = { stampsSelectable: true, overlapMs: 10 * MINUTE, fullReadEvery: 3 };

	it('reads everything first, then only behind the newest stamp minus the overlap', () => {
		const empty = emptyChangeState('k');
		expect(planRead(empty, options)).toEqual({ mode: 'full' });
		const first = compareRead(empty, full(folder())).state;
		expect(planRead(first, options)).toEqual({ mode: 'delta', sinceMs: T0 - 10 * MINUTE });
		expect(planRead(first, { ...options, stampsSelectable: false })).toEqual({ mode: 'full' });
	});

	it('records the overlap reads again are not emitted twice; a new version inside it is', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const renamed = account('625100', 'Travel and lodging', true, T0 + MINUTE);
		const second = compareRead(
			first,
			delta([account('401000', 'Suppliers'), renamed], T0 - 10 * MINUTE),
		);
		expect(changesOf(second)).toEqual([['account', '625100', 'changed', true]]);
		expect(second.state.stampCursorMs).toBe(T0 + MINUTE);
		// The next delta re-reads the same margin: nothing new.
		expect(planRead(second.state, options)).toEqual({ mode: 'delta', sinceMs: T0 - 9 * MINUTE });
		const third = compareRead(second.state, delta([renamed], T0 - 9 * MINUTE));
		expect(third.changes).toEqual([]);
	});

	it('a late-committed record stamped before the cursor but inside the overlap is caught', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const late = dimension('OPS', 'Operations', true, T0 - 5 * MINUTE);
		const outcome = compareRead(first, delta([late], T0 - 10 * MINUTE));
		expect(changesOf(outcome)).toEqual([['dimension', 'OPS', 'new', true]]);
		expect(outcome.state.stampCursorMs).toBe(T0);
	});

	it('the cursor never moves back and stays null when the API gives no stamps', () => {
		const noStamps = folder().map((record) => ({ ...record, updatedAt: null }));
		const outcome = compareRead(emptyChangeState('k'), full(noStamps));
		expect(outcome.state.stampCursorMs).toBeNull();
		expect(planRead(outcome.state, options)).toEqual({ mode: 'full' });
		const stamped = compareRead(emptyChangeState('k'), full(folder())).state;
		const older = compareRead(stamped, delta([account('625100', 'Travel', true, T0 - MINUTE)], 0));
		expect(older.state.stampCursorMs).toBe(T0);
	});

	it('a full comparison every N polls, counted by delta reads', () => {
		let state = compareRead(emptyChangeState('k'), full(folder())).state;
		const modes: string[] = [];
		for (let poll = 0; poll < 6; poll++) {
			const plan = planRead(state, options);
			modes.push(plan.mode);
			state = compareRead(state, plan.mode === 'full' ? full(folder()) : delta([], 0)).state;
		}
		expect(modes).toEqual(['delta', 'delta', 'full', 'delta', 'delta', 'full']);
	});
});

describe('state', () => {
	it('leaves the input state untouched (a failed poll keeps the old one)', () => {
		const first = compareRead(emptyChangeState('k'), full(folder())).state;
		const snapshot = JSON.parse(JSON.stringify(first)) as ChangeState;
		compareRead(first, full([account('625100', 'Renamed', false, T0 + MINUTE)]));
		expect(first).toEqual(snapshot);
	});

	it('about 30 bytes per record: 10,000 values stay under 0.35 MB of JSON', () => {
		const records = Array.from({ length: 10_000 }, (_, index) =>
			dimension(`CC${String(index).padStart(6, '0')}`, `Cost centre ${index}`),
		);
		const { state } = compareRead(emptyChangeState('k'), full(records));
		const bytes = Buffer.byteLength(JSON.stringify(state));
		expect(bytes).toBeLessThan(350_000);
		expect(bytes).toBeGreaterThan(200_000);
	});

	it('refuses to grow past MAX_KNOWN_ENTRIES', () => {
		const records = Array.from({ length: MAX_KNOWN_ENTRIES + 1 }, (_, index) =>
			account(String(index), 'x'),
		);
		expect(() => compareRead(emptyChangeState('k'), full(records))).toThrow(
			ChangeStateTooLargeError,
		);
	});

	it('reads back what it stored, and nothing malformed or of another configuration', () => {
		const { state } = compareRead(emptyChangeState('k'), full(folder()));
		const stored = JSON.parse(JSON.stringify(state));
		expect(readChangeState(stored, 'k')).toEqual(state);
		expect(readChangeState(stored, 'other')).toBeNull();
		expect(readChangeState({ ...stored, known: { x: 'nothex!!!1' } }, 'k')).toBeNull();
		expect(readChangeState({ ...stored, stampCursorMs: 'soon' }, 'k')).toBeNull();
		expect(readChangeState({ ...stored, pollsSinceFullRead: -1 }, 'k')).toBeNull();
		expect(readChangeState(undefined, 'k')).toBeNull();
	});
});

describe('manual sample and stamps', () => {
	it('shows the pending changes, or the first records as on a first poll', () => {
		const first = compareRead(emptyChangeState('k'), full(folder()));
		expect(manualSample(first, folder(), 2).map((change) => change.code)).toEqual([
			'401000',
			'625100',
		]);
		const calm = compareRead(first.state, full(folder()));
		expect(calm.changes).toEqual([]);
		expect(manualSample(calm, folder(), 3).map((change) => [change.code, change.change])).toEqual([
			['401000', 'new'],
			['625100', 'new'],
			['626000', 'new'],
		]);
	});

	it('parses ISO, X3 compact and zone-less stamps; empty and X3 null dates are null', () => {
		expect(parseStamp('2026-12-01T10:00:00.000Z')).toBe(T0);
		expect(parseStamp('20261201100000')).toBe(T0);
		expect(parseStamp('2026-12-01 10:00:00')).toBe(T0);
		expect(parseStamp('2026-12-01T11:00:00+01:00')).toBe(T0);
		expect(parseStamp('00000000000000')).toBeNull();
		expect(parseStamp('')).toBeNull();
		expect(parseStamp('soon')).toBeNull();
		expect(parseStamp(42)).toBeNull();
	});
});
