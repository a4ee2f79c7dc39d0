/**
 * The layering of nodes/ (README, Architecture): the ledger domain, the Brex API side and the common helpers
 * are used by the nodes and never use them. Each rule names the folders a layer may not import from; a relative
 * import (or require/jest.mock path) is resolved and checked against them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const NODE_FOLDERS = ['nodes/SageX3', 'nodes/Brex', 'nodes/BrexTrigger', 'nodes/SageX3Trigger'];

const LAYERS: Array<{ folder: string; mayNotImport: string[] }> = [
	{ folder: 'nodes/common', mayNotImport: [...NODE_FOLDERS, 'nodes/ledger', 'nodes/brexApi'] },
	{ folder: 'nodes/ledger', mayNotImport: [...NODE_FOLDERS, 'nodes/brexApi'] },
	{ folder: 'nodes/brexApi', mayNotImport: [...NODE_FOLDERS, 'nodes/ledger'] },
	{
		folder: 'nodes/masterData',
		mayNotImport: [...NODE_FOLDERS, 'nodes/ledger', 'nodes/brexApi', 'nodes/common'],
	},
];

function sourceFiles(folder: string): string[] {
	return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
		const relative = `${folder}/${entry.name}`;
		if (entry.isDirectory()) return sourceFiles(relative);
		return entry.name.endsWith('.ts') ? [relative] : [];
	});
}

/** Every module specifier of a file: import/export … from, import(), require(), jest.mock(). */
export function moduleSpecifiers(source: string): string[] {
	const found: string[] = [];
	const patterns = [
		/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
		/\bimport\s*['"]([^'"]+)['"]/g,
		/\b(?:import|require|mock)\s*\(\s*['"]([^'"]+)['"]/g,
	];
	for (const pattern of patterns) {
		for (const match of source.matchAll(pattern)) found.push(match[1]);
	}
	return found;
}

/** The repository-relative path a relative specifier points at (without extension), or null for a package. */
function resolved(file: string, specifier: string): string | null {
	if (!specifier.startsWith('.')) return null;
	return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
}

function isInside(target: string, folder: string): boolean {
	return target === folder || target.startsWith(`${folder}/`);
}

function violations(folder: string, forbidden: string[]): string[] {
	const out: string[] = [];
	for (const file of sourceFiles(folder)) {
		const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
		for (const specifier of moduleSpecifiers(source)) {
			const target = resolved(file, specifier);
			const banned = target === null ? undefined : forbidden.find((f) => isInside(target, f));
			if (banned) out.push(`${file} imports ${specifier} (inside ${banned})`);
		}
	}
	return out;
}

describe('layering of nodes/', () => {
	it.each(LAYERS)('$folder imports from none of $mayNotImport', ({ folder, mayNotImport }) => {
		expect(sourceFiles(folder).length).toBeGreaterThan(0);
		expect(violations(folder, mayNotImport)).toEqual([]);
	});

	it('reads every form of import the sources use', () => {
		const source = [
			"import type { A } from '../SageX3/transport/gateway.types';",
			"import {\n\tB,\n\tC,\n} from '../Brex/helpers/utils';",
			"export { D } from '../BrexTrigger/errors';",
			"import '../SageX3/side';",
			"const e = require('../SageX3/e');",
			"jest.mock('../Brex/f');",
			"const g = await import('../BrexTrigger/g');",
		].join('\n');
		const targets = moduleSpecifiers(source).map((s) => resolved('nodes/ledger/x.ts', s));
		expect(targets.sort()).toEqual(
			[
				'nodes/SageX3/transport/gateway.types',
				'nodes/Brex/helpers/utils',
				'nodes/BrexTrigger/errors',
				'nodes/SageX3/side',
				'nodes/SageX3/e',
				'nodes/Brex/f',
				'nodes/BrexTrigger/g',
			].sort(),
		);
		expect(targets.every((t) => NODE_FOLDERS.some((f) => isInside(t as string, f)))).toBe(true);
	});
});
