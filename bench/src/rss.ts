/**
 * Samples the resident memory of a process tree (n8n's process group: the main process and its task
 * runner) from /proc, so the peak of a scenario is known without touching n8n.
 */
import * as fs from 'node:fs';

/** VmRSS (bytes) of every process of the process group `pgid`, by pid. */
export function groupRssByProcess(pgid: number): Map<number, number> {
	const found = new Map<number, number>();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name (which may contain spaces): state ppid pgrp …
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
			const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
			if (kb) found.set(Number(entry), Number(kb) * 1024);
		} catch {
			// The process ended between readdir and read.
		}
	}
	return found;
}

/** Sum of VmRSS (bytes) of every process whose process-group id is `pgid`. */
export function groupRss(pgid: number): number {
	let total = 0;
	for (const bytes of groupRssByProcess(pgid).values()) total += bytes;
	return total;
}

export class RssSampler {
	private timer: NodeJS.Timeout | undefined;
	peakBytes = 0;
	/** Peak of the group leader alone (n8n's main process, without its task runner). */
	peakLeaderBytes = 0;
	samples = 0;

	constructor(
		/** The process group(s) to sum: n8n's, or every n8n process of a queue-mode stack. */
		private readonly pgid: () => number | number[] | undefined,
		private readonly intervalMs = 250,
	) {}

	start(): this {
		this.peakBytes = 0;
		this.peakLeaderBytes = 0;
		this.samples = 0;
		const sample = () => {
			const pgid = this.pgid();
			if (pgid === undefined) return;
			let rss = 0;
			for (const group of Array.isArray(pgid) ? pgid : [pgid]) {
				const byProcess = groupRssByProcess(group);
				for (const bytes of byProcess.values()) rss += bytes;
				if (!Array.isArray(pgid)) {
					this.peakLeaderBytes = Math.max(this.peakLeaderBytes, byProcess.get(group) ?? 0);
				}
			}
			this.samples++;
			if (rss > this.peakBytes) this.peakBytes = rss;
		};
		sample();
		this.timer = setInterval(sample, this.intervalMs);
		return this;
	}

	/** Stops sampling; returns the peak in MiB. */
	stop(): number {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		return Math.round(this.peakBytes / 1024 / 1024);
	}
}
