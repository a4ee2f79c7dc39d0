import { brexEnumOptions, dateRangeProperties } from '../../nodes/Brex/actions/common.descriptions';

describe('brexEnumOptions', () => {
	it('names each Brex enum value by its words in title case, keeping "for" and "of" lower case', () => {
		expect(brexEnumOptions('READY_FOR_EXPORT OUT_OF_POLICY CARD')).toEqual([
			{ name: 'Ready for Export', value: 'READY_FOR_EXPORT' },
			{ name: 'Out of Policy', value: 'OUT_OF_POLICY' },
			{ name: 'Card', value: 'CARD' },
		]);
	});

	it('takes a given name over the rule, and capitalises a leading small word', () => {
		expect(brexEnumOptions('BILLPAY FOR_NOW', { BILLPAY: 'Bill Pay' })).toEqual([
			{ name: 'Bill Pay', value: 'BILLPAY' },
			{ name: 'For Now', value: 'FOR_NOW' },
		]);
	});
});

describe('dateRangeProperties', () => {
	it('declares startDate and endDate as date-times with the names and hints given', () => {
		const properties = dateRangeProperties({
			start: { displayName: 'From', description: 'Lower bound' },
			end: { displayName: 'To', description: 'Upper bound' },
		});
		expect(properties).toEqual([
			{
				displayName: 'From',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Lower bound',
			},
			{
				displayName: 'To',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Upper bound',
			},
		]);
	});
});
