/**
 * X3 GraphQL endpoint (POST /xtrem/api): connected-application JWT check, then validation and execution of the
 * query document against the schema in graphqlSchema.ts, with minimal introspection (`__schema`, `__type`,
 * `__typename`) because clients are told to introspect package names once.
 */

import type { IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import {
	DocumentNode,
	FieldNode,
	GraphQLSyntaxError,
	Location,
	OperationNode,
	SelectionNode,
	TypeNode,
	ValueNode,
	parseGraphQL,
	typeToString,
} from './graphqlParser';
import {
	ConnectionArgs,
	ExecContext,
	FieldError,
	NODES,
	PACKAGES,
	SCALARS,
	connection,
	hiddenProps,
	readById,
} from './graphqlSchema';
import type { GraphqlSupplierName } from './personality';
import { X3Runtime, basicUser, latencyFor, roll } from './runtime';
import type { HttpAnswer } from './soap';

export const GRAPHQL_PATH = '/xtrem/api';

/** Own-property lookup: names come from the request, so inherited members (toString, …) must not match. */
function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

// ---------------------------------------------------------------------------------------------------------------
// Output type system

/* eslint-disable @typescript-eslint/no-explicit-any */
interface OutField {
	type: string;
	args?: Record<string, string>;
	description?: string;
	resolve: (parent: any, args: Record<string, any>, ctx: ExecContext) => unknown;
}

interface OutType {
	name: string;
	description?: string;
	fields: Record<string, OutField>;
}

const CONNECTION_ARGS: Record<string, string> = {
	filter: 'String',
	first: 'Int',
	after: 'String',
	last: 'Int',
	before: 'String',
	orderBy: 'String',
};

function buildTypes(hidden: Set<string>): Map<string, OutType> {
	const types = new Map<string, OutType>();
	const add = (type: OutType) => types.set(type.name, type);
	add({
		name: 'PageInfo',
		fields: {
			startCursor: { type: 'String', resolve: (p) => p.startCursor },
			endCursor: { type: 'String', resolve: (p) => p.endCursor },
			hasNextPage: { type: 'Boolean!', resolve: (p) => p.hasNextPage },
			hasPreviousPage: { type: 'Boolean!', resolve: (p) => p.hasPreviousPage },
		},
	});
	for (const def of Object.values(NODES)) {
		const fields: Record<string, OutField> = {
			_id: { type: 'Id!', resolve: (item, _args, ctx) => def.id(item, ctx) },
		};
		for (const [name, prop] of Object.entries(def.props)) {
			if (hidden.has(`${def.name}.${name}`)) continue;
			if (prop.kind === 'scalar') {
				fields[name] = {
					type: prop.type,
					description: prop.description,
					resolve: (item, _a, ctx) => prop.get(item, ctx),
				};
			} else if (prop.kind === 'reference') {
				fields[name] = {
					type: prop.target,
					description: prop.description,
					resolve: (item, _a, ctx) => prop.get(item, ctx),
				};
			} else if (prop.kind === 'list') {
				fields[name] = {
					type: `[${prop.target}!]!`,
					description: prop.description,
					resolve: (item, _a, ctx) => prop.get(item, ctx),
				};
			} else {
				fields[name] = {
					type: `${prop.target}Collection!`,
					description: prop.description,
					resolve: (item, _a, ctx) => ({ items: prop.get(item, ctx) }),
				};
			}
		}
		add({ name: def.name, description: def.description, fields });
		add({
			name: `${def.name}Edge`,
			fields: {
				cursor: { type: 'String!', resolve: (edge) => edge.cursor },
				node: { type: `${def.name}!`, resolve: (edge) => edge.node },
			},
		});
		add({
			name: `${def.name}Connection`,
			fields: {
				totalCount: { type: 'Int!', resolve: (c) => c.totalCount },
				edges: { type: `[${def.name}Edge!]!`, resolve: (c) => c.edges },
				pageInfo: { type: 'PageInfo!', resolve: (c) => c.pageInfo },
			},
		});
		add({
			name: `${def.name}Collection`,
			fields: {
				query: {
					type: `${def.name}Connection!`,
					args: CONNECTION_ARGS,
					resolve: (collection, args, ctx) =>
						connection(def, collection.items, args as ConnectionArgs, ctx),
				},
			},
		});
	}
	const queryFields: Record<string, OutField> = {};
	for (const [pkg, nodes] of Object.entries(PACKAGES)) {
		const packageType = `${pkg[0].toUpperCase()}${pkg.slice(1)}`;
		const fields: Record<string, OutField> = {};
		for (const [nodeField, entry] of Object.entries(nodes)) {
			const def = NODES[entry.node];
			const operationsType = `${packageType}_${def.name}`;
			add({
				name: operationsType,
				fields: {
					query: {
						type: `${def.name}Connection!`,
						args: CONNECTION_ARGS,
						resolve: (_p, args, ctx) => {
							ctx.runtime.countCall('graphql', `${pkg}.${nodeField}.query`);
							return connection(def, entry.items(ctx), args as ConnectionArgs, ctx);
						},
					},
					read: {
						type: def.name,
						args: { _id: 'Id!' },
						resolve: (_p, args, ctx) => {
							ctx.runtime.countCall('graphql', `${pkg}.${nodeField}.read`);
							return readById(def, entry.items(ctx), String(args._id), ctx);
						},
					},
				},
			});
			fields[nodeField] = { type: `${operationsType}!`, resolve: () => ({}) };
		}
		add({ name: packageType, fields });
		queryFields[pkg] = { type: `${packageType}!`, resolve: () => ({}) };
	}
	add({ name: 'Query', fields: queryFields });
	return types;
}

const TYPES_BY_NAMING = new Map<GraphqlSupplierName, Map<string, OutType>>();
const INTROSPECTION_BY_NAMING = new Map<GraphqlSupplierName, any>();

function typesFor(naming: GraphqlSupplierName): Map<string, OutType> {
	let types = TYPES_BY_NAMING.get(naming);
	if (!types) {
		types = buildTypes(hiddenProps(naming));
		TYPES_BY_NAMING.set(naming, types);
	}
	return types;
}

/**
 * The schema of the request being executed. executeGraphQL runs start to end without awaiting, so setting it
 * at its start is safe even with several emulators (personalities) in one process.
 */
let TYPES = typesFor('both');
let currentNaming: GraphqlSupplierName = 'both';

// ---------------------------------------------------------------------------------------------------------------
// Type strings

type TypeRef =
	| { kind: 'NON_NULL'; of: TypeRef }
	| { kind: 'LIST'; of: TypeRef }
	| { kind: 'NAMED'; name: string };

function parseTypeString(type: string): TypeRef {
	if (type.endsWith('!')) return { kind: 'NON_NULL', of: parseTypeString(type.slice(0, -1)) };
	if (type.startsWith('[')) return { kind: 'LIST', of: parseTypeString(type.slice(1, -1)) };
	return { kind: 'NAMED', name: type };
}

function namedType(type: TypeRef): string {
	return type.kind === 'NAMED' ? type.name : namedType(type.of);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

interface GraphQLErrorOut {
	message: string;
	locations?: Location[];
	path?: Array<string | number>;
	extensions?: Record<string, unknown>;
}

class ValidationError extends Error {
	constructor(
		message: string,
		readonly loc?: Location,
		readonly code = 'GRAPHQL_VALIDATION_FAILED',
	) {
		super(message);
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (a pre-pass over the selection tree, so errors do not depend on which values resolve to null)

interface Scope {
	document: DocumentNode;
	variables: Record<string, unknown>;
	declared: Map<string, string>;
}

function collectFields(
	selections: SelectionNode[],
	scope: Scope,
	seen = new Set<string>(),
): FieldNode[] {
	const fields: FieldNode[] = [];
	for (const selection of selections) {
		if (!includeNode(selection.directives, scope)) continue;
		if (selection.kind === 'Field') fields.push(selection);
		else if (selection.kind === 'InlineFragment')
			fields.push(...collectFields(selection.selections, scope, seen));
		else {
			const fragment = scope.document.fragments.get(selection.name);
			if (!fragment)
				throw new ValidationError(`Unknown fragment "${selection.name}".`, selection.loc);
			if (seen.has(selection.name))
				throw new ValidationError(
					`Cannot spread fragment "${selection.name}" within itself.`,
					selection.loc,
				);
			fields.push(...collectFields(fragment.selections, scope, new Set([...seen, selection.name])));
		}
	}
	return fields;
}

function includeNode(
	directives: Array<{ name: string; args: Record<string, ValueNode> }>,
	scope: Scope,
): boolean {
	for (const directive of directives) {
		const condition = directive.args.if ? valueToJs(directive.args.if, scope) : undefined;
		if (directive.name === 'skip' && condition === true) return false;
		if (directive.name === 'include' && condition === false) return false;
	}
	return true;
}

function validateSelections(typeName: string, selections: SelectionNode[], scope: Scope): void {
	const type = TYPES.get(typeName);
	for (const field of collectFields(selections, scope)) {
		if (field.name === '__typename') continue;
		if (typeName === 'Query' && (field.name === '__schema' || field.name === '__type')) continue;
		const spec = type && hasOwn(type.fields, field.name) ? type.fields[field.name] : undefined;
		if (!spec)
			throw new ValidationError(
				`Cannot query field "${field.name}" on type "${typeName}".`,
				field.loc,
			);
		for (const argName of Object.keys(field.args)) {
			if (!spec.args || !hasOwn(spec.args, argName)) {
				throw new ValidationError(
					`Unknown argument "${argName}" on field "${typeName}.${field.name}".`,
					field.loc,
				);
			}
			checkVariableUse(field.args[argName], scope, field.loc);
		}
		for (const [argName, argType] of Object.entries(spec.args ?? {})) {
			if (argType.endsWith('!') && field.args[argName] === undefined) {
				throw new ValidationError(
					`Field "${typeName}.${field.name}" argument "${argName}" of type "${argType}" is required, but it was not provided.`,
					field.loc,
				);
			}
		}
		const target = namedType(parseTypeString(spec.type));
		if (SCALARS.has(target)) {
			if (field.selections) {
				throw new ValidationError(
					`Field "${field.name}" must not have a selection since type "${spec.type}" has no subfields.`,
					field.loc,
				);
			}
		} else {
			if (!field.selections) {
				throw new ValidationError(
					`Field "${field.name}" of type "${spec.type}" must have a selection of subfields. Did you mean "${field.name} { ... }"?`,
					field.loc,
				);
			}
			validateSelections(target, field.selections, scope);
		}
	}
}

function checkVariableUse(value: ValueNode, scope: Scope, loc: Location): void {
	if (value.kind === 'Variable' && !scope.declared.has(value.name)) {
		throw new ValidationError(`Variable "$${value.name}" is not defined.`, loc);
	}
	if (value.kind === 'List') value.values.forEach((item) => checkVariableUse(item, scope, loc));
	if (value.kind === 'Object')
		Object.values(value.fields).forEach((item) => checkVariableUse(item, scope, loc));
}

function valueToJs(value: ValueNode, scope: Scope): unknown {
	switch (value.kind) {
		case 'Variable':
			return hasOwn(scope.variables, value.name) ? (scope.variables[value.name] ?? null) : null;
		case 'Int':
		case 'Float':
		case 'String':
		case 'Boolean':
			return value.value;
		case 'Enum':
			return value.value;
		case 'Null':
			return null;
		case 'List':
			return value.values.map((item) => valueToJs(item, scope));
		case 'Object': {
			const out: Record<string, unknown> = {};
			for (const [key, item] of Object.entries(value.fields)) out[key] = valueToJs(item, scope);
			return out;
		}
	}
}

/** Coerces provided variables to their declared types (the basic scalar rules of the spec). */
function coerceVariables(
	operation: OperationNode,
	provided: Record<string, unknown>,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const emptyScope: Scope = {
		document: { operations: [], fragments: new Map() },
		variables: {},
		declared: new Map(),
	};
	for (const definition of operation.variables) {
		const typeText = typeToString(definition.type);
		let value = hasOwn(provided, definition.name) ? provided[definition.name] : undefined;
		if (value === undefined && definition.defaultValue)
			value = valueToJs(definition.defaultValue, emptyScope);
		if (value === undefined || value === null) {
			if (definition.type.kind === 'NonNull') {
				throw new ValidationError(
					value === undefined
						? `Variable "$${definition.name}" of required type "${typeText}" was not provided.`
						: `Variable "$${definition.name}" of non-null type "${typeText}" must not be null.`,
					operation.loc,
				);
			}
			out[definition.name] = value ?? null;
			continue;
		}
		out[definition.name] = coerceValue(definition.type, value, definition.name);
	}
	return out;
}

function coerceValue(type: TypeNode, value: unknown, name: string): unknown {
	if (type.kind === 'NonNull') return coerceValue(type.of, value, name);
	if (type.kind === 'List') {
		const list = Array.isArray(value) ? value : [value];
		return list.map((item) => coerceValue(type.of, item, name));
	}
	const invalid = () =>
		new ValidationError(
			`Variable "$${name}" got invalid value ${JSON.stringify(value)}; ${type.name} expected.`,
		);
	switch (type.name) {
		case 'Int':
			if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid();
			return value;
		case 'Float':
			if (typeof value !== 'number') throw invalid();
			return value;
		case 'String':
			if (typeof value !== 'string') throw invalid();
			return value;
		case 'Boolean':
			if (typeof value !== 'boolean') throw invalid();
			return value;
		case 'Id':
		case 'ID':
			if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value)))
				throw invalid();
			return String(value);
		default:
			return value;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Execution

interface Execution {
	scope: Scope;
	ctx: ExecContext;
	errors: GraphQLErrorOut[];
}

function executeSelections(
	typeName: string,
	parent: unknown,
	selections: SelectionNode[],
	path: Array<string | number>,
	exec: Execution,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const type = TYPES.get(typeName)!;
	for (const field of collectFields(selections, exec.scope)) {
		const key = field.alias ?? field.name;
		if (field.name === '__typename') {
			out[key] = typeName;
			continue;
		}
		if (typeName === 'Query' && field.name === '__schema') {
			exec.ctx.runtime.countCall('graphql', 'introspection');
			out[key] = selectPlain(introspectionSchema(), field.selections ?? [], exec.scope);
			continue;
		}
		if (typeName === 'Query' && field.name === '__type') {
			const name = field.args.name ? valueToJs(field.args.name, exec.scope) : null;
			const found = introspectionSchema().types.find((t: any) => t.name === name) ?? null;
			out[key] = found === null ? null : selectPlain(found, field.selections ?? [], exec.scope);
			continue;
		}
		const spec = type.fields[field.name];
		const args: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(field.args))
			args[name] = valueToJs(value, exec.scope);
		const fieldPath = [...path, key];
		try {
			const value = spec.resolve(parent, args, exec.ctx);
			out[key] = completeValue(parseTypeString(spec.type), value, field, fieldPath, exec);
		} catch (error) {
			if (!(error instanceof FieldError)) throw error;
			exec.errors.push({
				message: error.message,
				locations: [field.loc],
				path: fieldPath,
				extensions: { code: error.code },
			});
			out[key] = null;
		}
	}
	return out;
}

function completeValue(
	type: TypeRef,
	value: unknown,
	field: FieldNode,
	path: Array<string | number>,
	exec: Execution,
): unknown {
	if (type.kind === 'NON_NULL') return completeValue(type.of, value, field, path, exec);
	if (value === null || value === undefined) return null;
	if (type.kind === 'LIST') {
		return (value as unknown[]).map((item, index) =>
			completeValue(type.of, item, field, [...path, index], exec),
		);
	}
	switch (type.name) {
		case 'Int':
			return Number(value);
		case 'Boolean':
			return Boolean(value);
		case 'String':
		case 'Id':
		case 'Date':
		case 'Datetime':
		case 'Decimal':
			return String(value);
		case 'Float':
			return Number(value);
		default:
			return executeSelections(type.name, value, field.selections ?? [], path, exec);
	}
}

/** Selection over plain objects (introspection); fields absent from the object resolve to null. */
function selectPlain(value: any, selections: SelectionNode[], scope: Scope): any {
	if (value === null || value === undefined) return null;
	if (Array.isArray(value)) return value.map((item) => selectPlain(item, selections, scope));
	if (typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const field of collectFields(selections, scope)) {
		const key = field.alias ?? field.name;
		const inner = field.name === '__typename' ? (value.__typename ?? null) : value[field.name];
		out[key] = field.selections
			? selectPlain(inner ?? null, field.selections, scope)
			: (inner ?? null);
	}
	return out;
}

function introspectionType(type: TypeRef): any {
	if (type.kind === 'NON_NULL')
		return { kind: 'NON_NULL', name: null, ofType: introspectionType(type.of) };
	if (type.kind === 'LIST') return { kind: 'LIST', name: null, ofType: introspectionType(type.of) };
	return { kind: SCALARS.has(type.name) ? 'SCALAR' : 'OBJECT', name: type.name, ofType: null };
}

function introspectionSchema(): any {
	const cachedIntrospection = INTROSPECTION_BY_NAMING.get(currentNaming);
	if (cachedIntrospection) return cachedIntrospection;
	const objectTypes = [...TYPES.values()].map((type) => ({
		__typename: '__Type',
		kind: 'OBJECT',
		name: type.name,
		description: type.description ?? null,
		fields: Object.entries(type.fields).map(([name, field]) => ({
			name,
			description: field.description ?? null,
			args: Object.entries(field.args ?? {}).map(([argName, argType]) => ({
				name: argName,
				description: null,
				type: introspectionType(parseTypeString(argType)),
				defaultValue: null,
			})),
			type: introspectionType(parseTypeString(field.type)),
			isDeprecated: false,
			deprecationReason: null,
		})),
		interfaces: [],
		possibleTypes: null,
		enumValues: null,
		inputFields: null,
	}));
	const scalarTypes = [...SCALARS].map((name) => ({
		__typename: '__Type',
		kind: 'SCALAR',
		name,
		description: null,
		fields: null,
		interfaces: null,
		possibleTypes: null,
		enumValues: null,
		inputFields: null,
	}));
	const introspection = {
		__typename: '__Schema',
		queryType: { name: 'Query', kind: 'OBJECT' },
		mutationType: null,
		subscriptionType: null,
		types: [...objectTypes, ...scalarTypes],
		directives: [
			{ name: 'include', locations: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'], args: [] },
			{ name: 'skip', locations: ['FIELD', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT'], args: [] },
		],
	};
	INTROSPECTION_BY_NAMING.set(currentNaming, introspection);
	return introspection;
}

export interface GraphQLRequestBody {
	query?: unknown;
	variables?: unknown;
	operationName?: unknown;
}

export interface GraphQLResponse {
	data?: Record<string, unknown> | null;
	errors?: GraphQLErrorOut[];
}

export function executeGraphQL(runtime: X3Runtime, body: GraphQLRequestBody): GraphQLResponse {
	currentNaming = runtime.behaviour.graphqlSupplierName;
	TYPES = typesFor(currentNaming);
	if (typeof body.query !== 'string' || !body.query.trim()) {
		return {
			errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }],
		};
	}
	let document: DocumentNode;
	try {
		document = parseGraphQL(body.query);
	} catch (error) {
		if (error instanceof GraphQLSyntaxError) {
			return {
				errors: [
					{
						message: error.message,
						locations: [error.loc],
						extensions: { code: 'GRAPHQL_PARSE_FAILED' },
					},
				],
			};
		}
		throw error;
	}
	const operationName =
		typeof body.operationName === 'string' && body.operationName ? body.operationName : null;
	const operation = operationName
		? document.operations.find((op) => op.name === operationName)
		: document.operations.length === 1
			? document.operations[0]
			: undefined;
	if (!operation) {
		return {
			errors: [
				{
					message: operationName
						? `Unknown operation named "${operationName}".`
						: 'Must provide operation name if query contains multiple operations.',
					extensions: { code: 'BAD_REQUEST' },
				},
			],
		};
	}
	if (operation.operation !== 'query') {
		return {
			errors: [
				{
					message: `Schema is not configured to execute ${operation.operation} operation.`,
					locations: [operation.loc],
					extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
				},
			],
		};
	}
	const provided =
		body.variables && typeof body.variables === 'object' && !Array.isArray(body.variables)
			? (body.variables as Record<string, unknown>)
			: {};
	try {
		const variables = coerceVariables(operation, provided);
		const scope: Scope = {
			document,
			variables,
			declared: new Map(operation.variables.map((v) => [v.name, typeToString(v.type)])),
		};
		validateSelections('Query', operation.selections, scope);
		const exec: Execution = { scope, ctx: { runtime }, errors: [] };
		const data = executeSelections('Query', {}, operation.selections, [], exec);
		return exec.errors.length ? { data, errors: exec.errors } : { data };
	} catch (error) {
		if (error instanceof ValidationError) {
			return {
				errors: [
					{
						message: error.message,
						...(error.loc ? { locations: [error.loc] } : {}),
						extensions: { code: error.code },
					},
				],
			};
		}
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP + connected-application JWT

function unauthorized(runtime: X3Runtime, reason: string, text: string): HttpAnswer {
	runtime.stats.authFailures[reason] = (runtime.stats.authFailures[reason] ?? 0) + 1;
	return { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
}

/**
 * Connected-application token check, in the order X3 reports its codes (fact sheet §3.2):
 * signature -> 50, iss -> 41, sub -> 42, aud -> 45, exp missing/past or lifetime over the app's max -> 50.
 */
export function checkBearer(
	runtime: X3Runtime,
	header: string | undefined,
): { user: string } | HttpAnswer {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) return unauthorized(runtime, 'jwt:missing', 'Unauthorized: Bearer token required');
	const app = runtime.connectedApp;
	let payload: jwt.JwtPayload;
	try {
		const verified = jwt.verify(match[1], app.secret, {
			algorithms: ['HS256'],
			ignoreExpiration: true,
		});
		if (typeof verified === 'string')
			return unauthorized(runtime, 'jwt:payload', 'Error 50: Invalid token');
		payload = verified;
	} catch (error) {
		const reason = error instanceof jwt.NotBeforeError ? 'jwt:nbf' : 'jwt:signature';
		return unauthorized(runtime, reason, 'Error 50: Invalid token');
	}
	if (payload.iss !== app.clientId)
		return unauthorized(runtime, 'jwt:iss', 'Error 41: Invalid token');
	if (typeof payload.sub !== 'string' || !app.allowedUsers.includes(payload.sub)) {
		return unauthorized(runtime, 'jwt:sub', 'Error 42: Invalid token');
	}
	const audiences =
		payload.aud === undefined ? [''] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
	if (!audiences.includes(app.audience))
		return unauthorized(runtime, 'jwt:aud', 'Error 45: Invalid token');
	const now = Math.floor(Date.now() / 1000);
	if (typeof payload.exp !== 'number' || payload.exp <= now)
		return unauthorized(runtime, 'jwt:expired', 'Error 50: Invalid token');
	if (typeof payload.iat !== 'number')
		return unauthorized(runtime, 'jwt:iat', 'Error 50: Invalid token');
	if (payload.exp - payload.iat > runtime.tokenMaxLifetimeSeconds) {
		return unauthorized(runtime, 'jwt:lifetime', 'Error 50: Invalid token');
	}
	return { user: payload.sub };
}

export async function handleGraphQL(
	runtime: X3Runtime,
	req: IncomingMessage,
	body: string,
): Promise<HttpAnswer> {
	if (req.method !== 'POST') {
		return {
			status: 405,
			headers: { allow: 'POST', 'content-type': 'text/plain' },
			body: 'Method not allowed',
		};
	}
	const authHeader = req.headers.authorization;
	if (
		!(
			runtime.graphqlAcceptsBasic &&
			/^Basic\s/i.test(authHeader ?? '') &&
			basicUser(req, runtime.users)
		)
	) {
		const auth = checkBearer(runtime, authHeader);
		if ('status' in auth) return auth;
	}
	const endpoint = req.headers['x-xtrem-endpoint'];
	if (endpoint !== runtime.endpoint) {
		return unauthorized(
			runtime,
			'endpoint',
			endpoint === undefined
				? 'Missing x-xtrem-endpoint header'
				: `Invalid endpoint: ${String(endpoint)}`,
		);
	}
	if (roll(runtime, runtime.faults.http500Probability, 'graphql')) {
		runtime.stats.faults.http500++;
		return {
			status: 500,
			headers: { 'content-type': 'text/plain' },
			body: 'Internal server error (emulated fault)',
		};
	}
	let parsed: GraphQLRequestBody;
	try {
		parsed = JSON.parse(body);
	} catch {
		return json(400, {
			errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
		});
	}
	if (!parsed || typeof parsed !== 'object') {
		return json(400, {
			errors: [{ message: 'Body must be a JSON object', extensions: { code: 'BAD_REQUEST' } }],
		});
	}
	const latency = latencyFor(runtime, 'other');
	if (latency > 0) await runtime.sleep(latency);
	if (roll(runtime, runtime.faults.timeoutProbability, 'graphql')) {
		runtime.stats.faults.timeouts++;
		await runtime.sleep(runtime.faults.timeoutMs);
	}
	// GraphQL-level errors (syntax, validation, resolvers) travel in a 200 `errors` array, as graphql-js servers
	// answer with application/json; only a body that is not JSON at all is an HTTP 400.
	return json(200, executeGraphQL(runtime, parsed));
}

function json(status: number, value: unknown): HttpAnswer {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: JSON.stringify(value),
	};
}
