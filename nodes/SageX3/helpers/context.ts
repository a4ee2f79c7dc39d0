import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { X3Layout, X3ReadApi } from '../transport/gateway.types';
import {
	apiNamesFromSetup,
	extraFieldsFromSetup,
	fieldPlacementsFromSetup,
	LayoutError,
	layoutFromSetup,
} from './layout';
import type { ApiNameOverrides, ExtraFields, FieldPlacements, X3SetupParameters } from './layout';

/** Node-level settings read the same way from an execution or from a dropdown (list search, load options). */
export type NodeContext = IExecuteFunctions | ILoadOptionsFunctions;

function isExecuteContext(context: NodeContext): context is IExecuteFunctions {
	return typeof (context as IExecuteFunctions).getInputData === 'function';
}

export function nodeParameter<T>(context: NodeContext, name: string, fallback: T): T {
	if (isExecuteContext(context)) return context.getNodeParameter(name, 0, fallback) as T;
	return context.getNodeParameter(name, fallback) as T;
}

export function getReadApi(context: NodeContext): X3ReadApi {
	const readApi = nodeParameter<string>(context, 'readApi', 'soap');
	// 'graphqlCloud' is GraphQL signed in with the cloud OAuth 2.0 credential (see helpers/gateway.ts).
	if (readApi === 'graphql' || readApi === 'graphqlCloud') return 'graphql';
	return readApi === 'rest' ? 'rest' : 'soap';
}

export function getLayout(context: NodeContext): X3Layout {
	return fromSetup(context, layoutFromSetup);
}

export function getApiNames(context: NodeContext): ApiNameOverrides {
	return fromSetup(context, apiNamesFromSetup);
}

/** Blocks of the fields X3 Setup names as BLOCK.FIELD. */
export function getFieldPlacements(context: NodeContext): FieldPlacements {
	return fromSetup(context, fieldPlacementsFromSetup);
}

export function getExtraFields(context: NodeContext): ExtraFields {
	return fromSetup(context, extraFieldsFromSetup);
}

function fromSetup<T>(context: NodeContext, read: (setup: X3SetupParameters) => T): T {
	const setup = nodeParameter<X3SetupParameters>(context, 'x3Setup', {});
	try {
		return read(setup);
	} catch (error) {
		if (error instanceof LayoutError) {
			throw new NodeOperationError(context.getNode(), `X3 Setup: ${error.message}`, {
				description: 'Fix the value in the "X3 Setup" section of the node.',
			});
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
}
