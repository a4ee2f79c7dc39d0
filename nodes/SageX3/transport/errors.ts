import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { X3Message } from './gateway.types';

/**
 * Errors of the X3 transports. All are NodeApiError (what n8n expects from HTTP failures) and carry what the
 * throttle needs to decide on a retry: `transient` (worth another attempt) and `notProcessed` (X3 certainly did
 * not act on the request, so even a non-idempotent save may be sent again).
 * Messages never include request headers or bodies, so no secret can leak through them.
 */

export type X3ErrorKind =
	| 'business'
	| 'busy'
	| 'auth'
	| 'http'
	| 'network'
	| 'timeout'
	| 'soapFault'
	| 'graphql'
	| 'diagnoses'
	| 'protocol';

export interface X3ErrorDetails {
	kind: X3ErrorKind;
	message: string;
	description?: string;
	statusCode?: number;
	transient?: boolean;
	notProcessed?: boolean;
	x3Messages?: X3Message[];
	retryAfterMs?: number;
	/** Extra facts for the error context (no secrets). */
	data?: JsonObject;
}

export class X3Error extends NodeApiError {
	readonly kind: X3ErrorKind;

	readonly transient: boolean;

	readonly notProcessed: boolean;

	readonly statusCode: number | undefined;

	readonly x3Messages: X3Message[];

	readonly retryAfterMs: number | undefined;

	constructor(node: INode, details: X3ErrorDetails) {
		const response: JsonObject = { message: details.message };
		if (details.statusCode !== undefined) response.statusCode = details.statusCode;
		super(node, response, {
			message: details.message,
			description: details.description,
			httpCode: details.statusCode !== undefined ? String(details.statusCode) : undefined,
		});
		// NodeApiError may swap in a generic text for known status codes; the X3 text is the useful one.
		this.message = details.message;
		if (details.description !== undefined) this.description = details.description;
		this.name = 'X3Error';
		this.kind = details.kind;
		this.transient = details.transient ?? false;
		this.notProcessed = details.notProcessed ?? false;
		this.statusCode = details.statusCode;
		this.x3Messages = details.x3Messages ?? [];
		this.retryAfterMs = details.retryAfterMs;
		this.context.x3ErrorKind = details.kind;
		if (this.x3Messages.length > 0) {
			this.context.x3Messages = this.x3Messages.map((m) => ({ type: m.type, message: m.message }));
		}
		if (details.data) Object.assign(this.context, details.data);
	}
}

/** X3 answered status 0: it refused the request for business reasons. Never retried. */
export class X3BusinessError extends X3Error {
	constructor(
		node: INode,
		operation: string,
		target: string,
		messages: X3Message[],
		data?: JsonObject,
	) {
		super(node, {
			kind: 'business',
			message: businessErrorMessage(operation, target, messages),
			description: describeMessages(messages),
			x3Messages: messages,
			transient: false,
			data,
		});
		this.name = 'X3BusinessError';
	}
}

const MESSAGE_TYPE_LABELS: Record<string, string> = { '1': 'info', '2': 'warning', '3': 'error' };

/** Every message, errors first (X3 sends type 3 for errors in most versions), in one readable line. */
export function businessErrorMessage(
	operation: string,
	target: string,
	messages: X3Message[],
): string {
	const texts = orderedMessages(messages)
		.map((m) => m.message.trim())
		.filter((text) => text !== '');
	const detail = texts.length > 0 ? texts.join(' | ') : 'no message returned';
	return `Sage X3 refused ${operation} on ${target}: ${detail}`;
}

export function describeMessages(messages: X3Message[]): string {
	if (messages.length === 0) return 'X3 returned status 0 without any message.';
	return orderedMessages(messages)
		.map((m) => `[${MESSAGE_TYPE_LABELS[m.type] ?? `type ${m.type}`}] ${m.message.trim()}`)
		.join('\n');
}

function orderedMessages(messages: X3Message[]): X3Message[] {
	const rank = (m: X3Message) => (m.type === '3' ? 0 : m.type === '2' ? 1 : 2);
	return [...messages].sort((a, b) => rank(a) - rank(b));
}

/** Error codes of failures where no byte reached X3, so nothing was processed. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_CONNECT_TIMEOUT',
]);

const NETWORK_CODES = new Set([
	...NOT_SENT_CODES,
	'ECONNRESET',
	'EPIPE',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

const TIMEOUT_CODES = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

/** Finds a Node network error code on the error or its causes (n8n wraps the axios error). */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = error instanceof Error ? error.message : '';
	if (/timeout of \d+ms exceeded|timed? ?out/i.test(message)) return 'ETIMEDOUT';
	for (const code of NETWORK_CODES) if (message.includes(code)) return code;
	return undefined;
}

/** Turns a thrown request failure (no HTTP response) into an X3Error; rethrows X3Errors unchanged. */
export function toX3NetworkError(node: INode, error: unknown, target: string): X3Error {
	if (error instanceof X3Error) return error;
	const code = networkErrorCode(error);
	if (code && TIMEOUT_CODES.has(code)) {
		return new X3Error(node, {
			kind: 'timeout',
			message: `Sage X3 did not answer in time (${target})`,
			description:
				'The call timed out. The SOAP pool may be saturated or the first call after idle is slow; raise the request timeout or lower the concurrent calls on the credential.',
			transient: true,
			notProcessed: code === 'UND_ERR_CONNECT_TIMEOUT',
			data: { networkCode: code },
		});
	}
	if (code) {
		return new X3Error(node, {
			kind: 'network',
			message: `Cannot reach Sage X3 (${code}) at ${target}`,
			description:
				'Check the server URL and port, and that the Syracuse server is running and reachable from n8n.',
			transient: true,
			notProcessed: NOT_SENT_CODES.has(code),
			data: { networkCode: code },
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new X3Error(node, {
		kind: 'network',
		message: `Request to Sage X3 failed (${target}): ${message}`,
		transient: false,
	});
}

/** Where a trace lookup asked and what it asked on: enough for the user to find the setting to fix. */
export interface TraceCheckTarget {
	/** 'SOAP query', 'REST api1', 'GraphQL'. */
	readApi: string;
	/** SOAP publication, api1 class or GraphQL node path. */
	source: string;
	/** Field (or property path) the criterion was on. */
	field: string;
}

/**
 * X3 answered a trace lookup with data that proves the criterion was not applied (a row without the trace field,
 * or with a trace that does not match), so an empty answer would prove nothing either. The item is neither posted
 * nor reported as posted: it goes to the error output with this reason.
 */
export class X3TraceCheckUnverifiableError extends NodeOperationError {
	readonly target: TraceCheckTarget;

	readonly traceId: string;

	constructor(node: INode, target: TraceCheckTarget, traceId: string, finding: string) {
		super(
			node,
			`Cannot verify in X3 whether trace id ${traceId} is already posted: the ${target.readApi} lookup on ${target.source} ${target.field} ${finding}`,
			{
				description:
					`X3 did not apply the criterion ${target.field} to ${target.source} (or does not return that field), so "not found" would prove nothing and "found" may be another entry. Nothing was posted for this item. ` +
					`Run the Sage X3 node's "Check X3 Setup"; put ${target.field} in the left list of ${target.source} (GESAWE, then regenerate the publication) or choose another read API (GraphQL or REST) that can filter on it.`,
			},
		);
		this.name = 'X3TraceCheckUnverifiableError';
		this.target = target;
		this.traceId = traceId;
	}
}

/**
 * A batched trace lookup where some ids were answered and others could not be checked: `found` holds what X3
 * proved, `failedIds` the ids whose check failed (with `firstError`). A caller may settle the answered ids and fail
 * only the others.
 */
export class X3TraceLookupIncompleteError<V = unknown> extends NodeOperationError {
	readonly found: Map<string, V>;

	readonly failedIds: string[];

	/** The failure of the first id that failed. */
	readonly firstError: unknown;

	constructor(node: INode, found: Map<string, V>, failedIds: string[], cause: unknown) {
		const reason = cause instanceof Error ? cause.message : String(cause);
		super(
			node,
			`The trace check failed for ${failedIds.length} trace id(s) (${failedIds.slice(0, 5).join(', ')}${failedIds.length > 5 ? ', …' : ''}): ${reason}`,
			{
				description: [
					(cause as { description?: unknown })?.description,
					'The other ids of the lookup were checked; items whose check failed are neither posted nor reported as posted.',
				]
					.filter((part): part is string => typeof part === 'string' && part.trim() !== '')
					.join('\n'),
			},
		);
		this.name = 'X3TraceLookupIncompleteError';
		this.found = found;
		this.failedIds = failedIds;
		this.firstError = cause;
	}
}
