import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { SharedPromises } from '../../../common/sharedPromises';
import type { X3Dimension } from '../../transport/gateway.types';
import { getLayout } from '../../helpers/context';
import { forEachItem } from '../../helpers/utils';
import { listedOptionsField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Dimensions',
		name: 'dimensions',
		type: 'fixedCollection',
		placeholder: 'Add Dimension',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'The dimension values to check, one per type',
		options: [
			{
				displayName: 'Dimension',
				name: 'dimension',
				values: [
					listedOptionsField(
						'Type Name or ID',
						'type',
						{ loadOptionsMethod: 'getDimensionTypes' },
						false,
					),
					listedOptionsField(
						'Value Name or ID',
						'value',
						{ loadOptionsMethod: 'getDimensions', loadOptionsDependsOn: ['&type'] },
						false,
					),
				],
			},
		],
	},
];

export const description = operationDescription('dimension', 'validate', properties);

interface Assignment {
	type: string;
	value: string;
}

export const execute: OperationExecute = async function (items, gateway) {
	const layout = getLayout(this);
	// One X3 lookup per distinct type and code in the execution.
	const lookups = new SharedPromises<string, X3Dimension | null>();
	const lookup = async (type: string, code: string) =>
		await lookups.get(`${type}\u0000${code}`, async () => {
			const list = await gateway.searchDimensions(type, { code, limit: 20 });
			return (
				list.find((d) => d.type === type && d.code === code) ??
				list.find((d) => d.type === type && d.code.toUpperCase() === code.toUpperCase()) ??
				null
			);
		});

	return await forEachItem(this, items, async (itemIndex) => {
		const assignments = (
			this.getNodeParameter('dimensions.dimension', itemIndex, []) as Assignment[]
		)
			.map((a) => ({ type: String(a.type ?? '').trim(), value: String(a.value ?? '').trim() }))
			.filter((a) => a.type !== '' || a.value !== '');
		const incomplete = assignments.find((a) => a.type === '' || a.value === '');
		if (incomplete) {
			throw new NodeOperationError(this.getNode(), 'Each dimension needs both a type and a value', {
				itemIndex,
			});
		}
		const unknown: IDataObject[] = [];
		const inactive: IDataObject[] = [];
		const notConfigured = assignments
			.filter((a) => !layout.dimensionTypes.includes(a.type))
			.map((a) => a.type);
		const checked: IDataObject[] = [];
		for (const { type, value } of assignments) {
			const dimension = await lookup(type, value);
			if (!dimension) unknown.push({ type, value });
			else if (!dimension.isActive) inactive.push({ type, value });
			checked.push({
				type,
				value,
				exists: dimension !== null,
				isActive: dimension?.isActive ?? false,
				description: dimension?.description ?? null,
			});
		}
		return {
			valid: unknown.length === 0 && inactive.length === 0 && notConfigured.length === 0,
			unknown,
			inactive,
			notConfigured,
			dimensions: checked,
		};
	});
};
