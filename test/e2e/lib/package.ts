/**
 * Packs the built package with `npm pack` and drops it into an n8n user folder the way n8n's own community
 * package installer does: extract into .n8n/nodes/node_modules/<name>/ and strip devDependencies,
 * peerDependencies and optionalDependencies, so n8n-workflow comes from the host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { PACKAGE_NAME, REPO_ROOT, runSync } from './tools';

interface PackageJson {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	dependencies?: Record<string, string>;
}

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
}

function readJson<T>(file: string): T {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Fails early, with the fix, when dist/ is missing files that package.json's n8n lists name. */
export function assertBuilt(): void {
	const pkg = readJson<PackageJson>(path.join(REPO_ROOT, 'package.json'));
	const listed = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = listed.filter((file) => !fs.existsSync(path.join(REPO_ROOT, file)));
	if (missing.length > 0) {
		throw new Error(`Package not built (missing ${missing.join(', ')}); run: npm run build`);
	}
}

/** `npm pack` of the repo into destDir (reuses BREX_X3_E2E_PACKAGE when run.sh packed already). */
export function packRepo(destDir: string): PackedPackage {
	const prepacked = process.env.BREX_X3_E2E_PACKAGE;
	if (prepacked && fs.existsSync(prepacked)) {
		const pkg = readJson<PackageJson>(path.join(REPO_ROOT, 'package.json'));
		return { tarball: prepacked, name: pkg.name, version: pkg.version };
	}
	assertBuilt();
	fs.mkdirSync(destDir, { recursive: true });
	const stdout = runSync('npm', ['pack', '--json', '--pack-destination', destDir], REPO_ROOT);
	const report = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
		filename: string;
		name: string;
		version: string;
	}>;
	const { filename, name, version } = report[0];
	return { tarball: path.join(destDir, path.basename(filename)), name, version };
}

function distFiles(dir: string, suffix: string): string[] {
	if (!fs.existsSync(dir)) return [];
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...distFiles(full, suffix));
		else if (entry.name.endsWith(suffix)) found.push(full);
	}
	return found;
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes/node_modules/<name>/`; returns that folder.
 * BREX_X3_E2E_FILL_N8N_LISTS=1 fills empty n8n.nodes / n8n.credentials lists of the installed copy from
 * dist/ (a development aid while the repo's lists are not filled in yet; never set in CI).
 */
export function installIntoUserFolder(packed: PackedPackage, userFolder: string): string {
	if (packed.name !== PACKAGE_NAME) {
		throw new Error(`Packed ${packed.name}, expected ${PACKAGE_NAME}`);
	}
	const dest = path.join(userFolder, '.n8n', 'nodes', 'node_modules', packed.name);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	runSync('tar', ['-xzf', packed.tarball, '-C', dest, '--strip-components=1'], dest);

	const manifestFile = path.join(dest, 'package.json');
	const manifest = readJson<PackageJson>(manifestFile);
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	if (Object.keys(manifest.dependencies ?? {}).length > 0) {
		throw new Error(
			`Community nodes must have no runtime dependencies: ${JSON.stringify(manifest.dependencies)}`,
		);
	}
	if (process.env.BREX_X3_E2E_FILL_N8N_LISTS === '1') {
		const relative = (file: string) => path.relative(dest, file).split(path.sep).join('/');
		manifest.n8n = manifest.n8n ?? {};
		if (!manifest.n8n.nodes?.length) {
			manifest.n8n.nodes = distFiles(path.join(dest, 'dist', 'nodes'), '.node.js').map(relative);
		}
		if (!manifest.n8n.credentials?.length) {
			manifest.n8n.credentials = distFiles(
				path.join(dest, 'dist', 'credentials'),
				'.credentials.js',
			).map(relative);
		}
	}
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	return dest;
}
