import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { brexRequest } from '../../../brexApi/client';
import { fieldPath, fieldUpdateBody } from '../../../brexApi/fields';
import { clientOptions, requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { fieldIdProperty } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field to disable (its values and past codings stay)'),
];

export const description = operationDescription('field', 'disable', properties);

/** Update Field with is_disabled: true. Not DELETE /v1/fields/{id}, which removes the field for good. */
export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	const field = await brexRequest<IDataObject>(this, clientOptions(this, itemIndex), {
		method: 'PUT',
		path: fieldPath(fieldId),
		body: fieldUpdateBody({ disabled: true }),
	});
	return [{ json: field }];
};
