import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import { toX3NetworkError } from './errors';

/**
 * The one HTTP seam of the X3 transports. Transports build X3HttpRequest values and hand them to an X3HttpSender;
 * the sender applies the credential (n8n's httpRequestWithAuthentication, so n8n owns the secrets and nothing
 * here logs them) and resolves with whatever status came back. Only failures without a response reject, already
 * turned into X3Error (network/timeout).
 */

export type X3HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface X3HttpRequest {
	method: X3HttpMethod;
	url: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs?: number;
}

export interface X3HttpResponse {
	statusCode: number;
	/** Lower-cased names. */
	headers: Record<string, string>;
	body: string;
}

export type X3HttpSender = (request: X3HttpRequest) => Promise<X3HttpResponse>;

/**
 * What the transports need from an n8n context: IExecuteFunctions, ILoadOptionsFunctions and the other
 * function contexts fit; tests pass a small fake.
 */
export interface X3RequestContext {
	getNode(): INode;
	getCredentials(type: string, itemIndex?: number): Promise<ICredentialDataDecryptedObject>;
	helpers: {
		httpRequestWithAuthentication(
			credentialsType: string,
			requestOptions: IHttpRequestOptions,
			additionalCredentialOptions?: IAdditionalCredentialOptions,
		): Promise<unknown>;
	};
}

/** Sender that authenticates with the node's credential of this type. */
export function createCredentialSender(
	context: X3RequestContext,
	credentialType: string,
): X3HttpSender {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: { ...request.headers },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
		};
		if (request.body !== undefined) options.body = request.body;
		if (request.timeoutMs !== undefined) options.timeout = request.timeoutMs;
		let raw: unknown;
		try {
			raw = await context.helpers.httpRequestWithAuthentication.call(
				context,
				credentialType,
				options,
			);
		} catch (error) {
			throw toX3NetworkError(context.getNode(), error, describeTarget(request.url));
		}
		return normaliseResponse(raw);
	};
}

/** Host and path only: enough to say where a call went, without query strings that may carry values. */
export function describeTarget(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return 'the configured server';
	}
}

/** Accepts the shapes n8n helpers return with returnFullResponse (body as string, Buffer or parsed JSON). */
export function normaliseResponse(raw: unknown): X3HttpResponse {
	const response = (raw ?? {}) as {
		statusCode?: unknown;
		status?: unknown;
		headers?: unknown;
		body?: unknown;
	};
	const statusCode = Number(response.statusCode ?? response.status ?? 0);
	const headers: Record<string, string> = {};
	if (response.headers && typeof response.headers === 'object') {
		for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
			if (value === undefined || value === null) continue;
			headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		}
	}
	return { statusCode, headers, body: bodyToText(response.body) };
}

export function bodyToText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(new Uint8Array(body)).toString('utf8');
	return JSON.stringify(body);
}

/** Base URL without trailing slashes; refuses anything but http(s) so a typo fails early and clearly. */
export function normaliseBaseUrl(url: unknown): string {
	const text = String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(text)) {
		throw new Error(
			`"${text}" is not a server URL; expected something like http://x3.example.com:8124`,
		);
	}
	return text;
}
