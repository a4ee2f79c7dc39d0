/**
 * Local Sage X3 emulator: classic SOAP (CAdxWebServiceXmlCC), GraphQL (/xtrem/api) and REST api1 over one
 * in-memory folder seeded from test/emulators/seed.ts, plus a ledger view and control endpoints.
 * Start it in-process with startX3Emulator() (tests) or alone with cli.ts. See README.md in this folder.
 */

import { masterDataRoute } from './masterData';
import { EventEmitter } from 'node:events';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_X3_LAYOUT, X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import { SeedOptions, SeedVendor, prng } from '../seed';
import { GRAPHQL_PATH, handleGraphQL } from './graphql';
import { LedgerView, ledgerHtml, ledgerView } from './ledger';
import { checkGasLeftList, documentedLayout, documentedPublications } from './documented';
import { Behaviour, PersonalityOptions, resolveBehaviour } from './personality';
import { buildPublications } from './publications';
import { REST_PREFIX, handleRest } from './rest';
import {
	ApiStyle,
	ConnectedApp,
	SoapLogEntry,
	SoapPool,
	X3Faults,
	X3Runtime,
	X3Settings,
	X3Stats,
	defaultFaults,
	emptyStats,
} from './runtime';
import { HttpAnswer, SOAP_PATH, WSDL_PATH, handleSoap, wsdlDocument } from './soap';
import { X3State } from './state';

export type { X3Faults, X3Settings, X3Stats, ConnectedApp, SoapLogEntry } from './runtime';
export type { LedgerView } from './ledger';
export type {
	X3Personality,
	PersonalityOptions,
	OverLengthMode,
	GasAnalyticsMode,
	GraphqlSupplierName,
	Behaviour,
} from './personality';
export {
	personalityFromEnv,
	GAS_LEFT_LIST_STANDARD,
	GAS_LEFT_LIST_WITH_TRACE,
	BPS_LEFT_LIST,
	GAC_LEFT_LIST,
	CCE_LEFT_LIST,
} from './personality';
export { X3State } from './state';

export const DEFAULT_USER = 'ADMIN';
export const DEFAULT_PASSWORD = 'emulator-password';
export const DEFAULT_POOL_ALIAS = 'BREX';
export const DEFAULT_ENDPOINT = 'SEED';
export const DEFAULT_CLIENT_ID = 'brex-sync';
export const DEFAULT_CLIENT_SECRET = 'emulator-connected-app-secret';

export interface X3EmulatorOptions extends PersonalityOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Listen address; 127.0.0.1 by default. */
	host?: string;
	/**
	 * Publication names, block ids and field names (default DEFAULT_X3_LAYOUT). Under the documented personality
	 * only its dimension types and chart of accounts are used: the publications are fixed (documented.ts).
	 */
	layout?: X3Layout;
	/** Basic-auth users (SOAP and REST): user -> password. Default { ADMIN: 'emulator-password' }. */
	users?: Record<string, string>;
	/** Classic SOAP pool alias (case-sensitive); default BREX. */
	poolAlias?: string;
	/** Syracuse endpoint = X3 folder (REST path segment, x-xtrem-endpoint); default SEED. */
	endpoint?: string;
	/** Connected application for GraphQL JWTs; allowedUsers defaults to the basic users. */
	connectedApp?: Partial<ConnectedApp>;
	/** Longest token lifetime (exp - iat) accepted, seconds; default 300. */
	tokenMaxLifetimeSeconds?: number;
	/** Also accept HTTP Basic on GraphQL (some on-prem setups do); default false. */
	graphqlAcceptsBasic?: boolean;
	/** SOAP pool size (concurrent calls); default 4. */
	poolSize?: number;
	/** How long a call waits for a pool entry before the busy answer; default 0 (busy at once). */
	poolWaitMs?: number;
	busyMode?: X3Settings['busyMode'];
	soapStyle?: X3Settings['soapStyle'];
	resultCdata?: boolean;
	/** Processing latency: saveMs for SOAP writes, otherMs for every other call. */
	latency?: Partial<X3Faults['latency']>;
	faults?: Partial<Omit<X3Faults, 'latency'>>;
	/** Seeds the fault PRNG and, unless seedOptions says otherwise, the seeded vendors. Default 42. */
	seed?: number;
	/** Vendors to seed suppliers from (those with x3SupplierCode); default seedVendors(seedOptions). */
	vendors?: SeedVendor[];
	seedOptions?: SeedOptions;
	/** Account code -> dimension types required on its lines (default: class 6 accounts require DEP). */
	accountRequiredDimensions?: Record<string, string[]>;
	/** Largest REST page ($itemsPerPage cap); default 200. */
	restMaxCount?: number;
	/** Clock for timestamps and the ping subprogram; default real time. */
	clock?: () => Date;
	/** WSDL file to serve; default the Syracuse v7+ WSDL in test/fixtures/reference/sage-x3/. */
	wsdlPath?: string;
}

export interface X3Emulator {
	url: string;
	port: number;
	/** Credentials and names a client needs (safe to print: they are the emulator's own test values). */
	config: {
		soapUrl: string;
		wsdlUrl: string;
		graphqlUrl: string;
		restUrl: string;
		user: string;
		password: string;
		poolAlias: string;
		endpoint: string;
		clientId: string;
		clientSecret: string;
		audience: string;
		tokenMaxLifetimeSeconds: number;
	};
	/** The names the emulator's objects use: the client's layout (lenient) or the documented fixed names. */
	layout: X3Layout;
	/** The personality and its resolved knobs. */
	behaviour: Behaviour;
	state: X3State;
	/** Live counters (mutated in place; resetStats() clears them). */
	stats: X3Stats;
	resetStats(): void;
	/** Live fault settings; assign fields directly or merge with setFaults(). */
	faults: X3Faults;
	setFaults(
		partial: Partial<Omit<X3Faults, 'latency'>> & { latency?: Partial<X3Faults['latency']> },
	): X3Faults;
	/** Live behaviour settings (SOAP style, CDATA, busy mode, pool size and wait). */
	settings: X3Settings;
	/** Recent SOAP calls: operation, publication, parsed payload, status and messages. */
	soapLog: SoapLogEntry[];
	/**
	 * Documented personality: replaces the GAS left list while running (customers edit left lists in the object
	 * dictionary), e.g. GAS_LEFT_LIST_WITH_TRACE. Throws under lenient, which has no left lists.
	 */
	setGasLeftList(leftList: readonly string[]): void;
	/** Parks SOAP calls that hold a pool entry until the returned release function is called. */
	holdPool(): () => void;
	/** Resolves when the predicate holds (checked on every state/stats change), rejects after timeoutMs. */
	waitFor(predicate: (emulator: X3Emulator) => boolean, timeoutMs?: number): Promise<void>;
	/** Clears journal entries and created suppliers (back to the seed). */
	reset(): void;
	ledger(): LedgerView;
	close(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startX3Emulator(options: X3EmulatorOptions = {}): Promise<X3Emulator> {
	const behaviour = resolveBehaviour(options);
	const requestedLayout = options.layout ?? DEFAULT_X3_LAYOUT;
	const layout = behaviour.fixedPublications
		? documentedLayout(requestedLayout, behaviour)
		: requestedLayout;
	const users = options.users ?? { [DEFAULT_USER]: DEFAULT_PASSWORD };
	const seed = options.seed ?? 42;
	const clock = options.clock ?? (() => new Date());
	const state = new X3State({
		layout,
		vendors: options.vendors,
		seedOptions: options.seedOptions ?? { seed },
		accountRequiredDimensions: options.accountRequiredDimensions,
		clock,
	});
	const publications = new Map(
		(behaviour.fixedPublications
			? documentedPublications(layout, behaviour)
			: buildPublications(layout)
		).map((publication) => [publication.name, publication]),
	);
	const settings: X3Settings = {
		soapStyle: options.soapStyle ?? 'multiRef',
		resultCdata: options.resultCdata ?? false,
		busyMode: options.busyMode ?? 'status0',
		poolSize: options.poolSize ?? 4,
		poolWaitMs: options.poolWaitMs ?? 0,
	};
	const faults: X3Faults = {
		...defaultFaults(),
		...options.faults,
		latency: { ...defaultFaults().latency, ...options.latency },
	};
	const stats = emptyStats();
	const events = new EventEmitter();
	events.setMaxListeners(0);
	const changed = () => events.emit('change');
	const connectedApp: ConnectedApp = {
		clientId: options.connectedApp?.clientId ?? DEFAULT_CLIENT_ID,
		secret: options.connectedApp?.secret ?? DEFAULT_CLIENT_SECRET,
		audience: options.connectedApp?.audience ?? '',
		allowedUsers: options.connectedApp?.allowedUsers ?? Object.keys(users),
	};

	const timers = new Map<NodeJS.Timeout, () => void>();
	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				resolve();
			}, ms);
			timers.set(timer, resolve);
		});

	let baseUrl = '';
	const runtime: X3Runtime = {
		state,
		layout,
		behaviour,
		publications,
		settings,
		faults,
		stats,
		events,
		pool: new SoapPool(settings, stats, changed),
		users,
		poolAlias: options.poolAlias ?? DEFAULT_POOL_ALIAS,
		endpoint: options.endpoint ?? DEFAULT_ENDPOINT,
		connectedApp,
		tokenMaxLifetimeSeconds: options.tokenMaxLifetimeSeconds ?? 300,
		graphqlAcceptsBasic: options.graphqlAcceptsBasic ?? false,
		restMaxCount: options.restMaxCount ?? 200,
		random: prng(seed ^ 0x3a3a),
		sleep,
		baseUrl: () => baseUrl,
		soapLog: [],
		countCall: (api: ApiStyle, operation: string) => {
			stats.calls[api][operation] = (stats.calls[api][operation] ?? 0) + 1;
			changed();
		},
		changed,
	};

	const handle = async (req: IncomingMessage, body: string): Promise<HttpAnswer> => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const path = url.pathname;
		if (path === SOAP_PATH) {
			if (req.method === 'GET' && url.searchParams.has('wsdl')) return wsdlAnswer();
			if (req.method !== 'POST') return text(405, 'Method not allowed');
			return handleSoap(runtime, req, body);
		}
		if (path === WSDL_PATH) return wsdlAnswer();
		if (path === GRAPHQL_PATH) return handleGraphQL(runtime, req, body);
		if (path.startsWith(REST_PREFIX)) return handleRest(runtime, req, url);
		if (path === '/ledger.json' && req.method === 'GET')
			return jsonAnswer(200, ledgerView(state, layout));
		if (path === '/ledger' && req.method === 'GET') {
			return {
				status: 200,
				headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
				body: ledgerHtml(ledgerView(state, layout)),
			};
		}
		if (path.startsWith('/__emulator/'))
			return control(req, path.slice('/__emulator/'.length), body);
		return text(404, `Not found: ${path}`);
	};

	const wsdlAnswer = (): HttpAnswer => ({
		status: 200,
		headers: { 'content-type': 'text/xml; charset=utf-8' },
		body: wsdlDocument(baseUrl, options.wsdlPath),
	});

	const emulatorRef: { current?: X3Emulator } = {};
	const control = (req: IncomingMessage, route: string, body: string): HttpAnswer => {
		const post = req.method === 'POST';
		const parseBody = (): Record<string, unknown> | HttpAnswer => {
			try {
				const value = body.trim() ? JSON.parse(body) : {};
				if (!value || typeof value !== 'object' || Array.isArray(value))
					return jsonAnswer(400, { error: 'JSON object expected' });
				return value;
			} catch {
				return jsonAnswer(400, { error: 'Body is not JSON' });
			}
		};
		switch (route) {
			case 'health':
				return jsonAnswer(200, {
					ok: true,
					personality: behaviour.personality,
					url: baseUrl,
					poolAlias: runtime.poolAlias,
					endpoint: runtime.endpoint,
				});
			case 'stats':
				return jsonAnswer(200, stats);
			case 'stats/reset':
				if (!post) return text(405, 'POST expected');
				emulatorRef.current!.resetStats();
				return jsonAnswer(200, stats);
			case 'faults': {
				if (!post) return jsonAnswer(200, faults);
				const patch = parseBody();
				if ('status' in patch && 'body' in patch) return patch as HttpAnswer;
				return jsonAnswer(200, emulatorRef.current!.setFaults(patch as Partial<X3Faults>));
			}
			case 'settings': {
				if (!post) return jsonAnswer(200, settings);
				const patch = parseBody();
				if ('status' in patch && 'body' in patch) return patch as HttpAnswer;
				Object.assign(
					settings,
					pick(patch, ['soapStyle', 'resultCdata', 'busyMode', 'poolSize', 'poolWaitMs']),
				);
				return jsonAnswer(200, settings);
			}
			case 'reset':
				if (!post) return text(405, 'POST expected');
				state.reset();
				changed();
				return jsonAnswer(200, { ok: true, suppliers: state.suppliers.size, journalEntries: 0 });
			case 'master-data': {
				if (!post) return text(405, 'POST expected');
				const request = parseBody();
				if ('status' in request && 'body' in request) return request as HttpAnswer;
				const answer = masterDataRoute(state, request);
				changed();
				return jsonAnswer(answer.status, answer.body);
			}
			case 'soap-log':
				return jsonAnswer(200, runtime.soapLog);
			case 'state':
				return jsonAnswer(200, {
					suppliers: [...state.suppliers.values()],
					accounts: [...state.accounts.values()],
					dimensionTypes: [...state.dimensionTypes.values()],
					dimensions: [...state.dimensions.values()],
					sites: [...state.sites.values()],
					entryTypes: [...state.entryTypes.values()],
					supplierCategories: [...state.supplierCategories.values()],
					currencies: [...state.currencies],
					journalEntries: state.journalEntries,
				});
			default:
				return text(404, `Unknown control route ${route}`);
		}
	};

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		req.on('end', () => {
			stats.http.requests++;
			const respond = (answer: HttpAnswer) => {
				stats.http.byStatus[answer.status] = (stats.http.byStatus[answer.status] ?? 0) + 1;
				changed();
				if (res.destroyed || res.writableEnded) return;
				res.writeHead(answer.status, {
					...answer.headers,
					'content-length': Buffer.byteLength(answer.body),
				});
				res.end(answer.body);
			};
			if (tooLarge) return respond(text(413, 'Request body too large'));
			handle(req, Buffer.concat(chunks).toString('utf8')).then(respond, (error: Error) =>
				respond(text(500, `Emulator error: ${error.message}`)),
			);
		});
	});

	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	baseUrl = `http://${host}:${port}`;

	const emulator: X3Emulator = {
		url: baseUrl,
		port,
		config: {
			soapUrl: baseUrl + SOAP_PATH,
			wsdlUrl: `${baseUrl}${WSDL_PATH}?wsdl`,
			graphqlUrl: baseUrl + GRAPHQL_PATH,
			restUrl: `${baseUrl}${REST_PREFIX}${runtime.endpoint}`,
			user: Object.keys(users)[0] ?? DEFAULT_USER,
			password: Object.values(users)[0] ?? DEFAULT_PASSWORD,
			poolAlias: runtime.poolAlias,
			endpoint: runtime.endpoint,
			clientId: connectedApp.clientId,
			clientSecret: connectedApp.secret,
			audience: connectedApp.audience,
			tokenMaxLifetimeSeconds: runtime.tokenMaxLifetimeSeconds,
		},
		layout,
		behaviour,
		state,
		stats,
		resetStats() {
			const fresh = emptyStats();
			fresh.pool.inFlight = runtime.pool.inFlight;
			fresh.pool.peak = runtime.pool.inFlight;
			Object.assign(stats, fresh);
			changed();
		},
		faults,
		setFaults(partial) {
			const { latency, ...rest } = partial;
			Object.assign(
				faults,
				pick(rest, [
					'poolBusyProbability',
					'http500Probability',
					'timeoutProbability',
					'timeoutMs',
					'lockProbability',
					'scope',
				]),
			);
			if (latency) Object.assign(faults.latency, pick(latency, ['saveMs', 'otherMs', 'jitterMs']));
			return faults;
		},
		settings,
		setGasLeftList(leftList) {
			const gas = publications.get(layout.journalEntry.publication);
			if (!behaviour.fixedPublications || !gas)
				throw new Error('setGasLeftList: only the documented personality has left lists');
			checkGasLeftList(leftList, gas.blocks[0].fields);
			gas.leftList = [...leftList];
		},
		soapLog: runtime.soapLog,
		holdPool: () => runtime.pool.hold(),
		waitFor(predicate, timeoutMs = 5000) {
			return new Promise<void>((resolve, reject) => {
				if (predicate(emulator)) return resolve();
				const check = () => {
					if (!predicate(emulator)) return;
					cleanup();
					resolve();
				};
				const timer = setTimeout(() => {
					cleanup();
					reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
				}, timeoutMs);
				const cleanup = () => {
					clearTimeout(timer);
					events.off('change', check);
				};
				events.on('change', check);
			});
		},
		reset() {
			state.reset();
			changed();
		},
		ledger: () => ledgerView(state, layout),
		close() {
			runtime.pool.drain();
			for (const [timer, resolve] of timers) {
				clearTimeout(timer);
				resolve();
			}
			timers.clear();
			return new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	emulatorRef.current = emulator;
	return emulator;
}

function pick<T extends object>(source: T, keys: string[]): Partial<T> {
	const out: Record<string, unknown> = {};
	for (const key of keys) if (key in source) out[key] = (source as Record<string, unknown>)[key];
	return out as Partial<T>;
}

function text(status: number, body: string): HttpAnswer {
	return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

function jsonAnswer(status: number, value: unknown): HttpAnswer {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: JSON.stringify(value),
	};
}
