/**
 * Small readers of X3 values, shared by the three read paths. X3 sends every value as a string, often padded
 * (" SOWFR0110009 "), dates as YYYYMMDD, and yes/no as local menu 1/2 (2 = yes).
 */

export function text(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'object') {
		// GraphQL references read without a sub-selection path, e.g. { code: 'X' }.
		const record = value as Record<string, unknown>;
		for (const key of ['code', '_id', 'id'])
			if (typeof record[key] === 'string') return text(record[key]);
		return null;
	}
	const trimmed = String(value).trim();
	return trimmed === '' ? null : trimmed;
}

export function textOrEmpty(value: unknown): string {
	return text(value) ?? '';
}

/** X3 yes/no: local menu 2 = yes, 1 = no; also booleans and their usual spellings. Missing means active. */
export function yes(value: unknown, missing = true): boolean {
	if (value === undefined || value === null || value === '') return missing;
	if (typeof value === 'boolean') return value;
	const normalised = String(value).trim().toLowerCase();
	if (['2', 'true', 'yes', 'y', 'oui'].includes(normalised)) return true;
	if (['1', '0', 'false', 'no', 'n', 'non'].includes(normalised)) return false;
	return missing;
}

/** YYYY-MM-DD -> YYYYMMDD, validating the calendar date. */
export function toX3Date(isoDate: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
	if (!match) throw new Error(`"${isoDate}" is not a YYYY-MM-DD date`);
	const [, year, month, day] = match;
	const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (
		date.getUTCFullYear() !== Number(year) ||
		date.getUTCMonth() !== Number(month) - 1 ||
		date.getUTCDate() !== Number(day)
	) {
		throw new Error(`"${isoDate}" is not a calendar date`);
	}
	return `${year}${month}${day}`;
}

/** YYYYMMDD or an ISO date/datetime -> YYYY-MM-DD; null when unreadable or empty (X3's null date is 0). */
export function fromX3Date(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	let match = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
	if (match) return match[1] === '0000' ? null : `${match[1]}-${match[2]}-${match[3]}`;
	match = /^(\d{4})-(\d{2})-(\d{2})/.exec(raw);
	if (match) return `${match[1]}-${match[2]}-${match[3]}`;
	return null;
}

/** A positive decimal string with '.' as separator (X3's expected form), or an error. */
export function toX3Decimal(amount: string, what: string): string {
	const trimmed = String(amount).trim();
	if (!/^\d+(\.\d+)?$/.test(trimmed)) {
		throw new Error(`${what} must be a positive decimal with "." as separator, got "${amount}"`);
	}
	return trimmed;
}

/*
 * decimalUnits/decimalScale stay beside money.ts on purpose: the gateway's balance check sums at the amounts' own
 * scale with no currency, while money.ts (and ledger/balance.ts) work in the currency's decimals and refuse extra
 * ones; switching would change which drafts the gateway refuses and with what message.
 */
/** Decimal string -> scaled bigint, for exact comparison of sums. */
export function decimalUnits(amount: string, scale: number): bigint {
	const [whole, fraction = ''] = amount.split('.');
	return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
}

export function decimalScale(amount: string): number {
	const dot = amount.indexOf('.');
	return dot === -1 ? 0 : amount.length - dot - 1;
}

/** Normalises an amount read from X3 ("120.50", 120.5, "-3") to a plain decimal string, sign dropped. */
// Not money.ts: a line amount read back from X3 is taken at whatever scale X3 returns, with no currency check,
// while decimalToMinor needs the currency and refuses extra decimals; the same goes for isZeroAmount below.
export function absoluteAmount(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	const unsigned = raw.replace(/^[-+]/, '');
	return /^\d+(\.\d+)?$/.test(unsigned) ? unsigned : null;
}

export function isZeroAmount(amount: string | null): boolean {
	return amount === null || /^0+(\.0+)?$/.test(amount);
}

/** Value at a dotted path ('code.code'); undefined when any step is missing. */
export function getPath(value: unknown, path: string): unknown {
	if (path === '') return undefined;
	let current: unknown = value;
	for (const key of path.split('.')) {
		if (current === null || current === undefined || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/**
 * Values of a dimensioned field: a JSON array / LST (`DIE: ['A','B']`), or flattened as DIE1..DIEn or DIE(1)..
 * Empty values are kept positionally as ''.
 */
export function listValue(record: Record<string, unknown>, field: string): string[] {
	const direct = record[field];
	if (Array.isArray(direct)) return direct.map((item) => textOrEmpty(item));
	const values: string[] = [];
	for (let index = 1; index <= 99; index++) {
		const value =
			record[`${field}${index}`] ?? record[`${field}(${index})`] ?? record[`${field}_${index}`];
		if (value === undefined) break;
		values.push(textOrEmpty(value));
	}
	if (values.length === 0 && direct !== undefined && direct !== null) {
		const single = textOrEmpty(direct);
		if (single !== '') return single.split(/[;,]/).map((item) => item.trim());
	}
	return values;
}

/** The trace id at the start of a line field, if it starts with the trace prefix (`BRXT-… rest of text`). */
export function leadingTraceId(value: unknown, tracePrefix: string): string | null {
	const raw = text(value);
	if (raw === null || !raw.startsWith(tracePrefix)) return null;
	const match = /^\S+/.exec(raw);
	return match ? match[0] : null;
}

/** Accent- and case-insensitive comparison form. */
export function foldForSearch(value: string): string {
	return (
		value
			// A lone surrogate cannot cross UTF-8 (an XML answer brings U+FFFD back): compare as what arrives.
			.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.trim()
	);
}

export function containsFolded(haystack: string | null, needle: string): boolean {
	if (needle.trim() === '') return true;
	return haystack !== null && foldForSearch(haystack).includes(foldForSearch(needle));
}

export function startsWithFolded(value: string | null, prefix: string): boolean {
	if (prefix.trim() === '') return true;
	return value !== null && foldForSearch(value).startsWith(foldForSearch(prefix));
}

export function chunk<T>(items: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let index = 0; index < items.length; index += size)
		chunks.push(items.slice(index, index + size));
	return chunks;
}

/**
 * Which of two X3 document numbers was assigned first. Numbers of one entry type and year come from one X3
 * sequence, same length; any other pair still gets one fixed order, which is all the callers need.
 */
export function documentPrecedes(a: string, b: string): boolean {
	return a.length !== b.length ? a.length < b.length : a < b;
}
