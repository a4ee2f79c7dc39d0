/**
 * An expense coded in Brex (issue 15 point 4), through a real n8n execution of Post Spend against both emulators:
 * its OPTION_STRING custom fields named in Brex Coding give the X3 account and dimensions (option id = X3 code),
 * over the mapping rules; an uncoded expense is mapped by the rules; a coded value without an X3 code fails
 * naming the field and posts nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { EXPENSE_EXPAND, normaliseExpense } from '../../nodes/brexApi/spendItem';
import type { SpendItem } from '../../nodes/common/spendItemTypes';
import type { BrexEmulator } from '../emulators/brex/server';
import { BrexOpenApi } from '../emulators/brex/openapiValidator';
import { startBrexEmulator } from '../emulators/brex/server';
import type { CustomField } from '../emulators/brex/types';
import { CHART } from '../emulators/seed';
import {
	emulator,
	expectBalanced,
	ledgerEntry,
	postSpendOutcome,
	postSpendParameters,
	useX3Emulator,
} from '../support/sageX3NodeOperations';
import { BREX_CODING } from '../support/codedPosting';

jest.setTimeout(30_000);

useX3Emulator();

let brex: BrexEmulator;
beforeAll(async () => {
	brex = await startBrexEmulator({ seed: 11, expenseCount: 50 });
});
afterAll(async () => {
	await brex.close();
});

function option(key: string, id: string | null, label: string): CustomField {
	return {
		key,
		value: id
			? {
					value_type: 'SINGLE_VALUE',
					data_type: 'OPTION_STRING',
					data: { option_id: id, option_label: label },
				}
			: { value_type: 'SINGLE_VALUE', data_type: 'STRING', data: label },
	} as CustomField;
}

/** X3 codes the emulators share: an account and dimension values of a coded accounting line. */
function x3Codes(): { account: string; dep: string; cct: string } {
	const record = [...brex.state.accountingRecords.values()].find(
		(candidate) => candidate.review_status === 'READY_FOR_EXPORT',
	)!;
	const raw = brex.renderAccountingRecord(record.id) as IDataObject;
	const line = (raw.line_items as IDataObject[]).find((item) => item.type === 'DEBIT')!;
	const code = (field: string) =>
		String(
			(line.accounting_field_values as IDataObject[]).find((v) => v.remote_field_id === field)!
				.remote_field_value_id,
		);
	return { account: code('GL_ACCOUNT'), dep: code('DEPARTMENT'), cct: code('COST_CENTER') };
}

function codedExpense(customFields: CustomField[]): SpendItem {
	const added = brex.addExpense({
		category: 'RESTAURANTS',
		custom_fields: customFields,
	} as Parameters<BrexEmulator['addExpense']>[0]);
	return normaliseExpense(brex.renderExpense(added.id, EXPENSE_EXPAND, true) as IDataObject);
}

const PARAMETERS: INodeParameters = {
	...postSpendParameters('perItem'),
	brexCoding: BREX_CODING,
};

function post(items: SpendItem[]) {
	return postSpendOutcome(items, PARAMETERS);
}

describe('Post Spend books an expense as Brex coded it in its custom fields', () => {
	it('posts the coded account and dimensions, and maps an uncoded expense by the rules', async () => {
		const codes = x3Codes();
		const coded = codedExpense([
			option('GL_ACCOUNT', codes.account, 'Coded account'),
			option('DEPARTMENT', codes.dep, 'Coded department'),
			option('COST_CENTER', codes.cct, 'Coded cost centre'),
		]);
		const uncoded = codedExpense([option('project', 'PRJ-UNUSED', 'Some project')]);
		const outcome = await post([coded, uncoded]);
		expect(outcome.errors).toEqual([]);
		expect(outcome.results.map((result) => result.status)).toEqual(['posted', 'posted']);

		const entry = ledgerEntry(outcome.results[0].documentNumber);
		expectBalanced(entry);
		const expenseLine = entry.lines.find((line) => line.account !== CHART.cardLiabilityAccount)!;
		expect(expenseLine.account).toBe(codes.account);
		expect(expenseLine.dimensions).toMatchObject({ DEP: codes.dep, CCT: codes.cct });
		expect(expenseLine.debit).toBe(coded.amount);

		// Not coded: no rule matches RESTAURANTS here, so the defaults give account and DEP.
		expect(codes.account).not.toBe(CHART.defaultExpenseAccount);
		const ruled = ledgerEntry(outcome.results[1].documentNumber);
		const ruledLine = ruled.lines.find((line) => line.account !== CHART.cardLiabilityAccount)!;
		expect(ruledLine.account).toBe(CHART.defaultExpenseAccount);
		expect(ruledLine.dimensions).toMatchObject({ DEP: 'OPS' });
	});

	it('sends an expense whose coded value has no X3 code to the error output, naming the field', async () => {
		const codes = x3Codes();
		const before = emulator.ledger().count;
		const item = codedExpense([
			option('GL_ACCOUNT', codes.account, 'Coded account'),
			option('DEPARTMENT', null, 'Sales (typed, not picked)'),
		]);
		const outcome = await post([item]);
		expect(outcome.results).toEqual([]);
		expect((outcome.errors[0].details as IDataObject).postResult).toMatchObject({
			status: 'failed',
			reason: expect.stringMatching(
				/expense custom field DEPARTMENT holds "Sales \(typed, not picked\)", which is no option synced from X3/,
			),
		});
		expect(emulator.ledger().count).toBe(before);
	});

	it('the emulator answers a coded expense and a record given line codings as the specs allow', () => {
		const openapi = new BrexOpenApi();
		const codes = x3Codes();
		const item = codedExpense([option('GL_ACCOUNT', codes.account, 'Coded account')]);
		const expense = brex.renderExpense(item.id, EXPENSE_EXPAND, true);
		expect(
			openapi.validateResponse('expenses.json', 'GET', `/v1/expenses/${item.id}`, 200, expense)
				.errors,
		).toEqual([]);
		const record = [...brex.state.accountingRecords.values()][0];
		const coding = {
			brex_field_id: 'extended_field_gl',
			remote_field_id: 'GL_ACCOUNT',
			brex_field_value_id: 'efo_625700',
			remote_field_value_id: '625700',
		};
		brex.updateAccountingRecord(record.id, { lineCodings: [coding] });
		const rendered = brex.renderAccountingRecord(record.id) as IDataObject;
		const lines = rendered.line_items as IDataObject[];
		const expenseSide = lines.slice(0, -1);
		expect(expenseSide.map((line) => line.accounting_field_values)).toEqual(
			expenseSide.map(() => [coding]),
		);
		expect(lines[lines.length - 1].accounting_field_values).not.toEqual([coding]);
		expect(
			openapi.validateResponse(
				'accounting.json',
				'GET',
				`/v3/accounting/records/${record.id}`,
				200,
				rendered,
			).errors,
		).toEqual([]);
	});
});
