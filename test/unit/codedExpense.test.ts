/**
 * An expense coded in Brex (issue 15 point 4), the pure parts: its OPTION_STRING custom fields keep their text for
 * mapping rules and give their option ids (the X3 codes of values synced from X3) to the Brex Coding setting; the
 * coding wins over rules, rules stay the fallback, a coded value without an X3 code fails naming the field.
 */
import type { IDataObject } from 'n8n-workflow';

import { normaliseExpense } from '../../nodes/brexApi/spendItem';
import { mapCodedExpense } from '../../nodes/ledger/codedLines';
import type { BrexCoding } from '../../nodes/ledger/codedLines';
import { parseMappingRules } from '../../nodes/ledger/mapping';

const CODING: BrexCoding = {
	glAccountField: 'GL_ACCOUNT',
	dimensionFields: { DEPARTMENT: 'DEP', COST_CENTER: 'CCT' },
};
const CONTEXT = { dimensionTypes: ['DEP', 'CCT'] };
const RULES = parseMappingRules([
	{
		name: 'Meals',
		when: { category: 'RESTAURANTS' },
		account: '625700',
		dimensions: { DEP: 'OPS', CCT: 'CC10' },
	},
]);
const DEFAULTS = { expenseAccount: '628000' };

function option(key: string, id: string, label: string): IDataObject {
	return {
		key,
		value: {
			value_type: 'SINGLE_VALUE',
			data_type: 'OPTION_STRING',
			data: { option_id: id, option_label: label },
		},
	};
}

function expense(customFields: IDataObject[], extra: IDataObject = {}) {
	return normaliseExpense({
		id: 'expense_coded',
		billing_amount: { amount: 4200, currency: 'EUR' },
		purchased_at: '2026-11-03T10:00:00Z',
		category: 'RESTAURANTS',
		custom_fields: customFields,
		...extra,
	});
}

describe('expense custom fields as Brex coding', () => {
	it('keeps the labels for rules and adds the option ids', () => {
		const item = expense([
			option('GL_ACCOUNT', '618000', 'Documentation and books'),
			option('DEPARTMENT', 'SALES', 'Sales'),
			{ key: 'note', value: { value_type: 'SINGLE_VALUE', data_type: 'STRING', data: 'x' } },
		]);
		expect(item.customFields).toEqual({
			GL_ACCOUNT: 'Documentation and books',
			DEPARTMENT: 'Sales',
			note: 'x',
		});
		expect(item.customFieldOptionIds).toEqual({ GL_ACCOUNT: ['618000'], DEPARTMENT: ['SALES'] });
		expect(expense([]).customFieldOptionIds).toEqual({});
	});

	it('takes account and dimensions from the coded fields over the matching rule', () => {
		const outcome = mapCodedExpense(
			expense([
				option('GL_ACCOUNT', '618000', 'Documentation and books'),
				option('DEPARTMENT', 'SALES', 'Sales'),
			]),
			CODING,
			RULES,
			DEFAULTS,
			CONTEXT,
		);
		expect(outcome).toMatchObject({
			status: 'mapped',
			account: '618000',
			// CCT uncoded: the rule's value stays.
			dimensions: { DEP: 'SALES', CCT: 'CC10' },
			ruleName: 'Meals',
		});
	});

	it('falls back to rules and defaults when the expense is not coded', () => {
		const item = expense([option('project', 'PRJ1', 'Project 1')]);
		expect(mapCodedExpense(item, CODING, RULES, DEFAULTS, CONTEXT)).toMatchObject({
			status: 'mapped',
			account: '625700',
			dimensions: { DEP: 'OPS', CCT: 'CC10' },
		});
		const other = expense([], { category: 'TRAVEL' });
		expect(mapCodedExpense(other, CODING, RULES, DEFAULTS, CONTEXT)).toMatchObject({
			status: 'mapped',
			account: '628000',
			dimensions: {},
		});
	});

	it('does not require of the rules a dimension the coding gives', () => {
		const item = expense([option('COST_CENTER', 'CC20', 'Cost centre 20')], {
			category: 'TRAVEL',
		});
		const outcome = mapCodedExpense(
			item,
			CODING,
			[],
			{ ...DEFAULTS, requiredDimensionTypes: ['CCT'] },
			CONTEXT,
		);
		expect(outcome).toMatchObject({ status: 'mapped', dimensions: { CCT: 'CC20' } });
		const uncoded = mapCodedExpense(
			expense([], { category: 'TRAVEL' }),
			CODING,
			[],
			{ ...DEFAULTS, requiredDimensionTypes: ['CCT'] },
			CONTEXT,
		);
		expect(uncoded.status).toBe('failed');
	});

	it('fails naming the field when a coded value has no X3 code', () => {
		const freeText = expense([
			{
				key: 'DEPARTMENT',
				value: { value_type: 'SINGLE_VALUE', data_type: 'STRING', data: 'Sales' },
			},
		]);
		const outcome = mapCodedExpense(freeText, CODING, RULES, DEFAULTS, CONTEXT);
		expect(outcome.status).toBe('failed');
		expect(outcome.status === 'failed' && outcome.reason).toMatch(
			/expense custom field DEPARTMENT holds "Sales", which is no option synced from X3/,
		);

		const several = expense([
			{
				key: 'GL_ACCOUNT',
				value: {
					value_type: 'LIST',
					data_type: 'OPTION_STRING',
					data: [
						{ option_id: '618000', option_label: 'Books' },
						{ option_id: '606400', option_label: 'Supplies' },
					],
				},
			},
		]);
		const many = mapCodedExpense(several, CODING, RULES, DEFAULTS, CONTEXT);
		expect(many.status === 'failed' && many.reason).toMatch(
			/GL_ACCOUNT holds 2 options \(618000, 606400\)/,
		);
	});

	it('leaves the mapping to rules when the Brex Coding names no fields', () => {
		const item = expense([option('GL_ACCOUNT', '618000', 'Books')]);
		expect(
			mapCodedExpense(
				item,
				{ glAccountField: null, dimensionFields: {} },
				RULES,
				DEFAULTS,
				CONTEXT,
			),
		).toMatchObject({ status: 'mapped', account: '625700' });
	});
});
