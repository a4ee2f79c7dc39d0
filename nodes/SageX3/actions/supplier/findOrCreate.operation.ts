import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationDescription } from '../../../common/nodeDescriptions';
import { cutToLength } from '../../../common/fieldText';
import { findSupplierAlias, foldName } from '../../../ledger/supplierMatch';
import type {
	SupplierAlias,
	SupplierDecision,
	SupplierOnItem,
} from '../../../ledger/supplierMatch';
import { hashToBase32 } from '../../../common/traceId';
import type { X3Supplier } from '../../transport/gateway.types';
import { SupplierResolver } from '../../helpers/supplierResolver';
import { forEachItem, parseJsonParameter } from '../../helpers/utils';
import { supplierDraft } from './create.operation';
import { supplierCategoryField } from '../common.descriptions';
import type { OperationExecute } from '../node.type';

type NotFoundPolicy = 'create' | 'useDefault' | 'skip';

const properties: INodeProperties[] = [
	{
		displayName: 'Vendor Name From',
		name: 'vendorNameSource',
		type: 'options',
		description: 'Where the vendor name to look up comes from',
		noDataExpression: true,
		options: [
			{
				name: 'Input Spend Item',
				value: 'spendItem',
				description: 'The vendorName of the Brex spend item (else its merchant name)',
			},
			{
				name: 'Parameter',
				value: 'parameter',
				description: 'A name given below, e.g. by an expression',
			},
		],
		default: 'spendItem',
	},
	{
		displayName: 'Vendor Name',
		name: 'vendorName',
		type: 'string',
		description: 'Vendor name to look up in X3 suppliers (accent- and case-insensitive)',
		default: '',
		required: true,
		placeholder: 'e.g. Acme Corp',
		displayOptions: { show: { vendorNameSource: ['parameter'] } },
	},
	{
		displayName: 'If Not Found',
		name: 'notFoundPolicy',
		type: 'options',
		description: 'What to do when no X3 supplier matches the vendor',
		noDataExpression: true,
		options: [
			{
				name: 'Create Supplier',
				value: 'create',
				description: 'Create the supplier in X3 with the category below',
			},
			{
				name: 'Skip Item',
				value: 'skip',
				description:
					'Mark the item as skipped with a reason; Post Spend reports it without posting',
			},
			{
				name: 'Use Default',
				value: 'useDefault',
				description: 'Pass a default supplier code and/or expense account on to Post Spend',
			},
		],
		default: 'create',
	},
	{
		...supplierCategoryField(
			'X3 supplier category (BSGCOD) of created suppliers; its defaults fill the other supplier fields',
		),
		displayOptions: { show: { notFoundPolicy: ['create'] } },
	},
	{
		displayName: 'Default Supplier Code',
		name: 'defaultSupplierCode',
		type: 'string',
		default: '',
		placeholder: 'e.g. DIVERS',
		description:
			'X3 supplier used when the vendor is not found (e.g. a miscellaneous supplier); may be empty',
		displayOptions: { show: { notFoundPolicy: ['useDefault'] } },
	},
	{
		displayName: 'Default Expense Account',
		name: 'defaultExpenseAccount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 628000',
		description:
			'GL account Post Spend uses for these items when no mapping rule sets one; may be empty',
		displayOptions: { show: { notFoundPolicy: ['useDefault'] } },
	},
	{
		displayName: 'Aliases',
		name: 'aliases',
		type: 'fixedCollection',
		placeholder: 'Add Alias',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Brex vendor names that map to a given X3 supplier, checked before the name search',
		options: [
			{
				displayName: 'Alias',
				name: 'alias',
				values: [
					{
						displayName: 'Vendor Name',
						name: 'vendorName',
						type: 'string',
						default: '',
						placeholder: 'e.g. AMZN Mktp US',
						description: 'Brex vendor name (compared case-, accent- and punctuation-insensitively)',
					},
					{
						displayName: 'Supplier Code',
						name: 'supplierCode',
						type: 'string',
						description: 'X3 supplier code (BPSNUM) this vendor name stands for',
						default: '',
						placeholder: 'e.g. AMAZON',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		description: 'Settings of supplier creation and matching',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Address Code',
				name: 'addressCode',
				type: 'string',
				default: '',
				description: 'Default address code (BPAADD) of created suppliers',
			},
			{
				displayName: 'Alias Table (JSON)',
				name: 'aliasTable',
				type: 'json',
				default: '{}',
				description:
					'More aliases as a JSON object {"Brex vendor name": "X3 supplier code"}, e.g. from a data table',
			},
			{
				displayName: 'Code Prefix',
				name: 'codePrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. BRX',
				description:
					'Give created suppliers a code made of this prefix and a hash of the name (so a re-run finds the same code). Leave empty when X3 numbers suppliers.',
			},
			{
				displayName: 'Country',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'e.g. FR',
				description:
					'X3 country code of created suppliers; the category default applies when empty',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description: 'Currency of created suppliers; when empty, the currency of the spend item',
			},
			{
				displayName: 'Max Name Length',
				name: 'nameMaxLength',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 35,
				description: 'Created supplier names are cut to this length (BPSNAM holds 35 characters)',
			},
			{
				displayName: 'Search Limit',
				name: 'searchLimit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50,
				description: 'How many suppliers one name search may return before the exact comparison',
			},
			{
				displayName: 'Verify Alias Codes',
				name: 'verifyAliases',
				type: 'boolean',
				default: true,
				description:
					'Whether to read an aliased supplier from X3 (one call per alias) to check it exists',
			},
		],
	},
];

export const description = operationDescription('supplier', 'findOrCreate', properties);

interface FindOrCreateOptions {
	addressCode?: string;
	aliasTable?: string | IDataObject;
	codePrefix?: string;
	country?: string;
	currency?: string;
	nameMaxLength?: number;
	searchLimit?: number;
	verifyAliases?: boolean;
}

function aliasList(
	context: IExecuteFunctions,
	itemIndex: number,
	options: FindOrCreateOptions,
): SupplierAlias[] {
	const fixed = context.getNodeParameter('aliases.alias', itemIndex, []) as Array<
		Partial<SupplierAlias>
	>;
	const aliases: SupplierAlias[] = fixed
		.filter((alias) => alias.vendorName?.trim() && alias.supplierCode?.trim())
		.map((alias) => ({
			vendorName: String(alias.vendorName).trim(),
			supplierCode: String(alias.supplierCode).trim(),
		}));
	const table = parseJsonParameter(context, options.aliasTable, 'Alias Table', itemIndex);
	if (table === undefined || table === null) return aliases;
	if (typeof table !== 'object' || Array.isArray(table)) {
		throw new NodeOperationError(
			context.getNode(),
			'Alias Table must be a JSON object {"vendor name": "code"}',
			{
				itemIndex,
			},
		);
	}
	for (const [vendorName, code] of Object.entries(table as Record<string, unknown>)) {
		if (typeof code !== 'string' || code.trim() === '') {
			throw new NodeOperationError(
				context.getNode(),
				`Alias Table: the code for "${vendorName}" must be text`,
				{
					itemIndex,
				},
			);
		}
		aliases.push({ vendorName, supplierCode: code.trim() });
	}
	return aliases;
}

function vendorNameOf(context: IExecuteFunctions, itemIndex: number, json: IDataObject): string {
	const source = context.getNodeParameter('vendorNameSource', itemIndex, 'spendItem') as string;
	if (source === 'parameter')
		return String(context.getNodeParameter('vendorName', itemIndex, '') ?? '').trim();
	const merchant = json.merchant as IDataObject | undefined;
	const name = json.vendorName || merchant?.name;
	return typeof name === 'string' ? name.trim() : '';
}

function supplierOnItem(
	supplier: X3Supplier,
	matchedBy: SupplierOnItem['matchedBy'],
	extra: IDataObject = {},
) {
	const result: SupplierOnItem = { code: supplier.code, name: supplier.name, matchedBy, ...extra };
	return result;
}

/** A deterministic code for a created supplier: prefix + hash of the folded name, 10 characters in all. */
export function generatedSupplierCode(prefix: string, vendorName: string, length = 10): string {
	const cleanPrefix = prefix.trim().toUpperCase();
	return cleanPrefix + hashToBase32(foldName(vendorName), Math.max(4, length - cleanPrefix.length));
}

/** Items looked up at once; X3 calls stay within the credential's Max Concurrent Calls (gateway limiter). */
const LOOKUP_CONCURRENCY = 8;

export const execute: OperationExecute = async function (items, gateway) {
	const firstOptions = this.getNodeParameter('options', 0, {}) as FindOrCreateOptions;
	const resolver = new SupplierResolver(gateway, firstOptions.searchLimit ?? 50);

	const resolveItem = async (itemIndex: number, item: INodeExecutionData): Promise<IDataObject> => {
		const options = this.getNodeParameter('options', itemIndex, {}) as FindOrCreateOptions;
		const policy = this.getNodeParameter('notFoundPolicy', itemIndex, 'create') as NotFoundPolicy;
		// A re-run on enriched items replaces the earlier outcome.
		const json: IDataObject = { ...item.json };
		delete json.supplier;
		delete json.supplierDecision;
		const vendorName = vendorNameOf(this, itemIndex, item.json);
		const maxNameLength = options.nameMaxLength ?? 35;
		const withSupplier = (supplier: SupplierOnItem): IDataObject => ({ ...json, supplier });
		const withDecision = (decision: SupplierDecision): IDataObject => ({
			...json,
			supplierDecision: decision,
		});

		// The default supplier (or none) and the default expense account: the "use default" policy, and what
		// an item without any vendor name gets under "create" (accounting records of card spend have no
		// vendor; there is nothing to create, and a GL line needs no business partner).
		const useDefault = (why: string): IDataObject => {
			const code = String(this.getNodeParameter('defaultSupplierCode', itemIndex, '')).trim();
			const account = String(this.getNodeParameter('defaultExpenseAccount', itemIndex, '')).trim();
			const fallback: SupplierOnItem = {
				code: code || null,
				name: null,
				matchedBy: 'default',
				note: why,
			};
			if (account) fallback.defaultExpenseAccount = account;
			return withSupplier(fallback);
		};

		const notFound = async (why: string): Promise<IDataObject> => {
			if (policy === 'skip') return withDecision({ action: 'skip', reason: why, vendorName });
			if (policy === 'useDefault' || vendorName === '') return useDefault(why);
			const category = String(this.getNodeParameter('category', itemIndex, '')).trim();
			if (category === '') {
				throw new NodeOperationError(
					this.getNode(),
					'Supplier Category is required to create suppliers',
					{
						itemIndex,
						description: 'Set the X3 supplier category (BSGCOD) whose defaults new suppliers take.',
					},
				);
			}
			const name = cutToLength(vendorName, maxNameLength).trim();
			const draft = supplierDraft(name, category, {
				code: options.codePrefix?.trim()
					? generatedSupplierCode(options.codePrefix, vendorName)
					: undefined,
				country: options.country,
				currency:
					options.currency || (typeof json.currency === 'string' ? json.currency : undefined),
				addressCode: options.addressCode,
			});
			const created = await resolver.create(vendorName, draft);
			return withSupplier(supplierOnItem(created, 'created', { note: why }));
		};

		if (vendorName === '') return await notFound('The item has no vendor name');

		const alias = findSupplierAlias(vendorName, aliasList(this, itemIndex, options));
		if (alias) {
			if (options.verifyAliases === false) {
				return withSupplier({ code: alias.supplierCode, name: null, matchedBy: 'alias' });
			}
			const supplier = await resolver.getByCode(alias.supplierCode);
			if (!supplier) {
				throw new NodeOperationError(
					this.getNode(),
					`The alias for "${vendorName}" points to supplier "${alias.supplierCode}", which X3 does not have`,
					{ itemIndex, description: 'Correct the alias, or create the supplier in X3.' },
				);
			}
			return withSupplier(supplierOnItem(supplier, 'alias'));
		}

		let pick = await resolver.findByName(vendorName);
		const cutName = cutToLength(vendorName, maxNameLength).trim();
		if (pick.kind === 'none' && cutName !== vendorName) {
			// A supplier created by an earlier run carries the name cut to the X3 field width.
			pick = await resolver.findByName(cutName);
		}
		if (pick.kind === 'match') {
			return withSupplier(supplierOnItem(pick.supplier, 'name', { matchQuality: pick.quality }));
		}
		if (pick.kind === 'ambiguous') {
			const list = pick.candidates.map((s) => `${s.code} "${s.name}"`).join(', ');
			throw new NodeOperationError(
				this.getNode(),
				`Vendor "${vendorName}" matches several X3 suppliers: ${list}`,
				{
					itemIndex,
					description: 'Add an alias for this vendor name to choose the supplier.',
				},
			);
		}
		if (pick.kind === 'inactive') {
			const list = pick.candidates.map((s) => `${s.code} "${s.name}"`).join(', ');
			if (policy === 'create') {
				throw new NodeOperationError(
					this.getNode(),
					`Vendor "${vendorName}" matches only inactive X3 supplier(s) ${list}; not creating a duplicate`,
					{
						itemIndex,
						description: 'Reactivate the supplier in X3, or add an alias to another supplier.',
					},
				);
			}
			return await notFound(`Vendor "${vendorName}" matches only inactive X3 supplier(s) ${list}`);
		}
		return await notFound(`No X3 supplier matches vendor "${vendorName}"`);
	};

	// Items wait on X3's latency, not on each other, so several are in flight (the gateway's limiter keeps X3
	// within its pool). Items of the same vendor go one after another, so the first creates a missing supplier
	// and the next ones find it by name, as they would in order.
	return await forEachItem(
		this,
		items,
		async (itemIndex, item) =>
			await resolver.oneAtATime(
				foldName(vendorNameOf(this, itemIndex, item.json)),
				async () => await resolveItem(itemIndex, item),
			),
		{ keepInputOnError: true, concurrency: LOOKUP_CONCURRENCY },
	);
};
