import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { getLayout, getReadApi } from '../../helpers/context';
import type { FieldFinding, GuaranteeVerdict } from '../../helpers/setupCheck';
import { setupReportFor } from '../../helpers/setupVerdict';
import { errorReason, failureItem, pairedResults } from '../../helpers/utils';

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the publications of X3 Setup (getDescription) and looks entries up by their trace values (query, read). Nothing is written to X3.',
		name: 'checkNotice',
		type: 'notice',
		default: '',
	},
];

export const description = operationDescription('x3Setup', 'check', properties);

const FINDING_STATUS: Record<FieldFinding['status'], string> = {
	found: 'found',
	missing: 'missing',
	otherBlock: 'in another block',
	mandatoryUnfilled: 'mandatory, not filled',
	unreadable: 'publication unreadable',
};

/** One row per guarantee: what a finance user reads first in the table view. */
function verdictRow(verdict: GuaranteeVerdict): IDataObject {
	return {
		check: verdict.title,
		status: verdict.status,
		reason: verdict.reason,
		whatToDo: verdict.todo,
		guarantee: verdict.guarantee,
	};
}

function findingRow(finding: FieldFinding): IDataObject {
	const where = finding.field
		? `${finding.publication} ${finding.block}.${finding.field}`
		: finding.publication;
	return {
		check: `Field ${where}`,
		status: FINDING_STATUS[finding.status],
		reason:
			finding.status === 'otherBlock'
				? `${finding.field} is in block ${finding.foundBlock}, not ${finding.block}`
				: finding.status === 'found'
					? `${finding.field} is in ${finding.block}${finding.length ? ` (${finding.length} characters)` : ''}`
					: finding.status === 'missing'
						? `${finding.publication} has no field ${finding.field}`
						: finding.status === 'mandatoryUnfilled'
							? `X3 requires ${finding.field} and the node does not fill it`
							: `The description of ${finding.publication} could not be read`,
		whatToDo: finding.fix ?? '',
		publication: finding.publication,
		block: finding.foundBlock ?? finding.block,
		field: finding.field,
		setting: finding.setting,
		length: finding.length ?? null,
	};
}

/**
 * Check X3 Setup: one run for the whole input (the answer does not depend on items), paired to the first item.
 * It needs no gateway: the probes build their own read-only clients (helpers/setupVerdict.ts).
 * Verdicts first, then every field finding, problems before fields found.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	try {
		const layout = getLayout(this);
		const report = await setupReportFor(this, layout, getReadApi(this), {
			describe: 'all',
			refresh: true,
		});
		const problems = report.findings.filter((finding) => finding.status !== 'found');
		const found = report.findings.filter((finding) => finding.status === 'found');
		const rows = [
			...report.verdicts.map(verdictRow),
			...problems.map(findingRow),
			...found.map(findingRow),
		];
		return pairedResults(this, rows, 0);
	} catch (error) {
		if (this.continueOnFail()) return [failureItem(this, 0, errorReason(error))];
		throw new NodeOperationError(this.getNode(), error as Error, {
			description: 'Check X3 Setup could not read X3; nothing was written.',
		});
	}
}
