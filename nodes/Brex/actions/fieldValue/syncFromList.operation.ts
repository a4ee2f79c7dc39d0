import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { syncFieldValues, type FieldValueSyncResult } from '../../../brexApi/fieldValueSync';
import { toNodeError } from '../../../common/itemErrors';
import {
	MasterDataPlanError,
	type SourceScope,
	type SourceValue,
} from '../../../masterData/fieldValuePlan';
import { clientOptions, getOptions, requiredId } from '../../helpers/utils';
import { fieldIdProperty } from '../field/shared';
import type { BatchOperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field to fill (read from the first input item)'),
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '={{ $json.code }}',
		description:
			'ERP code of the input item’s value (e.g. the X3 account number); Brex keeps it as the value’s remote ID',
	},
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '={{ $json.label }}',
		description: 'Name Brex shows for the value; empty uses the code',
	},
	{
		displayName: 'Active',
		name: 'active',
		type: 'boolean',
		default: true,
		description:
			'Whether the value is in use in the ERP (map it from the input item); inactive values are disabled in Brex',
	},
	{
		displayName: 'Input Holds',
		name: 'sourceScope',
		type: 'options',
		options: [
			{
				name: 'The Whole List',
				value: 'all',
				description: 'Brex values the input does not name are disabled (a full re-sync)',
			},
			{
				name: 'Only Changed Values',
				value: 'changes',
				description:
					'Brex values the input does not name are left as they are (changes from a trigger)',
			},
		],
		default: 'all',
		description: 'Whether the input items are the complete list of values or only changes',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'What the sync outputs, and whether it changes Brex',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Output Changes',
				name: 'outputChanges',
				type: 'boolean',
				default: false,
				description:
					'Whether to output one item per created, renamed, disabled or re-enabled value after the summary',
			},
			{
				displayName: 'Preview Only',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to read Brex and report the plan without changing anything',
			},
		],
	},
];

export const description = operationDescription('fieldValue', 'syncFromList', properties);

function text(value: unknown): string {
	return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
}

function readSource(ctx: IExecuteFunctions, items: INodeExecutionData[]): SourceValue[] {
	return items.map((_item, itemIndex) => {
		const code = ctx.getNodeParameter('code', itemIndex, '') as unknown;
		const label = ctx.getNodeParameter('label', itemIndex, '') as unknown;
		const active = ctx.getNodeParameter('active', itemIndex, true) as unknown;
		return {
			code: text(code),
			label: text(label),
			// Anything but an explicit false (or "false") keeps the value active.
			active: active !== false && active !== 'false',
		};
	});
}

/** One item per change, paired with the input item of its code (the first item for values no input names). */
function changeItems(
	fieldId: string,
	result: FieldValueSyncResult,
	itemOfCode: Map<string, number>,
): INodeExecutionData[] {
	const { plan } = result;
	const changes: IDataObject[] = [
		...plan.create.map((v) => ({ change: 'created', code: v.code, label: v.label, brexId: null })),
		...plan.rename.map((v) => ({
			change: 'renamed',
			code: v.code,
			label: v.to,
			previousLabel: v.from,
			brexId: v.brexId,
		})),
		...plan.reenable.map((v) => ({
			change: 'reenabled',
			code: v.code,
			label: v.label,
			previousLabel: v.renamedFrom,
			brexId: v.brexId,
		})),
		...plan.disable.map((v) => ({
			change: 'disabled',
			code: v.code,
			label: v.name,
			brexId: v.brexId,
		})),
	];
	return changes.map((change) => ({
		json: { fieldId, applied: result.applied, ...change },
		pairedItem: { item: itemOfCode.get(String(change.code)) ?? 0 },
	}));
}

/**
 * All input items are one list of ERP values: the field's values are read, compared by code = remote_id, and the
 * difference applied in batches of ≤ 1,000. The output is one summary item (paired with every input item).
 */
export const executeAll: BatchOperationExecute = async function (items) {
	const allItems = items.map((_item, item) => ({ item }));
	try {
		const fieldId = requiredId(this, 'fieldId', 'Field ID', 0);
		const source = readSource(this, items);
		const scope = this.getNodeParameter('sourceScope', 0, 'all') as SourceScope;
		const options = getOptions(this, 0);
		let result: FieldValueSyncResult;
		try {
			result = await syncFieldValues(this, clientOptions(this, 0), {
				fieldId,
				source,
				scope,
				dryRun: options.dryRun === true,
			});
		} catch (error) {
			throw error instanceof MasterDataPlanError
				? new NodeOperationError(this.getNode(), error.message, {
						description:
							'Nothing was changed in Brex. Give every input item a non-blank code, once per list, then run again.',
					})
				: toNodeError(this.getNode(), error);
		}
		const summary: INodeExecutionData = {
			json: {
				fieldId,
				...result.counts,
				unmanaged: result.plan.unmanaged.length,
				brexCalls: result.brexCalls,
				applied: result.applied,
			},
			pairedItem: allItems,
		};
		if (options.outputChanges !== true) return [summary];
		const itemOfCode = new Map(source.map((value, index) => [value.code.trim(), index]));
		return [summary, ...changeItems(fieldId, result, itemOfCode)];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error);
		if (!this.continueOnFail()) throw nodeError;
		return [
			{
				json: { error: nodeError.message, description: nodeError.description ?? null },
				error: nodeError,
				pairedItem: allItems,
			},
		];
	}
};
