import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	supplier: 'get' | 'search' | 'create' | 'findOrCreate';
	account: 'get' | 'search' | 'validate';
	dimension: 'listTypes' | 'search' | 'validate';
	journalEntry: 'create' | 'findByTraceId' | 'postSpend' | 'reconcile';
	x3Setup: 'check';
};

export type SageX3Type = AllEntities<NodeMap>;
