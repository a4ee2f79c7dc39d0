/**
 * A local npm registry (verdaccio, installed into the tool cache by scripts/lib/env.sh's ensure_verdaccio) on
 * 127.0.0.1 with no uplink: it serves only what the test publishes into it, so an install through it proves the
 * package installs from a registry with nothing else reachable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	freePort,
	nodeBinary,
	runSync,
	stopProcessGroup,
	tail,
	toolsDir,
	trackProcessGroup,
	untrackProcessGroup,
	waitFor,
} from '../../e2e/lib/tools';

export interface LocalRegistry {
	url: string;
	/** Publishes a packed tarball (npm publish with a user registered on this registry). */
	publish(tarball: string): void;
	/** Package names and versions this registry holds (its own metadata API). */
	versions(packageName: string): Promise<string[]>;
	close(): Promise<void>;
}

function verdaccioEntry(): string {
	const home = process.env.BREX_X3_VERDACCIO_HOME ?? path.join(toolsDir(), 'verdaccio');
	const entry = path.join(home, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (!fs.existsSync(entry)) {
		throw new Error(
			`verdaccio not installed at ${entry}; run: source scripts/lib/env.sh && ensure_verdaccio`,
		);
	}
	return entry;
}

export async function startLocalRegistry(root: string): Promise<LocalRegistry> {
	fs.mkdirSync(root, { recursive: true });
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const config = path.join(root, 'config.yaml');
	const logFile = path.join(root, 'verdaccio.log');
	fs.writeFileSync(
		config,
		[
			`storage: ${path.join(root, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(root, 'htpasswd')}`,
			'    max_users: 10',
			// No uplinks: nothing is proxied to a public registry.
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'web:',
			'  enable: false',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const fd = fs.openSync(logFile, 'a');
	let child: ChildProcess;
	try {
		child = spawn(nodeBinary(), [verdaccioEntry(), '--config', config, '--listen', url], {
			cwd: root,
			stdio: ['ignore', fd, fd],
			detached: true,
			env: { ...process.env, NODE_ENV: 'production' },
		});
	} finally {
		fs.closeSync(fd);
	}
	const pidFile = path.join(root, 'verdaccio.pgid');
	trackProcessGroup(child.pid, pidFile);
	const logs = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
	await waitFor(async () => (await fetch(`${url}/-/ping`)).ok, {
		timeoutMs: 60_000,
		describe: () => `verdaccio on ${url}; log:\n${tail(logs(), 30)}`,
	});

	// A user of this registry (verdaccio's htpasswd plugin registers it on first login) and its token.
	const user = { name: 'brex-x3-test', password: 'brex-x3-test-password' };
	const added = await fetch(`${url}/-/user/org.couchdb.user:${user.name}`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: user.name, password: user.password, type: 'user', roles: [] }),
	});
	const { token } = (await added.json()) as { token?: string };
	if (!added.ok || !token) throw new Error(`verdaccio user registration answered ${added.status}`);
	const npmrc = path.join(root, '.npmrc');
	fs.writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);

	return {
		url,
		publish(tarball: string) {
			runSync(
				'npm',
				[
					'publish',
					tarball,
					`--userconfig=${npmrc}`,
					`--registry=${url}/`,
					'--ignore-scripts',
					'--provenance=false',
				],
				root,
			);
		},
		async versions(packageName: string) {
			const response = await fetch(`${url}/${packageName}`);
			if (!response.ok) return [];
			const document = (await response.json()) as { versions?: Record<string, unknown> };
			return Object.keys(document.versions ?? {});
		},
		async close() {
			await stopProcessGroup(child, { timeoutMs: 5_000 });
			untrackProcessGroup(child.pid, pidFile);
		},
	};
}
