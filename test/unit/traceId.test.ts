import { base32, entrySetTraceId, spendTraceId } from '../../nodes/common/traceId';

describe('spend trace ids', () => {
	it('are deterministic and fit the X3 field', () => {
		const a = spendTraceId('expense', 'expense_abc123');
		expect(a).toBe(spendTraceId('expense', 'expense_abc123'));
		expect(a).toHaveLength(20);
		expect(a).toMatch(/^BRXE-[0-9A-HJKMNP-TV-Z]{15}$/);
		expect(spendTraceId('expense', 'expense_abc123', 25)).toHaveLength(25);
	});

	it('differ by record and by kind', () => {
		const ids = new Set<string>();
		for (let i = 0; i < 20000; i++) ids.add(spendTraceId('expense', `expense_${i}`));
		expect(ids.size).toBe(20000);
		expect(spendTraceId('expense', 'x')).not.toBe(spendTraceId('cardTransaction', 'x'));
		expect(spendTraceId('accountingRecord', 'x').startsWith('BRXA-')).toBe(true);
	});

	it('refuses a field too short to keep ids unique', () => {
		expect(() => spendTraceId('expense', 'x', 11)).toThrow(/at least 12/);
	});
});

describe('entry set trace ids', () => {
	it('do not depend on member order', () => {
		const members = ['BRXE-AAAA', 'BRXE-BBBB', 'BRXE-CCCC'];
		expect(entrySetTraceId(members)).toBe(entrySetTraceId([...members].reverse()));
		expect(entrySetTraceId(members)).toHaveLength(20);
	});

	it('change when membership changes', () => {
		expect(entrySetTraceId(['A', 'B'])).not.toBe(entrySetTraceId(['A', 'B', 'C']));
	});

	it('is the item trace id for a single member', () => {
		expect(entrySetTraceId(['BRXE-ONLY0000000000'])).toBe('BRXE-ONLY0000000000');
	});
});

describe('base32', () => {
	it('encodes known bytes with the Crockford alphabet', () => {
		expect(base32(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]), 8)).toBe('ZZZZZZZZ');
		expect(base32(Uint8Array.from([0, 0, 0, 0, 0]), 8)).toBe('00000000');
		expect(base32(Uint8Array.from([0x08]), 1)).toBe('1');
	});
});
