/**
 * What `npm publish` would ship: the compiled package (dist/), the workflow templates (workflows/*.json, so a
 * UI install brings them), README, LICENSE and package.json, nothing else (no sources, tests, emulators, maps or
 * build info), and every file package.json's "n8n" block names.
 * Needs a build (`npm run build`, which `npm test` runs first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
		name: string;
		main: string;
		n8n: { nodes: string[]; credentials: string[] };
	};

	it('holds only dist/, workflows/*.json, README.md, LICENSE and package.json', () => {
		const files = packedFiles();
		const outside = files.filter(
			(file) =>
				!file.startsWith('dist/') &&
				!/^workflows\/[^/]+\.json$/.test(file) &&
				!['README.md', 'LICENSE', 'package.json'].includes(file),
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

	it('holds every workflow template of workflows/, as valid n8n workflow JSON', () => {
		const templates = fs
			.readdirSync(path.join(ROOT, 'workflows'))
			.filter((file) => file.endsWith('.json'))
			.map((file) => `workflows/${file}`);
		// The sync, the reconciliation and the master data are what the README tells a UI-installed user to import.
		expect(templates).toEqual(
			expect.arrayContaining([
				'workflows/brex-to-sage-x3-sync.json',
				'workflows/brex-x3-reconciliation.json',
				'workflows/x3-master-data-to-brex.json',
			]),
		);
		const files = new Set(packedFiles());
		expect(templates.filter((file) => !files.has(file))).toEqual([]);
		// Node types this package provides, as a workflow names them: "<package>.<class name, first letter lower>".
		const ownTypes = new Set(
			manifest.n8n.nodes.map((node) => {
				const className = path.basename(node, '.node.js');
				return `${manifest.name}.${className[0].toLowerCase()}${className.slice(1)}`;
			}),
		);
		for (const file of templates) {
			const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as {
				nodes?: Array<{ type: string }>;
				connections?: unknown;
			};
			expect({ file, nodes: Array.isArray(workflow.nodes) }).toEqual({ file, nodes: true });
			expect(typeof workflow.connections).toBe('object');
			const unknownTypes = (workflow.nodes ?? [])
				.map((node) => node.type)
				.filter((type) => type.startsWith(`${manifest.name}.`) && !ownTypes.has(type));
			expect({ file, unknownTypes }).toEqual({ file, unknownTypes: [] });
		}
	});
});

/**
 * scripts/scan-publish-metadata.sh, which the release workflow runs before `npm publish`: it refuses the
 * placeholder repository/homepage/author this repository still carries and accepts real-looking values.
 */
describe('publishing metadata check', () => {
	const script = path.join(ROOT, 'scripts', 'scan-publish-metadata.sh');
	const current = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<
		string,
		unknown
	>;
	let folder: string;
	beforeAll(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'brex-x3-metadata-'));
	});
	afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

	function check(
		manifest: Record<string, unknown>,
		expectedRepo = '',
	): { code: number; output: string } {
		const file = path.join(folder, `package-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(manifest));
		const { GITHUB_REPOSITORY: _ignored, ...env } = process.env;
		const run = spawnSync('bash', [script, file, expectedRepo], { encoding: 'utf8', env });
		return { code: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
	}

	const real = {
		...current,
		homepage: 'https://github.com/acme-finance/n8n-nodes-brex-sage-x3#readme',
		author: { name: 'Acme Finance Engineering', email: 'n8n-nodes@acme-finance.fr' },
		repository: {
			type: 'git',
			url: 'git+https://github.com/acme-finance/n8n-nodes-brex-sage-x3.git',
		},
	};

	it('accepts a real-looking repository, homepage and author', () => {
		expect(check(real)).toEqual({ code: 0, output: expect.stringContaining('look real') });
		expect(check(real, 'acme-finance/n8n-nodes-brex-sage-x3').code).toBe(0);
	});

	it("refuses this repository's placeholders and names every field to set", () => {
		const { code, output } = check(current);
		expect(code).toBe(1);
		for (const field of ['repository.url', 'homepage', 'author.name', 'author.email']) {
			expect(output).toContain(`${field} `);
		}
	});

	it.each([
		[
			'a repository owned by the package name',
			{ repository: { url: 'git+https://github.com/n8n-nodes-brex-sage-x3/x.git' } },
			'repository.url',
		],
		[
			'a repository that is not on GitHub',
			{ repository: { url: 'git+https://gitlab.com/acme/x.git' } },
			'repository.url',
		],
		[
			'a template owner',
			{ repository: { url: 'git+https://github.com/your-org/n8n-nodes-brex-sage-x3.git' } },
			'repository.url',
		],
		[
			'a homepage of another repository',
			{ homepage: 'https://github.com/someone-else/thing#readme' },
			'homepage',
		],
		['no author', { author: undefined }, 'author.name'],
		[
			'an author named after the package',
			{ author: { name: 'n8n-nodes-brex-sage-x3 maintainers', email: 'a@acme-finance.fr' } },
			'author.name',
		],
		[
			'a mail domain made of the package name',
			{ author: { name: 'Acme', email: 'maintainers@n8n-nodes-brex-sage-x3.dev' } },
			'author.email',
		],
		[
			'a reserved mail domain',
			{ author: { name: 'Acme', email: 'dev@example.com' } },
			'author.email',
		],
	])('refuses %s', (_label, change, field) => {
		const { code, output } = check({ ...real, ...change });
		expect(code).toBe(1);
		expect(output).toContain(`${field} `);
	});

	it('refuses a repository other than the one the release runs in (npm provenance must match)', () => {
		const { code, output } = check(real, 'acme-finance/another-repo');
		expect(code).toBe(1);
		expect(output).toContain('acme-finance/another-repo');
	});
});
