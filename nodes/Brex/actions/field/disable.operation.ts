import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { fieldUpdateBody } from '../../../brexApi/fields';
import { requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { fieldIdProperty, requestField } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field to disable (its values and past codings stay)'),
];

export const description = operationDescription('field', 'disable', properties);

/** Update Field with is_disabled: true. Not DELETE /v1/fields/{id}, which removes the field for good. */
export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	return await requestField(this, itemIndex, fieldId, 'PUT', fieldUpdateBody({ disabled: true }));
};
