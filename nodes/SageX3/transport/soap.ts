import type { INode, JsonObject } from 'n8n-workflow';

import { assertXmlName } from '../../common/xml';
import { X3BusinessError, X3Error } from './errors';
import { describeTarget } from './http';
import type { X3HttpSender } from './http';
import {
	buildObjectXml,
	buildRequestConfig,
	holdsNonXmlText,
	buildSoapEnvelope,
	parseResultPayload,
	parseSoapResponse,
	resultRows,
	SOAP_PATH,
} from './soapXml';
import type {
	ParsedSoapResponse,
	X3CallContext,
	X3KeyValue,
	X3ObjectData,
	X3PayloadFormat,
	X3ResultData,
	X3SoapFault,
	X3SoapOperation,
	X3SoapParameters,
	X3SoapResult,
	X3TechnicalInfos,
} from './soapXml';
import type { X3CallRunner } from './throttle';

/**
 * The classic X3 SOAP client: one call with its retry, throttle and outcome classification. The envelopes and
 * the result reader are in soapXml.ts.
 */

// ---------------------------------------------------------------------------------------------------------------
// Classification

/**
 * Classification reads structure only (status, technicalInfos, fault code, HTTP status): X3 writes its messages in
 * the session language (codeLang ENG, FRA, POR, GER, SPA, ITA …), so their text never decides an outcome. The
 * patterns below only add a hint to an error's description.
 */
const BUSY_HINT =
	/(pool[^.]*\b(busy|full|saturated|exhausted)|no (free|available) (pool )?(entry|entries|engine|connection)|all [^.]*\b(entries|engines|connections) are (busy|in use)|connection pool is busy|server (is )?busy|too many (requests|web ?services))/i;
/** Syracuse's documented HTTP 500 fault text when the host accepts no web services (fact sheet §2.7 [C]). */
const NO_WEB_SERVICES_PATTERN = /no web ?services? accepted/i;

/** A pool-busy answer: CAdxTechnicalInfos.busy (fact sheet §2.4 [C]), whatever the message says. */
export function isBusyResult(result: X3SoapResult): boolean {
	return result.status !== 1 && result.technicalInfos?.busy === true;
}

// ---------------------------------------------------------------------------------------------------------------
// Client

export interface X3SoapSettings {
	/** Syracuse server, e.g. http://x3.example.com:8124 */
	baseUrl: string;
	poolAlias: string;
	language: string;
	poolId?: string;
	format: X3PayloadFormat;
	/** Extra requestConfig settings (e.g. adxwss.trace.on=on). */
	requestConfigExtra?: Record<string, string>;
	timeoutMs?: number;
}

export interface X3SoapCallResult extends X3SoapResult {
	data: X3ResultData | unknown[] | null;
}

export interface X3SoapCallOptions {
	/** Return status 0 results instead of throwing X3BusinessError (busy still throws). */
	allowStatusZero?: boolean;
	/**
	 * The caller makes a repeated write harmless (a delete whose "record does not exist" counts as done), so it
	 * may be retried like a read. Default: read, query and getDescription only.
	 */
	idempotent?: boolean;
}

const IDEMPOTENT_OPERATIONS = new Set<X3SoapOperation>(['read', 'query', 'getDescription']);

export class X3SoapClient {
	constructor(
		private readonly send: X3HttpSender,
		readonly settings: X3SoapSettings,
		private readonly node: INode,
		private readonly runner: X3CallRunner,
	) {}

	get url(): string {
		return `${this.settings.baseUrl}${SOAP_PATH}`;
	}

	get callContext(): X3CallContext {
		return {
			codeLang: this.settings.language,
			poolAlias: this.settings.poolAlias,
			poolId: this.settings.poolId ?? '',
			requestConfig: buildRequestConfig(this.settings.format, this.settings.requestConfigExtra),
		};
	}

	async call(
		operation: X3SoapOperation,
		parameters: X3SoapParameters,
		options: X3SoapCallOptions = {},
	): Promise<X3SoapCallResult> {
		assertXmlName(parameters.publicName);
		const envelope = buildSoapEnvelope(operation, this.callContext, parameters);
		return await this.runner.run(
			async () => await this.attempt(operation, parameters.publicName, envelope, options),
			{ idempotent: options.idempotent ?? IDEMPOTENT_OPERATIONS.has(operation) },
		);
	}

	/**
	 * objectXml/inputXml in the configured format, except that a payload holding a character XML 1.0 cannot carry
	 * (NUL, most C0 controls, a lone surrogate: card data may hold them) goes as JSON, which X3 accepts in the same
	 * parameter [fact sheet §2.5] and which carries every string; the result format (adxwss.optreturn) stays.
	 */
	private payload(data: X3ObjectData): string {
		const format =
			this.settings.format === 'xml' && holdsNonXmlText(data) ? 'json' : this.settings.format;
		return buildObjectXml(data, format);
	}

	async save(
		publicName: string,
		data: X3ObjectData,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call('save', { publicName, objectXml: this.payload(data) }, options);
	}

	async modify(
		publicName: string,
		objectKeys: X3KeyValue[],
		data: X3ObjectData,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call(
			'modify',
			{ publicName, objectKeys, objectXml: this.payload(data) },
			options,
		);
	}

	async run(
		publicName: string,
		data: X3ObjectData,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call('run', { publicName, inputXml: this.payload(data) }, options);
	}

	async read(
		publicName: string,
		objectKeys: X3KeyValue[],
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call('read', { publicName, objectKeys }, options);
	}

	/**
	 * A read that answers null when the record does not exist. A status-0 read says only that X3 refused (its
	 * messages are in the session language), so absence is confirmed structurally: a `query` with the same keys as
	 * criteria that answers no row. Any other answer (a row, an error, a failure) keeps the read's refusal.
	 */
	async readOrNull(publicName: string, objectKeys: X3KeyValue[]): Promise<X3SoapCallResult | null> {
		const result = await this.read(publicName, objectKeys, { allowStatusZero: true });
		if (result.status === 1) return result;
		const absence = await this.absence(publicName, objectKeys);
		if (absence.absent) return null;
		const error = new X3BusinessError(
			this.node,
			'read',
			publicName,
			result.messages,
			keysData(objectKeys),
		);
		error.description = `${error.description}\n${absence.why}`;
		throw error;
	}

	/**
	 * Whether X3 proves that no record has these keys: a query with them as exact criteria answers status 1 (or 0
	 * without any message) and no row. A returned row, whichever, proves nothing: the record exists, or X3 did
	 * not apply the criteria.
	 */
	async absence(
		publicName: string,
		objectKeys: X3KeyValue[],
	): Promise<{ absent: true } | { absent: false; why: string }> {
		const keys = objectKeys.map((k) => `${k.key}=${k.value}`).join(', ');
		let answer: X3SoapCallResult;
		try {
			answer = await this.query(publicName, objectKeys, 1, { allowStatusZero: true });
		} catch (error) {
			return {
				absent: false,
				why: `A query on ${keys} to confirm the record is absent failed too: ${(error as Error).message}`,
			};
		}
		if (answer.status !== 1 && answer.messages.length > 0) {
			return {
				absent: false,
				why: `A query on ${keys} to confirm the record is absent was refused: ${answer.messages.map((m) => m.message.trim()).join(' | ')}`,
			};
		}
		if (resultRows(answer.data).length > 0) {
			return {
				absent: false,
				why: `A query on ${keys} returned a row, so X3 holds the record (or did not apply these criteria: check that the key fields are in the left list of ${publicName}).`,
			};
		}
		return { absent: true };
	}

	async query(
		publicName: string,
		objectKeys: X3KeyValue[],
		listSize: number,
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call('query', { publicName, objectKeys, listSize }, options);
	}

	async delete(
		publicName: string,
		objectKeys: X3KeyValue[],
		options?: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		return await this.call('delete', { publicName, objectKeys }, options);
	}

	async getDescription(publicName: string, options?: X3SoapCallOptions): Promise<X3SoapCallResult> {
		return await this.call('getDescription', { publicName }, options);
	}

	private async attempt(
		operation: X3SoapOperation,
		publicName: string,
		envelope: string,
		options: X3SoapCallOptions,
	): Promise<X3SoapCallResult> {
		const response = await this.send({
			method: 'POST',
			url: this.url,
			headers: {
				'Content-Type': 'text/xml; charset=utf-8',
				SOAPAction: '""',
				Accept: 'text/xml',
			},
			body: envelope,
			timeoutMs: this.settings.timeoutMs,
		});
		const target = `${operation} ${publicName}`;
		if (response.statusCode === 401 || response.statusCode === 403) {
			throw new X3Error(this.node, {
				kind: 'auth',
				statusCode: response.statusCode,
				message: `Sage X3 refused the credentials (HTTP ${response.statusCode}) on ${target}`,
				description:
					'Check the user and password, that the Syracuse user has authentication type "basic", and that basic authentication is enabled in nodelocal.js (session.auth).',
			});
		}
		let parsed: ParsedSoapResponse | undefined;
		try {
			parsed = response.body.trim() === '' ? undefined : parseSoapResponse(response.body);
		} catch {
			parsed = undefined;
		}
		if (parsed?.kind === 'fault') throw this.faultError(parsed.fault, response.statusCode, target);
		if (response.statusCode < 200 || response.statusCode >= 300 || !parsed) {
			throw this.httpError(response.statusCode, response.body, response.headers, target);
		}
		const result = parsed.result;
		if (result.status !== 1) {
			if (isBusyResult(result)) {
				throw new X3Error(this.node, {
					kind: 'busy',
					message: `The Sage X3 SOAP pool "${this.settings.poolAlias}" is busy (${target})`,
					description: result.messages.map((m) => m.message).join('\n') || undefined,
					transient: true,
					notProcessed: true,
					x3Messages: result.messages,
					data: technicalData(result.technicalInfos),
				});
			}
			if (!options.allowStatusZero) {
				throw new X3BusinessError(this.node, operation, publicName, result.messages, {
					...technicalData(result.technicalInfos),
				});
			}
		}
		let data: X3ResultData | unknown[] | null = null;
		let unreadable: string | undefined;
		try {
			data = parseResultPayload(result.resultXml);
		} catch (error) {
			unreadable = (error as Error).message;
		}
		if (unreadable !== undefined) {
			throw new X3Error(this.node, {
				kind: 'protocol',
				message: `Sage X3 returned an unreadable resultXml for ${target}: ${unreadable}`,
			});
		}
		return { ...result, data };
	}

	private faultError(fault: X3SoapFault, statusCode: number, target: string): X3Error {
		const noWebServices = NO_WEB_SERVICES_PATTERN.test(fault.faultString);
		const text = `${fault.faultString} ${fault.detail}`;
		return new X3Error(this.node, {
			kind: noWebServices ? 'busy' : 'soapFault',
			statusCode,
			message: `Sage X3 SOAP fault on ${target}: ${fault.faultString || fault.faultCode || 'no fault string'}`,
			description: noWebServices
				? 'Syracuse accepts no web service calls: set "Number of Web services children" above 0 on the host, and check the SOAP pool is started.'
				: [
						fault.detail,
						CONFIGURATION_HINT.test(text)
							? 'This looks like a setting (pool alias, publication): check them in the credential and X3 Setup.'
							: '',
						BUSY_HINT.test(text) ? 'This looks like a saturated SOAP pool.' : '',
					]
						.filter(Boolean)
						.join('\n') || undefined,
			transient: noWebServices || isServerSideFault(fault, statusCode),
			// Only a host that accepts no web services certainly did nothing: after any other server fault a save
			// is looked up by trace id.
			notProcessed: noWebServices,
			data: { faultCode: fault.faultCode },
		});
	}

	private httpError(
		statusCode: number,
		body: string,
		headers: Record<string, string>,
		target: string,
	): X3Error {
		const text = body
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 300);
		const noWebServices = NO_WEB_SERVICES_PATTERN.test(body);
		const serverSide = statusCode >= 500 || statusCode === 429;
		return new X3Error(this.node, {
			kind: noWebServices ? 'busy' : 'http',
			statusCode,
			message:
				statusCode === 404
					? `No SOAP web service at ${describeTarget(this.url)} (HTTP 404): check the server URL and port`
					: `Sage X3 answered HTTP ${statusCode} on ${target}${text ? `: ${text}` : ''}`,
			description: noWebServices
				? 'Syracuse accepts no web service calls: set "Number of Web services children" above 0 on the host.'
				: undefined,
			transient: serverSide || noWebServices,
			notProcessed: noWebServices || statusCode === 503 || statusCode === 429,
			retryAfterMs: parseRetryAfterHeader(headers['retry-after']),
		});
	}
}

/** Faults that look like a setting (pool alias, publication): a hint in the description only. */
const CONFIGURATION_HINT =
	/(pool alias|alias '[^']*' not found|invalid publication|not published|web service \S+ does not exist|unknown operation)/i;

/**
 * An HTTP 5xx fault the server raised (faultcode Server, or none) while running the call: worth another attempt
 * for a read. Client faults (malformed request) are not. Decided on the fault code and HTTP status only: the
 * fault text is in the server's language.
 */
export function isServerSideFault(fault: X3SoapFault, statusCode: number): boolean {
	if (statusCode < 500) return false;
	return !/(^|:)client$/i.test(fault.faultCode.trim());
}

function parseRetryAfterHeader(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const seconds = Number(value);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function technicalData(infos: X3TechnicalInfos | null): JsonObject {
	if (!infos) return {};
	const out: JsonObject = {};
	for (const key of [
		'busy',
		'poolWaitDuration',
		'poolExecDuration',
		'totalDuration',
		'poolEntryIdx',
	]) {
		if (infos[key] !== undefined) out[`x3${key[0].toUpperCase()}${key.slice(1)}`] = infos[key];
	}
	return out;
}

function keysData(keys: X3KeyValue[]): JsonObject {
	return { x3Keys: keys.map((k) => `${k.key}=${k.value}`).join(', ') };
}
