import { createHash } from 'node:crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	IPollFunctions,
	Logger,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { storedOrFreshState } from '../common/triggerState';
import { type BrexClientOptions, BrexApiError, brexRequest, pageOf } from '../brexApi/client';
import {
	type PollPlan,
	type PollRecord,
	type PollState,
	PollSession,
	emptyPollState,
	planPoll,
	pollRecordKey,
	readPollState,
} from '../brexApi/pollCursor';
import {
	CARD_TRANSACTION_EXPAND,
	EXPENSE_EXPAND,
	SpendItemError,
	normaliseAccountingRecord,
	normaliseCardTransaction,
	normaliseExpense,
	unusableRecordFields,
} from '../brexApi/spendItem';
import type { SpendItem } from '../common/spendItemTypes';
import {
	CARD_TRANSACTION_MIN_LOOKBACK_MINUTES,
	DEFAULT_LOOKBACK_MINUTES,
	DEFAULT_MAX_RECORDS_PER_POLL,
	DEFAULT_START_DAYS_BACK,
	MANUAL_SAMPLE_SIZE,
	POLL_RESOURCES,
	type PollResource,
	credentialTypeOf,
} from './constants';
import { toNodeError } from '../common/itemErrors';

/**
 * Polling mode. Each poll pages through one Brex list query and emits the records not emitted before, as
 * SpendItems in timestamp order; the cursor logic is in nodes/brexApi/pollCursor.ts. The stored state changes
 * only after every page of the poll was read, so a failed poll throws (n8n records a failed execution) and the
 * next poll reads the same window again. A record that cannot be normalised is emitted once as an item with
 * `error` and `reason` (and its kind, statuses and the raw record), so it is neither lost nor blocking.
 */

export const POLL_STATE_KEY = 'pollState';
const PAGE_SIZE = 100;
const MINUTE_MS = 60_000;

type ParamReader = (name: string, fallback: unknown) => unknown;

export interface PollConfig {
	resource: PollResource;
	client: BrexClientOptions;
	filters: { status: string[]; paymentStatus: string[]; expenseType: string[] };
	lookbackMs: number;
	maxRecords: number;
	startDateMs: number;
	configKey: string;
}

/** What poll() and the manual run need from n8n's context (IPollFunctions or IExecuteFunctions). */
interface PollContext {
	ctx: IPollFunctions | IExecuteFunctions;
	param: ParamReader;
	node: INode;
	logger: Logger;
}

function stringList(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

export function readPollConfig(param: ParamReader, node: INode, nowMs: number): PollConfig {
	const resource = param('resource', 'expense') as PollResource;
	if (!Object.prototype.hasOwnProperty.call(POLL_RESOURCES, resource)) {
		throw new NodeOperationError(node, `Unknown resource "${String(resource)}"`);
	}
	const rawFilters = (resource === 'expense' ? param('filters', {}) : {}) as IDataObject;
	const filters = {
		status: stringList(rawFilters.status).sort(),
		paymentStatus: stringList(rawFilters.paymentStatus).sort(),
		expenseType: stringList(rawFilters.expenseType).sort(),
	};
	const options = (param('options', {}) ?? {}) as IDataObject;

	const lookbackMinutes = Number(options.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES);
	if (!Number.isFinite(lookbackMinutes) || lookbackMinutes < 0) {
		throw new NodeOperationError(node, 'Lookback (Minutes) must be zero or more');
	}
	const effectiveLookback =
		resource === 'cardTransaction'
			? Math.max(lookbackMinutes, CARD_TRANSACTION_MIN_LOOKBACK_MINUTES)
			: lookbackMinutes;

	const maxRecords = Number(options.maxRecordsPerPoll ?? DEFAULT_MAX_RECORDS_PER_POLL);
	if (!Number.isInteger(maxRecords) || maxRecords < 1) {
		throw new NodeOperationError(node, 'Max Records per Poll must be a whole number of at least 1');
	}

	const startText = typeof options.startDate === 'string' ? options.startDate.trim() : '';
	let startDateMs = nowMs - DEFAULT_START_DAYS_BACK * 24 * 60 * MINUTE_MS;
	if (startText !== '') {
		startDateMs = Date.parse(startText);
		if (Number.isNaN(startDateMs)) {
			throw new NodeOperationError(node, `Start Date "${startText}" is not a date`);
		}
	}
	// The empty default stays empty in the key, so "30 days ago" moving with the clock is not a new query.
	const configKey = JSON.stringify([resource, filters, startText]);
	return {
		resource,
		client: { credentialType: credentialTypeOf(param('authentication', 'accessToken')) },
		filters,
		lookbackMs: effectiveLookback * MINUTE_MS,
		maxRecords,
		startDateMs,
		configKey,
	};
}

function listQuery(
	config: PollConfig,
	windowStart: string,
	limit: number,
	cursor: string | null,
): IDataObject {
	const qs: IDataObject = { limit };
	if (config.resource === 'expense') {
		qs.updated_at_start = windowStart;
		qs['expand[]'] = EXPENSE_EXPAND;
		qs.load_custom_fields = true;
		if (config.filters.status.length) qs['status[]'] = config.filters.status;
		if (config.filters.paymentStatus.length) qs['payment_status[]'] = config.filters.paymentStatus;
		if (config.filters.expenseType.length) qs['expense_type[]'] = config.filters.expenseType;
	} else if (config.resource === 'cardTransaction') {
		qs.posted_at_start = windowStart;
		qs['expand[]'] = CARD_TRANSACTION_EXPAND;
	} else {
		qs.review_status = 'READY_FOR_EXPORT';
		qs['updated_at[gte]'] = windowStart;
	}
	if (cursor !== null) qs.cursor = cursor;
	return qs;
}

interface Page {
	items: IDataObject[];
	nextCursor: string | null;
}

function readPage(node: INode, body: unknown, path: string): Page {
	const page = pageOf<IDataObject>(body);
	if (!page) throw new NodeOperationError(node, `Brex answered ${path} without an "items" list`);
	return page;
}

async function fetchPage(
	pc: PollContext,
	config: PollConfig,
	windowStart: string,
	limit: number,
	cursor: string | null,
): Promise<Page> {
	const { path } = POLL_RESOURCES[config.resource];
	const body = await brexRequest<unknown>(pc.ctx, config.client, {
		method: 'GET',
		path,
		qs: listQuery(config, windowStart, limit, cursor),
	});
	return readPage(pc.node, body, path);
}

function timestampOf(config: PollConfig, record: IDataObject): number | null {
	const value = record[POLL_RESOURCES[config.resource].timestampField];
	if (typeof value !== 'string') return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : ms;
}

export function toPollRecord(config: PollConfig, record: IDataObject): PollRecord<IDataObject> {
	const timestampMs = timestampOf(config, record);
	const id = typeof record?.id === 'string' && record.id !== '' ? record.id : null;
	// A record without an id is still keyed (by its content) so it is reported once, not on every poll.
	const key =
		id === null
			? `raw:${createHash('sha256')
					.update(JSON.stringify(record ?? null))
					.digest('hex')
					.slice(0, 24)}`
			: pollRecordKey(id, timestampMs);
	return { key, timestampMs, value: record };
}

function normalise(resource: PollResource, record: IDataObject): SpendItem {
	if (resource === 'expense') return normaliseExpense(record);
	if (resource === 'cardTransaction') return normaliseCardTransaction(record);
	return normaliseAccountingRecord(record);
}

export function toOutputItem(
	pc: Pick<PollContext, 'logger'>,
	resource: PollResource,
	record: IDataObject,
): INodeExecutionData {
	try {
		return { json: normalise(resource, record) };
	} catch (error) {
		const reason = error instanceof SpendItemError ? error.reason : (error as Error).message;
		const recordId = typeof record?.id === 'string' ? record.id : null;
		pc.logger.warn(
			`Brex Trigger: ${POLL_RESOURCES[resource].label} ${recordId ?? '(no id)'} is output as an error item: ${reason}`,
		);
		return {
			json: {
				recordId,
				...unusableRecordFields(resource, record),
				error: reason,
				reason,
				raw: record,
			},
		};
	}
}

/** Runs one poll over `state`; returns the items and the state to store. Throws on any Brex failure. */
async function crawl(
	pc: PollContext,
	config: PollConfig,
	state: PollState,
	nowMs: number,
): Promise<{ items: INodeExecutionData[]; state: PollState }> {
	const run = async (from: PollState) => {
		const plan: PollPlan = planPoll(from, {
			startDateMs: config.startDateMs,
			lookbackMs: config.lookbackMs,
		});
		const session = new PollSession<IDataObject>(from, plan, {
			maxRecords: config.maxRecords,
			lookbackMs: config.lookbackMs,
			nowMs,
		});
		let cursor = plan.pageCursor;
		const requested = new Set<string>();
		for (;;) {
			const page = await fetchPage(pc, config, plan.windowStart, PAGE_SIZE, cursor);
			const more = session.addPage({
				records: page.items.map((record) => toPollRecord(config, record)),
				requestCursor: cursor,
				nextCursor: page.nextCursor,
			});
			if (!more || page.nextCursor === null) break;
			if (cursor !== null) requested.add(cursor);
			if (requested.has(page.nextCursor)) {
				throw new NodeOperationError(
					pc.node,
					'Brex returned the same page cursor twice; stopping the poll',
				);
			}
			cursor = page.nextCursor;
		}
		return session.finish();
	};

	let outcome;
	try {
		outcome = await run(state);
	} catch (error) {
		const resumed = state.crawl?.pageCursor ?? null;
		if (!(error instanceof BrexApiError) || error.brex.status !== 400 || resumed === null) {
			throw toNodeError(pc.node, error);
		}
		// Brex refused the page cursor saved by the previous poll (expired?): read the window from its start.
		pc.logger.warn(
			'Brex Trigger: Brex refused the saved page cursor; reading the window again from its start',
		);
		outcome = await run({ ...state, crawl: { ...state.crawl!, pageCursor: null } });
	}
	if (outcome.outsideWindow > 0) {
		pc.logger.debug(
			`Brex Trigger: ignored ${outcome.outsideWindow} records older than the poll window`,
		);
	}
	const items = outcome.emitted.map((record) => toOutputItem(pc, config.resource, record.value));
	return { items, state: outcome.state };
}

/** A manual run ("fetch test event"): a few records of the current window; the stored state is not touched. */
async function sample(
	pc: PollContext,
	config: PollConfig,
	state: PollState,
): Promise<INodeExecutionData[][] | null> {
	const plan = planPoll(
		{ ...state, crawl: null },
		{ startDateMs: config.startDateMs, lookbackMs: config.lookbackMs },
	);
	const page = await fetchPage(pc, config, plan.windowStart, MANUAL_SAMPLE_SIZE, null);
	const items = page.items
		.slice(0, MANUAL_SAMPLE_SIZE)
		.map((record) => toOutputItem(pc, config.resource, record));
	return items.length > 0 ? [items] : null;
}

function storedState(pc: PollContext, staticData: IDataObject, configKey: string): PollState {
	const codec = { read: readPollState, empty: emptyPollState };
	return storedOrFreshState(staticData[POLL_STATE_KEY], configKey, codec, () =>
		pc.logger.info(
			'Brex Trigger: the polling query changed (or its state was unreadable); starting from the Start Date',
		),
	);
}

export async function pollBrex(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const param: ParamReader = (name, fallback) => this.getNodeParameter(name, fallback);
	if (param('mode', 'webhook') !== 'polling') return null;
	const pc: PollContext = { ctx: this, param, node: this.getNode(), logger: this.logger };
	const nowMs = Date.now();
	const config = readPollConfig(param, pc.node, nowMs);
	const staticData = this.getWorkflowStaticData('node');
	const state = storedState(pc, staticData, config.configKey);
	if (this.getMode() === 'manual') return await sample(pc, config, state);

	const { items, state: next } = await crawl(pc, config, state, nowMs);
	staticData[POLL_STATE_KEY] = next as unknown as IDataObject;
	return items.length > 0 ? [items] : null;
}

/** The manual run of polling mode, started from the node's execute() (see BrexTrigger.node.ts). */
export async function sampleForManualRun(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][] | null> {
	const param: ParamReader = (name, fallback) => this.getNodeParameter(name, 0, fallback);
	const pc: PollContext = { ctx: this, param, node: this.getNode(), logger: this.logger };
	const config = readPollConfig(param, pc.node, Date.now());
	const state = storedState(pc, this.getWorkflowStaticData('node'), config.configKey);
	return await sample(pc, config, state);
}
