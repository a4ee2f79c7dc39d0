/**
 * Where the pinned tools live (same layout scripts/lib/env.sh creates) and small process helpers shared by
 * the e2e harness.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repo under test (BREX_X3_E2E_REPO_ROOT overrides it when the harness runs compiled elsewhere). */
export const REPO_ROOT =
	process.env.BREX_X3_E2E_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-brex-sage-x3';

export function toolsDir(): string {
	return process.env.BREX_X3_TOOLS ?? path.join(os.homedir(), '.cache', 'brex-x3-tools');
}

/** The Node 24 binary n8n runs under (env.sh exports BREX_X3_NODE_HOME). */
export function nodeBinary(): string {
	const home =
		process.env.BREX_X3_NODE_HOME ??
		path.join(toolsDir(), 'node24', 'node_modules', `node-${process.platform}-${process.arch}`);
	const candidate = path.join(home, 'bin', 'node');
	if (fs.existsSync(candidate)) return candidate;
	if (Number(process.versions.node.split('.')[0]) >= 24) return process.execPath;
	throw new Error(`Node 24 not found at ${candidate}; run: source scripts/lib/env.sh`);
}

export function n8nHome(): string {
	return process.env.BREX_X3_N8N_HOME ?? path.join(toolsDir(), 'n8n');
}

/** n8n's CLI entry script (run with nodeBinary(), so no PATH lookup of `node` is involved). */
export function n8nEntry(): string {
	const entry = path.join(n8nHome(), 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(entry)) {
		throw new Error(`n8n not installed at ${entry}; run: source scripts/lib/env.sh && ensure_n8n`);
	}
	return entry;
}

/** Requires a module from n8n's own node_modules (bcryptjs for the owner password hash). */
export function requireFromN8n<T>(moduleName: string): T {
	const resolved = require.resolve(moduleName, { paths: [path.join(n8nHome(), 'node_modules')] });
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(resolved) as T;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** Distinct free ports (asks until it has `count` different ones). */
export async function freePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) ports.add(await freePort());
	return [...ports];
}

export function sleepMs(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by a waitFor check to end the wait at once (the awaited thing can no longer happen). */
export class StopWaiting extends Error {}

/**
 * Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs` with
 * `describe()` (called at timeout, so it can show the latest state). Errors thrown by `check` count as "not
 * yet", except StopWaiting, which is rethrown at once.
 */
export async function waitFor<T>(
	check: () => Promise<T | undefined | false> | T | undefined | false,
	options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) return value;
		} catch (error) {
			if (error instanceof StopWaiting) throw error;
			lastError = error;
		}
		if (Date.now() > deadline) {
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
			throw new Error(`Timed out after ${options.timeoutMs} ms: ${options.describe()}${cause}`);
		}
		await sleepMs(options.intervalMs ?? 250);
	}
}

export function tail(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}

export interface ProcessResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	output: string;
}

/**
 * Runs a command with stdout+stderr going to `logFile` (never a pipe: an n8n CLI whose reader goes away
 * spins at 100 % CPU on EPIPE), kills its process group after `timeoutMs`, and returns the output.
 */
export async function runToFile(
	command: string,
	args: string[],
	options: {
		cwd: string;
		env: NodeJS.ProcessEnv;
		logFile: string;
		timeoutMs: number;
		pidFile?: string;
	},
): Promise<ProcessResult> {
	const fd = fs.openSync(options.logFile, 'w');
	try {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', fd, fd],
			detached: true,
		});
		trackProcessGroup(child.pid, options.pidFile);
		const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
			(resolve, reject) => {
				const timer = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), options.timeoutMs);
				child.on('error', (error) => {
					clearTimeout(timer);
					reject(error);
				});
				child.on('exit', (code, signal) => {
					clearTimeout(timer);
					resolve({ code, signal });
				});
			},
		);
		killProcessGroup(child.pid, 'SIGKILL');
		untrackProcessGroup(child.pid, options.pidFile);
		return { ...result, output: fs.readFileSync(options.logFile, 'utf8') };
	} finally {
		fs.closeSync(fd);
	}
}

/** Runs a short, well-behaved command (npm, tar) and returns its stdout; throws with stderr on failure. */
export function runSync(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (result.error) throw result.error;
	if (result.status !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} exited with ${result.status}:\n${tail(result.stderr + result.stdout, 40)}`,
		);
	}
	return result.stdout;
}

// Process groups this module started and has not seen end: killed when the test process exits, so a
// crashed or interrupted run leaves no n8n behind. The optional pid file lets test/e2e/run.sh kill them
// too when jest itself was killed.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackProcessGroup(pid: number | undefined, pidFile?: string): void {
	if (pid === undefined) return;
	liveGroups.add(pid);
	if (pidFile) fs.writeFileSync(pidFile, String(pid));
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.on('exit', () => {
			for (const group of liveGroups) killProcessGroup(group, 'SIGKILL');
		});
	}
}

export function untrackProcessGroup(pid: number | undefined, pidFile?: string): void {
	if (pid !== undefined) liveGroups.delete(pid);
	if (pidFile) fs.rmSync(pidFile, { force: true });
}

/** Signals the process group led by `pid` (children were spawned detached, so pid = pgid). */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
	if (pid === undefined) return false;
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

export function processGroupAlive(pid: number | undefined): boolean {
	return killProcessGroup(pid, 0);
}

/**
 * Stops a child started detached (its pid is its process group's id): `signal` to the group (or to the leader
 * only, which then stops its own children), up to `timeoutMs` for it to exit, then SIGKILL of whatever of the
 * group is left (a task runner, a worker's child).
 */
export async function stopProcessGroup(
	child: ChildProcess,
	options: { signal?: NodeJS.Signals; timeoutMs: number; leaderOnly?: boolean },
): Promise<void> {
	const pid = child.pid;
	if (pid === undefined) return;
	if (child.exitCode === null && child.signalCode === null) {
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		const signal = options.signal ?? 'SIGTERM';
		if (options.leaderOnly) child.kill(signal);
		else killProcessGroup(pid, signal);
		let timer: NodeJS.Timeout | undefined;
		const stopped = await Promise.race([
			exited.then(() => true),
			new Promise<boolean>(
				(resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)),
			),
		]);
		clearTimeout(timer);
		if (!stopped) {
			killProcessGroup(pid, 'SIGKILL');
			await exited;
		}
	}
	if (processGroupAlive(pid)) killProcessGroup(pid, 'SIGKILL');
}
