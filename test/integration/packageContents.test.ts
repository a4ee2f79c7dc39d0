/**
 * What `npm publish` would ship: the compiled package (dist/), README, LICENSE and package.json, nothing else
 * (no sources, tests, emulators, maps or build info), and every file package.json's "n8n" block names.
 * Needs a build (`npm run build`, which `npm test` runs first).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface PackEntry {
	path: string;
	size: number;
}

function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [pack] = JSON.parse(out) as Array<{ files: PackEntry[] }>;
	return pack.files.map((file) => file.path).sort();
}

describe('npm pack', () => {
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		main: string;
		n8n: { nodes: string[]; credentials: string[] };
	};

	it('holds only dist/, README.md, LICENSE and package.json', () => {
		const files = packedFiles();
		const outside = files.filter(
			(file) =>
				!file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file),
		);
		expect(outside).toEqual([]);
		expect(files.filter((file) => /\.(map|tsbuildinfo|ts)$/.test(file))).toEqual([]);
		expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
	});

	it('holds every node, credential, icon and codex file n8n loads, and the main entry', () => {
		if (!fs.existsSync(path.join(ROOT, manifest.n8n.nodes[0]))) {
			throw new Error('dist/ is not built: run `npm run build` first');
		}
		const files = new Set(packedFiles());
		const needed = [manifest.main, ...manifest.n8n.nodes, ...manifest.n8n.credentials];
		for (const node of manifest.n8n.nodes) {
			needed.push(node.replace(/\.js$/, '.json'));
			const folder = path.dirname(node);
			for (const icon of fs
				.readdirSync(path.join(ROOT, folder))
				.filter((f) => f.endsWith('.svg'))) {
				needed.push(`${folder}/${icon}`);
			}
		}
		expect(needed.filter((file) => !files.has(file))).toEqual([]);
	});
});
