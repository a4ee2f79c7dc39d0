import type { AllEntities, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { X3Gateway } from '../transport/gateway.types';

type NodeMap = {
	supplier: 'get' | 'search' | 'create' | 'findOrCreate';
	account: 'get' | 'search' | 'validate';
	dimension: 'listTypes' | 'search' | 'validate';
	journalEntry: 'create' | 'findByTraceId' | 'postSpend' | 'reconcile';
	x3Setup: 'check';
};

export type SageX3Type = AllEntities<NodeMap>;

/** What every operation exports as `execute`: all input items of the execution, one gateway for them. */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	gateway: X3Gateway,
) => Promise<INodeExecutionData[]>;
