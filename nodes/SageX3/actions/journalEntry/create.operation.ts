import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { JournalDraftError, assertBalanced } from '../../../ledger/journalDraft';
import { MoneyError, isKnownCurrency, normaliseDecimal } from '../../../common/money';
import { hashToBase32 } from '../../../common/traceId';
import type { JournalEntryDraft, JournalLineDraft } from '../../../ledger/journalTypes';
import type { X3Layout } from '../../transport/gateway.types';
import { getLayout } from '../../helpers/context';
import {
	forEachItem,
	parseDimensionAssignments,
	parseJsonParameter,
	toAccountingDate,
} from '../../helpers/utils';
import { entryTypeField, siteField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

const properties: INodeProperties[] = [
	entryTypeField,
	siteField,
	{
		displayName: 'Accounting Date',
		name: 'accountingDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Accounting date of the entry (only the date part is used)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. EUR',
		description: 'ISO 4217 currency of the amounts',
	},
	{
		displayName: 'Lines Input',
		name: 'linesInput',
		type: 'options',
		description: 'How the entry lines are given',
		noDataExpression: true,
		options: [
			{ name: 'Fields', value: 'fields', description: 'Enter each line below' },
			{ name: 'JSON', value: 'json', description: 'Give the lines as a JSON array' },
		],
		default: 'fields',
	},
	{
		displayName: 'Lines',
		name: 'lines',
		type: 'fixedCollection',
		description: 'Entry lines; debits and credits must balance',
		placeholder: 'Add Line',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { linesInput: ['fields'] } },
		options: [
			{
				displayName: 'Line',
				name: 'line',
				values: [
					{
						displayName: 'Account',
						name: 'account',
						type: 'string',
						default: '',
						placeholder: 'e.g. 625100',
						description: 'GL account code',
					},
					{
						displayName: 'Business Partner',
						name: 'businessPartner',
						type: 'string',
						default: '',
						description: 'Supplier or customer code (BPR), for collective accounts',
					},
					{
						displayName: 'Credit',
						name: 'credit',
						type: 'string',
						default: '',
						placeholder: 'e.g. 120.50',
						description: 'Credit amount (leave empty on a debit line)',
					},
					{
						displayName: 'Debit',
						name: 'debit',
						type: 'string',
						default: '',
						placeholder: 'e.g. 120.50',
						description: 'Debit amount (leave empty on a credit line)',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						description: 'Line description',
						default: '',
					},
					{
						displayName: 'Dimensions',
						name: 'dimensions',
						type: 'string',
						default: '',
						placeholder: 'e.g. CC-SF, ENG, PRJ-ALPHA',
						description:
							'One value per configured dimension type, in X3 Setup order (empty to skip a type), or TYPE=VALUE pairs',
					},
					{
						displayName: 'Tax Code',
						name: 'taxCode',
						type: 'string',
						description: 'X3 tax code of the line, if the account needs one',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Lines (JSON)',
		name: 'linesJson',
		type: 'json',
		default:
			'[\n  {"account": "625100", "debit": "120.50", "dimensions": {"CCT": "CC-SF"}},\n  {"account": "467100", "credit": "120.50"}\n]',
		displayOptions: { show: { linesInput: ['json'] } },
		description:
			'Array of lines: account, debit or credit, dimensions ({"TYPE": "VALUE"} or "TYPE=VALUE, …"), businessPartner, taxCode, description',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		description: 'Optional entry fields',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Check Trace ID First',
				name: 'checkTraceId',
				type: 'boolean',
				default: true,
				description:
					'Whether to look the trace ID up in X3 first and report an existing entry instead of posting a duplicate',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'Entry description (header)',
			},
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				description: 'Entry reference (header REF)',
				default: '',
			},
			{
				displayName: 'Trace ID',
				name: 'traceId',
				type: 'string',
				default: '',
				description:
					'Idempotency key written to the trace field (X3 Setup). When empty, one is derived from the entry content, so posting the same entry twice is detected.',
			},
		],
	},
];

const displayOptions = { show: { resource: ['journalEntry'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface LineInput {
	account?: unknown;
	debit?: unknown;
	credit?: unknown;
	dimensions?: unknown;
	businessPartner?: unknown;
	taxCode?: unknown;
	description?: unknown;
}

function text(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value).trim();
}

function exactAmount(amount: string, currency: string): { value: string } | { error: string } {
	try {
		return { value: normaliseDecimal(amount, currency) };
	} catch (error) {
		return { error: (error as MoneyError).message };
	}
}

/** Lines as given (fields or JSON) to JournalLineDraft, amounts exact in the currency. Throws with the line number. */
export function toLineDrafts(
	inputs: LineInput[],
	currency: string,
	dimensionTypes: string[],
): JournalLineDraft[] {
	return inputs.map((input, index) => {
		const where = `Line ${index + 1}`;
		const account = text(input.account);
		if (account === '') throw new Error(`${where}: the account is empty`);
		const debit = text(input.debit);
		const credit = text(input.credit);
		if ((debit === '') === (credit === '')) {
			throw new Error(
				`${where}: give either a debit or a credit amount, not ${debit === '' ? 'neither' : 'both'}`,
			);
		}
		const amount = exactAmount(debit || credit, currency);
		if ('error' in amount) throw new Error(`${where}: ${amount.error}`);
		if (amount.value.startsWith('-'))
			throw new Error(`${where}: amounts must be positive; use the other side instead`);
		let dimensions: Record<string, string>;
		if (
			input.dimensions &&
			typeof input.dimensions === 'object' &&
			!Array.isArray(input.dimensions)
		) {
			dimensions = {};
			for (const [type, value] of Object.entries(input.dimensions as Record<string, unknown>)) {
				if (dimensionTypes.length > 0 && !dimensionTypes.includes(type)) {
					throw new Error(`${where}: dimension type "${type}" is not configured in X3 Setup`);
				}
				if (text(value) !== '') dimensions[type] = text(value);
			}
		} else {
			dimensions = parseDimensionAssignments(text(input.dimensions), dimensionTypes, where);
		}
		const line: JournalLineDraft = {
			account,
			[debit ? 'debit' : 'credit']: amount.value,
			dimensions,
		};
		if (text(input.businessPartner)) line.businessPartner = text(input.businessPartner);
		if (text(input.taxCode)) line.taxCode = text(input.taxCode);
		if (text(input.description)) line.description = text(input.description);
		return line;
	});
}

/** A trace id derived from the entry content, so the same manual entry posted twice is recognised. */
export function contentTraceId(
	draft: Omit<JournalEntryDraft, 'traceId'>,
	maxLength: number,
): string {
	const prefix = 'BRXM-';
	return prefix + hashToBase32(JSON.stringify(draft), Math.min(maxLength, 32) - prefix.length);
}

function resolveTraceId(
	given: string,
	draft: Omit<JournalEntryDraft, 'traceId'>,
	layout: X3Layout,
): string {
	const maxLength = layout.journalEntry.traceFieldLength;
	if (given === '') return contentTraceId(draft, maxLength);
	if (given.length > maxLength) {
		throw new Error(
			`Trace ID "${given}" is longer than the ${maxLength} characters of the trace field`,
		);
	}
	return given;
}

export const execute: OperationExecute = async function (items, gateway) {
	const layout = getLayout(this);
	return await forEachItem(this, items, async (itemIndex) => {
		const fail = (message: string, hint?: string) =>
			new NodeOperationError(this.getNode(), message, { itemIndex, description: hint });
		const entryType = text(this.getNodeParameter('entryType', itemIndex, ''));
		const site = text(this.getNodeParameter('site', itemIndex, ''));
		const accountingDate = toAccountingDate(this.getNodeParameter('accountingDate', itemIndex, ''));
		const currency = text(this.getNodeParameter('currency', itemIndex, '')).toUpperCase();
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (entryType === '') throw fail('Entry Type is empty');
		if (site === '') throw fail('Site is empty');
		if (!accountingDate) throw fail('Accounting Date is missing or not a date');
		if (!isKnownCurrency(currency)) throw fail(`Currency "${currency}" is not an ISO 4217 code`);

		let lineInputs: LineInput[];
		if (this.getNodeParameter('linesInput', itemIndex, 'fields') === 'json') {
			const parsed = parseJsonParameter(
				this,
				this.getNodeParameter('linesJson', itemIndex, '[]'),
				'Lines (JSON)',
				itemIndex,
			);
			if (!Array.isArray(parsed)) throw fail('Lines (JSON) must be an array of line objects');
			lineInputs = parsed as LineInput[];
		} else {
			lineInputs = this.getNodeParameter('lines.line', itemIndex, []) as LineInput[];
		}

		let lines: JournalLineDraft[];
		try {
			lines = toLineDrafts(lineInputs, currency, layout.dimensionTypes);
		} catch (error) {
			throw fail((error as Error).message);
		}
		const content: Omit<JournalEntryDraft, 'traceId'> = {
			entryType,
			site,
			accountingDate,
			currency,
			lines,
		};
		if (text(fields.reference)) content.reference = text(fields.reference);
		if (text(fields.description)) content.description = text(fields.description);
		let draft: JournalEntryDraft;
		try {
			draft = { ...content, traceId: resolveTraceId(text(fields.traceId), content, layout) };
			// Refused here, before any X3 call: X3 would reject it anyway, after using a pool slot.
			assertBalanced(draft);
		} catch (error) {
			if (error instanceof JournalDraftError) throw fail(error.message, 'Nothing was sent to X3.');
			throw fail((error as Error).message);
		}

		if (fields.checkTraceId !== false) {
			const found = await gateway.findPostedTraceIds([draft.traceId]);
			const documentNumber = found.get(draft.traceId);
			if (documentNumber !== undefined) {
				return {
					status: 'already_posted',
					documentNumber,
					traceId: draft.traceId,
					entryType,
					accountingDate,
				};
			}
		}
		const saved = await gateway.saveJournalEntry(draft);
		return {
			status: 'posted',
			...saved,
			documentNumber: saved.documentNumber,
			traceId: draft.traceId,
			entryType: saved.entryType ?? entryType,
			accountingDate: saved.accountingDate ?? accountingDate,
			currency: saved.currency ?? currency,
		} as IDataObject;
	});
};
