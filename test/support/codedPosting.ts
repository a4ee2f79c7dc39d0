/**
 * Post Spend set up to read Brex coding on the shared seed's chart (GL_ACCOUNT, DEPARTMENT=DEP, COST_CENTER=CCT),
 * for tests and scripts that post Brex-coded records.
 */
import type { INodeParameters } from 'n8n-workflow';

import { CHART } from '../emulators/seed';

export const BREX_CODING = {
	glAccountField: 'GL_ACCOUNT',
	dimensionFields: 'DEPARTMENT=DEP, COST_CENTER=CCT',
};

/** Post Spend with no rules: the coding gives accounts and dimensions, the defaults the rest. */
export const CODED_POST_SPEND: INodeParameters = {
	resource: 'journalEntry',
	operation: 'postSpend',
	entryType: 'BRX',
	site: 'FR011',
	cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
	grouping: 'perItem',
	mappingRules: '[]',
	defaultExpenseAccount: CHART.defaultExpenseAccount,
	brexCoding: BREX_CODING,
};
