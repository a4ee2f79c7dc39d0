import {
	compareSupplierNames,
	findSupplierAlias,
	foldName,
	pickSupplierByName,
	supplierNameKey,
	supplierSearchTerm,
} from '../../nodes/ledger/supplierMatch';

describe('foldName', () => {
	it.each([
		['Café Crème', 'cafe creme'],
		['  ZOË   Studio ', 'zoe studio'],
		['Müller GmbH', 'muller gmbh'],
		['Łódź Print', 'lodz print'],
		['Nordström', 'nordstrom'],
		['Straße Bau', 'strasse bau'],
		['Smith & Sons', 'smith and sons'],
		["O'Brien Corp", 'obrien corp'],
		['O’Brien Corp', 'obrien corp'],
		['S.A.S. Élan-Vital', 'sas elan vital'],
		['ACME,INC.', 'acme inc'],
		['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
	])('%s -> %s', (input, expected) => {
		expect(foldName(input)).toBe(expected);
	});
});

describe('supplierNameKey', () => {
	it('sets trailing legal forms aside, canonicalised', () => {
		expect(supplierNameKey('Acme, Inc.')).toEqual({
			folded: 'acme inc',
			core: 'acme',
			legalForm: 'inc',
		});
		expect(supplierNameKey('Acme Incorporated').legalForm).toBe('inc');
		expect(supplierNameKey('Müller GmbH & Co. KG')).toEqual({
			folded: 'muller gmbh and co kg',
			core: 'muller',
			legalForm: 'gmbh co kg',
		});
		expect(supplierNameKey('Café Crème S.A.S.').core).toBe('cafe creme');
	});

	it('keeps a name made only of a legal-form word, and drops a leading "the"', () => {
		expect(supplierNameKey('Limited').core).toBe('limited');
		expect(supplierNameKey('The Home Depot').core).toBe('home depot');
	});

	it('does not treat "and" inside a name as a legal joiner', () => {
		expect(supplierNameKey('Smith & Sons').core).toBe('smith and sons');
	});
});

describe('compareSupplierNames', () => {
	it('is case-, accent- and punctuation-insensitive', () => {
		expect(compareSupplierNames('CAFE CREME', 'Café Crème')).toBe('exact');
		expect(compareSupplierNames('smith and sons', 'Smith & Sons')).toBe('exact');
	});

	it('matches the same legal form spelt differently, or a name without legal form', () => {
		expect(compareSupplierNames('Acme Incorporated', 'ACME INC.')).toBe('legalForm');
		expect(compareSupplierNames('Acme', 'Acme LLC')).toBe('core');
		expect(compareSupplierNames('Café Crème SAS', 'Cafe Creme')).toBe('core');
	});

	it('never matches two different legal forms or different names', () => {
		expect(compareSupplierNames('Initech Inc', 'Initech Corp')).toBeNull();
		expect(compareSupplierNames('Acme Travel', 'Acme Supplies')).toBeNull();
		expect(compareSupplierNames('', 'Acme')).toBeNull();
	});
});

describe('pickSupplierByName', () => {
	const acmeCorp = { code: 'S1', name: 'Acme Corp', isActive: true };
	const acmeInc = { code: 'S2', name: 'ACME, Inc.', isActive: true };
	const cafe = { code: 'S3', name: 'Café Crème', isActive: true };

	it('prefers the exact folded match over a core match', () => {
		expect(pickSupplierByName('acme corp', [acmeInc, acmeCorp])).toEqual({
			kind: 'match',
			supplier: acmeCorp,
			quality: 'exact',
		});
	});

	it('reports ambiguity when several suppliers match equally well', () => {
		const pick = pickSupplierByName('Acme', [acmeCorp, acmeInc]);
		expect(pick.kind).toBe('ambiguous');
	});

	it('does not pick a different legal entity', () => {
		expect(pickSupplierByName('Acme GmbH', [acmeCorp, acmeInc])).toEqual({ kind: 'none' });
	});

	it('reports inactive-only matches instead of picking them', () => {
		const inactive = { ...cafe, isActive: false };
		expect(pickSupplierByName('Cafe Creme', [inactive])).toEqual({
			kind: 'inactive',
			candidates: [inactive],
		});
	});

	it('ignores duplicates of the same supplier', () => {
		expect(pickSupplierByName('Cafe Creme', [cafe, { ...cafe }]).kind).toBe('match');
	});
});

describe('supplierSearchTerm', () => {
	it('sends the longest word that is not a legal form, as written', () => {
		expect(supplierSearchTerm('Café Crème SAS')).toBe('Crème');
		expect(supplierSearchTerm("O'Brien Corp")).toBe('Brien');
		expect(supplierSearchTerm('Blue Bottle Inc')).toBe('Bottle');
		expect(supplierSearchTerm('Smith & Sons LLC')).toBe('Smith');
		expect(supplierSearchTerm('Inc')).toBe('Inc');
	});
});

describe('findSupplierAlias', () => {
	const aliases = [
		{ vendorName: 'AMZN Mktp', supplierCode: 'AMAZON' },
		{ vendorName: 'Uber', supplierCode: 'UBER01' },
		{ vendorName: 'Uber Technologies Inc', supplierCode: 'UBER02' },
	];
	it('finds an alias with the same matching rules as suppliers', () => {
		expect(findSupplierAlias('amzn mktp', aliases)?.supplierCode).toBe('AMAZON');
		expect(findSupplierAlias('UBER', aliases)?.supplierCode).toBe('UBER01');
		expect(findSupplierAlias('Uber Technologies, Inc.', aliases)?.supplierCode).toBe('UBER02');
		expect(findSupplierAlias('Lyft', aliases)).toBeUndefined();
	});
});
