import type { IDataObject, INode, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../common/itemErrors';
import { storedOrFreshState } from '../common/triggerState';
import {
	ChangeStateTooLargeError,
	type ChangeState,
	type MasterDataChange,
	type MasterDataKind,
	compareRead,
	emptyChangeState,
	manualSample,
	planRead,
	readChangeState,
} from '../masterData/changeDetection';
import { getApiNames, getLayout, getReadApi, type NodeContext } from '../SageX3/helpers/context';
import type { X3Layout, X3ReadApi } from '../SageX3/transport/gateway.types';
import {
	type MasterDataSelection,
	readMasterData,
	selectsByStamp,
} from '../SageX3/transport/masterDataReader';
import {
	DEFAULT_GRAPHQL_NAMES,
	DEFAULT_REST_NAMES,
	DEFAULT_SOAP_NAMES,
	mergeNames,
} from '../SageX3/transport/names';
import {
	DEFAULT_FULL_READ_EVERY,
	DEFAULT_MAX_RECORDS_PER_KIND,
	DEFAULT_OVERLAP_MINUTES,
} from './description';

/**
 * One poll of the Sage X3 Trigger: plan (full or delta read, changeDetection.ts), read through the node's read
 * API (masterDataReader.ts), compare with the stored state, emit the changes. The state is written only after
 * the whole read and comparison succeeded, so a failed poll throws (n8n records a failed execution) and the next
 * poll starts from the same state: nothing is skipped. A manual test run reads and shows a sample but stores
 * nothing, so activating the workflow afterwards still starts with a first poll that emits everything.
 */

export const CHANGE_STATE_KEY = 'changeState';
export const MANUAL_SAMPLE_SIZE = 10;
const MINUTE_MS = 60_000;

const KINDS: MasterDataKind[] = ['account', 'dimension', 'supplier'];

export interface TriggerConfig {
	readApi: X3ReadApi;
	cloud: boolean;
	layout: X3Layout;
	selection: MasterDataSelection;
	useStamps: boolean;
	overlapMs: number;
	fullReadEvery: number;
	maxRecordsPerKind: number;
	apiNames: ReturnType<typeof getApiNames>;
	/** What is watched; a different one starts over (first poll again). */
	configKey: string;
}

function wholeNumber(node: INode, value: unknown, fallback: number, name: string, min: number) {
	const number = Number(value ?? fallback);
	if (!Number.isInteger(number) || number < min) {
		throw new NodeOperationError(node, `${name} must be a whole number of at least ${min}`, {
			description: `Got "${String(value)}": fix it in the trigger's options.`,
		});
	}
	return number;
}

export function readTriggerConfig(context: IPollFunctions): TriggerConfig {
	const node = context.getNode();
	// The poll context reads parameters as a dropdown's context does (no item index): the node's shared readers fit.
	const shared = context as unknown as NodeContext;
	const layout = getLayout(shared);
	const watch = context.getNodeParameter('watch', []) as string[];
	const kinds = KINDS.filter((kind) => Array.isArray(watch) && watch.includes(kind));
	if (kinds.length === 0) {
		throw new NodeOperationError(node, 'Choose at least one kind of X3 master data to watch');
	}
	const rawTypes = kinds.includes('dimension')
		? (context.getNodeParameter('dimensionTypes', []) as unknown)
		: [];
	const dimensionTypes = [
		...new Set(
			(Array.isArray(rawTypes) ? rawTypes : String(rawTypes).split(','))
				.map((type) => String(type).trim())
				.filter((type) => type !== ''),
		),
	].sort();
	if (kinds.includes('dimension') && dimensionTypes.length === 0) {
		throw new NodeOperationError(node, 'Choose the dimension types whose values are watched', {
			description:
				'Pick them under "Dimension Type Names or IDs", or stop watching dimension values.',
		});
	}
	const options = (context.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const overlapMinutes = Number(options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES);
	if (!Number.isFinite(overlapMinutes) || overlapMinutes < 0) {
		throw new NodeOperationError(node, 'Stamp Overlap (Minutes) must be zero or more');
	}
	const selection: MasterDataSelection = {
		accounts: kinds.includes('account'),
		dimensionTypes,
		suppliers: kinds.includes('supplier'),
	};
	return {
		readApi: getReadApi(shared),
		cloud: context.getNodeParameter('readApi', 'soap') === 'graphqlCloud',
		layout,
		selection,
		useStamps: options.changeDetection !== 'full',
		overlapMs: overlapMinutes * MINUTE_MS,
		fullReadEvery: wholeNumber(
			node,
			options.fullReadEvery,
			DEFAULT_FULL_READ_EVERY,
			'Full Comparison Every (Polls)',
			1,
		),
		maxRecordsPerKind: wholeNumber(
			node,
			options.maxRecordsPerKind,
			DEFAULT_MAX_RECORDS_PER_KIND,
			'Max Records per Kind',
			1,
		),
		apiNames: getApiNames(shared),
		configKey: JSON.stringify([kinds, dimensionTypes, layout.chartOfAccounts]),
	};
}

/** The output item: `dimensionType` only on dimension values, `chart` only on accounts. */
export function changeItem(change: MasterDataChange): INodeExecutionData {
	const json: IDataObject = {
		kind: change.kind,
		code: change.code,
		label: change.label,
		active: change.active,
	};
	if (change.kind === 'dimension') json.dimensionType = change.dimensionType ?? null;
	if (change.kind === 'account') json.chart = change.chart ?? null;
	json.updatedAt = change.updatedAt;
	json.change = change.change;
	if (change.deleted) json.deleted = true;
	return { json };
}

function storedState(context: IPollFunctions, configKey: string): ChangeState {
	const raw = context.getWorkflowStaticData('node')[CHANGE_STATE_KEY];
	const codec = { read: readChangeState, empty: emptyChangeState };
	return storedOrFreshState(raw, configKey, codec, () =>
		context.logger.info(
			'Sage X3 Trigger: what is watched changed (or the stored state was unreadable); the next poll emits every record',
		),
	);
}

export async function pollX3MasterData(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	const config = readTriggerConfig(this);
	const state = storedState(this, config.configKey);
	const manual = this.getMode() === 'manual';
	// A manual run reads everything, so it has records to show even when nothing changed.
	const plan = manual
		? ({ mode: 'full' } as const)
		: planRead(state, {
				stampsSelectable: config.useStamps && selectsByStamp(config.readApi),
				overlapMs: config.overlapMs,
				fullReadEvery: config.fullReadEvery,
			});
	let outcome;
	let records;
	try {
		const read = await readMasterData(
			this,
			{
				readApi: config.readApi,
				layout: config.layout,
				soapNames: mergeNames(DEFAULT_SOAP_NAMES, config.apiNames.soap),
				graphqlNames: mergeNames(DEFAULT_GRAPHQL_NAMES, config.apiNames.graphql),
				restNames: mergeNames(DEFAULT_REST_NAMES, config.apiNames.rest),
				soapCredentialType: 'sageX3Api',
				graphqlCredentialType: config.cloud ? 'sageX3CloudOAuth2Api' : 'sageX3ConnectedAppApi',
				restCredentialType: 'sageX3Api',
				maxRecordsPerKind: config.maxRecordsPerKind,
			},
			config.selection,
			plan,
		);
		records = read.records;
		outcome = compareRead(state, read);
	} catch (error) {
		if (error instanceof ChangeStateTooLargeError) {
			throw new NodeOperationError(node, error.message, {
				description:
					'Watch fewer kinds or dimension types. The trigger keeps about 30 bytes per record in the workflow, so it stops here rather than grow without bound.',
			});
		}
		throw toNodeError(node, error);
	}
	if (manual) {
		const sample = manualSample(outcome, records, MANUAL_SAMPLE_SIZE).map(changeItem);
		return sample.length > 0 ? [sample] : null;
	}
	this.getWorkflowStaticData('node')[CHANGE_STATE_KEY] = outcome.state as unknown as IDataObject;
	if (outcome.changes.length === 0) return null;
	return [outcome.changes.map(changeItem)];
}
