import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The vendored reference files (Brex OpenAPI specs, X3 WSDLs and samples, the fact sheets) under
 * `test/fixtures/reference`; their origins are in `test/fixtures/SOURCES.md`. Found by walking up from this file
 * to the package root, so it works from the sources and from build/.
 */
export function referenceDir(): string {
	for (let dir = __dirname; ; ) {
		const candidate = join(dir, 'test', 'fixtures', 'reference');
		if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return resolve(candidate);
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	throw new Error('test/fixtures/reference is missing from the package root: restore it from git');
}
