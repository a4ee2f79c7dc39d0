import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import {
	createFieldValues,
	derivedIdempotencyKey,
	fieldValueCreateBody,
	fieldValuesPath,
} from '../../../brexApi/fields';
import { clientOptions, requiredId } from '../../helpers/utils';
import { createDisabledOption, fieldIdProperty } from '../field/shared';
import type { BatchOperationExecute } from '../node.type';
import { runValueBatches } from './batch';
import { remoteIdProperty } from './shared';

const properties: INodeProperties[] = [
	fieldIdProperty('Brex ID of the field the values belong to'),
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Travel and entertainment',
		description: 'Display name of the value (map it per input item)',
	},
	remoteIdProperty(
		'Code of the value in your ERP; Brex returns it as remote_field_value_id on coded records',
	),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'How the values are created',
		placeholder: 'Add Option',
		default: {},
		options: [
			createDisabledOption('value'),
			{
				displayName: 'Value ID',
				name: 'valueId',
				type: 'string',
				default: '',
				description: 'The value’s code as Brex shows it; empty uses the remote ID',
			},
		],
	},
];

export const description = operationDescription('fieldValue', 'createMany', properties);

/**
 * One value per input item, sent in batches of ≤ 1,000 per field. Each batch's Idempotency-Key is derived from the
 * batch, so running the same items again after a lost reply creates nothing new.
 */
export const executeAll: BatchOperationExecute = async function (items) {
	const client = clientOptions(this, 0);
	return await runValueBatches(
		this,
		items,
		(itemIndex, remoteId) => {
			const options = (this.getNodeParameter('options', itemIndex, {}) ?? {}) as IDataObject;
			const valueId = typeof options.valueId === 'string' ? options.valueId.trim() : '';
			return fieldValueCreateBody({
				value: requiredId(this, 'value', 'Value', itemIndex),
				remoteId,
				valueId: valueId || remoteId,
				disabled: options.disabled === true ? true : undefined,
			});
		},
		async (fieldId, bodies) => {
			const key = derivedIdempotencyKey('POST', fieldValuesPath(fieldId), { items: bodies });
			return await createFieldValues(this, client, fieldId, bodies, key);
		},
	);
};
