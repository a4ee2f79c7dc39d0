import type { INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { requiredId } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { fieldIdProperty, requestField } from './shared';

const properties: INodeProperties[] = [fieldIdProperty('Brex ID of the field')];

export const description = operationDescription('field', 'get', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const fieldId = requiredId(this, 'fieldId', 'Field ID', itemIndex);
	return await requestField(this, itemIndex, fieldId, 'GET');
};
