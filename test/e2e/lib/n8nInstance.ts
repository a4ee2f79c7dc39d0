/**
 * A real n8n (the pinned 2.x from the tool cache) in a throw-away user folder, with this package installed
 * as a community package. One instance per test file: create() → import* → start() → tests → dispose().
 *
 * Runs n8n headless: fresh folder and encryption key per run, telemetry off,
 * owner from env (for REST login and an API key), output of every n8n process to a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nClient } from './n8nClient';
import { installIntoUserFolder, packRepo, type PackedPackage } from './package';
import {
	freePorts,
	killProcessGroup,
	n8nEntry,
	nodeBinary,
	requireFromN8n,
	runToFile,
	stopProcessGroup,
	StopWaiting,
	tail,
	trackProcessGroup,
	untrackProcessGroup,
	waitFor,
	type ProcessResult,
} from './tools';

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	/** Plaintext; n8n encrypts it with this instance's key on import. */
	data: Record<string, unknown>;
}

export interface WorkflowNodeFixture {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

export interface WorkflowFixture {
	id: string;
	name: string;
	nodes: WorkflowNodeFixture[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished: boolean;
	startedAt: string;
	stoppedAt: string | null;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: unknown;
				}>
			>;
			error?: { message?: string };
		};
	};
}

export interface N8nInstanceOptions {
	/** Label used in the temp folder name. */
	name?: string;
	/** Extra or overriding env for every n8n process of this instance. */
	env?: Record<string, string>;
	/** Max wait for /healthz/readiness. */
	startTimeoutMs?: number;
}

const OWNER = {
	email: 'e2e-owner@example.com',
	password: 'E2e-Passw0rd!',
	firstName: 'E2E',
	lastName: 'Owner',
};
const BROWSER_ID = 'brex-x3-e2e';
const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

/** Checks the count n8n reports, so an entry it skipped fails here instead of in a later test. */
function expectImported(output: string, pattern: RegExp, expected: number): void {
	const imported = Number(pattern.exec(output)?.[1] ?? -1);
	if (imported !== expected) {
		throw new Error(`n8n imported ${imported} instead of ${expected}:\n${tail(output, 20)}`);
	}
}

/** Output of every run of a node (main output 0), as plain JSON objects. */
export function nodeOutput(
	execution: ExecutionSummary,
	nodeName: string,
): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[nodeName] ?? [];
	return runs.flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}

export class N8nInstance {
	readonly root: string;
	readonly userFolder: string;
	readonly logFile: string;
	readonly baseUrl: string;
	private readonly pidFile: string;
	private process: ChildProcess | undefined;
	private exited: Promise<void> | undefined;
	private cliCount = 0;
	private readonly client: N8nClient;
	private readonly encryptionKey = randomBytes(24).toString('hex');
	private readonly ownerPasswordHash: string;

	private constructor(
		readonly port: number,
		private readonly brokerPort: number,
		private readonly cliBrokerPort: number,
		private readonly options: N8nInstanceOptions,
		readonly packed: PackedPackage,
		root: string,
	) {
		this.root = root;
		this.userFolder = path.join(root, 'home');
		this.logFile = path.join(root, 'n8n.log');
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.client = new N8nClient(this.baseUrl, OWNER, BROWSER_ID);
		this.pidFile = path.join(root, 'n8n.pgid');
		const bcrypt = requireFromN8n<{ hashSync(password: string, rounds: number): string }>(
			'bcryptjs',
		);
		this.ownerPasswordHash = bcrypt.hashSync(OWNER.password, 10);
	}

	/** Makes the folder, picks ports, packs this package and installs it into the folder. */
	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const parent = process.env.BREX_X3_E2E_WORK_DIR ?? os.tmpdir();
		fs.mkdirSync(parent, { recursive: true });
		const root = fs.mkdtempSync(path.join(parent, `n8n-${options.name ?? 'e2e'}-`));
		const [port, brokerPort, cliBrokerPort] = await freePorts(3);
		const packed = packRepo(root);
		const instance = new N8nInstance(port, brokerPort, cliBrokerPort, options, packed, root);
		fs.mkdirSync(instance.userFolder, { recursive: true });
		installIntoUserFolder(packed, instance.userFolder);
		return instance;
	}

	get running(): boolean {
		return (
			this.process !== undefined &&
			this.process.exitCode === null &&
			this.process.signalCode === null
		);
	}

	get pid(): number | undefined {
		return this.process?.pid;
	}

	/** Env of every n8n process: the parent env minus any N8N_* / DB_* settings, plus ours. */
	env(brokerPort = this.brokerPort): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) {
			// jest sets NODE_ENV=test, under which n8n silences its logger and skips parts of start-up.
			if (
				/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_ENV$|JEST_|QUEUE_)/.test(
					key,
				)
			) {
				continue;
			}
			env[key] = value;
		}
		const nodeDir = path.dirname(nodeBinary());
		return {
			...env,
			PATH: `${nodeDir}${path.delimiter}${env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			// Webhook URLs the Brex trigger registers: 127.0.0.1, since "localhost" may resolve to ::1.
			N8N_WEBHOOK_URL: `${this.baseUrl}/`,
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
			N8N_LOG_LEVEL: process.env.BREX_X3_E2E_N8N_LOG_LEVEL ?? 'info',
			GENERIC_TIMEZONE: 'UTC',
			DB_TYPE: 'sqlite',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
			N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: this.ownerPasswordHash,
			...this.options.env,
		};
	}

	/** Runs one n8n CLI command (its own broker port, so it also works while the server runs). */
	async cli(args: string[], timeoutMs = 120_000): Promise<ProcessResult> {
		this.cliCount += 1;
		const logFile = path.join(
			this.root,
			`cli-${this.cliCount}-${args[0].replace(/[^a-z]/gi, '_')}.log`,
		);
		const result = await runToFile(nodeBinary(), [n8nEntry(), ...args], {
			cwd: this.root,
			env: this.env(this.cliBrokerPort),
			logFile,
			timeoutMs,
			pidFile: path.join(this.root, 'cli.pgid'),
		});
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (code ${result.code}, signal ${result.signal}); ${logFile}:\n` +
					tail(result.output, 40),
			);
		}
		return result;
	}

	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = path.join(this.root, 'import-credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		const { output } = await this.cli(['import:credentials', `--input=${file}`]);
		expectImported(output, /Successfully imported (\d+) credentials?/, credentials.length);
	}

	/** Imports all workflows in one CLI process (`--separate`); they arrive inactive. */
	async importWorkflows(workflows: WorkflowFixture[]): Promise<void> {
		const dir = path.join(this.root, `import-workflows-${this.cliCount + 1}`);
		fs.mkdirSync(dir, { recursive: true });
		for (const workflow of workflows) {
			const full = { active: false, settings: { executionOrder: 'v1' }, pinData: {}, ...workflow };
			fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(full, null, 2));
		}
		const { output } = await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		expectImported(output, /Successfully imported (\d+) workflows?/, workflows.length);
	}

	/** Offline publication (takes effect at the next start); while running use activate(). */
	async publish(workflowId: string): Promise<void> {
		await this.cli(['publish:workflow', `--id=${workflowId}`]);
	}

	/** `n8n export:nodes`: every node type this n8n loads (including community packages). */
	async exportNodeTypes(): Promise<
		Array<{ name: string; displayName: string; credentials?: Array<{ name: string }> }>
	> {
		const file = path.join(this.root, 'export-nodes.json');
		await this.cli(['export:nodes', `--output=${file}`]);
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	}

	/** Starts `n8n start` (output to logFile) and waits for /healthz/readiness. */
	async start(): Promise<void> {
		if (this.running) throw new Error('n8n is already running');
		fs.appendFileSync(this.logFile, `\n===== n8n start at ${new Date().toISOString()} =====\n`);
		const fd = fs.openSync(this.logFile, 'a');
		try {
			this.process = spawn(nodeBinary(), [n8nEntry(), 'start'], {
				cwd: this.root,
				env: this.env(),
				stdio: ['ignore', fd, fd],
				detached: true,
			});
		} finally {
			fs.closeSync(fd);
		}
		const child = this.process;
		trackProcessGroup(child.pid, this.pidFile);
		this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
		this.client.forgetSession();
		await waitFor(
			async () => {
				if (!this.running) throw new StopWaiting('exited');
				const response = await fetch(`${this.baseUrl}/healthz/readiness`);
				return response.ok;
			},
			{
				timeoutMs: this.options.startTimeoutMs ?? 120_000,
				describe: () => `n8n readiness on ${this.baseUrl}; log tail:\n${tail(this.logs(), 60)}`,
			},
		).catch((error: Error) => {
			if (!this.running) {
				throw new Error(
					`n8n exited during start (code ${child.exitCode}); log tail:\n${tail(this.logs(), 60)}`,
				);
			}
			throw error;
		});
	}

	/** SIGTERM, then SIGKILL of the whole process group after `timeoutMs`. */
	async stop(timeoutMs = 20_000): Promise<void> {
		const child = this.process;
		if (!child) return;
		// SIGTERM to n8n itself: it stops its task runner; nothing of the group lingers after.
		await stopProcessGroup(child, { timeoutMs, leaderOnly: true });
		untrackProcessGroup(child.pid, this.pidFile);
		this.process = undefined;
	}

	/** Abrupt crash of n8n and its task runner (for recovery tests). */
	async kill9(): Promise<void> {
		const child = this.process;
		if (!child) return;
		killProcessGroup(child.pid, 'SIGKILL');
		await this.exited;
		untrackProcessGroup(child.pid, this.pidFile);
		this.process = undefined;
	}

	/** Stops n8n and removes the folder (kept when BREX_X3_E2E_KEEP=1 or under BREX_X3_E2E_WORK_DIR). */
	async dispose(): Promise<void> {
		await this.stop();
		if (process.env.BREX_X3_E2E_KEEP === '1' || process.env.BREX_X3_E2E_WORK_DIR) return;
		fs.rmSync(this.root, { recursive: true, force: true });
	}

	/** n8n's output so far (all starts of this instance). */
	logs(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath}`;
	}

	/**
	 * Waits until a production webhook is registered, with a side-effect-free CORS preflight: the allowed
	 * methods include `method` only once the path is live (readiness turns OK before activation finishes).
	 */
	async waitForWebhook(webhookPath: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		await waitFor(
			async () => {
				const response = await fetch(this.webhookUrl(webhookPath), {
					method: 'OPTIONS',
					headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': method },
				});
				const allowed = response.headers.get('access-control-allow-methods') ?? '';
				return allowed
					.toUpperCase()
					.split(/\s*,\s*/)
					.includes(method.toUpperCase());
			},
			{ timeoutMs, describe: () => `webhook ${method} ${webhookPath} registered` },
		);
	}

	/** Logs the env-managed owner in (REST); the cookie is reused until the next start. */
	async login(): Promise<string> {
		return await this.client.login();
	}

	/** REST (editor) API call with the owner's session. */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.client.rest<T>(method, urlPath, body);
	}

	/** A public-API key with every scope the owner may grant (created once per instance). */
	async apiKey(): Promise<string> {
		return await this.client.apiKey();
	}

	/** Public API (/api/v1) call; throws with the body on a non-2xx answer. */
	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.client.api<T>(method, urlPath, body);
	}

	async activate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/activate`, {});
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.api('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** One public-API listing of a workflow's executions, all pages. */
	private async listExecutions(
		workflowId: string,
		options: { includeData: boolean; status?: string },
	): Promise<ExecutionSummary[]> {
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '100' });
			if (options.includeData) {
				query.set('includeData', 'true');
				query.set('ignoreDataSizeLimit', 'true');
			}
			if (options.status) query.set('status', options.status);
			if (cursor) query.set('cursor', cursor);
			const page = await this.api<{ data: ExecutionSummary[]; nextCursor?: string | null }>(
				'GET',
				`/executions?${query.toString()}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/**
	 * All finished executions of a workflow (success, error, crashed, canceled), oldest first, with their run
	 * data. Queued ('new'), running and waiting ones are left out: their run data is still incomplete.
	 */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const all = await this.listExecutions(workflowId, { includeData: true });
		return all.filter((execution) => FINISHED_STATUSES.includes(execution.status));
	}

	/**
	 * Ids and statuses of every execution of a workflow, finished or not (the plain listing leaves out the
	 * running ones, so they are asked for separately).
	 */
	async executionStatuses(
		workflowId: string,
	): Promise<Array<{ id: string; status: string; mode: string }>> {
		const [listed, running] = await Promise.all([
			this.listExecutions(workflowId, { includeData: false }),
			this.listExecutions(workflowId, { includeData: false, status: 'running' }),
		]);
		const byId = new Map<string, { status: string; mode: string }>();
		for (const execution of [...listed, ...running]) {
			byId.set(execution.id, { status: execution.status, mode: execution.mode });
		}
		return [...byId].map(([id, { status, mode }]) => ({ id, status, mode }));
	}

	/**
	 * Waits until no execution of the workflow is queued or running any more, then returns the finished ones.
	 * n8n creates the execution of a webhook call before it answers the call, so after the answers arrived
	 * this is the final list.
	 */
	async settledExecutions(workflowId: string, timeoutMs = 60_000): Promise<ExecutionSummary[]> {
		let unfinished: Array<{ id: string; status: string }> = [];
		await waitFor(
			async () => {
				const statuses = await this.executionStatuses(workflowId);
				unfinished = statuses.filter((execution) => !FINISHED_STATUSES.includes(execution.status));
				return unfinished.length === 0;
			},
			{
				timeoutMs,
				intervalMs: 300,
				describe: () =>
					`executions of ${workflowId} to finish (unfinished: ${JSON.stringify(unfinished)})`,
			},
		);
		return await this.executions(workflowId);
	}

	/** Waits until the workflow has at least `count` finished executions; returns them all. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 60_000,
	): Promise<ExecutionSummary[]> {
		let latest: ExecutionSummary[] = [];
		return await waitFor(
			async () => {
				latest = await this.executions(workflowId);
				return latest.length >= count ? latest : undefined;
			},
			{
				timeoutMs,
				intervalMs: 500,
				describe: () =>
					`${count} executions of ${workflowId} (have ${latest.length}); log tail:\n${tail(this.logs(), 30)}`,
			},
		);
	}

	/** Node types n8n serves to the editor (needs the owner session in 2.x). */
	async nodeTypes(): Promise<Array<{ name: string; version: number | number[] }>> {
		return await this.rest('GET', '/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return await this.rest('GET', '/types/credentials.json');
	}
}
