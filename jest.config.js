/** Unit tests: pure logic and nodes with nock. Integration: against the local emulators (started in-process). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];
// svix 2.x ships ESM only; transform it so jest's CommonJS runtime can load it as the oracle.
const shared = {
	testEnvironment: 'node',
	transform: { '^.+\\.(ts|mjs|js)$': tsJest },
	transformIgnorePatterns: ['/node_modules/(?!(svix)/)'],
	moduleNameMapper: { '^svix$': '<rootDir>/node_modules/svix/dist/index.mjs' },
	moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
	projects: [
		{ ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		// Real n8n 2.x (installed outside the repo by scripts/lib/env.sh); slow, run on their own by test/e2e/run.sh.
		{ ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'] },
	],
};
