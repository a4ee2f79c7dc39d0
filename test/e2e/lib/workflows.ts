/**
 * Builders for the workflows and credentials the e2e tests import into n8n: a trigger (or any start node)
 * followed by a No Operation node, so every execution has run data to read back through the public API.
 */
import { createHash } from 'node:crypto';

import type { CredentialFixture, WorkflowFixture, WorkflowNodeFixture } from './n8nInstance';
import { PACKAGE_NAME } from './tools';

/** n8n's type name of one of this package's nodes, as a community install registers it. */
export function packageNodeType(nodeName: string): string {
	return `${PACKAGE_NAME}.${nodeName}`;
}

/** Deterministic UUID-shaped id (n8n node ids and webhook ids are UUIDs). */
export function stableUuid(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const AFTER_TRIGGER_NODE = 'Received';

/** `start` → No Operation node named AFTER_TRIGGER_NODE. */
export function triggerWorkflow(
	id: string,
	name: string,
	start: WorkflowNodeFixture,
): WorkflowFixture {
	const after: WorkflowNodeFixture = {
		id: stableUuid(`${id}/after`),
		name: AFTER_TRIGGER_NODE,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [260, 0],
		parameters: {},
	};
	return {
		id,
		name,
		nodes: [start, after],
		connections: {
			[start.name]: { main: [[{ node: AFTER_TRIGGER_NODE, type: 'main', index: 0 }]] },
		},
		settings: {
			executionOrder: 'v1',
			saveDataSuccessExecution: 'all',
			saveDataErrorExecution: 'all',
		},
	};
}

export interface BrexTriggerNodeOptions {
	workflowId: string;
	credential: Pick<CredentialFixture, 'id' | 'name'>;
	parameters: Record<string, unknown>;
	name?: string;
}

/** A Brex Trigger node with the access-token credential (parameters per the trigger's contract). */
export function brexTriggerNode(options: BrexTriggerNodeOptions): WorkflowNodeFixture {
	return {
		id: stableUuid(`${options.workflowId}/brexTrigger`),
		name: options.name ?? 'Brex Trigger',
		type: packageNodeType('brexTrigger'),
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: 'accessToken', ...options.parameters },
		credentials: { brexApi: { id: options.credential.id, name: options.credential.name } },
		webhookId: stableUuid(`${options.workflowId}/webhook`),
	};
}
