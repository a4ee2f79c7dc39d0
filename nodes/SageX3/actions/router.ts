import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getGateway } from '../helpers/gateway';
import * as account from './account/Account.resource';
import * as dimension from './dimension/Dimension.resource';
import * as journalEntry from './journalEntry/JournalEntry.resource';
import type { OperationExecute, SageX3Type } from './node.type';
import * as x3Setup from './setup/Setup.resource';
import * as supplier from './supplier/Supplier.resource';

/** The resources whose operations take the items and the execution's gateway (OperationExecute). */
type GatewayResource = Exclude<SageX3Type['resource'], 'x3Setup'>;
const GATEWAY_RESOURCES: {
	[R in GatewayResource]: Record<
		Extract<SageX3Type, { resource: R }>['operation'],
		{ execute: OperationExecute }
	>;
} = { supplier, account, dimension, journalEntry };

/** Reads resource and operation once and hands the items to the operation with one gateway per execution. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const node = { resource, operation } as SageX3Type;
	const gateway = await getGateway(this);

	if (node.resource === 'x3Setup') return [await x3Setup[node.operation].execute.call(this)];
	const operations = (
		GATEWAY_RESOURCES as Partial<Record<string, Record<string, { execute: OperationExecute }>>>
	)[node.resource];
	if (!operations) {
		throw new NodeOperationError(this.getNode(), `The resource "${resource}" is not supported`);
	}
	return [await operations[node.operation].execute.call(this, items, gateway)];
}
