/**
 * The sandbox (`npm start`, scripts/sandbox.ts) run as a child process on free ports in a temporary folder:
 * Brex and X3 emulators, n8n with this package, the emulator credentials, both templates, the sync
 * published and every Brex expense announced by webhook. Used by scripts/screenshots.ts, so the pictures
 * show exactly what `npm start` shows. Needs `npm run build` and `npm run build:dev` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ExecutionSummary } from '../../e2e/lib/n8nInstance';
import {
	REPO_ROOT,
	stopProcessGroup,
	StopWaiting,
	freePort,
	tail,
	waitFor,
} from '../../e2e/lib/tools';
import { N8nClient } from '../../e2e/lib/n8nClient';
import type { N8nApi } from '../../e2e/sync/stack';

export interface SandboxOptions {
	expenses: number;
	vendors: number;
	seed: number;
	/** Where the sandbox's output goes (and its n8n folder, under ./sandbox). */
	folder?: string;
}

/** The line the sandbox prints once the sync is published and Brex has started announcing expenses. */
const READY_LINE = /Brex is announcing all (\d+) expenses/;

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** A free port whose next port is free too (the sandbox's n8n CLI uses broker port + 1). */
async function freePortPair(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (port < 65535 && (await portIsFree(port + 1))) return port;
	}
}

export class SandboxProcess implements N8nApi {
	readonly owner = { email: 'screenshots@example.com', password: 'Screenshots-Passw0rd!' };
	readonly folder: string;
	readonly logFile: string;
	baseUrl = '';
	x3Url = '';
	private child: ChildProcess | undefined;
	private client: N8nClient | undefined;

	constructor(private readonly options: SandboxOptions) {
		this.folder = options.folder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'brex-x3-screenshots-'));
		this.logFile = path.join(this.folder, 'sandbox.log');
	}

	output(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/** Starts the sandbox and waits until it has published the sync and started the webhooks. */
	async start(timeoutMs = 6 * 60_000): Promise<void> {
		const ports = {
			n8n: await freePort(),
			brex: await freePort(),
			x3: await freePort(),
			broker: await freePortPair(),
		};
		this.baseUrl = `http://127.0.0.1:${ports.n8n}`;
		this.client = new N8nClient(this.baseUrl, this.owner, 'brex-x3-screenshots');
		this.x3Url = `http://127.0.0.1:${ports.x3}`;
		const script = path.join(REPO_ROOT, 'build', 'scripts', 'sandbox.js');
		if (!fs.existsSync(script)) throw new Error(`${script} is missing; run: npm run build:dev`);
		const fd = fs.openSync(this.logFile, 'w');
		try {
			this.child = spawn(process.execPath, [script], {
				cwd: REPO_ROOT,
				env: {
					...process.env,
					BREX_X3_E2E_REPO_ROOT: REPO_ROOT,
					BREX_X3_SANDBOX_N8N_PORT: String(ports.n8n),
					BREX_X3_SANDBOX_BREX_PORT: String(ports.brex),
					BREX_X3_SANDBOX_X3_PORT: String(ports.x3),
					BREX_X3_SANDBOX_BROKER_PORT: String(ports.broker),
					BREX_X3_SANDBOX_EXPENSES: String(this.options.expenses),
					BREX_X3_SANDBOX_VENDORS: String(this.options.vendors),
					BREX_X3_SANDBOX_SEED: String(this.options.seed),
					BREX_X3_SANDBOX_DIR: path.join(this.folder, 'sandbox'),
					BREX_X3_SANDBOX_EMAIL: this.owner.email,
					BREX_X3_SANDBOX_PASSWORD: this.owner.password,
				},
				stdio: ['ignore', fd, fd],
				// Its own process group: stop() can end it (and what it started) even if it hangs.
				detached: true,
			});
		} finally {
			fs.closeSync(fd);
		}
		const child = this.child;
		await waitFor(
			() => {
				if (child.exitCode !== null || child.signalCode !== null) {
					throw new StopWaiting(
						`the sandbox exited (code ${child.exitCode}); ${this.logFile}:\n${tail(this.output(), 40)}`,
					);
				}
				return READY_LINE.test(this.output());
			},
			{
				timeoutMs,
				intervalMs: 500,
				describe: () => `the sandbox to start; ${this.logFile}:\n${tail(this.output(), 40)}`,
			},
		);
	}

	private started(): N8nClient {
		if (!this.client) throw new Error('The sandbox is not started');
		return this.client;
	}

	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.started().rest<T>(method, urlPath, body);
	}

	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		return await this.started().api<T>(method, urlPath, body);
	}

	/** SIGTERM: the sandbox stops n8n and the emulators itself; SIGKILL of its group after 40 s. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return;
		await stopProcessGroup(child, { timeoutMs: 40_000 });
		this.child = undefined;
	}

	/** Ids and statuses of a workflow's executions, newest first (all pages). */
	async executionStatuses(workflowId: string): Promise<Array<{ id: string; status: string }>> {
		const all: Array<{ id: string; status: string }> = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({ workflowId, limit: '250' });
			if (cursor) query.set('cursor', cursor);
			const page = await this.api<{ data: ExecutionSummary[]; nextCursor?: string | null }>(
				'GET',
				`/executions?${query.toString()}`,
			);
			all.push(
				...page.data.map((execution) => ({ id: String(execution.id), status: execution.status })),
			);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(b.id) - Number(a.id));
	}
}
