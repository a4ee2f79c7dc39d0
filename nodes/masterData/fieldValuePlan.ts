/**
 * Master data kept in step: the plan that makes a Brex field hold exactly the active values of an ERP list (X3 GL
 * accounts, dimension values of one type, suppliers), keyed by the ERP code as the value's `remote_id`. Pure: it
 * knows neither Brex's HTTP nor n8n; the caller reads the current values, applies the plan, and diffing again after
 * that gives a plan without changes.
 */

/** One value of the ERP list (an X3 account, dimension value or supplier). */
export interface SourceValue {
	code: string;
	label: string;
	active: boolean;
}

/** One value the Brex field holds now (FieldValue of the Fields API, reduced to what the plan compares). */
export interface CurrentValue {
	id: string;
	remoteId: string | null;
	name: string;
	disabled: boolean;
}

/**
 * What the source list covers: every value of the list (a value Brex holds that the list lacks is disabled), or
 * only changed values (as a trigger emits them: Brex values the list does not name are left alone).
 */
export type SourceScope = 'all' | 'changes';

export interface ValueCreate {
	code: string;
	label: string;
}
export interface ValueRename {
	code: string;
	brexId: string;
	from: string;
	to: string;
}
export interface ValueDisable {
	code: string;
	brexId: string;
	name: string;
}
/** A disabled Brex value the list has active again; `label` is the name it gets (maybe a new one). */
export interface ValueReenable {
	code: string;
	brexId: string;
	label: string;
	renamedFrom: string | null;
}
export interface ValueUnchanged {
	code: string;
	brexId: string | null;
}

export interface FieldValuePlan {
	create: ValueCreate[];
	rename: ValueRename[];
	disable: ValueDisable[];
	reenable: ValueReenable[];
	/** Codes for which Brex already holds the wanted state (including inactive codes Brex does not hold). */
	unchanged: ValueUnchanged[];
	/** Brex values without a remote_id: not put there by a sync, never touched. */
	unmanaged: CurrentValue[];
}

export interface FieldValuePlanCounts {
	created: number;
	renamed: number;
	disabled: number;
	reenabled: number;
	unchanged: number;
}

/** A source list or a Brex value list the plan cannot be made from; `problems` names every offending entry. */
export class MasterDataPlanError extends Error {
	constructor(
		message: string,
		readonly problems: string[],
	) {
		super(message);
		this.name = 'MasterDataPlanError';
	}
}

/** Source values by trimmed code; blank and repeated codes are refused, all of them named at once. */
function indexSource(source: SourceValue[]): Map<string, SourceValue> {
	const byCode = new Map<string, SourceValue>();
	const firstPosition = new Map<string, number>();
	const problems: string[] = [];
	source.forEach((value, position) => {
		const code = typeof value.code === 'string' ? value.code.trim() : '';
		if (code === '') {
			problems.push(`value #${position + 1} has a blank code`);
			return;
		}
		const earlier = firstPosition.get(code);
		if (earlier !== undefined) {
			problems.push(`code "${code}" appears twice (values #${earlier + 1} and #${position + 1})`);
			return;
		}
		firstPosition.set(code, position);
		const label = typeof value.label === 'string' ? value.label.trim() : '';
		// Brex requires a display name; an ERP value without a label is shown by its code.
		byCode.set(code, { code, label: label === '' ? code : label, active: value.active === true });
	});
	if (problems.length > 0) {
		throw new MasterDataPlanError(
			`The source list cannot be synced: ${problems.join('; ')}`,
			problems,
		);
	}
	return byCode;
}

/** Brex values by remote_id; two values with one remote_id make the target ambiguous and are refused. */
function indexCurrent(current: CurrentValue[]): {
	byRemoteId: Map<string, CurrentValue>;
	unmanaged: CurrentValue[];
} {
	const byRemoteId = new Map<string, CurrentValue>();
	const unmanaged: CurrentValue[] = [];
	const problems: string[] = [];
	for (const value of current) {
		if (value.remoteId === null || value.remoteId === '') {
			unmanaged.push(value);
			continue;
		}
		const earlier = byRemoteId.get(value.remoteId);
		if (earlier) {
			problems.push(`remote_id "${value.remoteId}" is held by ${earlier.id} and ${value.id}`);
			continue;
		}
		byRemoteId.set(value.remoteId, value);
	}
	if (problems.length > 0) {
		throw new MasterDataPlanError(
			`The Brex field holds values the sync cannot tell apart: ${problems.join('; ')}. Delete or re-key the extra values in Brex, then sync again.`,
			problems,
		);
	}
	return { byRemoteId, unmanaged };
}

/**
 * The changes that make Brex hold the source's active values, enabled and named by their label, and no other
 * enabled value with a remote_id (with scope "all"). Codes are compared exactly (after trimming the source).
 */
export function planFieldValues(
	source: SourceValue[],
	current: CurrentValue[],
	scope: SourceScope = 'all',
): FieldValuePlan {
	const wanted = indexSource(source);
	const { byRemoteId, unmanaged } = indexCurrent(current);
	const plan: FieldValuePlan = {
		create: [],
		rename: [],
		disable: [],
		reenable: [],
		unchanged: [],
		unmanaged,
	};
	for (const value of wanted.values()) {
		const held = byRemoteId.get(value.code);
		if (!held) {
			if (value.active) plan.create.push({ code: value.code, label: value.label });
			else plan.unchanged.push({ code: value.code, brexId: null });
		} else if (!value.active) {
			if (held.disabled) plan.unchanged.push({ code: value.code, brexId: held.id });
			else plan.disable.push({ code: value.code, brexId: held.id, name: held.name });
		} else if (held.disabled) {
			plan.reenable.push({
				code: value.code,
				brexId: held.id,
				label: value.label,
				renamedFrom: held.name === value.label ? null : held.name,
			});
		} else if (held.name !== value.label) {
			plan.rename.push({ code: value.code, brexId: held.id, from: held.name, to: value.label });
		} else {
			plan.unchanged.push({ code: value.code, brexId: held.id });
		}
	}
	for (const held of byRemoteId.values()) {
		if (wanted.has(held.remoteId as string)) continue;
		if (scope === 'changes') continue;
		if (held.disabled) plan.unchanged.push({ code: held.remoteId as string, brexId: held.id });
		else plan.disable.push({ code: held.remoteId as string, brexId: held.id, name: held.name });
	}
	return plan;
}

export function planCounts(plan: FieldValuePlan): FieldValuePlanCounts {
	return {
		created: plan.create.length,
		renamed: plan.rename.length,
		disabled: plan.disable.length,
		reenabled: plan.reenable.length,
		unchanged: plan.unchanged.length,
	};
}

/** True when applying the plan would change nothing in Brex. */
export function isEmptyPlan(plan: FieldValuePlan): boolean {
	return plan.create.length + plan.rename.length + plan.disable.length + plan.reenable.length === 0;
}

/** Splits a list into consecutive batches of at most `size` (the Fields API takes ≤ 1,000 values per call). */
export function inBatches<T>(items: T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError('batch size must be at least 1');
	const batches: T[][] = [];
	for (let start = 0; start < items.length; start += size)
		batches.push(items.slice(start, start + size));
	return batches;
}
