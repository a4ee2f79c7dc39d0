import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The error to throw to n8n for `error`: the same instance when it already is an n8n node error (the Brex
 * client's errors are NodeApiErrors that carry status and trace id), else wrapped in a NodeOperationError.
 */
export function toNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}
