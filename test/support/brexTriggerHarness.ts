/**
 * Stand-ins for the n8n contexts the Brex Trigger runs in (poll, webhook, hook, execute), small but faithful
 * where it matters: parameters with defaults read by dotted path, node static data kept in a plain object the
 * test can inspect, httpRequestWithAuthentication that adds the bearer token and sends a real HTTP request
 * through n8n's own OutboundHttp (so nock or an emulator sees the wire format), an express-like response
 * object that records what was answered, and a logger that records messages.
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	IPollFunctions,
	IWebhookFunctions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export const TRIGGER_TOKEN = 'bxt_trigger_unit_token_789';
export const TRIGGER_BASE_URL = 'https://brex-trigger.test';
export const WEBHOOK_URL = 'https://n8n.example.com/webhook/hook-uuid/webhook';

export interface LogEntry {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
}

export interface TriggerHarnessOptions {
	parameters?: IDataObject;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
	credentials?: IDataObject;
	credentialType?: 'brexApi' | 'brexOAuth2Api';
	webhookUrl?: string;
	/** Webhook request: headers and raw body as n8n's rawBodyReader leaves them. */
	request?: {
		headers: Record<string, string | string[]>;
		rawBody?: Buffer | string;
		readable?: boolean;
	};
	/** Input items of execute(). */
	items?: INodeExecutionData[];
	/** Shared store standing in for n8n's processed-data table (checkProcessedAndRecord). */
	processed?: Set<string>;
	workflowId?: string;
	nodeId?: string;
}

export interface RecordedResponse {
	status: number | null;
	body: unknown;
	ended: boolean;
}

export interface TriggerHarness {
	/** How often the node asked n8n for its credential (n8n reads and decrypts it each time). */
	credentialLoads: { count: number };
	node: INode;
	staticData: IDataObject;
	requests: IHttpRequestOptions[];
	logs: LogEntry[];
	response: RecordedResponse;
	poll: IPollFunctions;
	webhook: IWebhookFunctions;
	hook: IHookFunctions;
	execute: IExecuteFunctions;
}

function getPath(object: IDataObject, path: string): unknown {
	let current: unknown = object;
	for (const part of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[part];
	}
	return current;
}

export function createTriggerHarness(options: TriggerHarnessOptions = {}): TriggerHarness {
	const credentialLoads = { count: 0 };
	const credentialType = options.credentialType ?? 'brexApi';
	const credentials = options.credentials ?? {
		accessToken: TRIGGER_TOKEN,
		baseUrl: TRIGGER_BASE_URL,
	};
	const parameters = options.parameters ?? {};
	const mode = options.mode ?? 'trigger';
	const staticData = options.staticData ?? {};
	const processed = options.processed ?? new Set<string>();
	const node: INode = {
		id: options.nodeId ?? 'node-brex-trigger',
		name: 'Brex Trigger',
		type: 'n8n-nodes-brex-sage-x3.brexTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INodeParameters,
		webhookId: 'hook-uuid',
		credentials: { [credentialType]: { id: 'cred-1', name: 'Brex account' } },
	};
	const requests: IHttpRequestOptions[] = [];
	const logs: LogEntry[] = [];
	const response: RecordedResponse = { status: null, body: undefined, ended: false };

	const param = (name: string, fallback?: unknown) => {
		const value = getPath(parameters, name);
		if (value !== undefined) return value;
		if (fallback !== undefined) return fallback;
		throw new Error(`Could not get parameter "${name}"`);
	};

	const logger = Object.fromEntries(
		(['debug', 'info', 'warn', 'error'] as const).map((level) => [
			level,
			(message: string) => logs.push({ level, message }),
		]),
	);

	const httpRequestWithAuthentication = async (type: string, request: IHttpRequestOptions) => {
		if (type !== credentialType) {
			throw new NodeOperationError(node, `Node does not have credentials of type "${type}"`);
		}
		const sent: IHttpRequestOptions = {
			...request,
			headers: { ...request.headers, Authorization: `Bearer ${String(credentials.accessToken)}` },
		};
		requests.push(sent);
		try {
			// `as never`: @n8n/backend-network is typed against its own copy of n8n-workflow.
			return await Container.get(OutboundHttp)
				.requests()
				.request(sent as never);
		} catch (error) {
			throw new NodeApiError(node, error as never);
		}
	};

	const common = {
		getNode: () => node,
		getMode: () => mode,
		getActivationMode: () => (mode === 'manual' ? 'manual' : 'activate'),
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-1', name: 'Brex to X3', active: true }),
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error('only node static data is used');
			return staticData;
		},
		getCredentials: async (type: string) => {
			credentialLoads.count++;
			if (type !== credentialType) {
				throw new NodeOperationError(node, `Node does not have credentials of type "${type}"`);
			}
			return credentials;
		},
		getExecutionCancelSignal: () => undefined,
		logger,
	};

	const req = {
		headers: options.request?.headers ?? {},
		rawBody: options.request?.readable ? undefined : options.request?.rawBody,
		readRawBody: async () => {
			if (options.request?.readable) req.rawBody = options.request.rawBody;
		},
	};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end() {
			response.ended = true;
			return res;
		},
	};

	const poll = {
		...common,
		getNodeParameter: param,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IPollFunctions;

	const webhook = {
		...common,
		getNodeParameter: param,
		getRequestObject: () => req,
		getResponseObject: () => res,
		getHeaderData: () => req.headers,
		getBodyData: () => ({}),
		getNodeWebhookUrl: () => options.webhookUrl ?? WEBHOOK_URL,
		helpers: { httpRequestWithAuthentication },
	} as unknown as IWebhookFunctions;

	const hook = {
		...common,
		getNodeParameter: param,
		getNodeWebhookUrl: () => options.webhookUrl ?? WEBHOOK_URL,
		getWebhookName: () => 'default',
		helpers: { httpRequestWithAuthentication },
	} as unknown as IHookFunctions;

	const execute = {
		...common,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			param(name, fallback),
		getInputData: () => options.items ?? [{ json: {} }],
		helpers: {
			httpRequestWithAuthentication,
			checkProcessedAndRecord: async (keys: Array<string | number>) => {
				const fresh: Array<string | number> = [];
				const seen: Array<string | number> = [];
				for (const key of keys) {
					if (processed.has(String(key))) seen.push(key);
					else {
						processed.add(String(key));
						fresh.push(key);
					}
				}
				return { new: fresh, processed: seen };
			},
		},
	} as unknown as IExecuteFunctions;

	return {
		node,
		staticData,
		requests,
		logs,
		response,
		poll,
		webhook,
		hook,
		execute,
		credentialLoads,
	};
}
