/** Small HTTP helpers shared by the emulator's routes: bodies, errors, cursors, query parsing. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface ApiRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	params: Record<string, string>;
	headers: IncomingHttpHeaders;
	rawBody: string;
	/** Bearer token of an authenticated request (null on unauthenticated routes). */
	token: string | null;
	baseUrl: string;
}

export interface ApiResult {
	status: number;
	/** JSON-serialised unless `raw` is set. Undefined = empty body. */
	body?: unknown;
	raw?: string | Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

/** Thrown by handlers to answer early with an error body. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
	) {
		super(
			typeof body === 'object' && body && 'message' in body
				? String(body.message)
				: `HTTP ${status}`,
		);
	}
}

/** General Brex error body: `{ type, message, code? }` (error-codes page). */
export function brexError(status: number, type: string, message: string, code?: string): ApiError {
	return new ApiError(status, code ? { type, message, code } : { type, message });
}

export const badRequest = (message: string) => brexError(400, 'BAD_REQUEST', message);
export const notFound = (code: string) => brexError(404, 'NOT_FOUND', 'Not Found', code);

/** Accounting API error body: `{ error_code, message, details }` (its own shape). */
export function accountingError(
	status: number,
	errorCode: string,
	message: string,
	details: Record<string, unknown> | null = null,
): ApiError {
	return new ApiError(status, { error_code: errorCode, message, details });
}

export function readBody(req: IncomingMessage, maxBytes = 1_000_000): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				reject(brexError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export function parseJsonBody(
	req: ApiRequest,
	makeError: (message: string) => ApiError = badRequest,
): unknown {
	if (req.rawBody.trim() === '') throw makeError('Request body is required');
	try {
		return JSON.parse(req.rawBody);
	} catch {
		throw makeError('Request body is not valid JSON');
	}
}

/**
 * Cursors are opaque to clients; Brex's observed ones are base64 JSON `{"limit":L,"offset":O}`
 * (offset-based), so the emulator mints the same.
 */
export function encodeCursor(offset: number, limit: number): string {
	return Buffer.from(JSON.stringify({ limit, offset }), 'utf8').toString('base64');
}

export function decodeCursor(
	cursor: string | null,
	makeError: (message: string) => ApiError = badRequest,
): number {
	if (cursor === null || cursor === '') return 0;
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
	} catch {
		throw makeError('Invalid cursor');
	}
	const offset = (parsed as { offset?: unknown } | null)?.offset;
	if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
		throw makeError('Invalid cursor');
	return offset;
}

export function parseLimit(
	query: URLSearchParams,
	options: { max: number; fallback: number },
	makeError: (message: string) => ApiError = badRequest,
): number {
	const raw = query.get('limit');
	if (raw === null || raw === '') return options.fallback;
	if (!/^\d+$/.test(raw)) throw makeError(`limit must be a positive integer, got "${raw}"`);
	const limit = Number(raw);
	if (limit < 1) throw makeError('limit must be at least 1');
	if (limit > options.max) throw makeError(`limit can't be greater than ${options.max}`);
	return limit;
}

/**
 * RFC 3339 date-time. Brex's docs show zone-less examples (`2023-01-01T23:59:59.999`), read here as UTC.
 * Returns the normalised ISO string (comparable lexicographically with stored timestamps).
 */
export function parseDateTime(
	name: string,
	value: string | null,
	makeError: (message: string) => ApiError = badRequest,
): string | null {
	if (value === null || value === '') return null;
	const m =
		/^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/.exec(
			value,
		);
	if (!m) throw makeError(`${name} is not an RFC 3339 date-time: "${value}"`);
	const text = m[2] ? `${m[1]}T${m[2]}${m[3] ?? 'Z'}` : `${m[1]}T00:00:00Z`;
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw makeError(`${name} is not a valid date-time: "${value}"`);
	return new Date(ms).toISOString();
}

export function parseBoolean(
	name: string,
	value: string | null,
	makeError: (message: string) => ApiError = badRequest,
): boolean | null {
	if (value === null || value === '') return null;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw makeError(`${name} must be true or false`);
}

/** Repeated `name[]=a&name[]=b` values (null when absent), checked against an enum when given. */
export function parseArray(
	query: URLSearchParams,
	name: string,
	allowed?: readonly string[],
	makeError: (message: string) => ApiError = badRequest,
): Set<string> | null {
	const values = query.getAll(name).filter((v) => v !== '');
	if (values.length === 0) return null;
	if (allowed) {
		for (const v of values) {
			if (!allowed.includes(v)) throw makeError(`${name} has an invalid value "${v}"`);
		}
	}
	return new Set(values);
}

/** Walks `items` in order, keeping those that pass, and cuts the page at [offset, offset+limit). */
export function collectPage<T>(
	items: Iterable<T>,
	keep: (item: T) => boolean,
	offset: number,
	limit: number,
	countAll = false,
): { page: T[]; hasMore: boolean; total: number | null } {
	const page: T[] = [];
	let seen = 0;
	let hasMore = false;
	for (const item of items) {
		if (!keep(item)) continue;
		if (seen >= offset && page.length < limit) page.push(item);
		else if (seen >= offset + limit) {
			hasMore = true;
			if (!countAll) {
				seen++;
				break;
			}
		}
		seen++;
	}
	return { page, hasMore, total: countAll ? seen : null };
}

export function isLoopbackUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return (
			host === 'localhost' ||
			host === '[::1]' ||
			host === '::1' ||
			/^127\.\d+\.\d+\.\d+$/.test(host)
		);
	} catch {
		return false;
	}
}
