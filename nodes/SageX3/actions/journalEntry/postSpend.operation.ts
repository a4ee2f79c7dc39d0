/**
 * Post Spend: spend items → mapping → journal drafts → X3, with one audit result per item (PostResult).
 * Size (over 500 lines): n8n's one-file-per-operation layout holds its 190 lines of parameter descriptions beside
 * the execute pipeline; the pure steps already live in nodes/ledger and the posting loop in helpers/postEntries.ts.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	DEFAULT_MAX_LINES_PER_ENTRY,
	JournalDraftError,
	X3_MAX_LINES_PER_ENTRY,
	isZeroAmount,
	planJournalEntries,
	postingItemProblem,
} from '../../../ledger/journalDraft';
import type {
	DraftOptions,
	GroupingMode,
	PlannedEntry,
	PostingItem,
} from '../../../ledger/journalDraft';
import { cutToLength } from '../../../common/fieldText';
import { mapCodedExpense } from '../../../ledger/codedLines';
import type { BrexCoding } from '../../../ledger/codedLines';
import { MappingRulesError, mapSpendItem, parseMappingRules } from '../../../ledger/mapping';
import type { MappingDefaults, MappingRule } from '../../../ledger/mapping';
import type { SpendItem } from '../../../common/spendItemTypes';
import type { SupplierDecision } from '../../../ledger/supplierMatch';
import type { PostResult, PostStatus } from '../../../ledger/journalTypes';
import type { X3Account, X3Gateway, X3Layout } from '../../transport/gateway.types';
import { getExtraFields, getFieldPlacements, getLayout } from '../../helpers/context';
import { postEntries } from '../../helpers/postEntries';
import type { EntryItemOutcome } from '../../helpers/postEntries';
import { getGateway } from '../../helpers/gateway';
import { layoutWithDescribedLengths, postingDecision } from '../../helpers/setupCheck';
import type { PostingDecision, SetupReport } from '../../helpers/setupCheck';
import { setupReportFor } from '../../helpers/setupVerdict';
import { needsPlacement, withPlacedJournalFields } from '../../helpers/placedJournalSave';
import { parseCodeList } from '../../helpers/layout';
import {
	errorReason,
	failureItem,
	pairedResults,
	parseDimensionAssignments,
} from '../../helpers/utils';
import {
	brexCodingProperty,
	codedPosting,
	codingOf,
	isCodedRecord,
	postedLines,
	postingBase,
	readinessFor,
	recordAlias,
	samePurchaseOutcome,
} from '../../helpers/spendPosting';
import type { BrexCodingOptions } from '../../helpers/spendPosting';
import { accountRLC, entryTypeField, siteField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	entryTypeField,
	siteField,
	accountRLC(
		'cardLiabilityAccount',
		'Card Liability Account',
		'Account credited for card spend (and debited for refunds): the Brex card payable',
	),
	{
		displayName: 'Grouping',
		name: 'grouping',
		type: 'options',
		description: 'How spend items become journal entries',
		noDataExpression: true,
		options: [
			{
				name: 'One Entry per Date, Currency and Site',
				value: 'entrySet',
				description:
					'One line per item and one balancing line on the liability account per set; fewest X3 calls',
			},
			{
				name: 'One Entry per Item',
				value: 'perItem',
				description: 'Each item gets its own entry: expense line and liability line',
			},
		],
		default: 'entrySet',
	},
	{
		displayName: 'Mapping Rules (JSON)',
		name: 'mappingRules',
		type: 'json',
		default: '[]',
		description:
			'Ordered rules; the first whose "when" matches sets the account, dimensions, business partner, tax code, description, or "skip". Example: [{"name": "Meals", "when": {"mcc": "5800-5899"}, "account": "625700", "dimensions": {"DEP": {"from": "{{department.name}}", "lookup": {"Engineering": "ENG"}}}}].',
	},
	{
		displayName: 'Default Expense Account',
		name: 'defaultExpenseAccount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 628000',
		description:
			'Account for items no rule gives one to. When empty, such items fail with a reason.',
	},
	{
		displayName: 'Default Dimensions',
		name: 'defaultDimensions',
		type: 'fixedCollection',
		placeholder: 'Add Dimension',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Values for dimension types the winning rule leaves empty; may use {{department.name}} style templates',
		options: [
			{
				displayName: 'Dimension',
				name: 'dimension',
				values: [
					{
						displayName: 'Type Name or ID',
						name: 'type',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getDimensionTypes' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						description: 'Dimension value code (an expression may map it from the spend item)',
						default: '',
						placeholder: 'e.g. CC-HQ',
					},
				],
			},
		],
	},
	brexCodingProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'Descriptions, checks and output settings of the posting',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Balancing Line Description',
				name: 'balancingLineDescription',
				type: 'string',
				default: 'Brex card spend',
				description: 'Description of the card liability lines of an entry set',
			},
			{
				displayName: 'Check Accounts in X3',
				name: 'checkAccounts',
				type: 'boolean',
				default: false,
				description:
					'Whether to read each distinct account once to check it exists and is active, and which dimensions it requires, so a bad mapping fails its items instead of the whole entry',
			},
			{
				displayName: 'Entry Description',
				name: 'entryDescription',
				type: 'string',
				default: 'Brex card spend {date} ({count})',
				description: 'Header description of an entry set; {date} and {count} are replaced',
			},
			{
				displayName: 'Entry Reference',
				name: 'reference',
				type: 'string',
				default: '',
				description: 'Header reference (REF); {date} and {count} are replaced',
			},
			{
				displayName: 'Include Raw Brex Record',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to keep the "raw" Brex record on output items',
			},
			{
				displayName: 'Liability Business Partner',
				name: 'liabilityBusinessPartner',
				type: 'string',
				default: '',
				description:
					'Business partner on the card liability lines, when that account is collective',
			},
			{
				displayName: 'Liability Dimensions',
				name: 'liabilityDimensions',
				type: 'string',
				default: '',
				placeholder: 'e.g. CCT=CC-HQ',
				description: 'Dimensions on the card liability lines (TYPE=VALUE pairs)',
			},
			{
				displayName: 'Line Description',
				name: 'lineDescription',
				type: 'string',
				default: '{{vendorName}} {{memo}}',
				description: 'Template for expense line descriptions when the rule has none',
			},
			{
				displayName: 'Max Lines per Entry',
				name: 'maxLinesPerEntry',
				type: 'number',
				typeOptions: { minValue: 2, maxValue: X3_MAX_LINES_PER_ENTRY },
				default: DEFAULT_MAX_LINES_PER_ENTRY,
				description: 'Entry sets with more lines are split (X3 allows 9,999)',
			},
			{
				displayName: 'Parallel Entries',
				name: 'parallelEntries',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 4,
				description:
					"Entries posted at once; the credential's max concurrent calls still caps calls to the X3 pool",
			},
			{
				displayName: 'Required Dimension Types',
				name: 'requiredDimensionTypes',
				type: 'string',
				default: '',
				placeholder: 'e.g. CCT, DEP',
				description:
					'Dimension types every expense line must carry; items without them fail with a reason',
			},
			{
				displayName: 'Use Supplier as Business Partner',
				name: 'useSupplierAsBusinessPartner',
				type: 'boolean',
				default: true,
				description:
					'Whether to write the supplier found by Find or Create (supplier.code) on the expense line',
			},
		],
	},
];

const displayOptions = { show: { resource: ['journalEntry'], operation: ['postSpend'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface PostSpendOptions {
	balancingLineDescription?: string;
	checkAccounts?: boolean;
	entryDescription?: string;
	reference?: string;
	includeRaw?: boolean;
	liabilityBusinessPartner?: string;
	liabilityDimensions?: string;
	lineDescription?: string;
	maxLinesPerEntry?: number;
	parallelEntries?: number;
	requiredDimensionTypes?: string;
	useSupplierAsBusinessPartner?: boolean;
}

interface ItemState {
	itemIndex: number;
	json: IDataObject;
	traceId: string | null;
	status?: PostStatus;
	reason?: string;
	posting?: PostingItem;
	ruleIndex: number | null;
	ruleName: string | null;
	/** Header values for the audit, known once per-item parameters are read. */
	entryType: string | null;
	site: string | null;
	/** Input index of the earlier item of the same purchase (same trace id): this one follows its outcome. */
	samePurchaseAs?: number;
	/** An expense's Brex Coding, so the account check maps it again the same way. */
	expenseCoding?: BrexCoding;
}

function str(value: unknown): string {
	return value === null || value === undefined ? '' : String(value).trim();
}

/**
 * The reason carried by an input item that is an error from an earlier step (a Brex record the trigger or the
 * Brex node could not normalise), or null. Such an item is no spend item and fails with that reason instead of
 * a generic "not a spend item", so the audit tells a finance user what is wrong with the Brex record.
 */
function upstreamFailure(json: IDataObject): string | null {
	const error = json.error;
	const message =
		typeof error === 'string'
			? error
			: error && typeof error === 'object' && typeof (error as IDataObject).message === 'string'
				? ((error as IDataObject).message as string)
				: '';
	if (message.trim() === '') return null;
	if (/cannot be used/.test(message)) return message;
	const id = str(json.recordId) || str(json.id) || '(without a usable id)';
	const kind =
		str(json.recordKind)
			.replace(/([A-Z])/g, ' $1')
			.toLowerCase() || 'record';
	// Not fetched yet (the trigger answered Brex on receipt): nothing is wrong with the record itself.
	if (json.retryable === true) return `Brex ${kind} ${id}: ${str(json.reason) || message}`;
	return `Brex ${kind} ${id} cannot be used: ${str(json.reason) || message}`;
}

function missingSpendFields(json: IDataObject): string[] {
	return ['traceId', 'amount', 'currency', 'accountingDate'].filter((key) => str(json[key]) === '');
}

function failState(state: ItemState, reason: string) {
	state.status = 'failed';
	state.reason = reason;
}

function mappingRules(context: IExecuteFunctions, layout: X3Layout): MappingRule[] {
	const raw = context.getNodeParameter('mappingRules', 0, '[]');
	try {
		return parseMappingRules(raw, { dimensionTypes: layout.dimensionTypes });
	} catch (error) {
		if (error instanceof MappingRulesError) {
			throw new NodeOperationError(
				context.getNode(),
				`Mapping rules are invalid: ${error.issues[0]}`,
				{
					description: error.issues.join('\n'),
				},
			);
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
}

function dimensionsFromCollection(
	entries: Array<{ type?: string; value?: string }>,
	layout: X3Layout,
	context: IExecuteFunctions,
): Record<string, string> {
	const result: Record<string, string> = {};
	for (const entry of entries) {
		const type = str(entry.type);
		if (type === '' || str(entry.value) === '') continue;
		if (!layout.dimensionTypes.includes(type)) {
			throw new NodeOperationError(
				context.getNode(),
				`Default Dimensions: "${type}" is not a configured dimension type (${layout.dimensionTypes.join(', ')})`,
			);
		}
		result[type] = String(entry.value);
	}
	return result;
}

export const execute: OperationExecute = async function (items, gateway) {
	const node = this.getNode();
	const layout = getLayout(this);
	const rules = mappingRules(this, layout);
	const options = this.getNodeParameter('options', 0, {}) as PostSpendOptions;
	const mode = this.getNodeParameter('grouping', 0, 'entrySet') as GroupingMode;
	let liabilityDimensions: Record<string, string>;
	try {
		liabilityDimensions = parseDimensionAssignments(
			options.liabilityDimensions,
			layout.dimensionTypes,
		);
	} catch (error) {
		throw new NodeOperationError(node, `Liability Dimensions: ${(error as Error).message}`);
	}
	const requiredDimensionTypes = parseCodeList(options.requiredDimensionTypes);
	const unknownRequired = requiredDimensionTypes.filter(
		(type) => !layout.dimensionTypes.includes(type),
	);
	if (unknownRequired.length > 0) {
		throw new NodeOperationError(
			node,
			`Required Dimension Types: ${unknownRequired.join(', ')} not configured in X3 Setup (${layout.dimensionTypes.join(', ')})`,
		);
	}
	const defaults: MappingDefaults = {
		expenseAccount: str(this.getNodeParameter('defaultExpenseAccount', 0, '')) || undefined,
		dimensions: dimensionsFromCollection(
			this.getNodeParameter('defaultDimensions.dimension', 0, []) as Array<{
				type?: string;
				value?: string;
			}>,
			layout,
			this,
		),
		lineDescription: options.lineDescription ?? '{{vendorName}} {{memo}}',
		requiredDimensionTypes,
		useSupplierAsBusinessPartner: options.useSupplierAsBusinessPartner !== false,
	};
	const draftOptions: DraftOptions = {
		mode,
		traceFieldLength: layout.journalEntry.traceFieldLength,
		maxLinesPerEntry: options.maxLinesPerEntry ?? DEFAULT_MAX_LINES_PER_ENTRY,
		liabilityDimensions,
		liabilityBusinessPartner: str(options.liabilityBusinessPartner) || undefined,
		reference: options.reference,
		description: options.entryDescription ?? 'Brex card spend {date} ({count})',
		balancingLineDescription: options.balancingLineDescription ?? 'Brex card spend',
	};

	// 1. Validate, filter and map every item; failures here touch only their own item.
	const states: ItemState[] = [];
	const firstIndexByTrace = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = { ...items[itemIndex].json };
		const state: ItemState = {
			itemIndex,
			json,
			traceId: str(json.traceId) || null,
			ruleIndex: null,
			ruleName: null,
			entryType: null,
			site: null,
		};
		states.push(state);
		try {
			const missing = missingSpendFields(json);
			if (missing.length > 0) {
				failState(
					state,
					upstreamFailure(json) ??
						`The input item is not a Brex spend item: ${missing.join(', ')} missing. Connect the Brex trigger or Brex node output.`,
				);
				continue;
			}
			const spend = json as SpendItem;
			const decision = json.supplierDecision as SupplierDecision | undefined;
			if (decision && decision.action === 'skip') {
				state.status = 'skipped';
				state.reason = str(decision.reason) || 'Skipped by the supplier policy';
				continue;
			}
			const brexCoding = this.getNodeParameter('brexCoding', itemIndex, {}) as BrexCodingOptions;
			const readiness = readinessFor(spend, brexCoding);
			if (!readiness.ready) {
				state.status = 'skipped';
				state.reason = readiness.reason ?? 'Not ready for the ledger';
				continue;
			}
			// One entry per purchase: a later record of it in this input reports what the first one got.
			const earlier = firstIndexByTrace.get(spend.traceId);
			if (earlier !== undefined) {
				state.samePurchaseAs = earlier;
				continue;
			}
			firstIndexByTrace.set(spend.traceId, itemIndex);
			const problem = postingItemProblem(spend);
			if (problem) {
				failState(state, problem);
				continue;
			}
			if (isZeroAmount(spend.amount, spend.currency)) {
				state.status = 'skipped';
				state.reason = 'Zero amount: nothing to post';
				continue;
			}
			state.entryType = str(this.getNodeParameter('entryType', itemIndex, ''));
			state.site = str(this.getNodeParameter('site', itemIndex, ''));
			const liabilityAccount = str(
				this.getNodeParameter('cardLiabilityAccount', itemIndex, '', { extractValue: true }),
			);
			if (!state.entryType || !state.site || !liabilityAccount) {
				throw new NodeOperationError(
					node,
					'Entry Type, Site and Card Liability Account are required',
					{
						itemIndex,
					},
				);
			}
			const base = postingBase(spend, itemIndex, state.site, state.entryType, liabilityAccount);
			if (isCodedRecord(spend)) {
				const coded = codedPosting(spend, base, codingOf(brexCoding, layout.dimensionTypes, node), {
					rules,
					defaults,
					context: { dimensionTypes: layout.dimensionTypes },
					liabilityDimensions,
					traceFieldLength: layout.journalEntry.traceFieldLength,
				});
				state.ruleIndex = coded.mapping.ruleIndex;
				state.ruleName = coded.mapping.ruleName;
				if (coded.mapping.status !== 'mapped') {
					state.status = coded.mapping.status;
					state.reason = coded.mapping.reason;
				} else state.posting = coded.posting;
				continue;
			}
			// An expense's custom fields may carry Brex coding too (option ids = X3 codes); rules give the rest.
			const mappingContext = { dimensionTypes: layout.dimensionTypes };
			if (spend.recordKind === 'expense') {
				state.expenseCoding = codingOf(brexCoding, layout.dimensionTypes, node);
			}
			const outcome = state.expenseCoding
				? mapCodedExpense(spend, state.expenseCoding, rules, defaults, mappingContext)
				: mapSpendItem(spend, rules, defaults, mappingContext);
			state.ruleIndex = outcome.ruleIndex;
			state.ruleName = outcome.ruleName;
			if (outcome.status !== 'mapped') {
				state.status = outcome.status;
				state.reason = outcome.reason;
				continue;
			}
			if (outcome.site) state.site = outcome.site;
			state.posting = {
				...base,
				site: state.site,
				account: outcome.account,
				dimensions: outcome.dimensions,
				...(outcome.businessPartner ? { businessPartner: outcome.businessPartner } : {}),
				...(outcome.taxCode ? { taxCode: outcome.taxCode } : {}),
				...(outcome.description ? { description: outcome.description } : {}),
				aliasTraceIds: recordAlias(spend),
			};
		} catch (error) {
			failState(state, errorReason(error));
		}
	}

	// 2. Optionally check accounts in X3: one read per distinct account.
	if (options.checkAccounts) {
		await checkAccounts(gateway, states, rules, defaults, layout, liabilityDimensions);
	}

	// 3. Check X3 Setup before the first write (cached per credential, layout and read API): refuse to write when
	//    the chosen read API cannot prove that a re-sent item is recognised; lengths come from getDescription.
	const ready = states.filter((state) => state.posting && state.status === undefined);
	const outcomes = new Map<number, EntryItemOutcome>();
	if (ready.length > 0) {
		let report: SetupReport | null = null;
		let decision: PostingDecision;
		try {
			report = await setupReportFor(this, layout, gateway.readApi);
			decision = postingDecision(report, gateway.readApi, mode, gateway.itemTracesOnLines);
		} catch (error) {
			decision = {
				action: 'refuse',
				reason: `Nothing was written: checking the X3 setup failed (${errorReason(error)}). Run the X3 Setup → Check operation for details.`,
			};
		}
		// Fields X3 Setup places in other blocks (BLOCK.FIELD) or Extra Mandatory Fields: saved by a placed save.
		let postingGateway: X3Gateway = gateway;
		// The save cuts texts to the lengths getDescription gives: a gateway on the layout with them.
		const savingLayout = report ? layoutWithDescribedLengths(layout, report.lengths) : layout;
		if (decision.action !== 'refuse' && JSON.stringify(savingLayout) !== JSON.stringify(layout)) {
			postingGateway = await getGateway(this, savingLayout);
		}
		if (decision.action !== 'refuse') {
			const placements = getFieldPlacements(this);
			const extras = getExtraFields(this);
			if (needsPlacement(savingLayout, placements, extras)) {
				postingGateway = withPlacedJournalFields(
					postingGateway,
					node,
					savingLayout,
					placements,
					extras,
				);
			}
		}
		if (decision.action === 'refuse') {
			for (const state of ready) failState(state, decision.reason);
		} else {
			if (report) fitToDescription(report, layout, draftOptions, ready);
			// 4. Plan the entries (pure, balanced before any write) and post them.
			let plans: PlannedEntry[];
			try {
				plans = planJournalEntries(
					ready.map((state) => state.posting as PostingItem),
					draftOptions,
				);
			} catch (error) {
				throw new NodeOperationError(node, error as Error, {
					description: error instanceof JournalDraftError ? 'Nothing was sent to X3.' : undefined,
				});
			}
			const post = async (entries: PlannedEntry[], linesOnly: boolean) => {
				const posted = await postEntries(
					postingGateway,
					entries,
					draftOptions,
					options.parallelEntries ?? 4,
					{ linesOnly },
				);
				for (const [itemIndex, outcome] of posted.outcomes) outcomes.set(itemIndex, outcome);
			};
			if (decision.action === 'post') {
				await post(plans, decision.linesOnly);
			} else {
				// X3 holds no journal entry at all, so nothing can be posted twice yet: post one entry at a time until
				// one is in X3, then check again with it before posting the rest.
				let next = 0;
				while (next < plans.length) {
					const plan = plans[next++];
					await post([plan], decision.linesOnly);
					if (plan.items.some((item) => outcomes.get(item.itemIndex)?.status === 'posted')) break;
				}
				const rest = plans.slice(next);
				if (rest.length > 0) {
					let again: PostingDecision;
					try {
						again = postingDecision(
							await setupReportFor(this, layout, gateway.readApi, { refresh: true }),
							gateway.readApi,
							mode,
							gateway.itemTracesOnLines,
						);
					} catch (error) {
						again = {
							action: 'refuse',
							reason: `Nothing was written for this item: checking the X3 setup failed (${errorReason(error)}).`,
						};
					}
					if (again.action === 'post') {
						await post(rest, again.linesOnly);
					} else {
						const reason =
							again.action === 'refuse'
								? again.reason
								: `Nothing was written for this item: the entry this run posted first is not found by the duplicate check, so it cannot be proven. ${again.reason}`;
						for (const plan of rest) {
							for (const item of plan.items) {
								outcomes.set(item.itemIndex, {
									status: 'failed',
									reason,
									error: null,
									entryTraceId: plan.traceId,
								});
							}
						}
					}
				}
			}
		}
	}

	const entryTraceByItem = new Map<number, string | null>();
	const documentByItem = new Map<number, string>();
	for (const state of ready) {
		if (state.status !== undefined) continue;
		const outcome = outcomes.get(state.itemIndex);
		if (!outcome) {
			failState(state, 'The item was not part of any planned entry');
			continue;
		}
		entryTraceByItem.set(state.itemIndex, outcome.entryTraceId);
		if (outcome.status === 'failed') {
			failState(state, outcome.reason);
		} else {
			state.status = outcome.status;
			documentByItem.set(state.itemIndex, outcome.documentNumber);
		}
	}

	for (const state of states) {
		if (state.samePurchaseAs === undefined) continue;
		const first = states[state.samePurchaseAs];
		const followed = samePurchaseOutcome(
			{
				itemIndex: first.itemIndex,
				status: first.status ?? 'failed',
				reason: first.reason,
				amount: str(first.json.amount),
				recordId: str(first.json.id),
			},
			{ amount: str(state.json.amount), recordId: str(state.json.id) },
		);
		state.status = followed.status;
		state.reason = followed.reason;
		const documentNumber = documentByItem.get(first.itemIndex);
		if (documentNumber !== undefined && followed.status === 'already_posted') {
			documentByItem.set(state.itemIndex, documentNumber);
		}
	}

	// 5. One output item per input item, in input order, paired to it.
	const output: INodeExecutionData[] = [];
	const failures: ItemState[] = [];
	for (const state of states) {
		const documentNumber = documentByItem.get(state.itemIndex) ?? null;
		if (!options.includeRaw) delete state.json.raw;
		const posting = state.posting;
		const postResult: PostResult = {
			status: state.status ?? 'failed',
			...(state.reason ? { reason: state.reason } : {}),
			documentNumber,
			traceId: state.traceId,
			entryTraceId: entryTraceByItem.get(state.itemIndex) ?? null,
			entryType: posting?.entryType ?? state.entryType,
			site: posting?.site ?? state.site,
			accountingDate: str(state.json.accountingDate) || null,
			account: posting?.account ?? null,
			dimensions: posting?.dimensions ?? {},
			businessPartner: posting?.businessPartner ?? null,
			amount: str(state.json.amount) || null,
			currency: str(state.json.currency) || null,
			ruleIndex: state.ruleIndex,
			ruleName: state.ruleName,
			...(posting?.lines ? { lines: postedLines(posting) } : {}),
		};
		if (postResult.status === 'failed') {
			failures.push(state);
			if (this.continueOnFail()) {
				output.push(
					failureItem(this, state.itemIndex, state.reason ?? 'Unknown failure', state.json, {
						postResult,
					}),
				);
			}
			continue;
		}
		output.push(...pairedResults(this, { ...state.json, postResult }, state.itemIndex));
	}

	if (failures.length > 0 && !this.continueOnFail()) {
		const first = failures[0];
		const counts = countStatuses(states);
		throw new NodeOperationError(node, first.reason ?? 'Posting failed', {
			itemIndex: first.itemIndex,
			description: `${failures.length} of ${states.length} items failed (first: item ${first.itemIndex}); ${counts.posted} posted, ${counts.already_posted} already posted, ${counts.skipped} skipped. Posted entries stay in X3; re-running is safe because items are recognised by trace id. Turn on "Continue (using error output)" to route failed items to a separate output.`,
		});
	}
	return output;
};

/**
 * Lengths from the customer's getDescription instead of constants: the trace field's width (when shorter than X3
 * Setup says) and the descriptions cut to their fields, counting the item trace id that leads the line field.
 */
function fitToDescription(
	report: SetupReport,
	layout: X3Layout,
	draftOptions: DraftOptions,
	ready: ItemState[],
): void {
	const { lengths } = report;
	if (lengths.traceField !== null && lengths.traceField < draftOptions.traceFieldLength) {
		draftOptions.traceFieldLength = lengths.traceField;
	}
	const journal = layout.journalEntry;
	const traceLeadsDescription = journal.lineTraceField === journal.fields.lineDescription;
	if (lengths.lineDescription !== null && draftOptions.balancingLineDescription) {
		draftOptions.balancingLineDescription = cutToLength(
			draftOptions.balancingLineDescription,
			lengths.lineDescription,
		);
	}
	for (const state of ready) {
		const posting = state.posting as PostingItem;
		// Coded lines carry their own descriptions (led by their own trace ids).
		for (const line of [...(posting.lines ?? []), ...(posting.balancingLines ?? [])]) {
			if (!line.description || lengths.lineDescription === null) continue;
			const lineRoom =
				lengths.lineDescription - (traceLeadsDescription ? posting.traceId.length + 1 : 0);
			line.description = cutToLength(line.description, Math.max(0, lineRoom)) || undefined;
		}
		if (!posting.description) continue;
		let room = lengths.lineDescription ?? Number.POSITIVE_INFINITY;
		if (traceLeadsDescription) room -= posting.traceId.length + 1;
		// A single-item entry also uses the item's description as its header description.
		if (lengths.headerDescription !== null) room = Math.min(room, lengths.headerDescription);
		if (room < Number.POSITIVE_INFINITY) {
			posting.description = cutToLength(posting.description, Math.max(0, room)) || undefined;
		}
	}
}

function countStatuses(states: ItemState[]): Record<PostStatus, number> {
	const counts: Record<PostStatus, number> = {
		posted: 0,
		already_posted: 0,
		skipped: 0,
		failed: 0,
	};
	for (const state of states) counts[state.status ?? 'failed']++;
	return counts;
}

/** Reads each distinct account once; fails the items whose account is unknown, inactive or lacks dimensions. */
async function checkAccounts(
	gateway: X3Gateway,
	states: ItemState[],
	rules: MappingRule[],
	defaults: MappingDefaults,
	layout: X3Layout,
	liabilityDimensions: Record<string, string>,
): Promise<void> {
	const pending = states.filter((state) => state.posting && state.status === undefined);
	const codes = new Set<string>();
	// Every account a posting writes: a coded record's lines each have their own.
	const accountsOf = (posting: PostingItem): string[] => [
		posting.account,
		...[...(posting.lines ?? []), ...(posting.balancingLines ?? [])].map((line) => line.account),
	];
	for (const state of pending) {
		for (const code of accountsOf(state.posting as PostingItem)) codes.add(code);
		codes.add((state.posting as PostingItem).liabilityAccount);
	}
	const accounts = new Map<string, X3Account | null | Error>();
	for (const code of codes) {
		try {
			accounts.set(code, await gateway.getAccount(code));
		} catch (error) {
			accounts.set(code, error instanceof Error ? error : new Error(String(error)));
		}
	}
	const problem = (code: string, role: string): string | null => {
		const account = accounts.get(code);
		if (account instanceof Error)
			return `Could not read ${role} ${code} from X3: ${errorReason(account)}`;
		if (!account) return `${role} ${code} does not exist in X3 (chart ${layout.chartOfAccounts})`;
		if (!account.isActive) return `${role} ${code} is inactive in X3`;
		return null;
	};
	for (const state of pending) {
		const posting = state.posting as PostingItem;
		const issue =
			accountsOf(posting)
				.map((code) => problem(code, 'GL account'))
				.find((found) => found !== null) ??
			problem(posting.liabilityAccount, 'Card liability account');
		if (issue) {
			failState(state, issue);
			continue;
		}
		const liability = accounts.get(posting.liabilityAccount) as X3Account;
		const liabilityMissing = liability.requiredDimensionTypes.filter(
			(type) => !liabilityDimensions[type],
		);
		if (liabilityMissing.length > 0) {
			failState(
				state,
				`Card liability account ${posting.liabilityAccount} requires dimension(s) ${liabilityMissing.join(', ')}; set them in Liability Dimensions`,
			);
			continue;
		}
		// A coded record's dimensions come from Brex; X3 itself refuses a line that lacks one its account needs.
		if (posting.lines) continue;
		// Map again with the account's required dimensions, so the reason names the rule and lookups involved.
		const context = {
			dimensionTypes: layout.dimensionTypes,
			requiredDimensionsFor: (code: string) => {
				const account = accounts.get(code);
				return account && !(account instanceof Error) ? account.requiredDimensionTypes : undefined;
			},
		};
		const remapped = state.expenseCoding
			? mapCodedExpense(state.json as SpendItem, state.expenseCoding, rules, defaults, context)
			: mapSpendItem(state.json as SpendItem, rules, defaults, context);
		if (remapped.status === 'failed') failState(state, remapped.reason);
	}
}
