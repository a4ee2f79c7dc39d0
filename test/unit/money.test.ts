import {
	addDecimals,
	compareDecimals,
	currencyDecimals,
	decimalToMinor,
	isKnownCurrency,
	minorToDecimal,
	MoneyError,
	negateDecimal,
	normaliseDecimal,
	sumDecimals,
} from '../../nodes/common/money';

describe('currency decimals (ISO 4217)', () => {
	it.each([
		['USD', 2],
		['EUR', 2],
		['JPY', 0],
		['KRW', 0],
		['KWD', 3],
		['BHD', 3],
		['CLF', 4],
	])('%s has %i decimals', (code, decimals) => {
		expect(currencyDecimals(code)).toBe(decimals);
	});

	it.each(['usd', 'XXX', 'US', '', 'EURO'])('refuses unknown code %p', (code) => {
		expect(isKnownCurrency(code)).toBe(false);
		expect(() => currencyDecimals(code)).toThrow(MoneyError);
	});
});

describe('minor units to decimal strings', () => {
	it.each<[number | string | bigint, string, string]>([
		[12345, 'USD', '123.45'],
		[5, 'USD', '0.05'],
		[-5, 'USD', '-0.05'],
		[0, 'EUR', '0.00'],
		[1000, 'JPY', '1000'],
		[1234, 'KWD', '1.234'],
		['-100000', 'USD', '-1000.00'],
		[9007199254740993n, 'USD', '90071992547409.93'],
	])('%p %s -> %s', (minor, currency, expected) => {
		expect(minorToDecimal(minor, currency)).toBe(expected);
	});

	it('refuses fractional or unsafe minor units', () => {
		expect(() => minorToDecimal(12.5, 'USD')).toThrow(MoneyError);
		expect(() => minorToDecimal('12.5', 'USD')).toThrow(MoneyError);
		expect(() => minorToDecimal(2 ** 60, 'USD')).toThrow(MoneyError);
	});
});

describe('decimal strings to minor units', () => {
	it.each<[string | number, string, bigint]>([
		['123.45', 'USD', 12345n],
		['123.4', 'USD', 12340n],
		['123', 'USD', 12300n],
		['-0.01', 'USD', -1n],
		[100.5, 'USD', 10050n],
		[0.1 + 0.2, 'USD', 30n],
		['1.230', 'USD', 123n],
		['1000', 'JPY', 1000n],
		['1.234', 'KWD', 1234n],
	])('%p %s -> %p', (amount, currency, expected) => {
		expect(decimalToMinor(amount, currency)).toBe(expected);
	});

	it('refuses more decimals than the currency has instead of rounding', () => {
		expect(() => decimalToMinor('1.005', 'USD')).toThrow(/more than 2 decimals/);
		expect(() => decimalToMinor('10.5', 'JPY')).toThrow(/more than 0 decimals/);
	});

	it.each(['', 'abc', '1,50', '1e3', '--1', '.5', 'NaN'])('refuses %p', (text) => {
		expect(() => decimalToMinor(text, 'USD')).toThrow(MoneyError);
	});

	it('refuses non-finite numbers', () => {
		expect(() => decimalToMinor(Number.POSITIVE_INFINITY, 'USD')).toThrow(MoneyError);
	});
});

describe('arithmetic stays exact', () => {
	it('sums many cents without float drift', () => {
		const amounts = Array.from({ length: 1000 }, () => '0.10');
		expect(sumDecimals(amounts, 'USD')).toBe('100.00');
	});

	it('adds, negates, normalises and compares', () => {
		expect(addDecimals('0.10', '0.20', 'USD')).toBe('0.30');
		expect(negateDecimal('12.30', 'EUR')).toBe('-12.30');
		expect(normaliseDecimal('12.5', 'USD')).toBe('12.50');
		expect(normaliseDecimal(7, 'KWD')).toBe('7.000');
		expect(compareDecimals('1.00', '1', 'USD')).toBe(0);
		expect(compareDecimals('0.99', '1', 'USD')).toBe(-1);
		expect(compareDecimals('-0.01', '-0.02', 'USD')).toBe(1);
	});
});
