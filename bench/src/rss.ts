/**
 * Samples the resident memory of a process tree (n8n's process group: the main process and its task
 * runner) from /proc, so the peak of a scenario is known without touching n8n.
 */
import * as fs from 'node:fs';

/** Sum of VmRSS (bytes) of every process whose process-group id is `pgid`. */
export function groupRss(pgid: number): number {
	let total = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Fields after the command name (which may contain spaces): state ppid pgrp …
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
			const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
			if (kb) total += Number(kb) * 1024;
		} catch {
			// The process ended between readdir and read.
		}
	}
	return total;
}

export class RssSampler {
	private timer: NodeJS.Timeout | undefined;
	peakBytes = 0;
	samples = 0;

	constructor(
		/** The process group(s) to sum: n8n's, or every n8n process of a queue-mode stack. */
		private readonly pgid: () => number | number[] | undefined,
		private readonly intervalMs = 250,
	) {}

	start(): this {
		this.peakBytes = 0;
		this.samples = 0;
		const sample = () => {
			const pgid = this.pgid();
			if (pgid === undefined) return;
			const rss = (Array.isArray(pgid) ? pgid : [pgid]).reduce(
				(sum, group) => sum + groupRss(group),
				0,
			);
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
