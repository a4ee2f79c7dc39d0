import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import type { X3SupplierDraft } from '../../transport/gateway.types';
import { cutToLength } from '../../../common/fieldText';
import { forEachItem } from '../../helpers/utils';
import { supplierCategoryField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Acme Corp',
		description: 'Supplier name (BPSNAM)',
	},
	supplierCategoryField(
		'X3 supplier category (BSGCOD); it fills the accounting code, tax rule and payment term of the new supplier',
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		description: 'Optional supplier fields; X3 defaults apply to the others',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Address Code',
				name: 'addressCode',
				type: 'string',
				default: '',
				description: 'Code of the default address (BPAADD)',
			},
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				default: '',
				description: 'Supplier code (BPSNUM). Leave empty when X3 numbers suppliers itself.',
			},
			{
				displayName: 'Country',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'e.g. FR',
				description: 'X3 country code (CRY); the category default applies when empty',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description: 'ISO currency code (CUR); the category default applies when empty',
			},
			{
				displayName: 'Short Name',
				name: 'shortName',
				type: 'string',
				default: '',
				description: 'Short name (BPSSHO); the first 10 characters of the name when empty',
			},
		],
	},
];

export const description = operationDescription('supplier', 'create', properties);

export function supplierDraft(
	name: string,
	category: string,
	fields: {
		code?: string;
		shortName?: string;
		country?: string;
		currency?: string;
		addressCode?: string;
	},
): X3SupplierDraft {
	const draft: X3SupplierDraft = {
		name,
		category,
		shortName: cutToLength(fields.shortName || name, 10).trim(),
	};
	if (fields.code?.trim()) draft.code = fields.code.trim();
	if (fields.country?.trim()) draft.country = fields.country.trim();
	if (fields.currency?.trim()) draft.currency = fields.currency.trim().toUpperCase();
	if (fields.addressCode?.trim()) draft.addressCode = fields.addressCode.trim();
	return draft;
}

export const execute: OperationExecute = async function (items, gateway) {
	return await forEachItem(this, items, async (itemIndex) => {
		const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
		const category = String(this.getNodeParameter('category', itemIndex, '')).trim();
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (name === '')
			throw new NodeOperationError(this.getNode(), 'Supplier name is empty', { itemIndex });
		if (category === '') {
			throw new NodeOperationError(
				this.getNode(),
				'Supplier Category is required to create a supplier',
				{
					itemIndex,
					description:
						'Set the X3 supplier category (BSGCOD) whose defaults the new supplier takes.',
				},
			);
		}
		const supplier = await gateway.createSupplier(
			supplierDraft(name, category, fields as Record<string, string>),
		);
		return { ...supplier } as IDataObject;
	});
};
