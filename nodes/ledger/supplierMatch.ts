/**
 * Matching Brex vendor names to X3 supplier names. Card descriptors and ERP master data rarely agree on case,
 * accents, punctuation or the legal form ("Café Crème SAS" vs "CAFE CREME"), so names are compared on a folded
 * form: NFKD, diacritics stripped, lower case, punctuation collapsed, trailing legal-form words set aside.
 * Two different legal forms ("Initech Inc" vs "Initech Corp") are different legal entities and never match.
 */

/** Letters NFKD does not decompose into a base letter plus a mark. */
const SPECIAL_LETTERS: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	ø: 'o',
	ł: 'l',
	đ: 'd',
	ð: 'd',
	þ: 'th',
	ı: 'i',
	ħ: 'h',
};

/** Legal-form words (folded) and the canonical form they stand for. */
const LEGAL_FORMS: Record<string, string> = {
	inc: 'inc',
	incorporated: 'inc',
	corp: 'corp',
	corporation: 'corp',
	co: 'co',
	company: 'co',
	llc: 'llc',
	llp: 'llp',
	lp: 'lp',
	ltd: 'ltd',
	limited: 'ltd',
	plc: 'plc',
	pty: 'pty',
	pte: 'pte',
	gmbh: 'gmbh',
	mbh: 'mbh',
	ag: 'ag',
	kg: 'kg',
	kgaa: 'kgaa',
	ug: 'ug',
	ev: 'ev',
	sa: 'sa',
	sas: 'sas',
	sasu: 'sasu',
	sarl: 'sarl',
	eurl: 'eurl',
	sci: 'sci',
	snc: 'snc',
	sca: 'sca',
	scs: 'scs',
	sl: 'sl',
	slu: 'slu',
	srl: 'srl',
	spa: 'spa',
	bv: 'bv',
	nv: 'nv',
	oy: 'oy',
	oyj: 'oyj',
	ab: 'ab',
	as: 'as',
	asa: 'asa',
	aps: 'aps',
	kk: 'kk',
	lda: 'lda',
	ltda: 'ltda',
	sro: 'sro',
	zoo: 'zoo',
	sp: 'sp',
	pvt: 'pvt',
};

/** Words that only join legal forms ("GmbH & Co. KG") and are dropped with them. */
const LEGAL_JOINERS = new Set(['and']);

/**
 * Case-, accent- and punctuation-insensitive form of a name, legal form kept:
 * "Café Crème S.A.S." -> "cafe creme sas", "Smith & Sons" -> "smith and sons", "O'Brien" -> "obrien".
 */
export function foldName(name: string): string {
	let text = name
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase();
	text = text.replace(/[ßæœøłđðþıħ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
	text = text
		.replace(/&/g, ' and ')
		// Dots and apostrophes join what they separate ("S.A.S." -> "sas", "O'Brien" -> "obrien").
		.replace(/[.'’‘`´]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ');
	return text.trim().replace(/\s+/g, ' ');
}

export interface SupplierNameKey {
	/** The whole folded name. */
	folded: string;
	/** Folded name without a leading "the" and without trailing legal-form words. */
	core: string;
	/** Canonical trailing legal form ("inc", "gmbh co kg"), or null when the name has none. */
	legalForm: string | null;
}

export function supplierNameKey(name: string): SupplierNameKey {
	const folded = foldName(name);
	const tokens = folded === '' ? [] : folded.split(' ');
	if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
	const legal: string[] = [];
	// Strip from the end, but always keep at least one word: "Limited" alone is a name, not a legal form.
	while (tokens.length > 1) {
		const last = tokens[tokens.length - 1];
		if (LEGAL_FORMS[last] !== undefined) legal.unshift(LEGAL_FORMS[last]);
		else if (!(LEGAL_JOINERS.has(last) && legal.length > 0)) break;
		tokens.pop();
	}
	return { folded, core: tokens.join(' '), legalForm: legal.length > 0 ? legal.join(' ') : null };
}

/**
 * How well a vendor name matches a supplier name: 'exact' (same folded text), 'legalForm' (same core and the
 * same legal form spelt differently: "Incorporated" vs "Inc."), 'core' (same core, one side without a legal
 * form), or null (different names, or two different legal forms).
 */
export type NameMatchQuality = 'exact' | 'legalForm' | 'core';

export function compareSupplierNames(
	vendorName: string,
	supplierName: string,
): NameMatchQuality | null {
	const a = supplierNameKey(vendorName);
	const b = supplierNameKey(supplierName);
	if (a.folded === '' || b.folded === '') return null;
	if (a.folded === b.folded) return 'exact';
	if (a.core !== b.core) return null;
	if (a.legalForm === b.legalForm) return 'legalForm';
	if (a.legalForm === null || b.legalForm === null) return 'core';
	return null;
}

const QUALITY_RANK: Record<NameMatchQuality, number> = { exact: 3, legalForm: 2, core: 1 };

export interface NamedCandidate {
	code: string;
	name: string;
	isActive?: boolean;
}

export type SupplierPick<T extends NamedCandidate> =
	| { kind: 'match'; supplier: T; quality: NameMatchQuality }
	/** Several active suppliers match equally well: an alias has to decide. */
	| { kind: 'ambiguous'; candidates: T[] }
	/** Only inactive suppliers match: reactivating one beats creating a duplicate. */
	| { kind: 'inactive'; candidates: T[] }
	| { kind: 'none' };

/** Picks the supplier a vendor name designates among search results; inactive suppliers are never picked. */
export function pickSupplierByName<T extends NamedCandidate>(
	vendorName: string,
	candidates: T[],
): SupplierPick<T> {
	const scored = candidates
		.map((supplier) => ({ supplier, quality: compareSupplierNames(vendorName, supplier.name) }))
		.filter((entry): entry is { supplier: T; quality: NameMatchQuality } => entry.quality !== null);
	if (scored.length === 0) return { kind: 'none' };
	const active = scored.filter((entry) => entry.supplier.isActive !== false);
	if (active.length === 0)
		return { kind: 'inactive', candidates: scored.map((entry) => entry.supplier) };
	const best = Math.max(...active.map((entry) => QUALITY_RANK[entry.quality]));
	const top = active.filter((entry) => QUALITY_RANK[entry.quality] === best);
	// The same supplier can come back twice from paged or merged searches.
	const distinct = [...new Map(top.map((entry) => [entry.supplier.code, entry])).values()];
	if (distinct.length > 1)
		return { kind: 'ambiguous', candidates: distinct.map((entry) => entry.supplier) };
	return { kind: 'match', supplier: distinct[0].supplier, quality: distinct[0].quality };
}

/**
 * The one word sent to X3's name search: the longest word of the name that is not a legal form, as written
 * ("Café Crème SAS" -> "Crème", "O'Brien Corp" -> "Brien"), so a contains search finds the supplier whatever
 * its punctuation or legal form; the exact comparison happens locally on the results.
 */
export function supplierSearchTerm(vendorName: string): string {
	const words = vendorName.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
	const significant = words.filter((word) => {
		const folded = foldName(word);
		return folded !== '' && LEGAL_FORMS[folded] === undefined && folded !== 'the';
	});
	const pool = significant.length > 0 ? significant : words;
	if (pool.length === 0) return vendorName.trim();
	return pool.reduce(
		(longest, word) => (foldName(word).length > foldName(longest).length ? word : longest),
		pool[0],
	);
}

export interface SupplierAlias {
	vendorName: string;
	supplierCode: string;
}

/** Alias lookup: the alias whose vendor name matches best (same rules as supplier names), else undefined. */
export function findSupplierAlias(
	vendorName: string,
	aliases: SupplierAlias[],
): SupplierAlias | undefined {
	let best: { alias: SupplierAlias; rank: number } | undefined;
	for (const alias of aliases) {
		const quality = compareSupplierNames(vendorName, alias.vendorName);
		if (quality === null) continue;
		const rank = QUALITY_RANK[quality];
		if (!best || rank > best.rank) best = { alias, rank };
	}
	return best?.alias;
}

/** What Find or Create writes on an item, and what Post Spend reads back. */
export interface SupplierOnItem {
	/** X3 supplier code, or null when the default policy applies without a default supplier. */
	code: string | null;
	name: string | null;
	matchedBy: 'alias' | 'name' | 'created' | 'default';
	/** Expense account to use when no mapping rule sets one (not-found policy "use default"). */
	defaultExpenseAccount?: string;
	[key: string]: unknown;
}

export interface SupplierDecision {
	action: 'skip';
	reason: string;
	[key: string]: unknown;
}
