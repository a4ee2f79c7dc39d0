/**
 * Money as exact decimal strings and bigint minor units: never floats, because a ledger must balance to the cent.
 * Decimals per currency follow ISO 4217 (JPY 0, KWD 3, most 2).
 */

const ZERO_DECIMAL = new Set([
	'BIF',
	'CLP',
	'DJF',
	'GNF',
	'ISK',
	'JPY',
	'KMF',
	'KRW',
	'PYG',
	'RWF',
	'UGX',
	'UYI',
	'VND',
	'VUV',
	'XAF',
	'XOF',
	'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
const FOUR_DECIMAL = new Set(['CLF', 'UYW']);

/** Active ISO 4217 codes with two decimals (the common case); anything not listed anywhere is unknown. */
const TWO_DECIMAL = new Set(
	(
		'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CNY ' +
		'COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS ' +
		'INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR ' +
		'MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD ' +
		'SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UZS VES VED WST XCD YER ZAR ZMW ZWG'
	).split(' '),
);

export class MoneyError extends Error {}

export function isKnownCurrency(code: unknown): code is string {
	return (
		typeof code === 'string' &&
		(TWO_DECIMAL.has(code) ||
			ZERO_DECIMAL.has(code) ||
			THREE_DECIMAL.has(code) ||
			FOUR_DECIMAL.has(code))
	);
}

export function currencyDecimals(code: string): number {
	if (!isKnownCurrency(code)) throw new MoneyError(`Unknown currency code "${String(code)}"`);
	if (ZERO_DECIMAL.has(code)) return 0;
	if (THREE_DECIMAL.has(code)) return 3;
	if (FOUR_DECIMAL.has(code)) return 4;
	return 2;
}

/** Minor units (integer, as Brex's Expenses and Transactions APIs send them) to a decimal string in major units. */
export function minorToDecimal(minor: number | bigint | string, currency: string): string {
	const decimals = currencyDecimals(currency);
	let value: bigint;
	if (typeof minor === 'bigint') value = minor;
	else if (typeof minor === 'number') {
		if (!Number.isSafeInteger(minor))
			throw new MoneyError(`Amount ${minor} is not a whole number of minor units`);
		value = BigInt(minor);
	} else if (/^-?\d+$/.test(minor)) value = BigInt(minor);
	else throw new MoneyError(`Amount "${minor}" is not a whole number of minor units`);
	return formatMinor(value, decimals);
}

export function formatMinor(value: bigint, decimals: number): string {
	const negative = value < 0n;
	const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
	const whole = digits.slice(0, digits.length - decimals);
	const frac = decimals > 0 ? '.' + digits.slice(digits.length - decimals) : '';
	return (negative ? '-' : '') + whole + frac;
}

/**
 * A decimal in major units (string, or a JSON number as the Accounting API sends) to bigint minor units.
 * Refuses more fractional digits than the currency has, rather than silently rounding.
 */
export function decimalToMinor(amount: string | number, currency: string): bigint {
	const decimals = currencyDecimals(currency);
	const text = typeof amount === 'number' ? numberToPlainString(amount) : amount.trim();
	const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
	if (!match) throw new MoneyError(`Amount "${String(amount)}" is not a decimal number`);
	const [, sign, whole, fracRaw = ''] = match;
	const frac = fracRaw.replace(/0+$/, '');
	if (frac.length > decimals) {
		throw new MoneyError(
			`Amount "${text}" has more than ${decimals} decimals allowed for ${currency}`,
		);
	}
	const value = BigInt(whole + frac.padEnd(decimals, '0'));
	return sign === '-' ? -value : value;
}

/** Normalises a major-unit decimal to exactly the currency's decimals ("12.5" USD -> "12.50"). */
export function normaliseDecimal(amount: string | number, currency: string): string {
	return formatMinor(decimalToMinor(amount, currency), currencyDecimals(currency));
}

export function addDecimals(a: string, b: string, currency: string): string {
	return formatMinor(
		decimalToMinor(a, currency) + decimalToMinor(b, currency),
		currencyDecimals(currency),
	);
}

export function sumDecimals(amounts: string[], currency: string): string {
	let total = 0n;
	for (const amount of amounts) total += decimalToMinor(amount, currency);
	return formatMinor(total, currencyDecimals(currency));
}

export function negateDecimal(amount: string, currency: string): string {
	return formatMinor(-decimalToMinor(amount, currency), currencyDecimals(currency));
}

export function absDecimal(amount: string, currency: string): string {
	const v = decimalToMinor(amount, currency);
	return formatMinor(v < 0n ? -v : v, currencyDecimals(currency));
}

export function compareDecimals(a: string, b: string, currency: string): -1 | 0 | 1 {
	const x = decimalToMinor(a, currency);
	const y = decimalToMinor(b, currency);
	return x === y ? 0 : x < y ? -1 : 1;
}

function numberToPlainString(value: number): string {
	if (!Number.isFinite(value)) throw new MoneyError(`Amount ${value} is not finite`);
	// toPrecision(15) strips binary noise (0.1 + 0.2) while keeping every digit a JSON decimal can carry.
	const text = Number(value.toPrecision(15)).toString();
	if (/e/i.test(text)) return value.toFixed(20).replace(/\.?0+$/, '');
	return text;
}
