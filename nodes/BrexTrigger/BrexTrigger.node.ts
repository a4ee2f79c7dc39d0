import type {
	IExecuteFunctions,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { WEBHOOK_NAME, WEBHOOK_PATH } from './constants';
import { brexTriggerProperties } from './description';
import { pollBrex, sampleForManualRun } from './poller';
import { handleBrexWebhook } from './webhookHandler';
import { checkExists, create, remove } from './webhookLifecycle';

/**
 * One trigger node, two modes (parameter `mode`). How n8n 2.41 treats a node type that has poll(), webhook()
 * and execute() (read in n8n's active-workflow-manager, webhook.service, test-webhooks, workflow-execute):
 *
 * - Activation registers webhooks for every node whose description lists them, and a poll schedule for every
 *   node type with poll(). The webhook's httpMethod is an expression that is empty in polling mode, and
 *   webhook.service skips empty methods, so in polling mode nothing is registered (no Brex call, no URL).
 *   In webhook mode the poll schedule still runs (Poll Times is always shown because `polling: true`), and
 *   poll() returns null at once without calling Brex.
 * - WorkflowExecute.runNode, for the start node, checks execute() before poll(). Without execute(), a manual
 *   run in webhook mode ("listen for test event") would, after webhook() has produced the event, call poll()
 *   in manual mode and replace the event with poll()'s output. So execute() passes its input (the webhook
 *   items, or in production the poll's items) through, and only in a manual run of polling mode fetches the
 *   sample a "fetch test event" should show (a manual run never reaches poll() itself).
 * - execute() is also where a DB-backed de-duplication exists: n8n gives checkProcessedAndRecord to execute
 *   contexts only. Webhook deliveries are first de-duplicated in webhook() by an in-process memory of accepted
 *   webhook ids (no execution at all), then by webhook id in execute() (n8n's processed-data table, across
 *   processes and restarts; a redelivery that reaches it yields an execution with no items). Static data is
 *   not used for this: a real n8n 2.41 lost ids written there by webhook() (see deliveryMemory.ts).
 */
/**
 * The webhook's HTTP method: POST in webhook mode, none in polling mode. Declared through n8n-workflow's
 * webhookDescriptionFields where it exists (n8n 2.x): n8n then resolves it from the node's parameters without its
 * expression engine. Evaluated in the engine, this expression failed activations with "IsolateError: No bridge
 * acquired" when a webhook request released the shared isolate at the same moment (seen in n8n 2.41.1).
 * Self-contained on purpose: n8n inlines the function's source into the expression the editor evaluates.
 */
const webhookHttpMethod =
	typeof n8nWorkflow.webhookDescriptionFields === 'function' &&
	typeof n8nWorkflow.fromFunction === 'function'
		? n8nWorkflow.webhookDescriptionFields({
				httpMethod: n8nWorkflow.fromFunction((parameters) =>
					parameters.mode === 'polling' ? '' : 'POST',
				),
			})
		: { httpMethod: '={{$parameter["mode"] === "polling" ? "" : "POST"}}' };

export class BrexTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brex Trigger',
		name: 'brexTrigger',
		icon: { light: 'file:brexTrigger.svg', dark: 'file:brexTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["mode"] === "polling" ? "Poll " + $parameter["resource"] : "Webhook"}}',
		description: 'Starts the workflow on Brex spend: signed webhook events or polling',
		eventTriggerDescription: 'Waiting for you to trigger an event in Brex',
		defaults: { name: 'Brex Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'brexApi',
				required: true,
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'brexOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		// Both a polling and a webhook trigger; the comment above the class says how the mode switch works.
		polling: true,
		webhooks: [
			{
				name: WEBHOOK_NAME,
				// No HTTP method in polling mode: n8n then registers no webhook at all (webhook.service skips
				// empty methods), so activation never calls the Brex webhook API and no URL is served.
				...webhookHttpMethod,
				responseMode: 'onReceived',
				path: WEBHOOK_PATH,
				ndvHideUrl: '={{$parameter["mode"] === "polling"}}',
				ndvHideMethod: true,
			},
		],
		properties: brexTriggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleBrexWebhook.call(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollBrex.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][] | null> {
		const mode = this.getNodeParameter('mode', 0, 'webhook');
		if (mode === 'polling' && this.getMode() === 'manual') {
			return await sampleForManualRun.call(this);
		}
		let items = this.getInputData();
		if (mode === 'webhook' && this.getMode() !== 'manual') {
			items = await dropProcessedDeliveries(this, items);
		}
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}

/** Production webhook items whose Brex webhook id n8n has recorded before are dropped. */
async function dropProcessedDeliveries(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const ids = [
		...new Set(
			items
				.map((item) => item.json.webhookId)
				.filter((id): id is string => typeof id === 'string' && id !== ''),
		),
	];
	if (ids.length === 0 || typeof ctx.helpers.checkProcessedAndRecord !== 'function') return items;
	// n8n's processed-data row is read and rewritten without a lock: in queue mode two workers can collide on
	// it. A failed check then lets the items through rather than failing the execution; posting stays
	// idempotent in X3 (trace check before the save, holder check after it).
	const result = await ctx.helpers
		.checkProcessedAndRecord(ids, 'node', { mode: 'entries', maxEntries: 10_000 })
		.catch((error: unknown) => {
			ctx.logger.warn(
				`Brex Trigger: could not check webhook ids against n8n's processed data, passing the items on: ${
					error instanceof Error ? error.message : String(error)
				}`,
			);
			return { new: ids, processed: [] };
		});
	const fresh = new Set(result.new.map(String));
	const kept = items.filter((item) => {
		const id = item.json.webhookId;
		return typeof id !== 'string' || id === '' || fresh.has(id);
	});
	if (kept.length < items.length) {
		ctx.logger.info(
			`Brex Trigger: dropped ${items.length - kept.length} item(s) of webhook deliveries already processed`,
		);
	}
	return kept;
}
