/**
 * Brex Fields API (Beta, spec fields.json = [SPEC-FLD26], fact sheet §5.6): custom fields and their values, where an
 * integration keeps ERP master data (GL accounts, dimensions) so that coded records come back with the ERP code as
 * `remote_field_value_id`. Paths, request bodies and calls; the HTTP itself is the shared client's.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import {
	brexItems,
	brexPages,
	brexRequest,
	type BrexClientOptions,
	type BrexContext,
} from './client';

export const FIELDS_PATH = '/v1/fields';
/** List Fields / List Field Values: "limit … can't be greater than 1000". */
export const FIELDS_MAX_PAGE_SIZE = 1000;
/** Create / update / delete field values: "It can't contain more than 1000 values at once." */
export const FIELD_VALUES_MAX_BATCH = 1000;
export const FIELD_GROUPS = ['ACCOUNTING', 'USER', 'ERP'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];

/** Field as the API answers it (schema Field). */
export interface BrexField {
	brex_id: string;
	name: string | null;
	remote_id?: string | null;
	updated_at: string;
	is_disabled: boolean;
	group?: FieldGroup | null;
}

/** Field value as the API answers it (schema FieldValue). */
export interface BrexFieldValue {
	brex_id: string;
	remote_id?: string | null;
	value_id?: string | null;
	value: string;
	field_id: string;
	updated_at: string;
	is_disabled: boolean;
}

export function fieldPath(fieldId: string): string {
	return `${FIELDS_PATH}/${encodeURIComponent(fieldId)}`;
}

export function fieldValuesPath(fieldId: string): string {
	return `${fieldPath(fieldId)}/values`;
}

export interface FieldCreateInput {
	name: string;
	group: FieldGroup;
	remoteId?: string;
	/** Required by Brex for ERP-group fields (they belong to an accounting integration). */
	integrationId?: string;
	disabled?: boolean;
}

/**
 * The members that are given: an undefined one is left out of the body, where Brex would read it as a change.
 * Callers pass an empty id as undefined (Brex rejects empty ids).
 */
function givenMembers(members: Record<string, string | boolean | undefined>): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(members)) if (value !== undefined) body[key] = value;
	return body;
}

/** FieldCreateBody: name and group required; optional members only when given. */
export function fieldCreateBody(input: FieldCreateInput): IDataObject {
	return {
		name: input.name,
		group: input.group,
		...givenMembers({
			remote_id: input.remoteId || undefined,
			integration_id: input.integrationId || undefined,
			is_disabled: input.disabled,
		}),
	};
}

/** FieldUpdateBody: only name and is_disabled can change (group and remote_id cannot). */
export function fieldUpdateBody(input: { name?: string; disabled?: boolean }): IDataObject {
	return givenMembers({ name: input.name, is_disabled: input.disabled });
}

export interface FieldValueCreateInput {
	value: string;
	remoteId?: string;
	valueId?: string;
	disabled?: boolean;
}

/** CreateFieldValueBody. */
export function fieldValueCreateBody(input: FieldValueCreateInput): IDataObject {
	return {
		value: input.value,
		...givenMembers({
			value_id: input.valueId || undefined,
			remote_id: input.remoteId || undefined,
			is_disabled: input.disabled,
		}),
	};
}

export interface FieldValueUpdateInput {
	remoteId: string;
	value?: string;
	disabled?: boolean;
}

/** UpdateFieldValue.ByRemoteId: the value addressed by its remote_id, with the data that changes. */
export function fieldValueUpdateBody(input: FieldValueUpdateInput): IDataObject {
	return {
		remote_id: input.remoteId,
		data: givenMembers({ value: input.value, is_disabled: input.disabled }),
	};
}

/** JSON with object keys sorted at every level, so equal requests give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as IDataObject)
			.filter(([, member]) => member !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** Namespace of this package's name-based keys (a random UUID, fixed once). */
const IDEMPOTENCY_NAMESPACE = Buffer.from('5c1f0d3e9a7b4e21b6a4d2f08c3e7a19', 'hex');

/**
 * An Idempotency-Key derived from the request itself (RFC 4122 name-based UUID, version 5): the same create sent
 * again (a retried execution after a lost reply) carries the same key, so Brex replays the first answer instead of
 * creating a second field. Brex asks for a unique, high-entropy key per logical request (developer docs,
 * Idempotency); a UUID derived from method, path and canonical body is that, for creates.
 */
export function derivedIdempotencyKey(method: string, path: string, body: IDataObject): string {
	const name = `${method.toUpperCase()} ${path}\n${canonicalJson(body)}`;
	const hash = createHash('sha1').update(IDEMPOTENCY_NAMESPACE).update(name, 'utf8').digest();
	const bytes = hash.subarray(0, 16);
	bytes[6] = (bytes[6] & 0x0f) | 0x50;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const LARGEST_PAGES = { pageSize: FIELDS_MAX_PAGE_SIZE, maxPageSize: FIELDS_MAX_PAGE_SIZE };

/** The pages (1,000 values each) of a field's values; `filters` are List Field Values' query parameters. */
export function fieldValuePages(
	ctx: BrexContext,
	client: BrexClientOptions,
	fieldId: string,
	filters: IDataObject = {},
	maxItems?: number,
): AsyncGenerator<BrexFieldValue[]> {
	return brexPages<BrexFieldValue>(
		ctx,
		client,
		{ method: 'GET', path: fieldValuesPath(fieldId), qs: filters },
		{ ...LARGEST_PAGES, maxItems },
	);
}

/** Every field of the account, 1,000 per page. */
export function fieldItems(
	ctx: BrexContext,
	client: BrexClientOptions,
	filters: IDataObject = {},
	maxItems?: number,
): AsyncGenerator<BrexField> {
	return brexItems<BrexField>(
		ctx,
		client,
		{ method: 'GET', path: FIELDS_PATH, qs: filters },
		{ ...LARGEST_PAGES, maxItems },
	);
}

function listOf(response: IDataObject): BrexFieldValue[] {
	return Array.isArray(response.items) ? (response.items as BrexFieldValue[]) : [];
}

function checkBatch(items: IDataObject[]): void {
	if (items.length === 0 || items.length > FIELD_VALUES_MAX_BATCH) {
		throw new RangeError(
			`a field value batch holds 1 to ${FIELD_VALUES_MAX_BATCH} values, not ${items.length}`,
		);
	}
}

/**
 * POST one batch (≤ 1,000) of CreateFieldValueBody. Without a key the client's own is used: a random one that stays
 * the same across the retries of this call.
 */
export async function createFieldValues(
	ctx: BrexContext,
	client: BrexClientOptions,
	fieldId: string,
	items: IDataObject[],
	idempotencyKey?: string,
): Promise<BrexFieldValue[]> {
	return await writeFieldValues(ctx, client, 'POST', fieldId, items, idempotencyKey);
}

/** PUT one batch (≤ 1,000) of UpdateFieldValueBody. */
export async function updateFieldValues(
	ctx: BrexContext,
	client: BrexClientOptions,
	fieldId: string,
	items: IDataObject[],
): Promise<BrexFieldValue[]> {
	return await writeFieldValues(ctx, client, 'PUT', fieldId, items);
}

/** One checked batch of field values written (POST creates, PUT updates); Brex answers with the values. */
async function writeFieldValues(
	ctx: BrexContext,
	client: BrexClientOptions,
	method: 'POST' | 'PUT',
	fieldId: string,
	items: IDataObject[],
	idempotencyKey?: string,
): Promise<BrexFieldValue[]> {
	checkBatch(items);
	const response = await brexRequest<IDataObject>(ctx, client, {
		method,
		path: fieldValuesPath(fieldId),
		body: { items },
		idempotencyKey,
	});
	return listOf(response);
}
