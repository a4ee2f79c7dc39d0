import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getGateway } from '../helpers/gateway';
import * as account from './account/Account.resource';
import * as dimension from './dimension/Dimension.resource';
import * as journalEntry from './journalEntry/JournalEntry.resource';
import type { SageX3Type } from './node.type';
import * as x3Setup from './setup/Setup.resource';
import * as supplier from './supplier/Supplier.resource';

/** Reads resource and operation once and hands the items to the operation with one gateway per execution. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const node = { resource, operation } as SageX3Type;
	const gateway = await getGateway(this);

	let returnData: INodeExecutionData[];
	switch (node.resource) {
		case 'supplier':
			returnData = await supplier[node.operation].execute.call(this, items, gateway);
			break;
		case 'account':
			returnData = await account[node.operation].execute.call(this, items, gateway);
			break;
		case 'dimension':
			returnData = await dimension[node.operation].execute.call(this, items, gateway);
			break;
		case 'journalEntry':
			returnData = await journalEntry[node.operation].execute.call(this, items, gateway);
			break;
		case 'x3Setup':
			returnData = await x3Setup[node.operation].execute.call(this);
			break;
		default:
			throw new NodeOperationError(this.getNode(), `The resource "${resource}" is not supported`);
	}
	return [returnData];
}
