/** Unit tests: pure logic and nodes with nock. Integration: against the local emulators (started in-process). */
// svix 2.x and nock 15 ship ESM only; test/jest/esmTransform.js lets jest's CommonJS runtime load them.
const shared = {
	testEnvironment: 'node',
	transform: { '^.+\\.(ts|mjs|js)$': '<rootDir>/test/jest/esmTransform.js' },
	transformIgnorePatterns: [
		'/node_modules/(?!(svix|nock|@mswjs/interceptors|@open-draft/until|rettime)/)',
	],
	moduleNameMapper: { '^svix$': '<rootDir>/node_modules/svix/dist/index.mjs' },
	moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
	// dist/ and build/ hold compiled copies (with their own package.json) that jest must not index.
	modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/build/'],
};
module.exports = {
	// failureDigest: failed tests with the head of their message, for scripts/test.sh's summary.
	reporters: ['default', '<rootDir>/test/jest/failureDigest.js'],
	projects: [
		{
			...shared,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/jest/restoreNock.js'],
		},
		{
			...shared,
			displayName: 'integration',
			testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
		},
		// Real n8n 2.x (installed outside the repo by scripts/lib/env.sh); slow, run on their own by test/e2e/run.sh.
		{ ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'] },
		// Fault matrix, attack corpus, hostile input and secret hygiene in a real n8n: scripts/reliability.sh.
		{
			...shared,
			displayName: 'reliability',
			testMatch: ['<rootDir>/test/reliability/**/*.reliability.test.ts'],
		},
		// The n8n editor in headless Chromium (Debian's chromium + playwright-core): test/browser/run.sh.
		{
			...shared,
			displayName: 'browser',
			testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'],
		},
	],
};
