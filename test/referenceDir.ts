import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The shared reference folder (Brex OpenAPI specs, X3 WSDLs and samples) that every developer and CI run has at
 * `../shared/reference` beside the project root. Found by walking up from this file to the package root, so it
 * works from the sources and from build/; $BREX_X3_REFERENCE_DIR overrides it.
 */
export function referenceDir(): string {
	const override = process.env.BREX_X3_REFERENCE_DIR;
	if (override) return resolve(override);
	for (let dir = __dirname; ; ) {
		const candidate = join(dir, '..', 'shared', 'reference');
		if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return resolve(candidate);
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	throw new Error(
		'The reference folder ../shared/reference beside the project root is missing; set BREX_X3_REFERENCE_DIR',
	);
}
