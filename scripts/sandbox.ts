/**
 * `npm start` (after scripts/sandbox.sh has installed and built everything): the Brex → Sage X3 sync in a
 * real n8n against the local Brex and X3 emulators, no credentials needed.
 *
 * Starts both emulators and n8n on 127.0.0.1 (fixed ports, overridable), installs this package into a fresh
 * n8n user folder (.n8n-sandbox/) the way n8n installs a community package, imports credentials pointing at
 * the emulators and both workflow templates, creates the data tables with the template's setup branch,
 * publishes the sync, waits for its Brex webhook, has Brex announce every expense, and prints where to look
 * plus live counts until Ctrl-C, which stops everything it started.
 *
 *   BREX_X3_SANDBOX_N8N_PORT (5690)   n8n editor, API and webhooks
 *   BREX_X3_SANDBOX_BREX_PORT (5691)  Brex emulator
 *   BREX_X3_SANDBOX_X3_PORT (5692)    Sage X3 emulator (ledger at /ledger)
 *   BREX_X3_SANDBOX_BROKER_PORT (5693) n8n task broker (5694 for the import commands)
 *   BREX_X3_SANDBOX_EXPENSES (500), BREX_X3_SANDBOX_VENDORS (40), BREX_X3_SANDBOX_SEED (42)
 *   BREX_X3_SANDBOX_DIR (.n8n-sandbox)  n8n user folder, emptied at every start
 *   X3_EMULATOR_PERSONALITY (documented), X3_EMULATOR_GAS_LEFT_LIST  which X3 the emulator plays
 *                                       (test/emulators/x3/README.md); the templates are set up for `documented`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import {
	startBrexEmulator,
	SVIX_RETRY_SCHEDULE_MS,
	type BrexEmulator,
} from '../test/emulators/brex/server';
import { startX3Emulator, type X3Emulator } from '../test/emulators/x3/server';
import { CHART } from '../test/emulators/seed';
import { N8nClient } from '../test/e2e/lib/n8nClient';
import { installIntoUserFolder, packRepo } from '../test/e2e/lib/package';
import {
	REPO_ROOT,
	n8nEntry,
	nodeBinary,
	requireFromN8n,
	runToFile,
	stopProcessGroup,
	tail,
	waitFor,
} from '../test/e2e/lib/tools';
import { MASTER_DATA_TEMPLATE_FILE } from '../test/e2e/masterData/template';
import { setFieldValues } from '../test/e2e/sync/drive';
import {
	AUDIT_TABLE,
	DataTables,
	QUEUE_TABLE,
	RECONCILIATION_NODES,
	RECONCILIATION_TEMPLATE_FILE,
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	launcherPersonality,
	ledgerFigures,
	personalityLabel,
	readTemplate,
	runManually,
	templateNode,
	type N8nApi,
} from '../test/e2e/sync/stack';

const env = process.env;
const intFromEnv = (name: string, fallback: number): number => {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d+$/.test(raw)) throw new SandboxError(`${name} must be a whole number, not "${raw}"`);
	return Number(raw);
};

class SandboxError extends Error {}

const OWNER = {
	email: env.BREX_X3_SANDBOX_EMAIL ?? 'sandbox@example.com',
	password: env.BREX_X3_SANDBOX_PASSWORD ?? 'Sandbox-Passw0rd!',
};
const BROWSER_ID = 'brex-x3-sandbox';

function say(message: string): void {
	process.stdout.write(`[sandbox] ${message}\n`);
}

/** Fails with the variable to change when something already listens on a port. */
async function assertPortFree(port: number, variable: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const server = net.createServer();
		server.once('error', (error: NodeJS.ErrnoException) => {
			reject(
				new SandboxError(
					error.code === 'EADDRINUSE'
						? `port ${port} on 127.0.0.1 is already in use; stop what uses it or set ${variable} to a free port`
						: `cannot listen on 127.0.0.1:${port} (${error.message}); set ${variable} to another port`,
				),
			);
		});
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

/** n8n started by the sandbox: its own process group, output in the user folder, owner from env. */
class SandboxN8n implements N8nApi {
	readonly baseUrl: string;
	private child: ChildProcess | undefined;
	private readonly client: N8nClient;
	private readonly encryptionKey = randomBytes(24).toString('hex');
	private readonly passwordHash: string;
	private commands = 0;

	constructor(
		readonly folder: string,
		readonly port: number,
		private readonly brokerPort: number,
		private readonly cliBrokerPort: number,
	) {
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.client = new N8nClient(this.baseUrl, OWNER, BROWSER_ID);
		const bcrypt = requireFromN8n<{ hashSync(password: string, rounds: number): string }>(
			'bcryptjs',
		);
		this.passwordHash = bcrypt.hashSync(OWNER.password, 10);
	}

	get home(): string {
		return path.join(this.folder, 'home');
	}

	get logFile(): string {
		return path.join(this.folder, 'n8n.log');
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	private env(brokerPort: number): NodeJS.ProcessEnv {
		const inherited: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(env)) {
			if (!/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL$|NODE_OPTIONS$|NODE_ENV$)/.test(key))
				inherited[key] = value;
		}
		return {
			...inherited,
			PATH: `${path.dirname(nodeBinary())}${path.delimiter}${inherited.PATH ?? ''}`,
			N8N_USER_FOLDER: this.home,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_SECURE_COOKIE: 'false',
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			N8N_LOG_LEVEL: env.BREX_X3_SANDBOX_LOG_LEVEL ?? 'info',
			GENERIC_TIMEZONE: 'UTC',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			// One execution per Brex webhook: queue bursts instead of running them all at once (see the template).
			N8N_CONCURRENCY_PRODUCTION_LIMIT: env.BREX_X3_SANDBOX_CONCURRENCY ?? '4',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: 'Sandbox',
			N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: this.passwordHash,
		};
	}

	/** One n8n CLI command, output to a file (never a pipe: n8n's CLI can die of EPIPE when a pipe's reader goes away). */
	async cli(args: string[]): Promise<string> {
		this.commands += 1;
		const logFile = path.join(
			this.folder,
			`cli-${this.commands}-${args[0].replace(/[^a-z]/gi, '_')}.log`,
		);
		const result = await runToFile(nodeBinary(), [n8nEntry(), ...args], {
			cwd: this.folder,
			env: this.env(this.cliBrokerPort),
			logFile,
			timeoutMs: 180_000,
		});
		if (result.code !== 0) {
			throw new SandboxError(`n8n ${args[0]} failed (see ${logFile}):\n${tail(result.output, 30)}`);
		}
		return result.output;
	}

	async start(): Promise<void> {
		const log = fs.openSync(this.logFile, 'a');
		try {
			this.child = spawn(nodeBinary(), [n8nEntry(), 'start'], {
				cwd: this.folder,
				env: this.env(this.brokerPort),
				stdio: ['ignore', log, log],
				detached: true,
			});
		} finally {
			fs.closeSync(log);
		}
		const child = this.child;
		await waitFor(
			async () => {
				if (child.exitCode !== null || child.signalCode !== null) {
					throw new SandboxError(
						`n8n exited during start; ${this.logFile}:\n${tail(this.logs(), 40)}`,
					);
				}
				return (await fetch(`${this.baseUrl}/healthz/readiness`)).ok;
			},
			{
				timeoutMs: 180_000,
				describe: () => `n8n readiness; ${this.logFile}:\n${tail(this.logs(), 40)}`,
			},
		).catch((error: Error) => {
			// waitFor wraps errors thrown by the check; show the SandboxError's own text.
			throw error.message.includes('exited during start') ? new SandboxError(error.message) : error;
		});
	}

	logs(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.client.rest<T>(method, urlPath, body);
	}

	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.client.api<T>(method, urlPath, body);
	}

	/** SIGTERM to n8n's process group, SIGKILL after 20 s; the task runner child goes with it. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return;
		await stopProcessGroup(child, { timeoutMs: 20_000 });
		this.child = undefined;
	}
}

interface Started {
	brex?: BrexEmulator;
	x3?: X3Emulator;
	n8n?: SandboxN8n;
}

async function stopAll(started: Started): Promise<void> {
	await started.n8n?.stop().catch(() => undefined);
	await started.brex?.close().catch(() => undefined);
	await started.x3?.close().catch(() => undefined);
}

async function main(started: Started): Promise<void> {
	const ports = {
		n8n: intFromEnv('BREX_X3_SANDBOX_N8N_PORT', 5690),
		brex: intFromEnv('BREX_X3_SANDBOX_BREX_PORT', 5691),
		x3: intFromEnv('BREX_X3_SANDBOX_X3_PORT', 5692),
		broker: intFromEnv('BREX_X3_SANDBOX_BROKER_PORT', 5693),
	};
	const cliBroker = ports.broker + 1;
	await assertPortFree(ports.n8n, 'BREX_X3_SANDBOX_N8N_PORT');
	await assertPortFree(ports.brex, 'BREX_X3_SANDBOX_BREX_PORT');
	await assertPortFree(ports.x3, 'BREX_X3_SANDBOX_X3_PORT');
	await assertPortFree(ports.broker, 'BREX_X3_SANDBOX_BROKER_PORT');
	await assertPortFree(cliBroker, 'BREX_X3_SANDBOX_BROKER_PORT (it also uses the next port)');
	const seed = intFromEnv('BREX_X3_SANDBOX_SEED', 42);
	const expenseCount = intFromEnv('BREX_X3_SANDBOX_EXPENSES', 500);
	const vendorCount = intFromEnv('BREX_X3_SANDBOX_VENDORS', 40);
	const knownVendorShare = 0.8;

	const folder = path.resolve(REPO_ROOT, env.BREX_X3_SANDBOX_DIR ?? '.n8n-sandbox');
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });

	started.brex = await startBrexEmulator({
		port: ports.brex,
		seed,
		expenseCount,
		vendorCount,
		knownVendorShare,
		// Svix's schedule: a delivery n8n does not acknowledge comes back after 5 s, 5 min, 30 min, ...
		faults: { deliveryRetryScheduleMs: SVIX_RETRY_SCHEDULE_MS },
	});
	const personality = launcherPersonality();
	started.x3 = await startX3Emulator({
		port: ports.x3,
		seed,
		seedOptions: { seed, vendorCount, knownVendorShare },
		...personality,
	});
	const { brex, x3 } = started;
	const unknownVendors =
		[...brex.state.vendors.values()].length - Math.round(vendorCount * knownVendorShare);
	say(
		`Brex emulator on ${brex.url}: ${brex.state.expenses.size} expenses, ${vendorCount} vendors ` +
			`(${unknownVendors} unknown to X3)`,
	);
	say(`X3 emulator on ${x3.url} (personality: ${personalityLabel(personality)})`);

	const n8n = new SandboxN8n(folder, ports.n8n, ports.broker, cliBroker);
	started.n8n = n8n;
	fs.mkdirSync(n8n.home, { recursive: true });
	const packed = packRepo(folder);
	installIntoUserFolder(packed, n8n.home);
	say(`installed ${packed.name}@${packed.version} as a community package in ${n8n.home}`);

	const credentialsFile = path.join(folder, 'credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify(emulatorCredentials(emulatorEndpoints(brex, x3)), null, 2),
	);
	await n8n.cli(['import:credentials', `--input=${credentialsFile}`]);
	// The master-data template arrives unpublished: its Brex field IDs are for the user to fill in.
	for (const file of [
		SYNC_TEMPLATE_FILE,
		RECONCILIATION_TEMPLATE_FILE,
		MASTER_DATA_TEMPLATE_FILE,
	]) {
		await n8n.cli(['import:workflow', `--input=${file}`]);
	}
	say('imported the emulator credentials and the workflow templates; starting n8n (about 15 s)');
	await n8n.start();

	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	const reconciliation = readTemplate(RECONCILIATION_TEMPLATE_FILE);
	await runManually(n8n, sync.id, SYNC_NODES.setupTables);
	// The emulator's expenses are from mid-2026: preset the reconciliation to that period.
	await setFieldValues(n8n, reconciliation.id, RECONCILIATION_NODES.dateRange, {
		dateFrom: '2026-06-01',
		dateTo: '2026-12-31',
	});
	await n8n.api('POST', `/workflows/${sync.id}/activate`, {});
	const trigger = templateNode(sync, SYNC_NODES.webhookTrigger);
	const hookUrl = `${n8n.baseUrl}/webhook/${trigger.webhookId}/webhook`;
	await waitFor(() => [...brex.state.webhooks.values()].some((hook) => hook.url === hookUrl), {
		timeoutMs: 60_000,
		describe: () => `the Brex Trigger to register ${hookUrl} with the Brex emulator`,
	});
	say(
		'created the data tables, published the sync; its Brex Trigger registered its webhook with Brex',
	);

	const expenseIds = [...brex.state.expenses.keys()];
	void brex
		.deliverEvents(brex.buildEvents({ eventType: 'EXPENSE_PAYMENT_UPDATED', ids: expenseIds }))
		.catch((error: Error) => say(`deliveries stopped: ${error.message}`));

	const line = '-'.repeat(100);
	process.stdout.write(
		[
			'',
			line,
			`  n8n editor      ${n8n.baseUrl}   login ${OWNER.email} / ${OWNER.password}`,
			`                  workflows "${sync.name}" (published) and "${reconciliation.name}"`,
			`  X3 ledger       ${x3.url}/ledger   (JSON: ${x3.url}/ledger.json)`,
			`  Brex emulator   ${brex.url}   token ${brex.token}   (stats: ${brex.url}/__emulator/stats?slim=true)`,
			`  n8n log         ${n8n.logFile}`,
			'',
			`  Brex is announcing all ${expenseIds.length} expenses (EXPENSE_PAYMENT_UPDATED webhooks) now.`,
			'  Ctrl-C stops n8n and both emulators.',
			line,
			'',
		].join('\n'),
	);

	const tables = new DataTables(n8n);
	let previous = '';
	for (;;) {
		const figures = ledgerFigures(x3.ledger(), CHART.cardLiabilityAccount);
		let audit = '?';
		let queue = '?';
		try {
			audit = String((await tables.rows(AUDIT_TABLE)).length);
			queue = String((await tables.rows(QUEUE_TABLE)).length);
		} catch {
			// n8n busy: show the ledger anyway.
		}
		const sent = new Set(brex.stats.deliveries.map((attempt) => attempt.webhookId)).size;
		const status =
			`ledger: ${figures.entries} entries, ${figures.linesByItemTrace.size} expenses posted | ` +
			`audit rows: ${audit} | replay queue: ${queue} | webhooks sent: ${sent}/${expenseIds.length}`;
		if (status !== previous) {
			say(`${new Date().toISOString().slice(11, 19)} ${status}`);
			previous = status;
		}
		await new Promise((resolve) => setTimeout(resolve, 3_000));
	}
}

const started: Started = {};
let stopping = false;
async function shutdown(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	if (started.brex || started.x3 || started.n8n) say('stopping n8n and the emulators');
	await stopAll(started);
	process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main(started).catch(async (error: Error) => {
	process.stderr.write(
		`[sandbox] ERROR: ${error instanceof SandboxError ? error.message : error.stack}\n`,
	);
	await shutdown(1);
});
