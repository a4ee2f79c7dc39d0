import {
	MasterDataPlanError,
	inBatches,
	isEmptyPlan,
	planCounts,
	planFieldValues,
	type CurrentValue,
	type FieldValuePlan,
	type SourceValue,
} from '../../nodes/masterData/fieldValuePlan';

/** What Brex holds after the plan is applied (as the Fields API would: by remote_id, new ids for creates). */
function applied(current: CurrentValue[], plan: FieldValuePlan): CurrentValue[] {
	const next = current.map((value) => ({ ...value }));
	const byRemoteId = new Map(next.map((value) => [value.remoteId, value]));
	for (const value of plan.create)
		next.push({
			id: `efo_new_${value.code}`,
			remoteId: value.code,
			name: value.label,
			disabled: false,
		});
	for (const value of plan.rename) byRemoteId.get(value.code)!.name = value.to;
	for (const value of plan.reenable) {
		const held = byRemoteId.get(value.code)!;
		held.name = value.label;
		held.disabled = false;
	}
	for (const value of plan.disable) byRemoteId.get(value.code)!.disabled = true;
	return next;
}

const x3 = (code: string, label: string, active = true): SourceValue => ({ code, label, active });
const brex = (
	id: string,
	remoteId: string | null,
	name: string,
	disabled = false,
): CurrentValue => ({
	id,
	remoteId,
	name,
	disabled,
});

describe('planFieldValues', () => {
	it('creates every active value of an empty field, keyed by code', () => {
		const plan = planFieldValues([x3('601000', 'Purchases'), x3('625100', 'Travel')], []);
		expect(plan.create).toEqual([
			{ code: '601000', label: 'Purchases' },
			{ code: '625100', label: 'Travel' },
		]);
		expect(planCounts(plan)).toEqual({
			created: 2,
			renamed: 0,
			disabled: 0,
			reenabled: 0,
			unchanged: 0,
		});
	});

	it('renames a value whose label changed in X3, and leaves equal ones alone', () => {
		const plan = planFieldValues(
			[x3('601000', 'Purchases of goods'), x3('625100', 'Travel')],
			[brex('efo_1', '601000', 'Purchases'), brex('efo_2', '625100', 'Travel')],
		);
		expect(plan.rename).toEqual([
			{ code: '601000', brexId: 'efo_1', from: 'Purchases', to: 'Purchases of goods' },
		]);
		expect(plan.unchanged).toEqual([{ code: '625100', brexId: 'efo_2' }]);
		expect(plan.create).toEqual([]);
	});

	it('disables a value closed in X3, and one the whole list no longer has', () => {
		const plan = planFieldValues(
			[x3('601000', 'Purchases', false), x3('625100', 'Travel')],
			[
				brex('efo_1', '601000', 'Purchases'),
				brex('efo_2', '625100', 'Travel'),
				brex('efo_3', '627000', 'Bank fees'),
			],
		);
		expect(plan.disable.map((value) => [value.code, value.brexId])).toEqual([
			['601000', 'efo_1'],
			['627000', 'efo_3'],
		]);
	});

	it('leaves values the input does not name when the input holds only changes', () => {
		const plan = planFieldValues(
			[x3('601000', 'Purchases', false)],
			[brex('efo_1', '601000', 'Purchases'), brex('efo_3', '627000', 'Bank fees')],
			'changes',
		);
		expect(plan.disable.map((value) => value.code)).toEqual(['601000']);
		expect(plan.unchanged).toEqual([]);
	});

	it('re-enables a disabled value that is active again, with its current label', () => {
		const plan = planFieldValues(
			[x3('601000', 'Purchases (reopened)'), x3('625100', 'Travel')],
			[brex('efo_1', '601000', 'Purchases', true), brex('efo_2', '625100', 'Travel', true)],
		);
		expect(plan.reenable).toEqual([
			{ code: '601000', brexId: 'efo_1', label: 'Purchases (reopened)', renamedFrom: 'Purchases' },
			{ code: '625100', brexId: 'efo_2', label: 'Travel', renamedFrom: null },
		]);
		expect(plan.rename).toEqual([]);
	});

	it('counts an inactive value that Brex holds disabled, or not at all, as unchanged', () => {
		const plan = planFieldValues(
			[x3('601000', 'Purchases', false), x3('699999', 'Never used', false)],
			[brex('efo_1', '601000', 'Purchases', true)],
		);
		expect(isEmptyPlan(plan)).toBe(true);
		expect(plan.unchanged).toEqual([
			{ code: '601000', brexId: 'efo_1' },
			{ code: '699999', brexId: null },
		]);
	});

	it('never touches Brex values without a remote_id (made by hand in Brex)', () => {
		const plan = planFieldValues([x3('601000', 'Purchases')], [brex('efo_9', null, 'Misc')]);
		expect(plan.unmanaged).toEqual([brex('efo_9', null, 'Misc')]);
		expect(plan.disable).toEqual([]);
		expect(plan.create).toEqual([{ code: '601000', label: 'Purchases' }]);
	});

	it('trims codes and labels, and names a value without label by its code', () => {
		const plan = planFieldValues([x3('  601000 ', '  '), x3('625100', ' Travel ')], []);
		expect(plan.create).toEqual([
			{ code: '601000', label: '601000' },
			{ code: '625100', label: 'Travel' },
		]);
	});

	it('converges: applying the plan and planning again gives a plan without changes', () => {
		const source = [
			x3('601000', 'Purchases of goods'),
			x3('602000', 'Supplies', false),
			x3('625100', 'Travel'),
			x3('626000', 'Postage'),
			x3('627000', 'Bank fees'),
		];
		const current = [
			brex('efo_1', '601000', 'Purchases'),
			brex('efo_2', '602000', 'Supplies'),
			brex('efo_4', '626000', 'Postage', true),
			brex('efo_5', '628000', 'Old account'),
			brex('efo_6', null, 'Hand-made'),
		];
		const first = planFieldValues(source, current);
		expect(planCounts(first)).toEqual({
			created: 2,
			renamed: 1,
			disabled: 2,
			reenabled: 1,
			unchanged: 0,
		});
		const after = applied(current, first);
		const second = planFieldValues(source, after);
		expect(isEmptyPlan(second)).toBe(true);
		expect(planCounts(second)).toEqual({
			created: 0,
			renamed: 0,
			disabled: 0,
			reenabled: 0,
			unchanged: 6,
		});
		expect(applied(after, second)).toEqual(after);
	});

	it('refuses blank and repeated codes, naming every one, before planning anything', () => {
		const attempt = () =>
			planFieldValues(
				[x3('601000', 'A'), x3(' ', 'B'), x3('601000', 'C'), x3('625100', 'D'), x3('625100', 'E')],
				[],
			);
		expect(attempt).toThrow(MasterDataPlanError);
		try {
			attempt();
		} catch (error) {
			expect((error as MasterDataPlanError).problems).toEqual([
				'value #2 has a blank code',
				'code "601000" appears twice (values #1 and #3)',
				'code "625100" appears twice (values #4 and #5)',
			]);
			expect((error as Error).message).toMatch(/^The source list cannot be synced: value #2/);
		}
	});

	it('refuses a Brex field where two values share a remote_id (the target would be a guess)', () => {
		expect(() =>
			planFieldValues(
				[x3('601000', 'A')],
				[brex('efo_1', '601000', 'A'), brex('efo_2', '601000', 'A copy')],
			),
		).toThrow(/remote_id "601000" is held by efo_1 and efo_2/);
	});
});

describe('inBatches', () => {
	it('cuts 2,345 values into batches of 1,000, 1,000 and 345 in order', () => {
		const values = Array.from({ length: 2345 }, (_, i) => i);
		const batches = inBatches(values, 1000);
		expect(batches.map((batch) => batch.length)).toEqual([1000, 1000, 345]);
		expect(batches.flat()).toEqual(values);
		expect(inBatches([], 1000)).toEqual([]);
		expect(() => inBatches(values, 0)).toThrow(RangeError);
	});
});
