import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { IDataObject, INode, INodeParameters, INodeType, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { setSleepForTests } from '../../nodes/brexApi/client';
import { TRIGGER_BASE_URL, createTriggerHarness } from '../support/brexTriggerHarness';

const trigger = new BrexTrigger();

function workflowWith(parameters: IDataObject): { workflow: Workflow; node: INode } {
	const nodeTypes: INodeTypes = {
		getByName: () => trigger as INodeType,
		getByNameAndVersion: () => trigger as INodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const node: INode = {
		id: 'n1',
		name: 'Brex Trigger',
		type: 'n8n-nodes-brex-sage-x3.brexTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '4f1c2a9e-webhook-id',
		parameters: parameters as INodeParameters,
	};
	const workflow = new Workflow({
		id: 'wf',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	return { workflow, node: workflow.nodes[node.name] };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => setSleepForTests(async () => undefined));
afterEach(() => {
	setSleepForTests();
	nock.cleanAll();
});

describe('BrexTrigger description', () => {
	it('is the contract node: name, credentials by authentication, mode switch, webhook path', () => {
		const { description } = trigger;
		expect(description.name).toBe('brexTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.polling).toBe(true);
		expect(description.inputs).toEqual([]);
		expect(
			description.credentials?.map((credential) => [credential.name, credential.displayOptions]),
		).toEqual([
			['brexApi', { show: { authentication: ['accessToken'] } }],
			['brexOAuth2Api', { show: { authentication: ['oAuth2'] } }],
		]);
		const names = description.properties.map((property) => property.name);
		for (const name of ['authentication', 'mode', 'events', 'options', 'resource', 'filters']) {
			expect(names).toContain(name);
		}
		const mode = description.properties.find((property) => property.name === 'mode');
		expect(mode?.default).toBe('webhook');
		expect(description.webhooks).toHaveLength(1);
		expect(description.webhooks?.[0]).toMatchObject({
			name: 'default',
			path: 'webhook',
			responseMode: 'onReceived',
		});
	});

	it('serves /webhook/<webhookId>/webhook', () => {
		const { node } = workflowWith({ mode: 'webhook' });
		expect(NodeHelpers.getNodeWebhookPath('wf', node, 'webhook')).toBe(
			'4f1c2a9e-webhook-id/webhook',
		);
	});

	it.each([
		[{}, 'POST', false],
		[{ mode: 'webhook' }, 'POST', false],
		[{ mode: 'polling', resource: 'expense' }, '', true],
	])(
		'evaluates the webhook method for %j to %p (empty = no webhook registered)',
		(parameters, method, hidden) => {
			const { workflow, node } = workflowWith(parameters);
			const webhook = trigger.description.webhooks![0];
			expect(
				workflow.expression.getSimpleParameterValue(
					node,
					webhook.httpMethod,
					'internal',
					{},
					undefined,
					'GET',
				),
			).toBe(method);
			expect(
				workflow.expression.getSimpleParameterValue(
					node,
					webhook.ndvHideUrl,
					'internal',
					{},
					undefined,
					false,
				),
			).toBe(hidden);
		},
	);

	it('has a codex file in Finance & Accounting and both icons', () => {
		const dir = join(__dirname, '../../nodes/BrexTrigger');
		const codex = JSON.parse(readFileSync(join(dir, 'BrexTrigger.node.json'), 'utf8'));
		expect(codex).toMatchObject({
			node: 'n8n-nodes-brex-sage-x3.brexTrigger',
			categories: ['Finance & Accounting'],
		});
		for (const icon of ['brexTrigger.svg', 'brexTrigger.dark.svg']) {
			expect(readFileSync(join(dir, icon), 'utf8')).toMatch(/^<svg /);
		}
	});
});

describe('BrexTrigger.execute (start node of every run)', () => {
	const items = [
		{ json: { id: 'expense_1', webhookId: 'msg_1' } },
		{ json: { id: 'expense_2', webhookId: 'msg_1' } },
	];

	it('passes webhook items through and drops a delivery whose webhook id was already processed', async () => {
		const processed = new Set<string>();
		const first = createTriggerHarness({
			mode: 'webhook',
			parameters: { mode: 'webhook' },
			items,
			processed,
		});
		const out = await trigger.execute.call(first.execute);
		expect(out).toEqual([
			[
				{ json: items[0].json, pairedItem: { item: 0 } },
				{ json: items[1].json, pairedItem: { item: 1 } },
			],
		]);
		expect([...processed]).toEqual(['msg_1']);

		const second = createTriggerHarness({
			mode: 'webhook',
			parameters: { mode: 'webhook' },
			items,
			processed,
		});
		expect(await trigger.execute.call(second.execute)).toEqual([[]]);
		expect(second.logs.some((log) => log.message.includes('already processed'))).toBe(true);
	});

	it('neither checks nor records ids in a manual run of webhook mode', async () => {
		const processed = new Set<string>(['msg_1']);
		const h = createTriggerHarness({
			mode: 'manual',
			parameters: { mode: 'webhook' },
			items,
			processed,
		});
		const out = (await trigger.execute.call(h.execute)) as unknown[][];
		expect(out[0]).toHaveLength(2);
		expect([...processed]).toEqual(['msg_1']);
	});

	it('passes poll items through in production polling runs', async () => {
		const pollItems = [{ json: { id: 'expense_9' } }];
		const h = createTriggerHarness({
			mode: 'trigger',
			parameters: { mode: 'polling' },
			items: pollItems,
		});
		expect(await trigger.execute.call(h.execute)).toEqual([
			[{ json: { id: 'expense_9' }, pairedItem: { item: 0 } }],
		]);
		expect(h.requests).toHaveLength(0);
	});

	it('fetches a sample in a manual run of polling mode and leaves the stored state alone', async () => {
		nock(TRIGGER_BASE_URL)
			.get('/v1/expenses')
			.query((q) => q.limit === '5')
			.reply(200, {
				items: [
					{
						id: 'expense_1',
						updated_at: '2026-07-02T10:00:00Z',
						purchased_at: '2026-07-02T09:00:00Z',
						billing_amount: { amount: 500, currency: 'EUR' },
					},
				],
				next_cursor: 'more',
			});
		const staticData: IDataObject = {};
		const h = createTriggerHarness({
			mode: 'manual',
			parameters: {
				mode: 'polling',
				resource: 'expense',
				options: { startDate: '2026-07-01T00:00:00Z' },
			},
			staticData,
		});
		const out = await trigger.execute.call(h.execute);
		expect(out).toEqual([
			[{ json: expect.objectContaining({ id: 'expense_1', amount: '5.00', currency: 'EUR' }) }],
		]);
		expect(staticData).toEqual({});
	});
});
