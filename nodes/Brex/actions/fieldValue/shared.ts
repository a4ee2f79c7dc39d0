import type { INodeProperties } from 'n8n-workflow';

/** Remote ID of a value: how the batch operations address it (the ERP code, e.g. an X3 account number). */
export function remoteIdProperty(description: string): INodeProperties {
	return {
		displayName: 'Remote ID',
		name: 'remoteId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 625100',
		description,
	};
}
