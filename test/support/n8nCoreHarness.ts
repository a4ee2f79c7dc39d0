/**
 * Runs this package's nodes the way n8n does, without an n8n server: workflows through n8n-core's WorkflowExecute
 * and dropdown methods through n8n-core's LoadOptionsContext, with n8n-core's real HTTP helpers
 * (httpRequestWithAuthentication) and in-memory test credentials. Nodes talk to the emulators over real HTTP.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeData,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';

import { SageX3Api } from '../../credentials/SageX3Api.credentials';
import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import type { X3Emulator } from '../emulators/x3/server';

/** Decrypted test credentials by credential type name. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

export const SAGE_X3_NODE_TYPE = 'n8n-nodes-brex-sage-x3.sageX3';
export const SPEND_SOURCE_NODE_TYPE = 'test.spendSource';

/** Emits the spend items given in its parameters, like the Brex trigger would. */
export class SpendSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Spend Source',
		name: 'spendSource',
		group: ['input'],
		version: 1,
		description: 'Test source of spend items',
		defaults: { name: 'Spend Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const NODE_TYPES: INodeTypeData = {
	[SPEND_SOURCE_NODE_TYPE]: { type: new SpendSource(), sourcePath: '' },
	[SAGE_X3_NODE_TYPE]: { type: new SageX3(), sourcePath: '' },
};

function nodeTypeByName(type: string): INodeType {
	const found = NODE_TYPES[type];
	if (!found) throw new Error(`Unknown node type ${type}: register it with registerNodeType()`);
	return found.type as INodeType;
}

export const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeByName(type),
	getByNameAndVersion: (type) => nodeTypeByName(type),
	getKnownTypes: () => ({}),
};

/** Adds a node type (e.g. the Brex node as 'n8n-nodes-brex-sage-x3.brex') to `nodeTypes`. */
export function registerNodeType(type: string, node: INodeType): void {
	NODE_TYPES[type] = { type: node, sourcePath: '' };
}

const CREDENTIAL_TYPES = new Map<string, ICredentialType>(
	[new SageX3Api(), new SageX3ConnectedAppApi()].map((type) => [type.name, type]),
);

/** Adds a credential type whose `authenticate` the helper applies (e.g. BrexApi). */
export function registerCredentialType(type: ICredentialType): void {
	CREDENTIAL_TYPES.set(type.name, type);
}

/**
 * `={{$credentials.name}}` templates of a generic `authenticate`; anything else is refused, so a credential type
 * this helper cannot apply faithfully fails loudly instead of sending a wrong request.
 */
function resolveCredentialTemplate(value: unknown, credentials: ICredentialDataDecryptedObject) {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const template = value.slice(1);
	const resolved = template.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name: string) =>
		String(credentials[name] ?? ''),
	);
	if (resolved.includes('{{')) throw new Error(`Unsupported credential expression ${value}`);
	return resolved;
}

/** Hands out the test credentials and applies them as n8n's credentials helper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES.get(typeName)?.authenticate;
		if (!authenticate) {
			throw new Error(`No authenticate for credential type ${typeName}: registerCredentialType()`);
		}
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		const options = { ...requestOptions } as IHttpRequestOptions & Record<string, unknown>;
		for (const [target, values] of Object.entries(authenticate.properties)) {
			const resolved = Object.fromEntries(
				Object.entries(values as Record<string, unknown>).map(([key, value]) => [
					key,
					resolveCredentialTemplate(value, credentials),
				]),
			);
			options[target] =
				target === 'auth' ? resolved : { ...(options[target] as object), ...resolved };
		}
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const found = this.credentials[type];
		if (!found) throw new Error(`No test credential ${type} (${nodeCredentials.name})`);
		return { ...found };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return [];
	}
}

export function additionalData(credentials: TestCredentials): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks: new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: 'wf',
			nodes: [],
			connections: {},
		} as never),
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		logAiEvent: async () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Both X3 credentials, pointing at the emulator: sageX3Api (SOAP, REST) and sageX3ConnectedAppApi (GraphQL). */
export function x3Credentials(emulator: X3Emulator): TestCredentials {
	return {
		sageX3ConnectedAppApi: {
			url: emulator.url,
			endpoint: emulator.config.endpoint,
			clientId: emulator.config.clientId,
			clientSecret: emulator.config.clientSecret,
			user: emulator.config.user,
			audience: emulator.config.audience,
			jwtLifetimeSeconds: 120,
			maxConcurrentCalls: 4,
			requestTimeoutSeconds: 30,
		},
		sageX3Api: {
			url: emulator.url,
			endpoint: emulator.config.endpoint,
			poolAlias: emulator.config.poolAlias,
			language: 'ENG',
			user: emulator.config.user,
			password: emulator.config.password,
			maxConcurrentCalls: 4,
			requestTimeoutSeconds: 30,
		},
	};
}

/** A Sage X3 node with both X3 credentials attached (n8n picks the one the read API needs). */
export function sageX3Node(
	name: string,
	parameters: INodeParameters,
	position: [number, number] = [200, 0],
	extra: Partial<INode> = {},
): INode {
	return {
		id: name,
		name,
		type: SAGE_X3_NODE_TYPE,
		typeVersion: 1,
		position,
		parameters,
		credentials: {
			sageX3Api: { id: 'cred-1', name: 'X3 emulator' },
			sageX3ConnectedAppApi: { id: 'cred-2', name: 'X3 emulator connected app' },
		},
		...extra,
	};
}

export function spendSourceNode(items: IDataObject[], name = 'Spend Source'): INode {
	return {
		id: name,
		name,
		type: SPEND_SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(items) },
	};
}

/** Main connections A -> B -> C … (output 0 of each into the next). */
export function chain(...names: string[]): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = {
			main: [[{ node: names[index + 1], type: NodeConnectionTypes.Main, index: 0 }]],
		};
	}
	return connections;
}

export interface NodeOutputs {
	/** Output 0. */
	success: INodeExecutionData[];
	/** Output 1: the error output of a node with onError 'continueErrorOutput'. */
	error: INodeExecutionData[];
	/** Set when the node failed as a whole (no continue on fail). */
	nodeError?: Error;
}

export interface WorkflowResult {
	run: IRun;
	/** Outputs of every node that ran, by node name. */
	outputs: Record<string, NodeOutputs>;
	/** The outputs of a node that ran and did not fail; throws the node's error otherwise. */
	output(name: string): NodeOutputs;
	/** The error of a node that failed; throws when it did not fail. */
	errorOf(name: string): Error;
}

/**
 * Runs the workflow with n8n-core's WorkflowExecute (manual mode, execution order v1) from `startNode` (default:
 * the first node nothing connects into) and collects each node's first run.
 */
export async function runWorkflow(
	nodes: INode[],
	connections: IConnections,
	credentials: TestCredentials,
	startNode?: string,
): Promise<WorkflowResult> {
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'Test workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const targets = new Set(
		Object.values(connections).flatMap((byType) =>
			Object.values(byType).flatMap((outputs) =>
				outputs.flatMap((output) => (output ?? []).map((connection) => connection.node)),
			),
		),
	);
	const start = startNode
		? workflow.getNode(startNode)
		: (nodes.find((node) => !targets.has(node.name)) ?? nodes[0]);
	if (!start) throw new Error(`No start node ${startNode}`);
	const run: IRun = await new WorkflowExecute(additionalData(credentials), 'manual').run({
		workflow,
		startNode: start,
	});
	const outputs: Record<string, NodeOutputs> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		const task = tasks[0];
		const main = task?.data?.main ?? [];
		outputs[name] = {
			success: main[0] ?? [],
			error: main[1] ?? [],
			...(task?.error ? { nodeError: task.error } : {}),
		};
	}
	const ranOrThrow = (name: string) => {
		const found = outputs[name];
		if (!found) {
			throw new Error(
				`${name} did not run: ${JSON.stringify(run.data.resultData.error?.message ?? null)}`,
			);
		}
		return found;
	};
	return {
		run,
		outputs,
		output(name) {
			const found = ranOrThrow(name);
			if (found.nodeError) throw found.nodeError;
			return found;
		},
		errorOf(name) {
			const found = ranOrThrow(name);
			if (!found.nodeError) throw new Error(`${name} did not fail`);
			return found.nodeError;
		},
	};
}

/**
 * n8n-core's LoadOptionsContext for a node as the editor shows it: parameters with their defaults filled in (as
 * n8n's Workflow does), `currentNodeParameters` = those parameters, and `path` the parameter the dropdown
 * belongs to (e.g. 'parameters.dimensions.dimension[0].value', so '&type' reads its sibling).
 */
export function loadOptionsContext(
	node: INode,
	credentials: TestCredentials,
	path = 'parameters',
): ILoadOptionsFunctions {
	const workflow = new Workflow({
		id: 'wf-load-options',
		name: 'Load options',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const resolved = workflow.getNode(node.name) as INode;
	const data = additionalData(credentials);
	data.currentNodeParameters = resolved.parameters;
	return new LoadOptionsContext(workflow, resolved, data, path);
}
