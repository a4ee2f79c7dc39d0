import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import type { X3DimensionType } from '../../transport/gateway.types';
import { getLayout } from '../../helpers/context';
import { forEachItem } from '../../helpers/utils';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [];

export const description = operationDescription('dimension', 'listTypes', properties);

export const execute: OperationExecute = async function (items, gateway) {
	const layout = getLayout(this);
	// The list does not depend on the item: one X3 call for the whole execution.
	let types: Promise<X3DimensionType[]> | undefined;
	return await forEachItem(this, items, async () => {
		types ??= gateway.listDimensionTypes();
		return (await types).map((type) => {
			const position = layout.dimensionTypes.indexOf(type.code);
			return {
				...type,
				configured: position >= 0,
				fieldIndex: position >= 0 ? position + 1 : null,
			} as IDataObject;
		});
	});
};
