import type { SpendItem, SpendReadiness } from './spendItemTypes';

/**
 * Ready for the ledger: which Brex records may be booked. Brex's own export state is the rule (brex-api.md §9
 * "state for export"): an accounting record when its review status is READY_FOR_EXPORT (PREPARE and REVIEW are
 * still being coded or approved, EXPORTED was booked already), an expense when it is approved or settled and its
 * payment cleared. Card transactions come from the settled-transactions list only, so they are always ready.
 * The defaults are the template's former "Ready for the ledger?" lists; Post Spend lets a user change them.
 * A status the item does not have at all (undefined: an item a workflow built, not the Brex nodes) is not judged;
 * the Brex nodes always set both, null when Brex gave none, and null is not ready.
 */
export interface ReadinessPolicy {
	expenseStatuses: string[];
	expensePaymentStatuses: string[];
	accountingRecordStatuses: string[];
}

export const DEFAULT_READINESS: ReadinessPolicy = {
	expenseStatuses: ['APPROVED', 'SETTLED'],
	expensePaymentStatuses: ['CLEARED'],
	accountingRecordStatuses: ['READY_FOR_EXPORT'],
};

function listed(value: string | null | undefined, allowed: string[]): boolean {
	if (value === undefined) return true;
	return value !== null && allowed.includes(value.trim().toUpperCase());
}

function shown(list: string[]): string {
	return list.length === 0 ? '(none)' : list.join(', ');
}

export function spendReadiness(
	item: Pick<SpendItem, 'recordKind' | 'status' | 'paymentStatus'>,
	policy: ReadinessPolicy = DEFAULT_READINESS,
): SpendReadiness {
	const upper = (list: string[]) => list.map((entry) => entry.trim().toUpperCase());
	if (item.recordKind === 'accountingRecord') {
		if (listed(item.status, upper(policy.accountingRecordStatuses))) {
			return { ready: true, reason: null };
		}
		return {
			ready: false,
			reason: `Not ready for the ledger: accounting record review status is ${item.status ?? '(none)'}; posted when ${shown(policy.accountingRecordStatuses)}`,
		};
	}
	if (item.recordKind === 'expense') {
		const problems: string[] = [];
		if (!listed(item.status, upper(policy.expenseStatuses))) {
			problems.push(
				`status is ${item.status ?? '(none)'} (posted when ${shown(policy.expenseStatuses)})`,
			);
		}
		if (!listed(item.paymentStatus, upper(policy.expensePaymentStatuses))) {
			problems.push(
				`payment status is ${item.paymentStatus ?? '(none)'} (posted when ${shown(policy.expensePaymentStatuses)})`,
			);
		}
		if (problems.length === 0) return { ready: true, reason: null };
		return { ready: false, reason: `Not ready for the ledger: expense ${problems.join(' and ')}` };
	}
	return { ready: true, reason: null };
}
