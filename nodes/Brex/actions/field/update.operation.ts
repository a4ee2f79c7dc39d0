import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { fieldUpdateBody } from '../../../brexApi/fields';
import { requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { fieldIdProperty, requestField, updateFieldsProperty } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field to change'),
	updateFieldsProperty('field'),
];

export const description = operationDescription('field', 'update', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	const updates = (this.getNodeParameter('updateFields', itemIndex, {}) ?? {}) as IDataObject;
	const name = typeof updates.name === 'string' ? updates.name.trim() : undefined;
	const body = fieldUpdateBody({
		name: name === '' ? undefined : name,
		disabled: typeof updates.disabled === 'boolean' ? updates.disabled : undefined,
	});
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add a new name or the disabled flag under Update Fields.',
		});
	}
	return await requestField(this, itemIndex, fieldId, 'PUT', body);
};
