/** The test harnesses' way of stopping n8n, the queue-mode services and the sandbox (test/e2e/lib/tools.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

import { processGroupAlive, stopProcessGroup } from '../../e2e/lib/tools';

const started: ChildProcess[] = [];

/** A detached node process (its own process group) running `code`; resolves with what it printed once "ready". */
async function startGroup(code: string): Promise<{ child: ChildProcess; output: string }> {
	const child = spawn(process.execPath, ['-e', code], {
		detached: true,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	started.push(child);
	const output = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			if (/ready.*\n/.test(text)) resolve(text);
		});
		child.once('exit', (exitCode) => reject(new Error(`exited early (${exitCode}): ${text}`)));
	});
	return { child, output };
}

/**
 * Whether a process has ended: gone, or a zombie. A killed grandchild is reaped by pid 1, not by this test, and
 * pid 1 may take its time (about a second on these machines).
 */
function ended(pid: number): boolean {
	try {
		return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return true;
	}
}

/** A signal reaches a running process a moment after kill() returns. */
async function endsWithin(pid: number, ms: number): Promise<boolean> {
	for (const deadline = Date.now() + ms; !ended(pid) && Date.now() < deadline; ) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return ended(pid);
}

afterAll(() => {
	for (const child of started) {
		if (child.pid !== undefined && processGroupAlive(child.pid))
			process.kill(-child.pid, 'SIGKILL');
	}
});

const KEEP_ALIVE = 'setInterval(() => {}, 1000); console.log("ready");';
const IGNORE_TERM = `process.on("SIGTERM", () => {}); ${KEEP_ALIVE}`;
// The leader starts a grandchild in its group that ignores SIGTERM, then prints ready once it runs.
const WITH_STUBBORN_CHILD = `
const { spawn } = require("node:child_process");
const grandchild = spawn(process.execPath, ["-e", ${JSON.stringify(IGNORE_TERM)}], { stdio: ["ignore", "pipe", "inherit"] });
grandchild.stdout.once("data", () => console.log("ready " + grandchild.pid));
setInterval(() => {}, 1000);`;

describe('stopProcessGroup', () => {
	it('stops a process that honours SIGTERM without waiting for the timeout', async () => {
		const { child } = await startGroup(KEEP_ALIVE);
		const since = Date.now();
		await stopProcessGroup(child, { timeoutMs: 10_000 });
		expect(child.signalCode).toBe('SIGTERM');
		expect(Date.now() - since).toBeLessThan(5_000);
		expect(processGroupAlive(child.pid)).toBe(false);
	});

	it('kills a process that ignores SIGTERM once the timeout is over', async () => {
		const { child } = await startGroup(IGNORE_TERM);
		await stopProcessGroup(child, { timeoutMs: 300 });
		expect(child.signalCode).toBe('SIGKILL');
		expect(processGroupAlive(child.pid)).toBe(false);
	});

	it('signals the leader only when asked, then kills what is left of its group', async () => {
		const { child, output } = await startGroup(WITH_STUBBORN_CHILD);
		const grandchild = Number(/ready (\d+)/.exec(output)![1]);
		expect(ended(grandchild)).toBe(false);
		await stopProcessGroup(child, { timeoutMs: 5_000, leaderOnly: true });
		// The leader ended on SIGTERM; its grandchild ignored it and went with the group's SIGKILL.
		expect(child.signalCode).toBe('SIGTERM');
		expect(await endsWithin(grandchild, 2_000)).toBe(true);
	});

	it('does nothing to a process that already exited', async () => {
		const { child } = await startGroup(KEEP_ALIVE);
		process.kill(-child.pid!, 'SIGKILL');
		await new Promise((resolve) => child.once('exit', resolve));
		await expect(stopProcessGroup(child, { timeoutMs: 100 })).resolves.toBeUndefined();
		expect(child.signalCode).toBe('SIGKILL');
	});
});
