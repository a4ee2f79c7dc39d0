import type { AllEntities, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

type NodeMap = {
	expense: 'get' | 'getAll';
	cardTransaction: 'get' | 'getAll';
	accountingRecord: 'get' | 'getAll' | 'reportExportResult';
	field: 'getAll' | 'get' | 'create' | 'update' | 'disable';
	fieldValue: 'getAll' | 'createMany' | 'updateMany' | 'disableMany' | 'syncFromList';
};

export type BrexType = AllEntities<NodeMap>;

/** What every operation exports as `execute`: the output items of one input item. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;

/** What a batch operation exports as `executeAll`: the output items of all input items, each with its pairing. */
export type BatchOperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;
