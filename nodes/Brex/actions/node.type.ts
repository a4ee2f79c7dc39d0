import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	expense: 'get' | 'getAll';
	cardTransaction: 'get' | 'getAll';
	accountingRecord: 'get' | 'getAll' | 'reportExportResult';
};

export type BrexType = AllEntities<NodeMap>;
