import { dateSlices } from '../../nodes/brexApi/dateSlices';

describe('dateSlices', () => {
	it('cuts a range into consecutive slices that cover every millisecond once', () => {
		const slices = dateSlices('2026-01-01T00:00:00.000Z', '2026-12-31T23:59:59.999Z', 4);
		expect(slices).toHaveLength(4);
		expect(slices[0].start).toBe('2026-01-01T00:00:00.000Z');
		expect(slices[3].end).toBe('2026-12-31T23:59:59.999Z');
		for (let index = 1; index < slices.length; index++) {
			expect(Date.parse(slices[index].start) - Date.parse(slices[index - 1].end)).toBe(1);
			expect(Date.parse(slices[index].end)).toBeGreaterThan(Date.parse(slices[index].start));
		}
		const lengths = slices.map((s) => Date.parse(s.end) - Date.parse(s.start) + 1);
		expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
	});

	it('keeps one slice when asked for one, for a bad count, a range too short, or an end before the start', () => {
		const start = '2026-03-01T00:00:00.000Z';
		expect(dateSlices(start, '2026-03-02T00:00:00.000Z', 1)).toEqual([
			{ start, end: '2026-03-02T00:00:00.000Z' },
		]);
		expect(dateSlices(start, '2026-03-02T00:00:00.000Z', Number.NaN)).toHaveLength(1);
		expect(dateSlices(start, '2026-03-01T00:00:00.002Z', 4)).toHaveLength(1);
		expect(dateSlices(start, '2026-02-01T00:00:00.000Z', 4)).toEqual([
			{ start, end: '2026-02-01T00:00:00.000Z' },
		]);
	});
});
