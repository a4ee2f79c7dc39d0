import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { brexRequest } from '../../../brexApi/client';
import {
	FIELDS_PATH,
	derivedIdempotencyKey,
	fieldCreateBody,
	type FieldGroup,
} from '../../../brexApi/fields';
import { clientOptions, getOptions } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';
import { createDisabledOption, fieldGroupOptions } from './shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. GL Account',
		description: 'Name of the field as Brex users see it when they code spend',
	},
	{
		displayName: 'Group',
		name: 'group',
		type: 'options',
		options: fieldGroupOptions,
		default: 'ACCOUNTING',
		description: 'What the field is for',
	},
	{
		displayName: 'Remote ID',
		name: 'remoteId',
		type: 'string',
		default: '',
		placeholder: 'e.g. X3_GL_ACCOUNT',
		description:
			'ID of the field in your ERP; Brex returns it as remote_field_id on coded accounting records',
	},
	{
		displayName: 'Integration ID',
		name: 'integrationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'int_123',
		description: 'The Brex accounting integration the ERP field belongs to',
		displayOptions: { show: { group: ['ERP'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'How the field is created',
		placeholder: 'Add Option',
		default: {},
		options: [
			createDisabledOption('field'),
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Leave empty to derive the key from the request, so running the same create again returns the field created before instead of a second one. Set your own to create a field again on purpose.',
			},
		],
	},
];

export const description = operationDescription('field', 'create', properties);

export const execute: OperationExecute = async function (itemIndex) {
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	if (name === '') {
		throw new NodeOperationError(this.getNode(), 'Name is empty', {
			itemIndex,
			description: 'Brex needs a name for the field.',
		});
	}
	const group = this.getNodeParameter('group', itemIndex, 'ACCOUNTING') as FieldGroup;
	const integrationId =
		group === 'ERP' ? String(this.getNodeParameter('integrationId', itemIndex, '')).trim() : '';
	if (group === 'ERP' && integrationId === '') {
		throw new NodeOperationError(this.getNode(), 'Integration ID is empty', {
			itemIndex,
			description:
				'Fields of the ERP group belong to a Brex accounting integration: enter its ID, or use the Accounting group.',
		});
	}
	const options = getOptions(this, itemIndex);
	const body = fieldCreateBody({
		name,
		group,
		remoteId: String(this.getNodeParameter('remoteId', itemIndex, '')).trim(),
		integrationId,
		disabled: options.disabled === true ? true : undefined,
	});
	const ownKey = typeof options.idempotencyKey === 'string' ? options.idempotencyKey.trim() : '';
	const field = await brexRequest<IDataObject>(this, clientOptions(this, itemIndex), {
		method: 'POST',
		path: FIELDS_PATH,
		body,
		idempotencyKey: ownKey || derivedIdempotencyKey('POST', FIELDS_PATH, body),
	});
	return [{ json: field }];
};
