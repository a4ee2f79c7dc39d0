/**
 * The Sage X3 node in a real n8n execution (n8n-core's WorkflowExecute), with the real transports against the X3
 * emulator: Find or Create then Post Spend, idempotent replays, and failed items on the error output.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypeData,
	INodeTypeDescription,
	INodeParameters,
	INodeTypes,
	IExecuteFunctions,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import type { SpendItem } from '../../nodes/shared/spendItemTypes';
import { spendTraceId } from '../../nodes/shared/traceId';
import { startX3Emulator } from '../emulators/x3/server';
import type { X3Emulator } from '../emulators/x3/server';
import { CHART, DEPARTMENTS, LOCATIONS, seedVendors } from '../emulators/seed';

/** Emits the spend items given in its parameters, like the Brex trigger would. */
class SpendSource implements INodeType {
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
	'test.spendSource': { type: new SpendSource(), sourcePath: '' },
	'n8n-nodes-brex-sage-x3.sageX3': { type: new SageX3(), sourcePath: '' },
};

const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type].type,
	getByNameAndVersion: (type) => NODE_TYPES[type].type as INodeType,
	getKnownTypes: () => ({}),
};

/** Hands out the test credentials and applies them as n8n's credentials helper does. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: Record<string, ICredentialDataDecryptedObject>) {
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
		if (typeName === 'sageX3ConnectedAppApi') {
			return await new SageX3ConnectedAppApi().authenticate(credentials, requestOptions);
		}
		return {
			...requestOptions,
			auth: { username: String(credentials.user), password: String(credentials.password) },
		};
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
		_mode?: unknown,
		_executeData?: unknown,
		_raw?: boolean,
		_expressionResolveValues?: ICredentialsExpressionResolveValues,
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

function additionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
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

let emulator: X3Emulator;
let credentials: Record<string, ICredentialDataDecryptedObject>;

beforeAll(async () => {
	emulator = await startX3Emulator();
	credentials = {
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
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.resetStats();
});

const RULES = [
	...Object.entries(CHART.expenseAccounts).map(([category, account]) => ({
		name: category,
		when: { category },
		account,
		dimensions: {
			DEP: {
				from: 'department.name',
				lookup: Object.fromEntries(DEPARTMENTS.map((d) => [d.name, d.x3Code])),
			},
			CCT: {
				from: 'location.name',
				lookup: Object.fromEntries(LOCATIONS.map((l) => [l.name, l.x3Code])),
			},
		},
	})),
];

function spendItems(count: number, vendorOffset = 0): SpendItem[] {
	const vendors = seedVendors();
	return Array.from({ length: count }, (_, n) => {
		const vendor = vendors[(n + vendorOffset) % vendors.length];
		const department = DEPARTMENTS[n % DEPARTMENTS.length];
		const location = LOCATIONS[n % LOCATIONS.length];
		const id = `expense_it_${vendorOffset}_${n}`;
		const amount = n % 5 === 4 ? `-${n + 1}.25` : `${(n + 1) * 3}.10`;
		return {
			id,
			recordKind: 'expense',
			traceId: spendTraceId('expense', id),
			amount,
			currency: n % 3 === 0 ? 'EUR' : 'USD',
			isRefund: amount.startsWith('-'),
			originalAmount: null,
			accountingDate: `2026-11-0${1 + (n % 2)}`,
			purchasedAt: null,
			postedAt: null,
			updatedAt: null,
			merchant: { name: vendor.name.toUpperCase(), mcc: vendor.mcc, country: vendor.country },
			vendorName: vendor.name,
			category: vendor.category,
			department: { id: department.id, name: department.name },
			location: { id: location.id, name: location.name },
			user: null,
			budget: null,
			memo: `Test ${n}`,
			receiptUrls: [],
			customFields: {},
			status: 'APPROVED',
			paymentStatus: null,
			expenseType: 'CARD',
			raw: { id },
		};
	});
}

function sageNode(name: string, parameters: INodeParameters, position: [number, number]): INode {
	return {
		id: name,
		name,
		type: 'n8n-nodes-brex-sage-x3.sageX3',
		typeVersion: 1,
		position,
		parameters,
		credentials: {
			sageX3Api: { id: 'cred-1', name: 'X3 emulator' },
			sageX3ConnectedAppApi: { id: 'cred-2', name: 'X3 emulator connected app' },
		},
		onError: 'continueErrorOutput',
	};
}

/** Spend Source -> Find or Create supplier -> Post Spend; returns each X3 node's outputs [success, error]. */
async function runSync(
	items: SpendItem[],
	postParameters: IDataObject = {},
	common: IDataObject = {},
) {
	const nodes: INode[] = [
		{
			id: 'source',
			name: 'Spend Source',
			type: 'test.spendSource',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(items) },
		},
		sageNode(
			'Find Supplier',
			{
				...common,
				resource: 'supplier',
				operation: 'findOrCreate',
				vendorNameSource: 'spendItem',
				notFoundPolicy: 'create',
				category: 'SUPUS',
				options: { codePrefix: 'NEW' },
			},
			[200, 0],
		),
		sageNode(
			'Post Spend',
			{
				...common,
				resource: 'journalEntry',
				operation: 'postSpend',
				entryType: 'ODT',
				site: 'FR011',
				cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
				grouping: 'entrySet',
				mappingRules: JSON.stringify(RULES),
				defaultExpenseAccount: CHART.defaultExpenseAccount,
				defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
				...postParameters,
			},
			[400, 0],
		),
	];
	const workflow = new Workflow({
		id: 'wf-sync',
		name: 'Brex to X3',
		nodes,
		connections: {
			'Spend Source': {
				main: [[{ node: 'Find Supplier', type: NodeConnectionTypes.Main, index: 0 }]],
			},
			'Find Supplier': {
				main: [[{ node: 'Post Spend', type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const run: IRun = await new WorkflowExecute(additionalData(credentials), 'manual').run({
		workflow,
		startNode: nodes[0],
	});
	const outputOf = (name: string) => {
		const task = run.data.resultData.runData[name]?.[0];
		if (!task)
			throw new Error(`${name} did not run: ${JSON.stringify(run.data.resultData.error ?? null)}`);
		if (task.error) throw task.error;
		const main = task.data?.main ?? [];
		return { success: main[0] ?? [], error: main[1] ?? [] };
	};
	return { run, supplier: outputOf('Find Supplier'), post: outputOf('Post Spend') };
}

const statusOf = (item: INodeExecutionData) => (item.json.postResult as IDataObject).status;

describe('Sage X3 node in an n8n execution against the X3 emulator', () => {
	it('finds or creates suppliers, posts balanced entry sets, and a replay posts nothing new', async () => {
		const items = spendItems(12, 30);
		const first = await runSync(items);
		expect(first.supplier.error).toEqual([]);
		expect(first.post.error).toEqual([]);
		expect(first.post.success.map(statusOf)).toEqual(Array(12).fill('posted'));
		const created = first.supplier.success.filter(
			(item) => (item.json.supplier as IDataObject).matchedBy === 'created',
		);
		const distinctCreated = new Set(
			created.map((item) => (item.json.supplier as IDataObject).code),
		);
		expect(distinctCreated.size).toBeGreaterThan(0);
		for (const item of first.post.success) {
			const result = item.json.postResult as IDataObject;
			expect(result.documentNumber).toEqual(expect.any(String));
			expect(result.businessPartner).toBe((item.json.supplier as IDataObject).code);
		}
		// 2 dates x 2 currencies = 4 entry sets: one save each, plus one per created supplier.
		const documents = new Set(
			first.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		);
		expect(documents.size).toBe(4);
		expect(emulator.stats.calls.soap.save).toBe(4 + distinctCreated.size);

		emulator.resetStats();
		const second = await runSync(items);
		expect(second.post.success.map(statusOf)).toEqual(Array(12).fill('already_posted'));
		expect(emulator.stats.calls.soap.save ?? 0).toBe(0);
		expect(
			second.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		).toEqual(
			first.post.success.map((item) => (item.json.postResult as IDataObject).documentNumber),
		);
		expect(
			second.supplier.success.every(
				(item) => (item.json.supplier as IDataObject).matchedBy !== 'created',
			),
		).toBe(true);
	});

	it('routes the items of a refused set to the error output and posts the others', async () => {
		const items = spendItems(6);
		// An account X3 does not have fails only the EUR set that uses it.
		const rules = [
			{ when: { currency: 'EUR' }, account: '999999', dimensions: { DEP: 'OPS' } },
			...RULES,
		];
		const result = await runSync(items, { mappingRules: JSON.stringify(rules) });
		const failedIds = result.post.error.map((item) => item.json.id).sort();
		const eurIds = items
			.filter((item) => item.currency === 'EUR')
			.map((item) => item.id)
			.sort();
		expect(failedIds).toEqual(eurIds);
		for (const item of result.post.error) {
			// n8n merged the input record (spend item + supplier) back into the error item.
			expect(item.json).toMatchObject({ recordKind: 'expense', supplier: expect.any(Object) });
			expect(item.json.error).toEqual(expect.stringContaining('999999'));
			const postResult = (item.json.details as IDataObject).postResult as IDataObject;
			expect(postResult).toMatchObject({
				status: 'failed',
				traceId: item.json.traceId,
				account: '999999',
			});
		}
		expect(result.post.success.map(statusOf)).toEqual(
			Array(items.length - eurIds.length).fill('posted'),
		);

		const replay = await runSync(items);
		const statuses = new Map(replay.post.success.map((item) => [item.json.id, statusOf(item)]));
		for (const item of items) {
			expect(statuses.get(item.id)).toBe(item.currency === 'EUR' ? 'posted' : 'already_posted');
		}
	});

	it('with GraphQL reads, checks trace ids once per entry set and searches each vendor at most once', async () => {
		const items = spendItems(10);
		const result = await runSync(items, {}, { readApi: 'graphql' });
		expect(result.post.success.map(statusOf)).toEqual(Array(10).fill('posted'));
		const calls = emulator.stats.calls;
		const sets = new Set(items.map((item) => `${item.accountingDate}|${item.currency}`)).size;
		const vendors = new Set(items.map((item) => item.vendorName)).size;
		// One GraphQL document per set asks for entry-level and line-level trace ids together.
		expect(calls.graphql['x3Finance.journalEntry.query']).toBe(sets);
		expect(calls.graphql['x3Finance.journalEntryLine.query']).toBe(sets);
		expect(calls.graphql['x3MasterData.supplier.query']).toBeLessThanOrEqual(vendors);
		expect(emulator.stats.http.requests).toBe(
			sets + sets + calls.graphql['x3MasterData.supplier.query'],
		);
		expect(emulator.stats.calls.soap.save).toBe(sets);
	});
});
