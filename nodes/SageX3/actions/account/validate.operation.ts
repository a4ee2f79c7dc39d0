import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { getLayout } from '../../helpers/context';
import { forEachItem, parseDimensionAssignments, requiredText } from '../../helpers/utils';
import { accountRLC } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	accountRLC('account', 'GL Account', 'The general ledger account to check'),
	{
		displayName: 'Dimensions',
		name: 'dimensions',
		type: 'string',
		default: '',
		placeholder: 'e.g. CCT=CC-SF, DEP=ENG',
		description:
			'Optional dimension values the line would carry (TYPE=VALUE pairs, or values in X3 Setup order), to report which required dimensions are missing',
	},
];

export const description = operationDescription('account', 'validate', properties);

export const execute: OperationExecute = async function (items, gateway) {
	const layout = getLayout(this);
	return await forEachItem(this, items, async (itemIndex) => {
		const code = requiredText(this, 'account', itemIndex, 'No account code given', {
			extractValue: true,
		});
		let dimensions: Record<string, string>;
		try {
			dimensions = parseDimensionAssignments(
				this.getNodeParameter('dimensions', itemIndex, '') as string,
				layout.dimensionTypes,
			);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex });
		}
		const account = await gateway.getAccount(code);
		if (!account) {
			return {
				account: code,
				valid: false,
				exists: false,
				isActive: false,
				requiredDimensionTypes: [],
				missingDimensionTypes: [],
				reason: `GL account "${code}" does not exist in chart ${layout.chartOfAccounts}`,
			};
		}
		const missing = account.requiredDimensionTypes.filter((type) => !dimensions[type]);
		const problems: string[] = [];
		if (!account.isActive) problems.push(`GL account "${code}" is inactive`);
		if (missing.length > 0) problems.push(`missing required dimension(s) ${missing.join(', ')}`);
		const result: IDataObject = {
			account: code,
			valid: problems.length === 0,
			exists: true,
			isActive: account.isActive,
			description: account.description,
			chart: account.chart,
			requiredDimensionTypes: account.requiredDimensionTypes,
			missingDimensionTypes: missing,
		};
		if (problems.length > 0) result.reason = problems.join('; ');
		return result;
	});
};
