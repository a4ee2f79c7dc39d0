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

describe('Brex node option lists', () => {
	// Lists built by brexEnumOptions are calls n8n's lint cannot read: check here what it checks on literals.
	type Option = { name: string; value: unknown };
	type Property = { displayName?: string; type?: string; options?: Array<Option | Property> };

	function optionLists(properties: Property[]): Array<{ where: string; names: string[] }> {
		return properties.flatMap((property) => {
			const options = property.options ?? [];
			if (property.type === 'options' || property.type === 'multiOptions') {
				return [
					{
						where: String(property.displayName),
						names: options.map((o) => String((o as Option).name)),
					},
				];
			}
			return optionLists(options as Property[]);
		});
	}

	it('sorts every option list of five or more by name, as n8n lint requires of literal lists', () => {
		const { Brex } = jest.requireActual('../../nodes/Brex/Brex.node') as {
			Brex: new () => { description: { properties: Property[] } };
		};
		const lists = optionLists(new Brex().description.properties).filter(
			({ names }) => names.length >= 5,
		);
		expect(lists.map(({ where }) => where)).toEqual(
			expect.arrayContaining(['Statuses', 'Payment Statuses', 'Expense Types']),
		);
		for (const { where, names } of lists) {
			expect({ where, names }).toEqual({
				where,
				names: [...names].sort((a, b) => a.localeCompare(b)),
			});
		}
	});
});
