import { containsFolded, foldForSearch } from '../../nodes/SageX3/transport/records';

describe('name search folding (transport/records)', () => {
	it('a lone surrogate matches the U+FFFD that a UTF-8 answer brings back', () => {
		expect(containsFolded('Lone\ufffdsurrogate Ltd', 'Lone\ud800surrogate')).toBe(true);
		expect(containsFolded('Lone\ufffdsurrogate Ltd', 'Lone\udc00surrogate')).toBe(true);
	});

	it('keeps surrogate pairs (emoji) and still folds case and accents', () => {
		expect(foldForSearch('Café 😀 Bar')).toBe('cafe 😀 bar');
		expect(containsFolded('Café 😀 Bar', 'CAFE 😀')).toBe(true);
		expect(containsFolded('Café Bar', 'Lone\ud800')).toBe(false);
	});
});
