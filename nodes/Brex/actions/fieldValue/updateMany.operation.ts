import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { fieldValueUpdateBody } from '../../../brexApi/fields';
import { fieldIdProperty, updateFieldsProperty } from '../field/shared';
import type { BatchOperationExecute } from '../node.type';
import { runValueBatches, updateBatch } from './batch';
import { remoteIdProperty } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field the values belong to'),
	remoteIdProperty('Remote ID (ERP code) of the value to change'),
	updateFieldsProperty('value'),
];

export const description = operationDescription('fieldValue', 'updateMany', properties);

/** One change per input item, addressed by remote_id, sent in batches of ≤ 1,000 per field. */
export const executeAll: BatchOperationExecute = async function (items) {
	return await runValueBatches(
		this,
		items,
		(itemIndex, remoteId) => {
			const updates = (this.getNodeParameter('updateFields', itemIndex, {}) ?? {}) as IDataObject;
			const value = typeof updates.value === 'string' ? updates.value.trim() : '';
			const disabled = typeof updates.disabled === 'boolean' ? updates.disabled : undefined;
			if (value === '' && disabled === undefined) {
				throw new NodeOperationError(this.getNode(), `Nothing to update for value ${remoteId}`, {
					itemIndex,
					description: 'Add a new value or the disabled flag under Update Fields.',
				});
			}
			return fieldValueUpdateBody({ remoteId, value: value || undefined, disabled });
		},
		updateBatch(this),
	);
};
