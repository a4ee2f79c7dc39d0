import { createHash, randomUUID } from 'node:crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type BrexClientOptions, BrexApiError, brexItems, brexRequest } from '../brexApi/client';
import { WEBHOOK_NAME, credentialTypeOf } from './constants';
import { toNodeError } from '../common/itemErrors';

/**
 * Registration of the node's URL with Brex (webhookMethods.default), after n8n's Trello trigger but failing
 * closed: a Brex error during activation stops the activation instead of guessing, so the workflow never runs
 * without a registration, and never gets a second one.
 * - checkExists lists every registration, adopts the one with this URL (preferring the id stored earlier),
 *   brings its events and status up to date, and deletes duplicates of the same URL.
 * - create registers with an Idempotency-Key derived from workflow, node, URL, events and a counter that
 *   delete() raises, so a retried create cannot register twice while a later re-activation gets a new key.
 *   It then reads the registration back: if Brex replayed an earlier answer for a registration deleted since
 *   (outside n8n), the counter goes up and it registers once more under a fresh key.
 * - delete removes the stored registration (a 404 counts as done), or every registration of this URL when no
 *   id is stored.
 * In polling mode n8n registers no webhook, so these are not called; they answer "nothing to do" anyway.
 */

interface Subscription {
	id: string;
	url: string;
	event_types: string[];
	status: string;
}

function isPolling(ctx: IHookFunctions): boolean {
	return ctx.getNodeParameter('mode', 'webhook') === 'polling';
}

function clientOf(ctx: IHookFunctions): BrexClientOptions {
	return {
		credentialType: credentialTypeOf(ctx.getNodeParameter('authentication', 'accessToken')),
	};
}

function webhookUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl(WEBHOOK_NAME);
	if (!url) {
		throw new NodeOperationError(
			ctx.getNode(),
			'n8n did not provide a webhook URL for the Brex Trigger',
		);
	}
	return url;
}

function desiredEvents(ctx: IHookFunctions): string[] {
	const events = ctx.getNodeParameter('events', []) as unknown;
	const list = Array.isArray(events) ? events.filter((event) => typeof event === 'string') : [];
	if (list.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Select at least one Brex event', {
			description: 'Brex registers a webhook only for a non-empty list of event types.',
		});
	}
	return [...new Set(list as string[])].sort();
}

/** What checkExists and create both work from: the client, n8n's URL, the wanted events and the node's state. */
function registrationWanted(ctx: IHookFunctions) {
	const client = clientOf(ctx);
	const url = webhookUrl(ctx);
	const events = desiredEvents(ctx);
	const staticData = ctx.getWorkflowStaticData('node');
	return { client, url, events, staticData };
}

function sameEvents(a: string[], b: string[]): boolean {
	const left = [...new Set(a)].sort();
	const right = [...new Set(b)].sort();
	return left.length === right.length && left.every((event, index) => event === right[index]);
}

function toSubscription(raw: IDataObject): Subscription | null {
	if (typeof raw?.id !== 'string' || typeof raw.url !== 'string') return null;
	return {
		id: raw.id,
		url: raw.url,
		event_types: Array.isArray(raw.event_types) ? raw.event_types.map(String) : [],
		status: typeof raw.status === 'string' ? raw.status : '',
	};
}

async function listSubscriptions(
	ctx: IHookFunctions,
	client: BrexClientOptions,
): Promise<Subscription[]> {
	const out: Subscription[] = [];
	for await (const raw of brexItems<IDataObject>(ctx, client, {
		method: 'GET',
		path: '/v1/webhooks',
	})) {
		const subscription = toSubscription(raw);
		if (subscription) out.push(subscription);
	}
	return out;
}

/**
 * Sends GET or DELETE to /v1/webhooks/{id}. True when it succeeds; a 404 (no such registration) gives
 * `ifMissing`; any other failure is thrown as a node error.
 */
async function requestSubscription(
	ctx: IHookFunctions,
	client: BrexClientOptions,
	method: 'GET' | 'DELETE',
	id: string,
	ifMissing: boolean,
): Promise<boolean> {
	try {
		await brexRequest(ctx, client, { method, path: `/v1/webhooks/${encodeURIComponent(id)}` });
		return true;
	} catch (error) {
		if (error instanceof BrexApiError && error.brex.status === 404) return ifMissing;
		throw toNodeError(ctx.getNode(), error);
	}
}

/** Deletes one registration; true when it is gone (including a 404: already deleted). */
async function deleteSubscription(
	ctx: IHookFunctions,
	client: BrexClientOptions,
	id: string,
): Promise<boolean> {
	return await requestSubscription(ctx, client, 'DELETE', id, true);
}

/** True when GET /v1/webhooks/{id} finds the registration, false on 404. */
async function subscriptionExists(
	ctx: IHookFunctions,
	client: BrexClientOptions,
	id: string,
): Promise<boolean> {
	return await requestSubscription(ctx, client, 'GET', id, false);
}

export function registrationIdempotencyKey(
	workflowId: string,
	nodeId: string,
	url: string,
	events: string[],
	epoch: number,
): string {
	const digest = createHash('sha256')
		.update(JSON.stringify([workflowId, nodeId, url, [...events].sort(), epoch]))
		.digest('hex');
	return `n8n-brex-trigger-${digest.slice(0, 40)}`;
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	if (isPolling(this)) return true;
	const { client, url, events, staticData } = registrationWanted(this);

	const sameUrl = (await listSubscriptions(this, client)).filter(
		(subscription) => subscription.url === url,
	);
	if (sameUrl.length === 0) {
		delete staticData.webhookId;
		delete staticData.webhookEvents;
		return false;
	}
	const keep =
		sameUrl.find((subscription) => subscription.id === staticData.webhookId) ??
		sameUrl.find((subscription) => subscription.status === 'ACTIVE') ??
		sameUrl[0];
	for (const duplicate of sameUrl) {
		if (duplicate.id === keep.id) continue;
		await deleteSubscription(this, client, duplicate.id);
		this.logger.info(
			`Brex Trigger: deleted duplicate Brex webhook registration ${duplicate.id} for ${url}`,
		);
	}
	if (!sameEvents(keep.event_types, events) || keep.status !== 'ACTIVE') {
		const updated = toSubscription(
			await brexRequest<IDataObject>(this, client, {
				method: 'PUT',
				path: `/v1/webhooks/${encodeURIComponent(keep.id)}`,
				body: { url, event_types: events, status: 'ACTIVE' },
			}),
		);
		if (!updated || updated.id !== keep.id || !sameEvents(updated.event_types, events)) {
			throw new NodeOperationError(
				this.getNode(),
				`Brex did not confirm the update of webhook registration ${keep.id}`,
				{ description: 'The answer lacked the registration id or the requested event types.' },
			);
		}
	}
	staticData.webhookId = keep.id;
	staticData.webhookEvents = events;
	return true;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	if (isPolling(this)) return true;
	const { client, url, events, staticData } = registrationWanted(this);
	const epoch = typeof staticData.registrationEpoch === 'number' ? staticData.registrationEpoch : 0;
	let idempotencyKey = registrationIdempotencyKey(
		this.getWorkflow().id ?? '',
		this.getNode().id,
		url,
		events,
		epoch,
	);
	for (let round = 0; round < 2; round++) {
		const created = toSubscription(
			await brexRequest<IDataObject>(this, client, {
				method: 'POST',
				path: '/v1/webhooks',
				body: { url, event_types: events },
				idempotencyKey,
			}),
		);
		if (!created) {
			throw new NodeOperationError(
				this.getNode(),
				'Brex answered the webhook registration without an id',
				{
					description:
						'Check the Brex webhook registrations in the Brex dashboard before activating again.',
				},
			);
		}
		if (created.url !== url) {
			// A registration this node cannot recognise later would be duplicated on every activation.
			await deleteSubscription(this, client, created.id);
			throw new NodeOperationError(
				this.getNode(),
				`Brex registered the webhook for a different URL than n8n's (${created.url})`,
				{ description: `n8n's webhook URL is ${url}; the registration was deleted again.` },
			);
		}
		if (await subscriptionExists(this, client, created.id)) {
			staticData.webhookId = created.id;
			staticData.webhookEvents = events;
			return true;
		}
		// Brex replayed the answer to an earlier registration with this key, deleted since (for example in the
		// Brex dashboard): register again under a key never used before, and move the counter on.
		staticData.registrationEpoch = epoch + 1;
		idempotencyKey = `${idempotencyKey.slice(0, 40)}-${randomUUID()}`;
		this.logger.info(
			`Brex Trigger: registration ${created.id} no longer exists; registering again`,
		);
	}
	throw new NodeOperationError(this.getNode(), 'Brex did not keep the webhook registration', {
		description:
			'Brex answered with a registration that does not exist. Try activating the workflow again.',
	});
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	if (isPolling(this)) return true;
	const client = clientOf(this);
	const staticData = this.getWorkflowStaticData('node');
	try {
		let ids: string[];
		if (typeof staticData.webhookId === 'string' && staticData.webhookId !== '') {
			ids = [staticData.webhookId];
		} else {
			const url = webhookUrl(this);
			ids = (await listSubscriptions(this, client))
				.filter((subscription) => subscription.url === url)
				.map((subscription) => subscription.id);
		}
		for (const id of ids) await deleteSubscription(this, client, id);
	} catch (error) {
		// Keep the stored id: the next activation's checkExists adopts or cleans the registration.
		this.logger.warn(
			`Brex Trigger: could not delete the Brex webhook registration: ${error instanceof Error ? error.message : String(error)}`,
		);
		return false;
	}
	delete staticData.webhookId;
	delete staticData.webhookEvents;
	staticData.registrationEpoch =
		(typeof staticData.registrationEpoch === 'number' ? staticData.registrationEpoch : 0) + 1;
	return true;
}
