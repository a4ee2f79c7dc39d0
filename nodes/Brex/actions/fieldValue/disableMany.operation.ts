import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { fieldValueUpdateBody } from '../../../brexApi/fields';
import { fieldIdProperty } from '../field/shared';
import type { BatchOperationExecute } from '../node.type';
import { runValueBatches, updateBatch } from './batch';
import { remoteIdProperty } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field the values belong to'),
	remoteIdProperty('Remote ID (ERP code) of the value to disable'),
];

export const description = operationDescription('fieldValue', 'disableMany', properties);

/**
 * Update Field Values with is_disabled: true, in batches of ≤ 1,000 per field. Not the DELETE of field values: a
 * disabled value stays on past codings and can be enabled again.
 */
export const executeAll: BatchOperationExecute = async function (items) {
	return await runValueBatches(
		this,
		items,
		(_itemIndex, remoteId) => fieldValueUpdateBody({ remoteId, disabled: true }),
		updateBatch(this),
	);
};
