/**
 * In queue mode n8n's processed-data check can fail (two workers rewriting the same row). The trigger then
 * passes the webhook items on instead of failing the execution, and says so in the log.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

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
