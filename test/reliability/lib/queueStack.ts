/**
 * n8n in queue mode for the reliability tests: Redis and PostgreSQL (Debian's packages, started here as plain
 * processes on 127.0.0.1 with free ports and throw-away data folders), an n8n main process, a webhook processor
 * (`n8n webhook`) and workers (`n8n worker`), all with EXECUTIONS_MODE=queue, the same encryption key and
 * database, and the package installed once as a community package in the user folder they share.
 *
 * The main process is the e2e harness's N8nInstance (CLI imports, REST and public API, kill -9); the webhook
 * processor and the workers run with that instance's environment plus their own ports. Every process writes its
 * output to a file under the instance's folder (so the secret scan finds every log) and its process group id
 * to a .pgid file (so scripts/reliability.sh can kill what a crashed jest left behind).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance } from '../../e2e/lib/n8nInstance';
import {
	StopWaiting,
	freePorts,
	killProcessGroup,
	n8nEntry,
	nodeBinary,
	stopProcessGroup,
	tail,
	trackProcessGroup,
	untrackProcessGroup,
	waitFor,
} from '../../e2e/lib/tools';
import type { FaultRunStack } from './faultRun';
import type { Haystack } from './secretScan';

// ---------------------------------------------------------------------------------------------------------------
// Processes

export interface ServiceOptions {
	name: string;
	command: string;
	args: string[];
	env?: NodeJS.ProcessEnv;
	cwd: string;
	logFile: string;
	/** Resolves truthy once the service answers. */
	ready: () => Promise<boolean>;
	readyTimeoutMs?: number;
}

/** A long-running process in its own process group, output appended to a log file, restartable. */
export class ServiceProcess {
	private child: ChildProcess | undefined;
	private exited: Promise<void> | undefined;
	readonly pidFile: string;

	constructor(readonly options: ServiceOptions) {
		this.pidFile = `${options.logFile.replace(/\.log$/, '')}.pgid`;
	}

	get name(): string {
		return this.options.name;
	}

	get running(): boolean {
		return (
			this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
		);
	}

	/** Process id (= process-group id: the service is started detached), while running. */
	get pid(): number | undefined {
		return this.running ? this.child?.pid : undefined;
	}

	logs(): string {
		return fs.existsSync(this.options.logFile) ? fs.readFileSync(this.options.logFile, 'utf8') : '';
	}

	async start(): Promise<void> {
		if (this.running) throw new Error(`${this.name} is already running`);
		fs.appendFileSync(
			this.options.logFile,
			`\n===== ${this.name} start at ${new Date().toISOString()} =====\n`,
		);
		const fd = fs.openSync(this.options.logFile, 'a');
		try {
			this.child = spawn(this.options.command, this.options.args, {
				cwd: this.options.cwd,
				env: this.options.env ?? process.env,
				stdio: ['ignore', fd, fd],
				detached: true,
			});
		} finally {
			fs.closeSync(fd);
		}
		const child = this.child;
		trackProcessGroup(child.pid, this.pidFile);
		this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
		await waitFor(
			async () => {
				if (!this.running) throw new StopWaiting('exited');
				return await this.options.ready();
			},
			{
				timeoutMs: this.options.readyTimeoutMs ?? 120_000,
				intervalMs: 300,
				describe: () => `${this.name} ready; log tail:\n${tail(this.logs(), 40)}`,
			},
		).catch((error: Error) => {
			if (!this.running) {
				throw new Error(
					`${this.name} exited during start (code ${child.exitCode}); log tail:\n${tail(this.logs(), 40)}`,
				);
			}
			throw error;
		});
	}

	/** SIGKILL of the whole process group (the crash under test). */
	async kill9(): Promise<void> {
		const child = this.child;
		if (!child) return;
		killProcessGroup(child.pid, 'SIGKILL');
		await this.exited;
		untrackProcessGroup(child.pid, this.pidFile);
		this.child = undefined;
	}

	/** `signal` to the group, SIGKILL after `timeoutMs`. */
	async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
		const child = this.child;
		if (!child) return;
		await stopProcessGroup(child, { signal, timeoutMs });
		untrackProcessGroup(child.pid, this.pidFile);
		this.child = undefined;
	}
}

async function tcpOpen(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Redis and PostgreSQL

/** Redis without persistence on a free port. */
export async function startRedis(dir: string): Promise<{ port: number; process: ServiceProcess }> {
	fs.mkdirSync(dir, { recursive: true });
	const [port] = await freePorts(1);
	const service = new ServiceProcess({
		name: 'redis',
		command: 'redis-server',
		args: [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--dir',
			dir,
		],
		cwd: dir,
		logFile: path.join(dir, 'redis.log'),
		ready: async () => await tcpOpen(port),
	});
	await service.start();
	return { port, process: service };
}

/** The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<version>/bin). */
export function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((version) => fs.existsSync(path.join(root, version, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length === 0) {
		throw new Error(
			'PostgreSQL server not found under /usr/lib/postgresql (apt-get install -y postgresql)',
		);
	}
	return path.join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, run its programs as the `postgres` user. */
function asDatabaseUser(command: string, args: string[]): { command: string; args: string[] } {
	if (process.getuid?.() !== 0) return { command, args };
	// runuser lives in /usr/sbin or /sbin, which a minimal PATH (env -i, some CI shells) leaves out.
	const runuser =
		['/usr/sbin/runuser', '/sbin/runuser'].find((file) => fs.existsSync(file)) ?? 'runuser';
	return { command: runuser, args: ['-u', 'postgres', '--', command, ...args] };
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	process: ServiceProcess;
}

/**
 * A throw-away cluster (initdb, trust authentication on 127.0.0.1 only, fsync off) with one database for n8n.
 * The data folder is made in `parent`, which the postgres user must be able to enter.
 */
export async function startPostgres(parent: string): Promise<Postgres> {
	const bin = postgresBinDir();
	const dir = fs.mkdtempSync(path.join(parent, 'postgres-'));
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	fs.mkdirSync(socketDir);
	fs.chmodSync(dir, 0o755);
	if (process.getuid?.() === 0) {
		const owner = spawnSync('chown', ['-R', 'postgres:postgres', dir]);
		if (owner.status !== 0) throw new Error(`chown postgres ${dir} failed: ${owner.stderr}`);
	}
	const user = 'n8n';
	const database = 'n8n';
	const init = asDatabaseUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'--auth=trust',
		'--encoding=UTF8',
		'--no-sync',
	]);
	const initialised = spawnSync(init.command, init.args, { cwd: dir, encoding: 'utf8' });
	if (initialised.status !== 0) {
		throw new Error(
			`initdb failed: ${initialised.error?.message ?? (initialised.stderr || initialised.stdout)}`,
		);
	}
	const [port] = await freePorts(1);
	const server = asDatabaseUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-h',
		'127.0.0.1',
		'-k',
		socketDir,
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	]);
	// The log file is written by this (root) process through the inherited descriptor, not by postgres.
	const service = new ServiceProcess({
		name: 'postgres',
		command: server.command,
		args: server.args,
		cwd: dir,
		logFile: path.join(parent, 'postgres.log'),
		ready: async () => {
			if (!(await tcpOpen(port))) return false;
			const probe = spawnSync(
				path.join(bin, 'pg_isready'),
				['-h', '127.0.0.1', '-p', String(port), '-U', user],
				{ encoding: 'utf8' },
			);
			return probe.status === 0;
		},
	});
	await service.start();
	const created = spawnSync(
		path.join(bin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
		{ encoding: 'utf8' },
	);
	if (created.status !== 0) {
		await service.stop('SIGINT');
		throw new Error(`createdb failed: ${created.stderr || created.stdout}`);
	}
	return { port, database, user, process: service };
}

// ---------------------------------------------------------------------------------------------------------------
// The queue-mode stack

export interface QueueStackOptions {
	name?: string;
	workers?: number;
	/** Jobs each worker runs at once (N8N_CONCURRENCY_PRODUCTION_LIMIT, which `n8n worker` uses). */
	workerConcurrency?: number;
}

export class QueueStack implements FaultRunStack {
	readonly mode = 'queue';

	private constructor(
		readonly main: N8nInstance,
		readonly redis: { port: number; process: ServiceProcess },
		readonly postgres: Postgres,
		readonly webhook: ServiceProcess,
		readonly webhookPort: number,
		readonly workers: ServiceProcess[],
		private readonly workerConcurrency: number,
		private readonly serviceDir: string,
	) {}

	/** Starts Redis and PostgreSQL, prepares the n8n folder; n8n itself starts with start(). */
	static async create(options: QueueStackOptions = {}): Promise<QueueStack> {
		const parent = process.env.BREX_X3_E2E_WORK_DIR ?? os.tmpdir();
		fs.mkdirSync(parent, { recursive: true });
		const serviceDir = fs.mkdtempSync(path.join(parent, 'queue-services-'));
		fs.chmodSync(serviceDir, 0o755);
		const redis = await startRedis(path.join(serviceDir, 'redis'));
		let postgres: Postgres | undefined;
		try {
			postgres = await startPostgres(serviceDir);
			const [webhookPort, ...brokerPorts] = await freePorts(2 + (options.workers ?? 2));
			const workerConcurrency = options.workerConcurrency ?? 2;
			const main = await N8nInstance.create({
				name: options.name ?? 'queue',
				env: {
					EXECUTIONS_MODE: 'queue',
					QUEUE_BULL_REDIS_HOST: '127.0.0.1',
					QUEUE_BULL_REDIS_PORT: String(redis.port),
					QUEUE_HEALTH_CHECK_ACTIVE: 'false',
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: '127.0.0.1',
					DB_POSTGRESDB_PORT: String(postgres.port),
					DB_POSTGRESDB_DATABASE: postgres.database,
					DB_POSTGRESDB_USER: postgres.user,
					DB_POSTGRESDB_PASSWORD: 'n8n-reliability',
					// Manual runs (replay, reconciliation) go to the workers as well.
					OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
					// Brex delivers to the webhook processor: that is the URL the trigger registers.
					N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
					N8N_EVENTBUS_LOGWRITER_LOGBASENAME: 'n8nEventLog-main',
					// A worker killed right after taking a job leaves its execution 'new' (n8n fails stalled jobs
					// instead of retrying them); the main process marks such executions crashed at its queue
					// recovery check, every 180 minutes by default: every minute here, so the run settles.
					N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
				},
			});
			const entry = [n8nEntry()];
			const processEnv = (name: string, brokerPort: number, extra: Record<string, string>) => ({
				...main.env(brokerPort),
				N8N_EVENTBUS_LOGWRITER_LOGBASENAME: `n8nEventLog-${name}`,
				...extra,
			});
			const webhook = new ServiceProcess({
				name: 'webhook',
				command: nodeBinary(),
				args: [...entry, 'webhook'],
				env: processEnv('webhook', brokerPorts[0], { N8N_PORT: String(webhookPort) }),
				cwd: main.root,
				logFile: path.join(main.root, 'n8n-webhook.log'),
				ready: async () => {
					const response = await fetch(`http://127.0.0.1:${webhookPort}/healthz/readiness`);
					return response.ok;
				},
			});
			const workers = brokerPorts.slice(1).map((brokerPort, index) => {
				const name = `worker${index + 1}`;
				const logFile = path.join(main.root, `n8n-${name}.log`);
				return new ServiceProcess({
					name,
					command: nodeBinary(),
					args: [...entry, 'worker'],
					env: processEnv(name, brokerPort, {
						N8N_CONCURRENCY_PRODUCTION_LIMIT: String(workerConcurrency),
					}),
					cwd: main.root,
					logFile,
					// The line `n8n worker` prints once it takes jobs; counted per start.
					ready: async () => {
						const text = fs.readFileSync(logFile, 'utf8');
						const lastStart = text.lastIndexOf(`===== ${name} start at`);
						return text.indexOf('n8n worker is now ready', lastStart) >= 0;
					},
				});
			});
			return new QueueStack(
				main,
				redis,
				postgres,
				webhook,
				webhookPort,
				workers,
				workerConcurrency,
				serviceDir,
			);
		} catch (error) {
			await postgres?.process.stop('SIGINT');
			await redis.process.stop();
			throw error;
		}
	}

	get webhookBaseUrl(): string {
		return `http://127.0.0.1:${this.webhookPort}`;
	}

	/** Process-group ids of every n8n process of the stack that is running (main, webhook processor, workers). */
	n8nProcessGroups(): number[] {
		return [this.main.pid, this.webhook.pid, ...this.workers.map((worker) => worker.pid)].filter(
			(pid): pid is number => pid !== undefined,
		);
	}

	private byName(name: string): ServiceProcess | 'main' {
		if (name === 'main') return 'main';
		const found = [this.webhook, ...this.workers].find((service) => service.name === name);
		if (!found) throw new Error(`No n8n process named ${name}`);
		return found;
	}

	async start(): Promise<void> {
		// The main process runs the database migrations; the others start once it is ready.
		await this.main.start();
		await Promise.all([this.webhook.start(), ...this.workers.map((worker) => worker.start())]);
	}

	/** First kill: one of the workers (mid-execution); second: the webhook processor (mid-delivery). */
	killCandidates(kill: number): string[] {
		return kill === 0 ? this.workers.map((worker) => worker.name) : [this.webhook.name];
	}

	async kill9(target: string): Promise<void> {
		const service = this.byName(target);
		if (service === 'main') await this.main.kill9();
		else await service.kill9();
	}

	async restart(target: string): Promise<void> {
		const service = this.byName(target);
		if (service === 'main') await this.main.start();
		else await service.start();
	}

	extraLogs(): Haystack[] {
		return [this.redis.process, this.postgres.process].map((service) => ({
			source: path.relative(path.dirname(this.serviceDir), service.options.logFile),
			text: service.logs(),
		}));
	}

	describe(): string {
		return (
			`n8n queue mode: main ${this.main.baseUrl}, webhook processor ${this.webhookBaseUrl}, ` +
			`${this.workers.length} workers (concurrency ${this.workerConcurrency} each), ` +
			`Redis :${this.redis.port}, PostgreSQL :${this.postgres.port}`
		);
	}

	async dispose(): Promise<void> {
		await Promise.all([this.webhook.stop(), ...this.workers.map((worker) => worker.stop())]);
		await this.main.dispose();
		await this.postgres.process.stop('SIGINT');
		await this.redis.process.stop();
		if (!process.env.BREX_X3_E2E_WORK_DIR && process.env.BREX_X3_E2E_KEEP !== '1') {
			fs.rmSync(this.serviceDir, { recursive: true, force: true });
		}
	}
}
