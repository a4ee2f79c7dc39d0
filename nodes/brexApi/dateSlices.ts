/**
 * A date range cut into equal parts that Brex can list side by side: a backfill of 100 pages read one cursor
 * after another costs 100 round trips in a row, read as four slices about 25.
 */

/** Slices a Brex list reads side by side unless told otherwise (Brex allows 1,000 requests a minute). */
export const DEFAULT_DATE_SLICES = 4;

export interface DateSlice {
	/** ISO date-time, inclusive (Brex's `*_start`). */
	start: string;
	/** ISO date-time, inclusive (Brex's `*_end`). */
	end: string;
}

/**
 * `count` consecutive slices of [start, end], both bounds inclusive at millisecond precision (Brex's examples
 * end ranges at `.999`): each slice ends 1 ms before the next begins, so no instant is in two slices or in none.
 * A range shorter than `count` milliseconds, or an end before the start, stays one slice.
 */
export function dateSlices(start: string, end: string, count: number): DateSlice[] {
	const from = Date.parse(start);
	const to = Date.parse(end);
	const parts = Number.isFinite(count) ? Math.max(1, Math.floor(count)) : 1;
	if (Number.isNaN(from) || Number.isNaN(to) || to - from + 1 < parts || parts === 1) {
		return [{ start, end }];
	}
	const span = to - from + 1;
	const slices: DateSlice[] = [];
	for (let index = 0; index < parts; index++) {
		const sliceStart = from + Math.floor((span * index) / parts);
		const sliceEnd = from + Math.floor((span * (index + 1)) / parts) - 1;
		slices.push({
			start: new Date(sliceStart).toISOString(),
			end: new Date(sliceEnd).toISOString(),
		});
	}
	return slices;
}
