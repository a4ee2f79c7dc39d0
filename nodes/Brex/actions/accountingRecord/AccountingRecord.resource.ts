import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../common/nodeDescriptions';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as reportExportResult from './reportExportResult.operation';

export { get, getAll, reportExportResult };

export const description: INodeProperties[] = [
	operationProperty(
		'accountingRecord',
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get an accounting record by ID, as a spend item',
				action: 'Get an accounting record',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List accounting records by review status and update date, as spend items',
				action: 'Get many accounting records',
			},
			{
				name: 'Report Export Result',
				value: 'reportExportResult',
				description:
					'Tell Brex a record was posted in Sage X3 (with its reference) or why it failed',
				action: 'Report an export result',
			},
		],
		'getAll',
	),
	...get.description,
	...getAll.description,
	...reportExportResult.description,
];
