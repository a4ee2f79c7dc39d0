/**
 * The Fields API (fields.json, Beta; fact sheet §5.6): custom fields and their values, where an integration keeps
 * ERP master data. Where the spec is silent the emulator picks the strict reading and says so in a comment.
 * State lives beside the emulator state (fieldsOf(state)); it survives a reseed, like webhook subscriptions.
 */
import {
	badRequest,
	brexError,
	decodeCursor,
	encodeCursor,
	notFound,
	parseArray,
	parseJsonBody,
	parseLimit,
	type ApiRequest,
	type ApiResult,
} from './http';
import type { RouteContext, RouteDef } from './routes';
import type { BrexEmulatorState } from './types';

export const FIELD_GROUPS = ['ACCOUNTING', 'USER', 'ERP'] as const;
/** "limit … can't be greater than 1000"; value lists "can't contain more than 1000 values at once". */
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
const MAX_VALUES_PER_CALL = 1000;

export interface EmulatedField {
	brex_id: string;
	name: string;
	remote_id: string | null;
	group: (typeof FIELD_GROUPS)[number];
	integration_id: string | null;
	is_disabled: boolean;
	updated_at: string;
}

export interface EmulatedFieldValue {
	brex_id: string;
	field_id: string;
	value: string;
	value_id: string | null;
	remote_id: string | null;
	is_disabled: boolean;
	updated_at: string;
}

export interface FieldsState {
	fields: Map<string, EmulatedField>;
	/** Field id -> its values by brex_id, in creation order (= list order). */
	values: Map<string, Map<string, EmulatedFieldValue>>;
}

const statesByEmulator = new WeakMap<BrexEmulatorState, FieldsState>();

/** The Fields API state of one emulator (tests read and seed it directly). */
export function fieldsOf(state: BrexEmulatorState): FieldsState {
	let fields = statesByEmulator.get(state);
	if (!fields) {
		fields = { fields: new Map(), values: new Map() };
		statesByEmulator.set(state, fields);
	}
	return fields;
}

function renderField(field: EmulatedField) {
	return {
		brex_id: field.brex_id,
		name: field.name,
		remote_id: field.remote_id,
		updated_at: field.updated_at,
		is_disabled: field.is_disabled,
		group: field.group,
	};
}

function renderValue(value: EmulatedFieldValue) {
	return { ...value };
}

function page<T>(req: ApiRequest, items: T[], render: (item: T) => unknown) {
	const limit = parseLimit(req.query, { max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
	const offset = decodeCursor(req.query.get('cursor'));
	const slice = items.slice(offset, offset + limit);
	const hasMore = offset + limit < items.length;
	return {
		status: 200,
		body: {
			next_cursor: hasMore ? encodeCursor(offset + slice.length, limit) : null,
			items: slice.map(render),
		},
	};
}

function objectBody(req: ApiRequest): Record<string, unknown> {
	const body = parseJsonBody(req) as Record<string, unknown> | null;
	if (body === null || typeof body !== 'object' || Array.isArray(body))
		throw badRequest('Request body must be an object');
	return body;
}

function optionalString(body: Record<string, unknown>, name: string): string | null {
	const value = body[name];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string') throw badRequest(`${name} must be a string`);
	return value;
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean | null {
	const value = body[name];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'boolean') throw badRequest(`${name} must be a boolean`);
	return value;
}

/** A value list body `{items: [...]}` with 1..1000 items. */
function itemList(req: ApiRequest): Record<string, unknown>[] {
	const items = objectBody(req).items;
	if (!Array.isArray(items) || items.length === 0)
		throw badRequest('items must be a non-empty array');
	if (items.length > MAX_VALUES_PER_CALL)
		throw badRequest(`items can't contain more than ${MAX_VALUES_PER_CALL} values at once`);
	return items.map((item, index) => {
		if (item === null || typeof item !== 'object' || Array.isArray(item))
			throw badRequest(`items[${index}] must be an object`);
		return item as Record<string, unknown>;
	});
}

const IDENTIFIERS = ['brex_id', 'value_id', 'remote_id'] as const;

export function createFieldRoutes(ctx: RouteContext): RouteDef[] {
	const { store } = ctx;
	const fieldsState = () => fieldsOf(ctx.state);

	function field(id: string): EmulatedField {
		const found = fieldsState().fields.get(id);
		if (!found) throw notFound('FIELD_NOT_FOUND');
		return found;
	}

	function valuesOf(fieldId: string): Map<string, EmulatedFieldValue> {
		field(fieldId);
		const state = fieldsState();
		let values = state.values.get(fieldId);
		if (!values) {
			values = new Map();
			state.values.set(fieldId, values);
		}
		return values;
	}

	/** The value an update/delete item addresses by exactly one of brex_id, value_id, remote_id (oneOf). */
	function addressed(
		values: Map<string, EmulatedFieldValue>,
		item: Record<string, unknown>,
		index: number,
	): EmulatedFieldValue {
		const given = IDENTIFIERS.filter((key) => item[key] !== undefined && item[key] !== null);
		if (given.length !== 1)
			throw badRequest(`items[${index}] must name exactly one of brex_id, value_id, remote_id`);
		const key = given[0];
		const wanted = item[key];
		if (typeof wanted !== 'string') throw badRequest(`items[${index}].${key} must be a string`);
		const found =
			key === 'brex_id'
				? values.get(wanted)
				: [...values.values()].find((value) => value[key] === wanted);
		if (!found)
			throw brexError(
				404,
				'NOT_FOUND',
				`No field value with ${key} "${wanted}"`,
				'FIELD_VALUE_NOT_FOUND',
			);
		return found;
	}

	function createField(req: ApiRequest): ApiResult {
		const body = objectBody(req);
		const name = body.name;
		if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
		const group = body.group;
		if (typeof group !== 'string' || !(FIELD_GROUPS as readonly string[]).includes(group))
			throw badRequest('group is required and must be ACCOUNTING, USER or ERP');
		const remoteId = optionalString(body, 'remote_id');
		const integrationId = optionalString(body, 'integration_id');
		// Fact sheet §5.6: ERP-group fields belong to an accounting integration.
		if (group === 'ERP' && !integrationId)
			throw badRequest('integration_id is required for ERP fields');
		// The spec does not say remote ids are unique; refusing a second one keeps "keyed by remote_id" testable.
		if (remoteId !== null) {
			for (const existing of fieldsState().fields.values()) {
				if (existing.remote_id === remoteId)
					throw badRequest(`A field with remote_id "${remoteId}" already exists`);
			}
		}
		const created: EmulatedField = {
			brex_id: store.mintId('extended_field'),
			name,
			remote_id: remoteId,
			group: group as EmulatedField['group'],
			integration_id: integrationId,
			is_disabled: optionalBoolean(body, 'is_disabled') ?? false,
			updated_at: store.nextStamp(),
		};
		fieldsState().fields.set(created.brex_id, created);
		return { status: 200, body: renderField(created) };
	}

	function updateField(req: ApiRequest): ApiResult {
		const existing = field(req.params.id);
		const body = objectBody(req);
		const name = optionalString(body, 'name');
		if (name !== null && name.trim() === '') throw badRequest('name must not be empty');
		const disabled = optionalBoolean(body, 'is_disabled');
		if (name !== null) existing.name = name;
		if (disabled !== null) existing.is_disabled = disabled;
		existing.updated_at = store.nextStamp();
		return { status: 200, body: renderField(existing) };
	}

	function createValues(req: ApiRequest): ApiResult {
		const fieldId = req.params.field_id;
		const values = valuesOf(fieldId);
		const items = itemList(req);
		const taken = new Set(
			[...values.values()].map((value) => value.remote_id).filter((id) => id !== null),
		);
		// Checked in full before anything is stored: a bad item creates nothing.
		const created = items.map((item, index): EmulatedFieldValue => {
			const value = item.value;
			if (typeof value !== 'string' || value.trim() === '')
				throw badRequest(`items[${index}].value is required`);
			const remoteId = optionalString(item, 'remote_id');
			if (remoteId !== null) {
				// Not stated by the spec; a second value with one remote_id would make remote_id updates ambiguous.
				if (taken.has(remoteId))
					throw badRequest(`A value with remote_id "${remoteId}" already exists in this field`);
				taken.add(remoteId);
			}
			return {
				brex_id: store.mintId('efo'),
				field_id: fieldId,
				value,
				value_id: optionalString(item, 'value_id'),
				remote_id: remoteId,
				is_disabled: optionalBoolean(item, 'is_disabled') ?? false,
				updated_at: store.nextStamp(),
			};
		});
		for (const value of created) values.set(value.brex_id, value);
		return { status: 200, body: { items: created.map(renderValue) } };
	}

	function updateValues(req: ApiRequest): ApiResult {
		const values = valuesOf(req.params.field_id);
		const changes = itemList(req).map((item, index) => {
			const target = addressed(values, item, index);
			const data = item.data;
			if (data === null || typeof data !== 'object' || Array.isArray(data))
				throw badRequest(`items[${index}].data is required`);
			const value = optionalString(data as Record<string, unknown>, 'value');
			if (value !== null && value.trim() === '')
				throw badRequest(`items[${index}].data.value must not be empty`);
			return {
				target,
				value,
				disabled: optionalBoolean(data as Record<string, unknown>, 'is_disabled'),
			};
		});
		for (const change of changes) {
			if (change.value !== null) change.target.value = change.value;
			if (change.disabled !== null) change.target.is_disabled = change.disabled;
			change.target.updated_at = store.nextStamp();
		}
		return { status: 200, body: { items: changes.map((change) => renderValue(change.target)) } };
	}

	function deleteValues(req: ApiRequest): ApiResult {
		const values = valuesOf(req.params.field_id);
		const doomed = itemList(req).map((item, index) => addressed(values, item, index));
		for (const value of doomed) values.delete(value.brex_id);
		// DeletedFieldValueListResponse declares an object without properties.
		return { status: 200, body: {} };
	}

	return [
		{
			method: 'GET',
			template: '/v1/fields',
			spec: 'fields.json',
			operationId: 'listFields',
			errorStyle: 'brex',
			handler: (req) => {
				const ids = parseArray(req.query, 'field_id[]');
				const fields = [...fieldsState().fields.values()].filter((f) => !ids || ids.has(f.brex_id));
				return page(req, fields, renderField);
			},
		},
		{
			method: 'POST',
			template: '/v1/fields',
			spec: 'fields.json',
			operationId: 'createField',
			errorStyle: 'brex',
			idempotency: 'required',
			handler: createField,
		},
		{
			method: 'GET',
			template: '/v1/fields/{id}',
			spec: 'fields.json',
			operationId: 'getFieldById',
			errorStyle: 'brex',
			handler: (req) => ({ status: 200, body: renderField(field(req.params.id)) }),
		},
		{
			method: 'PUT',
			template: '/v1/fields/{id}',
			spec: 'fields.json',
			operationId: 'updateField',
			errorStyle: 'brex',
			idempotency: 'optional',
			handler: updateField,
		},
		{
			method: 'DELETE',
			template: '/v1/fields/{id}',
			spec: 'fields.json',
			operationId: 'deleteField',
			errorStyle: 'brex',
			handler: (req) => {
				field(req.params.id);
				fieldsState().fields.delete(req.params.id);
				fieldsState().values.delete(req.params.id);
				// The spec declares a 200 without a body.
				return { status: 200 };
			},
		},
		{
			method: 'GET',
			template: '/v1/fields/{field_id}/values',
			spec: 'fields.json',
			operationId: 'listFieldValues',
			errorStyle: 'brex',
			handler: (req) => {
				const q = req.query;
				const brexIds = parseArray(q, 'brex_id[]');
				const valueIds = parseArray(q, 'value_id[]');
				const remoteIds = parseArray(q, 'remote_id[]');
				const name = q.get('value');
				// listFieldValues declares no 404 (unlike the other value routes): an unknown field is a 400 here.
				if (!fieldsState().fields.has(req.params.field_id))
					throw badRequest(`Unknown field_id "${req.params.field_id}"`);
				const values = [...valuesOf(req.params.field_id).values()].filter(
					(v) =>
						(!brexIds || brexIds.has(v.brex_id)) &&
						(!valueIds || (v.value_id !== null && valueIds.has(v.value_id))) &&
						(!remoteIds || (v.remote_id !== null && remoteIds.has(v.remote_id))) &&
						(!name || v.value === name),
				);
				return page(req, values, renderValue);
			},
		},
		{
			method: 'POST',
			template: '/v1/fields/{field_id}/values',
			spec: 'fields.json',
			operationId: 'createFieldValues',
			errorStyle: 'brex',
			idempotency: 'required',
			handler: createValues,
		},
		{
			method: 'PUT',
			template: '/v1/fields/{field_id}/values',
			spec: 'fields.json',
			operationId: 'updateFieldValues',
			errorStyle: 'brex',
			idempotency: 'optional',
			handler: updateValues,
		},
		{
			method: 'DELETE',
			template: '/v1/fields/{field_id}/values',
			spec: 'fields.json',
			operationId: 'deleteFieldValues',
			errorStyle: 'brex',
			handler: deleteValues,
		},
		{
			method: 'GET',
			template: '/v1/fields/{field_id}/values/{brex_id}',
			spec: 'fields.json',
			operationId: 'getFieldValueById',
			errorStyle: 'brex',
			handler: (req) => {
				const value = valuesOf(req.params.field_id).get(req.params.brex_id);
				if (!value) throw notFound('FIELD_VALUE_NOT_FOUND');
				return { status: 200, body: renderValue(value) };
			},
		},
	];
}
