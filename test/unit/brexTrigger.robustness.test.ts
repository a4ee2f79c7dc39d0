/**
 * What keeps the trigger working when n8n itself is under strain: in queue mode n8n's processed-data check can
 * fail (two workers rewriting the same row), and the items then go on instead of failing the execution; the
 * webhook's HTTP method resolves without n8n's expression engine (whose shared isolate failed activations).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { resolveWebhookDescriptionField } from 'n8n-workflow';

import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';

function context(check: () => Promise<{ new: string[]; processed: string[] }>) {
	const warnings: string[] = [];
	const items: INodeExecutionData[] = [
		{ json: { webhookId: 'msg_1', id: 'expense_1' } },
		{ json: { webhookId: 'msg_2', id: 'expense_2' } },
	];
	const ctx = {
		getNodeParameter: (name: string) => (name === 'mode' ? 'webhook' : undefined),
		getMode: () => 'webhook',
		getInputData: () => items,
		logger: { warn: (message: string) => warnings.push(message), info: () => undefined },
		helpers: { checkProcessedAndRecord: check },
	} as unknown as IExecuteFunctions;
	return { ctx, warnings };
}

describe('Brex Trigger de-duplication by webhook id', () => {
	it('drops the ids n8n has processed before', async () => {
		const { ctx } = context(async () => ({ new: ['msg_2'], processed: ['msg_1'] }));
		const [output] = (await new BrexTrigger().execute.call(ctx)) ?? [[]];
		expect(output.map((item) => item.json.id)).toEqual(['expense_2']);
	});

	it('passes every item on, with a warning, when n8n cannot check its processed data', async () => {
		const { ctx, warnings } = context(async () => {
			throw new Error('duplicate key value violates unique constraint');
		});
		const [output] = (await new BrexTrigger().execute.call(ctx)) ?? [[]];
		expect(output.map((item) => item.json.id)).toEqual(['expense_1', 'expense_2']);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(warnings.join('\n')).toContain('passing the items on');
	});
});

describe('Brex Trigger webhook method', () => {
	const [webhook] = new BrexTrigger().description.webhooks ?? [];
	const node = (mode: string) => ({
		id: 'trigger',
		name: 'Brex Trigger',
		type: 'n8n-nodes-brex-sage-x3.brexTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: { mode, authentication: 'accessToken' },
	});

	it('is resolved by n8n without its expression engine: POST in webhook mode, none in polling mode', () => {
		expect(resolveWebhookDescriptionField(node('webhook'), webhook, 'httpMethod')).toEqual({
			resolved: true,
			value: 'POST',
		});
		expect(resolveWebhookDescriptionField(node('polling'), webhook, 'httpMethod')).toEqual({
			resolved: true,
			value: '',
		});
	});

	it('keeps an expression the editor evaluates the same way', () => {
		const template = String(webhook.httpMethod);
		expect(template.startsWith('={{')).toBe(true);
		// The editor's expression: the function's source applied to $parameter.
		const source = template.slice(3, -2);
		const evaluate = new Function('$parameter', `return ${source};`) as (p: object) => string;
		expect(evaluate({ mode: 'webhook' })).toBe('POST');
		expect(evaluate({ mode: 'polling' })).toBe('');
	});
});
