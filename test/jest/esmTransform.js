/**
 * Jest transform: ts-jest for our TypeScript, and for the ESM-only dev dependencies jest must load through its
 * CommonJS runtime (svix 2, nock 15 and @mswjs/interceptors). `import.meta.url` has no CommonJS form, so it is
 * rewritten to the file URL of the module before ts-jest turns import/export into require/exports.
 */
const { createTransformer } = require('ts-jest').default ?? require('ts-jest');

const tsJest = createTransformer({ tsconfig: 'tsconfig.dev.json', diagnostics: false });
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;

module.exports = {
	process(source, filename, options) {
		const rewritten = filename.includes('node_modules')
			? source.replace(IMPORT_META_URL, "require('node:url').pathToFileURL(__filename).href")
			: source;
		return tsJest.process(rewritten, filename, options);
	},
	getCacheKey(source, filename, options) {
		return 'esm-cjs-1:' + tsJest.getCacheKey(source, filename, options);
	},
};
