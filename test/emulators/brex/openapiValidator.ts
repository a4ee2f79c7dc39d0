/**
 * Validates JSON against Brex's published OpenAPI 3.0 specs with ajv. OpenAPI 3.0 schemas are not quite
 * JSON Schema, so each spec is converted first:
 * - `nullable: true` becomes a `null` alternative (also when it sits alone in an `allOf` member, as Brex's
 *   generator writes it: `allOf: [{$ref}, {nullable: true}]`);
 * - discriminators with a mapping become if/then branches on the discriminator value, and the members'
 *   `allOf` back-references to their base are cut (they would recurse forever);
 * - OpenAPI-only keywords (example, discriminator, xml, …) are dropped; `required` on non-objects is dropped.
 * Enums stay closed, except where Brex's docs list values newer than the stored spec (DOCUMENTED_ENUM_ADDITIONS).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DOCUMENTED_LATER_WEBHOOK_EVENT_TYPES } from './routes';
import { referenceDir } from '../../referenceDir';

type Json = Record<string, unknown>;

/** Where the specs live: $BREX_OPENAPI_DIR, else the vendored copies in test/fixtures/reference/brex-openapi. */
export function findSpecDir(): string {
	const candidates = [
		process.env.BREX_OPENAPI_DIR,
		path.join(referenceDir(), 'brex-openapi'),
	].filter((c): c is string => typeof c === 'string' && c !== '');
	for (const candidate of candidates) {
		if (existsSync(path.join(candidate, 'expenses.json'))) return candidate;
	}
	throw new Error(
		`Brex OpenAPI specs not found; tried ${candidates.join(', ')} (set BREX_OPENAPI_DIR)`,
	);
}

/**
 * Enum values Brex's docs publish that the stored spec copies predate (fact sheet §6.2, §6.6).
 * Per Brex's versioning policy new enum constants are non-breaking, so these are accepted as well.
 */
export const DOCUMENTED_ENUM_ADDITIONS: Record<string, Record<string, string[]>> = {
	'webhooks.json': {
		WebhookEventType: [...DOCUMENTED_LATER_WEBHOOK_EVENT_TYPES],
		PaymentType: ['STABLECOIN'],
	},
};

const DROPPED_KEYWORDS = new Set([
	'nullable',
	'discriminator',
	'example',
	'examples',
	'xml',
	'externalDocs',
	'deprecated',
]);
const SCHEMA_REF_PREFIX = '#/components/schemas/';

function isPlainObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An allOf member that only says "nullable" (plus annotations): the parent is meant to be nullable. */
function isNullableMarker(member: unknown): boolean {
	if (!isPlainObject(member) || member.nullable !== true) return false;
	return Object.keys(member).every((k) =>
		['nullable', 'description', 'title', 'example'].includes(k),
	);
}

interface ConversionContext {
	specId: string;
	schemas: Json;
	/** base schema name -> names of the mapped member schemas */
	discriminatorMembers: Map<string, Set<string>>;
}

function refName(ref: unknown): string | null {
	return typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX)
		? ref.slice(SCHEMA_REF_PREFIX.length)
		: null;
}

function convertSchema(
	schema: unknown,
	ctx: ConversionContext,
	ownerName: string | null,
	absoluteRefs: boolean,
): unknown {
	if (typeof schema === 'boolean') return schema;
	if (!isPlainObject(schema)) return schema;
	const source: Json = { ...schema };
	let nullable = source.nullable === true;

	if (Array.isArray(source.allOf)) {
		const members = source.allOf as unknown[];
		if (members.some(isNullableMarker)) nullable = true;
		source.allOf = members
			.filter((m) => !isNullableMarker(m))
			.map((m) => {
				// A discriminated member pointing back at its base: inline the base without its oneOf/discriminator.
				const base = isPlainObject(m) ? refName(m.$ref) : null;
				if (base && ownerName && ctx.discriminatorMembers.get(base)?.has(ownerName)) {
					const baseSchema = { ...(ctx.schemas[base] as Json) };
					delete baseSchema.oneOf;
					delete baseSchema.anyOf;
					delete baseSchema.discriminator;
					return baseSchema;
				}
				return m;
			});
		if ((source.allOf as unknown[]).length === 0) delete source.allOf;
	}

	const out: Json = {};
	for (const [key, value] of Object.entries(source)) {
		if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
		switch (key) {
			case 'properties':
				out.properties = Object.fromEntries(
					Object.entries(value as Json).map(([name, sub]) => [
						name,
						convertSchema(sub, ctx, null, absoluteRefs),
					]),
				);
				break;
			case 'items':
			case 'not':
			case 'additionalProperties':
				out[key] = convertSchema(value, ctx, null, absoluteRefs);
				break;
			case 'allOf':
			case 'oneOf':
			case 'anyOf':
				out[key] = (value as unknown[]).map((sub) => convertSchema(sub, ctx, null, absoluteRefs));
				break;
			case '$ref':
				out.$ref =
					absoluteRefs && typeof value === 'string' && value.startsWith('#')
						? `${ctx.specId}${value}`
						: value;
				break;
			case 'required':
				if (Array.isArray(value) && (source.type === undefined || source.type === 'object')) {
					// Brex's generator writes `required: ["true"]` on some properties; it is not a property name.
					out.required = value.filter((v) => v !== 'true');
				}
				break;
			default:
				out[key] = value;
		}
	}

	const discriminator = source.discriminator;
	if (isPlainObject(discriminator) && isPlainObject(discriminator.mapping)) {
		const property = String(discriminator.propertyName);
		const branches = Object.entries(discriminator.mapping).map(([value, target]) => ({
			if: { properties: { [property]: { const: value } }, required: [property] },
			then: { $ref: absoluteRefs ? `${ctx.specId}${String(target)}` : String(target) },
		}));
		const mappedTargets = new Set(Object.values(discriminator.mapping).map(String));
		const oneOf = Array.isArray(source.oneOf) ? (source.oneOf as Json[]) : [];
		if (oneOf.every((m) => typeof m.$ref === 'string' && mappedTargets.has(m.$ref)))
			delete out.oneOf;
		out.allOf = [...((out.allOf as unknown[]) ?? []), ...branches];
	}

	if (out.type === undefined && out.properties !== undefined) out.type = 'object';
	if (!nullable) return out;
	if (
		typeof out.type === 'string' &&
		out.$ref === undefined &&
		out.allOf === undefined &&
		out.oneOf === undefined &&
		out.anyOf === undefined
	) {
		out.type = [out.type, 'null'];
		if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
		return out;
	}
	return { anyOf: [{ type: 'null' }, out] };
}

interface LoadedSpec {
	id: string;
	document: Json;
	paths: Array<{ template: string; regex: RegExp; literalCount: number }>;
}

export interface OperationMatch {
	spec: string;
	template: string;
	method: string;
	operationId: string;
	operation: Json;
}

export interface ValidationOutcome extends OperationMatch {
	status: number;
	/** False when the spec declares the status without a body schema (nothing to validate against). */
	hasSchema: boolean;
	declared: boolean;
	valid: boolean;
	errors: string[];
}

export class BrexOpenApi {
	private readonly ajv: Ajv;
	private readonly specs = new Map<string, LoadedSpec>();
	private readonly compiled = new Map<string, ValidateFunction>();

	constructor(readonly dir: string = findSpecDir()) {
		this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
		addFormats(this.ajv);
		this.ajv.addFormat('enum', true);
	}

	spec(file: string): LoadedSpec {
		const cached = this.specs.get(file);
		if (cached) return cached;
		const document = JSON.parse(readFileSync(path.join(this.dir, file), 'utf8')) as Json;
		const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
		for (const [name, values] of Object.entries(DOCUMENTED_ENUM_ADDITIONS[file] ?? {})) {
			const target = schemas[name] as Json | undefined;
			if (target && Array.isArray(target.enum))
				target.enum = [...new Set([...(target.enum as string[]), ...values])];
		}
		const discriminatorMembers = new Map<string, Set<string>>();
		for (const [name, schema] of Object.entries(schemas)) {
			const d = (schema as Json).discriminator;
			if (isPlainObject(d) && isPlainObject(d.mapping)) {
				discriminatorMembers.set(
					name,
					new Set(
						Object.values(d.mapping)
							.map((t) => refName(t))
							.filter((t): t is string => t !== null),
					),
				);
			}
		}
		const ctx: ConversionContext = { specId: file, schemas, discriminatorMembers };
		const converted = Object.fromEntries(
			Object.entries(schemas).map(([name, schema]) => [
				name,
				convertSchema(schema, ctx, name, false),
			]),
		);
		this.ajv.addSchema({ $id: file, components: { schemas: converted } });
		const paths = Object.keys(document.paths as Json).map((template) => {
			let literalCount = 0;
			const pattern = template
				.split('/')
				.map((segment) => {
					if (/^\{.+\}$/.test(segment)) return '[^/]+';
					literalCount++;
					return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				})
				.join('/');
			return { template, regex: new RegExp(`^${pattern}$`), literalCount };
		});
		const loaded = { id: file, document, paths };
		this.specs.set(file, loaded);
		return loaded;
	}

	/** The operation a request path + method resolves to in a spec file (literal segments win over params). */
	resolve(file: string, method: string, actualPath: string): OperationMatch {
		const spec = this.spec(file);
		const lower = method.toLowerCase();
		const candidates = spec.paths
			.filter((p) => p.regex.test(actualPath))
			.filter(
				(p) =>
					isPlainObject((spec.document.paths as Json)[p.template]) &&
					lower in ((spec.document.paths as Json)[p.template] as Json),
			)
			.sort((a, b) => b.literalCount - a.literalCount);
		if (candidates.length === 0)
			throw new Error(`${file} has no operation for ${method} ${actualPath}`);
		const template = candidates[0].template;
		const operation = ((spec.document.paths as Json)[template] as Json)[lower] as Json;
		return {
			spec: file,
			template,
			method: method.toUpperCase(),
			operationId: String(operation.operationId),
			operation,
		};
	}

	private validatorFor(key: string, schema: unknown, file: string): ValidateFunction {
		let validate = this.compiled.get(key);
		if (!validate) {
			const spec = this.spec(file);
			const schemas = ((spec.document.components as Json | undefined)?.schemas ?? {}) as Json;
			const ctx: ConversionContext = { specId: file, schemas, discriminatorMembers: new Map() };
			validate = this.ajv.compile(convertSchema(schema, ctx, null, true) as Json);
			this.compiled.set(key, validate);
		}
		return validate;
	}

	/** Validates a response body against the schema the spec gives for (operation, status). */
	validateResponse(
		file: string,
		method: string,
		actualPath: string,
		status: number,
		body: unknown,
	): ValidationOutcome {
		const match = this.resolve(file, method, actualPath);
		const responses = (match.operation.responses ?? {}) as Json;
		const response = (responses[String(status)] ?? responses.default) as Json | undefined;
		const base = { ...match, status };
		if (!response)
			return {
				...base,
				declared: false,
				hasSchema: false,
				valid: false,
				errors: [`status ${status} not declared`],
			};
		const schema = (
			(response.content as Json | undefined)?.['application/json'] as Json | undefined
		)?.schema;
		if (schema === undefined) {
			return { ...base, declared: true, hasSchema: false, valid: true, errors: [] };
		}
		const validate = this.validatorFor(
			`${file} ${match.method} ${match.template} ${status}`,
			schema,
			file,
		);
		const valid = validate(body) as boolean;
		return {
			...base,
			declared: true,
			hasSchema: true,
			valid,
			errors: valid ? [] : formatErrors(validate),
		};
	}

	/** Validates data against a named component schema (for bodies an operation does not declare). */
	validateComponent(
		file: string,
		name: string,
		data: unknown,
	): { valid: boolean; errors: string[] } {
		this.spec(file);
		const validate = this.validatorFor(
			`${file} #${name}`,
			{ $ref: `${SCHEMA_REF_PREFIX}${name}` },
			file,
		);
		const valid = validate(data) as boolean;
		return { valid, errors: valid ? [] : formatErrors(validate) };
	}

	/** Validates data against an ad-hoc JSON Schema (for shapes no spec defines). */
	validateSchema(key: string, schema: Json, data: unknown): { valid: boolean; errors: string[] } {
		let validate = this.compiled.get(`adhoc ${key}`);
		if (!validate) {
			validate = this.ajv.compile(schema);
			this.compiled.set(`adhoc ${key}`, validate);
		}
		const valid = validate(data) as boolean;
		return { valid, errors: valid ? [] : formatErrors(validate) };
	}
}

function formatErrors(validate: ValidateFunction): string[] {
	return (validate.errors ?? [])
		.slice(0, 20)
		.map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
