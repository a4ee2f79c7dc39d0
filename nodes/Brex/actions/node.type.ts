import type { AllEntities, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

type NodeMap = {
	expense: 'get' | 'getAll';
	cardTransaction: 'get' | 'getAll';
	accountingRecord: 'get' | 'getAll' | 'reportExportResult';
};

export type BrexType = AllEntities<NodeMap>;

/** What every operation exports as `execute`: the output items of one input item. */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;
