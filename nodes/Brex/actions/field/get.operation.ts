import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { brexRequest } from '../../../brexApi/client';
import { fieldPath } from '../../../brexApi/fields';
import { clientOptions, requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { fieldIdProperty } from './shared';

const properties: INodeProperties[] = [fieldIdProperty('Brex ID of the field')];

export const description = operationDescription('field', 'get', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	const field = await brexRequest<IDataObject>(this, clientOptions(this, itemIndex), {
		method: 'GET',
		path: fieldPath(fieldId),
	});
	return [{ json: field }];
};
