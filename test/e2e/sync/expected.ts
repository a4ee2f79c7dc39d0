/**
 * What the X3 ledger must hold once the sync template has processed every seeded Brex expense, computed
 * from the emulator's raw records and the shared seed (not through the package's normaliser or mapping
 * code), plus a check that the template's mapping rules and sync settings encode that same seed mapping.
 */
import { decimalToMinor, formatMinor, currencyDecimals } from '../../../nodes/common/money';
import { spendTraceId } from '../../../nodes/common/traceId';
import type { BrexEmulator } from '../../emulators/brex/server';
import type { LedgerView } from '../../emulators/x3/ledger';
import {
	CHART,
	DEPARTMENTS,
	EXPENSE_ACCOUNT_BY_BREX_CATEGORY,
	LOCATIONS,
} from '../../emulators/seed';
import { SYNC_NODES, readTemplate, SYNC_TEMPLATE_FILE, templateNode } from './stack';

export interface SyncSettings {
	ledgerSource: string;
	expenseStatuses: string[];
	expensePaymentStatuses: string[];
	accountingRecordStatuses: string[];
	writeBackToBrex: boolean;
}

/** The template's Sync settings node, parsed. */
export function templateSyncSettings(): SyncSettings {
	const node = templateNode(readTemplate(SYNC_TEMPLATE_FILE), SYNC_NODES.settings);
	const assignments = (
		node.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
	).assignments;
	const sync = assignments.find((assignment) => assignment.name === 'sync');
	if (!sync) throw new Error('Sync settings has no "sync" field');
	const settings = JSON.parse(sync.value) as Pick<SyncSettings, 'ledgerSource' | 'writeBackToBrex'>;
	// Readiness is Post spend's (Brex Coding → statuses); the template keeps its defaults, which are Brex's own
	// export rule (test/fixtures/reference/brex-api.md §9), written here rather than read from the package so the check stays independent.
	const postSpend = templateNode(readTemplate(SYNC_TEMPLATE_FILE), SYNC_NODES.postSpend);
	const coding = (postSpend.parameters.brexCoding ?? {}) as Record<string, unknown>;
	const list = (name: string, fallback: string[]): string[] =>
		typeof coding[name] === 'string'
			? String(coding[name])
					.split(',')
					.map((status) => status.trim())
					.filter(Boolean)
			: fallback;
	return {
		...settings,
		expenseStatuses: list('expenseStatuses', ['APPROVED', 'SETTLED']),
		expensePaymentStatuses: list('expensePaymentStatuses', ['CLEARED']),
		accountingRecordStatuses: list('accountingRecordStatuses', ['READY_FOR_EXPORT']),
	};
}

interface RuleShape {
	when?: { category?: string; recordKind?: string };
	account?: string;
	dimensions?: Record<string, { from: string; lookup: Record<string, string> }>;
}

/**
 * Differences between the template's Post spend configuration and the seed's mapping (empty when they
 * agree): category rules → EXPENSE_ACCOUNT_BY_BREX_CATEGORY, default account, DEP/CCT lookups by name.
 */
export function templateMappingDrift(): string[] {
	const node = templateNode(readTemplate(SYNC_TEMPLATE_FILE), SYNC_NODES.postSpend);
	const rules = JSON.parse(String(node.parameters.mappingRules)) as RuleShape[];
	const drift: string[] = [];
	const byCategory = new Map(
		rules.filter((rule) => rule.when?.category).map((rule) => [rule.when!.category!, rule.account]),
	);
	for (const [category, account] of Object.entries(EXPENSE_ACCOUNT_BY_BREX_CATEGORY)) {
		if (byCategory.get(category) !== account) {
			drift.push(`category ${category}: template ${byCategory.get(category)}, seed ${account}`);
		}
	}
	if (node.parameters.defaultExpenseAccount !== CHART.defaultExpenseAccount) {
		drift.push(`default account ${String(node.parameters.defaultExpenseAccount)}`);
	}
	const liability = (node.parameters.cardLiabilityAccount as { value?: string }).value;
	if (liability !== CHART.cardLiabilityAccount) drift.push(`card liability account ${liability}`);
	const wantedDimensions = {
		DEP: { from: 'department.name', names: DEPARTMENTS },
		CCT: { from: 'location.name', names: LOCATIONS },
	};
	rules.forEach((rule, index) => {
		// Accounting records arrive coded by Brex (GL account and dimensions as X3 codes): not the seed lookups.
		if (rule.when?.recordKind === 'accountingRecord') return;
		for (const [type, wanted] of Object.entries(wantedDimensions)) {
			const spec = rule.dimensions?.[type];
			const lookup = Object.fromEntries(wanted.names.map((entry) => [entry.name, entry.x3Code]));
			if (spec?.from !== wanted.from || JSON.stringify(spec.lookup) !== JSON.stringify(lookup)) {
				drift.push(`rule ${index + 1}: ${type} is ${JSON.stringify(spec)}`);
			}
		}
	});
	return drift;
}

export interface ExpectedPosting {
	brexId: string;
	traceId: string;
	currency: string;
	/** Signed minor units (refunds negative). */
	amountMinor: bigint;
	account: string;
	dimensions: { DEP: string; CCT: string };
}

export interface ExpectedLedger {
	postings: Map<string, ExpectedPosting>;
	/** Expenses that must not post, with why (for the audit check). */
	skipped: Map<string, string>;
	/** currency -> account -> net minor units (debit positive), liability account included. */
	netByAccount: Map<string, Map<string, bigint>>;
	/** currency -> "DEP=ENG" -> net minor units of the expense lines. */
	netByDimension: Map<string, Map<string, bigint>>;
}

function add(map: Map<string, Map<string, bigint>>, currency: string, key: string, value: bigint) {
	let inner = map.get(currency);
	if (!inner) map.set(currency, (inner = new Map()));
	inner.set(key, (inner.get(key) ?? 0n) + value);
}

/** Expected postings of every expense the emulator holds, by the template's settings and the seed. */
export function expectedLedger(brex: BrexEmulator, settings: SyncSettings): ExpectedLedger {
	if (settings.ledgerSource !== 'expense') {
		throw new Error(
			`The template posts ${settings.ledgerSource} records; this check covers expenses`,
		);
	}
	const departments = new Map(DEPARTMENTS.map((entry) => [entry.id, entry.x3Code]));
	const locations = new Map(LOCATIONS.map((entry) => [entry.id, entry.x3Code]));
	const expected: ExpectedLedger = {
		postings: new Map(),
		skipped: new Map(),
		netByAccount: new Map(),
		netByDimension: new Map(),
	};
	for (const id of brex.state.expenses.keys()) {
		// The record exactly as the API serves it.
		const raw = brex.renderExpense(id) as {
			status: string;
			payment_status: string;
			category: string | null;
			department_id: string | null;
			location_id: string | null;
			billing_amount: { amount: number; currency: string } | null;
		};
		const ready =
			settings.expenseStatuses.includes(raw.status) &&
			settings.expensePaymentStatuses.includes(raw.payment_status) &&
			raw.billing_amount !== null &&
			raw.billing_amount.amount !== 0;
		if (!ready) {
			expected.skipped.set(id, `status ${raw.status}, payment status ${raw.payment_status}`);
			continue;
		}
		const billing = raw.billing_amount!;
		const posting: ExpectedPosting = {
			brexId: id,
			traceId: spendTraceId('expense', id),
			currency: billing.currency,
			amountMinor: BigInt(billing.amount),
			account:
				(raw.category && EXPENSE_ACCOUNT_BY_BREX_CATEGORY[raw.category]) ||
				CHART.defaultExpenseAccount,
			dimensions: {
				DEP: departments.get(raw.department_id ?? '') ?? '(none)',
				CCT: locations.get(raw.location_id ?? '') ?? '(none)',
			},
		};
		expected.postings.set(id, posting);
		add(expected.netByAccount, posting.currency, posting.account, posting.amountMinor);
		add(expected.netByAccount, posting.currency, CHART.cardLiabilityAccount, -posting.amountMinor);
		for (const [type, value] of Object.entries(posting.dimensions)) {
			add(expected.netByDimension, posting.currency, `${type}=${value}`, posting.amountMinor);
		}
	}
	return expected;
}

/** The same sums read from the X3 ledger (net = debit - credit, exact). */
export function ledgerNets(ledger: LedgerView): {
	netByAccount: Map<string, Map<string, bigint>>;
	netByDimension: Map<string, Map<string, bigint>>;
} {
	const netByAccount = new Map<string, Map<string, bigint>>();
	const netByDimension = new Map<string, Map<string, bigint>>();
	for (const [currency, totals] of Object.entries(ledger.totals.byCurrency)) {
		for (const [account, amounts] of Object.entries(totals.byAccount)) {
			add(netByAccount, currency, account, decimalToMinor(amounts.net, currency));
		}
		for (const [type, values] of Object.entries(totals.byDimension)) {
			for (const [value, amounts] of Object.entries(values)) {
				add(netByDimension, currency, `${type}=${value}`, decimalToMinor(amounts.net, currency));
			}
		}
	}
	return { netByAccount, netByDimension };
}

/** A nested map as a plain object of decimal strings, for readable assertions and logs. */
export function asDecimals(
	map: Map<string, Map<string, bigint>>,
): Record<string, Record<string, string>> {
	const result: Record<string, Record<string, string>> = {};
	for (const [currency, inner] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
		result[currency] = {};
		for (const [key, value] of [...inner].sort(([a], [b]) => a.localeCompare(b))) {
			if (value === 0n) continue;
			result[currency][key] = formatMinor(value, currencyDecimals(currency));
		}
	}
	return result;
}
