import {
	MappingRulesError,
	compareDecimalText,
	mapSpendItem,
	parseMappingRules,
	renderTemplate,
	resolveItemPath,
	ruleMatches,
} from '../../nodes/ledger/mapping';
import type { MappingDefaults } from '../../nodes/ledger/mapping';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';

const DIMENSION_TYPES = ['CCT', 'DEP', 'PRJ'];
const context = { dimensionTypes: DIMENSION_TYPES };

function firstMatch(rulesJson: unknown[], item = makeSpendItem('expense_1')) {
	const rules = parseMappingRules(rulesJson, { dimensionTypes: DIMENSION_TYPES });
	return rules.findIndex((rule) => ruleMatches(item, rule));
}

describe('parseMappingRules', () => {
	it('accepts a JSON string or an array, and empty input as no rules', () => {
		expect(parseMappingRules('[{"account":"628000"}]')).toHaveLength(1);
		expect(parseMappingRules([{ account: '628000' }])).toHaveLength(1);
		expect(parseMappingRules('')).toEqual([]);
		expect(parseMappingRules(undefined)).toEqual([]);
	});

	it('names the rule and the field of each problem', () => {
		let error: MappingRulesError | undefined;
		try {
			parseMappingRules(
				[
					{ name: 'Meals', when: { mcc: '58xx' }, account: '625700' },
					{ when: { category: 'TRAVEL' }, acount: '625100' },
					{ name: 'Bad regex', when: { vendor: { regex: '(' } }, account: '1' },
					{ when: { amount: { min: 50, max: 10 } }, account: '1' },
					{ when: { mcc: '5899-5800' }, account: '1' },
					{ name: 'Unknown dim', dimensions: { XYZ: 'A' } },
					{ when: { category: 'TRAVEL' } },
				],
				{ dimensionTypes: DIMENSION_TYPES },
			);
		} catch (caught) {
			error = caught as MappingRulesError;
		}
		expect(error).toBeInstanceOf(MappingRulesError);
		const issues = error!.issues.join('\n');
		expect(issues).toMatch(/rule 1 \("Meals"\): when\.mcc: an MCC is 4 digits/);
		expect(issues).toMatch(/rule 2: Unrecognized key\(s\) in object: 'acount'/);
		expect(issues).toMatch(/rule 3 \("Bad regex"\): when\.vendor.*not a valid regular expression/);
		expect(issues).toMatch(/rule 4: when\.amount: "min" must not be greater than "max"/);
		expect(issues).toMatch(/rule 5: when\.mcc.*low to high/);
		expect(issues).toMatch(
			/rule 6 \("Unknown dim"\): dimensions\.XYZ: "XYZ" is not a configured dimension type/,
		);
		expect(issues).toMatch(/rule 7: a rule must set something/);
	});

	it('refuses invalid JSON and non-arrays with a clear message', () => {
		expect(() => parseMappingRules('{not json')).toThrow(/not valid JSON/);
		expect(() => parseMappingRules('{"account":"1"}')).toThrow(/JSON array/);
	});
});

describe('ruleMatches', () => {
	it('matches vendor exactly, by contains and by regex, case- and accent-insensitively', () => {
		const item = makeSpendItem('e1', { vendorName: 'Café Crème SAS' });
		expect(firstMatch([{ when: { vendor: 'CAFE CREME SAS' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { vendor: { contains: 'creme' } }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { vendor: { regex: '^caf. cr' } }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { vendor: 'Cafe' }, account: '1' }], item)).toBe(-1);
		expect(
			firstMatch(
				[{ when: { vendor: [{ regex: '^nope' }, { regex: 'sas$' }] }, account: '1' }],
				item,
			),
		).toBe(0);
	});

	it('falls back to the merchant name when there is no vendor name', () => {
		const item = makeSpendItem('e1', { vendorName: null, merchant: { name: 'UBER *TRIP' } });
		expect(firstMatch([{ when: { vendor: { contains: 'uber' } }, account: '1' }], item)).toBe(0);
	});

	it('matches MCC exactly or by range', () => {
		const item = makeSpendItem('e1', { merchant: { mcc: '5812' } });
		expect(firstMatch([{ when: { mcc: '5812' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { mcc: '5800-5899' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { mcc: ['4000-4999', '5813'] }, account: '1' }], item)).toBe(-1);
		expect(
			firstMatch(
				[{ when: { mcc: '5812' }, account: '1' }],
				makeSpendItem('e2', { merchant: { mcc: null } }),
			),
		).toBe(-1);
	});

	it('matches category, department, location, budget and user by name or id', () => {
		const item = makeSpendItem('e1');
		expect(firstMatch([{ when: { category: 'software' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { department: 'engineering' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { department: 'dept_eng' }, account: '1' }], item)).toBe(0);
		expect(
			firstMatch([{ when: { location: ['Paris', 'San Francisco'] }, account: '1' }], item),
		).toBe(0);
		expect(firstMatch([{ when: { budget: 'R&D Tools' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { user: 'ADA@example.com' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { department: 'Sales' }, account: '1' }], item)).toBe(-1);
		expect(
			firstMatch(
				[{ when: { department: 'Sales' }, account: '1' }],
				makeSpendItem('e2', { department: null }),
			),
		).toBe(-1);
	});

	it('matches custom fields, currency, amount range, refunds and record kind; all criteria must hold', () => {
		const item = makeSpendItem('e1', { amount: '-120.00', customFields: { 'Cost Code': 'X-1' } });
		expect(
			firstMatch([{ when: { customFields: { 'cost code': 'x-1' } }, account: '1' }], item),
		).toBe(0);
		expect(firstMatch([{ when: { currency: 'usd' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { amount: { min: '100', max: 120 } }, account: '1' }], item)).toBe(
			0,
		);
		expect(firstMatch([{ when: { amount: { max: '119.99' } }, account: '1' }], item)).toBe(-1);
		expect(firstMatch([{ when: { isRefund: true }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { recordKind: 'expense' }, account: '1' }], item)).toBe(0);
		expect(firstMatch([{ when: { currency: 'USD', isRefund: false }, account: '1' }], item)).toBe(
			-1,
		);
	});

	it('uses the first matching rule in order', () => {
		const item = makeSpendItem('e1');
		expect(
			firstMatch(
				[
					{ when: { category: 'TRAVEL' }, account: '1' },
					{ when: { category: 'SOFTWARE' }, account: '2' },
					{ account: '3' },
				],
				item,
			),
		).toBe(1);
	});
});

describe('templates', () => {
	const item = makeSpendItem('e1', { customFields: { 'Project.Code': 'PRJ-ALPHA' } });

	it('resolves paths, named refs and custom fields with dots in their name', () => {
		expect(resolveItemPath(item, 'department.name')).toBe('Engineering');
		expect(resolveItemPath(item, 'department')).toBe('Engineering');
		expect(resolveItemPath(item, 'merchant.mcc')).toBe('5734');
		expect(resolveItemPath(item, 'customFields.Project.Code')).toBe('PRJ-ALPHA');
		expect(resolveItemPath(item, 'nothing.here')).toBe('');
	});

	it('renders placeholders with fallbacks', () => {
		expect(renderTemplate('{{vendorName}} - {{ memo }}', item)).toBe('Acme Corp - Licences');
		expect(renderTemplate('{{budget.id}}/{{missing|n/a}}', item)).toBe('budget_1/n/a');
	});
});

describe('mapSpendItem', () => {
	const defaults: MappingDefaults = {
		expenseAccount: '628000',
		dimensions: { CCT: 'CC-HQ' },
		lineDescription: '{{vendorName}} {{memo}}',
	};

	it('applies the winning rule, then fills gaps from defaults', () => {
		const rules = parseMappingRules(
			[
				{
					name: 'Software',
					when: { category: 'SOFTWARE' },
					account: '651000',
					dimensions: {
						DEP: { from: '{{department.name}}', lookup: { engineering: 'ENG', Sales: 'SAL' } },
						PRJ: { from: 'customFields.Project', lookup: { Alpha: 'PRJ-ALPHA' } },
					},
					taxCode: 'FRN',
				},
			],
			{ dimensionTypes: DIMENSION_TYPES },
		);
		const outcome = mapSpendItem(makeSpendItem('e1'), rules, defaults, context);
		expect(outcome).toEqual({
			status: 'mapped',
			ruleIndex: 0,
			ruleName: 'Software',
			account: '651000',
			dimensions: { CCT: 'CC-HQ', DEP: 'ENG', PRJ: 'PRJ-ALPHA' },
			taxCode: 'FRN',
			description: 'Acme Corp Licences',
		});
	});

	it('uses defaults when no rule matches', () => {
		const outcome = mapSpendItem(
			makeSpendItem('e1', { category: 'TRAVEL' }),
			[],
			defaults,
			context,
		);
		expect(outcome).toMatchObject({
			status: 'mapped',
			ruleIndex: null,
			account: '628000',
			dimensions: { CCT: 'CC-HQ' },
		});
	});

	it('fails an item with no account, naming the cause', () => {
		const outcome = mapSpendItem(makeSpendItem('e1'), [], {}, context);
		expect(outcome.status).toBe('failed');
		expect(outcome.status === 'failed' && outcome.reason).toMatch(/No GL account.*no rule matched/);
	});

	it('fails an item missing a required dimension, including lookup misses', () => {
		const rules = parseMappingRules([
			{
				account: '625100',
				dimensions: { DEP: { from: 'department.name', lookup: { Sales: 'SAL' } } },
			},
		]);
		const outcome = mapSpendItem(
			makeSpendItem('e1'),
			rules,
			{ requiredDimensionTypes: ['DEP'] },
			context,
		);
		expect(outcome.status).toBe('failed');
		expect(outcome.status === 'failed' && outcome.reason).toMatch(
			/Missing required dimension DEP for account 625100 \(DEP lookup has no entry for "Engineering"\)/,
		);
	});

	it('takes the dimensions an account requires from the context', () => {
		const outcome = mapSpendItem(makeSpendItem('e1'), [], defaults, {
			...context,
			requiredDimensionsFor: (account) => (account === '628000' ? ['CCT', 'PRJ'] : []),
		});
		expect(outcome.status === 'failed' && outcome.reason).toMatch(
			/Missing required dimension PRJ for account 628000/,
		);
	});

	it('uses a lookup default and the supplier found by Find or Create', () => {
		const rules = parseMappingRules([
			{
				account: '606400',
				dimensions: { DEP: { from: 'department.name', lookup: {}, default: 'GEN' } },
			},
		]);
		const item = makeSpendItem('e1', {
			supplier: { code: 'BRX00001', name: 'Acme Corp', matchedBy: 'name' },
		});
		expect(mapSpendItem(item, rules, {}, context)).toMatchObject({
			account: '606400',
			dimensions: { DEP: 'GEN' },
			businessPartner: 'BRX00001',
		});
		expect(
			mapSpendItem(item, rules, { useSupplierAsBusinessPartner: false }, context),
		).not.toHaveProperty('businessPartner');
	});

	it('prefers a rule account, then the supplier default account, then the node default', () => {
		const item = makeSpendItem('e1', {
			supplier: { code: null, name: null, matchedBy: 'default', defaultExpenseAccount: '471000' },
		});
		expect(mapSpendItem(item, [], defaults, context)).toMatchObject({ account: '471000' });
		const rules = parseMappingRules([{ when: { category: 'SOFTWARE' }, account: '651000' }]);
		expect(mapSpendItem(item, rules, defaults, context)).toMatchObject({ account: '651000' });
	});

	it('skips items matched by a skip rule, with the rule reason', () => {
		const rules = parseMappingRules([
			{
				name: 'Personal',
				when: { customFields: { Personal: 'yes' } },
				skip: 'Personal expense, reimbursed',
			},
			{ when: { amount: { max: '1' } }, skip: true },
		]);
		expect(
			mapSpendItem(
				makeSpendItem('e1', { customFields: { Personal: 'YES' } }),
				rules,
				defaults,
				context,
			),
		).toEqual({
			status: 'skipped',
			reason: 'Personal expense, reimbursed',
			ruleIndex: 0,
			ruleName: 'Personal',
		});
		expect(
			mapSpendItem(makeSpendItem('e2', { amount: '0.50' }), rules, defaults, context),
		).toMatchObject({
			status: 'skipped',
			reason: 'Skipped by mapping rule 2',
		});
	});

	it('lets a rule set the business partner, site and description template', () => {
		const rules = parseMappingRules([
			{
				businessPartner: 'BP-{{department.id}}',
				site: 'FR011',
				description: '{{category}}: {{memo}}',
			},
		]);
		expect(mapSpendItem(makeSpendItem('e1'), rules, defaults, context)).toMatchObject({
			businessPartner: 'BP-dept_eng',
			site: 'FR011',
			description: 'SOFTWARE: Licences',
		});
	});
});

describe('compareDecimalText', () => {
	it('compares decimals of any scale exactly', () => {
		expect(compareDecimalText('10.5', '10.50')).toBe(0);
		expect(compareDecimalText('0.1', '0.09')).toBe(1);
		expect(compareDecimalText('99999999999999999.01', '99999999999999999.1')).toBe(-1);
	});
});
